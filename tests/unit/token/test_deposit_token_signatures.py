"""Signed operations: EIP-2612 permit and EIP-3009 signed transfers, signed with eth-account's typed-data encoder."""

import pytest
from brownie import chain

from crosspay.core.signing import (
    random_nonce,
    sign_authorization,
    sign_cancel_authorization,
    sign_permit,
)
from helpers import assert_reverted_with, assert_succeeded, at_time, bytes32, deposit_token, reverts_with

HOUR = 3600


@pytest.fixture
def authorization(funded, chain_id, alice, bob):
    """sign(**overrides) -> (args, signature) for an EIP-3009 transfer of 100.00 from alice to bob."""

    def sign(receive=False, signer=alice, token=funded, signed_chain_id=chain_id, **overrides):
        fields = {
            "sender": alice.address,
            "receiver": bob.address,
            "value": 100_00,
            "valid_after": 0,
            "valid_before": chain.time() + HOUR,
            "nonce": random_nonce(),
        }
        fields.update(overrides)
        signature = sign_authorization(signer.private_key, token, signed_chain_id, receive=receive, **fields)
        args = [fields[k] for k in ("sender", "receiver", "value", "valid_after", "valid_before", "nonce")]
        return args, signature

    return sign


@pytest.fixture(scope="module")
def other_token(registry, admin, issuer, auditor, pauser, enforcer):
    return deposit_token("dHKD", registry, admin, issuer, auditor, pauser, enforcer)


# --- EIP-2612 permit --------------------------------------------------------------------------------------------


def _permit(token, chain_id, owner, spender, value=50_00, deadline=None, nonce=None, signer=None):
    deadline = chain.time() + HOUR if deadline is None else deadline
    nonce = token.nonces(owner) if nonce is None else nonce
    signature = sign_permit((signer or owner).private_key, token, chain_id, owner, spender, value, nonce, deadline)
    return (owner, spender, value, deadline), signature


def test_domain_separator_matches_the_eip712_domain(funded, chain_id):
    from eth_abi import encode
    from eth_utils import keccak

    type_hash = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    expected = keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [type_hash, keccak(text=funded.name()), keccak(text="1"), chain_id, funded.address],
        )
    )
    assert funded.DOMAIN_SEPARATOR() == "0x" + expected.hex()


def test_permit_sets_the_allowance_and_bumps_the_nonce(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id, alice, carol)
    funded.permit(*args, *sig.as_args(), {"from": carol})
    assert funded.allowance(alice, carol) == 50_00
    assert funded.nonces(alice) == 1


def test_permit_then_transfer_from_to_an_unverified_receiver_reverts(funded, chain_id, verify, alice, carol, rando):
    verify(carol)
    args, sig = _permit(funded, chain_id, alice, carol)
    funded.permit(*args, *sig.as_args(), {"from": carol})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transferFrom(alice, rando, 1, {"from": carol})
    assert funded.balanceOf(alice) == 1_000_00


def test_permit_with_a_wrong_nonce_reverts(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id, alice, carol, nonce=1)
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *sig.as_args(), {"from": carol})
    assert funded.allowance(alice, carol) == 0


def test_permit_replayed_reverts(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id, alice, carol)
    funded.permit(*args, *sig.as_args(), {"from": carol})
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *sig.as_args(), {"from": carol})


def test_permit_past_its_deadline_reverts(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id, alice, carol, deadline=chain.time() - 1)
    with reverts_with("ERC2612ExpiredSignature"):
        funded.permit(*args, *sig.as_args(), {"from": carol})


def test_permit_signed_for_another_chain_reverts(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id + 1, alice, carol)
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *sig.as_args(), {"from": carol})


def test_permit_signed_for_another_token_reverts(funded, other_token, chain_id, alice, carol):
    args, sig = _permit(other_token, chain_id, alice, carol)
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *sig.as_args(), {"from": carol})


def test_permit_signed_by_someone_else_reverts(funded, chain_id, alice, bob, carol):
    args, sig = _permit(funded, chain_id, alice, carol, signer=bob)
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *sig.as_args(), {"from": carol})


def test_permit_with_a_high_s_signature_reverts(funded, chain_id, alice, carol):
    args, sig = _permit(funded, chain_id, alice, carol)
    with reverts_with("ECDSAInvalidSignatureS"):
        funded.permit(*args, *sig.malleated().as_args(), {"from": carol})


