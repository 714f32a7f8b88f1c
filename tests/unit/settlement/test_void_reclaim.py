"""void (operator or acquirer) and reclaim (payer, from the authorization expiry on) return the uncaptured remainder."""

from brownie import chain

from crosspay.core.status import PaymentStatus
from helpers import AUTH_PERIOD, assert_reverted_with, at_time, reverts_with


def test_void_returns_the_remainder_to_the_payer(settlement, token, operator, payer, authorize):
    pid = authorize(100_00)
    settlement.capture(pid, 30_00, {"from": operator})
    before = token.balanceOf(payer)
    tx = settlement.void(pid, {"from": operator})
    assert token.balanceOf(payer) == before + 70_00
    assert token.balanceOf(settlement) == 30_00
    assert tx.events["PaymentVoided"]["amount"] == 70_00
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["authorized"], payment["captured"]) == (PaymentStatus.VOIDED, 100_00, 30_00)


def test_acquirer_may_void(settlement, acquirer, authorize):
    pid = authorize()
    settlement.void(pid, {"from": acquirer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.VOIDED


def test_void_by_anyone_else_reverts(settlement, payer, admin, acquirer_2, settler, rando, authorize):
    pid = authorize()
    for caller in (payer, admin, acquirer_2, settler, rando):
        with reverts_with("SettlementUnauthorizedCaller"):
            settlement.void(pid, {"from": caller})


def test_void_twice_or_after_full_capture_or_reclaim_reverts(settlement, operator, payer, authorize):
    voided, captured, reclaimed = authorize(), authorize(), authorize()
    settlement.void(voided, {"from": operator})
    settlement.capture(captured, 100_00, {"from": operator})
    chain.sleep(AUTH_PERIOD + 1)
    settlement.reclaim(reclaimed, {"from": payer})
    for pid in (voided, captured, reclaimed):
        with reverts_with("SettlementUnexpectedStatus"):
            settlement.void(pid, {"from": operator})
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.void(b"\x09" * 32, {"from": operator})


def test_void_after_expiry_is_allowed(settlement, operator, authorize):
    pid = authorize()
    chain.sleep(AUTH_PERIOD + 10)
    settlement.void(pid, {"from": operator})


def test_reclaim_one_second_before_expiry_reverts_and_at_expiry_succeeds(settlement, token, payer, authorize):
    pid = authorize(100_00)
    expiry = settlement.paymentOf(pid)["authorizationExpiry"]
    early = at_time(expiry - 1, settlement.reclaim, pid, params={"from": payer})
    assert_reverted_with(early, "SettlementAuthorizationNotExpired")
    before = token.balanceOf(payer)
    on_time = at_time(expiry, settlement.reclaim, pid, params={"from": payer})
    assert on_time.status == 1
    assert token.balanceOf(payer) == before + 100_00
    assert on_time.events["PaymentReclaimed"]["amount"] == 100_00
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.RECLAIMED


def test_reclaim_returns_only_the_uncaptured_remainder(settlement, token, operator, payer, authorize):
    pid = authorize(100_00)
    settlement.capture(pid, 25_00, {"from": operator})
    chain.sleep(AUTH_PERIOD)
    before = token.balanceOf(payer)
    settlement.reclaim(pid, {"from": payer})
    assert token.balanceOf(payer) == before + 75_00


def test_only_the_payer_reclaims(settlement, operator, acquirer, admin, bob, authorize):
    pid = authorize()
    chain.sleep(AUTH_PERIOD)
    for caller in (operator, acquirer, admin, bob):
        with reverts_with("SettlementUnauthorizedCaller"):
            settlement.reclaim(pid, {"from": caller})


def test_reclaim_after_void_or_twice_reverts(settlement, operator, payer, authorize):
    voided, reclaimed = authorize(), authorize()
    settlement.void(voided, {"from": operator})
    chain.sleep(AUTH_PERIOD)
    settlement.reclaim(reclaimed, {"from": payer})
    for pid in (voided, reclaimed):
        with reverts_with("SettlementUnexpectedStatus"):
            settlement.reclaim(pid, {"from": payer})
