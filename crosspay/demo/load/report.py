"""The load mode's report: reports/load.json (every run kept, by node and N), reports/load.png (throughput and
latency against N, and how time and gas grow with N), and the terminal's tables, with the issue's targets compared:

- payments/s x transactions per payment (= the payment phase's transactions/s) >= 50 % of the node's pipelined
  ceiling measured in the same run, on Anvil and on Ganache;
- >= 60 payments/s on Anvil.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from rich.table import Table

from crosspay._utils.files import write_atomic

SHARE_OF_CEILING = 0.5
ANVIL_PAYMENTS_PER_SECOND = 60


def targets(figures: dict) -> dict:
    """The issue's targets for one run: each with what was measured and by how much it was met or missed."""
    out = {}
    if "ceiling" in figures:
        share = figures["shareOfCeiling"]
        out["shareOfCeiling"] = {"target": SHARE_OF_CEILING, "measured": share, "met": share >= SHARE_OF_CEILING}
    if figures["node"] == "anvil":
        pps = figures["paymentsPerSecond"]
        out["anvilPaymentsPerSecond"] = {"target": ANVIL_PAYMENTS_PER_SECOND, "measured": pps,
                                         "met": pps >= ANVIL_PAYMENTS_PER_SECOND}  # fmt: skip
    return out


