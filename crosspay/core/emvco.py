"""EMVCo merchant-presented QR codes (EMV QRCPS, Merchant-Presented Mode) that carry Crosspay's merchant account
template: the encoder, the strict decoder, and the payment intent a payer's app builds from a scanned code.

docs/emvco.md is the profile for integrators. In short:

- A payload is a run of data objects: ID (2 digits), length (2 digits, 01-99, the value's length in characters),
  value. Templates (merchant accounts 26-51, additional data 62, language 64, unreserved 80-99) nest data objects
  the same way. 00 (payload format indicator, "01") comes first. 63 (the CRC) comes last: CRC-16/CCITT-FALSE over
  the UTF-8 bytes of everything up to and including "6304", written as 4 upper-case hex digits.
- Crosspay's merchant account template sits at an ID in 26-51 (26 unless told otherwise). It is found by its
  globally unique identifier, sub-ID 00 = "io.crosspay". Sub-ID 01 is the chain id (decimal), 02 the
  MerchantSettlement contract (EIP-55), 03 the merchant id text (on chain: that text padded to 32 bytes), 04 the
  expiry in unix seconds (dynamic QRs only), 05 "A" for an authorization (dynamic QRs only; absent: a charge).
  A template holds at most 99 characters, so the merchant id's room depends on the rest: see
  :func:`longest_merchant_id`.
- Every other object is kept verbatim: other schemes' accounts (UnionPay's 15, an FPS template), unknown 62
  sub-objects, RFU and unreserved templates. The order the payload was written in is remembered too, so
  ``encode(decode(payload)) == payload`` byte for byte, and one sticker pays through either scheme.

Anything malformed raises :class:`crosspay.qr.QRError` with one line saying what is wrong.
"""

import binascii
import re
import time
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from crosspay.core.iso import Currency, currency_of
from crosspay.core.qr import QRError, checksummed, decode_png, png
from crosspay.core.settlement import MAX_PAYMENT_AMOUNT, PaymentIntent, order_ref
from crosspay.core.settlement import merchant_id as _merchant_id32

__all__ = [
    "AUTHORIZE",
    "CHARGE",
    "Currency",
    "CrosspayAccount",
    "GUID",
    "Initiation",
    "Layout",
    "MerchantLanguage",
    "MerchantQR",
    "checksum",
    "decode",
    "encode",
    "format_amount",
    "iso4217",
    "longest_merchant_id",
    "parse_amount",
    "render",
    "scan",
]

GUID = "io.crosspay"
DEFAULT_TEMPLATE_ID = "26"
CHARGE, AUTHORIZE = "charge", "authorize"  # the payment modes, named as in crosspay.qr
MODES = (CHARGE, AUTHORIZE)
MAX_VALUE_LENGTH = 99  # a data object's two length digits
MAX_PAYLOAD_LENGTH = 512  # Crosspay's cap on a whole payload (its own QRs are about 260 characters)
MAX_MERCHANT_ID_BYTES = 32  # the on-chain merchant id is bytes32
_AUTHORIZE_CODE = "A"
_UINT64_MAX = 2**64 - 1  # the PaymentIntent's expiresAt width

_ID = re.compile(r"[0-9]{2}")
_DECIMAL = re.compile(r"[1-9][0-9]*")
_ANS = re.compile(r"[\x20-\x7e]*")  # EMV Book 4's common character set: printable ASCII
_CRC = re.compile(r"[0-9A-F]{4}")
_AMOUNT = re.compile(r"(?P<units>[0-9]+)(?:\.(?P<fraction>[0-9]*))?")
_PERCENTAGE = re.compile(r"[0-9]{1,2}(?:\.[0-9]{0,2})?")


class Initiation(StrEnum):
    """The point of initiation method (01)."""

    STATIC = "11"  # one code for many payments: a sticker at the till
    DYNAMIC = "12"  # a new code for each payment: the till's screen


# --- ISO 4217 (the table is crosspay.core.iso's) -------------------------------------------------------------------


def iso4217(code: str) -> Currency:
    """The currency of an ISO 4217 alpha ("HKD") or numeric ("344") code; QRError for one Crosspay does not know."""
    try:
        return currency_of(code)
    except ValueError as exc:
        raise QRError(str(exc)) from None


