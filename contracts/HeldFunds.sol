// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IHeldFunds} from "../interfaces/IHeldFunds.sol";

/// @title HeldFunds
/// @notice The part of every Crosspay contract that owes money to accounts: it pays an owner that can transact and
/// holds what it owes to one that cannot. See {IHeldFunds}.
/// @dev Contracts that inherit it implement {_complianceRegistry} and send every payout to an owner through
/// {_payOrHold}. It brings OpenZeppelin's ReentrancyGuard, which the inheriting contracts share.
abstract contract HeldFunds is IHeldFunds, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev DepositToken's ENFORCEMENT_ROLE: the token's own enforcement officers may seize what is held in it.
    bytes32 private constant _ENFORCEMENT_ROLE = keccak256("ENFORCEMENT_ROLE");

    mapping(address account => mapping(address token => uint256)) private _held;

    /// @inheritdoc IHeldFunds
    function withdrawHeld(address token) external nonReentrant {
        uint256 amount = _held[msg.sender][token];
        if (amount == 0) revert HeldFundsNothingHeld(msg.sender, token);
        if (!_complianceRegistry().canTransact(msg.sender)) revert HeldFundsCannotTransact(msg.sender);
        _held[msg.sender][token] = 0;
        emit HeldFundsWithdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IHeldFunds
    function seizeHeld(
        address account,
        address token,
        address to,
        uint256 amount,
        bytes32 legalRef
    ) external nonReentrant {
        if (to == address(0)) revert HeldFundsZeroAddress();
        if (amount == 0) revert HeldFundsZeroAmount();
        if (!IAccessControl(token).hasRole(_ENFORCEMENT_ROLE, msg.sender)) {
            revert HeldFundsNotEnforcer(msg.sender, token);
        }
        if (!_complianceRegistry().isFrozen(account)) revert HeldFundsAccountNotFrozen(account);
        uint256 held = _held[account][token];
        if (amount > held) revert HeldFundsExceedsHeld(account, token, amount, held);
        unchecked {
            // amount <= held was checked above.
            _held[account][token] = held - amount;
        }
        emit HeldFundsSeized(account, token, to, amount, legalRef, msg.sender);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IHeldFunds
    function heldBalance(address account, address token) external view returns (uint256) {
        return _held[account][token];
    }

    /// @dev The registry whose verdict decides between paying and holding.
    function _complianceRegistry() internal view virtual returns (IComplianceRegistry);

    /// @dev Pays `amount` of `token` to `owner`, or, when `owner` cannot transact, holds it for `owner`. The caller
    /// has done its own effects first (checks-effects-interactions): this is the interaction. Returns whether it paid.
    function _payOrHold(address token, address owner, uint256 amount) internal returns (bool paid) {
        if (_complianceRegistry().canTransact(owner)) {
            IERC20(token).safeTransfer(owner, amount);
            return true;
        }
        _held[owner][token] += amount;
        emit FundsHeld(owner, token, amount);
        return false;
    }
}
