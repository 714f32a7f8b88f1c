"""The one deployment plan of Crosspay: which contracts, built from what, which roles go to whom, and how the system is
configured. Every deployment goes through `deploy()`:

- scripts/deploy.py and the demo, with a recorded, resumable deployer (or a dry run), see crosspay.deploy.run;
- the test fixtures and the gas benchmarks, with an immediate deployer (`Deployer.immediate`): nothing recorded;
- the two-ledger swap, on nodes brownie is not connected to (`crosspay.deploy.artifacts.ArtifactDeployer`).

`PLAN` lists the parts in deployment order. A part's role grants are data, `(role constant, Roles field)`, written
once here. `deploy(..., parts=[...])` deploys a part of the system (a token's tests need only the registry and the
token); the parts it builds on must be deployed in the same call or already known to the deployer.

A linked library (MerchantSettlement links SettlementRegistry, SettlementLedger, SettlementReversals and
CrossCurrencyPayments) is a part of
its own, placed before the contract that links it and listed in that contract's `needs`: it is deployed (and recorded)
like any contract, and comes with the contract that needs it unless the deployer already knows it. brownie links a
contract to its libraries' last deployments when it deploys it; the web3.py deployer links the same way
(crosspay.deploy.artifacts).

The order of what is sent: every contract first, then per part its role grants and its configuration, then the KYC of
the system contracts, then the offer of the admin role to `final_admin`. Each configuration step checks the chain
before it sends (`Deployer.ensure`), so a rerun sends only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from crosspay.core.iso import currency, jurisdiction
from crosspay.deploy.record import DeploymentError


@dataclass(frozen=True)
class Roles:
    """Who holds which role or account: one address, or a list of them where a role may have several holders.

    The deployer is the default admin while it configures; `final_admin`, when set, is offered the admin role at the
    end (two-step: it accepts after the delay). A field left unset grants nothing; scripts/deploy.py requires all of
    them (`missing()`)."""

    kyc_officer: object = None  # verifies accounts in the registry
    enforcer: object = None  # freezes in the registry, seizes in the tokens (and rejects in the escrow, by default)
    cny_issuer: object = None  # mints dCNY; also dCNY's interchange fee account unless cny_interchange says otherwise
    cny_auditor: object = None
    hkd_issuer: object = None  # mints dHKD; also dHKD's interchange fee account unless hkd_interchange says otherwise
    hkd_auditor: object = None
    pauser: object = None
    acquirer: object = None  # ACQUIRER_ROLE: registers merchants, earns the acquirer's share
    settler: object = None  # SETTLER_ROLE: runs batch settlement
    network_fee_account: object = None  # the card network's share
    escrow_fee_account: object = None  # the cross-border escrow's fee
    liquidity_provider: object = None  # the FX desk(s): quote and release in the escrow, quote QR payments (issue 11)
    final_admin: object = None
    compliance: object = None  # COMPLIANCE_ROLE in the escrow (rejects transfers); default: the enforcer
    cny_interchange: object = None  # dCNY's issuer fee account in MerchantSettlement; default: the dCNY issuer
    hkd_interchange: object = None  # dHKD's issuer fee account in MerchantSettlement; default: the dHKD issuer

    FALLBACKS = {"compliance": "enforcer", "cny_interchange": "cny_issuer", "hkd_interchange": "hkd_issuer"}
    OPTIONAL = ("final_admin", *FALLBACKS)

    @classmethod
    def all(cls, address: str) -> Roles:
        """Every role held by one address (a first testnet deployment)."""
        return cls(**{f.name: address for f in fields(cls) if f.name not in cls.OPTIONAL})

    def holders(self, name: str) -> list[str]:
        """The addresses holding role `name` (empty when it is unset)."""
        value = getattr(self, name)
        if value is None and name in self.FALLBACKS:
            value = getattr(self, self.FALLBACKS[name])
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]

    def holder(self, name: str) -> str:
        """The one address of role or account `name`; a deployment that needs it refuses to go on without it."""
        holders = self.holders(name)
        if len(holders) != 1:
            raise DeploymentError(f"roles: {name} must be one address, got {holders or 'none'}.")
        return holders[0]

    def missing(self) -> list[str]:
        return [f.name for f in fields(self) if f.name not in self.OPTIONAL and getattr(self, f.name) is None]


@dataclass(frozen=True)
class Fees:
    """Commercial settings applied by the plan."""

    interchange_bps: int = 6_000  # of the merchant discount rate: the issuer's share (card-scheme typical)
    network_bps: int = 1_500  # the network's share; the acquirer keeps the rest
    escrow_fee_bps: int = 30  # cross-border fee on top of the source amount


@dataclass(frozen=True)
class TokenSpec:
    """One bank's deposit token, and the Roles fields of its issuer, auditor and interchange fee account."""

    name: str
    symbol: str
    currency: str
    issuer: str
    auditor: str
    interchange: str


