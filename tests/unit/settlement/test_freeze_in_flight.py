"""MerchantSettlement, issue 9 rule 1: a freeze reaches money in flight.

An uncaptured authorization is its payer's money. A payer that cannot transact (frozen, unverified or with its KYC
expired) stops its capture; whatever goes back to such a payer (void, reclaim, refund) is held in the settlement for
it, withdrawn once it can transact again or seized by the token's ENFORCEMENT_ROLE; an operator or acquirer that cannot
transact can neither capture, void, refund nor toggle a merchant.
"""

import pytest
from brownie import chain

from crosspay.core.status import PaymentStatus
from helpers import AUTH_PERIOD, UNABLE, bytes32, reverts_with, split


def books(settlement, token, merchant, *accounts):
    """Everything that could move: the settlement's balance, the merchant's pending amount, each account's balance and
    what is held for it."""
    return [token.balanceOf(settlement), settlement.pendingSettlement(merchant, token)] + [
        (token.balanceOf(a), settlement.heldBalance(a, token)) for a in accounts
    ]


# --- a payer that cannot transact ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", UNABLE)
def test_capturing_an_authorization_whose_payer_cannot_transact_reverts(
    settlement, token, merchant, operator, payer, make_unable, authorize, how
):
    pid = authorize(100_00)
    settlement.capture(pid, 30_00, {"from": operator})
    make_unable(payer, how)
    before = books(settlement, token, merchant, payer)
    with reverts_with(f"SettlementPayerCannotTransact: .*, {payer.address.lower()}"):
        settlement.capture(pid, 10_00, {"from": operator})
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["captured"]) == (PaymentStatus.AUTHORIZED, 30_00)
    assert books(settlement, token, merchant, payer) == before


def test_an_acquirer_cannot_capture_a_frozen_payers_authorization_either(
    settlement, merchant, acquirer, payer, make_unable, authorize
):
    pid = authorize(100_00)
    make_unable(payer, "frozen")
    with reverts_with("SettlementPayerCannotTransact"):
        settlement.capture(pid, 100_00, {"from": acquirer})


@pytest.mark.parametrize("how", UNABLE)
def test_a_void_for_a_payer_that_cannot_transact_succeeds_and_the_remainder_is_held(
    settlement, token, merchant, operator, payer, make_unable, authorize, how
):
    pid = authorize(100_00)
    settlement.capture(pid, 30_00, {"from": operator})
    make_unable(payer, how)
    before = token.balanceOf(payer)
    tx = settlement.void(pid, {"from": operator})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.VOIDED
    assert token.balanceOf(payer) == before
    assert settlement.heldBalance(payer, token) == 70_00
    assert tx.events["FundsHeld"] == {"account": payer, "token": token, "amount": 70_00}
    assert tx.events["PaymentVoided"]["amount"] == 70_00
    assert "Transfer" not in tx.events
    assert token.balanceOf(settlement) == 70_00 + 30_00  # held + captured (pending and fees)


