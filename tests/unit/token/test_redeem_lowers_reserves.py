"""DepositToken, issue 9 (reserves): redeem lowers reserves() by the redeemed amount, so a redeemed supply cannot be
minted again against an attestation the fiat payout already spent. Below the redeemed amount, the reserves floor at
zero and the redemption still pays (IDepositToken.redeem says why)."""

from helpers import bytes32, reverts_with

WITHDRAWAL = bytes32("wd-reserves")


def test_redeem_lowers_the_reserves_by_the_redeemed_amount(funded, alice):
    reserves, supply = funded.reserves(), funded.totalSupply()
    funded.redeem(250_00, WITHDRAWAL, {"from": alice})
    assert funded.reserves() == reserves - 250_00
    assert funded.totalSupply() == supply - 250_00


def test_minting_a_redeemed_supply_again_against_the_same_attestation_reverts(funded, auditor, issuer, alice):
    # Fully reserved: the attestation covers exactly the supply.
    funded.attestReserves(funded.totalSupply(), bytes32("report-1"), {"from": auditor})
    funded.redeem(100_00, WITHDRAWAL, {"from": alice})
    supply = funded.totalSupply()
    assert funded.reserves() == supply
    with reverts_with(f"DepositTokenReservesExceeded: {supply}, {supply + 100_00}"):
        funded.mint(alice, 100_00, bytes32("re-mint"), {"from": issuer})
    # A new attestation of new fiat is what allows a new mint.
    funded.attestReserves(supply + 100_00, bytes32("report-2"), {"from": auditor})
    funded.mint(alice, 100_00, bytes32("new-deposit"), {"from": issuer})
    assert funded.totalSupply() <= funded.reserves()


def test_a_redemption_above_the_reserves_still_pays_and_floors_the_reserves_at_zero(funded, auditor, alice):
    # An attestation below the supply is recorded as it is; redeeming at par does not depend on it.
    funded.attestReserves(40_00, bytes32("short"), {"from": auditor})
    balance = funded.balanceOf(alice)
    tx = funded.redeem(100_00, WITHDRAWAL, {"from": alice})
    assert funded.balanceOf(alice) == balance - 100_00
    assert funded.reserves() == 0
    assert tx.events["Redeemed"]["amount"] == 100_00


def test_a_redemption_of_exactly_the_reserves_leaves_zero(funded, auditor, alice):
    funded.attestReserves(100_00, bytes32("exact"), {"from": auditor})
    funded.redeem(100_00, WITHDRAWAL, {"from": alice})
    assert funded.reserves() == 0


def test_a_redemption_that_reverts_leaves_the_reserves_unchanged(funded, alice):
    reserves = funded.reserves()
    with reverts_with("ERC20InsufficientBalance"):
        funded.redeem(funded.balanceOf(alice) + 1, WITHDRAWAL, {"from": alice})
    assert funded.reserves() == reserves


def test_attesting_reserves_beyond_what_the_token_records_reverts(token, auditor):
    with reverts_with("DepositTokenReservesTooLarge"):
        token.attestReserves(2**248, bytes32("too-big"), {"from": auditor})
    token.attestReserves(2**248 - 1, bytes32("largest"), {"from": auditor})
    assert token.reserves() == 2**248 - 1


def test_the_reserves_share_the_pause_flags_slot(token, auditor, pauser):
    # contracts/AttestedReserves.sol: the reserves live beside Pausable's flag, in the slot every balance change reads
    # first, so mint and redeem touch them warm. A layout change loses that gas: this finds the slot by its value.
    from brownie import web3

    token.attestReserves(0xABCDEF, bytes32("layout"), {"from": auditor})
    token.pause({"from": pauser})
    words = [int.from_bytes(web3.eth.get_storage_at(token.address, slot), "big") for slot in range(64)]
    assert (0xABCDEF << 8) | 1 in words
