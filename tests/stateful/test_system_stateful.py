"""Whole-system stateful test: one state machine over the deployed suite, checked after every step against a Python
ghost model (issue 6, section 2).

The suite: the compliance registry, two deposit tokens (dCNY, dHKD), MerchantSettlement accepting both (two merchants
under two acquirers), CrossBorderEscrow (one liquidity provider with a signing key, dCNY -> dHKD) and HashedTimelock;
four customers (three mainland, one in Hong Kong).

Rules call the public entry points with random actors and amounts: mint, transfer, redeem, freeze/unfreeze, seize,
attest; authorize, charge, capture, void, reclaim, refund, settle, withdrawFees; initiate, release, reject, refund;
lock, claim, refund; time passing. Each rule predicts from the ghost whether the call must succeed or be refused; a
refusal is asserted with the named error (an eth_call, so it changes nothing, and the invariants confirm it). Many
rules also send a caller who has no business there (`intruder`), whose call must be refused.

Invariants, after every step:
* per token: totalSupply == the sum of every holder's balance == initial + minted - redeemed <= attested reserves,
  and every holder's balance is the ghost's;
* MerchantSettlement's balance of each token == open authorizations + pending settlements + fees owed; per payment
  captured <= authorized and refunded <= captured (every field equals the ghost's);
* CrossBorderEscrow's balance == the sum of its Locked transfers (source + fee) + fees owed + funds held;
  HashedTimelock's balance == the sum of its open locks + funds held;
* every record is in exactly one status, the ghost's, and no status ever moves backwards;
* a frozen account's balance changes only through seize.

Time-dependent rules act only when the chain's time (the latest block) is MARGIN seconds clear of the deadline in
question; inside the margin the outcome depends on when the next block lands, so the rule does nothing.

Default run: 5 examples of 20 steps (two to three minutes with Ganache on the shared two-core machine).
STATEFUL_EXAMPLES and STATEFUL_STEPS override both (the nightly profile). The run prints its settings, its duration
and what it mined and refused per entry point.
"""

import hashlib
from collections import Counter

from brownie import chain, history, web3
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from crosspay.core import fx
from crosspay.core.settlement import PaymentIntent, capture_credit, order_ref
from crosspay.core.status import LockStatus, PaymentStatus, TransferStatus
from helpers import (
    DAY,
    ESCROW_MOVES,
    FEE_BPS,
    HOUR,
    HTLC_MOVES,
    INTERCHANGE_BPS,
    MDR_BPS,
    NETWORK_BPS,
    RATE,
    SETTLEMENT_MOVES,
    assert_call_reverts,
    bytes32,
    created_id,
    full_length_examples,
    now,
    run_state_machine,
)

REF = bytes32("system-stateful")
MARGIN = 5  # seconds kept clear of every deadline

PICK = st.integers(min_value=0, max_value=2**16 - 1)
AMOUNT = st.integers(min_value=0, max_value=3_000_00)  # 0 and amounts beyond a balance are refusals to check
FRACTION = st.integers(min_value=1, max_value=120)  # percent of what is left; above 100 must be refused
TOKEN = st.integers(min_value=0, max_value=1)
SECONDS = st.one_of(st.integers(min_value=1, max_value=2 * HOUR), st.integers(min_value=DAY, max_value=8 * DAY))
INTRUDER = st.booleans()


# What the run did, printed at its end: transactions mined per entry point, and refusals asserted per entry point.
SENT = Counter()
REFUSED = Counter()


def assert_reverts(method, *args, error=None):
    """assert_call_reverts, counted per entry point (the run prints what it saw refused)."""
    assert_call_reverts(method, *args, error=error)
    REFUSED[method._name.split(".")[-1]] += 1


