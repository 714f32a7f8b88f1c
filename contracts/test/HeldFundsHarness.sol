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

    /// @notice Pays `amount` of `token` (which this contract holds) to `owner`, or holds it for `owner`.
    function payOrHold(address token, address owner, uint256 amount) external nonReentrant returns (bool) {
        return _payOrHold(token, owner, amount);
    }

    function _complianceRegistry() internal view override returns (IComplianceRegistry) {
        return _registry;
    }
}
