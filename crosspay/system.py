"""The whole Crosspay system as one deployment plan, shared by scripts/deploy.py, the demo and their tests.

`deploy_system(deployer, roles)` deploys what is missing and configures what is not yet configured, through a
`crosspay.deployment.Deployer` (recorded, resumable, or a dry run).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from crosspay.codes import currency
from crosspay.suite import DCNY, DHKD, TokenSpec


@dataclass(frozen=True)
class Roles:
    """Who holds which role. The deployer is the default admin while it configures; `final_admin`, when set, is
    offered the admin role at the end (two-step: it accepts after the delay)."""

    kyc_officer: str
    enforcer: str
    cny_issuer: str
    cny_auditor: str
    hkd_issuer: str
    hkd_auditor: str
    pauser: str
    final_admin: str | None = None

    @classmethod
    def all(cls, address: str) -> "Roles":
        """Every role held by one address (a first testnet deployment)."""
        return cls(**{f.name: address for f in fields(cls) if f.name != "final_admin"})


@dataclass
class System:
    registry: object
    tokens: dict  # symbol -> DepositToken


TOKENS: tuple[tuple[TokenSpec, str, str], ...] = (
    (DCNY, "cny_issuer", "cny_auditor"),
    (DHKD, "hkd_issuer", "hkd_auditor"),
)


def _grant(deployer, contract, contract_name: str, role_name: str, holder: str):
    role = getattr(contract, role_name)()
    deployer.ensure(
        f"{contract_name}: grant {role_name} to {holder}",
        is_done=lambda: contract.hasRole(role, holder),
        send=lambda params: contract.grantRole(role, holder, params),
        estimate=lambda: 52_000,
    )


def deploy_system(deployer, roles: Roles) -> System:
    from brownie import ComplianceRegistry, DepositToken

    admin = deployer.account
    registry = deployer.contract("ComplianceRegistry", ComplianceRegistry, admin)
    registry_address = registry.address if registry is not None else str(admin)  # a dry run has no address yet

    tokens = {}
    for spec, issuer_field, auditor_field in TOKENS:
        tokens[spec.symbol] = deployer.contract(
            spec.symbol, DepositToken, spec.name, spec.symbol, currency(spec.currency), registry_address, admin
        )

    if deployer.dry_run:
        return System(registry, tokens)

    _grant(deployer, registry, "ComplianceRegistry", "KYC_OFFICER_ROLE", roles.kyc_officer)
    _grant(deployer, registry, "ComplianceRegistry", "ENFORCEMENT_ROLE", roles.enforcer)
    for spec, issuer_field, auditor_field in TOKENS:
        token = tokens[spec.symbol]
        _grant(deployer, token, spec.symbol, "ISSUER_ROLE", getattr(roles, issuer_field))
        _grant(deployer, token, spec.symbol, "AUDITOR_ROLE", getattr(roles, auditor_field))
        _grant(deployer, token, spec.symbol, "PAUSER_ROLE", roles.pauser)
        _grant(deployer, token, spec.symbol, "ENFORCEMENT_ROLE", roles.enforcer)

    if roles.final_admin and roles.final_admin != str(admin):
        for name, contract in [("ComplianceRegistry", registry), *tokens.items()]:
            deployer.ensure(
                f"{name}: offer the admin role to {roles.final_admin}",
                is_done=lambda c=contract: c.pendingDefaultAdmin()[0] == roles.final_admin,
                send=lambda params, c=contract: c.beginDefaultAdminTransfer(roles.final_admin, params),
            )
    return System(registry, tokens)
