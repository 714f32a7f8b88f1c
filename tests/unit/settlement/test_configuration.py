"""MerchantSettlement configuration: constructor, roles, tokens, fee split, periods, merchants."""

import brownie
from brownie import ZERO_ADDRESS, MerchantSettlement

from crosspay.core.settlement import DEFAULT_AUTHORIZATION_PERIOD, DEFAULT_REFUND_PERIOD, merchant_id
from helpers import INTERCHANGE_BPS, MDR_BPS, MERCHANT, NETWORK_BPS, reverts_with


def test_constructor_grants_admin_only_the_default_admin_role(
    registry, admin, network_fee, rando, settlement_libraries
):
    settlement = MerchantSettlement.deploy(registry, admin, network_fee, {"from": rando})
    assert settlement.hasRole(settlement.DEFAULT_ADMIN_ROLE(), admin)
    assert settlement.defaultAdminDelay() == 2 * 24 * 3600
    for role in (settlement.ACQUIRER_ROLE(), settlement.SETTLER_ROLE()):
        assert not settlement.hasRole(role, admin)
        assert not settlement.hasRole(role, rando)
    assert settlement.registry() == registry
    assert settlement.networkFeeAccount() == network_fee
    assert settlement.periods().dict() == {
        "authorizationPeriod": DEFAULT_AUTHORIZATION_PERIOD,
        "refundPeriod": DEFAULT_REFUND_PERIOD,
    }
    assert settlement.feeSplit().dict() == {"interchangeBps": 0, "networkBps": 0}


def test_constructor_reverts_on_zero_addresses(registry, admin, network_fee, settlement_libraries):
    with reverts_with("SettlementZeroAddress"):
        MerchantSettlement.deploy(ZERO_ADDRESS, admin, network_fee, {"from": admin})
    with reverts_with("SettlementZeroAddress"):
        MerchantSettlement.deploy(registry, admin, ZERO_ADDRESS, {"from": admin})


def test_roles_are_keccak_of_their_names(settlement):
    assert bytes(settlement.ACQUIRER_ROLE()) == bytes(brownie.web3.keccak(text="ACQUIRER_ROLE"))
    assert bytes(settlement.SETTLER_ROLE()) == bytes(brownie.web3.keccak(text="SETTLER_ROLE"))


# --- setToken -----------------------------------------------------------------------------------------------------


def test_set_token_accepts_and_unaccepts(settlement, admin, token, issuer_bank):
    assert settlement.tokenConfig(token).dict() == {"issuerFeeAccount": issuer_bank, "accepted": True}
    tx = settlement.setToken(token, issuer_bank, False, {"from": admin})
    assert tx.events["TokenSet"] == {"token": token, "issuerFeeAccount": issuer_bank, "accepted": False}
    assert settlement.tokenConfig(token).dict() == {"issuerFeeAccount": issuer_bank, "accepted": False}


def test_set_token_is_admin_only(settlement, token, issuer_bank, acquirer, rando):
    for caller in (acquirer, rando):
        with reverts_with("AccessControlUnauthorizedAccount"):
            settlement.setToken(token, issuer_bank, True, {"from": caller})


def test_set_token_reverts_on_zero_addresses(settlement, admin, token, issuer_bank):
    with reverts_with("SettlementZeroAddress"):
        settlement.setToken(ZERO_ADDRESS, issuer_bank, True, {"from": admin})
    with reverts_with("SettlementZeroAddress"):
        settlement.setToken(token, ZERO_ADDRESS, True, {"from": admin})


def test_unknown_token_config_is_empty(settlement, rando):
    assert settlement.tokenConfig(rando).dict() == {"issuerFeeAccount": ZERO_ADDRESS, "accepted": False}


# --- setFeeSplit --------------------------------------------------------------------------------------------------


def test_set_fee_split(settlement, admin):
    assert settlement.feeSplit().dict() == {"interchangeBps": INTERCHANGE_BPS, "networkBps": NETWORK_BPS}
    tx = settlement.setFeeSplit(7_000, 3_000, {"from": admin})
    assert tx.events["FeeSplitSet"] == {"interchangeBps": 7_000, "networkBps": 3_000}
    assert settlement.feeSplit().dict() == {"interchangeBps": 7_000, "networkBps": 3_000}


def test_fee_split_over_100_percent_reverts(settlement, admin):
    with reverts_with("SettlementFeeSplitTooHigh"):
        settlement.setFeeSplit(7_000, 3_001, {"from": admin})
    with reverts_with("SettlementFeeSplitTooHigh"):
        settlement.setFeeSplit(10_001, 0, {"from": admin})


def test_set_fee_split_is_admin_only(settlement, acquirer):
    with reverts_with("AccessControlUnauthorizedAccount"):
        settlement.setFeeSplit(1, 1, {"from": acquirer})


