// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title PlainToken
/// @notice TEST / BENCHMARK ONLY. A plain OpenZeppelin ERC-20 with free minting and no compliance checks: the gas
/// benchmark measures the settlement with it too, to separate the settlement's own cost from the deposit token's.
contract PlainToken is ERC20 {
    constructor() ERC20("Plain", "PLAIN") {}

    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @notice Mints freely (test only).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