DCNY = TokenSpec("Mainland Bank Digital CNY", "dCNY", "CNY", "cny_issuer", "cny_auditor", "cny_interchange")
DHKD = TokenSpec("Harbour Bank Digital HKD", "dHKD", "HKD", "hkd_issuer", "hkd_auditor", "hkd_interchange")
TOKENS = (DCNY, DHKD)

REGISTRY = "ComplianceRegistry"
SETTLEMENT = "MerchantSettlement"
# MerchantSettlement's linked libraries (contracts/settlement/, docs/settlement.md), in deployment order: a library
# that links another (CrossCurrencyPayments links SettlementRegistry) comes after it.
SETTLEMENT_LIBRARIES = ("SettlementRegistry", "SettlementLedger", "SettlementReversals", "CrossCurrencyPayments")
ESCROW = "CrossBorderEscrow"
HTLC = "HashedTimelock"
SYSTEM_JURISDICTION = "HK"  # where the system contracts are KYC-verified (the operator's jurisdiction)
SYSTEM_CONTRACT_VERIFICATION = 10 * 365 * 24 * 3600  # system contracts are verified for ten years


@dataclass
class Build:
    """What a deployment knows while it runs: the deployer, the roles, the fees and the contracts so far."""

    deployer: object
    roles: Roles
    fees: Fees
    contracts: dict = field(default_factory=dict)  # part name -> contract (None in a dry run)

    @property
    def admin(self):
        return self.deployer.account

    def address(self, name: str) -> str:
        """A deployed part's address (in a dry run, where nothing is deployed, a stand-in of the right type)."""
        contract = self.contracts.get(name)
        return contract.address if contract is not None else str(self.admin)


@dataclass(frozen=True)
class Part:
    """One contract of the plan."""

    name: str  # its name in the record and in System: "ComplianceRegistry", "dCNY", ...
    container: str  # the contract type
    arguments: object  # (Build) -> constructor arguments
    grants: tuple = ()  # (role constant, Roles field): who the role is granted to, once deployed
    needs: tuple = ()  # the parts it is built on
    configure: object = None  # (Build, contract) -> None: its configuration steps
    verified: bool = False  # a system contract the registry verifies: deposit tokens let only verified spenders pull
    library: bool = False  # a linked library: no constructor arguments, no roles, no admin; deployed with its user


def _token_part(spec: TokenSpec) -> Part:
    return Part(
        spec.symbol,
        "DepositToken",
        lambda b: (spec.name, spec.symbol, currency(spec.currency), b.address(REGISTRY), b.admin),
        grants=(
            ("ISSUER_ROLE", spec.issuer),
            ("AUDITOR_ROLE", spec.auditor),
            ("PAUSER_ROLE", "pauser"),
            ("ENFORCEMENT_ROLE", "enforcer"),
        ),
        needs=(REGISTRY,),
    )


def _tokens(build: Build) -> list[tuple[TokenSpec, object]]:
    """The plan's deposit tokens this deployment knows (deployed with it or passed as known), with their specs."""
    return [(spec, build.contracts[spec.symbol]) for spec in TOKENS if build.contracts.get(spec.symbol) is not None]


