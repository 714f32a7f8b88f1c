// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IHashedTimelock} from "../interfaces/IHashedTimelock.sol";
import {AddressIndex} from "./AddressIndex.sol";
import {HeldFunds} from "./HeldFunds.sol";

/// @title HashedTimelock
/// @notice Hash-time-locked transfers of deposit tokens for swaps across two ledgers. See {IHashedTimelock}.
contract HashedTimelock is IHashedTimelock, HeldFunds {
    using SafeERC20 for IERC20;
    using AddressIndex for AddressIndex.Table;

    /// @dev Two slots. Slot 0: sender, timelock, status, token index (160 + 40 + 8 + 48 bits).
    /// Slot 1: recipient and amount. The hashlock is committed in the lock id, not stored.
    struct Lock {
        address sender;
        uint40 timelock;
        Status status;
        uint48 tokenIndex;
        address recipient;
        uint96 amount;
    }

    /// @dev Every token a lock could name can be indexed: 2**48 - 1 locks of distinct tokens cannot be afforded.
    uint256 private constant _MAX_TOKENS = type(uint48).max;

    IComplianceRegistry private immutable _registry;

    AddressIndex.Table private _tokens;
    mapping(bytes32 lockId => Lock) private _locks;

    /// @param registry_ The compliance registry.
    constructor(address registry_) {
        if (registry_ == address(0)) revert HtlcZeroAddress();
        _registry = IComplianceRegistry(registry_);
    }

    /// @inheritdoc IHashedTimelock
    function lock(
        address token,
        uint256 amount,
        address recipient,
        bytes32 hashlock,
        uint64 timelock
    ) external nonReentrant returns (bytes32 lockId) {
        if (token == address(0)) revert HtlcZeroAddress();
        if (amount == 0) revert HtlcZeroAmount();
        if (amount > type(uint96).max) revert HtlcAmountTooLarge(amount, type(uint96).max);
        if (hashlock == bytes32(0)) revert HtlcZeroHashlock();
        if (timelock <= block.timestamp) revert HtlcTimelockNotInFuture(timelock, block.timestamp);
        if (timelock > type(uint40).max) revert HtlcTimelockTooLate(timelock, type(uint40).max);
        if (recipient == address(this)) revert HtlcRecipientIsHtlc();
        if (!_registry.canTransact(msg.sender)) revert HtlcCannotTransact(msg.sender);
        if (!_registry.canTransact(recipient)) revert HtlcCannotTransact(recipient);

        lockId = lockIdOf(msg.sender, recipient, token, amount, hashlock, timelock);
        _requireStatus(lockId, _locks[lockId].status, Status.None);
        // The casts cannot truncate: amount, timelock and the token index were checked against their widths.
        _locks[lockId] = Lock({
            sender: msg.sender,
            timelock: uint40(timelock),
            status: Status.Locked,
            tokenIndex: uint48(_indexOf(token)),
            recipient: recipient,
            amount: uint96(amount)
        });
        emit Locked(lockId, hashlock, msg.sender, recipient, token, amount, timelock);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IHashedTimelock
    function claim(bytes32 lockId, bytes32 preimage) external nonReentrant {
        Lock memory l = _locks[lockId];
        _requireStatus(lockId, l.status, Status.Locked);
        if (block.timestamp >= l.timelock) revert HtlcTimelockExpired(l.timelock, block.timestamp);
        address token = _tokens.at(l.tokenIndex).account;
        bytes32 hashlock = _sha256(preimage);
        // The id commits to the hashlock: it matches only when sha256(preimage) is the lock's hashlock.
        if (lockIdOf(l.sender, l.recipient, token, l.amount, hashlock, l.timelock) != lockId) {
            revert HtlcWrongPreimage(lockId);
        }
        // Until it is claimed the lock is the sender's money: a sender that cannot transact stops it here. A recipient
        // that cannot transact is paid by holding. One registry call answers for both ends on the usual path.
        bool bothCanTransact = _registry.canTransfer(l.sender, l.recipient);
        if (!bothCanTransact && !_registry.canTransact(l.sender)) {
            revert HtlcSenderCannotTransact(lockId, l.sender);
        }

        _finalize(lockId, Status.Claimed);
        emit Claimed(lockId, hashlock, l.recipient, l.amount, preimage);
        if (bothCanTransact) IERC20(token).safeTransfer(l.recipient, l.amount);
        else _payOrHold(token, l.recipient, l.amount); // the recipient cannot transact: held for it
    }

    /// @inheritdoc IHashedTimelock
    function refund(bytes32 lockId) external nonReentrant {
        Lock memory l = _locks[lockId];
        _requireStatus(lockId, l.status, Status.Locked);
        if (block.timestamp < l.timelock) revert HtlcTimelockNotReached(l.timelock, block.timestamp);

        _finalize(lockId, Status.Refunded);
        emit Refunded(lockId, l.sender, l.amount);
        _payOrHold(_tokens.at(l.tokenIndex).account, l.sender, l.amount);
    }

    /// @inheritdoc IHashedTimelock
    function lockOf(
        bytes32 lockId
    )
        external
        view
        returns (Status status, address sender, address recipient, address token, uint256 amount, uint64 timelock)
    {
        Lock storage l = _locks[lockId];
        return (l.status, l.sender, l.recipient, _tokens.at(l.tokenIndex).account, l.amount, l.timelock);
    }

    /// @inheritdoc IHashedTimelock
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IHashedTimelock
    function lockIdOf(
        address sender,
        address recipient,
        address token,
        uint256 amount,
        bytes32 hashlock,
        uint64 timelock
    ) public pure returns (bytes32 lockId) {
        // keccak256(abi.encode(sender, recipient, token, amount, hashlock, timelock)), hashed in scratch memory
        // past the free memory pointer without moving it (nothing else is allocated meanwhile).
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, sender)
            mstore(add(ptr, 0x20), recipient)
            mstore(add(ptr, 0x40), token)
            mstore(add(ptr, 0x60), amount)
            mstore(add(ptr, 0x80), hashlock)
            mstore(add(ptr, 0xa0), timelock)
            lockId := keccak256(ptr, 0xc0)
        }
    }

    /// @dev sha256 of the 32-byte preimage through the precompile at 0x02, in scratch space (0x00-0x3f).
    function _sha256(bytes32 preimage) private view returns (bytes32 digest) {
        assembly ("memory-safe") {
            mstore(0x00, preimage)
            if iszero(staticcall(gas(), 0x02, 0x00, 0x20, 0x00, 0x20)) {
                revert(0, 0)
            }
            digest := mload(0x00)
        }
    }

    /// @dev Ends a lock in `status`, clearing everything else for the gas refund.
    function _finalize(bytes32 lockId, Status status) private {
        Lock storage l = _locks[lockId];
        // Slot 0 keeps only the status (bits 200-207, after the 160-bit sender and the 40-bit timelock); slot 1
        // (recipient, amount) is cleared. One SSTORE each: the gas refund without an intermediate zero write (plain
        // Solidity writes cost 538 to 897 gas more per claim or refund). The layout assumed here is pinned by
        // test_finalize_writes_the_status_where_the_lock_layout_keeps_it (tests/unit/crossborder).
        assembly ("memory-safe") {
            sstore(l.slot, shl(200, status))
            sstore(add(l.slot, 1), 0)
        }
    }

    /// @dev The one transition guard: every operation on a lock names the status it needs.
    function _requireStatus(bytes32 lockId, Status current, Status expected) private pure {
        if (current != expected) revert HtlcUnexpectedStatus(lockId, current);
    }

    /// @dev The record index of `token`, indexing it on first use.
    function _indexOf(address token) private returns (uint256 index) {
        bool added;
        (index, added) = _tokens.indexOf(token, _MAX_TOKENS);
        if (index == 0) revert HtlcTooManyTokens();
        // index <= _MAX_TOKENS = type(uint48).max: the cast cannot truncate.
        if (added) emit TokenIndexed(token, uint48(index));
    }

    /// @dev HeldFunds decides between paying and holding by this registry's verdict.
    function _complianceRegistry() internal view override returns (IComplianceRegistry) {
        return _registry;
    }
}
