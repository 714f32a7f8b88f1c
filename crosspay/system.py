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
    """Who holds which role or account. The deployer is the default admin while it configures; `final_admin`, when
    set, is offered the admin role at the end (two-step: it accepts after the delay)."""

    kyc_officer: str
    enforcer: str  # freezes in the registry, seizes in the tokens, rejects in the escrow
    cny_issuer: str  # also the dCNY issuer fee account (interchange) in MerchantSettlement
    cny_auditor: str
    hkd_issuer: str  # also the dHKD issuer fee account
    hkd_auditor: str
    pauser: str
    acquirer: str  # ACQUIRER_ROLE: registers merchants, earns the acquirer's share
    settler: str  # SETTLER_ROLE: runs batch settlement
    network_fee_account: str  # the card network's share
    escrow_fee_account: str  # the cross-border escrow's fee
    liquidity_provider: str  # the FX desk allowed to quote and release
    final_admin: str | None = None

    @classmethod
    def all(cls, address: str) -> "Roles":
        """Every role held by one address (a first testnet deployment)."""
        return cls(**{f.name: address for f in fields(cls) if f.name != "final_admin"})


@dataclass(frozen=True)
class Fees:
    """Commercial settings applied by the deploy script."""

    interchange_bps: int = 6_000  # of the merchant discount rate: the issuer's share (card-scheme typical)
    network_bps: int = 1_500  # the network's share; the acquirer keeps the rest
    escrow_fee_bps: int = 30  # cross-border fee on top of the source amount


@dataclass
class System:
    registry: object
    tokens: dict  # symbol -> DepositToken
    settlement: object = None
    escrow: object = None
    htlc: object = None

    @property
    def contracts(self) -> dict:
        return {"MerchantSettlement": self.settlement, "CrossBorderEscrow": self.escrow, "HashedTimelock": self.htlc}


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


SYSTEM_CONTRACT_VERIFICATION = 10 * 365 * 24 * 3600  # system contracts are verified for ten years


def deploy_system(deployer, roles: Roles, fees: Fees = Fees()) -> System:
    from brownie import ComplianceRegistry, CrossBorderEscrow, DepositToken, HashedTimelock, MerchantSettlement, chain

    admin = deployer.account
    registry = deployer.contract("ComplianceRegistry", ComplianceRegistry, admin)
    registry_address = registry.address if registry is not None else str(admin)  # a dry run has no address yet

    tokens = {}
    for spec, issuer_field, auditor_field in TOKENS:
        tokens[spec.symbol] = deployer.contract(
            spec.symbol, DepositToken, spec.name, spec.symbol, currency(spec.currency), registry_address, admin
        )

    settlement = deployer.contract(
        "MerchantSettlement", MerchantSettlement, registry_address, admin, roles.network_fee_account
    )
    escrow = deployer.contract("CrossBorderEscrow", CrossBorderEscrow, registry_address, admin, roles.escrow_fee_account)
    htlc = deployer.contract("HashedTimelock", HashedTimelock, registry_address)
    system = System(registry, tokens, settlement, escrow, htlc)
    if deployer.dry_run:
        return system

    _grant(deployer, registry, "ComplianceRegistry", "KYC_OFFICER_ROLE", roles.kyc_officer)
    _grant(deployer, registry, "ComplianceRegistry", "ENFORCEMENT_ROLE", roles.enforcer)
    for spec, issuer_field, auditor_field in TOKENS:
        token = tokens[spec.symbol]
        _grant(deployer, token, spec.symbol, "ISSUER_ROLE", getattr(roles, issuer_field))
        _grant(deployer, token, spec.symbol, "AUDITOR_ROLE", getattr(roles, auditor_field))
        _grant(deployer, token, spec.symbol, "PAUSER_ROLE", roles.pauser)
        _grant(deployer, token, spec.symbol, "ENFORCEMENT_ROLE", roles.enforcer)

    _configure_settlement(deployer, settlement, tokens, roles, fees)
    _configure_escrow(deployer, escrow, tokens, roles, fees)
    _verify_system_contracts(deployer, registry, system, roles, chain.time() + SYSTEM_CONTRACT_VERIFICATION)

    if roles.final_admin and roles.final_admin != str(admin):
        administered = [("ComplianceRegistry", registry), *tokens.items(), ("MerchantSettlement", settlement),
                        ("CrossBorderEscrow", escrow)]
        for name, contract in administered:
            deployer.ensure(
                f"{name}: offer the admin role to {roles.final_admin}",
                is_done=lambda c=contract: c.pendingDefaultAdmin()[0] == roles.final_admin,
                send=lambda params, c=contract: c.beginDefaultAdminTransfer(roles.final_admin, params),
            )
    return system


