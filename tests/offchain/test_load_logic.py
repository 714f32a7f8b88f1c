"""The load mode's pure logic, off chain: the nonce manager, the pipeline's verdicts on reverts and silence (retry
or report, never wait forever), the percentile maths, the model's bookkeeping (conservation to the minor unit,
through the one fee-split oracle and, for cross-currency payments, the one conversion oracle of both legs) and the
lifecycles each payment kind plans."""

import random
from collections import Counter

import pytest
from eth_abi import decode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given as _hypothesis_given

from crosspay.core import crosscurrency, fx
from crosspay.core.settlement import PaymentIntent, fee_split, order_ref
from crosspay.core.status import PaymentStatus, TransferStatus
from crosspay.demo.load.engine import Faults, balanced_kinds
from crosspay.demo.load.kinds import CROSS_CURRENCY, DAY, GASLESS, KINDS, Keyed, LoadMerchant, Token, World, plan
from crosspay.demo.load.model import Effect, Merchant, Model, ModelError, Terms, Transfer
from crosspay.demo.load.nonces import NonceManager
from crosspay.demo.load.pipeline import Stage, Tx, Verdict, judge_receipt, judge_silence
from crosspay.demo.load.stats import latency_summary, percentile

given = _hypothesis_given  # pure Python: hypothesis's own `given`, not brownie's

ALICE, BOB = "0x" + "a1" * 20, "0x" + "b0" * 20
DCNY, DHKD = (to_checksum_address("0x" + c * 20) for c in ("c1", "d1"))  # as the chain gives them (quotes checksum)
SETTLEMENT, ESCROW = "0x" + "5e" * 20, "0x" + "e5" * 20
ISSUER, NETWORK, ACQUIRER, TREASURY, OPERATOR, PAYOUT, LP = ("0x" + f"{i:02x}" * 20 for i in range(1, 8))
MERCHANT = b"M".ljust(32, b"\0")
TERMS = Terms(6_000, 1_500, 30, {DCNY: ISSUER, DHKD: ISSUER}, NETWORK, ACQUIRER, TREASURY)


# --- nonces -----------------------------------------------------------------------------------------------------


def test_nonces_count_up_from_the_node_count_asked_once_per_sender():
    asked = []
    nonces = NonceManager(lambda sender: asked.append(sender) or {ALICE: 7, BOB: 0}[sender])
    assert [nonces.reserve(ALICE) for _ in range(3)] == [7, 8, 9]
    assert nonces.reserve(BOB) == 0
    assert asked == [ALICE, BOB]


def test_a_released_nonce_is_reused_before_any_new_one_lowest_first():
    nonces = NonceManager(lambda sender: 0)
    for _ in range(5):
        nonces.reserve(ALICE)
    nonces.release(ALICE, 3)
    nonces.release(ALICE, 1)
    assert nonces.gaps() == [(ALICE, 1), (ALICE, 3)]
    assert [nonces.reserve(ALICE) for _ in range(3)] == [1, 3, 5]
    assert nonces.gaps() == []


def test_releasing_the_last_nonce_steps_back_and_leaves_no_gap():
    nonces = NonceManager(lambda sender: 0)
    for _ in range(3):
        nonces.reserve(ALICE)
    nonces.release(ALICE, 1)
    nonces.release(ALICE, 2)  # the last one: 1 and 2 both step back
    assert nonces.gaps() == [] and nonces.reserve(ALICE) == 1


def test_a_nonce_never_handed_out_cannot_be_released():
    nonces = NonceManager(lambda sender: 4)
    with pytest.raises(ValueError, match="never given nonce 4"):
        nonces.release(ALICE, 4)
    nonces.reserve(ALICE)
    with pytest.raises(ValueError):
        nonces.release(ALICE, 5)


def test_resync_skips_the_nonces_the_chain_used_and_forgets_their_gaps():
    nonces = NonceManager(lambda sender: 0)
    for _ in range(4):
        nonces.reserve(ALICE)
    nonces.release(ALICE, 1)
    nonces.resync(ALICE, 9)
    assert nonces.gaps() == [] and nonces.reserve(ALICE) == 9


# --- the pipeline's verdicts --------------------------------------------------------------------------------------


