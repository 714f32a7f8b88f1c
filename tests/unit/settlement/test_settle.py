"""settle: each listed merchant's whole pending amount paid to its payout in one transaction, one event per merchant
(gross, fees, refunds, net since its last settlement); a payout that cannot transact is skipped and stays pending;
a paused token reverts the whole batch."""

from brownie import chain

from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import merchant_id
from helpers import MDR_BPS, bytes32, reverts_with, split


def test_settle_pays_pending_and_reports_gross_fees_refunds_net(
    settlement, token, merchant, settler, operator, payout, charge
):
    a, b = charge(100_00), charge(250_50)
    settlement.refund(a, 30_00, {"from": operator})
    gross = 100_00 + 250_50
    fees = split(100_00).fee + split(250_50).fee
    net = gross - fees - 30_00
    before = token.balanceOf(payout)
    tx = settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == before + net
    assert settlement.pendingSettlement(merchant, token) == 0
    event = tx.events["MerchantSettled"]
    assert bytes32(event["merchantId"]) == merchant
    assert (event["gross"], event["fees"], event["refunds"], event["net"]) == (gross, fees, 30_00, net)
    assert bytes32(event["batchId"]) == bytes32(tx.return_value)
    batch = tx.events["BatchSettled"]
    assert (batch["token"], batch["settler"], batch["settled"], batch["skipped"], batch["total"]) == (
        token,
        settler,
        1,
        0,
        net,
    )
    assert b


def test_totals_restart_after_each_settlement(settlement, token, merchant, settler, charge):
    charge(100_00)
    settlement.settle(token, [merchant], {"from": settler})
    charge(10_00)
    tx = settlement.settle(token, [merchant], {"from": settler})
    event = tx.events["MerchantSettled"]
    assert (event["gross"], event["fees"], event["refunds"]) == (10_00, split(10_00).fee, 0)


def test_batch_ids_differ(settlement, token, merchant, settler, charge):
    charge()
    first = settlement.settle(token, [merchant], {"from": settler}).return_value
    second = settlement.settle(token, [merchant], {"from": settler}).return_value
    assert first != second


def test_shortfall_refunds_are_not_counted_in_the_settlement(
    settlement, token, issuer, merchant, settler, operator, charge
):
    a = charge(100_00)
    settlement.settle(token, [merchant], {"from": settler})
    token.mint(operator, 10_00, b"\x05" * 32, {"from": issuer})
    token.approve(settlement, 10_00, {"from": operator})
    settlement.refund(a, 10_00, {"from": operator})
    charge(50_00)
    tx = settlement.settle(token, [merchant], {"from": settler})
    assert tx.events["MerchantSettled"]["refunds"] == 0
    assert tx.events["MerchantSettled"]["net"] == split(50_00).merchant


def test_frozen_payout_is_skipped_and_stays_pending(
    settlement, registry, enforcer, token, merchant, merchant_2, settler, payer, payout, payout_2, charge
):
    charge(100_00)
    charge(80_00, merchant_id=merchant_2)
    registry.freeze(payout, b"\x01" * 32, {"from": enforcer})
    tx = settlement.settle(token, [merchant, merchant_2], {"from": settler})
    skipped = tx.events["MerchantSettlementSkipped"]
    assert bytes32(skipped["merchantId"]) == merchant
    assert (skipped["payout"], skipped["pending"]) == (payout, split(100_00).merchant)
    assert settlement.pendingSettlement(merchant, token) == split(100_00).merchant
    assert token.balanceOf(payout_2) == split(80_00).merchant
    assert len(tx.events["MerchantSettled"]) == 1
    assert tx.events["BatchSettled"]["skipped"] == 1
    registry.unfreeze(payout, {"from": enforcer})
    tx = settlement.settle(token, [merchant], {"from": settler})
    assert tx.events["MerchantSettled"]["net"] == split(100_00).merchant
    assert token.balanceOf(payout) == split(100_00).merchant


