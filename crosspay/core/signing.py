"""EIP-712 typed data of Crosspay's signed messages, signed with eth-account.

Every signature the contracts check is built here once, from the standard's own field lists, and signed with
eth-account's typed-data encoder: tests and scripts never hand-build a digest.
"""

import secrets
from dataclasses import dataclass

from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak


def struct(*members: str) -> list[dict]:
    """An EIP-712 struct's members from Solidity-like declarations, in order: struct("address owner", ...)."""
    return [{"name": name, "type": kind} for kind, name in (member.split() for member in members)]


PERMIT_TYPES = {
    "Permit": struct("address owner", "address spender", "uint256 value", "uint256 nonce", "uint256 deadline")
}
_AUTHORIZATION = struct(
    "address from", "address to", "uint256 value", "uint256 validAfter", "uint256 validBefore", "bytes32 nonce"
)
TRANSFER_WITH_AUTHORIZATION_TYPES = {"TransferWithAuthorization": _AUTHORIZATION}
RECEIVE_WITH_AUTHORIZATION_TYPES = {"ReceiveWithAuthorization": _AUTHORIZATION}
CANCEL_AUTHORIZATION_TYPES = {"CancelAuthorization": struct("address authorizer", "bytes32 nonce")}

# secp256k1 group order: a signature with s above half of it is the malleable twin of a valid one.
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@dataclass(frozen=True)
class Signature:
    v: int
    r: bytes
    s: bytes

    @property
    def packed(self) -> bytes:
        """The 65-byte r || s || v form."""
        return self.r + self.s + bytes([self.v])

    def malleated(self) -> "Signature":
        """The high-s twin of this signature: valid for ecrecover, refused by Crosspay's contracts."""
        s = SECP256K1_N - int.from_bytes(self.s, "big")
        return Signature(v=55 - self.v, r=self.r, s=s.to_bytes(32, "big"))

    def as_args(self) -> tuple[int, bytes, bytes]:
        return (self.v, self.r, self.s)


def domain(name: str, chain_id: int, verifying_contract: str, version: str = "1") -> dict:
    """An EIP-712 domain (name, version, chainId, verifyingContract)."""
    return {
        "name": name,
        "version": version,
        "chainId": int(chain_id),
        "verifyingContract": str(verifying_contract),
    }


def sign_typed(private_key, domain_data: dict, types: dict, message: dict) -> Signature:
    """Signs typed data with eth-account (the same encoder a wallet uses)."""
    encoded = encode_typed_data(domain_data=domain_data, message_types=types, message_data=message)
    signed = Account.sign_message(encoded, private_key)
    return Signature(v=signed.v, r=signed.r.to_bytes(32, "big"), s=signed.s.to_bytes(32, "big"))


def random_nonce() -> bytes:
    """A fresh random 32-byte EIP-3009 nonce."""
    return secrets.token_bytes(32)


def authorization_nonce(payment_id: bytes, capture: bool) -> bytes:
    """The EIP-3009 nonce a payer signs for a MerchantSettlement payment: keccak256(abi.encode(paymentId, capture)),
    `capture` False for authorizeWithAuthorization and True for chargeWithAuthorization (the contract's
    authorizationNonce). The nonce binds the mode, so a relayer cannot submit the signature in the other one."""
    return keccak(encode(["bytes32", "bool"], [bytes(payment_id), bool(capture)]))


def token_domain(token, chain_id: int) -> dict:
    """The EIP-712 domain of a DepositToken: its name, version "1"."""
    return domain(token.name(), chain_id, token.address)


def sign_permit(private_key, token, chain_id, owner, spender, value, nonce, deadline) -> Signature:
    """EIP-2612 permit for `token`."""
    message = {
        "owner": str(owner),
        "spender": str(spender),
        "value": int(value),
        "nonce": int(nonce),
        "deadline": int(deadline),
    }
    return sign_typed(private_key, token_domain(token, chain_id), PERMIT_TYPES, message)


def sign_authorization(
    private_key, token, chain_id, sender, receiver, value, valid_after, valid_before, nonce, receive=False
) -> Signature:
    """EIP-3009 TransferWithAuthorization (or ReceiveWithAuthorization when `receive`)."""
    message = {
        "from": str(sender),
        "to": str(receiver),
        "value": int(value),
        "validAfter": int(valid_after),
        "validBefore": int(valid_before),
        "nonce": bytes(nonce),
    }
    types = RECEIVE_WITH_AUTHORIZATION_TYPES if receive else TRANSFER_WITH_AUTHORIZATION_TYPES
    return sign_typed(private_key, token_domain(token, chain_id), types, message)


def sign_cancel_authorization(private_key, token, chain_id, authorizer, nonce) -> Signature:
    """EIP-3009 CancelAuthorization."""
    message = {"authorizer": str(authorizer), "nonce": bytes(nonce)}
    return sign_typed(private_key, token_domain(token, chain_id), CANCEL_AUTHORIZATION_TYPES, message)
