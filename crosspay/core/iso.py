"""ISO codes as the contracts store them: jurisdictions as bytes2 (ISO 3166-1 alpha-2), currencies as bytes3
(ISO 4217)."""


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
