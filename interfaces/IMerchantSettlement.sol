// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IHeldFunds} from "./IHeldFunds.sol";

/// @title IMerchantSettlement
/// @notice Card-style merchant payments in tokenised deposits: a payer (scanning a merchant's QR code) authorizes a
/// payment, whose funds this contract holds; the merchant's operator or acquirer captures it (in parts, before the
/// authorization expires), voids the rest, or refunds it (inside the refund period); the payer reclaims what was
/// not captured once the authorization expired. A charge is an authorization captured in full in one call.
///
/// **Fees.** A payment captured up to `C` in total for a merchant with merchant discount rate `mdrBps` is charged the
/// fee `F = floor(C * mdrBps / 10000)`, split four ways (the four-party model of card schemes): interchange
/// `I = floor(F * interchangeBps / 10000)` to the issuer fee account of the token (the customer's bank), network share
/// `N = floor(F * networkBps / 10000)` to the network fee account, `A = F - I - N` to the merchant's acquirer; the
/// merchant's pending settlement gets `C - F`. The four parts sum to `C`. They are computed from the payment's
/// cumulative captured amount, and each capture credits the difference, so any sequence of partial captures gives
/// exactly the fee and split of one capture of the total (before issue 9, rounding every capture apart moved 20
/// captures of 1.14 entirely to the acquirer). A capture's difference in `A` can be negative (by one unit); the
/// ledger never takes back a credit, because the acquirer may have withdrawn it: while a payment can still be
/// captured, its acquirer is credited its own share `ceil(F * (10000 - interchangeBps - networkBps) / 10000)`, a
/// lower bound of `A` at every later capture, and the residue unit (0 or 1) is credited when the payment closes
/// (its last capture, its void or its reclaim). A fee split changed between two captures of one payment applies to
/// the later differences, never lowering a ledger (see FeeMath).
///
/// **Settlement.** A settler pays each merchant's whole pending amount in batches ({settle}); a merchant whose payout
/// account cannot transact is skipped and stays pending, so it never blocks the others. Fees are a pull ledger
/// ({withdrawFees}) for the same reason: no capture or settlement depends on a fee account being able to receive.
///
/// **A freeze reaches money in flight** (issue 9; docs/compliance.md). An account *cannot transact* when the
/// compliance registry says so: frozen, unverified or with its KYC expired.
/// - An uncaptured authorization is still its payer's money: it cannot be captured while the payer cannot transact
///   ({SettlementPayerCannotTransact}); it can still be voided or reclaimed.
/// - Money owed back to a payer that cannot transact (a void, a reclaim, a refund) is never sent to it: the operation
///   succeeds and the amount is held here for the payer ({IHeldFunds}). The payer withdraws it once it can transact
///   again; while the payer is frozen, the token's ENFORCEMENT_ROLE can seize it with a legal reference.
/// - An operator or acquirer that cannot transact cannot capture, void, refund or toggle a merchant
///   ({SettlementCannotTransact}): a party acting on someone else's money must itself be able to transact.
/// Why: the compliance team's promise is that a frozen account's deposits move only by a seizure, and an
/// authorization is a deposit held, not yet paid; the card network's view is the same as an issuer's decline of a
/// capture on a blocked card. The payer's status is checked at capture, not at settlement: captured money is the
/// merchant's, and a merchant is only ever skipped, never reversed.
/// @dev Roles: the default admin configures tokens, the fee split and the periods and grants the roles; it never
/// moves a payment. ACQUIRER_ROLE registers merchants (the caller becomes their acquirer); SETTLER_ROLE settles.
/// Amounts are in the token's minor units. A payment record holds amounts up to 2^64 - 1, a merchant's running totals
/// up to 2^72 - 1 and a fee pool's up to 2^80 - 1; anything larger is refused with {SettlementAmountTooLarge}, never
/// truncated.
///
///
/// **Cross-currency payments** (issue 11; docs/cross-currency.md). A payer holding token A pays an intent stated in
/// token B (the merchant's) at a quote a liquidity provider (LIQUIDITY_PROVIDER_ROLE) signed for that very payment:
/// {chargeCrossCurrency}, {authorizeCrossCurrency} and their gasless forms. The payment keeps this lifecycle, its
/// amounts in B: an authorization locks both legs (the payer's A and the LP's B); {capture} credits B to the
/// merchant with the fee split of any capture and converts at the quote, crediting the LP floor(C * S / T) of A for a
/// cumulative capture C of an authorization of T against a source amount S (differences at each capture: the rounding
/// unit stays with the payer); {void} and {reclaim} return the uncaptured A to the payer and the uncaptured B to the
/// LP; a refund is paid in A at a refund quote ({refundCrossCurrency}), never in B ({SettlementRefundNeedsQuote}).
/// Everything owed to an LP is credited to its balance held here ({IHeldFunds}: it withdraws it, a frozen LP's is
/// seizable), never pushed, so an LP or a token A that cannot transact blocks only its own payments: settlement stays
/// single-token B. The payment record is flagged (SettlementStorage.FLAG_CROSS_CURRENCY) and keeps the source token;
/// an open authorization's second leg is one slot more.
interface IMerchantSettlement is IHeldFunds {
    /// @notice The lifecycle of a payment's authorization. Refunds do not change it.
    /// @dev Authorized: funds held, capturable (possibly already partly captured). Captured: the whole
    /// authorization was captured. Voided / Reclaimed: the uncaptured remainder went back to the payer (for a
    /// cross-currency payment: its source amount not converted to the payer, the rest of the LP's leg to the LP).
    enum Status {
        None,
        Authorized,
        Captured,
        Voided,
        Reclaimed
    }

