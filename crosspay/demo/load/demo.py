"""The load mode inside `make demo`: the Setting from the deployed system and the day's cast, one run per N, the
report written and shown."""

from __future__ import annotations

import os

from crosspay._utils.files import replace_block
from crosspay._utils.paths import REPORTS, ROOT
from crosspay.demo.load.engine import Faults, Setting, run_load
from crosspay.demo.load.kinds import Keyed
from crosspay.demo.load.report import chart, readme_table, record, show, show_scaling

FUNDER = 10  # the node account that pays the load's gas money (the cast uses 0-8)


def setting_from_day(day) -> Setting:
    """Where the load runs: the day's deployment, its institutions (node accounts) and its FX desk."""
    from brownie import accounts, web3

    c, system = day.cast, day.system
    fx_key = c.fx_desk.account.private_key
    return Setting(
        url=web3.provider.endpoint_uri,
        registry=system.registry.address,
        settlement=system.settlement.address,
        escrow=system.escrow.address,
        tokens={symbol: token.address for symbol, token in system.tokens.items()},
        compliance=c.compliance.address,
        acquirer=c.acquirer.address,
        issuers={"dCNY": c.mainland_bank.address, "dHKD": c.harbour_bank.address},
        interchange={"dCNY": c.mainland_bank.address, "dHKD": c.harbour_bank.address},
        network=c.network.address,
        treasury=c.treasury.address,
        fx_desk=Keyed(c.fx_desk.address, bytes.fromhex(fx_key.removeprefix("0x"))),
        funder=accounts[FUNDER].address,
    )


def run_sizes(day, sizes: list[int], console, seed: int = 0) -> bool:
    """One load run per N in `sizes` on the day's chain, each recorded in reports/load.json and drawn in
    reports/load.png; returns whether every run kept every payment's money where the model says and no payment
    failed unless a forced fault (LOAD_FAULTS=1) made it."""
    setting = setting_from_day(day)
    forced = os.environ.get("LOAD_FAULTS", "").strip() not in ("", "0")
    faults = Faults(revert=1, out_of_gas=1, drop=1) if forced else None
    options = {"receipt_timeout": 3.0} if forced else {}
    scaling = len(sizes) > 1
    results, ok = [], True
    for n in sizes:
        console.rule(f"[bold]Load: {n:,} customer lifecycles")
        result = run_load(setting, n, seed, console, faults=faults, **options)
        command = "make demo LOAD_SCALING=1" if scaling else f"make demo LIFECYCLES={n}"
        data = record(REPORTS / "load.json", result, f"{command} NETWORK={result.network}")
        chart(data, REPORTS / "load.png")
        replace_block(ROOT / "README.md", "load-report", readme_table(data))
        show(console, result)
        for problem in result.problems:
            console.print(f"[red]conservation broken:[/] {problem}")
        if result.problems:
            ok = False
        elif result.unexpected_failures:
            console.print(f"[red]{result.unexpected_failures} payments failed[/] that no forced fault explains")
            ok = False
        else:
            console.print(
                f"[green]every payment's money is where the model says[/]: {len(result.figures['byKind'])} kinds, "
                "payers, merchants' pending settlements and payouts, fee ledgers, contracts and supplies."
            )
        results.append(result)
    if scaling:
        show_scaling(console, results)
    console.print("Written: reports/load.json, reports/load.png, the README's load table")
    return ok
