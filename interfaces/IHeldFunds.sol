// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IHeldFunds
/// @notice Money a Crosspay contract owes to an account that cannot transact (frozen, unverified or with its KYC
/// expired) is never sent to that account: the contract keeps it, recorded as held for its owner. The owner withdraws
/// it once it can transact again; while the owner is frozen, the token's enforcement officers can seize it with a
/// legal reference, as {IDepositToken-seize} does for balances. Nothing else moves held funds.
/// @dev Who may seize is the token's own ENFORCEMENT_ROLE (the bank that issued the deposits), read from the token's
/// access control: the held funds are that bank's deposits, kept in a contract instead of a wallet, so the authority
/// that may seize a frozen wallet's balance is the one that may seize them. A held amount is not an open payment: it
/// stays owed to its owner until withdrawn or seized, whatever happens to the payment that produced it.
///
/// MerchantSettlement also keeps here everything it owes a liquidity provider of cross-currency payments (issue 11):
/// the payers' tokens its captures converted, its tokens a void, reclaim or refund released, and what it deposited
/// ({IMerchantSettlement-depositLiquidity}). That balance is the LP's float and its pull ledger at once: what it
/// delivers is debited from it, nothing owed to it is ever pushed to it, and the same two ways out apply (the LP
/// withdraws while it can transact; the token's ENFORCEMENT_ROLE seizes while it is frozen). {FundsHeld} is emitted
/// only for what is held for an owner that cannot transact; the payment events say what each conversion credited or
/// debited an LP.
interface IHeldFunds {
    /// @notice An address argument was the zero address.
    error HeldFundsZeroAddress();
    /// @notice An amount argument was zero.
    error HeldFundsZeroAmount();
    /// @notice Nothing is held for `account` in `token`.
    error HeldFundsNothingHeld(address account, address token);
    /// @notice `account` cannot transact (frozen, unverified or expired), so it cannot withdraw yet.
    error HeldFundsCannotTransact(address account);
    /// @notice `caller` does not hold `token`'s ENFORCEMENT_ROLE.
    error HeldFundsNotEnforcer(address caller, address token);
    /// @notice Held funds are seized only from a frozen account, and `account` is not frozen.
    error HeldFundsAccountNotFrozen(address account);
    /// @notice Seizing `amount` would exceed the `held` amount.
    error HeldFundsExceedsHeld(address account, address token, uint256 amount, uint256 held);

    /// @notice `amount` of `token` owed to `account`, which cannot transact, is now held for it.
    event FundsHeld(address indexed account, address indexed token, uint256 amount);
    /// @notice `account` withdrew the `amount` of `token` held for it.
    event HeldFundsWithdrawn(address indexed account, address indexed token, uint256 amount);
    /// @notice `officer` seized `amount` of the `token` held for the frozen `account`, paying it to `to` under the
    /// legal reference `legalRef`.
    event HeldFundsSeized(
        address indexed account,
        address indexed token,
        address to,
        uint256 amount,
        bytes32 legalRef,
        address indexed officer
    );

    /// @notice What this contract holds for `account` in `token`.
    function heldBalance(address account, address token) external view returns (uint256);

    /// @notice Pays the caller everything held for it in `token`.
    /// @dev The owner, once it can transact again.
    function withdrawHeld(address token) external;

    /// @notice Seizes `amount` of the `token` held for the frozen `account`, paying it to `to`.
    /// @dev A holder of `token`'s ENFORCEMENT_ROLE. `to` must be able to receive `token` (the token checks it).
    /// @param legalRef The court order or case reference, kept in the event.
    function seizeHeld(address account, address token, address to, uint256 amount, bytes32 legalRef) external;
}
