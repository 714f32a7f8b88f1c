"""Stateful test of MerchantSettlement: random sequences of authorize, charge, capture, void, reclaim, refund, settle,
fee withdrawals and the passing of time, mixed with freezes and unfreezes of the payers and withdrawals of what is held
for them, checked after every step against a Python ghost model:

- exact conservation: the contract's token balance == open authorizations + pending settlements + fees owed + funds
  held for payers + the acquirers' residue units held for open payments;
- per payment, captured <= authorized and refunded <= captured (and every field equals the ghost's);
- exact fee parts whatever the capture sequence (issue 9 §4): each fee owner is owed exactly what one capture of each
  payment's total captured amount gives it (crosspay.core.settlement.fee_split), less what it withdrew, less, for the
  acquirer, the residue unit of each payment still open (held_unit); fees are withdrawn between captures at random;
- a freeze reaches money in flight (issue 9 §1): a frozen payer's authorization is never captured, money owed back to
  it is held, and a frozen payer's balance never moves.
"""

from brownie import chain
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from crosspay.core.settlement import PaymentIntent, held_unit, order_ref
from crosspay.core.status import PaymentStatus
from helpers import (
    INTERCHANGE_BPS,
    MDR_BPS,
    NETWORK_BPS,
    SETTLEMENT_MOVES,
    assert_call_reverts,
    bytes32,
    full_length_examples,
    run_state_machine,
    split,
    toggle_freeze,
)

SAFETY = 5  # seconds kept away from every deadline, so a transaction never lands on an unpredicted side of it


AMOUNT = st.integers(min_value=1, max_value=200_00)
SMALL = st.integers(min_value=1, max_value=3_00)  # small captures: the fee parts' rounding shows in each
PICK = st.integers(min_value=0, max_value=2**16 - 1)
FRACTION = st.integers(min_value=1, max_value=100)
SECONDS = st.integers(min_value=60, max_value=3 * 24 * 3600)


