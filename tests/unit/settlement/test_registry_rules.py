"""Issue 9 §5 for MerchantSettlement's registry: a revoked acquirer can no longer toggle its merchants, the settlement
refuses its own address as a merchant payout, and no one can exhaust its token (or merchant) indices."""

import brownie
from brownie import ZERO_ADDRESS, web3

from crosspay.core.settlement import merchant_id
from helpers import MDR_BPS, reverts_with

# SettlementStorage's ERC-7201 slot; its counters share the word at +1: batchCount (40 bits), merchantCount (32),
# tokenCount (16), low bits first.
LAYOUT = 0x1E42E3F1F9691B2310BE4EE42D9413550DA2CDA8323BEA041969B49BEFDEC800
COUNTERS = LAYOUT + 1


def test_the_storage_namespace_is_erc7201_of_its_name():
    from eth_utils import keccak

    inner = int.from_bytes(keccak(b"crosspay.storage.MerchantSettlement"), "big") - 1
    assert int.from_bytes(keccak(inner.to_bytes(32, "big")), "big") & ~0xFF == LAYOUT


def set_counters(settlement, merchants=None, tokens=None):
    """Rewrites the settlement's merchant and/or token count in place (the node's storage-setting RPC)."""
    word = int.from_bytes(web3.eth.get_storage_at(settlement.address, COUNTERS), "big")
    if merchants is not None:
        word = (word & ~(0xFFFFFFFF << 40)) | (merchants << 40)
    if tokens is not None:
        word = (word & ~(0xFFFF << 72)) | (tokens << 72)
    value = "0x" + word.to_bytes(32, "big").hex()
    if "anvil" in web3.client_version.lower():
        web3.provider.make_request("anvil_setStorageAt", [settlement.address, hex(COUNTERS), value])
    else:
        web3.provider.make_request("evm_setAccountStorageAt", [settlement.address, hex(COUNTERS), value])
    brownie.chain.mine()


def test_an_acquirer_whose_role_was_revoked_can_no_longer_set_merchant_active(settlement, admin, acquirer, merchant):
    settlement.revokeRole(settlement.ACQUIRER_ROLE(), acquirer, {"from": admin})
    with reverts_with(f"SettlementNotMerchantAcquirer: .*, {acquirer.address.lower()}"):
        settlement.setMerchantActive(merchant, False, {"from": acquirer})
    assert settlement.merchantOf(merchant)["active"] is True
    settlement.grantRole(settlement.ACQUIRER_ROLE(), acquirer, {"from": admin})
    settlement.setMerchantActive(merchant, False, {"from": acquirer})
    assert settlement.merchantOf(merchant)["active"] is False


def test_the_settlement_refuses_its_own_address_as_merchant_payout(settlement, acquirer, operator):
    with reverts_with("SettlementPayoutIsSettlement"):
        settlement.registerMerchant(merchant_id("MCH-SELF"), settlement, operator, MDR_BPS, {"from": acquirer})
    assert settlement.merchantOf(merchant_id("MCH-SELF"))["payout"] == ZERO_ADDRESS


def test_only_the_admin_gives_token_indices(settlement, admin, acquirer, payer, rando, make_intent, merchant):
    # A payment in a token the admin never set is refused before anything is recorded: no payer can take an index.
    with reverts_with("SettlementTokenNotAccepted"):
        settlement.authorize(make_intent(token_=rando).as_tuple(), {"from": payer})
    for caller in (acquirer, payer, rando):
        with reverts_with("AccessControlUnauthorizedAccount"):
            settlement.setToken(rando, rando, True, {"from": caller})
    assert settlement.tokenConfig(rando) == (ZERO_ADDRESS, False)


def test_a_full_token_index_table_is_a_named_error_and_known_tokens_keep_working(
    settlement, admin, token, issuer_bank, rando
):
    set_counters(settlement, tokens=2**16 - 1)
    with reverts_with(f"SettlementTooManyTokens: {rando.address.lower()}"):
        settlement.setToken(rando, issuer_bank, True, {"from": admin})
    settlement.setToken(token, issuer_bank, False, {"from": admin})  # a token already indexed keeps its index
    assert settlement.tokenConfig(token) == (issuer_bank, False)


def test_a_full_merchant_index_table_is_a_named_error(settlement, acquirer, operator, payout):
    set_counters(settlement, merchants=2**32 - 1)
    with reverts_with("SettlementTooManyMerchants"):
        settlement.registerMerchant(merchant_id("MCH-FULL"), payout, operator, MDR_BPS, {"from": acquirer})
