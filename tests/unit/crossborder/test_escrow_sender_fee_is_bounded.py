"""CrossBorderEscrow, issue 9 rule 3: a sender's fee is bounded by the fee its app showed (initiate's maxFee). A
setFee landing between the offer and the initiate cannot charge the sender more; crosspay.core.fx builds the offer and
the arguments (tests/offchain/test_fx.py tests them without a chain)."""

from crosspay.core import fx
from crosspay.core.status import TransferStatus
from helpers import FEE_BPS, HOUR, bytes32, now, reverts_with


def test_a_fee_raised_after_the_sender_was_shown_it_reverts_and_is_not_charged(
    market, make_quote, admin, cny, sender, beneficiary
):
    quote, signature = make_quote(250_00, escrow=market)
    offer = fx.offer(quote, market.feeBps())  # what the sender's app shows: 30 bps
    market.setFee(100, {"from": admin})  # lands first
    in_force = fx.fee_of(quote.source_amount, 100)
    before = (cny.balanceOf(sender), cny.balanceOf(market))
    with reverts_with(f"EscrowFeeAboveMax: {in_force}, {offer.fee}"):
        market.initiate(*fx.initiate_args(offer, signature, beneficiary, now() + HOUR, bytes32("t")), {"from": sender})
    assert (cny.balanceOf(sender), cny.balanceOf(market)) == before
    assert market.transferOf(fx.transfer_id(quote.liquidity_provider, quote.quote_id))["status"] == TransferStatus.NONE


def test_a_fee_lowered_after_the_sender_was_shown_it_charges_the_lower_fee(
    market, make_quote, admin, cny, sender, beneficiary
):
    quote, signature = make_quote(250_00, escrow=market)
    offer = fx.offer(quote, market.feeBps())
    market.setFee(10, {"from": admin})
    before = cny.balanceOf(sender)
    tx = market.initiate(*fx.initiate_args(offer, signature, beneficiary, now() + HOUR, bytes32("t")), {"from": sender})
    charged = fx.fee_of(quote.source_amount, 10)
    assert charged < offer.fee
    assert tx.events["TransferInitiated"]["fee"] == charged
    assert cny.balanceOf(sender) == before - quote.source_amount - charged


def test_max_fee_equal_to_the_fee_is_accepted_and_one_below_reverts(market, make_quote, sender, beneficiary):
    quote, signature = make_quote(123_45, escrow=market)
    fee = fx.fee_of(quote.source_amount, FEE_BPS)
    assert fee > 0
    args = (quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"))
    with reverts_with(f"EscrowFeeAboveMax: {fee}, {fee - 1}"):
        market.initiate(*args, fee - 1, {"from": sender})
    tx = market.initiate(*args, fee, {"from": sender})
    assert tx.events["TransferInitiated"]["fee"] == fee


def test_a_sender_who_accepts_no_fee_is_served_only_by_a_fee_free_escrow(
    market, make_quote, admin, sender, beneficiary
):
    quote, signature = make_quote(escrow=market)
    with reverts_with("EscrowFeeAboveMax"):
        market.initiate(quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), 0, {"from": sender})
    market.setFee(0, {"from": admin})
    market.initiate(quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), 0, {"from": sender})
