"""`make demo`: deploys the system (recorded, like scripts/deploy.py), tells the day (or, with LIFECYCLES or
LOAD_SCALING, its onboarding and deposits, then the load mode: crosspay.demo.load), prints the summary tables, checks
conservation on chain and writes reports/lifecycle.json and reports/qr/ (and reports/load.json, reports/load.png)."""

from __future__ import annotations

import os
import sys

from rich.console import Console

from crosspay._utils.console import one_line, quiet
from crosspay._utils.paths import REPORTS
from crosspay.demo import chapters
from crosspay.demo.cast import cast
from crosspay.demo.checks import conservation_problems
from crosspay.demo.story import Story
from crosspay.demo.tables import balances_table, fees_table, settlement_table
from crosspay.deploy.run import deploy_on_network


def run_demo(load_sizes: list[int] | None = None) -> int:
    """Plays the day (or the load mode: one run of N customer lifecycles per N in `load_sizes`); returns the exit
    code."""
    from brownie import chain

    console = Console(file=sys.stdout)
    swap = None
    lifecycles = bool(load_sizes)
    load_ok = True
    try:
        with quiet():
            c = cast()
        system = deploy_on_network(console=console, roles=c.roles())
        with Story(console) as story:
            day = chapters.Day(story, c, system, chain)
            if lifecycles:
                chapters.onboarding(day)
                chapters.deposits(day)
            else:
                swap = chapters.a_day(day)
        if lifecycles:
            from crosspay.demo.load.demo import run_sizes

            load_ok = run_sizes(day, load_sizes, console, seed=int(os.environ.get("LOAD_SEED") or 0))
    except Exception as exc:  # a node that died, a step that reverted: one line, non-zero exit
        console.print(f"[red]demo stopped:[/] {one_line(exc)}; nothing is half-written, rerun `make demo`.")
        return 1
    tables = [balances_table] if lifecycles else [balances_table, fees_table, settlement_table]
    for table in tables:
        console.print(table(system, c))
    problems = conservation_problems(system, c, swap)
    story.write(REPORTS / "lifecycle.json", {"conservation": problems or "ok"})
    if problems:
        for problem in problems:
            console.print(f"[red]conservation broken:[/] {problem}")
        return 1
    if not load_ok:
        return 1
    console.print(
        "[green]conservation holds[/]: supplies match mints and redemptions, every contract holds exactly "
        "its open records. Log: reports/lifecycle.json, QR images: reports/qr/"
    )
    return 0
