"""A malicious token re-entering the settlement from inside a transfer is stopped by the reentrancy guard."""

import pytest
from brownie import ReentrantToken, chain

from crosspay.core.settlement import order_ref
from helpers import AUTH_PERIOD, MERCHANT, reverts_with


@pytest.fixture
def evil(settlement, admin, issuer_bank, merchant, payer, acquirer):
    token = ReentrantToken.deploy({"from": admin})
    settlement.setToken(token, issuer_bank, True, {"from": admin})
    token.mint(payer, 1_000_00, {"from": admin})
    token.approve(settlement, 2**256 - 1, {"from": payer})
    return token


def _pay(settlement, evil, payer, amount=100_00, method="authorize"):
    intent = (MERCHANT, evil.address, amount, order_ref(f"evil-{chain.time()}-{amount}"), chain.time() + 3600)
    return getattr(settlement, method)(intent, {"from": payer}).return_value


def test_reentering_void_from_a_void_is_blocked(settlement, evil, operator, payer):
    pid = _pay(settlement, evil, payer)
    evil.arm(settlement, settlement.void.encode_input(pid), {"from": operator})
    with reverts_with("ReentrancyGuardReentrantCall"):
        settlement.void(pid, {"from": operator})


def test_reentering_refund_from_a_refund_is_blocked(settlement, evil, operator, payer):
    pid = _pay(settlement, evil, payer, method="charge")
    evil.arm(settlement, settlement.refund.encode_input(pid, 1_00), {"from": operator})
    with reverts_with("ReentrancyGuardReentrantCall"):
        settlement.refund(pid, 1_00, {"from": operator})


def test_reentering_reclaim_from_a_reclaim_is_blocked(settlement, evil, payer):
    pid = _pay(settlement, evil, payer)
    chain.sleep(AUTH_PERIOD + 1)
    evil.arm(settlement, settlement.reclaim.encode_input(pid), {"from": payer})
    with reverts_with("ReentrancyGuardReentrantCall"):
        settlement.reclaim(pid, {"from": payer})


def test_reentering_settle_from_a_settle_is_blocked(settlement, evil, merchant, settler, payer):
    _pay(settlement, evil, payer, method="charge")
    evil.arm(settlement, settlement.settle.encode_input(evil, [merchant]), {"from": settler})
    with reverts_with("ReentrancyGuardReentrantCall"):
        settlement.settle(evil, [merchant], {"from": settler})


def test_reentering_withdraw_from_a_withdrawal_is_blocked(settlement, evil, acquirer, payer):
    _pay(settlement, evil, payer, method="charge")
    evil.arm(settlement, settlement.withdrawFees.encode_input(evil), {"from": acquirer})
    with reverts_with("ReentrancyGuardReentrantCall"):
        settlement.withdrawFees(evil, {"from": acquirer})


def test_reentering_authorize_from_an_authorization_pull_is_blocked(settlement, evil, payer, make_intent):
    other = make_intent(1_00, token_=evil)
    evil.arm(settlement, settlement.authorize.encode_input(other.as_tuple()), {"from": payer})
    with reverts_with("ReentrancyGuardReentrantCall"):
        _pay(settlement, evil, payer)


def test_unarmed_evil_token_works_normally(settlement, evil, operator, payer):
    pid = _pay(settlement, evil, payer)
    settlement.void(pid, {"from": operator})
    assert evil.balanceOf(payer) == 1_000_00
