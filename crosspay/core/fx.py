"""FX quotes: computing them from a rate, and signing them as EIP-712 typed data for the contract that checks them.

Two contracts verify the same `Quote` struct, each under its own EIP-712 domain (its name, version "1", the chain and
its address): CrossBorderEscrow for remittances, MerchantSettlement for cross-currency QR payments
(crosspay.core.crosscurrency builds those quotes). A signature for one contract is worthless at the other.

Rounding rule (the one place it is written down): amounts on chain are integers in minor units, so a quote computed
from a rate is rounded, and it is always rounded against the liquidity provider (LP), by less than one minor unit:

* `quote_from_source`: the sender pays a fixed source amount; the LP delivers
  `target = ceil(source * rate)` (in minor units): the beneficiary never gets less than the rate gives.
* `quote_from_target`: the beneficiary must receive a fixed target amount; the LP is paid
  `source = floor(target / rate)`: the sender never pays more than the rate asks.

The fee a sender is shown is bounded on chain: the sender's app shows the quote with the escrow's fee in force then
(`offer`), the sender approves the total, and `initiate_args` passes the fee shown as `maxFee`, so a fee raised between
the two is refused (EscrowFeeAboveMax) instead of charged.

`rate` is the number of target currency units one source currency unit buys (e.g. 1 CNY = 1.0845 HKD ->
`Decimal("1.0845")`), the LP's spread included. Arithmetic is exact `Decimal` with enough precision for any uint256
amount; floats are refused because they cannot represent most decimal rates.
"""

import secrets
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

from eth_abi import encode
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

from crosspay.core.signing import Signature, domain, sign_typed, struct

# The EIP-712 domain names of the contracts that verify quotes (each contract's name); both are version "1".
ESCROW_DOMAIN = "CrossBorderEscrow"
SETTLEMENT_DOMAIN = "MerchantSettlement"
DOMAIN_VERSION = "1"

QUOTE_TYPES = {
    "Quote": struct("address sourceToken", "address targetToken", "uint256 sourceAmount", "uint256 targetAmount")
    + struct("address liquidityProvider", "uint64 expiresAt", "bytes32 quoteId")
}

# 200 significant digits: far beyond uint256 (78 digits) times any sane rate, so nothing rounds before we say so.
_CONTEXT = Context(prec=200)


@dataclass(frozen=True)
class Quote:
    """An FX quote as the escrow's `Quote` struct (amounts in minor units)."""

    source_token: str
    target_token: str
    source_amount: int
    target_amount: int
    liquidity_provider: str
    expires_at: int
    quote_id: bytes

    def as_tuple(self) -> tuple:
        """The struct as a contract argument, in the Solidity field order."""
        return (
            str(self.source_token),
            str(self.target_token),
            int(self.source_amount),
            int(self.target_amount),
            str(self.liquidity_provider),
            int(self.expires_at),
            bytes(self.quote_id),
        )

    def message(self) -> dict:
        """The EIP-712 message."""
        return dict(zip([field["name"] for field in QUOTE_TYPES["Quote"]], self.as_tuple(), strict=True))

    def replace(self, **changes) -> "Quote":
        return Quote(**{**self.__dict__, **changes})


def new_quote_id() -> bytes:
    """A fresh random 32-byte quote id."""
    return secrets.token_bytes(32)


def quote_domain(verifier, chain_id: int, name: str = ESCROW_DOMAIN) -> dict:
    """The EIP-712 domain under which the contract `verifier` (a contract or an address) named `name` checks quotes on
    `chain_id`: ESCROW_DOMAIN (the default) or SETTLEMENT_DOMAIN."""
    address = verifier if isinstance(verifier, str) else verifier.address
    return domain(name, chain_id, address, DOMAIN_VERSION)


def escrow_domain(escrow, chain_id: int) -> dict:
    """The EIP-712 domain of a CrossBorderEscrow at `escrow` (a contract or an address) on `chain_id`."""
    return quote_domain(escrow, chain_id, ESCROW_DOMAIN)


def settlement_domain(settlement, chain_id: int) -> dict:
    """The EIP-712 domain of a MerchantSettlement at `settlement` (a contract or an address) on `chain_id`."""
    return quote_domain(settlement, chain_id, SETTLEMENT_DOMAIN)


def sign_quote(private_key, quote: Quote, chain_id: int, verifier, name: str = ESCROW_DOMAIN) -> Signature:
    """The liquidity provider's signature over `quote` for the contract `verifier` (named `name`: the escrow unless
    told otherwise) on `chain_id`."""
    return sign_typed(private_key, quote_domain(verifier, chain_id, name), QUOTE_TYPES, quote.message())


def quote_digest(quote: Quote, chain_id: int, verifier, name: str = ESCROW_DOMAIN) -> bytes:
    """The EIP-712 digest of `quote` for the contract `verifier` named `name`: what the LP signs, and what
    MerchantSettlement's `quoteDigest(quote)` returns (the gasless payment's nonce binds it)."""
    signable = encode_typed_data(quote_domain(verifier, chain_id, name), QUOTE_TYPES, quote.message())
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def transfer_id(liquidity_provider: str, quote_id: bytes) -> bytes:
    """The escrow's transfer id: keccak256(abi.encode(liquidityProvider, quoteId))."""
    return keccak(encode(["address", "bytes32"], [to_checksum_address(str(liquidity_provider)), bytes(quote_id)]))


