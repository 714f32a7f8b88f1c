"""Single-ledger payment-versus-payment through the CrossBorderEscrow, end to end: a quote computed from a rate and
signed by the LP, then release, rejection or refund after the deadline. Every figure comes from the quote."""

from brownie import chain

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import FEE_BPS, HOUR, RATE, bytes32, created_id, now


def book(cny, hkd, escrow, *accounts_):
    return {(t.symbol(), str(a)): t.balanceOf(a) for t in (cny, hkd) for a in (*accounts_, escrow)}


def take_quote(escrow, quote, lp, chain_id, sender, beneficiary, deadline_in=HOUR):
    signature = fx.sign_quote(lp.private_key, quote, chain_id, escrow)
    offer = fx.offer(quote, escrow.feeBps())
    args = fx.initiate_args(offer, signature, beneficiary, now() + deadline_in, bytes32("travel-rule-ref"))
    tx = escrow.initiate(*args, {"from": sender})
    return created_id(tx)


def test_initiate_then_release_settles_both_legs(
    market, cny, hkd, liquidity_provider, sender, beneficiary, fee_account, chain_id
):
    # The beneficiary must receive exactly 500.00 HKD: the sender pays what the rate asks, rounded down.
    quote = fx.quote_from_target(cny, hkd, 500_00, RATE, liquidity_provider, now() + HOUR)
    fee = fx.fee_of(quote.source_amount, FEE_BPS)
    before = book(cny, hkd, market, sender, beneficiary, liquidity_provider, fee_account)
    transfer_id = take_quote(market, quote, liquidity_provider, chain_id, sender, beneficiary)
    market.release(transfer_id, {"from": liquidity_provider})
    after = book(cny, hkd, market, sender, beneficiary, liquidity_provider, fee_account)
    expected = dict(before)
    expected[("dCNY", str(sender))] -= quote.source_amount + fee
    expected[("dCNY", str(liquidity_provider))] += quote.source_amount
    expected[("dCNY", str(market))] += fee  # owed to the fee account until it withdraws (pull ledger)
    expected[("dHKD", str(liquidity_provider))] -= 500_00
    expected[("dHKD", str(beneficiary))] += 500_00
    assert after == expected
    assert market.feesOwed(fee_account, cny) == fee
    assert market.transferOf(transfer_id)["status"] == TransferStatus.RELEASED


def test_initiate_then_reject_returns_everything(
    market, cny, hkd, liquidity_provider, sender, beneficiary, compliance_officer, chain_id
):
    quote = fx.quote_from_source(cny, hkd, 300_00, RATE, liquidity_provider, now() + HOUR)
    before = book(cny, hkd, market, sender, beneficiary, liquidity_provider)
    transfer_id = take_quote(market, quote, liquidity_provider, chain_id, sender, beneficiary)
    market.reject(transfer_id, bytes32("travel-rule-mismatch"), {"from": compliance_officer})
    assert book(cny, hkd, market, sender, beneficiary, liquidity_provider) == before
    assert market.transferOf(transfer_id)["status"] == TransferStatus.REFUNDED


def test_initiate_then_deadline_then_refund_returns_everything(
    market, cny, hkd, liquidity_provider, sender, beneficiary, keeper, chain_id
):
    quote = fx.quote_from_source(cny, hkd, 300_00, RATE, liquidity_provider, now() + HOUR)
    before = book(cny, hkd, market, sender, beneficiary, liquidity_provider)
    transfer_id = take_quote(market, quote, liquidity_provider, chain_id, sender, beneficiary, deadline_in=2 * HOUR)
    chain.sleep(2 * HOUR + 1)
    market.refund(transfer_id, {"from": keeper})
    assert book(cny, hkd, market, sender, beneficiary, liquidity_provider) == before
    assert market.transferOf(transfer_id)["status"] == TransferStatus.REFUNDED


def test_a_sender_paying_herself_abroad(market, cny, hkd, liquidity_provider, sender, fee_account, chain_id):
    """The sender is the beneficiary: she converts her own CNY into HKD."""
    quote = fx.quote_from_source(cny, hkd, 200_00, RATE, liquidity_provider, now() + HOUR)
    fee = fx.fee_of(200_00, FEE_BPS)
    before_cny, before_hkd = cny.balanceOf(sender), hkd.balanceOf(sender)
    transfer_id = take_quote(market, quote, liquidity_provider, chain_id, sender, sender)
    market.release(transfer_id, {"from": liquidity_provider})
    assert cny.balanceOf(sender) == before_cny - 200_00 - fee
    assert hkd.balanceOf(sender) == before_hkd + fx.target_for_source(200_00, RATE)
