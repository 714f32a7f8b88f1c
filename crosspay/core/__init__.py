"""Crosspay's off-chain rules, exact mirrors of what the contracts compute; nothing here imports brownie."""
