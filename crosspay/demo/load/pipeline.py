"""The transaction pipeline of the load mode: pre-signed transactions sent over web3.py, many senders in flight at
once, nonces managed per sender, explicit gas limits, receipts collected in batches.

Work arrives as `Stage`s: one sender's transactions that are sent back to back (consecutive nonces, so the node runs
them in order without waiting for one another's receipts) and finish together. Each `step()` is two round trips:
one batch that submits what the window has room for, one that asks for the receipts of everything in flight.

Nothing is hung on. For each transaction in flight the pipeline decides (`judge_receipt`, `judge_silence`, pure
functions tested off chain):

- a receipt that reports success: done, its effect is applied to the model;
- a revert that ran out of gas: sent again with a higher limit (a new nonce: the old one is spent);
- a revert of a transaction whose stage-mate before it failed: sent again after it (it failed for want of it);
- any other revert: reported, with the contract's error decoded (the state is replayed at the block before);
- no receipt within `receipt_timeout` and the node no longer knows the transaction (dropped): the same signed bytes
  are sent again, same nonce, up to `max_resubmits` times, then reported lost and its nonce given back;
- the nonce was used by something else: signed again with a new nonce.

Every one of these is an `Incident`, one line each in the report.
"""

from __future__ import annotations

import enum
import itertools
import time
from collections import deque
from dataclasses import dataclass, field

from eth_account import Account

from crosspay.demo.load.model import Effect
from crosspay.demo.load.nonces import NonceManager
from crosspay.demo.load.rpc import TIMED_OUT, Node, RpcError

OUT_OF_GAS_SHARE = 0.97  # a revert that used this share of its gas limit or more ran out of gas
FORCED_LOW_GAS = 30_000  # the gas limit of a transaction a test forces to run out of gas (above intrinsic gas)


@dataclass
class Tx:
    """A transaction to send: who sends it, the call, its gas limit and its effect on the money once mined."""

    sender: str
    to: str
    data: bytes
    gas: int
    label: str
    value: int = 0
    effect: Effect | None = None
    fault: str | None = None  # forced by a test or LOAD_FAULTS: "drop", "out_of_gas" (a "revert" is in the call)


@dataclass
class Incident:
    """Something that did not go as sent: what, which transaction, and what the pipeline did about it."""

    kind: str  # reverted, out of gas, resubmitted, renonced, lost, refused
    label: str
    sender: str
    nonce: int
    tx_hash: str
    detail: str
    owner: str = ""  # the lifecycle or setup job, as the caller named it

    def line(self) -> str:
        return f"{self.owner}: {self.label} from {self.sender[:10]}… nonce {self.nonce} {self.kind}: {self.detail}"


@dataclass
class Mined:
    """A transaction's successful receipt."""

    tx_hash: str
    gas_used: int
    block: int
    latency: float  # seconds from its submission to its receipt being seen


class Stage:
    """One sender's transactions, sent together and finished together; `on_done(stage)` is called once every one
    of them is mined or given up."""

    def __init__(self, txs: list[Tx], owner: str = "", on_done=None):
        if not txs or len({tx.sender for tx in txs}) != 1:
            raise ValueError("a stage is one or more transactions of one sender")
        self.txs, self.owner, self.on_done = txs, owner, on_done
        self.mined: list[Mined | None] = [None] * len(txs)
        self.failures: list[Incident] = []
        self._open = len(txs)
        self._failed_at: set[int] = set()

    @property
    def ok(self) -> bool:
        return not self.failures and all(m is not None for m in self.mined)

    @property
    def gas_used(self) -> int:
        return sum(m.gas_used for m in self.mined if m is not None)

    def earlier_failed(self, index: int) -> bool:
        return any(i < index for i in self._failed_at)


class Verdict(enum.Enum):
    DONE = "done"
    WAIT = "wait"
    MORE_GAS = "send again with more gas"
    AGAIN = "send again after the transaction before it"
    REVERTED = "reported reverted"
    RESUBMIT = "resubmitted with the same nonce"
    RENONCE = "signed again with a new nonce"
    REPRICE = "signed again, same nonce, at the node's gas price"
    LOST = "reported lost"


