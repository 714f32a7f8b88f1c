"""Deploying the cross-border contracts (CrossBorderEscrow, HashedTimelock) on the connected brownie network, shared
by test fixtures, the gas benchmark and scripts.

Import after brownie has loaded the project (inside tests, or in scripts run with `brownie run`).
"""


def _project():
    import brownie  # imported late: the project's contract containers exist only once brownie loaded it

    return brownie


def deploy_escrow(registry, admin, fee_account, *, kyc_officer, compliance=(), liquidity_providers=(), tokens=(),
                  fee_bps=0, jurisdiction=None, verified_until=None, tx_params=None):
    """A CrossBorderEscrow, verified in the registry (DepositToken requires a transferFrom spender to transact),
    with COMPLIANCE_ROLE granted to `compliance`, the LPs allowed, the tokens accepted and the fee set."""
    from crosspay.codes import jurisdiction as code

    brownie = _project()
    params = {"from": admin, **(tx_params or {})}
    escrow = brownie.CrossBorderEscrow.deploy(registry, admin, fee_account, params)
    until = verified_until or brownie.chain.time() + 10 * 365 * 24 * 3600
    registry.setVerified(escrow, jurisdiction or code("HK"), until, {**params, "from": kyc_officer})
    for officer in compliance:
        escrow.grantRole(escrow.COMPLIANCE_ROLE(), officer, params)
    for lp in liquidity_providers:
        escrow.setLiquidityProvider(lp, True, params)
    for token in tokens:
        escrow.setToken(token, True, params)
    if fee_bps:
        escrow.setFee(fee_bps, params)
    return escrow


def deploy_htlc(registry, deployer, *, kyc_officer, jurisdiction=None, verified_until=None, tx_params=None):
    """A HashedTimelock, verified in the registry so deposit tokens let it pull and pay."""
    from crosspay.codes import jurisdiction as code

    brownie = _project()
    params = {"from": deployer, **(tx_params or {})}
    htlc = brownie.HashedTimelock.deploy(registry, params)
    until = verified_until or brownie.chain.time() + 10 * 365 * 24 * 3600
    registry.setVerified(htlc, jurisdiction or code("CN"), until, {**params, "from": kyc_officer})
    return htlc