def _configure_settlement(build: Build, settlement) -> None:
    deployer, fees = build.deployer, build.fees
    for spec, token in _tokens(build):
        issuer = build.roles.holder(spec.interchange)
        deployer.ensure(
            f"{SETTLEMENT}: accept {spec.symbol}, interchange to {issuer}",
            is_done=lambda t=token, i=issuer: tuple(settlement.tokenConfig(t)) == (i, True),
            send=lambda params, t=token, i=issuer: settlement.setToken(t, i, True, params),
        )
    deployer.ensure(
        f"{SETTLEMENT}: fee split {fees.interchange_bps} bps interchange, {fees.network_bps} bps network",
        is_done=lambda: tuple(settlement.feeSplit()) == (fees.interchange_bps, fees.network_bps),
        send=lambda params: settlement.setFeeSplit(fees.interchange_bps, fees.network_bps, params),
    )


def _configure_escrow(build: Build, escrow) -> None:
    deployer, fee_bps = build.deployer, build.fees.escrow_fee_bps
    for spec, token in _tokens(build):  # the admin's token allowlist: no quote can give a token an index
        deployer.ensure(
            f"{ESCROW}: accept {spec.symbol}",
            is_done=lambda t=token: escrow.isTokenAccepted(t),
            send=lambda params, t=token: escrow.setToken(t, True, params),
        )
    for provider in build.roles.holders("liquidity_provider"):
        deployer.ensure(
            f"{ESCROW}: allow liquidity provider {provider}",
            is_done=lambda p=provider: escrow.isLiquidityProvider(p),
            send=lambda params, p=provider: escrow.setLiquidityProvider(p, True, params),
        )
    deployer.ensure(
        f"{ESCROW}: fee {fee_bps} bps",
        is_done=lambda: escrow.feeBps() == fee_bps,
        send=lambda params: escrow.setFee(fee_bps, params),
    )


PLAN: tuple[Part, ...] = (
    Part(
        REGISTRY,
        "ComplianceRegistry",
        lambda b: (b.admin,),
        grants=(("KYC_OFFICER_ROLE", "kyc_officer"), ("ENFORCEMENT_ROLE", "enforcer")),
    ),
    *(_token_part(spec) for spec in TOKENS),
    *(Part(name, name, lambda b: (), library=True) for name in SETTLEMENT_LIBRARIES),
    Part(
        SETTLEMENT,
        "MerchantSettlement",
        lambda b: (b.address(REGISTRY), b.admin, b.roles.holder("network_fee_account")),
        grants=(
            ("ACQUIRER_ROLE", "acquirer"),
            ("SETTLER_ROLE", "settler"),
            ("LIQUIDITY_PROVIDER_ROLE", "liquidity_provider"),  # quotes cross-currency payments (issue 11)
        ),
        needs=(REGISTRY, *SETTLEMENT_LIBRARIES),
        configure=_configure_settlement,
        verified=True,
    ),
    Part(
        ESCROW,
        "CrossBorderEscrow",
        lambda b: (b.address(REGISTRY), b.admin, b.roles.holder("escrow_fee_account")),
        grants=(("COMPLIANCE_ROLE", "compliance"),),
        needs=(REGISTRY,),
        configure=_configure_escrow,
        verified=True,
    ),
    Part(HTLC, "HashedTimelock", lambda b: (b.address(REGISTRY),), needs=(REGISTRY,), verified=True),
)
PARTS = {part.name: part for part in PLAN}


@dataclass
class System:
    """The deployed contracts (a part not deployed is None)."""

    registry: object = None
    tokens: dict = field(default_factory=dict)  # symbol -> DepositToken
    settlement: object = None
    escrow: object = None
    htlc: object = None

    @property
    def contracts(self) -> dict:
        """The system contracts (those that hold funds), by name."""
        named = {SETTLEMENT: self.settlement, ESCROW: self.escrow, HTLC: self.htlc}
        return {name: contract for name, contract in named.items() if contract is not None}

    @classmethod
    def of(cls, contracts: dict) -> System:
        return cls(
            contracts.get(REGISTRY),
            {s.symbol: contracts[s.symbol] for s in TOKENS if s.symbol in contracts},
            contracts.get(SETTLEMENT),
            contracts.get(ESCROW),
            contracts.get(HTLC),
        )


