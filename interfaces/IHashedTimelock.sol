// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

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
interface IHashedTimelock {
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
    /// @notice The contract already tracks the most tokens its records can index.
    error HtlcTooManyTokens();
    /// @notice `account` cannot transact in the compliance registry (unverified, expired or frozen).
    error HtlcCannotTransact(address account);
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
    event TokenIndexed(address indexed token, uint16 index);
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
    /// @notice The lock was claimed: `amount` went to `recipient`; `preimage` is now public.
    event Claimed(
        bytes32 indexed lockId, bytes32 indexed hashlock, address indexed recipient, uint256 amount, bytes32 preimage
    );
    /// @notice The lock was refunded: `amount` went back to `sender`.
    event Refunded(bytes32 indexed lockId, address indexed sender, uint256 amount);

    /// @notice Locks `amount` of `token` from the caller for `recipient` until `timelock`.
    /// @dev The caller and `recipient` must be able to transact in the registry; `hashlock` non-zero; `amount`
    /// non-zero and at most `type(uint96).max`; `timelock` in the future. Identical terms from the same sender
    /// while a lock with them exists (or existed) are refused: vary the timelock or the amount.
    /// @param hashlock sha256 of the 32-byte secret preimage.
    /// @return lockId {lockIdOf} the caller and these terms.
    function lock(address token, uint256 amount, address recipient, bytes32 hashlock, uint64 timelock)
        external
        returns (bytes32 lockId);

    /// @notice Claims a lock with its preimage, strictly before the timelock; pays the recipient.
    /// @dev Anyone may call it (a relayer, say): the tokens only ever go to the recipient.
    function claim(bytes32 lockId, bytes32 preimage) external;

    /// @notice Refunds a lock to its sender, at or after the timelock.
    /// @dev Anyone may call it: the tokens only ever go to the sender.
    function refund(bytes32 lockId) external;

    /// @notice A lock's terms. Once final (Claimed or Refunded) only `status` is kept; the rest reads zero. The
    /// hashlock is committed in the id and emitted in {Locked}, not stored.
    function lockOf(bytes32 lockId)
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
