"""Stateful test of cross-currency payments (issue 11): random sequences of cross-currency authorize and charge (direct
and gasless), capture, void, reclaim, refund at a refund quote, settlement of the merchants in dHKD, the LP's
withdrawals and deposits, payers frozen and unfrozen, and the passing of time, against a Python ghost model whose
amounts come from crosspay.core.crosscurrency (the exact leg rule) and crosspay.core.fx (the quotes).

After every step, on both currencies (dCNY, the payers'; dHKD, the merchants'):
* nothing is created or lost: every holder's balance is the ghost's, and they add up to the supply;
* MerchantSettlement holds exactly its open legs (the payers' source amounts not yet converted, the LP's target amounts
  not yet captured) + the merchants' pending settlements and fees (with the acquirer's residue units held for open
  payments) + the balances it holds for accounts (the LP's, and what payers that could not transact are owed back),
  and each part is the ghost's;
* every payment has the ghost's status, captured and refunded amounts and locked legs, never moving back.
"""

from brownie import chain
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from crosspay.core import crosscurrency, fx
from crosspay.core.settlement import PaymentIntent, held_unit, order_ref
from crosspay.core.signing import sign_authorization
from crosspay.core.status import PaymentStatus
from helpers import (
    AUTH_PERIOD,
    INTERCHANGE_BPS,
    MDR_BPS,
    NETWORK_BPS,
    SETTLEMENT_MOVES,
    assert_call_reverts,
    bytes32,
    full_length_examples,
    now,
    run_state_machine,
    toggle_freeze,
)

SAFETY = 5  # seconds kept away from every deadline
AMOUNT = st.integers(min_value=1, max_value=300_00)
PICK = st.integers(min_value=0, max_value=2**16 - 1)
FRACTION = st.integers(min_value=1, max_value=100)
SECONDS = st.integers(min_value=60, max_value=3 * 24 * 3600)
RATES = st.sampled_from(["1.0845", "1.0790", "1.1020", "0.9871"])  # HKD per CNY at payment time
REFUND_RATES = st.sampled_from(["0.9190", "0.9300", "0.8912"])  # CNY per HKD at refund time
REASON = bytes32("stateful-freeze")


