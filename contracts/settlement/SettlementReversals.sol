// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {CrossCurrencyPayments} from "./CrossCurrencyPayments.sol";
import {PaymentGuards} from "./PaymentGuards.sol";
import {SettlementLedger} from "./SettlementLedger.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title SettlementReversals
/// @notice The lifecycle's way back to the payer: void and reclaim (the uncaptured remainder of an authorization) and
/// refund (of what was captured). See {IMerchantSettlement-void}, {IMerchantSettlement-reclaim} and
/// {IMerchantSettlement-refund}. Also the payment's view ({IMerchantSettlement-paymentOf}) and the naming of a refused
/// capture, both rarely run, kept out of MerchantSettlement's bytes.
/// @dev A linked library: its external functions run in MerchantSettlement's context by DELEGATECALL, called only from
/// MerchantSettlement's functions of the same name (inside its reentrancy guard). Each does the checks, the effects
/// and the event, pulls a refund's shortfall from the caller, and returns what is owed to the payer:
/// MerchantSettlement pays it or holds it for the payer (HeldFunds), the last step.
library SettlementReversals {
    using SafeERC20 for IERC20;

    uint256 private constant AUTHORIZED = 1 << uint8(IMerchantSettlement.Status.Authorized);
    /// @dev A payment can be refunded in any status once something was captured (the amount check sees to that).
    uint256 private constant REFUNDABLE =
        AUTHORIZED |
            (1 << uint8(IMerchantSettlement.Status.Captured)) |
            (1 << uint8(IMerchantSettlement.Status.Voided)) |
            (1 << uint8(IMerchantSettlement.Status.Reclaimed));

    /// @dev {IMerchantSettlement-void}: the merchant's operator or acquirer, able to transact.
    function void(
        IComplianceRegistry registry,
        bytes32 paymentId
    ) external returns (address token, address payer, uint256 remainder) {
        SettlementStorage.Payment memory payment = PaymentGuards.load(paymentId, AUTHORIZED);
        PaymentGuards.requireActing(paymentId, SettlementStorage.layout().merchantAccounts[payment.merchant], _hasRole);
        PaymentGuards.requireCanTransact(registry, msg.sender);
        remainder = _close(paymentId, payment, IMerchantSettlement.Status.Voided);
        emit IMerchantSettlement.PaymentVoided(paymentId, remainder);
        return _owedBack(paymentId, payment, remainder);
    }

    /// @dev {IMerchantSettlement-reclaim}: the payer, from the authorization expiry on.
    function reclaim(bytes32 paymentId) external returns (address token, address payer, uint256 remainder) {
        SettlementStorage.Payment memory payment = PaymentGuards.load(paymentId, AUTHORIZED);
        if (msg.sender != payment.payer) revert IMerchantSettlement.SettlementUnauthorizedCaller(paymentId, msg.sender);
        if (block.timestamp < payment.authorizationExpiry) {
            revert IMerchantSettlement.SettlementAuthorizationNotExpired(
                paymentId,
                payment.authorizationExpiry,
                block.timestamp
            );
        }
        remainder = _close(paymentId, payment, IMerchantSettlement.Status.Reclaimed);
        emit IMerchantSettlement.PaymentReclaimed(paymentId, remainder);
        return _owedBack(paymentId, payment, remainder);
    }

    /// @dev {IMerchantSettlement-refund}: the merchant's operator or acquirer, able to transact, before the refund
    /// deadline. The refund comes out of the merchant's pending settlement; a shortfall is pulled from the caller.
    function refund(
        IComplianceRegistry registry,
        bytes32 paymentId,
        uint256 amount
    ) external returns (address token, address payer) {
        SettlementStorage.Payment memory payment = PaymentGuards.load(paymentId, REFUNDABLE);
        // A cross-currency payment is refunded in the payer's token, at a refund quote (CrossCurrencyPayments).
        if (payment.flags & SettlementStorage.FLAG_CROSS_CURRENCY != 0) {
            revert IMerchantSettlement.SettlementRefundNeedsQuote(paymentId);
        }
        PaymentGuards.requireActing(paymentId, SettlementStorage.layout().merchantAccounts[payment.merchant], _hasRole);
        PaymentGuards.requireCanTransact(registry, msg.sender);
        PaymentGuards.requireRefundable(paymentId, payment, amount);
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        unchecked {
            // amount <= captured - refunded (requireRefundable), so refunded + amount <= captured, which fits uint64.
            $.payments[paymentId].refunded = uint64(payment.refunded + amount);
        }
        uint256 fromCaller = SettlementLedger.debitRefund(payment.merchant, payment.token, amount);
        emit IMerchantSettlement.PaymentRefunded(paymentId, msg.sender, amount, fromCaller);

        token = $.tokenAddresses[payment.token];
        if (fromCaller != 0) IERC20(token).safeTransferFrom(msg.sender, address(this), fromCaller);
        return (token, payment.payer);
    }

    /// @dev {IMerchantSettlement-paymentOf}.
    function paymentOf(
        bytes32 paymentId
    )
        external
        view
        returns (
            IMerchantSettlement.Status status,
            address payer,
            bytes32 merchantId,
            address token,
            uint256 authorized,
            uint256 captured,
            uint256 refunded,
            uint64 authorizationExpiry
        )
    {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Payment memory payment = $.payments[paymentId];
        return (
            payment.status,
            payment.payer,
            $.merchantIds[payment.merchant],
            $.tokenAddresses[payment.token],
            payment.authorized,
            payment.captured,
            payment.refunded,
            payment.authorizationExpiry
        );
    }

    /// @dev Names why MerchantSettlement.capture refuses to capture `amount` of `paymentId` (it calls this only then,
    /// after the status and caller checks), in this order: the authorization expired, a zero amount, an amount above
    /// what is left, the payer cannot transact (issue 9: its authorization is still its money), the caller cannot
    /// transact. Always reverts.
    function refuseCapture(IComplianceRegistry registry, bytes32 paymentId, uint256 amount) external view {
        SettlementStorage.Payment memory payment = SettlementStorage.layout().payments[paymentId];
        if (block.timestamp >= payment.authorizationExpiry) {
            revert IMerchantSettlement.SettlementAuthorizationExpired(
                paymentId,
                payment.authorizationExpiry,
                block.timestamp
            );
        }
        if (amount == 0) revert IMerchantSettlement.SettlementZeroAmount();
        uint256 capturable = payment.authorized - payment.captured;
        if (amount > capturable) {
            revert IMerchantSettlement.SettlementCaptureExceedsAuthorized(paymentId, amount, capturable);
        }
        if (!registry.canTransact(payment.payer)) {
            revert IMerchantSettlement.SettlementPayerCannotTransact(paymentId, payment.payer);
        }
        revert IMerchantSettlement.SettlementCannotTransact(msg.sender);
    }

    /// @dev The contract's own AccessControl, read from here through a call to itself.
    function _hasRole(bytes32 role, address account) private view returns (bool) {
        return IAccessControl(address(this)).hasRole(role, account);
    }

    /// @dev What a closed authorization owes its payer, and in which token: the uncaptured `remainder` of the payment's
    /// token, or, for a cross-currency payment (issue 11), the uncaptured source amount in the payer's token, once its
    /// other leg went back to the LP (CrossCurrencyPayments.release).
    function _owedBack(
        bytes32 paymentId,
        SettlementStorage.Payment memory payment,
        uint256 remainder
    ) private returns (address token, address payer, uint256 amount) {
        if (payment.flags & SettlementStorage.FLAG_CROSS_CURRENCY != 0) {
            (token, amount) = CrossCurrencyPayments.release(paymentId, payment);
            return (token, payment.payer, amount);
        }
        return (SettlementStorage.layout().tokenAddresses[payment.token], payment.payer, remainder);
    }

    /// @dev Closes an authorization in `status`, crediting the acquirer the residue unit its fee held back (FeeMath);
    /// returns the uncaptured remainder, owed to the payer.
    function _close(
        bytes32 paymentId,
        SettlementStorage.Payment memory payment,
        IMerchantSettlement.Status status
    ) private returns (uint256 remainder) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Payment storage record = $.payments[paymentId];
        record.status = status;
        if (payment.flags & SettlementStorage.FLAG_ACQUIRER_UNIT_HELD != 0) {
            record.flags = payment.flags & ~SettlementStorage.FLAG_ACQUIRER_UNIT_HELD;
            SettlementLedger.releaseHeldUnit($.merchantAccounts[payment.merchant].acquirer, payment.token);
        }
        unchecked {
            // captured <= authorized always.
            remainder = payment.authorized - payment.captured;
        }
    }
}
