"""Gas of cross-currency QR payments (issue 11, area "cross-currency"): a payer holding dCNY pays a merchant's dHKD
intent at a liquidity provider's quote, in MerchantSettlement.

Steady state, as for the settlement benchmark: the merchant's running totals and fee pools already written; payer,
payout, fee accounts and the LP already holding both tokens; the payer's standing allowance to the settlement at the
maximum; the LP's balance held in the settlement (its float, from which it delivers) already written in both tokens,
with enough dHKD to lock against its quotes. The six figures issue 11 sets targets for are gated: `make gas-check`
fails when one is over. Every figure is a receipt's gasUsed, the 21,000 base included.
"""

from crosspay.core import crosscurrency, fx
from crosspay.core.settlement import PaymentIntent, merchant_id, order_ref
from crosspay.core.signing import sign_authorization
from crosspay.deploy.plan import REGISTRY, SETTLEMENT, Fees, deploy
from crosspay.deploy.record import Deployer
from crosspay.tooling.gas import GasFigure, figure, foundation_roles, local_account, scenario

AREA = "cross-currency"
MDR_BPS = 80  # 0.80 %
FEE_SPLIT = (7_000, 1_000)
RATE = "1.0845"  # HKD per CNY
REFUND_RATE = "0.9190"  # CNY per HKD
FLOAT = 10**12

# Issue 11's targets: each is gated by `make gas-check`.
TARGETS = {
    "cross-currency charge": 175_000,
    "two-leg authorize": 180_000,
    "cross-currency capture": 90_000,
    "cross-currency void": 100_000,
    "refund at a refund quote": 120_000,
    "gasless cross-currency charge": 200_000,
}


class _Suite:
    def __init__(self):
        from brownie import accounts, chain

        self.chain = chain
        (admin, kyc, enforcer, issuer, auditor, pauser, acquirer, settler, operator, network, bank) = accounts[:11]
        self.admin, self.settler, self.operator = admin, settler, operator
        self.lp = local_account("cross-currency liquidity provider", funder=accounts[12])
        self.payer = local_account("cross-currency payer", funder=accounts[12])
        self.relayer = accounts[13]
        more = {
            "acquirer": acquirer,
            "settler": settler,
            "network_fee_account": network,
            "cny_interchange": bank,
            "hkd_interchange": bank,
            "liquidity_provider": self.lp,
        }
        roles = foundation_roles(kyc, enforcer, issuer, auditor, pauser, **more)
        parts = [REGISTRY, "dCNY", "dHKD", SETTLEMENT]
        system = deploy(Deployer.immediate(admin), roles, Fees(*FEE_SPLIT), parts=parts)
        self.settlement, self.cny, self.hkd = system.settlement, system.tokens["dCNY"], system.tokens["dHKD"]
        payout = local_account("cross-currency payout")
        expires = chain.time() + 10 * 365 * 24 * 3600
        holders = [self.payer, self.lp, operator, network, bank, acquirer, payout]
        system.registry.setVerifiedBatch(holders, b"HK", expires, {"from": kyc})
        for token in (self.cny, self.hkd):
            token.setIssuerAllowance(issuer, 2**128, {"from": admin})
            token.attestReserves(2**128, b"\x01" * 32, {"from": auditor})
            for holder in (self.payer, self.lp, operator, network, bank, acquirer):
                token.mint(holder, 10**15, b"\x02" * 32, {"from": issuer})
            for holder in (self.payer, self.lp, operator):
                token.approve(self.settlement, 2**256 - 1, {"from": holder})
        self.merchant = merchant_id("XCCY-00001")
        self.settlement.registerMerchant(self.merchant, payout, operator, MDR_BPS, {"from": acquirer})
        self._orders = 0

    def quoted(self, amount=123_45, payer=None):
        """An intent in dHKD and the LP's signed quote pricing it in dCNY (valid past any authorization)."""
        self._orders += 1
        payer = payer or self.payer
        now = self.chain.time()
        intent = PaymentIntent(self.merchant, self.hkd.address, amount, order_ref(f"x-{self._orders}"), now + 3600)
        quote = crosscurrency.payment_quote(
            intent, payer.address, chain_id=self.chain.id, settlement=self.settlement, source_token=self.cny,
            rate=RATE, liquidity_provider=self.lp.address, expires_at=now + 8 * 24 * 3600,
        )  # fmt: skip
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain.id, self.settlement, fx.SETTLEMENT_DOMAIN)
        return intent, quote, signature.packed

    def charge(self, amount=123_45):
        intent, quote, signature = self.quoted(amount)
        tx = self.settlement.chargeCrossCurrency(intent.as_tuple(), quote.as_tuple(), signature, {"from": self.payer})
        return quote.quote_id, tx

    def authorize(self, amount=123_45):
        intent, quote, signature = self.quoted(amount)
        args = (intent.as_tuple(), quote.as_tuple(), signature, {"from": self.payer})
        return quote.quote_id, self.settlement.authorizeCrossCurrency(*args)

    def gasless(self, is_charge=True, amount=123_45):
        intent, quote, signature = self.quoted(amount)
        digest = fx.quote_digest(quote, self.chain.id, self.settlement, fx.SETTLEMENT_DOMAIN)
        nonce = crosscurrency.authorization_nonce(quote.quote_id, digest, is_charge)
        now = self.chain.time()
        payer_signature = sign_authorization(
            self.payer.private_key, self.cny, self.chain.id, self.payer, self.settlement, quote.source_amount,
            now - 60, now + 3600, nonce, receive=True,
        )  # fmt: skip
        authorization = (self.payer.address, now - 60, now + 3600, *payer_signature.as_args())
        method = (
            self.settlement.chargeCrossCurrencyWithAuthorization
            if is_charge
            else self.settlement.authorizeCrossCurrencyWithAuthorization
        )
        return method(intent.as_tuple(), quote.as_tuple(), signature, authorization, {"from": self.relayer})

    def refund(self, pid, amount=20_00):
        refunded = self.settlement.paymentOf(pid)["refunded"]
        quote = crosscurrency.refund_quote(
            pid, refunded, amount=amount, target_token=self.hkd, source_token=self.cny, rate=REFUND_RATE,
            liquidity_provider=self.lp.address, expires_at=self.chain.time() + 600,
        )  # fmt: skip
        signature = fx.sign_quote(self.lp.private_key, quote, self.chain.id, self.settlement, fx.SETTLEMENT_DOMAIN)
        return self.settlement.refundCrossCurrency(pid, quote.as_tuple(), signature.packed, {"from": self.operator})