def judge_receipt(succeeded: bool, gas_used: int, gas_limit: int, attempt: int, earlier_failed: bool, attempts: int):
    """What to do with a receipt: `attempt` is how many times this transaction was signed so far (1 = first)."""
    if succeeded:
        return Verdict.DONE
    if attempt >= attempts:
        return Verdict.REVERTED
    if gas_used >= gas_limit * OUT_OF_GAS_SHARE:
        return Verdict.MORE_GAS
    if earlier_failed:
        return Verdict.AGAIN
    return Verdict.REVERTED


def judge_silence(
    quiet_for: float,
    timeout: float,
    known: bool,
    chain_count: int,
    nonce: int,
    resubmits: int,
    max_resubmits: int,
    attempt: int,
    attempts: int,
    underpriced: bool = False,
):
    """What to do about a transaction without a receipt, `quiet_for` seconds after it was last sent: `known` says
    whether the node still has it, `chain_count` is the sender's mined transaction count, `underpriced` whether its
    gas price is below what the node now asks (a base fee that rose under load)."""
    if quiet_for < timeout:
        return Verdict.WAIT
    if known:  # still in the node's pool: priced out, waiting behind a lower nonce, or not mined yet
        if underpriced and resubmits < max_resubmits:
            return Verdict.REPRICE
        return Verdict.WAIT if quiet_for < timeout * (max_resubmits + 2) else Verdict.LOST
    if chain_count > nonce:  # its nonce was spent by another transaction, and it never ran
        return Verdict.RENONCE if attempt < attempts else Verdict.LOST
    return Verdict.RESUBMIT if resubmits < max_resubmits else Verdict.LOST


@dataclass
class _InFlight:
    stage: Stage
    index: int
    tx: Tx
    attempt: int
    nonce: int
    gas: int
    request: tuple
    tx_hash: str = ""
    gas_price: int = 0
    sent_at: float = 0.0
    first_sent_at: float = 0.0
    resubmits: int = 0


@dataclass
class _Queued:
    stage: Stage
    index: int
    attempt: int = 1
    gas: int | None = None


@dataclass
class PipelineStats:
    sent: int = 0  # transactions signed and submitted (retries and resubmissions included)
    mined: int = 0  # successful receipts
    gas_used: int = 0  # of successful receipts
    wasted_gas: int = 0  # of reverted receipts
    latencies: list = field(default_factory=list)
    most_gas: dict = field(default_factory=dict)  # label -> the most gas a successful call of it used


