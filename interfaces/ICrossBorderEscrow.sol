// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IHeldFunds} from "./IHeldFunds.sol";

/// @title ICrossBorderEscrow
/// @notice Payment-versus-payment escrow for cross-border transfers on one ledger that carries both currencies.
/// A sender takes an FX quote signed by an allowed liquidity provider (LP) and locks the quote's source amount plus
/// the bank's fee in the escrow. The LP then releases the transfer: in one transaction the LP's target amount goes
/// to the beneficiary and the source amount to the LP, and the fee is credited to the fee account's ledger
/// ({feesOwed}, withdrawn with {withdrawFees}); either every leg moves or none. Until release the transfer can be
/// rejected (by compliance or the LP) or, from its deadline on, refunded by anyone; both return the source amount
/// and the fee to the sender.
///
/// Compliance (a freeze reaches money in flight): a locked transfer is the sender's money until it is released.
/// - A transfer whose sender cannot transact (frozen, unverified or expired) cannot be released
///   ({EscrowSenderCannotTransact}); neither can one whose LP or beneficiary cannot transact ({EscrowCannotTransact}).
/// - COMPLIANCE_ROLE can always reject a locked transfer, whatever the sender's status, and anyone can refund it from
///   its deadline on. What goes back to a sender that cannot transact is never sent to it: it is held here for the
///   sender ({IHeldFunds}), who withdraws it once it can transact again, and the source token's ENFORCEMENT_ROLE can
///   seize it with a legal reference meanwhile.
/// - An LP that cannot transact can neither release nor reject (compliance and the deadline refund still can).
/// - No release depends on the fee account: fees are a pull ledger, so a frozen or lapsed fee account only stops its
///   own withdrawals.
/// @dev Amounts are exactly the quote's: no FX arithmetic happens on chain (Python's `crosspay.fx` computes quotes
/// from a rate). A transfer's id is `keccak256(abi.encode(liquidityProvider, quoteId))`, so a quote id can be used
/// once per LP. Records are packed into two storage slots with token and LP indices (amounts up to 2**56 - 1 minor
/// units: 720 trillion units of a 2-decimal deposit token). Only the admin gives indices: a token is indexed when the
/// admin first accepts it ({setToken}), an LP when the admin first allows it, and accepting or allowing again keeps
/// the index; at most 255 tokens and 255 LPs over the escrow's life, and no quote, sender or LP can use one up. Once a
/// transfer is final only its status stays in storage (the rest is cleared for the gas refund) and the events keep
/// the history. Tokens must move exact amounts (no fee-on-transfer or rebasing tokens), as Crosspay's deposit tokens
/// do. A quote is not bound to a sender: whoever initiates it first uses it (the LP can reject a transfer it does not
/// want to settle).
interface ICrossBorderEscrow is IHeldFunds {
    /// @notice The lifecycle of a transfer. A rejection ends `Refunded`, its reason in {TransferRefunded}.
    enum Status {
        None,
        Locked,
        Released,
        Refunded
    }

    /// @notice An FX quote, signed by its liquidity provider as EIP-712 typed data (domain "CrossBorderEscrow",
    /// version "1", this chain's id and this escrow's address).
    /// @param sourceToken The token the sender pays (e.g. dCNY).
    /// @param targetToken The token the beneficiary receives (e.g. dHKD).
    /// @param sourceAmount What the LP receives, in the source token's minor units (the fee is on top).
    /// @param targetAmount What the beneficiary receives, in the target token's minor units.
    /// @param liquidityProvider The quote's signer, who delivers the target amount.
    /// @param expiresAt The quote is valid strictly before this Unix time.
    /// @param quoteId The LP's unique reference; each can start one transfer.
    struct Quote {
        address sourceToken;
        address targetToken;
        uint256 sourceAmount;
        uint256 targetAmount;
        address liquidityProvider;
        uint64 expiresAt;
        bytes32 quoteId;
    }

