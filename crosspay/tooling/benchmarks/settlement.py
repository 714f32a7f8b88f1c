"""Gas of merchant settlement (issue 3): every payment call and batched settlement, in steady state.

`measure()` deploys a fresh suite on the connected brownie network, brings it to steady state (the merchant's
running totals and the fee pools already written, the payer, payout and fee accounts already holding balances, the
payer's allowance to the settlement standing at the maximum) and measures each call the issue sets a target for.
Figures are receipts' gasUsed, the 21,000 base included.
"""

from crosspay.core.settlement import PaymentIntent, merchant_id, order_ref, payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization
from crosspay.deploy.plan import REGISTRY, SETTLEMENT, Fees, deploy
from crosspay.deploy.record import Deployer
from crosspay.tooling.gas import GasFigure, figure, foundation_roles, local_account, scenario

AREA = "settlement"
BLOCK_GAS = 30_000_000
BATCH = 100
MDR_BPS = 60  # 0.60 %
FEE_SPLIT = (7_000, 1_000)  # interchange and network shares of the fee, in bps of it

TARGETS = {
    "charge": 120_000,
    "authorize": 105_000,
    "chargeWithAuthorization": 150_000,
    "capture": 60_000,
    "void": 60_000,
    "reclaim": 60_000,
    "refund": 70_000,
    "settle per merchant (batch of 100)": 25_000,
}


class _Suite:
    def __init__(self):
        import brownie
        from brownie import accounts, chain

        self.brownie = brownie
        self.chain = chain
        (admin, kyc, enforcer, issuer, auditor, pauser, acquirer, settler, operator, network, bank) = accounts[:11]
        self.acquirer, self.settler, self.operator = acquirer, settler, operator
        self.tx = {"from": admin}
        more = {"acquirer": acquirer, "settler": settler, "network_fee_account": network, "cny_interchange": bank}
        roles = foundation_roles(kyc, enforcer, issuer, auditor, pauser, **more)
        system = deploy(Deployer.immediate(admin), roles, Fees(*FEE_SPLIT), parts=[REGISTRY, "dCNY", SETTLEMENT])
        self.registry, self.token, self.settlement = system.registry, system.tokens["dCNY"], system.settlement
        self.token.setIssuerAllowance(issuer, 2**128, {"from": admin})
        self.token.attestReserves(2**128, b"\x01" * 32, {"from": auditor})
        self.payer = local_account("settlement payer", funder=accounts[12])
        self.relayer = accounts[13]
        self.kyc = kyc
        expires = chain.time() + 10 * 365 * 24 * 3600
        self.registry.setVerifiedBatch([self.payer, operator, network, bank, acquirer], b"CN", expires, {"from": kyc})
        self.token.mint(self.payer, 10**15, b"\x02" * 32, {"from": issuer})
        self.token.approve(self.settlement, 2**256 - 1, {"from": self.payer})
        self.merchants = []
        self.expires = expires
        self._orders = 0

    def register(self, count):
        payouts = [local_account(f"settlement payout {len(self.merchants) + i}") for i in range(count)]
        self.registry.setVerifiedBatch(payouts, b"CN", self.expires, {"from": self.kyc})
        ids = []
        for i, payout in enumerate(payouts):
            mid = merchant_id(f"BENCH-{len(self.merchants) + i:05d}")
            self.settlement.registerMerchant(mid, payout, self.operator, MDR_BPS, {"from": self.acquirer})
            ids.append(mid)
        self.merchants += ids
        return ids

    def intent(self, mid, amount=123_45, token=None):
        self._orders += 1
        return PaymentIntent(
            mid, (token or self.token).address, amount, order_ref(f"order-{self._orders}"), self.chain.time() + 3600
        )

    def charge(self, mid, amount=123_45, token=None):
        intent = self.intent(mid, amount, token)
        return intent, self.settlement.charge(intent.as_tuple(), {"from": self.payer})

    def authorize(self, mid, amount=123_45, token=None):
        intent = self.intent(mid, amount, token)
        tx = self.settlement.authorize(intent.as_tuple(), {"from": self.payer})
        return tx.return_value, tx

    def signed(self, mid, capture, amount=123_45):
        """The arguments of chargeWithAuthorization (`capture`) or authorizeWithAuthorization, signed by the payer."""
        intent = self.intent(mid, amount)
        pid = payment_id(self.chain.id, self.settlement.address, intent, self.payer.address)
        now = self.chain.time()
        sig = sign_authorization(
            self.payer.private_key,
            self.token,
            self.chain.id,
            self.payer,
            self.settlement,
            amount,
            now - 60,
            now + 3600,
            authorization_nonce(pid, capture),
            receive=True,
        )
        return (intent.as_tuple(), self.payer, now - 60, now + 3600, *sig.as_args())


