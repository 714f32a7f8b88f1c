"""crosspay.core.crosscurrency and the settlement's quote domain (crosspay.core.fx): the quotes that price one payment
or one refund, the gasless nonce, and the exact amounts of each leg over any sequence of partial captures."""

from fractions import Fraction

import pytest
from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given as _hypothesis_given

from crosspay.core import crosscurrency, fx
from crosspay.core.settlement import MAX_PAYMENT_AMOUNT, PaymentIntent, merchant_id, order_ref, payment_id

# Pure Python, no chain: hypothesis's own `given` (brownie's snapshots and reverts the chain around every example).
given = _hypothesis_given

CHAIN = 1337
SETTLEMENT = "0x" + "5e" * 20
ESCROW = "0x" + "e5" * 20
DCNY = "0x" + "0c" * 20
DHKD = "0x" + "0d" * 20
PAYER = "0x" + "a1" * 20
LP_KEY = b"\x42" * 32
LP = Account.from_key(LP_KEY).address

amounts = st.integers(min_value=1, max_value=MAX_PAYMENT_AMOUNT)


def intent(amount=128_00, order="tea-0001"):
    return PaymentIntent(merchant_id("HKTH01"), DHKD, amount, order_ref(order), 1_800_000_000)


def test_a_payment_quote_prices_the_intent_in_the_payers_token_and_carries_the_payment_id():
    paying = intent(128_00)
    quote = crosscurrency.payment_quote(
        paying, PAYER, chain_id=CHAIN, settlement=SETTLEMENT, source_token=DCNY, rate="1.0845",
        liquidity_provider=LP, expires_at=1_900_000_000,
    )  # fmt: skip
    assert (quote.source_token, quote.target_token) == (DCNY, paying.token)
    assert quote.target_amount == 128_00  # fixed: the QR's amount
    assert quote.source_amount == 118_02  # 12,800 / 1.0845 = 11,802.67 fen, rounded down: the payer's favour
    assert quote.quote_id == payment_id(CHAIN, SETTLEMENT, paying, PAYER)
    assert (quote.liquidity_provider, quote.expires_at) == (LP, 1_900_000_000)


def test_a_refund_quote_converts_b_back_into_a_and_is_bound_to_the_payment_and_what_it_refunded():
    pid = b"\x07" * 32
    quote = crosscurrency.refund_quote(
        pid, 30_00, amount=28_00, target_token=DHKD, source_token=DCNY, rate="0.9151", liquidity_provider=LP,
        expires_at=1_900_000_000,
    )  # fmt: skip
    assert (quote.source_token, quote.target_token) == (DHKD, DCNY)  # the LP receives B, the payer A
    assert quote.source_amount == 28_00
    assert quote.target_amount == 25_63  # 2,800 * 0.9151 = 2,562.28 fen, rounded up: the payer's favour
    assert quote.quote_id == keccak(encode(["bytes32", "uint256"], [pid, 30_00]))
    assert crosscurrency.refund_quote_id(pid, 30_00) != crosscurrency.refund_quote_id(pid, 58_00)


def test_the_gasless_nonce_binds_the_payment_the_quote_and_the_mode():
    pid, digest = b"\x01" * 32, b"\x02" * 32
    nonce = crosscurrency.authorization_nonce(pid, digest, True)
    assert nonce == keccak(encode(["bytes32", "bytes32", "bool"], [pid, digest, True]))
    assert len({nonce, crosscurrency.authorization_nonce(pid, digest, False)}) == 2
    assert crosscurrency.authorization_nonce(b"\x03" * 32, digest, True) != nonce
    assert crosscurrency.authorization_nonce(pid, b"\x03" * 32, True) != nonce


def _eip712_digest(quote: fx.Quote, name: str, verifier: str) -> bytes:
    """EIP-712 by hand, from the standard's own definitions (independent of eth-account's encoder)."""
    domain_type = keccak(text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
    separator = keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [domain_type, keccak(text=name), keccak(text="1"), CHAIN, verifier],
        )
    )
    quote_type = keccak(
        text="Quote(address sourceToken,address targetToken,uint256 sourceAmount,uint256 targetAmount,"
        "address liquidityProvider,uint64 expiresAt,bytes32 quoteId)"
    )
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "address", "uint64", "bytes32"],
            [quote_type, *quote.as_tuple()],
        )
    )
    return keccak(b"\x19\x01" + separator + struct_hash)


