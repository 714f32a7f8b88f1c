"""An atomic CNY -> HKD swap across two ledgers with hash-time locks, in plain web3.py.

Ledger A (mainland) carries dCNY, ledger B (Hong Kong) carries dHKD; each has its own ComplianceRegistry, deposit
token and HashedTimelock, deployed from brownie's build artifacts (build/contracts/*.json, `brownie compile`).

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

import json
from dataclasses import dataclass, field
from pathlib import Path

from web3 import Web3
from web3.logs import DISCARD

from crosspay.codes import currency, jurisdiction
from crosspay.htlc import hashlock_of, new_secret
from crosspay.nodes import ROOT, Node

BUILD = ROOT / "build" / "contracts"
YEAR = 365 * 24 * 3600
HOUR = 3600
REF = b"\x01" * 32


def artifact(name: str, build: Path = BUILD) -> dict:
    path = build / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `brownie compile` first")
    return json.loads(path.read_text())


@dataclass
class Actors:
    """The roles on a ledger, as the node's unlocked accounts (the same mnemonic gives the same addresses on both
    ledgers: a bank customer, the LP and the relayer each have one address everywhere)."""

    admin: str
    kyc_officer: str
    issuer: str
    sender: str
    liquidity_provider: str
    beneficiary: str
    relayer: str

    @classmethod
    def of(cls, w3: Web3) -> "Actors":
        accounts = w3.eth.accounts
        return cls(*accounts[:7])


@dataclass
class Ledger:
    """One chain with its Crosspay contracts."""

    name: str
    node: Node
    actors: Actors
    registry: object = None
    token: object = None
    htlc: object = None
    log: list = field(default_factory=list)

    @property
    def w3(self) -> Web3:
        return self.node.w3

    def send(self, call, sender: str, what: str):
        """Sends a contract call from an unlocked account and waits for it; raises if it reverted."""
        tx_hash = call.transact({"from": sender})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
        if receipt.status != 1:
            raise RuntimeError(f"{self.name}: {what} reverted")
        self.log.append((what, receipt))
        return receipt

    def deploy(self, name: str, *args):
        data = artifact(name)
        factory = self.w3.eth.contract(abi=data["abi"], bytecode=data["bytecode"])
        receipt = self.send(factory.constructor(*args), self.actors.admin, f"deploy {name}")
        return self.w3.eth.contract(address=receipt.contractAddress, abi=data["abi"])

    def balance(self, account: str) -> int:
        return self.token.functions.balanceOf(account).call()


def deploy_ledger(name: str, node: Node, token_name: str, symbol: str, iso_currency: str, iso_jurisdiction: str,
                  holdings: dict[str, int]) -> Ledger:
    """Registry, deposit token and HTLC on `node`; every actor verified; `holdings` (actor role -> amount) minted."""
    ledger = Ledger(name, node, Actors.of(node.w3))
    a = ledger.actors
    ledger.registry = registry = ledger.deploy("ComplianceRegistry", a.admin)
    ledger.send(registry.functions.grantRole(registry.functions.KYC_OFFICER_ROLE().call(), a.kyc_officer), a.admin,
                "grant KYC officer")
    ledger.token = token = ledger.deploy("DepositToken", token_name, symbol, currency(iso_currency), registry.address,
                                         a.admin)
    ledger.htlc = htlc = ledger.deploy("HashedTimelock", registry.address)
    until = node.now() + YEAR
    customers = [a.sender, a.liquidity_provider, a.beneficiary, a.relayer, htlc.address]
    ledger.send(registry.functions.setVerifiedBatch(customers, jurisdiction(iso_jurisdiction), until),
                a.kyc_officer, "verify customers and the HTLC")
    ledger.send(token.functions.grantRole(token.functions.ISSUER_ROLE().call(), a.issuer), a.admin, "grant issuer")
    ledger.send(token.functions.grantRole(token.functions.AUDITOR_ROLE().call(), a.admin), a.admin, "grant auditor")
    total = sum(holdings.values())
    ledger.send(token.functions.setIssuerAllowance(a.issuer, total), a.admin, "issuer allowance")
    ledger.send(token.functions.attestReserves(total, REF), a.admin, "attest reserves")
    for role, amount in holdings.items():
        ledger.send(token.functions.mint(getattr(a, role), amount, REF), a.issuer, f"mint to {role}")
    return ledger


def setup_ledgers(node_a: Node, node_b: Node, cny_amount: int, hkd_amount: int) -> tuple[Ledger, Ledger]:
    """Ledger A (mainland, dCNY: the sender holds `cny_amount`) and B (Hong Kong, dHKD: the LP holds `hkd_amount`)."""
    a = deploy_ledger("A (mainland)", node_a, "Mainland Bank Digital CNY", "dCNY", "CNY", "CN",
                      {"sender": cny_amount})
    b = deploy_ledger("B (Hong Kong)", node_b, "Harbour Bank Digital HKD", "dHKD", "HKD", "HK",
                      {"liquidity_provider": hkd_amount})
    return a, b


def lock(ledger: Ledger, owner: str, recipient: str, amount: int, hashlock: bytes, timelock: int) -> bytes:
    """Approves and locks; returns the lock id from the Locked event."""
    ledger.send(ledger.token.functions.approve(ledger.htlc.address, amount), owner, "approve the HTLC")
    receipt = ledger.send(ledger.htlc.functions.lock(ledger.token.address, amount, recipient, hashlock, timelock),
                          owner, "lock")
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


def verify_lock(ledger: Ledger, lock_id: bytes, *, recipient: str, amount: int, hashlock: bytes,
                not_before: int) -> dict:
    """What a counterparty checks before acting on the other side's lock: terms, hashlock (via the id) and time."""
    status, sender, to, token, locked, timelock = ledger.htlc.functions.lockOf(lock_id).call()
    expected_id = ledger.htlc.functions.lockIdOf(sender, recipient, ledger.token.address, amount, hashlock,
                                                 timelock).call()
    problems = []
    if status != 1:
        problems.append(f"status {status}, not Locked")
    if (to, token, locked) != (recipient, ledger.token.address, amount):
        problems.append("recipient, token or amount differ")
    if bytes(expected_id) != lock_id:
        problems.append("hashlock differs")
    if timelock < not_before:
        problems.append(f"timelock {timelock} too early (need >= {not_before})")
    if problems:
        raise RuntimeError(f"{ledger.name}: lock {lock_id.hex()} refused: {'; '.join(problems)}")
    return {"sender": sender, "timelock": timelock}


