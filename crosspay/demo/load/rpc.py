"""The node as the load mode talks to it: raw JSON-RPC over web3.py's HTTP provider, one request or a batch of them
per round trip, plus what differs between Ganache and Anvil (time travel, and how a test makes the node drop a
transaction)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from web3 import HTTPProvider, Web3


@dataclass(frozen=True)
class RpcError:
    """A JSON-RPC error answer: its message and, for a revert, the revert data (hex) when the node gave it."""

    message: str
    data: str | None = None

    def __str__(self) -> str:
        return self.message


TIMED_OUT = "the node did not answer in time"


class Node:
    """A local chain at `url` (Ganache or Anvil)."""

    def __init__(self, url: str, timeout: float = 60.0, submit_timeout: float = 15.0):
        self.url = url
        self.w3 = Web3(HTTPProvider(url, request_kwargs={"timeout": timeout}, session=_session()))
        self.provider = self.w3.provider
        # Transactions go through their own connection with a shorter timeout: Ganache (instamine "eager") answers a
        # transaction only once it is mined, so one sent behind a nonce the node lost holds its answer until that
        # nonce comes. The pipeline takes such a silence as "sent, fate unknown" and finds out from the chain.
        self.submit_timeout = submit_timeout
        self._submitters: dict[int, HTTPProvider] = {}
        version = str(self.call("web3_clientVersion")).lower()
        self.kind = "anvil" if "anvil" in version else "ganache" if "ganache" in version else version
        self.chain_id = int(self.call("eth_chainId"), 16)
        self._interval = False

    def call(self, method: str, *params):
        """One JSON-RPC call; raises RuntimeError on an error answer."""
        answer = self.provider.make_request(method, list(params))
        if "error" in answer:
            raise RuntimeError(f"{method}: {_error(answer['error'])}")
        return answer["result"]

    def batch(self, requests: list[tuple[str, list]], submit: bool = False, gas: int = 0) -> list:
        """Many calls in one round trip; each answer is its result, or an RpcError. With `submit` (transactions of
        `gas` in all), a node that does not answer in time gives every request the RpcError TIMED_OUT; the time
        allowed grows with the gas, at 2,000,000 gas a second (Ganache managed 4-8 million on this machine)."""
        if not requests:
            return []
        if submit:
            from requests.exceptions import Timeout

            seconds = max(int(self.submit_timeout), gas // 2_000_000)
            if seconds not in self._submitters:
                self._submitters[seconds] = HTTPProvider(
                    self.url, request_kwargs={"timeout": seconds}, session=_session()
                )
            try:
                answers = self._submitters[seconds].make_batch_request(requests)
            except Timeout:
                return [RpcError(TIMED_OUT)] * len(requests)
        else:
            answers = self.provider.make_batch_request(requests)
        if isinstance(answers, dict):  # the node refused the whole batch
            raise RuntimeError(f"batch of {len(requests)}: {_error(answers.get('error', answers))}")
        return [_error(a["error"]) if "error" in a else a.get("result") for a in answers]

    def now(self) -> int:
        return int(self.call("eth_getBlockByNumber", "latest", False)["timestamp"], 16)

    def increase_time(self, seconds: int) -> None:
        """Moves the chain's clock forward and mines a block at the new time (the same two calls on both nodes)."""
        self.call("evm_increaseTime", int(seconds))
        self.call("evm_mine")

    @contextlib.contextmanager
    def block_time(self, seconds: int | None):
        """Within the block, Anvil mines a block every `seconds` (with every pending transaction in it) instead of
        one per arrival, then goes back to automine. Anvil's automine does work in proportion to the whole state for
        every block, so its throughput falls as accounts accumulate (a plain-transfer flood: 244 tx/s on a fresh
        chain, 28 tx/s after 10,000 new holders); blocks on a clock keep it flat. None leaves the node as it is
        (Ganache mines one transaction per block, and its cost does not grow so)."""
        if not seconds or self.kind != "anvil":
            yield
            return
        self.call("evm_setIntervalMining", int(seconds))
        self._interval = True
        try:
            yield
        finally:
            self._interval = False
            self.call("evm_setAutomine", True)

    # --- fault injection (tests, and LOAD_FAULTS=1) ----------------------------------------------------------------

    def send_and_drop(self, method: str, params: list) -> str:
        """Sends a transaction the node accepts and then forgets, unmined, as a node under pressure may: Anvil drops
        it from its pool (anvil_dropTransaction) with mining paused; Ganache, which has no such call, loses it by
        reverting to a snapshot taken just before, with the miner stopped (nothing else is mined in between).
        Returns the transaction's hash."""
        if self.kind == "anvil" and self._interval:  # blocks on a clock: dropped before the next one
            tx_hash = self.call(method, *params)
            self.call("anvil_dropTransaction", tx_hash)
            return tx_hash
        if self.kind == "anvil":
            self.call("evm_setAutomine", False)
            try:
                tx_hash = self.call(method, *params)
                self.call("anvil_dropTransaction", tx_hash)
            finally:
                self.call("evm_setAutomine", True)
            return tx_hash
        self.call("miner_stop")
        try:
            snapshot = self.call("evm_snapshot")
            tx_hash = self.call(method, *params)
            self.call("evm_revert", snapshot)
        finally:
            self.call("miner_start")
        return tx_hash


def _session():
    """A keep-alive HTTP session for a local node: no proxy settings read from the environment on every request
    (requests does that by default, and it cost the load a tenth of its time)."""
    import requests

    session = requests.Session()
    session.trust_env = False
    return session


def _error(error) -> RpcError:
    if not isinstance(error, dict):
        return RpcError(str(error))
    data = error.get("data")
    if isinstance(data, dict):  # Ganache puts the revert data under data.result (or data.data)
        data = data.get("result") or data.get("data")
    return RpcError(str(error.get("message", error)), data if isinstance(data, str) and data.startswith("0x") else None)
