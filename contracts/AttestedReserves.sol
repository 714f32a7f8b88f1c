// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AttestedReserves
/// @notice The reserves an auditor last attested for a DepositToken, less what was redeemed since. See
/// {IDepositToken-reserves}.
/// @dev Its own base only for where the value lives: DepositToken lists it right after OpenZeppelin's Pausable, so
/// the 31-byte value shares Pausable's one-byte `_paused` slot. Every balance change reads that slot first (the pause
/// check), so mint's read of the reserves and redeem's update of them hit a warm slot (2,000 gas less each than a
/// slot of their own). test_the_reserves_share_the_pause_flags_slot pins the layout; if the bases are ever
/// reordered, only that gas is lost.
abstract contract AttestedReserves {
    uint248 internal _reserves;
}
