"""Deploying the whole plan on the connected network, recorded in deployments/<chainId>.json and resumable, or as a
dry run that lists and prices it; and the command line of scripts/deploy.py.

On a live network the deployer is DEPLOYER_PRIVATE_KEY (environment or .env) or the brownie keystore account named
by DEPLOYER_KEYSTORE (its password in DEPLOYER_KEYSTORE_PASSWORD, else asked). Confirmations awaited per
transaction: DEPLOY_CONFIRMATIONS (default 2). Role holders default to the deployer; DEPLOY_ROLES_FILE names a JSON
file with the fields of crosspay.deploy.plan.Roles to set them (final_admin is offered the admin role at the end).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from crosspay.deploy.network import (
    connect,
    deployer_account,
    disable_brownie_live_deployment_cache,
    is_live,
    recheck_dropped_transactions,
    setting,
)
from crosspay.deploy.plan import Roles, System, deploy
from crosspay.deploy.record import Deployer, DeploymentError, DeploymentRecord


def roles_from_settings(account) -> Roles:
    """DEPLOY_ROLES_FILE's role holders, else the deployer for every role."""
    path = setting("DEPLOY_ROLES_FILE")
    if not path:
        return Roles.all(str(account))
    try:
        roles = Roles(**json.loads(Path(path).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise DeploymentError(f"DEPLOY_ROLES_FILE={path} is not a readable Roles JSON file ({exc}).") from None
    if roles.missing():
        raise DeploymentError(f"DEPLOY_ROLES_FILE={path} does not name: {', '.join(roles.missing())}.")
    return roles


def deploy_on_network(dry_run: bool = False, console=None, roles: Roles | None = None) -> System | None:
    """Deploys (or, with dry_run, estimates) the whole plan on the connected network. Returns the System.

    `roles` defaults to DEPLOY_ROLES_FILE, else the deployer for every role."""
    from brownie import chain, network, web3
    from rich.console import Console
    from rich.table import Table

    disable_brownie_live_deployment_cache()
    recheck_dropped_transactions()
    console = console or Console(file=sys.stdout)
    live = is_live()
    account = deployer_account()
    genesis = web3.eth.get_block(0).hash.to_0x_hex()
    throwaway = not live and network.rpc.is_child()  # a local chain this process launched itself
    record = DeploymentRecord.open(chain.id, genesis, throwaway_chain=throwaway)
    confirmations = int(setting("DEPLOY_CONFIRMATIONS") or 2) if live else 1
    roles = roles or roles_from_settings(account)

    # Estimate first: a dry run prints it; a real run refuses an unfunded deployer before sending anything.
    estimate = Deployer(record, account, dry_run=True)
    deploy(estimate, roles)
    gas_price = web3.eth.gas_price
    total_gas = sum(p.gas for p in estimate.planned)
    cost = total_gas * gas_price
    if dry_run:
        table = Table(title=f"Dry run on {network.show_active()} (chain {chain.id}): nothing sent")
        table.add_column("transaction")
        table.add_column("estimated gas", justify="right")
        table.add_column("cost (ETH)", justify="right")
        for p in estimate.planned:
            table.add_row(p.description, f"{p.gas:,}", f"{p.gas * gas_price / 1e18:.6f}")
        table.add_row("[bold]total", f"[bold]{total_gas:,}", f"[bold]{cost / 1e18:.6f}")
        console.print(table)
        console.print(
            f"gas price {gas_price / 1e9:.3f} gwei; deployer {account}; "
            f"already recorded: {', '.join(record.data['contracts']) or 'nothing'}; "
            "role grants and configuration follow the deployments (about 52,000 gas each)."
        )
        return None
    if account.balance() < cost:
        raise DeploymentError(
            f"deployer {account} holds {account.balance() / 1e18:.6f} ETH; deploying needs about {cost / 1e18:.6f} ETH "
            f"at {gas_price / 1e9:.3f} gwei: fund it and rerun."
        )

    def report(description, tx):
        console.print(f"  [green]✓[/] {description}  [dim]{tx.gas_used:,} gas, {tx.txid[:10]}…[/]")

    deployer = Deployer(
        record,
        account,
        tx_params={"required_confs": confirmations},
        on_transaction=report,
        pause_after=os.environ.get("CROSSPAY_DEPLOY_PAUSE_AFTER"),
    )
    system = deploy(deployer, roles)
    console.print(f"[bold]Crosspay deployed on chain {chain.id}[/]: recorded in {record.path}")
    return system


def main(argv=None) -> int:
    """`python scripts/deploy.py --network NAME [--dry-run]`: every setup problem is one line."""
    import argparse

    parser = argparse.ArgumentParser(description="Deploy the Crosspay suite.")
    parser.add_argument("--network", required=True, help="a brownie network id, e.g. sepolia or ganache-cli")
    parser.add_argument("--dry-run", action="store_true", help="estimate and list, send nothing")
    args = parser.parse_args(argv)
    return _one_line_on_failure(lambda: (connect(args.network), deploy_on_network(dry_run=args.dry_run)))


def brownie_main() -> int:
    """`brownie run scripts/deploy.py` (the network is already connected; DRY_RUN=1 for a dry run)."""
    return _one_line_on_failure(lambda: deploy_on_network(dry_run=os.environ.get("DRY_RUN", "") not in ("", "0")))


def _one_line_on_failure(run) -> int:
    try:
        run()
    except DeploymentError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("deploy: interrupted; rerun to resume from what is recorded.", file=sys.stderr)
        return 130
    except Exception as exc:  # a node that died mid-way, a reverted transaction: one line, the record stays whole
        print(
            f"deploy: stopped: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}; "
            "rerun to resume from what is recorded.",
            file=sys.stderr,
        )
        return 1
    return 0
