"""Hash-time-lock helpers shared by the HTLC tests, the two-ledger swap and the gas benchmark."""

import hashlib
import secrets

from eth_abi import encode
from eth_utils import keccak, to_checksum_address


def new_secret() -> tuple[bytes, bytes]:
    """A fresh 32-byte preimage and its hashlock, sha256(preimage) (interoperable with other HTLC systems)."""
    preimage = secrets.token_bytes(32)
    return preimage, hashlock_of(preimage)


def hashlock_of(preimage: bytes) -> bytes:
    """sha256 of the 32-byte preimage, as the HashedTimelock checks it."""
    if len(preimage) != 32:
        raise ValueError("the preimage must be 32 bytes")
    return hashlib.sha256(preimage).digest()


def lock_id(sender, recipient, token, amount: int, hashlock: bytes, timelock: int) -> bytes:
    """The HashedTimelock's lock id: keccak256(abi.encode(sender, recipient, token, amount, hashlock, timelock))."""
    return keccak(
        encode(
            ["address", "address", "address", "uint256", "bytes32", "uint64"],
            [
                to_checksum_address(str(sender)),
                to_checksum_address(str(recipient)),
                to_checksum_address(str(token)),
                int(amount),
                bytes(hashlock),
                int(timelock),
            ],
        )
    )
