// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {IMerchantSettlement} from "../interfaces/IMerchantSettlement.sol";
import {AdminRules} from "./AdminRules.sol";

/// @title MerchantSettlement
/// @notice QR payments with authorize / capture / void / reclaim / refund, a four-party fee split and batched
/// merchant settlement. See {IMerchantSettlement}.
/// @dev Storage is laid out for the gas targets of the payment calls (each a few slots, each slot written by the call
/// that needs it):
/// - a payment is two slots, written once at authorization and then only modified. To fit, the merchant and the
///   token are stored as small indexes, amounts as uint64 (1.8e19 minor units: 1.8e17 CNY at two decimals) and
///   timestamps as uint48 (OpenZeppelin's timepoint width, good for 8.9 million years);
/// - a merchant has one slot keyed by its id, with everything a charge and a settlement read, and one slot keyed by
///   its index, with everything a capture, void or refund reads;
/// - each merchant's running totals per token since its last settlement are one slot; each acquirer's fee pool per
///   token (interchange, network and acquirer parts of the fees of its merchants) is one slot. Both keep a `live`
///   flag so that settling or withdrawing never returns them to zero, which would make the next capture pay
///   20,000 gas to write them again.
/// Captures move no tokens: they grow the merchant's pending settlement and the fee pool; {settle} and
/// {withdrawFees} do the transfers.
contract MerchantSettlement is IMerchantSettlement, AdminRules, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev Slot 0: payer, authorized amount, merchant index. Slot 1: the rest.
    struct Payment {
        address payer;
        uint64 authorized;
        uint32 merchant;
        uint64 captured;
        uint64 refunded;
        uint48 authorizationExpiry;
        uint48 refundDeadline;
        uint16 token;
        Status status;
    }

    /// @dev Keyed by merchant id: what authorizations, charges and settlements read. One slot.
    struct MerchantEntry {
        address payout;
        uint32 index;
        uint32 acquirer;
        uint16 mdrBps;
        bool active;
    }

    /// @dev Keyed by merchant index: what captures, voids and refunds read. One slot.
    struct MerchantAccount {
        address operator;
        uint32 acquirer;
        uint16 mdrBps;
    }

    /// @dev A merchant's totals in one token since its last settlement; pending = gross - fees - refunds. One slot.
    struct Ledger {
        uint80 gross;
        uint80 fees;
        uint80 refunds;
        bool live;
    }

    /// @dev The fees earned through one acquirer's merchants in one token, by owner, not yet withdrawn. One slot.
    struct FeePool {
        uint80 interchange;
        uint80 network;
        uint80 acquirer;
        bool live;
    }

    struct TokenConfig {
        address issuerFeeAccount;
        uint16 index;
        bool accepted;
    }

    /// @dev Read together by authorizations and captures. One slot.
    struct Config {
        uint16 interchangeBps;
        uint16 networkBps;
        uint64 authorizationPeriod;
        uint64 refundPeriod;
    }

    bytes32 public constant ACQUIRER_ROLE = keccak256("ACQUIRER_ROLE");
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @inheritdoc IMerchantSettlement
    uint256 public constant MAX_SETTLEMENT_BATCH = 400;

    /// @inheritdoc IMerchantSettlement
    uint64 public constant MAX_PERIOD = 3650 days;

    uint256 private constant BPS = 10_000;
    uint256 private constant MAX_PAYMENT_AMOUNT = type(uint64).max;
    uint256 private constant MAX_TOTAL = type(uint80).max;

    uint256 private constant AUTHORIZED = 1 << uint8(Status.Authorized);
    /// @dev A payment can be refunded in any status once something was captured (the amount check sees to that).
    uint256 private constant REFUNDABLE =
        AUTHORIZED | (1 << uint8(Status.Captured)) | (1 << uint8(Status.Voided)) | (1 << uint8(Status.Reclaimed));

    IComplianceRegistry private immutable _registry;
    address private immutable _networkFeeAccount;

    Config private _config;
    uint256 private _batchCount;

    mapping(bytes32 paymentId => Payment) private _payments;

    mapping(bytes32 merchantId => MerchantEntry) private _merchants;
    mapping(uint32 index => MerchantAccount) private _merchantAccounts;
    mapping(uint32 index => bytes32 merchantId) private _merchantIds;
    uint32 private _merchantCount;

    /// @dev Acquirers get an index (from 1) when they register their first merchant.
    mapping(address acquirer => uint32 index) private _acquirerIndexes;
    address[] private _acquirers;

    mapping(address token => TokenConfig) private _tokens;
    mapping(uint16 index => address token) private _tokenAddresses;
    uint16 private _tokenCount;

    mapping(uint32 merchant => mapping(uint16 token => Ledger)) private _ledgers;
    mapping(uint32 acquirer => mapping(uint16 token => FeePool)) private _feePools;
    /// @dev Fees moved out of the pools: interchange owed to a token's previous issuer fee account.
    mapping(address account => mapping(address token => uint256)) private _feesOwed;

    /// @param registry_ The compliance registry payout accounts are checked against before a settlement.
    /// @param admin The default admin; it grants the operational roles.
    /// @param networkFeeAccount_ Where the card network's share of fees accrues.
    constructor(address registry_, address admin, address networkFeeAccount_) AdminRules(admin) {
        if (registry_ == address(0) || networkFeeAccount_ == address(0)) revert SettlementZeroAddress();
        _registry = IComplianceRegistry(registry_);
        _networkFeeAccount = networkFeeAccount_;
        _config = Config({interchangeBps: 0, networkBps: 0, authorizationPeriod: 7 days, refundPeriod: 180 days});
        emit PeriodsSet(7 days, 180 days);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Configuration
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function setToken(address token, address issuerFeeAccount, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0) || issuerFeeAccount == address(0)) revert SettlementZeroAddress();
        TokenConfig storage config = _tokens[token];
        uint16 index = config.index;
        if (index == 0) {
            index = ++_tokenCount;
            config.index = index;
            _tokenAddresses[index] = token;
        } else if (config.issuerFeeAccount != issuerFeeAccount) {
            // Interchange already earned stays owed to the bank that earned it.
            uint256 earned = _drainPools(index, true, false);
            if (earned != 0) _feesOwed[config.issuerFeeAccount][token] += earned;
        }
        config.issuerFeeAccount = issuerFeeAccount;
        config.accepted = accepted;
        emit TokenSet(token, issuerFeeAccount, accepted);
    }

    /// @inheritdoc IMerchantSettlement
    function setFeeSplit(uint16 interchangeBps, uint16 networkBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (uint256(interchangeBps) + networkBps > BPS) revert SettlementFeeSplitTooHigh(interchangeBps, networkBps);
        _config.interchangeBps = interchangeBps;
        _config.networkBps = networkBps;
        emit FeeSplitSet(interchangeBps, networkBps);
    }

    /// @inheritdoc IMerchantSettlement
    function setPeriods(uint64 authorizationPeriod, uint64 refundPeriod) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _requireValidPeriod(authorizationPeriod);
        _requireValidPeriod(refundPeriod);
        _config.authorizationPeriod = authorizationPeriod;
        _config.refundPeriod = refundPeriod;
        emit PeriodsSet(authorizationPeriod, refundPeriod);
    }

    /// @inheritdoc IMerchantSettlement
    function registerMerchant(
        bytes32 merchantId,
        address payout,
        address operator,
        uint16 mdrBps
    ) external onlyRole(ACQUIRER_ROLE) {
        if (merchantId == bytes32(0)) revert SettlementZeroMerchantId();
        if (payout == address(0) || operator == address(0)) revert SettlementZeroAddress();
        if (mdrBps > BPS) revert SettlementMdrTooHigh(mdrBps);
        if (_merchants[merchantId].index != 0) revert SettlementMerchantAlreadyRegistered(merchantId);
        uint32 acquirer = _acquirerIndexes[msg.sender];
        if (acquirer == 0) {
            _acquirers.push(msg.sender);
            acquirer = uint32(_acquirers.length);
            _acquirerIndexes[msg.sender] = acquirer;
        }
        uint32 index = ++_merchantCount;
        _merchants[merchantId] = MerchantEntry({
            payout: payout,
            index: index,
            acquirer: acquirer,
            mdrBps: mdrBps,
            active: true
        });
        _merchantAccounts[index] = MerchantAccount({operator: operator, acquirer: acquirer, mdrBps: mdrBps});
        _merchantIds[index] = merchantId;
        emit MerchantRegistered(merchantId, msg.sender, payout, operator, mdrBps);
    }

    /// @inheritdoc IMerchantSettlement
    function setMerchantActive(bytes32 merchantId, bool active) external {
        MerchantEntry storage merchant = _merchants[merchantId];
        if (merchant.index == 0) revert SettlementUnknownMerchant(merchantId);
        if (_acquirerOf(merchant.acquirer) != msg.sender) revert SettlementNotMerchantAcquirer(merchantId, msg.sender);
        merchant.active = active;
        emit MerchantActiveSet(merchantId, active);
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
    /// @dev Makes no external call and moves no tokens, so it needs no reentrancy guard. A token re-entering it from
    /// a guarded call finds every ledger already updated (checks-effects-interactions everywhere).
    function capture(bytes32 paymentId_, uint256 amount) external {
        Payment memory payment = _loadPayment(paymentId_);
        _requireStatus(paymentId_, payment.status, AUTHORIZED);
        MerchantAccount memory merchant = _merchantAccounts[payment.merchant];
        _requireOperatorOrAcquirer(paymentId_, merchant);
        if (block.timestamp >= payment.authorizationExpiry) {
            revert SettlementAuthorizationExpired(paymentId_, payment.authorizationExpiry, block.timestamp);
        }
        if (amount == 0) revert SettlementZeroAmount();
        uint256 capturable;
        unchecked {
            // captured <= authorized always.
            capturable = payment.authorized - payment.captured;
        }
        if (amount > capturable) revert SettlementCaptureExceedsAuthorized(paymentId_, amount, capturable);

        Config memory config = _config;
        Payment storage record = _payments[paymentId_];
        unchecked {
            // amount <= capturable, so captured + amount <= authorized, which fits uint64.
            record.captured = uint64(payment.captured + amount);
        }
        // Slither's taint is field-insensitive: every field of a payment counts as derived from block.timestamp
        // because its expiry fields are. Neither equality below compares a time or a balance (false positives):
        // refundDeadline == 0 means "not captured yet" (a set deadline is now + refundPeriod >= 1), and
        // amount == capturable means this capture takes the whole remainder (amount <= capturable was checked).
        // slither-disable-next-line incorrect-equality
        if (payment.refundDeadline == 0) record.refundDeadline = uint48(block.timestamp + config.refundPeriod);
        // slither-disable-next-line incorrect-equality
        if (amount == capturable) record.status = Status.Captured;
        uint256 fee = _credit(payment.merchant, merchant.acquirer, merchant.mdrBps, payment.token, amount, config);
        emit PaymentCaptured(paymentId_, amount, fee);
    }

    /// @inheritdoc IMerchantSettlement
    function void(bytes32 paymentId_) external nonReentrant {
        Payment memory payment = _loadPayment(paymentId_);
        _requireStatus(paymentId_, payment.status, AUTHORIZED);
        _requireOperatorOrAcquirer(paymentId_, _merchantAccounts[payment.merchant]);
        uint256 remainder = _close(paymentId_, payment, Status.Voided);
        emit PaymentVoided(paymentId_, remainder);
        IERC20(_tokenAddresses[payment.token]).safeTransfer(payment.payer, remainder);
    }

    /// @inheritdoc IMerchantSettlement
    function reclaim(bytes32 paymentId_) external nonReentrant {
        Payment memory payment = _loadPayment(paymentId_);
        _requireStatus(paymentId_, payment.status, AUTHORIZED);
        if (msg.sender != payment.payer) revert SettlementUnauthorizedCaller(paymentId_, msg.sender);
        if (block.timestamp < payment.authorizationExpiry) {
            revert SettlementAuthorizationNotExpired(paymentId_, payment.authorizationExpiry, block.timestamp);
        }
        uint256 remainder = _close(paymentId_, payment, Status.Reclaimed);
        emit PaymentReclaimed(paymentId_, remainder);
        IERC20(_tokenAddresses[payment.token]).safeTransfer(payment.payer, remainder);
    }

    /// @inheritdoc IMerchantSettlement
    function refund(bytes32 paymentId_, uint256 amount) external nonReentrant {
        Payment memory payment = _loadPayment(paymentId_);
        _requireStatus(paymentId_, payment.status, REFUNDABLE);
        _requireOperatorOrAcquirer(paymentId_, _merchantAccounts[payment.merchant]);
        if (amount == 0) revert SettlementZeroAmount();
        uint256 refundable;
        unchecked {
            // refunded <= captured always.
            refundable = payment.captured - payment.refunded;
        }
        if (amount > refundable) revert SettlementRefundExceedsCaptured(paymentId_, amount, refundable);
        if (block.timestamp >= payment.refundDeadline) {
            revert SettlementRefundPeriodOver(paymentId_, payment.refundDeadline, block.timestamp);
        }

        uint256 fromCaller;
        unchecked {
            // amount <= refundable, so refunded + amount <= captured, which fits uint64.
            _payments[paymentId_].refunded = uint64(payment.refunded + amount);
            Ledger memory ledger = _ledgers[payment.merchant][payment.token];
            // fees + refunds <= gross: refunds only ever take what is pending.
            uint256 pending = uint256(ledger.gross) - ledger.fees - ledger.refunds;
            uint256 fromPending = amount < pending ? amount : pending;
            // refunds + fromPending <= gross - fees, which fits uint80.
            ledger.refunds += uint80(fromPending);
            _ledgers[payment.merchant][payment.token] = ledger;
            fromCaller = amount - fromPending;
        }
        emit PaymentRefunded(paymentId_, msg.sender, amount, fromCaller);

        IERC20 token = IERC20(_tokenAddresses[payment.token]);
        if (fromCaller != 0) token.safeTransferFrom(msg.sender, address(this), fromCaller);
        token.safeTransfer(payment.payer, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Settlement and fees
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    /// @dev Each merchant is handled checks-effects-events-interactions in turn; the guard keeps a token from
    /// re-entering between merchants.
    function settle(
        address token,
        bytes32[] calldata merchantIds
    ) external nonReentrant onlyRole(SETTLER_ROLE) returns (bytes32 batchId) {
        uint256 count = merchantIds.length;
        if (count == 0) revert SettlementEmptyBatch();
        if (count > MAX_SETTLEMENT_BATCH) revert SettlementBatchTooLarge(count, MAX_SETTLEMENT_BATCH);
        uint16 tokenIndex = _tokens[token].index;
        if (tokenIndex == 0) revert SettlementUnknownToken(token);
        batchId = keccak256(abi.encode(block.chainid, address(this), token, ++_batchCount));

        uint256 settled = 0;
        uint256 total = 0;
        for (uint256 i; i < count; ++i) {
            (bool paid, uint256 net) = _settleMerchant(batchId, token, tokenIndex, merchantIds[i]);
            if (paid) {
                unchecked {
                    // Bounded by the batch size and by the tokens this contract holds.
                    ++settled;
                    total += net;
                }
            }
        }
        emit BatchSettled(batchId, token, msg.sender, settled, count - settled, total);
    }

    /// @inheritdoc IMerchantSettlement
    function withdrawFees(address token) external nonReentrant {
        TokenConfig memory config = _tokens[token];
        if (config.index == 0) revert SettlementUnknownToken(token);
        uint256 amount = _feesOwed[msg.sender][token];
        if (amount != 0) _feesOwed[msg.sender][token] = 0;
        bool isIssuer = msg.sender == config.issuerFeeAccount;
        bool isNetwork = msg.sender == _networkFeeAccount;
        if (isIssuer || isNetwork) amount += _drainPools(config.index, isIssuer, isNetwork);
        uint32 acquirer = _acquirerIndexes[msg.sender];
        if (acquirer != 0) {
            FeePool storage pool = _feePools[acquirer][config.index];
            amount += pool.acquirer;
            pool.acquirer = 0;
        }
        if (amount == 0) revert SettlementNothingToWithdraw(msg.sender, token);
        emit FeesWithdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------------

    /// @inheritdoc IMerchantSettlement
    function paymentId(PaymentIntent calldata intent, address payer) external view returns (bytes32) {
        return _paymentId(intent, payer);
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
        Payment memory payment = _loadPayment(paymentId_);
        return (
            payment.status,
            payment.payer,
            _merchantIds[payment.merchant],
            _tokenAddresses[payment.token],
            payment.authorized,
            payment.captured,
            payment.refunded,
            payment.authorizationExpiry
        );
    }

    /// @inheritdoc IMerchantSettlement
    function refundDeadline(bytes32 paymentId_) external view returns (uint64) {
        return _payments[paymentId_].refundDeadline;
    }

    /// @inheritdoc IMerchantSettlement
    function pendingSettlement(bytes32 merchantId, address token) external view returns (uint256) {
        Ledger memory ledger = _ledgers[_merchants[merchantId].index][_tokens[token].index];
        return uint256(ledger.gross) - ledger.fees - ledger.refunds;
    }

    /// @inheritdoc IMerchantSettlement
    function feesOwed(address account, address token) external view returns (uint256 owed) {
        owed = _feesOwed[account][token];
        TokenConfig memory config = _tokens[token];
        if (config.index == 0) return owed;
        bool isIssuer = account == config.issuerFeeAccount;
        bool isNetwork = account == _networkFeeAccount;
        if (isIssuer || isNetwork) {
            uint256 acquirers = _acquirers.length;
            for (uint32 acquirer = 1; acquirer <= acquirers; ++acquirer) {
                FeePool memory pool = _feePools[acquirer][config.index];
                if (isIssuer) owed += pool.interchange;
                if (isNetwork) owed += pool.network;
            }
        }
        uint32 acquirerIndex = _acquirerIndexes[account];
        if (acquirerIndex != 0) owed += _feePools[acquirerIndex][config.index].acquirer;
    }

    /// @inheritdoc IMerchantSettlement
    function merchantOf(
        bytes32 merchantId
    ) external view returns (address payout, address operator, address acquirer, uint16 mdrBps, bool active) {
        MerchantEntry memory merchant = _merchants[merchantId];
        return (
            merchant.payout,
            _merchantAccounts[merchant.index].operator,
            _acquirerOf(merchant.acquirer),
            merchant.mdrBps,
            merchant.active
        );
    }

    /// @inheritdoc IMerchantSettlement
    function tokenConfig(address token) external view returns (address issuerFeeAccount, bool accepted) {
        TokenConfig memory config = _tokens[token];
        return (config.issuerFeeAccount, config.accepted);
    }

    /// @inheritdoc IMerchantSettlement
    function feeSplit() external view returns (uint16 interchangeBps, uint16 networkBps) {
        return (_config.interchangeBps, _config.networkBps);
    }

    /// @inheritdoc IMerchantSettlement
    function periods() external view returns (uint64 authorizationPeriod, uint64 refundPeriod) {
        return (_config.authorizationPeriod, _config.refundPeriod);
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
    // Private
    // ---------------------------------------------------------------------------------------------------------------

    /// @dev Opens a payment paid by the caller, pulling the funds with `transferFrom`.
    function _openAndPull(PaymentIntent calldata intent, bool captureNow) private returns (bytes32 paymentId_) {
        paymentId_ = _open(intent, msg.sender, captureNow);
        IERC20(intent.token).safeTransferFrom(msg.sender, address(this), intent.amount);
    }

    /// @dev Opens a payment signed by `payer`, pulling the funds with EIP-3009 (nonce: the payment id).
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
        paymentId_ = _open(intent, payer, captureNow);
        IERC3009(intent.token).receiveWithAuthorization(
            payer,
            address(this),
            intent.amount,
            validAfter,
            validBefore,
            paymentId_,
            v,
            r,
            s
        );
    }

    /// @dev Checks an intent and records its payment (authorized, or captured in full when `captureNow`); the
    /// caller then pulls the funds.
    function _open(PaymentIntent calldata intent, address payer, bool captureNow) private returns (bytes32 paymentId_) {
        MerchantEntry memory merchant = _merchants[intent.merchantId];
        if (merchant.index == 0) revert SettlementUnknownMerchant(intent.merchantId);
        if (!merchant.active) revert SettlementMerchantInactive(intent.merchantId);
        TokenConfig memory token = _tokens[intent.token];
        if (!token.accepted) revert SettlementTokenNotAccepted(intent.token);
        if (block.timestamp >= intent.expiresAt) revert SettlementIntentExpired(intent.expiresAt, block.timestamp);
        uint256 amount = intent.amount;
        if (amount == 0) revert SettlementZeroAmount();
        if (amount > MAX_PAYMENT_AMOUNT) revert SettlementAmountTooLarge(amount, MAX_PAYMENT_AMOUNT);

        paymentId_ = _paymentId(intent, payer);
        if (_payments[paymentId_].status != Status.None) revert SettlementPaymentExists(paymentId_);
        Config memory config = _config;
        // The periods are at most MAX_PERIOD, so the sums fit uint48 for millions of years.
        if (captureNow) {
            _payments[paymentId_] = Payment({
                payer: payer,
                authorized: uint64(amount),
                merchant: merchant.index,
                captured: uint64(amount),
                refunded: 0,
                authorizationExpiry: uint48(block.timestamp),
                refundDeadline: uint48(block.timestamp + config.refundPeriod),
                token: token.index,
                status: Status.Captured
            });
            uint256 fee = _credit(merchant.index, merchant.acquirer, merchant.mdrBps, token.index, amount, config);
            emit PaymentAuthorized(
                paymentId_,
                intent.merchantId,
                payer,
                intent.token,
                amount,
                intent.orderRef,
                uint64(block.timestamp)
            );
            emit PaymentCaptured(paymentId_, amount, fee);
        } else {
            uint48 expiry = uint48(block.timestamp + config.authorizationPeriod);
            _payments[paymentId_] = Payment({
                payer: payer,
                authorized: uint64(amount),
                merchant: merchant.index,
                captured: 0,
                refunded: 0,
                authorizationExpiry: expiry,
                refundDeadline: 0,
                token: token.index,
                status: Status.Authorized
            });
            emit PaymentAuthorized(paymentId_, intent.merchantId, payer, intent.token, amount, intent.orderRef, expiry);
        }
    }

    /// @dev Settles one merchant of a batch, checks-effects-events-interactions: pays its whole pending amount, or
    /// skips it (leaving it pending) when its payout account cannot transact.
    function _settleMerchant(
        bytes32 batchId,
        address token,
        uint16 tokenIndex,
        bytes32 merchantId
    ) private returns (bool paid, uint256 net) {
        MerchantEntry memory merchant = _merchants[merchantId];
        if (merchant.index == 0) revert SettlementUnknownMerchant(merchantId);
        Ledger memory ledger = _ledgers[merchant.index][tokenIndex];
        unchecked {
            // fees + refunds <= gross.
            net = uint256(ledger.gross) - ledger.fees - ledger.refunds;
        }
        if (net != 0 && !_registry.canTransact(merchant.payout)) {
            emit MerchantSettlementSkipped(batchId, merchantId, merchant.payout, net);
            return (false, net);
        }
        _ledgers[merchant.index][tokenIndex] = Ledger({gross: 0, fees: 0, refunds: 0, live: true});
        emit MerchantSettled(batchId, merchantId, ledger.gross, ledger.fees, ledger.refunds, net);
        if (net != 0) IERC20(token).safeTransfer(merchant.payout, net);
        return (true, net);
    }

    /// @dev Splits the fee of a captured `amount` and credits the merchant's pending settlement and the fee pool.
    function _credit(
        uint32 merchant,
        uint32 acquirer,
        uint16 mdrBps,
        uint16 token,
        uint256 amount,
        Config memory config
    ) private returns (uint256 fee) {
        uint256 interchange;
        uint256 network;
        unchecked {
            // amount < 2^64 and every bps <= 10000, so no product overflows; interchangeBps + networkBps <= 10000,
            // so interchange + network <= fee.
            // The split divides the fee actually charged (already rounded down), so the three parts add up to it
            // exactly: each share loses at most one minor unit to rounding and the acquirer's remainder takes it.
            // Dividing once at the end would split a fee nobody is charged. Intended, not a precision loss (false
            // positive of divide-before-multiply, which flags both shares through this line).
            // slither-disable-next-line divide-before-multiply
            fee = (amount * mdrBps) / BPS;
            interchange = (fee * config.interchangeBps) / BPS;
            network = (fee * config.networkBps) / BPS;
        }
        Ledger memory ledger = _ledgers[merchant][token];
        ledger.gross = _add(ledger.gross, amount);
        ledger.fees = _add(ledger.fees, fee);
        ledger.live = true;
        _ledgers[merchant][token] = ledger;

        FeePool memory pool = _feePools[acquirer][token];
        pool.interchange = _add(pool.interchange, interchange);
        pool.network = _add(pool.network, network);
        unchecked {
            pool.acquirer = _add(pool.acquirer, fee - interchange - network);
        }
        pool.live = true;
        _feePools[acquirer][token] = pool;
    }

    /// @dev Closes an authorization in `status`; returns the uncaptured remainder for the caller to send back.
    function _close(bytes32 paymentId_, Payment memory payment, Status status) private returns (uint256 remainder) {
        _payments[paymentId_].status = status;
        unchecked {
            // captured <= authorized always.
            remainder = payment.authorized - payment.captured;
        }
    }

    /// @dev Empties the interchange and/or network parts of every acquirer's pool in a token, keeping the pools live.
    function _drainPools(uint16 token, bool interchange, bool network) private returns (uint256 total) {
        uint256 acquirers = _acquirers.length;
        for (uint32 acquirer = 1; acquirer <= acquirers; ++acquirer) {
            FeePool storage pool = _feePools[acquirer][token];
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

    function _loadPayment(bytes32 paymentId_) private view returns (Payment memory) {
        return _payments[paymentId_];
    }

    function _paymentId(PaymentIntent calldata intent, address payer) private view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), intent, payer));
    }

    function _acquirerOf(uint32 index) private view returns (address) {
        return index == 0 ? address(0) : _acquirers[index - 1];
    }

    /// @dev The one status guard: the payment's `current` status must be one of the `allowed` bitmask.
    /// Slither's field-insensitive taint marks `current` as derived from block.timestamp (a payment's expiry sits in
    /// the same record); the test is a bit test of the status against a constant mask, no time or balance (false
    /// positive of incorrect-equality).
    function _requireStatus(bytes32 paymentId_, Status current, uint256 allowed) private pure {
        // slither-disable-next-line incorrect-equality
        if ((1 << uint8(current)) & allowed == 0) revert SettlementUnexpectedStatus(paymentId_, current);
    }

    /// @dev Only the merchant's operator, or its acquirer while it holds the role, may move a payment.
    function _requireOperatorOrAcquirer(bytes32 paymentId_, MerchantAccount memory merchant) private view {
        if (msg.sender == merchant.operator) return;
        if (_acquirerIndexes[msg.sender] == merchant.acquirer && hasRole(ACQUIRER_ROLE, msg.sender)) return;
        revert SettlementUnauthorizedCaller(paymentId_, msg.sender);
    }

    function _requireValidPeriod(uint64 period) private pure {
        if (period == 0 || period > MAX_PERIOD) revert SettlementInvalidPeriod(period);
    }

    /// @dev `total + amount` as a running total, refusing what does not fit.
    function _add(uint80 total, uint256 amount) private pure returns (uint80) {
        uint256 sum = uint256(total) + amount;
        if (sum > MAX_TOTAL) revert SettlementAmountTooLarge(sum, MAX_TOTAL);
        return uint80(sum);
    }
}
