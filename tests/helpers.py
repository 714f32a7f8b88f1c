"""What the tests share that is not a fixture: the suite's parameters, deploying a part of the plan, the one way to
assert a revert, the chain's clock, the fee split (from crosspay.core), and the one state-machine runner.

tests/ is on sys.path (pytest's rootdir import mode), so `from helpers import ...`. Fixtures live in tests/fixtures/.
"""

import functools
import os

import brownie

from crosspay.core import fx
from crosspay.core.encoding import bytes32  # noqa: F401  (the one bytes32 helper, for the tests too)
from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import FeeSplit, fee_split, merchant_id
from crosspay.core.status import LockStatus, PaymentStatus, TransferStatus
from crosspay.deploy import plan
from crosspay.deploy.record import Deployer
from crosspay.onchain import now  # noqa: F401  (the chain's clock, for the tests too)

# --- the suite's parameters -----------------------------------------------------------------------------------------

HOUR = 3600
DAY = 24 * HOUR
YEAR = 365 * DAY
CN = jurisdiction("CN")
HK = jurisdiction("HK")
INITIAL_RESERVES = 10_000_000_00  # dCNY: 10 million CNY, in fen
INITIAL_ALLOWANCE = 5_000_000_00
HKD_RESERVES = 10_000_000_00

# Merchant settlement. The fees are deliberately odd so that floor rounding shows in every split: MDR 1.75 %,
# interchange 65 % and network 13 % of the fee.
MERCHANT = merchant_id("MCH-0001")
MERCHANT_2 = merchant_id("MCH-0002")
EVIL_MERCHANT = merchant_id("MCH-EVIL")  # operated by a malicious token (tests/fixtures/adversarial.py)
MDR_BPS = 175
INTERCHANGE_BPS = 6_500
NETWORK_BPS = 1_300
AUTH_PERIOD = 7 * DAY
REFUND_PERIOD = 180 * DAY

# Cross-border.
FEE_BPS = 30
RATE = "1.0845"  # HKD per CNY, the LP's spread included
LP_HKD = 1_000_000_00
LP_CNY = 10_000_00

# The three ways an account stops being able to transact in the registry (the make_unable fixture's `how`).
UNABLE = ("frozen", "unverified", "expired")


def split(
    amount: int, mdr_bps: int = MDR_BPS, interchange_bps: int = INTERCHANGE_BPS, network_bps: int = NETWORK_BPS
) -> FeeSplit:
    """What capturing `amount` credits each party, at the suite's fees unless told otherwise (the one fee-split
    oracle, crosspay.core.settlement.fee_split)."""
    return fee_split(amount, mdr_bps, interchange_bps, network_bps)


def shown_fee(quote) -> int:
    """The fee a sender's app shows for `quote` at the suite's FEE_BPS: what tests pass to initiate as `maxFee`."""
    return fx.fee_of(quote.source_amount, FEE_BPS)


def deploy(admin, roles: plan.Roles, parts, fees: plan.Fees | None = None, known: dict | None = None) -> plan.System:
    """Deploys `parts` of the deployment plan with an immediate deployer, built on the `known` contracts (by plan
    name), as the fixtures do."""
    return plan.deploy(Deployer.immediate(admin, known), roles, fees or plan.Fees(), parts)


def deposit_token(symbol, registry, admin, issuer, auditor, pauser, enforcer, allowance=0, reserves=0):
    """A deposit token of the plan ("dCNY" or "dHKD") on `registry`, with its roles granted, and, when given, an
    issuer allowance and attested reserves."""
    spec = {spec.symbol: spec for spec in plan.TOKENS}[symbol]
    roles = plan.Roles(pauser=pauser, enforcer=enforcer, **{spec.issuer: issuer, spec.auditor: auditor})
    token = deploy(admin, roles, [symbol], known={plan.REGISTRY: registry}).tokens[symbol]
    if allowance:
        token.setIssuerAllowance(issuer, allowance, {"from": admin})
    if reserves:
        token.attestReserves(reserves, b"\x01" * 32, {"from": auditor})
    return token


# --- ids of created records -----------------------------------------------------------------------------------------

# The event that announces each kind of record an entry point creates, and its id field.
_ANNOUNCED_ID = {
    "PaymentAuthorized": "paymentId",  # authorize, charge and their signed forms
    "TransferInitiated": "transferId",  # the escrow's initiate
    "Locked": "lockId",  # the HTLC's lock
    "BatchSettled": "batchId",  # settle
}


def created_id(tx):
    """The id of the record `tx` created (a payment, a cross-border transfer, an HTLC lock, a settlement batch), as the
    event announcing it carries it: the id the entry point returns.

    brownie reads tx.return_value from a debug trace: the node executes the transaction again and sends every step
    (0.1 to 0.3 s each on Ganache). Tests that only need the id read the event; the tests of the returned ids keep
    return_value."""
    announced = [name for name in _ANNOUNCED_ID if name in tx.events]
    assert len(announced) == 1, f"expected one record created, the events were {list(tx.events.keys())}"
    events = tx.events[announced[0]]
    assert len(events) == 1, f"expected one {announced[0]} event, got {len(events)}"
    return events[0][_ANNOUNCED_ID[announced[0]]]


