"""Local EVM nodes started side by side (Ganache and Anvil from node_modules), for the two-ledger swap.

Each node is a child process on its own port and chain id, stopped by its own handle (never by name).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from dataclasses import dataclass, field

from web3 import HTTPProvider, Web3

from crosspay._utils.paths import ROOT

BIN = ROOT / "node_modules" / ".bin"
MNEMONIC = "test test test test test test test test test test test junk"


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_ports(count: int, candidates=None) -> list[int]:
    """`count` free local ports from `candidates`, or from CROSSPAY_NODE_PORTS ("8620-8629") when set."""
    if candidates is None:
        spec = os.environ.get("CROSSPAY_NODE_PORTS", "8620-8629")
        first, _, last = spec.partition("-")
        candidates = range(int(first), int(last or first) + 1)
    ports = [port for port in candidates if port_is_free(port)][:count]
    if len(ports) < count:
        raise RuntimeError(f"need {count} free ports among {list(candidates)}; set CROSSPAY_NODE_PORTS=first-last")
    return ports


@dataclass
class Node:
    """A running local chain."""

    kind: str  # "ganache" or "anvil"
    port: int
    chain_id: int
    process: subprocess.Popen = field(repr=False)
    w3: Web3 = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def increase_time(self, seconds: int) -> None:
        """Moves the chain's clock forward and mines a block at the new time."""
        self.w3.provider.make_request("evm_increaseTime", [int(seconds)])
        self.w3.provider.make_request("evm_mine", [])

    def now(self) -> int:
        return self.w3.eth.get_block("latest").timestamp

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _command(kind: str, port: int, chain_id: int, accounts: int, block_time: int | None = None) -> list[str]:
    if kind == "ganache":
        return [
            str(BIN / "ganache"), "--server.port", str(port), "--chain.chainId", str(chain_id),
            "--hardfork", "shanghai", "--wallet.mnemonic", MNEMONIC, "--wallet.totalAccounts", str(accounts),
            "--miner.blockGasLimit", "30000000", "--logging.quiet",
            *(["--miner.blockTime", str(block_time)] if block_time else []),
        ]  # fmt: skip
    if kind == "anvil":
        return [
            str(BIN / "anvil"), "--port", str(port), "--chain-id", str(chain_id), "--hardfork", "shanghai",
            "--mnemonic", MNEMONIC, "--accounts", str(accounts), "--gas-limit", "30000000", "--silent",
            *(["--block-time", str(block_time)] if block_time else []),
        ]  # fmt: skip
    raise ValueError(f"unknown node kind {kind!r}: use 'ganache' or 'anvil'")


def start_node(
    kind: str, port: int, chain_id: int, accounts: int = 10, timeout: float = 60.0, block_time: int | None = None
) -> Node:
    """Starts a Ganache or Anvil node and waits until it answers with the expected chain id.

    `block_time` (seconds) mines on a clock, like a public network, instead of one block per transaction."""
    if not port_is_free(port):
        raise RuntimeError(f"port {port} is already in use")
    process = subprocess.Popen(
        _command(kind, port, chain_id, accounts, block_time),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    w3 = Web3(HTTPProvider(f"http://127.0.0.1:{port}", request_kwargs={"timeout": 30}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{kind} exited: {process.stderr.read().decode(errors='replace')[-500:]}")
        try:
            if w3.eth.chain_id == chain_id:
                return Node(kind, port, chain_id, process, w3)
        except Exception:  # not listening yet
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"{kind} did not answer on port {port} within {timeout}s")


@contextlib.contextmanager
def two_ledgers(ports: tuple[int, int] | None = None, chain_ids: tuple[int, int] = (1337, 31337)):
    """Ganache (the mainland ledger, chain 1337) and Anvil (Hong Kong's, 31337) side by side on `ports` or two free
    ones; both stopped on leaving the block, whatever happened."""
    port_a, port_b = ports or free_ports(2)
    nodes = []
    try:
        nodes.append(start_node("ganache", port_a, chain_ids[0]))
        nodes.append(start_node("anvil", port_b, chain_ids[1]))
        yield nodes[0], nodes[1]
    finally:
        for node in nodes:
            node.stop()