# --- EIP-3009 ---------------------------------------------------------------------------------------------------


def test_typehashes_are_the_eips(funded):
    from eth_utils import keccak

    fields = "address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce"
    assert (
        funded.TRANSFER_WITH_AUTHORIZATION_TYPEHASH()
        == "0x" + keccak(text=f"TransferWithAuthorization({fields})").hex()
    )
    assert (
        funded.RECEIVE_WITH_AUTHORIZATION_TYPEHASH() == "0x" + keccak(text=f"ReceiveWithAuthorization({fields})").hex()
    )
    assert (
        funded.CANCEL_AUTHORIZATION_TYPEHASH()
        == "0x" + keccak(text="CancelAuthorization(address authorizer,bytes32 nonce)").hex()
    )


def test_transfer_with_authorization_moves_funds_for_a_relayer(funded, authorization, alice, bob, rando):
    args, sig = authorization()
    tx = funded.transferWithAuthorization(*args, *sig.as_args(), {"from": rando})
    assert funded.balanceOf(alice) == 900_00
    assert funded.balanceOf(bob) == 600_00
    assert funded.authorizationState(alice, args[5])
    assert tx.events["AuthorizationUsed"] == {"authorizer": alice, "nonce": "0x" + args[5].hex()}


def test_receive_with_authorization_by_the_payee(funded, authorization, alice, bob):
    args, sig = authorization(receive=True)
    funded.receiveWithAuthorization(*args, *sig.as_args(), {"from": bob})
    assert funded.balanceOf(bob) == 600_00


def test_receive_with_authorization_by_anyone_but_the_payee_reverts(funded, authorization, rando):
    args, sig = authorization(receive=True)
    with reverts_with("ERC3009CallerMustBePayee"):
        funded.receiveWithAuthorization(*args, *sig.as_args(), {"from": rando})
    assert not funded.authorizationState(args[0], args[5])


def test_using_a_receive_authorization_as_a_transfer_reverts(funded, authorization, rando):
    args, sig = authorization(receive=True)
    with reverts_with("ERC3009InvalidSignature"):
        funded.transferWithAuthorization(*args, *sig.as_args(), {"from": rando})


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_replaying_a_used_authorization_reverts(funded, authorization, bob, receive):
    args, sig = authorization(receive=receive)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    submit(*args, *sig.as_args(), {"from": bob})
    with reverts_with("ERC3009AuthorizationUsedOrCanceled"):
        submit(*args, *sig.as_args(), {"from": bob})
    assert funded.balanceOf(bob) == 600_00


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_is_invalid_until_strictly_after_valid_after(funded, authorization, bob, receive):
    valid_after = chain.time() + 100
    args, sig = authorization(receive=receive, valid_after=valid_after, valid_before=valid_after + HOUR)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    early = at_time(valid_after, submit, *args, *sig.as_args(), params={"from": bob})
    assert_reverted_with(early, f"ERC3009AuthorizationNotYetValid: {valid_after}, {valid_after}")
    tx = at_time(valid_after + 1, submit, *args, *sig.as_args(), params={"from": bob})
    assert_succeeded(tx)
    assert tx.timestamp == valid_after + 1


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_expires_at_valid_before(funded, authorization, bob, receive):
    valid_before = chain.time() + 100
    args, sig = authorization(receive=receive, valid_before=valid_before)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    late = at_time(valid_before, submit, *args, *sig.as_args(), params={"from": bob})
    assert_reverted_with(late, f"ERC3009AuthorizationExpired: {valid_before}, {valid_before}")
    assert funded.balanceOf(bob) == 500_00


def test_authorization_one_second_before_expiry_succeeds(funded, authorization, bob):
    valid_before = chain.time() + 100
    args, sig = authorization(valid_before=valid_before)
    tx = at_time(valid_before - 1, funded.transferWithAuthorization, *args, *sig.as_args(), params={"from": bob})
    assert_succeeded(tx)
    assert tx.timestamp == valid_before - 1


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_signed_for_another_chain_reverts(funded, authorization, chain_id, bob, receive):
    args, sig = authorization(receive=receive, signed_chain_id=chain_id + 1)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("ERC3009InvalidSignature"):
        submit(*args, *sig.as_args(), {"from": bob})


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_signed_for_another_token_reverts(funded, other_token, authorization, bob, receive):
    args, sig = authorization(receive=receive, token=other_token)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("ERC3009InvalidSignature"):
        submit(*args, *sig.as_args(), {"from": bob})


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_with_a_high_s_signature_reverts(funded, authorization, bob, receive):
    args, sig = authorization(receive=receive)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("ERC3009InvalidSignature"):
        submit(*args, *sig.malleated().as_args(), {"from": bob})


