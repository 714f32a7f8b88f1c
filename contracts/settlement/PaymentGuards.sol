// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title PaymentGuards
/// @notice The checks every operation on a payment starts with, written once for MerchantSettlement and the linked
/// SettlementReversals: reading the record, the one status guard, who may act for the merchant, and that an actor can
/// transact.
/// @dev Internal: compiled into each caller. Each is a function, not inline code, because the optimizer (100,000 runs)
/// would otherwise repeat a record's unpacking at every site.
library PaymentGuards {
    /// @dev MerchantSettlement.ACQUIRER_ROLE.
    bytes32 internal constant ACQUIRER_ROLE = keccak256("ACQUIRER_ROLE");

    /// @dev The payment `paymentId` in memory, which must be in one of the `allowed` statuses (a bitmask of
    /// 1 << status). The one transition guard of the lifecycle.
    function load(bytes32 paymentId, uint256 allowed) internal view returns (SettlementStorage.Payment memory payment) {
        payment = SettlementStorage.layout().payments[paymentId];
        // Slither's field-insensitive taint marks the status as derived from block.timestamp (a payment's expiry
        // sits in the same record); this is a bit test of the status against a constant mask, no time or balance
        // (false positive of incorrect-equality).
        // slither-disable-next-line incorrect-equality
        if ((1 << uint8(payment.status)) & allowed == 0) {
            revert IMerchantSettlement.SettlementUnexpectedStatus(paymentId, payment.status);
        }
    }

    /// @dev The merchant account `merchantIndex`, when the caller may act for it (see {requireActing}).
    function merchantActing(
        bytes32 paymentId,
        uint32 merchantIndex,
        function(bytes32, address) view returns (bool) hasRole
    ) internal view returns (SettlementStorage.MerchantAccount memory merchant) {
        merchant = SettlementStorage.layout().merchantAccounts[merchantIndex];
        requireActing(paymentId, merchant, hasRole);
    }

    /// @dev Only the merchant's operator, or its acquirer while it holds ACQUIRER_ROLE, may move the merchant's
    /// payments. `hasRole` is how the caller reads the contract's roles (MerchantSettlement its own AccessControl; a
    /// linked library a call to the contract), asked only when the caller is not the operator.
    function requireActing(
        bytes32 paymentId,
        SettlementStorage.MerchantAccount memory merchant,
        function(bytes32, address) view returns (bool) hasRole
    ) internal view {
        if (msg.sender == merchant.operator) return;
        if (
            SettlementStorage.layout().acquirerIndexes[msg.sender] == merchant.acquirer &&
            hasRole(ACQUIRER_ROLE, msg.sender)
        ) return;
        revert IMerchantSettlement.SettlementUnauthorizedCaller(paymentId, msg.sender);
    }

    /// @dev `amount` of `payment` can be refunded now: it is not zero, it is within what was captured and not refunded
    /// yet, and the refund deadline has not passed. The refunds of both kinds of payment check this (issue 11).
    function requireRefundable(
        bytes32 paymentId,
        SettlementStorage.Payment memory payment,
        uint256 amount
    ) internal view {
        if (amount == 0) revert IMerchantSettlement.SettlementZeroAmount();
        uint256 refundable;
        unchecked {
            // refunded <= captured always.
            refundable = payment.captured - payment.refunded;
        }
        if (amount > refundable) {
            revert IMerchantSettlement.SettlementRefundExceedsCaptured(paymentId, amount, refundable);
        }
        if (block.timestamp >= payment.refundDeadline) {
            revert IMerchantSettlement.SettlementRefundPeriodOver(paymentId, payment.refundDeadline, block.timestamp);
        }
    }

    /// @dev A party acting on someone else's money must itself be able to transact.
    function requireCanTransact(IComplianceRegistry registry, address account) internal view {
        if (!registry.canTransact(account)) revert IMerchantSettlement.SettlementCannotTransact(account);
    }
}
