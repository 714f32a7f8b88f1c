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


def set_next_block_time(timestamp: int) -> None:
    """Makes the next transaction's block carry `timestamp` (within the second that follows).

    brownie's chain.mine(timestamp=T) mines a block at T and leaves the node's clock at T + 1; tests that care about
    an exact boundary also assert the timestamp the contract saw (it is in the revert arguments or the receipt).
    """
    from brownie import chain

    chain.mine(timestamp=timestamp - 1)