    /// @notice What a payer agrees to pay: the payload of a dynamic QR code.
    /// @param merchantId The merchant, as registered by its acquirer.
    /// @param token The deposit token to pay in (must be accepted).
    /// @param amount The amount in the token's minor units.
    /// @param orderRef The merchant's order reference (free-form, part of the payment id).
    /// @param expiresAt Unix time from which the intent can no longer be paid.
    struct PaymentIntent {
        bytes32 merchantId;
        address token;
        uint256 amount;
        bytes32 orderRef;
        uint64 expiresAt;
    }

    /// @notice An FX quote signed by an allowed liquidity provider (EIP-712, under this contract's domain: name
    /// "MerchantSettlement", version "1"): the LP delivers `targetAmount` of `targetToken` for `sourceAmount` of
    /// `sourceToken`. The same struct, and type string, as {ICrossBorderEscrow-Quote}; a signature for one contract is
    /// worthless at the other.
    /// @param quoteId For a payment quote, the payment id it prices ({paymentId}); for a refund quote,
    /// keccak256(abi.encode(paymentId, refunded)), `refunded` being what the payment had refunded before the refund it
    /// prices. It binds the quote to one payment, or one refund, once: no replay marker of its own is stored.
    struct Quote {
        address sourceToken;
        address targetToken;
        uint256 sourceAmount;
        uint256 targetAmount;
        address liquidityProvider;
        uint64 expiresAt;
        bytes32 quoteId;
    }