def test_payout_with_expired_verification_is_skipped(
    settlement, registry, kyc_officer, token, merchant_2, settler, payout_2, charge
):
    charge(80_00, merchant_id=merchant_2)
    registry.setVerified(payout_2, jurisdiction("CN"), chain.time() + 60, {"from": kyc_officer})
    chain.sleep(120)
    tx = settlement.settle(token, [merchant_2], {"from": settler})
    assert "MerchantSettlementSkipped" in tx.events
    assert settlement.pendingSettlement(merchant_2, token) == split(80_00).merchant


def test_paused_token_reverts_the_whole_batch_and_a_retry_after_unpause_succeeds(
    settlement, token, pauser, merchant, merchant_2, settler, payout, payout_2, charge
):
    charge(100_00)
    charge(80_00, merchant_id=merchant_2)
    token.pause({"from": pauser})
    with reverts_with("EnforcedPause"):
        settlement.settle(token, [merchant, merchant_2], {"from": settler})
    assert settlement.pendingSettlement(merchant, token) == split(100_00).merchant
    assert settlement.pendingSettlement(merchant_2, token) == split(80_00).merchant
    token.unpause({"from": pauser})
    settlement.settle(token, [merchant, merchant_2], {"from": settler})
    assert token.balanceOf(payout) == split(100_00).merchant
    assert token.balanceOf(payout_2) == split(80_00).merchant


def test_merchant_with_nothing_pending_settles_at_zero_without_a_transfer(settlement, token, merchant, settler):
    tx = settlement.settle(token, [merchant], {"from": settler})
    assert tx.events["MerchantSettled"]["net"] == 0
    assert "Transfer" not in tx.events


def test_batch_above_the_cap_reverts_up_front(settlement, token, merchant, settler):
    cap = settlement.MAX_SETTLEMENT_BATCH()
    with reverts_with("SettlementBatchTooLarge"):
        settlement.settle(token, [merchant] * (cap + 1), {"from": settler})


def test_empty_batch_reverts(settlement, token, settler):
    with reverts_with("SettlementEmptyBatch"):
        settlement.settle(token, [], {"from": settler})


def test_unknown_merchant_reverts_the_batch(settlement, token, merchant, settler, charge):
    charge()
    with reverts_with("SettlementUnknownMerchant"):
        settlement.settle(token, [merchant, merchant_id("nobody")], {"from": settler})


def test_unknown_token_reverts(settlement, merchant, settler, rando):
    with reverts_with("SettlementUnknownToken"):
        settlement.settle(rando, [merchant], {"from": settler})


def test_unaccepted_token_still_settles(settlement, admin, token, issuer_bank, merchant, settler, payout, charge):
    charge(100_00)
    settlement.setToken(token, issuer_bank, False, {"from": admin})
    settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == split(100_00).merchant


def test_only_settlers_settle(settlement, token, merchant, admin, acquirer, operator, rando):
    for caller in (admin, acquirer, operator, rando):
        with reverts_with("AccessControlUnauthorizedAccount"):
            settlement.settle(token, [merchant], {"from": caller})


def test_capture_after_settlement_keeps_working(settlement, token, merchant, settler, operator, authorize):
    pid = authorize(100_00)
    settlement.capture(pid, 40_00, {"from": operator})
    settlement.settle(token, [merchant], {"from": settler})
    settlement.capture(pid, 60_00, {"from": operator})
    assert settlement.pendingSettlement(merchant, token) == split(60_00).merchant


def test_inactive_merchant_still_settles(settlement, token, merchant, acquirer, settler, payout, charge):
    charge(100_00)
    settlement.setMerchantActive(merchant, False, {"from": acquirer})
    settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == split(100_00).merchant


def test_batch_of_exactly_the_cap_is_accepted(settlement, token, merchant, acquirer, operator, settler, charge):
    # Distinct merchants (a merchant listed twice is refused), each paying to an account of its own.
    charge(100_00)
    cap = settlement.MAX_SETTLEMENT_BATCH()
    ids = [merchant]
    for i in range(1, cap):
        ids.append(merchant_id(f"MCH-CAP-{i:04d}"))
        settlement.registerMerchant(ids[-1], f"0x{i:040x}", operator, MDR_BPS, {"from": acquirer})
    tx = settlement.settle(token, ids, {"from": settler})
    assert tx.events["BatchSettled"]["settled"] + tx.events["BatchSettled"]["skipped"] == cap
