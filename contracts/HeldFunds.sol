// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IHeldFunds} from "../interfaces/IHeldFunds.sol";
import {HeldFundsStorage} from "./HeldFundsStorage.sol";

/// @title HeldFunds
/// @notice The part of every Crosspay contract that owes money to accounts: it pays an owner that can transact and
/// holds what it owes to one that cannot. See {IHeldFunds}.
/// @dev Contracts that inherit it implement {_complianceRegistry} and send every payout to an owner through
/// {_payOrHold}. It brings OpenZeppelin's ReentrancyGuard, which the inheriting contracts share. The ledger lives in
/// an ERC-7201 namespace (HeldFundsStorage), so libraries a contract links can credit it too.
abstract contract HeldFunds is IHeldFunds, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @dev DepositToken's ENFORCEMENT_ROLE: the token's own enforcement officers may seize what is held in it.
    bytes32 private constant _ENFORCEMENT_ROLE = keccak256("ENFORCEMENT_ROLE");

    /// @inheritdoc IHeldFunds
    function withdrawHeld(address token) external nonReentrant {
        mapping(address token => uint256) storage held = HeldFundsStorage.layout().held[msg.sender];
        uint256 amount = held[token];
        if (amount == 0) revert HeldFundsNothingHeld(msg.sender, token);
        if (!_complianceRegistry().canTransact(msg.sender)) revert HeldFundsCannotTransact(msg.sender);
        held[token] = 0;
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
        mapping(address token => uint256) storage ledger = HeldFundsStorage.layout().held[account];
        uint256 held = ledger[token];
        if (amount > held) revert HeldFundsExceedsHeld(account, token, amount, held);
        unchecked {
            // amount <= held was checked above.
            ledger[token] = held - amount;
        }
        emit HeldFundsSeized(account, token, to, amount, legalRef, msg.sender);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IHeldFunds
    function heldBalance(address account, address token) external view returns (uint256) {
        return HeldFundsStorage.layout().held[account][token];
    }

    /// @dev The registry whose verdict decides between paying and holding.
    function _complianceRegistry() internal view virtual returns (IComplianceRegistry);

    /// @dev Pays `amount` of `token` to `owner`, or, when `owner` cannot transact, holds it for `owner`. The caller
    /// has done its own effects first (checks-effects-interactions): this is the interaction ({FundsHeld} when it
    /// holds).
    function _payOrHold(address token, address owner, uint256 amount) internal {
        HeldFundsStorage.payOrHold(_complianceRegistry(), token, owner, amount);
    }
}
