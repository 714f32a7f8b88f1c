"""HashedTimelock, issue 9 rule 1: the policy for a sender or recipient that cannot transact (IHashedTimelock's
NatSpec and docs/compliance.md). Every branch:

* sender cannot transact: no claim, even with the right preimage; the refund at the timelock is held for it;
* recipient cannot transact: the claim succeeds (the swap completes) and the amount is held for it;
* held funds: withdrawn by the owner once it can transact, seized by the token's ENFORCEMENT_ROLE while it is frozen
  (the LP's route when the sender was frozen after the LP delivered on the other ledger).
"""

import pytest
from brownie import chain

from crosspay.core.htlc import new_secret
from crosspay.core.status import LockStatus
from helpers import HOUR, UNABLE, bytes32, created_id, now, reverts_with

AMOUNT = 100_00


@pytest.fixture
def locked(htlc, market, cny, sender, liquidity_provider):
    """A lock of the sender's dCNY for the LP (leg A of a swap) under a fresh secret: (lock id, preimage)."""
    preimage, hashlock = new_secret()
    cny.approve(htlc, AMOUNT, {"from": sender})
    tx = htlc.lock(cny, AMOUNT, liquidity_provider, hashlock, now() + HOUR, {"from": sender})
    return created_id(tx), preimage


def holdings(htlc, cny, *accounts_):
    return [(cny.balanceOf(a), htlc.heldBalance(a, cny)) for a in accounts_] + [cny.balanceOf(htlc)]


@pytest.mark.parametrize("how", UNABLE)
def test_claiming_a_lock_whose_sender_cannot_transact_reverts_even_with_the_preimage(
    htlc, locked, make_unable, cny, sender, liquidity_provider, keeper, how
):
    lock_id, preimage = locked
    make_unable(sender, how)
    before = holdings(htlc, cny, sender, liquidity_provider)
    with reverts_with(f"HtlcSenderCannotTransact: .*, {sender.address.lower()}"):
        htlc.claim(lock_id, preimage, {"from": keeper})
    assert htlc.lockOf(lock_id)["status"] == LockStatus.LOCKED
    assert holdings(htlc, cny, sender, liquidity_provider) == before


@pytest.mark.parametrize("how", UNABLE)
def test_the_refund_of_a_lock_whose_sender_cannot_transact_is_held_for_the_sender(
    htlc, locked, make_unable, cny, sender, keeper, how
):
    lock_id, _ = locked
    make_unable(sender, how)
    chain.sleep(HOUR + 1)
    before = (cny.balanceOf(sender), cny.balanceOf(htlc))
    refund = htlc.refund(lock_id, {"from": keeper})
    assert htlc.lockOf(lock_id)["status"] == LockStatus.REFUNDED
    assert (cny.balanceOf(sender), cny.balanceOf(htlc)) == before
    assert htlc.heldBalance(sender, cny) == AMOUNT
    assert refund.events["FundsHeld"] == {"account": sender, "token": cny, "amount": AMOUNT}
    assert refund.events["Refunded"]["amount"] == AMOUNT


@pytest.mark.parametrize("how", UNABLE)
def test_a_claim_for_a_recipient_that_cannot_transact_succeeds_and_is_held_for_it(
    htlc, locked, make_unable, cny, liquidity_provider, keeper, how
):
    lock_id, preimage = locked
    make_unable(liquidity_provider, how)
    before = (cny.balanceOf(liquidity_provider), cny.balanceOf(htlc))
    claim = htlc.claim(lock_id, preimage, {"from": keeper})
    # The swap completes (the preimage is public), and the recipient's money stays frozen with it, here.
    assert htlc.lockOf(lock_id)["status"] == LockStatus.CLAIMED
    assert claim.events["Claimed"]["preimage"] == "0x" + preimage.hex()
    assert (cny.balanceOf(liquidity_provider), cny.balanceOf(htlc)) == before
    assert htlc.heldBalance(liquidity_provider, cny) == AMOUNT
    assert claim.events["FundsHeld"] == {"account": liquidity_provider, "token": cny, "amount": AMOUNT}