    /// @notice An address argument that must be non-zero was the zero address.
    error EscrowZeroAddress();
    /// @notice The fee is above {MAX_FEE_BPS}.
    error EscrowFeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    /// @notice The quote has expired (`block.timestamp >= expiresAt`).
    error EscrowQuoteExpired(uint64 expiresAt, uint256 currentTime);
    /// @notice The deadline is not in the future.
    error EscrowDeadlineNotInFuture(uint64 deadline, uint256 currentTime);
    /// @notice The deadline is beyond what a record stores (`type(uint40).max`); it is rejected, not truncated.
    error EscrowDeadlineTooLate(uint64 deadline, uint256 maxDeadline);
    /// @notice A quote amount was zero.
    error EscrowZeroAmount();
    /// @notice A quote amount is beyond what a record stores (`type(uint56).max`); it is rejected, not truncated.
    error EscrowAmountTooLarge(uint256 amount, uint256 maxAmount);
    /// @notice The quote's source and target token are the same.
    error EscrowSameToken(address token);
    /// @notice The escrow already indexes the most tokens its records can (255, given by the admin's {setToken}).
    error EscrowTooManyTokens();
    /// @notice The escrow already indexes the most liquidity providers its records can (255).
    error EscrowTooManyLiquidityProviders();
    /// @notice `account` is not an allowed liquidity provider.
    error EscrowNotLiquidityProvider(address account);
    /// @notice The signature is not the liquidity provider's over this quote, chain and escrow (or is malleable).
    error EscrowInvalidSignature(address liquidityProvider);
    /// @notice The liquidity provider's quote id already started a transfer.
    error EscrowQuoteUsed(address liquidityProvider, bytes32 quoteId);
    /// @notice `account` cannot transact in the compliance registry (unverified, expired or frozen).
    error EscrowCannotTransact(address account);
    /// @notice The transfer is not in the status the operation needs.
    error EscrowUnexpectedStatus(bytes32 transferId, Status current);
    /// @notice The caller may not perform this operation on the transfer.
    error EscrowUnauthorized(address caller);
    /// @notice The transfer's deadline has passed: it can no longer be released.
    error EscrowDeadlinePassed(uint64 deadline, uint256 currentTime);
    /// @notice The transfer's deadline has not come: it cannot be refunded yet.
    error EscrowDeadlineNotReached(uint64 deadline, uint256 currentTime);
    /// @notice A rejection needs a reason.
    error EscrowZeroReason();
    /// @notice The fee in force, `fee`, is above the `maxFee` the sender agreed to (the fee changed after the
    /// sender's app showed it).
    error EscrowFeeAboveMax(uint256 fee, uint256 maxFee);
    /// @notice The transfer's sender cannot transact (frozen, unverified or expired): its money stays where it is.
    error EscrowSenderCannotTransact(bytes32 transferId, address sender);
    /// @notice The beneficiary is this escrow: the target amount would be stranded.
    error EscrowBeneficiaryIsEscrow();
    /// @notice `token` is not accepted by the escrow (never accepted, or no longer).
    error EscrowTokenNotAccepted(address token);
    /// @notice `account` is owed no fees in `token`.
    error EscrowNothingToWithdraw(address account, address token);

    /// @notice The admin allowed or disallowed `liquidityProvider`.
    event LiquidityProviderSet(address indexed liquidityProvider, bool allowed);
    /// @notice The admin set the fee to `feeBps` basis points of the source amount.
    event FeeSet(uint16 feeBps);
    /// @notice The admin accepted (or stopped accepting) `token` for new transfers.
    event TokenSet(address indexed token, bool accepted);
    /// @notice `token` was given record index `index` (when the admin first accepted it).
    event TokenIndexed(address indexed token, uint16 index);
    /// @notice `sender` locked `quote.sourceAmount + fee` of the quote's source token for a transfer of its target
    /// amount to `beneficiary`, on the quote of its liquidity provider, until `deadline`.
    /// @param quote The quote as signed (its liquidity provider and quote id identify the transfer).
    /// @param travelRuleHash Hash of the originator/beneficiary data exchanged off chain (FATF travel rule).
    event TransferInitiated(
        bytes32 indexed transferId,
        address indexed sender,
        address indexed beneficiary,
        Quote quote,
        uint256 fee,
        uint64 deadline,
        bytes32 travelRuleHash
    );
    /// @notice The liquidity provider settled the transfer: `targetAmount` to the beneficiary, `sourceAmount` to
    /// the LP, `fee` credited to the fee account's ledger, in one transaction.
    event TransferReleased(
        bytes32 indexed transferId,
        address indexed liquidityProvider,
        address indexed beneficiary,
        uint256 targetAmount,
        uint256 sourceAmount,
        uint256 fee
    );
    /// @notice `amount` (source amount and fee) went back to `sender`, or is held for it ({FundsHeld}) when it cannot
    /// transact. `reason` is zero for a refund after the deadline and the rejection's reason otherwise; `by` is the
    /// caller.
    event TransferRefunded(
        bytes32 indexed transferId,
        address indexed sender,
        uint256 amount,
        bytes32 reason,
        address indexed by
    );
    /// @notice `account` withdrew the `amount` of `token` fees it was owed.
    event FeesWithdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice The role that may reject any locked transfer (a compliance officer).
    function COMPLIANCE_ROLE() external view returns (bytes32);

    /// @notice The highest fee the admin can set, in basis points (100 = 1%).
    function MAX_FEE_BPS() external view returns (uint16);

    /// @notice The EIP-712 type hash of {Quote}.
    function QUOTE_TYPEHASH() external view returns (bytes32);

    /// @notice Allows or disallows `liquidityProvider` to quote and release.
    /// @dev Default admin. A disallowed LP can still reject its locked transfers, not release them. The first
    /// allowance gives the LP its record index; at most 255 LPs are ever indexed ({EscrowTooManyLiquidityProviders}).
    function setLiquidityProvider(address liquidityProvider, bool allowed) external;

    /// @notice Accepts `token` for new transfers (either leg), or stops accepting it.
    /// @dev Default admin. The first acceptance gives the token its record index ({TokenIndexed}); at most 255 tokens
    /// are ever indexed ({EscrowTooManyTokens}). Transfers already locked in a token no longer accepted still settle,
    /// reject and refund as usual.
    function setToken(address token, bool accepted) external;

