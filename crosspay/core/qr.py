"""Payment QR codes: static merchant QR (EIP-681) and dynamic QR (the Crosspay payment-intent profile).

Static merchant QR
------------------
A plain EIP-681 ERC-20 transfer that any wallet reads, for pay-to-merchant without the settlement contract::

    ethereum:<token>@<chainId>/transfer?address=<payout>&uint256=<amount>

``amount`` is in the token's minor units (fen, cents) as a plain decimal integer. The amount may be left out
(``static_uri(..., amount=None)``): the payer's wallet then asks for it.

Dynamic QR: the Crosspay payment-intent profile, version 1
----------------------------------------------------------
A card-style payment (authorize / capture, or a one-step charge) through MerchantSettlement. The URI is in EIP-681
syntax (``ethereum:<target>@<chainId>/<function>?<parameters>``), so generic wallets recognise it as a contract call,
while Crosspay wallets build the ``PaymentIntent`` from the parameters::

    ethereum:<settlement>@<chainId>/<mode>?merchantId=<0x + 64 hex>&token=<token>&amount=<uint>
        &orderRef=<0x + 64 hex>&expiresAt=<unix seconds>&v=1

- ``<settlement>``: the MerchantSettlement contract, EIP-55 checksummed.
- ``<chainId>``: decimal chain id; the parser requires the chain it is told to expect.
- ``<mode>``: ``charge`` (a QR sale: authorize and capture at once) or ``authorize`` (funds held until the merchant
  captures, e.g. a deposit).
- ``merchantId``, ``orderRef``: the intent's bytes32 fields, ``0x`` + 64 hex digits.
- ``token``: the deposit token, EIP-55 checksummed.
- ``amount``: minor units, a plain decimal integer from 1 to 2^64 - 1 (the contract's per-payment bound): no sign, no
  fraction, no exponent, no leading zeros.
- ``expiresAt``: unix seconds; the QR is refused once this time is reached (the contract refuses the intent too).
- ``v``: the profile version, ``1``.

Every parameter is required, appears exactly once, and nothing else is allowed; the parameters are written in the
order above. The payer's wallet submits ``<mode>(intent)``, or signs an EIP-3009 ReceiveWithAuthorization (nonce: the
payment id) for a relayer to submit ``<mode>WithAuthorization``.

Parsing is strict: anything malformed raises :class:`QRError` with a message saying what is wrong.

Images: :func:`png` renders a URI as a PNG with segno (error correction M); tests decode it back with zxing-cpp.
"""

import io
import re
import time
from dataclasses import dataclass
from urllib.parse import quote

from eth_utils import is_checksum_address, is_hex_address

from crosspay.core.settlement import MAX_PAYMENT_AMOUNT, PaymentIntent

PROFILE_VERSION = "1"
MODES = ("charge", "authorize")
DYNAMIC_PARAMS = ("merchantId", "token", "amount", "orderRef", "expiresAt", "v")
STATIC_PARAMS = ("address", "uint256")

_URI = re.compile(r"^ethereum:(?P<target>[^@/?]+)@(?P<chain>[^/?]+)/(?P<function>[^?]+)(?:\?(?P<query>.*))?$")
_UINT = re.compile(r"^(0|[1-9][0-9]*)$")
_BYTES32 = re.compile(r"^0x[0-9a-fA-F]{64}$")


class QRError(ValueError):
    """A payment QR URI that is malformed, for another chain, expired, or otherwise not acceptable."""


@dataclass(frozen=True)
class DynamicQR:
    """A parsed dynamic QR: where to pay, how, and the intent."""

    settlement: str
    chain_id: int
    mode: str
    intent: PaymentIntent


@dataclass(frozen=True)
class StaticQR:
    """A parsed static merchant QR."""

    token: str
    chain_id: int
    payout: str
    amount: int | None


# --- building ---------------------------------------------------------------------------------------------------


def static_uri(token, chain_id: int, payout, amount: int | None = None) -> str:
    """EIP-681 ERC-20 transfer URI paying `amount` minor units of `token` to the merchant's `payout`."""
    token, payout = checksummed(token, "token"), checksummed(payout, "payout address")
    uri = f"ethereum:{token}@{int(chain_id)}/transfer?address={payout}"
    if amount is not None:
        uri += f"&uint256={_amount_text(amount)}"
    return uri


def dynamic_uri(settlement, chain_id: int, intent: PaymentIntent, mode: str = "charge") -> str:
    """The Crosspay payment-intent profile URI for `intent`, paid through `settlement` on `chain_id`."""
    if mode not in MODES:
        raise QRError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    settlement = checksummed(settlement, "settlement")
    values = {
        "merchantId": "0x" + intent.merchant_id.hex(),
        "token": checksummed(intent.token, "token"),
        "amount": _amount_text(intent.amount),
        "orderRef": "0x" + intent.order_ref.hex(),
        "expiresAt": str(int(intent.expires_at)),
        "v": PROFILE_VERSION,
    }
    query = "&".join(f"{key}={quote(values[key], safe='')}" for key in DYNAMIC_PARAMS)
    return f"ethereum:{settlement}@{int(chain_id)}/{mode}?{query}"


# --- parsing ------------------------------------------------------------------------------------------------------


