// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

import {IERC3009} from "./IERC3009.sol";

/// @title IDepositToken
/// @notice A bank's tokenised deposits in one currency: an ERC-20 issued 1:1 against customer deposits, with
/// EIP-2612 permits and EIP-3009 signed transfers. Amounts are in minor units (2 decimals: fen, cents).
/// @dev Every balance change (transfer, transferFrom, mint, redeem, signed transfers, seize) goes through one
/// hook that requires the token to be unpaused and each non-zero end to be able to transact in the
/// {IComplianceRegistry}; a seizure is the one path that may debit a frozen account. transferFrom also requires the
/// spender to be able to transact.
interface IDepositToken is IERC20, IERC20Metadata, IERC20Permit, IERC3009 {
    /// @notice An address argument was the zero address.
    error DepositTokenZeroAddress();
    /// @notice An amount argument was zero.
    error DepositTokenZeroAmount();
    /// @notice The currency is not three upper-case ASCII letters (ISO 4217).
    error DepositTokenInvalidCurrency(bytes3 currency);
    /// @notice `account` is frozen in the compliance registry.
    error DepositTokenAccountFrozen(address account);
    /// @notice `account` is not verified, or its verification expired, in the compliance registry.
    error DepositTokenAccountNotVerified(address account);
    /// @notice The issuer's remaining mint allowance is below the amount.
    error DepositTokenIssuerAllowanceExceeded(address issuer, uint256 allowance, uint256 needed);
    /// @notice Minting would take the supply above the attested reserves.
    error DepositTokenReservesExceeded(uint256 reserves, uint256 supplyAfterMint);
    /// @notice The attested reserves are beyond what the token records (`type(uint248).max`); rejected, not truncated.
    error DepositTokenReservesTooLarge(uint256 reserves, uint256 maxReserves);
    /// @notice A seizure was attempted from an account that is not frozen.
    error DepositTokenAccountNotFrozen(address account);

    /// @notice The admin set the mint allowance of `issuer`.
    event IssuerAllowanceSet(address indexed issuer, uint256 allowance);
    /// @notice `issuer` minted `amount` to `to` against the fiat deposit `depositRef`.
    event Minted(address indexed issuer, address indexed to, uint256 amount, bytes32 indexed depositRef);
    /// @notice `holder` burned `amount` to withdraw fiat under `withdrawalRef`.
    event Redeemed(address indexed holder, uint256 amount, bytes32 indexed withdrawalRef);
    /// @notice `auditor` attested `reserves` held against a supply of `totalSupply`, with report `reportHash`.
    event ReservesAttested(address indexed auditor, uint256 reserves, uint256 totalSupply, bytes32 reportHash);
    /// @notice `officer` moved `amount` from the frozen account `from` to `to` under the legal order `legalRef`.
    event Seized(address indexed from, address indexed to, uint256 amount, bytes32 indexed legalRef, address officer);

    /// @notice The role that mints, within its allowance.
    function ISSUER_ROLE() external view returns (bytes32);
    /// @notice The role that pauses and unpauses.
    function PAUSER_ROLE() external view returns (bytes32);
    /// @notice The role that attests reserves.
    function AUDITOR_ROLE() external view returns (bytes32);
    /// @notice The role that seizes from frozen accounts.
    function ENFORCEMENT_ROLE() external view returns (bytes32);

    /// @notice The ISO 4217 currency of the deposits, e.g. "CNY".
    function currency() external view returns (bytes3);

    /// @notice The compliance registry every balance change is checked against.
    function registry() external view returns (address);

    /// @notice Sets how much more `issuer` may mint (it is used up by mints).
    /// @dev Default admin.
    function setIssuerAllowance(address issuer, uint256 allowance) external;

    /// @notice How much more `issuer` may mint.
    function issuerAllowance(address issuer) external view returns (uint256);

    /// @notice Mints `amount` to `to` against a fiat deposit, using up the caller's allowance.
    /// @dev ISSUER_ROLE. Reverts when `totalSupply() + amount > reserves()`.
    /// @param depositRef The bank's reference of the fiat deposit.
    function mint(address to, uint256 amount, bytes32 depositRef) external;

    /// @notice Burns `amount` of the caller's tokens to withdraw them as fiat, and lowers {reserves} by `amount`:
    /// the fiat paid out comes from the attested reserves, so the redeemed supply cannot be minted again against an
    /// attestation that no longer holds.
    /// @dev When the reserves are below `amount` (an attestation below the supply, recorded as it is), the
    /// redemption still succeeds and the reserves floor at zero: redeeming at par is the holder's right and never
    /// depends on the auditor's last figure, and zero is what is left of the attested reserves once the payout used
    /// them up (the bank paid the rest from its other funds). The recorded reserves thus never overstate what backs
    /// the supply, and a new attestation is needed before the next mint.
    /// @param withdrawalRef The bank's reference of the fiat withdrawal.
    function redeem(uint256 amount, bytes32 withdrawalRef) external;

    /// @notice Records the reserves an auditor attested. Mints cannot take the supply above them; redemptions lower
    /// them.
    /// @dev AUDITOR_ROLE. An attestation below the supply is recorded as it is (it blocks mints; it hides nothing).
    /// At most `type(uint248).max` ({DepositTokenReservesTooLarge}).
    /// @param reserves_ The attested reserves, in minor units.
    /// @param reportHash Hash of the attestation report.
    function attestReserves(uint256 reserves_, bytes32 reportHash) external;

    /// @notice The last attested reserves, less what was redeemed since (never below zero), in minor units.
    function reserves() external view returns (uint256);

    /// @notice Moves `amount` out of the frozen account `from` to `to` under a legal order.
    /// @dev ENFORCEMENT_ROLE. `to` must be able to transact; the token must not be paused.
    function seize(address from, address to, uint256 amount, bytes32 legalRef) external;

    /// @notice Stops every balance change and signed transfer.
    /// @dev PAUSER_ROLE.
    function pause() external;

    /// @notice Resumes balance changes.
    /// @dev PAUSER_ROLE.
    function unpause() external;
}
