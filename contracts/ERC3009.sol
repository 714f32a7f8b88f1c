// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IERC3009} from "../interfaces/IERC3009.sol";

/// @title ERC3009
/// @notice EIP-3009 signed transfers for an OpenZeppelin ERC-20 with an EIP-712 domain. See {IERC3009}.
/// @dev OpenZeppelin ships no EIP-3009, so this is the one piece written here. Signatures are checked with
/// OpenZeppelin's ECDSA for accounts (malleable high-s signatures rejected) and its SignatureChecker's ERC-1271
/// path for contract wallets. Transfers go through `_transfer`, so the token's `_update` hook applies to them.
abstract contract ERC3009 is ERC20, EIP712, IERC3009 {
    bytes32 public constant TRANSFER_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 public constant RECEIVE_WITH_AUTHORIZATION_TYPEHASH = keccak256(
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
    );
    bytes32 public constant CANCEL_AUTHORIZATION_TYPEHASH = keccak256(
        "CancelAuthorization(address authorizer,bytes32 nonce)"
    );

    mapping(address authorizer => mapping(bytes32 nonce => bool)) private _authorizationStates;

    /// @inheritdoc IERC3009
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool) {
        return _authorizationStates[authorizer][nonce];
    }

    /// @inheritdoc IERC3009
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external virtual {
        _transferWithAuthorization(
            TRANSFER_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            v,
            r,
            s
        );
    }

    /// @inheritdoc IERC3009
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external virtual {
        if (to != msg.sender) revert ERC3009CallerMustBePayee(msg.sender, to);
        _transferWithAuthorization(
            RECEIVE_WITH_AUTHORIZATION_TYPEHASH,
            from,
            to,
            value,
            validAfter,
            validBefore,
            nonce,
            v,
            r,
            s
        );
    }

    /// @inheritdoc IERC3009
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external virtual {
        _requireUnusedAuthorization(authorizer, nonce);
        _requireValidSignature(
            authorizer,
            keccak256(abi.encode(CANCEL_AUTHORIZATION_TYPEHASH, authorizer, nonce)),
            v,
            r,
            s
        );
        _authorizationStates[authorizer][nonce] = true;
        emit AuthorizationCanceled(authorizer, nonce);
    }

    function _transferWithAuthorization(
        bytes32 typeHash,
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        if (block.timestamp <= validAfter) revert ERC3009AuthorizationNotYetValid(validAfter, block.timestamp);
        if (block.timestamp >= validBefore) revert ERC3009AuthorizationExpired(validBefore, block.timestamp);
        mapping(bytes32 => bool) storage states = _authorizationStates[from];
        if (states[nonce]) revert ERC3009AuthorizationUsedOrCanceled(from, nonce);
        _requireValidSignature(
            from,
            keccak256(abi.encode(typeHash, from, to, value, validAfter, validBefore, nonce)),
            v,
            r,
            s
        );
        states[nonce] = true;
        emit AuthorizationUsed(from, nonce);
        _transfer(from, to, value);
    }

    function _requireUnusedAuthorization(address authorizer, bytes32 nonce) private view {
        if (_authorizationStates[authorizer][nonce]) revert ERC3009AuthorizationUsedOrCanceled(authorizer, nonce);
    }

    function _requireValidSignature(address signer, bytes32 structHash, uint8 v, bytes32 r, bytes32 s) private view {
        bytes32 digest = _hashTypedDataV4(structHash);
        // Accounts sign with ECDSA (OpenZeppelin rejects high-s and invalid signatures); a contract wallet is asked
        // through ERC-1271 only when the ECDSA check fails and the signer has code.
        // slither-disable-next-line unused-return (why: audit/triage.yml)
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, v, r, s);
        if (error == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (
            signer.code.length == 0 ||
            !SignatureChecker.isValidERC1271SignatureNow(signer, digest, abi.encodePacked(r, s, v))
        ) {
            revert ERC3009InvalidSignature(signer);
        }
    }
}
