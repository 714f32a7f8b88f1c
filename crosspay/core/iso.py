"""ISO codes as the contracts store them: jurisdictions as bytes2 (ISO 3166-1 alpha-2), currencies as bytes3
(ISO 4217), and the ISO 4217 table of numeric codes and minor units."""

from dataclasses import dataclass


def _code(text: str, length: int, what: str) -> bytes:
    if len(text) != length or not text.isascii() or not text.isalpha() or not text.isupper():
        raise ValueError(f"{what} must be {length} upper-case letters, got {text!r}")
    return text.encode("ascii")


def jurisdiction(text: str) -> bytes:
    """'CN' -> b'CN', the registry's bytes2 jurisdiction."""
    return _code(text, 2, "an ISO 3166-1 alpha-2 jurisdiction")


def currency(text: str) -> bytes:
    """'CNY' -> b'CNY', the token's bytes3 currency."""
    return _code(text, 3, "an ISO 4217 currency")


def decode(code: bytes | str) -> str:
    """The contracts' bytes2/bytes3 (as bytes or a 0x hex string) back to text."""
    raw = bytes.fromhex(code[2:]) if isinstance(code, str) else bytes(code)
    return raw.rstrip(b"\0").decode("ascii")


@dataclass(frozen=True)
class Currency:
    """An ISO 4217 currency: alpha code, numeric code (what an EMVCo QR's 53 carries) and minor units (decimals)."""

    alpha: str
    numeric: str
    minor_units: int


# The ISO 4217 currencies Crosspay knows (QR codes, amounts); the deposit tokens use two decimals.
CURRENCIES = (
    Currency("BRL", "986", 2),
    Currency("CNY", "156", 2),
    Currency("EUR", "978", 2),
    Currency("HKD", "344", 2),
    Currency("IDR", "360", 2),
    Currency("JPY", "392", 0),
    Currency("KRW", "410", 0),
    Currency("KWD", "414", 3),
    Currency("MYR", "458", 2),
    Currency("SGD", "702", 2),
    Currency("THB", "764", 2),
    Currency("USD", "840", 2),
)
_CURRENCY_BY_CODE = {code: c for c in CURRENCIES for code in (c.alpha, c.numeric)}


def currency_of(code: str) -> Currency:
    """The currency of an ISO 4217 alpha ("HKD") or numeric ("344") code; ValueError for one not in the table."""
    found = _CURRENCY_BY_CODE.get(code) if isinstance(code, str) else None
    if found is None:
        known = ", ".join(f"{c.alpha} {c.numeric}" for c in CURRENCIES)
        raise ValueError(f"currency {code!r} is not in Crosspay's ISO 4217 table ({known})")
    return found
