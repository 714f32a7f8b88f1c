"""crosspay.core.emvco: EMVCo merchant-presented QR codes with the Crosspay merchant account template.

Round trips (encode -> PNG -> scan, and decode -> encode byte for byte), the CRC against published payloads, one test
per QRError the strict decoder raises, the payer's intent, the template budget documented in docs/emvco.md, and
properties over random valid QRs."""

import dataclasses
import random
import re
from pathlib import Path

import pytest
from emvco_builders import (
    CHAIN,
    EXPIRY,
    FPS,
    NOW,
    SETTLEMENT,
    TOKEN,
    UNIONPAY,
    account,
    dynamic_qr,
    payload,
    raw,
    static_qr,
    tlv,
    top_level,
)
from eth_utils import to_checksum_address
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given as _hypothesis_given

from crosspay.core import emvco
from crosspay.core.emvco import (
    AUTHORIZE,
    CHARGE,
    CrosspayAccount,
    Initiation,
    MerchantLanguage,
    MerchantQR,
    checksum,
    decode,
    encode,
    longest_merchant_id,
    render,
    scan,
)
from crosspay.core.qr import QRError
from crosspay.core.settlement import PaymentIntent, merchant_id, order_ref

# Pure Python, no chain: hypothesis's own `given` (brownie's would snapshot and revert the chain around every example).
given = _hypothesis_given

# --- published payloads (data, with the CRC their publishers printed) ---
# EMV QRCPS Merchant-Presented Mode v1.1, the specification's example payload (CRC A13A). Its 64 (Chinese name and
# city) sits between 58 and 54: lengths count characters, the CRC runs over UTF-8 bytes, the order is free.
EMVCO_SAMPLE = (
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT"
    "6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME"
    "91320016A0112233449988770708123456786304A13A"
)
# Banco Central do Brasil, "Manual de Padrões para Iniciação do Pix", the static BR Code example (CRC 1D3D): no 01.
PIX_SAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008"
    "BRASILIA62070503***63041D3D"
)
# Mastercard Developers, "Generate QR Code for Merchants" (Mastercard Checkout Solutions), the example QR (CRC 6F6D):
# a primitive 05 and an amount written without decimals ("100" USD).
MASTERCARD_SAMPLE = (
    "000201010211057704736a2f41a3-c54c-fce8-32d2-0324e1c32e22*3440e5bf-81ca-4c5f-a1b2-cf989f09a03952045024530384054"
    "031005802US5913Test Merchant6008New York62080304123463046F6D"
)
# Softbird API Clientside README (public GitHub), the "Generate invoice" response example: a dynamic Pix code of
# BTG Pactual whose CRC, 044B, is below 0x1000 and keeps its leading zero. Its amount lives behind the URL.
BTG_SAMPLE = (
    "00020101021226910014br.gov.bcb.pix2569api.developer.btgpactual.com/v1/p/v2/84737b5a68814ac38fe9464c38ed3cd75204"
    "899953039865802BR5925TUNNEL VENTURE CAPITAL GR6009Sao Paulo61080145200162070503***6304044B"
)
# A Hong Kong FPS payload published in a public repository's sample (CRC F335): UnionPay 15, FPS 26, an unreserved
# template 80 and four 62 sub-objects.
HK_SAMPLE = (
    "0002010102121531479803444798034459803449399006326450012hk.com.hkicl020916606952605122912312359595204939953033445"
    "4042.005802HK5902NA6002HK6293011900-12348A10798425380218001-20200726084100032263ee92126d3fb9ff7bed980418021508"
    "21101001445D80560013com.swiftpass0212181570002009041900-12348A10798425386304F335"
)


# The dynamic QR above, with UnionPay and FPS beside it, as a list of top-level objects to break one at a time.
TEMPLATE = tlv(("00", "io.crosspay"), ("01", "1337"), ("02", SETTLEMENT), ("03", "HK-TEA"), ("04", str(EXPIRY)))
BASE = [
    ("00", "01"),
    ("01", "12"),
    UNIONPAY,
    ("26", TEMPLATE),
    FPS,
    ("52", "5814"),
    ("53", "344"),
    ("54", "88.00"),
    ("58", "HK"),
    ("59", "Harbour Tea House"),
    ("60", "Hong Kong"),
    ("62", tlv(("05", "T7-0042"), ("07", "T7"))),
]


