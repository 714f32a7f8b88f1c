"""The node's ceiling on this machine, measured in the same run as the load: a flood of plain ERC-20 transfers
(contracts/benchmark/PlainERC20.sol) from several senders, signed with eth-account and sent through the load's own
pipeline (the same client, JSON-RPC batches and receipt collection), the whole flood in flight at once, no
transaction waiting for another. Its transactions per second are what the payments' are compared with: the
difference is then what the payments themselves cost (heavier calls, stages that wait for the one before), not the
client."""

from __future__ import annotations

import time

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from crosspay.demo.load.abi import Abi
from crosspay.demo.load.kinds import Keyed
from crosspay.demo.load.pipeline import Pipeline, Stage, Tx
from crosspay.demo.load.rpc import Node
from crosspay.deploy.artifacts import artifact

SENDERS = 10
TRANSFER_GAS = 60_000


def measure_ceiling(node: Node, funder: str, gas_price: int, transfers: int, tag: str, **pipeline_options) -> dict:
    """Deploys PlainERC20, gives each of SENDERS keyed senders tokens and gas, then floods `transfers` transfers
    through the load's own pipeline (`pipeline_options`: its window and batch) and times them from the first send to
    the last receipt."""
    senders = [Keyed.from_seed(f"crosspay load {tag} ceiling sender {i}") for i in range(SENDERS)]
    token = _deploy(node, funder, senders[0].address, 10**30)
    erc20 = Abi("PlainERC20")
    setup = Pipeline(node, {s.address: s.key for s in senders}, gas_price)
    per_sender = -(-transfers // SENDERS)
    if gas_price:
        budget = (per_sender + SENDERS) * TRANSFER_GAS * gas_price * 3  # its transfers, the shares, room to reprice
        setup.send(Stage([Tx(funder, s.address, b"", 21_000, "gas money", value=budget) for s in senders]))
    setup.drain()
    setup.send(
        Stage([Tx(senders[0].address, token, erc20.call("transfer", s.address, 10**20), TRANSFER_GAS, "share")
               for s in senders[1:]])
    )  # fmt: skip
    setup.drain()
    if setup.incidents:
        raise RuntimeError(f"ceiling setup: {setup.incidents[0].line()}")

    flood = Pipeline(node, {s.address: s.key for s in senders}, gas_price, **pipeline_options)
    for i in range(transfers):  # the senders interleaved, as many payers' transactions interleave
        sender = senders[i % SENDERS]
        to = "0x" + keccak(text=f"ceiling {tag} {i}")[-20:].hex()  # a fresh holder, as payments make fresh records
        flood.send(Stage([Tx(sender.address, token, erc20.call("transfer", to, 1), TRANSFER_GAS, "plain transfer")]))
    started = time.perf_counter()
    flood.drain()
    seconds = time.perf_counter() - started
    if flood.incidents:
        raise RuntimeError(f"ceiling: {flood.incidents[0].line()}")
    mined = flood.stats.mined
    return {
        "transfers": mined,
        "senders": SENDERS,
        "seconds": round(seconds, 2),
        "txPerSecond": round(mined / seconds, 1),
        "gasPerTransfer": flood.stats.gas_used // mined,
        "gasPerSecond": round(flood.stats.gas_used / seconds),
    }


def _deploy(node: Node, funder: str, holder: str, supply: int) -> str:
    built = artifact("PlainERC20")
    data = built["bytecode"] + encode(["address", "uint256"], [holder, supply]).hex()
    deploy = {"from": funder, "data": "0x" + data.removeprefix("0x"), "gas": hex(2_000_000)}
    tx_hash = node.call("eth_sendTransaction", deploy)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        receipt = node.call("eth_getTransactionReceipt", tx_hash)
        if receipt:
            if int(receipt["status"], 16) != 1:
                raise RuntimeError("ceiling: deploying PlainERC20 reverted")
            return to_checksum_address(receipt["contractAddress"])
        time.sleep(0.05)
    raise RuntimeError("ceiling: PlainERC20 was never deployed")
