"""The chapters of the demo's day, each a sequence of plain steps: every step is run as it is told, and what it
produces (a payment id, a quote, a transfer id, the swap's result) is kept in a named variable for the steps after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from eth_utils import keccak

from crosspay._utils.files import write_atomic
from crosspay._utils.paths import REPORTS, ROOT
from crosspay.core import crosscurrency, emvco, fx, qr
from crosspay.core.encoding import bytes32
from crosspay.core.iso import jurisdiction
from crosspay.core.settlement import payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization
from crosspay.demo.cast import Actor, Cast, Merchant
from crosspay.demo.story import Step, Story
from crosspay.deploy.plan import System

QR_DIR = REPORTS / "qr"
YEAR = 365 * 24 * 3600
HOUR = 3600
CNY_HKD = "1.0845"  # the FX desk's rate for the day: HKD per CNY
HKD_CNY_LATER = "0.9190"  # its rate when the tea house refunds: CNY per HKD (the yuan firmed a little since)


@dataclass
class Day:
    """What every chapter works with: the story it tells, the cast, the deployed system and the chain."""

    story: Story
    cast: Cast
    system: System
    chain: object  # brownie's chain

    @property
    def settlement(self):
        return self.system.settlement

    def token(self, symbol: str):
        return self.system.tokens[symbol]


def a_day(day: Day):
    """The whole day, chapter after chapter; returns the two-ledger swap's result (for the conservation check)."""
    onboarding(day)
    deposits(day)
    person_to_person(day)
    static_qr_payment(day)
    dynamic_qr_payments(day)
    gasless_payment(day)
    cross_currency_payments(day)
    batch_settlement(day)
    swap = cross_border(day)
    enforcement(day)
    redemptions(day)
    return swap


# --- chapters ---------------------------------------------------------------------------------------------------------


def onboarding(day: Day) -> None:
    story, c, registry = day.story, day.cast, day.system.registry
    story.chapter("Onboarding and KYC")
    groups = [
        (
            "CN",
            "the mainland customers, Bund Noodles, Mainland Bank and Pearl Acquiring",
            [c.li_wei, c.wang_fang, c.noodles.payout, c.noodles.operator, c.mainland_bank, c.acquirer],
        ),
        (
            "HK",
            "the Hong Kong customer, the tea house, Harbour Bank, the FX desk, the network and the treasury",
            [c.chan, c.tea_house.payout, c.tea_house.operator, c.harbour_bank, c.fx_desk, c.network, c.treasury],
        ),
    ]
    for code, who, actors in groups:
        with story.step(c.compliance, f"verifies {who} ({code}, one year)") as step:
            step.sent(
                registry.setVerifiedBatch(
                    [a.address for a in actors],
                    jurisdiction(code),
                    day.chain.time() + YEAR,
                    {"from": c.compliance.account},
                )
            )
    for m in (c.noodles, c.tea_house):
        with story.step(c.acquirer, f"signs up {m.name} at {m.mdr_bps} bps MDR") as step:
            step.sent(
                day.settlement.registerMerchant(
                    m.id, m.payout.address, m.operator.address, m.mdr_bps, {"from": c.acquirer.account}
                )
            )


def deposits(day: Day) -> None:
    story, c = day.story, day.cast
    story.chapter("Deposits minted against attested reserves")
    for symbol, bank, reserves in (("dCNY", c.mainland_bank, 50_000_000_00), ("dHKD", c.harbour_bank, 20_000_000_00)):
        token = day.token(symbol)
        with story.step(c.auditor, f"attests {reserves / 100:,.2f} {symbol} of reserves") as step:
            step.sent(token.attestReserves(reserves, bytes32("audit 2026-11-27"), {"from": c.auditor.account}))
        with story.step(c.operator, f"sets {bank}'s issuance allowance") as step:
            step.sent(token.setIssuerAllowance(bank.address, reserves, {"from": c.operator.account}))
    for symbol, bank, holder, amount in (
        ("dCNY", c.mainland_bank, c.li_wei, 20_000_00),
        ("dCNY", c.mainland_bank, c.wang_fang, 8_000_00),
        ("dHKD", c.harbour_bank, c.chan, 15_000_00),
        ("dHKD", c.harbour_bank, c.fx_desk, 500_000_00),
    ):
        with story.step(bank, f"mints {amount / 100:,.2f} {symbol} to {holder} against a deposit") as step:
            step.sent(
                day.token(symbol).mint(holder.address, amount, bytes32(f"deposit {holder}"), {"from": bank.account})
            )


