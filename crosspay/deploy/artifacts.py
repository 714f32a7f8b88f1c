"""A deployer for nodes brownie is not connected to: the two-ledger swap runs two chains at once, so it deploys the
plan over plain web3.py, from brownie's build artifacts (build/contracts/*.json, `brownie compile`).

The plan calls contracts the way brownie does (`contract.fn(*args)` reads, `contract.fn(*args, {"from": a})` sends);
`Handle` gives a web3.py contract that shape, and the web3.py contract itself as `Handle.web3`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from web3 import Web3

from crosspay._utils.paths import BUILD

ARTIFACTS = BUILD / "contracts"
# A link placeholder in brownie's bytecode: the library's name padded with underscores to 40 hex characters.
PLACEHOLDER = re.compile(r"__[A-Za-z0-9]+_*")


def artifact(name: str, directory: Path = ARTIFACTS) -> dict:
    """brownie's build artifact of contract `name` (abi, bytecode, ...)."""
    path = directory / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `brownie compile` first")
    return json.loads(path.read_text())


def link(bytecode: str, libraries: dict) -> str:
    """`bytecode` with each library placeholder replaced by the library's address (`libraries`: name -> address)."""

    def address(match) -> str:
        name = match.group(0).strip("_")
        if name not in libraries:
            raise KeyError(f"the bytecode links {name}, which is not deployed")
        return str(libraries[name]).lower().removeprefix("0x")

    return PLACEHOLDER.sub(address, bytecode)


def _plain(value):
    """An argument as web3.py takes it: contracts and accounts by address."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value.address if hasattr(value, "address") else value


class Handle:
    """A deployed contract, called like a brownie contract."""

    def __init__(self, deployer: ArtifactDeployer, name: str, address: str, abi: list):
        self._deployer, self._name, self.address = deployer, name, address
        self.web3 = deployer.w3.eth.contract(address=address, abi=abi)
        self._views = {e["name"] for e in abi if e.get("stateMutability") in ("view", "pure")}

    def __getattr__(self, function: str):
        if function.startswith("_"):
            raise AttributeError(function)
        if function in self._views:
            return lambda *args: self.web3.functions[function](*_plain(args)).call()

        def send(*args):
            *args, params = args
            return self._deployer.send(
                self.web3.functions[function](*_plain(args)), params["from"], f"{self._name}.{function}"
            )

        return send

    def __str__(self) -> str:
        return self.address


class ArtifactDeployer:
    """Deploys and configures through the plan on `w3`, sending from the node's unlocked `account`; every receipt is
    appended to `log` as (what, receipt); `label` names the chain in errors."""

    dry_run = False

    def __init__(self, w3: Web3, account: str, log: list | None = None, label: str = ""):
        self.w3, self.account, self.label = w3, account, label
        self.known: dict = {}
        self.log = log if log is not None else []

    def send(self, call, sender: str, what: str):
        """Sends a contract call (or a constructor) from an unlocked account and waits for it; raises if it
        reverted."""
        tx_hash = call.transact({"from": sender})
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
        if receipt.status != 1:
            raise RuntimeError(f"{self.label or f'chain {self.w3.eth.chain_id}'}: {what} reverted")
        self.log.append((what, receipt))
        return receipt

    @staticmethod
    def container(name: str) -> dict:
        return artifact(name)

    def now(self) -> int:
        return self.w3.eth.get_block("latest").timestamp

    def contract(self, name: str, container: dict, *args) -> Handle:
        if name in self.known:
            return self.known[name]
        # The plan deploys a contract's linked libraries before it (as parts of their own): link to those.
        bytecode = link(container["bytecode"], {n: h.address for n, h in self.known.items()})
        factory = self.w3.eth.contract(abi=container["abi"], bytecode=bytecode)
        receipt = self.send(factory.constructor(*_plain(args)), self.account, f"deploy {name}")
        self.known[name] = Handle(self, name, receipt.contractAddress, container["abi"])
        return self.known[name]

    def ensure(self, name: str, is_done, send, estimate=None):
        """Runs the step `send()` unless `is_done()` says the chain already has it."""
        if not is_done():
            return send({"from": self.account})
        return None