    /// @notice A payer's EIP-3009 `ReceiveWithAuthorization` to this contract, for a gasless cross-currency payment.
    /// @param payer Who signed, and pays the quote's source amount.
    /// @param validAfter The authorization is valid after this time.
    /// @param validBefore The authorization is valid before this time.
    struct ReceiveAuthorization {
        address payer;
        uint256 validAfter;
        uint256 validBefore;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice An address argument was the zero address.
    error SettlementZeroAddress();
    /// @notice A merchant id was zero.
    error SettlementZeroMerchantId();
    /// @notice An amount argument was zero.
    error SettlementZeroAmount();
    /// @notice `amount` (or a running total reaching it) does not fit the record that would hold it (max `max`).
    error SettlementAmountTooLarge(uint256 amount, uint256 max);
    /// @notice A merchant discount rate above 10000 bps (100%).
    error SettlementMdrTooHigh(uint16 mdrBps);
    /// @notice Interchange and network shares summing above 10000 bps (100%) of the fee.
    error SettlementFeeSplitTooHigh(uint16 interchangeBps, uint16 networkBps);
    /// @notice A period of zero, or longer than {MAX_PERIOD}.
    error SettlementInvalidPeriod(uint64 period);
    /// @notice The token is not accepted for new payments.
    error SettlementTokenNotAccepted(address token);
    /// @notice The token was never configured with {setToken}.
    error SettlementUnknownToken(address token);
    /// @notice No merchant is registered under `merchantId`.
    error SettlementUnknownMerchant(bytes32 merchantId);
    /// @notice A merchant is already registered under `merchantId`.
    error SettlementMerchantAlreadyRegistered(bytes32 merchantId);
    /// @notice The merchant is inactive: it takes no new payments.
    error SettlementMerchantInactive(bytes32 merchantId);
    /// @notice `caller` is not the acquirer of the merchant.
    error SettlementNotMerchantAcquirer(bytes32 merchantId, address caller);
    /// @notice `caller` may not move the payment this way.
    error SettlementUnauthorizedCaller(bytes32 paymentId, address caller);
    /// @notice The payment intent expired at `expiresAt`.
    error SettlementIntentExpired(uint64 expiresAt, uint256 currentTime);
    /// @notice A payment with this id already exists (a payment id can be authorized once).
    error SettlementPaymentExists(bytes32 paymentId);
    /// @notice The payment is in status `current`, where this operation is not allowed.
    error SettlementUnexpectedStatus(bytes32 paymentId, Status current);
    /// @notice The authorization expired at `expiry`: it can no longer be captured.
    error SettlementAuthorizationExpired(bytes32 paymentId, uint64 expiry, uint256 currentTime);
    /// @notice The authorization runs until `expiry`: the payer cannot reclaim before.
    error SettlementAuthorizationNotExpired(bytes32 paymentId, uint64 expiry, uint256 currentTime);
    /// @notice Capturing `amount` would exceed the authorization; `capturable` is what remains.
    error SettlementCaptureExceedsAuthorized(bytes32 paymentId, uint256 amount, uint256 capturable);
    /// @notice Refunding `amount` would exceed what was captured; `refundable` is what remains.
    error SettlementRefundExceedsCaptured(bytes32 paymentId, uint256 amount, uint256 refundable);
    /// @notice The refund period ended at `deadline`.
    error SettlementRefundPeriodOver(bytes32 paymentId, uint64 deadline, uint256 currentTime);
    /// @notice A settlement batch had no merchants.
    error SettlementEmptyBatch();
    /// @notice A settlement batch of `size` merchants is above the gas-safe cap `max`.
    error SettlementBatchTooLarge(uint256 size, uint256 max);
    /// @notice `account` is owed no fees in `token`.
    error SettlementNothingToWithdraw(address account, address token);
    /// @notice The payment's payer cannot transact (frozen, unverified or expired): its authorization cannot be
    /// captured.
    error SettlementPayerCannotTransact(bytes32 paymentId, address payer);
    /// @notice `account`, acting on a payment or a merchant, cannot transact (frozen, unverified or expired).
    error SettlementCannotTransact(address account);
    /// @notice `merchantId` is listed more than once in the settlement batch `batchId`.
    error SettlementDuplicateMerchant(bytes32 batchId, bytes32 merchantId);
    /// @notice A merchant's payout cannot be this contract: what it is settled would be stranded.
    error SettlementPayoutIsSettlement();
    /// @notice No token index is left for `token` (a payment record holds 65,535).
    error SettlementTooManyTokens(address token);
    /// @notice No merchant index is left (a payment record holds 2^32 - 1).
    error SettlementTooManyMerchants();

    /// @notice `provider` does not hold LIQUIDITY_PROVIDER_ROLE.
    error SettlementNotLiquidityProvider(address provider);
    /// @notice The quote's signature is not `provider`'s (EOA or ERC-1271) under this contract's EIP-712 domain.
    error SettlementInvalidQuoteSignature(address provider);
    /// @notice The quote's id is `quoteId`, but the payment (or the refund) it is presented for needs `expected`:
    /// a quote for another payment or refund, or one already used.
    error SettlementQuoteNotForPayment(bytes32 quoteId, bytes32 expected);
    /// @notice The quote converts `sourceToken` into `targetToken`, not the tokens this payment (or refund) needs.
    error SettlementQuoteTokensMismatch(address sourceToken, address targetToken);
    /// @notice The quote delivers `quoted`, but the intent's amount is `amount`.
    error SettlementQuoteAmountMismatch(uint256 quoted, uint256 amount);
    /// @notice The quote expired at `expiresAt`.
    error SettlementQuoteExpired(uint64 expiresAt, uint256 currentTime);
    /// @notice The quote expires at `expiresAt`, before the authorization it would price expires.
    error SettlementQuoteExpiresBeforeAuthorization(uint64 expiresAt, uint64 authorizationExpiry);
    /// @notice The payment's liquidity provider cannot transact (frozen, unverified or expired): its leg can be neither
    /// locked nor captured.
    error SettlementProviderCannotTransact(bytes32 paymentId, address provider);
    /// @notice `provider`'s balance here holds `held` of `token`, short of the `needed` its quote commits it to deliver
    /// (it deposits with {depositLiquidity}).
    error SettlementProviderBalanceShort(address provider, address token, uint256 needed, uint256 held);
    /// @notice The payment is not a cross-currency payment.
    error SettlementNotCrossCurrency(bytes32 paymentId);
    /// @notice The payment is a cross-currency payment: it is refunded in the payer's token, at a refund quote
    /// ({refundCrossCurrency}).
    error SettlementRefundNeedsQuote(bytes32 paymentId);

