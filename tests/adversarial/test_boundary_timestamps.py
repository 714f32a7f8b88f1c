"""One second either side of every expiry, each transaction mined at an exact timestamp (helpers.at_time).

| expiry | rule at `now == T` | checked |
|---|---|---|
| payment authorization expiry E | capture refused from E; reclaim allowed from E | E-1, E |
| refund deadline D | refund refused from D | D-1, D |
| payment intent expiresAt X | authorize refused from X | X-1, X |
| FX quote expiresAt Q | initiate refused from Q | Q-1, Q |
| escrow transfer deadline T | release refused from T; refund allowed from T | T-1, T |
| HTLC timelock L | claim refused from L; refund allowed from L | L-1, L |
| KYC expiresAt K | transfers refused from K | K-1, K |
| EIP-3009 validAfter A / validBefore B | valid strictly after A and strictly before B | A, A+1, B-1, B |
| EIP-2612 permit deadline P | valid up to and including P | P, P+1 |
| default admin handover schedule S | accept allowed strictly after S | S, S+1 |

Records that must be seen on both sides of their boundary are made in pairs a few seconds apart, so the exact
timestamps are visited in increasing order.
"""

from brownie import chain

from crosspay.core.htlc import new_secret
from crosspay.core.iso import jurisdiction
from crosspay.core.signing import random_nonce, sign_authorization, sign_permit
from crosspay.core.status import PaymentStatus
from helpers import HOUR, assert_reverted_with, at_time, bytes32, created_id, now, shown_fee

GAP = 5  # seconds between the two records of a pair


def _ok(tx):
    assert tx.status == 1, tx.revert_msg
    return tx


def test_authorization_expiry(settlement, operator, payer, authorize):
    first = authorize(10_00)
    chain.sleep(GAP)
    second = authorize(10_00)
    e1, e2 = settlement.paymentOf(first)["authorizationExpiry"], settlement.paymentOf(second)["authorizationExpiry"]
    assert e2 > e1
    _ok(at_time(e1 - 1, settlement.capture, first, 1_00, params={"from": operator}))
    assert_reverted_with(
        at_time(e1, settlement.capture, first, 1_00, params={"from": operator}), "SettlementAuthorizationExpired"
    )
    assert_reverted_with(
        at_time(e2 - 1, settlement.reclaim, second, params={"from": payer}), "SettlementAuthorizationNotExpired"
    )
    _ok(at_time(e2, settlement.reclaim, second, params={"from": payer}))
    assert settlement.paymentOf(second)["status"] == PaymentStatus.RECLAIMED


def test_refund_deadline(settlement, operator, charge):
    first = charge(10_00)
    chain.sleep(GAP)
    second = charge(10_00)
    d1, d2 = settlement.refundDeadline(first), settlement.refundDeadline(second)
    assert d2 > d1
    _ok(at_time(d1 - 1, settlement.refund, first, 1_00, params={"from": operator}))
    assert_reverted_with(
        at_time(d2, settlement.refund, second, 1_00, params={"from": operator}), "SettlementRefundPeriodOver"
    )
    assert settlement.paymentOf(second)["refunded"] == 0


def test_payment_intent_expiry(settlement, payer, make_intent):
    start = now()
    early, late = make_intent(expires_at=start + 100), make_intent(expires_at=start + 200)
    _ok(at_time(early.expires_at - 1, settlement.authorize, early.as_tuple(), params={"from": payer}))
    assert_reverted_with(
        at_time(late.expires_at, settlement.authorize, late.as_tuple(), params={"from": payer}),
        "SettlementIntentExpired",
    )


def test_quote_expiry(market, make_quote, sender, beneficiary):
    early, early_signature = make_quote(escrow=market, expires_in=100)
    late, late_signature = make_quote(escrow=market, expires_in=200)
    deadline = now() + HOUR
    _ok(
        at_time(
            early.expires_at - 1,
            market.initiate,
            early.as_tuple(),
            early_signature,
            beneficiary,
            deadline,
            bytes32("t"),
            shown_fee(early),
            params={"from": sender},
        )
    )
    assert_reverted_with(
        at_time(
            late.expires_at,
            market.initiate,
            late.as_tuple(),
            late_signature,
            beneficiary,
            deadline,
            bytes32("t"),
            shown_fee(late),
            params={"from": sender},
        ),
        "EscrowQuoteExpired",
    )


