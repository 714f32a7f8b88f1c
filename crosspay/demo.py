"""A day of Crosspay, told step by step with named actors (make demo).

The chapters add steps to a `crosspay.story.Story`; `run_demo()` deploys the system, plays the story, prints the
summary tables and checks conservation on chain.
"""

from __future__ import annotations

import sys

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from crosspay.actors import Actor, institution, person
from crosspay.codes import jurisdiction
from crosspay.files import quiet
from crosspay.story import Story
from crosspay.system import Roles

REPORTS = Path(__file__).resolve().parent.parent / "reports"
YEAR = 365 * 24 * 3600


def ref(text: str) -> bytes:
    return text.encode()[:32].ljust(32, b"\0")


@dataclass
class Cast:
    """Everyone in the story."""

    deployer: Actor
    mainland_bank: Actor
    harbour_bank: Actor
    auditor: Actor
    compliance: Actor
    customers_cn: list[Actor] = field(default_factory=list)
    customers_hk: list[Actor] = field(default_factory=list)

    @property
    def everyone(self) -> list[Actor]:
        return [self.mainland_bank, self.harbour_bank, *self.customers_cn, *self.customers_hk]

    def roles(self) -> Roles:
        return Roles(
            kyc_officer=self.compliance.address,
            enforcer=self.compliance.address,
            cny_issuer=self.mainland_bank.address,
            cny_auditor=self.auditor.address,
            hkd_issuer=self.harbour_bank.address,
            hkd_auditor=self.auditor.address,
            pauser=self.deployer.address,
        )


def cast() -> Cast:
    deployer = institution("Crosspay operator", 0)
    return Cast(
        deployer=deployer,
        mainland_bank=institution("Mainland Bank", 1),
        harbour_bank=institution("Harbour Bank", 2),
        auditor=institution("Reserve auditor", 3),
        compliance=institution("Compliance officer", 4),
        customers_cn=[person("Li Wei", deployer.account), person("Wang Fang", deployer.account)],
        customers_hk=[person("Chan Tai Man", deployer.account)],
    )


def onboarding(story: Story, c: Cast, system) -> None:
    from brownie import chain

    story.chapter("Onboarding and KYC")

    @story.step(c.compliance.name, "verifies the mainland customers (CN, one year)")
    def _():
        accounts = [a.address for a in c.customers_cn]
        return system.registry.setVerifiedBatch(
            accounts, jurisdiction("CN"), chain.time() + YEAR, {"from": c.compliance.account}
        )

    @story.step(c.compliance.name, "verifies the Hong Kong customers (HK, one year)")
    def _():
        accounts = [a.address for a in c.customers_hk]
        return system.registry.setVerifiedBatch(
            accounts, jurisdiction("HK"), chain.time() + YEAR, {"from": c.compliance.account}
        )


def deposits(story: Story, c: Cast, system) -> None:
    story.chapter("Deposits minted against attested reserves")
    dcny, dhkd = system.tokens["dCNY"], system.tokens["dHKD"]

    for token, bank, reserves in ((dcny, c.mainland_bank, 50_000_000_00), (dhkd, c.harbour_bank, 20_000_000_00)):

        @story.step(c.auditor.name, f"attests {reserves / 100:,.2f} {token.symbol()} of reserves")
        def _(token=token, reserves=reserves):
            return token.attestReserves(reserves, ref("audit 2026-11"), {"from": c.auditor.account})

        @story.step(c.deployer.name, f"sets {bank.name}'s issuance allowance")
        def _(token=token, bank=bank, reserves=reserves):
            return token.setIssuerAllowance(bank.address, reserves, {"from": c.deployer.account})

    for customer, amount in zip(c.customers_cn, (20_000_00, 8_000_00)):

        @story.step(c.mainland_bank.name, f"mints {amount / 100:,.2f} dCNY to {customer.name} against a deposit")
        def _(customer=customer, amount=amount):
            return dcny.mint(customer.address, amount, ref(f"dep {customer.name}"),
                             {"from": c.mainland_bank.account})

    for customer, amount in zip(c.customers_hk, (15_000_00,)):

        @story.step(c.harbour_bank.name, f"mints {amount / 100:,.2f} dHKD to {customer.name} against a deposit")
        def _(customer=customer, amount=amount):
            return dhkd.mint(customer.address, amount, ref(f"dep {customer.name}"),
                             {"from": c.harbour_bank.account})


def person_to_person(story: Story, c: Cast, system) -> None:
    story.chapter("Person to person")
    dcny = system.tokens["dCNY"]
    sender, receiver = c.customers_cn

    @story.step(sender.name, f"sends 520.00 dCNY to {receiver.name}")
    def _():
        return dcny.transfer(receiver.address, 520_00, {"from": sender.account})


def redemptions(story: Story, c: Cast, system) -> None:
    story.chapter("Redemptions")
    dcny = system.tokens["dCNY"]
    customer = c.customers_cn[1]

    @story.step(customer.name, "redeems 1,000.00 dCNY for cash at Mainland Bank")
    def _():
        return dcny.redeem(1_000_00, ref("withdrawal"), {"from": customer.account})


CHAPTERS = (onboarding, deposits, person_to_person, redemptions)


def conservation_problems(system) -> list[str]:
    """Checks on chain, from the tokens' own events: totalSupply == minted - redeemed - (nothing else burns)."""
    problems = []
    for symbol, token in system.tokens.items():
        minted = sum(e.args.amount for e in token.events.get_sequence(from_block=0, event_type="Minted"))
        redeemed = sum(e.args.amount for e in token.events.get_sequence(from_block=0, event_type="Redeemed"))
        supply = token.totalSupply()
        if supply != minted - redeemed:
            problems.append(f"{symbol}: totalSupply {supply} != minted {minted} - redeemed {redeemed}")
    return problems


def balances_table(c: Cast, system) -> Table:
    table = Table(title="Balances")
    table.add_column("actor")
    for symbol in system.tokens:
        table.add_column(symbol, justify="right")
    for actor in c.everyone:
        table.add_row(actor.name, *(f"{t.balanceOf(actor.address) / 100:,.2f}" for t in system.tokens.values()))
    table.add_row("[bold]total supply", *(f"[bold]{t.totalSupply() / 100:,.2f}" for t in system.tokens.values()))
    return table


def run_demo(deploy) -> int:
    """Deploys with `deploy(roles=..., console=...)`, plays every chapter, prints the summary; returns an exit code."""
    console = Console(file=sys.stdout)
    with quiet():
        c = cast()
    system = deploy(console=console, roles=c.roles())
    story = Story(console)
    for chapter in CHAPTERS:
        chapter(story, c, system)
    story.run()
    console.print(balances_table(c, system))
    problems = conservation_problems(system)
    story.write(REPORTS / "lifecycle.json", {"conservation": problems or "ok"})
    if problems:
        for problem in problems:
            console.print(f"[red]conservation broken:[/] {problem}")
        return 1
    console.print(f"[green]conservation holds[/] for {', '.join(system.tokens)}; log in {REPORTS / 'lifecycle.json'}")
    return 0