def changed(object_id, value, objects=BASE):
    """BASE with `object_id` set to `value` (None: removed), in place, or appended before the CRC."""
    out = [(i, v) for i, v in objects if i != object_id or value is not None]
    if value is not None:
        out = [(i, value if i == object_id else v) for i, v in out]
        if object_id not in dict(objects):
            out.append((object_id, value))
    return out


def template(*changes) -> str:
    """The Crosspay template with sub-objects changed ((sub-ID, value or None) pairs), order kept."""
    objects = [("00", "io.crosspay"), ("01", "1337"), ("02", SETTLEMENT), ("03", "HK-TEA"), ("04", str(EXPIRY))]
    for sub_id, value in changes:
        objects = changed(sub_id, value, objects)
    return tlv(*objects)


# --- the profile's shape ------------------------------------------------------------------------------------------


def test_base_payload_decodes_to_the_dynamic_qr_with_both_foreign_schemes_kept():
    qr = decode(payload(*BASE))
    assert qr == dynamic_qr(others=(UNIONPAY, FPS))
    assert qr.currency_numeric == "344" and qr.is_dynamic and qr.mode == CHARGE


def test_crosspay_template_is_laid_out_as_documented():
    assert account().template == TEMPLATE
    assert account(mode=AUTHORIZE).template == TEMPLATE + "0501A"
    assert account(expires_at=None).template == tlv(
        ("00", "io.crosspay"), ("01", "1337"), ("02", SETTLEMENT), ("03", "HK-TEA")
    )


def test_encoder_writes_objects_in_id_order_with_00_first_and_the_crc_last():
    text = encode(dynamic_qr(others=(FPS, UNIONPAY)))
    assert text == payload(*BASE)
    assert text.startswith("000201010212") and text[-8:-4] == "6304"


def test_amounts_use_the_currency_decimals():
    assert emvco.format_amount(88_00, "HKD") == "88.00"
    assert emvco.format_amount(5, "CNY") == "0.05"
    assert emvco.format_amount(1_500, "JPY") == "1500"
    assert emvco.format_amount(1_500, "KWD") == "1.500"
    for text, currency, minor in (
        ("98.73", "HKD", 9873),
        ("98", "HKD", 9800),
        ("98.", "HKD", 9800),
        ("98.7", "HKD", 9870),
        ("1500", "JPY", 1500),
        ("1.5", "KWD", 1500),
    ):
        assert emvco.parse_amount(text, currency) == minor


def test_currency_table_covers_the_required_currencies_both_ways():
    for alpha, numeric, decimals in (
        ("CNY", "156", 2),
        ("HKD", "344", 2),
        ("USD", "840", 2),
        ("EUR", "978", 2),
        ("SGD", "702", 2),
        ("THB", "764", 2),
        ("MYR", "458", 2),
        ("JPY", "392", 0),
        ("KRW", "410", 0),
        ("KWD", "414", 3),
    ):
        assert emvco.iso4217(alpha) == emvco.iso4217(numeric) == emvco.Currency(alpha, numeric, decimals)


# --- round trips --------------------------------------------------------------------------------------------------

ROUND_TRIPS = {
    "static CNY sticker, payer enters the amount": lambda: static_qr(),
    "static HKD sticker with a fixed amount": lambda: static_qr(currency="HKD", amount=25_00, country="HK"),
    "dynamic HKD charge": lambda: dynamic_qr(),
    "dynamic CNY authorization with a bill number": lambda: dynamic_qr(
        currency="CNY", amount=300_00, account=account(mode=AUTHORIZE), bill_number="INV-2031"
    ),
    "dynamic HKD with UnionPay 15, FPS 27 and other 62 sub-objects kept": lambda: dynamic_qr(
        others=(UNIONPAY, FPS), additional_others=(("03", "Store 7"), ("50", "0006sample0102ok"))
    ),
    "Crosspay template at 51 beside an FPS template at 26": lambda: dynamic_qr(
        template_id="51", others=(("26", FPS[1]),)
    ),
    "dynamic JPY, no additional data but the reference": lambda: dynamic_qr(
        currency="JPY", amount=1_500, terminal_label=None, country="JP"
    ),
    "dynamic KWD, three decimals": lambda: dynamic_qr(currency="KWD", amount=12_345, country="KW"),
    "Chinese name and city in 64": lambda: dynamic_qr(
        language=MerchantLanguage(language="zh", name="海港茶居", city="香港")
    ),
    "UnionPay only, no Crosspay template": lambda: static_qr(account=None, others=(UNIONPAY,)),
}


