"""DepositToken: metadata, roles, issuance against allowance and reserves, redemption, seizure, pause."""

import brownie
from brownie import ZERO_ADDRESS, DepositToken, chain

from crosspay.core.iso import currency, decode
from helpers import bytes32, reverts_with

DEPOSIT = bytes32("dep-0001")
WITHDRAWAL = bytes32("wd-0001")
LEGAL = bytes32("court-order-77")


def test_metadata(token, registry):
    assert token.name() == "Mainland Bank Digital CNY"
    assert token.symbol() == "dCNY"
    assert token.decimals() == 2
    assert decode(token.currency()) == "CNY"
    assert token.registry() == registry


def test_constructor_grants_admin_only_the_default_admin_role(registry, admin):
    token = DepositToken.deploy("T", "T", currency("EUR"), registry, admin, {"from": admin})
    assert token.defaultAdmin() == admin
    for role in (token.ISSUER_ROLE(), token.PAUSER_ROLE(), token.AUDITOR_ROLE(), token.ENFORCEMENT_ROLE()):
        assert not token.hasRole(role, admin)
    assert token.defaultAdminDelay() == token.INITIAL_ADMIN_DELAY()


def test_constructor_reverts_on_a_zero_registry_and_a_malformed_currency(registry, admin):
    with reverts_with("DepositTokenZeroAddress"):
        DepositToken.deploy("T", "T", currency("EUR"), ZERO_ADDRESS, admin, {"from": admin})
    with reverts_with("DepositTokenInvalidCurrency"):
        DepositToken.deploy("T", "T", b"eur", registry, admin, {"from": admin})


def test_role_ids_are_the_hashes_of_their_names(token):
    for name in ("ISSUER_ROLE", "PAUSER_ROLE", "AUDITOR_ROLE", "ENFORCEMENT_ROLE"):
        assert getattr(token, name)() == brownie.web3.keccak(text=name).to_0x_hex()


# --- issuance ---------------------------------------------------------------------------------------------------


def test_set_issuer_allowance(token, admin, issuer):
    tx = token.setIssuerAllowance(issuer, 123, {"from": admin})
    assert token.issuerAllowance(issuer) == 123
    assert tx.events["IssuerAllowanceSet"] == {"issuer": issuer, "allowance": 123}


def test_set_issuer_allowance_reverts_on_zero_address_and_strangers(token, admin, issuer, rando):
    with reverts_with("DepositTokenZeroAddress"):
        token.setIssuerAllowance(ZERO_ADDRESS, 1, {"from": admin})
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.setIssuerAllowance(rando, 1, {"from": issuer})


def test_mint_credits_the_customer_and_uses_up_the_allowance(token, verify, issuer, alice):
    verify(alice)
    supply, balance, allowance = token.totalSupply(), token.balanceOf(alice), token.issuerAllowance(issuer)
    tx = token.mint(alice, 250_00, DEPOSIT, {"from": issuer})
    assert token.balanceOf(alice) == balance + 250_00
    assert token.totalSupply() == supply + 250_00
    assert token.issuerAllowance(issuer) == allowance - 250_00
    assert tx.events["Minted"] == {"issuer": issuer, "to": alice, "amount": 250_00, "depositRef": "0x" + DEPOSIT.hex()}
    assert tx.events["Transfer"] == {"from": ZERO_ADDRESS, "to": alice, "value": 250_00}


def test_mint_beyond_the_allowance_reverts(token, verify, admin, issuer, alice):
    verify(alice)
    token.setIssuerAllowance(issuer, 100, {"from": admin})
    with reverts_with("DepositTokenIssuerAllowanceExceeded"):
        token.mint(alice, 101, DEPOSIT, {"from": issuer})
    assert token.balanceOf(alice) == 0
    assert token.issuerAllowance(issuer) == 100


