"""Crosspay's Python side, by concern:

- crosspay.core: the off-chain rules, exact mirrors of the contracts (ISO codes, signing, settlement maths, FX, HTLC,
  QR codes, statuses); it never imports brownie;
- crosspay.deploy: the one deployment plan, its per-chain record, the network connection;
- crosspay.demo: `make demo`, a day told step by step, its checks and tables, the load mode;
- crosspay.swap: the two-ledger HTLC swap on two local nodes;
- crosspay.tooling: gas figures and their gate, the benchmarks, the static-analysis triage.
"""
