"""CrossBorderEscrow: construction, admin functions, quote digest and initiate (every bad input named)."""

import brownie
import pytest
from brownie import CrossBorderEscrow, chain
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import (
    FEE_BPS,
    HOUR,
    RATE,
    assert_reverted_with,
    assert_succeeded,
    at_time,
    bytes32,
    created_id,
    now,
    reverts_with,
    shown_fee,
)

UINT56_MAX = 2**56 - 1
UINT40_MAX = 2**40 - 1


def snapshot(escrow, cny, *holders):
    return [cny.balanceOf(escrow)] + [cny.balanceOf(h) for h in holders]


# --- construction and admin ---------------------------------------------------------------------------------


def test_constructor_reverts_on_zero_registry_and_fee_account(registry, admin, fee_account):
    with reverts_with("EscrowZeroAddress"):
        CrossBorderEscrow.deploy(brownie.ZERO_ADDRESS, admin, fee_account, {"from": admin})
    with reverts_with("EscrowZeroAddress"):
        CrossBorderEscrow.deploy(registry, admin, brownie.ZERO_ADDRESS, {"from": admin})


def test_constructor_grants_admin_only_the_default_admin_role_with_a_two_day_delay(registry, admin, fee_account):
    escrow = CrossBorderEscrow.deploy(registry, admin, fee_account, {"from": admin})
    assert escrow.hasRole(escrow.DEFAULT_ADMIN_ROLE(), admin)
    assert not escrow.hasRole(escrow.COMPLIANCE_ROLE(), admin)
    assert escrow.defaultAdminDelay() == 2 * 24 * 3600
    assert escrow.feeAccount() == fee_account
    assert escrow.registry() == registry
    assert escrow.feeBps() == 0


def test_set_liquidity_provider_is_admin_only_and_reverts_on_zero(escrow, admin, rando):
    with reverts_with("AccessControlUnauthorizedAccount"):
        escrow.setLiquidityProvider(rando, True, {"from": rando})
    with reverts_with("EscrowZeroAddress"):
        escrow.setLiquidityProvider(brownie.ZERO_ADDRESS, True, {"from": admin})


def test_set_liquidity_provider_allows_and_disallows(escrow, admin, rando):
    tx = escrow.setLiquidityProvider(rando, True, {"from": admin})
    assert tx.events["LiquidityProviderSet"] == {"liquidityProvider": rando, "allowed": True}
    assert escrow.isLiquidityProvider(rando)
    escrow.setLiquidityProvider(rando, False, {"from": admin})
    assert not escrow.isLiquidityProvider(rando)
    escrow.setLiquidityProvider(rando, True, {"from": admin})
    assert escrow.isLiquidityProvider(rando)


def test_set_fee_is_admin_only_and_capped_at_max(escrow, admin, rando):
    with reverts_with("AccessControlUnauthorizedAccount"):
        escrow.setFee(10, {"from": rando})
    cap = escrow.MAX_FEE_BPS()
    assert cap == 100
    with reverts_with("EscrowFeeTooHigh"):
        escrow.setFee(cap + 1, {"from": admin})
    tx = escrow.setFee(cap, {"from": admin})
    assert tx.events["FeeSet"]["feeBps"] == cap
    assert escrow.feeBps() == cap


def test_quote_digest_is_the_eip712_digest_eth_account_signs(escrow, make_quote, chain_id):
    quote, _ = make_quote(escrow=escrow)
    encoded = encode_typed_data(fx.escrow_domain(escrow, chain_id), fx.QUOTE_TYPES, quote.message())
    digest = keccak(b"\x19" + encoded.version + encoded.header + encoded.body)
    assert escrow.quoteDigest(quote.as_tuple()) == "0x" + digest.hex()


# --- initiate: the happy path --------------------------------------------------------------------------------