def test_authorization_with_tampered_value_reverts(funded, authorization, bob):
    args, sig = authorization()
    args[2] = args[2] + 1
    with reverts_with("ERC3009InvalidSignature"):
        funded.transferWithAuthorization(*args, *sig.as_args(), {"from": bob})


def test_authorization_signed_by_someone_else_reverts(funded, authorization, bob):
    args, sig = authorization(signer=bob)
    with reverts_with("ERC3009InvalidSignature"):
        funded.transferWithAuthorization(*args, *sig.as_args(), {"from": bob})


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_from_a_frozen_payer_reverts(funded, authorization, registry, enforcer, alice, bob, receive):
    registry.freeze(alice, bytes32("hold"), {"from": enforcer})
    args, sig = authorization(receive=receive)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("DepositTokenAccountFrozen"):
        submit(*args, *sig.as_args(), {"from": bob})
    assert not funded.authorizationState(alice, args[5])


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_to_an_unverified_payee_reverts(funded, authorization, carol, receive):
    args, sig = authorization(receive=receive, receiver=carol.address)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("DepositTokenAccountNotVerified"):
        submit(*args, *sig.as_args(), {"from": carol})
    assert funded.balanceOf(carol) == 0


@pytest.mark.parametrize("receive", [False, True], ids=["transfer", "receive"])
def test_authorization_while_paused_reverts(funded, authorization, pauser, bob, receive):
    funded.pause({"from": pauser})
    args, sig = authorization(receive=receive)
    submit = funded.receiveWithAuthorization if receive else funded.transferWithAuthorization
    with reverts_with("EnforcedPause"):
        submit(*args, *sig.as_args(), {"from": bob})
    assert not funded.authorizationState(args[0], args[5])


def test_cancel_authorization_makes_it_unusable(funded, authorization, chain_id, alice, bob, rando):
    args, sig = authorization()
    cancel = sign_cancel_authorization(alice.private_key, funded, chain_id, alice, args[5])
    tx = funded.cancelAuthorization(alice, args[5], *cancel.as_args(), {"from": rando})
    assert tx.events["AuthorizationCanceled"] == {"authorizer": alice, "nonce": "0x" + args[5].hex()}
    assert funded.authorizationState(alice, args[5])
    with reverts_with("ERC3009AuthorizationUsedOrCanceled"):
        funded.transferWithAuthorization(*args, *sig.as_args(), {"from": bob})


def test_cancel_authorization_twice_or_after_use_reverts(funded, authorization, chain_id, alice, bob):
    args, sig = authorization()
    funded.transferWithAuthorization(*args, *sig.as_args(), {"from": bob})
    cancel = sign_cancel_authorization(alice.private_key, funded, chain_id, alice, args[5])
    with reverts_with("ERC3009AuthorizationUsedOrCanceled"):
        funded.cancelAuthorization(alice, args[5], *cancel.as_args(), {"from": bob})


def test_cancel_authorization_signed_by_someone_else_reverts(funded, chain_id, alice, bob):
    nonce = random_nonce()
    cancel = sign_cancel_authorization(bob.private_key, funded, chain_id, alice, nonce)
    with reverts_with("ERC3009InvalidSignature"):
        funded.cancelAuthorization(alice, nonce, *cancel.as_args(), {"from": bob})
    assert not funded.authorizationState(alice, nonce)


def test_cancel_authorization_works_while_paused(funded, pauser, chain_id, alice, bob):
    # Cancelling moves no funds: a customer can still withdraw an authorisation during an incident.
    funded.pause({"from": pauser})
    nonce = random_nonce()
    cancel = sign_cancel_authorization(alice.private_key, funded, chain_id, alice, nonce)
    funded.cancelAuthorization(alice, nonce, *cancel.as_args(), {"from": bob})
    assert funded.authorizationState(alice, nonce)
