"""Gas report and regression gate (scripts/gas_report.py runs these on the connected brownie network).

    make gas            measure every benchmark (crosspay/tooling/benchmarks/*), write reports/gas-report.{md,json,png}
                        and the README's gas table
    make gas-check      measure again and fail, naming the figure, when any grew more than GAS_TOLERANCE (default
                        0.01 = 1 %) over reports/gas-baseline.json, and naming the contract, when one's runtime code
                        is over 22,000 bytes (crosspay.tooling.gasgate.SIZE_LIMIT)
    make gas-baseline   measure and rewrite reports/gas-baseline.json on purpose

Fiat costs use GAS_PRICE_GWEI (default 10), ETH_USD (default 3000) and USD_CNY (default 7.1) from the environment.
Every figure is a receipt's gasUsed, the 21,000 base included; nothing is typed in.
"""

import importlib
import json
import os
import pkgutil
import statistics
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

import crosspay.tooling.benchmarks
from crosspay._utils.console import quiet
from crosspay._utils.files import replace_block, write_atomic
from crosspay._utils.paths import REPORTS, ROOT
from crosspay.tooling.gas import BLOCK_GAS_LIMIT, GasFigure
from crosspay.tooling.gasgate import EIP170_LIMIT, SIZE_LIMIT, compare, over_target, oversized

README = ROOT / "README.md"
BASELINE = REPORTS / "gas-baseline.json"


def prices() -> dict:
    return {
        "gasPriceGwei": float(os.environ.get("GAS_PRICE_GWEI", 10)),
        "ethUsd": float(os.environ.get("ETH_USD", 3000)),
        "usdCny": float(os.environ.get("USD_CNY", 7.1)),
    }


def fiat(gas: int, p: dict) -> tuple[float, float]:
    usd = gas * p["gasPriceGwei"] * 1e-9 * p["ethUsd"]
    return usd, usd * p["usdCny"]


def collect() -> list[GasFigure]:
    figures = []
    with quiet():
        for module_info in sorted(pkgutil.iter_modules(crosspay.tooling.benchmarks.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"crosspay.tooling.benchmarks.{module_info.name}")
            figures.extend(module.measure())
    return figures


def contract_sizes() -> dict[str, int]:
    """Every compiled contract of the project with code, by name: its runtime code in bytes (the deployed bytecode,
    what EIP-170 limits; link placeholders and immutables take the bytes they will hold)."""
    from brownie import project

    sizes = {}
    for loaded in project.get_loaded_projects():
        for container in loaded:
            size = len(container._build.get("deployedBytecode") or "") // 2
            if size:
                sizes[container._name] = size
    return dict(sorted(sizes.items()))


def function_stats() -> tuple[list[dict], list[dict]]:
    """Per contract function: calls and min/median/max gasUsed; per deployment: gas and runtime code size (read back
    from the chain at the deployed address)."""
    from brownie import web3
    from brownie.network import history

    calls, deployments = {}, {}
    for tx in history:
        if tx.status != 1 or not tx.contract_name:
            continue
        if tx.contract_address:  # a deployment (of a contract or a linked library)
            deployments.setdefault(tx.contract_name, (tx.gas_used, tx.contract_address))
        elif tx.fn_name:
            calls.setdefault((tx.contract_name, tx.fn_name), []).append(tx.gas_used)
    functions = [
        {
            "contract": c,
            "function": f,
            "calls": len(g),
            "min": min(g),
            "median": int(statistics.median(g)),
            "max": max(g),
        }
        for (c, f), g in sorted(calls.items())
    ]
    deployed = [
        {"contract": name, "gas": gas, "runtimeBytes": len(web3.eth.get_code(address))}
        for name, (gas, address) in sorted(deployments.items())
    ]
    return functions, deployed


def _row(f: GasFigure, p: dict) -> str:
    usd, cny = fiat(f.gas_used, p)
    status = {None: "", True: "meets", False: "**over**"}[f.meets_target] + (" (gated)" if f.gated else "")
    target = f"{f.target:,}" if f.target else ""
    floor = f"{f.floor:,}" if f.floor else ""
    return (
        f"| {f.area} | {f.name} | {f.gas_used:,} | {target} | {status} | {floor} | {f.per_block:,} "
        f"| {usd:.4f} | {cny:.4f} | {f.note} |"
    )


def markdown_table(figures, p: dict) -> str:
    lines = [
        f"Fiat at {p['gasPriceGwei']:g} gwei, {p['ethUsd']:,.0f} USD/ETH, {p['usdCny']:g} CNY/USD. "
        f"Per block: how many fit in {BLOCK_GAS_LIMIT:,} gas.",
        "",
        "| area | operation | gas used | target | status | EVM floor | per block | USD | CNY | note |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    ordered = [f for f in figures if f.kind == "scenario"] + [f for f in figures if f.kind != "scenario"]
    lines += [_row(f, p) for f in ordered]
    return "\n".join(lines) + "\n"


def markdown(figures, functions, deployments, sizes: dict, p: dict) -> str:
    out = [
        "# Gas report",
        "",
        "Measured by `make gas` (scripts/gas_report.py) on a fresh local chain: each figure is a receipt's gasUsed, "
        "the 21,000 base included.",
        "",
        "## Scenarios and operations",
        "",
        markdown_table(figures, p),
        "## Per contract function (every call the benchmarks made)",
        "",
        "| contract | function | calls | min | median | max |",
        "|---|---|---:|---:|---:|---:|",
        *(
            f"| {r['contract']} | {r['function']} | {r['calls']} | {r['min']:,} | {r['median']:,} | {r['max']:,} |"
            for r in functions
        ),
        "",
        "## Deployments",
        "",
        "| contract | deployment gas | runtime code (bytes) |",
        "|---|---:|---:|",
        *(f"| {d['contract']} | {d['gas']:,} | {d['runtimeBytes']:,} |" for d in deployments),
        "",
        "## Contract sizes",
        "",
        f"Runtime code (the deployed bytecode) of every compiled contract with code. EIP-170 caps it at "
        f"{EIP170_LIMIT:,} bytes; `make gas-check` fails on any contract over {SIZE_LIMIT:,} (issue 9).",
        "",
        "| contract | runtime code (bytes) | room under the limit |",
        "|---|---:|---:|",
        *(f"| {name} | {size:,} | {SIZE_LIMIT - size:,} |" for name, size in sizes.items() if size > 100),
        "",
    ]
    return "\n".join(out)


def chart(figures, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [f for f in figures if f.kind == "scenario"] or figures
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(shown) + 1.5))
    names = [f.name for f in shown]
    ax.barh(names, [f.gas_used for f in shown], color="#4c72b0", label="gas used")
    targets = [(i, f.target) for i, f in enumerate(shown) if f.target]
    if targets:
        ax.scatter([t for _, t in targets], [i for i, _ in targets], marker="|", s=300, color="#c44e52", label="target")
    ax.invert_yaxis()
    ax.set_xlabel("gas used (21,000 base included)")
    ax.set_title("Crosspay gas per scenario")
    ax.legend(loc="lower right")
    fig.tight_layout()
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, path)
    plt.close(fig)


