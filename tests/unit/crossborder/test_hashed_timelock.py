"""HashedTimelock: lock, claim, refund, their boundaries, every error, and reentrancy."""

import hashlib

import brownie
import pytest
from brownie import HashedTimelock, ReentrantToken, chain
from hexbytes import HexBytes

from crosspay.core.htlc import hashlock_of, lock_id, new_secret
from crosspay.core.status import LockStatus
from helpers import HOUR, assert_reverted_with, assert_succeeded, at_time, bytes32, created_id, now, reverts_with

ZERO = brownie.ZERO_ADDRESS
UINT96_MAX = 2**96 - 1


@pytest.fixture
def secret():
    return new_secret()


@pytest.fixture
def lock(htlc, cny, sender, beneficiary, market):
    """lock(hashlock, amount=100_00, timelock_in=HOUR, by=sender, to=beneficiary) -> tx (sender's dCNY)."""

    def run(hashlock, amount=100_00, timelock_in=HOUR, by=None, to=None, token=None):
        token = token or cny
        by = by or sender
        token.approve(htlc, amount, {"from": by})
        return htlc.lock(token, amount, to or beneficiary, hashlock, now() + timelock_in, {"from": by})

    return run


def timelock_of(htlc, lock_id_):
    return htlc.lockOf(lock_id_)["timelock"]


def test_hashlock_is_sha256_of_the_preimage():
    preimage = bytes(range(32))
    assert hashlock_of(preimage) == hashlib.sha256(preimage).digest()


def test_constructor_reverts_on_a_zero_registry(admin):
    with reverts_with("HtlcZeroAddress"):
        HashedTimelock.deploy(brownie.ZERO_ADDRESS, {"from": admin})


def test_constructor_keeps_the_registry(htlc, registry):
    assert htlc.registry() == registry


def test_the_first_lock_in_a_token_indexes_it_once(htlc, lock, cny):
    first = lock(new_secret()[1])
    assert first.events["TokenIndexed"] == {"token": cny, "index": 1}
    second = lock(new_secret()[1])
    assert "TokenIndexed" not in second.events


def test_lock_pulls_the_tokens_and_records_the_terms(htlc, lock, secret, cny, sender, beneficiary):
    before = (cny.balanceOf(sender), cny.balanceOf(htlc))
    tx = lock(secret[1], 100_00)
    timelock = tx.events["Locked"]["timelock"]
    expected_id = lock_id(sender, beneficiary, cny, 100_00, secret[1], timelock)
    assert tx.return_value == "0x" + expected_id.hex()
    assert htlc.lockIdOf(sender, beneficiary, cny, 100_00, secret[1], timelock) == tx.return_value
    assert (cny.balanceOf(sender), cny.balanceOf(htlc)) == (before[0] - 100_00, before[1] + 100_00)
    assert htlc.lockOf(tx.return_value).dict() == {
        "status": LockStatus.LOCKED,
        "sender": sender.address,
        "recipient": beneficiary.address,
        "token": cny.address,
        "amount": 100_00,
        "timelock": timelock,
    }
    assert tx.events["Locked"]["hashlock"] == "0x" + secret[1].hex()


def test_lock_reverts_on_a_zero_token(htlc, sender, beneficiary, secret):
    with reverts_with("HtlcZeroAddress"):
        htlc.lock(brownie.ZERO_ADDRESS, 1, beneficiary, secret[1], now() + HOUR, {"from": sender})


def test_lock_reverts_on_a_zero_amount(htlc, cny, sender, beneficiary, secret, market):
    with reverts_with("HtlcZeroAmount"):
        htlc.lock(cny, 0, beneficiary, secret[1], now() + HOUR, {"from": sender})


def test_lock_reverts_on_an_amount_a_record_cannot_hold(htlc, cny, sender, beneficiary, secret, market):
    with reverts_with("HtlcAmountTooLarge"):
        htlc.lock(cny, UINT96_MAX + 1, beneficiary, secret[1], now() + HOUR, {"from": sender})


def test_lock_reverts_on_a_zero_hashlock(htlc, cny, sender, beneficiary, market):
    with reverts_with("HtlcZeroHashlock"):
        htlc.lock(cny, 1, beneficiary, bytes32(""), now() + HOUR, {"from": sender})


