"""Load mode of the demo (make demo LIFECYCLES=N): N randomized customer lifecycles, measured.

Each lifecycle onboards a new customer (KYC in batches, a mint against a deposit, a little ether for gas) and makes
one QR payment of a random kind and amount: a static-QR transfer, a dynamic-QR charge, an authorize then capture, or a
gasless charge submitted by a relayer; some charges are partly refunded. Every merchant is settled at the end. The
report gives payments per second (payment transactions only, wall clock) and gas per payment, and is written to
reports/load.json. LOAD_SEED fixes the random choices.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from eth_utils import keccak
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from crosspay._utils.console import quiet
from crosspay._utils.files import write_atomic
from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import PaymentIntent, order_ref
from crosspay.core.signing import authorization_nonce, sign_authorization

KINDS = ("static QR transfer", "dynamic QR charge", "authorize + capture", "gasless charge (EIP-3009)")
KYC_BATCH = 100


@dataclass
class LoadResult:
    lifecycles: int
    payments: int = 0
    payment_seconds: float = 0.0
    total_seconds: float = 0.0
    gas_by_kind: dict = field(default_factory=dict)  # kind -> [gas per payment]

    @property
    def payments_per_second(self) -> float:
        return self.payments / self.payment_seconds if self.payment_seconds else 0.0

    def as_dict(self) -> dict:
        per_kind = {
            kind: {"payments": len(g), "gasPerPayment": sum(g) // len(g)} for kind, g in self.gas_by_kind.items() if g
        }
        all_gas = [x for g in self.gas_by_kind.values() for x in g]
        return {
            "lifecycles": self.lifecycles,
            "payments": self.payments,
            "paymentsPerSecond": round(self.payments_per_second, 2),
            "gasPerPayment": sum(all_gas) // len(all_gas) if all_gas else 0,
            "byKind": per_kind,
            "paymentSeconds": round(self.payment_seconds, 1),
            "totalSeconds": round(self.total_seconds, 1),
        }


def run_load(day, lifecycles: int, console: Console, seed: int = 0) -> LoadResult:
    """Runs `lifecycles` customer lifecycles against the deployed system of `day` (a crosspay.demo.chapters.Day whose
    onboarding and deposits chapters have run)."""
    from brownie import accounts, chain

    c, settlement, dcny = day.cast, day.system.settlement, day.system.tokens["dCNY"]
    merchant = c.noodles
    rng = random.Random(seed)
    result = LoadResult(lifecycles, gas_by_kind={kind: [] for kind in KINDS})
    started = time.perf_counter()
    progress = Progress(
        TextColumn("[bold blue]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    with progress, quiet():
        customers = [accounts.add(keccak(text=f"crosspay load customer {seed} {i}")) for i in range(lifecycles)]
        task = progress.add_task("KYC and deposits", total=lifecycles)
        for start in range(0, lifecycles, KYC_BATCH):
            batch = customers[start : start + KYC_BATCH]
            day.system.registry.setVerifiedBatch(
                [a.address for a in batch],
                jurisdiction("CN"),
                chain.time() + 86400 * 365,
                {"from": c.compliance.account},
            )
            for n, customer in enumerate(batch):
                # Gas money from the node's spare accounts. Development networks send every transaction with the
                # block gas limit, and the node wants limit x price (0.06 ether at 2 gwei) up front.
                accounts[10 + (start + n) % 10].transfer(customer, "0.2 ether")
                dcny.mint(
                    customer,
                    rng.randint(100_00, 2_000_00),
                    keccak(text=f"load deposit {customer}"),
                    {"from": c.mainland_bank.account},
                )
                progress.advance(task)

        task = progress.add_task("payments", total=lifecycles)
        for i, customer in enumerate(customers):
            kind = rng.choice(KINDS)
            amount = rng.randint(1_00, 90_00)
            began = time.perf_counter()
            gas = _pay(kind, customer, amount, i, rng, day, merchant)
            result.payment_seconds += time.perf_counter() - began
            result.gas_by_kind[kind].append(gas)
            result.payments += 1
            progress.advance(task)
        settlement.settle(dcny, [merchant.id], {"from": c.acquirer.account})
    result.total_seconds = time.perf_counter() - started
    return result


def _pay(kind: str, customer, amount: int, i: int, rng, day, merchant) -> int:
    """Makes one payment of `kind`; returns its gas (approvals counted once they are needed for it)."""
    from brownie import chain

    c, settlement, dcny = day.cast, day.system.settlement, day.system.tokens["dCNY"]
    if kind == "static QR transfer":
        return dcny.transfer(merchant.payout.address, amount, {"from": customer}).gas_used
    intent = PaymentIntent(merchant.id, dcny.address, amount, order_ref(f"load-{i}"), chain.time() + 3600)
    if kind == "gasless charge (EIP-3009)":
        nonce = authorization_nonce(settlement.paymentId(intent.as_tuple(), customer), capture=True)
        valid_before = chain.time() + 600
        signature = sign_authorization(
            customer.private_key,
            dcny,
            chain.id,
            customer.address,
            settlement.address,
            amount,
            0,
            valid_before,
            bytes(nonce),
            receive=True,
        )
        return settlement.chargeWithAuthorization(
            intent.as_tuple(), customer.address, 0, valid_before, *signature.as_args(), {"from": c.relayer.account}
        ).gas_used
    gas = dcny.approve(settlement, amount, {"from": customer}).gas_used
    if kind == "dynamic QR charge":
        tx = settlement.charge(intent.as_tuple(), {"from": customer})
        gas += tx.gas_used
        if rng.random() < 0.1:  # one charge in ten is partly refunded
            gas += settlement.refund(tx.return_value, amount // 2, {"from": merchant.operator.account}).gas_used
        return gas
    tx = settlement.authorize(intent.as_tuple(), {"from": customer})
    return gas + tx.gas_used + settlement.capture(tx.return_value, amount, {"from": merchant.operator.account}).gas_used


def report(result: LoadResult, console: Console, path: Path) -> None:
    data = result.as_dict()
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    table = Table(title=f"Load: {result.lifecycles} customer lifecycles")
    for column in ("payment kind", "payments", "gas per payment"):
        table.add_column(column, justify="left" if column == "payment kind" else "right")
    for kind, figures in data["byKind"].items():
        table.add_row(kind, f"{figures['payments']:,}", f"{figures['gasPerPayment']:,}")
    table.add_row("[bold]all", f"[bold]{data['payments']:,}", f"[bold]{data['gasPerPayment']:,}")
    console.print(table)
    console.print(
        f"{data['paymentsPerSecond']} payments per second ({data['payments']} payments in "
        f"{data['paymentSeconds']} s of payment transactions; {data['totalSeconds']} s with onboarding); "
        f"written to {path.relative_to(path.parent.parent)}"
    )


def lifecycles_from_env() -> int | None:
    raw = os.environ.get("LIFECYCLES", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"demo: LIFECYCLES must be a positive whole number, got {raw!r}")
    return int(raw)