def measure() -> list[GasFigure]:
    suite = _Suite()
    s, op = suite.settlement, suite.operator

    # Steady state: every ledger slot written once (the LP's float in both tokens included).
    s.depositLiquidity(suite.hkd, FLOAT, {"from": suite.lp})
    s.depositLiquidity(suite.cny, 1, {"from": suite.lp})
    warm, _ = suite.authorize()
    s.capture(warm, 10_00, {"from": op})
    s.void(warm, {"from": op})
    charged, _ = suite.charge()
    suite.refund(charged)
    s.settle(suite.hkd, [suite.merchant], {"from": suite.settler})
    suite.charge()

    figures = []

    def add(name, tx, note=""):
        figures.append(figure(AREA, name, tx, TARGETS.get(name), note, gated=name in TARGETS))

    charged, tx = suite.charge()
    add("cross-currency charge", tx, "both legs converted at once: the LP's dHKD from its float, the payer's dCNY in")
    pid, tx = suite.authorize()
    add("two-leg authorize", tx, "the payer's dCNY and the LP's dHKD (from its float) locked")
    tx = s.capture(pid, 50_00, {"from": op})
    add("cross-currency capture", tx, "partial: dHKD to the merchant's pending settlement, dCNY credited to the LP")
    tx = s.void(pid, {"from": op})
    add("cross-currency void", tx, "the payer's uncaptured dCNY paid back, the LP's dHKD back to its float")
    tx = suite.refund(charged)
    add("refund at a refund quote", tx, "dHKD out of pending to the LP; the LP's dCNY (from its balance) to the payer")
    tx = suite.gasless(is_charge=True)
    add("gasless cross-currency charge", tx, "the payer's EIP-3009 signature over the dCNY, submitted by a relayer")

    tx = suite.gasless(is_charge=False)
    add("gasless two-leg authorize", tx, "EIP-3009, submitted by a relayer")
    pid, _ = suite.authorize()
    tx = s.capture(pid, 123_45, {"from": op})
    add("cross-currency capture closing the authorization", tx, "the second leg is deleted (gas refund)")
    pid, _ = suite.authorize()
    suite.chain.sleep(7 * 24 * 3600 + 1)
    suite.chain.mine()
    add("cross-currency reclaim", s.reclaim(pid, {"from": suite.payer}), "by the payer, after the expiry")

    _, tx = suite.charge()
    figures.append(
        scenario("cross-currency QR sale: charge", [tx], note="dCNY paid for a dHKD intent at the LP's quote")
    )
    pid, authorize = suite.authorize()
    capture = s.capture(pid, 123_45, {"from": op})
    figures.append(
        scenario(
            "cross-currency QR sale: authorize, then capture", [authorize, capture], note="both legs locked, converted"
        )
    )
    return figures