    /// @notice The admin accepted (or stopped accepting) `token`, whose bank collects interchange at
    /// `issuerFeeAccount`.
    event TokenSet(address indexed token, address indexed issuerFeeAccount, bool accepted);
    /// @notice The admin set the interchange and network shares of the merchant discount.
    event FeeSplitSet(uint16 interchangeBps, uint16 networkBps);
    /// @notice The admin set the authorization and refund periods (they apply to later payments).
    event PeriodsSet(uint64 authorizationPeriod, uint64 refundPeriod);
    /// @notice `acquirer` registered a merchant.
    event MerchantRegistered(
        bytes32 indexed merchantId,
        address indexed acquirer,
        address payout,
        address operator,
        uint16 mdrBps
    );
    /// @notice The merchant's acquirer activated or deactivated it.
    event MerchantActiveSet(bytes32 indexed merchantId, bool active);
    /// @notice `payer` authorized a payment of `amount` for an order of `merchantId`; the funds are held until
    /// `authorizationExpiry`.
    event PaymentAuthorized(
        bytes32 indexed paymentId,
        bytes32 indexed merchantId,
        address indexed payer,
        address token,
        uint256 amount,
        bytes32 orderRef,
        uint64 authorizationExpiry
    );
    /// @notice `amount` of the payment was captured; `fee` of it is the merchant discount.
    event PaymentCaptured(bytes32 indexed paymentId, uint256 amount, uint256 fee);
    /// @notice The merchant voided the payment; `amount` (the uncaptured remainder, in the payment's token) went back
    /// to the payer, or for a cross-currency payment to the LP ({LegsReleased} says what the payer got back).
    event PaymentVoided(bytes32 indexed paymentId, uint256 amount);
    /// @notice The payer reclaimed `amount` (the uncaptured remainder, in the payment's token) after the authorization
    /// expired; for a cross-currency payment it went to the LP and the payer got its source amount back
    /// ({LegsReleased}).
    event PaymentReclaimed(bytes32 indexed paymentId, uint256 amount);
    /// @notice `amount` was refunded to the payer; `fromCaller` of it was pulled from `caller` because the merchant's
    /// pending settlement was short.
    event PaymentRefunded(bytes32 indexed paymentId, address indexed caller, uint256 amount, uint256 fromCaller);
    /// @notice The merchant was paid `net` at its payout account: `gross` captured minus `fees` minus `refunds`
    /// (paid out of its pending settlement) since its previous settlement.
    /// @dev The payout account is not repeated here (it is fixed at registration, see {MerchantRegistered}): each
    /// word costs every merchant of every batch.
    event MerchantSettled(
        bytes32 indexed batchId,
        bytes32 indexed merchantId,
        uint256 gross,
        uint256 fees,
        uint256 refunds,
        uint256 net
    );
    /// @notice The merchant's payout account cannot transact, so its `pending` amount stays pending.
    event MerchantSettlementSkipped(
        bytes32 indexed batchId,
        bytes32 indexed merchantId,
        address payout,
        uint256 pending
    );
    /// @notice A settlement batch in `token` paid `settled` merchants `total` and skipped `skipped`.
    event BatchSettled(
        bytes32 indexed batchId,
        address indexed token,
        address indexed settler,
        uint256 settled,
        uint256 skipped,
        uint256 total
    );
    /// @notice `account` withdrew `amount` of fees in `token`.
    event FeesWithdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice `provider` deposited `amount` of `token` into its balance held here (its float).
    event LiquidityDeposited(address indexed provider, address indexed token, uint256 amount);
    /// @notice The cross-currency payment `paymentId` (see {PaymentAuthorized}, whose token and amount are its target
    /// leg, B) was priced by `provider`: the payer paid `sourceAmount` of `sourceToken` (A), and both legs are locked
    /// (for a charge: converted at once).
    event PaymentQuoted(bytes32 indexed paymentId, address indexed provider, address sourceToken, uint256 sourceAmount);
    /// @notice A capture of the cross-currency payment converted: `sourceAmount` of its source token (A) was credited
    /// to its liquidity provider's balance, for the B captured ({PaymentCaptured}).
    event PaymentConverted(bytes32 indexed paymentId, uint256 sourceAmount);
    /// @notice A void or reclaim of the cross-currency payment released both uncaptured legs: `sourceAmount` of A to
    /// the payer (paid, or held for it), `targetAmount` of B to the liquidity provider's balance.
    event LegsReleased(bytes32 indexed paymentId, uint256 sourceAmount, uint256 targetAmount);
    /// @notice A refund of the cross-currency payment was converted by `provider` at a refund quote: the B refunded
    /// ({PaymentRefunded}) went to its balance, and it paid the payer `sourceAmount` of the payer's token (A).
    event RefundConverted(bytes32 indexed paymentId, address indexed provider, uint256 sourceAmount);

