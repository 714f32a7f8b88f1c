"""A capture split into tiny amounts so that each piece's own fee would round down to zero.

Before issue 9 each capture's fee was floor(amount * mdr / 10,000) on its own amount, so a merchant splitting a sale
into captures of at most floor(9,999 / 175) = 57 minor units (at MDR 1.75 %) paid no fee at all, and the interchange
and network parts, floored again per capture, all went to the acquirer. Since issue 9 a payment's fee and its parts are
computed on its cumulative captured amount and each capture is charged the difference (FeeMath.sol): however the sale
is split, the fee is exactly floor(total * mdr / 10,000) and its parts those of one capture of the total; every minor
unit is still accounted for (gross = fees + pending, and the parts add up to the fees).

The escrow's fee is per transfer (each transfer is its own sale), so its bound stays: a sender who splits a transfer
saves less than one minor unit per piece.
"""

import pytest

from crosspay.core.status import PaymentStatus
from helpers import MDR_BPS, split

BPS = 10_000
LARGEST_FEE_FREE_CAPTURE = (BPS - 1) // MDR_BPS


def _fee(amount):
    return split(amount).fee


def test_the_largest_fee_free_amount_is_what_the_rule_says():
    assert _fee(LARGEST_FEE_FREE_CAPTURE) == 0 and _fee(LARGEST_FEE_FREE_CAPTURE + 1) == 1


@pytest.mark.parametrize(
    "pieces",
    [
        [LARGEST_FEE_FREE_CAPTURE] * 20,  # each piece's own fee would round to zero
        [1] * 12,  # the smallest captures
        [LARGEST_FEE_FREE_CAPTURE + 1, 113, 999, 1, 57, 10_000, 58],  # mixed, some just over a fee step
    ],
    ids=["fee-free-pieces", "one-fen-pieces", "mixed-pieces"],
)
def test_split_captures_pay_exactly_the_fee_and_parts_of_the_total(
    settlement, token, merchant, operator, issuer_bank, network_fee, acquirer, authorize, pieces
):
    total = sum(pieces)
    pid = authorize(total)
    fees, captured = 0, 0
    for amount in pieces:
        tx = settlement.capture(pid, amount, {"from": operator})
        assert tx.events["PaymentCaptured"]["fee"] == _fee(captured + amount) - _fee(captured)
        fees += tx.events["PaymentCaptured"]["fee"]
        captured += amount
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED

    one = split(total)
    assert fees == one.fee
    # Nothing is lost: the merchant is owed the gross less the fee, and the fee parts are those of one capture.
    assert settlement.pendingSettlement(merchant, token) == total - fees
    owed = [settlement.feesOwed(a, token) for a in (issuer_bank, network_fee, acquirer)]
    assert owed == [one.interchange, one.network, one.acquirer]
    assert token.balanceOf(settlement) == total


def test_a_sale_split_into_fee_free_pieces_still_pays_the_fee_on_the_total(
    settlement, token, merchant, operator, authorize
):
    # Before issue 9: the whole fee dodged, one capture at a time.
    pieces = 10
    pid = authorize(LARGEST_FEE_FREE_CAPTURE * pieces)
    for _ in range(pieces):
        settlement.capture(pid, LARGEST_FEE_FREE_CAPTURE, {"from": operator})
    fee = _fee(LARGEST_FEE_FREE_CAPTURE * pieces)
    assert fee > 0
    assert settlement.pendingSettlement(merchant, token) == LARGEST_FEE_FREE_CAPTURE * pieces - fee


def test_escrow_fees_of_split_transfers_stay_within_one_minor_unit_per_transfer(
    market, initiate, cny, sender, fee_account
):
    # The escrow's fee, floor(source * feeBps / 10,000), obeys the same bound per transfer: a sender (with an LP
    # willing to quote small amounts) who splits a transfer saves less than one minor unit per piece.
    fee_bps = market.feeBps()
    piece = (BPS - 1) // fee_bps  # the largest fee-free source amount
    pieces = 5
    before = cny.balanceOf(sender)
    fees = 0
    for _ in range(pieces):
        tx, quote = initiate(piece)
        fees += market.feeOf(tx.return_value)
    on_cumulative = piece * pieces * fee_bps // BPS
    assert fees == 0 and on_cumulative - (pieces - 1) <= fees <= on_cumulative
    assert cny.balanceOf(sender) == before - piece * pieces - fees
    assert cny.balanceOf(market) == piece * pieces + fees
