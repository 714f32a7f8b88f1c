// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IHeldFunds} from "../interfaces/IHeldFunds.sol";

/// @title HeldFundsStorage
/// @notice The held-funds ledger of a Crosspay contract ({IHeldFunds}) in an ERC-7201 namespace, with the one way to
/// pay an owner or hold for it, so that code running in the contract's context reaches it: the contract's own
/// functions (through {HeldFunds}) and the external functions of the libraries it links, which run by DELEGATECALL
/// (MerchantSettlement's cross-currency payments credit liquidity providers' balances from CrossCurrencyPayments).
/// @dev Internal: compiled into each caller. The namespace is the same in every contract that inherits HeldFunds;
/// each contract has its own storage, so the ledgers never meet.
library HeldFundsStorage {
    using SafeERC20 for IERC20;

    /// @custom:storage-location erc7201:crosspay.storage.HeldFunds
    struct Layout {
        mapping(address account => mapping(address token => uint256)) held;
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("crosspay.storage.HeldFunds")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x8cdd540e9113ed387d89b4cc9d7ff866dc654b2f8edb0a4dda7a2879ebc35a00;

    /// @dev The held-funds ledger of the contract the calling code runs in.
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := SLOT
        }
    }

    /// @dev Pays `amount` of `token` (which the contract holds) to `owner`, or, when `owner` cannot transact, holds it
    /// for `owner` ({IHeldFunds-FundsHeld} says which). The caller has done its own effects first
    /// (checks-effects-interactions): this is the interaction.
    function payOrHold(IComplianceRegistry registry, address token, address owner, uint256 amount) internal {
        if (registry.canTransact(owner)) IERC20(token).safeTransfer(owner, amount);
        else hold(token, owner, amount);
    }

    /// @dev Holds `amount` of `token`, already in the contract, for `owner`, which cannot transact.
    function hold(address token, address owner, uint256 amount) internal {
        layout().held[owner][token] += amount;
        emit IHeldFunds.FundsHeld(owner, token, amount);
    }
}
