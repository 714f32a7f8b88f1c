"""QR payment URIs: build -> PNG -> decode (zxing-cpp) -> parse gives back the same request; malformed URIs are
rejected with QRError."""

import pytest

from crosspay.core.qr import QRError, decode_png, dynamic_uri, parse_dynamic, parse_static, png, static_uri
from crosspay.core.settlement import MAX_PAYMENT_AMOUNT, PaymentIntent, merchant_id, order_ref

CHAIN = 1337
NOW = 1_800_000_000
SETTLEMENT = "0xa3B53dDCd2E3fC28e8E130288F2aBD8d5EE37472"
TOKEN = "0x6951b5Bd815043E3F842c1b026b0Fa888Cc2DD85"
PAYOUT = "0x82b165a8066115f835417DC87bDd9008D712Fa92"


@pytest.fixture
def intent():
    return PaymentIntent(merchant_id("MCH-0001"), TOKEN, 123_45, order_ref("order-42"), NOW + 600)


@pytest.fixture
def uri(intent):
    return dynamic_uri(SETTLEMENT, CHAIN, intent)


@pytest.mark.parametrize("mode", ["charge", "authorize"])
def test_dynamic_qr_round_trips_through_png(intent, mode):
    uri = dynamic_uri(SETTLEMENT, CHAIN, intent, mode)
    decoded = decode_png(png(uri))
    assert decoded == uri
    parsed = parse_dynamic(decoded, chain_id=CHAIN, settlement=SETTLEMENT, now=NOW)
    assert parsed.intent == intent
    assert (parsed.settlement, parsed.chain_id, parsed.mode) == (SETTLEMENT, CHAIN, mode)


def test_dynamic_qr_round_trips_random_order_ref_and_largest_amount():
    intent = PaymentIntent(merchant_id("MCH-9"), TOKEN, MAX_PAYMENT_AMOUNT, order_ref(), NOW + 1)
    uri = dynamic_uri(SETTLEMENT, CHAIN, intent)
    assert parse_dynamic(decode_png(png(uri)), chain_id=CHAIN, now=NOW).intent == intent


@pytest.mark.parametrize("amount", [1, 500_00, None])
def test_static_qr_is_eip681_transfer_and_round_trips(amount):
    uri = static_uri(TOKEN, CHAIN, PAYOUT, amount)
    expected = f"ethereum:{TOKEN}@{CHAIN}/transfer?address={PAYOUT}" + (f"&uint256={amount}" if amount else "")
    assert uri == expected
    parsed = parse_static(decode_png(png(uri)), chain_id=CHAIN)
    assert (parsed.token, parsed.chain_id, parsed.payout, parsed.amount) == (TOKEN, CHAIN, PAYOUT, amount)


def test_dynamic_qr_profile_is_documented_shape(uri, intent):
    assert uri.startswith(f"ethereum:{SETTLEMENT}@{CHAIN}/charge?merchantId=0x{intent.merchant_id.hex()}&token={TOKEN}")
    assert uri.endswith(f"&amount=12345&orderRef=0x{intent.order_ref.hex()}&expiresAt={NOW + 600}&v=1")


def _swap(uri, old, new):
    assert old in uri
    return uri.replace(old, new, 1)


