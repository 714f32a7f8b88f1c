// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice TEST ONLY. An ERC-20 that, once armed, calls back into a target during its next balance change and
/// bubbles up the target's revert: it shows that the escrow and the HTLC refuse to be re-entered mid-transfer.
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _callData;

    constructor() ERC20("Reentrant Test Token", "REENT") {}

    /// @notice Mints freely: this is a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice On the next transfer, calls `target` with `callData` (once).
    function arm(address target, bytes calldata callData) external {
        _target = target;
        _callData = callData;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        address target = _target;
        if (target != address(0)) {
            _target = address(0);
            (bool ok, bytes memory returned) = target.call(_callData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(returned, 0x20), mload(returned))
                }
            }
        }
    }
}
