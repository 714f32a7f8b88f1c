// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IDepositToken} from "../interfaces/IDepositToken.sol";
import {AdminRules} from "./AdminRules.sol";
import {AttestedReserves} from "./AttestedReserves.sol";
import {ERC3009} from "./ERC3009.sol";

/// @title DepositToken
/// @notice A bank's tokenised deposits in one currency. See {IDepositToken}.
contract DepositToken is ERC20Permit, Pausable, AttestedReserves, ERC3009, AdminRules, IDepositToken {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    bytes32 public constant ENFORCEMENT_ROLE = keccak256("ENFORCEMENT_ROLE");

    IComplianceRegistry private immutable _registry;
    bytes3 private immutable _currency;

    mapping(address issuer => uint256) private _issuerAllowances;

    /// @param name_ Token name, also the EIP-712 domain name (version "1").
    /// @param symbol_ Token symbol, e.g. "dCNY".
    /// @param currency_ ISO 4217 code, e.g. "CNY".
    /// @param registry_ The compliance registry.
    /// @param admin The default admin; it grants the operational roles.
    constructor(
        string memory name_,
        string memory symbol_,
        bytes3 currency_,
        address registry_,
        address admin
    ) ERC20(name_, symbol_) ERC20Permit(name_) AdminRules(admin) {
        if (registry_ == address(0)) revert DepositTokenZeroAddress();
        for (uint256 i; i < 3; ++i) {
            if (currency_[i] < "A" || currency_[i] > "Z") revert DepositTokenInvalidCurrency(currency_);
        }
        _registry = IComplianceRegistry(registry_);
        _currency = currency_;
    }

    /// @inheritdoc IDepositToken
    function setIssuerAllowance(address issuer, uint256 allowance) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (issuer == address(0)) revert DepositTokenZeroAddress();
        _issuerAllowances[issuer] = allowance;
        emit IssuerAllowanceSet(issuer, allowance);
    }

    /// @inheritdoc IDepositToken
    function mint(address to, uint256 amount, bytes32 depositRef) external onlyRole(ISSUER_ROLE) {
        if (to == address(0)) revert DepositTokenZeroAddress();
        if (amount == 0) revert DepositTokenZeroAmount();
        uint256 allowance = _issuerAllowances[msg.sender];
        if (amount > allowance) revert DepositTokenIssuerAllowanceExceeded(msg.sender, allowance, amount);
        uint256 supplyAfterMint = totalSupply() + amount;
        if (supplyAfterMint > _reserves) revert DepositTokenReservesExceeded(_reserves, supplyAfterMint);
        unchecked {
            // amount <= allowance was checked above.
            _issuerAllowances[msg.sender] = allowance - amount;
        }
        _mint(to, amount);
        emit Minted(msg.sender, to, amount, depositRef);
    }

    /// @inheritdoc IDepositToken
    function redeem(uint256 amount, bytes32 withdrawalRef) external {
        if (amount == 0) revert DepositTokenZeroAmount();
        _burn(msg.sender, amount);
        uint256 reserves_ = _reserves;
        unchecked {
            // Subtracts only when reserves_ > amount, so the result is below reserves_ and fits; otherwise the fiat
            // paid out used up the attested reserves.
            _reserves = reserves_ > amount ? uint248(reserves_ - amount) : 0;
        }
        emit Redeemed(msg.sender, amount, withdrawalRef);
    }

    /// @inheritdoc IDepositToken
    function attestReserves(uint256 reserves_, bytes32 reportHash) external onlyRole(AUDITOR_ROLE) {
        if (reserves_ > type(uint248).max) revert DepositTokenReservesTooLarge(reserves_, type(uint248).max);
        // reserves_ <= type(uint248).max was checked above.
        _reserves = uint248(reserves_);
        emit ReservesAttested(msg.sender, reserves_, totalSupply(), reportHash);
    }

    /// @inheritdoc IDepositToken
    function seize(address from, address to, uint256 amount, bytes32 legalRef) external onlyRole(ENFORCEMENT_ROLE) {
        if (to == address(0)) revert DepositTokenZeroAddress();
        if (amount == 0) revert DepositTokenZeroAmount();
        if (!_registry.isFrozen(from)) revert DepositTokenAccountNotFrozen(from);
        _transfer(from, to, amount);
        emit Seized(from, to, amount, legalRef, msg.sender);
    }

    /// @inheritdoc IDepositToken
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IDepositToken
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc ERC20
    /// @dev The spender must be able to transact too: a frozen or unverified spender moves nobody's deposits. The
    /// pause is checked first so that a paused token answers EnforcedPause whoever calls.
    function transferFrom(
        address from,
        address to,
        uint256 value
    ) public override(ERC20, IERC20) whenNotPaused returns (bool) {
        if (!_registry.canTransact(msg.sender)) _revertCannotTransact(msg.sender);
        return super.transferFrom(from, to, value);
    }

    /// @inheritdoc IDepositToken
    function issuerAllowance(address issuer) external view returns (uint256) {
        return _issuerAllowances[issuer];
    }

    /// @inheritdoc IDepositToken
    function reserves() external view returns (uint256) {
        return _reserves;
    }

    /// @inheritdoc IDepositToken
    function currency() external view returns (bytes3) {
        return _currency;
    }

    /// @inheritdoc IDepositToken
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @notice Amounts are in minor units: fen, cents.
    function decimals() public pure override(ERC20, IERC20Metadata) returns (uint8) {
        return 2;
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @dev The one balance hook: every mint, burn, transfer and seizure passes here. It refuses everything while
    /// paused, then requires the registry to let each non-zero end transact. The single exemption is {seize}, which
    /// may debit a frozen account (its caller was checked by role and `from` was checked frozen) but still needs a
    /// receiver that can transact; `msg.sig` identifies it without a storage flag, and no other entry point carries
    /// that selector.
    function _update(address from, address to, uint256 value) internal override(ERC20) {
        _requireNotPaused();
        if (!_registry.canTransfer(from, to)) {
            if (msg.sig == this.seize.selector) {
                if (!_registry.canTransact(to)) _revertCannotTransact(to);
            } else {
                _revertCannotTransact(from != address(0) && !_registry.canTransact(from) ? from : to);
            }
        }
        super._update(from, to, value);
    }

    /// @dev Reverts with the reason `account` cannot transact. Only called on the failure path.
    function _revertCannotTransact(address account) private view {
        if (_registry.isFrozen(account)) revert DepositTokenAccountFrozen(account);
        revert DepositTokenAccountNotVerified(account);
    }
}