def test_a_successful_receipt_is_done():
    assert judge_receipt(True, 50_000, 80_000, 1, False, 3) is Verdict.DONE


def test_a_revert_that_ran_out_of_gas_is_retried_with_more_gas():
    assert judge_receipt(False, 30_000, 30_000, 1, False, 3) is Verdict.MORE_GAS


def test_a_revert_after_a_failed_stage_mate_is_sent_again_after_it():
    assert judge_receipt(False, 40_000, 200_000, 1, True, 3) is Verdict.AGAIN


def test_a_plain_revert_is_reported_not_retried():
    assert judge_receipt(False, 40_000, 200_000, 1, False, 3) is Verdict.REVERTED


def test_a_revert_on_the_last_attempt_is_reported_whatever_its_cause():
    assert judge_receipt(False, 30_000, 30_000, 3, True, 3) is Verdict.REVERTED


def silence(**overrides):
    arguments = dict(quiet_for=30.0, timeout=10.0, known=False, chain_count=5, nonce=5, resubmits=0,
                     max_resubmits=3, attempt=1, attempts=3, underpriced=False)  # fmt: skip
    return judge_silence(**{**arguments, **overrides})


def test_silence_within_the_timeout_is_waited_for():
    assert silence(quiet_for=9.9) is Verdict.WAIT


def test_a_transaction_the_node_dropped_is_resubmitted_with_the_same_nonce():
    assert silence() is Verdict.RESUBMIT


def test_a_transaction_dropped_again_and_again_is_reported_lost_never_hung_on():
    assert silence(resubmits=3) is Verdict.LOST


def test_a_transaction_whose_nonce_another_spent_is_signed_again_with_a_new_one():
    assert silence(chain_count=6) is Verdict.RENONCE
    assert silence(chain_count=6, attempt=3) is Verdict.LOST


def test_a_transaction_still_in_the_pool_is_waited_for_then_reported_lost():
    assert silence(known=True, quiet_for=49.0) is Verdict.WAIT
    assert silence(known=True, quiet_for=50.0) is Verdict.LOST


def test_a_transaction_priced_below_a_risen_base_fee_is_repriced_with_the_same_nonce():
    assert silence(known=True, underpriced=True) is Verdict.REPRICE
    assert silence(known=True, underpriced=True, resubmits=3, quiet_for=60.0) is Verdict.LOST


def test_a_stage_is_one_sender():
    with pytest.raises(ValueError, match="one sender"):
        Stage([Tx(ALICE, DCNY, b"", 21_000, "a"), Tx(BOB, DCNY, b"", 21_000, "b")])
    with pytest.raises(ValueError):
        Stage([])


# --- percentiles --------------------------------------------------------------------------------------------------


def test_percentiles_are_nearest_rank_values_that_were_measured():
    values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    assert percentile(values, 50) == 5
    assert percentile(values, 95) == 10
    assert percentile(values, 10) == 1
    assert percentile(values, 100) == 10 and percentile(values, 0) == 1
    assert percentile([0.25], 99) == 0.25


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=200), st.floats(0, 100))
@settings(max_examples=200)
def test_a_percentile_is_one_of_the_values_with_at_least_q_percent_at_or_below_it(values, q):
    p = percentile(values, q)
    assert p in values
    assert sum(v <= p for v in values) >= q / 100 * len(values)
    assert sum(v < p for v in values) < max(q / 100 * len(values), 1)


def test_percentiles_refuse_nothing_and_out_of_range():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1], 101)


def test_latency_summary_is_in_milliseconds_and_ordered():
    summary = latency_summary([i / 1000 for i in range(1, 1001)])
    assert summary == {"p50": 500.0, "p95": 950.0, "p99": 990.0, "max": 1000.0}
    assert latency_summary([]) == {}


# --- the model ----------------------------------------------------------------------------------------------------


def model():
    m = Model(SETTLEMENT, ESCROW, TERMS)
    m.add_merchant(Merchant(MERCHANT, PAYOUT, 80))
    m.mint(DCNY, ALICE, 10_000_00)
    return m


def held_by_settlement(m: Model, token: str) -> int:
    """What MerchantSettlement must hold for the run: open authorizations + pending settlements + fees owed + held
    funds."""
    return m.owed_by_settlement(token)