def person_to_person(day: Day) -> None:
    story, c, dcny = day.story, day.cast, day.token("dCNY")
    story.chapter("Person to person: scanning a friend's QR")
    with story.step(c.wang_fang, "scans Li Wei's QR and sends her 88.00 dCNY for dinner") as step:
        shown = qr.static_uri(dcny, day.chain.id, c.li_wei.address, 88_00)
        request = qr.parse_static(show_qr(step, "p2p-li-wei", shown), chain_id=day.chain.id)
        step.sent(dcny.transfer(request.payout, request.amount, {"from": c.wang_fang.account}))


def static_qr_payment(day: Day) -> None:
    story, c, m, settlement = day.story, day.cast, day.cast.noodles, day.settlement
    story.chapter("A static EMVCo QR at the counter")
    for payer, symbol in ((c.li_wei, "dCNY"), (c.wang_fang, "dCNY"), (c.chan, "dHKD")):
        with story.step(payer, f"lets MerchantSettlement pull {symbol} for QR payments") as step:
            step.sent(day.token(symbol).approve(settlement, 2**256 - 1, {"from": payer.account}))
    with story.step(c.li_wei, f"scans {m.name}'s counter sticker, enters 36.00 dCNY and pays it") as step:
        scanned = scan_merchant_qr(step, "static-bund-noodles", merchant_qr(day, m))
        intent = scanned.intent(
            day.token(m.token_symbol).address,
            chain_id=day.chain.id,
            settlement=settlement.address,
            now=day.chain.time(),
            amount=36_00,
            expires_at=day.chain.time() + HOUR,
            order_reference="counter-0001",
        )
        step.sent(settlement.charge(intent.as_tuple(), {"from": c.li_wei.account}))


def dynamic_qr_payments(day: Day) -> None:
    story, c, settlement = day.story, day.cast, day.settlement
    noodles, tea = c.noodles, c.tea_house
    story.chapter("Dynamic EMVCo QRs: authorize, capture, void, refund, reclaim")
    with story.step(c.li_wei, f"scans {noodles.name}'s table QR: authorizes 300.00 dCNY for a banquet") as step:
        banquet = pay_by_dynamic_qr(day, step, c.li_wei, noodles, 300_00, "banquet-0001", emvco.AUTHORIZE)
    with story.step(noodles.operator, "captures 180.00 of it: the banquet came in under budget") as step:
        step.sent(settlement.capture(banquet, 180_00, {"from": noodles.operator.account}))
    with story.step(noodles.operator, "voids the uncaptured 120.00 back to Li Wei") as step:
        step.sent(settlement.void(banquet, {"from": noodles.operator.account}))

    with story.step(c.wang_fang, f"scans {noodles.name}'s till QR: a 128.00 dCNY charge (authorize + capture)") as step:
        dinner = pay_by_dynamic_qr(day, step, c.wang_fang, noodles, 128_00, "till-0002", emvco.CHARGE)
    with story.step(noodles.operator, "refunds 28.00 for a dish that never came") as step:
        step.sent(settlement.refund(dinner, 28_00, {"from": noodles.operator.account}))

    with story.step(c.chan, f"scans {tea.name}'s QR: authorizes 150.00 dHKD for a tasting he then skips") as step:
        tasting = pay_by_dynamic_qr(day, step, c.chan, tea, 150_00, "tasting-0003", emvco.AUTHORIZE)
    with story.step("The clock", "moves past the 7-day authorization period"):
        day.chain.sleep(settlement.periods()["authorizationPeriod"] + 1)
        day.chain.mine()
    with story.step(c.chan, "reclaims his uncaptured 150.00 dHKD") as step:
        step.sent(settlement.reclaim(tasting, {"from": c.chan.account}))


