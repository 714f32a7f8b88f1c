"""Issue 9, index exhaustion: no one can use up a contract's token or LP indices and lock out new tokens.

* CrossBorderEscrow: only the admin gives indices (setToken, setLiquidityProvider); a quote, a sender or an LP can no
  longer index a token (today an LP-signed quote for any address took one of 255).
* HashedTimelock: tokens are still indexed on first use by anyone, but in 48 bits (2**48 - 1 tokens), room made by
  storing the timelock in 40 bits (until the year 36,812); a later timelock is refused by name.
* A full table is a named error, never a Panic (tests/unit/crossborder/test_escrow_initiate.py fills the escrow's
  255; here the HTLC's count is set one below its limit).
"""

import brownie
import pytest
from brownie import ReentrantToken, web3

from crosspay.core.htlc import lock_id, new_secret
from helpers import HOUR, bytes32, created_id, now, reverts_with, shown_fee

UINT40_MAX = 2**40 - 1
UINT48_MAX = 2**48 - 1
# HashedTimelock storage: ReentrancyGuard._status (0), then the token table: count (1). (HeldFunds' ledger is in its
# ERC-7201 namespace since issue 11, HeldFundsStorage, not in these sequential slots.)
HTLC_TOKEN_COUNT_SLOT = 1


def set_storage(address, slot: int, value: int) -> None:
    """Writes one storage word of `address` on the local node (Ganache or Anvil)."""
    method = "anvil_setStorageAt" if "anvil" in web3.client_version.lower() else "evm_setAccountStorageAt"
    response = web3.provider.make_request(
        method, [str(address), "0x" + slot.to_bytes(32, "big").hex(), "0x" + value.to_bytes(32, "big").hex()]
    )
    assert "error" not in response, response


def storage(address, slot: int) -> int:
    return int.from_bytes(web3.eth.get_storage_at(str(address), slot), "big")


# --- the escrow: indices come from the admin only ---------------------------------------------------------------


def test_a_quote_in_a_token_not_accepted_reverts_and_gives_it_no_index(market, make_quote, admin, sender, beneficiary):
    stranger_token = "0x" + "5a" * 20
    quote, signature = make_quote(escrow=market, target_token=stranger_token)  # signed by the allowed LP
    with reverts_with(f"EscrowTokenNotAccepted: {stranger_token}"):
        market.initiate(
            quote.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(quote), {"from": sender}
        )
    # No index was used: the next token the admin accepts gets the one after dCNY (1) and dHKD (2).
    tx = market.setToken(stranger_token, True, {"from": admin})
    assert tx.events["TokenIndexed"] == {"token": stranger_token, "index": 3}


def test_set_token_by_anyone_but_the_admin_or_for_the_zero_address_reverts(market, admin, liquidity_provider, rando):
    for caller in (liquidity_provider, rando):
        with reverts_with("AccessControlUnauthorizedAccount"):
            market.setToken(rando, True, {"from": caller})
    with reverts_with("EscrowZeroAddress"):
        market.setToken(brownie.ZERO_ADDRESS, True, {"from": admin})


def test_set_token_indexes_a_token_once_and_records_its_acceptance(market, admin, rando):
    first = market.setToken(rando, True, {"from": admin})
    assert first.events["TokenIndexed"]["index"] == 3
    assert first.events["TokenSet"] == {"token": rando, "accepted": True}
    assert market.isTokenAccepted(rando)
    again = market.setToken(rando, False, {"from": admin})
    assert "TokenIndexed" not in again.events
    assert again.events["TokenSet"] == {"token": rando, "accepted": False}
    assert not market.isTokenAccepted(rando)


def test_initiate_in_a_token_no_longer_accepted_reverts_and_its_locked_transfers_still_settle(
    market, initiate, make_quote, admin, hkd, sender, beneficiary, liquidity_provider
):
    tx, quote = initiate()
    market.setToken(hkd, False, {"from": admin})
    fresh, signature = make_quote(escrow=market)
    with reverts_with("EscrowTokenNotAccepted"):
        market.initiate(
            fresh.as_tuple(), signature, beneficiary, now() + HOUR, bytes32("t"), shown_fee(fresh), {"from": sender}
        )
    before = hkd.balanceOf(beneficiary)
    market.release(created_id(tx), {"from": liquidity_provider})
    assert hkd.balanceOf(beneficiary) == before + quote.target_amount


# --- the HTLC: 48-bit token indices, 40-bit timelocks -----------------------------------------------------------


@pytest.fixture
def fresh_token(admin, sender, htlc):
    """fresh_token(): a new token the sender holds and has approved to the HTLC (a lock pulls it)."""

    def make():
        token = ReentrantToken.deploy({"from": admin})
        token.mint(sender, 1_000_00, {"from": admin})
        token.approve(htlc, 1_000_00, {"from": sender})
        return token

    return make


def test_the_htlc_indexes_tokens_in_48_bits_and_a_lock_past_a_full_table_reverts(
    htlc, market, fresh_token, cny, sender, beneficiary
):
    cny.approve(htlc, 2_00, {"from": sender})
    htlc.lock(cny, 1_00, beneficiary, new_secret()[1], now() + HOUR, {"from": sender})
    assert storage(htlc, HTLC_TOKEN_COUNT_SLOT) == 1  # pins the layout the next line relies on
    # 2**48 - 2 tokens indexed: at one lock per token, more locks than any chain can carry.
    set_storage(htlc, HTLC_TOKEN_COUNT_SLOT, UINT48_MAX - 1)
    last = fresh_token()
    tx = htlc.lock(last, 1_00, beneficiary, new_secret()[1], now() + HOUR, {"from": sender})
    assert tx.events["TokenIndexed"] == {"token": last, "index": UINT48_MAX}
    assert htlc.lockOf(created_id(tx))["token"] == last
    with reverts_with("HtlcTooManyTokens"):
        htlc.lock(fresh_token(), 1_00, beneficiary, new_secret()[1], now() + HOUR, {"from": sender})
    # Tokens already indexed keep working.
    htlc.lock(cny, 1_00, beneficiary, new_secret()[1], now() + HOUR, {"from": sender})


def test_a_lock_with_a_timelock_a_record_cannot_hold_reverts(htlc, market, cny, sender, beneficiary):
    cny.approve(htlc, 1_00, {"from": sender})
    with reverts_with(f"HtlcTimelockTooLate: {UINT40_MAX + 1}, {UINT40_MAX}"):
        htlc.lock(cny, 1_00, beneficiary, new_secret()[1], UINT40_MAX + 1, {"from": sender})
    with reverts_with("HtlcTimelockTooLate"):
        htlc.lock(cny, 1_00, beneficiary, new_secret()[1], 2**64 - 1, {"from": sender})


def test_the_latest_storable_timelock_round_trips(htlc, market, cny, sender, beneficiary, keeper):
    preimage, hashlock = new_secret()
    cny.approve(htlc, 1_00, {"from": sender})
    tx = htlc.lock(cny, 1_00, beneficiary, hashlock, UINT40_MAX, {"from": sender})
    assert tx.return_value == "0x" + lock_id(sender, beneficiary, cny, 1_00, hashlock, UINT40_MAX).hex()
    assert htlc.lockOf(tx.return_value)["timelock"] == UINT40_MAX
    before = cny.balanceOf(beneficiary)
    htlc.claim(tx.return_value, preimage, {"from": keeper})
    assert cny.balanceOf(beneficiary) == before + 1_00
