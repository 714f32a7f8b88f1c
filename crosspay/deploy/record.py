"""The record of a deployment, and the deployer that keeps it.

A recorded deployment (scripts/deploy.py, the demo) records every contract it creates in deployments/<chainId>.json
(address, transaction, block, deployer, constructor arguments, compiler settings, git commit), written atomically
after each transaction. A rerun reuses
what is recorded and sends only what is missing, so a deployment killed halfway finishes on the next run with
nothing deployed twice. Configuration steps (roles, fees, verifications) are idempotent: each checks the chain
before it sends.

A record is trusted only when its chain id and genesis block hash match the node's and every recorded address has
code. A record from a chain that was reset is refused; on a throwaway local chain that this process started itself,
it is replaced by a fresh record.

An immediate deployment (`Deployer.immediate`: the test fixtures, the gas benchmarks) sends the same transactions and
keeps its record in memory only.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from crosspay._utils.console import quiet
from crosspay._utils.files import write_atomic
from crosspay._utils.paths import ROOT


def deployments_dir() -> Path:
    """deployments/ in the project, or CROSSPAY_DEPLOYMENTS_DIR (tests keep their records apart)."""
    return Path(os.environ.get("CROSSPAY_DEPLOYMENTS_DIR") or ROOT / "deployments")


class DeploymentError(Exception):
    """A deployment cannot go on; the message is one line saying why and what to do."""


@functools.lru_cache(maxsize=1)
def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True)
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


@dataclass
class DeploymentRecord:
    """The JSON record of one chain's deployment (kept in memory only when `path` is None)."""

    path: Path | None
    data: dict = field(default_factory=dict)

    @classmethod
    def in_memory(cls) -> DeploymentRecord:
        return cls(None, {"contracts": {}, "steps": {}})

    @classmethod
    def open(cls, chain_id: int, genesis_hash: str, *, throwaway_chain: bool, directory: Path | None = None):
        path = Path(directory or deployments_dir()) / f"{chain_id}.json"
        if path.exists():
            try:
                data = json.loads(path.read_text())
            except json.JSONDecodeError as exc:
                raise DeploymentError(f"{path} is not valid JSON ({exc}); restore it from version control.") from exc
            if data.get("chainId") == chain_id and data.get("genesisHash") == genesis_hash:
                return cls(path, data)
            if not throwaway_chain:
                raise DeploymentError(
                    f"{path.name} records a chain with genesis {data.get('genesisHash')}, but this node's chain "
                    f"{chain_id} has genesis {genesis_hash}: the chain was reset or is another chain. "
                    f"Move {path} away to deploy afresh."
                )
            # A throwaway chain this process launched: the old record describes a chain that is gone.
        return cls(path, {"chainId": chain_id, "genesisHash": genesis_hash, "contracts": {}, "steps": {}})

    def contract(self, name: str) -> dict | None:
        return self.data["contracts"].get(name)

    def record_contract(self, name: str, entry: dict) -> None:
        self.data["contracts"][name] = entry
        self._save()

    def record_step(self, name: str, tx_hash: str) -> None:
        self.data["steps"][name] = tx_hash
        self._save()

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.data, indent=2) + "\n")


@dataclass
class PlannedTransaction:
    description: str
    gas: int