def test_mint_beyond_attested_reserves_reverts(token, verify, admin, issuer, auditor, alice):
    verify(alice)
    token.attestReserves(token.totalSupply() + 1_000, bytes32("report"), {"from": auditor})
    token.mint(alice, 600, DEPOSIT, {"from": issuer})
    with reverts_with("DepositTokenReservesExceeded"):
        token.mint(alice, 401, DEPOSIT, {"from": issuer})
    token.mint(alice, 400, DEPOSIT, {"from": issuer})  # exactly up to the reserves
    assert token.totalSupply() == token.reserves()


def test_mint_reverts_on_zero_amount_and_zero_address(token, verify, issuer, alice):
    verify(alice)
    with reverts_with("DepositTokenZeroAmount"):
        token.mint(alice, 0, DEPOSIT, {"from": issuer})
    with reverts_with("DepositTokenZeroAddress"):
        token.mint(ZERO_ADDRESS, 1, DEPOSIT, {"from": issuer})


def test_mint_needs_the_issuer_role(token, verify, admin, alice):
    verify(alice)
    token.setIssuerAllowance(admin, 1_000, {"from": admin})  # an allowance alone does not make an issuer
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.mint(alice, 1, DEPOSIT, {"from": admin})


def test_attest_reserves(token, auditor):
    supply = token.totalSupply()
    tx = token.attestReserves(777, bytes32("q3-report"), {"from": auditor})
    assert token.reserves() == 777
    assert tx.events["ReservesAttested"] == {
        "auditor": auditor,
        "reserves": 777,
        "totalSupply": supply,
        "reportHash": "0x" + bytes32("q3-report").hex(),
    }


def test_attestation_below_supply_is_recorded_and_blocks_mints(funded, issuer, auditor, alice):
    supply = funded.totalSupply()
    funded.attestReserves(supply - 1, bytes32("shortfall"), {"from": auditor})
    assert funded.reserves() == supply - 1
    with reverts_with("DepositTokenReservesExceeded"):
        funded.mint(alice, 1, DEPOSIT, {"from": issuer})


def test_attest_reserves_needs_the_auditor_role(token, issuer):
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.attestReserves(1, bytes32("x"), {"from": issuer})


# --- redemption -------------------------------------------------------------------------------------------------


def test_redeem_burns_the_holders_tokens(funded, alice):
    supply = funded.totalSupply()
    tx = funded.redeem(300_00, WITHDRAWAL, {"from": alice})
    assert funded.balanceOf(alice) == 700_00
    assert funded.totalSupply() == supply - 300_00
    assert tx.events["Redeemed"] == {"holder": alice, "amount": 300_00, "withdrawalRef": "0x" + WITHDRAWAL.hex()}
    assert tx.events["Transfer"] == {"from": alice, "to": ZERO_ADDRESS, "value": 300_00}


def test_redeem_beyond_balance_reverts(funded, alice):
    with reverts_with("ERC20InsufficientBalance"):
        funded.redeem(1_000_01, WITHDRAWAL, {"from": alice})
    assert funded.balanceOf(alice) == 1_000_00


def test_redeem_reverts_on_zero(funded, alice):
    with reverts_with("DepositTokenZeroAmount"):
        funded.redeem(0, WITHDRAWAL, {"from": alice})