def watch_for_preimage(ledger: Ledger, hashlock: bytes, from_block: int) -> bytes | None:
    """The relayer's watch: a Claimed event for `hashlock` on `ledger` since `from_block`, its preimage or None."""
    logs = ledger.htlc.events.Claimed().get_logs(from_block=from_block, argument_filters={"hashlock": hashlock})
    for log in logs:
        preimage = bytes(log.args.preimage)
        if hashlock_of(preimage) == hashlock:
            return preimage
    return None


@dataclass
class SwapResult:
    path: str
    lock_a: bytes
    lock_b: bytes
    balances_before: dict
    balances_after: dict
    steps: list


def _balances(a: Ledger, b: Ledger) -> dict:
    return {
        "A sender dCNY": a.balance(a.actors.sender),
        "A LP dCNY": a.balance(a.actors.liquidity_provider),
        "A HTLC dCNY": a.balance(a.htlc.address),
        "B LP dHKD": b.balance(b.actors.liquidity_provider),
        "B beneficiary dHKD": b.balance(b.actors.beneficiary),
        "B HTLC dHKD": b.balance(b.htlc.address),
    }


def run_swap(a: Ledger, b: Ledger, cny_amount: int, hkd_amount: int, *, beneficiary_claims: bool = True,
             t_a: int = 2 * HOUR, t_b: int = HOUR, safety_margin: int = HOUR // 2) -> SwapResult:
    """Runs the swap; with `beneficiary_claims=False`, the failure path (both sides refund after their timelocks)."""
    steps = []
    before = _balances(a, b)
    preimage, hashlock = new_secret()  # the beneficiary's secret; the sender gets only the hash
    timelock_a = a.node.now() + t_a
    lock_a = lock(a, a.actors.sender, a.actors.liquidity_provider, cny_amount, hashlock, timelock_a)
    steps.append(f"sender locked {cny_amount} dCNY on A until {timelock_a}")

    # The LP checks A's lock before risking its dHKD, and picks T_B well before T_A.
    verify_lock(a, lock_a, recipient=a.actors.liquidity_provider, amount=cny_amount, hashlock=hashlock,
                not_before=a.node.now() + t_b + safety_margin)
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
    return SwapResult(path, lock_a, lock_b, before, _balances(a, b), steps)