def test_lock_reverts_on_a_timelock_not_in_the_future(htlc, cny, sender, beneficiary, secret, market):
    current = now() + 5
    tx = at_time(current, htlc.lock, cny, 1, beneficiary, secret[1], current, params={"from": sender})
    assert_reverted_with(tx, "HtlcTimelockNotInFuture")


def test_lock_reverts_on_an_unverified_sender_or_recipient(htlc, cny, sender, beneficiary, rando, secret, market):
    with reverts_with("HtlcCannotTransact"):
        htlc.lock(cny, 1, beneficiary, secret[1], now() + HOUR, {"from": rando})
    with reverts_with("HtlcCannotTransact"):
        htlc.lock(cny, 1, rando, secret[1], now() + HOUR, {"from": sender})


def test_lock_reverts_on_a_frozen_recipient(htlc, cny, sender, beneficiary, secret, registry, enforcer, market):
    registry.freeze(beneficiary, bytes32("case-4"), {"from": enforcer})
    with reverts_with("HtlcCannotTransact"):
        htlc.lock(cny, 1, beneficiary, secret[1], now() + HOUR, {"from": sender})


def test_lock_reverts_on_identical_terms_twice(htlc, lock, cny, sender, beneficiary, secret):
    tx = lock(secret[1])
    timelock = timelock_of(htlc, created_id(tx))
    cny.approve(htlc, 100_00, {"from": sender})
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.lock(cny, 100_00, beneficiary, secret[1], timelock, {"from": sender})


def test_claim_by_anyone_pays_the_recipient_and_reveals_the_preimage(htlc, lock, secret, cny, beneficiary, keeper):
    tx = lock(secret[1], 100_00)
    before = cny.balanceOf(beneficiary)
    claim = htlc.claim(created_id(tx), secret[0], {"from": keeper})
    assert cny.balanceOf(beneficiary) == before + 100_00
    assert claim.events["Claimed"]["preimage"] == "0x" + secret[0].hex()
    assert claim.events["Claimed"]["hashlock"] == "0x" + secret[1].hex()
    assert htlc.lockOf(created_id(tx)).dict() == {
        "status": LockStatus.CLAIMED,
        "sender": ZERO,
        "recipient": ZERO,
        "token": ZERO,
        "amount": 0,
        "timelock": 0,
    }


