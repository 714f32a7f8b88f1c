"""Cross-currency charge and authorization (issue 11 §2): the payer's dCNY pays a dHKD intent at an allowed LP's
signed quote, which prices exactly that payment; both legs are held by the settlement from the authorization on; a
quote or a payment is used once."""

import pytest
from brownie import ZERO_ADDRESS
from eth_account import Account

from crosspay.core import fx
from crosspay.core.status import PaymentStatus
from fixtures.crosscurrency import LP_FLOAT, locked_legs
from helpers import AUTH_PERIOD, HOUR, UNABLE, assert_reverted_with, at_time, bytes32, reverts_with, split


def test_a_charge_moves_the_payers_source_amount_to_the_lp_and_the_lps_target_amount_to_the_merchant(
    xsettlement, cny, hkd, payer, liquidity_provider, merchant, issuer_bank, network_fee, acquirer, pay_x
):
    payer_before, lp_hkd_before = cny.balanceOf(payer), xsettlement.heldBalance(liquidity_provider, hkd)
    pid, tx, quote = pay_x(128_00, capture=True)
    parts = split(128_00)
    assert quote.source_amount == fx.source_for_target(128_00, "1.0845") == 118_02
    assert cny.balanceOf(payer) == payer_before - 118_02
    assert xsettlement.heldBalance(liquidity_provider, cny) == 118_02  # the A converted, owed to the LP
    assert xsettlement.heldBalance(liquidity_provider, hkd) == lp_hkd_before - 128_00  # its B, from its float
    assert xsettlement.pendingSettlement(merchant, hkd) == parts.merchant
    assert (
        xsettlement.feesOwed(issuer_bank, hkd),
        xsettlement.feesOwed(network_fee, hkd),
        xsettlement.feesOwed(acquirer, hkd),
    ) == (parts.interchange, parts.network, parts.acquirer)
    payment = xsettlement.paymentOf(pid)
    assert (payment["status"], payment["token"], payment["authorized"], payment["captured"]) == (
        PaymentStatus.CAPTURED,
        hkd,
        128_00,
        128_00,
    )
    assert tx.events["PaymentQuoted"] == {
        "paymentId": "0x" + pid.hex(),
        "provider": liquidity_provider,
        "sourceToken": cny,
        "sourceAmount": 118_02,
    }
    assert tx.events["PaymentCaptured"]["amount"] == 128_00
    assert locked_legs(xsettlement, pid) == (cny.address, 0, ZERO_ADDRESS, 0)  # nothing stays locked


def test_an_authorization_holds_both_legs(xsettlement, cny, hkd, payer, liquidity_provider, merchant, pay_x):
    payer_before = cny.balanceOf(payer)
    pid, tx, quote = pay_x(300_00)
    assert cny.balanceOf(payer) == payer_before - quote.source_amount
    assert xsettlement.heldBalance(liquidity_provider, hkd) == LP_FLOAT - 300_00
    assert xsettlement.heldBalance(liquidity_provider, cny) == 0  # nothing converted yet
    assert locked_legs(xsettlement, pid) == (cny.address, quote.source_amount, liquidity_provider.address, 300_00)
    assert xsettlement.pendingSettlement(merchant, hkd) == 0
    assert cny.balanceOf(xsettlement) == quote.source_amount
    assert xsettlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED


def test_an_lp_delivers_from_its_balance_here_only(xsettlement, hkd, liquidity_provider, payer, hkd_intent, quote_for):
    xsettlement.withdrawHeld(hkd, {"from": liquidity_provider})
    xsettlement.depositLiquidity(hkd, 299_99, {"from": liquidity_provider})
    wallet = hkd.balanceOf(liquidity_provider)
    intent = hkd_intent(300_00)
    quote, signature = quote_for(intent, payer)
    with reverts_with("SettlementProviderBalanceShort"):  # its signed quote commits its balance, never its wallet
        xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    xsettlement.depositLiquidity(hkd, 1, {"from": liquidity_provider})
    xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    assert hkd.balanceOf(liquidity_provider) == wallet - 1
    assert xsettlement.heldBalance(liquidity_provider, hkd) == 0