@pytest.mark.parametrize("how", UNABLE)
def test_a_reclaim_by_a_payer_that_cannot_transact_succeeds_and_the_remainder_is_held(
    settlement, token, payer, make_unable, authorize, how
):
    pid = authorize(100_00)
    chain.sleep(AUTH_PERIOD + 1)
    make_unable(payer, how)
    before = token.balanceOf(payer)
    tx = settlement.reclaim(pid, {"from": payer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.RECLAIMED
    assert token.balanceOf(payer) == before
    assert settlement.heldBalance(payer, token) == 100_00
    assert tx.events["FundsHeld"]["amount"] == 100_00


@pytest.mark.parametrize("how", UNABLE)
def test_a_refund_to_a_payer_that_cannot_transact_succeeds_and_is_held(
    settlement, token, merchant, operator, payer, make_unable, charge, how
):
    pid = charge(100_00)
    make_unable(payer, how)
    before = token.balanceOf(payer)
    tx = settlement.refund(pid, 40_00, {"from": operator})
    assert settlement.paymentOf(pid)["refunded"] == 40_00
    assert settlement.pendingSettlement(merchant, token) == split(100_00).merchant - 40_00
    assert token.balanceOf(payer) == before
    assert settlement.heldBalance(payer, token) == 40_00
    assert tx.events["FundsHeld"]["amount"] == 40_00


def test_money_owed_back_to_a_payer_that_can_transact_is_paid_not_held(
    settlement, token, operator, payer, authorize, charge
):
    voided, refunded = authorize(100_00), charge(50_00)
    before = token.balanceOf(payer)
    void = settlement.void(voided, {"from": operator})
    refund = settlement.refund(refunded, 20_00, {"from": operator})
    assert token.balanceOf(payer) == before + 100_00 + 20_00
    assert settlement.heldBalance(payer, token) == 0
    assert "FundsHeld" not in void.events and "FundsHeld" not in refund.events


@pytest.mark.parametrize("how", UNABLE)
def test_the_payer_withdraws_what_is_held_for_it_once_it_can_transact_again(
    settlement, token, operator, payer, make_unable, make_able, authorize, how
):
    pid = authorize(100_00)
    make_unable(payer, how)
    settlement.void(pid, {"from": operator})
    with reverts_with("HeldFundsCannotTransact"):
        settlement.withdrawHeld(token, {"from": payer})
    make_able(payer)
    before = token.balanceOf(payer)
    tx = settlement.withdrawHeld(token, {"from": payer})
    assert token.balanceOf(payer) == before + 100_00
    assert settlement.heldBalance(payer, token) == 0
    assert tx.events["HeldFundsWithdrawn"] == {"account": payer, "token": token, "amount": 100_00}
    with reverts_with("HeldFundsNothingHeld"):
        settlement.withdrawHeld(token, {"from": payer})


def test_the_tokens_enforcement_role_seizes_what_is_held_for_a_frozen_payer(
    settlement, token, operator, payer, enforcer, rando, verify, make_unable, authorize
):
    pid = authorize(100_00)
    make_unable(payer, "frozen")
    settlement.void(pid, {"from": operator})
    custody = rando  # the bank's custody account for seized funds: it must be able to receive
    verify(custody)
    with reverts_with("HeldFundsNotEnforcer"):
        settlement.seizeHeld(payer, token, custody, 100_00, bytes32("order-1"), {"from": operator})
    with reverts_with("HeldFundsExceedsHeld"):
        settlement.seizeHeld(payer, token, custody, 100_01, bytes32("order-1"), {"from": enforcer})
    before = (token.balanceOf(custody), token.balanceOf(settlement))
    tx = settlement.seizeHeld(payer, token, custody, 100_00, bytes32("order-1"), {"from": enforcer})
    assert (token.balanceOf(custody), token.balanceOf(settlement)) == (before[0] + 100_00, before[1] - 100_00)
    assert settlement.heldBalance(payer, token) == 0
    event = tx.events["HeldFundsSeized"]
    assert (event["account"], event["to"], event["amount"], event["officer"]) == (payer, custody, 100_00, enforcer)
    assert event["legalRef"] == "0x" + bytes32("order-1").hex()


def test_held_funds_of_a_payer_that_is_unverified_but_not_frozen_cannot_be_seized(
    settlement, token, operator, payer, enforcer, rando, verify, make_unable, authorize
):
    pid = authorize(100_00)
    make_unable(payer, "unverified")
    settlement.void(pid, {"from": operator})
    verify(rando)
    with reverts_with("HeldFundsAccountNotFrozen"):
        settlement.seizeHeld(payer, token, rando, 100_00, bytes32("order-1"), {"from": enforcer})


# --- an operator or acquirer that cannot transact -------------------------------------------------------------------


@pytest.mark.parametrize("how", UNABLE)
def test_an_operator_that_cannot_transact_can_neither_capture_void_nor_refund(
    settlement, token, merchant, operator, payer, make_unable, authorize, charge, how
):
    authorized, charged = authorize(100_00), charge(50_00)
    make_unable(operator, how)
    before = books(settlement, token, merchant, payer)
    error = f"SettlementCannotTransact: {operator.address.lower()}"
    with reverts_with(error):
        settlement.capture(authorized, 10_00, {"from": operator})
    with reverts_with(error):
        settlement.void(authorized, {"from": operator})
    with reverts_with(error):
        settlement.refund(charged, 10_00, {"from": operator})
    assert books(settlement, token, merchant, payer) == before
    assert settlement.paymentOf(authorized)["status"] == PaymentStatus.AUTHORIZED


@pytest.mark.parametrize("how", UNABLE)
def test_an_acquirer_that_cannot_transact_can_neither_capture_void_refund_nor_toggle_a_merchant(
    settlement, token, merchant, acquirer, payer, make_unable, authorize, charge, how
):
    authorized, charged = authorize(100_00), charge(50_00)
    make_unable(acquirer, how)
    error = f"SettlementCannotTransact: {acquirer.address.lower()}"
    with reverts_with(error):
        settlement.capture(authorized, 10_00, {"from": acquirer})
    with reverts_with(error):
        settlement.void(authorized, {"from": acquirer})
    with reverts_with(error):
        settlement.refund(charged, 10_00, {"from": acquirer})
    with reverts_with(error):
        settlement.setMerchantActive(merchant, False, {"from": acquirer})
    assert settlement.merchantOf(merchant)["active"] is True
