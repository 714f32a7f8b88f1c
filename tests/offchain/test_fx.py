"""crosspay.core.fx: quotes from a rate, rounded against the liquidity provider by less than one minor unit."""

from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given as _hypothesis_given

from crosspay.core import fx

# Pure Python, no chain: hypothesis's own `given`. brownie's (and the hypothesis.given brownie patches with a
# warning) snapshots and reverts the chain around every example, which made these ~30x slower for nothing.
given = _hypothesis_given

rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("10000"), places=6)
amounts = st.integers(min_value=1, max_value=2**56 - 1)


@settings(max_examples=200)
@given(source=amounts, rate=rates)
def test_target_for_source_rounds_up_by_less_than_one_minor_unit(source, rate):
    target = fx.target_for_source(source, rate)
    exact = Decimal(source) * rate  # both 2-decimal tokens: minor units scale 1:1
    assert target >= exact  # the beneficiary never gets less than the rate gives
    assert target - exact < 1  # ... and the LP gives away less than one minor unit


@settings(max_examples=200)
@given(target=amounts, rate=rates)
def test_source_for_target_rounds_down_by_less_than_one_minor_unit(target, rate):
    exact = Decimal(target) / rate
    if exact < 1:
        with pytest.raises(ValueError):
            fx.source_for_target(target, rate)
        return
    source = fx.source_for_target(target, rate)
    assert source <= exact  # the sender never pays more than the rate asks
    assert exact - source < 1


def test_rounding_examples():
    assert fx.target_for_source(100_00, "1.0845") == 108_45  # exact: nothing to round
    assert fx.target_for_source(1, "1.0845") == 2  # 1.0845 fen -> 2 fen, the LP's disfavour
    assert fx.source_for_target(108_46, "1.0845") == 100_00  # 10000.92 fen -> 10000 fen
    assert fx.target_for_source(3, "0.3333", source_decimals=2, target_decimals=0) == 1  # 0.009999 -> 1


def test_decimals_scale_the_minor_units():
    # 1.00 CNY (100 fen) at 20 JPY-like units with 0 decimals -> 20 units; 18-decimal target -> 20e18.
    assert fx.target_for_source(100, "20", source_decimals=2, target_decimals=0) == 20
    assert fx.target_for_source(100, "20", source_decimals=2, target_decimals=18) == 20 * 10**18


@pytest.mark.parametrize("rate", [1.0845, "0", "-1", "NaN", "Infinity"])
def test_bad_rates_are_refused(rate):
    with pytest.raises((TypeError, ValueError)):
        fx.target_for_source(100, rate)


@pytest.mark.parametrize("amount", [0, -1, 1.5, True])
def test_bad_amounts_are_refused(amount):
    with pytest.raises(ValueError):
        fx.target_for_source(amount, "1")


def test_fee_of_rounds_down_like_the_contract():
    assert fx.fee_of(100_00, 30) == 30
    assert fx.fee_of(333, 30) == 0
    assert fx.fee_of(10_000, 1) == 1


def test_transfer_id_is_keccak_of_the_provider_and_quote_id():
    from eth_abi import encode
    from eth_utils import keccak

    lp = "0x" + "11" * 20
    quote_id = b"\x22" * 32
    assert fx.transfer_id(lp, quote_id) == keccak(encode(["address", "bytes32"], [lp, quote_id]))


def test_the_offer_is_the_quote_with_the_fee_in_force_and_its_total():
    quote = fx.quote_from_source("0x" + "11" * 20, "0x" + "22" * 20, 1_000_00, "1.0845", "0x" + "33" * 20, 10**9)
    offer = fx.offer(quote, 30)
    assert offer.fee == fx.fee_of(1_000_00, 30) == 3_00
    assert offer.total == 1_003_00
    travel_rule = b"\x05" * 32
    args = fx.initiate_args(offer, b"\x01" * 65, "0x" + "44" * 20, 123, travel_rule)
    assert args == (quote.as_tuple(), b"\x01" * 65, "0x" + "44" * 20, 123, travel_rule, 3_00)  # maxFee: the fee shown
