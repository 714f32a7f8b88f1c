"""The payment kinds of the load mode, each a customer lifecycle planned as stages of transactions (crosspay.demo.
load.pipeline.Stage), with the effect of each transaction on the money (crosspay.demo.load.model).

Everything a lifecycle sends is known before it starts: payment ids and transfer ids are computed off chain
(crosspay.core.settlement.payment_id, crosspay.core.fx.transfer_id), and what a customer's phone or the FX desk
signs (EIP-3009 authorizations, EIP-2612 permits, FX quotes for the escrow and for MerchantSettlement, refund quotes)
is signed when the lifecycle is planned, as the phone would before the payment is submitted. A stage after the first
waits for the one before it (a capture needs its authorization mined); a stage marked `deferred` also waits for the
clock (a reclaim needs the authorization expired).

The cross-currency kinds (issue 11, docs/cross-currency.md) are a mainland customer paying a Hong Kong merchant's
dHKD QR in dCNY at the FX desk's quote for that very payment (crosspay.core.crosscurrency.payment_quote: quoteId = the
payment id), the desk delivering dHKD from the float it deposited in MerchantSettlement; a refund is paid in dCNY at
the desk's refund quote of the day (crosscurrency.refund_quote).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_account import Account
from eth_utils import keccak

from crosspay.core import crosscurrency, fx
from crosspay.core.settlement import DEFAULT_AUTHORIZATION_PERIOD, PaymentIntent, order_ref, payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization, sign_permit
from crosspay.demo.load.abi import Abi
from crosspay.demo.load.model import Effect, Transfer
from crosspay.demo.load.pipeline import Tx

DAY = 24 * 3600
CNY_HKD = "1.0845"  # the FX desk's rate: HKD per CNY, as in the demo's day
HKD_CNY = "0.9190"  # its rate at refund time: CNY per HKD (a refund is a new conversion, docs/cross-currency.md)

# Gas limits, explicit so nothing is estimated per transaction: each is about 1.5 x the most the call used in the
# load's runs (`mostGasByCall` in reports/load.json; a first write to a fresh payer's, merchant's or pool's slots
# included). The margin covers the gas a call must be given beyond what it uses: the 1/64 kept back at each external
# call, and the refund of cleared storage that gasUsed already nets off. A limit that proves short is raised by the
# pipeline's out-of-gas retry and said in the report.
GAS = {
    "transfer": 95_000,
    "approve": 70_000,
    "permit": 110_000,
    "charge": 240_000,
    "authorize": 190_000,
    "capture": 80_000,
    "void": 100_000,
    "reclaim": 100_000,
    "refund": 110_000,
    "chargeWithAuthorization": 260_000,
    "authorizeWithAuthorization": 210_000,
    "initiate": 220_000,
    "release": 210_000,
    "reject": 110_000,
    "escrow refund": 100_000,
    "chargeCrossCurrency": 330_000,
    "authorizeCrossCurrency": 255_000,
    "capture (cross-currency)": 120_000,
    "void (cross-currency)": 135_000,
    "reclaim (cross-currency)": 120_000,
    "refundCrossCurrency": 200_000,
    "chargeCrossCurrencyWithAuthorization": 300_000,
}

KINDS = (
    "static QR transfer",
    "QR charge",
    "QR charge, partly refunded",
    "authorize + capture",
    "authorize, partial capture, void",
    "authorize, reclaim after expiry",
    "gasless charge (EIP-3009)",
    "gasless authorize + capture (EIP-3009)",
    "permit + charge (EIP-2612)",
    "PvP remittance, released",
    "PvP remittance, declined by the FX desk",
    "PvP remittance, refunded after its deadline",
    "cross-currency QR charge",
    "cross-currency QR charge, partly refunded",
    "cross-currency authorize + capture",
    "cross-currency authorize, partial capture, void",
    "cross-currency authorize, reclaim after expiry",
    "gasless cross-currency charge (EIP-3009)",
)
REMITTANCES = tuple(k for k in KINDS if k.startswith("PvP"))
CROSS_CURRENCY = tuple(k for k in KINDS if "cross-currency" in k)
GASLESS = tuple(k for k in KINDS if k.startswith("gasless"))


@dataclass(frozen=True)
class Keyed:
    """An account whose key the load holds (customers, merchants' tills and payouts, the relayer, the FX desk)."""

    address: str
    key: bytes

    @classmethod
    def from_seed(cls, seed: str) -> Keyed:
        key = keccak(text=seed)
        return cls(Account.from_key(key).address, key)


@dataclass(frozen=True)
class Token:
    symbol: str
    address: str
    name: str  # the EIP-712 domain name
    jurisdiction: str  # where its customers are verified
    issuer: str  # mints it (a node account)


@dataclass(frozen=True)
class LoadMerchant:
    id: bytes
    symbol: str
    payout: Keyed
    operator: Keyed
    mdr_bps: int


@dataclass
class World:
    """What the lifecycles are planned against: the contracts, the tokens, the people and the chain."""

    chain_id: int
    now: int
    settlement: str
    escrow: str
    tokens: dict  # symbol -> Token
    merchants: list  # LoadMerchant
    beneficiaries: list  # Keyed, verified in the target currency's jurisdiction
    relayer: Keyed
    fx_desk: Keyed
    escrow_fee_bps: int
    authorization_period: int = DEFAULT_AUTHORIZATION_PERIOD  # MerchantSettlement's, in seconds
    abi: dict = field(default_factory=dict)  # contract type -> Abi

    def __post_init__(self):
        for name in ("DepositToken", "MerchantSettlement", "CrossBorderEscrow"):
            self.abi.setdefault(name, Abi(name))

    def call(self, contract: str, function: str, *args) -> bytes:
        return self.abi[contract].call(function, *args)


@dataclass
class Lifecycle:
    """One customer's payment: what it is, and its stages of transactions (the runtime fields follow it through)."""

    index: int
    kind: str
    customer: Keyed
    symbol: str
    amount: int
    mint: int  # what the customer is given at onboarding
    stages: list  # of lists of Tx
    deferred: int | None = None  # the first stage that waits for the clock
    forced: str | None = None  # the fault this lifecycle carries (tests, LOAD_FAULTS)
    # runtime
    next_stage: int = 0
    gas_used: int = 0
    transactions: int = 0
    failure: object = None  # the Incident that stopped it

    @property
    def owner(self) -> str:
        return f"lifecycle {self.index} ({self.kind})"

    @property
    def done(self) -> bool:
        return self.failure is not None or self.next_stage >= len(self.stages)

    @property
    def senders(self) -> set:
        return {tx.sender for stage in self.stages for tx in stage}


def plan(world: World, index: int, kind: str, rng, tag: str) -> Lifecycle:
    """The lifecycle `index` of `kind`, its customer, amount and merchant drawn from `rng`. A cross-currency
    customer holds dCNY and pays a dHKD merchant; `amount` is then the merchant's (the QR's), in dHKD."""
    cross = kind in CROSS_CURRENCY
    symbol = "dCNY" if cross or kind in REMITTANCES else rng.choice(("dCNY", "dHKD"))
    customer = Keyed.from_seed(f"crosspay load {tag} customer {index}")
    amount = rng.randint(1_00, 900_00)
    merchant = rng.choice([m for m in world.merchants if m.symbol == ("dHKD" if cross else symbol)])
    stages, deferred, needs = _STAGES[kind](world, customer, symbol, amount, merchant, rng, f"{tag}-{index}")
    return Lifecycle(index, kind, customer, symbol, amount, needs + rng.randint(0, 1_000_00), stages, deferred)


def force(lifecycle: Lifecycle, fault: str, world: World) -> None:
    """Makes `lifecycle` carry `fault`: "revert" (a capture of one minor unit more than authorized, reported),
    "out_of_gas" (its first transaction sent with too little gas, retried) or "drop" (its first transaction dropped
    by the node, resubmitted)."""
    lifecycle.forced = fault
    if fault == "revert":
        stage = lifecycle.stages[1]
        capture = stage[0]
        pid = capture.effect.args[0]
        data = world.call("MerchantSettlement", "capture", pid, lifecycle.amount + 1)
        stage[0] = Tx(capture.sender, capture.to, data, capture.gas, capture.label, effect=None)
    else:
        lifecycle.stages[0][0].fault = fault


# --- the kinds --------------------------------------------------------------------------------------------------


def _intent(world, merchant, symbol, amount, ref) -> PaymentIntent:
    return PaymentIntent(merchant.id, world.tokens[symbol].address, amount, order_ref(ref), world.now + DAY)


def _approve_and(world, customer, symbol, amount, function, intent, effect_op) -> list[Tx]:
    """The customer approves MerchantSettlement for `amount`, then calls `function` (charge or authorize)."""
    token, settlement = world.tokens[symbol].address, world.settlement
    pid = payment_id(world.chain_id, settlement, intent, customer.address)
    return [
        Tx(
            customer.address,
            token,
            world.call("DepositToken", "approve", settlement, amount),
            GAS["approve"],
            "approve",
        ),
        Tx(
            customer.address,
            settlement,
            world.call("MerchantSettlement", function, intent.as_tuple()),
            GAS[function],
            function,
            effect=Effect(effect_op, (pid, customer.address, intent.merchant_id, token, amount)),
        ),
    ]


def _operator(world, merchant, function, pid, *args, effect=None, label=None) -> Tx:
    """The merchant's till calls `function`; `label` (default: the function) names the call and its gas limit."""
    return Tx(
        merchant.operator.address,
        world.settlement,
        world.call("MerchantSettlement", function, pid, *args),
        GAS[label or function],
        label or function,
        effect=effect,
    )


def _static_transfer(world, customer, symbol, amount, merchant, rng, ref):
    token = world.tokens[symbol].address
    tx = Tx(
        customer.address,
        token,
        world.call("DepositToken", "transfer", merchant.payout.address, amount),
        GAS["transfer"],
        "transfer",
        effect=Effect("transfer", (token, customer.address, merchant.payout.address, amount)),
    )
    return [[tx]], None, amount


def _charge(world, customer, symbol, amount, merchant, rng, ref):
    intent = _intent(world, merchant, symbol, amount, ref)
    return [_approve_and(world, customer, symbol, amount, "charge", intent, "charge")], None, amount


def _charge_refund(world, customer, symbol, amount, merchant, rng, ref):
    stages, _, needs = _charge(world, customer, symbol, amount, merchant, rng, ref)
    pid, part = stages[0][1].effect.args[0], max(1, amount // 2)
    refund = _operator(
        world, merchant, "refund", pid, part, effect=Effect("refund", (pid, part, merchant.operator.address))
    )
    return [*stages, [refund]], None, needs


def _authorize_capture(world, customer, symbol, amount, merchant, rng, ref):
    intent = _intent(world, merchant, symbol, amount, ref)
    first = _approve_and(world, customer, symbol, amount, "authorize", intent, "authorize")
    pid = first[1].effect.args[0]
    return (
        [first, [_operator(world, merchant, "capture", pid, amount, effect=Effect("capture", (pid, amount)))]],
        None,
        amount,
    )


def _authorize_capture_void(world, customer, symbol, amount, merchant, rng, ref):
    intent = _intent(world, merchant, symbol, amount, ref)
    first = _approve_and(world, customer, symbol, amount, "authorize", intent, "authorize")
    pid, part = first[1].effect.args[0], max(1, amount * rng.randint(30, 90) // 100)
    second = [
        _operator(world, merchant, "capture", pid, part, effect=Effect("capture", (pid, part))),
        _operator(world, merchant, "void", pid, effect=Effect("void", (pid,))),
    ]
    return [first, second], None, amount


def _authorize_reclaim(world, customer, symbol, amount, merchant, rng, ref):
    intent = _intent(world, merchant, symbol, amount, ref)
    first = _approve_and(world, customer, symbol, amount, "authorize", intent, "authorize")
    pid = first[1].effect.args[0]
    reclaim = Tx(
        customer.address,
        world.settlement,
        world.call("MerchantSettlement", "reclaim", pid),
        GAS["reclaim"],
        "reclaim",
        effect=Effect("reclaim", (pid,)),
    )
    return [first, [reclaim]], 1, amount


def _gasless(world, customer, symbol, amount, merchant, ref, capture: bool) -> Tx:
    """The relayer submits the payer's signed ReceiveWithAuthorization: charge (capture) or authorize."""
    token = world.tokens[symbol]
    intent = _intent(world, merchant, symbol, amount, ref)
    pid = payment_id(world.chain_id, world.settlement, intent, customer.address)
    valid_before = world.now + DAY
    nonce = authorization_nonce(pid, capture)
    signature = sign_authorization(
        customer.key,
        _Domain(token),
        world.chain_id,
        customer.address,
        world.settlement,
        amount,
        0,
        valid_before,
        nonce,
        receive=True,
    )
    function = "chargeWithAuthorization" if capture else "authorizeWithAuthorization"
    data = world.call(
        "MerchantSettlement", function, intent.as_tuple(), customer.address, 0, valid_before, *signature.as_args()
    )
    effect = Effect("charge" if capture else "authorize", (pid, customer.address, merchant.id, token.address, amount))
    return Tx(world.relayer.address, world.settlement, data, GAS[function], function, effect=effect)


def _gasless_charge(world, customer, symbol, amount, merchant, rng, ref):
    return [[_gasless(world, customer, symbol, amount, merchant, ref, capture=True)]], None, amount


def _gasless_authorize_capture(world, customer, symbol, amount, merchant, rng, ref):
    first = _gasless(world, customer, symbol, amount, merchant, ref, capture=False)
    pid = first.effect.args[0]
    return (
        [[first], [_operator(world, merchant, "capture", pid, amount, effect=Effect("capture", (pid, amount)))]],
        None,
        amount,
    )


def _permit_charge(world, customer, symbol, amount, merchant, rng, ref):
    token = world.tokens[symbol]
    deadline = world.now + DAY
    signature = sign_permit(
        customer.key, _Domain(token), world.chain_id, customer.address, world.settlement, amount, 0, deadline
    )  # a fresh customer: permit nonce 0
    permit = Tx(
        customer.address,
        token.address,
        world.call(
            "DepositToken", "permit", customer.address, world.settlement, amount, deadline, *signature.as_args()
        ),
        GAS["permit"],
        "permit",
    )
    intent = _intent(world, merchant, symbol, amount, ref)
    charge = _approve_and(world, customer, symbol, amount, "charge", intent, "charge")[1]
    return [[permit, charge]], None, amount


def _remittance(world, customer, amount, rng, ref, then):
    """The customer locks dCNY against the FX desk's signed quote for a beneficiary in Hong Kong; `then` is what ends
    it: "release" (the FX desk, payment versus payment), "reject" (the FX desk declines) or "refund" (anyone, once
    the deadline passed)."""
    dcny, dhkd, escrow = world.tokens["dCNY"], world.tokens["dHKD"], world.escrow
    beneficiary = rng.choice(world.beneficiaries)
    quote = fx.quote_from_source(
        dcny.address,
        dhkd.address,
        amount,
        CNY_HKD,
        world.fx_desk.address,
        world.now + DAY,
        quote_id=keccak(text=f"load quote {ref}"),
    )
    signature = fx.sign_quote(world.fx_desk.key, quote, world.chain_id, escrow)
    offer = fx.offer(quote, world.escrow_fee_bps)
    travel_rule = keccak(text=f"load travel rule {ref}")
    args = fx.initiate_args(offer, signature, beneficiary.address, world.now + DAY, travel_rule)
    tid = fx.transfer_id(world.fx_desk.address, quote.quote_id)
    transfer = Transfer(
        customer.address,
        beneficiary.address,
        world.fx_desk.address,
        dcny.address,
        dhkd.address,
        quote.source_amount,
        quote.target_amount,
        offer.fee,
    )
    first = [
        Tx(
            customer.address,
            dcny.address,
            world.call("DepositToken", "approve", escrow, offer.total),
            GAS["approve"],
            "approve",
        ),
        Tx(
            customer.address,
            escrow,
            world.call("CrossBorderEscrow", "initiate", *args),
            GAS["initiate"],
            "initiate",
            effect=Effect("initiate", (tid, transfer)),
        ),
    ]
    if then == "release":
        end = Tx(
            world.fx_desk.address,
            escrow,
            world.call("CrossBorderEscrow", "release", tid),
            GAS["release"],
            "release",
            effect=Effect("release", (tid,)),
        )
    elif then == "reject":
        reason = keccak(text=f"load declined {ref}")
        end = Tx(
            world.fx_desk.address,
            escrow,
            world.call("CrossBorderEscrow", "reject", tid, reason),
            GAS["reject"],
            "reject",
            effect=Effect("escrow_refund", (tid,)),
        )
    else:
        end = Tx(
            customer.address,
            escrow,
            world.call("CrossBorderEscrow", "refund", tid),
            GAS["escrow refund"],
            "escrow refund",
            effect=Effect("escrow_refund", (tid,)),
        )
    return [first, [end]], (1 if then == "refund" else None), offer.total


# --- cross-currency QR payments ---------------------------------------------------------------------------------

XC = " (cross-currency)"  # the label suffix of a capture, void or reclaim of a cross-currency payment (its own gas)


def _quoted(world, customer, amount, merchant, ref):
    """The dHKD intent of `merchant`'s QR and the FX desk's quote pricing it for `customer` in dCNY (quoteId: the
    payment id), signed under MerchantSettlement's EIP-712 domain, valid beyond the authorization's expiry."""
    intent = _intent(world, merchant, "dHKD", amount, ref)
    quote = crosscurrency.payment_quote(
        intent,
        customer.address,
        chain_id=world.chain_id,
        settlement=world.settlement,
        source_token=world.tokens["dCNY"].address,
        rate=CNY_HKD,
        liquidity_provider=world.fx_desk.address,
        expires_at=world.now + world.authorization_period + DAY,
    )
    signature = fx.sign_quote(world.fx_desk.key, quote, world.chain_id, world.settlement, fx.SETTLEMENT_DOMAIN)
    return intent, quote, signature.packed


def _cross(world, customer, amount, merchant, ref, function) -> tuple[list[Tx], fx.Quote]:
    """The customer approves MerchantSettlement for the quote's dCNY, then calls `function` (chargeCrossCurrency or
    authorizeCrossCurrency) with the intent, the quote and the desk's signature."""
    intent, quote, signature = _quoted(world, customer, amount, merchant, ref)
    op = "charge" if function == "chargeCrossCurrency" else "authorize"
    effect = Effect(op, (quote.quote_id, customer.address, merchant.id, intent.token, amount, quote))
    stage = [
        Tx(
            customer.address,
            quote.source_token,
            world.call("DepositToken", "approve", world.settlement, quote.source_amount),
            GAS["approve"],
            "approve",
        ),
        Tx(
            customer.address,
            world.settlement,
            world.call("MerchantSettlement", function, intent.as_tuple(), quote.as_tuple(), signature),
            GAS[function],
            function,
            effect=effect,
        ),
    ]
    return stage, quote


def _cross_charge(world, customer, symbol, amount, merchant, rng, ref):
    stage, quote = _cross(world, customer, amount, merchant, ref, "chargeCrossCurrency")
    return [stage], None, quote.source_amount


def _cross_charge_refund(world, customer, symbol, amount, merchant, rng, ref):
    """A charge, then half of it refunded in dCNY at the desk's refund quote (the first refund: refunded before 0)."""
    stage, quote = _cross(world, customer, amount, merchant, ref, "chargeCrossCurrency")
    pid, part = quote.quote_id, max(1, amount // 2)
    refund = crosscurrency.refund_quote(
        pid,
        0,
        amount=part,
        target_token=quote.target_token,
        source_token=quote.source_token,
        rate=HKD_CNY,
        liquidity_provider=world.fx_desk.address,
        expires_at=world.now + DAY,
    )
    signature = fx.sign_quote(world.fx_desk.key, refund, world.chain_id, world.settlement, fx.SETTLEMENT_DOMAIN)
    tx = _operator(world, merchant, "refundCrossCurrency", pid, refund.as_tuple(), signature.packed,
                   effect=Effect("refund_cross_currency", (pid, refund, merchant.operator.address)))  # fmt: skip
    return [stage, [tx]], None, quote.source_amount


def _cross_capture(world, customer, symbol, amount, merchant, rng, ref):
    stage, quote = _cross(world, customer, amount, merchant, ref, "authorizeCrossCurrency")
    pid = quote.quote_id
    capture = _operator(world, merchant, "capture", pid, amount, effect=Effect("capture", (pid, amount)),
                        label="capture" + XC)  # fmt: skip
    return [stage, [capture]], None, quote.source_amount


def _cross_capture_void(world, customer, symbol, amount, merchant, rng, ref):
    stage, quote = _cross(world, customer, amount, merchant, ref, "authorizeCrossCurrency")
    pid, part = quote.quote_id, max(1, amount * rng.randint(30, 90) // 100)
    second = [
        _operator(world, merchant, "capture", pid, part, effect=Effect("capture", (pid, part)), label="capture" + XC),
        _operator(world, merchant, "void", pid, effect=Effect("void", (pid,)), label="void" + XC),
    ]
    return [stage, second], None, quote.source_amount


def _cross_reclaim(world, customer, symbol, amount, merchant, rng, ref):
    stage, quote = _cross(world, customer, amount, merchant, ref, "authorizeCrossCurrency")
    pid = quote.quote_id
    reclaim = Tx(
        customer.address,
        world.settlement,
        world.call("MerchantSettlement", "reclaim", pid),
        GAS["reclaim" + XC],
        "reclaim" + XC,
        effect=Effect("reclaim", (pid,)),
    )
    return [stage, [reclaim]], 1, quote.source_amount


def _gasless_cross_charge(world, customer, symbol, amount, merchant, rng, ref):
    """The relayer submits the charge with the customer's EIP-3009 ReceiveWithAuthorization of the quote's dCNY, whose
    nonce binds the payment, the quote's digest and the mode (crosscurrency.authorization_nonce)."""
    intent, quote, signature = _quoted(world, customer, amount, merchant, ref)
    dcny = world.tokens["dCNY"]
    digest = fx.quote_digest(quote, world.chain_id, world.settlement, fx.SETTLEMENT_DOMAIN)
    nonce = crosscurrency.authorization_nonce(quote.quote_id, digest, True)
    valid_before = world.now + DAY
    receive = sign_authorization(customer.key, _Domain(dcny), world.chain_id, customer.address, world.settlement,
                                 quote.source_amount, 0, valid_before, nonce, receive=True)  # fmt: skip
    function = "chargeCrossCurrencyWithAuthorization"
    data = world.call("MerchantSettlement", function, intent.as_tuple(), quote.as_tuple(), signature,
                      (customer.address, 0, valid_before, *receive.as_args()))  # fmt: skip
    effect = Effect("charge", (quote.quote_id, customer.address, merchant.id, intent.token, amount, quote))
    tx = Tx(world.relayer.address, world.settlement, data, GAS[function], function, effect=effect)
    return [[tx]], None, quote.source_amount


_STAGES = {
    "static QR transfer": _static_transfer,
    "QR charge": _charge,
    "QR charge, partly refunded": _charge_refund,
    "authorize + capture": _authorize_capture,
    "authorize, partial capture, void": _authorize_capture_void,
    "authorize, reclaim after expiry": _authorize_reclaim,
    "gasless charge (EIP-3009)": _gasless_charge,
    "gasless authorize + capture (EIP-3009)": _gasless_authorize_capture,
    "permit + charge (EIP-2612)": _permit_charge,
    "PvP remittance, released": lambda w, c, s, a, m, r, ref: _remittance(w, c, a, r, ref, "release"),
    "PvP remittance, declined by the FX desk": lambda w, c, s, a, m, r, ref: _remittance(w, c, a, r, ref, "reject"),
    "PvP remittance, refunded after its deadline": lambda w, c, s, a, m, r, ref: _remittance(w, c, a, r, ref, "refund"),
    "cross-currency QR charge": _cross_charge,
    "cross-currency QR charge, partly refunded": _cross_charge_refund,
    "cross-currency authorize + capture": _cross_capture,
    "cross-currency authorize, partial capture, void": _cross_capture_void,
    "cross-currency authorize, reclaim after expiry": _cross_reclaim,
    "gasless cross-currency charge (EIP-3009)": _gasless_cross_charge,
}
assert tuple(_STAGES) == KINDS


class _Domain:
    """A token as crosspay.core.signing's EIP-712 domain wants it (its address and name()), without a node call."""

    def __init__(self, token: Token):
        self.address, self._name = token.address, token.name

    def name(self) -> str:
        return self._name
