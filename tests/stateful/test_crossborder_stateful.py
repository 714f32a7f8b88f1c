"""Stateful test of the escrow and the HTLC against a Python ghost model.

Random sequences of initiate / release / reject / refund / lock / claim / refund / time passing. After every step:
* the escrow's balance of each token == the sum of its Locked transfers' (sourceAmount + fee);
* every transfer's on-chain status is the ghost's: Locked, or exactly one of Released / Refunded, never moving back,
  and a final record keeps only its status;
* the HTLC's balance == the sum of its open locks; a lock is claimed once or refunded once, never both;
* no token is created or lost: the participants' and contracts' balances add up to what was minted.
"""


import pytest
from hypothesis import assume
from hypothesis import strategies as st
from brownie import chain
from brownie.test import strategy

from crosspay.core import fx
from crosspay.core.htlc import new_secret
from fixtures.crossborder import FEE_BPS, HOUR, RATE, now
from helpers import bytes32, reverts_with

LOCKED, RELEASED, REFUNDED = 1, 2, 3
CLAIMED = 2
MARGIN = 5  # seconds: rules too close to a deadline (block time is not known to the second) are skipped


class CrossBorderMachine:
    st_amount = strategy("uint256", min_value=1, max_value=2_000_00)
    st_pick = strategy("uint256", max_value=10**6)
    st_seconds = strategy("uint256", min_value=1, max_value=2 * HOUR)
    st_bool = strategy("bool")
    st_padding = st.lists(st.integers(min_value=0, max_value=255), min_size=64, max_size=64)

    def __init__(cls, escrow, htlc, cny, hkd, sender, beneficiary, lp, fee_account, officer, keeper, chain_id):
        cls.escrow, cls.htlc, cls.cny, cls.hkd = escrow, htlc, cny, hkd
        cls.sender, cls.beneficiary, cls.lp = sender, beneficiary, lp
        cls.fee_account, cls.officer, cls.keeper, cls.chain_id = fee_account, officer, keeper, chain_id
        cls.holders = [sender, beneficiary, lp, fee_account, escrow, htlc]

    def initialize_full_length(self, st_padding):
        """Refuses hypothesis's zero-extended warm-up examples so that every example runs its full length (see
        tests/helpers.full_length_examples)."""
        assume(st_padding[-1] != 0)

    def setup(self):
        self.transfers = {}  # id -> dict(status, held, deadline)
        self.locks = {}  # id -> dict(status, amount, timelock, preimage)
        self.supply = {t: sum(t.balanceOf(h) for h in self.holders) for t in (self.cny, self.hkd)}

    # --- escrow -----------------------------------------------------------------------------------------------

    def rule_initiate(self, st_amount, st_seconds):
        quote = fx.quote_from_source(self.cny, self.hkd, st_amount, RATE, self.lp, now() + HOUR)
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain_id, self.escrow).packed
        deadline = now() + st_seconds + MARGIN
        tx = self.escrow.initiate(quote.as_tuple(), signature, self.beneficiary, deadline, bytes32("t"),
                                  {"from": self.sender})
        held = st_amount + fx.fee_of(st_amount, FEE_BPS)
        self.transfers[str(tx.return_value)] = {"status": LOCKED, "held": held, "deadline": deadline}

    def _pick(self, registry, st_pick, status=None):
        ids = [k for k, v in registry.items() if status is None or v["status"] == status]
        return ids[st_pick % len(ids)] if ids else None

    def rule_release(self, st_pick):
        transfer_id = self._pick(self.transfers, st_pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        current = now()
        if record["status"] != LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.release(transfer_id, {"from": self.lp})
        elif current + MARGIN < record["deadline"]:
            self.escrow.release(transfer_id, {"from": self.lp})
            record["status"] = RELEASED
        elif current > record["deadline"] + MARGIN:
            with reverts_with("EscrowDeadlinePassed"):
                self.escrow.release(transfer_id, {"from": self.lp})

    def rule_reject(self, st_pick, st_bool):
        transfer_id = self._pick(self.transfers, st_pick)
        if transfer_id is None:
            return
        record = self.transfers[transfer_id]
        by = self.officer if st_bool else self.lp
        if record["status"] != LOCKED:
            with reverts_with("EscrowUnexpectedStatus"):
                self.escrow.reject(transfer_id, bytes32("no"), {"from": by})
        else:
            self.escrow.reject(transfer_id, bytes32("no"), {"from": by})
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
            record["status"] = REFUNDED
        elif current + MARGIN < record["deadline"]:
            with reverts_with("EscrowDeadlineNotReached"):
                self.escrow.refund(transfer_id, {"from": self.keeper})

    # --- HTLC -------------------------------------------------------------------------------------------------

    def rule_lock(self, st_amount, st_seconds):
        preimage, hashlock = new_secret()
        timelock = now() + st_seconds + MARGIN
        self.cny.approve(self.htlc, st_amount, {"from": self.sender})
        tx = self.htlc.lock(self.cny, st_amount, self.beneficiary, hashlock, timelock, {"from": self.sender})
        self.locks[str(tx.return_value)] = {"status": LOCKED, "amount": st_amount, "timelock": timelock,
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
        elif current + MARGIN < record["timelock"]:
            self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})
            record["status"] = CLAIMED
        elif current > record["timelock"] + MARGIN:
            with reverts_with("HtlcTimelockExpired"):
                self.htlc.claim(lock_id, record["preimage"], {"from": self.keeper})

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
            record["status"] = REFUNDED
        elif current + MARGIN < record["timelock"]:
            with reverts_with("HtlcTimelockNotReached"):
                self.htlc.refund(lock_id, {"from": self.keeper})

    def rule_time_passes(self, st_seconds):
        chain.sleep(st_seconds)
        chain.mine()

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_escrow_holds_exactly_its_locked_transfers(self):
        locked = sum(r["held"] for r in self.transfers.values() if r["status"] == LOCKED)
        assert self.cny.balanceOf(self.escrow) == locked
        assert self.hkd.balanceOf(self.escrow) == 0

    def invariant_every_transfer_is_locked_or_final_as_the_ghost_says(self):
        for transfer_id, record in self.transfers.items():
            on_chain = self.escrow.transferOf(transfer_id)
            assert on_chain[0] == record["status"]
            if record["status"] != LOCKED:
                assert on_chain[5] == on_chain[6] == on_chain[8] == 0  # final: only the status is kept

    def invariant_htlc_holds_exactly_its_open_locks(self):
        open_ = sum(r["amount"] for r in self.locks.values() if r["status"] == LOCKED)
        assert self.cny.balanceOf(self.htlc) == open_
        for lock_id, record in self.locks.items():
            assert self.htlc.lockOf(lock_id)[0] == record["status"]

    def invariant_nothing_created_or_lost(self):
        for token, supply in self.supply.items():
            assert sum(token.balanceOf(h) for h in self.holders) == supply


@pytest.fixture
def rich_sender(market, cny, issuer, sender, htlc):
    cny.mint(sender, 200_000_00, bytes32("stateful"), {"from": issuer})
    cny.approve(market, 2**255, {"from": sender})
    return sender


def test_crossborder_stateful(state_machine, market, htlc, cny, hkd, rich_sender, beneficiary, liquidity_provider,
                              fee_account, compliance_officer, keeper, chain_id):
    state_machine(
        CrossBorderMachine, market, htlc, cny, hkd, rich_sender, beneficiary, liquidity_provider, fee_account,
        compliance_officer, keeper, chain_id,
        settings={"max_examples": 10, "stateful_step_count": 20},
    )
