"""The CNY -> HKD swap across two real local ledgers: Ganache (mainland, ledger A) and Anvil (Hong Kong, ledger B),
started side by side on free ports (CROSSPAY_NODE_PORTS, default 8620-8629) with different chain ids, and stopped
afterwards. Both paths: everyone claims, or nobody does and both sides refund."""

import pytest

from crosspay.core.status import LockStatus
from crosspay.swap.ledger import setup_ledgers
from crosspay.swap.nodes import two_ledgers
from crosspay.swap.protocol import run_swap

CNY = 1_000_00
HKD = 1_084_50  # at 1.0845 HKD per CNY


@pytest.fixture(scope="module")
def nodes():
    with two_ledgers() as started:
        yield started


@pytest.fixture
def ledgers(nodes):
    return setup_ledgers(nodes[0], nodes[1], CNY, HKD)


def test_the_two_ledgers_are_distinct_chains(nodes):
    assert nodes[0].w3.eth.chain_id != nodes[1].w3.eth.chain_id


def test_happy_path_swaps_both_legs(ledgers):
    a, b = ledgers
    result = run_swap(a, b, CNY, HKD)
    before, after = result.balances_before, result.balances_after
    assert after["A sender dCNY"] == before["A sender dCNY"] - CNY
    assert after["A LP dCNY"] == before["A LP dCNY"] + CNY
    assert after["B LP dHKD"] == before["B LP dHKD"] - HKD
    assert after["B beneficiary dHKD"] == before["B beneficiary dHKD"] + HKD
    assert after["A HTLC dCNY"] == after["B HTLC dHKD"] == 0
    assert a.lock_of(result.lock_a)["status"] == b.lock_of(result.lock_b)["status"] == LockStatus.CLAIMED


def test_failure_path_refunds_both_sides_and_nothing_is_lost(ledgers):
    a, b = ledgers
    result = run_swap(a, b, CNY, HKD, beneficiary_claims=False)
    assert result.balances_after == result.balances_before
    assert a.lock_of(result.lock_a)["status"] == b.lock_of(result.lock_b)["status"] == LockStatus.REFUNDED


def test_lp_refuses_a_lock_whose_timelock_leaves_no_margin(ledgers):
    """T_B must be well before T_A: the LP checks A's lock and walks away when T_A is too close."""
    a, b = ledgers
    with pytest.raises(RuntimeError, match="too early"):
        run_swap(a, b, CNY, HKD, t_a=3600, t_b=3600)
    assert b.balance(b.actors.liquidity_provider) == HKD  # the LP locked nothing