def record(path: Path, result, command: str) -> dict:
    """Adds `result` to the runs in `path` (replacing an earlier run of the same node and N); returns the entry."""
    data = json.loads(path.read_text()) if path.exists() else {}
    if "runs" not in data:  # the old single-run format
        data = {"runs": {}}
    data["about"] = (
        "make demo LIFECYCLES=N (LOAD_SCALING=1 for N = 100, 1,000, 10,000): one entry per node and N, each with the "
        "ceiling measured in the same run. Targets (issue 12): txPerSecond >= 50 % of ceiling.txPerSecond; "
        ">= 60 payments/s on Anvil."
    )
    entry = {
        **result.figures,
        "targets": targets(result.figures),
        "incidents": result.incidents[:50],
        "failures": result.failures[:50],
        "conservation": result.problems or "ok",
        "command": command,
        "measuredAt": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    data["runs"].setdefault(result.network, {})[str(result.lifecycles)] = entry
    data["runs"][result.network] = dict(sorted(data["runs"][result.network].items(), key=lambda kv: int(kv[0])))
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    return data


def readme_table(data: dict) -> str:
    """The README's load block: one row per node and N recorded in reports/load.json."""
    rows = [
        "| node | N | payments/s | tx/s | tx per payment | ceiling tx/s | tx/s of ceiling | p50 / p95 / p99 ms "
        "| gas per payment | load average | measured |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for node, runs in sorted(data["runs"].items()):
        for n, f in runs.items():
            lat, ceiling = f["latencyMs"], f.get("ceiling", {})
            latency = f"{lat.get('p50')} / {lat.get('p95')} / {lat.get('p99')}"
            share = f"{f['shareOfCeiling']:.0%}" if "shareOfCeiling" in f else ""
            rows.append(
                f"| {node} | {int(n):,} | {f['paymentsPerSecond']} | {f['txPerSecond']} | {f['txPerPayment']} "
                f"| {ceiling.get('txPerSecond', '')} | {share} | {latency} "
                f"| {f['gasPerPayment']:,} | {f['loadAverage']['before'][0]} | {f['measuredAt']} |"
            )
    return "\n".join(rows) + "\n"


def chart(data: dict, path: Path) -> None:
    """Three panels against N (log scale), every node recorded: throughput (payments/s, transactions/s and the
    ceiling), submit-to-receipt latency (p50, p95, p99) and the payment phase's seconds with gas per payment."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (throughput, latency, growth) = plt.subplots(1, 3, figsize=(16, 4.8))
    gas = growth.twinx()
    colors = {"anvil": "#c44e52", "ganache": "#4c72b0"}
    for node, runs in sorted(data["runs"].items()):
        ns = [int(n) for n in runs]
        figures = list(runs.values())
        color = colors.get(node, "#555555")
        throughput.plot(ns, [f["paymentsPerSecond"] for f in figures], "o-", color=color, label=f"{node} payments/s")
        throughput.plot(ns, [f["txPerSecond"] for f in figures], "s--", color=color, alpha=0.7, label=f"{node} tx/s")
        ceiling = [f.get("ceiling", {}).get("txPerSecond") for f in figures]
        throughput.plot(ns, ceiling, "^:", color=color, alpha=0.5, label=f"{node} ceiling tx/s")
        for q, style in (("p50", "o-"), ("p95", "s--"), ("p99", "^:")):
            latency.plot(ns, [f["latencyMs"].get(q) for f in figures], style, color=color, label=f"{node} {q}")
        growth.plot(ns, [f["seconds"]["payments"] for f in figures], "o-", color=color, label=f"{node} seconds")
        gas.plot(ns, [f["gasPerPayment"] for f in figures], "x:", color=color, label=f"{node} gas/payment")
    for ax, title, unit in (
        (throughput, "Throughput against N", "per second"),
        (latency, "Submit-to-receipt latency", "milliseconds"),
        (growth, "Payment phase: time (and gas per payment, dotted)", "seconds"),
    ):
        ax.set_xscale("log")
        ax.set_xlabel("N (customer lifecycles)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    growth.set_yscale("log")
    gas.set_ylabel("gas per payment")
    gas.set_ylim(bottom=0)
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=100)
    os.replace(tmp, path)
    plt.close(fig)


def show(console, result) -> None:
    """The run's tables and lines: per kind, the figures against the targets, incidents, failures."""
    f = result.figures
    table = Table(title=f"Load on {result.network}: {result.lifecycles:,} customer lifecycles")
    for column in ("payment kind", "payments", "tx per payment", "gas per payment"):
        table.add_column(column, justify="left" if column == "payment kind" else "right")
    for kind, k in f["byKind"].items():
        table.add_row(kind, f"{k['payments']:,}", f"{k['txPerPayment']:.2f}", f"{k['gasPerPayment']:,}")
    table.add_row("[bold]all", f"[bold]{f['payments']:,}", f"[bold]{f['txPerPayment']:.2f}",
                  f"[bold]{f['gasPerPayment']:,}")  # fmt: skip
    console.print(table)
    lat, sec = f["latencyMs"], f["seconds"]
    console.print(
        f"[bold]{f['paymentsPerSecond']} payments/s[/], {f['txPerSecond']} tx/s ({f['paymentTransactions']:,} "
        f"transactions in {sec['payments']} s); submit-to-receipt p50 {lat.get('p50')} ms, p95 {lat.get('p95')} ms, "
        f"p99 {lat.get('p99')} ms. Onboarding {sec['onboarding']} s, settlement {sec['settlement']} s, check "
        f"{sec['check']} s, all {sec['total']} s; load average {f['loadAverage']['before'][0]} -> "
        f"{f['loadAverage']['after'][0]} on {os.cpu_count()} cores."
    )
    if "ceiling" in f:
        c = f["ceiling"]
        console.print(
            f"Ceiling: {c['txPerSecond']} tx/s ({c['transfers']:,} plain ERC-20 transfers from "
            f"{c['senders']} senders, all in flight at once; the higher of a flood before and one after the "
            f"payments: {c['before']} and {c['after']} tx/s). Gas per second: payments {f['gasPerSecond']:,}, "
            f"ceiling {c['gasPerSecond']:,}."
        )
    for name, t in targets(f).items():
        verdict = "[green]met[/]" if t["met"] else "[red]missed[/]"
        if name == "shareOfCeiling":
            console.print(f"Target tx/s >= {t['target']:.0%} of the ceiling: {t['measured']:.0%}, {verdict}.")
        else:
            console.print(f"Target >= {t['target']} payments/s on Anvil: {t['measured']}, {verdict}.")
    for line in result.incidents[:20]:
        console.print(f"[yellow]incident[/] {line}")
    if len(result.incidents) > 20:
        console.print(f"[yellow]… and {len(result.incidents) - 20} more incidents[/] (reports/load.json)")
    for line in result.failures[:20]:
        console.print(f"[red]payment failed[/] {line}")


def show_scaling(console, results) -> None:
    """How time and gas grow with N (LOAD_SCALING=1)."""
    table = Table(title="Load scaling: how time and gas grow with N")
    for column in ("N", "payments/s", "tx/s", "ceiling tx/s", "payment phase s", "onboarding s", "p50 ms", "p99 ms",
                   "gas per payment", "gas, all payments"):  # fmt: skip
        table.add_column(column, justify="right")
    for result in results:
        f = result.figures
        table.add_row(
            f"{result.lifecycles:,}", f"{f['paymentsPerSecond']}", f"{f['txPerSecond']}",
            f"{f.get('ceiling', {}).get('txPerSecond', '')}", f"{f['seconds']['payments']}",
            f"{f['seconds']['onboarding']}", f"{f['latencyMs'].get('p50')}", f"{f['latencyMs'].get('p99')}",
            f"{f['gasPerPayment']:,}", f"{f['gasPerPayment'] * f['payments']:,}",
        )  # fmt: skip
    console.print(table)
