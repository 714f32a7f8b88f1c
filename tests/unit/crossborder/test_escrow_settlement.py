"""CrossBorderEscrow: release, reject and refund, their roles, boundaries and failure paths, and reentrancy."""

import brownie
from brownie import ReentrantToken, chain

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import (
    FEE_BPS,
    HOUR,
    assert_reverted_with,
    assert_succeeded,
    at_time,
    bytes32,
    created_id,
    now,
    reverts_with,
    shown_fee,
)

ZERO = brownie.ZERO_ADDRESS


def balances(tokens_holders):
    return [token.balanceOf(holder) for token, holder in tokens_holders]


def deadline_of(escrow, transfer_id):
    return escrow.transferOf(transfer_id)["deadline"]


def assert_final(escrow, transfer_id, status):
    assert escrow.transferOf(transfer_id).dict() == {
        "status": status,
        "sender": ZERO,
        "beneficiary": ZERO,
        "sourceToken": ZERO,
        "targetToken": ZERO,
        "sourceAmount": 0,
        "targetAmount": 0,
        "liquidityProvider": ZERO,
        "deadline": 0,
    }
    assert escrow.feeOf(transfer_id) == 0


# --- release ------------------------------------------------------------------------------------------------


def test_release_moves_both_legs_and_credits_the_fee_at_once(
    market, initiate, cny, hkd, liquidity_provider, beneficiary, fee_account
):
    tx, quote = initiate(250_00)
    fee = fx.fee_of(quote.source_amount, FEE_BPS)
    legs = [(hkd, beneficiary), (hkd, liquidity_provider), (cny, liquidity_provider), (cny, fee_account), (cny, market)]
    before = balances(legs)
    release = market.release(created_id(tx), {"from": liquidity_provider})
    assert balances(legs) == [
        before[0] + quote.target_amount,
        before[1] - quote.target_amount,
        before[2] + quote.source_amount,
        before[3],  # the fee is credited to the fee account's ledger, not pushed
        before[4] - quote.source_amount,
    ]
    assert market.feesOwed(fee_account, cny) == fee
    assert_final(market, created_id(tx), TransferStatus.RELEASED)
    assert release.events["TransferReleased"] == {
        "transferId": created_id(tx),
        "liquidityProvider": liquidity_provider,
        "beneficiary": beneficiary,
        "targetAmount": quote.target_amount,
        "sourceAmount": quote.source_amount,
        "fee": fee,
    }


def test_release_without_a_fee_credits_no_fee(market, initiate, admin, cny, fee_account, liquidity_provider):
    market.setFee(0, {"from": admin})
    tx, _ = initiate(100_00)
    release = market.release(created_id(tx), {"from": liquidity_provider})
    assert len(release.events["Transfer"]) == 2
    assert market.feesOwed(fee_account, cny) == 0


def test_release_keeps_the_fee_locked_at_initiate(market, initiate, admin, cny, fee_account, liquidity_provider):
    tx, quote = initiate(100_00)
    market.setFee(100, {"from": admin})
    before = market.feesOwed(fee_account, cny)
    market.release(created_id(tx), {"from": liquidity_provider})
    assert market.feesOwed(fee_account, cny) == before + fx.fee_of(quote.source_amount, FEE_BPS)


def test_release_by_anyone_but_the_liquidity_provider_reverts(
    market, initiate, sender, beneficiary, compliance_officer, admin, rando
):
    tx, _ = initiate()
    for caller in (sender, beneficiary, compliance_officer, admin, rando):
        with reverts_with("EscrowUnauthorized"):
            market.release(created_id(tx), {"from": caller})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED


def test_release_at_exactly_the_deadline_reverts(market, initiate, liquidity_provider):
    tx, _ = initiate()
    release = at_time(
        deadline_of(market, created_id(tx)), market.release, created_id(tx), params={"from": liquidity_provider}
    )
    assert_reverted_with(release, "EscrowDeadlinePassed")


def test_release_one_second_before_the_deadline_succeeds(market, initiate, liquidity_provider):
    tx, _ = initiate()
    release = at_time(
        deadline_of(market, created_id(tx)) - 1, market.release, created_id(tx), params={"from": liquidity_provider}
    )
    assert_succeeded(release)
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.RELEASED


