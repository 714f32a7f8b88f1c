"""Nonces per sender, managed on the client so that many transactions of one sender can be in flight at once.

A sender's nonces are handed out in order from the node's count when the sender is first seen. A nonce whose
transaction never reached the chain (the node refused it, or lost it for good) is given back with `release`: the
sender's next transaction takes it, so no later transaction waits forever behind a hole. A hole nobody fills is
listed by `gaps` for the pipeline to fill with a no-op. `resync` moves a sender forward to what the chain says when
something else used its nonces.
"""

from __future__ import annotations


class NonceManager:
    """Hands out each sender's nonces; `start(sender)` (the node's transaction count) is asked once per sender."""

    def __init__(self, start):
        self._start = start
        self._next: dict[str, int] = {}
        self._released: dict[str, set[int]] = {}

    def reserve(self, sender: str) -> int:
        """The nonce for `sender`'s next transaction: the lowest one given back, else the next new one."""
        released = self._released.get(sender)
        if released:
            nonce = min(released)
            released.remove(nonce)
            return nonce
        if sender not in self._next:
            self._next[sender] = int(self._start(sender))
        nonce = self._next[sender]
        self._next[sender] = nonce + 1
        return nonce

    def release(self, sender: str, nonce: int) -> None:
        """Gives back `nonce`, whose transaction will never be mined; the sender's next transaction reuses it."""
        if nonce >= self._next.get(sender, 0):
            raise ValueError(f"{sender} was never given nonce {nonce}")
        if self._next[sender] == nonce + 1:  # the last one handed out: simply step back
            self._next[sender] = nonce
            while self._released.get(sender) and self._next[sender] - 1 in self._released[sender]:
                self._next[sender] -= 1
                self._released[sender].remove(self._next[sender])
        else:
            self._released.setdefault(sender, set()).add(nonce)

    def resync(self, sender: str, chain_count: int) -> None:
        """The chain has used `sender`'s nonces below `chain_count`: never hand those out again."""
        self._next[sender] = max(self._next.get(sender, 0), int(chain_count))
        if sender in self._released:
            self._released[sender] = {n for n in self._released[sender] if n >= chain_count}

    def gaps(self) -> list[tuple[str, int]]:
        """Every nonce given back and not yet reused, as (sender, nonce): later transactions wait behind each."""
        return sorted((sender, nonce) for sender, nonces in self._released.items() for nonce in nonces)

    def next_of(self, sender: str) -> int | None:
        """The next new nonce of `sender` (None before its first transaction)."""
        return self._next.get(sender)
