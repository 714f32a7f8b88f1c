// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {HeldFunds} from "../HeldFunds.sol";

/// @title HeldFundsHarness
/// @notice TEST ONLY. Exposes {HeldFunds-_payOrHold} so that the held-funds rules are tested apart from the payment
/// contracts that use them.
contract HeldFundsHarness is HeldFunds {
    IComplianceRegistry private immutable _registry;

    constructor(address registry_) {
        _registry = IComplianceRegistry(registry_);
    }

    /// @notice Pays `amount` of `token` (which this contract holds) to `owner`, or holds it for `owner`; returns
    /// whether it paid (nothing more is held for `owner` after it).
    function payOrHold(address token, address owner, uint256 amount) external nonReentrant returns (bool paid) {
        uint256 held = this.heldBalance(owner, token);
        _payOrHold(token, owner, amount);
        return this.heldBalance(owner, token) == held;
    }

    function _complianceRegistry() internal view override returns (IComplianceRegistry) {
        return _registry;
    }
}
