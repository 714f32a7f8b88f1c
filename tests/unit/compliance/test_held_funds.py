"""Held funds (contracts/HeldFunds.sol, through a test harness): what a contract owes to an account that cannot
transact stays in the contract for its owner, who withdraws it once it can transact again; while the owner is frozen,
the token's enforcement officers can seize it with a legal reference. Nothing else moves it."""

import pytest
from brownie import ZERO_ADDRESS, HeldFundsHarness, chain

from helpers import bytes32, reverts_with

REASON = bytes32("aml-hold")
LEGAL_REF = bytes32("court-order-2026-118")
OWED = 250_00


@pytest.fixture(scope="module")
def harness(registry, funded, verify, admin, alice):
    harness = HeldFundsHarness.deploy(registry, {"from": admin})
    verify(harness)
    funded.transfer(harness, 600_00, {"from": alice})
    return harness


@pytest.fixture
def held_for_bob(harness, funded, registry, enforcer, bob, admin):
    """bob is frozen and owed OWED: it is held for him."""
    registry.freeze(bob, REASON, {"from": enforcer})
    harness.payOrHold(funded, bob, OWED, {"from": admin})
    return harness


def test_an_owner_that_can_transact_is_paid(harness, funded, bob, admin):
    tx = harness.payOrHold(funded, bob, OWED, {"from": admin})
    assert tx.return_value is True
    assert funded.balanceOf(bob) == 500_00 + OWED
    assert harness.heldBalance(bob, funded) == 0
    assert "FundsHeld" not in tx.events


def test_what_is_owed_to_a_frozen_owner_is_held_for_it(harness, funded, registry, enforcer, bob, admin):
    registry.freeze(bob, REASON, {"from": enforcer})
    tx = harness.payOrHold(funded, bob, OWED, {"from": admin})
    assert tx.return_value is False
    assert tx.events["FundsHeld"] == {"account": bob, "token": funded, "amount": OWED}
    assert funded.balanceOf(bob) == 500_00
    assert funded.balanceOf(harness) == 600_00
    assert harness.heldBalance(bob, funded) == OWED


def test_what_is_owed_to_an_owner_whose_kyc_expired_is_held_for_it(harness, funded, registry, kyc_officer, bob, admin):
    registry.setVerified(bob, b"CN", chain.time() + 60, {"from": kyc_officer})
    chain.sleep(61)
    harness.payOrHold(funded, bob, OWED, {"from": admin})
    assert harness.heldBalance(bob, funded) == OWED
    assert funded.balanceOf(bob) == 500_00


def test_held_amounts_add_up(held_for_bob, funded, bob, admin):
    held_for_bob.payOrHold(funded, bob, 1, {"from": admin})
    assert held_for_bob.heldBalance(bob, funded) == OWED + 1


def test_withdrawal_by_a_frozen_owner_reverts(held_for_bob, funded, bob):
    with reverts_with("HeldFundsCannotTransact"):
        held_for_bob.withdrawHeld(funded, {"from": bob})
    assert held_for_bob.heldBalance(bob, funded) == OWED


def test_the_owner_withdraws_everything_once_it_can_transact_again(held_for_bob, funded, registry, enforcer, bob):
    registry.unfreeze(bob, {"from": enforcer})
    tx = held_for_bob.withdrawHeld(funded, {"from": bob})
    assert tx.events["HeldFundsWithdrawn"] == {"account": bob, "token": funded, "amount": OWED}
    assert funded.balanceOf(bob) == 500_00 + OWED
    assert funded.balanceOf(held_for_bob) == 600_00 - OWED
    assert held_for_bob.heldBalance(bob, funded) == 0
    with reverts_with("HeldFundsNothingHeld"):
        held_for_bob.withdrawHeld(funded, {"from": bob})


