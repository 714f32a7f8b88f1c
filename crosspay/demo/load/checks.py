"""The load mode's closing check, on chain: every payment's money is where the model says.

Before the run the chain is read for every account and record the run will touch (payers, merchants' payout accounts
and pending settlements, the fee ledgers of MerchantSettlement and CrossBorderEscrow, the funds MerchantSettlement
holds for the liquidity provider (its float and what it is owed, in both tokens), what each contract holds, the
supplies, every payment's and transfer's status); after it, each must read what it read before plus the model's
change. The reads go out as batches of eth_call.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import decode

from crosspay.core.status import PaymentStatus, TransferStatus
from crosspay.demo.load.abi import Abi
from crosspay.demo.load.model import Model
from crosspay.demo.load.rpc import Node, RpcError

READ_BATCH = 200


@dataclass(frozen=True)
class Read:
    """One figure read from the chain: kind is balance (token, holder), supply (token), pending (merchant id, token),
    fees (account, token: MerchantSettlement's ledger), held (account, token: MerchantSettlement's held funds, an LP's
    balance), escrow fees (account, token), payment (id) or transfer (id)."""

    kind: str
    args: tuple


class Reader:
    def __init__(self, node: Node, settlement: str, escrow: str):
        self.node, self.settlement, self.escrow = node, settlement, escrow
        self.token, self.ms, self.ce = Abi("DepositToken"), Abi("MerchantSettlement"), Abi("CrossBorderEscrow")

    def _call(self, read: Read) -> tuple[str, bytes]:
        kind, args = read.kind, read.args
        if kind == "balance":
            return args[0], self.token.call("balanceOf", args[1])
        if kind == "supply":
            return args[0], self.token.call("totalSupply")
        if kind == "pending":
            return self.settlement, self.ms.call("pendingSettlement", *args)
        if kind == "fees":
            return self.settlement, self.ms.call("feesOwed", *args)
        if kind == "held":
            return self.settlement, self.ms.call("heldBalance", *args)
        if kind == "escrow fees":
            return self.escrow, self.ce.call("feesOwed", *args)
        if kind == "payment":
            return self.settlement, self.ms.call("paymentOf", *args)
        if kind == "transfer":
            return self.escrow, self.ce.call("transferOf", *args)
        raise ValueError(f"unknown read {kind!r}")

    def read(self, reads: list[Read]) -> dict:
        """Each read's value (the first word the call returns: an amount or a status)."""
        values = {}
        for start in range(0, len(reads), READ_BATCH):
            chunk = reads[start : start + READ_BATCH]
            requests = []
            for r in chunk:
                to, data = self._call(r)
                requests.append(("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"]))
            for r, answer in zip(chunk, self.node.batch(requests), strict=True):
                if isinstance(answer, RpcError) or not answer or answer == "0x":
                    raise RuntimeError(f"could not read {r.kind} {r.args}: {answer}")
                values[r] = decode(["uint256"], bytes.fromhex(answer[2:66]))[0]
        return values


def watched(
    model: Model, holders: set, tokens: dict, fee_accounts: set, escrow_fee_account: str, plan_ids, held_accounts=()
) -> list:
    """Every read the check compares: `holders` (customers, merchants, the FX desk, the contracts, ...) in every
    token, the supplies, the run's merchants' pending settlements, the fee ledgers, the held funds of
    `held_accounts` (the liquidity provider) in every token, and the payments and transfers the run plans
    (`plan_ids`: (payment ids, transfer ids))."""
    payment_ids, transfer_ids = plan_ids
    reads = [Read("balance", (t, h)) for t in tokens.values() for h in sorted(holders)]
    reads += [Read("supply", (t,)) for t in tokens.values()]
    reads += [Read("pending", (m, t)) for m in model.merchants for t in tokens.values()]
    reads += [Read("fees", (a, t)) for a in sorted(fee_accounts) for t in tokens.values()]
    reads += [Read("held", (a, t)) for a in sorted(held_accounts) for t in tokens.values()]
    reads += [Read("escrow fees", (escrow_fee_account, t)) for t in tokens.values()]
    reads += [Read("payment", (p,)) for p in payment_ids]
    reads += [Read("transfer", (t,)) for t in transfer_ids]
    return reads


def expected(model: Model, read: Read, before: int) -> int:
    """What `read` must show after the run, given what it showed before."""
    kind, args = read.kind, read.args
    if kind == "balance":
        return before + model.balance[args]
    if kind == "supply":
        return before + model.supply[args[0]]
    if kind == "pending":
        return before + model.pending[args]
    if kind == "fees":
        return before + model.fees_owed[args]
    if kind == "held":
        return before + model.held[args]
    if kind == "escrow fees":
        return before + model.escrow_fees_owed[args]
    if kind == "payment":
        payment = model.payments.get(args[0])
        return int(payment.status) if payment else before
    if kind == "transfer":
        transfer = model.transfers.get(args[0])
        return int(transfer.status) if transfer else before
    raise ValueError(kind)


def problems(model: Model, reads: list, before: dict, after: dict, names: dict) -> list[str]:
    """Every read that does not show what the model says, one line each; and every change of the model that no read
    covers (the check would be blind to it)."""
    found = []
    for read in reads:
        want = expected(model, read, before[read])
        if after[read] != want:
            found.append(f"{_describe(read, names)}: the chain shows {_value(read, after[read])}, the model says "
                         f"{_value(read, want)} (before the run: {_value(read, before[read])})")  # fmt: skip
    covered = {(r.kind, r.args) for r in reads}
    for kind, ledger in (
        ("balance", model.balance),
        ("fees", model.fees_owed),
        ("held", model.held),
        ("escrow fees", model.escrow_fees_owed),
    ):
        for key, delta in ledger.items():
            if delta and (kind, key) not in covered:
                found.append(f"the model moved {delta} in {kind} {key} that the check does not read")
    return found


def _describe(read: Read, names: dict) -> str:
    shown = ", ".join(names.get(a, a.hex()[:12] + "…" if isinstance(a, bytes) else str(a)) for a in read.args)
    return f"{read.kind} of {shown}"


def _value(read: Read, value: int) -> str:
    if read.kind == "payment":
        return PaymentStatus(value).name
    if read.kind == "transfer":
        return TransferStatus(value).name
    return f"{value:,}"