def test_claim_with_a_wrong_preimage_reverts(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    with reverts_with("HtlcWrongPreimage"):
        htlc.claim(created_id(tx), bytes32("guess"), {"from": keeper})
    # The hashlock itself is not the preimage either.
    with reverts_with("HtlcWrongPreimage"):
        htlc.claim(created_id(tx), secret[1], {"from": keeper})


def test_claim_at_exactly_the_timelock_reverts(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    claim = at_time(timelock_of(htlc, created_id(tx)), htlc.claim, created_id(tx), secret[0], params={"from": keeper})
    assert_reverted_with(claim, "HtlcTimelockExpired")


def test_claim_one_second_before_the_timelock_succeeds(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    timelock = timelock_of(htlc, created_id(tx))
    claim = at_time(timelock - 1, htlc.claim, created_id(tx), secret[0], params={"from": keeper})
    assert_succeeded(claim)
    assert htlc.lockOf(created_id(tx))["status"] == LockStatus.CLAIMED


def test_double_claim_and_refund_after_claim_revert(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    htlc.claim(created_id(tx), secret[0], {"from": keeper})
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.claim(created_id(tx), secret[0], {"from": keeper})
    chain.sleep(HOUR + 1)
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.refund(created_id(tx), {"from": keeper})


def test_claim_of_an_unknown_lock_reverts(htlc, secret, keeper):
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.claim(bytes32("nothing"), secret[0], {"from": keeper})


def test_refund_one_second_before_the_timelock_reverts(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    refund = at_time(timelock_of(htlc, created_id(tx)) - 1, htlc.refund, created_id(tx), params={"from": keeper})
    assert_reverted_with(refund, "HtlcTimelockNotReached")


def test_refund_at_exactly_the_timelock_by_anyone_pays_the_sender(htlc, lock, secret, keeper, cny, sender):
    before = cny.balanceOf(sender)
    tx = lock(secret[1])
    refund = at_time(timelock_of(htlc, created_id(tx)), htlc.refund, created_id(tx), params={"from": keeper})
    assert_succeeded(refund)
    assert cny.balanceOf(sender) == before
    assert refund.events["Refunded"] == {"lockId": created_id(tx), "sender": sender, "amount": 100_00}
    assert htlc.lockOf(created_id(tx))["status"] == LockStatus.REFUNDED


def test_claim_after_refund_and_double_refund_revert(htlc, lock, secret, keeper):
    tx = lock(secret[1])
    chain.sleep(HOUR + 1)
    htlc.refund(created_id(tx), {"from": keeper})
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.refund(created_id(tx), {"from": keeper})
    with reverts_with("HtlcUnexpectedStatus"):
        htlc.claim(created_id(tx), secret[0], {"from": keeper})


# HashedTimelock._finalize ends a lock with two raw stores (slot 0 := status << 200, slot 1 := 0), cheaper than the
# Solidity struct write. These tests pin the storage layout it assumes, so reordering the Lock struct or adding
# storage fails here instead of corrupting records: the base slot of `_locks` (after ReentrancyGuard's _status and the
# token table's count, byAccount and byIndex; HeldFunds' ledger is in its ERC-7201 namespace since issue 11), slot 0 =
# sender | timelock << 160 | status << 200 | tokenIndex << 208, slot 1 = recipient | amount << 160, and nothing in a
# third slot.
LOCKS_SLOT = 4


def lock_record_words(htlc, lock_id_):
    base = int.from_bytes(brownie.web3.keccak(bytes(HexBytes(lock_id_)) + LOCKS_SLOT.to_bytes(32, "big")), "big")
    return [int.from_bytes(brownie.web3.eth.get_storage_at(htlc.address, base + i), "big") for i in range(3)]


@pytest.mark.parametrize("ending", ["claim", "refund"])
def test_finalize_writes_the_status_where_the_lock_layout_keeps_it(
    htlc, lock, secret, cny, sender, beneficiary, keeper, ending
):
    tx = lock(secret[1], 100_00)
    lock_id_ = created_id(tx)
    timelock = timelock_of(htlc, lock_id_)
    token_index = 1  # the first lock in dCNY indexes it (test_the_first_lock_in_a_token_indexes_it_once)
    assert lock_record_words(htlc, lock_id_) == [
        int(sender.address, 16) | timelock << 160 | LockStatus.LOCKED << 200 | token_index << 208,
        int(beneficiary.address, 16) | 100_00 << 160,
        0,
    ]
    if ending == "claim":
        htlc.claim(lock_id_, secret[0], {"from": keeper})
        status = LockStatus.CLAIMED
    else:
        assert_succeeded(at_time(timelock, htlc.refund, lock_id_, params={"from": keeper}))
        status = LockStatus.REFUNDED
    assert lock_record_words(htlc, lock_id_) == [status << 200, 0, 0]
    # The Solidity view reads the status from the same bits, and the record is otherwise empty.
    assert htlc.lockOf(lock_id_).dict() == {
        "status": status,
        "sender": ZERO,
        "recipient": ZERO,
        "token": ZERO,
        "amount": 0,
        "timelock": 0,
    }


def test_a_token_reentering_the_htlc_mid_transfer_reverts(htlc, lock, secret, admin, sender, beneficiary, keeper):
    evil = ReentrantToken.deploy({"from": admin})
    evil.mint(sender, 1_000_00, {"from": admin})
    tx = lock(secret[1], 100_00, token=evil)
    # While the HTLC pays out the claim, the token calls back to refund the same lock.
    evil.arm(htlc, htlc.refund.encode_input(created_id(tx)), {"from": admin})
    with reverts_with("ReentrancyGuardReentrantCall"):
        htlc.claim(created_id(tx), secret[0], {"from": keeper})
    # And while it pulls a new lock, a callback claiming the first is refused.
    evil.arm(htlc, htlc.claim.encode_input(created_id(tx), secret[0]), {"from": admin})
    evil.approve(htlc, 1, {"from": sender})
    with reverts_with("ReentrancyGuardReentrantCall"):
        htlc.lock(evil, 1, beneficiary, secret[1], now() + HOUR, {"from": sender})
    assert htlc.lockOf(created_id(tx))["status"] == LockStatus.LOCKED
    assert evil.balanceOf(htlc) == 100_00