class Machine(RuleBasedStateMachine):
    def __init__(self, settlement, token, registry, enforcer, merchants, payers, operators, settler, fee_accounts):
        super().__init__()
        self.settlement, self.token, self.registry, self.enforcer = settlement, token, registry, enforcer
        self.merchants, self.payers = merchants, payers
        self.operators, self.settler, self.fee_accounts = operators, settler, fee_accounts
        self.payments = {}  # pid -> ghost record
        self.pending = {m: 0 for m in self.merchants}
        self.withdrawn = {account: 0 for account in self.fee_accounts}
        self.held = {p.address: 0 for p in self.payers}
        self.frozen = set()
        self.frozen_balance = {}  # payer -> its balance when it was frozen
        self.seen_status = {}
        self.orders = 0

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _intent(self, merchant_index, amount):
        self.orders += 1
        merchant = self.merchants[merchant_index % len(self.merchants)]
        return PaymentIntent(merchant, self.token.address, amount, order_ref(f"sm-{self.orders}"), chain.time() + 3600)

    def _pick(self, pick, statuses):
        candidates = [pid for pid, p in self.payments.items() if p["status"] in statuses]
        return candidates[pick % len(candidates)] if candidates else None

    def _open(self, pick, amount, payer_pick, capture):
        payer = self.payers[payer_pick % len(self.payers)]
        if payer.address in self.frozen or self.token.balanceOf(payer) < amount:
            return  # the token refuses a frozen payer's payment (tests/unit/settlement cover it)
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
            "captured": 0,
            "refunded": 0,
            "expiry": expiry,
            "deadline": self.settlement.refundDeadline(pid),
        }
        if capture:
            self._captured(pid, amount)

    def _captured(self, pid, amount):
        """The ghost of a capture: the merchant's pending settlement grows by the difference of the cumulative split."""
        p = self.payments[pid]
        before, after = split(p["captured"]), split(p["captured"] + amount)
        p["captured"] += amount
        self.pending[p["merchant"]] += after.merchant - before.merchant

    def _operator(self, pid):
        return self.operators[self.merchants.index(self.payments[pid]["merchant"])]

    def _owed_back(self, payer, amount):
        """Money owed back to `payer`: paid, or held for it while it is frozen."""
        if payer in self.frozen:
            self.held[payer] += amount

    def _earned(self, account):
        """What `account` has earned in fees: one capture of each payment's total, by part (the issue 9 rule)."""
        issuer_bank, network_fee, acquirers = self.fee_accounts[0], self.fee_accounts[1], self.fee_accounts[2:]
        earned = 0
        for p in self.payments.values():
            if p["captured"] == 0:
                continue
            parts = split(p["captured"])
            if account == issuer_bank:
                earned += parts.interchange
            if account == network_fee:
                earned += parts.network
            if account == acquirers[self.merchants.index(p["merchant"])]:
                earned += parts.acquirer - self._unit_held(p)
        return earned

    def _unit_held(self, p):
        """The acquirer's residue unit held for a payment that can still be captured (0 or 1)."""
        if p["status"] != PaymentStatus.AUTHORIZED:
            return 0
        return int(held_unit(p["captured"], MDR_BPS, INTERCHANGE_BPS, NETWORK_BPS))

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
        self._capture(pid, amount)

    @rule(st_pick=PICK, st_amount=SMALL)
    def capture_a_little(self, st_pick, st_amount):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or chain.time() + SAFETY >= self.payments[pid]["expiry"]:
            return
        p = self.payments[pid]
        self._capture(pid, min(st_amount, p["authorized"] - p["captured"]))

    def _capture(self, pid, amount):
        p = self.payments[pid]
        if p["payer"] in self.frozen:
            assert_call_reverts(self.settlement.capture, pid, amount, {"from": self._operator(pid)},
                                error="SettlementPayerCannotTransact")  # fmt: skip
            return
        self.settlement.capture(pid, amount, {"from": self._operator(pid)})
        self._captured(pid, amount)
        if p["captured"] == p["authorized"]:
            p["status"] = PaymentStatus.CAPTURED
        if p["deadline"] == 0:
            p["deadline"] = self.settlement.refundDeadline(pid)

    @rule(st_pick=PICK)
    def void(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None:
            return
        self.settlement.void(pid, {"from": self._operator(pid)})
        p = self.payments[pid]
        p["status"] = PaymentStatus.VOIDED
        self._owed_back(p["payer"], p["authorized"] - p["captured"])

    @rule(st_pick=PICK)
    def reclaim(self, st_pick):
        pid = self._pick(st_pick, {PaymentStatus.AUTHORIZED})
        if pid is None or chain.time() < self.payments[pid]["expiry"] + SAFETY:
            return
        p = self.payments[pid]
        self.settlement.reclaim(pid, {"from": p["payer"]})
        p["status"] = PaymentStatus.RECLAIMED
        self._owed_back(p["payer"], p["authorized"] - p["captured"])

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
        self._owed_back(p["payer"], amount)

    @rule(st_pick=PICK)
    def settle(self, st_pick):
        chosen = [m for i, m in enumerate(self.merchants) if (st_pick >> i) & 1] or self.merchants[:1]
        self.settlement.settle(self.token, chosen, {"from": self.settler})
        for merchant in chosen:
            self.pending[merchant] = 0

    @rule(st_pick=PICK)
    def withdraw_fees(self, st_pick):
        account = self.fee_accounts[st_pick % len(self.fee_accounts)]
        owed = self._earned(account) - self.withdrawn[account]
        if owed == 0:
            assert_call_reverts(self.settlement.withdrawFees, self.token, {"from": account},
                                error="SettlementNothingToWithdraw")  # fmt: skip
            return
        self.settlement.withdrawFees(self.token, {"from": account})
        self.withdrawn[account] += owed

    @rule(payer=PICK)
    def toggle_payer_freeze(self, payer):
        account = self.payers[payer % len(self.payers)]
        toggle_freeze(self.registry, self.enforcer, account, self.frozen, bytes32("stateful"))
        if account.address in self.frozen:
            self.frozen_balance[account.address] = self.token.balanceOf(account)
        else:
            self.frozen_balance.pop(account.address, None)

    @rule(payer=PICK)
    def withdraw_held(self, payer):
        account = self.payers[payer % len(self.payers)]
        if self.held[account.address] == 0 or account.address in self.frozen:
            return
        self.settlement.withdrawHeld(self.token, {"from": account})
        self.held[account.address] = 0

    @rule(st_seconds=SECONDS)
    def sleep(self, st_seconds):
        chain.sleep(st_seconds)
        chain.mine()

    # --- invariants ------------------------------------------------------------------------------------------------

    @invariant()
    def contract_balance_is_exactly_what_it_owes(self):
        open_ = [p for p in self.payments.values() if p["status"] == PaymentStatus.AUTHORIZED]
        owed = sum(self._earned(a) - self.withdrawn[a] for a in self.fee_accounts)
        assert self.token.balanceOf(self.settlement) == (
            sum(p["authorized"] - p["captured"] for p in open_)
            + sum(self.pending.values())
            + owed
            + sum(self.held.values())
            + sum(self._unit_held(p) for p in open_)
        )

    @invariant()
    def payments_match_the_ghost_and_never_move_back(self):
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
            if pid in self.seen_status:
                assert p["status"] in SETTLEMENT_MOVES[self.seen_status[pid]]
            self.seen_status[pid] = p["status"]

    @invariant()
    def fee_parts_are_those_of_one_capture_of_each_payments_total(self):
        for merchant, pending in self.pending.items():
            assert self.settlement.pendingSettlement(merchant, self.token) == pending
        for account in self.fee_accounts:
            assert self.settlement.feesOwed(account, self.token) == self._earned(account) - self.withdrawn[account]

    @invariant()
    def a_frozen_payers_money_does_not_move(self):
        for payer, balance in self.frozen_balance.items():
            assert self.token.balanceOf(payer) == balance
        for payer, held in self.held.items():
            assert self.settlement.heldBalance(payer, self.token) == held


def test_merchant_settlement_stateful(
    settlement,
    registry,
    enforcer,
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
            registry,
            enforcer,
            [merchant, merchant_2],
            [payer, bob],
            [operator, operator_2],
            settler,
            [issuer_bank, network_fee, acquirer, acquirer_2],
        ),
        max_examples=8,
        stateful_step_count=25,
    )
