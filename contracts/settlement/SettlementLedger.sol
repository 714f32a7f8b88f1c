// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {FeeMath} from "./FeeMath.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title SettlementLedger
/// @notice MerchantSettlement's money ledgers: each merchant's pending settlement and each acquirer's fee pool per
/// token, batched settlement and fee withdrawals. See {IMerchantSettlement-settle} and
/// {IMerchantSettlement-withdrawFees}.
/// @dev A linked library: its external functions run in MerchantSettlement's context by DELEGATECALL (its storage,
/// its balance, its address in events), called only from MerchantSettlement's functions of the same name, which do
/// the access control and the reentrancy guard. Its internal functions (the credits of a capture) are compiled into
/// MerchantSettlement itself, because every capture and charge runs them: a library call there would cost a cold
/// account access (2,600 gas) per payment.
library SettlementLedger {
    using SafeERC20 for IERC20;

    uint256 private constant MAX_LEDGER_TOTAL = type(uint72).max;
    uint256 private constant MAX_POOL_TOTAL = type(uint80).max;

    // -----------------------------------------------------------------------------------------------------------------
    // External: called (DELEGATECALL) by MerchantSettlement
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev One settlement batch, as each of its merchants is settled.
    struct Batch {
        IComplianceRegistry registry;
        address token;
        uint16 tokenIndex;
        uint40 number;
        bytes32 id;
    }

    /// @dev {IMerchantSettlement-settle}, after the caller checked SETTLER_ROLE. Each merchant is handled
    /// checks-effects-events-interactions in turn.
    function settle(
        IComplianceRegistry registry,
        address token,
        bytes32[] calldata merchantIds
    ) external returns (bytes32 batchId) {
        uint256 count = merchantIds.length;
        if (count == 0) revert IMerchantSettlement.SettlementEmptyBatch();
        uint256 max = SettlementStorage.MAX_SETTLEMENT_BATCH;
        if (count > max) revert IMerchantSettlement.SettlementBatchTooLarge(count, max);
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        uint16 tokenIndex = $.tokens[token].index;
        if (tokenIndex == 0) revert IMerchantSettlement.SettlementUnknownToken(token);
        uint40 number;
        unchecked {
            // 2**40 batches: one a second for 34,000 years.
            number = $.batchCount + 1;
        }
        $.batchCount = number;
        batchId = keccak256(abi.encode(block.chainid, address(this), token, uint256(number)));
        Batch memory batch = Batch(registry, token, tokenIndex, number, batchId);

        uint256 settled = 0;
        uint256 total = 0;
        for (uint256 i; i < count; ++i) {
            (bool paid, uint256 net) = _settleMerchant(batch, merchantIds[i]);
            if (paid) {
                unchecked {
                    // Bounded by the batch size and by the tokens this contract holds.
                    ++settled;
                    total += net;
                }
            }
        }
        emit IMerchantSettlement.BatchSettled(batchId, token, msg.sender, settled, count - settled, total);
    }

    /// @dev {IMerchantSettlement-withdrawFees}: pays the caller what it is owed in `token`.
    function withdrawFees(address token, address networkFeeAccount) external {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.TokenConfig memory config = $.tokens[token];
        if (config.index == 0) revert IMerchantSettlement.SettlementUnknownToken(token);
        uint256 amount = $.feesOwed[msg.sender][token];
        if (amount != 0) $.feesOwed[msg.sender][token] = 0;
        bool isIssuer = msg.sender == config.issuerFeeAccount;
        bool isNetwork = msg.sender == networkFeeAccount;
        if (isIssuer || isNetwork) amount += drainPools(config.index, isIssuer, isNetwork);
        uint32 acquirer = $.acquirerIndexes[msg.sender];
        if (acquirer != 0) {
            SettlementStorage.FeePool storage pool = $.feePools[acquirer][config.index];
            amount += pool.acquirer;
            pool.acquirer = 0;
        }
        if (amount == 0) revert IMerchantSettlement.SettlementNothingToWithdraw(msg.sender, token);
        emit IMerchantSettlement.FeesWithdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @dev {IMerchantSettlement-feesOwed}.
    function feesOwed(address account, address token, address networkFeeAccount) external view returns (uint256 owed) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        owed = $.feesOwed[account][token];
        SettlementStorage.TokenConfig memory config = $.tokens[token];
        if (config.index == 0) return owed;
        bool isIssuer = account == config.issuerFeeAccount;
        bool isNetwork = account == networkFeeAccount;
        if (isIssuer || isNetwork) {
            uint256 acquirers = $.acquirers.length;
            for (uint32 acquirer = 1; acquirer <= acquirers; ++acquirer) {
                SettlementStorage.FeePool memory pool = $.feePools[acquirer][config.index];
                if (isIssuer) owed += pool.interchange;
                if (isNetwork) owed += pool.network;
            }
        }
        uint32 acquirerIndex = $.acquirerIndexes[account];
        if (acquirerIndex != 0) owed += $.feePools[acquirerIndex][config.index].acquirer;
    }

    /// @dev {IMerchantSettlement-pendingSettlement}.
    function pendingSettlement(bytes32 merchantId, address token) external view returns (uint256) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Ledger memory ledger = $.ledgers[$.merchants[merchantId].index][$.tokens[token].index];
        return uint256(ledger.gross) - ledger.fees - ledger.refunds;
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Internal: compiled into the caller
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev Credits one capture of `amount` (split as `c` by FeeMath) to the merchant's pending settlement and to its
    /// acquirer's fee pool in the token.
    function credit(uint32 merchant, uint32 acquirer, uint16 token, uint256 amount, FeeMath.Credit memory c) internal {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Ledger memory ledger = $.ledgers[merchant][token];
        ledger.gross = _addToLedger(ledger.gross, amount);
        ledger.fees = _addToLedger(ledger.fees, c.fee);
        $.ledgers[merchant][token] = ledger;

        SettlementStorage.FeePool memory pool = $.feePools[acquirer][token];
        pool.interchange = _addToPool(pool.interchange, c.interchange);
        pool.network = _addToPool(pool.network, c.network);
        pool.acquirer = _addToPool(pool.acquirer, c.acquirer);
        pool.live = true;
        $.feePools[acquirer][token] = pool;
    }

    /// @dev Credits the acquirer's residue unit held for a payment that closes (FeeMath).
    function releaseHeldUnit(uint32 acquirer, uint16 token) internal {
        SettlementStorage.FeePool storage pool = SettlementStorage.layout().feePools[acquirer][token];
        pool.acquirer = _addToPool(pool.acquirer, 1);
    }

    /// @dev Refunds `amount` out of the merchant's pending settlement as far as it goes; returns what it did not
    /// cover (the caller pulls it from the refunder).
    function debitRefund(uint32 merchant, uint16 token, uint256 amount) internal returns (uint256 shortfall) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Ledger memory ledger = $.ledgers[merchant][token];
        unchecked {
            // fees + refunds <= gross: refunds only ever take what is pending.
            uint256 pending = uint256(ledger.gross) - ledger.fees - ledger.refunds;
            uint256 fromPending = amount < pending ? amount : pending;
            // refunds + fromPending <= gross - fees, which fits uint72.
            ledger.refunds += uint72(fromPending);
            shortfall = amount - fromPending;
        }
        $.ledgers[merchant][token] = ledger;
    }

    /// @dev Empties the interchange and/or network parts of every acquirer's pool in a token, keeping the pools live.
    function drainPools(uint16 token, bool interchange, bool network) internal returns (uint256 total) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        uint256 acquirers = $.acquirers.length;
        for (uint32 acquirer = 1; acquirer <= acquirers; ++acquirer) {
            SettlementStorage.FeePool storage pool = $.feePools[acquirer][token];
            if (interchange) {
                total += pool.interchange;
                pool.interchange = 0;
            }
            if (network) {
                total += pool.network;
                pool.network = 0;
            }
        }
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Private
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev Settles one merchant of a batch, checks-effects-events-interactions: pays its whole pending amount, or
    /// skips it (leaving it pending) when its payout account cannot transact, whatever it has pending. Either way the
    /// ledger records the batch, so the same merchant listed again in this batch is refused.
    function _settleMerchant(Batch memory batch, bytes32 merchantId) private returns (bool paid, uint256 net) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.MerchantEntry memory merchant = $.merchants[merchantId];
        if (merchant.index == 0) revert IMerchantSettlement.SettlementUnknownMerchant(merchantId);
        SettlementStorage.Ledger storage record = $.ledgers[merchant.index][batch.tokenIndex];
        SettlementStorage.Ledger memory ledger = record;
        if (ledger.settledIn == batch.number)
            revert IMerchantSettlement.SettlementDuplicateMerchant(batch.id, merchantId);
        unchecked {
            // fees + refunds <= gross.
            net = uint256(ledger.gross) - ledger.fees - ledger.refunds;
        }
        if (!batch.registry.canTransact(merchant.payout)) {
            record.settledIn = batch.number;
            emit IMerchantSettlement.MerchantSettlementSkipped(batch.id, merchantId, merchant.payout, net);
            return (false, net);
        }
        // Cleared, then stamped: two writes of a warm slot, cheaper than a struct assignment, which the compiler
        // writes field by field.
        delete $.ledgers[merchant.index][batch.tokenIndex];
        record.settledIn = batch.number;
        emit IMerchantSettlement.MerchantSettled(batch.id, merchantId, ledger.gross, ledger.fees, ledger.refunds, net);
        if (net != 0) IERC20(batch.token).safeTransfer(merchant.payout, net);
        return (true, net);
    }

    /// @dev `total + amount` as a merchant's running total, refusing what does not fit.
    function _addToLedger(uint72 total, uint256 amount) private pure returns (uint72) {
        uint256 sum = uint256(total) + amount;
        if (sum > MAX_LEDGER_TOTAL) revert IMerchantSettlement.SettlementAmountTooLarge(sum, MAX_LEDGER_TOTAL);
        return uint72(sum);
    }

    /// @dev `total + amount` as a fee pool's running total, refusing what does not fit.
    function _addToPool(uint80 total, uint256 amount) private pure returns (uint80) {
        uint256 sum = uint256(total) + amount;
        if (sum > MAX_POOL_TOTAL) revert IMerchantSettlement.SettlementAmountTooLarge(sum, MAX_POOL_TOTAL);
        return uint80(sum);
    }
}