@pytest.mark.parametrize("make", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_round_trip_through_the_payload_and_a_png(make):
    qr = make()
    text = encode(qr)
    assert decode(text) == qr
    assert encode(decode(text)) == text
    assert scan(render(qr)) == qr


def test_foreign_objects_are_written_verbatim():
    text = encode(dynamic_qr(others=(UNIONPAY, FPS), additional_others=(("03", "Store 7"),)))
    assert tlv(UNIONPAY) in text and tlv(FPS) in text and tlv(("03", "Store 7")) in text


@pytest.mark.parametrize(
    "sample", [EMVCO_SAMPLE, PIX_SAMPLE, MASTERCARD_SAMPLE, HK_SAMPLE], ids=["EMVCo", "Pix", "Mastercard", "HK FPS"]
)
def test_published_payloads_decode_and_encode_back_byte_for_byte(sample):
    assert encode(decode(sample)) == sample


def test_emvco_sample_reads_as_the_spec_describes_it():
    qr = decode(EMVCO_SAMPLE)
    assert (qr.initiation, qr.currency, qr.amount, qr.merchant_name, qr.merchant_city) == (
        Initiation.DYNAMIC,
        "CNY",
        23_72,
        "BEST TRANSPORT",
        "BEIJING",
    )
    assert qr.language == MerchantLanguage(language="ZH", name="最佳运输", city="北京")
    assert qr.terminal_label == "A6008667" and qr.account is None
    assert dict(qr.additional_others) == {"03": "1234", "06": "***", "09": "ME"}
    assert [object_id for object_id, _ in qr.others] == ["29", "31", "55", "91"]


def test_written_order_and_amount_text_survive_a_round_trip_and_take_no_part_in_equality():
    objects = list(reversed(BASE[1:]))
    objects[objects.index(("54", "88.00"))] = ("54", "88")
    shuffled = payload(BASE[0], *objects)
    qr = decode(shuffled)
    assert qr == dynamic_qr(others=(UNIONPAY, FPS))
    assert encode(qr) == shuffled
    # A changed field is written canonically; the order the payload was read in still holds.
    rewritten = encode(dataclasses.replace(qr, amount=99_00))
    assert tlv(("54", "99.00")) in rewritten
    assert rewritten.index("5802HK") < rewritten.index("5303344")


def test_an_amount_read_in_one_currency_is_written_afresh_in_another():
    qr = decode(encode(dynamic_qr(currency="KWD", amount=1_500)))
    assert tlv(("54", "1.500")) in encode(qr)
    assert tlv(("54", "1500.00")) in encode(dataclasses.replace(qr, currency="HKD", amount=1_500_00))


def test_a_pix_payload_without_point_of_initiation_decodes():
    qr = decode(PIX_SAMPLE)
    assert qr.initiation is None and qr.currency == "BRL" and qr.reference_label == "***"


# --- the CRC ------------------------------------------------------------------------------------------------------


def test_crc_is_ccitt_false_by_its_check_value():
    assert checksum("123456789") == "29B1"


@pytest.mark.parametrize(
    "sample",
    [EMVCO_SAMPLE, PIX_SAMPLE, MASTERCARD_SAMPLE, BTG_SAMPLE, HK_SAMPLE],
    ids=["EMVCo", "Pix", "Mastercard", "BTG below 0x1000", "HK FPS"],
)
def test_crc_matches_published_payloads(sample):
    assert checksum(sample[:-4]) == sample[-4:]


def test_published_crc_below_0x1000_keeps_its_leading_zero():
    assert int(BTG_SAMPLE[-4:], 16) < 0x1000 and BTG_SAMPLE[-8:] == "6304044B"
    # That payload is refused, but for its missing amount (a dynamic Pix code's amount sits behind its URL).
    with pytest.raises(QRError, match=r"dynamic QR \(01 = 12\) must carry an amount"):
        decode(BTG_SAMPLE)


def test_crc_below_0x100_is_written_with_four_digits_and_read_back():
    qrs = (dynamic_qr(reference_label=f"T7-{n:04d}") for n in range(10_000))
    qr, text = next((qr, text) for qr in qrs if int((text := encode(qr))[-4:], 16) < 0x100)
    assert text[-8:-2] == "630400"
    assert decode(text) == qr
    unpadded = f"{int(text[-4:], 16):X}"  # what a parser that prints the CRC without its leading zeros writes
    with pytest.raises(QRError, match="must be 4 hex digits"):
        decode(text[:-8] + f"63{len(unpadded):02d}" + unpadded)


# --- the strict decoder: one QRError per fault --------------------------------------------------------------------


def _replace_char(text, index, new):
    return text[:index] + new + text[index + 1 :]


def _lower_case_crc():
    texts = (payload(*changed("62", tlv(("05", f"T7-{n:04d}")))) for n in range(1000))
    text = next(text for text in texts if re.search("[A-F]", text[-4:]))
    return text[:-4] + text[-4:].lower()


BASE_PAYLOAD = payload(*BASE)
# name -> (payload, what the message says)
BAD_PAYLOADS = {
    "wrong CRC": (BASE_PAYLOAD.replace("Harbour", "Harbor_"), r"CRC mismatch: the payload says [0-9A-F]{4}"),
    "lower-case CRC": (_lower_case_crc(), "4 upper-case hex digits, got '[0-9a-f]{4}'"),
    "CRC cut to 3 digits": (BASE_PAYLOAD[:-8] + "6303" + BASE_PAYLOAD[-3:], "must be 4 hex digits"),
    "length running past the end": (
        raw(tlv(*BASE[:-1]) + "6299" + BASE[-1][1]),
        r"object 62 at position \d+ declares 99 characters, only 25 remain",
    ),
    "non-digit length": (raw(tlv(*BASE).replace("5917Harbour", "591HHarbour")), "non-numeric length '1H'"),
    "truncated object (payload cut short)": (BASE_PAYLOAD[:-5], r"truncated data object at position \d+: '630'"),
    "zero length": (raw(tlv(*BASE) + "6100"), "object 61 at position \\d+ has length 00"),
    "non-digit ID": (raw(tlv(*BASE).replace("5917Harbour", "5A17Harbour")), "ID '5A' .* is not two digits"),
    "duplicated top-level ID": (payload(*BASE, ("59", "Harbour Tea House")), "payload: duplicated ID 59"),
    "duplicated 62 sub-ID": (
        payload(*changed("62", tlv(("05", "T7-0042"), ("05", "T7-0043")))),
        r"additional data template \(62\): duplicated ID 05",
    ),
    "duplicated Crosspay sub-ID": (
        payload(*changed("01", "11", changed("26", template(("04", None)) + tlv(("03", "HK-TEA"))))),
        r"Crosspay template \(26\): duplicated ID 03",
    ),
    "duplicated sub-ID in another scheme's template": (
        payload(*changed("27", FPS[1] + "02079999999")),
        "merchant account template 27: duplicated ID 02",
    ),
    "missing merchant account": (
        payload(*[o for o in BASE if o[0] not in ("15", "26", "27")]),
        "missing merchant account information: no object with an ID in 02-51",
    ),
    "non-numeric currency": (payload(*changed("53", "HKD")), "3-digit ISO 4217 numeric code, got 'HKD'"),
    "unknown currency": (payload(*changed("53", "999")), "currency '999' is not in Crosspay's ISO 4217 table"),
    "amount with a comma": (payload(*changed("54", "88,00")), "digits with at most one '.'"),
    "amount with an exponent": (payload(*changed("54", "1e3")), "digits with at most one '.'"),
    "negative amount": (payload(*changed("54", "-88")), "digits with at most one '.'"),
    "amount with two decimal marks": (payload(*changed("54", "8.8.0")), "digits with at most one '.'"),
    "zero amount": (payload(*changed("54", "0.00")), "must not be zero"),
    "three decimals in HKD": (payload(*changed("54", "12.345")), "'12.345' has 3 decimals; HKD has 2"),
    "decimals in JPY": (payload(*changed("53", "392", changed("54", "1.5"))), "'1.5' has 1 decimals; JPY has 0"),
    "four decimals in KWD": (payload(*changed("53", "414", changed("54", "1.2345"))), "has 4 decimals; KWD has 3"),
    "amount over 13 characters": (payload(*changed("54", "12345678901.00")), "is 14 characters; at most 13"),
    "dynamic QR without amount": (payload(*changed("54", None)), r"dynamic QR \(01 = 12\) must carry an amount"),
    "00 not first": (payload(BASE[1], BASE[0], *BASE[2:]), "must be the first object; the payload starts with 01"),
    "63 not last": (
        BASE_PAYLOAD + tlv(("64", tlv(("00", "zh"), ("01", "海港茶居")))),
        "the CRC \\(63\\) must be the last object; the payload ends with 64",
    ),
    "no CRC at all": (tlv(*BASE), "the CRC \\(63\\) must be the last object; the payload ends with 62"),
    "payload format indicator 02": (payload(*changed("00", "02")), "payload format indicator \\(00\\) must be 01"),
    "point of initiation 13": (payload(*changed("01", "13")), r"must be 11 \(static\) or 12 \(dynamic\), got '13'"),
    "merchant name over 25": (payload(*changed("59", "Harbour Tea House Kowloon1")), r"\(59\) is 26 characters"),
    "merchant city over 15": (payload(*changed("60", "Hong Kong Island")), r"\(60\) is 16 characters; at most 15"),
    "reference label over 25": (payload(*changed("62", tlv(("05", "R" * 26)))), r"\(62/05\) is 26 characters"),
    "GUID over 32": (payload(*changed("27", tlv(("00", "hk.com.hkicl." + "x" * 20)))), r"\(00\) is 33 characters"),
    "non-ASCII merchant name": (payload(*changed("59", "Café Harbour")), "'é': only printable ASCII"),
    "lower-case country": (payload(*changed("58", "hk")), r"country code \(58\) must be 2 upper-case letters"),
    "non-numeric MCC": (payload(*changed("52", "58A4")), r"merchant category code \(52\) must be 4 digits"),
    "payload over 512 characters": ("00020101" + "9" * 520, "payload is 528 characters; Crosspay reads at most 512"),
    "another scheme's template without GUID": (
        payload(*changed("27", "02079999999")),
        "merchant account template 27 has no globally unique identifier",
    ),
    "fee value without its indicator": (payload(*changed("56", "1.00")), r"fixed convenience fee \(56\) is present"),
    "unknown tip indicator": (payload(*changed("55", "04")), r"indicator \(55\) must be 01, 02 or 03"),
    "consumer data request repeats a letter": (
        payload(*changed("62", tlv(("05", "T7"), ("09", "AA")))),
        "takes each of A, M, E at most once",
    ),
    "language template without the name": (
        payload(*changed("64", tlv(("00", "zh")))),
        r"language template \(64\) lacks its mandatory 01",
    ),
    # The Crosspay template
    "settlement failing EIP-55": (
        payload(*changed("26", template(("02", SETTLEMENT.replace("a3B", "A3B"))))),
        "fails its EIP-55 checksum",
    ),
    "settlement not an address": (payload(*changed("26", template(("02", "0x1234")))), "is not a 20-byte hex address"),
    "template without chain id": (payload(*changed("26", template(("01", None)))), r"lacks 01 \(chain id\)"),
    "chain id with a leading zero": (payload(*changed("26", template(("01", "01337")))), "without leading zeros"),
    "non-ASCII merchant id": (payload(*changed("26", template(("03", "HK-TÉA")))), "only printable ASCII"),
    "unknown payment mode": (payload(*changed("26", template(("05", "X")))), r"payment mode \(05\) must be 'A'"),
    "unknown sub-ID": (payload(*changed("26", template(("06", "x")))), "unknown sub-ID 06"),
    "sub-objects out of order": (
        payload(*changed("26", tlv(("00", "io.crosspay"), ("02", SETTLEMENT), ("01", "1337"), ("03", "HK-TEA")))),
        "ascending order",
    ),
    "dynamic template without expiry": (
        payload(*changed("26", template(("04", None)))),
        r"dynamic Crosspay QR carries the intent's expiry",
    ),
    "static template with an expiry": (payload(*changed("01", "11")), "static Crosspay QR carries no expiry"),
    "authorization on a static QR": (
        payload(*changed("01", "11", changed("26", template(("04", None), ("05", "A"))))),
        "authorize .* is for dynamic QRs",
    ),
    "Crosspay template without point of initiation": (payload(*changed("01", None)), "states its point of initiation"),
    "two Crosspay templates": (payload(*changed("30", TEMPLATE)), r"two Crosspay templates \(26 and 30\)"),
    "Crosspay template in an unreserved template": (
        payload(*changed("85", TEMPLATE)),
        "at ID 85 belongs in `account`, at an ID in 26-51",
    ),
}


@pytest.mark.parametrize("bad,message", BAD_PAYLOADS.values(), ids=BAD_PAYLOADS.keys())
def test_decoder_refuses_with_one_clear_error(bad, message):
    with pytest.raises(QRError, match=message):
        decode(bad)


@pytest.mark.parametrize(
    "object_id,name",
    [
        ("52", "merchant category code"),
        ("53", "transaction currency"),
        ("58", "country code"),
        ("59", "merchant name"),
        ("60", "merchant city"),
    ],
)
def test_decoder_names_each_missing_mandatory_object(object_id, name):
    with pytest.raises(QRError, match=rf"missing mandatory object\(s\): {object_id} \({name}\)"):
        decode(payload(*changed(object_id, None)))


def test_decoder_refuses_what_is_not_text():
    with pytest.raises(QRError, match="an EMVCo payload is text, got bytes"):
        decode(BASE_PAYLOAD.encode())


# --- the encoder refuses what would make a bad QR -----------------------------------------------------------------


def test_template_budget_is_exactly_99_characters():
    for expires_at, mode in ((None, CHARGE), (EXPIRY, CHARGE), (EXPIRY, AUTHORIZE)):
        room = longest_merchant_id(CHAIN, expires_at=expires_at, mode=mode)
        fits = account(merchant_id="M" * room, expires_at=expires_at, mode=mode)
        assert len(fits.template) == 99 or room == 32
        with pytest.raises(QRError, match=f"a merchant id can have at most {room} characters"):
            account(merchant_id="M" * (room + 1), expires_at=expires_at, mode=mode)


def test_encoder_refuses_the_demo_tea_house_id_on_an_authorization():
    with pytest.raises(
        QRError,
        match=r"template would be \d+ characters and a template holds at most 99: on chain "
        r"1337 with an expiry for an authorization a merchant id can have at most",
    ):
        account(merchant_id="HK-TEA-HOUSE", mode=AUTHORIZE)


BAD_QRS = {
    "merchant id over 32 bytes": (
        lambda: account(merchant_id="M" * 33, expires_at=None, chain_id=1),
        r"merchant id \(template 03\) is 33 characters; at most 32",
    ),
    "dynamic QR without amount": (lambda: dynamic_qr(amount=None), "must carry an amount"),
    "amount as a float": (lambda: dynamic_qr(amount=88.0), "positive whole number of minor units"),
    "amount over 13 characters": (lambda: dynamic_qr(amount=10**13), "54 holds at most 13"),
    "currency by its numeric code": (lambda: dynamic_qr(currency="344"), "by its ISO 4217 alpha code"),
    "authorization without expiry": (lambda: account(mode=AUTHORIZE, expires_at=None), "is for dynamic QRs"),
    "unknown mode": (lambda: account(mode="capture"), "payment mode must be one of charge, authorize"),
    "lower-case settlement": (lambda: account(settlement=SETTLEMENT.lower()), "fails its EIP-55 checksum"),
    "Crosspay template outside 26-51": (lambda: dynamic_qr(template_id="52"), "sits at an ID in 26-51"),
    "a named ID among the others": (lambda: dynamic_qr(others=(("59", "x"),)), "59 is merchant_name"),
    "the Crosspay ID taken by another scheme": (
        lambda: dynamic_qr(others=(("26", FPS[1]),)),
        "26 is the Crosspay template",
    ),
    "62 over 99 characters": (
        lambda: dynamic_qr(
            bill_number="B" * 25,
            reference_label="R" * 25,
            terminal_label="T" * 25,
            additional_others=(("03", "S" * 20),),
        ),
        r"additional data template \(62\) is 111 characters",
    ),
    "control character in 64": (
        lambda: dynamic_qr(language=MerchantLanguage(language="zh", name="茶\n居")),
        "control character",
    ),
}


@pytest.mark.parametrize("make,message", BAD_QRS.values(), ids=BAD_QRS.keys())
def test_encoder_refuses_a_qr_it_cannot_write(make, message):
    with pytest.raises(QRError, match=message):
        make()


# --- what the payer's app pays ------------------------------------------------------------------------------------


def test_dynamic_qr_gives_the_intent_it_states():
    qr = decode(encode(dynamic_qr(account=account(mode=AUTHORIZE))))
    intent = qr.intent(TOKEN, chain_id=CHAIN, settlement=SETTLEMENT, now=EXPIRY - 1)
    assert intent == PaymentIntent(merchant_id("HK-TEA"), TOKEN, 88_00, order_ref("T7-0042"), EXPIRY)
    assert qr.mode == AUTHORIZE and qr.account.merchant_id_bytes == merchant_id("HK-TEA")


def test_static_qr_takes_the_payers_amount_expiry_and_reference():
    qr = static_qr(reference_label="***")
    intent = qr.intent(
        TOKEN,
        chain_id=CHAIN,
        settlement=SETTLEMENT,
        now=NOW,
        amount=42_50,
        expires_at=EXPIRY,
        order_reference="order-9",
    )
    assert intent == PaymentIntent(merchant_id("SH-BUND-NOODLES"), TOKEN, 42_50, order_ref("order-9"), EXPIRY)
    fixed = static_qr(amount=25_00, reference_label="TABLE-4")
    assert fixed.intent(TOKEN, chain_id=CHAIN, settlement=SETTLEMENT, now=NOW, expires_at=EXPIRY) == PaymentIntent(
        merchant_id("SH-BUND-NOODLES"), TOKEN, 25_00, order_ref("TABLE-4"), EXPIRY
    )


BAD_INTENTS = {
    "no Crosspay template": (static_qr(account=None, others=(UNIONPAY,)), {}, "no Crosspay merchant account template"),
    "another chain": (dynamic_qr(), {"chain_id": 1}, "the QR is for chain 1337, this app is on chain 1"),
    "another settlement contract": (dynamic_qr(), {"settlement": TOKEN}, "not the expected " + TOKEN),
    "expired, at the second": (dynamic_qr(), {"now": EXPIRY}, f"expired at {EXPIRY} \\(now {EXPIRY}\\)"),
    "dynamic without a reference": (dynamic_qr(reference_label=None), {}, "order reference in the reference label"),
    "dynamic amount overridden": (dynamic_qr(), {"amount": 1}, "a dynamic QR fixes .* do not pass amount"),
    "static without amount": (static_qr(), {"expires_at": EXPIRY, "order_reference": "o"}, "pass the amount"),
    "static amount overridden": (
        static_qr(amount=25_00),
        {"amount": 1, "expires_at": EXPIRY, "order_reference": "o"},
        "the QR fixes the amount at 2500; 1 was passed",
    ),
    "static without expiry": (static_qr(), {"amount": 1, "order_reference": "o"}, "pass expires_at"),
    "static without reference": (static_qr(), {"amount": 1, "expires_at": EXPIRY}, "pass the order reference"),
}


@pytest.mark.parametrize("qr,arguments,message", BAD_INTENTS.values(), ids=BAD_INTENTS.keys())
def test_intent_is_refused(qr, arguments, message):
    with pytest.raises(QRError, match=message):
        qr.intent(TOKEN, **{"chain_id": CHAIN, "settlement": SETTLEMENT, "now": NOW, **arguments})


# --- the documented budget ----------------------------------------------------------------------------------------


def test_docs_budget_table_is_what_the_code_computes():
    text = Path(__file__).resolve().parents[2].joinpath("docs", "emvco.md").read_text()
    rows = re.findall(r"^\| (\d+) [^|]*\| (\d+) \| (\d+) \| (\d+) \|$", text, re.M)
    assert len(rows) >= 3
    for chain, static, charge, authorize in rows:
        chain = int(chain)
        assert [int(static), int(charge), int(authorize)] == [
            longest_merchant_id(chain),
            longest_merchant_id(chain, expires_at=EXPIRY),
            longest_merchant_id(chain, expires_at=EXPIRY, mode=AUTHORIZE),
        ], f"docs/emvco.md's budget row for chain {chain}"


def test_docs_example_is_the_tea_house_qr_and_round_trips():
    text = Path(__file__).resolve().parents[2].joinpath("docs", "emvco.md").read_text()
    example = re.search(r"^## Example\n.*?^```\n(.+?)\n```", text, re.M | re.S)[1]
    qr = decode(example)
    assert qr == dynamic_qr(
        reference_label="T7-0042",
        others=(UNIONPAY,),
        language=MerchantLanguage(language="zh", name="海港茶居", city="香港"),
    )
    assert encode(qr) == example


# --- properties ---------------------------------------------------------------------------------------------------

ans = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=15)
cjk = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=15)


