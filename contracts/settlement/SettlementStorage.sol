// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IMerchantSettlement} from "../../interfaces/IMerchantSettlement.sol";

/// @title SettlementStorage
/// @notice The one storage of MerchantSettlement, shared by the contract and the libraries it links
/// (SettlementRegistry, SettlementLedger): an ERC-7201 namespaced struct at a fixed slot, so code running in the
/// contract's context (its own functions, and the libraries' external functions, which run by DELEGATECALL) reads and
/// writes the same records without passing storage pointers around.
/// @dev Only MerchantSettlement's own state lives here. What it inherits keeps its usual slots from 0: OpenZeppelin's
/// access control and reentrancy guard, and HeldFunds' held balances (shared with the escrow and the HTLC). The
/// namespace keeps the two apart for good, and lets the struct grow at its end (issue 11 appended its cross-currency
/// legs there, see {Layout}).
///
/// Records are packed for the gas of the payment calls (each a few slots, each slot written by the call that needs it):
/// - a payment is two slots, written once at authorization and then only modified. To fit, the merchant and the tokens
///   are stored as small indexes, amounts as uint64 (1.8e19 minor units: 1.8e17 CNY at two decimals) and timestamps
///   as uint40 (the escrow's and the HTLC's width, good until the year 36,812: issue 11 took the 16 bits they gave
///   up for a cross-currency payment's source token, so that a cross-currency charge is still two slots);
/// - a cross-currency authorization has one slot more while it is open (its second leg, {Leg});
/// - a merchant has one slot keyed by its id, with everything a charge and a settlement read, and one slot keyed by
///   its index, with everything a capture, void or refund reads;
/// - each merchant's running totals per token since its last settlement are one slot, and so is each acquirer's fee
///   pool per token. Neither returns to zero once written (the ledger keeps the batch that last settled it, the pool
///   a `live` flag), so the next capture rewrites a non-zero slot (2,900 gas) instead of creating one (20,000).
library SettlementStorage {
    /// @dev Slot 0: payer, authorized amount, merchant index (160 + 64 + 32 bits). Slot 1: captured, refunded,
    /// authorization expiry, refund deadline, token index, status, flags, source token index (64 + 64 + 40 + 40 + 16 +
    /// 8 + 8 + 16 bits). `sourceToken` is 0 for a payment in its intent's token; for a cross-currency payment
    /// (FLAG_CROSS_CURRENCY) it is the index of the token the payer paid in (A), the record's amounts being in `token`
    /// (B, the merchant's).
    struct Payment {
        address payer;
        uint64 authorized;
        uint32 merchant;
        uint64 captured;
        uint64 refunded;
        uint40 authorizationExpiry;
        uint40 refundDeadline;
        uint16 token;
        IMerchantSettlement.Status status;
        uint8 flags;
        uint16 sourceToken;
    }

    /// @dev The second leg of a cross-currency authorization while it is open (issue 11): the payer's source amount of
    /// A locked (the payment record's amount width) and the liquidity provider whose B is locked (the payment's
    /// authorized amount less what was captured). One slot (64 + 160 bits), deleted when the authorization closes.
    struct Leg {
        uint64 sourceAmount;
        address provider;
    }

    /// @dev Keyed by merchant id: what authorizations, charges and settlements read. One slot (160 + 32 + 32 + 16 + 8).
    struct MerchantEntry {
        address payout;
        uint32 index;
        uint32 acquirer;
        uint16 mdrBps;
        bool active;
    }

    /// @dev Keyed by merchant index: what captures, voids and refunds read. One slot (160 + 32 + 16).
    struct MerchantAccount {
        address operator;
        uint32 acquirer;
        uint16 mdrBps;
    }

    /// @dev A merchant's totals in one token since its last settlement; pending = gross - fees - refunds. One slot
    /// (72 + 72 + 72 + 40). `settledIn` is the number of the batch that last settled (or skipped) the merchant: a
    /// merchant listed twice in one batch finds its own batch there ({IMerchantSettlement-settle}), and the slot never
    /// returns to zero after a settlement.
    struct Ledger {
        uint72 gross;
        uint72 fees;
        uint72 refunds;
        uint40 settledIn;
    }

    /// @dev The fees earned through one acquirer's merchants in one token, by owner, not yet withdrawn. One slot
    /// (80 + 80 + 80 + 8).
    struct FeePool {
        uint80 interchange;
        uint80 network;
        uint80 acquirer;
        bool live;
    }

    /// @dev One slot (160 + 16 + 8).
    struct TokenConfig {
        address issuerFeeAccount;
        uint16 index;
        bool accepted;
    }

    /// @dev Read together by authorizations and captures. One slot (16 + 16 + 64 + 64).
    struct Config {
        uint16 interchangeBps;
        uint16 networkBps;
        uint64 authorizationPeriod;
        uint64 refundPeriod;
    }

    /// @dev The state of MerchantSettlement. Offsets from {SLOT} in the comments; a mapping's entries sit at
    /// keccak256(key . its offset's slot) as usual.
    /// @custom:storage-location erc7201:crosspay.storage.MerchantSettlement
    struct Layout {
        Config config; // +0
        uint40 batchCount; // +1: settlement batches so far (a batch's number is its count)
        uint32 merchantCount; // +1
        uint16 tokenCount; // +1
        mapping(bytes32 paymentId => Payment) payments; // +2
        mapping(bytes32 merchantId => MerchantEntry) merchants; // +3
        mapping(uint32 index => MerchantAccount) merchantAccounts; // +4
        mapping(uint32 index => bytes32 merchantId) merchantIds; // +5
        /// Acquirers get an index (from 1) when they register their first merchant.
        mapping(address acquirer => uint32 index) acquirerIndexes; // +6
        address[] acquirers; // +7
        mapping(address token => TokenConfig) tokens; // +8
        mapping(uint16 index => address token) tokenAddresses; // +9
        mapping(uint32 merchant => mapping(uint16 token => Ledger)) ledgers; // +10
        mapping(uint32 acquirer => mapping(uint16 token => FeePool)) feePools; // +11
        /// Fees moved out of the pools: interchange owed to a token's previous issuer fee account.
        mapping(address account => mapping(address token => uint256)) feesOwed; // +12
        /// Issue 11: the second leg of each open cross-currency authorization (a FLAG_CROSS_CURRENCY payment).
        mapping(bytes32 paymentId => Leg) legs; // +13
    }

    /// @dev keccak256(abi.encode(uint256(keccak256("crosspay.storage.MerchantSettlement")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x1e42e3f1f9691b2310be4ee42d9413550da2cda8323bea041969b49befdec800;

    /// @dev {IMerchantSettlement-MAX_SETTLEMENT_BATCH}.
    uint256 internal constant MAX_SETTLEMENT_BATCH = 400;
    /// @dev {IMerchantSettlement-MAX_PERIOD}.
    uint64 internal constant MAX_PERIOD = 3650 days;

    /// @dev Payment.flags: the acquirer's residue unit of this open payment's fee is held until it closes (FeeMath).
    uint8 internal constant FLAG_ACQUIRER_UNIT_HELD = 1;
    /// @dev Payment.flags (issue 11): a cross-currency payment, paid in `sourceToken` (A) at a liquidity provider's
    /// quote; while its authorization is open, its second leg is in `legs`.
    uint8 internal constant FLAG_CROSS_CURRENCY = 2;

    /// @dev The storage of MerchantSettlement (in whichever contract the calling code runs).
    function layout() internal pure returns (Layout storage $) {
        assembly ("memory-safe") {
            $.slot := SLOT
        }
    }
}
