"""Deploying and configuring the foundation contracts, shared by test fixtures, the demo and the gas report.

Contract containers come from the loaded brownie project, so import this module after brownie has loaded the
project (inside tests, or in scripts run with `brownie run`).
"""

from dataclasses import dataclass

from crosspay.core.iso import currency


def _project():
    import brownie  # imported late: the project's contract containers exist only once brownie loaded it

    return brownie


@dataclass(frozen=True)
class TokenSpec:
    """One bank's deposit token."""

    name: str
    symbol: str
    currency: str


DCNY = TokenSpec("Mainland Bank Digital CNY", "dCNY", "CNY")
DHKD = TokenSpec("Harbour Bank Digital HKD", "dHKD", "HKD")


def deploy_registry(admin, kyc_officer, enforcer, tx_params=None):
    """A ComplianceRegistry with the officer roles granted."""
    params = {"from": admin, **(tx_params or {})}
    registry = _project().ComplianceRegistry.deploy(admin, params)
    registry.grantRole(registry.KYC_OFFICER_ROLE(), kyc_officer, params)
    registry.grantRole(registry.ENFORCEMENT_ROLE(), enforcer, params)
    return registry


def deploy_token(spec: TokenSpec, registry, admin, *, issuer, auditor, pauser, enforcer, tx_params=None):
    """A DepositToken with its operational roles granted (no allowance, no reserves yet)."""
    params = {"from": admin, **(tx_params or {})}
    token = _project().DepositToken.deploy(spec.name, spec.symbol, currency(spec.currency), registry, admin, params)
    token.grantRole(token.ISSUER_ROLE(), issuer, params)
    token.grantRole(token.AUDITOR_ROLE(), auditor, params)
    token.grantRole(token.PAUSER_ROLE(), pauser, params)
    token.grantRole(token.ENFORCEMENT_ROLE(), enforcer, params)
    return token
