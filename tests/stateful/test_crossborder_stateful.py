"""Stateful test of the escrow and the HTLC against a Python ghost model.

Random sequences of initiate / release / reject / refund / lock / claim / refund / time passing. After every step:
* the escrow's balance of each token == the sum of its Locked transfers' (sourceAmount + fee);
* every transfer's on-chain status is the ghost's: Locked, or exactly one of Released / Refunded, never moving back,
  and a final record keeps only its status;
* the HTLC's balance == the sum of its open locks; a lock is claimed once or refunded once, never both;
* no token is created or lost: the participants' and contracts' balances add up to what was minted.
"""

import pytest
from brownie import chain
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from crosspay.core import fx
from crosspay.core.htlc import new_secret
from crosspay.core.status import LockStatus, TransferStatus
from helpers import FEE_BPS, HOUR, RATE, bytes32, full_length_examples, now, reverts_with, run_state_machine

MARGIN = 5  # seconds: rules too close to a deadline (block time is not known to the second) are skipped
AMOUNT = st.integers(min_value=1, max_value=2_000_00)
PICK = st.integers(min_value=0, max_value=10**6)
SECONDS = st.integers(min_value=1, max_value=2 * HOUR)


class CrossBorderMachine(RuleBasedStateMachine):
    def __init__(self, escrow, htlc, cny, hkd, sender, beneficiary, lp, fee_account, officer, keeper, chain_id):
        super().__init__()
        self.escrow, self.htlc, self.cny, self.hkd = escrow, htlc, cny, hkd
        self.sender, self.beneficiary, self.lp = sender, beneficiary, lp
        self.fee_account, self.officer, self.keeper, self.chain_id = fee_account, officer, keeper, chain_id
        self.holders = [sender, beneficiary, lp, fee_account, escrow, htlc]
        self.transfers = {}  # id -> dict(status, held, deadline)
        self.locks = {}  # id -> dict(status, amount, timelock, preimage)
        self.supply = {t: sum(t.balanceOf(h) for h in self.holders) for t in (self.cny, self.hkd)}

    full_length = full_length_examples()

    # --- escrow -----------------------------------------------------------------------------------------------

    @rule(amount=AMOUNT, seconds=SECONDS)
    def initiate(self, amount, seconds):
        quote = fx.quote_from_source(self.cny, self.hkd, amount, RATE, self.lp, now() + HOUR)
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.escrow).packed
        deadline = now() + seconds + MARGIN
        tx = self.escrow.initiate(
            quote.as_tuple(), signature, self.beneficiary, deadline, bytes32("t"), {"from": self.sender}
        )
        held = amount + fx.fee_of(amount, FEE_BPS)
        self.transfers[str(tx.return_value)] = {"status": TransferStatus.LOCKED, "held": held, "deadline": deadline}

    def _pick(self, registry, pick, status=None):
        ids = [k for k, v in registry.items() if status is None or v["status"] == status]
        return ids[pick % len(ids)] if ids else None

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
        elif current + MARGIN < record["deadline"]:
            self.escrow.release(transfer_id, {"from": self.lp})
            record["status"] = TransferStatus.RELEASED
        elif current > record["deadline"] + MARGIN:
            with reverts_with("EscrowDeadlinePassed"):
                self.escrow.release(transfer_id, {"from": self.lp})

    @rule(pick=PICK, by_officer=st.booleans())
    def reject(self, pick, by_officer):
        transfer_id = self._pick(self.transfers, pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        by = self.officer if by_officer else self.lp
        if record["status"] != TransferStatus.LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.reject(transfer_id, bytes32("no"), {"from": by})
        else:
            self.escrow.reject(transfer_id, bytes32("no"), {"from": by})
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
            record["status"] = TransferStatus.REFUNDED
        elif current + MARGIN < record["deadline"]:
            with reverts_with("EscrowDeadlineNotReached"):
                self.escrow.refund(transfer_id, {"from": self.keeper})

    # --- HTLC -------------------------------------------------------------------------------------------------

    @rule(amount=AMOUNT, seconds=SECONDS)
    def lock(self, amount, seconds):
        preimage, hashlock = new_secret()
        timelock = now() + seconds + MARGIN
        self.cny.approve(self.htlc, amount, {"from": self.sender})
        tx = self.htlc.lock(self.cny, amount, self.beneficiary, hashlock, timelock, {"from": self.sender})
        self.locks[str(tx.return_value)] = {
            "status": LockStatus.LOCKED,
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
        elif current + MARGIN < record["timelock"]:
            self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
            record["status"] = LockStatus.CLAIMED
        elif current > record["timelock"] + MARGIN:
            with reverts_with("HtlcTimelockExpired"):
                self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})

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
            record["status"] = LockStatus.REFUNDED
        elif current + MARGIN < record["timelock"]:
            with reverts_with("HtlcTimelockNotReached"):
                self.htlc.refund(lock_id, {"from": self.keeper})

    @rule(seconds=SECONDS)
    def time_passes(self, seconds):
        chain.sleep(seconds)
        chain.mine()

    # --- invariants -------------------------------------------------------------------------------------------

    @invariant()
    def escrow_holds_exactly_its_locked_transfers(self):
        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == TransferStatus.LOCKED)
        assert self.cny.balanceOf(self.escrow) == locked
        assert self.hkd.balanceOf(self.escrow) == 0

    @invariant()
    def every_transfer_is_locked_or_final_as_the_ghost_says(self):
        for transfer_id, record in self.transfers.items():
            on_chain = self.escrow.transferOf(transfer_id)
            assert on_chain["status"] == record["status"]
            if record["status"] != TransferStatus.LOCKED:  # final: only the status is kept
                assert on_chain["sourceAmount"] == on_chain["targetAmount"] == on_chain["deadline"] == 0

    @invariant()
    def htlc_holds_exactly_its_open_locks(self):
        open_ = sum(r["amount"] for r in self.locks.values() if r["status"] == LockStatus.LOCKED)
        assert self.cny.balanceOf(self.htlc) == open_
        for lock_id, record in self.locks.items():
            assert self.htlc.lockOf(lock_id)["status"] == record["status"]

    @invariant()
    def nothing_created_or_lost(self):
        for token, supply in self.supply.items():
            assert sum(token.balanceOf(h) for h in self.holders) == supply


@pytest.fixture
def rich_sender(market, cny, issuer, sender, htlc):
    cny.mint(sender, 200_000_00, bytes32("stateful"), {"from": issuer})
    cny.approve(market, 2**255, {"from": sender})
    return sender


def test_crossborder_stateful(
    market,
    htlc,
    cny,
    hkd,
    rich_sender,
    beneficiary,
    liquidity_provider,
    fee_account,
    compliance_officer,
    keeper,
    chain_id,
):
    parties = dict(
        escrow=market, htlc=htlc, cny=cny, hkd=hkd, sender=rich_sender, beneficiary=beneficiary, lp=liquidity_provider,
        fee_account=fee_account, officer=compliance_officer, keeper=keeper, chain_id=chain_id,
    )  # fmt: skip
    run_state_machine(lambda: CrossBorderMachine(**parties), max_examples=10, stateful_step_count=20)
