"""The load mode's model of where every payment's money is, kept in Python beside the chain.

Each transaction the load sends carries the `Effect` it has on the money once mined (a mint, an authorization, a
capture, a settlement, ...). The pipeline applies the effect when the transaction's receipt says it succeeded, and
only then, so the model follows the chain whatever was reverted, retried or dropped. At the end the chain must show,
for every account and record the run touched, what it showed before the run plus the model's change: payers' and
merchants' balances, merchants' pending settlements, the fee ledgers, the held funds (a liquidity provider's float),
what each contract holds, the supplies and every payment's and transfer's status (crosspay.demo.load.checks).

Captures are credited by the one fee oracle, crosspay.core.settlement.capture_credit (the cumulative fee parts, with
the acquirer's residue unit held until the payment closes), and the escrow's fee by crosspay.core.fx.fee_of.

A cross-currency payment (docs/cross-currency.md) is a payment in the merchant's token B carrying the quote it was
paid at: the payer's source amount of A goes to MerchantSettlement, the LP's B is taken from its held balance (its
float) when the payment opens; each capture credits B to the merchant as any capture does and credits the LP the A
it converts (crosspay.core.crosscurrency.Legs.capture); a void or reclaim returns the A not converted to the payer
and the B not captured to the LP's balance (Legs.remainder); a refund at a refund quote takes B out of the merchant's
pending settlement into the LP's balance and pays the payer the quote's A out of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from crosspay.core.crosscurrency import Legs, refund_quote_id
from crosspay.core.fx import Quote, fee_of
from crosspay.core.settlement import capture_credit
from crosspay.core.status import PaymentStatus, TransferStatus


class ModelError(Exception):
    """An effect the contracts would refuse: the load planned something impossible (a bug of the load, not the
    chain's)."""


@dataclass(frozen=True)
class Effect:
    """What a mined transaction does to the money: a Model method's name and its arguments."""

    op: str
    args: tuple = ()


@dataclass(frozen=True)
class Terms:
    """The fee terms in force: interchange and network shares of the merchant discount, the escrow's fee, and who
    collects: each token's issuer fee account, the network, the acquirer and the escrow's fee account."""

    interchange_bps: int
    network_bps: int
    escrow_fee_bps: int
    interchange_account: dict  # token -> address
    network_account: str
    acquirer: str
    escrow_fee_account: str


@dataclass
class Payment:
    payer: str
    merchant_id: bytes
    token: str
    authorized: int
    captured: int = 0
    refunded: int = 0
    status: PaymentStatus = PaymentStatus.AUTHORIZED
    held: bool = False  # the acquirer's residue unit held back until the payment closes (FeeMath)
    quote: Quote | None = None  # a cross-currency payment's quote: the payer paid its source amount of its source token

    @property
    def legs(self) -> Legs | None:
        """A cross-currency payment's two legs: the quote's source amount of A against the authorized amount of B."""
        return Legs(self.quote.source_amount, self.authorized) if self.quote else None


@dataclass
class Transfer:
    sender: str
    beneficiary: str
    liquidity_provider: str
    source_token: str
    target_token: str
    source_amount: int
    target_amount: int
    fee: int
    status: TransferStatus = TransferStatus.LOCKED


@dataclass(frozen=True)
class Merchant:
    id: bytes
    payout: str
    mdr_bps: int


class Model:
    """Changes to the money since the run began. `balance`, `supply`, `pending`, `fees_owed`, `held` and
    `escrow_fees_owed` are deltas; payments and transfers are whole records (the run creates them)."""

    EFFECTS = frozenset(
        {"mint", "transfer", "authorize", "capture", "charge", "void", "reclaim", "refund", "settle", "initiate"}
        | {"release", "escrow_refund", "deposit_liquidity", "refund_cross_currency"}
    )

    def __init__(self, settlement: str, escrow: str, terms: Terms):
        self.settlement, self.escrow, self.terms = settlement, escrow, terms
        self.balance: Counter = Counter()  # (token, holder) -> delta
        self.supply: Counter = Counter()  # token -> delta
        self.pending: Counter = Counter()  # (merchant id, token) -> delta
        self.fees_owed: Counter = Counter()  # (account, token) -> delta, MerchantSettlement's fee ledger
        self.held: Counter = Counter()  # (account, token) -> delta, MerchantSettlement's held funds (LPs' balances)
        self.escrow_fees_owed: Counter = Counter()  # (account, token) -> delta, CrossBorderEscrow's fee ledger
        self.payments: dict[bytes, Payment] = {}
        self.transfers: dict[bytes, Transfer] = {}
        self.merchants: dict[bytes, Merchant] = {}

    def apply(self, effect: Effect) -> None:
        if effect.op not in self.EFFECTS:
            raise ModelError(f"unknown effect {effect.op!r}")
        getattr(self, effect.op)(*effect.args)

    def add_merchant(self, merchant: Merchant) -> None:
        self.merchants[merchant.id] = merchant

    # --- tokens ---------------------------------------------------------------------------------------------------

    def mint(self, token: str, to: str, amount: int) -> None:
        self.balance[token, to] += amount
        self.supply[token] += amount

    def transfer(self, token: str, sender: str, to: str, amount: int) -> None:
        self.balance[token, sender] -= amount
        self.balance[token, to] += amount

    # --- MerchantSettlement ---------------------------------------------------------------------------------------

    def authorize(
        self, payment_id: bytes, payer: str, merchant_id: bytes, token: str, amount: int, quote: Quote | None = None
    ) -> None:
        """A payment of `amount` of `token` held from `payer`; with a `quote`, a cross-currency one: the payer pays the
        quote's source amount of its source token, and the LP's `amount` of `token` leaves its held balance."""
        if payment_id in self.payments:
            raise ModelError(f"payment {payment_id.hex()} exists")
        if merchant_id not in self.merchants:
            raise ModelError(f"merchant {merchant_id!r} is not in the model")
        if quote is None:
            self.transfer(token, payer, self.settlement, amount)
        else:
            if (quote.target_token, quote.target_amount, quote.quote_id) != (token, amount, payment_id):
                raise ModelError(f"the quote {quote.quote_id.hex()} does not price payment {payment_id.hex()}")
            if quote.source_token == token:
                raise ModelError(f"the quote of payment {payment_id.hex()} converts {token} into itself")
            self.transfer(quote.source_token, payer, self.settlement, quote.source_amount)
            self.held[quote.liquidity_provider, token] -= amount
        self.payments[payment_id] = Payment(payer, merchant_id, token, amount, quote=quote)

    def capture(self, payment_id: bytes, amount: int) -> None:
        payment = self._payment(payment_id, PaymentStatus.AUTHORIZED)
        if amount <= 0 or payment.captured + amount > payment.authorized:
            raise ModelError(f"capture of {amount} exceeds what payment {payment_id.hex()} holds")
        terms, merchant = self.terms, self.merchants[payment.merchant_id]
        closes = payment.captured + amount == payment.authorized
        credit = capture_credit(
            payment.captured, amount, merchant.mdr_bps, terms.interchange_bps, terms.network_bps, payment.held, closes
        )
        self.pending[payment.merchant_id, payment.token] += credit.merchant
        self.fees_owed[terms.interchange_account[payment.token], payment.token] += credit.interchange
        self.fees_owed[terms.network_account, payment.token] += credit.network
        self.fees_owed[terms.acquirer, payment.token] += credit.acquirer
        if payment.quote is not None:  # the A this capture converts, to the LP's balance
            quote = payment.quote
            self.held[quote.liquidity_provider, quote.source_token] += payment.legs.capture(payment.captured, amount)
        payment.held = credit.held
        payment.captured += amount
        if payment.captured == payment.authorized:
            payment.status = PaymentStatus.CAPTURED

    def charge(
        self, payment_id: bytes, payer: str, merchant_id: bytes, token: str, amount: int, quote: Quote | None = None
    ) -> None:
        self.authorize(payment_id, payer, merchant_id, token, amount, quote)
        self.capture(payment_id, amount)

    def void(self, payment_id: bytes) -> None:
        self._close(payment_id, PaymentStatus.VOIDED)

    def reclaim(self, payment_id: bytes) -> None:
        self._close(payment_id, PaymentStatus.RECLAIMED)

    def refund(self, payment_id: bytes, amount: int, caller: str) -> None:
        payment = self._refundable(payment_id, amount)
        if payment.quote is not None:
            raise ModelError(f"payment {payment_id.hex()} is cross-currency: it is refunded at a refund quote")
        self._debit_refund(payment, amount, caller)
        self.transfer(payment.token, self.settlement, payment.payer, amount)

    def refund_cross_currency(self, payment_id: bytes, quote: Quote, caller: str) -> None:
        """A refund of `quote.source_amount` of the payment's token B at the refund `quote`: B out of the merchant's
        pending settlement (a shortfall from `caller`) to the LP's balance; the quote's A from it to the payer."""
        payment = self._refundable(payment_id, quote.source_amount)
        if payment.quote is None:
            raise ModelError(f"payment {payment_id.hex()} is not cross-currency")
        if (quote.source_token, quote.target_token) != (payment.token, payment.quote.source_token):
            raise ModelError(f"the refund quote {quote.quote_id.hex()} converts other tokens")
        if quote.quote_id != refund_quote_id(payment_id, payment.refunded):
            raise ModelError(f"the refund quote {quote.quote_id.hex()} is not for the next refund of this payment")
        self._debit_refund(payment, quote.source_amount, caller)
        self.held[quote.liquidity_provider, payment.token] += quote.source_amount
        self.held[quote.liquidity_provider, quote.target_token] -= quote.target_amount
        self.transfer(quote.target_token, self.settlement, payment.payer, quote.target_amount)

    def deposit_liquidity(self, provider: str, token: str, amount: int) -> None:
        """An LP's float: `amount` of `token` from its wallet to its balance held in MerchantSettlement."""
        if amount <= 0:
            raise ModelError(f"a deposit of {amount}")
        self.transfer(token, provider, self.settlement, amount)
        self.held[provider, token] += amount

    def settle(self, token: str, merchant_ids: tuple) -> None:
        """Every listed merchant (each created by the run, so nothing was pending before it) is paid its whole pending
        settlement."""
        for merchant_id in merchant_ids:
            owed = self.pending[merchant_id, token]
            self.pending[merchant_id, token] -= owed
            self.transfer(token, self.settlement, self.merchants[merchant_id].payout, owed)

    # --- CrossBorderEscrow ----------------------------------------------------------------------------------------

    def initiate(self, transfer_id: bytes, transfer: Transfer) -> None:
        if transfer_id in self.transfers:
            raise ModelError(f"transfer {transfer_id.hex()} exists")
        if transfer.fee != fee_of(transfer.source_amount, self.terms.escrow_fee_bps):
            raise ModelError(f"transfer {transfer_id.hex()} carries fee {transfer.fee}, the escrow charges another")
        self.transfers[transfer_id] = Transfer(**transfer.__dict__)
        self.transfer(transfer.source_token, transfer.sender, self.escrow, transfer.source_amount + transfer.fee)

    def release(self, transfer_id: bytes) -> None:
        t = self._transfer(transfer_id)
        self.transfer(t.target_token, t.liquidity_provider, t.beneficiary, t.target_amount)
        self.transfer(t.source_token, self.escrow, t.liquidity_provider, t.source_amount)
        self.escrow_fees_owed[self.terms.escrow_fee_account, t.source_token] += t.fee
        t.status = TransferStatus.RELEASED

    def escrow_refund(self, transfer_id: bytes) -> None:
        t = self._transfer(transfer_id)
        self.transfer(t.source_token, self.escrow, t.sender, t.source_amount + t.fee)
        t.status = TransferStatus.REFUNDED

    # --- what the contracts hold ----------------------------------------------------------------------------------

    def held_for_payments(self, token: str) -> int:
        """What MerchantSettlement holds for the run's open authorizations in `token`: the uncaptured part (a
        cross-currency payment's: the LP's B not captured, and the payer's A not converted), and the acquirer's residue
        unit a partly captured payment holds back until it closes."""
        held = 0
        for p in self.payments.values():
            if p.status != PaymentStatus.AUTHORIZED:
                continue
            if p.token == token:
                held += p.authorized - p.captured + int(p.held)
            if p.quote is not None and p.quote.source_token == token:
                held += p.legs.remainder(p.captured)[0]
        return held

    def owed_by_settlement(self, token: str) -> int:
        """Everything MerchantSettlement owes in `token` because of the run: open authorizations, pending settlements,
        fees and held funds. Its balance of `token` must have changed by exactly this much."""
        pending = sum(v for (_, t), v in self.pending.items() if t == token)
        fees = sum(v for (_, t), v in self.fees_owed.items() if t == token)
        held = sum(v for (_, t), v in self.held.items() if t == token)
        return self.held_for_payments(token) + pending + fees + held

    # --- private --------------------------------------------------------------------------------------------------

    def _payment(self, payment_id: bytes, status: PaymentStatus) -> Payment:
        payment = self.payments.get(payment_id)
        if payment is None or payment.status != status:
            raise ModelError(f"payment {payment_id.hex()} is not {status.name}")
        return payment

    def _close(self, payment_id: bytes, status: PaymentStatus) -> None:
        payment = self._payment(payment_id, PaymentStatus.AUTHORIZED)
        if payment.quote is None:
            self.transfer(payment.token, self.settlement, payment.payer, payment.authorized - payment.captured)
        else:  # both legs released: the A not converted to the payer, the B not captured to the LP's balance
            quote = payment.quote
            to_payer, to_provider = payment.legs.remainder(payment.captured)
            self.transfer(quote.source_token, self.settlement, payment.payer, to_payer)
            self.held[quote.liquidity_provider, payment.token] += to_provider
        if payment.held:  # closing pays the acquirer the residue unit its fee held back
            self.fees_owed[self.terms.acquirer, payment.token] += 1
            payment.held = False
        payment.status = status

    def _refundable(self, payment_id: bytes, amount: int) -> Payment:
        payment = self.payments.get(payment_id)
        if payment is None or payment.captured - payment.refunded < amount or amount <= 0:
            raise ModelError(f"refund of {amount} exceeds what payment {payment_id and payment_id.hex()} captured")
        return payment

    def _debit_refund(self, payment: Payment, amount: int, caller: str) -> None:
        """A refund's `amount` out of the merchant's pending settlement, the shortfall pulled from `caller`."""
        key = (payment.merchant_id, payment.token)
        from_pending = min(amount, self.pending[key])
        self.pending[key] -= from_pending
        self.transfer(payment.token, caller, self.settlement, amount - from_pending)
        payment.refunded += amount

    def _transfer(self, transfer_id: bytes) -> Transfer:
        t = self.transfers.get(transfer_id)
        if t is None or t.status != TransferStatus.LOCKED:
            raise ModelError(f"transfer {transfer_id.hex()} is not LOCKED")
        return t