def test_the_payment_id_is_the_domestic_one_and_the_quote_carries_it(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent(50_00)
    quote, signature = quote_for(intent, payer)
    tx = xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    assert bytes32(tx.return_value) == quote.quote_id == bytes32(xsettlement.paymentId(intent.as_tuple(), payer))


def test_a_quote_not_signed_by_its_provider_is_refused(xsettlement, payer, bob, hkd_intent, quote_for):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer, signer=bob.private_key)
    with reverts_with("SettlementInvalidQuoteSignature"):
        xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_a_quote_signed_for_another_contract_or_chain_is_refused(xsettlement, payer, market, hkd_intent, quote_for):
    intent = hkd_intent()
    for options in (
        {"verifier": market, "domain": fx.ESCROW_DOMAIN},  # the escrow's domain: worthless here
        {"domain": fx.ESCROW_DOMAIN},  # this address, the escrow's name
    ):
        quote, signature = quote_for(intent, payer, **options)
        with reverts_with("SettlementInvalidQuoteSignature"):
            xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_only_a_holder_of_the_liquidity_provider_role_quotes(xsettlement, payer, bob, hkd_intent, quote_for):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer, signer=bob.private_key, liquidity_provider=bob.address)
    with reverts_with("SettlementNotLiquidityProvider"):
        xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_a_quote_prices_one_payment_only(xsettlement, payer, bob, hkd_intent, quote_for):
    intent, other = hkd_intent(), hkd_intent()
    for quote, signature in (
        quote_for(other, payer),  # another intent's quote
        quote_for(intent, bob),  # this intent, paid by someone else
        quote_for(intent, payer, quote_id=b"\x07" * 32),  # any other id
    ):
        with reverts_with("SettlementQuoteNotForPayment"):
            xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_the_quote_must_deliver_the_intents_token_and_amount(xsettlement, payer, cny, hkd_intent, quote_for):
    intent = hkd_intent(100_00)
    quote, signature = quote_for(intent, payer, target_amount=99_99)
    with reverts_with("SettlementQuoteAmountMismatch"):
        xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    for changes in ({"target_token": cny.address}, {"source_token": intent.token}):
        quote, signature = quote_for(intent, payer, **changes)
        with reverts_with("SettlementQuoteTokensMismatch"):
            xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_the_payers_token_must_be_accepted(xsettlement, admin, issuer_bank, cny, payer, hkd_intent, quote_for):
    xsettlement.setToken(cny, issuer_bank, False, {"from": admin})
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    with reverts_with("SettlementTokenNotAccepted"):
        xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_a_source_amount_of_zero_or_beyond_the_record_is_refused(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent()
    for amount, error in ((0, "SettlementZeroAmount"), (2**64, "SettlementAmountTooLarge")):
        quote, signature = quote_for(intent, payer, source_amount=amount)
        with reverts_with(error):
            xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_replaying_a_payment_or_its_quote_is_refused(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    fresh, fresh_signature = quote_for(intent, payer, rate="1.0900")  # a new quote for the same payment
    for method in (xsettlement.authorizeCrossCurrency, xsettlement.chargeCrossCurrency):
        for q, s in ((quote, signature), (fresh, fresh_signature)):
            with reverts_with("SettlementPaymentExists"):
                method(intent.as_tuple(), q.as_tuple(), s, {"from": payer})
    with reverts_with("SettlementPaymentExists"):
        xsettlement.authorize(intent.as_tuple(), {"from": payer})  # nor in one currency


def test_an_expired_quote_is_refused(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent(expires_in=2 * HOUR)
    quote, signature = quote_for(intent, payer, expires_in=60)
    expired = at_time(quote.expires_at, xsettlement.chargeCrossCurrency, intent.as_tuple(), quote.as_tuple(),
                      signature, params={"from": payer})  # fmt: skip
    assert_reverted_with(expired, "SettlementQuoteExpired")


def test_the_quote_must_cover_the_authorizations_expiry(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent(expires_in=HOUR)
    start = intent.expires_at - HOUR // 2
    short, short_signature = quote_for(intent, payer, expires_at=start + AUTH_PERIOD - 1)
    tx = at_time(start, xsettlement.authorizeCrossCurrency, intent.as_tuple(), short.as_tuple(), short_signature,
                 params={"from": payer})  # fmt: skip
    assert_reverted_with(tx, "SettlementQuoteExpiresBeforeAuthorization")
    exact, exact_signature = quote_for(intent, payer, expires_at=start + 1 + AUTH_PERIOD)
    tx = at_time(start + 1, xsettlement.authorizeCrossCurrency, intent.as_tuple(), exact.as_tuple(), exact_signature,
                 params={"from": payer})  # fmt: skip
    assert tx.status == 1
    assert xsettlement.paymentOf(exact.quote_id)["authorizationExpiry"] == exact.expires_at


def test_a_charge_needs_only_a_quote_that_has_not_expired(xsettlement, payer, hkd_intent, quote_for):
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer, expires_in=600)  # far shorter than an authorization
    xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


@pytest.mark.parametrize("how", UNABLE)
def test_an_lp_that_cannot_transact_cannot_lock_its_leg(xsettlement, payer, liquidity_provider, make_unable, how,
                                                        hkd_intent, quote_for):  # fmt: skip
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    make_unable(liquidity_provider, how)
    with reverts_with("SettlementProviderCannotTransact"):
        xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})


def test_the_lp_signs_the_eip712_digest_crosspay_computes(xsettlement, payer, liquidity_provider, hkd_intent,
                                                           quote_for, chain_id):  # fmt: skip
    intent = hkd_intent()
    quote, _ = quote_for(intent, payer)
    digest = fx.quote_digest(quote, chain_id, xsettlement, fx.SETTLEMENT_DOMAIN)
    signed = Account.unsafe_sign_hash(digest, liquidity_provider.private_key)  # the raw digest, no typed-data encoder
    signature = signed.r.to_bytes(32, "big") + signed.s.to_bytes(32, "big") + bytes([signed.v])
    xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