def test_a_claim_for_a_recipient_that_can_transact_is_paid_not_held(htlc, locked, cny, liquidity_provider, keeper):
    lock_id, preimage = locked
    before = cny.balanceOf(liquidity_provider)
    claim = htlc.claim(lock_id, preimage, {"from": keeper})
    assert cny.balanceOf(liquidity_provider) == before + AMOUNT
    assert htlc.heldBalance(liquidity_provider, cny) == 0
    assert "FundsHeld" not in claim.events


def test_a_claim_that_reverted_for_a_frozen_sender_succeeds_once_the_sender_is_unfrozen(
    htlc, locked, make_unable, make_able, cny, sender, liquidity_provider, keeper
):
    lock_id, preimage = locked
    make_unable(sender, "frozen")
    with reverts_with("HtlcSenderCannotTransact"):
        htlc.claim(lock_id, preimage, {"from": keeper})
    make_able(sender)
    before = cny.balanceOf(liquidity_provider)
    htlc.claim(lock_id, preimage, {"from": keeper})
    assert cny.balanceOf(liquidity_provider) == before + AMOUNT


@pytest.mark.parametrize("owner", ["sender", "recipient"])
def test_the_owner_withdraws_what_is_held_for_it_once_it_can_transact_again(
    htlc, locked, make_unable, make_able, cny, sender, liquidity_provider, keeper, owner
):
    lock_id, preimage = locked
    account = sender if owner == "sender" else liquidity_provider
    make_unable(account, "frozen")
    if owner == "sender":
        chain.sleep(HOUR + 1)
        htlc.refund(lock_id, {"from": keeper})
    else:
        htlc.claim(lock_id, preimage, {"from": keeper})
    with reverts_with("HeldFundsCannotTransact"):
        htlc.withdrawHeld(cny, {"from": account})
    make_able(account)
    before = cny.balanceOf(account)
    htlc.withdrawHeld(cny, {"from": account})
    assert cny.balanceOf(account) == before + AMOUNT
    assert htlc.heldBalance(account, cny) == 0
    assert cny.balanceOf(htlc) == 0


def test_an_lp_that_delivered_before_the_sender_was_frozen_is_paid_by_seizure_of_the_held_refund(
    htlc, locked, make_unable, cny, sender, liquidity_provider, keeper, enforcer
):
    # The LP paid the beneficiary on the other ledger, which published the preimage; the sender was frozen here
    # before the LP's claim. The claim is refused, the refund is held for the frozen sender, and a court order,
    # with the preimage from the other ledger as the evidence, lets the token's enforcement officer pay the LP.
    lock_id, preimage = locked
    make_unable(sender, "frozen")
    with reverts_with("HtlcSenderCannotTransact"):
        htlc.claim(lock_id, preimage, {"from": liquidity_provider})
    chain.sleep(HOUR + 1)
    htlc.refund(lock_id, {"from": keeper})
    before = cny.balanceOf(liquidity_provider)
    seizure = htlc.seizeHeld(
        sender, cny, liquidity_provider, AMOUNT, bytes32("HK court: swap delivered"), {"from": enforcer}
    )
    assert cny.balanceOf(liquidity_provider) == before + AMOUNT
    assert htlc.heldBalance(sender, cny) == 0
    assert cny.balanceOf(htlc) == 0
    assert seizure.events["HeldFundsSeized"]["to"] == liquidity_provider


def test_a_seizure_by_anyone_but_the_tokens_enforcement_role_or_from_an_owner_not_frozen_reverts(
    htlc, locked, make_unable, make_able, cny, sender, liquidity_provider, keeper, enforcer
):
    lock_id, _ = locked
    make_unable(sender, "frozen")
    chain.sleep(HOUR + 1)
    htlc.refund(lock_id, {"from": keeper})
    with reverts_with("HeldFundsNotEnforcer"):
        htlc.seizeHeld(sender, cny, liquidity_provider, AMOUNT, bytes32("order"), {"from": keeper})
    make_able(sender)
    with reverts_with("HeldFundsAccountNotFrozen"):
        htlc.seizeHeld(sender, cny, liquidity_provider, AMOUNT, bytes32("order"), {"from": enforcer})
    assert htlc.heldBalance(sender, cny) == AMOUNT
