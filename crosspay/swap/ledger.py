"""One ledger of the two-ledger swap: a node with its registry, deposit token and HTLC, deployed through the plan over
web3.py, and its actors (the node's unlocked accounts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from web3 import Web3

from crosspay.core.iso import jurisdiction
from crosspay.deploy.artifacts import ArtifactDeployer
from crosspay.deploy.plan import DCNY, DHKD, HTLC, REGISTRY, Roles, TokenSpec, deploy
from crosspay.swap.nodes import Node

YEAR = 365 * 24 * 3600
REF = b"\x01" * 32


@dataclass
class Actors:
    """The roles on a ledger, as the node's unlocked accounts (the same mnemonic gives the same addresses on both
    ledgers: a bank customer, the LP and the relayer each have one address everywhere)."""

    admin: str
    kyc_officer: str
    issuer: str
    sender: str
    liquidity_provider: str
    beneficiary: str
    relayer: str

    @classmethod
    def of(cls, w3: Web3) -> Actors:
        accounts = w3.eth.accounts
        return cls(*accounts[:7])


@dataclass
class Ledger:
    """One chain with its Crosspay contracts (web3.py contracts)."""

    name: str
    node: Node
    actors: Actors
    registry: object = None
    token: object = None
    htlc: object = None
    log: list = field(default_factory=list)

    @property
    def w3(self) -> Web3:
        return self.node.w3

    def send(self, call, sender: str, what: str):
        """Sends a contract call from an unlocked account and waits for it; raises if it reverted."""
        return ArtifactDeployer(self.w3, sender, self.log, self.name).send(call, sender, what)

    def balance(self, account: str) -> int:
        return self.token.functions.balanceOf(account).call()

    def lock_of(self, lock_id: bytes) -> dict:
        """The HTLC's record of a lock, by field name (status, sender, recipient, token, amount, timelock)."""
        function = self.htlc.functions.lockOf(lock_id)
        return dict(zip([output["name"] for output in function.abi["outputs"]], function.call(), strict=True))


def deploy_ledger(name: str, node: Node, spec: TokenSpec, iso_jurisdiction: str, holdings: dict[str, int]) -> Ledger:
    """Registry, deposit token and HTLC on `node` through the deployment plan; every actor verified; `holdings`
    (actor role -> amount) minted."""
    ledger = Ledger(name, node, Actors.of(node.w3))
    a = ledger.actors
    roles = Roles(kyc_officer=a.kyc_officer, **{spec.issuer: a.issuer, spec.auditor: a.admin})
    system = deploy(ArtifactDeployer(node.w3, a.admin, ledger.log, name), roles, parts=[REGISTRY, spec.symbol, HTLC])
    ledger.registry, ledger.token, ledger.htlc = (
        c.web3 for c in (system.registry, system.tokens[spec.symbol], system.htlc)
    )
    registry, token = ledger.registry, ledger.token
    until = node.now() + YEAR
    customers = [a.sender, a.liquidity_provider, a.beneficiary, a.relayer]
    ledger.send(
        registry.functions.setVerifiedBatch(customers, jurisdiction(iso_jurisdiction), until),
        a.kyc_officer,
        "verify customers",
    )
    total = sum(holdings.values())
    ledger.send(token.functions.setIssuerAllowance(a.issuer, total), a.admin, "issuer allowance")
    ledger.send(token.functions.attestReserves(total, REF), a.admin, "attest reserves")
    for role, amount in holdings.items():
        ledger.send(token.functions.mint(getattr(a, role), amount, REF), a.issuer, f"mint to {role}")
    return ledger


def setup_ledgers(node_a: Node, node_b: Node, cny_amount: int, hkd_amount: int) -> tuple[Ledger, Ledger]:
    """Ledger A (mainland, dCNY: the sender holds `cny_amount`) and B (Hong Kong, dHKD: the LP holds `hkd_amount`)."""
    a = deploy_ledger("A (mainland)", node_a, DCNY, "CN", {"sender": cny_amount})
    b = deploy_ledger("B (Hong Kong)", node_b, DHKD, "HK", {"liquidity_provider": hkd_amount})
    return a, b
