"""CrossBorderEscrow, issue 9 rule 2: fees never block a payment. Release credits the fee to a pull ledger
(feesOwed / withdrawFees); a fee account that is frozen or whose KYC lapsed stops only its own withdrawals."""

import pytest

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import FEE_BPS, UNABLE, created_id, reverts_with


@pytest.mark.parametrize("how", UNABLE)
def test_release_succeeds_when_the_fee_account_cannot_transact(
    market, initiate, make_unable, cny, fee_account, liquidity_provider, how
):
    tx, quote = initiate(200_00)
    make_unable(fee_account, how)
    before = cny.balanceOf(fee_account)
    market.release(created_id(tx), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.RELEASED
    assert cny.balanceOf(fee_account) == before
    assert market.feesOwed(fee_account, cny) == fx.fee_of(quote.source_amount, FEE_BPS)


def test_fees_accumulate_in_the_ledger_and_the_fee_account_withdraws_them(
    market, initiate, cny, fee_account, liquidity_provider
):
    owed = 0
    for amount in (100_00, 333_33, 1_00):
        tx, quote = initiate(amount)
        market.release(created_id(tx), {"from": liquidity_provider})
        owed += fx.fee_of(quote.source_amount, FEE_BPS)
    assert market.feesOwed(fee_account, cny) == owed
    before = (cny.balanceOf(fee_account), cny.balanceOf(market))
    withdrawal = market.withdrawFees(cny, {"from": fee_account})
    assert (cny.balanceOf(fee_account), cny.balanceOf(market)) == (before[0] + owed, before[1] - owed)
    assert market.feesOwed(fee_account, cny) == 0
    assert withdrawal.events["FeesWithdrawn"] == {"account": fee_account, "token": cny, "amount": owed}


def test_withdraw_fees_with_nothing_owed_reverts(market, cny, hkd, fee_account, liquidity_provider, rando):
    for account, token in ((fee_account, cny), (fee_account, hkd), (liquidity_provider, cny), (rando, cny)):
        with reverts_with(f"EscrowNothingToWithdraw: {account.address.lower()}, {token.address.lower()}"):
            market.withdrawFees(token, {"from": account})


def test_only_the_fee_account_is_ever_owed_fees(market, initiate, cny, fee_account, liquidity_provider, sender):
    tx, _ = initiate()
    market.release(created_id(tx), {"from": liquidity_provider})
    assert market.feesOwed(fee_account, cny) > 0
    for other in (liquidity_provider, sender):
        assert market.feesOwed(other, cny) == 0
        with reverts_with("EscrowNothingToWithdraw"):
            market.withdrawFees(cny, {"from": other})


@pytest.mark.parametrize("how", UNABLE)
def test_withdraw_fees_by_a_fee_account_that_cannot_transact_reverts_until_it_can_again(
    market, initiate, make_unable, make_able, cny, fee_account, liquidity_provider, how
):
    tx, quote = initiate()
    market.release(created_id(tx), {"from": liquidity_provider})
    make_unable(fee_account, how)
    with reverts_with(f"EscrowCannotTransact: {fee_account.address.lower()}"):
        market.withdrawFees(cny, {"from": fee_account})
    owed = fx.fee_of(quote.source_amount, FEE_BPS)
    assert market.feesOwed(fee_account, cny) == owed
    make_able(fee_account)
    before = cny.balanceOf(fee_account)
    market.withdrawFees(cny, {"from": fee_account})
    assert cny.balanceOf(fee_account) == before + owed
