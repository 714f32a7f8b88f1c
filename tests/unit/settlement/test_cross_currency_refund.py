"""Refund of a cross-currency payment at a refund quote (issue 11 §2): paid to the payer in its dCNY at the rate an
allowed LP signs at refund time; the dHKD refunded comes out of the merchant's pending settlement and goes to that LP;
refunds never exceed what was captured, in dHKD; a refund quote prices one refund, once; the payer bears the FX move."""

import pytest
from brownie import chain

from crosspay.core import fx
from fixtures.crosscurrency import REFUND_RATE
from helpers import REFUND_PERIOD, UNABLE, reverts_with


def test_a_refund_pays_the_payer_in_its_token_at_the_refund_quote(
    xsettlement, cny, hkd, payer, operator, merchant, liquidity_provider, pay_x, refund_quote_for
):
    pid, _, _ = pay_x(128_00, capture=True)
    pending, lp_cny, lp_hkd = (
        xsettlement.pendingSettlement(merchant, hkd),
        xsettlement.heldBalance(liquidity_provider, cny),
        xsettlement.heldBalance(liquidity_provider, hkd),
    )
    before = cny.balanceOf(payer)
    quote, signature = refund_quote_for(pid, 28_00)
    tx = xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    paid = fx.target_for_source(28_00, REFUND_RATE)
    assert quote.target_amount == paid == 25_74  # 2,800 x 0.9190 = 2,573.2 fen, rounded up: the payer's favour
    assert cny.balanceOf(payer) == before + paid
    assert xsettlement.heldBalance(liquidity_provider, cny) == lp_cny - paid  # the LP paid from its balance
    assert xsettlement.heldBalance(liquidity_provider, hkd) == lp_hkd + 28_00  # and received the dHKD refunded
    assert xsettlement.pendingSettlement(merchant, hkd) == pending - 28_00
    assert xsettlement.paymentOf(pid)["refunded"] == 28_00
    assert tx.events["PaymentRefunded"]["amount"] == 28_00
    converted = {"paymentId": "0x" + pid.hex(), "provider": liquidity_provider, "sourceAmount": paid}
    assert tx.events["RefundConverted"] == converted


