"""capture: partial and repeated captures up to the authorization, before its expiry, by the operator or the
acquirer only; the four-party split credited exactly (the split of the payment's cumulative captured amount, issue 9:
tests/unit/settlement/test_exact_fee_parts.py has the rule's own tests)."""

from brownie import chain

from crosspay.core.settlement import held_unit
from crosspay.core.status import PaymentStatus
from helpers import (
    AUTH_PERIOD,
    INTERCHANGE_BPS,
    MDR_BPS,
    NETWORK_BPS,
    REFUND_PERIOD,
    assert_reverted_with,
    at_time,
    bytes32,
    reverts_with,
    split,
)


def _ledgers(settlement, token, merchant, issuer_bank, network_fee, acquirer):
    return (
        settlement.pendingSettlement(merchant, token),
        settlement.feesOwed(issuer_bank, token),
        settlement.feesOwed(network_fee, token),
        settlement.feesOwed(acquirer, token),
    )


def test_capture_splits_the_fee_four_ways(
    settlement, token, merchant, operator, issuer_bank, network_fee, acquirer, authorize
):
    pid = authorize(987_65)
    tx = settlement.capture(pid, 987_65, {"from": operator})
    parts = split(987_65)
    assert (parts.fee, parts.interchange, parts.network, parts.acquirer) != (0, 0, 0, 0)
    assert _ledgers(settlement, token, merchant, issuer_bank, network_fee, acquirer) == (
        parts.merchant,
        parts.interchange,
        parts.network,
        parts.acquirer,
    )
    assert parts.merchant + parts.interchange + parts.network + parts.acquirer == 987_65
    assert tx.events["PaymentCaptured"]["amount"] == 987_65
    assert tx.events["PaymentCaptured"]["fee"] == parts.fee
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED
    assert token.balanceOf(settlement) == 987_65  # capture moves no tokens


def test_partial_captures_credit_the_split_of_the_cumulative_captured_amount(
    settlement, token, merchant, operator, acquirer, issuer_bank, network_fee, authorize
):
    pid = authorize(1_000_00)
    captured = 0
    for part in [333_33, 1_11, 57]:
        settlement.capture(pid, part, {"from": operator})
        captured += part
        total = split(captured)
        held = held_unit(captured, MDR_BPS, INTERCHANGE_BPS, NETWORK_BPS)  # the payment is still open
        assert _ledgers(settlement, token, merchant, issuer_bank, network_fee, acquirer) == (
            total.merchant,
            total.interchange,
            total.network,
            total.acquirer - held,
        )
    payment = settlement.paymentOf(pid)
    assert payment["status"] == PaymentStatus.AUTHORIZED and payment["captured"] == captured


def test_acquirer_may_capture(settlement, acquirer, authorize):
    pid = authorize(10_00)
    settlement.capture(pid, 10_00, {"from": acquirer})
    assert settlement.paymentOf(pid)["captured"] == 10_00


def test_capture_by_anyone_else_reverts(settlement, payer, admin, acquirer_2, operator_2, settler, rando, authorize):
    pid = authorize(10_00)
    for caller in (payer, admin, acquirer_2, operator_2, settler, rando):
        with reverts_with("SettlementUnauthorizedCaller"):
            settlement.capture(pid, 1_00, {"from": caller})


def test_capture_by_an_acquirer_that_lost_its_role_reverts(settlement, admin, acquirer, authorize):
    pid = authorize(10_00)
    settlement.revokeRole(settlement.ACQUIRER_ROLE(), acquirer, {"from": admin})
    with reverts_with("SettlementUnauthorizedCaller"):
        settlement.capture(pid, 1_00, {"from": acquirer})


def test_capture_beyond_the_authorization_reverts(settlement, operator, authorize):
    pid = authorize(10_00)
    with reverts_with("SettlementCaptureExceedsAuthorized"):
        settlement.capture(pid, 10_01, {"from": operator})
    settlement.capture(pid, 6_00, {"from": operator})
    with reverts_with("SettlementCaptureExceedsAuthorized"):
        settlement.capture(pid, 4_01, {"from": operator})


def test_zero_capture_reverts(settlement, operator, authorize):
    pid = authorize(10_00)
    with reverts_with("SettlementZeroAmount"):
        settlement.capture(pid, 0, {"from": operator})


def test_capture_of_unknown_payment_reverts(settlement, operator):
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.capture(b"\x01" * 32, 1, {"from": operator})


