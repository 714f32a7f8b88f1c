"""An atomic CNY -> HKD swap across two ledgers with hash-time locks, in plain web3.py.

Ledger A (mainland) carries dCNY, ledger B (Hong Kong) carries dHKD; each has its own ComplianceRegistry, deposit
token and HashedTimelock, deployed through the deployment plan from brownie's build artifacts (`brownie compile`).

The protocol (the beneficiary holds the secret and hands the sender only its hash):

1. the sender locks dCNY on A for the liquidity provider (LP) under H = sha256(secret), until T_A;
2. the LP checks that lock on A, then locks dHKD on B for the beneficiary under the same H, until T_B, well before
   T_A (the LP must be able to learn the secret on B and still claim on A before T_A);
3. the beneficiary claims on B with the secret, which the Claimed event makes public;
4. a relayer watching B's Claimed events for H claims on A with the secret, paying the LP.

If nobody claims, the LP refunds on B after T_B and the sender refunds on A after T_A: nothing is lost.

Every claim is simulated before it is sent (`claim`): the HTLC refuses to claim a lock whose sender cannot transact
(docs/compliance.md), and a refused claim, once mined, would still publish the secret in its calldata.
"""

from __future__ import annotations

from dataclasses import dataclass

from web3.logs import DISCARD

from crosspay.core.htlc import new_secret
from crosspay.core.status import LockStatus
from crosspay.swap.ledger import Ledger
from crosspay.swap.relayer import watch_for_preimage

HOUR = 3600


def lock(ledger: Ledger, owner: str, recipient: str, amount: int, hashlock: bytes, timelock: int) -> bytes:
    """Approves and locks; returns the lock id from the Locked event."""
    ledger.send(ledger.token.functions.approve(ledger.htlc.address, amount), owner, "approve the HTLC")
    receipt = ledger.send(
        ledger.htlc.functions.lock(ledger.token.address, amount, recipient, hashlock, timelock), owner, "lock"
    )
    return bytes(ledger.htlc.events.Locked().process_receipt(receipt, errors=DISCARD)[0].args.lockId)


def claim(ledger: Ledger, lock_id: bytes, preimage: bytes, caller: str, what: str):
    """Claims a lock, after simulating the claim: a claim the HTLC refuses (its sender was frozen, say) would still
    publish the preimage in its calldata once mined, and let the other side's lock be taken. Raises, sending nothing,
    when the simulation is refused."""
    call = ledger.htlc.functions.claim(lock_id, preimage)
    try:
        call.call({"from": caller})
    except Exception as exc:  # web3 raises ContractLogicError (or a node-specific error) for a refused call
        raise RuntimeError(f"{ledger.name}: {what} would be refused ({exc}); the preimage stays secret") from exc
    return ledger.send(call, caller, what)


def verify_lock(
    ledger: Ledger, lock_id: bytes, *, recipient: str, amount: int, hashlock: bytes, not_before: int
) -> dict:
    """What a counterparty checks before acting on the other side's lock: terms, hashlock (via the id) and time."""
    terms = ledger.lock_of(lock_id)
    expected_id = ledger.htlc.functions.lockIdOf(
        terms["sender"], recipient, ledger.token.address, amount, hashlock, terms["timelock"]
    ).call()
    problems = []
    if terms["status"] != LockStatus.LOCKED:
        problems.append(f"status {terms['status']}, not Locked")
    if (terms["recipient"], terms["token"], terms["amount"]) != (recipient, ledger.token.address, amount):
        problems.append("recipient, token or amount differ")
    if bytes(expected_id) != lock_id:
        problems.append("hashlock differs")
    if terms["timelock"] < not_before:
        problems.append(f"timelock {terms['timelock']} too early (need >= {not_before})")
    if problems:
        raise RuntimeError(f"{ledger.name}: lock {lock_id.hex()} refused: {'; '.join(problems)}")
    return {"sender": terms["sender"], "timelock": terms["timelock"]}


@dataclass
class SwapResult:
    path: str
    lock_a: bytes
    lock_b: bytes
    balances_before: dict
    balances_after: dict
    steps: list
    receipts: list  # the swap's own transactions on both ledgers (set-up excluded)


def _balances(a: Ledger, b: Ledger) -> dict:
    return {
        "A sender dCNY": a.balance(a.actors.sender),
        "A LP dCNY": a.balance(a.actors.liquidity_provider),
        "A HTLC dCNY": a.balance(a.htlc.address),
        "B LP dHKD": b.balance(b.actors.liquidity_provider),
        "B beneficiary dHKD": b.balance(b.actors.beneficiary),
        "B HTLC dHKD": b.balance(b.htlc.address),
    }


