"""Merchant settlement, off-chain: payment intents, payment ids and the four-party fee split.

Everything here mirrors MerchantSettlement.sol exactly, so scripts, the QR module and tests compute the same
payment id and the same split as the contract, to the minor unit:

- ``payment_id(chain_id, settlement, intent, payer)`` is keccak256(abi.encode(chainId, settlement, intent, payer)),
  the intent encoded as the tuple (merchantId, token, amount, orderRef, expiresAt);
- ``fee_split(amount, mdr_bps, interchange_bps, network_bps)`` is the fee split of one capture: fee F = floor(A * mdr /
  10000), interchange = floor(F * interchange / 10000), network = floor(F * network / 10000), the acquirer gets the
  rest of F and the merchant A - F. Since issue 9 it is also what a payment's captures add up to, whatever their
  sequence: the split of its cumulative captured amount.
- ``capture_credit(captured, amount, ...)`` is what one capture credits (FeeMath.sol): the differences of the
  cumulative split, with the acquirer's residue unit of a payment still open held until it closes; ``held_unit``
  says whether that unit is held for a payment captured up to some amount.

These are the one fee-split oracle off-chain: every test, benchmark and script that predicts a split asks them.

The payment's Status enum is crosspay.core.status.PaymentStatus.
"""

import secrets
from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from crosspay.core.encoding import bytes32

BPS = 10_000
DEFAULT_AUTHORIZATION_PERIOD = 7 * 24 * 3600
DEFAULT_REFUND_PERIOD = 180 * 24 * 3600
MAX_PAYMENT_AMOUNT = 2**64 - 1  # a payment record's amount width (uint64)


def merchant_id(text: str) -> bytes:
    """A merchant id from a short ASCII reference (right-padded to 32 bytes), e.g. merchant_id("MCH-0001")."""
    return bytes32(text)


def order_ref(text: str | None = None) -> bytes:
    """An order reference from short ASCII text, or a random one."""
    return bytes32(text) if text is not None else secrets.token_bytes(32)


@dataclass(frozen=True)
class PaymentIntent:
    """The contract's PaymentIntent: what a payer agrees to pay (and what a dynamic QR code carries)."""

    merchant_id: bytes
    token: str
    amount: int
    order_ref: bytes
    expires_at: int

    def __post_init__(self):
        object.__setattr__(self, "merchant_id", bytes32(self.merchant_id))
        object.__setattr__(self, "order_ref", bytes32(self.order_ref))
        object.__setattr__(self, "token", to_checksum_address(str(self.token)))
        object.__setattr__(self, "amount", int(self.amount))
        object.__setattr__(self, "expires_at", int(self.expires_at))

    def as_tuple(self) -> tuple:
        """The argument brownie passes for the Solidity struct."""
        return (self.merchant_id, self.token, self.amount, self.order_ref, self.expires_at)


def payment_id(chain_id: int, settlement, intent: PaymentIntent, payer) -> bytes:
    """The contract's paymentId(intent, payer), computed off-chain (it is also the EIP-3009 nonce)."""
    encoded = encode(
        ["uint256", "address", "(bytes32,address,uint256,bytes32,uint64)", "address"],
        [int(chain_id), str(settlement), intent.as_tuple(), str(payer)],
    )
    return keccak(encoded)


@dataclass(frozen=True)
class FeeSplit:
    """One capture's four parts; they sum to the captured amount."""

    amount: int
    fee: int
    interchange: int
    network: int
    acquirer: int
    merchant: int


def fee_split(amount: int, mdr_bps: int, interchange_bps: int, network_bps: int) -> FeeSplit:
    """The fee split of capturing `amount` at a merchant discount rate of `mdr_bps`, with the interchange and network
    shares of the fee in force (floor math, as the contract does it)."""
    fee = amount * mdr_bps // BPS
    interchange = fee * interchange_bps // BPS
    network = fee * network_bps // BPS
    return FeeSplit(amount, fee, interchange, network, fee - interchange - network, amount - fee)


@dataclass(frozen=True)
class CaptureCredit:
    """What one capture credits each ledger: `fee` to the merchant's fees (so `merchant` = amount - fee to its pending
    settlement), `interchange`, `network` and `acquirer` to the fee pools, and whether the acquirer's residue unit of
    the payment is held after it (`held`). fee == interchange + network + acquirer + held after - held before."""

    amount: int
    fee: int
    interchange: int
    network: int
    acquirer: int
    merchant: int
    held: bool


def _acquirer_share(fee: int, interchange_bps: int, network_bps: int) -> int:
    """The acquirer's own share of a fee, rounded up: ceil(F * (10000 - i - n) / 10000)."""
    return -(-fee * (BPS - interchange_bps - network_bps) // BPS)


def held_unit(captured: int, mdr_bps: int, interchange_bps: int, network_bps: int) -> bool:
    """Whether the acquirer's residue unit is held for a payment still open with `captured` captured: its one-capture
    part F - I - N is one more than its own share rounded up (the other parts' rounding residues add up past 1)."""
    split = fee_split(captured, mdr_bps, interchange_bps, network_bps)
    return split.acquirer != _acquirer_share(split.fee, interchange_bps, network_bps)


def capture_credit(
    captured: int,
    amount: int,
    mdr_bps: int,
    interchange_bps: int,
    network_bps: int,
    held: bool = False,
    closes: bool = False,
) -> CaptureCredit:
    """The credits of capturing `amount` of a payment with `captured` captured before (its residue unit `held`);
    `closes` when nothing is left to capture after it. Mirrors FeeMath.credit: the differences of the cumulative split
    at the fee split in force; while the payment stays open the acquirer is credited up to its own share rounded up,
    the residue unit (0 or 1) when it closes; no credit is ever negative (after a fee split change between two
    captures, a unit the earlier split credited is kept: the held unit is released, else the interchange, then the
    network difference gives it up)."""
    before = fee_split(captured, mdr_bps, interchange_bps, network_bps)
    after = fee_split(captured + amount, mdr_bps, interchange_bps, network_bps)
    fee = after.fee - before.fee
    interchange = after.interchange - before.interchange
    network = after.network - before.network
    held_after = False if closes else after.acquirer != _acquirer_share(after.fee, interchange_bps, network_bps)
    acquirer = fee - interchange - network + int(held) - int(held_after)
    if acquirer < 0:  # only across a fee split change, by one unit
        if held_after:
            held_after = False
        elif interchange:
            interchange -= 1
        else:
            network -= 1
        acquirer += 1
    return CaptureCredit(amount, fee, interchange, network, acquirer, amount - fee, held_after)
