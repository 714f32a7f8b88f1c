"""The relayer of the two-ledger swap: it watches ledger B for the beneficiary's claim, whose event reveals the
preimage, and claims on ledger A with it for the liquidity provider."""

from __future__ import annotations

from crosspay.core.htlc import hashlock_of
from crosspay.swap.ledger import Ledger


def watch_for_preimage(ledger: Ledger, hashlock: bytes, from_block: int) -> bytes | None:
    """The relayer's watch: a Claimed event for `hashlock` on `ledger` since `from_block`, its preimage or None."""
    logs = ledger.htlc.events.Claimed().get_logs(from_block=from_block, argument_filters={"hashlock": hashlock})
    for log in logs:
        preimage = bytes(log.args.preimage)
        if hashlock_of(preimage) == hashlock:
            return preimage
    return None