BAD_DYNAMIC = {
    "bad settlement checksum": lambda u: _swap(u, SETTLEMENT, SETTLEMENT.lower().replace("0xa3b", "0xA3b")),
    "lower-case settlement": lambda u: _swap(u, SETTLEMENT, SETTLEMENT.lower()),
    "bad token checksum": lambda u: _swap(u, "token=0x6951b5Bd", "token=0x6951B5Bd"),
    "short token": lambda u: _swap(u, f"token={TOKEN}", f"token={TOKEN[:-2]}"),
    "wrong chain": lambda u: _swap(u, "@1337/", "@1/"),
    "chain not a number": lambda u: _swap(u, "@1337/", "@0x539/"),
    "negative amount": lambda u: _swap(u, "amount=12345", "amount=-12345"),
    "fractional amount": lambda u: _swap(u, "amount=12345", "amount=123.45"),
    "exponent amount": lambda u: _swap(u, "amount=12345", "amount=1.2345e4"),
    "zero amount": lambda u: _swap(u, "amount=12345", "amount=0"),
    "leading zero amount": lambda u: _swap(u, "amount=12345", "amount=012345"),
    "amount too large": lambda u: _swap(u, "amount=12345", f"amount={MAX_PAYMENT_AMOUNT + 1}"),
    "missing amount": lambda u: _swap(u, "&amount=12345", ""),
    "missing merchant": lambda u: u.replace(u[u.index("merchantId") : u.index("&token")], "x=1"),
    "missing version": lambda u: _swap(u, "&v=1", ""),
    "unknown version": lambda u: _swap(u, "&v=1", "&v=2"),
    "duplicate parameter": lambda u: u + "&v=1",
    "unknown parameter": lambda u: u + "&memo=hi",
    "short merchant id": lambda u: _swap(u, "merchantId=0x4d", "merchantId=0x"),
    "unknown mode": lambda u: _swap(u, "/charge?", "/steal?"),
    "not ethereum scheme": lambda u: _swap(u, "ethereum:", "bitcoin:"),
    "no query": lambda u: u.split("?")[0],
    "percent encoded": lambda u: _swap(u, "amount=12345", "amount=%31"),
}


@pytest.mark.parametrize("case", sorted(BAD_DYNAMIC))
def test_malformed_dynamic_qr_is_rejected(uri, case):
    with pytest.raises(QRError):
        parse_dynamic(BAD_DYNAMIC[case](uri), chain_id=CHAIN, now=NOW)


def test_expired_dynamic_qr_is_rejected_at_expiry_and_accepted_a_second_before(uri):
    assert parse_dynamic(uri, chain_id=CHAIN, now=NOW + 599)
    with pytest.raises(QRError, match="expired"):
        parse_dynamic(uri, chain_id=CHAIN, now=NOW + 600)


def test_wrong_chain_message_names_both_chains(uri):
    with pytest.raises(QRError, match="chain 1337.*chain 5"):
        parse_dynamic(uri, chain_id=5, now=NOW)


def test_unexpected_settlement_is_rejected(uri):
    with pytest.raises(QRError, match="not the expected contract"):
        parse_dynamic(uri, chain_id=CHAIN, settlement=PAYOUT, now=NOW)


def test_zero_merchant_id_is_rejected(intent):
    uri = dynamic_uri(SETTLEMENT, CHAIN, PaymentIntent(bytes(32), TOKEN, 1, intent.order_ref, NOW + 60))
    with pytest.raises(QRError, match="merchantId is zero"):
        parse_dynamic(uri, chain_id=CHAIN, now=NOW)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda u: _swap(u, "/transfer?", "/approve?"),
        lambda u: _swap(u, f"address={PAYOUT}", f"address={PAYOUT.lower()}"),
        lambda u: _swap(u, "uint256=500", "uint256=-500"),
        lambda u: _swap(u, "uint256=500", "uint256=5.5"),
        lambda u: _swap(u, "@1337/", "@10/"),
        lambda u: _swap(u, f"address={PAYOUT}&", ""),
    ],
)
def test_malformed_static_qr_is_rejected(mutate):
    uri = static_uri(TOKEN, CHAIN, PAYOUT, 500)
    with pytest.raises(QRError):
        parse_static(mutate(uri), chain_id=CHAIN)


@pytest.mark.parametrize("amount", [0, -1, 1.5, MAX_PAYMENT_AMOUNT + 1])
def test_builders_refuse_bad_amounts(intent, amount):
    with pytest.raises(QRError):
        static_uri(TOKEN, CHAIN, PAYOUT, amount)


def test_builders_refuse_unchecksummed_addresses(intent):
    with pytest.raises(QRError):
        static_uri(TOKEN.lower(), CHAIN, PAYOUT, 1)
    with pytest.raises(QRError):
        dynamic_uri(SETTLEMENT.lower(), CHAIN, intent)


def test_decode_png_without_a_qr_code_raises():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, format="PNG")
    with pytest.raises(QRError, match="found 0"):
        decode_png(buffer.getvalue())