def measure() -> list[GasFigure]:
    suite = _Suite()
    s, op = suite.settlement, suite.operator
    (mid,) = suite.register(1)

    # Steady state: running totals and fee pools written, every account holding a balance.
    suite.charge(mid)
    s.settle(suite.token, [mid], {"from": suite.settler})
    for account in (suite.brownie.accounts[9], suite.brownie.accounts[10], suite.acquirer):
        s.withdrawFees(suite.token, {"from": account})
    suite.charge(mid)

    figures = []
    add = lambda name, tx, note="": figures.append(figure(AREA, name, tx, TARGETS.get(name), note))  # noqa: E731

    _, tx = suite.charge(mid)
    add("charge", tx, "QR sale: authorize + capture in full, fee split four ways")
    pid, tx = suite.authorize(mid)
    add("authorize", tx, "payer approved the settlement once (max allowance)")
    tx = s.chargeWithAuthorization(*suite.signed(mid, capture=True), {"from": suite.relayer})
    add("chargeWithAuthorization", tx, "EIP-3009 ReceiveWithAuthorization, submitted by a relayer")
    tx = s.capture(pid, 50_00, {"from": op})
    add("capture", tx, "partial capture by the merchant's operator")
    tx = s.void(pid, {"from": op})
    add("void", tx, "uncaptured remainder back to the payer")
    tx = s.authorizeWithAuthorization(*suite.signed(mid, capture=False), {"from": suite.relayer})
    figures.append(figure(AREA, "authorizeWithAuthorization", tx, None, "EIP-3009, submitted by a relayer"))
    reclaim_id, _ = suite.authorize(mid)
    charged, _ = suite.charge(mid, 500_00)
    charged_id = payment_id(suite.chain.id, s.address, charged, suite.payer.address)
    tx = s.refund(charged_id, 100_00, {"from": op})
    add("refund", tx, "partial refund out of the merchant's pending settlement")
    suite.chain.sleep(7 * 24 * 3600 + 1)
    suite.chain.mine()
    tx = s.reclaim(reclaim_id, {"from": suite.payer})
    add("reclaim", tx, "payer, after the authorization expired")

    # Business scenarios, end to end (the merchant's payout already holds a balance: it was settled before).
    payout = s.merchantOf(mid)["payout"]
    tx = suite.token.transfer(payout, 36_00, {"from": suite.payer})
    figures.append(
        scenario(
            "static-QR payment (EIP-681 transfer to the merchant)", [tx], note="any wallet; no settlement contract"
        )
    )
    pid, authorize = suite.authorize(mid)
    capture = s.capture(pid, 123_45, {"from": op})
    figures.append(
        scenario(
            "dynamic-QR sale: authorize, then capture", [authorize, capture], note="card-style: the till captures later"
        )
    )
    figures.append(scenario("dynamic-QR sale: charge", [suite.charge(mid)[1]], note="authorize + capture in one call"))
    tx = s.chargeWithAuthorization(*suite.signed(mid, capture=True), {"from": suite.relayer})
    figures.append(scenario("gasless dynamic-QR sale (EIP-3009, relayer)", [tx], note="the payer pays no gas"))
    charged, _ = suite.charge(mid, 500_00)
    tx = s.refund(payment_id(suite.chain.id, s.address, charged, suite.payer.address), 100_00, {"from": op})
    figures.append(scenario("refund", [tx], note="out of the merchant's pending settlement"))

    # A merchant that was just settled captures again.
    pid, _ = suite.authorize(mid)
    s.settle(suite.token, [mid], {"from": suite.settler})
    tx = s.capture(pid, 50_00, {"from": op})
    figures.append(
        figure(AREA, "capture after settlement", tx, TARGETS["capture"], "the merchant was settled just before")
    )

    # Batches of 1, 10 and 100 merchants, each settled once already (payouts hold balances), each with a new charge.
    ids = suite.register(BATCH)
    for m in ids:
        suite.charge(m)
    s.settle(suite.token, ids, {"from": suite.settler})
    batches = {}
    for size in (1, 10, BATCH):
        for m in ids[:size]:
            suite.charge(m)
        batches[size] = s.settle(suite.token, ids[:size], {"from": suite.settler})
    marginal = (batches[BATCH].gas_used - batches[1].gas_used) // (BATCH - 1)
    fixed = batches[1].gas_used - marginal
    cap = s.MAX_SETTLEMENT_BATCH()
    per_block, room = 0, BLOCK_GAS
    while room >= fixed + marginal:
        n = min(cap, (room - fixed) // marginal)
        per_block += n
        room -= fixed + n * marginal
    figures.append(
        GasFigure(
            AREA,
            "settle per merchant (batch of 100)",
            batches[BATCH].gas_used // BATCH,
            TARGETS["settle per merchant (batch of 100)"],
            f"one 30M-gas block settles {per_block:,} merchants ({marginal:,} gas each + {fixed:,} per transaction, "
            f"at most {cap} per transaction); a full batch of {cap}: {_share(fixed, marginal, cap)}",
        )
    )
    figures.append(_worst_case_batch(suite, cap))
    for size, tx in batches.items():
        figures.append(
            scenario(
                f"settlement per merchant, batch of {size}",
                [tx],
                per=size,
                note=f"settle of {size} merchant{'s' if size > 1 else ''}: {tx.gas_used:,} gas",
            )
        )

    figures += _plain_token_baseline(suite, mid)
    return figures


def _share(fixed: int, marginal: int, size: int) -> str:
    """A batch of `size` merchants at `marginal` gas each plus `fixed` per transaction, and its share of a block."""
    gas = fixed + size * marginal
    return f"{gas:,} gas, {gas / BLOCK_GAS:.0%} of a 30M-gas block"


def _worst_case_batch(suite, cap: int) -> GasFigure:
    """Settlement of merchants whose payouts were never paid (the transfer creates their balance slot, 20,000 gas
    more): the most a batch can cost per merchant, so what MAX_SETTLEMENT_BATCH must fit in a block."""
    size = 20
    ids = suite.register(size + 1)
    for m in ids:
        suite.charge(m)
    one = suite.settlement.settle(suite.token, ids[:1], {"from": suite.settler})
    rest = suite.settlement.settle(suite.token, ids[1:], {"from": suite.settler})
    marginal = (rest.gas_used - one.gas_used) // (size - 1)
    fixed = one.gas_used - marginal
    return GasFigure(
        AREA,
        "settle per merchant, worst case (payouts never paid before)",
        marginal,
        note=f"marginal gas, from batches of 1 and {size}; a full batch of {cap}: {_share(fixed, marginal, cap)}",
    )


def _plain_token_baseline(suite, mid) -> list[GasFigure]:
    """The same calls in a plain OpenZeppelin ERC-20 (no registry checks, no pause): what the settlement itself
    costs, apart from the deposit token's compliance-checked transfers."""
    s, op = suite.settlement, suite.operator
    plain = suite.brownie.PlainERC20.deploy(suite.payer, 10**12, {"from": suite.acquirer})
    s.setToken(plain, suite.brownie.accounts[10], True, suite.tx)
    plain.approve(s, 2**256 - 1, {"from": suite.payer})
    for account in (suite.brownie.accounts[9], suite.brownie.accounts[10], suite.acquirer, op):
        plain.transfer(account, 1, {"from": suite.payer})
    suite.charge(mid, token=plain)
    s.settle(plain, [mid], {"from": suite.settler})
    suite.charge(mid, token=plain)
    note = "baseline: a plain OpenZeppelin ERC-20 instead of the deposit token"
    out = []
    add = lambda name, tx: out.append(figure(AREA, f"{name} (plain ERC-20)", tx, None, note))  # noqa: E731
    _, tx = suite.charge(mid, token=plain)
    add("charge", tx)
    pid, tx = suite.authorize(mid, token=plain)
    add("authorize", tx)
    add("capture", s.capture(pid, 50_00, {"from": op}))
    add("void", s.void(pid, {"from": op}))
    reclaim_id, _ = suite.authorize(mid, token=plain)
    charged, _ = suite.charge(mid, 500_00, token=plain)
    add("refund", s.refund(payment_id(suite.chain.id, s.address, charged, suite.payer.address), 100_00, {"from": op}))
    suite.chain.sleep(7 * 24 * 3600 + 1)
    suite.chain.mine()
    add("reclaim", s.reclaim(reclaim_id, {"from": suite.payer}))
    return out