    /// @notice Sets the fee, in basis points of the source amount, paid by the sender on top of it.
    /// @dev Default admin; at most {MAX_FEE_BPS}. Transfers already locked keep the fee they were locked with; a
    /// sender's {initiate} names the most it accepts to pay, so a change landing first cannot charge it more.
    function setFee(uint16 feeBps) external;

    /// @notice The EIP-712 digest the liquidity provider signs for `quote`.
    function quoteDigest(Quote calldata quote) external view returns (bytes32);

    /// @notice Starts a transfer: pulls `quote.sourceAmount` plus the fee from the caller into the escrow.
    /// @dev The quote must be unexpired (`block.timestamp < expiresAt`), unused, with non-zero amounts that fit a
    /// uint56 and two different accepted tokens, signed by an allowed LP (65-byte ECDSA with low s, or ERC-1271). The
    /// caller and `beneficiary` must be able to transact, and `beneficiary` is not the escrow; `deadline` must be in
    /// the future; the fee in force must be at most `maxFee`. The caller must have approved the escrow for
    /// `sourceAmount + fee` of the source token.
    /// @param quote The LP's signed quote.
    /// @param signature The LP's signature over {quoteDigest}.
    /// @param beneficiary Who receives the target amount.
    /// @param deadline From this Unix time on the LP can no longer release and anyone can refund (at most
    /// `type(uint40).max`).
    /// @param travelRuleHash Hash of the travel-rule data exchanged off chain, kept in the event.
    /// @param maxFee The most the sender pays on top of the source amount: the fee its app showed it
    /// (`sourceAmount * feeBps() / 10_000`, rounded down). A higher fee in force reverts ({EscrowFeeAboveMax}); a lower
    /// one is what is charged.
    /// @return transferId `keccak256(abi.encode(quote.liquidityProvider, quote.quoteId))`.
    function initiate(
        Quote calldata quote,
        bytes calldata signature,
        address beneficiary,
        uint64 deadline,
        bytes32 travelRuleHash,
        uint256 maxFee
    ) external returns (bytes32 transferId);

    /// @notice Settles a locked transfer, payment versus payment: the target amount from the LP to the beneficiary,
    /// the source amount to the LP, the fee credited to the fee account ({feesOwed}), all in this transaction or not
    /// at all.
    /// @dev Only the quote's LP, while still allowed, strictly before the deadline. The LP, the sender
    /// ({EscrowSenderCannotTransact}) and the beneficiary must be able to transact; the fee account need not. The LP
    /// must have approved the escrow for the target amount and hold it.
    function release(bytes32 transferId) external;

    /// @notice Rejects a locked transfer and returns the source amount and the fee to the sender, or holds them for
    /// it when it cannot transact.
    /// @dev COMPLIANCE_ROLE, at any time while locked and whatever the sender's status; or the quote's LP while it
    /// can transact.
    /// @param reason A non-zero reason code or case reference, kept in the event.
    function reject(bytes32 transferId, bytes32 reason) external;

    /// @notice Returns the source amount and the fee of a locked transfer to its sender, from the deadline on, or
    /// holds them for it when it cannot transact.
    /// @dev Anyone may call it; the funds only ever go to the sender (or are held for it).
    function refund(bytes32 transferId) external;

    /// @notice Pays the caller every fee it is owed in `token`.
    /// @dev The fee account, while it can transact ({EscrowCannotTransact}); {EscrowNothingToWithdraw} when nothing
    /// is owed.
    function withdrawFees(address token) external;

    /// @notice A transfer. Once it is final (Released or Refunded) only `status` is kept; the rest reads zero.
    function transferOf(
        bytes32 transferId
    )
        external
        view
        returns (
            Status status,
            address sender,
            address beneficiary,
            address sourceToken,
            address targetToken,
            uint256 sourceAmount,
            uint256 targetAmount,
            address liquidityProvider,
            uint64 deadline
        );

    /// @notice The fee a locked transfer carries (zero once final).
    function feeOf(bytes32 transferId) external view returns (uint256);

    /// @notice The id of the transfer started by `quoteId` of `liquidityProvider`.
    function transferIdOf(address liquidityProvider, bytes32 quoteId) external pure returns (bytes32);

    /// @notice Whether `account` is an allowed liquidity provider.
    function isLiquidityProvider(address account) external view returns (bool);

    /// @notice Whether new transfers may use `token`.
    function isTokenAccepted(address token) external view returns (bool);

    /// @notice The fees `account` can withdraw in `token` (only the fee account is ever owed any).
    function feesOwed(address account, address token) external view returns (uint256);

    /// @notice The current fee, in basis points.
    function feeBps() external view returns (uint16);

    /// @notice The account that is owed the fees, fixed at construction.
    function feeAccount() external view returns (address);

    /// @notice The compliance registry the sender and beneficiary are checked against.
    function registry() external view returns (address);
}
