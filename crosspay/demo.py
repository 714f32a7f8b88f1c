"""A day of Crosspay, told step by step with named actors (make demo).

The chapters add steps to a `crosspay.story.Story`; `run_demo()` deploys the system, plays the story, prints the
summary tables, checks conservation on chain and writes reports/lifecycle.json and the QR images in reports/qr/.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from eth_utils import keccak
from rich.console import Console
from rich.table import Table

from crosspay import fx, qr
from crosspay.actors import Actor, institution, person
from crosspay.codes import jurisdiction
from crosspay.files import quiet
from crosspay.settlement import PaymentIntent, merchant_id, order_ref, payment_id
from crosspay.signing import sign_authorization
from crosspay.story import Story
from crosspay.system import Roles

REPORTS = Path(__file__).resolve().parent.parent / "reports"
QR_DIR = REPORTS / "qr"
YEAR = 365 * 24 * 3600
DAY = 24 * 3600
HOUR = 3600
CNY_HKD = "1.0845"  # the FX desk's rate for the day: HKD per CNY


def ref(text: str) -> bytes:
    return text.encode()[:32].ljust(32, b"\0")


@dataclass
class Merchant:
    name: str
    id: bytes
    payout: Actor
    operator: Actor
    token_symbol: str
    mdr_bps: int


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
    def customers(self) -> list[Actor]:
        return [self.li_wei, self.wang_fang, self.chan]

    @property
    def everyone(self) -> list[Actor]:
        return [self.mainland_bank, self.harbour_bank, self.network, self.acquirer, self.treasury, self.fx_desk,
                *self.customers, self.noodles.payout, self.tea_house.payout]

    def roles(self) -> Roles:
        return Roles(
            kyc_officer=self.compliance.address,
            enforcer=self.compliance.address,
            cny_issuer=self.mainland_bank.address,
            cny_auditor=self.auditor.address,
            hkd_issuer=self.harbour_bank.address,
            hkd_auditor=self.auditor.address,
            pauser=self.operator.address,
            acquirer=self.acquirer.address,
            settler=self.acquirer.address,
            network_fee_account=self.network.address,
            escrow_fee_account=self.treasury.address,
            liquidity_provider=self.fx_desk.address,
        )


def cast() -> Cast:
    operator = institution("Crosspay operator", 0)
    funder = operator.account

    def merchant(name, code, symbol, mdr_bps):
        return Merchant(name, merchant_id(code), person(f"{name} (payout)", funder),
                        person(f"{name} (till)", funder), symbol, mdr_bps)

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
        noodles=merchant("Bund Noodles, Shanghai", "SH-BUND-NOODLES", "dCNY", 60),
        tea_house=merchant("Harbour Tea House, Hong Kong", "HK-TEA-HOUSE", "dHKD", 80),
    )


class Day:
    """The story's chapters, sharing the cast, the system and what happened so far."""

    def __init__(self, story: Story, c: Cast, system):
        from brownie import chain

        self.story, self.c, self.system, self.chain = story, c, system, chain
        self.dcny, self.dhkd = system.tokens["dCNY"], system.tokens["dHKD"]
        self.settlement, self.escrow = system.settlement, system.escrow
        self.payments: list[bytes] = []  # every payment id the story created
        self.transfers: list[bytes] = []  # every escrow transfer id
        self.settled: dict[str, dict] = {}  # merchant name -> its MerchantSettled figures
        self.swap = None

    def step(self, actor: Actor | str, action: str):
        return self.story.step(str(actor), action)

    def token(self, symbol: str):
        return self.system.tokens[symbol]

    def show_qr(self, name: str, uri: str) -> str:
        """Renders the QR as a PNG, then 'scans' it back (decodes the image) as a phone would; returns the URI read."""
        QR_DIR.mkdir(parents=True, exist_ok=True)
        path = QR_DIR / f"{name}.png"
        path.write_bytes(qr.png(uri))
        self.story.add_qr(uri, path.relative_to(REPORTS.parent))
        return qr.decode_png(path.read_bytes())

    # --- chapters ---------------------------------------------------------------------------------------------

    def onboarding(self):
        c, registry = self.c, self.system.registry
        self.story.chapter("Onboarding and KYC")
        groups = [
            ("CN", "the mainland customers, Bund Noodles, Mainland Bank and Pearl Acquiring",
             [c.li_wei, c.wang_fang, c.noodles.payout, c.noodles.operator, c.mainland_bank, c.acquirer]),
            ("HK", "the Hong Kong customer, the tea house, Harbour Bank, the FX desk, the network and the treasury",
             [c.chan, c.tea_house.payout, c.tea_house.operator, c.harbour_bank, c.fx_desk, c.network, c.treasury]),
        ]
        for code, who, actors in groups:
            @self.step(c.compliance, f"verifies {who} ({code}, one year)")
            def _(code=code, actors=actors):
                return registry.setVerifiedBatch([a.address for a in actors], jurisdiction(code),
                                                 self.chain.time() + YEAR, {"from": c.compliance.account})

        for m in (c.noodles, c.tea_house):
            @self.step(c.acquirer, f"signs up {m.name} at {m.mdr_bps} bps MDR")
            def _(m=m):
                return self.settlement.registerMerchant(m.id, m.payout.address, m.operator.address, m.mdr_bps,
                                                        {"from": c.acquirer.account})

    def deposits(self):
        c = self.c
        self.story.chapter("Deposits minted against attested reserves")
        for symbol, bank, reserves in (("dCNY", c.mainland_bank, 50_000_000_00), ("dHKD", c.harbour_bank, 20_000_000_00)):
            token = self.token(symbol)

            @self.step(c.auditor, f"attests {reserves / 100:,.2f} {symbol} of reserves")
            def _(token=token, reserves=reserves):
                return token.attestReserves(reserves, ref("audit 2026-11-27"), {"from": c.auditor.account})

            @self.step(c.operator, f"sets {bank}'s issuance allowance")
            def _(token=token, bank=bank, reserves=reserves):
                return token.setIssuerAllowance(bank.address, reserves, {"from": c.operator.account})

        for symbol, bank, holder, amount in (
            ("dCNY", c.mainland_bank, c.li_wei, 20_000_00), ("dCNY", c.mainland_bank, c.wang_fang, 8_000_00),
            ("dHKD", c.harbour_bank, c.chan, 15_000_00), ("dHKD", c.harbour_bank, c.fx_desk, 500_000_00),
        ):
            @self.step(bank, f"mints {amount / 100:,.2f} {symbol} to {holder} against a deposit")
            def _(symbol=symbol, bank=bank, holder=holder, amount=amount):
                return self.token(symbol).mint(holder.address, amount, ref(f"deposit {holder}"),
                                               {"from": bank.account})

    def person_to_person(self):
        c = self.c
        self.story.chapter("Person to person: scanning a friend's QR")

        @self.step(c.wang_fang, "scans Li Wei's QR and sends her 88.00 dCNY for dinner")
        def _():
            uri = qr.static_uri(self.dcny, self.chain.id, c.li_wei.address, 88_00)
            request = qr.parse_static(self.show_qr("p2p-li-wei", uri), chain_id=self.chain.id)
            return self.dcny.transfer(request.payout, request.amount, {"from": c.wang_fang.account})

    def static_qr_payment(self):
        c, m = self.c, self.c.noodles
        self.story.chapter("A static-QR payment")

        @self.step(c.li_wei, f"pays {m.name}'s counter QR: 36.00 dCNY straight to its payout account")
        def _():
            uri = qr.static_uri(self.dcny, self.chain.id, m.payout.address, 36_00)
            request = qr.parse_static(self.show_qr("static-bund-noodles", uri), chain_id=self.chain.id)
            return self.dcny.transfer(request.payout, request.amount, {"from": c.li_wei.account})

    def _intent(self, m: Merchant, amount: int, order: str, expires_in: int = HOUR) -> PaymentIntent:
        return PaymentIntent(m.id, self.token(m.token_symbol).address, amount, order_ref(order),
                             self.chain.time() + expires_in)

    def _pay(self, payer: Actor, m: Merchant, amount: int, order: str, mode: str) -> bytes:
        """The merchant shows a dynamic QR; the payer scans it and pays in `mode` (charge or authorize)."""
        intent = self._intent(m, amount, order)
        uri = qr.dynamic_uri(self.settlement, self.chain.id, intent, mode)
        scanned = qr.parse_dynamic(self.show_qr(f"dynamic-{order}", uri), chain_id=self.chain.id,
                                   settlement=self.settlement.address)
        call = self.settlement.charge if scanned.mode == "charge" else self.settlement.authorize
        tx = call(scanned.intent.as_tuple(), {"from": payer.account})
        self.payments.append(payment_id(self.chain.id, self.settlement, scanned.intent, payer.address))
        return tx

    def dynamic_qr_payments(self):
        c, noodles, tea = self.c, self.c.noodles, self.c.tea_house
        self.story.chapter("Dynamic-QR payments: authorize, capture, void, refund, reclaim")

        for payer, symbol in ((c.li_wei, "dCNY"), (c.wang_fang, "dCNY"), (c.chan, "dHKD")):
            @self.step(payer, f"lets MerchantSettlement pull {symbol} for QR payments")
            def _(payer=payer, symbol=symbol):
                return self.token(symbol).approve(self.settlement, 2**256 - 1, {"from": payer.account})

        @self.step(c.li_wei, f"scans {noodles.name}'s table QR: authorizes 300.00 dCNY for a banquet")
        def _():
            return self._pay(c.li_wei, noodles, 300_00, "banquet-0001", "authorize")

        @self.step(noodles.operator, "captures 180.00 of it: the banquet came in under budget")
        def _():
            return self.settlement.capture(self.payments[-1], 180_00, {"from": noodles.operator.account})

        @self.step(noodles.operator, "voids the uncaptured 120.00 back to Li Wei")
        def _():
            return self.settlement.void(self.payments[-1], {"from": noodles.operator.account})

        @self.step(c.wang_fang, f"scans {noodles.name}'s till QR: a 128.00 dCNY charge (authorize + capture)")
        def _():
            return self._pay(c.wang_fang, noodles, 128_00, "till-0002", "charge")

        @self.step(noodles.operator, "refunds 28.00 for a dish that never came")
        def _():
            return self.settlement.refund(self.payments[-1], 28_00, {"from": noodles.operator.account})

        @self.step(c.chan, f"scans {tea.name}'s QR: authorizes 150.00 dHKD for a tasting he then skips")
        def _():
            return self._pay(c.chan, tea, 150_00, "tasting-0003", "authorize")

        @self.step("The clock", "moves past the 7-day authorization period")
        def _():
            (authorization_period, _) = self.settlement.periods()
            self.chain.sleep(authorization_period + 1)
            self.chain.mine()

        @self.step(c.chan, "reclaims his uncaptured 150.00 dHKD")
        def _():
            return self.settlement.reclaim(self.payments[-1], {"from": c.chan.account})

    def gasless_payment(self):
        c, m = self.c, self.c.tea_house
        self.story.chapter("A gasless QR payment (EIP-3009, submitted by a relayer)")

        @self.step(c.chan, f"scans {m.name}'s QR and signs for 68.00 dHKD; the relayer submits and pays the gas")
        def _():
            intent = self._intent(m, 68_00, "gasless-0004")
            uri = qr.dynamic_uri(self.settlement, self.chain.id, intent, "charge")
            scanned = qr.parse_dynamic(self.show_qr("dynamic-gasless-0004", uri), chain_id=self.chain.id,
                                       settlement=self.settlement.address)
            nonce = payment_id(self.chain.id, self.settlement, scanned.intent, c.chan.address)
            valid_before = self.chain.time() + 10 * 60
            signature = sign_authorization(c.chan.account.private_key, self.dhkd, self.chain.id, c.chan.address,
                                           self.settlement.address, scanned.intent.amount, 0, valid_before, nonce,
                                           receive=True)
            tx = self.settlement.chargeWithAuthorization(scanned.intent.as_tuple(), c.chan.address, 0, valid_before,
                                                         *signature.as_args(), {"from": c.relayer.account})
            self.payments.append(nonce)
            return tx

    def batch_settlement(self):
        c = self.c
        self.story.chapter("Batch settlement of all merchants")
        for symbol, merchants in (("dCNY", [c.noodles]), ("dHKD", [c.tea_house])):
            @self.step(c.acquirer, f"settles every {symbol} merchant in one batch")
            def _(symbol=symbol, merchants=merchants):
                tx = self.settlement.settle(self.token(symbol), [m.id for m in merchants], {"from": c.acquirer.account})
                by_id = {m.id: m for m in merchants}
                for event in tx.events["MerchantSettled"]:
                    merchant = by_id[bytes(event["merchantId"])]
                    self.settled[merchant.name] = {"token": symbol, **{k: event[k] for k in ("gross", "fees", "refunds", "net")}}
                return tx

        @self.step(c.network, "withdraws its dCNY share of the fees")
        def _():
            return self.settlement.withdrawFees(self.dcny, {"from": c.network.account})

    def _remit(self, sender: Actor, beneficiary: Actor, amount: int, label: str):
        """Two steps: the sender locks against a fresh quote, then the FX desk releases payment-versus-payment."""
        c = self.c
        deal = {}  # filled by the first step: the quote is made when the customer asks, not when the story is told

        @self.step(sender, f"asks the FX desk for {amount / 100:,.2f} dCNY -> dHKD at {CNY_HKD}, accepts the signed "
                           f"quote and locks it (+ the fee) for {beneficiary}")
        def _():
            quote = fx.quote_from_source(self.dcny.address, self.dhkd.address, amount, CNY_HKD, c.fx_desk.address,
                                         self.chain.time() + 10 * 60)
            signature = fx.sign_quote(c.fx_desk.account.private_key, quote, self.chain.id, self.escrow)
            offer = fx.offer(quote, self.escrow.feeBps())  # the fee the app shows is the most the sender pays
            travel_rule = keccak(text=json.dumps({"originator": str(sender), "beneficiary": str(beneficiary),
                                                  "purpose": label}, sort_keys=True))
            approve = self.dcny.approve(self.escrow, offer.total, {"from": sender.account})
            initiate = self.escrow.initiate(*fx.initiate_args(offer, signature, beneficiary.address,
                                                              self.chain.time() + HOUR, travel_rule),
                                            {"from": sender.account})
            deal.update(quote=quote, transfer_id=fx.transfer_id(c.fx_desk.address, quote.quote_id))
            self.transfers.append(deal["transfer_id"])
            return [approve, initiate]

        @self.step(c.fx_desk, "releases payment-versus-payment: both legs in one transaction, the fee credited")
        def _():
            approve = self.dhkd.approve(self.escrow, deal["quote"].target_amount, {"from": c.fx_desk.account})
            return [approve, self.escrow.release(deal["transfer_id"], {"from": c.fx_desk.account})]

    def cross_border(self):
        c = self.c
        self.story.chapter("Cross-border: PvP remittance, a currency conversion, a two-ledger HTLC swap")
        self._remit(c.li_wei, c.chan, 2_000_00, "family support")
        self._remit(c.wang_fang, c.wang_fang, 500_00, "conversion for a trip")

        @self.step("Li Wei and the FX desk", "swap 1,000.00 dCNY on the mainland ledger for dHKD on the Hong Kong "
                                             "ledger (HTLC, two nodes)")
        def _():
            from crosspay.nodes import free_ports, start_node
            from crosspay.swap import run_swap, setup_ledgers

            nodes = []
            try:
                port_a, port_b = free_ports(2)
                nodes = [start_node("ganache", port_a, 1337), start_node("anvil", port_b, 31337)]
                a, b = setup_ledgers(nodes[0], nodes[1], 1_000_00, 1_084_50)
                setup = len(a.log), len(b.log)
                self.swap = run_swap(a, b, 1_000_00, 1_084_50)
                return [r for _, r in a.log[setup[0]:]] + [r for _, r in b.log[setup[1]:]]
            finally:
                for node in nodes:
                    node.stop()

    def enforcement(self):
        c = self.c
        self.story.chapter("A frozen account and a seizure")

        @self.step(c.compliance, "freezes Wang Fang's account under a court order")
        def _():
            return self.system.registry.freeze(c.wang_fang.address, ref("SH court 2026-1187"),
                                               {"from": c.compliance.account})

        @self.step(c.compliance, "seizes 1,000.00 dCNY from her to Mainland Bank's custody account")
        def _():
            return self.dcny.seize(c.wang_fang.address, c.mainland_bank.address, 1_000_00, ref("SH court 2026-1187"),
                                   {"from": c.compliance.account})

    def redemptions(self):
        c = self.c
        self.story.chapter("Redemptions")
        for holder, symbol, amount in ((c.li_wei, "dCNY", 5_000_00), (c.noodles.payout, "dCNY", 200_00),
                                       (c.chan, "dHKD", 1_000_00)):
            @self.step(holder, f"redeems {amount / 100:,.2f} {symbol} for cash")
            def _(holder=holder, symbol=symbol, amount=amount):
                return self.token(symbol).redeem(amount, ref(f"withdrawal {holder}"), {"from": holder.account})

    CHAPTERS = ("onboarding", "deposits", "person_to_person", "static_qr_payment", "dynamic_qr_payments",
                "gasless_payment", "batch_settlement", "cross_border", "enforcement", "redemptions")


