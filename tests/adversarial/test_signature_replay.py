"""Signatures replayed where they were not signed for: another chain id, another token, another deployment.

Each signed message (EIP-2612 permit, EIP-3009 authorisation carried by a payment intent, FX quote) is taken as the
signer made it and submitted to a domain that differs in exactly one field. The EIP-712 domain (chain id and
verifying contract) must make it worthless there: a named error, nothing moved, and the signature still good where
it belongs.
"""

import pytest
from brownie import chain

from crosspay.core import fx
from crosspay.core.settlement import payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization, sign_permit
from crosspay.core.status import PaymentStatus, TransferStatus
from crosspay.deploy.plan import ESCROW, REGISTRY, SETTLEMENT, Fees, Roles
from helpers import HOUR, MDR_BPS, MERCHANT, bytes32, deploy, deposit_token, now, reverts_with, shown_fee

OTHER_CHAIN = 1  # mainnet: any id but the test chain's


@pytest.fixture
def twin_token(registry, admin, issuer, auditor, pauser, enforcer):
    """A second DepositToken with the same name, symbol and currency as dCNY: its EIP-712 domain differs from
    dCNY's only in the verifying contract."""
    return deposit_token("dCNY", registry, admin, issuer, auditor, pauser, enforcer)


# --- EIP-2612 permit ---------------------------------------------------------------------------------------------


def _permit_args(token, owner, spender, value=50_00):
    return (owner, spender, value, chain.time() + HOUR)


def test_permit_replayed_on_a_token_with_the_same_name_reverts(funded, twin_token, chain_id, alice, carol):
    assert twin_token.name() == funded.name() and twin_token.nonces(alice) == funded.nonces(alice)
    args = _permit_args(funded, alice, carol)
    signature = sign_permit(alice.private_key, funded, chain_id, *args[:3], funded.nonces(alice), args[3])
    with reverts_with("ERC2612InvalidSigner"):
        twin_token.permit(*args, *signature.as_args(), {"from": carol})
    assert twin_token.allowance(alice, carol) == 0 and twin_token.nonces(alice) == 0
    funded.permit(*args, *signature.as_args(), {"from": carol})
    assert funded.allowance(alice, carol) == args[2]


def test_permit_signed_for_another_chain_reverts(funded, alice, carol):
    args = _permit_args(funded, alice, carol)
    signature = sign_permit(alice.private_key, funded, OTHER_CHAIN, *args[:3], funded.nonces(alice), args[3])
    with reverts_with("ERC2612InvalidSigner"):
        funded.permit(*args, *signature.as_args(), {"from": carol})
    assert funded.allowance(alice, carol) == 0 and funded.nonces(alice) == 0


# --- EIP-3009 inside a payment intent -----------------------------------------------------------------------------


def _signed_intent(settlement, token, chain_id, payer, intent, signed_chain_id=None, signed_token=None):
    """The payer's ReceiveWithAuthorization for authorizing `intent` at `settlement`, as the QR flow makes it."""
    signed_chain_id = chain_id if signed_chain_id is None else signed_chain_id
    pid = payment_id(signed_chain_id, settlement, intent, payer)
    after, before = chain.time() - 10, chain.time() + HOUR
    signature = sign_authorization(
        payer.private_key,
        signed_token or token,
        signed_chain_id,
        payer,
        settlement,
        intent.amount,
        after,
        before,
        authorization_nonce(pid, capture=False),
        receive=True,
    )
    return pid, (intent.as_tuple(), payer, after, before, *signature.as_args())


@pytest.fixture
def other_settlement(registry, admin, kyc_officer, token, network_fee, acquirer, issuer_bank, payout, operator):
    """A second MerchantSettlement deployment with the same merchant, token and acquirer."""
    roles = Roles(
        kyc_officer=kyc_officer, acquirer=acquirer, network_fee_account=network_fee, cny_interchange=issuer_bank
    )
    other = deploy(admin, roles, [SETTLEMENT], known={REGISTRY: registry, "dCNY": token}).settlement
    other.registerMerchant(MERCHANT, payout, operator, MDR_BPS, {"from": acquirer})
    return other


