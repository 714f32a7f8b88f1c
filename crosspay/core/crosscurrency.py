"""Cross-currency QR payments, off-chain: the quotes, the gasless nonce and the exact amounts of each leg.

A payer holding token A (dCNY) pays a merchant whose QR states an amount in token B (dHKD). An allowed liquidity
provider (LP) signs an EIP-712 `Quote` (crosspay.core.fx's struct, under MerchantSettlement's domain) converting A into
B; MerchantSettlement locks both legs at authorization (the payer's A, the LP's B) and converts what is captured at the
locked quote. Everything here mirrors the contract to the minor unit (docs/cross-currency.md is the design):

- **The payment quote prices one payment.** Its target is the intent's token and amount (fixed: the QR's), its
  `quoteId` is the payment id, `crosspay.core.settlement.payment_id(chain, settlement, intent, payer)`. So a quote
  pays exactly one payment, once: its replay marker is the payment record itself, and a payment (an intent paid by a
  payer) exists once, whatever its currency.
- **The refund quote prices one refund.** Source B (what the merchant refunds, which the LP receives), target A (what
  the payer receives); its `quoteId` is `refund_quote_id(payment_id, refunded)`, the payment and the amount refunded
  before it, so it pays exactly one refund of one payment.
- **The gasless nonce binds the intent, the quote and the mode**: `authorization_nonce(payment_id, quote_digest,
  is_charge)`; a relayer can swap neither the QR's intent nor the quote, nor turn an authorization into a charge.
- **Exact partial amounts.** For a payment of target amount T (B) against a source amount S (A), the A owed to the LP
  once C of B is captured (in total) is `source_owed(C) = floor(C * S / T)`; each capture credits the LP the
  difference of that cumulative amount, and a void or reclaim returns `S - source_owed(C)` of A to the payer and
  `T - C` of B to the LP. Each leg therefore adds up to exactly what was locked. The rounding unit (less than one
  minor unit of A, once per payment, not once per capture) stays with the payer: the same rule as crosspay.core.fx,
  every quote rounded against the LP.

Rates, as in crosspay.core.fx, are target units per source unit, the LP's spread included: a payment quote's rate is B
per A (1 CNY = 1.0845 HKD -> "1.0845"), a refund quote's is A per B.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak

from crosspay.core import fx
from crosspay.core.encoding import bytes32
from crosspay.core.settlement import MAX_PAYMENT_AMOUNT, PaymentIntent, payment_id


def payment_quote(
    intent: PaymentIntent,
    payer,
    *,
    chain_id: int,
    settlement,
    source_token,
    rate,
    liquidity_provider,
    expires_at: int,
    source_decimals: int = 2,
    target_decimals: int = 2,
) -> fx.Quote:
    """The LP's quote for `payer` paying `intent` in `source_token`: the target is the intent's token and amount, the
    source `fx.source_for_target` of it at `rate` (rounded down: the payer never pays more than the rate asks), the
    quote id the payment id. `expires_at` must cover the authorization's expiry for an authorization (the contract
    refuses a quote that does not)."""
    address = settlement if isinstance(settlement, str) else settlement.address
    return fx.Quote(
        str(source_token),
        intent.token,
        fx.source_for_target(intent.amount, rate, source_decimals, target_decimals),
        intent.amount,
        str(liquidity_provider),
        int(expires_at),
        payment_id(chain_id, address, intent, payer),
    )


def refund_quote_id(payment_id_: bytes, refunded: int) -> bytes:
    """The id a refund quote must carry: keccak256(abi.encode(paymentId, refunded)), `refunded` being what the payment
    had refunded (in B) before this refund. A refund raises it, so the quote cannot be used twice."""
    return keccak(encode(["bytes32", "uint256"], [bytes32(payment_id_), int(refunded)]))


def refund_quote(
    payment_id_: bytes,
    refunded: int,
    *,
    amount: int,
    target_token,
    source_token,
    rate,
    liquidity_provider,
    expires_at: int,
    target_decimals: int = 2,
    source_decimals: int = 2,
) -> fx.Quote:
    """The LP's quote for refunding `amount` of B (`target_token`, the payment's token: the quote's source) to the
    payer in A (`source_token`, what the payer paid in: the quote's target) at `rate` (A per B) at refund time: the LP
    receives the B refunded and pays the payer `fx.target_for_source` of it (rounded up: the payer never gets less
    than the rate gives). `refunded` is what the payment had refunded before (`paymentOf(id)["refunded"]`)."""
    return fx.Quote(
        str(target_token),
        str(source_token),
        int(amount),
        fx.target_for_source(amount, rate, target_decimals, source_decimals),
        str(liquidity_provider),
        int(expires_at),
        refund_quote_id(payment_id_, refunded),
    )


def authorization_nonce(payment_id_: bytes, quote_digest: bytes, is_charge: bool) -> bytes:
    """The EIP-3009 nonce a payer signs for a gasless cross-currency payment: keccak256(abi.encode(paymentId,
    quoteDigest, isCharge)), with `quote_digest` from
    `fx.quote_digest(quote, chain_id, settlement, fx.SETTLEMENT_DOMAIN)`."""
    return keccak(
        encode(["bytes32", "bytes32", "bool"], [bytes32(payment_id_), bytes32(quote_digest), bool(is_charge)])
    )


def source_owed(captured: int, source_amount: int, target_amount: int) -> int:
    """The A owed to the LP once `captured` of the B target amount is captured in total: floor(C * S / T)."""
    _require_legs(source_amount, target_amount)
    if not 0 <= captured <= target_amount:
        raise ValueError(f"captured {captured} is outside 0..{target_amount}")
    return captured * source_amount // target_amount


@dataclass(frozen=True)
class Legs:
    """The two legs a cross-currency payment locks: `source_amount` of A (the payer's) and `target_amount` of B (the
    LP's, the payment's authorized amount)."""

    source_amount: int
    target_amount: int

    def __post_init__(self):
        _require_legs(self.source_amount, self.target_amount)

    def owed(self, captured: int) -> int:
        """The A the LP has been credited once `captured` of B is captured in total."""
        return source_owed(captured, self.source_amount, self.target_amount)

    def capture(self, captured_before: int, amount: int) -> int:
        """The A one capture of `amount` credits the LP, after `captured_before` was captured: the difference of the
        cumulative amount owed, so any sequence of captures credits what one capture of the total would."""
        return self.owed(captured_before + amount) - self.owed(captured_before)

    def remainder(self, captured: int) -> tuple[int, int]:
        """What a void or reclaim returns after `captured` of B was captured: (A to the payer, B to the LP)."""
        return self.source_amount - self.owed(captured), self.target_amount - captured


def _require_legs(source_amount: int, target_amount: int) -> None:
    for name, value in (("source_amount", source_amount), ("target_amount", target_amount)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_PAYMENT_AMOUNT:
            raise ValueError(f"{name} must be a positive integer up to {MAX_PAYMENT_AMOUNT}, got {value!r}")
