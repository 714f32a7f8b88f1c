"""refund: the payer gets exactly the refunded amount, out of the merchant's pending settlement, the shortfall pulled
from the caller; cumulative refunds <= captured; inside the refund period only; fees are not returned."""

import pytest
from brownie import chain

from crosspay.core.status import PaymentStatus
from helpers import REFUND_PERIOD, assert_reverted_with, at_time, reverts_with, split


@pytest.fixture
def float_(token, settlement, issuer, operator, acquirer):
    """The operator and the acquirer hold 1,000.00 dCNY and approved the settlement: they can cover shortfalls."""
    for account in (operator, acquirer):
        token.mint(account, 1_000_00, b"\x05" * 32, {"from": issuer})
        token.approve(settlement, 2**256 - 1, {"from": account})


def test_refund_comes_out_of_pending_settlement(
    settlement, token, merchant, operator, payer, issuer_bank, network_fee, acquirer, charge
):
    pid = charge(200_00)
    parts = split(200_00)
    before = token.balanceOf(payer)
    tx = settlement.refund(pid, 50_00, {"from": operator})
    assert token.balanceOf(payer) == before + 50_00
    assert settlement.pendingSettlement(merchant, token) == parts.merchant - 50_00
    # Fees are not returned.
    assert settlement.feesOwed(issuer_bank, token) == parts.interchange
    assert settlement.feesOwed(network_fee, token) == parts.network
    assert settlement.feesOwed(acquirer, token) == parts.acquirer
    event = tx.events["PaymentRefunded"]
    assert (event["caller"], event["amount"], event["fromCaller"]) == (operator, 50_00, 0)
    assert settlement.paymentOf(pid)["refunded"] == 50_00


def test_shortfall_is_pulled_from_the_caller(settlement, token, merchant, settler, operator, payer, issuer, charge):
    pid = charge(100_00)
    settlement.settle(token, [merchant], {"from": settler})
    pending_left = 0
    token.mint(operator, 100_00, b"\x05" * 32, {"from": issuer})
    token.approve(settlement, 100_00, {"from": operator})
    before_payer, before_operator = token.balanceOf(payer), token.balanceOf(operator)
    tx = settlement.refund(pid, 60_00, {"from": operator})
    assert token.balanceOf(payer) == before_payer + 60_00
    assert token.balanceOf(operator) == before_operator - (60_00 - pending_left)
    assert tx.events["PaymentRefunded"]["fromCaller"] == 60_00
    assert settlement.pendingSettlement(merchant, token) == 0


def test_partly_short_refund_takes_pending_first(
    settlement, token, merchant, operator, acquirer, payer, float_, charge
):
    a, b = charge(100_00), charge(100_00)
    credit = split(100_00).merchant
    settlement.refund(a, credit, {"from": operator})
    settlement.refund(b, 90_00, {"from": operator})
    left = 2 * credit - credit - 90_00
    assert settlement.pendingSettlement(merchant, token) == left
    before = token.balanceOf(acquirer)
    tx = settlement.refund(b, 10_00, {"from": acquirer})
    assert tx.events["PaymentRefunded"]["fromCaller"] == 10_00 - left
    assert token.balanceOf(acquirer) == before - (10_00 - left)
    assert settlement.pendingSettlement(merchant, token) == 0


def test_shortfall_without_allowance_reverts(settlement, token, merchant, settler, operator, charge):
    pid = charge(100_00)
    settlement.settle(token, [merchant], {"from": settler})
    with reverts_with("ERC20InsufficientAllowance"):
        settlement.refund(pid, 1_00, {"from": operator})


def test_refunds_beyond_what_was_captured_revert(settlement, operator, float_, charge, authorize):
    pid = charge(100_00)
    settlement.refund(pid, 60_00, {"from": operator})
    with reverts_with("SettlementRefundExceedsCaptured"):
        settlement.refund(pid, 40_01, {"from": operator})
    settlement.refund(pid, 40_00, {"from": operator})
    with reverts_with("SettlementRefundExceedsCaptured"):
        settlement.refund(pid, 1, {"from": operator})
    partly = authorize(100_00)
    settlement.capture(partly, 30_00, {"from": operator})
    with reverts_with("SettlementRefundExceedsCaptured"):
        settlement.refund(partly, 30_01, {"from": operator})


def test_refund_of_an_uncaptured_authorization_reverts(settlement, operator, authorize):
    pid = authorize()
    with reverts_with("SettlementRefundExceedsCaptured"):
        settlement.refund(pid, 1, {"from": operator})


def test_zero_refund_reverts(settlement, operator, charge):
    pid = charge()
    with reverts_with("SettlementZeroAmount"):
        settlement.refund(pid, 0, {"from": operator})


def test_refund_of_an_unknown_payment_reverts(settlement, operator):
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.refund(b"\x04" * 32, 1, {"from": operator})


def test_only_operator_or_acquirer_refunds(settlement, acquirer, payer, admin, acquirer_2, settler, rando, charge):
    pid = charge()
    settlement.refund(pid, 1_00, {"from": acquirer})
    for caller in (payer, admin, acquirer_2, settler, rando):
        with reverts_with("SettlementUnauthorizedCaller"):
            settlement.refund(pid, 1_00, {"from": caller})


def test_refund_one_second_before_deadline_succeeds_and_at_deadline_reverts(settlement, operator, charge):
    pid = charge(100_00)
    deadline = settlement.refundDeadline(pid)
    tx = at_time(deadline - 1, settlement.refund, pid, 1_00, params={"from": operator})
    assert tx.status == 1
    tx = at_time(deadline, settlement.refund, pid, 1_00, params={"from": operator})
    assert_reverted_with(tx, "SettlementRefundPeriodOver")


def test_refund_period_runs_from_first_capture(settlement, operator, authorize):
    pid = authorize(100_00)
    chain.sleep(24 * 3600)
    tx = settlement.capture(pid, 10_00, {"from": operator})
    assert settlement.refundDeadline(pid) == tx.timestamp + REFUND_PERIOD


def test_refund_period_change_does_not_shorten_existing_payments(settlement, admin, operator, charge):
    pid = charge(100_00)
    settlement.setPeriods(3600, 60, {"from": admin})
    chain.sleep(3600)
    settlement.refund(pid, 1_00, {"from": operator})


def test_voided_payment_refunds_what_was_captured(settlement, operator, token, payer, float_, authorize):
    pid = authorize(100_00)
    settlement.capture(pid, 40_00, {"from": operator})
    settlement.void(pid, {"from": operator})
    before = token.balanceOf(payer)
    settlement.refund(pid, 40_00, {"from": operator})
    assert token.balanceOf(payer) == before + 40_00
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["captured"], payment["refunded"]) == (PaymentStatus.VOIDED, 40_00, 40_00)


def test_refund_keeps_status(settlement, operator, charge):
    pid = charge()
    settlement.refund(pid, 1, {"from": operator})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED
