"""One load run of N customer lifecycles over web3.py: onboarding, the ceiling, the payments, settlement, the check.

`run_load(setting, n, ...)` needs a deployed and configured Crosspay (the deployment plan) whose issuers may mint
what the run gives its customers, and the node accounts of the institutions in `Setting`; it creates its own
customers, merchants, beneficiaries and relayer with keys, so it can run again on the same chain (LOAD_SCALING).

Phases, each through a `Pipeline`:
1. onboarding: the customers and merchants are KYC-verified in batches, each batch's customers then minted their
   deposits; merchants registered; whoever sends transactions is given gas money; the FX desk (the liquidity provider)
   is verified, minted the dHKD its remittances deliver and its cross-currency payments lock, lets the escrow pull the
   first and deposits the second as its float in MerchantSettlement (depositLiquidity);
2. the ceiling (crosspay.demo.load.ceiling), right before the payments (and again after them);
3. the payments: lifecycles are started while the pipeline's window has room, each stage sent when the one before it
   is mined; stages that wait for the clock (reclaims, remittance refunds) go once every other stage is done and the
   clock moved past the authorization period;
4. settlement of every merchant the run created;
5. the check (crosspay.demo.load.checks).

On Anvil all of it runs with a block a second (`Node.block_time`): its automine slows as the state grows.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field

from eth_abi import decode

from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import merchant_id
from crosspay.demo.load import checks
from crosspay.demo.load.abi import Abi, Errors
from crosspay.demo.load.ceiling import measure_ceiling
from crosspay.demo.load.kinds import GASLESS, KINDS, Keyed, LoadMerchant, Token, World, force, plan
from crosspay.demo.load.model import Effect, Merchant, Model, Terms
from crosspay.demo.load.pipeline import Pipeline, Stage, Tx
from crosspay.demo.load.rpc import Node
from crosspay.demo.load.stats import latency_summary, rate

MERCHANTS_PER_TOKEN = 4
BENEFICIARIES = 8
KYC_BATCH = 250
MDR_BPS = (60, 80, 100, 150)
CEILING_TRANSFERS = 2000
# Transactions in flight and per batch: Anvil (blocks on a clock) fills a block with what is pending, so more in flight
# is more per block, up to its gas limit; Ganache mines one transaction at a time and answers a batch only once all of
# it is mined, so a smaller batch keeps receipts coming.
WINDOW = {"anvil": (512, 128), "ganache": (256, 64)}
BLOCK_TIME = 1  # seconds: Anvil mines on a clock while the load runs (crosspay.demo.load.rpc.Node.block_time)
GAS_MONEY_MARGIN = 3  # gas money covers each sender's planned gas this many times over (retries)
DEPOSIT_GAS = 120_000  # the FX desk's depositLiquidity (its float), onboarding


def balanced_kinds(n: int, rng) -> list[str]:
    """`n` payment kinds, every kind as often as the others (to one), in an order drawn from `rng`: a run of at least
    len(KINDS) lifecycles has every kind."""
    kinds = [KINDS[i % len(KINDS)] for i in range(max(n, 0))]
    rng.shuffle(kinds)
    return kinds


@dataclass(frozen=True)
class Setting:
    """Where the load runs: the node, the contracts and the institutions (unlocked node accounts, which sign their own
    transactions), and the FX desk (a keyed account)."""

    url: str
    registry: str
    settlement: str
    escrow: str
    tokens: dict  # symbol -> address: dCNY and dHKD
    compliance: str  # KYC officer
    acquirer: str  # registers merchants, settles them, earns the acquirer's share
    issuers: dict  # symbol -> the bank that mints it
    interchange: dict  # symbol -> its issuer fee account in MerchantSettlement
    network: str  # the network's fee account
    treasury: str  # the escrow's fee account
    fx_desk: Keyed  # the liquidity provider
    funder: str  # pays the gas money


@dataclass(frozen=True)
class Faults:
    """Faults a run is made to meet (tests, LOAD_FAULTS=1): lifecycles whose capture reverts, whose first transaction
    runs out of gas, or is dropped by the node."""

    revert: int = 0
    out_of_gas: int = 0
    drop: int = 0

    def assignments(self) -> list[tuple[str, str]]:
        """(fault, the kind of lifecycle that carries it), one per faulty lifecycle, in order."""
        return (
            [("revert", "authorize + capture")] * self.revert
            + [("out_of_gas", "QR charge")] * self.out_of_gas
            + [("drop", "gasless charge (EIP-3009)")] * self.drop
        )


@dataclass
class LoadResult:
    network: str
    lifecycles: int
    seed: int
    figures: dict = field(default_factory=dict)
    incidents: list = field(default_factory=list)  # one line each
    failures: list = field(default_factory=list)  # lifecycles that did not finish, one line each
    unexpected_failures: int = 0  # failures no forced fault explains
    problems: list = field(default_factory=list)  # conservation, one line each
    recheck: object = None  # () -> the check's problems read again now (tests: the check sees a change)


def run_load(
    setting: Setting, n: int, seed: int = 0, console=None, faults: Faults | None = None, **options
) -> LoadResult:
    """Runs `n` customer lifecycles; `options`: window, batch, receipt_timeout (the pipeline's), submit_timeout (how
    long a batch of transactions may go unanswered), ceiling (plain transfers in the flood, 0 to skip), block_time
    (Anvil's seconds between blocks while the load runs; None for automine)."""
    started = time.perf_counter()
    load_before = os.getloadavg()
    node = Node(setting.url, submit_timeout=options.get("submit_timeout", 15.0))
    gas_price = int(node.call("eth_gasPrice"), 16)
    tag = f"{seed}-{n}-{int(node.call('eth_blockNumber'), 16)}"
    rng = random.Random(seed)
    errors = Errors("MerchantSettlement", "DepositToken", "CrossBorderEscrow", "ComplianceRegistry")
    world, terms = _world(node, setting, tag)
    model = Model(setting.settlement, setting.escrow, terms)
    for m in world.merchants:
        model.add_merchant(Merchant(m.id, m.payout.address, m.mdr_bps))

    forced = (faults or Faults()).assignments()
    kinds = [kind for _, kind in forced[:n]] + balanced_kinds(n - len(forced), rng)
    lifecycles = [plan(world, i, kind, rng, tag) for i, kind in enumerate(kinds)]
    for lifecycle, (fault, _) in zip(lifecycles, forced, strict=False):
        force(lifecycle, fault, world)

    keys = {lc.customer.address: lc.customer.key for lc in lifecycles}
    keys |= {m.operator.address: m.operator.key for m in world.merchants}
    keys |= {world.relayer.address: world.relayer.key, setting.fx_desk.address: setting.fx_desk.key}
    window, batch = WINDOW.get(node.kind, WINDOW["ganache"])
    pipeline_options = {"window": window, "batch": batch}
    pipeline_options |= {k: options[k] for k in ("window", "batch", "receipt_timeout") if k in options}

    holders = {lc.customer.address for lc in lifecycles} | {b.address for b in world.beneficiaries}
    holders |= {m.payout.address for m in world.merchants} | {m.operator.address for m in world.merchants}
    holders |= {setting.settlement, setting.escrow, setting.fx_desk.address, world.relayer.address}
    fee_accounts = {*setting.interchange.values(), setting.network, setting.acquirer}
    held_accounts = {setting.fx_desk.address}  # MerchantSettlement's held funds: the LP's float and credits
    payment_ids = [tx.effect.args[0] for lc in lifecycles for s in lc.stages for tx in s
                   if tx.effect and tx.effect.op in ("authorize", "charge")]  # fmt: skip
    transfer_ids = [tx.effect.args[0] for lc in lifecycles for s in lc.stages for tx in s
                    if tx.effect and tx.effect.op == "initiate"]  # fmt: skip
    reader = checks.Reader(node, setting.settlement, setting.escrow)
    reads = checks.watched(model, holders, setting.tokens, fee_accounts, setting.treasury, (payment_ids, transfer_ids),
                           held_accounts)  # fmt: skip
    before = reader.read(reads)

    progress = _Progress(console)
    block_time = options.get("block_time", BLOCK_TIME)
    with progress, node.block_time(block_time):
        # 1. onboarding
        began = time.perf_counter()
        onboarding = Pipeline(node, keys, gas_price, apply=model.apply, explain=errors.explain, **pipeline_options)
        jobs = _onboarding_jobs(setting, world, lifecycles, gas_price, terms)
        task = progress.start("onboarding", sum(len(stage.txs) for chain in jobs for stage in chain))
        for chain in jobs:
            for stage, following in zip(chain, chain[1:], strict=False):
                stage.on_done = _then(onboarding, [following])
            onboarding.send(chain[0])
        onboarding.drain(tick=lambda: progress.show(task, onboarding.stats.mined))
        failed = [stage for chain in jobs for stage in chain if stage.failures]
        if failed:  # a customer without KYC, deposit or gas money cannot pay: stop here, in one line
            raise RuntimeError(f"onboarding: {len(failed)} steps failed, first: {failed[0].failures[0].line()}")
        onboarding_seconds = time.perf_counter() - began

        # 2. the ceiling
        flood = options.get("ceiling", CEILING_TRANSFERS)
        flood_options = {**pipeline_options, "window": flood, "batch": max(pipeline_options.get("batch", 64), 128)}
        ceiling_before = (
            measure_ceiling(node, setting.funder, gas_price, flood, f"{tag}-before", **flood_options) if flood else None
        )

        # 3. the payments
        payments = Pipeline(node, keys, gas_price, apply=model.apply, explain=errors.explain, **pipeline_options)
        task = progress.start("payments", n)
        waiting_for_clock: list = []
        finished: list = []

        def advance(lifecycle):
            def done(stage: Stage):
                lifecycle.gas_used += stage.gas_used
                lifecycle.transactions += sum(1 for m in stage.mined if m is not None)
                if not stage.ok:
                    lifecycle.failure = stage.failures[0]
                else:
                    lifecycle.next_stage += 1
                if lifecycle.done:
                    finished.append(lifecycle)
                    progress.advance(task, len(finished), payments.stats.mined, began_payments)
                elif lifecycle.next_stage == lifecycle.deferred and not clock_moved:
                    waiting_for_clock.append(lifecycle)
                else:
                    payments.send(Stage(lifecycle.stages[lifecycle.next_stage], lifecycle.owner, done))

            return done

        clock_moved = False
        pending = iter(lifecycles)
        began_payments = time.perf_counter()
        remaining = True
        while remaining or not payments.idle():
            while remaining and payments.room() > 0:
                lifecycle = next(pending, None)
                if lifecycle is None:
                    remaining = False
                    break
                payments.send(Stage(lifecycle.stages[0], lifecycle.owner, advance(lifecycle)))
            payments.step()
            progress.advance(task, len(finished), payments.stats.mined, began_payments)
        if waiting_for_clock:
            period = decode(
                ["uint64", "uint64"],
                bytes.fromhex(_call(node, setting.settlement, Abi("MerchantSettlement").call("periods"))[2:]),
            )[0]
            node.increase_time(period + 1)
            clock_moved = True
            for lifecycle in waiting_for_clock:
                payments.send(Stage(lifecycle.stages[lifecycle.next_stage], lifecycle.owner, advance(lifecycle)))
            payments.drain(tick=lambda: progress.advance(task, len(finished), payments.stats.mined, began_payments))
        payment_seconds = time.perf_counter() - began_payments

        # 4. settlement of the run's merchants
        began = time.perf_counter()
        settling = Pipeline(node, keys, gas_price, apply=model.apply, explain=errors.explain, **pipeline_options)
        settle = Stage([_settle(world, setting, symbol) for symbol in setting.tokens], "settlement")
        settling.send(settle)
        settling.drain()
        settlement_seconds = time.perf_counter() - began
        ceiling = None
        if flood:  # the node's ceiling: the higher of a flood before the payments and one after them
            ceiling_after = measure_ceiling(node, setting.funder, gas_price, flood, f"{tag}-after", **flood_options)
            ceiling = max(ceiling_before, ceiling_after, key=lambda c: c["txPerSecond"])
            ceiling |= {"before": ceiling_before["txPerSecond"], "after": ceiling_after["txPerSecond"]}

    # 5. the check
    began = time.perf_counter()
    after = reader.read(reads)
    names = _names(setting, world)
    problems = checks.problems(model, reads, before, after, names)
    check_seconds = time.perf_counter() - began

    result = LoadResult(node.kind, n, seed)
    result.incidents = [i.line() for i in onboarding.incidents + payments.incidents + settling.incidents]
    failed = [lc for lc in lifecycles if lc.failure is not None]
    result.failures = [f"{lc.owner}: {lc.failure.label} {lc.failure.kind}: {lc.failure.detail}" for lc in failed]
    result.unexpected_failures = sum(1 for lc in failed if lc.forced != "revert")
    if not settle.ok:
        result.failures.append(f"settlement: {settle.failures[0].line()}")
        result.unexpected_failures += 1
    result.problems = problems
    result.recheck = lambda: checks.problems(model, reads, before, reader.read(reads), names)
    result.figures = _figures(
        lifecycles, payments, ceiling, payment_seconds, settle, node, gas_price,
        {"onboarding": onboarding_seconds, "payments": payment_seconds, "settlement": settlement_seconds,
         "check": check_seconds, "total": time.perf_counter() - started},
        load_before, {**pipeline_options, "blockTime": block_time if node.kind == "anvil" else None},
    )  # fmt: skip
    return result


# --- onboarding -------------------------------------------------------------------------------------------------


def _world(node: Node, setting: Setting, tag: str) -> tuple[World, Terms]:
    ms, ce, token = Abi("MerchantSettlement"), Abi("CrossBorderEscrow"), Abi("DepositToken")
    interchange_bps, network_bps = decode(
        ["uint16", "uint16"], _bytes(_call(node, setting.settlement, ms.call("feeSplit")))
    )
    escrow_fee_bps = decode(["uint16"], _bytes(_call(node, setting.escrow, ce.call("feeBps"))))[0]
    authorization_period = decode(["uint64", "uint64"], _bytes(_call(node, setting.settlement, ms.call("periods"))))[0]
    role = _bytes(_call(node, setting.settlement, ms.call("LIQUIDITY_PROVIDER_ROLE")))
    allowed = _call(node, setting.settlement, ms.call("hasRole", role, setting.fx_desk.address))
    if not decode(["bool"], _bytes(allowed))[0]:
        raise RuntimeError(f"load: the FX desk {setting.fx_desk.address} does not hold MerchantSettlement's "
                           "LIQUIDITY_PROVIDER_ROLE: it cannot quote cross-currency payments")  # fmt: skip
    places = {"dCNY": "CN", "dHKD": "HK"}
    tokens = {}
    for symbol, address in setting.tokens.items():
        name = decode(["string"], _bytes(_call(node, address, token.call("name"))))[0]
        tokens[symbol] = Token(symbol, address, name, places[symbol], setting.issuers[symbol])
    merchants = [
        LoadMerchant(
            merchant_id(f"LOAD-{symbol}-{i}-{tag}"[:32]),
            symbol,
            Keyed.from_seed(f"crosspay load {tag} merchant {symbol} {i} payout"),
            Keyed.from_seed(f"crosspay load {tag} merchant {symbol} {i} till"),
            MDR_BPS[i % len(MDR_BPS)],
        )
        for symbol in setting.tokens
        for i in range(MERCHANTS_PER_TOKEN)
    ]
    world = World(
        chain_id=node.chain_id,
        now=node.now(),
        settlement=setting.settlement,
        escrow=setting.escrow,
        tokens=tokens,
        merchants=merchants,
        beneficiaries=[Keyed.from_seed(f"crosspay load {tag} beneficiary {i}") for i in range(BENEFICIARIES)],
        relayer=Keyed.from_seed(f"crosspay load {tag} relayer"),
        fx_desk=setting.fx_desk,
        escrow_fee_bps=escrow_fee_bps,
        authorization_period=authorization_period,
    )
    interchange = {setting.tokens[symbol]: account for symbol, account in setting.interchange.items()}
    terms = Terms(interchange_bps, network_bps, escrow_fee_bps, interchange, setting.network,
                  setting.acquirer, setting.treasury)  # fmt: skip
    return world, terms


def _onboarding_jobs(setting: Setting, world: World, lifecycles, gas_price: int, terms: Terms) -> list:
    """Everything the run needs before its first payment, as chains of stages: each stage of a chain is sent once
    the one before it is mined whole; the chains go side by side."""
    registry, token_abi, ms = Abi("ComplianceRegistry"), Abi("DepositToken"), Abi("MerchantSettlement")
    until = world.now + 365 * 24 * 3600
    jobs = []

    def kyc(addresses: list[str], place: str) -> Tx:
        data = registry.call("setVerifiedBatch", addresses, jurisdiction(place), until)
        return Tx(setting.compliance, setting.registry, data, 60_000 + 30_000 * len(addresses), "setVerifiedBatch")

    def mint(symbol: str, to: str, amount: int) -> Tx:
        token = world.tokens[symbol]
        data = token_abi.call("mint", to, amount, b"load deposit".ljust(32, b"\0"))
        return Tx(
            token.issuer, token.address, data, 120_000, "mint", effect=Effect("mint", (token.address, to, amount))
        )

    # Merchants: verified, then registered by the acquirer.
    for symbol, place in (("dCNY", "CN"), ("dHKD", "HK")):
        mine = [m for m in world.merchants if m.symbol == symbol]
        verify = Stage(
            [kyc([a for m in mine for a in (m.payout.address, m.operator.address)], place)], "merchants' KYC"
        )
        register = Stage(
            [Tx(setting.acquirer, setting.settlement, ms.call("registerMerchant", m.id, m.payout.address,
                m.operator.address, m.mdr_bps), 250_000, "registerMerchant") for m in mine],
            "merchants",
        )  # fmt: skip
        jobs.append([verify, register])
    # Customers, batch by batch: verified, then minted their deposits.
    for symbol, token in world.tokens.items():
        customers = [lc for lc in lifecycles if lc.symbol == symbol]
        for start in range(0, len(customers), KYC_BATCH):
            batch = customers[start : start + KYC_BATCH]
            verify = Stage([kyc([lc.customer.address for lc in batch], token.jurisdiction)], "customers' KYC")
            mints = Stage([mint(symbol, lc.customer.address, lc.mint) for lc in batch], "deposits")
            jobs.append([verify, mints])
    # Beneficiaries of remittances, the relayer and the FX desk, in Hong Kong; then the FX desk is minted the dHKD
    # its remittances deliver (the escrow pulls it) and its cross-currency payments lock (its float, deposited).
    desk, dhkd = world.fx_desk.address, world.tokens["dHKD"]
    people = [b.address for b in world.beneficiaries] + [world.relayer.address, desk]
    chain = [Stage([kyc(people, "HK")], "KYC")]
    effects = [tx.effect for lc in lifecycles for s in lc.stages for tx in s if tx.effect]
    remitted = sum(e.args[1].target_amount for e in effects if e.op == "initiate")
    quotes = [e.args[5] for e in effects if e.op in ("authorize", "charge") and len(e.args) > 5]  # cross-currency
    float_ = sum(quote.target_amount for quote in quotes)  # each payment locks its quote's dHKD at most once
    if remitted or float_:
        chain.append(Stage([mint("dHKD", desk, remitted + float_)], "FX desk"))
        txs = []
        if remitted:
            txs.append(Tx(desk, dhkd.address, token_abi.call("approve", world.escrow, 2**256 - 1), 65_000, "approve"))
        if float_:
            txs.append(Tx(desk, dhkd.address, token_abi.call("approve", world.settlement, float_), 65_000, "approve"))
            deposit = Effect("deposit_liquidity", (desk, dhkd.address, float_))
            data = ms.call("depositLiquidity", dhkd.address, float_)
            txs.append(Tx(desk, world.settlement, data, DEPOSIT_GAS, "depositLiquidity", effect=deposit))
        chain.append(Stage(txs, "FX desk"))
    jobs.append(chain)
    # Gas money for whoever signs: planned gas x price, with a margin for retries.
    if gas_price:
        needs: dict[str, int] = {}
        for lc in lifecycles:
            for stage in lc.stages:
                for tx in stage:
                    needs[tx.sender] = needs.get(tx.sender, 0) + tx.gas
        needs[desk] = needs.get(desk, 0) + 2 * 65_000 + DEPOSIT_GAS
        funding = [Tx(setting.funder, sender, b"", 21_000, "gas money", value=gas * gas_price * GAS_MONEY_MARGIN)
                   for sender, gas in needs.items()]  # fmt: skip
        jobs += [[Stage(funding[i : i + 200], "gas money")] for i in range(0, len(funding), 200)]
    return jobs


def _then(pipeline: Pipeline, then: list):
    """Sends the stages of `then` once the stage is mined whole."""

    def done(stage: Stage):
        if stage.ok:
            for following in then:
                pipeline.send(following)

    return done


def _settle(world: World, setting: Setting, symbol: str) -> Tx:
    token = world.tokens[symbol].address
    ids = tuple(m.id for m in world.merchants if m.symbol == symbol)
    data = Abi("MerchantSettlement").call("settle", token, list(ids))
    return Tx(setting.acquirer, setting.settlement, data, 100_000 + 60_000 * len(ids), "settle",
              effect=Effect("settle", (token, ids)))  # fmt: skip


# --- figures ----------------------------------------------------------------------------------------------------


def _figures(lifecycles, payments: Pipeline, ceiling, seconds, settle, node, gas_price, phases, load_before, pipeline):
    done = [lc for lc in lifecycles if lc.failure is None]
    by_kind = {}
    for kind in KINDS:
        mine = [lc for lc in done if lc.kind == kind]
        if mine:
            by_kind[kind] = {
                "payments": len(mine),
                "txPerPayment": round(sum(lc.transactions for lc in mine) / len(mine), 2),
                "gasPerPayment": sum(lc.gas_used for lc in mine) // len(mine),
                "gasless": kind in GASLESS,
            }
    txs = sum(lc.transactions for lc in lifecycles)
    payments_per_second = rate(len(done), seconds)
    tx_per_second = rate(payments.stats.mined, seconds)
    figures = {
        "node": node.kind,
        "lifecycles": len(lifecycles),
        "payments": len(done),
        "failedPayments": len(lifecycles) - len(done),
        "paymentTransactions": payments.stats.mined,
        "txPerPayment": round(txs / len(done), 2) if done else 0,
        "paymentsPerSecond": round(payments_per_second, 1),
        "txPerSecond": round(tx_per_second, 1),
        "gasPerSecond": round(rate(payments.stats.gas_used, seconds)),
        "latencyMs": latency_summary(payments.stats.latencies),
        "gasPerPayment": sum(lc.gas_used for lc in done) // len(done) if done else 0,
        "byKind": by_kind,
        "mostGasByCall": dict(sorted(payments.stats.most_gas.items())),
        "settlementGas": settle.gas_used,
        "wastedGas": payments.stats.wasted_gas,
        "seconds": {name: round(value, 1) for name, value in phases.items()},
        "gasPrice": gas_price,
        "pipeline": pipeline,
        "signing": _signing_backend(),
        "loadAverage": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
    }
    if ceiling:
        figures["ceiling"] = ceiling
        figures["shareOfCeiling"] = round(tx_per_second / ceiling["txPerSecond"], 3)
    return figures


def _signing_backend() -> str:
    from eth_keys.backends import get_backend

    return type(get_backend()).__name__


def _names(setting: Setting, world: World) -> dict:
    names = {setting.settlement: "MerchantSettlement", setting.escrow: "CrossBorderEscrow",
             setting.fx_desk.address: "the FX desk", setting.network: "the network", setting.acquirer: "the acquirer",
             setting.treasury: "the treasury", world.relayer.address: "the relayer"}  # fmt: skip
    names |= {address: f"{symbol}" for symbol, address in setting.tokens.items()}
    names |= {m.payout.address: f"merchant {m.id.rstrip(bytes(1)).decode()} payout" for m in world.merchants}
    names |= {m.id: f"merchant {m.id.rstrip(bytes(1)).decode()}" for m in world.merchants}
    return names


def _call(node: Node, to: str, data: bytes) -> str:
    return node.call("eth_call", {"to": to, "data": "0x" + data.hex()}, "latest")


def _bytes(answer: str) -> bytes:
    return bytes.fromhex(answer[2:])


class _Progress:
    """rich progress bars (onboarding, then payments with payments/s and tx/s live); silent without a console."""

    def __init__(self, console):
        self.console = console
        self._progress = None
        if console is not None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("[bold blue]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=console,
            )

    def __enter__(self):
        if self._progress:
            self._progress.start()
        return self

    def __exit__(self, *exc):
        if self._progress:
            self._progress.stop()

    def start(self, name: str, total: int):
        return self._progress.add_task(name, total=total, rate="") if self._progress else None

    def show(self, task, completed: int) -> None:
        if self._progress:
            self._progress.update(task, completed=completed)

    def advance(self, task, payments: int, txs: int, began: float) -> None:
        if self._progress:
            seconds = time.perf_counter() - began
            shown = f"{rate(payments, seconds):6.1f} payments/s  {rate(txs, seconds):6.1f} tx/s"
            self._progress.update(task, completed=payments, rate=shown)