# --- reverts: one verb ------------------------------------------------------------------------------------------------


def reverts_with(error: str | None = None):
    """brownie.reverts matching the custom error `error` by name (brownie renders custom errors as 'Name: arg, arg'),
    or any revert when `error` is None. Works around sent transactions and eth_calls alike."""
    return brownie.reverts(revert_pattern=rf"{error}(:.*)?" if error else None)


def assert_call_reverts(method, *args, error: str | None = None) -> None:
    """The call would revert (with `error` when named): shown by an eth_call, so nothing is mined. Stateful rules use
    it for callers and amounts they must refuse; the invariants then confirm that nothing changed."""
    with reverts_with(error):
        method.call(*args)


def assert_reverted_with(tx, error: str) -> None:
    """A receipt sent with allow_revert (at_time) reverted with the custom error `error`."""
    assert tx.status == 0, f"expected a revert with {error}, the transaction succeeded"
    assert (tx.revert_msg or "").startswith(error), f"expected {error}, got {tx.revert_msg!r}"


def assert_succeeded(tx) -> None:
    """A receipt sent with allow_revert (at_time) succeeded."""
    assert tx.status == 1, f"expected success, the transaction reverted with {tx.revert_msg!r}"


# --- time: one clock, moved the same way on Ganache and Anvil ---------------------------------------------------------
#
# brownie's chain.sleep(seconds) works on both nodes (evm_increaseTime). brownie's chain.mine(timestamp=...) does not:
# on Anvil it sends the timestamp as bare JSON-RPC params ("Invalid request"). Ganache pauses mining with miner_stop,
# Anvil with evm_setAutomine; both mine a block at an exact time with evm_mine({"timestamp": T}). The helpers below are
# the one way the tests mine at an exact time. They send raw JSON-RPC, because brownie's chain.mine() waits on a lock
# that a queued transaction's watcher holds.


def _rpc(method: str, *params):
    response = brownie.web3.provider.make_request(method, list(params))
    if "error" in response:
        raise RuntimeError(f"{method} failed on the node: {response['error'].get('message')}")
    return response["result"]


@functools.cache
def _anvil(endpoint: str) -> bool:
    return brownie.web3.client_version.lower().startswith("anvil")


def on_anvil() -> bool:
    """The chain is Anvil (otherwise Ganache)."""
    return _anvil(brownie.web3.provider.endpoint_uri)


def sync_clock() -> None:
    """Sets brownie's clock (chain.time()) to the node's.

    brownie keeps chain.time() as the wall clock plus an offset, and restores its own offset when it reverts a
    snapshot. Ganache restores its offset the same way; Anvil instead restores its clock to the reverted-to block's
    time, so after every revert chain.time() ran ahead of Anvil by as long as the reverted test had taken (a "valid
    before" one second ahead was already expired). evm_increaseTime(0) answers the node's offset on both nodes: exact on
    Anvil, in whole seconds rounded down on Ganache, so chain.time() is never ahead of the node. The suite's isolation
    calls this after every revert (tests/conftest.py), as do the state-machine runner and the helpers below.
    """
    brownie.chain._set_time_offset_from_rpc(_rpc("evm_increaseTime", 0))


def mine_at(timestamp: int) -> None:
    """Mines the next block, with whatever transactions are pending, at exactly `timestamp`; the chain's clock goes
    on from there. A time before the latest block is refused on both nodes (Anvil refuses it, Ganache would not)."""
    latest = now()
    if timestamp < latest:
        raise ValueError(f"cannot mine at {timestamp}: the latest block is already at {latest}")
    # Ganache (--chain.vmErrorsOnRPCResponse, as brownie starts it) answers with an error when a transaction in the
    # block reverted, yet mines the block: what counts is the block.
    response = brownie.web3.provider.make_request("evm_mine", [{"timestamp": int(timestamp)}])
    mined = now()
    assert mined == timestamp, f"evm_mine at {timestamp} left the latest block at {mined}: {response}"
    sync_clock()


def at_time(timestamp, method, *args, params):
    """Sends `method(*args)` so that it is mined in a block with exactly `timestamp` (boundary tests): mining is paused,
    the transaction queued, one block mined at that time (mine_at), mining resumed. Returns the receipt, reverted or
    not (assert_reverted_with / assert_succeeded); the block's time is checked, so a boundary is never missed silently.
    """
    if on_anvil():
        pause, resume = ("evm_setAutomine", False), ("evm_setAutomine", True)
    else:
        pause, resume = ("miner_stop",), ("miner_start",)
    _rpc(*pause)
    try:
        # The receipt's undo snapshot would resync brownie's clock from the block in a thread of its own; mine_at does.
        tx = method(
            *args,
            {**params, "gas_limit": 3_000_000, "allow_revert": True, "required_confs": 0, "_skip_undo": True},
        )
        mine_at(timestamp)
    finally:
        _rpc(*resume)
    tx.wait(1)
    assert tx.timestamp == timestamp, f"the transaction was mined at {tx.timestamp}, not at {timestamp}"
    return tx


