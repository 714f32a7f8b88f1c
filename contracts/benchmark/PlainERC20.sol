// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title PlainERC20
/// @notice A bare OpenZeppelin ERC-20, deployed only by the gas report as the baseline a DepositToken transfer is
/// compared with. Not part of the system.
contract PlainERC20 is ERC20 {
    constructor(address holder, uint256 supply) ERC20("Plain", "PLAIN") {
        _mint(holder, supply);
    }
}
