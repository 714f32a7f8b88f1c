// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IERC3009} from "../../interfaces/IERC3009.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {AdminRules} from "../AdminRules.sol";
import {HeldFunds} from "../HeldFunds.sol";
import {CrossCurrencyPayments} from "./CrossCurrencyPayments.sol";
import {FeeMath} from "./FeeMath.sol";
import {PaymentGuards} from "./PaymentGuards.sol";
import {PaymentRecords} from "./PaymentRecords.sol";
import {SettlementLedger} from "./SettlementLedger.sol";
import {SettlementRegistry} from "./SettlementRegistry.sol";
import {SettlementReversals} from "./SettlementReversals.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title MerchantSettlement
/// @notice QR payments with authorize / capture / void / reclaim / refund, a four-party fee split and batched
/// merchant settlement. See {IMerchantSettlement}.
/// @dev The payment lifecycle's entry points, and in full the paths issue 9's figures hold: opening a payment
/// (authorize, charge and their EIP-3009 forms) and capture. Split along its concerns (docs/settlement.md):
/// - SettlementStorage: the one ERC-7201 namespaced storage struct, shared by everything below;
/// - SettlementRegistry (linked library): tokens, fee split, periods, merchants and acquirers;
/// - SettlementLedger (linked library): batched settlement, fee withdrawals and their views; its per-capture credits
///   are internal, so compiled in here;
/// - SettlementReversals (linked library): void, reclaim, refund, paymentOf;
/// - FeeMath and PaymentGuards (internal): the cumulative fee parts of a capture; the status guard and who may act;
/// - PaymentRecords (internal): how a payment is opened, shared with the cross-currency entry points;
/// - CrossCurrencyPayments (linked library, issue 11): payments in another token than the merchant's, at a liquidity
///   provider's quote; its entry points here forward their calldata to it unchanged ({_forward}), and capture, void
///   and reclaim move a flagged payment's second leg through it;
/// - HeldFunds: what is owed back to a payer that cannot transact is held here for it, and (issue 11) every liquidity
///   provider's balance.
/// A linked library's external functions run here by DELEGATECALL: this contract's storage, balance and address.
/// Every entry point takes its role and the reentrancy guard here, then calls the library, which checks the rest.
/// Captures move no tokens: they grow the merchant's pending settlement and the fee pool; {settle} and
/// {withdrawFees} do the transfers.
contract MerchantSettlement is IMerchantSettlement, AdminRules, HeldFunds {
    using SafeERC20 for IERC20;

    bytes32 public constant ACQUIRER_ROLE = keccak256("ACQUIRER_ROLE");
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant LIQUIDITY_PROVIDER_ROLE = CrossCurrencyPayments.LIQUIDITY_PROVIDER_ROLE;

    /// @inheritdoc IMerchantSettlement
    uint256 public constant MAX_SETTLEMENT_BATCH = SettlementStorage.MAX_SETTLEMENT_BATCH;

    /// @inheritdoc IMerchantSettlement
    uint64 public constant MAX_PERIOD = SettlementStorage.MAX_PERIOD;

    uint256 private constant AUTHORIZED = 1 << uint8(Status.Authorized);

    uint8 private constant HELD = SettlementStorage.FLAG_ACQUIRER_UNIT_HELD;
    uint8 private constant CROSS = SettlementStorage.FLAG_CROSS_CURRENCY;

    IComplianceRegistry private immutable _registry;
    address private immutable _networkFeeAccount;

    /// @param registry_ The compliance registry payers, callers and payout accounts are checked against.
    /// @param admin The default admin; it grants the operational roles.
    /// @param networkFeeAccount_ Where the card network's share of fees accrues.
    constructor(address registry_, address admin, address networkFeeAccount_) AdminRules(admin) {
        if (registry_ == address(0) || networkFeeAccount_ == address(0)) revert SettlementZeroAddress();
        _registry = IComplianceRegistry(registry_);
        _networkFeeAccount = networkFeeAccount_;
        SettlementStorage.layout().config = SettlementStorage.Config({
            interchangeBps: 0,
            networkBps: 0,
            authorizationPeriod: 7 days,
            refundPeriod: 180 days
        });
        emit PeriodsSet(7 days, 180 days);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration (SettlementRegistry)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function setToken(address token, address issuerFeeAccount, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        SettlementRegistry.setToken(token, issuerFeeAccount, accepted);
    }

    /// @inheritdoc IMerchantSettlement
    function setFeeSplit(uint16 interchangeBps, uint16 networkBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        SettlementRegistry.setFeeSplit(interchangeBps, networkBps);
    }

    /// @inheritdoc IMerchantSettlement
    function setPeriods(uint64 authorizationPeriod, uint64 refundPeriod) external onlyRole(DEFAULT_ADMIN_ROLE) {
        SettlementRegistry.setPeriods(authorizationPeriod, refundPeriod);
    }

    /// @inheritdoc IMerchantSettlement
    function registerMerchant(
        bytes32 merchantId,
        address payout,
        address operator,
        uint16 mdrBps
    ) external onlyRole(ACQUIRER_ROLE) {
        SettlementRegistry.registerMerchant(merchantId, payout, operator, mdrBps);
    }

    /// @inheritdoc IMerchantSettlement
    function setMerchantActive(bytes32 merchantId, bool active) external {
        SettlementRegistry.setMerchantActive(_registry, merchantId, active, hasRole(ACQUIRER_ROLE, msg.sender));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Payments
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function authorize(PaymentIntent calldata intent) external nonReentrant returns (bytes32 paymentId_) {
        return _openAndPull(intent, false);
    }

    /// @inheritdoc IMerchantSettlement
    function authorizeWithAuthorization(
        PaymentIntent calldata intent,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 paymentId_) {
        return _openAndReceive(intent, payer, false, validAfter, validBefore, v, r, s);
    }

    /// @inheritdoc IMerchantSettlement
    function charge(PaymentIntent calldata intent) external nonReentrant returns (bytes32 paymentId_) {
        return _openAndPull(intent, true);
    }

    /// @inheritdoc IMerchantSettlement
    function chargeWithAuthorization(
        PaymentIntent calldata intent,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (bytes32 paymentId_) {
        return _openAndReceive(intent, payer, true, validAfter, validBefore, v, r, s);
    }

    /// @inheritdoc IMerchantSettlement
    /// @dev Moves no tokens, so it needs no reentrancy guard; its one external call is a view of the registry. A token
    /// re-entering it from a guarded call finds every ledger already updated (checks-effects-interactions everywhere).
    function capture(bytes32 paymentId_, uint256 amount) external {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Payment memory payment = PaymentGuards.load(paymentId_, AUTHORIZED);
        SettlementStorage.MerchantAccount memory merchant = PaymentGuards.merchantActing(
            paymentId_,
            payment.merchant,
            hasRole
        );
        uint256 capturable;
        unchecked {
            // captured <= authorized always.
            capturable = payment.authorized - payment.captured;
        }
        // Refused: the authorization expired, the amount is zero or above what is left, or (issue 9) the payer or the
        // caller cannot transact: the uncaptured authorization is still the payer's money, and a freeze stops it here.
        // One registry call answers for both, made last. SettlementReversals.refuseCapture names the reason: refusals
        // are diagnosed there, so their errors cost this contract no bytes and a capture that succeeds no gas.
        if (
            block.timestamp >= payment.authorizationExpiry ||
            amount == 0 ||
            amount > capturable ||
            !_registry.canTransfer(payment.payer, msg.sender)
        ) SettlementReversals.refuseCapture(_registry, paymentId_, amount);

        SettlementStorage.Config memory config = $.config;
        // Slither's taint is field-insensitive: every field of a payment counts as derived from block.timestamp
        // because its expiry fields are. Neither equality below compares a time or a balance (false positives):
        // amount == capturable means this capture takes the whole remainder (amount <= capturable was checked), and
        // refundDeadline == 0 means "not captured yet" (a set deadline is now + refundPeriod >= 1).
        // slither-disable-next-line incorrect-equality
        bool closes = amount == capturable;
        FeeMath.Credit memory c = FeeMath.credit(
            payment.captured,
            amount,
            merchant.mdrBps,
            config.interchangeBps,
            config.networkBps,
            payment.flags & HELD != 0,
            closes
        );
        SettlementStorage.Payment storage record = $.payments[paymentId_];
        unchecked {
            // amount <= capturable, so captured + amount <= authorized, which fits uint64.
            record.captured = uint64(payment.captured + amount);
        }
        // slither-disable-next-line incorrect-equality
        if (payment.refundDeadline == 0) record.refundDeadline = uint40(block.timestamp + config.refundPeriod);
        if (closes) record.status = Status.Captured;
        uint8 flags = c.held ? payment.flags | HELD : payment.flags & ~HELD;
        if (flags != payment.flags) record.flags = flags;
        SettlementLedger.credit(payment.merchant, merchant.acquirer, payment.token, amount, c);
        emit PaymentCaptured(paymentId_, amount, c.fee);
        // A cross-currency payment converts what this capture took from the LP's leg (CrossCurrencyPayments); the LP
        // must be able to transact, and a refusal there reverts this capture with the rest.
        if (payment.flags & CROSS != 0) CrossCurrencyPayments.convert(_registry, paymentId_, amount, closes);
    }

    /// @inheritdoc IMerchantSettlement
    function void(bytes32 paymentId_) external nonReentrant {
        (address token, address payer, uint256 remainder) = SettlementReversals.void(_registry, paymentId_);
        _payOrHold(token, payer, remainder);
    }

    /// @inheritdoc IMerchantSettlement
    function reclaim(bytes32 paymentId_) external nonReentrant {
        (address token, address payer, uint256 remainder) = SettlementReversals.reclaim(paymentId_);
        _payOrHold(token, payer, remainder);
    }

    /// @inheritdoc IMerchantSettlement
    function refund(bytes32 paymentId_, uint256 amount) external nonReentrant {
        (address token, address payer) = SettlementReversals.refund(_registry, paymentId_, amount);
        _payOrHold(token, payer, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement and fees (SettlementLedger)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    /// @dev The guard keeps a token from re-entering between merchants.
    function settle(
        address token,
        bytes32[] calldata merchantIds
    ) external nonReentrant onlyRole(SETTLER_ROLE) returns (bytes32 batchId) {
        return SettlementLedger.settle(_registry, token, merchantIds);
    }

    /// @inheritdoc IMerchantSettlement
    function withdrawFees(address token) external nonReentrant {
        SettlementLedger.withdrawFees(token, _networkFeeAccount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cross-currency payments (CrossCurrencyPayments)
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function depositLiquidity(address, uint256) external nonReentrant {
        _forward(CrossCurrencyPayments.depositLiquidity.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function chargeCrossCurrency(
        PaymentIntent calldata,
        Quote calldata,
        bytes calldata
    ) external nonReentrant returns (bytes32) {
        return _forward(CrossCurrencyPayments.chargeCrossCurrency.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function authorizeCrossCurrency(
        PaymentIntent calldata,
        Quote calldata,
        bytes calldata
    ) external nonReentrant returns (bytes32) {
        return _forward(CrossCurrencyPayments.authorizeCrossCurrency.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function chargeCrossCurrencyWithAuthorization(
        PaymentIntent calldata,
        Quote calldata,
        bytes calldata,
        ReceiveAuthorization calldata
    ) external nonReentrant returns (bytes32) {
        return _forward(CrossCurrencyPayments.chargeCrossCurrencyWithAuthorization.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function authorizeCrossCurrencyWithAuthorization(
        PaymentIntent calldata,
        Quote calldata,
        bytes calldata,
        ReceiveAuthorization calldata
    ) external nonReentrant returns (bytes32) {
        return _forward(CrossCurrencyPayments.authorizeCrossCurrencyWithAuthorization.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function refundCrossCurrency(bytes32, Quote calldata, bytes calldata) external nonReentrant {
        _forward(CrossCurrencyPayments.refundCrossCurrency.selector);
    }

    /// @inheritdoc IMerchantSettlement
    function legsOf(
        bytes32 paymentId_
    ) external view returns (address sourceToken, uint256 sourceLocked, address provider, uint256 targetLocked) {
        return CrossCurrencyPayments.legsOf(paymentId_);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function paymentId(PaymentIntent calldata intent, address payer) external view returns (bytes32) {
        return PaymentRecords.idOf(intent, payer);
    }

    /// @inheritdoc IMerchantSettlement
    function paymentOf(
        bytes32 paymentId_
    )
        external
        view
        returns (
            Status status,
            address payer,
            bytes32 merchantId,
            address token,
            uint256 authorized,
            uint256 captured,
            uint256 refunded,
            uint64 authorizationExpiry
        )
    {
        return SettlementReversals.paymentOf(paymentId_);
    }

    /// @inheritdoc IMerchantSettlement
    function refundDeadline(bytes32 paymentId_) external view returns (uint64) {
        return SettlementStorage.layout().payments[paymentId_].refundDeadline;
    }

    /// @inheritdoc IMerchantSettlement
    function pendingSettlement(bytes32 merchantId, address token) external view returns (uint256) {
        return SettlementLedger.pendingSettlement(merchantId, token);
    }

    /// @inheritdoc IMerchantSettlement
    function feesOwed(address account, address token) external view returns (uint256) {
        return SettlementLedger.feesOwed(account, token, _networkFeeAccount);
    }

    /// @inheritdoc IMerchantSettlement
    function merchantOf(
        bytes32 merchantId
    ) external view returns (address payout, address operator, address acquirer, uint16 mdrBps, bool active) {
        return SettlementRegistry.merchantOf(merchantId);
    }

    /// @inheritdoc IMerchantSettlement
    function tokenConfig(address token) external view returns (address issuerFeeAccount, bool accepted) {
        SettlementStorage.TokenConfig memory config = SettlementStorage.layout().tokens[token];
        return (config.issuerFeeAccount, config.accepted);
    }

    /// @inheritdoc IMerchantSettlement
    function feeSplit() external view returns (uint16 interchangeBps, uint16 networkBps) {
        SettlementStorage.Config memory config = SettlementStorage.layout().config;
        return (config.interchangeBps, config.networkBps);
    }

    /// @inheritdoc IMerchantSettlement
    function periods() external view returns (uint64 authorizationPeriod, uint64 refundPeriod) {
        SettlementStorage.Config memory config = SettlementStorage.layout().config;
        return (config.authorizationPeriod, config.refundPeriod);
    }

    /// @inheritdoc IMerchantSettlement
    function networkFeeAccount() external view returns (address) {
        return _networkFeeAccount;
    }

    /// @inheritdoc IMerchantSettlement
    function registry() external view returns (address) {
        return address(_registry);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev HeldFunds decides between paying and holding by this registry's verdict.
    function _complianceRegistry() internal view override returns (IComplianceRegistry) {
        return _registry;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Private
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Opens a payment paid by the caller, pulling the funds with `transferFrom`.
    function _openAndPull(PaymentIntent calldata intent, bool captureNow) private returns (bytes32 paymentId_) {
        paymentId_ = PaymentRecords.open(intent, msg.sender, captureNow, 0);
        IERC20(intent.token).safeTransferFrom(msg.sender, address(this), intent.amount);
    }

    /// @dev Opens a payment signed by `payer`, pulling the funds with EIP-3009. The nonce binds the payment and the
    /// mode, keccak256(abi.encode(paymentId, captureNow)), so a signature made for one mode cannot open the payment in
    /// the other (crosspay.core.signing.authorization_nonce computes it off-chain).
    function _openAndReceive(
        PaymentIntent calldata intent,
        address payer,
        bool captureNow,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private returns (bytes32 paymentId_) {
        if (payer == address(0)) revert SettlementZeroAddress();
        paymentId_ = PaymentRecords.open(intent, payer, captureNow, 0);
        IERC3009(intent.token).receiveWithAuthorization(
            payer,
            address(this),
            intent.amount,
            validAfter,
            validBefore,
            keccak256(abi.encode(paymentId_, captureNow)),
            v,
            r,
            s
        );
    }

    /// @dev Runs CrossCurrencyPayments' function `selector` (DELEGATECALL: this contract's storage, balance and
    /// address) with the calling entry point's arguments exactly as they came (`msg.data` after the selector: the
    /// library's function takes the same parameters, and both ABI decoders check them); returns its first return word
    /// (the payment id, where there is one) and bubbles its revert. Forwarding the calldata as it is, instead of
    /// re-encoding two structs and a signature, keeps each entry point a few dozen bytes of this contract.
    function _forward(bytes4 selector) private returns (bytes32 result) {
        address library_ = address(CrossCurrencyPayments);
        assembly ("memory-safe") {
            let data := mload(0x40)
            mstore(data, selector)
            calldatacopy(add(data, 4), 4, sub(calldatasize(), 4))
            if iszero(delegatecall(gas(), library_, data, calldatasize(), 0, 32)) {
                returndatacopy(data, 0, returndatasize())
                revert(data, returndatasize())
            }
            result := mload(0)
        }
    }
}
