"""Settlement isolation for cross-currency payments (issue 11 §2): an LP or a token that cannot transact blocks only its
own payments, never settlement (batches stay single-token, the merchant's); the LP's balance is a pull ledger it
deposits into and withdraws; only the admin allows LPs."""

from brownie import chain

from crosspay.core import crosscurrency, fx
from helpers import AUTH_PERIOD, bytes32, reverts_with, split


def test_a_frozen_lp_blocks_only_its_own_payments(
    xsettlement, registry, enforcer, admin, hkd, cny, issuer, verify, keeper, merchant, operator, settler,
    payer, hkd_intent, pay_x, chain_id,
):  # fmt: skip
    frozen_lp_payment, _, _ = pay_x(100_00)
    # A second LP (the keeper's key), allowed and funded, quotes another payment.
    xsettlement.grantRole(xsettlement.LIQUIDITY_PROVIDER_ROLE(), keeper, {"from": admin})
    verify(keeper)
    hkd.mint(keeper, 1_000_00, bytes32("deposit-keeper"), {"from": issuer})
    hkd.approve(xsettlement, 1_000_00, {"from": keeper})
    xsettlement.depositLiquidity(hkd, 1_000_00, {"from": keeper})
    intent = hkd_intent(100_00)
    quote = crosscurrency.payment_quote(
        intent, payer, chain_id=chain_id, settlement=xsettlement, source_token=cny, rate="1.0845",
        liquidity_provider=keeper.address, expires_at=chain.time() + AUTH_PERIOD + 3600,
    )  # fmt: skip
    signature = fx.sign_quote(keeper.private_key, quote, chain_id, xsettlement, fx.SETTLEMENT_DOMAIN).packed
    other_lp_payment = bytes32(
        xsettlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer}).return_value
    )
    registry.freeze(xsettlement.legsOf(frozen_lp_payment)["provider"], bytes32("case-lp"), {"from": enforcer})

    with reverts_with("SettlementProviderCannotTransact"):
        xsettlement.capture(frozen_lp_payment, 50_00, {"from": operator})
    xsettlement.capture(other_lp_payment, 100_00, {"from": operator})
    tx = xsettlement.settle(hkd, [merchant], {"from": settler})
    assert tx.events["MerchantSettled"]["net"] == split(100_00).merchant


def test_a_paused_source_token_stops_only_what_must_move_it(
    xsettlement, cny, hkd, pauser, merchant, operator, settler, pay_x
):
    pid, _, _ = pay_x(100_00)
    cny.pause({"from": pauser})
    xsettlement.capture(pid, 40_00, {"from": operator})  # a capture moves no token: the LP's dCNY is a credit
    xsettlement.settle(hkd, [merchant], {"from": settler})  # the merchant's dHKD settles
    with reverts_with("EnforcedPause"):
        xsettlement.void(pid, {"from": operator})  # the payer's dCNY cannot move back until the token resumes
    cny.unpause({"from": pauser})
    xsettlement.void(pid, {"from": operator})


def test_the_lp_deposits_into_and_withdraws_its_balance(xsettlement, hkd, cny, liquidity_provider, operator, pay_x):
    pid, _, quote = pay_x(100_00, capture=True)
    wallet = cny.balanceOf(liquidity_provider)
    tx = xsettlement.withdrawHeld(cny, {"from": liquidity_provider})
    assert tx.events["HeldFundsWithdrawn"]["amount"] == quote.source_amount
    assert cny.balanceOf(liquidity_provider) == wallet + quote.source_amount
    tx = xsettlement.depositLiquidity(hkd, 5_00, {"from": liquidity_provider})
    assert tx.events["LiquidityDeposited"] == {"provider": liquidity_provider, "token": hkd, "amount": 5_00}


def test_only_an_allowed_lp_deposits_liquidity(xsettlement, hkd, payer, liquidity_provider, admin):
    with reverts_with("SettlementNotLiquidityProvider"):
        xsettlement.depositLiquidity(hkd, 1_00, {"from": payer})
    with reverts_with("SettlementZeroAmount"):
        xsettlement.depositLiquidity(hkd, 0, {"from": liquidity_provider})


def test_only_the_admin_allows_lps_and_a_revoked_lp_quotes_nothing_new_but_its_payments_go_on(
    xsettlement, admin, rando, liquidity_provider, operator, payer, hkd_intent, quote_for, pay_x
):
    role = xsettlement.LIQUIDITY_PROVIDER_ROLE()
    with reverts_with("AccessControlUnauthorizedAccount"):
        xsettlement.grantRole(role, rando, {"from": rando})
    pid, _, _ = pay_x(100_00)
    xsettlement.revokeRole(role, liquidity_provider, {"from": admin})
    intent = hkd_intent()
    quote, signature = quote_for(intent, payer)
    with reverts_with("SettlementNotLiquidityProvider"):
        xsettlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": payer})
    xsettlement.capture(pid, 100_00, {"from": operator})