@st.composite
def merchant_qrs(draw):
    dynamic = draw(st.booleans())
    currency = draw(st.sampled_from(["CNY", "HKD", "JPY", "KWD", "USD", "SGD"]))
    decimals = emvco.iso4217(currency).minor_units
    amount = draw(st.integers(1, 10 ** (12 - decimals) - 1)) if dynamic or draw(st.booleans()) else None
    chain_id = draw(st.integers(1, 10**8 - 1))
    expires_at = draw(st.integers(10**9, 10**10 - 1)) if dynamic else None
    mode = draw(st.sampled_from([CHARGE, AUTHORIZE])) if dynamic else CHARGE
    room = longest_merchant_id(chain_id, expires_at=expires_at, mode=mode)
    crosspay = None
    if draw(st.booleans()):
        merchant = draw(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=room))
        settlement = to_checksum_address(draw(st.binary(min_size=20, max_size=20)))
        crosspay = CrosspayAccount(
            chain_id=chain_id, settlement=settlement, merchant_id=merchant, expires_at=expires_at, mode=mode
        )
    template_id = draw(st.sampled_from(["26", "38", "51"]))
    others = [("27", "0012hk.com.hkicl0207" + draw(st.from_regex(r"\A[0-9]{7}\Z")))]
    if draw(st.booleans()) or crosspay is None:
        others.append(("15", draw(st.from_regex(r"\A[0-9]{16,31}\Z"))))
    optional = lambda strategy: draw(st.one_of(st.none(), strategy))  # noqa: E731
    return MerchantQR(
        initiation=Initiation.DYNAMIC if dynamic else Initiation.STATIC,
        merchant_name=draw(ans),
        merchant_city=draw(ans),
        country=draw(st.sampled_from(["CN", "HK", "SG"])),
        mcc=draw(st.from_regex(r"\A[0-9]{4}\Z")),
        currency=currency,
        amount=amount,
        account=crosspay,
        template_id=template_id,
        bill_number=optional(ans),
        reference_label=optional(ans),
        terminal_label=optional(ans),
        additional_others=tuple(draw(st.lists(st.tuples(st.sampled_from(["03", "08", "20"]), ans), max_size=1))),
        language=optional(
            st.builds(
                lambda name, city: MerchantLanguage(language="zh", name=name, city=city), cjk, st.one_of(st.none(), cjk)
            )
        ),
        others=tuple(others),
    )