def test_the_quote_digest_is_eip712_under_each_contracts_own_domain():
    quote = fx.Quote(DCNY, DHKD, 118_02, 128_00, LP, 1_900_000_000, b"\x09" * 32)
    settlement_digest = fx.quote_digest(quote, CHAIN, SETTLEMENT, fx.SETTLEMENT_DOMAIN)
    assert settlement_digest == _eip712_digest(quote, "MerchantSettlement", SETTLEMENT)
    assert fx.quote_digest(quote, CHAIN, ESCROW) == _eip712_digest(quote, "CrossBorderEscrow", ESCROW)
    # What the LP signs for the settlement recovers to the LP from that digest only.
    signature = fx.sign_quote(LP_KEY, quote, CHAIN, SETTLEMENT, fx.SETTLEMENT_DOMAIN)
    signable = encode_typed_data(fx.settlement_domain(SETTLEMENT, CHAIN), fx.QUOTE_TYPES, quote.message())
    assert Account.recover_message(signable, vrs=signature.as_args()) == LP
    assert signature != fx.sign_quote(LP_KEY, quote, CHAIN, SETTLEMENT)  # the escrow's domain by default


def test_the_escrows_quote_signature_is_unchanged_by_the_settlements_domain():
    quote = fx.Quote(DCNY, DHKD, 100_00, 108_45, LP, 1_900_000_000, b"\x09" * 32)
    assert fx.sign_quote(LP_KEY, quote, CHAIN, ESCROW) == fx.sign_quote(LP_KEY, quote, CHAIN, ESCROW, fx.ESCROW_DOMAIN)
    assert fx.escrow_domain(ESCROW, CHAIN)["name"] == "CrossBorderEscrow"


@st.composite
def payments_and_captures(draw):
    """A payment's two legs and a sequence of partial captures adding up to at most its target amount."""
    target = draw(st.integers(min_value=1, max_value=MAX_PAYMENT_AMOUNT))
    source = draw(amounts)
    captures, left = [], target
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        if left == 0:
            break
        amount = draw(st.integers(min_value=1, max_value=left))
        captures.append(amount)
        left -= amount
    return crosscurrency.Legs(source, target), captures


@settings(max_examples=500)
@given(case=payments_and_captures())
def test_captures_plus_what_a_void_returns_equal_what_was_locked_on_both_legs(case):
    legs, captures = case
    captured, credited = 0, 0
    for amount in captures:
        credit = legs.capture(captured, amount)
        assert credit >= 0
        captured += amount
        credited += credit
        assert credited == legs.owed(captured)  # one capture of the total credits the same
    back_to_payer, back_to_lp = legs.remainder(captured)
    assert credited + back_to_payer == legs.source_amount  # leg A: nothing created or lost
    assert captured + back_to_lp == legs.target_amount  # leg B
    assert back_to_payer >= 0 and back_to_lp >= 0


@settings(max_examples=500)
@given(case=payments_and_captures())
def test_the_rounding_unit_stays_with_the_payer_and_is_at_most_one_per_payment(case):
    legs, captures = case
    captured = sum(captures)
    exact = Fraction(captured * legs.source_amount, legs.target_amount)
    owed = legs.owed(captured)
    assert owed <= exact < owed + 1  # the LP is credited at most the pro-rata A, short by under one minor unit


@settings(max_examples=200)
@given(legs=st.builds(crosscurrency.Legs, amounts, amounts))
def test_a_full_capture_credits_exactly_the_source_amount(legs):
    assert legs.owed(legs.target_amount) == legs.source_amount
    assert legs.remainder(legs.target_amount) == (0, 0)
    assert legs.remainder(0) == (legs.source_amount, legs.target_amount)


def test_twenty_small_captures_credit_what_one_capture_of_their_total_would():
    legs = crosscurrency.Legs(21_03, 22_80)  # 22.80 HKD against 21.03 CNY
    credits = [legs.capture(114 * i, 114) for i in range(20)]
    assert sum(credits) == 21_03 == legs.owed(22_80)
    assert set(credits) == {105, 106}  # floored one by one they would have given 20 x 105 = 21.00


@pytest.mark.parametrize("source,target", [(0, 1), (1, 0), (-1, 5), (MAX_PAYMENT_AMOUNT + 1, 1), (True, 1)])
def test_legs_outside_the_payment_records_width_are_refused(source, target):
    with pytest.raises(ValueError):
        crosscurrency.Legs(source, target)


def test_a_capture_beyond_the_target_amount_is_refused():
    with pytest.raises(ValueError):
        crosscurrency.Legs(100, 200).owed(201)
