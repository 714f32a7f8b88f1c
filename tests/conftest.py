"""Fixtures shared by every Crosspay test: accounts named by role, and the deployed foundation.

Accounts that sign off-chain messages (permits, EIP-3009 authorisations) are local accounts with known keys,
funded with ether; the node's own unlocked accounts play the institutional roles.
"""

import os
from pathlib import Path

import pytest
from brownie import accounts, chain

from crosspay.core.iso import jurisdiction
from crosspay.deploy.plan import REGISTRY, Roles, deploy
from crosspay.deploy.record import Deployer
from helpers import bytes32

# Each area's fixtures live in tests/fixtures/<area>.py and are loaded here.
pytest_plugins = sorted(
    f"fixtures.{path.stem}" for path in Path(__file__).parent.joinpath("fixtures").glob("*.py") if path.stem != "__init__"
)

YEAR = 365 * 24 * 3600
CN = jurisdiction("CN")
HK = jurisdiction("HK")
INITIAL_RESERVES = 10_000_000_00  # 10 million CNY, in fen
INITIAL_ALLOWANCE = 5_000_000_00


@pytest.fixture(autouse=True)
def isolation(fn_isolation):
    pass


@pytest.fixture(scope="session")
def admin():
    return accounts[0]


@pytest.fixture(scope="session")
def kyc_officer():
    return accounts[1]


@pytest.fixture(scope="session")
def enforcer():
    return accounts[2]


@pytest.fixture(scope="session")
def issuer():
    return accounts[3]


@pytest.fixture(scope="session")
def auditor():
    return accounts[4]


@pytest.fixture(scope="session")
def pauser():
    return accounts[5]


@pytest.fixture(scope="session")
def rando():
    return accounts[9]


def _funded_local_account(funder):
    account = accounts.add()
    funder.transfer(account, "10 ether")
    return account


@pytest.fixture(scope="module")
def alice():
    return _funded_local_account(accounts[6])


@pytest.fixture(scope="module")
def bob():
    return _funded_local_account(accounts[7])


@pytest.fixture(scope="module")
def carol():
    return _funded_local_account(accounts[8])


@pytest.fixture(scope="module")
def registry(admin, kyc_officer, enforcer):
    roles = Roles(kyc_officer=kyc_officer, enforcer=enforcer)
    return deploy(Deployer.immediate(admin), roles, parts=[REGISTRY]).registry


@pytest.fixture(scope="module")
def verify(registry, kyc_officer):
    """verify(*accounts, jurisdiction=CN, for_seconds=YEAR): KYC accounts in the registry."""

    def verify(*accounts_, jurisdiction=CN, for_seconds=YEAR):
        expires_at = chain.time() + for_seconds
        for account in accounts_:
            registry.setVerified(account, jurisdiction, expires_at, {"from": kyc_officer})

    return verify


@pytest.fixture(scope="module")
def token(registry, admin, issuer, auditor, pauser, enforcer):
    """A mainland bank's dCNY, with reserves attested and an issuer allowance."""
    roles = Roles(cny_issuer=issuer, cny_auditor=auditor, pauser=pauser, enforcer=enforcer)
    token = deploy(Deployer.immediate(admin, {REGISTRY: registry}), roles, parts=["dCNY"]).tokens["dCNY"]
    token.setIssuerAllowance(issuer, INITIAL_ALLOWANCE, {"from": admin})
    token.attestReserves(INITIAL_RESERVES, b"\x01" * 32, {"from": auditor})
    return token


@pytest.fixture(scope="module")
def funded(token, verify, issuer, alice, bob):
    """alice and bob verified in CN, holding 1,000.00 and 500.00 dCNY."""
    verify(alice, bob)
    token.mint(alice, 1_000_00, bytes32("deposit-alice"), {"from": issuer})
    token.mint(bob, 500_00, bytes32("deposit-bob"), {"from": issuer})
    return token


@pytest.fixture(scope="session")
def chain_id():
    return chain.id


@pytest.fixture
def state_machine():
    """brownie's `state_machine`, loaded from its pure-Python source.

    The mypyc-compiled brownie.test.stateful in eth-brownie 1.22.2's wheel refuses the state machine class it builds
    itself ("_BrownieStateMachine object expected; got BrownieStateMachine"), so brownie's own fixture fails on any
    rules class. The .py source shipped next to it is the same code, uncompiled, and works; this fixture replaces
    brownie's. (tests/helpers.run_state_machine runs a plain hypothesis RuleBasedStateMachine the same way.)"""
    import importlib.util

    import brownie.test

    source = Path(brownie.test.__file__).with_name("stateful.py")
    spec = importlib.util.spec_from_file_location("crosspay_brownie_stateful", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(rules_object, *args, settings=None, **kwargs):
        # STATEFUL_EXAMPLES / STATEFUL_STEPS lengthen a run (make fuzz), as for tests/helpers.run_state_machine.
        settings = dict(settings or {})
        for key, variable in (("max_examples", "STATEFUL_EXAMPLES"), ("stateful_step_count", "STATEFUL_STEPS")):
            if os.environ.get(variable):
                settings[key] = int(os.environ[variable])
        print(f"\nstateful settings: max_examples={settings.get('max_examples')}, "
              f"stateful_step_count={settings.get('stateful_step_count')}")
        return module.state_machine(rules_object, *args, settings=settings, **kwargs)

    return run