def update_readme(table: str) -> None:
    """Replaces the README's block between the gas-report markers with the table just measured."""
    replace_block(README, "gas-report", table)


def print_table(console: Console, figures, p: dict) -> None:
    table = Table(title="Gas used (21,000 base included)")
    for column in ("area", "operation", "gas used", "target", "status", "per block", "USD"):
        table.add_column(column, justify="right" if column in ("gas used", "target", "per block", "USD") else "left")
    for f in figures:
        status = {None: "", True: "[green]meets[/]", False: "[red]over[/]"}[f.meets_target]
        usd, _ = fiat(f.gas_used, p)
        table.add_row(
            f.area,
            f.name,
            f"{f.gas_used:,}",
            f"{f.target:,}" if f.target else "",
            status,
            f"{f.per_block:,}",
            f"{usd:.4f}",
        )
    console.print(table)


def report():
    """make gas"""
    console = Console(file=sys.stdout, width=150)
    p = prices()
    figures = collect()
    functions, deployments = function_stats()
    sizes = contract_sizes()
    REPORTS.mkdir(exist_ok=True)
    report = {
        "prices": p,
        "figures": [f.as_dict() for f in figures],
        "functions": functions,
        "deployments": deployments,
        "runtimeSizes": sizes,
    }
    write_atomic(REPORTS / "gas-report.json", json.dumps(report, indent=2) + "\n")
    write_atomic(REPORTS / "gas-report.md", markdown(figures, functions, deployments, sizes, p))
    chart(figures, REPORTS / "gas-report.png")
    update_readme(markdown_table(figures, p))
    print_table(console, figures, p)
    console.print("wrote reports/gas-report.md, .json, .png and the README's gas table")


def baseline():
    """make gas-baseline"""
    figures = collect()
    write_atomic(BASELINE, json.dumps([f.as_dict() for f in figures], indent=2) + "\n")
    print(f"wrote {BASELINE.relative_to(ROOT)} with {len(figures)} figures")


def check() -> int:
    """make gas-check: returns 1, naming each figure that grew beyond the tolerance and each contract whose runtime
    code is over SIZE_LIMIT."""
    tolerance = float(os.environ.get("GAS_TOLERANCE", 0.01))
    too_big = oversized(contract_sizes())
    for contract in too_big:
        print(f"gas-check: TOO LARGE {contract}")
    if not BASELINE.exists():
        print(f"gas-check: {BASELINE.relative_to(ROOT)} is missing; run `make gas-baseline` and commit it.")
        return 1
    measured = [f.as_dict() for f in collect()]
    regressions, missing = compare(json.loads(BASELINE.read_text()), measured, tolerance)
    over = over_target(measured)
    for name in missing:
        print(f"gas-check: {name} is in the baseline but was not measured (renamed? run `make gas-baseline`)")
    for regression in regressions:
        print(f"gas-check: REGRESSION {regression}")
    for figure_ in over:
        print(f"gas-check: OVER TARGET {figure_}")
    if regressions or missing or too_big or over:
        return 1
    gated = sum(1 for e in measured if e.get("gated"))
    print(
        f"gas-check: {len(measured)} figures within {tolerance:.1%} of the baseline; {gated} gated figures within "
        f"their targets; every contract's runtime code within {SIZE_LIMIT:,} bytes"
    )
    return 0