def test_double_release_reverts(market, initiate, liquidity_provider):
    tx, _ = initiate()
    market.release(created_id(tx), {"from": liquidity_provider})
    with reverts_with("EscrowUnexpectedStatus"):
        market.release(created_id(tx), {"from": liquidity_provider})


def test_release_of_an_unknown_transfer_reverts(market, liquidity_provider):
    with reverts_with("EscrowUnexpectedStatus"):
        market.release(bytes32("nothing"), {"from": liquidity_provider})


def test_release_by_a_liquidity_provider_disallowed_since_reverts(market, initiate, admin, liquidity_provider):
    tx, _ = initiate()
    market.setLiquidityProvider(liquidity_provider, False, {"from": admin})
    with reverts_with("EscrowNotLiquidityProvider"):
        market.release(created_id(tx), {"from": liquidity_provider})
    # It can still hand the money back.
    market.reject(created_id(tx), bytes32("delisted"), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED


def test_a_beneficiary_frozen_after_initiate_blocks_release_but_not_refund(
    market, initiate, registry, enforcer, beneficiary, liquidity_provider, cny, sender, keeper
):
    tx, quote = initiate()
    paid = quote.source_amount + fx.fee_of(quote.source_amount, FEE_BPS)
    registry.freeze(beneficiary, bytes32("case-3"), {"from": enforcer})
    with reverts_with("EscrowCannotTransact"):
        market.release(created_id(tx), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED
    before = cny.balanceOf(sender)
    chain.sleep(HOUR + 1)
    market.refund(created_id(tx), {"from": keeper})
    assert cny.balanceOf(sender) == before + paid


def test_release_without_the_lps_allowance_reverts_and_the_escrow_keeps_the_funds(
    market, initiate, hkd, cny, liquidity_provider, sender, keeper
):
    tx, quote = initiate()
    hkd.approve(market, quote.target_amount - 1, {"from": liquidity_provider})
    held = cny.balanceOf(market)
    with reverts_with("ERC20InsufficientAllowance"):
        market.release(created_id(tx), {"from": liquidity_provider})
    assert cny.balanceOf(market) == held
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.LOCKED
    chain.sleep(HOUR + 1)
    before = cny.balanceOf(sender)
    market.refund(created_id(tx), {"from": keeper})
    assert cny.balanceOf(sender) == before + quote.source_amount + fx.fee_of(quote.source_amount, FEE_BPS)


def test_release_without_the_lps_balance_reverts_and_the_escrow_keeps_the_funds(
    market, initiate, hkd, cny, liquidity_provider, beneficiary, sender, keeper
):
    tx, quote = initiate()
    hkd.transfer(beneficiary, hkd.balanceOf(liquidity_provider) - quote.target_amount + 1, {"from": liquidity_provider})
    held = cny.balanceOf(market)
    with reverts_with("ERC20InsufficientBalance"):
        market.release(created_id(tx), {"from": liquidity_provider})
    assert cny.balanceOf(market) == held
    chain.sleep(HOUR + 1)
    market.refund(created_id(tx), {"from": keeper})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED


# --- reject -------------------------------------------------------------------------------------------------


def test_compliance_rejects_with_a_reason_and_the_sender_gets_everything_back(
    market, initiate, compliance_officer, cny, sender
):
    before = cny.balanceOf(sender)
    tx, quote = initiate()
    paid = quote.source_amount + fx.fee_of(quote.source_amount, FEE_BPS)
    reject = market.reject(created_id(tx), bytes32("sanctions-hit"), {"from": compliance_officer})
    assert cny.balanceOf(sender) == before
    assert_final(market, created_id(tx), TransferStatus.REFUNDED)
    assert reject.events["TransferRefunded"] == {
        "transferId": created_id(tx),
        "sender": sender,
        "amount": paid,
        "reason": "0x" + bytes32("sanctions-hit").hex(),
        "by": compliance_officer,
    }


def test_the_liquidity_provider_can_reject(market, initiate, liquidity_provider):
    tx, _ = initiate()
    market.reject(created_id(tx), bytes32("no-liquidity"), {"from": liquidity_provider})
    assert market.transferOf(created_id(tx))["status"] == TransferStatus.REFUNDED


def test_reject_by_anyone_else_reverts(market, initiate, sender, beneficiary, admin, rando):
    tx, _ = initiate()
    for caller in (sender, beneficiary, admin, rando):
        with reverts_with("EscrowUnauthorized"):
            market.reject(created_id(tx), bytes32("x"), {"from": caller})


def test_reject_needs_a_reason(market, initiate, compliance_officer):
    tx, _ = initiate()
    with reverts_with("EscrowZeroReason"):
        market.reject(created_id(tx), bytes32(""), {"from": compliance_officer})


def test_reject_after_release_reverts(market, initiate, liquidity_provider, compliance_officer):
    tx, _ = initiate()
    market.release(created_id(tx), {"from": liquidity_provider})
    with reverts_with("EscrowUnexpectedStatus"):
        market.reject(created_id(tx), bytes32("late"), {"from": compliance_officer})


# --- refund -------------------------------------------------------------------------------------------------


def test_refund_one_second_before_the_deadline_reverts(market, initiate, keeper):
    tx, _ = initiate()
    refund = at_time(deadline_of(market, created_id(tx)) - 1, market.refund, created_id(tx), params={"from": keeper})
    assert_reverted_with(refund, "EscrowDeadlineNotReached")


def test_refund_at_exactly_the_deadline_by_anyone_pays_the_sender(market, initiate, keeper, cny, sender):
    before = cny.balanceOf(sender)
    tx, quote = initiate()
    refund = at_time(deadline_of(market, created_id(tx)), market.refund, created_id(tx), params={"from": keeper})
    assert_succeeded(refund)
    assert cny.balanceOf(sender) == before
    assert_final(market, created_id(tx), TransferStatus.REFUNDED)
    assert refund.events["TransferRefunded"]["reason"] == "0x" + bytes32("").hex()
    assert refund.events["TransferRefunded"]["by"] == keeper


def test_double_refund_and_release_after_refund_revert(market, initiate, keeper, liquidity_provider):
    tx, _ = initiate()
    chain.sleep(HOUR + 1)
    market.refund(created_id(tx), {"from": keeper})
    with reverts_with("EscrowUnexpectedStatus"):
        market.refund(created_id(tx), {"from": keeper})
    with reverts_with("EscrowUnexpectedStatus"):
        market.release(created_id(tx), {"from": liquidity_provider})


def test_refund_after_release_reverts(market, initiate, keeper, liquidity_provider):
    tx, _ = initiate()
    market.release(created_id(tx), {"from": liquidity_provider})
    chain.sleep(HOUR + 1)
    with reverts_with("EscrowUnexpectedStatus"):
        market.refund(created_id(tx), {"from": keeper})


def test_refund_of_an_unknown_transfer_reverts(market, keeper):
    with reverts_with("EscrowUnexpectedStatus"):
        market.refund(bytes32("nothing"), {"from": keeper})


# --- reentrancy through a malicious token ---------------------------------------------------------------------


def test_a_token_reentering_the_escrow_mid_transfer_reverts(
    market, make_quote, sender, beneficiary, admin, liquidity_provider, keeper
):
    evil = ReentrantToken.deploy({"from": admin})
    evil.mint(sender, 1_000_00, {"from": admin})
    evil.approve(market, 1_000_00, {"from": sender})
    market.setToken(evil, True, {"from": admin})
    market.setFee(0, {"from": admin})
    quote, signature = make_quote(escrow=market, source_token=str(evil))
    transfer_id = fx.transfer_id(liquidity_provider, quote.quote_id)
    # While the escrow pulls the evil token, the token calls back into refund of the very transfer being created.
    evil.arm(market, market.refund.encode_input(transfer_id), {"from": admin})
    with reverts_with("ReentrancyGuardReentrantCall"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    # Unarmed, the same transfer goes through; a callback during its refund is refused as well.
    evil.arm(brownie.ZERO_ADDRESS, b"", {"from": admin})
    market.initiate(
        quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
    )
    chain.sleep(HOUR + 1)
    evil.arm(market, market.refund.encode_input(transfer_id), {"from": admin})
    with reverts_with("ReentrancyGuardReentrantCall"):
        market.refund(transfer_id, {"from": keeper})
    assert market.transferOf(transfer_id)["status"] == TransferStatus.LOCKED
    assert evil.balanceOf(market) == quote.source_amount