def test_intent_authorization_replayed_on_another_settlement_deployment_reverts(
    settlement, other_settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(42_00)
    pid, args = _signed_intent(settlement, token, chain_id, alice, intent)
    before = (token.balanceOf(alice), token.balanceOf(other_settlement))
    with reverts_with("ERC3009InvalidSignature"):
        other_settlement.authorizeWithAuthorization(*args, {"from": relayer})
    assert (token.balanceOf(alice), token.balanceOf(other_settlement)) == before
    assert (
        other_settlement.paymentOf(payment_id(chain_id, other_settlement, intent, alice))["status"]
        == PaymentStatus.NONE
    )
    settlement.authorizeWithAuthorization(*args, {"from": relayer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED


def test_intent_authorization_signed_for_another_chain_reverts(
    settlement, token, funded, merchant, alice, relayer, make_intent, chain_id
):
    intent = make_intent(42_00)
    pid, args = _signed_intent(settlement, token, chain_id, alice, intent, signed_chain_id=OTHER_CHAIN)
    before = token.balanceOf(alice)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(*args, {"from": relayer})
    assert token.balanceOf(alice) == before
    assert not token.authorizationState(
        alice, authorization_nonce(payment_id(chain_id, settlement, intent, alice), False)
    )


def test_intent_authorization_signed_on_another_token_reverts(
    settlement,
    admin,
    issuer,
    auditor,
    issuer_bank,
    token,
    funded,
    twin_token,
    merchant,
    alice,
    relayer,
    make_intent,
    chain_id,
):
    # Both tokens accepted and alice holding both: the authorisation signed in dCNY's domain is presented for an
    # intent in the twin token (same name, same nonce, same amount).
    settlement.setToken(twin_token, issuer_bank, True, {"from": admin})
    twin_token.setIssuerAllowance(issuer, 1_000_00, {"from": admin})
    twin_token.attestReserves(1_000_00, bytes32("report"), {"from": auditor})
    twin_token.mint(alice, 100_00, bytes32("deposit-alice"), {"from": issuer})
    intent = make_intent(42_00, token_=twin_token)
    _, args = _signed_intent(settlement, twin_token, chain_id, alice, intent, signed_token=token)
    with reverts_with("ERC3009InvalidSignature"):
        settlement.authorizeWithAuthorization(*args, {"from": relayer})
    assert settlement.paymentOf(payment_id(chain_id, settlement, intent, alice))["status"] == PaymentStatus.NONE
    assert twin_token.balanceOf(alice) == 100_00


# --- FX quotes ------------------------------------------------------------------------------------------------------


def test_a_quote_used_on_one_escrow_reverts_on_another_deployment(
    market, make_quote, registry, admin, fee_account, kyc_officer, liquidity_provider, cny, hkd, sender, beneficiary
):
    # The other escrow accepts the same tokens and the same LP: only the signature's domain stands in the way.
    roles = Roles(kyc_officer=kyc_officer, liquidity_provider=liquidity_provider, escrow_fee_account=fee_account)
    known = {REGISTRY: registry, "dCNY": cny, "dHKD": hkd}
    other = deploy(admin, roles, [ESCROW], Fees(escrow_fee_bps=0), known=known).escrow
    cny.approve(other, cny.balanceOf(sender), {"from": sender})
    quote, signature = make_quote(escrow=market)
    market.initiate(
        quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
    )
    before = (cny.balanceOf(sender), cny.balanceOf(other))
    with reverts_with("EscrowInvalidSignature"):
        other.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    assert (cny.balanceOf(sender), cny.balanceOf(other)) == before
    assert other.transferOf(fx.transfer_id(liquidity_provider, quote.quote_id))["status"] == TransferStatus.NONE


def test_quote_signed_for_another_chain_reverts(market, make_quote, cny, sender, beneficiary, liquidity_provider):
    quote, signature = make_quote(escrow=market, sign_chain_id=OTHER_CHAIN)
    before = cny.balanceOf(sender)
    with reverts_with("EscrowInvalidSignature"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    assert cny.balanceOf(sender) == before


def test_quote_moved_to_another_source_token_reverts(market, make_quote, twin_token, cny, sender, beneficiary):
    # The LP priced dCNY; the same signature presented for a token with the same name and currency is worthless.
    quote, signature = make_quote(escrow=market)
    moved = quote.replace(source_token=str(twin_token))
    before = cny.balanceOf(sender)
    with reverts_with("EscrowInvalidSignature"):
        market.initiate(
            moved.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(moved), {"from": sender}
        )
    assert cny.balanceOf(sender) == before
