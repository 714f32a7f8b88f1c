"""A narrated run of the system: named actors, one line per step with its gas, a progress bar, and a JSON log.

Used by `make demo` (scripts/demo.py). A step is a callable that returns the transaction(s) it sent; the story
prints them, adds their gas, and writes every step to reports/lifecycle.json.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from crosspay._utils.console import quiet
from crosspay._utils.files import write_atomic


class StepFailed(Exception):
    """A step of the story failed; the message names the step and the cause in one line."""

    def __init__(self, step, cause: Exception):
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
        super().__init__(f"step '{step.actor} {step.action}' failed: {type(cause).__name__}: {first}")
        self.cause = cause


@dataclass
class Step:
    actor: str
    action: str
    run: object  # () -> receipt | list[receipt] | None
    chapter: str = ""


@dataclass
class StepRecord:
    chapter: str
    actor: str
    action: str
    transactions: list = field(default_factory=list)
    gas_used: int = 0
    qr: list = field(default_factory=list)


class Story:
    def __init__(self, console: Console | None = None):
        self.console = console or Console(file=sys.stdout)
        self.steps: list[Step] = []
        self.records: list[StepRecord] = []
        self._chapter = ""
        self._current: StepRecord | None = None

    def chapter(self, title: str) -> None:
        self._chapter = title

    def step(self, actor: str, action: str):
        """Decorator: adds the function as the next step of the current chapter."""

        def add(fn):
            self.steps.append(Step(actor, action, fn, self._chapter))
            return fn

        return add

    def add_qr(self, uri: str, png: Path) -> None:
        """Records a QR code the running step issued."""
        self._current.qr.append({"uri": uri, "png": str(png)})

    def run(self) -> list[StepRecord]:
        progress = Progress(
            TextColumn("[bold blue]{task.description}"), BarColumn(), MofNCompleteColumn(), console=self.console
        )
        chapter = None
        with progress:
            task = progress.add_task("lifecycle", total=len(self.steps))
            for step in self.steps:
                if step.chapter != chapter:
                    chapter = step.chapter
                    progress.console.rule(f"[bold]{chapter}")
                record = StepRecord(step.chapter, step.actor, step.action)
                self._current = record
                try:
                    with quiet():
                        result = step.run()
                except Exception as exc:
                    raise StepFailed(step, exc) from exc
                receipts = [] if result is None else result if isinstance(result, list) else [result]
                for tx in receipts:
                    tx_hash, gas = _receipt(tx)
                    record.transactions.append({"hash": tx_hash, "gasUsed": gas})
                    record.gas_used += gas
                self.records.append(record)
                gas = f"[dim]{record.gas_used:>9,} gas[/]" if receipts else f"[dim]{'view':>13}[/]"
                progress.console.print(f"{gas}  [cyan]{step.actor}[/] {step.action}")
                progress.advance(task)
        return self.records

    def write(self, path: Path, extra: dict | None = None) -> None:
        data = {
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
