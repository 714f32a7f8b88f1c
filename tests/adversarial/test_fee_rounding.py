"""A capture split into tiny amounts so that each fee rounds down to zero.

The fee of one capture is floor(amount * mdr / 10,000): each capture can drop less than one minor unit of fee.

The bound, documented here and asserted: over k captures of amounts a_1..a_k (sum A), the fees charged satisfy

    floor(A * mdr / 10,000) - (k - 1)  <=  sum(floor(a_i * mdr / 10,000))  <=  floor(A * mdr / 10,000)

i.e. they never exceed the rate on the cumulative amount and fall short of it by less than one minor unit per
capture (the k fractional parts are each < 1, so their sum is < k and the integer shortfall is at most k - 1).
The shortfall is the merchant's gain and is bounded by the number of captures it pays gas for; at MDR 1.75 % any
capture of at most floor(9,999 / 175) = 57 minor units pays no fee at all. Every minor unit is still accounted for:
gross = fees + pending and the fee parts add up to the fees, whatever the split.
"""

import pytest

from crosspay.core.status import PaymentStatus
from helpers import MDR_BPS, split

BPS = 10_000
LARGEST_FEE_FREE_CAPTURE = (BPS - 1) // MDR_BPS


def _fee(amount):
    return split(amount).fee


def test_the_largest_fee_free_capture_is_what_the_rule_says():
    assert _fee(LARGEST_FEE_FREE_CAPTURE) == 0 and _fee(LARGEST_FEE_FREE_CAPTURE + 1) == 1


@pytest.mark.parametrize(
    "pieces",
    [
        [LARGEST_FEE_FREE_CAPTURE] * 20,  # every fee rounds to zero
        [1] * 12,  # the smallest captures
        [LARGEST_FEE_FREE_CAPTURE + 1, 113, 999, 1, 57, 10_000, 58],  # mixed, some just over a fee step
    ],
    ids=["fee-free-pieces", "one-fen-pieces", "mixed-pieces"],
)
def test_fees_of_split_captures_stay_within_one_minor_unit_per_capture(
    settlement, token, merchant, operator, issuer_bank, network_fee, acquirer, authorize, pieces
):
    total = sum(pieces)
    pid = authorize(total)
    fees = 0
    for amount in pieces:
        tx = settlement.capture(pid, amount, {"from": operator})
        assert tx.events["PaymentCaptured"]["fee"] == _fee(amount)
        fees += tx.events["PaymentCaptured"]["fee"]
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED

    on_cumulative = _fee(total)
    k = len(pieces)
    assert on_cumulative - (k - 1) <= fees <= on_cumulative, (fees, on_cumulative, k)
    # Nothing is lost: the merchant is owed the gross less the fees actually charged, and the fee parts add up.
    assert settlement.pendingSettlement(merchant, token) == total - fees
    owed = [settlement.feesOwed(a, token) for a in (issuer_bank, network_fee, acquirer)]
    assert sum(owed) == fees
    expected_parts = [0, 0, 0]
    for amount in pieces:
        part = split(amount)
        expected_parts = [
            expected_parts[0] + part.interchange,
            expected_parts[1] + part.network,
            expected_parts[2] + part.acquirer,
        ]
    assert owed == expected_parts
    assert token.balanceOf(settlement) == total


def test_a_sale_split_into_fee_free_captures_pays_no_fee(settlement, token, merchant, operator, authorize):
    # The documented worst case: the whole shortfall of the bound, one capture at a time.
    pieces = 10
    pid = authorize(LARGEST_FEE_FREE_CAPTURE * pieces)
    for _ in range(pieces):
        settlement.capture(pid, LARGEST_FEE_FREE_CAPTURE, {"from": operator})
    shortfall = _fee(LARGEST_FEE_FREE_CAPTURE * pieces)
    assert 0 < shortfall <= pieces - 1
    assert settlement.pendingSettlement(merchant, token) == LARGEST_FEE_FREE_CAPTURE * pieces


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