def parse_dynamic(uri: str, *, chain_id: int, settlement=None, now: int | None = None) -> DynamicQR:
    """Parses a dynamic QR strictly. `chain_id` is the chain the wallet is on; `settlement`, when given, the only
    contract accepted; `now` (default: the clock) decides expiry."""
    target, chain, function, params = _split(uri, DYNAMIC_PARAMS)
    target = _address(target, "settlement")
    if settlement is not None and target != checksummed(settlement, "expected settlement"):
        raise QRError(f"settlement {target} is not the expected contract {settlement}")
    chain = _chain(chain, chain_id)
    if function not in MODES:
        raise QRError(f"unknown payment mode {function!r}: expected one of {', '.join(MODES)}")
    if params["v"] != PROFILE_VERSION:
        raise QRError(f"unsupported profile version {params['v']!r}: expected {PROFILE_VERSION}")
    expires_at = _uint(params["expiresAt"], "expiresAt")
    current = int(time.time()) if now is None else int(now)
    if expires_at <= current:
        raise QRError(f"payment request expired at {expires_at} (now {current})")
    intent = PaymentIntent(
        _bytes32_parameter(params["merchantId"], "merchantId"),
        _address(params["token"], "token"),
        _amount(params["amount"]),
        _bytes32_parameter(params["orderRef"], "orderRef"),
        expires_at,
    )
    if intent.merchant_id == bytes(32):
        raise QRError("merchantId is zero")
    return DynamicQR(target, chain, function, intent)


def parse_static(uri: str, *, chain_id: int) -> StaticQR:
    """Parses a static merchant QR (an EIP-681 ERC-20 transfer) strictly."""
    target, chain, function, params = _split(uri, STATIC_PARAMS, optional=("uint256",))
    if function != "transfer":
        raise QRError(f"a static merchant QR calls transfer, not {function!r}")
    amount = _amount(params["uint256"]) if "uint256" in params else None
    return StaticQR(_address(target, "token"), _chain(chain, chain_id), _address(params["address"], "address"), amount)


# --- images -------------------------------------------------------------------------------------------------------


def png(uri: str, scale: int = 4) -> bytes:
    """The URI as a PNG QR code (segno, error correction M, 4-module quiet zone)."""
    import segno

    buffer = io.BytesIO()
    segno.make(uri, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def decode_png(data: bytes) -> str:
    """The text of the one QR code in a PNG (zxing-cpp). Raises QRError when there is none."""
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)).convert("L"))
    texts = [result.text for result in results if result.format == zxingcpp.BarcodeFormat.QRCode]
    if len(texts) != 1:
        raise QRError(f"expected one QR code in the image, found {len(texts)}")
    return texts[0]


# --- helpers ------------------------------------------------------------------------------------------------------


def _split(uri: str, allowed: tuple, optional: tuple = ()):
    if not isinstance(uri, str):
        raise QRError("a payment URI must be text")
    match = _URI.match(uri.strip())
    if match is None:
        raise QRError(f"not an EIP-681 URI of the form ethereum:<address>@<chainId>/<function>?...: {uri!r}")
    query = match["query"] or ""
    params = {}
    for part in query.split("&") if query else []:
        key, sep, value = part.partition("=")
        if not sep or not key:
            raise QRError(f"malformed parameter {part!r}")
        if key not in allowed:
            raise QRError(f"unknown parameter {key!r}")
        if key in params:
            raise QRError(f"parameter {key!r} appears more than once")
        if "%" in value:
            raise QRError(f"parameter {key!r} must not be percent-encoded")
        params[key] = value
    missing = [key for key in allowed if key not in params and key not in optional]
    if missing:
        raise QRError(f"missing parameter(s): {', '.join(missing)}")
    return match["target"], match["chain"], match["function"], params


def _chain(text: str, expected: int) -> int:
    chain = _uint(text, "chain id")
    if chain != int(expected):
        raise QRError(f"payment request is for chain {chain}, this wallet is on chain {expected}")
    return chain


def _uint(text: str, what: str) -> int:
    if not _UINT.match(text):
        raise QRError(f"{what} must be a non-negative decimal integer, got {text!r}")
    return int(text)


def _amount(text: str) -> int:
    if text.startswith("-"):
        raise QRError(f"amount must not be negative, got {text!r}")
    if not _UINT.match(text):
        raise QRError(f"amount must be a whole number of minor units (no fraction, exponent or sign), got {text!r}")
    amount = int(text)
    if amount == 0:
        raise QRError("amount must be positive")
    if amount > MAX_PAYMENT_AMOUNT:
        raise QRError(f"amount {amount} is above the largest payment {MAX_PAYMENT_AMOUNT}")
    return amount


def _amount_text(amount) -> str:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise QRError(f"amount must be an integer number of minor units, got {amount!r}")
    return str(_amount(str(amount)))


def _address(text: str, what: str) -> str:
    if not is_hex_address(text):
        raise QRError(f"{what} is not a 20-byte hex address: {text!r}")
    if not is_checksum_address(text):
        raise QRError(f"{what} {text} fails its EIP-55 checksum")
    return text


def checksummed(value, what: str) -> str:
    """`value` as an EIP-55 address, or QRError naming `what` (a bad hex address or a failed checksum)."""
    return _address(str(value), what)


def _bytes32_parameter(text: str, what: str) -> bytes:
    """A bytes32 URI parameter, strictly "0x" and 64 hex digits (crosspay.core.encoding.bytes32 builds one)."""
    if not _BYTES32.match(text):
        raise QRError(f"{what} must be 0x followed by 64 hex digits, got {text!r}")
    return bytes.fromhex(text[2:])
