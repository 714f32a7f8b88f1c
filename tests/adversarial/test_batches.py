"""Settlement batches under attack: a frozen payout among others, and batches sized to exhaust the block gas limit.

A batch pays each listed merchant its whole pending amount, skips (and leaves pending) one whose payout account
cannot transact, and refuses up front a batch above MAX_SETTLEMENT_BATCH. The cap is only a defence if a full batch
of worst-case merchants fits in a block: measured here, not assumed (MAX_SETTLEMENT_BATCH's NatSpec states the shares
of a block that `make gas` measured, for payouts already holding a balance and for payouts never paid before).
"""

import pytest
from brownie import history, web3

from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import merchant_id
from helpers import MDR_BPS, bytes32, reverts_with, split


def test_a_frozen_payout_in_the_middle_of_a_batch_is_skipped_others_paid_and_it_stays_pending(
    settlement,
    registry,
    enforcer,
    verify,
    token,
    merchant,
    merchant_2,
    acquirer,
    operator,
    settler,
    payout,
    payout_2,
    charge,
    new_account,
):
    third_payout = new_account()
    verify(third_payout)
    third = merchant_id("MCH-0003")
    settlement.registerMerchant(third, third_payout, operator, MDR_BPS, {"from": acquirer})
    amounts = {merchant: 100_00, merchant_2: 80_00, third: 30_00}
    for mid, amount in amounts.items():
        charge(amount, merchant_id=mid)
    net = {mid: split(amount).merchant for mid, amount in amounts.items()}
    registry.freeze(payout_2, bytes32("case-7"), {"from": enforcer})
    held = token.balanceOf(settlement)

    # The frozen merchant is skipped, never counted as paid (listed twice, the batch is refused: issue 9).
    with reverts_with("SettlementDuplicateMerchant"):
        settlement.settle(token, [merchant, merchant_2, third, merchant_2], {"from": settler})
    tx = settlement.settle(token, [merchant, merchant_2, third], {"from": settler})
    batch = tx.events["BatchSettled"]
    assert (batch["settled"], batch["skipped"], batch["total"]) == (2, 1, net[merchant] + net[third])
    assert [s["pending"] for s in tx.events["MerchantSettlementSkipped"]] == [net[merchant_2]]
    assert (token.balanceOf(payout), token.balanceOf(payout_2), token.balanceOf(third_payout)) == (
        net[merchant],
        0,
        net[third],
    )
    assert settlement.pendingSettlement(merchant_2, token) == net[merchant_2]
    assert token.balanceOf(settlement) == held - net[merchant] - net[third]

    registry.unfreeze(payout_2, {"from": enforcer})
    tx = settlement.settle(token, [merchant, merchant_2, third], {"from": settler})
    assert tx.events["BatchSettled"]["total"] == net[merchant_2]
    assert token.balanceOf(payout_2) == net[merchant_2]
    assert token.balanceOf(settlement) == held - sum(net.values())


@pytest.fixture
def worst_case_merchants(settlement, registry, kyc_officer, acquirer, operator, charge, new_account):
    """make(n) -> n merchants, each with its own fresh payout account (verified, never paid: the settlement's
    transfer writes a zero balance slot) and a pending amount: the most expensive merchants a batch can list."""

    def make(n):
        payouts = [new_account() for _ in range(n)]
        registry.setVerifiedBatch(
            payouts, jurisdiction("CN"), web3.eth.get_block("latest").timestamp + 10**7, {"from": kyc_officer}
        )
        ids = []
        for i, payout in enumerate(payouts):
            mid = merchant_id(f"MCH-GAS-{i:04d}")
            settlement.registerMerchant(mid, payout, operator, MDR_BPS, {"from": acquirer})
            charge(1_00 + i, merchant_id=mid)
            ids.append(mid)
        return ids

    return make


def test_a_full_batch_of_worst_case_merchants_fits_in_a_block(settlement, token, settler, worst_case_merchants):
    small, large = 2, 12
    ids = worst_case_merchants(large)
    gas_small = settlement.settle.estimate_gas(token, ids[:small], {"from": settler})
    gas_large = settlement.settle.estimate_gas(token, ids, {"from": settler})
    per_merchant = (gas_large - gas_small) / (large - small)
    cap = settlement.MAX_SETTLEMENT_BATCH()
    # Every merchant of a full batch is as expensive as these (fresh payout, cold slots): the cost is linear.
    projected = gas_small + (cap - small) * per_merchant
    block_gas_limit = web3.eth.get_block("latest").gasLimit
    print(
        f"\nsettle: {per_merchant:,.0f} gas per worst-case merchant; a full batch of {cap} ~ {projected:,.0f} gas; "
        f"block gas limit {block_gas_limit:,}"
    )
    assert projected < block_gas_limit


def test_a_batch_above_the_cap_reverts_before_any_work(settlement, token, merchant, settler, charge):
    charge(100_00)
    cap = settlement.MAX_SETTLEMENT_BATCH()
    pending = settlement.pendingSettlement(merchant, token)
    # The size is checked before any merchant is read (the repeated id would be refused only later).
    with reverts_with("SettlementBatchTooLarge"):
        settlement.settle(
            token, [merchant] * (cap + 1), {"from": settler, "gas_limit": web3.eth.get_block("latest").gasLimit}
        )
    tx = history[-1]
    # Up front: the refusal costs about the calldata, nowhere near the cost of settling the batch.
    assert tx.gas_used < 500_000, tx.gas_used
    assert settlement.pendingSettlement(merchant, token) == pending


def test_a_verification_batch_too_large_for_a_block_reverts_up_front(registry, kyc_officer):
    block_gas_limit = web3.eth.get_block("latest").gasLimit
    # Each fresh account costs at least one new storage slot (22,100 gas): this many cannot fit in a block.
    size = block_gas_limit // 22_100 + 1
    batch = [f"0x{i + 1:040x}" for i in range(size)]
    expires = web3.eth.get_block("latest").timestamp + 10**7
    # An eth_call with the block's gas shows the outcome without mining (and tracing) a 30M-gas failure.
    with reverts_with("ComplianceRegistryBatchTooLarge"):
        registry.setVerifiedBatch.call(
            batch, jurisdiction("CN"), expires, {"from": kyc_officer, "gas_limit": block_gas_limit}
        )
    assert not registry.isVerified(batch[0])
