"""Reentrancy through a malicious token hook, across entry points and contracts.

tests/unit re-enters each guarded function from itself. Here the hook re-enters a *different* entry point: every
token-moving function shares one guard per contract, so the inner call is refused with
ReentrancyGuardReentrantCall and the whole outer call unwinds (balances and records unchanged). `capture` moves no
tokens and has no guard by design; re-entering it must find the books already updated (checks-effects-interactions),
so a capture is counted exactly once and never lost.
"""

import pytest
from brownie import ReentrantToken, chain

from crosspay.core import fx
from crosspay.core.htlc import new_secret
from crosspay.core.settlement import payment_id
from crosspay.core.status import LockStatus, PaymentStatus, TransferStatus
from helpers import AUTH_PERIOD, EVIL_MERCHANT, HOUR, bytes32, created_id, now, reverts_with, shown_fee, split


def _status(settlement, pid):
    return settlement.paymentOf(pid)["status"]


# --- capture: unguarded, so the books must already be right when it is re-entered -----------------------------------


def test_capture_reentered_during_the_authorization_pull_is_counted_once(
    settlement, evil, evil_intent, payer, owed, chain_id
):
    intent = evil_intent(100_00)
    pid = payment_id(chain_id, settlement, intent, payer)
    # While authorize pulls the funds, the token (the merchant's operator) captures the payment being opened.
    evil.arm(settlement, settlement.capture.encode_input(pid, intent.amount), {"from": payer})
    tx = settlement.authorize(intent.as_tuple(), {"from": payer})
    assert tx.events["PaymentCaptured"]["amount"] == intent.amount
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["authorized"], payment["captured"]) == (
        PaymentStatus.CAPTURED,
        intent.amount,
        intent.amount,
    )
    assert settlement.pendingSettlement(EVIL_MERCHANT, evil) == split(intent.amount).merchant
    assert evil.balanceOf(settlement) == intent.amount == owed(evil, [EVIL_MERCHANT], [pid])


def test_capture_reentered_from_a_void_payout_finds_the_payment_voided(settlement, evil, evil_intent, payer, acquirer):
    pid = created_id(settlement.authorize(evil_intent(100_00).as_tuple(), {"from": payer}))
    before = (evil.balanceOf(settlement), evil.balanceOf(payer))
    evil.arm(settlement, settlement.capture.encode_input(pid, 1), {"from": payer})
    with reverts_with("SettlementUnexpectedStatus"):
        settlement.void(pid, {"from": acquirer})
    assert _status(settlement, pid) == PaymentStatus.AUTHORIZED
    assert (evil.balanceOf(settlement), evil.balanceOf(payer)) == before
    assert settlement.pendingSettlement(EVIL_MERCHANT, evil) == 0


def test_capture_reentered_during_a_settlement_payout_waits_for_the_next_batch(
    settlement, evil, evil_intent, payer, settler, payout, owed
):
    charged = created_id(settlement.charge(evil_intent(100_00).as_tuple(), {"from": payer}))
    held = created_id(settlement.authorize(evil_intent(50_00).as_tuple(), {"from": payer}))
    # While the batch pays the merchant, the token captures another of its payments.
    evil.arm(settlement, settlement.capture.encode_input(held, 50_00), {"from": payer})
    settlement.settle(evil, [EVIL_MERCHANT], {"from": settler})
    net_first, net_second = split(100_00).merchant, split(50_00).merchant
    assert evil.balanceOf(payout) == net_first
    assert settlement.pendingSettlement(EVIL_MERCHANT, evil) == net_second
    assert evil.balanceOf(settlement) == owed(evil, [EVIL_MERCHANT], [charged, held])
    settlement.settle(evil, [EVIL_MERCHANT], {"from": settler})
    assert evil.balanceOf(payout) == net_first + net_second
    assert evil.balanceOf(settlement) == owed(evil, [EVIL_MERCHANT], [charged, held])