def gasless_payment(day: Day) -> None:
    story, c, m, settlement, dhkd = day.story, day.cast, day.cast.tea_house, day.settlement, day.token("dHKD")
    story.chapter("A gasless QR payment (EIP-3009, submitted by a relayer)")
    with story.step(
        c.chan, f"scans {m.name}'s QR and signs for 68.00 dHKD; the relayer submits and pays the gas"
    ) as step:
        scanned = scan_merchant_qr(step, "dynamic-gasless-0004", merchant_qr(day, m, 68_00, "gasless-0004"))
        intent = scanned.intent(
            dhkd.address, chain_id=day.chain.id, settlement=settlement.address, now=day.chain.time()
        )
        nonce = authorization_nonce(payment_id(day.chain.id, settlement, intent, c.chan.address), capture=True)
        valid_before = day.chain.time() + 10 * 60
        signature = sign_authorization(
            c.chan.account.private_key,
            dhkd,
            day.chain.id,
            c.chan.address,
            settlement.address,
            intent.amount,
            0,
            valid_before,
            nonce,
            receive=True,
        )
        step.sent(
            settlement.chargeWithAuthorization(
                intent.as_tuple(), c.chan.address, 0, valid_before, *signature.as_args(), {"from": c.relayer.account}
            )
        )