class Pipeline:
    """Sends stages through `node`; `keys` maps a sender to its private key (a sender without one is an unlocked
    account of the node, which signs). `apply(effect)` is called for each mined transaction's effect."""

    def __init__(
        self,
        node: Node,
        keys: dict,
        gas_price: int,
        apply=None,
        explain=None,
        window: int = 256,
        batch: int = 64,
        receipt_timeout: float = 10.0,
        max_resubmits: int = 3,
        attempts: int = 3,
    ):
        self.node, self.keys, self.gas_price = node, keys, gas_price
        self.apply, self.explain = apply, explain
        self.window, self.batch_size = window, batch
        self.receipt_timeout, self.max_resubmits, self.attempts = receipt_timeout, max_resubmits, attempts
        self.nonces = NonceManager(lambda sender: int(node.call("eth_getTransactionCount", sender, "pending"), 16))
        self.incidents: list[Incident] = []
        self.stats = PipelineStats()
        self._queue: deque[_Queued] = deque()
        self._flight: dict[str, _InFlight] = {}  # by hash
        self._node_price = 0  # the gas price the node last asked
        self._fillers = 0

    # --- the caller's side ----------------------------------------------------------------------------------------

    def send(self, stage: Stage) -> None:
        self._queue.extend(_Queued(stage, i) for i in range(len(stage.txs)))

    @property
    def in_flight(self) -> int:
        return len(self._flight) + len(self._queue)

    def room(self) -> int:
        return self.window - self.in_flight

    def idle(self) -> bool:
        return not self._flight and not self._queue

    def drain(self, tick=None) -> None:
        """Steps until everything sent is mined or given up (`tick()` after each step, e.g. a progress bar)."""
        while not self.idle():
            self.step()
            if tick:
                tick()

    def step(self) -> None:
        """One round: submit what the window has room for, then collect receipts and decide."""
        self._submit()
        if not self._poll() and self._flight:
            time.sleep(0.002)  # nothing mined since the last look: let the node work
        if not self._queue and not self._flight:
            self._fill_gaps()

    # --- submitting -----------------------------------------------------------------------------------------------

    def _submit(self) -> None:
        room = min(self.window - len(self._flight), self.batch_size)
        batch, drops = [], []
        while self._queue and room > 0:
            queued = self._queue.popleft()
            flight = self._prepare(queued)
            (drops if flight.tx.fault == "drop" and queued.attempt == 1 and not drops else batch).append(flight)
            room -= 1
        if not batch and not drops:
            return
        now = time.perf_counter()
        for flight in drops:  # a forced drop: the node takes it, then forgets it (before what follows it is sent)
            flight.tx_hash = self.node.send_and_drop(*flight.request)
            flight.sent_at = flight.first_sent_at = time.perf_counter()
            self._flight[flight.tx_hash] = flight
            self.stats.sent += 1
        answers = self.node.batch([f.request for f in batch], submit=True, gas=sum(f.gas for f in batch))
        for flight, answer in zip(batch, answers, strict=True):
            self._sent(flight, answer, now)

    def _prepare(self, queued: _Queued) -> _InFlight:
        stage, tx = queued.stage, queued.stage.txs[queued.index]
        gas = queued.gas or (FORCED_LOW_GAS if tx.fault == "out_of_gas" and queued.attempt == 1 else tx.gas)
        nonce = self.nonces.reserve(tx.sender)
        request, tx_hash = self._sign(tx, nonce, gas)
        return _InFlight(stage, queued.index, tx, queued.attempt, nonce, gas, request, tx_hash, self.gas_price)

    def _sign(self, tx: Tx, nonce: int, gas: int) -> tuple[tuple, str]:
        """The request that sends `tx` (signed here when its key is known, else by the node) and its hash."""
        fields = {"to": tx.to, "value": tx.value, "gas": gas, "gasPrice": self.gas_price, "nonce": nonce}
        key = self.keys.get(tx.sender)
        if key is not None:
            signed = Account.sign_transaction({**fields, "data": tx.data, "chainId": self.node.chain_id}, key)
            request = ("eth_sendRawTransaction", [signed.raw_transaction.to_0x_hex()])
            tx_hash = signed.hash.to_0x_hex()
        else:
            request = ("eth_sendTransaction", [{**{k: hex(v) for k, v in fields.items() if k != "to"}, "to": tx.to,
                                                 "from": tx.sender, "data": "0x" + tx.data.hex()}])  # fmt: skip
            tx_hash = ""
        return request, tx_hash

    def _sent(self, flight: _InFlight, answer, now: float) -> None:
        self.stats.sent += 1
        if isinstance(answer, RpcError):
            message = answer.message.lower()
            if "already known" in message or "known transaction" in message:
                answer = flight.tx_hash
            elif answer.message == TIMED_OUT and flight.tx_hash:  # sent; whether it landed the chain will say
                answer = flight.tx_hash
            elif "nonce too low" in message or "nonce is too low" in message:
                count = int(self.node.call("eth_getTransactionCount", flight.tx.sender, "latest"), 16)
                self.nonces.resync(flight.tx.sender, count)
                self._incident(flight, "renonced", f"the node said {answer.message!r}; signed again")
                self._queue.appendleft(_Queued(flight.stage, flight.index, flight.attempt + 1, flight.gas))
                return
            else:
                self.nonces.release(flight.tx.sender, flight.nonce)
                self._fail(flight, "refused", f"the node refused it: {answer.message}")
                return
        flight.tx_hash = answer if isinstance(answer, str) and answer else flight.tx_hash
        flight.sent_at = flight.first_sent_at = now
        self._flight[flight.tx_hash] = flight

    # --- collecting -----------------------------------------------------------------------------------------------

    def _poll(self) -> int:
        """Asks for the receipts of the oldest transactions in flight (a batch); returns how many came."""
        if not self._flight:
            return 0
        # The oldest first and no more than a batch: the node mines in the order it was sent, so asking for younger
        # ones only spends the CPU the node needs (two cores shared by the node and the client).
        flights = list(itertools.islice(self._flight.values(), self.batch_size))
        *answers, price = self.node.batch([("eth_getTransactionReceipt", [f.tx_hash]) for f in flights]
                                          + [("eth_gasPrice", [])])  # fmt: skip
        if isinstance(price, str) and int(price, 16) > self.gas_price:
            self.gas_price = 2 * int(price, 16)  # the base fee rose under load: price what is signed next above it
        self._node_price = int(price, 16) if isinstance(price, str) else 0
        now = time.perf_counter()
        silent, found = [], 0
        for flight, receipt in zip(flights, answers, strict=True):
            if isinstance(receipt, dict):
                found += 1
                self._receipt(flight, receipt, now)
            elif now - flight.sent_at >= self.receipt_timeout:
                silent.append(flight)
        if silent:
            self._check_silent(silent, now)
        return found

    def _receipt(self, flight: _InFlight, receipt: dict, now: float) -> None:
        del self._flight[flight.tx_hash]
        gas_used, succeeded = int(receipt["gasUsed"], 16), int(receipt["status"], 16) == 1
        stage = flight.stage
        verdict = judge_receipt(
            succeeded, gas_used, flight.gas, flight.attempt, stage.earlier_failed(flight.index), self.attempts
        )
        if verdict is Verdict.DONE:
            self.stats.mined += 1
            self.stats.gas_used += gas_used
            label = flight.tx.label
            self.stats.most_gas[label] = max(self.stats.most_gas.get(label, 0), gas_used)
            latency = now - flight.first_sent_at
            self.stats.latencies.append(latency)
            stage.mined[flight.index] = Mined(flight.tx_hash, gas_used, int(receipt["blockNumber"], 16), latency)
            stage._failed_at.discard(flight.index)
            if flight.tx.effect is not None and self.apply is not None:
                self.apply(flight.tx.effect)
            self._close_one(stage)
            return
        self.stats.wasted_gas += gas_used
        stage._failed_at.add(flight.index)
        if verdict is Verdict.MORE_GAS:
            gas = flight.tx.gas if flight.gas < flight.tx.gas else flight.gas * 2
            self._incident(flight, "out of gas", f"used {gas_used:,} of {flight.gas:,} gas; sent again with {gas:,}")
            self._queue.appendleft(_Queued(stage, flight.index, flight.attempt + 1, gas))
        elif verdict is Verdict.AGAIN:
            self._incident(flight, "reverted behind a failed one", "sent again after the one before it")
            self._queue.append(_Queued(stage, flight.index, flight.attempt + 1, flight.gas))
        else:
            self._fail(flight, "reverted", self._why(flight, receipt))

    def _check_silent(self, flights: list[_InFlight], now: float) -> None:
        flights = sorted(flights, key=lambda f: (f.tx.sender, f.nonce))  # a sender's lowest nonce goes again first
        requests = []
        for f in flights:
            requests += [
                ("eth_getTransactionReceipt", [f.tx_hash]),
                ("eth_getTransactionByHash", [f.tx_hash]),
                ("eth_getTransactionCount", [f.tx.sender, "latest"]),
            ]
        answers = self.node.batch(requests)
        for i, flight in enumerate(flights):
            receipt, known, count = answers[3 * i : 3 * i + 3]
            if isinstance(receipt, dict):  # mined just now
                self._receipt(flight, receipt, now)
                continue
            chain_count = int(count, 16) if isinstance(count, str) else 0
            verdict = judge_silence(
                now - flight.sent_at,
                self.receipt_timeout,
                isinstance(known, dict),
                chain_count,
                flight.nonce,
                flight.resubmits,
                self.max_resubmits,
                flight.attempt,
                self.attempts,
                flight.gas_price < self._node_price,
            )
            if verdict is Verdict.REPRICE:
                del self._flight[flight.tx_hash]
                old = flight.tx_hash
                flight.request, flight.tx_hash = self._sign(flight.tx, flight.nonce, flight.gas)
                flight.gas_price, flight.resubmits, flight.sent_at = (
                    self.gas_price,
                    flight.resubmits + 1,
                    time.perf_counter(),
                )
                answer = self.node.batch([flight.request], submit=True, gas=flight.gas)[0]
                flight.tx_hash = flight.tx_hash or (answer if isinstance(answer, str) else old)
                self._flight[flight.tx_hash] = flight
                self.stats.sent += 1
                self._incident(
                    flight, "repriced", f"priced below the node's {self._node_price:,} wei; sent again, same nonce"
                )
            elif verdict is Verdict.RESUBMIT:
                answer = self.node.batch([flight.request], submit=True, gas=flight.gas)[0]
                flight.resubmits += 1
                flight.sent_at = time.perf_counter()
                self.stats.sent += 1
                said = f" (the node said {answer.message!r})" if isinstance(answer, RpcError) else ""
                self._incident(flight, "resubmitted", f"dropped by the node; sent again, same nonce{said}")
            elif verdict is Verdict.RENONCE:
                del self._flight[flight.tx_hash]
                self.nonces.resync(flight.tx.sender, chain_count)
                self._incident(flight, "renonced", "its nonce was spent by another transaction; signed again")
                self._queue.appendleft(_Queued(flight.stage, flight.index, flight.attempt + 1, flight.gas))
            elif verdict is Verdict.LOST:
                del self._flight[flight.tx_hash]
                if chain_count <= flight.nonce and not isinstance(known, dict):
                    self.nonces.release(flight.tx.sender, flight.nonce)
                self._fail(flight, "lost", f"no receipt after {now - flight.first_sent_at:.0f} s; given up")

    def _fill_gaps(self) -> None:
        """Nonces given back that no later transaction took: a zero-value transfer to itself fills each, so that the
        sender's later transactions are not stuck behind it."""
        for sender, _nonce in self.nonces.gaps():
            self._fillers += 1
            if self._fillers > 3 * self.max_resubmits:  # a node that loses even these: leave the gap, reported
                return
            self.send(Stage([Tx(sender, sender, b"", 21_000, "nonce gap filler")], owner="pipeline"))

    # --- outcomes -------------------------------------------------------------------------------------------------

    def _why(self, flight: _InFlight, receipt: dict) -> str:
        """The revert's decoded error, from a replay of the call at the block before its own."""
        block = hex(max(int(receipt["blockNumber"], 16) - 1, 0))
        call = {
            "from": flight.tx.sender,
            "to": flight.tx.to,
            "data": "0x" + flight.tx.data.hex(),
            "gas": hex(flight.gas),
        }
        answer = self.node.batch([("eth_call", [call, block])])[0]
        if isinstance(answer, RpcError):
            return self.explain(answer.data) if self.explain and answer.data else answer.message
        return self.explain(answer) if self.explain and answer not in (None, "0x") else "reverted (no reason given)"

    def _incident(self, flight: _InFlight, kind: str, detail: str) -> Incident:
        incident = Incident(kind, flight.tx.label, flight.tx.sender, flight.nonce, flight.tx_hash, detail,
                            flight.stage.owner)  # fmt: skip
        self.incidents.append(incident)
        return incident

    def _fail(self, flight: _InFlight, kind: str, detail: str) -> None:
        flight.stage.failures.append(self._incident(flight, kind, detail))
        self._close_one(flight.stage)

    def _close_one(self, stage: Stage) -> None:
        stage._open -= 1
        if stage._open == 0 and stage.on_done is not None:
            stage.on_done(stage)