def test_a_charge_splits_its_fee_by_the_oracle_and_loses_no_minor_unit():
    m = model()
    m.charge(b"p1", ALICE, MERCHANT, DCNY, 123_45)
    split = fee_split(123_45, 80, 6_000, 1_500)
    assert m.pending[MERCHANT, DCNY] == split.merchant
    assert m.fees_owed[ISSUER, DCNY] == split.interchange
    assert m.fees_owed[NETWORK, DCNY] == split.network
    assert m.fees_owed[ACQUIRER, DCNY] == split.acquirer
    assert m.balance[DCNY, SETTLEMENT] == held_by_settlement(m, DCNY) == 123_45
    assert m.payments[b"p1"].status == PaymentStatus.CAPTURED


def test_a_partial_capture_then_void_returns_the_rest_to_the_payer():
    m = model()
    m.authorize(b"p1", ALICE, MERCHANT, DCNY, 300_00)
    m.capture(b"p1", 180_00)
    m.void(b"p1")
    assert m.balance[DCNY, ALICE] == 10_000_00 - 180_00
    assert m.payments[b"p1"].status == PaymentStatus.VOIDED
    assert m.balance[DCNY, SETTLEMENT] == held_by_settlement(m, DCNY)


def test_a_refund_beyond_the_pending_settlement_is_pulled_from_the_caller():
    m = model()
    m.charge(b"p1", ALICE, MERCHANT, DCNY, 100_00)
    m.settle(DCNY, (MERCHANT,))
    m.refund(b"p1", 40_00, OPERATOR)
    assert m.balance[DCNY, OPERATOR] == -40_00 and m.balance[DCNY, ALICE] == 10_000_00 - 60_00
    assert m.balance[DCNY, PAYOUT] == fee_split(100_00, 80, 6_000, 1_500).merchant


def test_settlement_pays_each_merchant_its_whole_pending_amount():
    m = model()
    m.charge(b"p1", ALICE, MERCHANT, DCNY, 50_00)
    m.refund(b"p1", 10_00, OPERATOR)
    m.settle(DCNY, (MERCHANT,))
    assert m.pending[MERCHANT, DCNY] == 0
    assert m.balance[DCNY, PAYOUT] == fee_split(50_00, 80, 6_000, 1_500).merchant - 10_00


def test_a_remittance_moves_both_legs_and_owes_the_fee_to_the_treasury():
    m = model()
    m.mint(DHKD, LP, 1_000_00)
    transfer = Transfer(ALICE, BOB, LP, DCNY, DHKD, 100_00, 108_45, 30)
    m.initiate(b"t1", transfer)
    m.release(b"t1")
    assert m.balance[DCNY, ALICE] == 10_000_00 - 100_30 and m.balance[DHKD, BOB] == 108_45
    assert m.balance[DCNY, LP] == 100_00 and m.escrow_fees_owed[TREASURY, DCNY] == 30
    assert m.balance[DCNY, ESCROW] == 30 and m.transfers[b"t1"].status == TransferStatus.RELEASED


def test_a_refunded_remittance_returns_amount_and_fee():
    m = model()
    m.initiate(b"t1", Transfer(ALICE, BOB, LP, DCNY, DHKD, 100_00, 108_45, 30))
    m.escrow_refund(b"t1")
    assert m.balance[DCNY, ALICE] == 10_000_00 and m.balance[DCNY, ESCROW] == 0


def test_the_model_refuses_what_the_contracts_would():
    m = model()
    m.authorize(b"p1", ALICE, MERCHANT, DCNY, 100_00)
    with pytest.raises(ModelError):
        m.capture(b"p1", 100_01)
    with pytest.raises(ModelError):
        m.authorize(b"p1", ALICE, MERCHANT, DCNY, 1)
    with pytest.raises(ModelError):
        m.refund(b"p1", 1, OPERATOR)  # nothing captured yet
    with pytest.raises(ModelError):
        m.initiate(b"t1", Transfer(ALICE, BOB, LP, DCNY, DHKD, 100_00, 108_45, 29))  # not the escrow's fee
    with pytest.raises(ModelError):
        m.apply(Effect("seize", ()))


@given(st.lists(st.tuples(st.sampled_from(["charge", "auth", "capture", "void", "refund", "settle"]),
                          st.integers(1, 500_00)), max_size=40))  # fmt: skip