def _one_line(exc: Exception) -> str:
    from requests.exceptions import ConnectionError as NodeUnreachable

    cause = getattr(exc, "cause", exc)
    if isinstance(cause, (NodeUnreachable, ConnectionRefusedError)) or "Connection refused" in str(cause):
        return f"the local chain stopped answering ({exc})"
    return str(exc).splitlines()[0]


# --- checks and tables --------------------------------------------------------------------------------------------


def conservation_problems(day: Day) -> list[str]:
    """On chain: each token's supply is what was minted minus what was redeemed (from its own events), and each
    escrow or settlement contract holds exactly what its open records say."""
    problems = []
    system = day.system
    for symbol, token in system.tokens.items():
        minted = sum(e.args.amount for e in token.events.get_sequence(from_block=0, event_type="Minted"))
        redeemed = sum(e.args.amount for e in token.events.get_sequence(from_block=0, event_type="Redeemed"))
        if token.totalSupply() != minted - redeemed:
            problems.append(f"{symbol}: totalSupply {token.totalSupply()} != minted {minted} - redeemed {redeemed}")

        open_authorizations = 0
        for pid in day.payments:
            status, _, _, payment_token, authorized, captured, _, _ = system.settlement.paymentOf(pid)
            if payment_token == token.address and status == 1:  # Authorized: the uncaptured part is held
                open_authorizations += authorized - captured
        merchants = [day.c.noodles, day.c.tea_house]
        pending = sum(system.settlement.pendingSettlement(m.id, token) for m in merchants)
        fee_accounts = {day.c.mainland_bank, day.c.harbour_bank, day.c.network, day.c.acquirer}
        fees = sum(system.settlement.feesOwed(a.address, token) for a in fee_accounts)
        held = token.balanceOf(system.settlement)
        if held != open_authorizations + pending + fees:
            problems.append(f"MerchantSettlement holds {held} {symbol} but its records say "
                            f"{open_authorizations} authorized + {pending} pending + {fees} fees")

        locked = 0
        for tid in day.transfers:
            status, _, _, source, _, source_amount, *_ = system.escrow.transferOf(tid)
            if status == 1 and source == token.address:
                locked += source_amount + system.escrow.feeOf(tid)
        owed = system.escrow.feesOwed(day.c.treasury.address, token)
        held = sum(system.escrow.heldBalance(a.address, token) for a in day.c.everyone)
        if token.balanceOf(system.escrow) != locked + owed + held:
            problems.append(f"CrossBorderEscrow holds {token.balanceOf(system.escrow)} {symbol}, its Locked "
                            f"transfers {locked} + fees owed {owed} + held {held}")
        if token.balanceOf(system.htlc) != 0:  # the story leaves no lock open on this ledger
            problems.append(f"HashedTimelock holds {token.balanceOf(system.htlc)} {symbol} with no open lock")
    if day.swap is not None:
        after = day.swap.balances_after
        if after["A HTLC dCNY"] or after["B HTLC dHKD"]:
            problems.append(f"the two-ledger swap left funds locked: {after}")
    return problems