def format_amount(amount: int, currency: str) -> str:
    """Minor units as 54 writes them: '.' as the decimal mark and exactly the currency's decimals (8800 HKD ->
    '88.00', 1500 JPY -> '1500')."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise QRError(f"amount must be a positive whole number of minor units, got {amount!r}")
    decimals = iso4217(currency).minor_units
    text = str(amount) if decimals == 0 else f"{amount // 10**decimals}.{amount % 10**decimals:0{decimals}d}"
    if len(text) > 13:
        raise QRError(f"amount {text} {currency} is {len(text)} characters; 54 holds at most 13")
    return text


def parse_amount(text: str, currency: str, what: str = "amount (54)") -> int:
    """The minor units an amount text stands for. EMVCo allows "98.73", "98" and "98." (digits, at most one '.'
    as the decimal mark, at most the currency's decimals, not zero, at most 13 characters)."""
    decimals = iso4217(currency).minor_units
    match = _AMOUNT.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise QRError(f"{what} must be digits with at most one '.' as the decimal mark, got {text!r}")
    if len(text) > 13:
        raise QRError(f"{what} is {len(text)} characters; at most 13")
    fraction = match["fraction"] or ""
    if len(fraction) > decimals:
        raise QRError(f"{what} {text!r} has {len(fraction)} decimals; {currency} has {decimals}")
    amount = int(match["units"] + fraction.ljust(decimals, "0"))
    if amount == 0:
        raise QRError(f"{what} must not be zero")
    return amount


# --- the CRC and data objects -------------------------------------------------------------------------------------


def checksum(text: str) -> str:
    """The CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of `text`'s UTF-8 bytes as 4 upper-case hex digits, as 63
    carries it; `text` is the payload up to and including "6304"."""
    return f"{binascii.crc_hqx(text.encode('utf-8'), 0xFFFF):04X}"


def _tlv(object_id: str, value: str) -> str:
    if len(value) > MAX_VALUE_LENGTH:
        raise QRError(f"data object {object_id} would be {len(value)} characters; at most {MAX_VALUE_LENGTH}")
    return f"{object_id}{len(value):02d}{value}"


def _parse_objects(text: str, where: str, unique: bool = True) -> list[tuple[str, str]]:
    """The data objects of a payload or template, in order; refuses a bad ID or length, and a duplicated ID unless
    `unique` is False."""
    objects, position = [], 0
    while position < len(text):
        head = text[position : position + 4]
        if len(head) < 4:
            raise QRError(f"{where}: truncated data object at position {position}: {head!r}")
        object_id, length = head[:2], head[2:]
        if not _ID.fullmatch(object_id):
            raise QRError(f"{where}: ID {object_id!r} at position {position} is not two digits")
        if not _ID.fullmatch(length):
            raise QRError(f"{where}: object {object_id} at position {position} has a non-numeric length {length!r}")
        if length == "00":
            raise QRError(f"{where}: object {object_id} at position {position} has length 00 (lengths are 01-99)")
        value = text[position + 4 : position + 4 + int(length)]
        if len(value) < int(length):
            raise QRError(
                f"{where}: object {object_id} at position {position} declares {int(length)} characters, "
                f"only {len(value)} remain"
            )
        if unique and any(seen == object_id for seen, _ in objects):
            raise QRError(f"{where}: duplicated ID {object_id}")
        objects.append((object_id, value))
        position += 4 + int(length)
    return objects


def _join(objects: dict, hint: tuple | None) -> str:
    """The objects as data objects, in the order `hint` gives when it lists exactly these IDs, else by ID."""
    order = hint if hint is not None and sorted(hint) == sorted(objects) else sorted(objects)
    return "".join(_tlv(object_id, objects[object_id]) for object_id in order)


def _template(value: str, where: str) -> dict:
    """A template of another scheme: well-formed data objects with a globally unique identifier in sub-ID 00."""
    objects = dict(_parse_objects(value, where))
    if "00" not in objects:
        raise QRError(f"{where} has no globally unique identifier (sub-ID 00)")
    _ans(objects["00"], f"{where}: globally unique identifier (00)", 32)
    return objects


# --- value checks -------------------------------------------------------------------------------------------------


def _ans(value, what: str, max_length: int, *, unicode: bool = False) -> str:
    """EMVCo's 'ans' format: 1 to max_length printable ASCII characters. With `unicode`, its 'S' format: any
    Unicode character but controls, counted as characters (not bytes)."""
    if not isinstance(value, str) or not value:
        raise QRError(f"{what} must be non-empty text, got {value!r}")
    if len(value) > max_length:
        raise QRError(f"{what} is {len(value)} characters; at most {max_length}")
    if unicode:
        bad, rule = [ch for ch in value if unicodedata.category(ch) in ("Cc", "Cs")], "no control characters"
    else:
        bad, rule = [ch for ch in value if not _ANS.fullmatch(ch)], "only printable ASCII (EMV's common character set)"
    if bad:
        raise QRError(f"{what} contains {bad[0]!r}: {rule}")
    return value


def _decimal(text: str, what: str) -> int:
    if not _DECIMAL.fullmatch(text):
        raise QRError(f"{what} must be a positive decimal number without leading zeros, got {text!r}")
    return int(text)


def _positive(value, what: str, maximum: int | None = None) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise QRError(f"{what} must be a positive integer, got {value!r}")
    if maximum is not None and value > maximum:
        raise QRError(f"{what} {value} is above {maximum}")
    return value


def _pairs(pairs, where: str, named: dict) -> tuple:
    """Data objects kept verbatim: (ID, value) pairs, sorted by ID (the order written lives in the layout)."""
    try:
        items = [(object_id, value) for object_id, value in pairs]
    except (TypeError, ValueError):
        raise QRError(f"{where} must be (ID, value) pairs, got {pairs!r}") from None
    for index, (object_id, value) in enumerate(items):
        if not isinstance(object_id, str) or not _ID.fullmatch(object_id):
            raise QRError(f"{where}: ID {object_id!r} is not two digits")
        if object_id in named:
            raise QRError(f"{where}: {object_id} is {named[object_id]}, not an object kept verbatim")
        if any(other == object_id for other, _ in items[:index]):
            raise QRError(f"{where}: duplicated ID {object_id}")
        if not isinstance(value, str) or not value:
            raise QRError(f"{where}: {object_id} must be non-empty text, got {value!r}")
        if len(value) > MAX_VALUE_LENGTH:
            raise QRError(f"{where}: {object_id} is {len(value)} characters; at most {MAX_VALUE_LENGTH}")
    return tuple(sorted(items))


# --- the Crosspay merchant account template ------------------------------------------------------------------------


def _crosspay_template(chain_id, settlement: str, merchant_id: str, expires_at, mode: str) -> str:
    parts = [("00", GUID), ("01", str(chain_id)), ("02", settlement), ("03", merchant_id)]
    if expires_at is not None:
        parts.append(("04", str(expires_at)))
    if mode == AUTHORIZE:
        parts.append(("05", _AUTHORIZE_CODE))
    return "".join(f"{object_id}{len(value):02d}{value}" for object_id, value in parts)


def longest_merchant_id(chain_id: int, *, expires_at: int | None = None, mode: str = CHARGE) -> int:
    """The most characters a merchant id can have in the Crosspay template on `chain_id`, given the expiry (dynamic
    QRs) and the mode: the template's 99 characters less everything else in it, and never more than 32."""
    rest = len(_crosspay_template(chain_id, "0x" + "0" * 40, "", expires_at, mode))
    return max(0, min(MAX_MERCHANT_ID_BYTES, MAX_VALUE_LENGTH - rest))


@dataclass(frozen=True, kw_only=True)
class CrosspayAccount:
    """Crosspay's merchant account template: where and to whom the payer's app pays."""

    chain_id: int
    settlement: str  # the MerchantSettlement contract, EIP-55 checksummed
    merchant_id: str  # the merchant id as registered, ASCII text; on chain: merchant_id_bytes
    expires_at: int | None = None  # the intent's expiry in unix seconds: dynamic QRs only
    mode: str = CHARGE  # CHARGE (authorize and capture at once) or AUTHORIZE (funds held): AUTHORIZE on dynamic only

    def __post_init__(self):
        _positive(self.chain_id, "chain id (template 01)")
        object.__setattr__(self, "settlement", checksummed(self.settlement, "settlement contract (template 02)"))
        _ans(self.merchant_id, "merchant id (template 03)", MAX_MERCHANT_ID_BYTES)
        if self.expires_at is not None:
            _positive(self.expires_at, "expiry (template 04)", _UINT64_MAX)
        if self.mode not in MODES:
            raise QRError(f"payment mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.mode == AUTHORIZE and self.expires_at is None:
            raise QRError("payment mode authorize (template 05 = 'A') is for dynamic QRs, which carry an expiry (04)")
        length = len(self.template)
        if length > MAX_VALUE_LENGTH:
            room = longest_merchant_id(self.chain_id, expires_at=self.expires_at, mode=self.mode)
            raise QRError(
                f"the Crosspay template would be {length} characters and a template holds at most "
                f"{MAX_VALUE_LENGTH}: on chain {self.chain_id}"
                + (" with an expiry" if self.expires_at is not None else "")
                + (" for an authorization" if self.mode == AUTHORIZE else "")
                + f" a merchant id can have at most {room} characters, {self.merchant_id!r} has "
                f"{len(self.merchant_id)}"
            )

    @property
    def template(self) -> str:
        """The template's value, as the payload carries it at the template's ID."""
        return _crosspay_template(self.chain_id, self.settlement, self.merchant_id, self.expires_at, self.mode)

    @property
    def merchant_id_bytes(self) -> bytes:
        """The on-chain merchant id (bytes32)."""
        return _merchant_id32(self.merchant_id)


def _account_from(template_id: str, value: str) -> CrosspayAccount:
    where = f"Crosspay template ({template_id})"
    objects = _parse_objects(value, where)
    ids = [object_id for object_id, _ in objects]
    unknown = [object_id for object_id in ids if object_id not in ("00", "01", "02", "03", "04", "05")]
    if unknown:
        raise QRError(f"{where} has the unknown sub-ID {unknown[0]} (the profile defines 00-05)")
    if ids != sorted(ids):
        raise QRError(f"{where} must list its sub-objects in ascending order, got {' '.join(ids)}")
    fields = dict(objects)
    for sub_id, name in (("01", "chain id"), ("02", "settlement contract"), ("03", "merchant id")):
        if sub_id not in fields:
            raise QRError(f"{where} lacks {sub_id} ({name})")
    mode = fields.get("05")
    if mode is not None and mode != _AUTHORIZE_CODE:
        raise QRError(f"{where}: payment mode (05) must be 'A' (authorize), got {mode!r}; a charge leaves 05 out")
    return CrosspayAccount(
        chain_id=_decimal(fields["01"], f"{where}: chain id (01)"),
        settlement=fields["02"],
        merchant_id=fields["03"],
        expires_at=_decimal(fields["04"], f"{where}: expiry (04)") if "04" in fields else None,
        mode=AUTHORIZE if mode else CHARGE,
    )


def _template_guid(object_id: str, value: str) -> str | None:
    """The GUID of a merchant account template; the full checks follow, as Crosspay's or another scheme's."""
    objects = _parse_objects(value, f"merchant account template {object_id}", unique=False)
    return next((guid for sub_id, guid in objects if sub_id == "00"), None)


# --- the merchant-presented QR ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class MerchantLanguage:
    """64, the merchant information language template: name (and city) in another language and script."""

    language: str  # ISO 639 two-letter code, as written ("zh" or "ZH")
    name: str  # at most 25 characters, any script
    city: str | None = None  # at most 15 characters
    others: tuple = ()  # RFU sub-objects (03-99), verbatim

    def __post_init__(self):
        if not isinstance(self.language, str) or not re.fullmatch(r"[A-Za-z]{2}", self.language):
            raise QRError(f"language preference (64/00) must be two letters (ISO 639), got {self.language!r}")
        _ans(self.name, "alternate merchant name (64/01)", 25, unicode=True)
        if self.city is not None:
            _ans(self.city, "alternate merchant city (64/02)", 15, unicode=True)
        named = {"00": "the language", "01": "the name", "02": "the city"}
        object.__setattr__(self, "others", _pairs(self.others, "language template (64)", named))

    def _objects(self) -> dict:
        objects = {"00": self.language, "01": self.name, **dict(self.others)}
        if self.city is not None:
            objects["02"] = self.city
        return objects


@dataclass(frozen=True)
class Layout:
    """How a decoded payload was written: the order of the objects (top level, 62, 64) and the amount's text.
    Re-encoding follows it wherever it still fits the fields, so decode -> encode gives back the same string."""

    orders: tuple  # ((scope, IDs in written order), ...): scope "" is the top level, "62" and "64" the templates
    amount: str | None = None

    def order(self, scope: str) -> tuple | None:
        return dict(self.orders).get(scope)


# Top-level objects the named fields carry (an object kept verbatim must not use their IDs).
_NAMED = {
    "00": "the payload format indicator",
    "01": "initiation",
    "52": "mcc",
    "53": "currency",
    "54": "amount",
    "58": "country",
    "59": "merchant_name",
    "60": "merchant_city",
    "62": "the additional data fields",
    "63": "the CRC",
    "64": "language",
}
_ADDITIONAL_NAMED = {"01": "bill_number", "05": "reference_label", "07": "terminal_label"}
_ADDITIONAL_ANS = {  # 62's other sub-objects EMVCo defines: name, longest value
    "02": ("mobile number", 25),
    "03": ("store label", 25),
    "04": ("loyalty number", 25),
    "06": ("customer label", 25),
    "08": ("purpose of transaction", 25),
    "09": ("additional consumer data request", 3),
    "10": ("merchant tax ID", 20),
    "11": ("merchant channel", 3),
}
_MANDATORY = (
    ("52", "merchant category code"),
    ("53", "transaction currency"),
    ("58", "country code"),
    ("59", "merchant name"),
    ("60", "merchant city"),
)


@dataclass(frozen=True, kw_only=True)
class MerchantQR:
    """One EMVCo merchant-presented QR code: what encode() writes and decode() reads back.

    Fields a payload carries verbatim (other schemes' templates, unknown sub-objects) are (ID, value) pairs,
    sorted by ID; `layout` remembers the order a decoded payload was written in and takes no part in equality."""

    initiation: Initiation | None  # 01; None: a payload without 01 (EMVCo makes it optional)
    merchant_name: str  # 59, at most 25 characters
    merchant_city: str  # 60, at most 15 characters
    country: str  # 58, ISO 3166-1 alpha-2
    mcc: str  # 52, ISO 18245 merchant category code, 4 digits
    currency: str  # 53 as the ISO 4217 alpha code ("HKD"); the payload carries currency_numeric ("344")
    amount: int | None = None  # 54 in minor units; required on a dynamic QR
    account: CrosspayAccount | None = None  # the Crosspay merchant account template
    template_id: str = DEFAULT_TEMPLATE_ID  # where the Crosspay template sits, 26-51 (26 when there is none)
    bill_number: str | None = None  # 62/01
    reference_label: str | None = None  # 62/05, the order reference
    terminal_label: str | None = None  # 62/07
    additional_others: tuple = ()  # 62's other sub-objects, verbatim
    language: MerchantLanguage | None = None  # 64
    others: tuple = ()  # every other top-level object, verbatim: 02-51 of other schemes, 55-57, 61, 65-99
    layout: Layout | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.initiation is not None:
            try:
                object.__setattr__(self, "initiation", Initiation(self.initiation))
            except ValueError:
                raise QRError(
                    f"point of initiation (01) must be 11 (static) or 12 (dynamic), got {self.initiation!r}"
                ) from None
        _ans(self.merchant_name, "merchant name (59)", 25)
        _ans(self.merchant_city, "merchant city (60)", 15)
        if not isinstance(self.country, str) or not re.fullmatch(r"[A-Z]{2}", self.country):
            raise QRError(f"country code (58) must be 2 upper-case letters (ISO 3166-1 alpha-2), got {self.country!r}")
        if not isinstance(self.mcc, str) or not re.fullmatch(r"[0-9]{4}", self.mcc):
            raise QRError(f"merchant category code (52) must be 4 digits, got {self.mcc!r}")
        if iso4217(self.currency).alpha != self.currency:
            raise QRError(f"currency must be given by its ISO 4217 alpha code, got {self.currency!r}")
        if self.amount is not None:
            format_amount(self.amount, self.currency)
        elif self.initiation is Initiation.DYNAMIC:
            raise QRError("a dynamic QR (01 = 12) must carry an amount (54)")
        for name, sub_id in (("bill_number", "01"), ("reference_label", "05"), ("terminal_label", "07")):
            if getattr(self, name) is not None:
                _ans(getattr(self, name), f"{name.replace('_', ' ')} (62/{sub_id})", 25)
        additional = _pairs(self.additional_others, "additional data template (62)", _ADDITIONAL_NAMED)
        for sub_id, value in additional:
            _check_additional(sub_id, value)
        object.__setattr__(self, "additional_others", additional)
        if self.language is not None and not isinstance(self.language, MerchantLanguage):
            raise QRError(f"language must be a MerchantLanguage, got {self.language!r}")
        self._check_account()
        named = dict(_NAMED, **({self.template_id: "the Crosspay template"} if self.account else {}))
        others = _pairs(self.others, "others", named)
        object.__setattr__(self, "others", others)
        _check_others(others, self.currency)
        if self.account is None and not any(2 <= int(object_id) <= 51 for object_id, _ in others):
            raise QRError("missing merchant account information: no object with an ID in 02-51")
        payload_length = len(_payload_body(self)) + 4
        if payload_length > MAX_PAYLOAD_LENGTH:
            raise QRError(f"payload is {payload_length} characters; Crosspay reads at most {MAX_PAYLOAD_LENGTH}")

    def _check_account(self):
        if (
            not isinstance(self.template_id, str)
            or not _ID.fullmatch(self.template_id)
            or not 26 <= int(self.template_id) <= 51
        ):
            raise QRError(f"the Crosspay template sits at an ID in 26-51, got {self.template_id!r}")
        if self.account is None:
            object.__setattr__(self, "template_id", DEFAULT_TEMPLATE_ID)  # so equal QRs compare equal
            return
        if not isinstance(self.account, CrosspayAccount):
            raise QRError(f"account must be a CrosspayAccount, got {self.account!r}")
        if self.initiation is None:
            raise QRError("a Crosspay QR states its point of initiation (01): 11 static or 12 dynamic")
        if self.initiation is Initiation.DYNAMIC and self.account.expires_at is None:
            raise QRError("a dynamic Crosspay QR carries the intent's expiry (template 04)")
        if self.initiation is Initiation.STATIC and self.account.expires_at is not None:
            raise QRError("a static Crosspay QR carries no expiry (template 04): it serves many payments")

    # --- what the payer's app reads ---

    @property
    def currency_numeric(self) -> str:
        """53 as the payload carries it: the ISO 4217 numeric code ("344")."""
        return iso4217(self.currency).numeric

    @property
    def is_dynamic(self) -> bool:
        return self.initiation is Initiation.DYNAMIC

    @property
    def mode(self) -> str | None:
        """CHARGE or AUTHORIZE for a QR with the Crosspay template, None without."""
        return self.account.mode if self.account else None

    def intent(
        self,
        token,
        *,
        chain_id: int,
        settlement,
        now: int | None = None,
        amount: int | None = None,
        expires_at: int | None = None,
        order_reference: str | None = None,
    ) -> PaymentIntent:
        """The PaymentIntent the payer's app pays in `token`, on the chain and through the settlement contract the app
        expects (a QR for another one is refused). `now` (default: the clock) decides expiry.

        A dynamic QR fixes everything: amount (54), expiry (template 04) and order reference (62/05), and the
        keyword arguments must be left out. A static QR serves many payments, so the app gives the expiry, the
        amount when the QR has none (the payer enters it), and the order reference when the QR has none or "***"."""
        account = self.account
        if account is None:
            raise QRError(
                f"this QR has no Crosspay merchant account template (GUID {GUID}): pay it through another scheme"
            )
        if account.chain_id != chain_id:
            raise QRError(f"the QR is for chain {account.chain_id}, this app is on chain {chain_id}")
        expected = checksummed(settlement, "expected settlement contract")
        if account.settlement != expected:
            raise QRError(f"the QR pays through settlement contract {account.settlement}, not the expected {expected}")
        if self.is_dynamic:
            given = [
                name
                for name, value in (
                    ("amount", amount),
                    ("expires_at", expires_at),
                    ("order_reference", order_reference),
                )
                if value is not None
            ]
            if given:
                raise QRError(f"a dynamic QR fixes amount, expiry and order reference: do not pass {', '.join(given)}")
            if self.reference_label in (None, "***"):
                raise QRError("a dynamic Crosspay QR carries its order reference in the reference label (62/05)")
            amount, expires_at, reference = self.amount, account.expires_at, self.reference_label
        else:
            amount = self._fixed(self.amount, amount, "amount", "the amount the payer entered")
            if expires_at is None:
                raise QRError("a static QR carries no expiry: pass expires_at for this payment")
            _positive(expires_at, "expires_at", _UINT64_MAX)
            fixed = self.reference_label if self.reference_label != "***" else None
            reference = self._fixed(fixed, order_reference, "order_reference", "the order reference")
        current = int(time.time()) if now is None else int(now)
        if expires_at <= current:
            raise QRError(f"the payment request expired at {expires_at} (now {current})")
        _positive(amount, "amount", MAX_PAYMENT_AMOUNT)
        if not isinstance(reference, str) or not reference or len(reference.encode()) > 32:
            raise QRError(f"the order reference must be 1 to 32 bytes of text, got {reference!r}")
        return PaymentIntent(account.merchant_id_bytes, token, amount, order_ref(reference), expires_at)

    @staticmethod
    def _fixed(in_qr, given, name: str, what: str):
        if in_qr is None:
            if given is None:
                raise QRError(f"this static QR has no {name.replace('_', ' ')}: pass {what} as {name}")
            return given
        if given is not None and given != in_qr:
            raise QRError(f"the QR fixes the {name.replace('_', ' ')} at {in_qr!r}; {given!r} was passed")
        return in_qr

    # --- encoding ---

    def _order(self, scope: str) -> tuple | None:
        return self.layout.order(scope) if self.layout is not None else None

    def _amount_text(self) -> str:
        written = self.layout.amount if self.layout is not None else None
        if written is not None:
            try:
                if parse_amount(written, self.currency) == self.amount:
                    return written
            except QRError:
                pass  # written for another currency: write the amount afresh
        return format_amount(self.amount, self.currency)

    def _objects(self) -> dict:
        """Every top-level object but 00 and 63, by ID."""
        objects = dict(self.others)
        if self.initiation is not None:
            objects["01"] = self.initiation.value
        if self.account is not None:
            objects[self.template_id] = self.account.template
        objects.update(
            {
                "52": self.mcc,
                "53": self.currency_numeric,
                "58": self.country,
                "59": self.merchant_name,
                "60": self.merchant_city,
            }
        )
        if self.amount is not None:
            objects["54"] = self._amount_text()
        additional = dict(self.additional_others)
        for name, sub_id in (("bill_number", "01"), ("reference_label", "05"), ("terminal_label", "07")):
            if getattr(self, name) is not None:
                additional[sub_id] = getattr(self, name)
        if additional:
            objects["62"] = _bounded(_join(additional, self._order("62")), "additional data template (62)")
        if self.language is not None:
            objects["64"] = _bounded(_join(self.language._objects(), self._order("64")), "language template (64)")
        return objects


def _bounded(value: str, what: str) -> str:
    if len(value) > MAX_VALUE_LENGTH:
        raise QRError(f"{what} is {len(value)} characters; a template holds at most {MAX_VALUE_LENGTH}")
    return value


def _check_additional(sub_id: str, value: str):
    """62's sub-objects other than 01/05/07: EMVCo's rules where it defines them; RFU ones are kept as they are."""
    if sub_id in _ADDITIONAL_ANS:
        name, longest = _ADDITIONAL_ANS[sub_id]
        _ans(value, f"{name} (62/{sub_id})", longest)
        if sub_id == "09" and (set(value) - set("AME") or len(set(value)) != len(value)):
            raise QRError(f"additional consumer data request (62/09) takes each of A, M, E at most once, got {value!r}")
        if sub_id == "11" and len(value) != 3:
            raise QRError(f"merchant channel (62/11) is 3 characters, got {value!r}")
    elif int(sub_id) >= 50:
        _parse_objects(value, f"payment system specific template 62/{sub_id}")


def _check_others(others: tuple, currency: str):
    """The top-level objects kept verbatim, by EMVCo's rules for their IDs."""
    objects = dict(others)
    for object_id, value in others:
        number = int(object_id)
        if 26 <= number <= 51 or number >= 80:
            kind = "merchant account template" if number <= 51 else "unreserved template"
            if _template(value, f"{kind} {object_id}")["00"] == GUID:
                raise QRError(
                    f"the Crosspay template (GUID {GUID}) at ID {object_id} belongs in `account`, at an ID "
                    f"in 26-51; a QR carries at most one"
                )
        elif object_id == "55" and value not in ("01", "02", "03"):
            raise QRError(f"tip or convenience indicator (55) must be 01, 02 or 03, got {value!r}")
        elif object_id == "56":
            parse_amount(value, currency, "fixed convenience fee (56)")
        elif object_id == "57" and (not _PERCENTAGE.fullmatch(value) or float(value) == 0):
            raise QRError(f"convenience fee percentage (57) must be between 00.01 and 99.99, got {value!r}")
        elif object_id == "61":
            _ans(value, "postal code (61)", 10)
    tip = objects.get("55")
    for fee_id, needs, name in (("56", "02", "fixed convenience fee"), ("57", "03", "convenience fee percentage")):
        if (fee_id in objects) != (tip == needs):
            raise QRError(
                f"{name} ({fee_id}) is present exactly when the tip or convenience indicator (55) is "
                f"{needs}, got 55 = {tip!r}"
            )


def _payload_body(qr: MerchantQR) -> str:
    return _tlv("00", "01") + _join(qr._objects(), qr._order("")) + "6304"


def encode(qr: MerchantQR) -> str:
    """The EMVCo payload of `qr`, CRC included."""
    if not isinstance(qr, MerchantQR):
        raise QRError(f"encode takes a MerchantQR, got {type(qr).__name__}")
    body = _payload_body(qr)
    return body + checksum(body)


# --- decoding -----------------------------------------------------------------------------------------------------


def _verify_crc(payload: str):
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return  # the structure checks say what is wrong
    written = payload[-4:]
    if not _CRC.fullmatch(written):
        raise QRError(f"the CRC (63) must be 4 upper-case hex digits, got {written!r}")
    computed = checksum(payload[:-4])
    if written != computed:
        raise QRError(f"CRC mismatch: the payload says {written}, its content gives {computed}")


def decode(payload: str) -> MerchantQR:
    """Reads an EMVCo merchant-presented payload strictly: one QRError, saying what is wrong, for anything the
    spec or Crosspay's profile refuses."""
    if not isinstance(payload, str):
        raise QRError(f"an EMVCo payload is text, got {type(payload).__name__}")
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise QRError(f"payload is {len(payload)} characters; Crosspay reads at most {MAX_PAYLOAD_LENGTH}")
    _verify_crc(payload)
    objects = _parse_objects(payload, "payload")
    if not objects:
        raise QRError("empty payload")
    if objects[0][0] != "00":
        raise QRError(
            f"the payload format indicator (00) must be the first object; the payload starts with {objects[0][0]}"
        )
    if objects[-1][0] != "63":
        raise QRError(f"the CRC (63) must be the last object; the payload ends with {objects[-1][0]}")
    if len(objects[-1][1]) != 4:
        raise QRError(
            f"the CRC (63) must be 4 hex digits, got {objects[-1][1]!r}: a CRC below 0x1000 keeps its leading zeros"
        )
    if objects[0][1] != "01":
        raise QRError(f"payload format indicator (00) must be 01, got {objects[0][1]!r}")

    middle = objects[1:-1]
    fields, others, crosspay = {}, [], []
    orders = [("", tuple(object_id for object_id, _ in middle))]
    for object_id, value in middle:
        number = int(object_id)
        if object_id in ("01", "52", "53", "54", "58", "59", "60"):
            fields[object_id] = value
        elif object_id in ("62", "64"):
            where = "additional data template (62)" if object_id == "62" else "language template (64)"
            fields[object_id] = sub_objects = _parse_objects(value, where)
            orders.append((object_id, tuple(sub_id for sub_id, _ in sub_objects)))
        elif 26 <= number <= 51 and _template_guid(object_id, value) == GUID:
            crosspay.append((object_id, value))
        else:
            others.append((object_id, value))
    if len(crosspay) > 1:
        raise QRError(f"two Crosspay templates ({crosspay[0][0]} and {crosspay[1][0]}): a QR carries at most one")
    missing = [f"{object_id} ({name})" for object_id, name in _MANDATORY if object_id not in fields]
    if missing:
        raise QRError(f"missing mandatory object(s): {', '.join(missing)}")
    if not re.fullmatch(r"[0-9]{3}", fields["53"]):
        raise QRError(f"transaction currency (53) must be a 3-digit ISO 4217 numeric code, got {fields['53']!r}")
    currency = iso4217(fields["53"]).alpha
    amount_text = fields.get("54")
    additional = dict(fields.get("62", ()))
    named_additional = {name: additional.pop(sub_id, None) for sub_id, name in _ADDITIONAL_NAMED.items()}
    return MerchantQR(
        initiation=fields.get("01"),
        merchant_name=fields["59"],
        merchant_city=fields["60"],
        country=fields["58"],
        mcc=fields["52"],
        currency=currency,
        amount=parse_amount(amount_text, currency) if amount_text is not None else None,
        account=_account_from(*crosspay[0]) if crosspay else None,
        template_id=crosspay[0][0] if crosspay else DEFAULT_TEMPLATE_ID,
        **named_additional,
        additional_others=tuple(additional.items()),
        language=_language_from(fields["64"]) if "64" in fields else None,
        others=tuple(others),
        layout=Layout(tuple(orders), amount_text),
    )


def _language_from(objects: list) -> MerchantLanguage:
    fields = dict(objects)
    for sub_id, name in (("00", "language preference"), ("01", "alternate merchant name")):
        if sub_id not in fields:
            raise QRError(f"language template (64) lacks its mandatory {sub_id} ({name})")
    language, name, city = fields.pop("00"), fields.pop("01"), fields.pop("02", None)
    return MerchantLanguage(language=language, name=name, city=city, others=tuple(fields.items()))


# --- images -------------------------------------------------------------------------------------------------------


def render(qr: MerchantQR, scale: int = 4) -> bytes:
    """The QR as a PNG (crosspay.qr.png: segno, error correction M)."""
    return png(encode(qr), scale)


def scan(image: bytes) -> MerchantQR:
    """The MerchantQR in a PNG (crosspay.qr.decode_png: zxing-cpp), decoded strictly."""
    return decode(decode_png(image))
