"""The contracts' lifecycle enums, one per contract, value for value (tests/offchain/test_status.py reads the
interfaces and fails if they drift apart). Statuses read from the chain compare equal to these members."""

from enum import IntEnum


class PaymentStatus(IntEnum):
    """IMerchantSettlement.Status: a payment's lifecycle."""

    NONE = 0
    AUTHORIZED = 1
    CAPTURED = 2
    VOIDED = 3
    RECLAIMED = 4


class TransferStatus(IntEnum):
    """ICrossBorderEscrow.Status: a cross-border transfer's lifecycle."""

    NONE = 0
    LOCKED = 1
    RELEASED = 2
    REFUNDED = 3


class LockStatus(IntEnum):
    """IHashedTimelock.Status: a hash-time lock's lifecycle."""

    NONE = 0
    LOCKED = 1
    CLAIMED = 2
    REFUNDED = 3