def test_initiate_pulls_source_amount_plus_fee_and_records_the_transfer(
    market, cny, hkd, initiate, sender, beneficiary, liquidity_provider
):
    before = snapshot(market, cny, sender)
    tx, quote = initiate(100_00)
    fee = fx.fee_of(quote.source_amount, FEE_BPS)
    transfer_id = tx.return_value
    assert transfer_id == "0x" + fx.transfer_id(liquidity_provider, quote.quote_id).hex()
    assert market.transferIdOf(liquidity_provider, quote.quote_id) == transfer_id
    assert snapshot(market, cny, sender) == [
        before[0] + quote.source_amount + fee,
        before[1] - quote.source_amount - fee,
    ]
    deadline = tx.events["TransferInitiated"]["deadline"]
    assert market.transferOf(transfer_id).dict() == {
        "status": TransferStatus.LOCKED,
        "sender": sender.address,
        "beneficiary": beneficiary.address,
        "sourceToken": cny.address,
        "targetToken": hkd.address,
        "sourceAmount": quote.source_amount,
        "targetAmount": quote.target_amount,
        "liquidityProvider": liquidity_provider.address,
        "deadline": deadline,
    }
    assert market.feeOf(transfer_id) == fee
    event = tx.events["TransferInitiated"]
    assert event["transferId"] == transfer_id
    assert event["sender"] == sender and event["beneficiary"] == beneficiary
    logged = tuple(event["quote"])
    assert logged[:6] == quote.as_tuple()[:6]
    assert logged[6] == "0x" + quote.quote_id.hex()
    assert event["fee"] == fee
    assert event["travelRuleHash"] == "0x" + bytes32("travel-rule").hex()


def test_initiate_keeps_the_amounts_exactly_as_quoted(initiate, market):
    tx, quote = initiate(123_45)
    assert quote.target_amount == fx.target_for_source(123_45, RATE)
    transfer = market.transferOf(created_id(tx))
    assert (transfer["sourceAmount"], transfer["targetAmount"]) == (quote.source_amount, quote.target_amount)


def test_initiate_accepts_the_largest_storable_amounts(market, initiate, cny, admin, issuer, auditor, sender):
    # A quote of uint56 max in both legs fits; the fee-less escrow avoids needing the fee on top.
    market.setFee(0, {"from": admin})
    cny.setIssuerAllowance(issuer, UINT56_MAX, {"from": admin})
    cny.attestReserves(2**60, b"\x01" * 32, {"from": auditor})
    cny.mint(sender, UINT56_MAX - cny.balanceOf(sender), bytes32("big"), {"from": issuer})
    cny.approve(market, UINT56_MAX, {"from": sender})
    tx, _ = initiate(UINT56_MAX, target_amount=UINT56_MAX)
    transfer = market.transferOf(created_id(tx))
    assert (transfer["sourceAmount"], transfer["targetAmount"]) == (UINT56_MAX, UINT56_MAX)


def test_a_contract_liquidity_provider_signs_with_erc1271(
    market, make_quote, admin, sender, beneficiary, hkd, new_account
):
    from brownie import ERC1271Wallet

    owner = new_account()
    wallet = ERC1271Wallet.deploy(owner, {"from": admin})
    market.setLiquidityProvider(wallet, True, {"from": admin})
    quote, signature = make_quote(escrow=market, liquidity_provider=str(wallet), signer=owner.private_key)
    tx = market.initiate(
        quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
    )
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED
    # A signature by anyone but the wallet's owner is refused.
    quote, signature = make_quote(escrow=market, liquidity_provider=str(wallet), signer=Account.create().key)
    with reverts_with("EscrowInvalidSignature"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )


# --- initiate: bad input gets a named error and changes nothing ----------------------------------------------


@pytest.fixture
def assert_initiate_reverts(market, cny, sender, beneficiary):
    """assert_initiate_reverts(error, quote, signature, beneficiary=..., deadline=..., by=..., at=...): initiate
    reverts with `error` (mined at exactly `at` when given: helpers.at_time), and no balance or record changes."""

    def check(error, quote, signature, *, to=None, deadline=None, by=None, at=None):
        before = snapshot(market, cny, sender, by or sender)
        transfer_id = fx.transfer_id(quote.liquidity_provider, quote.quote_id)
        status_before = market.transferOf(transfer_id)["status"]
        args = (
            quote.as_tuple(),
            signature,
            to or beneficiary,
            deadline if deadline is not None else now() + HOUR,
            bytes32("t"),
            shown_fee(quote),
        )
        if at is None:
            with reverts_with(error):
                market.initiate(*args, {"from": by or sender})
        else:
            assert_reverted_with(at_time(at, market.initiate, *args, params={"from": by or sender}), error)
        assert snapshot(market, cny, sender, by or sender) == before
        assert market.transferOf(transfer_id)["status"] == status_before

    return check


def test_initiate_reverts_on_a_quote_at_exactly_its_expiry(
    market, make_quote, assert_initiate_reverts, sender, beneficiary
):
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts(
        "EscrowQuoteExpired", quote, signature, deadline=quote.expires_at + HOUR, at=quote.expires_at
    )


