"""An admin that hands its role to a wrong address, or renounces it, on every contract with a default admin.

OpenZeppelin's AccessControlDefaultAdminRules moves the default admin in two steps with a delay (2 days): the wrong
address cannot accept before the delay, the admin can cancel until it accepts, the role cannot be granted directly
or renounced without the same delay; and the operational roles (pause above all) keep working throughout.
"""

import brownie
import pytest
from brownie import chain

from helpers import bytes32, reverts_with

CONTRACTS = ["registry", "token", "settlement", "escrow"]
DELAY = 2 * 24 * 3600


@pytest.fixture(params=CONTRACTS)
def governed(request, registry, token, settlement, escrow):
    # The module-scoped contracts are named as arguments so that they are deployed before the test's snapshot.
    return {"registry": registry, "token": token, "settlement": settlement, "escrow": escrow}[request.param]


def test_every_contract_starts_with_the_two_day_delay(governed, admin):
    assert governed.defaultAdmin() == admin
    assert governed.defaultAdminDelay() == DELAY == governed.INITIAL_ADMIN_DELAY()


def test_accepting_a_handover_to_a_wrong_address_early_reverts_and_the_admin_cancels_it(governed, admin, rando, carol):
    admin_role = governed.DEFAULT_ADMIN_ROLE()
    wrong = rando
    governed.beginDefaultAdminTransfer(wrong, {"from": admin})
    handover = governed.pendingDefaultAdmin()
    assert handover["newAdmin"] == wrong and handover["schedule"] > chain.time()
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        governed.acceptDefaultAdminTransfer({"from": wrong})
    # Only the admin may cancel; until then it is still the admin and still governs.
    with reverts_with("AccessControlUnauthorizedAccount"):
        governed.cancelDefaultAdminTransfer({"from": wrong})
    governed.grantRole(bytes32("SOME_ROLE"), carol, {"from": admin})
    governed.cancelDefaultAdminTransfer({"from": admin})
    chain.sleep(DELAY + 1)
    with reverts_with("AccessControlInvalidDefaultAdmin"):
        governed.acceptDefaultAdminTransfer({"from": wrong})
    assert governed.defaultAdmin() == admin and governed.hasRole(admin_role, admin)
    assert not governed.hasRole(admin_role, wrong)


def test_granting_or_renouncing_the_admin_role_without_the_delay_reverts(governed, admin, rando):
    admin_role = governed.DEFAULT_ADMIN_ROLE()
    with reverts_with("AccessControlEnforcedDefaultAdminRules"):
        governed.grantRole(admin_role, rando, {"from": admin})
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        governed.renounceRole(admin_role, admin, {"from": admin})
    # A renounce is scheduled like a handover to the zero address, and cancelled the same way.
    governed.beginDefaultAdminTransfer(brownie.ZERO_ADDRESS, {"from": admin})
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        governed.renounceRole(admin_role, admin, {"from": admin})
    governed.cancelDefaultAdminTransfer({"from": admin})
    chain.sleep(DELAY + 1)
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        governed.renounceRole(admin_role, admin, {"from": admin})
    assert governed.defaultAdmin() == admin


def _pause_cycle(token, pauser, alice, bob):
    token.pause({"from": pauser})
    with reverts_with("EnforcedPause"):
        token.transfer(bob, 1, {"from": alice})
    token.unpause({"from": pauser})
    token.transfer(bob, 1, {"from": alice})


def test_pause_still_works_through_a_wrong_handover_and_after_it_completes(funded, admin, pauser, rando, alice, bob):
    funded.beginDefaultAdminTransfer(rando, {"from": admin})
    _pause_cycle(funded, pauser, alice, bob)
    chain.sleep(DELAY + 1)
    funded.acceptDefaultAdminTransfer({"from": rando})  # the mistake went through: rando is the admin now
    assert funded.defaultAdmin() == rando
    _pause_cycle(funded, pauser, alice, bob)
    with reverts_with("AccessControlUnauthorizedAccount"):
        funded.setIssuerAllowance(alice, 1, {"from": admin})


def test_pause_still_works_after_the_admin_renounced(funded, admin, pauser, alice, bob, rando):
    funded.beginDefaultAdminTransfer(brownie.ZERO_ADDRESS, {"from": admin})
    chain.sleep(DELAY + 1)
    funded.renounceRole(funded.DEFAULT_ADMIN_ROLE(), admin, {"from": admin})
    assert funded.defaultAdmin() == brownie.ZERO_ADDRESS
    _pause_cycle(funded, pauser, alice, bob)
    # Nobody can grant roles any more, not even the former admin.
    with reverts_with("AccessControlUnauthorizedAccount"):
        funded.grantRole(funded.PAUSER_ROLE(), rando, {"from": admin})