    /// @notice The role that registers merchants (and becomes their acquirer).
    function ACQUIRER_ROLE() external view returns (bytes32);

    /// @notice The role that settles merchants in batches.
    function SETTLER_ROLE() external view returns (bytes32);

    /// @notice The largest settlement batch, in merchants: 400.
    /// @dev Measured by `make gas` (settlement benchmark, issue 9): a full batch of 400 merchants whose payouts already
    /// hold a balance takes about 10.2M gas, 34 % of a 30M-gas block (25,277 gas per merchant + 55,041 per batch); in
    /// the worst case, payouts never paid before (each transfer creates a balance slot), about 17.0M gas, 57 % of a
    /// block (42,350 per merchant). Either way a full batch fits in a block with room for the payments around it;
    /// reports/gas-report.md has the figures of the last run.
    function MAX_SETTLEMENT_BATCH() external view returns (uint256);

    /// @notice The longest authorization or refund period.
    function MAX_PERIOD() external view returns (uint64);

    /// @notice Accepts (or stops accepting) `token` for new payments; its bank collects interchange at
    /// `issuerFeeAccount`.
    /// @dev Default admin. Payments already made in a token keep being captured, refunded and settled after it stops
    /// being accepted. Changing the issuer fee account leaves the interchange already earned owed to the old one.
    /// A token gets one of the 65,535 indices a payment record can hold the first time the admin sets it, and keeps
    /// it; only the admin gives indices, so no payer, merchant or acquirer can use them up ({SettlementTooManyTokens}).
    function setToken(address token, address issuerFeeAccount, bool accepted) external;

    /// @notice Sets the interchange and network shares of every later capture's merchant discount, in bps of it.
    /// @dev Default admin. Reverts when `interchangeBps + networkBps > 10000`.
    function setFeeSplit(uint16 interchangeBps, uint16 networkBps) external;

    /// @notice Sets how long later authorizations hold funds, and how long after its first capture a payment can be
    /// refunded. Defaults: 7 days and 180 days.
    /// @dev Default admin. Each is at least one second and at most {MAX_PERIOD}.
    function setPeriods(uint64 authorizationPeriod, uint64 refundPeriod) external;

    /// @notice Registers a merchant; the caller becomes its acquirer and collects the acquirer's share of its fees.
    /// @dev ACQUIRER_ROLE. The merchant starts active.
    /// @param merchantId A non-zero identifier, unique in this contract (it appears in QR codes).
    /// @param payout Where settlements are paid; not this contract ({SettlementPayoutIsSettlement}).
    /// @param operator The merchant's point of sale: it captures, voids and refunds.
    /// @param mdrBps The merchant discount rate in bps of each captured amount, at most 10000.
    function registerMerchant(bytes32 merchantId, address payout, address operator, uint16 mdrBps) external;

    /// @notice Activates or deactivates a merchant. An inactive merchant takes no new payments; its open
    /// payments can still be captured, voided, reclaimed, refunded and settled.
    /// @dev The merchant's acquirer, while it holds ACQUIRER_ROLE ({SettlementNotMerchantAcquirer} once the role was
    /// revoked) and can transact ({SettlementCannotTransact}).
    function setMerchantActive(bytes32 merchantId, bool active) external;

