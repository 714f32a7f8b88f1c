// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

/// @title AdminRules
/// @notice OpenZeppelin's AccessControlDefaultAdminRules with the delay every Crosspay contract starts with: a default
/// admin handover (two steps, the new admin accepting) can complete only after {INITIAL_ADMIN_DELAY}.
abstract contract AdminRules is AccessControlDefaultAdminRules {
    /// @notice The delay before a default admin handover can be accepted (changeable through the admin rules).
    uint48 public constant INITIAL_ADMIN_DELAY = 2 days;

    /// @param admin The first default admin.
    constructor(address admin) AccessControlDefaultAdminRules(INITIAL_ADMIN_DELAY, admin) {}
}
