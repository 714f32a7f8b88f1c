"""Capture, void and reclaim of a cross-currency authorization (issue 11 §2): captures (in the merchant's dHKD) convert
at the locked quote, the LP credited floor(C * S / T) of dCNY for a cumulative capture C, as differences; a void or
reclaim releases both uncaptured legs; on each leg the captures plus the release equal what was locked; an LP or a
payer that cannot transact stops a capture, and what is owed back to it is held."""

import pytest
from brownie import ZERO_ADDRESS, chain

from crosspay.core import crosscurrency
from crosspay.core.status import PaymentStatus
from fixtures.crosscurrency import LP_FLOAT, locked_legs
from helpers import AUTH_PERIOD, UNABLE, bytes32, reverts_with, split


def test_each_capture_credits_the_lp_the_difference_of_the_cumulative_source_owed(
    xsettlement, cny, hkd, merchant, operator, liquidity_provider, pay_x
):
    pid, _, quote = pay_x(1_000_00)
    legs = crosscurrency.Legs(quote.source_amount, 1_000_00)
    captured, credited = 0, 0
    for amount in (333_33, 1_11, 57, 100_00):
        tx = xsettlement.capture(pid, amount, {"from": operator})
        converted = legs.capture(captured, amount)
        captured += amount
        credited += converted
        assert tx.events["PaymentConverted"] == {"paymentId": "0x" + pid.hex(), "sourceAmount": converted}
        assert xsettlement.heldBalance(liquidity_provider, cny) == credited == legs.owed(captured)
        locked = (cny.address, quote.source_amount - credited, liquidity_provider.address, 1_000_00 - captured)
        assert locked_legs(xsettlement, pid) == locked
    # The merchant's side is any capture's: dHKD with the four-party split of the cumulative amount (issue 9).
    assert xsettlement.pendingSettlement(merchant, hkd) == split(captured).merchant


def test_captures_plus_a_void_return_exactly_what_was_locked_on_both_legs(
    xsettlement, cny, hkd, payer, operator, liquidity_provider, pay_x
):
    payer_before = cny.balanceOf(payer)
    pid, _, quote = pay_x(777_77)
    for amount in (123_45, 67_89, 1):
        xsettlement.capture(pid, amount, {"from": operator})
    tx = xsettlement.void(pid, {"from": operator})
    captured = 123_45 + 67_89 + 1
    source_back, target_back = crosscurrency.Legs(quote.source_amount, 777_77).remainder(captured)
    released = {"paymentId": "0x" + pid.hex(), "sourceAmount": source_back, "targetAmount": target_back}
    assert tx.events["LegsReleased"] == released
    assert tx.events["PaymentVoided"]["amount"] == target_back  # in the payment's token, as for any payment
    # Leg A: the payer paid the source amount; the LP was credited the converted part; the payer got the rest back.
    assert xsettlement.heldBalance(liquidity_provider, cny) + source_back == quote.source_amount
    assert cny.balanceOf(payer) == payer_before - quote.source_amount + source_back
    # Leg B: the captures went to the merchant; the rest went back to the LP's float.
    assert xsettlement.heldBalance(liquidity_provider, hkd) == LP_FLOAT - captured
    assert target_back == 777_77 - captured
    assert locked_legs(xsettlement, pid) == (cny.address, 0, ZERO_ADDRESS, 0)
    assert cny.balanceOf(xsettlement) == xsettlement.heldBalance(liquidity_provider, cny)


def test_the_rounding_unit_stays_with_the_payer(xsettlement, cny, payer, operator, liquidity_provider, pay_x):
    # 3 fen of dHKD for 2 fen of dCNY: a capture of 1 fen owes the LP 2/3 fen, floored to 0.
    pid, _, _ = pay_x(3, source_amount=2)
    xsettlement.capture(pid, 1, {"from": operator})
    assert xsettlement.heldBalance(liquidity_provider, cny) == 0
    before = cny.balanceOf(payer)
    xsettlement.void(pid, {"from": operator})
    assert cny.balanceOf(payer) == before + 2  # the payer keeps the fraction: its whole source amount back