@settings(max_examples=150)
def test_whatever_the_order_every_minor_unit_is_somewhere(operations):
    m, payments = model(), []
    for op, amount in operations:
        try:
            if op in ("charge", "auth"):
                pid = len(payments).to_bytes(32, "big")
                (m.charge if op == "charge" else m.authorize)(pid, ALICE, MERCHANT, DCNY, amount)
                payments.append(pid)
            elif op == "settle":
                m.settle(DCNY, (MERCHANT,))
            elif payments and op == "capture":
                m.capture(payments[amount % len(payments)], amount)
            elif payments and op == "void":
                m.void(payments[amount % len(payments)])
            elif payments:
                m.refund(payments[amount % len(payments)], amount, OPERATOR)
        except ModelError:
            pass
    assert sum(v for (t, _), v in m.balance.items() if t == DCNY) == m.supply[DCNY]
    assert m.balance[DCNY, SETTLEMENT] == held_by_settlement(m, DCNY)


# --- the model: cross-currency payments ---------------------------------------------------------------------------

FLOAT = 5_000_00  # the LP's dHKD float
MDR = 80
HKD_MERCHANT = b"HK".ljust(32, b"\0")


def xmodel():
    """The model with a dHKD merchant, alice holding dCNY and the LP's dHKD float deposited."""
    m = model()
    m.add_merchant(Merchant(HKD_MERCHANT, PAYOUT, MDR))
    m.mint(DHKD, LP, FLOAT)
    m.deposit_liquidity(LP, DHKD, FLOAT)
    return m


def xquote(pid: bytes, amount: int, rate="1.0845") -> fx.Quote:
    """The LP's quote pricing payment `pid` of `amount` dHKD in dCNY."""
    intent = PaymentIntent(HKD_MERCHANT, DHKD, amount, order_ref("x"), 1)
    quote = crosscurrency.payment_quote(intent, ALICE, chain_id=1, settlement=SETTLEMENT, source_token=DCNY, rate=rate,
                                        liquidity_provider=LP, expires_at=2)  # fmt: skip
    return quote.replace(quote_id=pid)


def conserved(m: Model) -> None:
    for token in (DCNY, DHKD):
        assert sum(v for (t, _), v in m.balance.items() if t == token) == m.supply[token]
        assert m.balance[token, SETTLEMENT] == m.owed_by_settlement(token)


def test_a_deposit_moves_the_lps_float_into_its_held_balance():
    m = xmodel()
    assert m.balance[DHKD, LP] == 0 and m.balance[DHKD, SETTLEMENT] == FLOAT and m.held[LP, DHKD] == FLOAT
    conserved(m)


def test_a_cross_currency_charge_books_the_payers_dcny_to_the_lp_and_the_lps_dhkd_to_the_merchant():
    m = xmodel()
    quote = xquote(b"x1", 128_00)
    m.charge(b"x1", ALICE, HKD_MERCHANT, DHKD, 128_00, quote)
    split = fee_split(128_00, MDR, 6_000, 1_500)
    source = fx.source_for_target(128_00, "1.0845")
    assert quote.source_amount == source == 118_02
    assert m.balance[DCNY, ALICE] == 10_000_00 - source  # the payer pays the quote's dCNY, not the intent's amount
    assert m.held[LP, DCNY] == source  # the LP earns all of it: captured in full
    assert m.held[LP, DHKD] == FLOAT - 128_00  # and delivered the merchant's dHKD from its float
    assert m.pending[HKD_MERCHANT, DHKD] == split.merchant and m.pending[HKD_MERCHANT, DCNY] == 0
    assert m.fees_owed[ISSUER, DHKD] == split.interchange and m.fees_owed[ACQUIRER, DHKD] == split.acquirer
    assert m.fees_owed[NETWORK, DHKD] == split.network and m.fees_owed[NETWORK, DCNY] == 0
    assert m.payments[b"x1"].status == PaymentStatus.CAPTURED
    conserved(m)


