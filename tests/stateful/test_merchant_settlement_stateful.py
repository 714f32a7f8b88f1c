"""Stateful test of MerchantSettlement: random sequences of authorize, charge, capture, void, reclaim, refund, settle,
fee withdrawals and the passing of time, checked after every step against a Python ghost model:

- the contract's token balance == open authorizations + pending settlements + fees owed;
- per payment, captured <= authorized and refunded <= captured (and every field equals the ghost's);
- the fee parts and the merchant credit of every capture add up to everything captured, and nothing more.
"""

from brownie import chain
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from crosspay.core.settlement import PaymentIntent, order_ref
from crosspay.core.status import PaymentStatus
from helpers import bytes32, full_length_examples, run_state_machine, split

SAFETY = 5  # seconds kept away from every deadline, so a transaction never lands on an unpredicted side of it


AMOUNT = st.integers(min_value=1, max_value=200_00)
PICK = st.integers(min_value=0, max_value=2**16 - 1)
FRACTION = st.integers(min_value=1, max_value=100)
SECONDS = st.integers(min_value=60, max_value=3 * 24 * 3600)


class Machine(RuleBasedStateMachine):
    def __init__(self, settlement, token, merchants, payers, operators, settler, fee_accounts):
        super().__init__()
        self.settlement, self.token, self.merchants, self.payers = settlement, token, merchants, payers
        self.operators, self.settler, self.fee_accounts = operators, settler, fee_accounts
        self.payments = {}  # pid -> ghost record
        self.pending = {m: 0 for m in self.merchants}
        self.owed = {account: 0 for account in self.fee_accounts}
        self.captured_total = 0
        self.credited_total = 0
        self.fees_total = 0
        self.orders = 0

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _intent(self, merchant_index, amount):
        self.orders += 1
        merchant = self.merchants[merchant_index % len(self.merchants)]
        return PaymentIntent(merchant, self.token.address, amount, order_ref(f"sm-{self.orders}"), chain.time() + 3600)

    def _credit(self, merchant, amount):
        parts = split(amount)
        issuer_bank, network_fee, acquirers = self.fee_accounts[0], self.fee_accounts[1], self.fee_accounts[2:]
        self.pending[merchant] += parts.merchant
        self.owed[issuer_bank] += parts.interchange
        self.owed[network_fee] += parts.network
        self.owed[acquirers[self.merchants.index(merchant)]] += parts.acquirer
        self.captured_total += amount
        self.credited_total += parts.merchant
        self.fees_total += parts.fee

    def _pick(self, pick, statuses):
        candidates = [pid for pid, p in self.payments.items() if p["status"] in statuses]
        return candidates[pick % len(candidates)] if candidates else None

    def _open(self, pick, amount, payer_pick, capture):
        payer = self.payers[payer_pick % len(self.payers)]
        if self.token.balanceOf(payer) < amount:
            return
        intent = self._intent(pick, amount)
        method = self.settlement.charge if capture else self.settlement.authorize
        tx = method(intent.as_tuple(), {"from": payer})
        pid = bytes32(tx.return_value)
        expiry = self.settlement.paymentOf(pid)["authorizationExpiry"]
        self.payments[pid] = {
            "status": PaymentStatus.CAPTURED if capture else PaymentStatus.AUTHORIZED,
            "payer": payer.address,
            "merchant": intent.merchant_id,
            "authorized": amount,
            "captured": amount if capture else 0,
            "refunded": 0,
            "expiry": expiry,
            "deadline": self.settlement.refundDeadline(pid),
        }
        if capture:
            self._credit(intent.merchant_id, amount)

    def _operator(self, pid):
        return self.operators[self.merchants.index(self.payments[pid]["merchant"])]

    full_length = full_length_examples()

    # --- rules -----------------------------------------------------------------------------------------------------

    @rule(st_pick=PICK, st_amount=AMOUNT, payer=PICK)
    def authorize(self, st_pick, st_amount, payer):
        self._open(st_pick, st_amount, payer, capture=False)

    @rule(st_pick=PICK, st_amount=AMOUNT, payer=PICK)
    def charge(self, st_pick, st_amount, payer):
        self._open(st_pick, st_amount, payer, capture=True)

    @rule(st_pick=PICK, st_fraction=FRACTION)
    def capture(self, st_pick, st_fraction):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or chain.time() + SAFETY >= self.payments[pid]["expiry"]:
            return
        p = self.payments[pid]
        amount = max(1, (p["authorized"] - p["captured"]) * st_fraction // 100)
        self.settlement.capture(pid, amount, {"from": self._operator(pid)})
        p["captured"] += amount
        if p["captured"] == p["authorized"]:
            p["status"] = PaymentStatus.CAPTURED
        if p["deadline"] == 0:
            p["deadline"] = self.settlement.refundDeadline(pid)
        self._credit(p["merchant"], amount)

    @rule(st_pick=PICK)
    def void(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None:
            return
        self.settlement.void(pid, {"from": self._operator(pid)})
        self.payments[pid]["status"] = PaymentStatus.VOIDED

    @rule(st_pick=PICK)
    def reclaim(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or chain.time() < self.payments[pid]["expiry"] + SAFETY:
            return
        p = self.payments[pid]
        self.settlement.reclaim(pid, {"from": p["payer"]})
        p["status"] = PaymentStatus.RECLAIMED

    @rule(st_pick=PICK, st_fraction=FRACTION)
    def refund(self, st_pick, st_fraction):
        pid = self._pick(
            st_pick, {PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED, PaymentStatus.VOIDED, PaymentStatus.RECLAIMED}
        )
        if pid is None:
            return
        p = self.payments[pid]
        refundable = p["captured"] - p["refunded"]
        if refundable == 0 or chain.time() + SAFETY >= p["deadline"]:
            return
        amount = max(1, refundable * st_fraction // 100)
        self.settlement.refund(pid, amount, {"from": self._operator(pid)})
        p["refunded"] += amount
        self.pending[p["merchant"]] -= min(amount, self.pending[p["merchant"]])

    @rule(st_pick=PICK)
    def settle(self, st_pick):
        chosen = [m for i, m in enumerate(self.merchants) if (st_pick >> i) & 1] or self.merchants[:1]
        self.settlement.settle(self.token, chosen, {"from": self.settler})
        for merchant in chosen:
            self.pending[merchant] = 0

    @rule(st_pick=PICK)
    def withdraw_fees(self, st_pick):
        account = self.fee_accounts[st_pick % len(self.fee_accounts)]
        if self.owed[account] == 0:
            return
        self.settlement.withdrawFees(self.token, {"from": account})
        self.owed[account] = 0

    @rule(st_seconds=SECONDS)
    def sleep(self, st_seconds):
        chain.sleep(st_seconds)
        chain.mine()

    # --- invariants ------------------------------------------------------------------------------------------------

    @invariant()
    def contract_balance_covers_everything_it_owes(self):
        open_authorizations = sum(
            p["authorized"] - p["captured"] for p in self.payments.values() if p["status"] == PaymentStatus.AUTHORIZED
        )
        assert self.token.balanceOf(self.settlement) == (
            open_authorizations + sum(self.pending.values()) + sum(self.owed.values())
        )

    @invariant()
    def payments_match_the_ghost(self):
        for pid, p in self.payments.items():
            payment = self.settlement.paymentOf(pid)
            assert payment["captured"] <= payment["authorized"] and payment["refunded"] <= payment["captured"]
            assert (
                payment["status"],
                payment["payer"],
                bytes32(payment["merchantId"]),
                payment["authorized"],
                payment["captured"],
                payment["refunded"],
                payment["authorizationExpiry"],
            ) == (p["status"], p["payer"], p["merchant"], p["authorized"], p["captured"], p["refunded"], p["expiry"])

    @invariant()
    def ledgers_match_the_ghost(self):
        for merchant, pending in self.pending.items():
            assert self.settlement.pendingSettlement(merchant, self.token) == pending
        for account, owed in self.owed.items():
            assert self.settlement.feesOwed(account, self.token) == owed

    @invariant()
    def fee_parts_and_credit_sum_to_captured(self):
        assert self.credited_total + self.fees_total == self.captured_total
        assert self.captured_total == sum(p["captured"] for p in self.payments.values())


def test_merchant_settlement_stateful(
    settlement,
    payer,
    bob,
    token,
    merchant,
    merchant_2,
    operator,
    operator_2,
    settler,
    issuer_bank,
    network_fee,
    acquirer,
    acquirer_2,
    issuer,
):
    # The operators can cover refund shortfalls (refunds after a settlement).
    for account in (operator, operator_2):
        token.mint(account, 10_000_00, b"\x05" * 32, {"from": issuer})
        token.approve(settlement, 2**256 - 1, {"from": account})
    run_state_machine(
        lambda: Machine(
            settlement,
            token,
            [merchant, merchant_2],
            [payer, bob],
            [operator, operator_2],
            settler,
            [issuer_bank, network_fee, acquirer, acquirer_2],
        ),
        max_examples=8,
        stateful_step_count=20,
    )
