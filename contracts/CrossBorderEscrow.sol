// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {ICrossBorderEscrow} from "../interfaces/ICrossBorderEscrow.sol";
import {AdminRules} from "./AdminRules.sol";

/// @title CrossBorderEscrow
/// @notice FX escrow with signed quotes and payment-versus-payment settlement. See {ICrossBorderEscrow}.
contract CrossBorderEscrow is ICrossBorderEscrow, AdminRules, EIP712, ReentrancyGuard {
    using SafeERC20 for IERC20;

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

    /// @dev A liquidity provider's record index and whether it is allowed (one slot each way).
    struct ProviderByAccount {
        uint8 index;
        bool allowed;
    }

    struct ProviderByIndex {
        address account;
        bool allowed;
    }

    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    uint16 public constant MAX_FEE_BPS = 100;
    bytes32 public constant QUOTE_TYPEHASH = keccak256(
        "Quote(address sourceToken,address targetToken,uint256 sourceAmount,uint256 targetAmount,address liquidityProvider,uint64 expiresAt,bytes32 quoteId)"
    );


    uint16 private constant _BPS = 10_000;

    IComplianceRegistry private immutable _registry;
    address private immutable _feeAccount;

    uint8 private _feeBps;
    uint8 private _tokenCount;
    uint8 private _providerCount;
    mapping(address token => uint8 index) private _tokenIndex; // 1-based; 0 = not indexed yet
    mapping(uint8 index => address token) private _tokenAt;
    mapping(address account => ProviderByAccount) private _providers;
    mapping(uint8 index => ProviderByIndex) private _providerAt;
    mapping(bytes32 transferId => Transfer) private _transfers;

    /// @param registry_ The compliance registry.
    /// @param admin The default admin; it allows LPs, sets the fee and grants COMPLIANCE_ROLE.
    /// @param feeAccount_ The account that receives fees (fixed for the escrow's life).
    constructor(address registry_, address admin, address feeAccount_)
        AdminRules(admin)
        EIP712("CrossBorderEscrow", "1")
    {
        if (registry_ == address(0) || feeAccount_ == address(0)) revert EscrowZeroAddress();
        _registry = IComplianceRegistry(registry_);
        _feeAccount = feeAccount_;
    }

    /// @inheritdoc ICrossBorderEscrow
    function setLiquidityProvider(address liquidityProvider, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (liquidityProvider == address(0)) revert EscrowZeroAddress();
        uint8 index = _providers[liquidityProvider].index;
        if (index == 0) {
            if (_providerCount == type(uint8).max) revert EscrowTooManyLiquidityProviders();
            unchecked {
                // _providerCount < type(uint8).max was checked above.
                index = ++_providerCount;
            }
        }
        _providers[liquidityProvider] = ProviderByAccount(index, allowed);
        _providerAt[index] = ProviderByIndex(liquidityProvider, allowed);
        emit LiquidityProviderSet(liquidityProvider, allowed);
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
        bytes32 travelRuleHash
    ) external nonReentrant returns (bytes32 transferId) {
        if (block.timestamp >= quote.expiresAt) revert EscrowQuoteExpired(quote.expiresAt, block.timestamp);
        if (deadline <= block.timestamp) revert EscrowDeadlineNotInFuture(deadline, block.timestamp);
        if (deadline > type(uint40).max) revert EscrowDeadlineTooLate(deadline, type(uint40).max);
        _requireStorableAmount(quote.sourceAmount);
        _requireStorableAmount(quote.targetAmount);
        if (quote.sourceToken == quote.targetToken) revert EscrowSameToken(quote.sourceToken);

        address lp = quote.liquidityProvider;
        ProviderByAccount memory provider = _providers[lp];
        if (!provider.allowed) revert EscrowNotLiquidityProvider(lp);
        if (!SignatureChecker.isValidSignatureNow(lp, quoteDigest(quote), signature)) {
            revert EscrowInvalidSignature(lp);
        }
        transferId = transferIdOf(lp, quote.quoteId);
        Transfer storage record = _transfers[transferId];
        if (record.status != Status.None) revert EscrowQuoteUsed(lp, quote.quoteId);
        _requireCanTransact(msg.sender);
        _requireCanTransact(beneficiary);

        uint8 feeBps_ = _feeBps;
        // sourceAmount < 2**56 and feeBps <= 100: the product cannot overflow.
        uint256 fee = quote.sourceAmount * feeBps_ / _BPS;
        // The casts cannot truncate: amounts and deadline were checked against their field widths above.
        _transfers[transferId] = Transfer({
            sender: msg.sender,
            sourceAmount: uint56(quote.sourceAmount),
            deadline: uint40(deadline),
            beneficiary: beneficiary,
            targetAmount: uint56(quote.targetAmount),
            status: Status.Locked,
            feeBps: feeBps_,
            sourceTokenIndex: _indexOf(quote.sourceToken),
            targetTokenIndex: _indexOf(quote.targetToken),
            liquidityProviderIndex: provider.index
        });
        emit TransferInitiated(transferId, msg.sender, beneficiary, quote, fee, deadline, travelRuleHash);
        IERC20(quote.sourceToken).safeTransferFrom(msg.sender, address(this), quote.sourceAmount + fee);
    }

    /// @inheritdoc ICrossBorderEscrow
    function release(bytes32 transferId) external nonReentrant {
        Transfer memory t = _transfers[transferId];
        _requireStatus(transferId, t.status, Status.Locked);
        ProviderByIndex memory provider = _providerAt[t.liquidityProviderIndex];
        if (msg.sender != provider.account) revert EscrowUnauthorized(msg.sender);
        if (!provider.allowed) revert EscrowNotLiquidityProvider(provider.account);
        if (block.timestamp >= t.deadline) revert EscrowDeadlinePassed(t.deadline, block.timestamp);
        _requireCanTransact(t.beneficiary);

        _finalize(transferId, Status.Released);
        uint256 fee = _feeOf(t);
        emit TransferReleased(transferId, provider.account, t.beneficiary, t.targetAmount, t.sourceAmount, fee);

        IERC20 sourceToken = IERC20(_tokenAt[t.sourceTokenIndex]);
        // msg.sender is the transfer's LP (checked above): it pays the target leg and is paid the source leg.
        IERC20(_tokenAt[t.targetTokenIndex]).safeTransferFrom(msg.sender, t.beneficiary, t.targetAmount);
        sourceToken.safeTransfer(msg.sender, t.sourceAmount);
        if (fee != 0) sourceToken.safeTransfer(_feeAccount, fee);
    }

    /// @inheritdoc ICrossBorderEscrow
    function reject(bytes32 transferId, bytes32 reason) external nonReentrant {
        Transfer memory t = _transfers[transferId];
        _requireStatus(transferId, t.status, Status.Locked);
        if (msg.sender != _providerAt[t.liquidityProviderIndex].account && !hasRole(COMPLIANCE_ROLE, msg.sender)) {
            revert EscrowUnauthorized(msg.sender);
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
    function transferOf(bytes32 transferId)
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
            _tokenAt[t.sourceTokenIndex],
            _tokenAt[t.targetTokenIndex],
            t.sourceAmount,
            t.targetAmount,
            _providerAt[t.liquidityProviderIndex].account,
            t.deadline
        );
    }

    /// @inheritdoc ICrossBorderEscrow
    function feeOf(bytes32 transferId) external view returns (uint256) {
        return _feeOf(_transfers[transferId]);
    }

    /// @inheritdoc ICrossBorderEscrow
    function isLiquidityProvider(address account) external view returns (bool) {
        return _providers[account].allowed;
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

    /// @dev Ends a locked transfer in `status`, clearing everything else for the gas refund.
    function _finalize(bytes32 transferId, Status status) private {
        delete _transfers[transferId];
        _transfers[transferId].status = status;
    }

    /// @dev Ends `t` Refunded and pays the source amount and the fee back to its sender.
    function _refund(bytes32 transferId, Transfer memory t, bytes32 reason) private {
        _finalize(transferId, Status.Refunded);
        uint256 amount = t.sourceAmount + _feeOf(t);
        emit TransferRefunded(transferId, t.sender, amount, reason, msg.sender);
        IERC20(_tokenAt[t.sourceTokenIndex]).safeTransfer(t.sender, amount);
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
        return uint256(t.sourceAmount) * t.feeBps / _BPS;
    }

    /// @dev The record index of `token`, indexing it on first use.
    function _indexOf(address token) private returns (uint8 index) {
        index = _tokenIndex[token];
        if (index == 0) {
            if (_tokenCount == type(uint8).max) revert EscrowTooManyTokens();
            unchecked {
                // _tokenCount < type(uint8).max was checked above.
                index = ++_tokenCount;
            }
            _tokenIndex[token] = index;
            _tokenAt[index] = token;
            emit TokenIndexed(token, index);
        }
    }
}