def run_swap(
    a: Ledger,
    b: Ledger,
    cny_amount: int,
    hkd_amount: int,
    *,
    beneficiary_claims: bool = True,
    t_a: int = 2 * HOUR,
    t_b: int = HOUR,
    safety_margin: int = HOUR // 2,
) -> SwapResult:
    """Runs the swap; with `beneficiary_claims=False`, the failure path (both sides refund after their timelocks)."""
    steps = []
    set_up = len(a.log), len(b.log)
    before = _balances(a, b)
    preimage, hashlock = new_secret()  # the beneficiary's secret; the sender gets only the hash
    timelock_a = a.node.now() + t_a
    lock_a = lock(a, a.actors.sender, a.actors.liquidity_provider, cny_amount, hashlock, timelock_a)
    steps.append(f"sender locked {cny_amount} dCNY on A until {timelock_a}")

    # The LP checks A's lock before risking its dHKD, and picks T_B well before T_A.
    verify_lock(
        a,
        lock_a,
        recipient=a.actors.liquidity_provider,
        amount=cny_amount,
        hashlock=hashlock,
        not_before=a.node.now() + t_b + safety_margin,
    )
    timelock_b = b.node.now() + t_b
    watch_from = b.w3.eth.block_number
    lock_b = lock(b, b.actors.liquidity_provider, b.actors.beneficiary, hkd_amount, hashlock, timelock_b)
    steps.append(f"LP locked {hkd_amount} dHKD on B until {timelock_b}")
    verify_lock(b, lock_b, recipient=b.actors.beneficiary, amount=hkd_amount, hashlock=hashlock, not_before=0)

    if beneficiary_claims:
        claim(b, lock_b, preimage, b.actors.beneficiary, "claim on B")
        steps.append("beneficiary claimed on B, revealing the preimage")
        revealed = watch_for_preimage(b, hashlock, watch_from)
        if revealed is None:
            raise RuntimeError("the relayer saw no Claimed event on B")
        claim(a, lock_a, revealed, a.actors.relayer, "relayer claim on A")
        steps.append("relayer read the preimage from B's event and claimed on A for the LP")
        path = "happy"
    else:
        b.node.increase_time(t_b + 1)
        if watch_for_preimage(b, hashlock, watch_from) is not None:
            raise RuntimeError("unexpected claim on B")
        b.send(b.htlc.functions.refund(lock_b), b.actors.relayer, "refund on B")
        steps.append("nobody claimed: B refunded to the LP after T_B")
        a.node.increase_time(t_a + 1)
        a.send(a.htlc.functions.refund(lock_a), a.actors.relayer, "refund on A")
        steps.append("A refunded to the sender after T_A")
        path = "failure"
    receipts = [r for _, r in a.log[set_up[0] :]] + [r for _, r in b.log[set_up[1] :]]
    return SwapResult(path, lock_a, lock_b, before, _balances(a, b), steps, receipts)


CNY_AMOUNT = 1_000_00
HKD_AMOUNT = 1_084_50  # at 1.0845 HKD per CNY


def swap_on_fresh_ledgers(
    cny_amount: int = CNY_AMOUNT,
    hkd_amount: int = HKD_AMOUNT,
    *,
    beneficiary_claims=True,
    ports=None,
    chain_ids=(1337, 31337),
) -> SwapResult:
    """Starts the two ledgers, sets them up, runs the swap (or its failure path) and stops them."""
    from crosspay.swap.ledger import setup_ledgers
    from crosspay.swap.nodes import two_ledgers

    with two_ledgers(ports, chain_ids) as (node_a, node_b):
        a, b = setup_ledgers(node_a, node_b, cny_amount, hkd_amount)
        return run_swap(a, b, cny_amount, hkd_amount, beneficiary_claims=beneficiary_claims)


def play(paths, ports=None, chain_ids=(1337, 31337), console=None) -> list[SwapResult]:
    """scripts/htlc_swap.py: each path ("happy" or "failure") on two fresh ledgers; prints its steps and balances."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    results = []
    for path in paths:
        result = swap_on_fresh_ledgers(beneficiary_claims=path == "happy", ports=ports, chain_ids=chain_ids)
        for step in result.steps:
            console.print(f"[bold]{path}[/]: {step}")
        table = Table("balance", "before", "after", title=f"{path} path")
        for key, before in result.balances_before.items():
            table.add_row(key, f"{before:,}", f"{result.balances_after[key]:,}")
        console.print(table)
        results.append(result)
    return results
