// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice TEST ONLY. A malicious ERC-20 that, once armed, calls back into a target (the settlement contract) from
/// inside every balance change, and bubbles up the target's revert. Used to prove the settlement's reentrancy guard.
contract ReentrantToken is ERC20 {
    address private _target;
    bytes private _payload;
    bool private _attacking;

    constructor() ERC20("Reentrant", "EVIL") {}

    /// @notice Mints freely (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the attack: the next transfer calls `target` with `payload` once.
    function arm(address target, bytes calldata payload) external {
        _target = target;
        _payload = payload;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (_target != address(0) && !_attacking) {
            _attacking = true;
            (bool ok, bytes memory returned) = _target.call(_payload);
            if (!ok) {
                assembly {
                    revert(add(returned, 32), mload(returned))
                }
            }
            _attacking = false;
        }
        super._update(from, to, value);
    }
}
