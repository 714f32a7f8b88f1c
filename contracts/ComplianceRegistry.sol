// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {AdminRules} from "./AdminRules.sol";

/// @title ComplianceRegistry
/// @notice KYC allowlist and enforcement list for Crosspay. See {IComplianceRegistry}.
/// @dev One storage slot per account, so a token's transfer hook pays one cold read per end.
contract ComplianceRegistry is IComplianceRegistry, AdminRules {
    /// @dev Packed into one slot: 8 + 2 + 1 bytes.
    struct Record {
        uint64 expiresAt;
        bytes2 jurisdiction;
        bool frozen;
    }

    bytes32 public constant KYC_OFFICER_ROLE = keccak256("KYC_OFFICER_ROLE");
    bytes32 public constant ENFORCEMENT_ROLE = keccak256("ENFORCEMENT_ROLE");

    uint256 public constant MAX_VERIFICATION_BATCH = 500;

    mapping(address account => Record) private _records;

    /// @param admin The default admin; it grants the officer roles.
    constructor(address admin) AdminRules(admin) {}

    /// @inheritdoc IComplianceRegistry
    function setVerified(address account, bytes2 jurisdiction, uint64 expiresAt) external onlyRole(KYC_OFFICER_ROLE) {
        _requireValidVerification(jurisdiction, expiresAt);
        _verify(account, jurisdiction, expiresAt);
    }

    /// @inheritdoc IComplianceRegistry
    function setVerifiedBatch(
        address[] calldata accounts,
        bytes2 jurisdiction,
        uint64 expiresAt
    ) external onlyRole(KYC_OFFICER_ROLE) {
        if (accounts.length == 0) revert ComplianceRegistryEmptyBatch();
        if (accounts.length > MAX_VERIFICATION_BATCH) {
            revert ComplianceRegistryBatchTooLarge(accounts.length, MAX_VERIFICATION_BATCH);
        }
        _requireValidVerification(jurisdiction, expiresAt);
        for (uint256 i; i < accounts.length; ++i) {
            _verify(accounts[i], jurisdiction, expiresAt);
        }
    }

    /// @inheritdoc IComplianceRegistry
    function revoke(address account) external onlyRole(KYC_OFFICER_ROLE) {
        Record storage record = _records[account];
        if (record.expiresAt == 0) revert ComplianceRegistryNotVerified(account);
        record.expiresAt = 0;
        record.jurisdiction = bytes2(0);
        emit Revoked(account, msg.sender);
    }

    /// @inheritdoc IComplianceRegistry
    function freeze(address account, bytes32 reason) external onlyRole(ENFORCEMENT_ROLE) {
        if (account == address(0)) revert ComplianceRegistryZeroAddress();
        Record storage record = _records[account];
        if (record.frozen) revert ComplianceRegistryAlreadyFrozen(account);
        record.frozen = true;
        emit Frozen(account, reason, msg.sender);
    }

    /// @inheritdoc IComplianceRegistry
    function unfreeze(address account) external onlyRole(ENFORCEMENT_ROLE) {
        Record storage record = _records[account];
        if (!record.frozen) revert ComplianceRegistryNotFrozen(account);
        record.frozen = false;
        emit Unfrozen(account, msg.sender);
    }

    /// @inheritdoc IComplianceRegistry
    function isVerified(address account) public view returns (bool) {
        return _records[account].expiresAt > block.timestamp;
    }

    /// @inheritdoc IComplianceRegistry
    function isFrozen(address account) external view returns (bool) {
        return _records[account].frozen;
    }

    /// @inheritdoc IComplianceRegistry
    function jurisdictionOf(address account) external view returns (bytes2) {
        return _records[account].jurisdiction;
    }

    /// @inheritdoc IComplianceRegistry
    function verificationExpiry(address account) external view returns (uint64) {
        return _records[account].expiresAt;
    }

    /// @inheritdoc IComplianceRegistry
    function canTransact(address account) public view returns (bool) {
        return _canTransact(_records[account]);
    }

    /// @inheritdoc IComplianceRegistry
    function canTransfer(address from, address to) external view returns (bool) {
        return (from == address(0) || _canTransact(_records[from])) && (to == address(0) || _canTransact(_records[to]));
    }

    function _verify(address account, bytes2 jurisdiction, uint64 expiresAt) private {
        if (account == address(0)) revert ComplianceRegistryZeroAddress();
        Record storage record = _records[account];
        record.expiresAt = expiresAt;
        record.jurisdiction = jurisdiction;
        emit Verified(account, jurisdiction, expiresAt, msg.sender);
    }

    function _canTransact(Record storage record) private view returns (bool) {
        return record.expiresAt > block.timestamp && !record.frozen;
    }

    function _requireValidVerification(bytes2 jurisdiction, uint64 expiresAt) private view {
        if (expiresAt <= block.timestamp) revert ComplianceRegistryExpiryNotInFuture(expiresAt, block.timestamp);
        if (!_isUpperLetter(jurisdiction[0]) || !_isUpperLetter(jurisdiction[1])) {
            revert ComplianceRegistryInvalidJurisdiction(jurisdiction);
        }
    }

    function _isUpperLetter(bytes1 c) private pure returns (bool) {
        return c >= "A" && c <= "Z";
    }
}
