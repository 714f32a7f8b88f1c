import brownie
import pytest
from brownie import ZERO_ADDRESS, ComplianceRegistry, chain

from helpers import CN, HK, YEAR, bytes32, mine_at, reverts_with

REASON = bytes32("case-2026-0042")


@pytest.fixture
def expiry():
    return chain.time() + YEAR


def test_constructor_grants_admin_only_the_default_admin_role(admin, rando):
    registry = ComplianceRegistry.deploy(admin, {"from": admin})
    assert registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin)
    assert registry.defaultAdmin() == admin
    assert not registry.hasRole(registry.KYC_OFFICER_ROLE(), admin)
    assert not registry.hasRole(registry.ENFORCEMENT_ROLE(), admin)
    assert registry.defaultAdminDelay() == registry.INITIAL_ADMIN_DELAY()


def test_role_ids_are_the_hashes_of_their_names(registry):
    assert registry.KYC_OFFICER_ROLE() == brownie.web3.keccak(text="KYC_OFFICER_ROLE").to_0x_hex()
    assert registry.ENFORCEMENT_ROLE() == brownie.web3.keccak(text="ENFORCEMENT_ROLE").to_0x_hex()


def test_set_verified_records_jurisdiction_and_expiry(registry, kyc_officer, alice, expiry):
    tx = registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    assert registry.isVerified(alice)
    assert registry.canTransact(alice)
    assert registry.jurisdictionOf(alice) == "0x" + CN.hex()
    assert registry.verificationExpiry(alice) == expiry
    assert tx.events["Verified"] == {
        "account": alice,
        "jurisdiction": "0x" + CN.hex(),
        "expiresAt": expiry,
        "officer": kyc_officer,
    }