    /// @notice Authorizes a payment: pulls `intent.amount` from the caller (with `transferFrom`) and holds it.
    /// @return paymentId The id of the payment, {paymentId}`(intent, msg.sender)`.
    function authorize(PaymentIntent calldata intent) external returns (bytes32 paymentId);

    /// @notice Authorizes a payment signed by `payer` and submitted by anyone (gasless for the payer): pulls
    /// `intent.amount` with the token's EIP-3009 `receiveWithAuthorization`, whose nonce is
    /// `keccak256(abi.encode(paymentId, false))`.
    /// @dev The nonce binds the mode (issue 9): a relayer can neither turn a signed authorization (funds held,
    /// voidable) into a charge (captured at once, the fee charged) nor a charge into an authorization. Before issue 9
    /// the nonce was the payment id in both modes. crosspay.core.signing.authorization_nonce computes it off-chain.
    /// @param payer The payer, who signed a ReceiveWithAuthorization to this contract for `intent.amount`.
    /// @param validAfter The authorization is valid after this time.
    /// @param validBefore The authorization is valid before this time.
    /// @return paymentId The id of the payment, {paymentId}`(intent, payer)`.
    function authorizeWithAuthorization(
        PaymentIntent calldata intent,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId);

    /// @notice Authorizes and captures a payment in full in one call (a QR sale).
    /// @return paymentId The id of the payment, {paymentId}`(intent, msg.sender)`.
    function charge(PaymentIntent calldata intent) external returns (bytes32 paymentId);

