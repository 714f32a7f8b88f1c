"""The suite's fixtures, listed module by module (tests/fixtures/), and the isolation every test runs in.

Helpers that are not fixtures (parameters, revert assertions, the clock, the state-machine runner) are in
tests/helpers.py.
"""

import gc
import os

import brownie
import pytest

from crosspay.deploy.network import recheck_dropped_transactions
from helpers import sync_clock

pytest_plugins = [
    "fixtures.accounts",
    "fixtures.foundation",
    "fixtures.settlement",
    "fixtures.crossborder",
    "fixtures.adversarial",
    "fixtures.crosscurrency",
]


@pytest.fixture(scope="session", autouse=True)
def answers_that_never_change():
    """web3 asks the node for its chain id before every call and transaction it sends (two of every three requests
    of a view call); the chain id, like the client's version, is fixed for the session's one node, so web3 keeps the
    first answer (web3.py's request caching, limited to those two)."""
    provider = brownie.web3.provider
    provider.cacheable_requests = {"eth_chainId", "web3_clientVersion"}
    provider.cache_allowed_requests = True


@pytest.fixture(scope="session", autouse=True)
def receipts_before_drops():
    """brownie calls a mined Anvil transaction dropped when it reads the sender's nonce between Anvil's state commit
    and its receipts (under two workers' load); it looks for the receipt once more first (see
    crosspay.deploy.network.recheck_dropped_transactions)."""
    recheck_dropped_transactions()


@pytest.fixture(scope="module")
def module_isolation(module_isolation):
    """brownie's module isolation (the chain reset before and after each module), with brownie's clock set to the
    node's after the reset (helpers.sync_clock: Anvil rewinds its clock on a revert, brownie does not)."""
    sync_clock()
    yield


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    """Every test starts from the module's snapshot (brownie's fn_isolation), on the node's clock."""
    sync_clock()


def pytest_collection_finish(session):
    """brownie runs a full garbage collection on every snapshot revert, that is after every test; the project's build
    data (sources, ASTs, program-counter maps) make that slow. Freezing what exists once the tests are collected keeps
    those long-lived objects out of every later collection."""
    gc.collect()
    gc.freeze()


def pytest_configure(config):
    """Parallel workers (make test WORKERS=2, brownie's xdist support): brownie gives worker N the chain port PORT + N;
    the extra nodes some tests start (the swap's two ledgers, deploy targets, the demo's own chain) take free ports
    from CROSSPAY_NODE_PORTS, which is split here so that two workers never pick the same one at the same moment."""
    worker = getattr(config, "workerinput", None)
    if worker is None:
        return
    index, count = int(worker["workerid"].removeprefix("gw")), int(worker["workercount"])
    first, _, last = os.environ.get("CROSSPAY_NODE_PORTS", "8620-8629").partition("-")
    share = (int(last or first) - int(first) + 1) // count
    start = int(first) + index * share
    os.environ["CROSSPAY_NODE_PORTS"] = f"{start}-{start + share - 1}"