@settings(max_examples=150, deadline=None)
@given(qr=merchant_qrs())
def test_any_valid_qr_round_trips(qr):
    text = encode(qr)
    assert decode(text) == qr
    assert encode(decode(text)) == text


@settings(max_examples=100, deadline=None)
@given(qr=merchant_qrs(), seed=st.integers(0, 2**32))
def test_any_object_order_round_trips_byte_for_byte(qr, seed):
    objects = top_level(encode(qr))
    middle = objects[1:-1]
    random.Random(seed).shuffle(middle)
    shuffled = payload(objects[0], *middle)
    assert decode(shuffled) == qr
    assert encode(decode(shuffled)) == shuffled


@settings(max_examples=150, deadline=None)
@given(qr=merchant_qrs(), position=st.integers(0, 10**6), char=st.characters(min_codepoint=0x20, max_codepoint=0x7E))
def test_any_one_character_changed_is_refused(qr, position, char):
    text = encode(qr)
    index = position % len(text)
    if text[index] == char or not text[index].isascii():
        return  # an ASCII character for another changes at most 8 bits: CRC-16 catches every such change
    with pytest.raises(QRError):
        decode(_replace_char(text, index, char))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.from_regex(r"\A000201([0-9]{4}[ -~]{0,12}){0,12}6304[0-9A-F]{4}\Z")))
def test_arbitrary_text_raises_only_qr_errors(text):
    try:
        decode(text)
    except QRError:
        pass
