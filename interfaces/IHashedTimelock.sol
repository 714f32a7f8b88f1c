// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IHeldFunds} from "./IHeldFunds.sol";

/// @title IHashedTimelock
/// @notice Hash-time-locked transfers of deposit tokens, one leg of an atomic swap across two ledgers. A sender
/// locks tokens for a recipient under `hashlock = sha256(preimage)` until `timelock`. Strictly before the timelock
/// anyone holding the preimage can claim, paying the recipient and revealing the preimage in {Claimed}; from the
/// timelock on anyone can refund, paying the sender. A lock is claimed once or refunded once, never both.
/// @dev sha256 (not keccak256) for interoperability with other HTLC systems. A lock's id commits to every term,
/// hashlock included: `keccak256(abi.encode(sender, recipient, token, amount, hashlock, timelock))` (see
/// {lockIdOf}). The record stores all terms but the hashlock in two slots; a claim proves the preimage by
/// recomputing the id. Once final only the status stays in storage; the events keep the history. Tokens must move
/// exact amounts (no fee-on-transfer or rebasing tokens), as Crosspay's deposit tokens do.
///
/// Compliance policy (a freeze reaches money in flight; the other leg of the swap is on another ledger, with its own
/// registry, so neither side can see or stop it):
/// - A lock is the sender's money until it is claimed. A lock whose sender cannot transact (frozen, unverified or
///   expired) cannot be claimed, even with the right preimage ({HtlcSenderCannotTransact}); at the timelock its refund
///   succeeds and the amount is held here for the sender ({IHeldFunds}): the sender withdraws it once it can
///   transact again, the token's ENFORCEMENT_ROLE can seize it meanwhile.
/// - A claim with the right preimage for a recipient that cannot transact succeeds: the swap completes atomically
///   (the preimage is public, so the other leg can complete too) and the amount is held here for the recipient,
///   frozen with it. Refusing it would hand the sender both legs.
/// - The exposure this leaves: an LP that paid out on the other ledger (revealing the preimage there) and whose own
///   claim here is then refused because the sender was frozen in between has delivered without being paid. Its route
///   is the legal one: the refund at the timelock is held for the frozen sender, and a court order lets the token's
///   enforcement officers seize it to the LP ({IHeldFunds-seizeHeld}), the preimage published on the other ledger
///   being the evidence that the LP delivered. LPs keep that window short by claiming as soon as the preimage is out.
/// - A claim that this contract would refuse must not be sent: a reverted transaction still publishes its calldata,
///   the preimage included. Callers simulate a claim (eth_call) before sending it.
/// - Lock indices: a token gets a 48-bit record index on first use; 2**48 - 1 tokens would have to be locked before
///   one is refused ({HtlcTooManyTokens}), which no one can afford. Timelocks are stored in 40 bits (until the
///   year 36,812); a later one is refused ({HtlcTimelockTooLate}).
interface IHashedTimelock is IHeldFunds {
    /// @notice The lifecycle of a lock.
    enum Status {
        None,
        Locked,
        Claimed,
        Refunded
    }

