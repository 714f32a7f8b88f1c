"""The demo's load mode (make demo LIFECYCLES=N; LOAD_SCALING=1 for N = 100, 1,000 and 10,000): N customer
lifecycles of every payment kind, driven at the node's speed and measured against the node's own ceiling.

- kinds: the payment kinds, each a customer lifecycle planned as stages of transactions with their effects;
- pipeline: pre-signed transactions over web3.py, many senders in flight, nonces per sender (nonces), explicit gas
  limits, receipts in batches, reverts and drops retried or reported;
- model and checks: where every payment's money must be, and the closing check of it on chain;
- ceiling: the plain ERC-20 flood; engine: one run, phase by phase; report: load.json, load.png, the tables;
- rpc, abi, stats: the node, calldata and errors, percentiles; standalone: a run on a node brownie does not drive;
- demo: the glue to `make demo` (the deployed system and the cast of the day).
"""

from __future__ import annotations

import os

SCALING = (100, 1_000, 10_000)


def lifecycles_from_env() -> int | None:
    raw = os.environ.get("LIFECYCLES", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"demo: LIFECYCLES must be a positive whole number, got {raw!r}")
    return int(raw)


def load_sizes_from_env() -> list[int]:
    """The N of each load run `make demo` makes: LOAD_SCALING=1 gives 100, 1,000 and 10,000; else LIFECYCLES (or
    none: the narrated day)."""
    if os.environ.get("LOAD_SCALING", "").strip() not in ("", "0"):
        return list(SCALING)
    lifecycles = lifecycles_from_env()
    return [lifecycles] if lifecycles else []
