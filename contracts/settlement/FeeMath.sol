// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title FeeMath
/// @notice The merchant discount of a payment and its four-party split, computed from the payment's cumulative
/// captured amount, so that any sequence of partial captures credits exactly what one capture of the total would.
/// @dev Internal (compiled into MerchantSettlement): it runs on every capture and charge.
///
/// For a payment captured up to `C` at merchant discount rate `m` and a fee split of `i` (interchange) and `n`
/// (network) bps of the fee, one capture of `C` gives:
///   fee F(C) = floor(C * m / 10000); interchange I = floor(F * i / 10000); network N = floor(F * n / 10000);
///   acquirer A = F - I - N; merchant C - F.
/// A capture from `C0` to `C1` credits the differences: F(C1) - F(C0) to the merchant's fees, I(C1) - I(C0) and
/// N(C1) - N(C0) to the interchange and network pools. F, I and N never decrease as C grows, so those differences are
/// never negative. A can: it is the acquirer's own share ceil(F * a / 10000), a = 10000 - i - n, plus the rounding
/// residues of I and N, which add up to 0 or 1 unit on top (20 captures of 1.14 at 1.75 % with i = 65 %, n = 13 %
/// make the acquirer's difference -1 at several of them). The ledger never takes back what it credited, because an
/// acquirer may have withdrawn it: while a payment can still be captured, its acquirer is credited its own share
/// ceil(F * a / 10000), which never decreases and never exceeds A at any later capture; the residue unit (0 or 1) is
/// held, recorded in the payment, and credited when the payment closes (its last capture, its void or its reclaim).
/// So every credit is non-negative, and a closed payment has credited exactly F, I, N and A of its total.
///
/// A fee split changed between two captures of one payment applies to the later capture's differences. In the rare
/// case where that would take back a unit (the acquirer's difference below what is held), the held unit is released
/// instead, or else the later capture's interchange (then network) difference gives up the unit: no ledger ever
/// decreases and the four credits still add up to the capture's fee.
library FeeMath {
    uint256 internal constant BPS = 10_000;

    /// @dev What one capture credits: `fee` to the merchant's fees (the rest of the amount to its pending settlement),
    /// `interchange`, `network` and `acquirer` to the fee pool (they add up to `fee`, give or take the held unit), and
    /// whether the acquirer's residue unit is held after it.
    struct Credit {
        uint256 fee;
        uint256 interchange;
        uint256 network;
        uint256 acquirer;
        bool held;
    }

    /// @dev The credits of capturing `amount` of a payment that had `captured` captured already (with the residue
    /// unit held when `held`); `closes` when the capture leaves nothing to capture (a charge, or a capture of the whole
    /// remainder). Requires captured + amount < 2**64 and every bps <= 10000 with interchangeBps + networkBps <= 10000,
    /// so no product below can overflow.
    function credit(
        uint256 captured,
        uint256 amount,
        uint256 mdrBps,
        uint256 interchangeBps,
        uint256 networkBps,
        bool held,
        bool closes
    ) internal pure returns (Credit memory c) {
        unchecked {
            // Products stay below 2**64 * 10000 * 10000 < 2**91; F, I and N are non-decreasing in the captured
            // amount, so every subtraction of a before-value from its after-value is non-negative.
            // The parts divide the fee actually charged (already rounded down): see the contract's rounding rule.
            // slither-disable-next-line divide-before-multiply
            uint256 feeBefore = (captured * mdrBps) / BPS;
            // slither-disable-next-line divide-before-multiply
            uint256 feeAfter = ((captured + amount) * mdrBps) / BPS;
            uint256 interchangeAfter = (feeAfter * interchangeBps) / BPS;
            uint256 networkAfter = (feeAfter * networkBps) / BPS;
            c.fee = feeAfter - feeBefore;
            c.interchange = interchangeAfter - (feeBefore * interchangeBps) / BPS;
            c.network = networkAfter - (feeBefore * networkBps) / BPS;
            if (!closes) {
                // A = share + 0 or 1: hold the residue unit while the payment stays open.
                uint256 share = (feeAfter * (BPS - interchangeBps - networkBps) + BPS - 1) / BPS;
                c.held = feeAfter - interchangeAfter - networkAfter != share;
            }
            // acquirer = fee - interchange - network + (held before) - (held after), never negative.
            uint256 plus = c.fee + (held ? 1 : 0);
            uint256 minus = c.interchange + c.network + (c.held ? 1 : 0);
            if (plus < minus) {
                // Only after a fee split change between this payment's captures (see above), by one unit.
                if (c.held) c.held = false;
                else if (c.interchange != 0) --c.interchange;
                else --c.network;
                --minus;
            }
            c.acquirer = plus - minus;
        }
    }
}