    /// @notice {charge} for a payment signed by `payer` with an EIP-3009 ReceiveWithAuthorization (nonce:
    /// `keccak256(abi.encode(paymentId, true))`, see {authorizeWithAuthorization}), submitted by anyone.
    /// @return paymentId The id of the payment, {paymentId}`(intent, payer)`.
    function chargeWithAuthorization(
        PaymentIntent calldata intent,
        address payer,
        uint256 validAfter,
        uint256 validBefore,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (bytes32 paymentId);

    /// @notice Captures `amount` of an authorized payment, splitting its fee; may repeat until the whole
    /// authorization is captured, before the authorization expires.
    /// @dev The merchant's operator or acquirer, able to transact; refused while the payer cannot transact
    /// ({SettlementPayerCannotTransact}). Moves no tokens: the merchant's pending settlement and the fee ledgers grow
    /// by the differences of the payment's cumulative fee parts (see the fee rule above); {PaymentCaptured}'s `fee`
    /// is this capture's difference of `F`. For a cross-currency payment `amount` is in B, taken from the LP's locked
    /// leg, and the capture converts ({PaymentConverted}): it is refused while the LP cannot transact
    /// ({SettlementProviderCannotTransact}).
    function capture(bytes32 paymentId, uint256 amount) external;

    /// @notice Returns the uncaptured remainder of an authorized payment to the payer and closes the authorization.
    /// @dev The merchant's operator or acquirer, able to transact; any time while the payment is Authorized. When the
    /// payer cannot transact, the remainder is held here for it ({IHeldFunds}, event {FundsHeld}). For a
    /// cross-currency payment the payer gets back its source amount not converted, and the LP's uncaptured leg goes to
    /// the LP's balance ({LegsReleased}).
    function void(bytes32 paymentId) external;

    /// @notice Returns the uncaptured remainder of an authorized payment to its payer, from the authorization expiry
    /// on.
    /// @dev The payer. When the payer cannot transact, the reclaim still closes the authorization and the remainder is
    /// held here for it ({IHeldFunds}). A cross-currency payment's legs are released as by {void}.
    function reclaim(bytes32 paymentId) external;

    /// @notice Refunds `amount` of a captured payment to its payer, out of the merchant's pending settlement; where
    /// that is short, the shortfall is pulled (`transferFrom`) from the caller. Fees are not returned.
    /// @dev The merchant's operator or acquirer, able to transact, before the refund deadline ({refundDeadline}: the
    /// first capture plus the refund period then in force). Refunds of a payment add up to at most what was captured.
    /// When the payer cannot transact, the refund is held here for it ({IHeldFunds}). A cross-currency payment is
    /// refunded in the payer's token at a refund quote ({refundCrossCurrency}), not here
    /// ({SettlementRefundNeedsQuote}).
    function refund(bytes32 paymentId, uint256 amount) external;

    /// @notice Pays each listed merchant its whole pending settlement in `token`, in one transaction; emits
    /// {MerchantSettled} per merchant paid and {MerchantSettlementSkipped} per merchant whose payout cannot transact,
    /// even when it has nothing pending (so the report names every payout that could not be paid).
    /// @dev SETTLER_ROLE. At most {MAX_SETTLEMENT_BATCH} merchants, each registered and listed once
    /// ({SettlementDuplicateMerchant}: a batch is a report, and a merchant appearing twice in it would be reported
    /// settled twice). A paused token reverts the whole batch.
    /// @return batchId The id of the batch, in every event of it.
    function settle(address token, bytes32[] calldata merchantIds) external returns (bytes32 batchId);

    /// @notice Pays the caller every fee it is owed in `token` (as issuer fee account, network fee account and/or
    /// acquirer).
    /// @dev Captures credit one fee pool per acquirer and token (one storage write instead of three), so the issuer
    /// and network fee accounts' withdrawals (and {feesOwed}) read one pool per acquirer: acquirers are a handful of
    /// institutions, granted by the admin.
    function withdrawFees(address token) external;

    /// @notice The id of the payment `payer` makes for `intent`: keccak256 of the ABI encoding of the chain id,
    /// this contract, the intent and the payer.
    function paymentId(PaymentIntent calldata intent, address payer) external view returns (bytes32);

    /// @notice A payment's record.
    /// @return status The authorization's status.
    /// @return payer Who paid.
    /// @return merchantId The merchant paid.
    /// @return token The token paid in.
    /// @return authorized The amount authorized (held at authorization).
    /// @return captured The amount captured so far.
    /// @return refunded The amount refunded so far.
    /// @return authorizationExpiry From when the authorization can no longer be captured and can be reclaimed.
    function paymentOf(
        bytes32 paymentId
    )
        external
        view
        returns (
            Status status,
            address payer,
            bytes32 merchantId,
            address token,
            uint256 authorized,
            uint256 captured,
            uint256 refunded,
            uint64 authorizationExpiry
        );

    /// @notice Until when (exclusive) the payment can be refunded; zero before its first capture.
    function refundDeadline(bytes32 paymentId) external view returns (uint64);

    /// @notice What `merchantId` will be paid in `token` at its next settlement.
    function pendingSettlement(bytes32 merchantId, address token) external view returns (uint256);

    /// @notice The fees `account` can withdraw in `token`.
    function feesOwed(address account, address token) external view returns (uint256);

    /// @notice A merchant's registration.
    function merchantOf(
        bytes32 merchantId
    ) external view returns (address payout, address operator, address acquirer, uint16 mdrBps, bool active);

    /// @notice A token's configuration (`issuerFeeAccount` zero when never configured).
    function tokenConfig(address token) external view returns (address issuerFeeAccount, bool accepted);

    /// @notice The interchange and network shares of the merchant discount, in bps of it.
    function feeSplit() external view returns (uint16 interchangeBps, uint16 networkBps);

    /// @notice The authorization and refund periods applied to new payments.
    function periods() external view returns (uint64 authorizationPeriod, uint64 refundPeriod);

    /// @notice Where the card network's share of fees accrues.
    function networkFeeAccount() external view returns (address);

    /// @notice The compliance registry the settlement checks payout accounts against.
    function registry() external view returns (address);

    // -----------------------------------------------------------------------------------------------------------------
    // Cross-currency payments (issue 11; docs/cross-currency.md)
    // -----------------------------------------------------------------------------------------------------------------

    /// @notice The role of the liquidity providers allowed to quote cross-currency payments and refunds, granted and
    /// revoked by the default admin. A provider whose role was revoked quotes nothing new; the payments it quoted keep
    /// their lifecycle.
    function LIQUIDITY_PROVIDER_ROLE() external view returns (bytes32);

    /// @notice Deposits `amount` of `token` into the caller's balance held here ({IHeldFunds-heldBalance}): its float.
    /// An LP delivers from that balance only (the target leg an authorization locks, the payer's token a refund pays;
    /// {SettlementProviderBalanceShort} when it is short): nothing is ever pulled from an LP's wallet. What it is owed
    /// is credited there too.
    /// @dev A holder of LIQUIDITY_PROVIDER_ROLE, able to transact (the token checks it). It withdraws with
    /// {IHeldFunds-withdrawHeld}.
    function depositLiquidity(address token, uint256 amount) external;

    /// @notice Pays `intent` (amount in its token B, the merchant's) in the caller's token A at `quote`, captured in
    /// full: the caller's `quote.sourceAmount` of A goes to the LP's balance, the LP's `intent.amount` of B to the
    /// merchant's pending settlement with the fee split of any capture.
    /// @dev The quote must: be signed by a holder of LIQUIDITY_PROVIDER_ROLE that can transact, under this contract's
    /// EIP-712 domain (EOA or ERC-1271); convert a token accepted here into `intent.token` for exactly
    /// `intent.amount`; carry the payment id as its `quoteId`; not be expired. The LP's B comes from its balance here
    /// ({depositLiquidity}).
    /// @return paymentId {paymentId}`(intent, msg.sender)`.
    function chargeCrossCurrency(
        PaymentIntent calldata intent,
        Quote calldata quote,
        bytes calldata quoteSignature
    ) external returns (bytes32 paymentId);

    /// @notice Authorizes `intent` in the caller's token A at `quote`: both legs are locked, the caller's
    /// `quote.sourceAmount` of A and the LP's `intent.amount` of B. Captures (in B) convert at the quote; a void or
    /// reclaim returns the uncaptured A to the payer and the uncaptured B to the LP.
    /// @dev As {chargeCrossCurrency}; the quote must also not expire before the authorization does.
    /// @return paymentId {paymentId}`(intent, msg.sender)`.
    function authorizeCrossCurrency(
        PaymentIntent calldata intent,
        Quote calldata quote,
        bytes calldata quoteSignature
    ) external returns (bytes32 paymentId);

    /// @notice {chargeCrossCurrency} for a payer who signed an EIP-3009 ReceiveWithAuthorization of
    /// `quote.sourceAmount` of A to this contract, submitted by anyone (gasless for the payer). The nonce is
    /// keccak256(abi.encode(paymentId, quoteDigest, true)), `quoteDigest` the quote's EIP-712 digest (what the LP
    /// signs): it binds the intent, the quote and the mode, so a relayer can swap neither, nor turn the charge into an
    /// authorization (crosspay.core.crosscurrency.authorization_nonce computes it).
    /// @return paymentId {paymentId}`(intent, authorization.payer)`.
    function chargeCrossCurrencyWithAuthorization(
        PaymentIntent calldata intent,
        Quote calldata quote,
        bytes calldata quoteSignature,
        ReceiveAuthorization calldata authorization
    ) external returns (bytes32 paymentId);

    /// @notice {authorizeCrossCurrency} for a payer who signed an EIP-3009 ReceiveWithAuthorization (nonce
    /// keccak256(abi.encode(paymentId, quoteDigest, false))), submitted by anyone.
    /// @return paymentId {paymentId}`(intent, authorization.payer)`.
    function authorizeCrossCurrencyWithAuthorization(
        PaymentIntent calldata intent,
        Quote calldata quote,
        bytes calldata quoteSignature,
        ReceiveAuthorization calldata authorization
    ) external returns (bytes32 paymentId);

    /// @notice Refunds `quote.sourceAmount` of a captured cross-currency payment (in B, its token) to its payer in A,
    /// at `quote`, a refund quote an allowed LP signed at refund time: the B comes out of the merchant's pending
    /// settlement (a shortfall is pulled from the caller) and goes to the LP's balance; the LP pays the payer
    /// `quote.targetAmount` of A from its balance. The payer bears the move of the rate since the payment
    /// (docs/cross-currency.md).
    /// @dev The merchant's operator or acquirer, able to transact, before the refund deadline; refunds add up to at
    /// most what was captured, in B. The quote converts the payment's token into the payer's, carries
    /// keccak256(abi.encode(paymentId, refunded)) as its id (`refunded` from {paymentOf}), is not expired, and is
    /// signed by a liquidity provider able to transact. When the payer cannot transact, its A is held here for it
    /// ({IHeldFunds}).
    function refundCrossCurrency(bytes32 paymentId, Quote calldata quote, bytes calldata quoteSignature) external;

    /// @notice What a cross-currency payment still locks: `sourceLocked` of `sourceToken` (A, the payer's) and
    /// `targetLocked` of the payment's token (B, `provider`'s). Both zero once the authorization closed (captured in
    /// full, voided or reclaimed) or for a charge; `sourceToken` is zero for a payment in one currency.
    function legsOf(
        bytes32 paymentId
    ) external view returns (address sourceToken, uint256 sourceLocked, address provider, uint256 targetLocked);
}