# --- setPeriods ---------------------------------------------------------------------------------------------------


def test_set_periods(settlement, admin):
    tx = settlement.setPeriods(3600, 86400, {"from": admin})
    assert tx.events["PeriodsSet"] == {"authorizationPeriod": 3600, "refundPeriod": 86400}
    assert settlement.periods().dict() == {"authorizationPeriod": 3600, "refundPeriod": 86400}


def test_periods_zero_or_above_max_revert(settlement, admin):
    top = settlement.MAX_PERIOD()
    settlement.setPeriods(top, top, {"from": admin})
    for bad in ((0, 1), (1, 0), (top + 1, 1), (1, top + 1)):
        with reverts_with("SettlementInvalidPeriod"):
            settlement.setPeriods(*bad, {"from": admin})


def test_set_periods_is_admin_only(settlement, rando):
    with reverts_with("AccessControlUnauthorizedAccount"):
        settlement.setPeriods(1, 1, {"from": rando})


# --- registerMerchant / setMerchantActive ---------------------------------------------------------------------------


def test_register_merchant(settlement, acquirer, payout, operator):
    tx = settlement.registerMerchant(MERCHANT, payout, operator, MDR_BPS, {"from": acquirer})
    assert tx.events["MerchantRegistered"] == {
        "merchantId": "0x" + MERCHANT.hex(),
        "acquirer": acquirer,
        "payout": payout,
        "operator": operator,
        "mdrBps": MDR_BPS,
    }
    assert settlement.merchantOf(MERCHANT).dict() == {
        "payout": payout,
        "operator": operator,
        "acquirer": acquirer,
        "mdrBps": MDR_BPS,
        "active": True,
    }


def test_register_merchant_requires_acquirer_role(settlement, admin, payout, operator, rando):
    for caller in (admin, rando):
        with reverts_with("AccessControlUnauthorizedAccount"):
            settlement.registerMerchant(MERCHANT, payout, operator, MDR_BPS, {"from": caller})


def test_register_merchant_reverts_on_bad_arguments(settlement, acquirer, payout, operator):
    with reverts_with("SettlementZeroMerchantId"):
        settlement.registerMerchant(bytes(32), payout, operator, MDR_BPS, {"from": acquirer})
    with reverts_with("SettlementZeroAddress"):
        settlement.registerMerchant(MERCHANT, ZERO_ADDRESS, operator, MDR_BPS, {"from": acquirer})
    with reverts_with("SettlementZeroAddress"):
        settlement.registerMerchant(MERCHANT, payout, ZERO_ADDRESS, MDR_BPS, {"from": acquirer})
    with reverts_with("SettlementMdrTooHigh"):
        settlement.registerMerchant(MERCHANT, payout, operator, 10_001, {"from": acquirer})


def test_mdr_of_exactly_100_percent_is_allowed(settlement, acquirer, payout, operator):
    settlement.registerMerchant(MERCHANT, payout, operator, 10_000, {"from": acquirer})
    assert settlement.merchantOf(MERCHANT)["mdrBps"] == 10_000


def test_merchant_id_registers_once(settlement, merchant, acquirer, acquirer_2, payout, operator):
    for caller in (acquirer, acquirer_2):
        with reverts_with("SettlementMerchantAlreadyRegistered"):
            settlement.registerMerchant(merchant, payout, operator, MDR_BPS, {"from": caller})


def test_unknown_merchant_view_is_empty(settlement):
    assert settlement.merchantOf(merchant_id("nobody")).dict() == {
        "payout": ZERO_ADDRESS,
        "operator": ZERO_ADDRESS,
        "acquirer": ZERO_ADDRESS,
        "mdrBps": 0,
        "active": False,
    }


def test_acquirer_deactivates_and_reactivates_its_merchant(settlement, merchant, acquirer):
    tx = settlement.setMerchantActive(merchant, False, {"from": acquirer})
    assert tx.events["MerchantActiveSet"] == {"merchantId": "0x" + merchant.hex(), "active": False}
    assert settlement.merchantOf(merchant)["active"] is False
    settlement.setMerchantActive(merchant, True, {"from": acquirer})
    assert settlement.merchantOf(merchant)["active"] is True


def test_only_its_acquirer_sets_merchant_active(settlement, merchant, admin, acquirer_2, operator, rando):
    for caller in (admin, acquirer_2, operator, rando):
        with reverts_with("SettlementNotMerchantAcquirer"):
            settlement.setMerchantActive(merchant, False, {"from": caller})


def test_set_active_of_unknown_merchant_reverts(settlement, acquirer):
    with reverts_with("SettlementUnknownMerchant"):
        settlement.setMerchantActive(merchant_id("nobody"), False, {"from": acquirer})
