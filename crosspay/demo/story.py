"""A narrated run of the system: chapters and steps told by named actors, one line per step with its gas, a progress
count, and a JSON log (reports/lifecycle.json).

Each step is a block run as it is told; it hands the transactions it sent to `step.sent(...)`, which returns the
(last) receipt so its result can go straight into a named variable:

    with Story(console) as story:
        story.chapter("Dynamic-QR payments")
        with story.step(li_wei, "authorizes 300.00 dCNY") as step:
            banquet = step.sent(settlement.authorize(intent, {"from": li_wei.account})).return_value
        with story.step(noodles.operator, "captures 180.00") as step:
            step.sent(settlement.capture(banquet, 180_00, {"from": noodles.operator.account}))

brownie's own per-transaction printing is silenced inside a step; a failing step raises StepFailed, naming the step.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from crosspay._utils.console import quiet
from crosspay._utils.files import write_atomic


class StepFailed(Exception):
    """A step of the story failed; the message names the step and the cause in one line."""

    def __init__(self, record: StepRecord, cause: Exception):
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        super().__init__(f"step '{record.actor} {record.action}' failed: {type(cause).__name__}: {first}")
        self.cause = cause


@dataclass
class StepRecord:
    chapter: str
    actor: str
    action: str
    transactions: list = field(default_factory=list)
    gas_used: int = 0
    qr: list = field(default_factory=list)


class Step:
    """The step being told: what it sent, and the QR codes it showed."""

    def __init__(self, record: StepRecord):
        self.record = record

    def sent(self, *receipts):
        """Records the transactions the step sent (brownie or web3.py receipts); returns the last one."""
        for tx in receipts:
            tx_hash, gas = _receipt(tx)
            self.record.transactions.append({"hash": tx_hash, "gasUsed": gas})
            self.record.gas_used += gas
        return receipts[-1] if receipts else None

    def showed_qr(self, payload: str, png: Path, kind: str) -> None:
        """Records a QR code the step showed: its exact payload (an EMVCo merchant QR, or an EIP-681 URI between
        wallets), the PNG it was rendered to, and which of the two `kind` it is ("emvco" or "eip681")."""
        self.record.qr.append({"kind": kind, "payload": payload, "png": str(png)})


class Story:
    """Chapters and steps, printed as they are told; use it as a context (`with Story(console) as story:`)."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(file=sys.stdout)
        self.records: list[StepRecord] = []
        self._chapter = ""
        self._progress = Progress(
            TextColumn("[bold blue]{task.description}"), BarColumn(), MofNCompleteColumn(), console=self.console
        )
        self._task = None

    def __enter__(self) -> Story:
        self._progress.start()
        self._task = self._progress.add_task("lifecycle", total=None)
        return self

    def __exit__(self, *exc) -> None:
        self._progress.update(self._task, total=len(self.records))
        self._progress.stop()

    def chapter(self, title: str) -> None:
        self._chapter = title
        self._progress.console.rule(f"[bold]{title}")

    @contextmanager
    def step(self, actor, action: str):
        """One step told by `actor` (an Actor, or a name such as "The clock")."""
        record = StepRecord(self._chapter, str(actor), action)
        try:
            with quiet():
                yield Step(record)
        except Exception as exc:
            raise StepFailed(record, exc) from exc
        self.records.append(record)
        gas = f"[dim]{record.gas_used:>9,} gas[/]" if record.transactions else f"[dim]{'view':>13}[/]"
        self._progress.console.print(f"{gas}  [cyan]{record.actor}[/] {record.action}")
        self._progress.advance(self._task)

    @property
    def emvco_payloads(self) -> list[dict]:
        """Every EMVCo payload the run issued, in order: the exact string, its PNG, and the step that showed it."""
        return [
            {"payload": shown["payload"], "png": shown["png"], "chapter": r.chapter, "step": f"{r.actor} {r.action}"}
            for r in self.records
            for shown in r.qr
            if shown["kind"] == "emvco"
        ]

    def write(self, path: Path, extra: dict | None = None) -> None:
        data = {
            "emvcoPayloads": self.emvco_payloads,
            "steps": [record.__dict__ for record in self.records],
            "totalGasUsed": sum(r.gas_used for r in self.records),
            **(extra or {}),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(data, indent=2) + "\n")


def _receipt(tx) -> tuple[str, int]:
    """(hash, gasUsed) of a brownie TransactionReceipt or a web3.py receipt (the two-ledger swap uses web3.py)."""
    if hasattr(tx, "txid"):
        return tx.txid, int(tx.gas_used)
    return tx["transactionHash"].to_0x_hex(), int(tx["gasUsed"])