def test_capturing_a_fully_captured_payment_again_reverts(settlement, operator, authorize):
    pid = authorize(10_00)
    settlement.capture(pid, 10_00, {"from": operator})
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.capture(pid, 1, {"from": operator})


def test_capture_after_void_or_reclaim_reverts(settlement, operator, payer, authorize):
    voided = authorize(10_00)
    settlement.void(voided, {"from": operator})
    reclaimed = authorize(10_00)
    chain.sleep(AUTH_PERIOD + 1)
    settlement.reclaim(reclaimed, {"from": payer})
    for pid in (voided, reclaimed):
        with reverts_with("SettlementUnexpectedStatus"):
            settlement.capture(pid, 1, {"from": operator})


def test_capture_one_second_before_expiry_succeeds_and_at_expiry_reverts(settlement, operator, authorize):
    early, late = authorize(10_00), authorize(10_00)
    tx = at_time(
        settlement.paymentOf(early)["authorizationExpiry"] - 1,
        settlement.capture,
        early,
        1_00,
        params={"from": operator},
    )
    assert tx.status == 1
    tx = at_time(
        settlement.paymentOf(late)["authorizationExpiry"], settlement.capture, late, 1_00, params={"from": operator}
    )
    assert_reverted_with(tx, "SettlementAuthorizationExpired")


def test_first_capture_starts_the_refund_period(settlement, operator, authorize):
    pid = authorize(10_00)
    chain.sleep(3600)
    tx = settlement.capture(pid, 1_00, {"from": operator})
    assert settlement.refundDeadline(pid) == tx.timestamp + REFUND_PERIOD
    chain.sleep(3600)
    settlement.capture(pid, 1_00, {"from": operator})
    assert settlement.refundDeadline(pid) == tx.timestamp + REFUND_PERIOD


def test_capture_uses_the_fee_split_in_force(settlement, admin, token, operator, issuer_bank, network_fee, authorize):
    pid = authorize(500_00)
    settlement.setFeeSplit(5_000, 5_000, {"from": admin})
    settlement.capture(pid, 500_00, {"from": operator})
    parts = split(500_00, interchange_bps=5_000, network_bps=5_000)
    assert settlement.feesOwed(issuer_bank, token) == parts.interchange
    assert settlement.feesOwed(network_fee, token) == parts.network
    assert parts.acquirer == parts.fee - parts.interchange - parts.network


def test_capture_for_an_inactive_merchant_still_works(settlement, merchant, acquirer, operator, authorize):
    pid = authorize(10_00)
    settlement.setMerchantActive(merchant, False, {"from": acquirer})
    settlement.capture(pid, 10_00, {"from": operator})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED


def test_capture_for_an_unaccepted_token_still_works(settlement, admin, token, issuer_bank, operator, authorize):
    pid = authorize(10_00)
    settlement.setToken(token, issuer_bank, False, {"from": admin})
    settlement.capture(pid, 10_00, {"from": operator})


def test_capture_of_frozen_merchant_fee_accounts_does_not_revert(
    settlement, registry, enforcer, token, operator, payout, issuer_bank, network_fee, acquirer, authorize
):
    """AuthCaptureEscrow's documented flaw: a frozen merchant or fee receiver makes capture revert. Not here."""
    pid = authorize(10_00)
    for account in (payout, issuer_bank, network_fee, acquirer):
        registry.freeze(account, b"\x02" * 32, {"from": enforcer})
    settlement.capture(pid, 10_00, {"from": operator})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED


def test_mdr_of_100_percent_leaves_the_merchant_nothing(
    settlement, acquirer, payout, operator, token, payer, make_intent, issuer_bank, network_fee
):
    from crosspay.core.settlement import merchant_id

    mid = merchant_id("ALL-FEES")
    settlement.registerMerchant(mid, payout, operator, 10_000, {"from": acquirer})
    pid = settlement.authorize(make_intent(1_00, merchant_id=mid).as_tuple(), {"from": payer}).return_value
    settlement.capture(pid, 1_00, {"from": operator})
    assert settlement.pendingSettlement(mid, token) == 0
    parts = split(1_00, mdr_bps=10_000)
    assert (parts.fee, parts.merchant) == (1_00, 0)
    assert settlement.feesOwed(issuer_bank, token) == parts.interchange
    assert settlement.feesOwed(acquirer, token) == parts.acquirer
    assert bytes32(pid)