def test_withdrawal_by_anyone_but_the_owner_reverts(held_for_bob, funded, alice, bob):
    with reverts_with("HeldFundsNothingHeld"):
        held_for_bob.withdrawHeld(funded, {"from": alice})
    assert held_for_bob.heldBalance(bob, funded) == OWED


def test_the_tokens_enforcement_officer_seizes_held_funds_with_a_legal_reference(
    held_for_bob, funded, enforcer, alice, bob
):
    tx = held_for_bob.seizeHeld(bob, funded, alice, 100_00, LEGAL_REF, {"from": enforcer})
    assert tx.events["HeldFundsSeized"] == {
        "account": bob,
        "token": funded,
        "to": alice,
        "amount": 100_00,
        "legalRef": "0x" + LEGAL_REF.hex(),
        "officer": enforcer,
    }
    assert funded.balanceOf(alice) == 1_000_00 - 600_00 + 100_00
    assert held_for_bob.heldBalance(bob, funded) == OWED - 100_00


def test_only_the_tokens_enforcement_role_seizes_held_funds(
    held_for_bob, funded, registry, admin, alice, bob, new_account
):
    registry_only_officer = new_account(admin)
    registry.grantRole(registry.ENFORCEMENT_ROLE(), registry_only_officer, {"from": admin})
    for caller in (registry_only_officer, alice):
        with reverts_with("HeldFundsNotEnforcer"):
            held_for_bob.seizeHeld(bob, funded, alice, 1, LEGAL_REF, {"from": caller})
    assert held_for_bob.heldBalance(bob, funded) == OWED


def test_held_funds_are_seized_only_from_a_frozen_account(held_for_bob, funded, registry, enforcer, alice, bob):
    registry.unfreeze(bob, {"from": enforcer})
    with reverts_with("HeldFundsAccountNotFrozen"):
        held_for_bob.seizeHeld(bob, funded, alice, 1, LEGAL_REF, {"from": enforcer})
    assert held_for_bob.heldBalance(bob, funded) == OWED


def test_a_seizure_beyond_what_is_held_reverts(held_for_bob, funded, enforcer, alice, bob):
    with reverts_with("HeldFundsExceedsHeld"):
        held_for_bob.seizeHeld(bob, funded, alice, OWED + 1, LEGAL_REF, {"from": enforcer})
    assert held_for_bob.heldBalance(bob, funded) == OWED


@pytest.mark.parametrize(
    "to, amount, error", [(ZERO_ADDRESS, 1, "HeldFundsZeroAddress"), (None, 0, "HeldFundsZeroAmount")]
)
def test_a_seizure_without_a_receiver_or_an_amount_reverts(
    held_for_bob, funded, enforcer, alice, bob, to, amount, error
):
    with reverts_with(error):
        held_for_bob.seizeHeld(bob, funded, to or alice, amount, LEGAL_REF, {"from": enforcer})


def test_a_seizure_pays_only_a_receiver_that_can_transact(held_for_bob, funded, enforcer, carol, bob):
    with reverts_with("DepositTokenAccountNotVerified"):
        held_for_bob.seizeHeld(bob, funded, carol, 1, LEGAL_REF, {"from": enforcer})
    assert held_for_bob.heldBalance(bob, funded) == OWED


def test_the_held_funds_ledger_lives_in_its_erc7201_namespace(held_for_bob, funded, bob):
    """HeldFundsStorage.SLOT is ERC-7201 of "crosspay.storage.HeldFunds", and the ledger is a mapping at it."""
    from brownie import web3
    from eth_abi import encode
    from eth_utils import keccak

    inner = int.from_bytes(keccak(b"crosspay.storage.HeldFunds"), "big") - 1
    slot = int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF
    owner_slot = keccak(encode(["address", "uint256"], [bob.address, slot]))
    token_slot = keccak(encode(["address", "bytes32"], [funded.address, owner_slot]))
    assert int.from_bytes(web3.eth.get_storage_at(held_for_bob.address, token_slot), "big") == OWED