def test_a_cross_currency_partial_capture_then_void_releases_both_legs_exactly():
    m = xmodel()
    m.authorize(b"x1", ALICE, HKD_MERCHANT, DHKD, 300_00, xquote(b"x1", 300_00))
    source = m.payments[b"x1"].quote.source_amount
    assert m.held[LP, DHKD] == FLOAT - 300_00 and m.balance[DCNY, ALICE] == 10_000_00 - source
    conserved(m)  # both legs locked: the payer's dCNY and the LP's dHKD, held by the settlement
    m.capture(b"x1", 180_00)
    owed = crosscurrency.source_owed(180_00, source, 300_00)
    assert m.held[LP, DCNY] == owed and m.held[LP, DHKD] == FLOAT - 300_00
    conserved(m)
    m.void(b"x1")
    assert m.balance[DCNY, ALICE] == 10_000_00 - owed  # its own dCNY back, not a conversion
    assert m.held[LP, DHKD] == FLOAT - 180_00 and m.held[LP, DCNY] == owed
    assert m.payments[b"x1"].status == PaymentStatus.VOIDED
    conserved(m)


def test_cross_currency_captures_in_parts_credit_the_lp_the_whole_source_amount():
    m = xmodel()
    m.authorize(b"x1", ALICE, HKD_MERCHANT, DHKD, 21_03, xquote(b"x1", 21_03, rate="1.0"))
    for _ in range(18):
        m.capture(b"x1", 1_14)
    m.capture(b"x1", 21_03 - 18 * 1_14)
    assert m.held[LP, DCNY] == 21_03 and m.payments[b"x1"].status == PaymentStatus.CAPTURED
    conserved(m)


def test_a_cross_currency_reclaim_returns_the_payers_dcny_and_the_lps_dhkd():
    m = xmodel()
    m.authorize(b"x1", ALICE, HKD_MERCHANT, DHKD, 99_99, xquote(b"x1", 99_99))
    m.reclaim(b"x1")
    assert m.balance[DCNY, ALICE] == 10_000_00 and m.held[LP, DHKD] == FLOAT and m.held[LP, DCNY] == 0
    conserved(m)


def test_a_cross_currency_refund_pays_the_payer_dcny_at_the_refund_quote_from_the_lps_balance():
    m = xmodel()
    m.charge(b"x1", ALICE, HKD_MERCHANT, DHKD, 128_00, xquote(b"x1", 128_00))
    source, pending = m.payments[b"x1"].quote.source_amount, m.pending[HKD_MERCHANT, DHKD]
    refund = crosscurrency.refund_quote(b"x1", 0, amount=28_00, target_token=DHKD, source_token=DCNY, rate="0.9190",
                                        liquidity_provider=LP, expires_at=2)  # fmt: skip
    m.refund_cross_currency(b"x1", refund, OPERATOR)
    assert refund.target_amount == fx.target_for_source(28_00, "0.9190")
    assert m.pending[HKD_MERCHANT, DHKD] == pending - 28_00  # the merchant refunds its own dHKD ...
    assert m.held[LP, DHKD] == FLOAT - 128_00 + 28_00  # ... to the LP
    assert m.held[LP, DCNY] == source - refund.target_amount  # which pays the payer dCNY at the day's rate
    assert m.balance[DCNY, ALICE] == 10_000_00 - source + refund.target_amount
    assert m.payments[b"x1"].refunded == 28_00
    conserved(m)


def test_a_cross_currency_refund_beyond_the_pending_settlement_is_pulled_from_the_caller_in_dhkd():
    m = xmodel()
    m.charge(b"x1", ALICE, HKD_MERCHANT, DHKD, 100_00, xquote(b"x1", 100_00))
    m.settle(DHKD, (HKD_MERCHANT,))
    refund = crosscurrency.refund_quote(b"x1", 0, amount=40_00, target_token=DHKD, source_token=DCNY, rate="0.9190",
                                        liquidity_provider=LP, expires_at=2)  # fmt: skip
    m.refund_cross_currency(b"x1", refund, OPERATOR)
    assert m.balance[DHKD, OPERATOR] == -40_00 and m.balance[DCNY, OPERATOR] == 0
    conserved(m)


