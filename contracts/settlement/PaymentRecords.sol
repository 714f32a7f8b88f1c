// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {FeeMath} from "./FeeMath.sol";
import {SettlementLedger} from "./SettlementLedger.sol";
import {SettlementRegistry} from "./SettlementRegistry.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title PaymentRecords
/// @notice How a payment comes to exist, written once for both kinds of entry point: the checks of its intent, its
/// payment id, its record and, for a charge, the capture in full with its fee split. MerchantSettlement opens the
/// payments paid in the intent's token; CrossCurrencyPayments (issue 11) those paid in another token at a quote.
/// @dev Internal: compiled into each caller, so a charge pays no library call for it.
library PaymentRecords {
    uint256 private constant MAX_PAYMENT_AMOUNT = type(uint64).max;

    /// @dev {IMerchantSettlement-paymentId}.
    function idOf(IMerchantSettlement.PaymentIntent calldata intent, address payer) internal view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), intent, payer));
    }

    /// @dev Checks `intent` and records its payment by `payer` (authorized, or captured in full when `captureNow`);
    /// `sourceToken` is the index of the token a cross-currency payment is paid in, 0 for a payment in the intent's
    /// token. The caller then moves the funds.
    function open(
        IMerchantSettlement.PaymentIntent calldata intent,
        address payer,
        bool captureNow,
        uint16 sourceToken
    ) internal returns (bytes32 paymentId) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.MerchantEntry memory merchant = $.merchants[intent.merchantId];
        SettlementStorage.TokenConfig memory token = $.tokens[intent.token];
        uint256 amount = intent.amount;
        // Refused: an unknown or inactive merchant (an unknown one is never active), a token not accepted, an expired
        // intent, an amount of zero or wider than a record. SettlementRegistry.refuseIntent names the reason (see
        // MerchantSettlement.capture).
        if (
            !merchant.active ||
            !token.accepted ||
            block.timestamp >= intent.expiresAt ||
            amount == 0 ||
            amount > MAX_PAYMENT_AMOUNT
        ) SettlementRegistry.refuseIntent(intent);

        paymentId = idOf(intent, payer);
        if ($.payments[paymentId].status != IMerchantSettlement.Status.None) {
            revert IMerchantSettlement.SettlementPaymentExists(paymentId);
        }
        SettlementStorage.Config memory config = $.config;
        // The periods are at most MAX_PERIOD, so the sums fit uint40 for thousands of years. A charge is an
        // authorization that expires as it is made, captured in full: one record written either way.
        uint40 expiry = uint40(captureNow ? block.timestamp : block.timestamp + config.authorizationPeriod);
        $.payments[paymentId] = SettlementStorage.Payment({
            payer: payer,
            authorized: uint64(amount),
            merchant: merchant.index,
            captured: captureNow ? uint64(amount) : 0,
            refunded: 0,
            authorizationExpiry: expiry,
            refundDeadline: captureNow ? uint40(block.timestamp + config.refundPeriod) : 0,
            token: token.index,
            status: captureNow ? IMerchantSettlement.Status.Captured : IMerchantSettlement.Status.Authorized,
            flags: sourceToken == 0 ? 0 : SettlementStorage.FLAG_CROSS_CURRENCY,
            sourceToken: sourceToken
        });
        _emitAuthorized(paymentId, intent, payer, expiry);
        if (captureNow) {
            FeeMath.Credit memory c = FeeMath.credit(
                0,
                amount,
                merchant.mdrBps,
                config.interchangeBps,
                config.networkBps,
                false,
                true
            );
            SettlementLedger.credit(merchant.index, merchant.acquirer, token.index, amount, c);
            emit IMerchantSettlement.PaymentCaptured(paymentId, amount, c.fee);
        }
    }

    /// @dev {IMerchantSettlement-PaymentAuthorized}, apart so that `open` stays within the stack.
    function _emitAuthorized(
        bytes32 paymentId,
        IMerchantSettlement.PaymentIntent calldata intent,
        address payer,
        uint40 expiry
    ) private {
        emit IMerchantSettlement.PaymentAuthorized(
            paymentId,
            intent.merchantId,
            payer,
            intent.token,
            intent.amount,
            intent.orderRef,
            expiry
        );
    }
}
