// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {ICrossBorderEscrow} from "../interfaces/ICrossBorderEscrow.sol";
import {AddressIndex} from "./AddressIndex.sol";
import {AdminRules} from "./AdminRules.sol";
import {HeldFunds} from "./HeldFunds.sol";

/// @title CrossBorderEscrow
/// @notice FX escrow with signed quotes and payment-versus-payment settlement. See {ICrossBorderEscrow}.
contract CrossBorderEscrow is ICrossBorderEscrow, AdminRules, EIP712, HeldFunds {
    using SafeERC20 for IERC20;
    using AddressIndex for AddressIndex.Table;

    /// @dev Two slots, so an initiate writes two fresh slots and a final transfer keeps one non-zero byte.
    /// Slot 0: sender, source amount, deadline (160 + 56 + 40 bits).
    /// Slot 1: beneficiary, target amount, status, fee, token and LP indices (160 + 56 + 8 + 8 + 8 + 8 + 8 bits).
    struct Transfer {
        address sender;
        uint56 sourceAmount;
        uint40 deadline;
        address beneficiary;
        uint56 targetAmount;
        Status status;
        uint8 feeBps;
        uint8 sourceTokenIndex;
        uint8 targetTokenIndex;
        uint8 liquidityProviderIndex;
    }

    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    uint16 public constant MAX_FEE_BPS = 100;
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(address sourceToken,address targetToken,uint256 sourceAmount,uint256 targetAmount,address liquidityProvider,uint64 expiresAt,bytes32 quoteId)"
    );

    uint16 private constant _BPS = 10_000;
    /// @dev A record's token and LP indices are 8 bits wide.
    uint256 private constant _MAX_INDEX = type(uint8).max;

    IComplianceRegistry private immutable _registry;
    address private immutable _feeAccount;

    uint8 private _feeBps;
    AddressIndex.Table private _tokens; // accepted by the admin
    AddressIndex.Table private _providers; // allowed by the admin
    mapping(bytes32 transferId => Transfer) private _transfers;
    // The fees owed to the fee account (the only account ever owed fees) in each token are the `amount` of the token's
    // slot in _tokens: release resolves the source token from that slot anyway (see AddressIndex.Slot).

    /// @param registry_ The compliance registry.
    /// @param admin The default admin; it allows LPs, accepts tokens, sets the fee and grants COMPLIANCE_ROLE.
    /// @param feeAccount_ The account owed the fees (fixed for the escrow's life).
    constructor(
        address registry_,
        address admin,
        address feeAccount_
    ) AdminRules(admin) EIP712("CrossBorderEscrow", "1") {
        if (registry_ == address(0) || feeAccount_ == address(0)) revert EscrowZeroAddress();
        _registry = IComplianceRegistry(registry_);
        _feeAccount = feeAccount_;
    }

    /// @inheritdoc ICrossBorderEscrow
    function setLiquidityProvider(address liquidityProvider, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (liquidityProvider == address(0)) revert EscrowZeroAddress();
        if (_providers.set(liquidityProvider, allowed, _MAX_INDEX) == 0) revert EscrowTooManyLiquidityProviders();
        emit LiquidityProviderSet(liquidityProvider, allowed);
    }

    /// @inheritdoc ICrossBorderEscrow
    function setToken(address token, bool accepted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0)) revert EscrowZeroAddress();
        bool added = _tokens.entryOf(token).index == 0;
        uint256 index = _tokens.set(token, accepted, _MAX_INDEX);
        if (index == 0) revert EscrowTooManyTokens();
        // index <= _MAX_INDEX (255): the cast cannot truncate.
        if (added) emit TokenIndexed(token, uint16(index));
        emit TokenSet(token, accepted);
    }

    /// @inheritdoc ICrossBorderEscrow
    function setFee(uint16 feeBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeBps_ > MAX_FEE_BPS) revert EscrowFeeTooHigh(feeBps_, MAX_FEE_BPS);
        // feeBps_ <= MAX_FEE_BPS (100) fits a uint8.
        _feeBps = uint8(feeBps_);
        emit FeeSet(feeBps_);
    }

    /// @inheritdoc ICrossBorderEscrow
    function initiate(
        Quote calldata quote,
        bytes calldata signature,
        address beneficiary,
        uint64 deadline,
        bytes32 travelRuleHash,
        uint256 maxFee
    ) external nonReentrant returns (bytes32 transferId) {
        if (block.timestamp >= quote.expiresAt) revert EscrowQuoteExpired(quote.expiresAt, block.timestamp);
        if (deadline <= block.timestamp) revert EscrowDeadlineNotInFuture(deadline, block.timestamp);
        if (deadline > type(uint40).max) revert EscrowDeadlineTooLate(deadline, type(uint40).max);
        _requireStorableAmount(quote.sourceAmount);
        _requireStorableAmount(quote.targetAmount);
        if (quote.sourceToken == quote.targetToken) revert EscrowSameToken(quote.sourceToken);
        if (beneficiary == address(this)) revert EscrowBeneficiaryIsEscrow();

        address lp = quote.liquidityProvider;
        AddressIndex.Entry memory provider = _providers.entryOf(lp);
        if (!provider.allowed) revert EscrowNotLiquidityProvider(lp);
        if (!SignatureChecker.isValidSignatureNow(lp, quoteDigest(quote), signature)) {
            revert EscrowInvalidSignature(lp);
        }
        transferId = transferIdOf(lp, quote.quoteId);
        if (_transfers[transferId].status != Status.None) revert EscrowQuoteUsed(lp, quote.quoteId);
        _requireCanTransact(msg.sender);
        _requireCanTransact(beneficiary);
        uint256 fee = _lock(transferId, quote, beneficiary, deadline, provider.index, maxFee);
        emit TransferInitiated(transferId, msg.sender, beneficiary, quote, fee, deadline, travelRuleHash);
        IERC20(quote.sourceToken).safeTransferFrom(msg.sender, address(this), quote.sourceAmount + fee);
    }

    /// @inheritdoc ICrossBorderEscrow
    function release(bytes32 transferId) external nonReentrant {
        Transfer memory t = _transfers[transferId];
        _requireStatus(transferId, t.status, Status.Locked);
        AddressIndex.Slot storage provider = _providers.at(t.liquidityProviderIndex);
        if (msg.sender != provider.account) revert EscrowUnauthorized(msg.sender);
        if (!provider.allowed) revert EscrowNotLiquidityProvider(provider.account);
        if (block.timestamp >= t.deadline) revert EscrowDeadlinePassed(t.deadline, block.timestamp);
        _requireCanTransact(msg.sender);
        // One registry call answers for the sender and the beneficiary; which one failed is looked up only then.
        if (!_registry.canTransfer(t.sender, t.beneficiary)) {
            if (!_registry.canTransact(t.sender)) revert EscrowSenderCannotTransact(transferId, t.sender);
            revert EscrowCannotTransact(t.beneficiary);
        }

        _finalize(transferId, Status.Released);
        uint256 fee = _feeOf(t);
        AddressIndex.Slot storage source = _tokens.at(t.sourceTokenIndex);
        address sourceToken = source.account;
        // fee < 2**50 per transfer: the uint88 total would need more than 2**38 transfers to overflow.
        if (fee != 0) source.amount += uint88(fee);
        emit TransferReleased(transferId, msg.sender, t.beneficiary, t.targetAmount, t.sourceAmount, fee);

        // msg.sender is the transfer's LP (checked above): it pays the target leg and is paid the source leg.
        IERC20(_tokens.at(t.targetTokenIndex).account).safeTransferFrom(msg.sender, t.beneficiary, t.targetAmount);
        IERC20(sourceToken).safeTransfer(msg.sender, t.sourceAmount);
    }

    /// @inheritdoc ICrossBorderEscrow
    function reject(bytes32 transferId, bytes32 reason) external nonReentrant {
        Transfer memory t = _transfers[transferId];
        _requireStatus(transferId, t.status, Status.Locked);
        if (!hasRole(COMPLIANCE_ROLE, msg.sender)) {
            if (msg.sender != _providers.at(t.liquidityProviderIndex).account) revert EscrowUnauthorized(msg.sender);
            _requireCanTransact(msg.sender);
        }
        if (reason == bytes32(0)) revert EscrowZeroReason();
        _refund(transferId, t, reason);
    }

    /// @inheritdoc ICrossBorderEscrow
    function refund(bytes32 transferId) external nonReentrant {
        Transfer memory t = _transfers[transferId];
        _requireStatus(transferId, t.status, Status.Locked);
        if (block.timestamp < t.deadline) revert EscrowDeadlineNotReached(t.deadline, block.timestamp);
        _refund(transferId, t, bytes32(0));
    }

    /// @inheritdoc ICrossBorderEscrow
    function withdrawFees(address token) external nonReentrant {
        AddressIndex.Slot storage slot = _tokens.at(_tokens.entryOf(token).index);
        uint256 amount = msg.sender == _feeAccount ? slot.amount : 0;
        if (amount == 0) revert EscrowNothingToWithdraw(msg.sender, token);
        _requireCanTransact(msg.sender);
        slot.amount = 0;
        emit FeesWithdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ICrossBorderEscrow
    function transferOf(
        bytes32 transferId
    )
        external
        view
        returns (
            Status status,
            address sender,
            address beneficiary,
            address sourceToken,
            address targetToken,
            uint256 sourceAmount,
            uint256 targetAmount,
            address liquidityProvider,
            uint64 deadline
        )
    {
        Transfer storage t = _transfers[transferId];
        return (
            t.status,
            t.sender,
            t.beneficiary,
            _tokens.at(t.sourceTokenIndex).account,
            _tokens.at(t.targetTokenIndex).account,
            t.sourceAmount,
            t.targetAmount,
            _providers.at(t.liquidityProviderIndex).account,
            t.deadline
        );
    }

    /// @inheritdoc ICrossBorderEscrow
    function feeOf(bytes32 transferId) external view returns (uint256) {
        return _feeOf(_transfers[transferId]);
    }

    /// @inheritdoc ICrossBorderEscrow
    function isLiquidityProvider(address account) external view returns (bool) {
        return _providers.entryOf(account).allowed;
    }

    /// @inheritdoc ICrossBorderEscrow
    function isTokenAccepted(address token) external view returns (bool) {
        return _tokens.entryOf(token).allowed;
    }

    /// @inheritdoc ICrossBorderEscrow
    function feesOwed(address account, address token) external view returns (uint256) {
        return account == _feeAccount ? _tokens.at(_tokens.entryOf(token).index).amount : 0;
    }

    /// @inheritdoc ICrossBorderEscrow
    function feeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @inheritdoc ICrossBorderEscrow
    function feeAccount() external view returns (address) {
        return _feeAccount;
    }

    /// @inheritdoc ICrossBorderEscrow
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc ICrossBorderEscrow
    function quoteDigest(Quote calldata quote) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(QUOTE_TYPEHASH, quote)));
    }

    /// @inheritdoc ICrossBorderEscrow
    function transferIdOf(address liquidityProvider, bytes32 quoteId) public pure returns (bytes32) {
        return keccak256(abi.encode(liquidityProvider, quoteId));
    }

    /// @dev Records a new Locked transfer for the caller at the fee in force, refusing one above `maxFee` or in a
    /// token the admin does not accept. Returns the fee.
    function _lock(
        bytes32 transferId,
        Quote calldata quote,
        address beneficiary,
        uint64 deadline,
        uint256 providerIndex,
        uint256 maxFee
    ) private returns (uint256 fee) {
        uint8 feeBps_ = _feeBps;
        // sourceAmount < 2**56 and feeBps <= 100: the product cannot overflow.
        fee = (quote.sourceAmount * feeBps_) / _BPS;
        if (fee > maxFee) revert EscrowFeeAboveMax(fee, maxFee);
        uint256 sourceTokenIndex = _acceptedTokenIndex(quote.sourceToken);
        uint256 targetTokenIndex = _acceptedTokenIndex(quote.targetToken);
        // The casts cannot truncate: initiate checked the amounts and the deadline against their field widths, and
        // every index is at most _MAX_INDEX (the tables are bounded by it).
        _transfers[transferId] = Transfer({
            sender: msg.sender,
            sourceAmount: uint56(quote.sourceAmount),
            deadline: uint40(deadline),
            beneficiary: beneficiary,
            targetAmount: uint56(quote.targetAmount),
            status: Status.Locked,
            feeBps: feeBps_,
            sourceTokenIndex: uint8(sourceTokenIndex),
            targetTokenIndex: uint8(targetTokenIndex),
            liquidityProviderIndex: uint8(providerIndex)
        });
    }

    /// @dev Ends a locked transfer in `status`, clearing everything else for the gas refund.
    function _finalize(bytes32 transferId, Status status) private {
        delete _transfers[transferId];
        _transfers[transferId].status = status;
    }

    /// @dev Ends `t` Refunded and pays the source amount and the fee back to its sender, or holds them for it when
    /// it cannot transact.
    function _refund(bytes32 transferId, Transfer memory t, bytes32 reason) private {
        _finalize(transferId, Status.Refunded);
        uint256 amount = t.sourceAmount + _feeOf(t);
        emit TransferRefunded(transferId, t.sender, amount, reason, msg.sender);
        _payOrHold(_tokens.at(t.sourceTokenIndex).account, t.sender, amount);
    }

    /// @dev The one transition guard: every operation on a transfer names the status it needs.
    function _requireStatus(bytes32 transferId, Status current, Status expected) private pure {
        if (current != expected) revert EscrowUnexpectedStatus(transferId, current);
    }

    function _requireCanTransact(address account) private view {
        if (!_registry.canTransact(account)) revert EscrowCannotTransact(account);
    }

    function _requireStorableAmount(uint256 amount) private pure {
        if (amount == 0) revert EscrowZeroAmount();
        if (amount > type(uint56).max) revert EscrowAmountTooLarge(amount, type(uint56).max);
    }

    function _feeOf(Transfer memory t) private pure returns (uint256) {
        // sourceAmount < 2**56 and feeBps <= 100: the product cannot overflow.
        return (uint256(t.sourceAmount) * t.feeBps) / _BPS;
    }

    /// @dev The record index of `token`, which the admin must accept.
    function _acceptedTokenIndex(address token) private view returns (uint256) {
        AddressIndex.Entry memory entry = _tokens.entryOf(token);
        if (!entry.allowed) revert EscrowTokenNotAccepted(token);
        return entry.index;
    }

    /// @dev HeldFunds decides between paying and holding by this registry's verdict.
    function _complianceRegistry() internal view override returns (IComplianceRegistry) {
        return _registry;
    }
}
