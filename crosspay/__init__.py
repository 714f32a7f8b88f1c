"""Off-chain logic shared by Crosspay's scripts and tests: EIP-712 signing, encodings, fee math, QR codes."""
