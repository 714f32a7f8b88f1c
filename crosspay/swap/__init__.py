"""The two-ledger swap: two local nodes side by side, a deposit token and an HTLC on each, and the relayer."""
