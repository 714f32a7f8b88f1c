"""Merchant settlement, off-chain: payment intents, payment ids, the four-party fee split, and deployment.

Everything here mirrors MerchantSettlement.sol exactly, so scripts, the QR module and tests compute the same
payment id and the same split as the contract, to the minor unit:

- ``payment_id(chain_id, settlement, intent, payer)`` is keccak256(abi.encode(chainId, settlement, intent, payer)),
  the intent encoded as the tuple (merchantId, token, amount, orderRef, expiresAt);
- ``split(amount, mdr_bps, interchange_bps, network_bps)`` is the fee split of one capture: fee F = floor(A * mdr /
  10000), interchange = floor(F * interchange / 10000), network = floor(F * network / 10000), the acquirer gets the
  rest of F and the merchant A - F.

Contract containers come from the loaded brownie project: call ``deploy_settlement`` inside tests or scripts run with
``brownie run``.
"""

from dataclasses import dataclass
import secrets

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

BPS = 10_000
DEFAULT_AUTHORIZATION_PERIOD = 7 * 24 * 3600
DEFAULT_REFUND_PERIOD = 180 * 24 * 3600
MAX_PAYMENT_AMOUNT = 2**64 - 1  # a payment record's amount width (uint64)

# The contract's Status enum.
NONE, AUTHORIZED, CAPTURED, VOIDED, RECLAIMED = range(5)
STATUS_NAMES = ("None", "Authorized", "Captured", "Voided", "Reclaimed")


def _bytes32(value) -> bytes:
    if isinstance(value, str):
        raw = bytes.fromhex(value[2:]) if value.startswith("0x") else value.encode()
    else:
        raw = bytes(value)
    if len(raw) > 32:
        raise ValueError(f"{value!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")


def merchant_id(text: str) -> bytes:
    """A merchant id from a short ASCII reference (right-padded to 32 bytes), e.g. merchant_id("MCH-0001")."""
    return _bytes32(text)


def order_ref(text: str | None = None) -> bytes:
    """An order reference from short ASCII text, or a random one."""
    return _bytes32(text) if text is not None else secrets.token_bytes(32)


@dataclass(frozen=True)
class PaymentIntent:
    """The contract's PaymentIntent: what a payer agrees to pay (and what a dynamic QR code carries)."""

    merchant_id: bytes
    token: str
    amount: int
    order_ref: bytes
    expires_at: int

    def __post_init__(self):
        object.__setattr__(self, "merchant_id", _bytes32(self.merchant_id))
        object.__setattr__(self, "order_ref", _bytes32(self.order_ref))
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


def split(amount: int, mdr_bps: int, interchange_bps: int, network_bps: int) -> FeeSplit:
    """The fee split of capturing `amount` (floor math, as the contract does it)."""
    fee = amount * mdr_bps // BPS
    interchange = fee * interchange_bps // BPS
    network = fee * network_bps // BPS
    return FeeSplit(amount, fee, interchange, network, fee - interchange - network, amount - fee)


def _project():
    import brownie  # late: the project's containers exist only once brownie loaded it

    return brownie


def deploy_settlement(
    registry,
    admin,
    network_fee_account,
    *,
    kyc_officer=None,
    acquirers=(),
    settlers=(),
    tokens=(),
    fee_split=None,
    jurisdiction=b"CN",
    verified_for=365 * 24 * 3600,
    tx_params=None,
):
    """A MerchantSettlement with its roles granted.

    acquirers / settlers: accounts granted ACQUIRER_ROLE / SETTLER_ROLE. tokens: (token, issuer_fee_account) pairs to
    accept. fee_split: (interchange_bps, network_bps). With `kyc_officer`, the settlement contract is verified in the
    registry (deposit tokens only let verified spenders use transferFrom).
    """
    brownie = _project()
    params = {"from": admin, **(tx_params or {})}
    settlement = brownie.MerchantSettlement.deploy(registry, admin, network_fee_account, params)
    for acquirer in acquirers:
        settlement.grantRole(settlement.ACQUIRER_ROLE(), acquirer, params)
    for settler in settlers:
        settlement.grantRole(settlement.SETTLER_ROLE(), settler, params)
    for token, issuer_fee_account in tokens:
        settlement.setToken(token, issuer_fee_account, True, params)
    if fee_split is not None:
        settlement.setFeeSplit(*fee_split, params)
    if kyc_officer is not None:
        expires = brownie.chain.time() + verified_for
        registry.setVerified(settlement, jurisdiction, expires, {"from": kyc_officer, **(tx_params or {})})
    return settlement


def authorize_with_permit(settlement, token, intent: PaymentIntent, payer, permit_deadline: int, permit_signature,
                          capture_now: bool = False, tx_params=None):
    """The payer's permit + authorize (or charge) flow, tolerant of a front-run permit.

    A permit is public once broadcast: anyone may submit it first, which spends its nonce, so the payer's own permit
    transaction then reverts. The allowance it grants is the same whoever submitted it, so the flow skips the permit
    when the allowance already covers the intent, and treats a reverted permit as harmless if the allowance covers it
    afterwards. Returns the authorize (or charge) receipt.
    """
    brownie = _project()
    params = {"from": payer, **(tx_params or {})}
    if token.allowance(payer, settlement) < intent.amount:
        try:
            token.permit(payer, settlement, intent.amount, permit_deadline, *permit_signature.as_args(), params)
        except brownie.exceptions.VirtualMachineError:
            if token.allowance(payer, settlement) < intent.amount:
                raise
    method = settlement.charge if capture_now else settlement.authorize
    return method(intent.as_tuple(), params)
