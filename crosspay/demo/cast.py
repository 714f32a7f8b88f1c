"""The demo's named actors: institutions are node accounts, people are local accounts with keys (they sign)."""

from __future__ import annotations

from dataclasses import dataclass

from crosspay.onchain import keyed_account


@dataclass(frozen=True)
class Actor:
    name: str
    account: object  # a brownie Account or LocalAccount

    @property
    def address(self) -> str:
        return self.account.address

    def __str__(self) -> str:
        return self.name


def person(name: str, funder) -> Actor:
    """A customer or merchant with a key derived from their name (the same every run), funded with 1 ether for gas."""
    return Actor(name, keyed_account(f"crosspay demo {name}", funder))


def institution(name: str, index: int) -> Actor:
    """A bank, network or officer: one of the node's own unlocked accounts."""
    from brownie import accounts

    return Actor(name, accounts[index])
