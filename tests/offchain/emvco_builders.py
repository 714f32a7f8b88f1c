"""Builders the EMVCo codec tests share: a Hong Kong tea house's dynamic QR, a Shanghai noodle bar's static sticker,
and payloads written by hand."""

from crosspay.core.emvco import CrosspayAccount, Initiation, MerchantQR, checksum

CHAIN = 1337
NOW = 1_800_000_000
EXPIRY = NOW + 600
SETTLEMENT = "0xa3B53dDCd2E3fC28e8E130288F2aBD8d5EE37472"
TOKEN = "0x6951b5Bd815043E3F842c1b026b0Fa888Cc2DD85"
# Other schemes on the same sticker: UnionPay's primitive 15 and an HK FPS template (values as in published HK
# payloads).
UNIONPAY = ("15", "4798034447980344598034493990063")
FPS = ("27", "0012hk.com.hkicl02079999999")


def account(**changes) -> CrosspayAccount:
    fields = dict(chain_id=CHAIN, settlement=SETTLEMENT, merchant_id="HK-TEA", expires_at=EXPIRY)
    return CrosspayAccount(**{**fields, **changes})


def dynamic_qr(**changes) -> MerchantQR:
    fields = dict(
        initiation=Initiation.DYNAMIC,
        merchant_name="Harbour Tea House",
        merchant_city="Hong Kong",
        country="HK",
        mcc="5814",
        currency="HKD",
        amount=88_00,
        account=account(),
        reference_label="T7-0042",
        terminal_label="T7",
    )
    return MerchantQR(**{**fields, **changes})


def static_qr(**changes) -> MerchantQR:
    fields = dict(
        initiation=Initiation.STATIC,
        merchant_name="Bund Noodles",
        merchant_city="Shanghai",
        country="CN",
        mcc="5812",
        currency="CNY",
        account=account(merchant_id="SH-BUND-NOODLES", expires_at=None),
    )
    return MerchantQR(**{**fields, **changes})


def tlv(*objects) -> str:
    return "".join(f"{object_id}{len(value):02d}{value}" for object_id, value in objects)


def raw(body: str) -> str:
    """`body` and a correct CRC, so the decoder gets past the CRC to the fault under test."""
    return body + "6304" + checksum(body + "6304")


def payload(*objects) -> str:
    return raw(tlv(*objects))


def top_level(text):
    """A payload's top-level (ID, value) objects, read by a minimal TLV reader written for the tests."""
    objects, position = [], 0
    while position < len(text):
        length = int(text[position + 2 : position + 4])
        objects.append((text[position : position + 2], text[position + 4 : position + 4 + length]))
        position += 4 + length
    return objects
