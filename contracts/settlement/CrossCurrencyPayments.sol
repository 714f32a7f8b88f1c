// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IComplianceRegistry} from "../../interfaces/IComplianceRegistry.sol";
import {IERC3009} from "../../interfaces/IERC3009.sol";
import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";
import {HeldFundsStorage} from "../HeldFundsStorage.sol";
import {PaymentGuards} from "./PaymentGuards.sol";
import {PaymentRecords} from "./PaymentRecords.sol";
import {SettlementLedger} from "./SettlementLedger.sol";
import {SettlementStorage} from "./SettlementStorage.sol";

/// @title CrossCurrencyPayments
/// @notice MerchantSettlement's cross-currency QR payments (issue 11, docs/cross-currency.md): a payer holding token A
/// pays a merchant's intent in token B at a liquidity provider's signed quote; both legs are locked at authorization;
/// captures convert at the quote; voids and reclaims release both legs; refunds convert back at a refund quote. See
/// {IMerchantSettlement-chargeCrossCurrency} and the functions after it.
/// @dev A linked library: its external functions run in MerchantSettlement's context by DELEGATECALL (its storage, its
/// balance, its address, in its EIP-712 domain), called only from MerchantSettlement's functions of the same name,
/// which check the caller's role and hold the reentrancy guard. Its one internal function ({release}) is compiled
/// into SettlementReversals, whose void and reclaim release a cross-currency payment's legs.
///
/// A liquidity provider's balance in the held-funds ledger (HeldFundsStorage) is its float and its pull ledger at once:
/// what it deposits and everything owed to it (the A a capture converts, the B a void, reclaim or refund releases) is
/// credited there, never pushed, and what it delivers (the B an authorization locks, the A a refund pays) is debited
/// from there. Nothing is ever pulled from an LP's wallet: its signed quote commits its balance here, no more.
library CrossCurrencyPayments {
    using SafeERC20 for IERC20;

    bytes32 private constant QUOTE_TYPEHASH = keccak256(
        "Quote(address sourceToken,address targetToken,uint256 sourceAmount,uint256 targetAmount,address liquidityProvider,uint64 expiresAt,bytes32 quoteId)"
    );
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    bytes32 private constant NAME_HASH = keccak256("MerchantSettlement");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// @dev MerchantSettlement.LIQUIDITY_PROVIDER_ROLE.
    bytes32 internal constant LIQUIDITY_PROVIDER_ROLE = keccak256("LIQUIDITY_PROVIDER_ROLE");
    uint256 private constant MAX_AMOUNT = type(uint64).max;
    /// @dev A refund of a cross-currency payment is allowed in any status once something was captured.
    uint256 private constant REFUNDABLE =
        (1 << uint8(IMerchantSettlement.Status.Authorized)) |
            (1 << uint8(IMerchantSettlement.Status.Captured)) |
            (1 << uint8(IMerchantSettlement.Status.Voided)) |
            (1 << uint8(IMerchantSettlement.Status.Reclaimed));

    // -----------------------------------------------------------------------------------------------------------------
    // External: called (DELEGATECALL) by MerchantSettlement
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev {IMerchantSettlement-depositLiquidity}.
    function depositLiquidity(address token, uint256 amount) external {
        _requireProvider(msg.sender);
        if (amount == 0) revert IMerchantSettlement.SettlementZeroAmount();
        HeldFundsStorage.layout().held[msg.sender][token] += amount;
        emit IMerchantSettlement.LiquidityDeposited(msg.sender, token, amount);
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev {IMerchantSettlement-chargeCrossCurrency}.
    function chargeCrossCurrency(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature
    ) external returns (bytes32) {
        return _openAndPull(intent, quote, signature, true);
    }

    /// @dev {IMerchantSettlement-authorizeCrossCurrency}.
    function authorizeCrossCurrency(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature
    ) external returns (bytes32) {
        return _openAndPull(intent, quote, signature, false);
    }

    /// @dev {IMerchantSettlement-chargeCrossCurrencyWithAuthorization}.
    function chargeCrossCurrencyWithAuthorization(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature,
        IMerchantSettlement.ReceiveAuthorization calldata authorization
    ) external returns (bytes32) {
        return _openWithAuthorization(intent, quote, signature, authorization, true);
    }

    /// @dev {IMerchantSettlement-authorizeCrossCurrencyWithAuthorization}.
    function authorizeCrossCurrencyWithAuthorization(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature,
        IMerchantSettlement.ReceiveAuthorization calldata authorization
    ) external returns (bytes32) {
        return _openWithAuthorization(intent, quote, signature, authorization, false);
    }

    /// @dev The second half of {IMerchantSettlement-capture} for a cross-currency payment, after MerchantSettlement
    /// credited the B captured: credits the LP the A this capture converts, the difference of the cumulative amount
    /// owed (floor(captured * sourceAmount / authorized): the rounding unit stays with the payer), and forgets the
    /// second leg once the authorization closes. The LP's locked B moves to the merchant here, so an LP that cannot
    /// transact stops the capture.
    function convert(IComplianceRegistry registry, bytes32 paymentId, uint256 amount, bool closes) external {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Payment memory payment = $.payments[paymentId]; // as this capture left it
        SettlementStorage.Leg memory leg = $.legs[paymentId];
        address provider = leg.provider;
        if (!registry.canTransact(provider)) {
            revert IMerchantSettlement.SettlementProviderCannotTransact(paymentId, provider);
        }
        uint256 converted;
        unchecked {
            // amount <= captured <= authorized < 2**64 and sourceAmount < 2**64: no product overflows, and the owed
            // amount never decreases as the captured amount grows, so the difference is not negative.
            uint256 before = ((uint256(payment.captured) - amount) * leg.sourceAmount) / payment.authorized;
            converted = (uint256(payment.captured) * leg.sourceAmount) / payment.authorized - before;
        }
        if (closes) delete $.legs[paymentId];
        HeldFundsStorage.layout().held[provider][$.tokenAddresses[payment.sourceToken]] += converted;
        emit IMerchantSettlement.PaymentConverted(paymentId, converted);
    }

    /// @dev {IMerchantSettlement-refundCrossCurrency}.
    function refundCrossCurrency(
        bytes32 paymentId,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature
    ) external {
        IComplianceRegistry registry = _registry();
        SettlementStorage.Payment memory payment = _refundable(registry, paymentId, quote.sourceAmount);
        _requireRefundQuote(paymentId, payment, quote);
        address provider = _requireQuote(registry, paymentId, quote, signature);
        _refund(registry, paymentId, payment, quote, provider);
    }

    /// @dev {IMerchantSettlement-legsOf}.
    function legsOf(
        bytes32 paymentId
    ) external view returns (address sourceToken, uint256 sourceLocked, address provider, uint256 targetLocked) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Payment memory payment = $.payments[paymentId];
        if (payment.flags & SettlementStorage.FLAG_CROSS_CURRENCY == 0) return (address(0), 0, address(0), 0);
        sourceToken = $.tokenAddresses[payment.sourceToken];
        SettlementStorage.Leg memory leg = $.legs[paymentId];
        if (leg.provider == address(0)) return (sourceToken, 0, address(0), 0);
        sourceLocked = leg.sourceAmount - (uint256(payment.captured) * leg.sourceAmount) / payment.authorized;
        targetLocked = payment.authorized - payment.captured;
        provider = leg.provider;
    }

    /// @dev The EIP-712 digest of `quote` under MerchantSettlement's domain (name "MerchantSettlement", version "1";
    /// this code runs in its context, so `address(this)` is the settlement): what the LP signs.
    /// crosspay.core.fx.quote_digest computes the same off-chain.
    function quoteDigest(IMerchantSettlement.Quote calldata quote) internal view returns (bytes32) {
        bytes32 separator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this))
        );
        return keccak256(abi.encodePacked("\x19\x01", separator, keccak256(abi.encode(QUOTE_TYPEHASH, quote))));
    }

    /// @dev The EIP-3009 nonce of a gasless cross-currency payment: keccak256(abi.encode(paymentId, quoteDigest,
    /// isCharge)). It binds the intent (through the payment id), the quote and the mode: a relayer can swap neither,
    /// nor turn an authorization into a charge. crosspay.core.crosscurrency.authorization_nonce computes the same.
    function nonceOf(bytes32 paymentId, bytes32 digest, bool isCharge) internal pure returns (bytes32) {
        return keccak256(abi.encode(paymentId, digest, isCharge));
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Internal: compiled into the caller (SettlementReversals)
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev Releases the uncaptured legs of a cross-currency authorization that closes by a void or reclaim: the B to
    /// the LP's balance, and returns the A owed back to the payer (and its token) for the caller to pay or hold.
    /// S - floor(C * S / T): together with what the captures converted, exactly the A locked.
    function release(
        bytes32 paymentId,
        SettlementStorage.Payment memory payment
    ) internal returns (address sourceToken, uint256 sourceRemainder) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        SettlementStorage.Leg memory leg = $.legs[paymentId];
        delete $.legs[paymentId];
        uint256 targetRemainder;
        unchecked {
            // captured <= authorized, so floor(captured * S / authorized) <= S.
            sourceRemainder = leg.sourceAmount - (uint256(payment.captured) * leg.sourceAmount) / payment.authorized;
            targetRemainder = payment.authorized - payment.captured;
        }
        HeldFundsStorage.layout().held[leg.provider][$.tokenAddresses[payment.token]] += targetRemainder;
        emit IMerchantSettlement.LegsReleased(paymentId, sourceRemainder, targetRemainder);
        return ($.tokenAddresses[payment.sourceToken], sourceRemainder);
    }

    /// @dev The id a refund quote of `paymentId` must carry after `refunded` was refunded.
    function refundQuoteIdOf(bytes32 paymentId, uint256 refunded) internal pure returns (bytes32) {
        return keccak256(abi.encode(paymentId, refunded));
    }

    // -----------------------------------------------------------------------------------------------------------------
    // Private
    // -----------------------------------------------------------------------------------------------------------------

    /// @dev Checks `quote` for `intent` paid by `payer`, records the payment (flagged, with its source token) and its
    /// second leg, and takes the LP's B from its balance. The caller then takes the payer's A.
    function _open(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature,
        address payer,
        bool captureNow
    ) private returns (bytes32 paymentId) {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        if (quote.targetToken != intent.token || quote.sourceToken == intent.token) {
            revert IMerchantSettlement.SettlementQuoteTokensMismatch(quote.sourceToken, quote.targetToken);
        }
        if (quote.targetAmount != intent.amount) {
            revert IMerchantSettlement.SettlementQuoteAmountMismatch(quote.targetAmount, intent.amount);
        }
        uint256 sourceAmount = quote.sourceAmount;
        if (sourceAmount == 0) revert IMerchantSettlement.SettlementZeroAmount();
        if (sourceAmount > MAX_AMOUNT) revert IMerchantSettlement.SettlementAmountTooLarge(sourceAmount, MAX_AMOUNT);
        SettlementStorage.TokenConfig memory source = $.tokens[quote.sourceToken];
        if (!source.accepted) revert IMerchantSettlement.SettlementTokenNotAccepted(quote.sourceToken);
        paymentId = PaymentRecords.idOf(intent, payer);
        if (quote.quoteId != paymentId)
            revert IMerchantSettlement.SettlementQuoteNotForPayment(quote.quoteId, paymentId);
        if (!captureNow) {
            // The LP commits to its rate for as long as the merchant may capture at it: until the expiry the record
            // gets below (the periods are at most MAX_PERIOD, so the sum cannot overflow).
            uint256 expiry = block.timestamp + $.config.authorizationPeriod;
            if (quote.expiresAt < expiry) {
                revert IMerchantSettlement.SettlementQuoteExpiresBeforeAuthorization(quote.expiresAt, uint64(expiry));
            }
        }
        address provider = _requireQuote(_registry(), paymentId, quote, signature);

        paymentId = PaymentRecords.open(intent, payer, captureNow, source.index); // the id checked above
        mapping(address token => uint256) storage balance = HeldFundsStorage.layout().held[provider];
        if (captureNow) {
            balance[quote.sourceToken] += sourceAmount;
        } else {
            // sourceAmount < 2**64 was checked above.
            $.legs[paymentId] = SettlementStorage.Leg({sourceAmount: uint64(sourceAmount), provider: provider});
        }
        emit IMerchantSettlement.PaymentQuoted(paymentId, provider, quote.sourceToken, sourceAmount);
        _debit(balance, provider, intent.token, intent.amount);
    }

    /// @dev The cross-currency payment `paymentId`, after checking that `amount` of it can be refunded now by the
    /// caller (the merchant's operator or acquirer, able to transact).
    function _refundable(
        IComplianceRegistry registry,
        bytes32 paymentId,
        uint256 amount
    ) private view returns (SettlementStorage.Payment memory payment) {
        payment = PaymentGuards.load(paymentId, REFUNDABLE);
        if (payment.flags & SettlementStorage.FLAG_CROSS_CURRENCY == 0) {
            revert IMerchantSettlement.SettlementNotCrossCurrency(paymentId);
        }
        PaymentGuards.requireActing(paymentId, SettlementStorage.layout().merchantAccounts[payment.merchant], _hasRole);
        PaymentGuards.requireCanTransact(registry, msg.sender);
        PaymentGuards.requireRefundable(paymentId, payment, amount);
    }

    /// @dev A refund quote must convert the payment's token into the payer's, and carry the id of the payment's next
    /// refund ({refundQuoteIdOf}: so it prices this refund, once).
    function _requireRefundQuote(
        bytes32 paymentId,
        SettlementStorage.Payment memory payment,
        IMerchantSettlement.Quote calldata quote
    ) private view {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        if (
            quote.sourceToken != $.tokenAddresses[payment.token] ||
            quote.targetToken != $.tokenAddresses[payment.sourceToken]
        ) revert IMerchantSettlement.SettlementQuoteTokensMismatch(quote.sourceToken, quote.targetToken);
        bytes32 expected = refundQuoteIdOf(paymentId, payment.refunded);
        if (quote.quoteId != expected) revert IMerchantSettlement.SettlementQuoteNotForPayment(quote.quoteId, expected);
    }

    /// @dev The effects and interactions of a refund whose checks passed: `quote.sourceAmount` of the payment's token
    /// out of the merchant's pending settlement (a shortfall from the caller) to the provider's balance, and
    /// `quote.targetAmount` of the payer's token from the provider's balance to the payer (paid, or held for it).
    function _refund(
        IComplianceRegistry registry,
        bytes32 paymentId,
        SettlementStorage.Payment memory payment,
        IMerchantSettlement.Quote calldata quote,
        address provider
    ) private {
        SettlementStorage.Layout storage $ = SettlementStorage.layout();
        uint256 amount = quote.sourceAmount;
        unchecked {
            // amount <= captured - refunded (checked), so refunded + amount <= captured, which fits uint64.
            $.payments[paymentId].refunded = uint64(payment.refunded + amount);
        }
        uint256 fromCaller = SettlementLedger.debitRefund(payment.merchant, payment.token, amount);
        mapping(address token => uint256) storage balance = HeldFundsStorage.layout().held[provider];
        balance[quote.sourceToken] += amount;
        _debit(balance, provider, quote.targetToken, quote.targetAmount);
        emit IMerchantSettlement.PaymentRefunded(paymentId, msg.sender, amount, fromCaller);
        emit IMerchantSettlement.RefundConverted(paymentId, provider, quote.targetAmount);
        if (fromCaller != 0) IERC20(quote.sourceToken).safeTransferFrom(msg.sender, address(this), fromCaller);
        HeldFundsStorage.payOrHold(registry, quote.targetToken, payment.payer, quote.targetAmount);
    }

    /// @dev The quote's LP, after checking that it is allowed, can transact, signed `quote` (EOA or ERC-1271) under
    /// this contract's domain, and that the quote has not expired.
    function _requireQuote(
        IComplianceRegistry registry,
        bytes32 paymentId,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature
    ) private view returns (address provider) {
        provider = quote.liquidityProvider;
        _requireProvider(provider);
        if (block.timestamp >= quote.expiresAt) {
            revert IMerchantSettlement.SettlementQuoteExpired(quote.expiresAt, block.timestamp);
        }
        if (!registry.canTransact(provider)) {
            revert IMerchantSettlement.SettlementProviderCannotTransact(paymentId, provider);
        }
        if (!SignatureChecker.isValidSignatureNow(provider, quoteDigest(quote), signature)) {
            revert IMerchantSettlement.SettlementInvalidQuoteSignature(provider);
        }
    }

    /// @dev The compliance registry, read through the contract's own view (a call to itself: this code runs in its
    /// context, and the registry is one of its immutables).
    function _registry() private view returns (IComplianceRegistry) {
        return IComplianceRegistry(IMerchantSettlement(address(this)).registry());
    }

    /// @dev The contract's own AccessControl, read from here through a call to itself.
    function _hasRole(bytes32 role, address account) private view returns (bool) {
        return IAccessControl(address(this)).hasRole(role, account);
    }

    /// @dev `provider` must hold LIQUIDITY_PROVIDER_ROLE.
    function _requireProvider(address provider) private view {
        if (!_hasRole(LIQUIDITY_PROVIDER_ROLE, provider)) {
            revert IMerchantSettlement.SettlementNotLiquidityProvider(provider);
        }
    }

    /// @dev A payment paid by the caller, who approved this contract for its source amount.
    function _openAndPull(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature,
        bool captureNow
    ) private returns (bytes32 paymentId) {
        paymentId = _open(intent, quote, signature, msg.sender, captureNow);
        IERC20(quote.sourceToken).safeTransferFrom(msg.sender, address(this), quote.sourceAmount);
    }

    /// @dev A payment paid with the payer's EIP-3009 signature, whose nonce binds the payment, the quote and the mode.
    function _openWithAuthorization(
        IMerchantSettlement.PaymentIntent calldata intent,
        IMerchantSettlement.Quote calldata quote,
        bytes calldata signature,
        IMerchantSettlement.ReceiveAuthorization calldata authorization,
        bool captureNow
    ) private returns (bytes32 paymentId) {
        if (authorization.payer == address(0)) revert IMerchantSettlement.SettlementZeroAddress();
        paymentId = _open(intent, quote, signature, authorization.payer, captureNow);
        _receive(
            quote.sourceToken,
            quote.sourceAmount,
            nonceOf(paymentId, quoteDigest(quote), captureNow),
            authorization
        );
    }

    /// @dev Receives `amount` of `token` from the payer with its EIP-3009 signature over `nonce`.
    function _receive(
        address token,
        uint256 amount,
        bytes32 nonce,
        IMerchantSettlement.ReceiveAuthorization calldata authorization
    ) private {
        IERC3009(token).receiveWithAuthorization(
            authorization.payer,
            address(this),
            amount,
            authorization.validAfter,
            authorization.validBefore,
            nonce,
            authorization.v,
            authorization.r,
            authorization.s
        );
    }

    /// @dev Takes `amount` of `token` from `provider`'s held `balance`, which must cover it.
    function _debit(
        mapping(address token => uint256) storage balance,
        address provider,
        address token,
        uint256 amount
    ) private {
        uint256 held = balance[token];
        if (held < amount) revert IMerchantSettlement.SettlementProviderBalanceShort(provider, token, amount, held);
        unchecked {
            // amount <= held was checked above.
            balance[token] = held - amount;
        }
    }
}
