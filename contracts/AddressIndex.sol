// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title AddressIndex
/// @notice A table that gives addresses (tokens, liquidity providers) small, stable, 1-based indices, so packed records
/// can store an index instead of a 20-byte address, together with an allowed flag kept beside each.
/// @dev Written once for every Crosspay contract that indexes addresses (CrossBorderEscrow's tokens and liquidity
/// providers, HashedTimelock's tokens). An index, once given, belongs to its address for ever: records that hold it
/// must keep resolving to the same address, so indices are never reused. The caller bounds the table to what its
/// records can store (`max`); a table that is full answers index 0 and the caller reverts with its own named error, so
/// a full table is never a Panic.
library AddressIndex {
    /// @dev By address: its index (0 = none yet) and whether it is allowed. One slot.
    struct Entry {
        uint48 index;
        bool allowed;
    }

    /// @dev By index: the address and the same allowed flag, so a record's index answers both in one read, and a
    /// running amount the owning contract may keep per address in the same slot (CrossBorderEscrow keeps the fees
    /// owed in each token there: the slot is read anyway when a record is resolved, so crediting it costs a warm
    /// write instead of a cold slot). One slot: 160 + 8 + 88 bits.
    struct Slot {
        address account;
        bool allowed;
        uint88 amount;
    }

    struct Table {
        uint48 count;
        mapping(address account => Entry) byAccount;
        mapping(uint256 index => Slot) byIndex;
    }

    /// @dev Sets whether `account` is allowed, giving it the next index on first use. Returns its index: 0 when it
    /// had none and `max` indices are given already (nothing is written then). `max` must not exceed
    /// type(uint48).max.
    function set(Table storage table, address account, bool allowed, uint256 max) internal returns (uint256 index) {
        index = table.byAccount[account].index;
        if (index == 0) {
            index = _next(table, max);
            if (index == 0) return 0;
        }
        // index <= max <= type(uint48).max: the cast cannot truncate.
        table.byAccount[account] = Entry(uint48(index), allowed);
        Slot storage slot = table.byIndex[index];
        slot.account = account; // field by field: the slot's amount stays
        slot.allowed = allowed;
    }

    /// @dev The index of `account`, giving it the next one (allowed) on first use; 0 when it had none and `max`
    /// indices are given already (nothing is written then). `added` says whether the index is new.
    function indexOf(Table storage table, address account, uint256 max) internal returns (uint256 index, bool added) {
        index = table.byAccount[account].index;
        if (index == 0) {
            index = set(table, account, true, max);
            added = index != 0;
        }
    }

    /// @dev The entry of `account`: index 0 and not allowed when it was never indexed.
    function entryOf(Table storage table, address account) internal view returns (Entry memory) {
        return table.byAccount[account];
    }

    /// @dev The slot at `index`: its address, whether it is allowed and its amount (all zero for an index not given).
    function at(Table storage table, uint256 index) internal view returns (Slot storage) {
        return table.byIndex[index];
    }

    /// @dev Takes the next index, or answers 0 when `max` are given already.
    function _next(Table storage table, uint256 max) private returns (uint256 index) {
        uint256 count = table.count;
        if (count >= max) return 0;
        unchecked {
            // count < max <= type(uint48).max, so count + 1 fits a uint48.
            index = count + 1;
        }
        table.count = uint48(index);
    }
}