def test_the_last_capture_converts_the_whole_source_amount_and_closes_the_second_leg(
    xsettlement, cny, operator, liquidity_provider, pay_x
):
    pid, _, quote = pay_x(250_00)
    xsettlement.capture(pid, 99_99, {"from": operator})
    xsettlement.capture(pid, 250_00 - 99_99, {"from": operator})
    assert xsettlement.heldBalance(liquidity_provider, cny) == quote.source_amount
    assert xsettlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED
    assert locked_legs(xsettlement, pid) == (cny.address, 0, ZERO_ADDRESS, 0)
    with reverts_with("SettlementUnexpectedStatus"):
        xsettlement.void(pid, {"from": operator})


def test_reclaim_after_the_expiry_releases_both_legs(xsettlement, cny, hkd, payer, operator, liquidity_provider, pay_x):
    pid, _, quote = pay_x(100_00)
    xsettlement.capture(pid, 40_00, {"from": operator})
    chain.sleep(AUTH_PERIOD + 1)
    before = cny.balanceOf(payer)
    tx = xsettlement.reclaim(pid, {"from": payer})
    source_back, target_back = crosscurrency.Legs(quote.source_amount, 100_00).remainder(40_00)
    assert cny.balanceOf(payer) == before + source_back
    assert xsettlement.heldBalance(liquidity_provider, hkd) == LP_FLOAT - 40_00
    assert tx.events["LegsReleased"]["targetAmount"] == target_back == 60_00
    assert xsettlement.paymentOf(pid)["status"] == PaymentStatus.RECLAIMED


@pytest.mark.parametrize("how", UNABLE)
@pytest.mark.parametrize(
    "owner,error",
    [("liquidity_provider", "SettlementProviderCannotTransact"), ("payer", "SettlementPayerCannotTransact")],
)
def test_a_leg_whose_owner_cannot_transact_is_not_captured_and_a_void_returns_both_legs(
    xsettlement, cny, hkd, payer, operator, liquidity_provider, make_unable, how, owner, error, pay_x
):
    pid, _, quote = pay_x(100_00)
    stopped = {"liquidity_provider": liquidity_provider, "payer": payer}[owner]
    make_unable(stopped, how)
    with reverts_with(error):
        xsettlement.capture(pid, 10_00, {"from": operator})
    before = cny.balanceOf(payer)
    tx = xsettlement.void(pid, {"from": operator})
    # The LP's dHKD goes back to its balance here either way; the payer's dCNY is paid, or held if it cannot transact.
    assert xsettlement.heldBalance(liquidity_provider, hkd) == LP_FLOAT
    paid = 0 if stopped == payer else quote.source_amount
    assert cny.balanceOf(payer) == before + paid
    assert xsettlement.heldBalance(payer, cny) == quote.source_amount - paid
    assert ("FundsHeld" in tx.events) == (stopped == payer)
    with reverts_with("HeldFundsCannotTransact"):  # never sent to an account that cannot transact
        xsettlement.withdrawHeld(hkd if stopped == liquidity_provider else cny, {"from": stopped})


def test_a_frozen_lps_balance_can_be_seized_and_nothing_else_moves_it(
    xsettlement, registry, enforcer, cny, custody, verify, operator, liquidity_provider, pay_x
):
    verify(custody)
    pid, _, quote = pay_x(100_00)
    xsettlement.capture(pid, 100_00, {"from": operator})
    registry.freeze(liquidity_provider, bytes32("case-lp"), {"from": enforcer})
    with reverts_with("HeldFundsCannotTransact"):
        xsettlement.withdrawHeld(cny, {"from": liquidity_provider})
    xsettlement.seizeHeld(liquidity_provider, cny, custody, quote.source_amount, bytes32("court"), {"from": enforcer})
    assert cny.balanceOf(custody) == quote.source_amount


def test_a_cross_currency_payment_is_never_refunded_in_the_merchants_token(xsettlement, operator, pay_x):
    pid, _, _ = pay_x(100_00, capture=True)
    with reverts_with("SettlementRefundNeedsQuote"):
        xsettlement.refund(pid, 10_00, {"from": operator})
