"""Assertion helpers shared by the tests (tests/ is on sys.path, so `from helpers import ...`)."""

import brownie


def reverts_with(error: str):
    """brownie.reverts matching a custom error by name; brownie renders custom errors as 'Name: arg, arg'."""
    return brownie.reverts(revert_pattern=rf"{error}(:.*)?")


def bytes32(text: str) -> bytes:
    """A short ASCII reference as bytes32 (right-padded), e.g. deposit and legal references."""
    raw = text.encode()
    if len(raw) > 32:
        raise ValueError(f"{text!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")
