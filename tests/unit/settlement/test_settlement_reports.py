"""Issue 9 §5, settlement reports: a batch is the settler's report of who was paid. `settle` refuses a merchant listed
twice in one batch (SettlementDuplicateMerchant), and reports a merchant whose payout cannot transact as skipped
(MerchantSettlementSkipped) even when it has nothing pending."""

import pytest

from crosspay.core.settlement import merchant_id
from helpers import MDR_BPS, UNABLE, reverts_with, split


def test_a_merchant_listed_twice_in_one_batch_is_refused(
    settlement, token, merchant, merchant_2, settler, payout, charge
):
    charge(100_00)
    charge(80_00, merchant_id=merchant_2)
    before = (token.balanceOf(settlement), token.balanceOf(payout), settlement.pendingSettlement(merchant, token))
    # Before issue 9 the repeat was reported settled a second time, at zero.
    with reverts_with("SettlementDuplicateMerchant"):
        settlement.settle(token, [merchant, merchant_2, merchant], {"from": settler})
    assert (
        token.balanceOf(settlement),
        token.balanceOf(payout),
        settlement.pendingSettlement(merchant, token),
    ) == before


def test_a_skipped_merchant_listed_twice_is_refused_too(
    settlement, token, registry, enforcer, merchant, settler, payout, charge
):
    charge(100_00)
    registry.freeze(payout, b"\x07" * 32, {"from": enforcer})
    with reverts_with("SettlementDuplicateMerchant"):
        settlement.settle(token, [merchant, merchant], {"from": settler})


def test_a_merchant_settled_in_one_batch_can_be_listed_in_the_next(settlement, token, merchant, settler, charge):
    charge(100_00)
    first = settlement.settle(token, [merchant], {"from": settler})
    charge(10_00)
    second = settlement.settle(token, [merchant], {"from": settler})
    assert first.events["MerchantSettled"]["net"] == split(100_00).merchant
    assert second.events["MerchantSettled"]["net"] == split(10_00).merchant


@pytest.mark.parametrize("how", UNABLE)
def test_a_merchant_whose_payout_cannot_transact_is_reported_skipped_even_when_nothing_is_pending(
    settlement, token, merchant, merchant_2, settler, payout, make_unable, charge, how
):
    charge(80_00, merchant_id=merchant_2)
    make_unable(payout, how)
    tx = settlement.settle(token, [merchant, merchant_2], {"from": settler})
    skipped = tx.events["MerchantSettlementSkipped"]
    assert len(skipped) == 1
    assert (skipped["merchantId"], skipped["payout"], skipped["pending"]) == ("0x" + merchant.hex(), payout, 0)
    assert [e["merchantId"] for e in tx.events["MerchantSettled"]] == ["0x" + merchant_2.hex()]
    batch = tx.events["BatchSettled"]
    assert (batch["settled"], batch["skipped"], batch["total"]) == (1, 1, split(80_00).merchant)


def test_a_never_paid_merchant_whose_payout_cannot_transact_is_skipped_and_can_settle_later(
    settlement, token, registry, enforcer, acquirer, operator, settler, verify, new_account
):
    payout = new_account()
    verify(payout)
    fresh = merchant_id("MCH-FRESH")
    settlement.registerMerchant(fresh, payout, operator, MDR_BPS, {"from": acquirer})
    registry.freeze(payout, b"\x08" * 32, {"from": enforcer})
    assert settlement.settle(token, [fresh], {"from": settler}).events["MerchantSettlementSkipped"]["pending"] == 0
    registry.unfreeze(payout, {"from": enforcer})
    assert settlement.settle(token, [fresh], {"from": settler}).events["MerchantSettled"]["net"] == 0
