"""Stateful test of the escrow and the HTLC against a Python ghost model, with compliance acting on money in flight.

Random sequences of initiate / release / reject / refund / lock / claim / refund / time passing, mixed with freezes and
unfreezes, KYC lapses and renewals of the sender, the beneficiary, the liquidity provider and the fee account, held
funds withdrawn and seized, balances seized, and fee withdrawals. Each rule predicts from the ghost whether the call
succeeds or which named error refuses it. After every step:
* exact conservation per token: every holder's balance is the ghost's, and they add up to the supply;
* the escrow holds exactly its Locked transfers (source + fee) + the fees owed + the funds held; the HTLC exactly its
  open locks + the funds held; feesOwed and heldBalance are the ghost's;
* every transfer and lock has the ghost's status, never moving back, and a final record keeps only its status;
* the money of an account that stayed frozen (its balances, what is held for it and what it has locked as a sender)
  decreases only by a seizure.
"""

import pytest
from brownie import ZERO_ADDRESS, chain
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from crosspay.core import fx
from crosspay.core.htlc import new_secret
from crosspay.core.status import LockStatus, TransferStatus
from helpers import (
    ESCROW_MOVES,
    FEE_BPS,
    HOUR,
    HTLC_MOVES,
    RATE,
    YEAR,
    bytes32,
    created_id,
    full_length_examples,
    lapse_kyc,
    now,
    reverts_with,
    run_state_machine,
    toggle_freeze,
)

MARGIN = 5  # seconds: rules too close to a deadline (block time is not known to the second) are skipped
AMOUNT = st.integers(min_value=1, max_value=2_000_00)
PICK = st.integers(min_value=0, max_value=10**6)
SECONDS = st.integers(min_value=1, max_value=2 * HOUR)
PERCENT = st.integers(min_value=1, max_value=120)  # of what is held; above 100 must revert
REF = bytes32("stateful")