def test_initiate_accepts_a_quote_one_second_before_its_expiry(market, make_quote, sender, beneficiary):
    quote, signature = make_quote(escrow=market)
    tx = at_time(
        quote.expires_at - 1,
        market.initiate,
        quote.as_tuple(),
        signature,
        beneficiary,
        quote.expires_at + HOUR,
        bytes32("t"),
        shown_fee(quote),
        params={"from": sender},
    )
    assert_succeeded(tx)
    assert chain[tx.block_number].timestamp == quote.expires_at - 1


def test_initiate_reverts_on_a_reused_quote_id(market, make_quote, initiate, assert_initiate_reverts):
    _, quote = initiate(100_00)
    again, signature = make_quote(escrow=market, quote_id=quote.quote_id)
    assert_initiate_reverts("EscrowQuoteUsed", again, signature)
    # Even with different terms under the same id.
    other, signature = make_quote(50_00, escrow=market, quote_id=quote.quote_id)
    assert_initiate_reverts("EscrowQuoteUsed", other, signature)


def test_initiate_reverts_on_a_quote_id_reused_after_the_transfer_ended(
    market, make_quote, initiate, liquidity_provider, assert_initiate_reverts
):
    tx, quote = initiate(100_00)
    market.reject(created_id(tx), bytes32("kyc"), {"from": liquidity_provider})
    again, signature = make_quote(escrow=market, quote_id=quote.quote_id)
    assert_initiate_reverts("EscrowQuoteUsed", again, signature)


def test_initiate_reverts_on_a_quote_signed_by_someone_else(market, make_quote, assert_initiate_reverts):
    quote, signature = make_quote(escrow=market, signer=Account.create().key)
    assert_initiate_reverts("EscrowInvalidSignature", quote, signature)


def test_initiate_reverts_on_a_quote_from_a_non_liquidity_provider(market, make_quote, assert_initiate_reverts):
    stranger = Account.create()
    quote, signature = make_quote(escrow=market, liquidity_provider=stranger.address, signer=stranger.key)
    assert_initiate_reverts("EscrowNotLiquidityProvider", quote, signature)


def test_initiate_reverts_on_a_quote_from_a_disallowed_liquidity_provider(
    market, make_quote, admin, liquidity_provider, assert_initiate_reverts
):
    market.setLiquidityProvider(liquidity_provider, False, {"from": admin})
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowNotLiquidityProvider", quote, signature)


def test_initiate_reverts_on_a_quote_signed_for_another_chain(market, make_quote, chain_id, assert_initiate_reverts):
    quote, signature = make_quote(escrow=market, sign_chain_id=chain_id + 1)
    assert_initiate_reverts("EscrowInvalidSignature", quote, signature)


def test_initiate_reverts_on_a_quote_signed_for_another_escrow(
    market, make_quote, assert_initiate_reverts, registry, admin, fee_account
):
    other = CrossBorderEscrow.deploy(registry, admin, fee_account, {"from": admin})
    quote, signature = make_quote(escrow=market, sign_escrow=other)
    assert_initiate_reverts("EscrowInvalidSignature", quote, signature)


@pytest.mark.parametrize("field", ["source_amount", "target_amount", "target_token", "expires_at"])
def test_initiate_reverts_on_a_tampered_quote(market, make_quote, assert_initiate_reverts, field, bob):
    quote, signature = make_quote(escrow=market)
    tampered = {
        "source_amount": quote.source_amount - 1,
        "target_amount": quote.target_amount + 1,
        "target_token": str(bob),
        "expires_at": quote.expires_at + 1,
    }[field]
    assert_initiate_reverts("EscrowInvalidSignature", quote.replace(**{field: tampered}), signature)


def test_initiate_reverts_on_a_malleable_high_s_signature(
    market, make_quote, chain_id, liquidity_provider, assert_initiate_reverts
):
    quote, _ = make_quote(escrow=market)
    high_s = fx.sign_quote(liquidity_provider.private_key, quote, chain_id, market).malleated()
    assert_initiate_reverts("EscrowInvalidSignature", quote, high_s.packed)


@pytest.mark.parametrize("field", ["source_amount", "target_amount"])
def test_initiate_reverts_on_zero_amounts(market, make_quote, assert_initiate_reverts, field):
    quote, signature = make_quote(escrow=market, **{field: 0})
    assert_initiate_reverts("EscrowZeroAmount", quote, signature)


@pytest.mark.parametrize("field", ["source_amount", "target_amount"])
def test_initiate_reverts_on_amounts_that_do_not_fit_a_record(market, make_quote, assert_initiate_reverts, field):
    quote, signature = make_quote(escrow=market, **{field: UINT56_MAX + 1})
    assert_initiate_reverts("EscrowAmountTooLarge", quote, signature)