def toggle_freeze(registry, enforcer, account, frozen: set, reason: bytes) -> None:
    """Freezes `account`, or unfreezes it when the ghost's set of frozen addresses `frozen` holds it; keeps `frozen` in
    step with the registry (the stateful tests' freeze rule)."""
    if account.address in frozen:
        registry.unfreeze(account, {"from": enforcer})
        frozen.discard(account.address)
    else:
        registry.freeze(account, reason, {"from": enforcer})
        frozen.add(account.address)


def lapse_kyc(registry, account, kyc_officer, seconds: int = 10) -> None:
    """Lets `account`'s KYC expire: re-verified in its jurisdiction until `seconds` ahead, then time passes beyond it
    (frozen or not, an account whose KYC lapsed cannot transact)."""
    brownie.chain.mine()  # the latest block is now, so the expiry below is in the future when the call lands
    registry.setVerified(account, registry.jurisdictionOf(account), now() + seconds, {"from": kyc_officer})
    brownie.chain.sleep(seconds + 1)
    brownie.chain.mine()


# --- state machines: one runner, one rule style -----------------------------------------------------------------------

# Lifecycles: status -> the statuses it may move to (itself included). Nothing moves back to an earlier status.
SETTLEMENT_MOVES = {
    PaymentStatus.AUTHORIZED: {
        PaymentStatus.AUTHORIZED,
        PaymentStatus.CAPTURED,
        PaymentStatus.VOIDED,
        PaymentStatus.RECLAIMED,
    },
    PaymentStatus.CAPTURED: {PaymentStatus.CAPTURED},
    PaymentStatus.VOIDED: {PaymentStatus.VOIDED},
    PaymentStatus.RECLAIMED: {PaymentStatus.RECLAIMED},
}
ESCROW_MOVES = {
    TransferStatus.LOCKED: {TransferStatus.LOCKED, TransferStatus.RELEASED, TransferStatus.REFUNDED},
    TransferStatus.RELEASED: {TransferStatus.RELEASED},
    TransferStatus.REFUNDED: {TransferStatus.REFUNDED},
}
HTLC_MOVES = {
    LockStatus.LOCKED: {LockStatus.LOCKED, LockStatus.CLAIMED, LockStatus.REFUNDED},
    LockStatus.CLAIMED: {LockStatus.CLAIMED},
    LockStatus.REFUNDED: {LockStatus.REFUNDED},
}


def run_state_machine(machine_factory, max_examples: int, stateful_step_count: int, **settings) -> None:
    """Runs a hypothesis RuleBasedStateMachine (rules and invariants as @rule / @invariant methods) against the chain,
    from the same chain state for every example: snapshot once, revert before each example.

    This is the suite's one runner. brownie's own `state_machine` fixture cannot be used with eth-brownie 1.22.2: its
    mypyc-compiled base class rejects the subclasses it generates ("_BrownieStateMachine object expected").

    STATEFUL_EXAMPLES and STATEFUL_STEPS in the environment override the test's own numbers (make fuzz, nightly).
    """
    import hypothesis
    from hypothesis.stateful import run_state_machine_as_test

    brownie.chain.snapshot()

    def fresh_machine():
        brownie.chain.revert()
        sync_clock()
        return machine_factory()

    settings["max_examples"] = int(os.environ.get("STATEFUL_EXAMPLES", max_examples))
    settings["stateful_step_count"] = int(os.environ.get("STATEFUL_STEPS", stateful_step_count))
    # Each step is a chain transaction: long examples are the point, and slow by nature.
    settings.setdefault(
        "suppress_health_check", [hypothesis.HealthCheck.data_too_large, hypothesis.HealthCheck.too_slow]
    )
    settings.setdefault("deadline", None)
    print(
        f"\nstateful settings: max_examples={settings.get('max_examples')}, "
        f"stateful_step_count={settings.get('stateful_step_count')}"
    )
    run_state_machine_as_test(fresh_machine, settings=hypothesis.settings(**settings))


def full_length_examples():
    """A hypothesis `@initialize` rule for a RuleBasedStateMachine that makes every example run its full length.

    For its first ten valid examples hypothesis 6.27 runs a short random prefix extended with zeros (for a state
    machine: about one step) and caps the next example at ten times that, so with max_examples <= 10 every example
    stopped after one to five steps: a green run that exercised almost nothing. A zero-extended example ends this
    list with 0 and is refused; five refusals in a row switch that phase off (a random example is refused once in
    256)."""
    from hypothesis import assume
    from hypothesis import strategies as st
    from hypothesis.stateful import initialize

    @initialize(padding=st.lists(st.integers(min_value=0, max_value=255), min_size=64, max_size=64))
    def refuse_zero_extended_examples(self, padding):
        assume(padding[-1] != 0)

    return refuse_zero_extended_examples
