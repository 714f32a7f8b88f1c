"""The network a deployment runs on: connecting to a brownie network from a plain Python program, the deployer's
account and the settings from the environment or .env, each way to fail in one clear line."""

import os
import warnings
from pathlib import Path

from crosspay._utils.paths import BUILD, ROOT
from crosspay.deploy.record import DeploymentError


def connect(network_id: str):
    """Loads the brownie project and connects to `network_id` (launching a local chain for development networks)."""
    import brownie
    from brownie import network, project

    warnings.filterwarnings("ignore", message=r"rpc\.", category=FutureWarning)  # brownie 1.22 warns about itself
    from brownie._config import CONFIG

    if not project.get_loaded_projects():
        loaded = project.load(project.check_for_project())
        loaded.load_config()
        loaded._add_to_main_namespace()  # as brownie's own console does: `from brownie import DepositToken` works
    if network_id not in CONFIG.networks:
        known = ", ".join(sorted(n for n in CONFIG.networks if not n.endswith("-fork")))
        raise DeploymentError(f"unknown network {network_id!r}; brownie knows: {known}.")
    settings = CONFIG.networks[network_id]
    host = settings.get("host", "")
    if "$" in host:
        raise DeploymentError(
            f"network {network_id!r} needs an environment variable in its host ({host}); set it or add your own "
            f"RPC with `brownie networks modify {network_id} host=<url>`."
        )
    try:
        try:
            network.connect(network_id)
        except brownie.exceptions.ContractNotFound:
            # brownie caches live deployments in build/deployments/<chainid>/ and refuses to connect when they name
            # contracts the chain does not have (a reset chain). The cache is stale by definition; the project's own
            # record, deployments/<chainId>.json, is checked against the chain by the deploy script.
            _drop_brownie_deployment_cache(settings.get("chainid"))
            if network.is_connected():
                network.disconnect(kill_rpc=False)
            network.connect(network_id)
    except Exception as exc:
        raise DeploymentError(
            f"cannot reach the node of network {network_id!r} at {host}: {type(exc).__name__}; is it running?"
        ) from None
    if not network.is_connected():
        raise DeploymentError(f"cannot reach the node of network {network_id!r} at {host}; is it running?")
    return brownie


def _drop_brownie_deployment_cache(chain_id) -> None:
    import json
    import shutil

    build = BUILD / "deployments"
    shutil.rmtree(build / str(chain_id), ignore_errors=True)
    map_path = build / "map.json"
    if map_path.exists():
        deployment_map = json.loads(map_path.read_text())
        deployment_map.pop(str(chain_id), None)
        map_path.write_text(json.dumps(deployment_map, indent=2))


def disable_brownie_live_deployment_cache() -> None:
    """Switches off brownie's cache of live deployments (build/deployments/<chainid>/).

    In eth-brownie 1.22.2 the compiled `state._add_deployment` rejects brownie's own Sources object ("dict object
    expected; got Sources"), so every live deployment and every `Container.at()` on a live network fails there, in a
    background thread or in the caller. Crosspay keeps its own record (deployments/<chainId>.json), so nothing is lost.
    """
    import brownie.network.contract as contract_module

    contract_module._add_deployment = lambda contract: None


def recheck_dropped_transactions(grace: float = 2.0) -> None:
    """Makes brownie look for a receipt once more before it calls a transaction dropped.

    brownie 1.22 waits for a receipt in a thread that calls the transaction dropped ("Tx dropped without known
    replacement") as soon as the sender's nonce has moved past it while the node has no receipt for it. Under load (two
    test workers on two cores) Anvil now and then answers just so for a transaction it has mined, apparently between
    committing a block's state and storing its receipts: three different tests failed that way in two runs of the
    suite on Anvil, each on a transaction that was in the chain. With this patch a transaction brownie sees dropped
    is looked up for up to `grace` seconds; if its receipt turns up, brownie confirms it as usual. A transaction that
    is really gone is still reported dropped, `grace` seconds later. Installing twice is harmless."""
    import threading
    import time

    from brownie.network.transaction import Status, TransactionReceipt
    from brownie.network.web3 import web3
    from web3.exceptions import TransactionNotFound

    original = TransactionReceipt._await_confirmation
    if getattr(original, "rechecks_drops", False):
        return

    def mined_block(txid) -> int | None:
        try:
            receipt = web3.eth.get_transaction_receipt(txid)
        except TransactionNotFound:
            return None
        return receipt["blockNumber"] if receipt and receipt["blockHash"] is not None else None

    holds = threading.Lock()

    def hold(event) -> None:
        """Holds back `event.set()` (shadowed on the instance) until every hold on it is released."""
        with holds:
            event.holders = getattr(event, "holders", 0) + 1
            event.set = lambda: None

    def release(event) -> None:
        with holds:
            event.holders -= 1
            if event.holders:
                return
            del event.set
        event.set()

    def await_confirmation(self, block_number=None, required_confs=1):
        # Runs in brownie's confirmation thread, and in the caller's thread for `tx.wait(n)`. The caller waits on the
        # receipt's `_confirmed` event, which brownie sets as it gives up; it is held back until the recheck is done.
        confirmed = self._confirmed
        hold(confirmed)
        try:
            original(self, block_number, required_confs)
            deadline = time.monotonic() + grace
            while self.status == Status(-2) and time.monotonic() < deadline:
                block = mined_block(self.txid)
                if block is not None:
                    self.status = Status(-1)
                    original(self, block, required_confs)
                    break
                time.sleep(0.05)
        finally:
            release(confirmed)

    await_confirmation.rechecks_drops = True
    await_confirmation.__wrapped__ = original
    TransactionReceipt._await_confirmation = await_confirmation


def setting(name: str) -> str | None:
    """A setting from the environment, else from .env (CROSSPAY_ENV_FILE names another file)."""
    from dotenv import dotenv_values

    env_file = Path(os.environ.get("CROSSPAY_ENV_FILE") or ROOT / ".env")
    return os.environ.get(name) or (dotenv_values(env_file).get(name) if env_file.exists() else None)


def is_live() -> bool:
    """Whether the connected network is a live one (not a local chain brownie launches)."""
    from brownie._config import CONFIG

    return "cmd" not in CONFIG.active_network


def deployer_account():
    """The deployer: the node's first account on a local chain, a key or keystore on a live one."""
    from brownie import accounts

    if not is_live():  # a local development chain: its first unlocked account
        return accounts[0]
    key = setting("DEPLOYER_PRIVATE_KEY")
    keystore = setting("DEPLOYER_KEYSTORE")
    if key:
        try:
            return accounts.add(key)
        except Exception:
            raise DeploymentError("DEPLOYER_PRIVATE_KEY is not a valid private key (64 hex digits).") from None
    if keystore:
        try:
            return accounts.load(keystore, password=setting("DEPLOYER_KEYSTORE_PASSWORD"))
        except FileNotFoundError:
            raise DeploymentError(
                f"no brownie keystore account named {keystore!r} (see `brownie accounts list`)."
            ) from None
    raise DeploymentError(
        "no deployer key: set DEPLOYER_PRIVATE_KEY (environment or .env) or DEPLOYER_KEYSTORE to a brownie keystore id."
    )