def balances_table(day: Day) -> Table:
    table = Table(title="Balances per actor")
    table.add_column("actor")
    for symbol in day.system.tokens:
        table.add_column(symbol, justify="right")
    holders = [(a.name, a.address) for a in day.c.everyone]
    holders += [(f"{name} (contract)", c.address) for name, c in day.system.contracts.items()]
    for name, address in holders:
        table.add_row(name, *(f"{t.balanceOf(address) / 100:,.2f}" for t in day.system.tokens.values()))
    table.add_row("[bold]total supply", *(f"[bold]{t.totalSupply() / 100:,.2f}" for t in day.system.tokens.values()))
    return table


def fees_table(day: Day) -> Table:
    c, settlement = day.c, day.system.settlement
    table = Table(title="Fees earned per party")
    table.add_column("party")
    table.add_column("earned as")
    for symbol in day.system.tokens:
        table.add_column(f"{symbol} owed", justify="right")
    for party, role in ((c.mainland_bank, "issuer (interchange)"), (c.harbour_bank, "issuer (interchange)"),
                        (c.network, "card network"), (c.acquirer, "acquirer")):
        table.add_row(party.name, role,
                      *(f"{settlement.feesOwed(party.address, t) / 100:,.2f}" for t in day.system.tokens.values()))
    withdrawn = {symbol: sum(e.args.amount for e in settlement.events.get_sequence(from_block=0, event_type="FeesWithdrawn")
                             if e.args.token == token.address) for symbol, token in day.system.tokens.items()}
    table.add_row("(already withdrawn)", "pull ledger", *(f"{w / 100:,.2f}" for w in withdrawn.values()))
    # The treasury is the escrow's fee account: its fees are a pull ledger in the escrow too.
    table.add_row(c.treasury.name, "cross-border fee",
                  *(f"{day.system.escrow.feesOwed(c.treasury.address, t) / 100:,.2f}"
                    for t in day.system.tokens.values()))
    return table