def test_escrow_transfer_deadline(market, initiate, liquidity_provider, keeper):
    released, _ = initiate(deadline_in=HOUR)
    refused, _ = initiate(deadline_in=HOUR + 10)
    refunded, _ = initiate(deadline_in=HOUR + 20)
    d = {
        name: market.transferOf(created_id(tx))["deadline"]
        for name, tx in (("released", released), ("refused", refused), ("refunded", refunded))
    }
    assert d["released"] < d["refused"] < d["refunded"]
    _ok(at_time(d["released"] - 1, market.release, created_id(released), params={"from": liquidity_provider}))
    assert_reverted_with(
        at_time(d["refused"] - 1, market.refund, created_id(refused), params={"from": keeper}),
        "EscrowDeadlineNotReached",
    )
    assert_reverted_with(
        at_time(d["refused"], market.release, created_id(refused), params={"from": liquidity_provider}),
        "EscrowDeadlinePassed",
    )
    _ok(at_time(d["refunded"], market.refund, created_id(refunded), params={"from": keeper}))


def test_htlc_timelock(htlc, market, cny, sender, beneficiary, keeper):
    start = now()
    locks = []
    for offset in (HOUR, HOUR + 10, HOUR + 20):
        preimage, hashlock = new_secret()
        cny.approve(htlc, 10_00, {"from": sender})
        tx = htlc.lock(cny, 10_00, beneficiary, hashlock, start + offset, {"from": sender})
        locks.append((created_id(tx), preimage, start + offset))
    (claimed, claimed_secret, t1), (late, late_secret, t2), (refunded, _, t3) = locks
    _ok(at_time(t1 - 1, htlc.claim, claimed, claimed_secret, params={"from": keeper}))
    assert_reverted_with(at_time(t2 - 1, htlc.refund, late, params={"from": keeper}), "HtlcTimelockNotReached")
    assert_reverted_with(at_time(t2, htlc.claim, late, late_secret, params={"from": keeper}), "HtlcTimelockExpired")
    _ok(at_time(t3, htlc.refund, refunded, params={"from": keeper}))


def test_kyc_expiry(funded, registry, kyc_officer, alice, bob):
    expiry = now() + 100
    registry.setVerified(bob, jurisdiction("CN"), expiry, {"from": kyc_officer})
    _ok(at_time(expiry - 1, funded.transfer, bob, 1_00, params={"from": alice}))
    assert_reverted_with(
        at_time(expiry, funded.transfer, bob, 1_00, params={"from": alice}), "DepositTokenAccountNotVerified"
    )


def test_eip3009_valid_after_and_valid_before(funded, chain_id, alice, bob, rando):
    start = now()
    valid_after, valid_before = start + 100, start + 200

    def authorization():
        nonce = random_nonce()
        fields = (alice.address, bob.address, 1_00, valid_after, valid_before, nonce)
        return (*fields, *sign_authorization(alice.private_key, funded, chain_id, *fields).as_args())

    early, first, last, late = (authorization() for _ in range(4))
    assert_reverted_with(
        at_time(valid_after, funded.transferWithAuthorization, *early, params={"from": rando}),
        "ERC3009AuthorizationNotYetValid",
    )
    _ok(at_time(valid_after + 1, funded.transferWithAuthorization, *first, params={"from": rando}))
    _ok(at_time(valid_before - 1, funded.transferWithAuthorization, *last, params={"from": rando}))
    assert_reverted_with(
        at_time(valid_before, funded.transferWithAuthorization, *late, params={"from": rando}),
        "ERC3009AuthorizationExpired",
    )


def test_permit_deadline(funded, chain_id, alice, carol, rando):
    deadline = now() + 100
    nonce = funded.nonces(alice)
    on_time = sign_permit(alice.private_key, funded, chain_id, alice, carol, 1_00, nonce, deadline)
    _ok(at_time(deadline, funded.permit, alice, carol, 1_00, deadline, *on_time.as_args(), params={"from": rando}))
    late = sign_permit(alice.private_key, funded, chain_id, alice, carol, 2_00, nonce + 1, deadline)
    assert_reverted_with(
        at_time(deadline + 1, funded.permit, alice, carol, 2_00, deadline, *late.as_args(), params={"from": rando}),
        "ERC2612ExpiredSignature",
    )
    assert funded.allowance(alice, carol) == 1_00


def test_default_admin_handover_schedule(settlement, admin, rando):
    settlement.beginDefaultAdminTransfer(rando, {"from": admin})
    schedule = settlement.pendingDefaultAdmin()["schedule"]
    assert_reverted_with(
        at_time(schedule, settlement.acceptDefaultAdminTransfer, params={"from": rando}),
        "AccessControlEnforcedDefaultAdminDelay",
    )
    _ok(at_time(schedule + 1, settlement.acceptDefaultAdminTransfer, params={"from": rando}))
    assert settlement.defaultAdmin() == rando
