"""scripts/deploy.py against real local nodes registered as *live* brownie networks: real signing with a private key,
confirmations on a chain that mines on a clock, a crash between two contracts, a reset chain, and the refusals.

Each test runs the script as a user would (`python scripts/deploy.py --network ...`) in a separate process.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from eth_account import Account

from crosspay.swap.nodes import MNEMONIC, free_ports, start_node

ROOT = Path(__file__).resolve().parents[2]
BROWNIE = Path(sys.executable).parent / "brownie"
# One brownie network entry per chain port (make PORT=...), so parallel runs never re-point each other's.
NETWORK = f"crosspay-test-live-{os.environ.get('CROSSPAY_PORT', '8545')}"
CHAIN_ID = 31_401
# The plan's parts in deployment order, MerchantSettlement's linked libraries before it.
CONTRACTS = [
    "ComplianceRegistry",
    "dCNY",
    "dHKD",
    "SettlementRegistry",
    "SettlementLedger",
    "SettlementReversals",
    "CrossCurrencyPayments",
    "MerchantSettlement",
    "CrossBorderEscrow",
    "HashedTimelock",
]

Account.enable_unaudited_hdwallet_features()
DEPLOYER = Account.from_mnemonic(MNEMONIC)  # the node's first account: funded
DEPLOYER_KEY = DEPLOYER.key.hex()


# The port this run last pointed NETWORK at: each `brownie networks` command is a brownie start (2 to 3 s), and the
# nodes of this module come back on the same free port, so the network is pointed at it once.
_pointed_at: dict[str, int] = {}


def register_live_network(port: int) -> None:
    """Registers (or re-points) a brownie *live* network at the local node."""
    if _pointed_at.get(NETWORK) == port:
        return
    settings = [f"host=http://127.0.0.1:{port}", f"chainid={CHAIN_ID}"]
    added = subprocess.run(
        [str(BROWNIE), "networks", "add", "Crosspay", NETWORK, *settings], cwd=ROOT, capture_output=True, text=True
    )
    if added.returncode != 0 or "already exists" in added.stdout + added.stderr:
        subprocess.run(
            [str(BROWNIE), "networks", "modify", NETWORK, *settings], cwd=ROOT, check=True, capture_output=True
        )
    _pointed_at[NETWORK] = port


@pytest.fixture
def node():
    """An Anvil node mining a block per transaction, registered as a live network."""
    (port,) = free_ports(1)
    started = start_node("anvil", port, CHAIN_ID)
    register_live_network(port)
    yield started
    started.stop()


@pytest.fixture
def clocked_node():
    """An Anvil node mining on a one-second clock, like a public network: confirmations have to be waited for."""
    (port,) = free_ports(1)
    started = start_node("anvil", port, CHAIN_ID, block_time=1)
    register_live_network(port)
    yield started
    started.stop()


@pytest.fixture
def records(tmp_path):
    return tmp_path / "deployments"


def deploy(records, *args, key=DEPLOYER_KEY, extra_env=None, background=False):
    env = {
        **os.environ,
        "CROSSPAY_DEPLOYMENTS_DIR": str(records),
        "CROSSPAY_ENV_FILE": str(records / "no.env"),  # never a developer's own .env
        "DEPLOY_CONFIRMATIONS": "1",
        **({"DEPLOYER_PRIVATE_KEY": key} if key else {}),
        **(extra_env or {}),
    }
    if not key:
        env.pop("DEPLOYER_PRIVATE_KEY", None)
    command = [sys.executable, "scripts/deploy.py", "--network", NETWORK, *args]
    if background:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def record_of(records) -> dict:
    return json.loads((records / f"{CHAIN_ID}.json").read_text())


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


def test_live_deployment_signs_with_the_key_records_everything_and_never_prints_the_key(clocked_node, records):
    node = clocked_node
    result = deploy(records)
    assert result.returncode == 0, result.stderr
    record = record_of(records)
    assert record["chainId"] == CHAIN_ID
    assert record["genesisHash"] == node.w3.eth.get_block(0).hash.to_0x_hex()
    assert list(record["contracts"]) == CONTRACTS
    for name, entry in record["contracts"].items():
        assert len(node.w3.eth.get_code(entry["address"])) > 0, name
        assert entry["deployer"] == DEPLOYER.address
        receipt = node.w3.eth.get_transaction_receipt(entry["transactionHash"])
        assert receipt.blockNumber == entry["block"] and receipt.contractAddress == entry["address"]
        assert entry["compiler"]["evmVersion"] == "shanghai"
        assert entry["gitCommit"]
    assert (
        record["contracts"]["dCNY"]["constructorArguments"][3] == record["contracts"]["ComplianceRegistry"]["address"]
    )
    key_hex = DEPLOYER.key.hex().removeprefix("0x")
    assert key_hex not in result.stdout + result.stderr
    assert key_hex not in (records / f"{CHAIN_ID}.json").read_text()


def test_rerun_sends_nothing(node, records):
    assert deploy(records).returncode == 0
    sent = node.w3.eth.get_transaction_count(DEPLOYER.address)
    again = deploy(records)
    assert again.returncode == 0, again.stderr
    assert node.w3.eth.get_transaction_count(DEPLOYER.address) == sent


def test_killed_between_two_contracts_it_resumes_and_deploys_nothing_twice(node, records):
    process = deploy(records, background=True, extra_env={"CROSSPAY_DEPLOY_PAUSE_AFTER": "ComplianceRegistry"})
    path = records / f"{CHAIN_ID}.json"
    deadline = time.monotonic() + 300
    while not (path.exists() and "ComplianceRegistry" in record_of(records)["contracts"]):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the first contract was never recorded"
        time.sleep(0.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    half = record_of(records)  # still whole JSON after the kill
    assert list(half["contracts"]) == ["ComplianceRegistry"]

    result = deploy(records)
    assert result.returncode == 0, result.stderr
    full = record_of(records)
    assert full["contracts"]["ComplianceRegistry"] == half["contracts"]["ComplianceRegistry"]
    assert list(full["contracts"]) == CONTRACTS
    # Every transaction the deployer ever sent is one recorded deployment or configuration step: nothing twice.
    assert node.w3.eth.get_transaction_count(DEPLOYER.address) == len(full["contracts"]) + len(full["steps"])


def test_a_reset_chain_is_refused_and_the_record_kept(node, records):
    assert deploy(records).returncode == 0
    before = (records / f"{CHAIN_ID}.json").read_bytes()
    node.stop()
    time.sleep(1)  # a different genesis timestamp
    reset = start_node("anvil", node.port, CHAIN_ID)
    try:
        result = deploy(records)
    finally:
        reset.stop()
    assert result.returncode == 1
    assert "the chain was reset" in last_line(result.stderr)
    assert (records / f"{CHAIN_ID}.json").read_bytes() == before


def test_dry_run_lists_and_estimates_and_sends_nothing(node, records):
    result = deploy(records, "--dry-run")
    assert result.returncode == 0, result.stderr
    for name in CONTRACTS:
        assert f"deploy {name}" in result.stdout
    assert "nothing sent" in " ".join(result.stdout.split())  # rich wraps the table title to the table's width
    assert node.w3.eth.get_transaction_count(DEPLOYER.address) == 0
    assert not (records / f"{CHAIN_ID}.json").exists()


def test_a_missing_key_is_one_line(node, records):
    result = deploy(records, key=None)
    assert result.returncode == 1
    assert "no deployer key" in last_line(result.stderr)
    assert not (records / f"{CHAIN_ID}.json").exists()


def test_an_unfunded_deployer_is_one_line_and_nothing_is_recorded(node, records):
    result = deploy(records, key="0x" + secrets.token_hex(32))
    assert result.returncode == 1
    assert "fund it and rerun" in last_line(result.stderr)
    assert not (records / f"{CHAIN_ID}.json").exists()


def test_a_wrong_network_name_is_one_line(records):
    result = subprocess.run(
        [sys.executable, "scripts/deploy.py", "--network", "no-such-net"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "unknown network 'no-such-net'" in last_line(result.stderr)


def test_a_node_that_is_down_is_one_line(records):
    (port,) = free_ports(1)
    register_live_network(port)  # nothing listens there
    result = deploy(records)
    assert result.returncode == 1
    assert "cannot reach the node" in last_line(result.stderr)