class CrossBorderMachine(RuleBasedStateMachine):
    def __init__(
        self, escrow, htlc, cny, hkd, registry, sender, beneficiary, lp, fee_account, officer, keeper, enforcer,
        kyc_officer, custody, chain_id,
    ):  # fmt: skip
        super().__init__()
        self.escrow, self.htlc, self.cny, self.hkd, self.registry = escrow, htlc, cny, hkd, registry
        self.sender, self.beneficiary, self.lp, self.fee_account = sender, beneficiary, lp, fee_account
        self.officer, self.keeper, self.enforcer, self.kyc_officer = officer, keeper, enforcer, kyc_officer
        self.custody, self.chain_id = custody, chain_id
        self.holders = [sender, beneficiary, lp, fee_account, keeper, custody, escrow, htlc]
        self.watched = [sender, beneficiary, lp, fee_account]  # whose status the rules change
        self.tokens = [cny, hkd]
        # The two legs of a swap: the sender's dCNY for the LP, the LP's dHKD for the beneficiary.
        self.legs = [(cny, sender, lp), (hkd, lp, beneficiary)]

        self.transfers = {}  # id -> dict(status, sender, held, source, target, fee, deadline)
        self.locks = {}  # id -> dict(status, token, sender, recipient, amount, timelock, preimage)
        self.balance = {(t.address, h.address): t.balanceOf(h) for t in self.tokens for h in self.holders}
        self.supply = {t.address: t.totalSupply() for t in self.tokens}
        # Held by accounts outside this machine (the foundation's other customers): never moved here.
        self.others = {
            t.address: self.supply[t.address] - sum(t.balanceOf(h) for h in self.holders) for t in self.tokens
        }
        self.fees = 0  # dCNY owed to the fee account
        self.held = {}  # (contract, token, owner) -> amount
        self.frozen = {a.address for a in self.watched if self.registry.isFrozen(a)}
        self.lapsed = set()  # accounts whose KYC expired
        self.seen_status = {}
        self.seized = {}  # (token, account) -> seized since the last check
        self.money_seen = self._money_of_frozen()

    full_length = full_length_examples()

    # --- the ghost ------------------------------------------------------------------------------------------------

    def _can(self, account):
        return account.address not in self.frozen and account.address not in self.lapsed

    def _move(self, token, source, target, amount):
        self.balance[(token.address, source.address)] -= amount
        self.balance[(token.address, target.address)] += amount

    def _pay_or_hold(self, contract, token, owner, amount):
        if self._can(owner):
            self._move(token, contract, owner, amount)
        else:
            key = (contract.address, token.address, owner.address)
            self.held[key] = self.held.get(key, 0) + amount

    def _pick(self, records, pick):
        ids = list(records)
        return ids[pick % len(ids)] if ids else None

    def _money(self, token, account):
        """What `account` owns in `token`: its balance, what is held for it, what it has locked as a sender."""
        held = sum(v for (_, t, o), v in self.held.items() if (t, o) == (token.address, account.address))
        locked = sum(
            r["held"]
            for r in self.transfers.values()
            if r["status"] == TransferStatus.LOCKED
            and token.address == self.cny.address
            and r["sender"].address == account.address
        )
        locked += sum(
            r["amount"]
            for r in self.locks.values()
            if r["status"] == LockStatus.LOCKED
            and r["token"].address == token.address
            and r["sender"].address == account.address
        )
        return self.balance[(token.address, account.address)] + held + locked

    def _money_of_frozen(self):
        return {
            (t.address, a.address): self._money(t, a)
            for t in self.tokens
            for a in self.watched
            if a.address in self.frozen
        }

    # --- escrow -----------------------------------------------------------------------------------------------

    @rule(amount=AMOUNT, seconds=SECONDS)
    def initiate(self, amount, seconds):
        quote = fx.quote_from_source(self.cny, self.hkd, amount, RATE, self.lp, now() + HOUR)
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.escrow)
        offer = fx.offer(quote, FEE_BPS)  # the sender passes the fee it was shown as maxFee
        deadline = now() + seconds + MARGIN
        args = fx.initiate_args(offer, signature, self.beneficiary, deadline, REF)
        if not self._can(self.sender) or not self._can(self.beneficiary):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.initiate(*args, {"from": self.sender})
            return
        if offer.total > self.balance[(self.cny.address, self.sender.address)]:
            return
        tx = self.escrow.initiate(*args, {"from": self.sender})
        self._move(self.cny, self.sender, self.escrow, offer.total)
        self.transfers[str(created_id(tx))] = {
            "status": TransferStatus.LOCKED,
            "sender": self.sender,
            "held": offer.total,
            "source": amount,
            "target": quote.target_amount,
            "fee": offer.fee,
            "deadline": deadline,
        }

    @rule(pick=PICK)
    def release(self, pick):
        transfer_id = self._pick(self.transfers, pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        current = now()
        if record["status"] != TransferStatus.LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.release(transfer_id, {"from": self.lp})
        elif current > record["deadline"] + MARGIN:
            with reverts_with("EscrowDeadlinePassed"):
                self.escrow.release(transfer_id, {"from": self.lp})
        elif current + MARGIN >= record["deadline"]:
            return
        elif not self._can(self.lp):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.release(transfer_id, {"from": self.lp})
        elif not self._can(self.sender):
            with reverts_with("EscrowSenderCannotTransact"):
                self.escrow.release(transfer_id, {"from": self.lp})
        elif not self._can(self.beneficiary):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.release(transfer_id, {"from": self.lp})
        else:
            self.escrow.release(transfer_id, {"from": self.lp})
            self._move(self.hkd, self.lp, self.beneficiary, record["target"])
            self._move(self.cny, self.escrow, self.lp, record["source"])
            self.fees += record["fee"]
            record["status"] = TransferStatus.RELEASED

    @rule(pick=PICK, by_officer=st.booleans())
    def reject(self, pick, by_officer):
        transfer_id = self._pick(self.transfers, pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        by = self.officer if by_officer else self.lp
        if record["status"] != TransferStatus.LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.reject(transfer_id, REF, {"from": by})
        elif not by_officer and not self._can(self.lp):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.reject(transfer_id, REF, {"from": by})
        else:  # compliance always can, whatever the sender's status
            self.escrow.reject(transfer_id, REF, {"from": by})
            self._pay_or_hold(self.escrow, self.cny, self.sender, record["held"])
            record["status"] = TransferStatus.REFUNDED

    @rule(pick=PICK)
    def refund(self, pick):
        transfer_id = self._pick(self.transfers, pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        current = now()
        if record["status"] != TransferStatus.LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.refund(transfer_id, {"from": self.keeper})
        elif current > record["deadline"] + MARGIN:
            self.escrow.refund(transfer_id, {"from": self.keeper})
            self._pay_or_hold(self.escrow, self.cny, self.sender, record["held"])
            record["status"] = TransferStatus.REFUNDED
        elif current + MARGIN < record["deadline"]:
            with reverts_with("EscrowDeadlineNotReached"):
                self.escrow.refund(transfer_id, {"from": self.keeper})

    @rule()
    def withdraw_fees(self):
        if self.fees == 0:
            with reverts_with("EscrowNothingToWithdraw"):
                self.escrow.withdrawFees(self.cny, {"from": self.fee_account})
        elif not self._can(self.fee_account):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.withdrawFees(self.cny, {"from": self.fee_account})
        else:
            self.escrow.withdrawFees(self.cny, {"from": self.fee_account})
            self._move(self.cny, self.escrow, self.fee_account, self.fees)
            self.fees = 0

    # --- HTLC -------------------------------------------------------------------------------------------------

    @rule(amount=AMOUNT, seconds=SECONDS, leg=st.booleans())
    def lock(self, amount, seconds, leg):
        token, sender, recipient = self.legs[int(leg)]
        preimage, hashlock = new_secret()
        timelock = now() + seconds + MARGIN
        args = (token, amount, recipient, hashlock, timelock)
        if not self._can(sender) or not self._can(recipient):
            with reverts_with("HtlcCannotTransact"):
                self.htlc.lock(*args, {"from": sender})
            return
        if amount > self.balance[(token.address, sender.address)]:
            return
        tx = self.htlc.lock(*args, {"from": sender})
        self._move(token, sender, self.htlc, amount)
        self.locks[str(created_id(tx))] = {
            "status": LockStatus.LOCKED,
            "token": token,
            "sender": sender,
            "recipient": recipient,
            "amount": amount,
            "timelock": timelock,
            "preimage": preimage,
        }

    @rule(pick=PICK)
    def claim(self, pick):
        lock_id = self._pick(self.locks, pick)
        if lock_id is None:
            return
        record = self.locks[lock_id]
        current = now()
        if record["status"] != LockStatus.LOCKED:
            with reverts_with("HtlcUnexpectedStatus"):
                self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
        elif current > record["timelock"] + MARGIN:
            with reverts_with("HtlcTimelockExpired"):
                self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
        elif current + MARGIN >= record["timelock"]:
            return
        elif not self._can(record["sender"]):
            with reverts_with("HtlcSenderCannotTransact"):
                self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
        else:  # a recipient that cannot transact is held for, the swap completes
            self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
            self._pay_or_hold(self.htlc, record["token"], record["recipient"], record["amount"])
            record["status"] = LockStatus.CLAIMED

    @rule(pick=PICK)
    def htlc_refund(self, pick):
        lock_id = self._pick(self.locks, pick)
        if lock_id is None:
            return
        record = self.locks[lock_id]
        current = now()
        if record["status"] != LockStatus.LOCKED:
            with reverts_with("HtlcUnexpectedStatus"):
                self.htlc.refund(lock_id, {"from": self.keeper})
        elif current > record["timelock"] + MARGIN:
            self.htlc.refund(lock_id, {"from": self.keeper})
            self._pay_or_hold(self.htlc, record["token"], record["sender"], record["amount"])
            record["status"] = LockStatus.REFUNDED
        elif current + MARGIN < record["timelock"]:
            with reverts_with("HtlcTimelockNotReached"):
                self.htlc.refund(lock_id, {"from": self.keeper})

    # --- compliance -------------------------------------------------------------------------------------------

    @rule(pick=PICK)
    def freeze_or_unfreeze(self, pick):
        toggle_freeze(self.registry, self.enforcer, self.watched[pick % len(self.watched)], self.frozen, REF)

    @rule(pick=PICK)
    def kyc_lapses_or_is_renewed(self, pick):
        account = self.watched[pick % len(self.watched)]
        if account.address in self.lapsed:
            jurisdiction = self.registry.jurisdictionOf(account)
            self.registry.setVerified(account, jurisdiction, now() + YEAR, {"from": self.kyc_officer})
            self.lapsed.discard(account.address)
        else:
            lapse_kyc(self.registry, account, self.kyc_officer, MARGIN)
            self.lapsed.add(account.address)

    def _held_pick(self, pick, in_htlc):
        contract = self.htlc if in_htlc else self.escrow
        owner = self.watched[pick % len(self.watched)]
        token = self.tokens[(pick // len(self.watched)) % 2]
        return contract, token, owner, self.held.get((contract.address, token.address, owner.address), 0)

    @rule(pick=PICK, in_htlc=st.booleans())
    def withdraw_held(self, pick, in_htlc):
        contract, token, owner, held = self._held_pick(pick, in_htlc)
        if held == 0:
            with reverts_with("HeldFundsNothingHeld"):
                contract.withdrawHeld(token, {"from": owner})
        elif not self._can(owner):
            with reverts_with("HeldFundsCannotTransact"):
                contract.withdrawHeld(token, {"from": owner})
        else:
            contract.withdrawHeld(token, {"from": owner})
            self._move(token, contract, owner, held)
            del self.held[(contract.address, token.address, owner.address)]

    @rule(pick=PICK, in_htlc=st.booleans(), percent=PERCENT)
    def seize_held(self, pick, in_htlc, percent):
        contract, token, owner, held = self._held_pick(pick, in_htlc)
        amount = max(held * percent // 100, 1)
        args = (owner, token, self.custody, amount, REF)
        if owner.address not in self.frozen:
            with reverts_with("HeldFundsAccountNotFrozen"):
                contract.seizeHeld(*args, {"from": self.enforcer})
        elif amount > held:
            with reverts_with("HeldFundsExceedsHeld"):
                contract.seizeHeld(*args, {"from": self.enforcer})
        else:
            contract.seizeHeld(*args, {"from": self.enforcer})
            self._move(token, contract, self.custody, amount)
            self.held[(contract.address, token.address, owner.address)] = held - amount
            self.seized[(token.address, owner.address)] = self.seized.get((token.address, owner.address), 0) + amount

    @rule(pick=PICK, percent=PERCENT)
    def seize_balance(self, pick, percent):
        owner = self.watched[pick % len(self.watched)]
        token = self.tokens[(pick // len(self.watched)) % 2]
        balance = self.balance[(token.address, owner.address)]
        amount = balance * min(percent, 100) // 100
        if owner.address not in self.frozen or amount == 0:
            return
        token.seize(owner, self.custody, amount, REF, {"from": self.enforcer})
        self._move(token, owner, self.custody, amount)
        self.seized[(token.address, owner.address)] = self.seized.get((token.address, owner.address), 0) + amount

    @rule(seconds=SECONDS)
    def time_passes(self, seconds):
        chain.sleep(seconds)
        chain.mine()

    # --- invariants -------------------------------------------------------------------------------------------

    @invariant()
    def every_token_is_conserved_exactly(self):
        for token in self.tokens:
            balances = {h.address: token.balanceOf(h) for h in self.holders}
            assert balances == {h.address: self.balance[(token.address, h.address)] for h in self.holders}
            assert sum(balances.values()) + self.others[token.address] == self.supply[token.address]
            assert self.supply[token.address] == token.totalSupply()

    @invariant()
    def escrow_and_htlc_hold_exactly_what_they_owe(self):
        def held(contract, token):
            return sum(v for (c, t, _), v in self.held.items() if (c, t) == (contract.address, token.address))

        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == TransferStatus.LOCKED)
        assert self.cny.balanceOf(self.escrow) == locked + self.fees + held(self.escrow, self.cny)
        assert self.hkd.balanceOf(self.escrow) == held(self.escrow, self.hkd) == 0
        assert self.escrow.feesOwed(self.fee_account, self.cny) == self.fees
        for token in self.tokens:
            open_ = sum(
                r["amount"]
                for r in self.locks.values()
                if r["status"] == LockStatus.LOCKED and r["token"].address == token.address
            )
            assert token.balanceOf(self.htlc) == open_ + held(self.htlc, token)
        for (contract, token, owner), amount in self.held.items():
            assert (self.escrow if contract == self.escrow.address else self.htlc).heldBalance(owner, token) == amount

    @invariant()
    def every_record_has_the_ghosts_status_and_never_moves_back(self):
        records = [(k, self.escrow.transferOf(k), v["status"], ESCROW_MOVES) for k, v in self.transfers.items()]
        records += [(k, self.htlc.lockOf(k), v["status"], HTLC_MOVES) for k, v in self.locks.items()]
        for key, on_chain, status, moves in records:
            fields = on_chain.dict()
            assert fields.pop("status") == status
            assert status in moves[self.seen_status.get(key, status)]
            self.seen_status[key] = status
            if status not in (TransferStatus.LOCKED, LockStatus.LOCKED):  # final: only the status is kept
                assert all(str(value) in ("0", ZERO_ADDRESS) for value in fields.values()), fields

    @invariant()
    def a_frozen_accounts_money_decreases_only_by_seizure(self):
        for (token, account), before in self.money_seen.items():
            if account in self.frozen:  # frozen at the last check and still frozen
                token_ = self.cny if token == self.cny.address else self.hkd
                owner = next(a for a in self.watched if a.address == account)
                assert self._money(token_, owner) >= before - self.seized.get((token, account), 0)
        self.seized = {}
        self.money_seen = self._money_of_frozen()


@pytest.fixture
def rich_sender(market, htlc, cny, hkd, issuer, sender, liquidity_provider, custody, verify):
    """The market funded for a long run: the sender rich in dCNY and approving the escrow and the HTLC, the LP
    approving its dHKD to the escrow and the HTLC, and the custody account (verified) that receives seizures."""
    cny.mint(sender, 200_000_00, bytes32("stateful"), {"from": issuer})
    cny.approve(market, 2**255, {"from": sender})
    cny.approve(htlc, 2**255, {"from": sender})
    hkd.approve(htlc, 2**255, {"from": liquidity_provider})
    hkd.approve(market, 2**255, {"from": liquidity_provider})
    verify(custody)
    return sender


def test_crossborder_stateful(
    market,
    htlc,
    cny,
    hkd,
    registry,
    rich_sender,
    beneficiary,
    liquidity_provider,
    fee_account,
    compliance_officer,
    keeper,
    enforcer,
    kyc_officer,
    custody,
    chain_id,
):
    parties = dict(
        escrow=market, htlc=htlc, cny=cny, hkd=hkd, registry=registry, sender=rich_sender, beneficiary=beneficiary,
        lp=liquidity_provider, fee_account=fee_account, officer=compliance_officer, keeper=keeper, enforcer=enforcer,
        kyc_officer=kyc_officer, custody=custody, chain_id=chain_id,
    )  # fmt: skip
    run_state_machine(lambda: CrossBorderMachine(**parties), max_examples=10, stateful_step_count=25)
