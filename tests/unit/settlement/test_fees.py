"""Fees are a pull ledger: each owner (issuer fee account, network fee account, acquirer) withdraws what it is owed."""

from brownie import ZERO_ADDRESS

from helpers import reverts_with, split


def test_each_fee_owner_withdraws_its_part(settlement, token, issuer_bank, network_fee, acquirer, charge):
    charge(123_45)
    charge(67_89)
    parts = [split(123_45), split(67_89)]
    owed = {
        issuer_bank: sum(p.interchange for p in parts),
        network_fee: sum(p.network for p in parts),
        acquirer: sum(p.acquirer for p in parts),
    }
    for account, amount in owed.items():
        assert settlement.feesOwed(account, token) == amount
        before = token.balanceOf(account)
        tx = settlement.withdrawFees(token, {"from": account})
        assert token.balanceOf(account) == before + amount
        assert tx.events["FeesWithdrawn"] == {"account": account, "token": token, "amount": amount}
        assert settlement.feesOwed(account, token) == 0
        with reverts_with("SettlementNothingToWithdraw"):
            settlement.withdrawFees(token, {"from": account})


def test_issuer_and_network_collect_across_acquirers(
    settlement, token, merchant, merchant_2, issuer_bank, network_fee, acquirer, acquirer_2, charge
):
    charge(100_00)
    charge(200_00, merchant_id=merchant_2)
    one, two = split(100_00), split(200_00)
    assert settlement.feesOwed(issuer_bank, token) == one.interchange + two.interchange
    assert settlement.feesOwed(network_fee, token) == one.network + two.network
    assert settlement.feesOwed(acquirer, token) == one.acquirer
    assert settlement.feesOwed(acquirer_2, token) == two.acquirer
    settlement.withdrawFees(token, {"from": issuer_bank})
    assert settlement.feesOwed(acquirer, token) == one.acquirer
    assert settlement.feesOwed(network_fee, token) == one.network + two.network


def test_account_with_several_fee_roles_collects_all(settlement, admin, token, acquirer, charge):
    settlement.setToken(token, acquirer, True, {"from": admin})
    charge(100_00)
    parts = split(100_00)
    assert settlement.feesOwed(acquirer, token) == parts.interchange + parts.acquirer
    before = token.balanceOf(acquirer)
    settlement.withdrawFees(token, {"from": acquirer})
    assert token.balanceOf(acquirer) == before + parts.interchange + parts.acquirer


def test_changing_the_issuer_fee_account_keeps_earned_interchange_with_the_old_one(
    settlement, admin, token, issuer_bank, rando, charge
):
    charge(100_00)
    earned = split(100_00).interchange
    settlement.setToken(token, rando, True, {"from": admin})
    assert settlement.feesOwed(issuer_bank, token) == earned
    assert settlement.feesOwed(rando, token) == 0
    charge(50_00)
    assert settlement.feesOwed(rando, token) == split(50_00).interchange
    assert settlement.feesOwed(issuer_bank, token) == earned


def test_nothing_to_withdraw(settlement, token, rando, issuer_bank):
    with reverts_with("SettlementNothingToWithdraw"):
        settlement.withdrawFees(token, {"from": rando})
    with reverts_with("SettlementNothingToWithdraw"):
        settlement.withdrawFees(token, {"from": issuer_bank})


def test_unknown_token_fees(settlement, rando, issuer_bank):
    assert settlement.feesOwed(issuer_bank, rando) == 0
    with reverts_with("SettlementUnknownToken"):
        settlement.withdrawFees(rando, {"from": issuer_bank})
    assert ZERO_ADDRESS


def test_withdrawal_by_a_frozen_fee_account_reverts_but_blocks_nobody(
    settlement, registry, enforcer, token, issuer_bank, merchant, settler, payout, charge
):
    registry.freeze(issuer_bank, b"\x01" * 32, {"from": enforcer})
    charge(100_00)
    with reverts_with("DepositTokenAccountFrozen"):
        settlement.withdrawFees(token, {"from": issuer_bank})
    settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == split(100_00).merchant
    assert settlement.feesOwed(issuer_bank, token) == split(100_00).interchange
