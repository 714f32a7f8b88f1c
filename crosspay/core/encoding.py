"""The one bytes32 helper: references, ids and return values as the contracts' bytes32, never truncated."""


def bytes32(value) -> bytes:
    """`value` as a 32-byte word, right-padded with zero bytes.

    Short ASCII text ("deposit alice", a merchant id, a court reference) is encoded as UTF-8; a "0x" hex string (as
    brownie returns a bytes32) and bytes (HexBytes included) are taken as they are. Anything longer than 32 bytes is
    refused with ValueError: a reference cut short would be another reference.
    """
    if isinstance(value, str):
        raw = bytes.fromhex(value[2:]) if value.startswith("0x") else value.encode()
    elif isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
    else:
        raise TypeError(f"a bytes32 is made from text or bytes, not {type(value).__name__}")
    if len(raw) > 32:
        raise ValueError(f"{value!r} is longer than 32 bytes")
    return raw.ljust(32, b"\0")
