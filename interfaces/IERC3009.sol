// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC3009
/// @notice EIP-3009 "Transfer With Authorization": token transfers authorised by an EIP-712 signature of the holder,
/// submitted by anyone (a relayer pays the gas). Nonces are random 32-byte values, not a sequence, so several
/// authorisations can be outstanding at once.
interface IERC3009 {
    /// @notice The authorisation is not valid yet (`block.timestamp <= validAfter`).
    error ERC3009AuthorizationNotYetValid(uint256 validAfter, uint256 currentTime);
    /// @notice The authorisation has expired (`block.timestamp >= validBefore`).
    error ERC3009AuthorizationExpired(uint256 validBefore, uint256 currentTime);
    /// @notice The nonce was already used or cancelled.
    error ERC3009AuthorizationUsedOrCanceled(address authorizer, bytes32 nonce);
    /// @notice The signature is not the authorizer's (or is malleable: s in the upper half of the curve order).
    error ERC3009InvalidSignature(address authorizer);
    /// @notice receiveWithAuthorization was called by someone other than the payee.
    error ERC3009CallerMustBePayee(address caller, address payee);

    /// @notice The authorisation `nonce` of `authorizer` was used.
    event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce);
    /// @notice The authorisation `nonce` of `authorizer` was cancelled.
    event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce);

    /// @notice keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    function TRANSFER_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
    function RECEIVE_WITH_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice keccak256("CancelAuthorization(address authorizer,bytes32 nonce)")
    function CANCEL_AUTHORIZATION_TYPEHASH() external view returns (bytes32);

    /// @notice Whether `nonce` of `authorizer` was used or cancelled.
    function authorizationState(address authorizer, bytes32 nonce) external view returns (bool);

    /// @notice Executes a transfer signed by `from`.
    /// @dev Anyone can submit it. Contracts paying themselves should use {receiveWithAuthorization}: a
    /// transferWithAuthorization lifted from the mempool can be front-run.
    /// @param from The payer, who signed.
    /// @param to The payee.
    /// @param value The amount.
    /// @param validAfter Valid only strictly after this time.
    /// @param validBefore Valid only strictly before this time.
    /// @param nonce A unique random nonce.
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
    ) external;

    /// @notice Executes a transfer signed by `from`, callable only by the payee `to`.
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
    ) external;

    /// @notice Cancels an unused authorisation of `authorizer`, signed by it.
    function cancelAuthorization(address authorizer, bytes32 nonce, uint8 v, bytes32 r, bytes32 s) external;
}
