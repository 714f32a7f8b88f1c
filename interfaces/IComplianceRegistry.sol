// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IComplianceRegistry
/// @notice The KYC allowlist and enforcement list shared by every Crosspay deposit token, escrow and settlement
/// contract. KYC officers verify accounts for a jurisdiction until an expiry; enforcement officers freeze and
/// unfreeze accounts. An account can transact when it is verified, its verification has not expired, and it is not
/// frozen.
/// @dev A freeze is independent of verification: revoking or renewing KYC never lifts a freeze, and an account can
/// be frozen before it was ever verified (a sanctioned address, say).
interface IComplianceRegistry {
    /// @notice An account or argument that must be non-zero was the zero address.
    error ComplianceRegistryZeroAddress();
    /// @notice The verification expiry is not in the future.
    error ComplianceRegistryExpiryNotInFuture(uint64 expiresAt, uint256 currentTime);
    /// @notice The jurisdiction is not two upper-case ASCII letters (ISO 3166-1 alpha-2).
    error ComplianceRegistryInvalidJurisdiction(bytes2 jurisdiction);
    /// @notice The account has no verification to revoke.
    error ComplianceRegistryNotVerified(address account);
    /// @notice The account is already frozen.
    error ComplianceRegistryAlreadyFrozen(address account);
    /// @notice The account is not frozen.
    error ComplianceRegistryNotFrozen(address account);
    /// @notice A batch had no accounts.
    error ComplianceRegistryEmptyBatch();
    /// @notice A batch had more accounts than `MAX_VERIFICATION_BATCH`, more than a block can take.
    error ComplianceRegistryBatchTooLarge(uint256 size, uint256 maxSize);

    /// @notice `account` was verified for `jurisdiction` until `expiresAt` (a renewal emits this again).
    event Verified(address indexed account, bytes2 indexed jurisdiction, uint64 expiresAt, address indexed officer);
    /// @notice The verification of `account` was revoked.
    event Revoked(address indexed account, address indexed officer);
    /// @notice `account` was frozen for `reason` (a case or legal reference).
    event Frozen(address indexed account, bytes32 reason, address indexed officer);
    /// @notice `account` was unfrozen.
    event Unfrozen(address indexed account, address indexed officer);

    /// @notice The role that verifies and revokes accounts.
    function KYC_OFFICER_ROLE() external view returns (bytes32);

    /// @notice The role that freezes and unfreezes accounts.
    function ENFORCEMENT_ROLE() external view returns (bytes32);

    /// @notice The most accounts one setVerifiedBatch takes (each new account is a new storage slot, about 25,000
    /// gas: 500 fit in half a 30M-gas block).
    function MAX_VERIFICATION_BATCH() external view returns (uint256);

    /// @notice Verifies `account` (or renews its verification) for `jurisdiction` until `expiresAt`.
    /// @dev KYC_OFFICER_ROLE. Leaves a freeze in place.
    /// @param account The customer, merchant or system contract.
    /// @param jurisdiction ISO 3166-1 alpha-2 code, e.g. "CN" or "HK".
    /// @param expiresAt Unix time at which the verification lapses; must be in the future.
    function setVerified(address account, bytes2 jurisdiction, uint64 expiresAt) external;

    /// @notice Verifies every account in `accounts` for `jurisdiction` until `expiresAt`; all or none.
    /// @dev KYC_OFFICER_ROLE. At most MAX_VERIFICATION_BATCH accounts, refused up front beyond.
    function setVerifiedBatch(address[] calldata accounts, bytes2 jurisdiction, uint64 expiresAt) external;

    /// @notice Removes the verification of `account`. Leaves a freeze in place.
    /// @dev KYC_OFFICER_ROLE.
    function revoke(address account) external;

    /// @notice Freezes `account`: it can no longer send, receive or be paid until unfrozen; only a seizure moves
    /// its deposits.
    /// @dev ENFORCEMENT_ROLE.
    /// @param reason A case or legal reference, kept in the event.
    function freeze(address account, bytes32 reason) external;

    /// @notice Lifts the freeze on `account`.
    /// @dev ENFORCEMENT_ROLE.
    function unfreeze(address account) external;

    /// @notice Whether `account` is verified and its verification has not expired.
    function isVerified(address account) external view returns (bool);

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);

    /// @notice The jurisdiction `account` was verified for (zero when never verified or revoked).
    function jurisdictionOf(address account) external view returns (bytes2);

    /// @notice When the verification of `account` lapses (zero when never verified or revoked).
    function verificationExpiry(address account) external view returns (uint64);

    /// @notice Whether `account` is verified, unexpired and not frozen.
    function canTransact(address account) external view returns (bool);

    /// @notice Whether a balance change from `from` to `to` is allowed: each non-zero end can transact.
    /// @dev One call for a token's balance hook; the zero address stands for a mint (`from`) or a burn (`to`).
    function canTransfer(address from, address to) external view returns (bool);
}