def test_redeem_by_a_frozen_holder_reverts(funded, registry, enforcer, alice):
    registry.freeze(alice, LEGAL, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.redeem(1, WITHDRAWAL, {"from": alice})


def test_redeem_after_kyc_expiry_reverts(funded, registry, kyc_officer, alice):
    registry.revoke(alice, {"from": kyc_officer})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.redeem(1, WITHDRAWAL, {"from": alice})


# --- seizure ----------------------------------------------------------------------------------------------------


def test_seize_moves_funds_out_of_a_frozen_account(funded, registry, enforcer, alice, bob):
    registry.freeze(alice, LEGAL, {"from": enforcer})
    tx = funded.seize(alice, bob, 400_00, LEGAL, {"from": enforcer})
    assert funded.balanceOf(alice) == 600_00
    assert funded.balanceOf(bob) == 900_00
    assert tx.events["Seized"] == {
        "from": alice,
        "to": bob,
        "amount": 400_00,
        "legalRef": "0x" + LEGAL.hex(),
        "officer": enforcer,
    }


def test_seize_from_an_account_not_frozen_reverts(funded, enforcer, alice, bob):
    with reverts_with("DepositTokenAccountNotFrozen"):
        funded.seize(alice, bob, 1, LEGAL, {"from": enforcer})
    assert funded.balanceOf(alice) == 1_000_00


def test_seize_to_an_account_that_cannot_transact_reverts(funded, registry, enforcer, alice, bob, carol):
    registry.freeze(alice, LEGAL, {"from": enforcer})
    with reverts_with("DepositTokenAccountNotVerified"):
        funded.seize(alice, carol, 1, LEGAL, {"from": enforcer})
    registry.freeze(bob, LEGAL, {"from": enforcer})
    with reverts_with("DepositTokenAccountFrozen"):
        funded.seize(alice, bob, 1, LEGAL, {"from": enforcer})


def test_seize_reverts_on_zero_amount_and_zero_receiver(funded, registry, enforcer, alice):
    registry.freeze(alice, LEGAL, {"from": enforcer})
    with reverts_with("DepositTokenZeroAmount"):
        funded.seize(alice, enforcer, 0, LEGAL, {"from": enforcer})
    with reverts_with("DepositTokenZeroAddress"):
        funded.seize(alice, ZERO_ADDRESS, 1, LEGAL, {"from": enforcer})


def test_seize_needs_the_tokens_enforcement_role(funded, registry, enforcer, admin, alice, bob):
    registry.freeze(alice, LEGAL, {"from": enforcer})
    with reverts_with("AccessControlUnauthorizedAccount"):
        funded.seize(alice, bob, 1, LEGAL, {"from": admin})


# --- pause ------------------------------------------------------------------------------------------------------


def test_pause_stops_every_balance_change(funded, pauser, issuer, alice, bob, registry, enforcer):
    funded.approve(issuer, 10, {"from": alice})
    registry.freeze(bob, LEGAL, {"from": enforcer})
    funded.pause({"from": pauser})
    assert funded.paused()
    calls = [
        lambda: funded.transfer(bob, 1, {"from": alice}),
        lambda: funded.transferFrom(alice, issuer, 1, {"from": issuer}),
        lambda: funded.mint(alice, 1, DEPOSIT, {"from": issuer}),
        lambda: funded.redeem(1, WITHDRAWAL, {"from": alice}),
        lambda: funded.seize(bob, alice, 1, LEGAL, {"from": enforcer}),
    ]
    for call in calls:
        with reverts_with("EnforcedPause"):
            call()
    assert funded.balanceOf(alice) == 1_000_00


def test_unpause_resumes(funded, pauser, alice, bob):
    funded.pause({"from": pauser})
    funded.unpause({"from": pauser})
    funded.transfer(bob, 1, {"from": alice})
    assert funded.balanceOf(bob) == 500_01


def test_pause_and_unpause_need_the_pauser_role(token, pauser, admin):
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.pause({"from": admin})
    token.pause({"from": pauser})
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.unpause({"from": admin})


# --- administration ---------------------------------------------------------------------------------------------


def test_admin_handover_is_two_step_with_a_delay(token, admin, rando):
    token.beginDefaultAdminTransfer(rando, {"from": admin})
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        token.acceptDefaultAdminTransfer({"from": rando})
    chain.sleep(token.INITIAL_ADMIN_DELAY() + 1)
    chain.mine()
    with reverts_with("AccessControlInvalidDefaultAdmin"):
        token.acceptDefaultAdminTransfer({"from": admin})
    token.acceptDefaultAdminTransfer({"from": rando})
    assert token.defaultAdmin() == rando


def test_roles_are_granted_only_by_the_admin(token, issuer, rando):
    role = token.ISSUER_ROLE()
    with reverts_with("AccessControlUnauthorizedAccount"):
        token.grantRole(role, rando, {"from": issuer})
