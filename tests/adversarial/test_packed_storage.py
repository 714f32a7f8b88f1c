"""Amounts and times that do not fit the packed records are rejected with a named error, never truncated; the
largest that fit round-trip exactly.

Widths: MerchantSettlement payment amounts uint64 (running totals uint80), CrossBorderEscrow amounts uint56 and
deadlines uint40, HashedTimelock amounts uint96. The test-only ReentrantToken, left unarmed, mints these sizes
freely (deposit tokens are bounded by attested reserves). Not covered: the settlement's uint80 running totals, which
would take 2**16 full-size captures to overflow (their `_add` check is the same named error).
"""

import pytest
from brownie import ReentrantToken

from crosspay.core.htlc import new_secret
from crosspay.core.settlement import payment_id
from crosspay.core.status import PaymentStatus
from helpers import EVIL_MERCHANT, FEE_BPS, HOUR, bytes32, created_id, now, reverts_with, shown_fee

UINT64_MAX = 2**64 - 1
UINT56_MAX = 2**56 - 1
UINT40_MAX = 2**40 - 1
UINT96_MAX = 2**96 - 1


@pytest.mark.parametrize("method", ["authorize", "charge"])
def test_a_payment_one_above_uint64_reverts(settlement, evil, evil_intent, payer, admin, method):
    evil.mint(payer, UINT64_MAX + 1, {"from": admin})
    before = evil.balanceOf(payer)
    with reverts_with("SettlementAmountTooLarge"):
        getattr(settlement, method)(evil_intent(UINT64_MAX + 1).as_tuple(), {"from": payer})
    assert evil.balanceOf(payer) == before and evil.balanceOf(settlement) == 0


def test_a_signed_payment_one_above_uint64_reverts_before_the_signature_is_used(
    settlement, evil_intent, payer, relayer
):
    # The size check comes first: no signature is even needed to see the refusal.
    with reverts_with("SettlementAmountTooLarge"):
        settlement.authorizeWithAuthorization(
            evil_intent(UINT64_MAX + 1).as_tuple(), payer, 0, 2**64, 27, bytes32(""), bytes32(""), {"from": relayer}
        )


def test_a_payment_of_exactly_uint64_max_round_trips(settlement, evil, evil_intent, payer, admin, acquirer, chain_id):
    evil.mint(payer, UINT64_MAX, {"from": admin})
    intent = evil_intent(UINT64_MAX)
    pid = payment_id(chain_id, settlement, intent, payer)
    settlement.authorize(intent.as_tuple(), {"from": payer})
    settlement.capture(pid, UINT64_MAX, {"from": acquirer})
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["authorized"], payment["captured"]) == (
        PaymentStatus.CAPTURED,
        UINT64_MAX,
        UINT64_MAX,
    )
    fee = UINT64_MAX * settlement.merchantOf(EVIL_MERCHANT)["mdrBps"] // 10_000
    assert settlement.pendingSettlement(EVIL_MERCHANT, evil) == UINT64_MAX - fee
    settlement.refund(pid, UINT64_MAX - fee, {"from": acquirer})
    assert settlement.paymentOf(pid)["refunded"] == UINT64_MAX - fee


@pytest.fixture
def big_source(market, admin, sender):
    token = ReentrantToken.deploy({"from": admin})
    token.mint(sender, 2**64, {"from": admin})
    token.approve(market, 2**64, {"from": sender})
    market.setToken(token, True, {"from": admin})
    return token


def test_the_largest_escrow_transfer_and_deadline_round_trip_with_the_fee(
    market, make_quote, big_source, sender, beneficiary, keeper, liquidity_provider
):
    quote, signature = make_quote(
        escrow=market, source_token=str(big_source), source_amount=UINT56_MAX, target_amount=UINT56_MAX
    )
    before = big_source.balanceOf(sender)
    fee = UINT56_MAX * FEE_BPS // 10_000
    tx = market.initiate(
        quote.as_tuple(), signature, beneficiary, UINT40_MAX, bytes32("t"), shown_fee(quote), {"from": sender}
    )
    tid = created_id(tx)
    transfer = market.transferOf(tid)
    assert (transfer["sourceAmount"], transfer["targetAmount"], transfer["deadline"]) == (
        UINT56_MAX,
        UINT56_MAX,
        UINT40_MAX,
    )
    assert market.feeOf(tid) == fee
    assert big_source.balanceOf(market) == UINT56_MAX + fee
    with reverts_with("EscrowDeadlineNotReached"):
        market.refund(tid, {"from": keeper})
    assert big_source.balanceOf(sender) == before - UINT56_MAX - fee
    market.reject(tid, bytes32("too-big"), {"from": liquidity_provider})
    assert big_source.balanceOf(sender) == before and big_source.balanceOf(market) == 0


@pytest.mark.parametrize("field", ["source_amount", "target_amount"])
def test_an_escrow_amount_one_above_uint56_reverts_even_when_the_sender_holds_it(
    market, make_quote, big_source, sender, beneficiary, field
):
    quote, signature = make_quote(escrow=market, source_token=str(big_source), **{field: UINT56_MAX + 1})
    before = big_source.balanceOf(sender)
    with reverts_with("EscrowAmountTooLarge"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    assert big_source.balanceOf(sender) == before


def test_the_largest_htlc_lock_round_trips_and_one_more_reverts(htlc, market, admin, sender, beneficiary, keeper):
    token = ReentrantToken.deploy({"from": admin})
    token.mint(sender, UINT96_MAX + 1, {"from": admin})
    token.approve(htlc, UINT96_MAX + 1, {"from": sender})
    preimage, hashlock = new_secret()
    with reverts_with("HtlcAmountTooLarge"):
        htlc.lock(token, UINT96_MAX + 1, beneficiary, hashlock, now() + HOUR, {"from": sender})
    lock = created_id(htlc.lock(token, UINT96_MAX, beneficiary, hashlock, now() + HOUR, {"from": sender}))
    assert htlc.lockOf(lock)["amount"] == UINT96_MAX
    htlc.claim(lock, preimage, {"from": keeper})
    assert token.balanceOf(beneficiary) == UINT96_MAX
    assert token.balanceOf(sender) == 1