def test_the_model_refuses_the_cross_currency_operations_the_contracts_would():
    m = xmodel()
    with pytest.raises(ModelError, match="does not price"):
        m.authorize(b"x1", ALICE, HKD_MERCHANT, DHKD, 100_00, xquote(b"x2", 100_00))  # another payment's quote
    with pytest.raises(ModelError, match="does not price"):
        m.authorize(b"x1", ALICE, HKD_MERCHANT, DHKD, 100_01, xquote(b"x1", 100_00))  # another amount
    m.charge(b"x1", ALICE, HKD_MERCHANT, DHKD, 100_00, xquote(b"x1", 100_00))
    with pytest.raises(ModelError, match="refund quote"):
        m.refund(b"x1", 10_00, OPERATOR)  # SettlementRefundNeedsQuote
    used = crosscurrency.refund_quote(b"x1", 0, amount=10_00, target_token=DHKD, source_token=DCNY, rate="0.9190",
                                      liquidity_provider=LP, expires_at=2)  # fmt: skip
    m.refund_cross_currency(b"x1", used, OPERATOR)
    with pytest.raises(ModelError, match="next refund"):
        m.refund_cross_currency(b"x1", used, OPERATOR)  # a used refund quote never matches again
    with pytest.raises(ModelError, match="other tokens"):
        m.refund_cross_currency(b"x1", used.replace(target_token=DHKD), OPERATOR)
    m.charge(b"p1", ALICE, MERCHANT, DCNY, 10_00)
    with pytest.raises(ModelError, match="not cross-currency"):
        m.refund_cross_currency(b"p1", used.replace(quote_id=crosscurrency.refund_quote_id(b"p1", 0)), OPERATOR)


# amounts from 2: one HKD minor unit buys no dCNY minor unit at 1.0845 (the load's amounts start at 1.00)
@given(st.lists(st.tuples(st.sampled_from(["charge", "auth", "capture", "void", "reclaim", "refund", "settle"]),
                          st.integers(2, 500_00)), max_size=40))  # fmt: skip
@settings(max_examples=150)
def test_whatever_the_order_both_legs_of_every_cross_currency_payment_are_somewhere(operations):
    m, payments = xmodel(), []
    for op, amount in operations:
        try:
            if op in ("charge", "auth"):
                pid = len(payments).to_bytes(32, "big")
                (m.charge if op == "charge" else m.authorize)(pid, ALICE, HKD_MERCHANT, DHKD, amount,
                                                              xquote(pid, amount))  # fmt: skip
                payments.append(pid)
            elif op == "settle":
                m.settle(DHKD, (HKD_MERCHANT,))
            elif payments and op in ("capture", "void", "reclaim"):
                pid = payments[amount % len(payments)]
                m.capture(pid, amount) if op == "capture" else getattr(m, op)(pid)
            elif payments:
                pid = payments[amount % len(payments)]
                quote = crosscurrency.refund_quote(pid, m.payments[pid].refunded, amount=amount, target_token=DHKD,
                                                   source_token=DCNY, rate="0.9190", liquidity_provider=LP,
                                                   expires_at=2)  # fmt: skip
                m.refund_cross_currency(pid, quote, OPERATOR)
        except ModelError:
            pass
    conserved(m)
    for pid in payments:  # a closed payment's source leg is all with the LP (converted) or back with the payer
        p = m.payments[pid]
        if p.status != PaymentStatus.AUTHORIZED:
            assert p.legs.owed(p.captured) + p.legs.remainder(p.captured)[0] == p.quote.source_amount