def cross_currency_payments(day: Day) -> None:
    """Li Wei, a mainland tourist holding dCNY, pays Harbour Tea House's EMVCo QRs, which state HKD: the Lion Rock FX
    desk quotes each payment, MerchantSettlement locks her dCNY and the desk's dHKD, and the tea house is settled in
    dHKD with its domestic sales (the next chapter's batch). After each step, the books say who paid and received what,
    read from the chain."""
    story, c, settlement = day.story, day.cast, day.settlement
    tea, desk, li = c.tea_house, c.fx_desk, c.li_wei
    dhkd = day.token("dHKD")
    story.chapter("Cross-currency QR payments: a mainland tourist pays a Hong Kong tea house in dCNY")
    with story.step(
        desk, "deposits 20,000.00 dHKD of float with MerchantSettlement, to lock against its quotes"
    ) as step:
        step.sent(dhkd.approve(settlement, 20_000_00, {"from": desk.account}))
        step.sent(settlement.depositLiquidity(dhkd, 20_000_00, {"from": desk.account}))

    payments = []  # the chapter's payment ids, whose locked legs the books count
    before = books(day, payments)
    with story.step(li, f"scans {tea.name}'s till QR for 128.00 HKD, accepts the desk's dCNY quote and pays") as step:
        intent, quote, signature = quoted_payment(day, step, li, tea, 128_00, "tea-0005", emvco.CHARGE)
        step.sent(settlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": li.account}))
        lunch = quote.quote_id
        payments.append(lunch)
    before = tell_books(day, before, f"a charge at {CNY_HKD} HKD per CNY", payments)

    with story.step(li, f"scans {tea.name}'s table QR: authorizes 300.00 HKD for a tea tasting for two") as step:
        intent, quote, signature = quoted_payment(day, step, li, tea, 300_00, "tasting-0006", emvco.AUTHORIZE)
        step.sent(
            settlement.authorizeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": li.account})
        )
        tasting = quote.quote_id
        payments.append(tasting)
    before = tell_books(day, before, "both legs locked: her dCNY and the desk's dHKD", payments)
    with story.step(tea.operator, "captures 180.00 HKD of it: one guest did not come") as step:
        step.sent(settlement.capture(tasting, 180_00, {"from": tea.operator.account}))
    before = tell_books(day, before, "the capture converts at the locked quote", payments)
    with story.step(
        tea.operator, "voids the rest: her uncaptured dCNY back to her, the desk's dHKD to its float"
    ) as step:
        step.sent(settlement.void(tasting, {"from": tea.operator.account}))
    before = tell_books(day, before, "a void returns her own dCNY: no FX on what was not captured", payments)

    with story.step(
        li, f"scans {tea.name}'s QR for 68.00 HKD and signs for the dCNY quoted; the relayer submits and pays the gas"
    ) as step:
        intent, quote, signature = quoted_payment(day, step, li, tea, 68_00, "gasless-0007", emvco.CHARGE)
        authorization = payer_authorization(day, li, quote, is_charge=True)
        step.sent(
            settlement.chargeCrossCurrencyWithAuthorization(
                intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": c.relayer.account}
            )
        )
        payments.append(quote.quote_id)
    before = tell_books(day, before, "a gasless charge: the relayer paid the gas", payments)

    with story.step(
        tea.operator, f"refunds 28.00 HKD of her first charge at the desk's refund quote ({HKD_CNY_LATER} CNY per HKD)"
    ) as step:
        refunded = settlement.paymentOf(lunch)["refunded"]
        quote = crosscurrency.refund_quote(
            lunch, refunded, amount=28_00, target_token=dhkd, source_token=day.token("dCNY"), rate=HKD_CNY_LATER,
            liquidity_provider=desk.address, expires_at=day.chain.time() + 10 * 60,
        )  # fmt: skip
        signature = sign_settlement_quote(day, quote)
        step.sent(settlement.refundCrossCurrency(lunch, quote.as_tuple(), signature, {"from": tea.operator.account}))
    tell_books(day, before, "a refund is a new conversion at the day's rate: Li Wei bears the move", payments)


def batch_settlement(day: Day) -> None:
    story, c, settlement = day.story, day.cast, day.settlement
    story.chapter("Batch settlement of all merchants")
    for symbol, merchants in (("dCNY", [c.noodles]), ("dHKD", [c.tea_house])):
        with story.step(c.acquirer, f"settles every {symbol} merchant in one batch") as step:
            step.sent(settlement.settle(day.token(symbol), [m.id for m in merchants], {"from": c.acquirer.account}))
    with story.step(c.network, "withdraws its dCNY share of the fees") as step:
        step.sent(settlement.withdrawFees(day.token("dCNY"), {"from": c.network.account}))


def cross_border(day: Day):
    """Returns the two-ledger swap's result."""
    from crosspay.swap.protocol import swap_on_fresh_ledgers

    story, c = day.story, day.cast
    story.chapter("Cross-border: PvP remittance, a currency conversion, a two-ledger HTLC swap")
    remit(day, c.li_wei, c.chan, 2_000_00, "family support")
    remit(day, c.wang_fang, c.wang_fang, 500_00, "conversion for a trip")
    with story.step(
        "Li Wei and the FX desk",
        "swap 1,000.00 dCNY on the mainland ledger for dHKD on the Hong Kong ledger (HTLC, two nodes)",
    ) as step:
        swap = swap_on_fresh_ledgers(1_000_00, 1_084_50)
        step.sent(*swap.receipts)
    return swap


def enforcement(day: Day) -> None:
    story, c = day.story, day.cast
    story.chapter("A frozen account and a seizure")
    court_order = bytes32("SH court 2026-1187")
    with story.step(c.compliance, "freezes Wang Fang's account under a court order") as step:
        step.sent(day.system.registry.freeze(c.wang_fang.address, court_order, {"from": c.compliance.account}))
    with story.step(c.compliance, "seizes 1,000.00 dCNY from her to Mainland Bank's custody account") as step:
        step.sent(
            day.token("dCNY").seize(
                c.wang_fang.address, c.mainland_bank.address, 1_000_00, court_order, {"from": c.compliance.account}
            )
        )


def redemptions(day: Day) -> None:
    story, c = day.story, day.cast
    story.chapter("Redemptions")
    withdrawals = ((c.li_wei, "dCNY", 5_000_00), (c.noodles.payout, "dCNY", 200_00), (c.chan, "dHKD", 1_000_00))
    for number, (holder, symbol, amount) in enumerate(withdrawals, start=1):
        with story.step(holder, f"redeems {amount / 100:,.2f} {symbol} for cash") as step:
            step.sent(
                day.token(symbol).redeem(amount, bytes32(f"cash withdrawal {number:04d}"), {"from": holder.account})
            )


# --- what several steps do -------------------------------------------------------------------------------------


def show_qr(step: Step, name: str, uri: str) -> str:
    """Renders a wallet-to-wallet (EIP-681) QR as a PNG, then 'scans' it back (decodes the image) as a phone would;
    returns the URI read."""
    path = QR_DIR / f"{name}.png"
    write_png(path, qr.png(uri))
    step.showed_qr(uri, shown_path(path), "eip681")
    return qr.decode_png(path.read_bytes())


def merchant_qr(
    day: Day, m: Merchant, amount: int | None = None, order: str | None = None, mode: str = emvco.CHARGE
) -> emvco.MerchantQR:
    """The EMVCo QR `m`'s till shows. Without an amount it is the static sticker (the payer enters the amount and the
    app the order reference, "***"); with one it is a dynamic code for one payment: amount, order reference, an
    expiry an hour ahead and the mode (charge or authorize)."""
    dynamic = amount is not None
    return emvco.MerchantQR(
        initiation=emvco.Initiation.DYNAMIC if dynamic else emvco.Initiation.STATIC,
        merchant_name=m.qr_name,
        merchant_city=m.city,
        country=m.country,
        mcc=m.mcc,
        currency=m.currency,
        amount=amount,
        account=emvco.CrosspayAccount(
            chain_id=day.chain.id,
            settlement=day.settlement.address,
            merchant_id=m.code,
            expires_at=day.chain.time() + HOUR if dynamic else None,
            mode=mode,
        ),
        reference_label=order if dynamic else "***",
        terminal_label="TILL01",
    )


def scan_merchant_qr(step: Step, name: str, shown: emvco.MerchantQR) -> emvco.MerchantQR:
    """The till renders its EMVCo QR as a PNG; the payer's app scans the image and decodes it strictly."""
    path = QR_DIR / f"{name}.png"
    write_png(path, emvco.render(shown))
    step.showed_qr(emvco.encode(shown), shown_path(path), "emvco")
    return emvco.scan(path.read_bytes())


def write_png(path: Path, image: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, image)


def shown_path(path: Path) -> Path:
    """How the log names an image: relative to the repository (reports/qr/...) when it lies inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def pay_by_dynamic_qr(day: Day, step: Step, payer: Actor, m: Merchant, amount: int, order: str, mode: str) -> bytes:
    """The merchant's till shows a dynamic EMVCo QR; the payer scans it and pays in the mode it states (charge or
    authorize). Returns the payment id."""
    settlement = day.settlement
    scanned = scan_merchant_qr(step, f"dynamic-{order}", merchant_qr(day, m, amount, order, mode))
    intent = scanned.intent(
        day.token(m.token_symbol).address, chain_id=day.chain.id, settlement=settlement.address, now=day.chain.time()
    )
    pay = settlement.authorize if scanned.mode == emvco.AUTHORIZE else settlement.charge
    step.sent(pay(intent.as_tuple(), {"from": payer.account}))
    return payment_id(day.chain.id, settlement, intent, payer.address)


def quoted_payment(day: Day, step: Step, payer: Actor, m: Merchant, amount: int, order: str, mode: str):
    """The merchant's till shows a dynamic EMVCo QR in its currency; the payer's app scans it and asks the FX desk for
    a quote that prices this payment in the payer's dCNY (valid for as long as an authorization holds); the app shows
    the dCNY total. Returns (intent, quote, the desk's signature)."""
    settlement, desk = day.settlement, day.cast.fx_desk
    scanned = scan_merchant_qr(step, f"dynamic-{order}", merchant_qr(day, m, amount, order, mode))
    intent = scanned.intent(
        day.token(m.token_symbol).address, chain_id=day.chain.id, settlement=settlement.address, now=day.chain.time()
    )
    quote = crosscurrency.payment_quote(
        intent, payer.address, chain_id=day.chain.id, settlement=settlement, source_token=day.token("dCNY"),
        rate=CNY_HKD, liquidity_provider=desk.address,
        expires_at=day.chain.time() + settlement.periods()["authorizationPeriod"] + HOUR,
    )  # fmt: skip
    return intent, quote, sign_settlement_quote(day, quote)


def sign_settlement_quote(day: Day, quote: fx.Quote) -> bytes:
    """The FX desk's EIP-712 signature over `quote`, under MerchantSettlement's domain."""
    key = day.cast.fx_desk.account.private_key
    return fx.sign_quote(key, quote, day.chain.id, day.settlement, fx.SETTLEMENT_DOMAIN).packed


def payer_authorization(day: Day, payer: Actor, quote: fx.Quote, is_charge: bool) -> tuple:
    """The payer's EIP-3009 ReceiveWithAuthorization of the quote's dCNY to MerchantSettlement, its nonce binding the
    payment, the quote and the mode; as the contract's ReceiveAuthorization struct."""
    digest = fx.quote_digest(quote, day.chain.id, day.settlement, fx.SETTLEMENT_DOMAIN)
    nonce = crosscurrency.authorization_nonce(quote.quote_id, digest, is_charge)
    valid_before = day.chain.time() + 10 * 60
    signature = sign_authorization(
        payer.account.private_key, day.token("dCNY"), day.chain.id, payer.address, day.settlement.address,
        quote.source_amount, 0, valid_before, nonce, receive=True,
    )  # fmt: skip
    return (payer.address, 0, valid_before, *signature.as_args())


def books(day: Day, payments: list) -> dict:
    """What each party of the cross-currency chapter holds, read from the chain, by (party, token): Li Wei's and the FX
    desk's wallets plus what MerchantSettlement holds for them, the tea house's pending settlement, the fees owed, and
    what the chapter's `payments` still lock (`legsOf`)."""
    c, settlement = day.cast, day.settlement
    held = {}
    for symbol in ("dCNY", "dHKD"):
        token = day.token(symbol)
        for party in (c.li_wei, c.fx_desk):
            held[(party.name, symbol)] = token.balanceOf(party.address) + settlement.heldBalance(party.address, token)
        held[(f"{c.tea_house.name}'s pending settlement", symbol)] = settlement.pendingSettlement(c.tea_house.id, token)
        held[("the fee parties", symbol)] = sum(settlement.feesOwed(a.address, token) for a in c.fee_accounts)
        held[("locked in MerchantSettlement", symbol)] = 0
    for pid in payments:
        legs = settlement.legsOf(pid)
        held[("locked in MerchantSettlement", "dCNY")] += legs["sourceLocked"]
        held[("locked in MerchantSettlement", "dHKD")] += legs["targetLocked"]
    return held


def tell_books(day: Day, before: dict, why: str, payments: list) -> dict:
    """A step that tells who paid and received what since `before` (only what changed), `payments` being the chapter's
    payments so far; returns the books now."""
    after = books(day, payments)
    moves = {}
    for (party, symbol), amount in after.items():
        delta = amount - before.get((party, symbol), 0)
        if delta:
            moves.setdefault(party, []).append(f"{delta / 100:+,.2f} {symbol}")
    with day.story.step("The books", f"{why}: " + "; ".join(f"{p} {', '.join(m)}" for p, m in moves.items())):
        pass
    return after


def remit(day: Day, sender: Actor, beneficiary: Actor, amount: int, label: str) -> None:
    """Two steps: the sender locks against a fresh quote, then the FX desk releases payment-versus-payment."""
    story, c, escrow = day.story, day.cast, day.system.escrow
    dcny, dhkd = day.token("dCNY"), day.token("dHKD")
    with story.step(
        sender,
        f"asks the FX desk for {amount / 100:,.2f} dCNY -> dHKD at {CNY_HKD}, accepts the signed "
        f"quote and locks it (+ the fee) for {beneficiary}",
    ) as step:
        quote = fx.quote_from_source(
            dcny.address, dhkd.address, amount, CNY_HKD, c.fx_desk.address, day.chain.time() + 10 * 60
        )
        signature = fx.sign_quote(c.fx_desk.account.private_key, quote, day.chain.id, escrow)
        offer = fx.offer(quote, escrow.feeBps())  # the fee the app shows is the most the sender pays
        travel_rule = keccak(
            text=json.dumps(
                {"originator": str(sender), "beneficiary": str(beneficiary), "purpose": label}, sort_keys=True
            )
        )
        step.sent(dcny.approve(escrow, offer.total, {"from": sender.account}))
        deadline = day.chain.time() + HOUR
        step.sent(
            escrow.initiate(
                *fx.initiate_args(offer, signature, beneficiary.address, deadline, travel_rule),
                {"from": sender.account},
            )
        )
        transfer = fx.transfer_id(c.fx_desk.address, quote.quote_id)
    with story.step(
        c.fx_desk, "releases payment-versus-payment: both legs in one transaction, the fee credited"
    ) as step:
        step.sent(dhkd.approve(escrow, quote.target_amount, {"from": c.fx_desk.account}))
        step.sent(escrow.release(transfer, {"from": c.fx_desk.account}))
