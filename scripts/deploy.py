"""Deploys the Crosspay suite and records it in deployments/<chainId>.json.

    make deploy NETWORK=sepolia [DRY_RUN=1]            (the same as the next line)
    python scripts/deploy.py --network sepolia [--dry-run]
    brownie run scripts/deploy.py --network sepolia     (brownie's runner; DRY_RUN=1 in the environment for a dry run)

On a live network the deployer is DEPLOYER_PRIVATE_KEY (environment or .env) or the brownie keystore account named
by DEPLOYER_KEYSTORE (its password in DEPLOYER_KEYSTORE_PASSWORD, else asked). Confirmations awaited per
transaction: DEPLOY_CONFIRMATIONS (default 2). Role holders default to the deployer; DEPLOY_ROLES_FILE names a JSON
file with the fields of crosspay.deploy.plan.Roles to set them (final_admin is offered the admin role at the end).
Rerunning resumes a deployment that stopped halfway; nothing recorded is deployed twice.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # crosspay/, when run as a plain program

from crosspay.deploy.record import DeploymentError  # noqa: E402


def _env(name: str) -> str | None:
    """A setting from the environment, else from .env (CROSSPAY_ENV_FILE names another file)."""
    from dotenv import dotenv_values

    env_file = Path(os.environ.get("CROSSPAY_ENV_FILE") or Path(__file__).resolve().parent.parent / ".env")
    return os.environ.get(name) or (dotenv_values(env_file).get(name) if env_file.exists() else None)


def deployer_account():
    """The deployer: the node's first account on a local chain, a key or keystore on a live one."""
    from brownie import accounts

    if "cmd" in _active_network():  # a local development chain: its first unlocked account
        return accounts[0]
    key = _env("DEPLOYER_PRIVATE_KEY")
    keystore = _env("DEPLOYER_KEYSTORE")
    if key:
        try:
            return accounts.add(key)
        except Exception:
            raise DeploymentError("DEPLOYER_PRIVATE_KEY is not a valid private key (64 hex digits).") from None
    if keystore:
        try:
            return accounts.load(keystore, password=_env("DEPLOYER_KEYSTORE_PASSWORD"))
        except FileNotFoundError:
            raise DeploymentError(f"no brownie keystore account named {keystore!r} (see `brownie accounts list`).") from None
    raise DeploymentError(
        "no deployer key: set DEPLOYER_PRIVATE_KEY (environment or .env) or DEPLOYER_KEYSTORE to a brownie keystore id."
    )


def _active_network() -> dict:
    from brownie._config import CONFIG

    return CONFIG.active_network


def _roles(account):
    from crosspay.deploy.plan import Roles

    path = _env("DEPLOY_ROLES_FILE")
    if not path:
        return Roles.all(str(account))
    try:
        return Roles(**json.loads(Path(path).read_text()))
    except (OSError, ValueError, TypeError) as exc:
        raise DeploymentError(f"DEPLOY_ROLES_FILE={path} is not a readable Roles JSON file ({exc}).") from None


def deploy(dry_run: bool = False, console=None, roles=None):
    """Deploys (or, with dry_run, estimates) the suite on the connected network. Returns the System.

    `roles` defaults to DEPLOY_ROLES_FILE, else the deployer for every role."""
    from brownie import chain, network, web3
    from rich.console import Console
    from rich.table import Table

    from crosspay.deploy.record import Deployer, DeploymentRecord
    from crosspay.deploy.network import disable_brownie_live_deployment_cache
    from crosspay.deploy.plan import deploy_system

    disable_brownie_live_deployment_cache()
    console = console or Console(file=sys.stdout)
    live = "cmd" not in _active_network()
    account = deployer_account()
    genesis = web3.eth.get_block(0).hash.to_0x_hex()
    throwaway = not live and network.rpc.is_child()  # a local chain this process launched itself
    record = DeploymentRecord.open(chain.id, genesis, throwaway_chain=throwaway)
    confirmations = int(_env("DEPLOY_CONFIRMATIONS") or 2) if live else 1
    roles = roles or _roles(account)

    # Estimate first: a dry run prints it; a real run refuses an unfunded deployer before sending anything.
    plan = Deployer(record, account, dry_run=True)
    deploy_system(plan, roles)
    gas_price = web3.eth.gas_price
    total_gas = sum(p.gas for p in plan.planned)
    cost = total_gas * gas_price
    if dry_run:
        table = Table(title=f"Dry run on {network.show_active()} (chain {chain.id}): nothing sent")
        table.add_column("transaction")
        table.add_column("estimated gas", justify="right")
        table.add_column("cost (ETH)", justify="right")
        for p in plan.planned:
            table.add_row(p.description, f"{p.gas:,}", f"{p.gas * gas_price / 1e18:.6f}")
        table.add_row("[bold]total", f"[bold]{total_gas:,}", f"[bold]{cost / 1e18:.6f}")
        console.print(table)
        console.print(f"gas price {gas_price / 1e9:.3f} gwei; deployer {account}; "
                      f"already recorded: {', '.join(record.data['contracts']) or 'nothing'}; "
                      "role grants and configuration follow the deployments (about 52,000 gas each).")
        return None
    if account.balance() < cost:
        raise DeploymentError(
            f"deployer {account} holds {account.balance() / 1e18:.6f} ETH; deploying needs about {cost / 1e18:.6f} ETH "
            f"at {gas_price / 1e9:.3f} gwei: fund it and rerun."
        )

    def report(description, tx):
        console.print(f"  [green]✓[/] {description}  [dim]{tx.gas_used:,} gas, {tx.txid[:10]}…[/]")

    deployer = Deployer(
        record, account, tx_params={"required_confs": confirmations}, on_transaction=report,
        pause_after=os.environ.get("CROSSPAY_DEPLOY_PAUSE_AFTER"),
    )
    system = deploy_system(deployer, roles)
    console.print(f"[bold]Crosspay deployed on chain {chain.id}[/]: recorded in {record.path}")
    return system


def main():
    """Entry point for `brownie run scripts/deploy.py` (the network is already connected)."""
    try:
        deploy(dry_run=os.environ.get("DRY_RUN", "") not in ("", "0"))
    except DeploymentError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        sys.exit(1)


def cli(argv=None) -> int:
    """Entry point for `python scripts/deploy.py --network NAME [--dry-run]`: every setup problem is one line."""
    parser = argparse.ArgumentParser(description="Deploy the Crosspay suite.")
    parser.add_argument("--network", required=True, help="a brownie network id, e.g. sepolia or ganache-cli")
    parser.add_argument("--dry-run", action="store_true", help="estimate and list, send nothing")
    args = parser.parse_args(argv)
    try:
        from crosspay.deploy.network import connect

        connect(args.network)
        deploy(dry_run=args.dry_run)
    except DeploymentError as exc:
        print(f"deploy: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("deploy: interrupted; rerun to resume from what is recorded.", file=sys.stderr)
        return 130
    except Exception as exc:  # a node that died mid-way, a reverted transaction: one line, the record stays whole
        print(f"deploy: stopped: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}; "
              "rerun to resume from what is recorded.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(cli())
