"""CrossBorderEscrow, issue 9 rule 1: a freeze reaches money already in flight.

A locked transfer is its sender's money until it is released. A sender that cannot transact (frozen, unverified or
with its KYC expired) stops the release; compliance can always reject; whatever goes back to a sender that cannot
transact is held in the escrow for it (withdrawn once it can transact, seized by the token's ENFORCEMENT_ROLE); an LP
that cannot transact can neither release nor reject.
"""

import pytest
from brownie import chain

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import FEE_BPS, HOUR, UNABLE, bytes32, created_id, reverts_with


def paid_in(quote) -> int:
    """What the sender locked: the source amount and the fee."""
    return quote.source_amount + fx.fee_of(quote.source_amount, FEE_BPS)


def money(cny, hkd, escrow, *holders):
    return [(t.balanceOf(h), escrow.heldBalance(h, t)) for h in holders for t in (cny, hkd)]


@pytest.mark.parametrize("how", UNABLE)
def test_releasing_a_transfer_whose_sender_cannot_transact_reverts(
    market, initiate, make_unable, cny, hkd, sender, beneficiary, liquidity_provider, how
):
    tx, _ = initiate()
    make_unable(sender, how)
    before = money(cny, hkd, market, sender, beneficiary, liquidity_provider) + [cny.balanceOf(market)]
    with reverts_with("EscrowSenderCannotTransact"):
        market.release(created_id(tx), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED
    assert money(cny, hkd, market, sender, beneficiary, liquidity_provider) + [cny.balanceOf(market)] == before


def test_the_sender_cannot_transact_error_names_the_transfer_and_the_sender(
    market, initiate, make_unable, sender, liquidity_provider
):
    tx, _ = initiate()
    make_unable(sender, "frozen")
    with reverts_with(f"EscrowSenderCannotTransact: .*, {sender.address.lower()}"):
        market.release(created_id(tx), {"from": liquidity_provider})


@pytest.mark.parametrize("how", UNABLE)
def test_a_release_by_a_liquidity_provider_that_cannot_transact_reverts(
    market, initiate, make_unable, liquidity_provider, how
):
    tx, _ = initiate()
    make_unable(liquidity_provider, how)
    # The escrow's own named error, before the token would refuse the LP's transferFrom.
    with reverts_with(f"EscrowCannotTransact: {liquidity_provider.address.lower()}"):
        market.release(created_id(tx), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED


@pytest.mark.parametrize("how", UNABLE)
def test_a_reject_by_a_liquidity_provider_that_cannot_transact_reverts_but_compliance_rejects(
    market, initiate, make_unable, liquidity_provider, compliance_officer, cny, sender, how
):
    tx, quote = initiate()
    make_unable(liquidity_provider, how)
    with reverts_with(f"EscrowCannotTransact: {liquidity_provider.address.lower()}"):
        market.reject(created_id(tx), bytes32("lp-no"), {"from": liquidity_provider})
    before = cny.balanceOf(sender)
    market.reject(created_id(tx), bytes32("aml-hit"), {"from": compliance_officer})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED
    assert cny.balanceOf(sender) == before + paid_in(quote)


@pytest.mark.parametrize("how", UNABLE)
def test_compliance_reject_succeeds_whatever_the_senders_status_and_holds_what_is_owed_back(
    market, initiate, make_unable, compliance_officer, cny, sender, how
):
    tx, quote = initiate()
    make_unable(sender, how)
    before = (cny.balanceOf(sender), cny.balanceOf(market))
    reject = market.reject(created_id(tx), bytes32("sanctions-hit"), {"from": compliance_officer})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED
    # Nothing is sent to the sender: the escrow keeps it, recorded as held for the sender.
    assert (cny.balanceOf(sender), cny.balanceOf(market)) == before
    assert market.heldBalance(sender, cny) == paid_in(quote)
    assert reject.events["FundsHeld"] == {"account": sender, "token": cny, "amount": paid_in(quote)}
    assert reject.events["TransferRefunded"]["amount"] == paid_in(quote)
    assert "Transfer" not in reject.events


@pytest.mark.parametrize("how", UNABLE)
def test_a_refund_after_the_deadline_to_a_sender_that_cannot_transact_is_held(
    market, initiate, make_unable, keeper, cny, sender, how
):
    tx, quote = initiate()
    make_unable(sender, how)
    chain.sleep(HOUR + 1)
    before = (cny.balanceOf(sender), cny.balanceOf(market))
    refund = market.refund(created_id(tx), {"from": keeper})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED
    assert (cny.balanceOf(sender), cny.balanceOf(market)) == before
    assert market.heldBalance(sender, cny) == paid_in(quote)
    assert refund.events["FundsHeld"]["amount"] == paid_in(quote)


def test_a_refund_to_a_sender_that_can_transact_is_paid_not_held(market, initiate, keeper, cny, sender):
    tx, quote = initiate()
    chain.sleep(HOUR + 1)
    before = cny.balanceOf(sender)
    refund = market.refund(created_id(tx), {"from": keeper})
    assert cny.balanceOf(sender) == before + paid_in(quote)
    assert market.heldBalance(sender, cny) == 0
    assert "FundsHeld" not in refund.events


@pytest.mark.parametrize("how", UNABLE)
def test_the_sender_withdraws_what_is_held_for_it_once_it_can_transact_again(
    market, initiate, make_unable, make_able, compliance_officer, cny, sender, how
):
    tx, quote = initiate()
    make_unable(sender, how)
    market.reject(created_id(tx), bytes32("hold"), {"from": compliance_officer})
    with reverts_with("HeldFundsCannotTransact"):
        market.withdrawHeld(cny, {"from": sender})
    make_able(sender)
    before = cny.balanceOf(sender)
    withdrawal = market.withdrawHeld(cny, {"from": sender})
    assert cny.balanceOf(sender) == before + paid_in(quote)
    assert market.heldBalance(sender, cny) == 0
    assert withdrawal.events["HeldFundsWithdrawn"] == {"account": sender, "token": cny, "amount": paid_in(quote)}


def test_the_tokens_enforcement_role_seizes_what_is_held_for_a_frozen_sender(
    market, initiate, make_unable, verify, compliance_officer, enforcer, rando, cny, sender
):
    tx, quote = initiate()
    make_unable(sender, "frozen")
    market.reject(created_id(tx), bytes32("court"), {"from": compliance_officer})
    custody = rando  # the bank's custody account for seized funds: it must be able to receive
    verify(custody)
    with reverts_with("HeldFundsNotEnforcer"):
        market.seizeHeld(sender, cny, custody, paid_in(quote), bytes32("order-1"), {"from": compliance_officer})
    before = (cny.balanceOf(custody), cny.balanceOf(market))
    seizure = market.seizeHeld(sender, cny, custody, paid_in(quote), bytes32("order-1"), {"from": enforcer})
    assert (cny.balanceOf(custody), cny.balanceOf(market)) == (before[0] + paid_in(quote), before[1] - paid_in(quote))
    assert market.heldBalance(sender, cny) == 0
    assert seizure.events["HeldFundsSeized"]["legalRef"] == "0x" + bytes32("order-1").hex()
    assert seizure.events["HeldFundsSeized"]["officer"] == enforcer


def test_seizing_what_is_held_for_an_unverified_sender_that_is_not_frozen_reverts(
    market, initiate, make_unable, verify, compliance_officer, enforcer, rando, cny, sender
):
    tx, quote = initiate()
    make_unable(sender, "unverified")
    market.reject(created_id(tx), bytes32("kyc-lapsed"), {"from": compliance_officer})
    verify(rando)
    with reverts_with("HeldFundsAccountNotFrozen"):
        market.seizeHeld(sender, cny, rando, paid_in(quote), bytes32("order-2"), {"from": enforcer})
    assert market.heldBalance(sender, cny) == paid_in(quote)


def test_a_release_to_a_frozen_beneficiary_reverts_and_the_transfer_goes_back_by_reject(
    market, initiate, make_unable, liquidity_provider, compliance_officer, cny, sender, beneficiary
):
    tx, quote = initiate()
    make_unable(beneficiary, "frozen")
    with reverts_with(f"EscrowCannotTransact: {beneficiary.address.lower()}"):
        market.release(created_id(tx), {"from": liquidity_provider})
    before = cny.balanceOf(sender)
    market.reject(created_id(tx), bytes32("beneficiary-frozen"), {"from": compliance_officer})
    assert cny.balanceOf(sender) == before + paid_in(quote)


def test_a_transfer_held_up_by_a_frozen_sender_is_released_once_the_sender_is_unfrozen(
    market, initiate, make_unable, make_able, liquidity_provider, beneficiary, hkd, sender
):
    tx, quote = initiate()
    make_unable(sender, "frozen")
    with reverts_with("EscrowSenderCannotTransact"):
        market.release(created_id(tx), {"from": liquidity_provider})
    make_able(sender)
    before = hkd.balanceOf(beneficiary)
    market.release(created_id(tx), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.RELEASED
    assert hkd.balanceOf(beneficiary) == before + quote.target_amount
