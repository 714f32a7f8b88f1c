"""Whole payment lifecycles, each starting from a QR code the merchant shows and the payer's wallet scans (PNG
rendered with segno, decoded with zxing-cpp, parsed strictly)."""

from brownie import chain

from crosspay.core.qr import decode_png, dynamic_uri, parse_dynamic, parse_static, png, static_uri
from crosspay.core.settlement import PaymentIntent, order_ref, payment_id
from crosspay.core.signing import authorization_nonce, sign_authorization
from crosspay.core.status import PaymentStatus
from helpers import AUTH_PERIOD, bytes32, created_id, split


def _scan(settlement, intent, mode):
    """The merchant shows a dynamic QR; the wallet scans and parses it."""
    image = png(dynamic_uri(settlement.address, chain.id, intent, mode))
    return parse_dynamic(decode_png(image), chain_id=chain.id, settlement=settlement.address, now=chain.time())


def _request(merchant, token, amount, order):
    return PaymentIntent(merchant, token.address, amount, order_ref(order), chain.time() + 900)


def test_static_qr_pay_to_merchant(funded, token, merchant, payer, payout, settlement):
    uri = static_uri(token.address, chain.id, payout.address, 58_00)
    scanned = parse_static(decode_png(png(uri)), chain_id=chain.id)
    before = token.balanceOf(payout)
    token.transfer(scanned.payout, scanned.amount, {"from": payer})
    assert scanned.token == token.address
    assert token.balanceOf(payout) == before + 58_00


def test_dynamic_qr_authorize_partial_capture_void_rest(
    settlement, token, merchant, payer, operator, settler, payout, issuer_bank, network_fee, acquirer
):
    qr = _scan(settlement, _request(merchant, token, 300_00, "hotel-deposit-17"), "authorize")
    assert qr.mode == "authorize"
    start = token.balanceOf(payer)
    pid = created_id(settlement.authorize(qr.intent.as_tuple(), {"from": payer}))
    assert bytes32(pid) == payment_id(chain.id, settlement.address, qr.intent, payer.address)
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.AUTHORIZED

    settlement.capture(pid, 120_00, {"from": operator})
    settlement.capture(pid, 45_50, {"from": operator})
    settlement.void(pid, {"from": operator})
    payment = settlement.paymentOf(pid)
    assert (payment["status"], payment["authorized"], payment["captured"]) == (PaymentStatus.VOIDED, 300_00, 165_50)
    assert token.balanceOf(payer) == start - 165_50

    one, two = split(120_00), split(45_50)
    settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == one.merchant + two.merchant
    for account, part in ((issuer_bank, "interchange"), (network_fee, "network"), (acquirer, "acquirer")):
        settlement.withdrawFees(token, {"from": account})
        assert token.balanceOf(account) == getattr(one, part) + getattr(two, part)
    assert token.balanceOf(settlement) == 0


def test_charge_partial_refund_settle(settlement, token, merchant, payer, operator, settler, payout):
    qr = _scan(settlement, _request(merchant, token, 88_88, "table-4"), "charge")
    start = token.balanceOf(payer)
    pid = created_id(settlement.charge(qr.intent.as_tuple(), {"from": payer}))
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.CAPTURED
    settlement.refund(pid, 8_88, {"from": operator})
    assert token.balanceOf(payer) == start - 80_00
    fee = split(88_88).fee
    tx = settlement.settle(token, [merchant], {"from": settler})
    event = tx.events["MerchantSettled"]
    assert (event["gross"], event["fees"], event["refunds"], event["net"]) == (88_88, fee, 8_88, 88_88 - fee - 8_88)
    assert token.balanceOf(payout) == 88_88 - fee - 8_88


def test_gasless_charge_via_eip3009_submitted_by_a_relayer(
    settlement, token, funded, merchant, alice, relayer, settler, payout
):
    qr = _scan(settlement, _request(merchant, token, 25_00, "coffee"), "charge")
    pid = payment_id(chain.id, settlement.address, qr.intent, alice.address)
    now = chain.time()
    sig = sign_authorization(
        alice.private_key,
        token,
        chain.id,
        alice,
        settlement,
        qr.intent.amount,
        now - 1,
        qr.intent.expires_at,
        authorization_nonce(pid, capture=True),
        receive=True,
    )
    eth_before, tokens_before = alice.balance(), token.balanceOf(alice)
    tx = settlement.chargeWithAuthorization(
        qr.intent.as_tuple(), alice, now - 1, qr.intent.expires_at, *sig.as_args(), {"from": relayer}
    )
    assert bytes32(tx.return_value) == pid
    assert alice.balance() == eth_before
    assert token.balanceOf(alice) == tokens_before - 25_00
    settlement.settle(token, [merchant], {"from": settler})
    assert token.balanceOf(payout) == split(25_00).merchant


def test_reclaim_after_expiry(settlement, token, merchant, payer):
    qr = _scan(settlement, _request(merchant, token, 40_00, "forgotten"), "authorize")
    start = token.balanceOf(payer)
    pid = created_id(settlement.authorize(qr.intent.as_tuple(), {"from": payer}))
    chain.sleep(AUTH_PERIOD)
    chain.mine()
    settlement.reclaim(pid, {"from": payer})
    assert settlement.paymentOf(pid)["status"] == PaymentStatus.RECLAIMED
    assert token.balanceOf(payer) == start
    assert token.balanceOf(settlement) == 0
