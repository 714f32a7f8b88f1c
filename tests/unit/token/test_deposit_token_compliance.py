"""Every path that moves deposits is checked against the compliance registry, and a refusal changes nothing."""

import pytest
from brownie import ZERO_ADDRESS, chain

from helpers import HK, bytes32, reverts_with

REASON = bytes32("aml-hold")


def _balances(token, *accounts):
    return [token.balanceOf(a) for a in accounts]


def test_transfer_between_verified_holders(funded, alice, bob):
    tx = funded.transfer(bob, 123_45, {"from": alice})
    assert _balances(funded, alice, bob) == [1_000_00 - 123_45, 500_00 + 123_45]
    assert tx.events["Transfer"] == {"from": alice, "to": bob, "value": 123_45}


def test_transfer_across_jurisdictions_is_allowed(funded, verify, alice, carol):
    verify(carol, jurisdiction=HK)
    funded.transfer(carol, 1, {"from": alice})
    assert funded.balanceOf(carol) == 1


def test_transfer_to_an_unverified_receiver_reverts(funded, alice, carol):
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transfer(carol, 1, {"from": alice})
    assert _balances(funded, alice, carol) == [1_000_00, 0]


def test_transfer_from_a_frozen_sender_reverts(funded, registry, enforcer, alice, bob):
    registry.freeze(alice, REASON, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.transfer(bob, 1, {"from": alice})
    assert _balances(funded, alice, bob) == [1_000_00, 500_00]


def test_transfer_to_a_frozen_receiver_reverts(funded, registry, enforcer, alice, bob):
    registry.freeze(bob, REASON, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.transfer(bob, 1, {"from": alice})
    assert _balances(funded, alice, bob) == [1_000_00, 500_00]


def test_transfer_after_the_senders_kyc_expired_reverts(funded, registry, kyc_officer, alice, bob):
    registry.setVerified(alice, b"CN", chain.time() + 100, {"from": kyc_officer})
    chain.sleep(101)
    chain.mine()
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transfer(bob, 1, {"from": alice})


def test_transfer_to_a_revoked_receiver_reverts(funded, registry, kyc_officer, alice, bob):
    registry.revoke(bob, {"from": kyc_officer})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transfer(bob, 1, {"from": alice})


def test_transfer_to_the_zero_address_reverts(funded, alice):
    with reverts_with("ERC20InvalidReceiver"):
        funded.transfer(ZERO_ADDRESS, 1, {"from": alice})


def test_transfer_from_moves_within_the_allowance(funded, verify, alice, bob, carol):
    verify(carol)
    funded.approve(carol, 50_00, {"from": alice})
    funded.transferFrom(alice, bob, 30_00, {"from": carol})
    assert _balances(funded, alice, bob) == [970_00, 530_00]
    assert funded.allowance(alice, carol) == 20_00


def test_transfer_from_to_an_unverified_receiver_reverts(funded, verify, alice, carol, rando):
    verify(carol)
    funded.approve(carol, 50_00, {"from": alice})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transferFrom(alice, rando, 1, {"from": carol})
    assert funded.allowance(alice, carol) == 50_00


def test_transfer_from_out_of_a_frozen_account_reverts(funded, registry, enforcer, verify, alice, bob, carol):
    verify(carol)
    funded.approve(carol, 50_00, {"from": alice})
    registry.freeze(alice, REASON, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.transferFrom(alice, bob, 1, {"from": carol})
    assert funded.allowance(alice, carol) == 50_00


def test_transfer_from_by_a_frozen_spender_reverts(funded, registry, enforcer, verify, alice, bob, carol):
    verify(carol)
    funded.approve(carol, 50_00, {"from": alice})
    registry.freeze(carol, REASON, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.transferFrom(alice, bob, 1, {"from": carol})
    assert _balances(funded, alice, bob) == [1_000_00, 500_00]


def test_transfer_from_by_an_unverified_spender_reverts(funded, alice, bob, carol):
    funded.approve(carol, 50_00, {"from": alice})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transferFrom(alice, bob, 1, {"from": carol})


def test_mint_to_an_unverified_account_reverts(token, issuer, carol):
    supply = token.totalSupply()
    with reverts_with("DepositTokenAccountNotVerified"):
        token.mint(carol, 1, bytes32("dep"), {"from": issuer})
    assert token.totalSupply() == supply


def test_mint_to_a_frozen_account_reverts(token, verify, registry, enforcer, issuer, carol):
    verify(carol)
    registry.freeze(carol, REASON, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        token.mint(carol, 1, bytes32("dep"), {"from": issuer})


def test_unfreeze_restores_transfers(funded, registry, enforcer, alice, bob):
    registry.freeze(alice, REASON, {"from": enforcer})
    registry.unfreeze(alice, {"from": enforcer})
    funded.transfer(bob, 1, {"from": alice})
    assert funded.balanceOf(bob) == 500_01


@pytest.mark.parametrize("amount", [0])
def test_zero_value_transfers_still_need_compliant_ends(funded, alice, carol, amount):
    # ERC-20 allows zero-value transfers; they must not become a way to reach unverified addresses.
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.transfer(carol, amount, {"from": alice})