def deploy(deployer, roles: Roles, fees: Fees = Fees(), parts=None) -> System:
    """Deploys the parts named in `parts` (default: the whole plan) with `deployer`, grants their roles and configures
    them; returns the System of every contract the deployer knows."""
    unknown = sorted(set(parts or ()) - set(PARTS))
    if unknown:
        raise DeploymentError(f"the plan has no part named {', '.join(unknown)}.")
    build = Build(deployer, roles, fees, dict(deployer.known))
    names = set(PARTS) if parts is None else set(parts)
    # A contract's linked libraries come with it, unless the deployer knows them already.
    names |= {n for p in PLAN if p.name in names for n in p.needs if PARTS[n].library and n not in build.contracts}
    chosen = [part for part in PLAN if part.name in names]
    for part in chosen:
        missing = [need for need in part.needs if need not in build.contracts]
        if missing:
            raise DeploymentError(f"{part.name} is built on {', '.join(missing)}: deploy it too or pass it as known.")
        container = deployer.container(part.container)
        build.contracts[part.name] = deployer.contract(part.name, container, *part.arguments(build))
    if deployer.dry_run:
        return System.of(build.contracts)

    for part in chosen:
        contract = build.contracts[part.name]
        for role, holders in part.grants:
            for holder in roles.holders(holders):
                _grant(deployer, contract, part.name, role, holder)
        if part.configure is not None:
            part.configure(build, contract)
    _verify_system_contracts(build, [part.name for part in chosen if part.verified])
    if roles.final_admin and str(roles.final_admin) != str(deployer.account):
        for part in chosen:
            if part.name != HTLC and not part.library:  # the HTLC and the libraries have no admin
                _offer_admin(deployer, build.contracts[part.name], part.name, str(roles.final_admin))
    return System.of(build.contracts)


def _grant(deployer, contract, contract_name: str, role_name: str, holder: str) -> None:
    role = getattr(contract, role_name)()
    deployer.ensure(
        f"{contract_name}: grant {role_name} to {holder}",
        is_done=lambda: contract.hasRole(role, holder),
        send=lambda params: contract.grantRole(role, holder, params),
        estimate=lambda: 52_000,
    )


def _offer_admin(deployer, contract, name: str, final_admin: str) -> None:
    deployer.ensure(
        f"{name}: offer the admin role to {final_admin}",
        is_done=lambda: contract.pendingDefaultAdmin()["newAdmin"] == final_admin,
        send=lambda params: contract.beginDefaultAdminTransfer(final_admin, params),
    )


def _verify_system_contracts(build: Build, names: list[str]) -> None:
    """KYC-verifies the system contracts deployed: deposit tokens let only verified spenders pull funds.

    The deployer verifies them with a KYC officer role it takes for the purpose, and renounces it afterwards unless it
    is a configured KYC officer."""
    if not names:
        return
    deployer, registry = build.deployer, build.contracts[REGISTRY]
    contracts, account = [build.contracts[name] for name in names], str(deployer.account)
    kyc_role = registry.KYC_OFFICER_ROLE()
    pending = lambda: [c for c in contracts if not registry.isVerified(c)]  # noqa: E731
    deployer.ensure(
        f"{REGISTRY}: the deployer takes the KYC officer role to verify the system contracts",
        is_done=lambda: not pending() or registry.hasRole(kyc_role, account),
        send=lambda params: registry.grantRole(kyc_role, account, params),
    )
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    deployer.ensure(
        f"{REGISTRY}: verify {listed} (ten years)",
        is_done=lambda: not pending(),
        send=lambda params: registry.setVerifiedBatch(
            [c.address for c in pending()],
            jurisdiction(SYSTEM_JURISDICTION),
            deployer.now() + SYSTEM_CONTRACT_VERIFICATION,
            params,
        ),
    )
    if account not in build.roles.holders("kyc_officer"):
        deployer.ensure(
            f"{REGISTRY}: the deployer gives the KYC officer role back",
            is_done=lambda: not registry.hasRole(kyc_role, account),
            send=lambda params: registry.renounceRole(kyc_role, account, params),
        )