def _configure_settlement(deployer, settlement, tokens, roles: Roles, fees: Fees) -> None:
    _grant(deployer, settlement, "MerchantSettlement", "ACQUIRER_ROLE", roles.acquirer)
    _grant(deployer, settlement, "MerchantSettlement", "SETTLER_ROLE", roles.settler)
    for spec, issuer_field, _ in TOKENS:
        token, issuer = tokens[spec.symbol], getattr(roles, issuer_field)
        deployer.ensure(
            f"MerchantSettlement: accept {spec.symbol}, interchange to {issuer}",
            is_done=lambda t=token, i=issuer: tuple(settlement.tokenConfig(t)) == (i, True),
            send=lambda params, t=token, i=issuer: settlement.setToken(t, i, True, params),
        )
    deployer.ensure(
        f"MerchantSettlement: fee split {fees.interchange_bps} bps interchange, {fees.network_bps} bps network",
        is_done=lambda: tuple(settlement.feeSplit()) == (fees.interchange_bps, fees.network_bps),
        send=lambda params: settlement.setFeeSplit(fees.interchange_bps, fees.network_bps, params),
    )


def _configure_escrow(deployer, escrow, tokens, roles: Roles, fees: Fees) -> None:
    _grant(deployer, escrow, "CrossBorderEscrow", "COMPLIANCE_ROLE", roles.enforcer)
    for spec, _, _ in TOKENS:
        token = tokens[spec.symbol]
        deployer.ensure(
            f"CrossBorderEscrow: accept {spec.symbol}",
            is_done=lambda t=token: escrow.isTokenAccepted(t),
            send=lambda params, t=token: escrow.setToken(t, True, params),
        )
    deployer.ensure(
        f"CrossBorderEscrow: allow liquidity provider {roles.liquidity_provider}",
        is_done=lambda: escrow.isLiquidityProvider(roles.liquidity_provider),
        send=lambda params: escrow.setLiquidityProvider(roles.liquidity_provider, True, params),
    )
    deployer.ensure(
        f"CrossBorderEscrow: fee {fees.escrow_fee_bps} bps",
        is_done=lambda: escrow.feeBps() == fees.escrow_fee_bps,
        send=lambda params: escrow.setFee(fees.escrow_fee_bps, params),
    )


def _verify_system_contracts(deployer, registry, system: System, roles: Roles, expires_at: int) -> None:
    """KYC-verifies the settlement, escrow and HTLC: deposit tokens let only verified spenders pull funds.

    The deployer verifies them with a KYC officer role it holds for the purpose, and renounces it afterwards unless it
    is the configured KYC officer."""
    kyc_role = registry.KYC_OFFICER_ROLE()
    pending = lambda: [c for c in system.contracts.values() if not registry.isVerified(c)]  # noqa: E731
    deployer.ensure(
        "ComplianceRegistry: the deployer takes the KYC officer role to verify the system contracts",
        is_done=lambda: not pending() or registry.hasRole(kyc_role, deployer.account),
        send=lambda params: registry.grantRole(kyc_role, deployer.account, params),
    )
    deployer.ensure(
        "ComplianceRegistry: verify MerchantSettlement, CrossBorderEscrow and HashedTimelock (ten years)",
        is_done=lambda: not pending(),
        send=lambda params: registry.setVerifiedBatch([c.address for c in pending()], b"HK", expires_at, params),
    )
    if roles.kyc_officer != str(deployer.account):
        deployer.ensure(
            "ComplianceRegistry: the deployer gives the KYC officer role back",
            is_done=lambda: not registry.hasRole(kyc_role, deployer.account),
            send=lambda params: registry.renounceRole(kyc_role, deployer.account, params),
        )