# --- every other settlement entry point: one guard, refused across functions ----------------------------------------

# (outer call the payer or an institution makes, inner call the token's hook makes while the outer call moves tokens)
SETTLEMENT_PAIRS = [
    ("authorize", "refund"),
    ("charge", "void"),
    ("void", "settle"),
    ("refund", "withdrawFees"),
    ("settle", "authorize"),
    ("withdrawFees", "reclaim"),
    ("reclaim", "refund"),
]


@pytest.mark.parametrize("outer,inner", SETTLEMENT_PAIRS, ids=[f"{o}-reenters-{i}" for o, i in SETTLEMENT_PAIRS])
def test_a_token_reentering_another_settlement_entry_point_reverts(
    settlement, evil, evil_intent, payer, acquirer, settler, payout, outer, inner
):
    charged = created_id(settlement.charge(evil_intent(100_00).as_tuple(), {"from": payer}))
    held = created_id(settlement.authorize(evil_intent(100_00).as_tuple(), {"from": payer}))
    if outer == "reclaim":
        chain.sleep(AUTH_PERIOD + 1)
    inner_calls = {
        "authorize": lambda: settlement.authorize.encode_input(evil_intent(1_00).as_tuple()),
        "void": lambda: settlement.void.encode_input(held),
        "refund": lambda: settlement.refund.encode_input(charged, 1_00),
        "settle": lambda: settlement.settle.encode_input(evil, [EVIL_MERCHANT]),
        "withdrawFees": lambda: settlement.withdrawFees.encode_input(evil),
        "reclaim": lambda: settlement.reclaim.encode_input(held),
    }
    outer_calls = {
        "authorize": lambda: settlement.authorize(evil_intent(10_00).as_tuple(), {"from": payer}),
        "charge": lambda: settlement.charge(evil_intent(10_00).as_tuple(), {"from": payer}),
        "void": lambda: settlement.void(held, {"from": acquirer}),
        "refund": lambda: settlement.refund(charged, 10_00, {"from": acquirer}),
        "settle": lambda: settlement.settle(evil, [EVIL_MERCHANT], {"from": settler}),
        "withdrawFees": lambda: settlement.withdrawFees(evil, {"from": acquirer}),
        "reclaim": lambda: settlement.reclaim(held, {"from": payer}),
    }

    def state():
        return (
            evil.balanceOf(settlement),
            evil.balanceOf(payer),
            evil.balanceOf(payout),
            evil.balanceOf(acquirer),
            _status(settlement, charged),
            _status(settlement, held),
            settlement.paymentOf(charged)["refunded"],
            settlement.pendingSettlement(EVIL_MERCHANT, evil),
            settlement.feesOwed(acquirer, evil),
        )

    before = state()
    evil.arm(settlement, inner_calls[inner](), {"from": payer})
    with reverts_with("ReentrancyGuardReentrantCall"):
        outer_calls[outer]()
    assert state() == before


# --- the escrow: initiate / release / reject / refund ---------------------------------------------------------------


@pytest.fixture
def evil_source(market, admin, sender):
    """A ReentrantToken as the source currency of cross-border transfers, held by the sender and approved."""
    token = ReentrantToken.deploy({"from": admin})
    token.mint(sender, 1_000_00, {"from": admin})
    token.approve(market, 1_000_00, {"from": sender})
    market.setToken(token, True, {"from": admin})
    return token


ESCROW_PAIRS = [("initiate", "release"), ("release", "reject"), ("reject", "refund"), ("refund", "initiate")]


