// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title ERC1271Wallet
/// @notice TEST ONLY. A minimal contract wallet: its owner's ECDSA signatures are the wallet's (ERC-1271), and the
/// owner makes it call other contracts. Stands in for a liquidity provider's multisig.
contract ERC1271Wallet is IERC1271 {
    error ERC1271WalletNotOwner(address caller);

    address private immutable _owner;

    constructor(address owner_) {
        _owner = owner_;
    }

    /// @notice Calls `target` with `data` as the wallet, bubbling up a revert.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != _owner) revert ERC1271WalletNotOwner(msg.sender);
        (bool ok, bytes memory returned) = target.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
        return returned;
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == _owner ? this.isValidSignature.selector : bytes4(0);
    }
}