    /// @notice An address argument that must be non-zero was the zero address.
    error HtlcZeroAddress();
    /// @notice The amount was zero.
    error HtlcZeroAmount();
    /// @notice The hashlock was zero.
    error HtlcZeroHashlock();
    /// @notice The amount is beyond what a record stores (`type(uint96).max`); it is rejected, not truncated.
    error HtlcAmountTooLarge(uint256 amount, uint256 maxAmount);
    /// @notice The timelock is not in the future.
    error HtlcTimelockNotInFuture(uint64 timelock, uint256 currentTime);
    /// @notice The timelock is beyond what a record stores (`type(uint40).max`, the year 36,812); it is rejected, not
    /// truncated.
    error HtlcTimelockTooLate(uint64 timelock, uint256 maxTimelock);
    /// @notice The contract already tracks the most tokens its records can index (2**48 - 1).
    error HtlcTooManyTokens();
    /// @notice `account` cannot transact in the compliance registry (unverified, expired or frozen).
    error HtlcCannotTransact(address account);
    /// @notice The lock's sender cannot transact (frozen, unverified or expired): its money stays where it is.
    error HtlcSenderCannotTransact(bytes32 lockId, address sender);
    /// @notice The recipient is this contract: the tokens would be stranded.
    error HtlcRecipientIsHtlc();
    /// @notice The lock is not in the status the operation needs (a lock with these terms exists, or it is
    /// unknown or final).
    error HtlcUnexpectedStatus(bytes32 lockId, Status current);
    /// @notice sha256(preimage) is not the lock's hashlock.
    error HtlcWrongPreimage(bytes32 lockId);
    /// @notice The timelock has come (`block.timestamp >= timelock`): the lock can no longer be claimed.
    error HtlcTimelockExpired(uint64 timelock, uint256 currentTime);
    /// @notice The timelock has not come: the lock cannot be refunded yet.
    error HtlcTimelockNotReached(uint64 timelock, uint256 currentTime);

    /// @notice `token` was given record index `index` (first lock in that token).
    event TokenIndexed(address indexed token, uint48 index);
    /// @notice `sender` locked `amount` of `token` for `recipient` under `hashlock` until `timelock`.
    event Locked(
        bytes32 indexed lockId,
        bytes32 indexed hashlock,
        address indexed sender,
        address recipient,
        address token,
        uint256 amount,
        uint64 timelock
    );
    /// @notice The lock was claimed: `amount` went to `recipient` (or is held for it, with {FundsHeld}, when it
    /// cannot transact); `preimage` is now public.
    event Claimed(
        bytes32 indexed lockId,
        bytes32 indexed hashlock,
        address indexed recipient,
        uint256 amount,
        bytes32 preimage
    );
    /// @notice The lock was refunded: `amount` went back to `sender` (or is held for it, with {FundsHeld}, when it
    /// cannot transact).
    event Refunded(bytes32 indexed lockId, address indexed sender, uint256 amount);

    /// @notice Locks `amount` of `token` from the caller for `recipient` until `timelock`.
    /// @dev The caller and `recipient` must be able to transact in the registry; `recipient` is not this contract;
    /// `hashlock` non-zero; `amount` non-zero and at most `type(uint96).max`; `timelock` in the future and at most
    /// `type(uint40).max`. Identical terms from the same sender while a lock with them exists (or existed) are
    /// refused: vary the timelock or the amount.
    /// @param hashlock sha256 of the 32-byte secret preimage.
    /// @return lockId {lockIdOf} the caller and these terms.
    function lock(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external returns (bytes32 lockId);

    /// @notice Claims a lock with its preimage, strictly before the timelock; pays the recipient, or holds the amount
    /// for it when it cannot transact.
    /// @dev Anyone may call it (a relayer, say): the tokens only ever go to the recipient. Refused while the lock's
    /// sender cannot transact ({HtlcSenderCannotTransact}). Simulate it first: a refused claim still publishes the
    /// preimage in its calldata.
    function claim(bytes32 lockId, bytes32 preimage) external;

    /// @notice Refunds a lock to its sender, at or after the timelock; holds the amount for the sender when it
    /// cannot transact.
    /// @dev Anyone may call it: the tokens only ever go to the sender, whatever its status.
    function refund(bytes32 lockId) external;

    /// @notice A lock's terms. Once final (Claimed or Refunded) only `status` is kept; the rest reads zero. The
    /// hashlock is committed in the id and emitted in {Locked}, not stored.
    function lockOf(
        bytes32 lockId
    )
        external
        view
        returns (Status status, address sender, address recipient, address token, uint256 amount, uint64 timelock);

    /// @notice The id a lock with these terms gets.
    function lockIdOf(
        address sender,
        address recipient,
        address token,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock
    ) external pure returns (bytes32);

    /// @notice The compliance registry senders and recipients are checked against.
    function registry() external view returns (address);
}