class Deployer:
    """Deploys and configures contracts against a DeploymentRecord, or, in a dry run, only estimates them.

    The plan (crosspay.deploy.plan) talks to any deployer through: `account`, `dry_run`, `known` (the contracts it
    already has, by name), `container(type)`, `contract(name, container, *args)`, `ensure(step, is_done, send)` and
    `now()`."""

    def __init__(
        self,
        record: DeploymentRecord,
        account,
        *,
        tx_params: dict | None = None,
        dry_run: bool = False,
        on_transaction=None,
        pause_after: str | None = None,
        known: dict | None = None,
    ):
        self.record = record
        self.account = account
        self.tx_params = {"from": account, **(tx_params or {})}
        self.dry_run = dry_run
        self.planned: list[PlannedTransaction] = []
        self.known = dict(known or {})
        self._on_transaction = on_transaction or (lambda description, tx: None)
        self._pause_after = pause_after

    @classmethod
    def immediate(cls, account, known: dict | None = None) -> Deployer:
        """A deployer that sends at once and records in memory only (test fixtures, gas benchmarks). `known`: the
        contracts, by plan name, that this deployment builds on."""
        return cls(DeploymentRecord.in_memory(), account, known=known)

    @staticmethod
    def container(name: str):
        """The loaded brownie project's contract type `name`."""
        import brownie  # the project's containers exist only once brownie has loaded it

        return getattr(brownie, name)

    @staticmethod
    def now() -> int:
        from crosspay.onchain import now

        return now()

    def contract(self, name: str, container, *args):
        """The known or recorded contract `name` if its code is on chain, else a new deployment of
        `container(*args)`."""
        from brownie import web3

        if name in self.known:
            return self.known[name]
        entry = self.record.contract(name)
        if entry is not None:
            if len(web3.eth.get_code(entry["address"])) == 0:
                raise DeploymentError(
                    f"{self.record.path.name} records {name} at {entry['address']} but there is no code there: "
                    f"the chain was reset; move {self.record.path} away to deploy afresh."
                )
            self.known[name] = container.at(entry["address"])
            return self.known[name]
        if self.dry_run:
            gas = _estimate_deployment(container, args, self.account)
            self.planned.append(PlannedTransaction(f"deploy {name}", gas))
            return None
        from brownie.network import history

        with quiet():
            contract = container.deploy(*args, self.tx_params)
        # The deployment's receipt: brownie attaches it as `contract.tx` from a background thread that can lose the
        # race (or fail) on live networks, so take it from the history of this process's transactions.
        tx = history[-1]
        if tx.contract_address != contract.address:
            raise DeploymentError(f"could not find the deployment transaction of {name} at {contract.address}.")
        self.record.record_contract(
            name,
            {
                "contract": container._name,
                "address": contract.address,
                "transactionHash": tx.txid,
                "block": tx.block_number,
                "deployer": str(self.account),
                "constructorArguments": [_jsonable(a) for a in args],
                "compiler": _compiler_settings(container),
                "gitCommit": git_commit(),
                "gasUsed": tx.gas_used,
            },
        )
        self.known[name] = contract
        self._on_transaction(f"deploy {name}", tx)
        if self._pause_after == name:  # test hook: hold here so a test can kill the process between two contracts
            while True:
                time.sleep(1)
        return contract

    def ensure(self, name: str, is_done, send, estimate=None):
        """Runs the configuration step `send()` unless `is_done()` says the chain already has it."""
        if self.dry_run:
            if estimate is not None:
                self.planned.append(PlannedTransaction(name, estimate()))
            return None
        if is_done():
            return None
        with quiet():
            tx = send(self.tx_params)
        self.record.record_step(name, tx.txid)
        self._on_transaction(name, tx)
        return tx


def _estimate_deployment(container, args, account) -> int:
    """The gas of deploying `container(*args)`. A contract whose linked libraries are only planned (a dry run deploys
    nothing) is estimated with the libraries linked to a stand-in address: a deployment's gas does not depend on it."""
    from brownie import web3
    from brownie.exceptions import UndeployedLibrary

    try:
        return container.deploy.estimate_gas(*args, {"from": account})
    except UndeployedLibrary:
        pass
    from crosspay.deploy.artifacts import link

    stand_in = {library: str(account) for library in linked_libraries(container.bytecode)}
    factory = web3.eth.contract(abi=container.abi, bytecode=link(container.bytecode, stand_in))
    plain = [a.address if hasattr(a, "address") else a for a in args]
    return factory.constructor(*plain).estimate_gas({"from": str(account)})


def linked_libraries(bytecode: str) -> set[str]:
    """The library names a brownie build's bytecode links (its `__Name___...` placeholders)."""
    from crosspay.deploy.artifacts import PLACEHOLDER

    return {marker.strip("_") for marker in PLACEHOLDER.findall(bytecode)}


def _jsonable(value):
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, int)):
        return value
    return str(value)


def _compiler_settings(container) -> dict:
    build = container._build
    return {
        "version": build.get("compiler", {}).get("version"),
        "evmVersion": build.get("compiler", {}).get("evm_version"),
        "optimizer": build.get("compiler", {}).get("optimizer"),
    }