# --- the payment kinds --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world():
    keyed = [Keyed.from_seed(f"load test {i}") for i in range(6)]
    tokens = {
        "dCNY": Token("dCNY", DCNY, "Mainland Bank Digital CNY", "CN", ISSUER),
        "dHKD": Token("dHKD", DHKD, "Harbour Bank Digital HKD", "HK", ISSUER),
    }
    merchants = [LoadMerchant(f"M{s}".encode().ljust(32, b"\0"), s, keyed[0], keyed[1], 80) for s in tokens]
    return World(1337, 1_700_000_000, "0x" + "5e" * 20, "0x" + "e5" * 20, tokens, merchants, [keyed[2]], keyed[3],
                 keyed[4], 30)  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_plans_one_sender_a_stage_and_keeps_the_money_whole(world, kind):
    lifecycle = plan(world, 0, kind, random.Random(1), "test")
    interchange = {t.address: ISSUER for t in world.tokens.values()}
    m = Model(world.settlement, world.escrow, Terms(6_000, 1_500, 30, interchange, NETWORK, ACQUIRER, TREASURY))
    for merchant in world.merchants:
        m.add_merchant(Merchant(merchant.id, merchant.payout.address, merchant.mdr_bps))
    m.mint(world.tokens[lifecycle.symbol].address, lifecycle.customer.address, lifecycle.mint)
    m.mint(world.tokens["dHKD"].address, world.fx_desk.address, 10_000_00)
    m.deposit_liquidity(world.fx_desk.address, world.tokens["dHKD"].address, 10_000_00)
    for stage in lifecycle.stages:
        assert len({tx.sender for tx in stage}) == 1
        for tx in stage:
            assert tx.gas > 21_000 and tx.data[:4]
            if tx.effect:
                m.apply(tx.effect)
    for token in world.tokens.values():
        assert sum(v for (t, _), v in m.balance.items() if t == token.address) == m.supply[token.address]
        assert m.balance[token.address, world.settlement] == m.owed_by_settlement(token.address)
    assert m.balance[world.tokens[lifecycle.symbol].address, lifecycle.customer.address] >= 0
    assert m.held[world.fx_desk.address, world.tokens["dCNY"].address] >= 0  # a refund pays what its charge credited
    assert (lifecycle.deferred is not None) == kind.endswith(("after expiry", "after its deadline"))
    gasless = all(tx.sender != lifecycle.customer.address for stage in lifecycle.stages for tx in stage)
    assert gasless == (kind in GASLESS)


@pytest.mark.parametrize("kind", CROSS_CURRENCY)
def test_a_cross_currency_kind_pays_a_dhkd_merchant_in_dcny_at_the_fx_desks_signed_quote_for_that_payment(world, kind):
    lifecycle = plan(world, 0, kind, random.Random(2), "test")
    dcny, dhkd = world.tokens["dCNY"].address, world.tokens["dHKD"].address
    (opening,) = [tx for stage in lifecycle.stages for tx in stage
                  if tx.effect and tx.effect.op in ("authorize", "charge")]  # fmt: skip
    pid, payer, merchant_id, token, amount, quote = opening.effect.args
    assert lifecycle.symbol == "dCNY" and payer == lifecycle.customer.address
    assert token == dhkd and quote.source_token == dcny and quote.liquidity_provider == world.fx_desk.address
    assert merchant_id in {m.id for m in world.merchants if m.symbol == "dHKD"}
    assert quote.quote_id == pid and quote.target_amount == amount == lifecycle.amount
    assert quote.source_amount == fx.source_for_target(amount, "1.0845") <= lifecycle.mint
    assert quote.expires_at >= world.now + world.authorization_period  # it covers the authorization
    types = [INTENT, QUOTE, "bytes"] + ([RECEIVE] if kind in GASLESS else [])
    _, sent, signature, *_ = decode(types, opening.data[4:])
    assert sent[6] == quote.quote_id and sent[2:4] == (quote.source_amount, quote.target_amount)
    signed = encode_typed_data(fx.settlement_domain(world.settlement, world.chain_id), fx.QUOTE_TYPES, quote.message())
    assert Account.recover_message(signed, signature=signature) == world.fx_desk.address


INTENT = "(bytes32,address,uint256,bytes32,uint64)"
QUOTE = "(address,address,uint256,uint256,address,uint64,bytes32)"
RECEIVE = "(address,uint256,uint256,uint8,bytes32,bytes32)"


def test_balanced_kinds_give_every_kind_as_often_as_the_others():
    kinds = balanced_kinds(3 * len(KINDS) + 2, random.Random(3))
    counts = Counter(kinds)
    assert set(counts) == set(KINDS) and max(counts.values()) - min(counts.values()) <= 1
    assert kinds != sorted(kinds, key=KINDS.index)  # shuffled


def test_forced_faults_go_to_the_kinds_that_can_carry_them():
    assert Faults(revert=1, out_of_gas=2, drop=1).assignments() == [
        ("revert", "authorize + capture"),
        ("out_of_gas", "QR charge"),
        ("out_of_gas", "QR charge"),
        ("drop", "gasless charge (EIP-3009)"),
    ]
    assert DAY == 86_400
