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
from hypothesis import assume
from hypothesis import strategies as st
from brownie import ZERO_ADDRESS, accounts, chain
from brownie.test import strategy

from crosspay import fx
from crosspay.htlc import new_secret
from fixtures.crossborder import FEE_BPS, HOUR, RATE, now
from helpers import bytes32, reverts_with

LOCKED, RELEASED, REFUNDED = 1, 2, 3
CLAIMED = 2
MARGIN = 5  # seconds: rules too close to a deadline (block time is not known to the second) are skipped
YEAR = 365 * 24 * HOUR
ESCROW_MOVES = {LOCKED: {LOCKED, RELEASED, REFUNDED}, RELEASED: {RELEASED}, REFUNDED: {REFUNDED}}
HTLC_MOVES = {LOCKED: {LOCKED, CLAIMED, REFUNDED}, CLAIMED: {CLAIMED}, REFUNDED: {REFUNDED}}
REF = bytes32("stateful")


class CrossBorderMachine:
    st_amount = strategy("uint256", min_value=1, max_value=2_000_00)
    st_pick = strategy("uint256", max_value=10**6)
    st_seconds = strategy("uint256", min_value=1, max_value=2 * HOUR)
    st_bool = strategy("bool")
    st_percent = strategy("uint256", min_value=1, max_value=120)  # of what is held; above 100 must be refused
    st_padding = st.lists(st.integers(min_value=0, max_value=255), min_size=64, max_size=64)

    def __init__(cls, escrow, htlc, cny, hkd, registry, sender, beneficiary, lp, fee_account, officer, keeper,
                 enforcer, kyc_officer, custody, chain_id):
        cls.escrow, cls.htlc, cls.cny, cls.hkd, cls.registry = escrow, htlc, cny, hkd, registry
        cls.sender, cls.beneficiary, cls.lp, cls.fee_account = sender, beneficiary, lp, fee_account
        cls.officer, cls.keeper, cls.enforcer, cls.kyc_officer = officer, keeper, enforcer, kyc_officer
        cls.custody, cls.chain_id = custody, chain_id
        cls.holders = [sender, beneficiary, lp, fee_account, keeper, custody, escrow, htlc]
        cls.watched = [sender, beneficiary, lp, fee_account]  # whose status the rules change
        cls.tokens = [cny, hkd]
        # The two legs of a swap: the sender's dCNY for the LP, the LP's dHKD for the beneficiary.
        cls.legs = [(cny, sender, lp), (hkd, lp, beneficiary)]

    def initialize_full_length(self, st_padding):
        """Refuses hypothesis's zero-extended warm-up examples so that every example runs its full length (see
        tests/helpers.full_length_examples)."""
        assume(st_padding[-1] != 0)

    def setup(self):
        self.transfers = {}  # id -> dict(status, held, source, target, fee, deadline)
        self.locks = {}  # id -> dict(status, token, sender, recipient, amount, timelock, preimage)
        self.balance = {(t.address, h.address): t.balanceOf(h) for t in self.tokens for h in self.holders}
        self.supply = {t.address: t.totalSupply() for t in self.tokens}
        # Held by accounts outside this machine (the foundation's other customers): never moved here.
        self.others = {t.address: self.supply[t.address] - sum(t.balanceOf(h) for h in self.holders)
                       for t in self.tokens}
        self.fees = 0  # dCNY owed to the fee account
        self.held = {}  # (contract, token, owner) -> amount
        self.frozen = {a.address for a in self.watched if self.registry.isFrozen(a)}
        self.lapsed = set()  # accounts whose KYC expired
        self.seen_status = {}
        self.seized = {}  # (token, account) -> seized since the last check
        self.money_seen = self._money_of_frozen()

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

    def _pick(self, records, st_pick):
        ids = list(records)
        return ids[st_pick % len(ids)] if ids else None

    def _money(self, token, account):
        """What `account` owns in `token`: its balance, what is held for it, what it has locked as a sender."""
        held = sum(v for (_, t, o), v in self.held.items() if (t, o) == (token.address, account.address))
        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == LOCKED
                     and token.address == self.cny.address and r["sender"].address == account.address)
        locked += sum(r["amount"] for r in self.locks.values() if r["status"] == LOCKED
                      and r["token"].address == token.address and r["sender"].address == account.address)
        return self.balance[(token.address, account.address)] + held + locked

    def _money_of_frozen(self):
        return {(t.address, a.address): self._money(t, a) for t in self.tokens for a in self.watched
                if a.address in self.frozen}

    # --- escrow -----------------------------------------------------------------------------------------------

    def rule_initiate(self, st_amount, st_seconds):
        quote = fx.quote_from_source(self.cny, self.hkd, st_amount, RATE, self.lp, now() + HOUR)
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.escrow).packed
        offer = fx.offer(quote, FEE_BPS)
        deadline = now() + st_seconds + MARGIN
        args = fx.initiate_args(offer, signature, self.beneficiary, deadline, REF)
        if not self._can(self.sender) or not self._can(self.beneficiary):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.initiate(*args, {"from": self.sender})
            return
        if offer.total > self.balance[(self.cny.address, self.sender.address)]:
            return
        tx = self.escrow.initiate(*args, {"from": self.sender})
        self._move(self.cny, self.sender, self.escrow, offer.total)
        self.transfers[str(tx.return_value)] = {"status": LOCKED, "sender": self.sender, "held": offer.total,
                                                "source": st_amount, "target": quote.target_amount,
                                                "fee": offer.fee, "deadline": deadline}

    def rule_release(self, st_pick):
        transfer_id = self._pick(self.transfers, st_pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        current = now()
        if record["status"] != LOCKED:
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
            record["status"] = RELEASED

    def rule_reject(self, st_pick, st_bool):
        transfer_id = self._pick(self.transfers, st_pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        by = self.officer if st_bool else self.lp
        if record["status"] != LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.reject(transfer_id, REF, {"from": by})
        elif not st_bool and not self._can(self.lp):
            with reverts_with("EscrowCannotTransact"):
                self.escrow.reject(transfer_id, REF, {"from": by})
        else:  # compliance always can, whatever the sender's status
            self.escrow.reject(transfer_id, REF, {"from": by})
            self._pay_or_hold(self.escrow, self.cny, self.sender, record["held"])
            record["status"] = REFUNDED

    def rule_refund(self, st_pick):
        transfer_id = self._pick(self.transfers, st_pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        current = now()
        if record["status"] != LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.refund(transfer_id, {"from": self.keeper})
        elif current > record["deadline"] + MARGIN:
            self.escrow.refund(transfer_id, {"from": self.keeper})
            self._pay_or_hold(self.escrow, self.cny, self.sender, record["held"])
            record["status"] = REFUNDED
        elif current + MARGIN < record["deadline"]:
            with reverts_with("EscrowDeadlineNotReached"):
                self.escrow.refund(transfer_id, {"from": self.keeper})

    def rule_withdraw_fees(self):
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

    def rule_lock(self, st_amount, st_seconds, st_bool):
        token, sender, recipient = self.legs[int(st_bool)]
        preimage, hashlock = new_secret()
        timelock = now() + st_seconds + MARGIN
        args = (token, st_amount, recipient, hashlock, timelock)
        if not self._can(sender) or not self._can(recipient):
            with reverts_with("HtlcCannotTransact"):
                self.htlc.lock(*args, {"from": sender})
            return
        if st_amount > self.balance[(token.address, sender.address)]:
            return
        tx = self.htlc.lock(*args, {"from": sender})
        self._move(token, sender, self.htlc, st_amount)
        self.locks[str(tx.return_value)] = {"status": LOCKED, "token": token, "sender": sender,
                                            "recipient": recipient, "amount": st_amount, "timelock": timelock,
                                            "preimage": preimage}

    def rule_claim(self, st_pick):
        lock_id = self._pick(self.locks, st_pick)
        if lock_id is None:
            return
        record = self.locks[lock_id]
        current = now()
        if record["status"] != LOCKED:
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
            record["status"] = CLAIMED

    def rule_htlc_refund(self, st_pick):
        lock_id = self._pick(self.locks, st_pick)
        if lock_id is None:
            return
        record = self.locks[lock_id]
        current = now()
        if record["status"] != LOCKED:
            with reverts_with("HtlcUnexpectedStatus"):
                self.htlc.refund(lock_id, {"from": self.keeper})
        elif current > record["timelock"] + MARGIN:
            self.htlc.refund(lock_id, {"from": self.keeper})
            self._pay_or_hold(self.htlc, record["token"], record["sender"], record["amount"])
            record["status"] = REFUNDED
        elif current + MARGIN < record["timelock"]:
            with reverts_with("HtlcTimelockNotReached"):
                self.htlc.refund(lock_id, {"from": self.keeper})

    # --- compliance -------------------------------------------------------------------------------------------

    def rule_freeze_or_unfreeze(self, st_pick):
        account = self.watched[st_pick % len(self.watched)]
        if account.address in self.frozen:
            self.registry.unfreeze(account, {"from": self.enforcer})
            self.frozen.discard(account.address)
        else:
            self.registry.freeze(account, REF, {"from": self.enforcer})
            self.frozen.add(account.address)

    def rule_kyc_lapses_or_is_renewed(self, st_pick):
        account = self.watched[st_pick % len(self.watched)]
        jurisdiction = self.registry.jurisdictionOf(account)
        if account.address in self.lapsed:
            self.registry.setVerified(account, jurisdiction, now() + YEAR, {"from": self.kyc_officer})
            self.lapsed.discard(account.address)
        else:
            chain.mine()  # the latest block is now, so the expiry below is in the future when the call lands
            self.registry.setVerified(account, jurisdiction, now() + MARGIN, {"from": self.kyc_officer})
            chain.sleep(MARGIN + 1)
            chain.mine()
            self.lapsed.add(account.address)

    def _held_pick(self, st_pick, st_bool):
        contract = self.htlc if st_bool else self.escrow
        owner = self.watched[st_pick % len(self.watched)]
        token = self.tokens[(st_pick // len(self.watched)) % 2]
        return contract, token, owner, self.held.get((contract.address, token.address, owner.address), 0)

    def rule_withdraw_held(self, st_pick, st_bool):
        contract, token, owner, held = self._held_pick(st_pick, st_bool)
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

    def rule_seize_held(self, st_pick, st_bool, st_percent):
        contract, token, owner, held = self._held_pick(st_pick, st_bool)
        amount = max(held * st_percent // 100, 1)
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

    def rule_seize_balance(self, st_pick, st_percent):
        owner = self.watched[st_pick % len(self.watched)]
        token = self.tokens[(st_pick // len(self.watched)) % 2]
        balance = self.balance[(token.address, owner.address)]
        amount = balance * min(st_percent, 100) // 100
        if owner.address not in self.frozen or amount == 0:
            return
        token.seize(owner, self.custody, amount, REF, {"from": self.enforcer})
        self._move(token, owner, self.custody, amount)
        self.seized[(token.address, owner.address)] = self.seized.get((token.address, owner.address), 0) + amount

    def rule_time_passes(self, st_seconds):
        chain.sleep(st_seconds)
        chain.mine()

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_every_token_is_conserved_exactly(self):
        for token in self.tokens:
            balances = {h.address: token.balanceOf(h) for h in self.holders}
            assert balances == {h.address: self.balance[(token.address, h.address)] for h in self.holders}
            assert sum(balances.values()) + self.others[token.address] == self.supply[token.address] \
                == token.totalSupply()

    def invariant_escrow_and_htlc_hold_exactly_what_they_owe(self):
        def held(contract, token):
            return sum(v for (c, t, _), v in self.held.items() if (c, t) == (contract.address, token.address))

        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == LOCKED)
        assert self.cny.balanceOf(self.escrow) == locked + self.fees + held(self.escrow, self.cny)
        assert self.hkd.balanceOf(self.escrow) == held(self.escrow, self.hkd) == 0
        assert self.escrow.feesOwed(self.fee_account, self.cny) == self.fees
        for token in self.tokens:
            open_ = sum(r["amount"] for r in self.locks.values()
                        if r["status"] == LOCKED and r["token"].address == token.address)
            assert token.balanceOf(self.htlc) == open_ + held(self.htlc, token)
        for (contract, token, owner), amount in self.held.items():
            assert (self.escrow if contract == self.escrow.address else self.htlc).heldBalance(owner, token) == amount

    def invariant_every_record_has_the_ghosts_status_and_never_moves_back(self):
        records = [(k, self.escrow.transferOf(k), v["status"], ESCROW_MOVES) for k, v in self.transfers.items()]
        records += [(k, self.htlc.lockOf(k), v["status"], HTLC_MOVES) for k, v in self.locks.items()]
        for key, on_chain, status, moves in records:
            assert on_chain[0] == status
            assert status in moves[self.seen_status.get(key, status)]
            self.seen_status[key] = status
            if status != LOCKED:  # final: only the status is kept
                assert all(str(value) in ("0", ZERO_ADDRESS) for value in on_chain[1:]), on_chain

    def invariant_a_frozen_accounts_money_decreases_only_by_seizure(self):
        for (token, account), before in self.money_seen.items():
            if account in self.frozen:  # frozen at the last check and still frozen
                token_ = self.cny if token == self.cny.address else self.hkd
                owner = next(a for a in self.watched if a.address == account)
                assert self._money(token_, owner) >= before - self.seized.get((token, account), 0)
        self.seized = {}
        self.money_seen = self._money_of_frozen()


@pytest.fixture
def crossborder_world(market, htlc, cny, hkd, issuer, sender, liquidity_provider, verify):
    """The market funded for a long run: the sender rich in dCNY and approving the escrow and the HTLC, the LP
    approving its dHKD to the HTLC, and a custody account (verified) that receives seizures."""
    cny.mint(sender, 200_000_00, bytes32("stateful"), {"from": issuer})
    cny.approve(market, 2**255, {"from": sender})
    cny.approve(htlc, 2**255, {"from": sender})
    hkd.approve(htlc, 2**255, {"from": liquidity_provider})
    hkd.approve(market, 2**255, {"from": liquidity_provider})
    custody = accounts.add()
    verify(custody)
    return custody


def test_crossborder_stateful(state_machine, market, htlc, cny, hkd, registry, crossborder_world, sender, beneficiary,
                              liquidity_provider, fee_account, compliance_officer, keeper, enforcer, kyc_officer,
                              chain_id):
    state_machine(
        CrossBorderMachine, market, htlc, cny, hkd, registry, sender, beneficiary, liquidity_provider, fee_account,
        compliance_officer, keeper, enforcer, kyc_officer, crossborder_world, chain_id,
        settings={"max_examples": 10, "stateful_step_count": 25},
    )