def _decimal_rate(rate) -> Decimal:
    if isinstance(rate, float):
        raise TypeError("pass the rate as a str or Decimal: a float cannot hold most decimal rates exactly")
    value = Decimal(rate)
    if not value.is_finite() or value <= 0:
        raise ValueError(f"the rate must be a positive finite number, got {rate!r}")
    return value


def _scale(source_decimals: int, target_decimals: int) -> Decimal:
    """Target minor units per source minor unit at a rate of 1."""
    return _CONTEXT.power(Decimal(10), target_decimals - source_decimals)


def _require_amount(amount: int, what: str) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"{what} must be a positive integer in minor units, got {amount!r}")
    return amount


def target_for_source(source_amount: int, rate, source_decimals: int = 2, target_decimals: int = 2) -> int:
    """The target amount for a fixed source amount: rounded up (the LP pays any fraction of a minor unit)."""
    exact = _CONTEXT.multiply(
        _CONTEXT.multiply(Decimal(_require_amount(source_amount, "source_amount")), _decimal_rate(rate)),
        _scale(source_decimals, target_decimals),
    )
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def source_for_target(target_amount: int, rate, source_decimals: int = 2, target_decimals: int = 2) -> int:
    """The source amount for a fixed target amount: rounded down (the LP forgoes any fraction of a minor unit)."""
    exact = _CONTEXT.divide(
        Decimal(_require_amount(target_amount, "target_amount")),
        _CONTEXT.multiply(_decimal_rate(rate), _scale(source_decimals, target_decimals)),
    )
    amount = int(exact.to_integral_value(rounding=ROUND_FLOOR))
    if amount == 0:
        raise ValueError(f"{target_amount} minor units are worth less than one source minor unit at rate {rate}")
    return amount


def quote_from_source(source_token, target_token, source_amount, rate, liquidity_provider, expires_at, **options):
    """A quote where the sender pays exactly `source_amount` (see the module's rounding rule). `options`:
    quote_id (default: a fresh one), source_decimals and target_decimals (default 2)."""
    return _quote(source_token, target_token, rate, liquidity_provider, expires_at, source=source_amount, **options)


def quote_from_target(source_token, target_token, target_amount, rate, liquidity_provider, expires_at, **options):
    """A quote where the beneficiary receives exactly `target_amount` (see the module's rounding rule). `options`:
    quote_id (default: a fresh one), source_decimals and target_decimals (default 2)."""
    return _quote(source_token, target_token, rate, liquidity_provider, expires_at, target=target_amount, **options)


def _quote(
    source_token,
    target_token,
    rate,
    liquidity_provider,
    expires_at: int,
    *,
    source: int | None = None,
    target: int | None = None,
    quote_id: bytes | None = None,
    source_decimals: int = 2,
    target_decimals: int = 2,
) -> Quote:
    """The quote for the one fixed amount given (`source` or `target`), the other computed from `rate`."""
    if source is not None:
        target = target_for_source(source, rate, source_decimals, target_decimals)
    else:
        source = source_for_target(target, rate, source_decimals, target_decimals)
    return Quote(
        str(source_token),
        str(target_token),
        source,
        target,
        str(liquidity_provider),
        int(expires_at),
        quote_id if quote_id is not None else new_quote_id(),
    )


def fee_of(source_amount: int, fee_bps: int) -> int:
    """The escrow's fee on top of `source_amount`: floor(source_amount * fee_bps / 10,000), as on chain."""
    return source_amount * fee_bps // 10_000


@dataclass(frozen=True)
class Offer:
    """What a sender's app shows before the sender accepts: the quote, the escrow's fee in force at that moment and the
    total the sender approves. The fee is passed to `initiate` as `maxFee` (see `initiate_args`)."""

    quote: Quote
    fee: int

    @property
    def total(self) -> int:
        """What the sender pays and approves: the source amount and the fee on top."""
        return self.quote.source_amount + self.fee


def offer(quote: Quote, fee_bps: int) -> Offer:
    """The offer shown to the sender for `quote` at the escrow's current `fee_bps` (read `escrow.feeBps()`)."""
    return Offer(quote, fee_of(quote.source_amount, fee_bps))


def initiate_args(offer_: Offer, signature, beneficiary, deadline: int, travel_rule_hash: bytes) -> tuple:
    """The arguments of `CrossBorderEscrow.initiate`, in order, for the offer the sender accepted: the fee it was shown
    is the most it pays (`maxFee`). `signature` is the LP's 65 packed bytes (or a `Signature`)."""
    packed = signature.packed if isinstance(signature, Signature) else bytes(signature)
    return (offer_.quote.as_tuple(), packed, str(beneficiary), int(deadline), bytes(travel_rule_hash), offer_.fee)
