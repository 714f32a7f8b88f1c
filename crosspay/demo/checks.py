"""The demo's closing check, on chain: money is conserved.

- each token's supply is what was minted minus what was redeemed (from its own events);
- MerchantSettlement holds exactly its open authorizations (for a cross-currency payment both legs: the LP's target
  amount not yet captured, in the payment's token, and the payer's source amount not yet converted, in the payer's) +
  the merchants' pending settlements + the fees owed + the balances it holds for accounts (IHeldFunds: what payers that
  could not transact are owed back, and the liquidity providers' balances: their float and what they converted);
- CrossBorderEscrow holds exactly its Locked transfers (source amount + fee) + the fees owed to its fee account (a
  pull ledger) + the funds it holds for owners that could not transact;
- HashedTimelock holds nothing (the story leaves no lock open on this ledger), nor do the two-ledger swap's HTLCs.

Payments and transfers are found from the contracts' own events, so the check does not rely on the story's
bookkeeping.
"""

from __future__ import annotations

from crosspay.core.status import PaymentStatus, TransferStatus
from crosspay.onchain import events


def conservation_problems(system, cast, swap=None) -> list[str]:
    """Every way the chain breaks conservation, one line each (empty when it holds)."""
    problems = []
    settlement, escrow = system.settlement, system.escrow
    payments = [e.args.paymentId for e in events(settlement, "PaymentAuthorized")]
    transfers = [e.args.transferId for e in events(escrow, "TransferInitiated")]
    for symbol, token in system.tokens.items():
        minted = sum(e.args.amount for e in events(token, "Minted"))
        redeemed = sum(e.args.amount for e in events(token, "Redeemed"))
        if token.totalSupply() != minted - redeemed:
            problems.append(f"{symbol}: totalSupply {token.totalSupply()} != minted {minted} - redeemed {redeemed}")

        open_authorizations = 0
        for pid in payments:
            payment = settlement.paymentOf(pid)
            if payment["status"] != PaymentStatus.AUTHORIZED:
                continue
            if payment["token"] == token.address:
                open_authorizations += payment["authorized"] - payment["captured"]  # the uncaptured part is held
            legs = settlement.legsOf(pid)
            if legs["sourceToken"] == token.address:
                open_authorizations += legs["sourceLocked"]  # a cross-currency payment's source leg
        pending = sum(settlement.pendingSettlement(m.id, token) for m in cast.merchants)
        fees = sum(settlement.feesOwed(a.address, token) for a in cast.fee_accounts)
        held_for = sum(settlement.heldBalance(a.address, token) for a in cast.everyone)
        held = token.balanceOf(settlement)
        if held != open_authorizations + pending + fees + held_for:
            problems.append(
                f"MerchantSettlement holds {held} {symbol} but its records say {open_authorizations} authorized "
                f"+ {pending} pending + {fees} fees + {held_for} held for accounts"
            )

        locked = 0
        for tid in transfers:
            transfer = escrow.transferOf(tid)
            if transfer["status"] == TransferStatus.LOCKED and transfer["sourceToken"] == token.address:
                locked += transfer["sourceAmount"] + escrow.feeOf(tid)
        owed = escrow.feesOwed(cast.treasury.address, token)
        held_for = sum(escrow.heldBalance(a.address, token) for a in cast.everyone)
        if token.balanceOf(escrow) != locked + owed + held_for:
            problems.append(
                f"CrossBorderEscrow holds {token.balanceOf(escrow)} {symbol}, its Locked transfers {locked} "
                f"+ fees owed {owed} + held {held_for}"
            )
        if token.balanceOf(system.htlc) != 0:
            problems.append(f"HashedTimelock holds {token.balanceOf(system.htlc)} {symbol} with no open lock")
    if swap is not None:
        after = swap.balances_after
        if after["A HTLC dCNY"] or after["B HTLC dHKD"]:
            problems.append(f"the two-ledger swap left funds locked: {after}")
    return problems