class CrossCurrencyMachine(RuleBasedStateMachine):
    def __init__(self, s, cny, hkd, registry, enforcer, merchants, operators, payers, lp, relayer, settler, payouts,
                 fee_accounts, chain_id):  # fmt: skip
        super().__init__()
        self.s, self.cny, self.hkd, self.registry, self.enforcer = s, cny, hkd, registry, enforcer
        self.merchants, self.operators, self.payers, self.lp = merchants, operators, payers, lp
        self.relayer, self.settler, self.payouts, self.chain_id = relayer, settler, payouts, chain_id
        self.fee_accounts = fee_accounts
        self.tokens = [cny, hkd]
        self.holders = [*payers, lp, *operators, *payouts, relayer]
        self.wallet = {(t.address, h.address): t.balanceOf(h) for t in self.tokens for h in self.holders}
        self.contract = {t.address: t.balanceOf(s) for t in self.tokens}
        self.supply = {t.address: t.totalSupply() for t in self.tokens}
        self.others = {
            t.address: self.supply[t.address] - self.contract[t.address] - sum(t.balanceOf(h) for h in self.holders)
            for t in self.tokens
        }
        # What the settlement holds for accounts (IHeldFunds), and what its merchants' side holds (pending + fees).
        self.held = {(t.address, a.address): s.heldBalance(a, t) for t in self.tokens for a in [*payers, lp]}
        self.merchant_side = self._merchant_side_on_chain()  # the merchants' pending settlements and the fees owed
        self.payments = {}  # pid -> ghost record
        self.frozen = set()
        self.orders = 0

    full_length = full_length_examples()

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _merchant_side_on_chain(self):
        pending = sum(self.s.pendingSettlement(m, self.hkd) for m in self.merchants)
        return pending + sum(self.s.feesOwed(a, self.hkd) for a in self.fee_accounts)

    def _move(self, token, amount, source=None, to=None):
        """Moves `amount` of `token` in the ghost between holders' wallets and the settlement (None)."""
        for end, sign in ((source, -1), (to, 1)):
            if end is None:
                self.contract[token.address] += sign * amount
            else:
                self.wallet[(token.address, end.address)] += sign * amount

    def _quote(self, intent, payer, rate):
        quote = crosscurrency.payment_quote(
            intent, payer.address, chain_id=self.chain_id, settlement=self.s, source_token=self.cny, rate=rate,
            liquidity_provider=self.lp.address, expires_at=now() + AUTH_PERIOD + 3600,
        )  # fmt: skip
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.s, fx.SETTLEMENT_DOMAIN)
        return quote, signature.packed

    def _pay_back(self, token, payer, amount):
        """What is owed back to a payer: paid, or held for it while it is frozen."""
        if payer.address in self.frozen:
            self.held[(token.address, payer.address)] += amount
        else:
            self._move(token, amount, None, payer)

    def _pick(self, pick, statuses):
        candidates = [pid for pid, p in self.payments.items() if p["status"] in statuses]
        return candidates[pick % len(candidates)] if candidates else None

    def _operator(self, pid):
        return self.operators[self.merchants.index(self.payments[pid]["merchant"])]

    def _open(self, pick, amount, payer_pick, rate, capture, gasless):
        payer = self.payers[payer_pick % len(self.payers)]
        self.orders += 1
        merchant = self.merchants[pick % len(self.merchants)]
        intent = PaymentIntent(merchant, self.hkd.address, amount, order_ref(f"xs-{self.orders}"), now() + 3600)
        try:
            quote, signature = self._quote(intent, payer, rate)
        except ValueError:  # worth less than one fen of dCNY at this rate
            return
        if self.wallet[(self.cny.address, payer.address)] < quote.source_amount or payer.address in self.frozen:
            return
        args = (intent.as_tuple(), quote.as_tuple(), signature)
        if self.held[(self.hkd.address, self.lp.address)] < amount:  # the LP delivers from its balance here only
            method = self.s.chargeCrossCurrency if capture else self.s.authorizeCrossCurrency
            assert_call_reverts(method, *args, {"from": payer}, error="SettlementProviderBalanceShort")
            return
        if gasless:
            digest = fx.quote_digest(quote, self.chain_id, self.s, fx.SETTLEMENT_DOMAIN)
            nonce = crosscurrency.authorization_nonce(quote.quote_id, digest, capture)
            valid_before = now() + 3600
            signed = sign_authorization(
                payer.private_key, self.cny, self.chain_id, payer.address, self.s.address, quote.source_amount, 0,
                valid_before, nonce, receive=True,
            )  # fmt: skip
            s = self.s
            method = s.chargeCrossCurrencyWithAuthorization if capture else s.authorizeCrossCurrencyWithAuthorization
            method(*args, (payer.address, 0, valid_before, *signed.as_args()), {"from": self.relayer})
        else:
            method = self.s.chargeCrossCurrency if capture else self.s.authorizeCrossCurrency
            method(*args, {"from": payer})
        pid = quote.quote_id
        self._move(self.cny, quote.source_amount, payer, None)
        self.held[(self.hkd.address, self.lp.address)] -= amount
        legs = crosscurrency.Legs(quote.source_amount, amount)
        self.payments[pid] = {
            "status": PaymentStatus.CAPTURED if capture else PaymentStatus.AUTHORIZED,
            "payer": payer,
            "merchant": merchant,
            "legs": legs,
            "captured": amount if capture else 0,
            "refunded": 0,
            "expiry": self.s.paymentOf(pid)["authorizationExpiry"],
            "deadline": self.s.refundDeadline(pid),
        }
        if capture:
            self.held[(self.cny.address, self.lp.address)] += quote.source_amount
            self.merchant_side += amount

    # --- rules -----------------------------------------------------------------------------------------------------

    @rule(st_pick=PICK, st_amount=AMOUNT, payer=PICK, rate=RATES, gasless=st.booleans())
    def authorize(self, st_pick, st_amount, payer, rate, gasless):
        self._open(st_pick, st_amount, payer, rate, capture=False, gasless=gasless)

    @rule(st_pick=PICK, st_amount=AMOUNT, payer=PICK, rate=RATES, gasless=st.booleans())
    def charge(self, st_pick, st_amount, payer, rate, gasless):
        self._open(st_pick, st_amount, payer, rate, capture=True, gasless=gasless)

    @rule(st_pick=PICK, st_fraction=FRACTION)
    def capture(self, st_pick, st_fraction):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or now() + SAFETY >= self.payments[pid]["expiry"]:
            return
        p = self.payments[pid]
        amount = max(1, (p["legs"].target_amount - p["captured"]) * st_fraction // 100)
        if p["payer"].address in self.frozen:
            assert_call_reverts(self.s.capture, pid, amount, {"from": self._operator(pid)},
                                error="SettlementPayerCannotTransact")  # fmt: skip
            return
        self.s.capture(pid, amount, {"from": self._operator(pid)})
        self.held[(self.cny.address, self.lp.address)] += p["legs"].capture(p["captured"], amount)
        p["captured"] += amount
        self.merchant_side += amount
        if p["captured"] == p["legs"].target_amount:
            p["status"] = PaymentStatus.CAPTURED
        if p["deadline"] == 0:
            p["deadline"] = self.s.refundDeadline(pid)

    def _release(self, pid, status):
        p = self.payments[pid]
        source_back, target_back = p["legs"].remainder(p["captured"])
        self._pay_back(self.cny, p["payer"], source_back)
        self.held[(self.hkd.address, self.lp.address)] += target_back
        p["status"] = status

    @rule(st_pick=PICK)
    def void(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None:
            return
        self.s.void(pid, {"from": self._operator(pid)})
        self._release(pid, PaymentStatus.VOIDED)

    @rule(st_pick=PICK)
    def reclaim(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or now() < self.payments[pid]["expiry"] + SAFETY:
            return
        self.s.reclaim(pid, {"from": self.payments[pid]["payer"]})
        self._release(pid, PaymentStatus.RECLAIMED)

    @rule(st_pick=PICK, st_fraction=FRACTION, rate=REFUND_RATES)
    def refund(self, st_pick, st_fraction, rate):
        pid = self._pick(st_pick, set(SETTLEMENT_MOVES))
        if pid is None:
            return
        p = self.payments[pid]
        refundable = p["captured"] - p["refunded"]
        if refundable == 0 or now() + SAFETY >= p["deadline"]:
            return
        amount = max(1, refundable * st_fraction // 100)
        quote = crosscurrency.refund_quote(
            pid, p["refunded"], amount=amount, target_token=self.hkd, source_token=self.cny, rate=rate,
            liquidity_provider=self.lp.address, expires_at=now() + 600,
        )  # fmt: skip
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.s, fx.SETTLEMENT_DOMAIN).packed
        operator = self._operator(pid)
        lp_cny = (self.cny.address, self.lp.address)
        if self.held[lp_cny] < quote.target_amount:  # the LP pays from its balance here only
            assert_call_reverts(self.s.refundCrossCurrency, pid, quote.as_tuple(), signature, {"from": operator},
                                error="SettlementProviderBalanceShort")  # fmt: skip
            return
        pending = self.s.pendingSettlement(p["merchant"], self.hkd)
        self.s.refundCrossCurrency(pid, quote.as_tuple(), signature, {"from": operator})
        shortfall = max(0, amount - pending)
        self._move(self.hkd, shortfall, operator, None)
        self.merchant_side -= amount - shortfall
        self.held[(self.hkd.address, self.lp.address)] += amount
        self.held[lp_cny] -= quote.target_amount
        self._pay_back(self.cny, p["payer"], quote.target_amount)
        p["refunded"] += amount

    @rule(st_pick=PICK)
    def settle(self, st_pick):
        chosen = [m for i, m in enumerate(self.merchants) if (st_pick >> i) & 1] or self.merchants[:1]
        paid = {m: self.s.pendingSettlement(m, self.hkd) for m in chosen}
        self.s.settle(self.hkd, chosen, {"from": self.settler})
        for merchant, amount in paid.items():
            self._move(self.hkd, amount, None, self.payouts[self.merchants.index(merchant)])
            self.merchant_side -= amount

    @rule(st_pick=PICK)
    def lp_withdraws_or_deposits(self, st_pick):
        token = self.tokens[st_pick % 2]
        key = (token.address, self.lp.address)
        if st_pick % 3 == 0 and self.held[key]:
            self.s.withdrawHeld(token, {"from": self.lp})
            self._move(token, self.held[key], None, self.lp)
            self.held[key] = 0
        else:
            amount = min(1 + st_pick % 500_00, self.wallet[key])
            if amount == 0:
                return
            self.s.depositLiquidity(token, amount, {"from": self.lp})
            self._move(token, amount, self.lp, None)
            self.held[key] += amount

    @rule(st_pick=PICK)
    def payer_frozen_or_unfrozen(self, st_pick):
        toggle_freeze(self.registry, self.enforcer, self.payers[st_pick % len(self.payers)], self.frozen, REASON)

    @rule(st_pick=PICK)
    def payer_withdraws_what_is_held(self, st_pick):
        payer = self.payers[st_pick % len(self.payers)]
        key = (self.cny.address, payer.address)
        if self.held[key] == 0 or payer.address in self.frozen:
            return
        self.s.withdrawHeld(self.cny, {"from": payer})
        self._move(self.cny, self.held[key], None, payer)
        self.held[key] = 0

    @rule(st_seconds=SECONDS)
    def sleep(self, st_seconds):
        chain.sleep(st_seconds)
        chain.mine()

    # --- invariants ------------------------------------------------------------------------------------------------

    def _locked(self):
        source = target = 0
        for p in self.payments.values():
            if p["status"] == PaymentStatus.AUTHORIZED:
                back_to_payer, back_to_lp = p["legs"].remainder(p["captured"])
                source, target = source + back_to_payer, target + back_to_lp
        return {self.cny.address: source, self.hkd.address: target}

    @invariant()
    def nothing_is_created_or_lost_on_either_currency(self):
        for token in self.tokens:
            for holder in self.holders:
                assert token.balanceOf(holder) == self.wallet[(token.address, holder.address)], holder
            assert token.balanceOf(self.s) == self.contract[token.address]
            everyone = sum(v for (t, _), v in self.wallet.items() if t == token.address)
            assert everyone + self.contract[token.address] + self.others[token.address] == token.totalSupply()
            assert token.totalSupply() == self.supply[token.address]

    @invariant()
    def the_settlement_holds_exactly_its_legs_its_merchants_side_and_what_it_holds_for_accounts(self):
        locked = self._locked()
        for token in self.tokens:
            held = sum(v for (t, _), v in self.held.items() if t == token.address)
            side = self.merchant_side if token == self.hkd else 0
            assert self.contract[token.address] == locked[token.address] + held + side
        # The acquirer's residue unit of an open payment's fee is held until it closes (issue 9's FeeMath).
        units = sum(
            held_unit(p["captured"], MDR_BPS, INTERCHANGE_BPS, NETWORK_BPS)
            for p in self.payments.values()
            if p["status"] == PaymentStatus.AUTHORIZED
        )
        assert self._merchant_side_on_chain() + units == self.merchant_side
        for (token, account), amount in self.held.items():
            assert self.s.heldBalance(account, token) == amount

    @invariant()
    def payments_match_the_ghost(self):
        for pid, p in self.payments.items():
            payment, legs = self.s.paymentOf(pid), self.s.legsOf(pid)
            assert payment["status"] in SETTLEMENT_MOVES[p["status"]] and payment["status"] == p["status"]
            assert (payment["captured"], payment["refunded"]) == (p["captured"], p["refunded"])
            source, target = p["legs"].remainder(p["captured"]) if p["status"] == PaymentStatus.AUTHORIZED else (0, 0)
            assert (legs["sourceToken"], legs["sourceLocked"], legs["targetLocked"]) == (self.cny, source, target)


def test_cross_currency_conserves_both_currencies(
    xsettlement, cny, hkd, registry, enforcer, issuer, merchant, merchant_2, operator, operator_2, payer, bob,
    liquidity_provider, relayer, settler, payout, payout_2, issuer_bank, network_fee, acquirer, acquirer_2, chain_id,
):  # fmt: skip
    # The operators can cover refund shortfalls (refunds after a settlement).
    for account in (operator, operator_2):
        hkd.mint(account, 10_000_00, b"\x05" * 32, {"from": issuer})
        hkd.approve(xsettlement, 2**256 - 1, {"from": account})
    cny.approve(xsettlement, 2**256 - 1, {"from": bob})

    run_state_machine(
        lambda: CrossCurrencyMachine(
            xsettlement, cny, hkd, registry, enforcer, [merchant, merchant_2], [operator, operator_2], [payer, bob],
            liquidity_provider, relayer, settler, [payout, payout_2], [issuer_bank, network_fee, acquirer, acquirer_2],
            chain_id,
        ),
        max_examples=6,
        stateful_step_count=25,
    )  # fmt: skip
