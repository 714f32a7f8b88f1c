// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {SettlementLedger} from "./SettlementLedger.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title SettlementRegistry
/// @notice MerchantSettlement's registry and configuration: the accepted tokens and their issuer fee accounts, the fee
/// split and the periods, the merchants and their acquirers. See {IMerchantSettlement}.
/// @dev A linked library: its external functions run in MerchantSettlement's context by DELEGATECALL, called only from
/// MerchantSettlement's functions of the same name, which check the caller's role first (setMerchantActive passes
/// whether the caller holds ACQUIRER_ROLE and checks the rest here). None of them is on a successful payment's path:
/// payments read the registry's records directly from the shared storage (SettlementStorage), and call refuseIntent
/// only to name why they refuse.
library SettlementRegistry {
    uint256 private constant BPS = 10_000;

    /// @dev {IMerchantSettlement-setToken}, after the caller checked the default admin role. Only the admin indexes
    /// tokens, so nobody else can use up the 65,535 token indices a payment record can hold.
    function setToken(address token, address issuerFeeAccount, bool accepted) external {
        if (token == address(0) || issuerFeeAccount == address(0)) revert IMerchantSettlement.SettlementZeroAddress();
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.TokenConfig storage config = $.tokens[token];
        uint16 index = config.index;
        if (index == 0) {
            if ($.tokenCount == type(uint16).max) revert IMerchantSettlement.SettlementTooManyTokens(token);
            unchecked {
                // tokenCount < type(uint16).max was checked above.
                index = ++$.tokenCount;
            }
            config.index = index;
            $.tokenAddresses[index] = token;
        } else if (config.issuerFeeAccount != issuerFeeAccount) {
            // Interchange already earned stays owed to the bank that earned it.
            uint256 earned = SettlementLedger.drainPools(index, true, false);
            if (earned != 0) $.feesOwed[config.issuerFeeAccount][token] += earned;
        }
        config.issuerFeeAccount = issuerFeeAccount;
        config.accepted = accepted;
        emit IMerchantSettlement.TokenSet(token, issuerFeeAccount, accepted);
    }

    /// @dev {IMerchantSettlement-setFeeSplit}, after the caller checked the default admin role.
    function setFeeSplit(uint16 interchangeBps, uint16 networkBps) external {
        if (uint256(interchangeBps) + networkBps > BPS) {
            revert IMerchantSettlement.SettlementFeeSplitTooHigh(interchangeBps, networkBps);
        }
        SettlementStorage.Config storage config = SettlementStorage.layout().config;
        config.interchangeBps = interchangeBps;
        config.networkBps = networkBps;
        emit IMerchantSettlement.FeeSplitSet(interchangeBps, networkBps);
    }

    /// @dev {IMerchantSettlement-setPeriods}, after the caller checked the default admin role.
    function setPeriods(uint64 authorizationPeriod, uint64 refundPeriod) external {
        _requireValidPeriod(authorizationPeriod);
        _requireValidPeriod(refundPeriod);
        SettlementStorage.Config storage config = SettlementStorage.layout().config;
        config.authorizationPeriod = authorizationPeriod;
        config.refundPeriod = refundPeriod;
        emit IMerchantSettlement.PeriodsSet(authorizationPeriod, refundPeriod);
    }

    /// @dev {IMerchantSettlement-registerMerchant}, after the caller checked ACQUIRER_ROLE: the caller (msg.sender,
    /// kept by DELEGATECALL) becomes the merchant's acquirer.
    function registerMerchant(bytes32 merchantId, address payout, address operator, uint16 mdrBps) external {
        if (merchantId == bytes32(0)) revert IMerchantSettlement.SettlementZeroMerchantId();
        if (payout == address(0) || operator == address(0)) revert IMerchantSettlement.SettlementZeroAddress();
        // Tokens settled to the settlement contract itself would be stranded: no one could ever move them.
        if (payout == address(this)) revert IMerchantSettlement.SettlementPayoutIsSettlement();
        if (mdrBps > BPS) revert IMerchantSettlement.SettlementMdrTooHigh(mdrBps);
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        if ($.merchants[merchantId].index != 0)
            revert IMerchantSettlement.SettlementMerchantAlreadyRegistered(merchantId);
        if ($.merchantCount == type(uint32).max) revert IMerchantSettlement.SettlementTooManyMerchants();
        uint32 acquirer = $.acquirerIndexes[msg.sender];
        if (acquirer == 0) {
            $.acquirers.push(msg.sender);
            // At most one acquirer per merchant, so fewer than 2**32 of them (the count was checked above).
            acquirer = uint32($.acquirers.length);
            $.acquirerIndexes[msg.sender] = acquirer;
        }
        uint32 index;
        unchecked {
            // merchantCount < type(uint32).max was checked above.
            index = ++$.merchantCount;
        }
        $.merchants[merchantId] = SettlementStorage.MerchantEntry({
            payout: payout,
            index: index,
            acquirer: acquirer,
            mdrBps: mdrBps,
            active: true
        });
        $.merchantAccounts[index] = SettlementStorage.MerchantAccount({
            operator: operator,
            acquirer: acquirer,
            mdrBps: mdrBps
        });
        $.merchantIds[index] = merchantId;
        emit IMerchantSettlement.MerchantRegistered(merchantId, msg.sender, payout, operator, mdrBps);
    }

    /// @dev {IMerchantSettlement-setMerchantActive}: only the merchant's own acquirer, while it holds ACQUIRER_ROLE
    /// (`holdsRole`, checked by the caller) and can transact.
    function setMerchantActive(IComplianceRegistry registry, bytes32 merchantId, bool active, bool holdsRole) external {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.MerchantEntry storage merchant = $.merchants[merchantId];
        if (merchant.index == 0) revert IMerchantSettlement.SettlementUnknownMerchant(merchantId);
        if (!holdsRole || $.acquirerIndexes[msg.sender] != merchant.acquirer) {
            revert IMerchantSettlement.SettlementNotMerchantAcquirer(merchantId, msg.sender);
        }
        if (!registry.canTransact(msg.sender)) revert IMerchantSettlement.SettlementCannotTransact(msg.sender);
        merchant.active = active;
        emit IMerchantSettlement.MerchantActiveSet(merchantId, active);
    }

    /// @dev Names why MerchantSettlement refuses to open a payment for `intent` (it calls this only then), in this
    /// order: an unknown merchant, an inactive one, a token not accepted, an expired intent, a zero amount, an amount
    /// wider than a payment record (uint64). Always reverts.
    function refuseIntent(IMerchantSettlement.PaymentIntent calldata intent) external view {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.MerchantEntry memory merchant = $.merchants[intent.merchantId];
        if (merchant.index == 0) revert IMerchantSettlement.SettlementUnknownMerchant(intent.merchantId);
        if (!merchant.active) revert IMerchantSettlement.SettlementMerchantInactive(intent.merchantId);
        if (!$.tokens[intent.token].accepted) revert IMerchantSettlement.SettlementTokenNotAccepted(intent.token);
        if (block.timestamp >= intent.expiresAt) {
            revert IMerchantSettlement.SettlementIntentExpired(intent.expiresAt, block.timestamp);
        }
        if (intent.amount == 0) revert IMerchantSettlement.SettlementZeroAmount();
        revert IMerchantSettlement.SettlementAmountTooLarge(intent.amount, type(uint64).max);
    }

    /// @dev {IMerchantSettlement-merchantOf}.
    function merchantOf(
        bytes32 merchantId
    ) external view returns (address payout, address operator, address acquirer, uint16 mdrBps, bool active) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.MerchantEntry memory merchant = $.merchants[merchantId];
        return (
            merchant.payout,
            $.merchantAccounts[merchant.index].operator,
            merchant.acquirer == 0 ? address(0) : $.acquirers[merchant.acquirer - 1],
            merchant.mdrBps,
            merchant.active
        );
    }

    function _requireValidPeriod(uint64 period) private pure {
        if (period == 0 || period > SettlementStorage.MAX_PERIOD)
            revert IMerchantSettlement.SettlementInvalidPeriod(period);
    }
}