def test_the_payer_bears_the_fx_move_between_payment_and_refund(xsettlement, cny, payer, operator, pay_x,
                                                                refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    before = cny.balanceOf(payer)
    refund, signature = refund_quote_for(pid, 90_00, rate="0.9000")  # the yuan firmed: 1 HKD buys fewer CNY
    xsettlement.refundCrossCurrency(pid, refund.as_tuple(), signature, {"from": operator})
    # 90.00 HKD cost her 82.98 dCNY at the payment's 1.0845; refunded at the day's 0.9000 they bring back 81.00.
    assert cny.balanceOf(payer) - before == 81_00 < fx.source_for_target(90_00, "1.0845") == 82_98


def test_a_refund_the_lps_balance_cannot_pay_is_refused(
    xsettlement, cny, operator, liquidity_provider, pay_x, refund_quote_for
):
    pid, _, _ = pay_x(100_00, capture=True)
    xsettlement.withdrawHeld(cny, {"from": liquidity_provider})
    quote, signature = refund_quote_for(pid, 50_00)
    with reverts_with("SettlementProviderBalanceShort"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    xsettlement.depositLiquidity(cny, quote.target_amount, {"from": liquidity_provider})
    xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    assert xsettlement.heldBalance(liquidity_provider, cny) == 0


def test_refunds_never_exceed_what_was_captured_in_the_merchants_token(xsettlement, operator, pay_x,
                                                                       refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00)
    xsettlement.capture(pid, 60_00, {"from": operator})
    xsettlement.void(pid, {"from": operator})
    quote, signature = refund_quote_for(pid, 60_01)
    with reverts_with("SettlementRefundExceedsCaptured"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    quote, signature = refund_quote_for(pid, 45_00)
    xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    quote, signature = refund_quote_for(pid, 15_01)
    with reverts_with("SettlementRefundExceedsCaptured"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})


def test_a_refund_quote_prices_one_refund_once(xsettlement, operator, pay_x, refund_quote_for):
    pid, _, _ = pay_x(100_00, capture=True)
    other, _, _ = pay_x(100_00, capture=True)
    quote, signature = refund_quote_for(pid, 10_00)
    xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    with reverts_with("SettlementQuoteNotForPayment"):  # used: the payment's refunded amount moved on
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    fresh, fresh_signature = refund_quote_for(pid, 10_00)
    with reverts_with("SettlementQuoteNotForPayment"):  # another payment's
        xsettlement.refundCrossCurrency(other, fresh.as_tuple(), fresh_signature, {"from": operator})
    xsettlement.refundCrossCurrency(pid, fresh.as_tuple(), fresh_signature, {"from": operator})


def test_a_refund_quote_converts_the_payments_token_into_the_payers(xsettlement, cny, hkd, operator, pay_x,
                                                                    refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    for changes in ({"source_token": cny.address}, {"target_token": hkd.address}):
        quote, signature = refund_quote_for(pid, 10_00, **changes)
        with reverts_with("SettlementQuoteTokensMismatch"):
            xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})


def test_a_refund_quote_must_be_signed_by_an_allowed_lp_before_it_expires(xsettlement, operator, bob, pay_x,
                                                                          refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    quote, signature = refund_quote_for(pid, 10_00, signer=bob.private_key)
    with reverts_with("SettlementInvalidQuoteSignature"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    quote, signature = refund_quote_for(pid, 10_00, signer=bob.private_key, liquidity_provider=bob.address)
    with reverts_with("SettlementNotLiquidityProvider"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    quote, signature = refund_quote_for(pid, 10_00)
    chain.sleep(2 * 3600)
    with reverts_with("SettlementQuoteExpired"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})


@pytest.mark.parametrize("how", UNABLE)
def test_a_refund_to_a_payer_that_cannot_transact_is_held_for_it(xsettlement, cny, payer, operator, make_unable, how,
                                                                 pay_x, refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    make_unable(payer, how)
    before = cny.balanceOf(payer)
    quote, signature = refund_quote_for(pid, 50_00)
    tx = xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    assert cny.balanceOf(payer) == before
    assert xsettlement.heldBalance(payer, cny) == quote.target_amount
    assert tx.events["FundsHeld"]["amount"] == quote.target_amount


@pytest.mark.parametrize("how", UNABLE)
def test_an_lp_that_cannot_transact_converts_no_refund(xsettlement, operator, liquidity_provider, make_unable, how,
                                                       pay_x, refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    quote, signature = refund_quote_for(pid, 10_00)
    make_unable(liquidity_provider, how)
    with reverts_with("SettlementProviderCannotTransact"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})


def test_only_the_operator_or_acquirer_refunds_before_the_deadline(xsettlement, acquirer, payer, rando, pay_x,
                                                                   refund_quote_for):  # fmt: skip
    pid, _, _ = pay_x(100_00, capture=True)
    quote, signature = refund_quote_for(pid, 10_00)
    for caller in (payer, rando):
        with reverts_with("SettlementUnauthorizedCaller"):
            xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": caller})
    xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": acquirer})
    chain.sleep(REFUND_PERIOD)
    quote, signature = refund_quote_for(pid, 10_00)
    with reverts_with("SettlementRefundPeriodOver"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": acquirer})


def test_a_payment_in_one_currency_has_no_refund_at_a_quote(xsettlement, operator, charge, refund_quote_for):
    pid = charge(100_00)
    quote, signature = refund_quote_for(pid, 10_00)
    with reverts_with("SettlementNotCrossCurrency"):
        xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})


def test_a_refund_of_the_merchants_settled_sales_is_pulled_from_the_caller(
    xsettlement, hkd, merchant, operator, settler, issuer, pay_x, refund_quote_for
):
    pid, _, _ = pay_x(100_00, capture=True)
    xsettlement.settle(hkd, [merchant], {"from": settler})
    hkd.mint(operator, 50_00, b"\x05" * 32, {"from": issuer})
    hkd.approve(xsettlement, 50_00, {"from": operator})
    quote, signature = refund_quote_for(pid, 50_00)
    tx = xsettlement.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
    assert tx.events["PaymentRefunded"]["fromCaller"] == 50_00
    assert hkd.balanceOf(operator) == 0