def settlement_table(day: Day) -> Table:
    table = Table(title="Settlement per merchant")
    for column in ("merchant", "token", "gross", "fees", "refunds", "net paid"):
        table.add_column(column, justify="left" if column in ("merchant", "token") else "right")
    for name, s in day.settled.items():
        table.add_row(name, s["token"], *(f"{s[k] / 100:,.2f}" for k in ("gross", "fees", "refunds", "net")))
    return table


def run_demo(deploy, lifecycles: int | None = None) -> int:
    """Deploys with `deploy(roles=..., console=...)`, plays every chapter (or, with `lifecycles`, the load mode),
    prints the summary; returns an exit code."""
    console = Console(file=sys.stdout)
    try:
        with quiet():
            c = cast()
        system = deploy(console=console, roles=c.roles())
        story = Story(console)
        day = Day(story, c, system)
        for chapter in ("onboarding", "deposits") if lifecycles else Day.CHAPTERS:
            getattr(day, chapter)()
        story.run()
        if lifecycles:
            from crosspay.load import report, run_load

            result = run_load(day, lifecycles, console, seed=int(os.environ.get("LOAD_SEED", 0)))
            report(result, console, REPORTS / "load.json")
    except Exception as exc:  # a node that died, a step that reverted: one line, non-zero exit
        console.print(f"[red]demo stopped:[/] {_one_line(exc)}; nothing is half-written, rerun `make demo`.")
        return 1
    tables = [balances_table(day)] if lifecycles else [balances_table(day), fees_table(day), settlement_table(day)]
    for table in tables:
        console.print(table)
    problems = conservation_problems(day)
    story.write(REPORTS / "lifecycle.json", {"conservation": problems or "ok"})
    if problems:
        for problem in problems:
            console.print(f"[red]conservation broken:[/] {problem}")
        return 1
    console.print("[green]conservation holds[/]: supplies match mints and redemptions, every contract holds exactly "
                  "its open records. Log: reports/lifecycle.json, QR images: reports/qr/")
    return 0
