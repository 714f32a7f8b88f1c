"""Measures gas of every benchmark in crosspay/benchmarks and writes reports/gas-report.{json,md}.

    brownie run scripts/gas_report.py --network ganache-cli      (or: make gas)
"""

import importlib
import json
import pkgutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

import crosspay.benchmarks
from crosspay.files import write_atomic

REPORTS = Path(__file__).resolve().parent.parent / "reports"


def collect() -> list:
    figures = []
    for module_info in sorted(pkgutil.iter_modules(crosspay.benchmarks.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"crosspay.benchmarks.{module_info.name}")
        figures.extend(module.measure())
    return figures


def markdown(figures) -> str:
    lines = [
        "# Gas report",
        "",
        "Measured by `make gas` (scripts/gas_report.py): each figure is a receipt's gasUsed, the 21,000 base included.",
        "",
        "| area | operation | gas used | target | status | note |",
        "|---|---|---:|---:|---|---|",
    ]
    for f in figures:
        status = {None: "", True: "meets", False: "**over**"}[f.meets_target]
        target = f"{f.target:,}" if f.target else ""
        lines.append(f"| {f.area} | {f.name} | {f.gas_used:,} | {target} | {status} | {f.note} |")
    return "\n".join(lines) + "\n"


def main():
    console = Console()
    figures = collect()
    REPORTS.mkdir(exist_ok=True)
    write_atomic(REPORTS / "gas-report.json", json.dumps([f.as_dict() for f in figures], indent=2) + "\n")
    write_atomic(REPORTS / "gas-report.md", markdown(figures))

    table = Table(title="Gas used (21,000 base included)")
    for column in ("area", "operation", "gas used", "target", "status"):
        table.add_column(column, justify="right" if column in ("gas used", "target") else "left")
    for f in figures:
        status = {None: "", True: "[green]meets[/]", False: "[red]over[/]"}[f.meets_target]
        table.add_row(f.area, f.name, f"{f.gas_used:,}", f"{f.target:,}" if f.target else "", status)
    console.print(table)
    console.print(f"wrote {REPORTS / 'gas-report.md'} and {REPORTS / 'gas-report.json'}")
