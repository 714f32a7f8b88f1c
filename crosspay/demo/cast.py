"""The demo's cast: named actors (institutions are node accounts, people are local accounts with keys: they sign),
the merchants, and the roles they hold in the deployment."""

from __future__ import annotations

from dataclasses import dataclass

from crosspay.core.settlement import merchant_id
from crosspay.deploy.plan import Roles
from crosspay.onchain import keyed_account


@dataclass(frozen=True)
class Actor:
    name: str
    account: object  # a brownie Account or LocalAccount

    @property
    def address(self) -> str:
        return self.account.address

    def __str__(self) -> str:
        return self.name


def person(name: str, funder) -> Actor:
    """A customer or merchant with a key derived from their name (the same every run), funded with 1 ether for gas."""
    return Actor(name, keyed_account(f"crosspay demo {name}", funder))


def institution(name: str, index: int) -> Actor:
    """A bank, network or officer: one of the node's own unlocked accounts."""
    from brownie import accounts

    return Actor(name, accounts[index])


@dataclass
class Merchant:
    name: str
    code: str  # the merchant id as registered (ASCII text): what its EMVCo QR carries
    payout: Actor
    operator: Actor
    token_symbol: str
    mdr_bps: int
    qr_name: str  # EMVCo 59: at most 25 characters
    city: str  # EMVCo 60: at most 15 characters
    country: str  # EMVCo 58: ISO 3166-1 alpha-2
    mcc: str  # EMVCo 52: ISO 18245 merchant category code

    @property
    def id(self) -> bytes:
        """The on-chain merchant id (bytes32): the code, padded."""
        return merchant_id(self.code)

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the currency the merchant is settled in ("HKD" for dHKD)."""
        return self.token_symbol.removeprefix("d")


@dataclass
class Cast:
    """Everyone in the story."""

    operator: Actor  # deploys, pauses; the Crosspay operator
    mainland_bank: Actor
    harbour_bank: Actor
    auditor: Actor
    compliance: Actor
    network: Actor
    acquirer: Actor
    treasury: Actor  # the escrow's fee account
    relayer: Actor
    fx_desk: Actor
    li_wei: Actor
    wang_fang: Actor
    chan: Actor
    noodles: Merchant
    tea_house: Merchant

    @property
    def merchants(self) -> list[Merchant]:
        return [self.noodles, self.tea_house]

    @property
    def fee_accounts(self) -> list[Actor]:
        """Who earns a share of the merchant discount: the issuing banks, the card network, the acquirer."""
        return [self.mainland_bank, self.harbour_bank, self.network, self.acquirer]

    @property
    def customers(self) -> list[Actor]:
        return [self.li_wei, self.wang_fang, self.chan]

    @property
    def everyone(self) -> list[Actor]:
        return [
            self.mainland_bank,
            self.harbour_bank,
            self.network,
            self.acquirer,
            self.treasury,
            self.fx_desk,
            *self.customers,
            self.noodles.payout,
            self.tea_house.payout,
        ]

    def roles(self) -> Roles:
        """Who holds which role in the deployment."""
        holders = {
            "kyc_officer": self.compliance, "enforcer": self.compliance, "pauser": self.operator,
            "cny_issuer": self.mainland_bank, "cny_auditor": self.auditor,
            "hkd_issuer": self.harbour_bank, "hkd_auditor": self.auditor,
            "acquirer": self.acquirer, "settler": self.acquirer, "network_fee_account": self.network,
            "escrow_fee_account": self.treasury, "liquidity_provider": self.fx_desk,
        }  # fmt: skip
        return Roles(**{role: actor.address for role, actor in holders.items()})


def cast() -> Cast:
    operator = institution("Crosspay operator", 0)
    funder = operator.account

    def merchant(name, code, symbol, mdr_bps, qr_name, city, country, mcc):
        return Merchant(
            name,
            code,
            person(f"{name} (payout)", funder),
            person(f"{name} (till)", funder),
            symbol,
            mdr_bps,
            qr_name,
            city,
            country,
            mcc,
        )

    return Cast(
        operator=operator,
        mainland_bank=institution("Mainland Bank", 1),
        harbour_bank=institution("Harbour Bank", 2),
        auditor=institution("Reserve auditor", 3),
        compliance=institution("Compliance officer", 4),
        network=institution("UnionCard network", 5),
        acquirer=institution("Pearl Acquiring", 6),
        treasury=institution("Crosspay treasury", 7),
        relayer=institution("Relayer", 8),
        fx_desk=person("Lion Rock FX desk", funder),
        li_wei=person("Li Wei", funder),
        wang_fang=person("Wang Fang", funder),
        chan=person("Chan Tai Man", funder),
        # Merchant codes are short: an authorization's EMVCo template (99 characters) leaves 6 on chain 31337 (Anvil).
        noodles=merchant("Bund Noodles, Shanghai", "SHBN01", "dCNY", 60, "BUND NOODLES", "SHANGHAI", "CN", "5814"),
        tea_house=merchant(
            "Harbour Tea House, Hong Kong", "HKTH01", "dHKD", 80, "HARBOUR TEA HOUSE", "HONG KONG", "HK", "5812"
        ),
    )