def test_set_verified_renews_and_moves_jurisdiction(registry, kyc_officer, alice, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    registry.setVerified(alice, HK, expiry + 100, {"from": kyc_officer})
    assert registry.jurisdictionOf(alice) == "0x" + HK.hex()
    assert registry.verificationExpiry(alice) == expiry + 100


def test_verification_lapses_at_its_expiry(registry, kyc_officer, alice):
    expires_at = chain.time() + 1000
    registry.setVerified(alice, CN, expires_at, {"from": kyc_officer})
    chain.sleep(expires_at - chain.time() - 10)
    chain.mine()
    assert registry.isVerified(alice)
    mine_at(expires_at)
    assert not registry.isVerified(alice)
    assert not registry.canTransact(alice)
    assert registry.jurisdictionOf(alice) == "0x" + CN.hex()  # the record stays; only its validity lapsed


def test_set_verified_reverts_on_an_expiry_not_in_the_future(registry, kyc_officer, alice):
    now = chain.time()
    with reverts_with("ComplianceRegistryExpiryNotInFuture"):
        registry.setVerified(alice, CN, now - 1, {"from": kyc_officer})
    assert not registry.isVerified(alice)


@pytest.mark.parametrize("code", [b"cn", b"C1", b"\x00\x00", b"C\x00"])
def test_set_verified_reverts_on_a_malformed_jurisdiction(registry, kyc_officer, alice, expiry, code):
    with reverts_with("ComplianceRegistryInvalidJurisdiction"):
        registry.setVerified(alice, code, expiry, {"from": kyc_officer})


def test_set_verified_reverts_on_the_zero_address(registry, kyc_officer, expiry):
    with reverts_with("ComplianceRegistryZeroAddress"):
        registry.setVerified(ZERO_ADDRESS, CN, expiry, {"from": kyc_officer})


def test_set_verified_batch_verifies_every_account(registry, kyc_officer, alice, bob, carol, expiry):
    tx = registry.setVerifiedBatch([alice, bob, carol], HK, expiry, {"from": kyc_officer})
    assert all(registry.isVerified(a) for a in (alice, bob, carol))
    assert [e["account"] for e in tx.events["Verified"]] == [alice, bob, carol]


def test_set_verified_batch_is_all_or_nothing(registry, kyc_officer, alice, bob, expiry):
    with reverts_with("ComplianceRegistryZeroAddress"):
        registry.setVerifiedBatch([alice, ZERO_ADDRESS, bob], HK, expiry, {"from": kyc_officer})
    assert not registry.isVerified(alice)
    assert not registry.isVerified(bob)


def test_set_verified_batch_reverts_on_an_empty_batch(registry, kyc_officer, expiry):
    with reverts_with("ComplianceRegistryEmptyBatch"):
        registry.setVerifiedBatch([], HK, expiry, {"from": kyc_officer})


def test_set_verified_batch_checks_expiry_and_jurisdiction(registry, kyc_officer, alice, expiry):
    with reverts_with("ComplianceRegistryExpiryNotInFuture"):
        registry.setVerifiedBatch([alice], HK, chain.time() - 1, {"from": kyc_officer})
    with reverts_with("ComplianceRegistryInvalidJurisdiction"):
        registry.setVerifiedBatch([alice], b"h1", expiry, {"from": kyc_officer})


def test_revoke_removes_the_verification(registry, kyc_officer, alice, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    tx = registry.revoke(alice, {"from": kyc_officer})
    assert not registry.isVerified(alice)
    assert not registry.canTransact(alice)
    assert registry.jurisdictionOf(alice) == "0x0000"
    assert tx.events["Revoked"] == {"account": alice, "officer": kyc_officer}


def test_revoke_reverts_on_an_account_never_verified(registry, kyc_officer, alice):
    with reverts_with("ComplianceRegistryNotVerified"):
        registry.revoke(alice, {"from": kyc_officer})


def test_freeze_blocks_transacting_and_keeps_verification(registry, kyc_officer, enforcer, alice, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    tx = registry.freeze(alice, REASON, {"from": enforcer})
    assert registry.isFrozen(alice)
    assert registry.isVerified(alice)
    assert not registry.canTransact(alice)
    assert tx.events["Frozen"] == {"account": alice, "reason": "0x" + REASON.hex(), "officer": enforcer}


def test_freeze_works_on_an_account_never_verified(registry, enforcer, alice):
    registry.freeze(alice, REASON, {"from": enforcer})
    assert registry.isFrozen(alice)


def test_freeze_reverts_on_the_zero_address_and_a_frozen_account(registry, enforcer, alice):
    with reverts_with("ComplianceRegistryZeroAddress"):
        registry.freeze(ZERO_ADDRESS, REASON, {"from": enforcer})
    registry.freeze(alice, REASON, {"from": enforcer})
    with reverts_with("ComplianceRegistryAlreadyFrozen"):
        registry.freeze(alice, REASON, {"from": enforcer})


def test_unfreeze_restores_transacting(registry, kyc_officer, enforcer, alice, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    registry.freeze(alice, REASON, {"from": enforcer})
    tx = registry.unfreeze(alice, {"from": enforcer})
    assert not registry.isFrozen(alice)
    assert registry.canTransact(alice)
    assert tx.events["Unfrozen"] == {"account": alice, "officer": enforcer}


def test_unfreeze_reverts_on_an_account_not_frozen(registry, enforcer, alice):
    with reverts_with("ComplianceRegistryNotFrozen"):
        registry.unfreeze(alice, {"from": enforcer})


def test_revoke_and_renewal_leave_a_freeze_in_place(registry, kyc_officer, enforcer, alice, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    registry.freeze(alice, REASON, {"from": enforcer})
    registry.revoke(alice, {"from": kyc_officer})
    registry.setVerified(alice, CN, expiry + 1, {"from": kyc_officer})
    assert registry.isFrozen(alice)
    assert not registry.canTransact(alice)


def test_can_transfer_checks_each_non_zero_end(registry, kyc_officer, enforcer, alice, bob, expiry):
    registry.setVerified(alice, CN, expiry, {"from": kyc_officer})
    assert registry.canTransfer(ZERO_ADDRESS, alice)  # a mint to alice
    assert registry.canTransfer(alice, ZERO_ADDRESS)  # a burn by alice
    assert not registry.canTransfer(alice, bob)  # bob is not verified
    assert not registry.canTransfer(bob, alice)
    registry.setVerified(bob, HK, expiry, {"from": kyc_officer})
    assert registry.canTransfer(alice, bob)
    registry.freeze(bob, REASON, {"from": enforcer})
    assert not registry.canTransfer(alice, bob)
    assert not registry.canTransfer(ZERO_ADDRESS, bob)


@pytest.mark.parametrize(
    "call",
    [
        lambda r, a: r.setVerified(a, CN, chain.time() + YEAR, {"from": a}),
        lambda r, a: r.setVerifiedBatch([a], CN, chain.time() + YEAR, {"from": a}),
        lambda r, a: r.revoke(a, {"from": a}),
    ],
    ids=["setVerified", "setVerifiedBatch", "revoke"],
)
def test_kyc_calls_need_the_kyc_officer_role(registry, enforcer, rando, call):
    for stranger in (rando, enforcer):
        with reverts_with("AccessControlUnauthorizedAccount"):
            call(registry, stranger)


@pytest.mark.parametrize(
    "call",
    [lambda r, a: r.freeze(a, REASON, {"from": a}), lambda r, a: r.unfreeze(a, {"from": a})],
    ids=["freeze", "unfreeze"],
)
def test_enforcement_calls_need_the_enforcement_role(registry, kyc_officer, rando, call):
    for stranger in (rando, kyc_officer):
        with reverts_with("AccessControlUnauthorizedAccount"):
            call(registry, stranger)


def test_admin_hands_over_in_two_steps_after_the_delay(registry, admin, rando):
    registry.beginDefaultAdminTransfer(rando, {"from": admin})
    with reverts_with("AccessControlEnforcedDefaultAdminDelay"):
        registry.acceptDefaultAdminTransfer({"from": rando})
    chain.sleep(registry.INITIAL_ADMIN_DELAY() + 1)
    chain.mine()
    registry.acceptDefaultAdminTransfer({"from": rando})
    assert registry.defaultAdmin() == rando
    assert not registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), admin)


def test_granting_the_default_admin_role_directly_reverts(registry, admin, rando):
    with reverts_with("AccessControlEnforcedDefaultAdminRules"):
        registry.grantRole(registry.DEFAULT_ADMIN_ROLE(), rando, {"from": admin})


def test_set_verified_batch_takes_up_to_the_cap_and_reverts_above_it(registry, kyc_officer, expiry):
    cap = registry.MAX_VERIFICATION_BATCH()
    with reverts_with(f"ComplianceRegistryBatchTooLarge: {cap + 1}, {cap}"):
        registry.setVerifiedBatch.call([f"0x{i + 1:040x}" for i in range(cap + 1)], CN, expiry, {"from": kyc_officer})
    tx = registry.setVerifiedBatch([f"0x{i + 1:040x}" for i in range(cap)], CN, expiry, {"from": kyc_officer})
    assert registry.isVerified(f"0x{cap:040x}")
    assert tx.gas_used < 30_000_000 // 2