def test_initiate_reverts_on_the_same_token_on_both_legs(market, make_quote, assert_initiate_reverts, cny):
    quote, signature = make_quote(escrow=market, target_token=str(cny))
    assert_initiate_reverts("EscrowSameToken", quote, signature)


def test_initiate_reverts_on_a_deadline_not_in_the_future(market, make_quote, assert_initiate_reverts):
    quote, signature = make_quote(escrow=market)
    current = now() + 5
    assert_initiate_reverts("EscrowDeadlineNotInFuture", quote, signature, deadline=current, at=current)


def test_initiate_reverts_on_a_deadline_a_record_cannot_hold(market, make_quote, assert_initiate_reverts):
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowDeadlineTooLate", quote, signature, deadline=UINT40_MAX + 1)


def test_initiate_reverts_on_an_unverified_sender(market, make_quote, assert_initiate_reverts, cny, rando):
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowCannotTransact", quote, signature, by=rando)


def test_initiate_reverts_on_a_frozen_sender(market, make_quote, assert_initiate_reverts, registry, enforcer, sender):
    registry.freeze(sender, bytes32("case-1"), {"from": enforcer})
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowCannotTransact", quote, signature)


def test_initiate_reverts_on_an_unverified_beneficiary(market, make_quote, assert_initiate_reverts, rando):
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowCannotTransact", quote, signature, to=rando)


def test_initiate_reverts_on_a_frozen_beneficiary(
    market, make_quote, assert_initiate_reverts, registry, enforcer, beneficiary
):
    registry.freeze(beneficiary, bytes32("case-2"), {"from": enforcer})
    quote, signature = make_quote(escrow=market)
    assert_initiate_reverts("EscrowCannotTransact", quote, signature)


def test_initiate_needs_the_sender_to_approve_source_amount_plus_fee(market, make_quote, cny, sender, beneficiary):
    quote, signature = make_quote(escrow=market)
    fee = fx.fee_of(quote.source_amount, FEE_BPS)
    cny.approve(market, quote.source_amount + fee - 1, {"from": sender})
    with reverts_with("ERC20InsufficientAllowance"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )


# --- record index limits (a record holds 8-bit token and LP indices, given by the admin) -------------------------


def _send_all(sender, target, calls):
    """Sends many calls straight through web3 (brownie's per-transaction overhead would make 255 of them slow) and
    checks each one succeeded. A local account signs here; a node account is sent for by the node."""
    from brownie import web3

    base = {"to": str(target), "gas": 500_000, "gasPrice": web3.eth.gas_price}
    if hasattr(sender, "private_key"):
        nonce = web3.eth.get_transaction_count(str(sender))
        hashes = [
            web3.eth.send_raw_transaction(
                Account.sign_transaction(
                    {**base, "chainId": chain.id, "nonce": nonce + i, "data": data}, sender.private_key
                ).raw_transaction
            )
            for i, data in enumerate(calls)
        ]
    else:
        hashes = [web3.eth.send_transaction({**base, "from": str(sender), "data": data}) for data in calls]
    assert all(web3.eth.wait_for_transaction_receipt(h).status == 1 for h in hashes)


def test_the_256th_liquidity_provider_reverts(escrow, admin):
    # The fixture's LP holds index 1; 254 more fill the uint8 index.
    _send_all(admin, escrow, [escrow.setLiquidityProvider.encode_input(f"0x{i:040x}", True) for i in range(1, 255)])
    with reverts_with("EscrowTooManyLiquidityProviders"):
        escrow.setLiquidityProvider(f"0x{255:040x}", True, {"from": admin})
    # Known providers keep their index: disallowing and allowing one again still works.
    escrow.setLiquidityProvider(f"0x{1:040x}", False, {"from": admin})
    escrow.setLiquidityProvider(f"0x{1:040x}", True, {"from": admin})
    assert escrow.isLiquidityProvider(f"0x{1:040x}")


def test_the_256th_token_reverts(escrow, admin):
    # Tokens get an index when the admin first accepts them: the fixture's dCNY and dHKD hold 1 and 2, 253 more fill
    # the uint8 index.
    _send_all(admin, escrow, [escrow.setToken.encode_input(f"0x{i:040x}", True) for i in range(1, 254)])
    with reverts_with("EscrowTooManyTokens"):
        escrow.setToken(f"0x{254:040x}", True, {"from": admin})
    # Known tokens keep their index: stopping and accepting one again still works.
    escrow.setToken(f"0x{1:040x}", False, {"from": admin})
    escrow.setToken(f"0x{1:040x}", True, {"from": admin})
    assert escrow.isTokenAccepted(f"0x{1:040x}")