@pytest.mark.parametrize("outer,inner", ESCROW_PAIRS, ids=[f"{o}-reenters-{i}" for o, i in ESCROW_PAIRS])
def test_a_token_reentering_another_escrow_entry_point_reverts(
    market,
    make_quote,
    evil_source,
    hkd,
    sender,
    beneficiary,
    liquidity_provider,
    compliance_officer,
    keeper,
    outer,
    inner,
):
    # An existing locked transfer paid in the evil token (the target of most inner calls, and of every outer call
    # except initiate).
    quote, signature = make_quote(escrow=market, source_token=str(evil_source))
    tx = market.initiate(
        quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
    )
    tid = created_id(tx)
    fresh, fresh_signature = make_quote(escrow=market, source_token=str(evil_source))
    if outer == "refund":
        chain.sleep(HOUR + 1)
    inner_calls = {
        "release": market.release.encode_input(tid),
        "reject": market.reject.encode_input(tid, bytes32("hook")),
        "refund": market.refund.encode_input(tid),
        "initiate": market.initiate.encode_input(
            fresh.as_tuple(), fresh_signature, beneficiary, now() + 2 * HOUR, bytes32("t"), shown_fee(fresh)
        ),
    }
    outer_calls = {
        "initiate": lambda: market.initiate(
            fresh.as_tuple(),
            fresh_signature,
            beneficiary,
            now() + HOUR,
            bytes32("t"),
            shown_fee(fresh),
            {"from": sender},
        ),
        "release": lambda: market.release(tid, {"from": liquidity_provider}),
        "reject": lambda: market.reject(tid, bytes32("aml"), {"from": compliance_officer}),
        "refund": lambda: market.refund(tid, {"from": keeper}),
    }

    def state():
        return (
            evil_source.balanceOf(market),
            evil_source.balanceOf(sender),
            evil_source.balanceOf(liquidity_provider),
            hkd.balanceOf(beneficiary),
            hkd.balanceOf(liquidity_provider),
            market.transferOf(tid)["status"],
            market.transferOf(fx.transfer_id(liquidity_provider, fresh.quote_id))["status"],
        )

    before = state()
    evil_source.arm(market, inner_calls[inner], {"from": sender})
    with reverts_with("ReentrancyGuardReentrantCall"):
        outer_calls[outer]()
    assert state() == before
    assert before[5] == TransferStatus.LOCKED


# --- the HTLC: claim / refund / lock ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outer,inner", [("refund", "claim"), ("claim", "lock")], ids=["refund-reenters-claim", "claim-reenters-lock"]
)
def test_a_token_reentering_another_htlc_entry_point_reverts(
    htlc, market, admin, sender, beneficiary, keeper, outer, inner
):
    evil = ReentrantToken.deploy({"from": admin})
    evil.mint(sender, 1_000_00, {"from": admin})
    evil.approve(htlc, 1_000_00, {"from": sender})
    short_secret, long_secret = new_secret(), new_secret()
    short = created_id(htlc.lock(evil, 10_00, beneficiary, short_secret[1], now() + HOUR, {"from": sender}))
    long = created_id(htlc.lock(evil, 20_00, beneficiary, long_secret[1], now() + 3 * HOUR, {"from": sender}))
    if outer == "refund":
        chain.sleep(HOUR + 1)
    inner_calls = {
        "claim": htlc.claim.encode_input(long, long_secret[0]),
        "lock": htlc.lock.encode_input(evil, 1, beneficiary, new_secret()[1], now() + 3 * HOUR),
    }
    outer_calls = {
        "refund": lambda: htlc.refund(short, {"from": keeper}),
        "claim": lambda: htlc.claim(short, short_secret[0], {"from": keeper}),
    }

    def state():
        return (
            evil.balanceOf(htlc),
            evil.balanceOf(sender),
            evil.balanceOf(beneficiary),
            htlc.lockOf(short)["status"],
            htlc.lockOf(long)["status"],
        )

    before = state()
    evil.arm(htlc, inner_calls[inner], {"from": sender})
    with reverts_with("ReentrancyGuardReentrantCall"):
        outer_calls[outer]()
    assert state() == before
    assert before[3:] == (LockStatus.LOCKED, LockStatus.LOCKED)
