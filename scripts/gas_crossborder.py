"""Prints the cross-border gas figures on the connected network: brownie run scripts/gas_crossborder.py --network N"""

from rich.console import Console
from rich.table import Table

from crosspay.benchmarks.crossborder import measure


def main():
    table = Table("operation", "gasUsed", "target", "meets", "note", title="crossborder gas")
    for f in measure():
        table.add_row(f.name, f"{f.gas_used:,}", "" if f.target is None else f"{f.target:,}",
                      {True: "yes", False: "NO", None: ""}[f.meets_target], f.note)
    Console().print(table)