class SystemMachine(RuleBasedStateMachine):
    def __init__(self, s):
        super().__init__()
        self.s = s  # the deployed suite and its actors (a SimpleNamespace built by the test)
        self.tokens = [s.cny, s.hkd]
        self.holders = list(s.holders)
        self.balance = {t.address: {h.address: int(t.balanceOf(h)) for h in self.holders} for t in self.tokens}
        self.initial_supply = {t.address: int(t.totalSupply()) for t in self.tokens}
        for t in self.tokens:  # the holder list is complete: nobody outside it holds the token
            assert sum(self.balance[t.address].values()) == self.initial_supply[t.address]
        self.minted = {t.address: 0 for t in self.tokens}
        self.redeemed = {t.address: 0 for t in self.tokens}
        self.frozen = {c.address for c in s.customers if s.registry.isFrozen(c)}
        # settlement ghost
        self.payments = {}
        self.pending = {(m, t.address): 0 for m in s.merchants for t in self.tokens}
        self.owed = {(a.address, t.address): 0 for a in s.fee_accounts for t in self.tokens}
        # escrow and HTLC ghosts
        self.transfers = {}
        self.locks = {}
        self.escrow_fees = 0  # dCNY owed to the escrow's fee account
        self.held = Counter()  # (contract, token, owner) -> held for an owner that could not transact
        self.counter = 0
        # what the invariants saw last: statuses and the balances of frozen accounts
        self.seen_status = {}
        self.seized = {}
        self.frozen_seen = set(self.frozen)
        self.frozen_balances = self._frozen_balances()
        self.start_block = web3.eth.block_number

    def teardown(self):
        for tx in history:
            if tx.block_number is not None and tx.block_number > self.start_block and tx.status == 1:
                SENT[tx.fn_name] += 1

    full_length = full_length_examples()

    # --- helpers ---------------------------------------------------------------------------------------------------

    def _next(self):
        self.counter += 1
        return self.counter

    def _move(self, token, source, target, amount):
        self.balance[token.address][source.address] -= amount
        self.balance[token.address][target.address] += amount

    def _is_frozen(self, account):
        return account.address in self.frozen

    def _pay_or_hold(self, contract, token, owner, amount):
        """What a contract owes an owner (a payer's void, reclaim or refund; the escrow's and the HTLC's payouts): paid
        when it can transact, else held for it (issue 9)."""
        if self._is_frozen(owner):
            self.held[(contract.address, token.address, owner.address)] += amount
        else:
            self._move(token, contract, owner, amount)

    def _pick(self, records, pick):
        keys = list(records)
        return keys[pick % len(keys)] if keys else None

    def _customer(self, pick):
        return self.s.customers[pick % len(self.s.customers)]

    def _frozen_balances(self):
        return {(t.address, a): int(t.balanceOf(a)) for t in self.tokens for a in self.frozen}

    # --- deposit tokens ----------------------------------------------------------------------------------------------

    @rule(t=TOKEN, who=PICK, amount=AMOUNT, intruder=INTRUDER)
    def mint(self, t, who, amount, intruder):
        token, to = self.tokens[t], self._customer(who)
        if intruder:
            return assert_reverts(
                token.mint, to, max(amount, 1), REF, {"from": self.s.rando}, error="AccessControlUnauthorizedAccount"
            )
        ok = (
            0 < amount <= token.issuerAllowance(self.s.issuer)
            and token.totalSupply() + amount <= token.reserves()
            and not self._is_frozen(to)
        )
        if not ok:
            return assert_reverts(token.mint, to, amount, REF, {"from": self.s.issuer})
        token.mint(to, amount, REF, {"from": self.s.issuer})
        self.balance[token.address][to.address] += amount
        self.minted[token.address] += amount

    @rule(t=TOKEN, who=PICK, to=PICK, amount=AMOUNT)
    def transfer(self, t, who, to, amount):
        token, source, target = self.tokens[t], self._customer(who), self._customer(to)
        ok = (
            amount <= self.balance[token.address][source.address]
            and not self._is_frozen(source)
            and not self._is_frozen(target)
        )
        if not ok:
            return assert_reverts(token.transfer, target, amount, {"from": source})
        token.transfer(target, amount, {"from": source})
        self._move(token, source, target, amount)

    @rule(t=TOKEN, who=PICK, amount=AMOUNT)
    def redeem(self, t, who, amount):
        token, holder = self.tokens[t], self._customer(who)
        ok = 0 < amount <= self.balance[token.address][holder.address] and not self._is_frozen(holder)
        if not ok:
            return assert_reverts(token.redeem, amount, REF, {"from": holder})
        token.redeem(amount, REF, {"from": holder})
        self.balance[token.address][holder.address] -= amount
        self.redeemed[token.address] += amount

    @rule(who=PICK, intruder=INTRUDER)
    def freeze_or_unfreeze(self, who, intruder):
        account, registry = self._customer(who), self.s.registry
        method = registry.unfreeze if self._is_frozen(account) else registry.freeze
        args = (account,) if self._is_frozen(account) else (account, REF)
        if intruder:
            return assert_reverts(method, *args, {"from": self.s.rando}, error="AccessControlUnauthorizedAccount")
        method(*args, {"from": self.s.enforcer})
        if self._is_frozen(account):
            self.frozen.discard(account.address)
        else:
            self.frozen.add(account.address)

    @rule(t=TOKEN, who=PICK, to=PICK, amount=AMOUNT, intruder=INTRUDER)
    def seize(self, t, who, to, amount, intruder):
        token, source, target = self.tokens[t], self._customer(who), self._customer(to)
        if intruder:
            return assert_reverts(
                token.seize,
                source,
                target,
                max(amount, 1),
                REF,
                {"from": self.s.rando},
                error="AccessControlUnauthorizedAccount",
            )
        ok = (
            0 < amount <= self.balance[token.address][source.address]
            and self._is_frozen(source)
            and not self._is_frozen(target)
        )
        if not ok:
            return assert_reverts(token.seize, source, target, amount, REF, {"from": self.s.enforcer})
        token.seize(source, target, amount, REF, {"from": self.s.enforcer})
        self._move(token, source, target, amount)
        key = (token.address, source.address)
        self.seized[key] = self.seized.get(key, 0) + amount

    @rule(t=TOKEN, headroom=st.integers(min_value=0, max_value=20_000_00))
    def attest_reserves(self, t, headroom):
        token = self.tokens[t]
        token.attestReserves(token.totalSupply() + headroom, REF, {"from": self.s.auditor})

    # --- merchant settlement -----------------------------------------------------------------------------------------

    def _open(self, t, who, merchant_pick, amount, capture):
        token, payer = self.tokens[t], self._customer(who)
        merchant = self.s.merchants[merchant_pick % 2]
        intent = PaymentIntent(merchant, token.address, amount, order_ref(f"sys-{self._next()}"), now() + HOUR)
        method = self.s.settlement.charge if capture else self.s.settlement.authorize
        ok = 0 < amount <= self.balance[token.address][payer.address] and not self._is_frozen(payer)
        if not ok:
            return assert_reverts(method, intent.as_tuple(), {"from": payer})
        pid = bytes32(created_id(method(intent.as_tuple(), {"from": payer})))
        self._move(token, payer, self.s.settlement, amount)
        self.payments[pid] = {
            "status": PaymentStatus.AUTHORIZED,
            "payer": payer,
            "merchant": merchant,
            "token": token,
            "authorized": amount,
            "captured": 0,
            "refunded": 0,
            "expiry": self.s.settlement.paymentOf(pid)["authorizationExpiry"],
            "deadline": 0,
            "unit_held": False,  # the acquirer's residue unit of the fee, held while the payment is open (issue 9)
        }
        if capture:
            self._captured(pid, amount)

    def _captured(self, pid, amount):
        """A capture's credits: the differences of the payment's cumulative fee parts (issue 9's FeeMath)."""
        p = self.payments[pid]
        closes = p["captured"] + amount == p["authorized"]
        parts = capture_credit(
            p["captured"], amount, MDR_BPS, INTERCHANGE_BPS, NETWORK_BPS, held=p["unit_held"], closes=closes
        )
        p["unit_held"] = parts.held
        p["captured"] += amount
        if p["captured"] == p["authorized"]:
            p["status"] = PaymentStatus.CAPTURED
        if p["deadline"] == 0:
            p["deadline"] = int(self.s.settlement.refundDeadline(pid))
        token = p["token"].address
        index = self.s.merchants.index(p["merchant"])
        self.pending[(p["merchant"], token)] += parts.merchant
        self.owed[(self.s.issuer_bank.address, token)] += parts.interchange
        self.owed[(self.s.network_fee.address, token)] += parts.network
        self.owed[(self.s.acquirers[index].address, token)] += parts.acquirer

    def _closed(self, p, status):
        """A void or reclaim: the uncaptured remainder paid back (or held for a payer that cannot transact, issue 9),
        the acquirer credited the residue unit its fee held back."""
        self._pay_or_hold(self.s.settlement, p["token"], p["payer"], p["authorized"] - p["captured"])
        if p["unit_held"]:
            index = self.s.merchants.index(p["merchant"])
            self.owed[(self.s.acquirers[index].address, p["token"].address)] += 1
            p["unit_held"] = False
        p["status"] = status

    def _operator(self, p):
        return self.s.operators[self.s.merchants.index(p["merchant"])]

    def _stranger(self, p):
        """Someone who may not touch payment p: the other merchant's operator."""
        return self.s.operators[1 - self.s.merchants.index(p["merchant"])]

    @rule(t=TOKEN, who=PICK, merchant=PICK, amount=AMOUNT)
    def authorize(self, t, who, merchant, amount):
        self._open(t, who, merchant, amount, capture=False)

    @rule(t=TOKEN, who=PICK, merchant=PICK, amount=AMOUNT)
    def charge(self, t, who, merchant, amount):
        self._open(t, who, merchant, amount, capture=True)

    @precondition(lambda self: self.payments)  # something to act on
    @rule(pick=PICK, fraction=FRACTION, intruder=INTRUDER)
    def capture(self, pick, fraction, intruder):
        pid = self._pick(self.payments, pick)
        if pid is None:
            return
        p, settlement = self.payments[pid], self.s.settlement
        left = p["authorized"] - p["captured"]
        amount = max(1, left * fraction // 100)
        if intruder:
            return assert_reverts(
                settlement.capture,
                pid,
                amount,
                {"from": self._stranger(p)},
                error="SettlementUnexpectedStatus"
                if p["status"] != PaymentStatus.AUTHORIZED
                else "SettlementUnauthorizedCaller",
            )
        current = now()
        if p["status"] != PaymentStatus.AUTHORIZED:
            return assert_reverts(
                settlement.capture, pid, amount, {"from": self._operator(p)}, error="SettlementUnexpectedStatus"
            )
        if current + MARGIN >= p["expiry"]:
            if current >= p["expiry"]:
                assert_reverts(
                    settlement.capture, pid, amount, {"from": self._operator(p)}, error="SettlementAuthorizationExpired"
                )
            return
        if amount > left:
            return assert_reverts(
                settlement.capture, pid, amount, {"from": self._operator(p)}, error="SettlementCaptureExceedsAuthorized"
            )
        if self._is_frozen(p["payer"]):  # an uncaptured authorization is still the payer's money (issue 9)
            return assert_reverts(
                settlement.capture, pid, amount, {"from": self._operator(p)}, error="SettlementPayerCannotTransact"
            )
        settlement.capture(pid, amount, {"from": self._operator(p)})
        self._captured(pid, amount)

    @precondition(lambda self: self.payments)  # something to act on
    @rule(pick=PICK, intruder=INTRUDER)
    def void(self, pick, intruder):
        pid = self._pick(self.payments, pick)
        if pid is None:
            return
        p, settlement = self.payments[pid], self.s.settlement
        caller = self._stranger(p) if intruder else self._operator(p)
        if p["status"] != PaymentStatus.AUTHORIZED:
            return assert_reverts(settlement.void, pid, {"from": caller}, error="SettlementUnexpectedStatus")
        if intruder:
            return assert_reverts(settlement.void, pid, {"from": caller}, error="SettlementUnauthorizedCaller")
        settlement.void(pid, {"from": caller})
        self._closed(p, PaymentStatus.VOIDED)

    @precondition(lambda self: self.payments)  # something to act on
    @rule(pick=PICK, intruder=INTRUDER)
    def reclaim(self, pick, intruder):
        pid = self._pick(self.payments, pick)
        if pid is None:
            return
        p, settlement = self.payments[pid], self.s.settlement
        caller = self.s.rando if intruder else p["payer"]
        current = now()
        if p["status"] != PaymentStatus.AUTHORIZED:
            return assert_reverts(settlement.reclaim, pid, {"from": caller}, error="SettlementUnexpectedStatus")
        if intruder:
            return assert_reverts(settlement.reclaim, pid, {"from": caller}, error="SettlementUnauthorizedCaller")
        if current < p["expiry"] + MARGIN:
            if current + MARGIN < p["expiry"]:
                assert_reverts(settlement.reclaim, pid, {"from": caller}, error="SettlementAuthorizationNotExpired")
            return
        settlement.reclaim(pid, {"from": caller})
        self._closed(p, PaymentStatus.RECLAIMED)

    @precondition(lambda self: self.payments)  # something to act on
    @rule(pick=PICK, fraction=FRACTION, intruder=INTRUDER)
    def refund(self, pick, fraction, intruder):
        pid = self._pick(self.payments, pick)
        if pid is None:
            return
        p, settlement = self.payments[pid], self.s.settlement
        refundable = p["captured"] - p["refunded"]
        amount = max(1, refundable * fraction // 100)
        if intruder:
            return assert_reverts(
                settlement.refund, pid, amount, {"from": self._stranger(p)}, error="SettlementUnauthorizedCaller"
            )
        operator, current = self._operator(p), now()
        if amount > refundable:
            return assert_reverts(
                settlement.refund, pid, amount, {"from": operator}, error="SettlementRefundExceedsCaptured"
            )
        if current + MARGIN >= p["deadline"]:
            if current >= p["deadline"]:
                assert_reverts(settlement.refund, pid, amount, {"from": operator}, error="SettlementRefundPeriodOver")
            return
        key = (p["merchant"], p["token"].address)
        from_pending = min(amount, self.pending[key])
        from_operator = amount - from_pending
        if from_operator > self.balance[p["token"].address][operator.address]:
            return assert_reverts(settlement.refund, pid, amount, {"from": operator})
        settlement.refund(pid, amount, {"from": operator})
        p["refunded"] += amount
        self.pending[key] -= from_pending
        self._move(p["token"], operator, settlement, from_operator)
        self._pay_or_hold(settlement, p["token"], p["payer"], amount)

    @rule(t=TOKEN, which=st.integers(min_value=1, max_value=3), intruder=INTRUDER)
    def settle(self, t, which, intruder):
        token, settlement = self.tokens[t], self.s.settlement
        chosen = [m for i, m in enumerate(self.s.merchants) if (which >> i) & 1]
        if intruder:
            return assert_reverts(
                settlement.settle, token, chosen, {"from": self.s.rando}, error="AccessControlUnauthorizedAccount"
            )
        settlement.settle(token, chosen, {"from": self.s.settler})
        for merchant in chosen:  # payout accounts are never frozen here, so every merchant is paid
            net = self.pending[(merchant, token.address)]
            self._move(token, settlement, self.s.payouts[self.s.merchants.index(merchant)], net)
            self.pending[(merchant, token.address)] = 0

    @rule(t=TOKEN, who=PICK, intruder=INTRUDER)
    def withdraw_fees(self, t, who, intruder):
        token, settlement = self.tokens[t], self.s.settlement
        if intruder:
            return assert_reverts(
                settlement.withdrawFees, token, {"from": self.s.rando}, error="SettlementNothingToWithdraw"
            )
        account = self.s.fee_accounts[who % len(self.s.fee_accounts)]
        owed = self.owed[(account.address, token.address)]
        if owed == 0:
            return assert_reverts(
                settlement.withdrawFees, token, {"from": account}, error="SettlementNothingToWithdraw"
            )
        settlement.withdrawFees(token, {"from": account})
        self._move(token, settlement, account, owed)
        self.owed[(account.address, token.address)] = 0

    # --- cross-border escrow -----------------------------------------------------------------------------------------

    @rule(who=PICK, to=PICK, amount=AMOUNT, seconds=SECONDS, intruder=INTRUDER)
    def initiate(self, who, to, amount, seconds, intruder):
        s = self.s
        sender, beneficiary = self._customer(who), self._customer(to)
        amount = max(amount, 1)
        quote = fx.quote_from_source(
            s.cny, s.hkd, amount, RATE, s.lp, now() + HOUR, quote_id=bytes32(f"q-{self._next()}")
        )
        # An intruder forges the LP's quote with another key.
        key = s.forger.private_key if intruder else s.lp.private_key
        signature = fx.sign_quote(key, quote, s.chain_id, s.escrow).packed
        deadline = now() + seconds + MARGIN
        held = amount + fx.fee_of(amount, FEE_BPS)
        args = (quote.as_tuple(), signature, beneficiary, deadline, REF, held - amount)
        if intruder:
            return assert_reverts(s.escrow.initiate, *args, {"from": sender}, error="EscrowInvalidSignature")
        if self._is_frozen(sender) or self._is_frozen(beneficiary):
            return assert_reverts(s.escrow.initiate, *args, {"from": sender}, error="EscrowCannotTransact")
        if held > self.balance[s.cny.address][sender.address]:
            return assert_reverts(s.escrow.initiate, *args, {"from": sender})
        tid = bytes32(created_id(s.escrow.initiate(*args, {"from": sender})))
        self._move(s.cny, sender, s.escrow, held)
        self.transfers[tid] = {
            "status": TransferStatus.LOCKED,
            "sender": sender,
            "beneficiary": beneficiary,
            "source": amount,
            "target": quote.target_amount,
            "held": held,
            "deadline": deadline,
        }

    @precondition(lambda self: self.transfers)  # something to act on
    @rule(pick=PICK, intruder=INTRUDER)
    def release(self, pick, intruder):
        tid = self._pick(self.transfers, pick)
        if tid is None:
            return
        s, r = self.s, self.transfers[tid]
        caller = s.rando if intruder else s.lp
        if r["status"] != TransferStatus.LOCKED:
            return assert_reverts(s.escrow.release, tid, {"from": caller}, error="EscrowUnexpectedStatus")
        if intruder:
            return assert_reverts(s.escrow.release, tid, {"from": caller}, error="EscrowUnauthorized")
        current = now()
        if current + MARGIN >= r["deadline"]:
            if current >= r["deadline"]:
                assert_reverts(s.escrow.release, tid, {"from": caller}, error="EscrowDeadlinePassed")
            return
        if self._is_frozen(r["sender"]):
            return assert_reverts(s.escrow.release, tid, {"from": caller}, error="EscrowSenderCannotTransact")
        if self._is_frozen(r["beneficiary"]):
            return assert_reverts(s.escrow.release, tid, {"from": caller}, error="EscrowCannotTransact")
        s.escrow.release(tid, {"from": caller})
        self._move(s.hkd, s.lp, r["beneficiary"], r["target"])
        self._move(s.cny, s.escrow, s.lp, r["source"])
        self.escrow_fees += r["held"] - r["source"]
        r["status"] = TransferStatus.RELEASED

    @precondition(lambda self: self.transfers)  # something to act on
    @rule(pick=PICK, by_officer=st.booleans(), intruder=INTRUDER)
    def reject(self, pick, by_officer, intruder):
        tid = self._pick(self.transfers, pick)
        if tid is None:
            return
        s, r = self.s, self.transfers[tid]
        caller = s.rando if intruder else (s.officer if by_officer else s.lp)
        if r["status"] != TransferStatus.LOCKED:
            return assert_reverts(s.escrow.reject, tid, REF, {"from": caller}, error="EscrowUnexpectedStatus")
        if intruder:
            return assert_reverts(s.escrow.reject, tid, REF, {"from": caller}, error="EscrowUnauthorized")
        s.escrow.reject(tid, REF, {"from": caller})
        self._pay_or_hold(s.escrow, s.cny, r["sender"], r["held"])
        r["status"] = TransferStatus.REFUNDED

    @precondition(lambda self: self.transfers)  # something to act on
    @rule(pick=PICK)
    def escrow_refund(self, pick):
        tid = self._pick(self.transfers, pick)
        if tid is None:
            return
        s, r = self.s, self.transfers[tid]
        if r["status"] != TransferStatus.LOCKED:
            return assert_reverts(s.escrow.refund, tid, {"from": s.keeper}, error="EscrowUnexpectedStatus")
        current = now()
        if current < r["deadline"] + MARGIN:
            if current + MARGIN < r["deadline"]:
                assert_reverts(s.escrow.refund, tid, {"from": s.keeper}, error="EscrowDeadlineNotReached")
            return
        s.escrow.refund(tid, {"from": s.keeper})
        self._pay_or_hold(s.escrow, s.cny, r["sender"], r["held"])
        r["status"] = TransferStatus.REFUNDED

    # --- hashed timelock ---------------------------------------------------------------------------------------------

    @rule(t=TOKEN, who=PICK, to=PICK, amount=AMOUNT, seconds=SECONDS)
    def lock(self, t, who, to, amount, seconds):
        s, token = self.s, self.tokens[t]
        sender, recipient = self._customer(who), self._customer(to)
        preimage = hashlib.sha256(f"preimage-{self._next()}".encode()).digest()
        hashlock = hashlib.sha256(preimage).digest()
        timelock = now() + seconds + MARGIN
        args = (token, amount, recipient, hashlock, timelock)
        ok = (
            0 < amount <= self.balance[token.address][sender.address]
            and not self._is_frozen(sender)
            and not self._is_frozen(recipient)
        )
        if not ok:
            return assert_reverts(s.htlc.lock, *args, {"from": sender})
        lid = bytes32(created_id(s.htlc.lock(*args, {"from": sender})))
        self._move(token, sender, s.htlc, amount)
        self.locks[lid] = {
            "status": LockStatus.LOCKED,
            "sender": sender,
            "recipient": recipient,
            "token": token,
            "amount": amount,
            "timelock": timelock,
            "preimage": preimage,
        }

    @precondition(lambda self: self.locks)  # something to act on
    @rule(pick=PICK, wrong_preimage=INTRUDER)
    def claim(self, pick, wrong_preimage):
        lid = self._pick(self.locks, pick)
        if lid is None:
            return
        s, r = self.s, self.locks[lid]
        preimage = hashlib.sha256(b"not it").digest() if wrong_preimage else r["preimage"]
        if r["status"] != LockStatus.LOCKED:
            return assert_reverts(s.htlc.claim, lid, preimage, {"from": s.keeper}, error="HtlcUnexpectedStatus")
        current = now()
        if current + MARGIN >= r["timelock"]:
            if current >= r["timelock"]:
                assert_reverts(s.htlc.claim, lid, preimage, {"from": s.keeper}, error="HtlcTimelockExpired")
            return
        if wrong_preimage:
            return assert_reverts(s.htlc.claim, lid, preimage, {"from": s.keeper}, error="HtlcWrongPreimage")
        if self._is_frozen(r["sender"]):
            return assert_reverts(s.htlc.claim, lid, preimage, {"from": s.keeper}, error="HtlcSenderCannotTransact")
        s.htlc.claim(lid, preimage, {"from": s.keeper})
        self._pay_or_hold(s.htlc, r["token"], r["recipient"], r["amount"])
        r["status"] = LockStatus.CLAIMED

    @precondition(lambda self: self.locks)  # something to act on
    @rule(pick=PICK)
    def htlc_refund(self, pick):
        lid = self._pick(self.locks, pick)
        if lid is None:
            return
        s, r = self.s, self.locks[lid]
        if r["status"] != LockStatus.LOCKED:
            return assert_reverts(s.htlc.refund, lid, {"from": s.keeper}, error="HtlcUnexpectedStatus")
        current = now()
        if current < r["timelock"] + MARGIN:
            if current + MARGIN < r["timelock"]:
                assert_reverts(s.htlc.refund, lid, {"from": s.keeper}, error="HtlcTimelockNotReached")
            return
        s.htlc.refund(lid, {"from": s.keeper})
        self._pay_or_hold(s.htlc, r["token"], r["sender"], r["amount"])
        r["status"] = LockStatus.REFUNDED

    # --- time --------------------------------------------------------------------------------------------------------

    @rule(seconds=SECONDS)
    def time_passes(self, seconds):
        chain.sleep(seconds)
        chain.mine()

    # --- invariants --------------------------------------------------------------------------------------------------

    @invariant()
    def tokens_are_neither_created_nor_lost(self):
        for token in self.tokens:
            ghost = self.balance[token.address]
            on_chain = {h.address: int(token.balanceOf(h)) for h in self.holders}
            assert on_chain == ghost
            supply = int(token.totalSupply())
            assert supply == sum(on_chain.values())
            assert (
                supply == self.initial_supply[token.address] + self.minted[token.address] - self.redeemed[token.address]
            )
            assert supply <= token.reserves()

    @invariant()
    def settlement_holds_exactly_what_it_owes(self):
        s = self.s
        for token in self.tokens:
            open_authorizations = sum(
                p["authorized"] - p["captured"]
                for p in self.payments.values()
                if p["status"] == PaymentStatus.AUTHORIZED and p["token"] == token
            )
            pending = sum(v for (m, t), v in self.pending.items() if t == token.address)
            owed = sum(v for (a, t), v in self.owed.items() if t == token.address)
            units = sum(
                int(p["unit_held"])
                for p in self.payments.values()
                if p["status"] == PaymentStatus.AUTHORIZED and p["token"] == token
            )
            held = sum(v for (c, t, _), v in self.held.items() if (c, t) == (s.settlement.address, token.address))
            assert token.balanceOf(s.settlement) == open_authorizations + pending + owed + units + held
            for merchant in s.merchants:
                assert s.settlement.pendingSettlement(merchant, token) == self.pending[(merchant, token.address)]
            for account in s.fee_accounts:
                assert s.settlement.feesOwed(account, token) == self.owed[(account.address, token.address)]

    @invariant()
    def payments_match_the_ghost(self):
        for pid, p in self.payments.items():
            payment = self.s.settlement.paymentOf(pid)
            assert payment["captured"] <= payment["authorized"] and payment["refunded"] <= payment["captured"]
            assert payment.dict() == {
                "status": p["status"],
                "payer": p["payer"].address,
                "merchantId": "0x" + p["merchant"].hex(),
                "token": p["token"].address,
                "authorized": p["authorized"],
                "captured": p["captured"],
                "refunded": p["refunded"],
                "authorizationExpiry": p["expiry"],
            }

    @invariant()
    def escrow_and_htlc_hold_exactly_their_open_records(self):
        s = self.s
        held = {
            (c, t): sum(v for (c_, t_, _), v in self.held.items() if (c_, t_) == (c, t))
            for c in (s.escrow.address, s.htlc.address)
            for t in (s.cny.address, s.hkd.address)
        }
        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == TransferStatus.LOCKED)
        assert s.cny.balanceOf(s.escrow) == locked + self.escrow_fees + held[(s.escrow.address, s.cny.address)]
        assert s.escrow.feesOwed(s.fee_account, s.cny) == self.escrow_fees
        assert s.hkd.balanceOf(s.escrow) == 0
        for token in self.tokens:
            open_ = sum(
                r["amount"] for r in self.locks.values() if r["status"] == LockStatus.LOCKED and r["token"] == token
            )
            assert token.balanceOf(s.htlc) == open_ + held[(s.htlc.address, token.address)]
        contracts = {c.address: c for c in (s.settlement, s.escrow, s.htlc)}
        for (contract, token, owner), amount in self.held.items():
            assert contracts[contract].heldBalance(owner, token) == amount

    @invariant()
    def every_record_has_one_status_that_never_moves_back(self):
        s = self.s
        records = [
            (("payment", k), int(s.settlement.paymentOf(k)["status"]), v["status"], SETTLEMENT_MOVES)
            for k, v in self.payments.items()
        ]
        records += [
            (("transfer", k), int(s.escrow.transferOf(k)["status"]), v["status"], ESCROW_MOVES)
            for k, v in self.transfers.items()
        ]
        records += [
            (("lock", k), int(s.htlc.lockOf(k)["status"]), v["status"], HTLC_MOVES) for k, v in self.locks.items()
        ]
        for key, status, ghost, moves in records:
            assert status == ghost, f"{key}: on chain {status}, ghost {ghost}"
            previous = self.seen_status.get(key, status)
            assert status in moves[previous], f"{key} moved back from {previous} to {status}"
            self.seen_status[key] = status
        for key, record in self.transfers.items():
            if record["status"] != TransferStatus.LOCKED:  # a final transfer keeps only its status
                on_chain = s.escrow.transferOf(key)
                assert on_chain["sourceAmount"] == on_chain["targetAmount"] == on_chain["deadline"] == 0

    @invariant()
    def frozen_balances_change_only_through_seize(self):
        watched = self.frozen_seen | self.frozen
        for token in self.tokens:
            for account in watched:
                before = self.frozen_balances.get((token.address, account), int(token.balanceOf(account)))
                seized = self.seized.get((token.address, account), 0)
                assert token.balanceOf(account) == before - seized
        self.seized = {}
        self.frozen_seen = set(self.frozen)
        self.frozen_balances = self._frozen_balances()


def test_system_stateful(
    admin,
    registry,
    verify,
    cny,
    hkd,
    settlement,
    merchant,
    merchant_2,
    market,
    htlc,
    alice,
    bob,
    carol,
    beneficiary,
    liquidity_provider,
    fee_account,
    compliance_officer,
    keeper,
    issuer,
    auditor,
    enforcer,
    rando,
    acquirer,
    acquirer_2,
    settler,
    network_fee,
    issuer_bank,
    payout,
    payout_2,
    operator,
    operator_2,
    relayer,
    chain_id,
):
    import time
    from types import SimpleNamespace

    MAX = 2**256 - 1
    settlement.setToken(hkd, issuer_bank, True, {"from": admin})  # the settlement accepts both tokens
    verify(carol)
    customers = [alice, bob, carol, beneficiary]
    for token in (cny, hkd):
        for customer in customers:
            token.mint(customer, 5_000_00, REF, {"from": issuer})
            token.approve(settlement, MAX, {"from": customer})
            token.approve(htlc, MAX, {"from": customer})
        for account in (operator, operator_2):  # operators cover refunds beyond what is pending
            token.mint(account, 2_000_00, REF, {"from": issuer})
            token.approve(settlement, MAX, {"from": account})
    for customer in customers:
        cny.approve(market, MAX, {"from": customer})
    hkd.approve(market, MAX, {"from": liquidity_provider})

    suite = SimpleNamespace(
        registry=registry, cny=cny, hkd=hkd, settlement=settlement, escrow=market, htlc=htlc, chain_id=chain_id,
        customers=customers, issuer=issuer, auditor=auditor, enforcer=enforcer, rando=rando,
        merchants=[merchant, merchant_2], operators=[operator, operator_2], payouts=[payout, payout_2],
        acquirers=[acquirer, acquirer_2], settler=settler, issuer_bank=issuer_bank, network_fee=network_fee,
        fee_accounts=[issuer_bank, network_fee, acquirer, acquirer_2], lp=liquidity_provider, forger=keeper,
        fee_account=fee_account, officer=compliance_officer, keeper=keeper,
    )  # fmt: skip
    institutions = [issuer, auditor, enforcer, rando, settler, relayer, *suite.fee_accounts, *suite.payouts]
    suite.holders = [*customers, liquidity_provider, fee_account, keeper, compliance_officer, *institutions]
    suite.holders += [*suite.operators, settlement, market, htlc]
    SENT.clear()
    REFUSED.clear()
    started = time.monotonic()
    run_state_machine(lambda: SystemMachine(suite), max_examples=5, stateful_step_count=20)
    print(f"system stateful run: {time.monotonic() - started:.0f} s")
    print("  mined:   " + ", ".join(f"{name} {n}" for name, n in sorted(SENT.items())))
    print("  refused: " + ", ".join(f"{name} {n}" for name, n in sorted(REFUSED.items())))
