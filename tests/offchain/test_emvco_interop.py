"""Interop: Crosspay's EMVCo payloads read by two independent parsers from npm (pinned in package.json), run with node
through tests/offchain/emvco_interop.js.

- promptparse 1.6.0 checks the CRC (strict mode) and returns the tag tree. It computes the CRC over UTF-16 code
  units instead of UTF-8 bytes, so it is given ASCII payloads only.
- emv-qrcps 0.0.7 reads the named fields and writes a payload back from them. Its two bugs are pinned below: it drops
  primitive merchant account objects (02-25, e.g. UnionPay's 15), and it writes a CRC below 0x1000 without its
  leading zeros. Crosspay's decoder refuses what either bug produces."""

import dataclasses
import json
import random
import subprocess
from pathlib import Path

import pytest
from emvco_builders import FPS, UNIONPAY, account, dynamic_qr, static_qr, top_level

from crosspay.core.emvco import AUTHORIZE, CHARGE, MerchantLanguage, decode, encode, longest_merchant_id
from crosspay.core.qr import QRError

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("emvco_interop.js")


def read_with_npm_parsers(payloads: list) -> list:
    """What promptparse and emv-qrcps saw in each payload (one node process for the whole list)."""
    done = subprocess.run(
        ["node", str(SCRIPT)], input=json.dumps(payloads), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def dump_objects(dump: str) -> dict:
    """emv-qrcps's raw dump as {ID: value}, a template as {ID: {sub-ID: value}}."""
    objects, template = {}, None
    for line in dump.splitlines():
        nested = line.startswith(" ")
        parts = line.strip().split(" ", 2)
        if nested:
            objects[template][parts[0]] = parts[2]
        elif len(parts) == 2:
            template = parts[0]
            objects[template] = {}
        else:
            objects[parts[0]] = parts[2]
    return objects


def random_qrs(count: int, seed: int = 11):
    """Valid ASCII QRs over the profile's range: currencies, modes, chains, template IDs, additional data."""
    rng = random.Random(seed)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz0123456789-./*"
    text = lambda longest: "".join(rng.choice(letters) for _ in range(rng.randint(1, longest))).strip() or "X"  # noqa
    for _ in range(count):
        dynamic = rng.random() < 0.7
        mode = rng.choice([CHARGE, AUTHORIZE]) if dynamic else CHARGE
        chain_id = rng.choice([1, 1337, 31337, 11155111])
        expires_at = rng.randint(1_700_000_000, 2_000_000_000) if dynamic else None
        room = longest_merchant_id(chain_id, expires_at=expires_at, mode=mode)
        currency = rng.choice(["CNY", "HKD", "JPY", "KWD", "SGD"])
        qr = dynamic_qr(
            initiation="12" if dynamic else "11",
            currency=currency,
            amount=rng.randint(1, 10**9) if dynamic or rng.random() < 0.5 else None,
            account=account(chain_id=chain_id, merchant_id=text(room), expires_at=expires_at, mode=mode),
            template_id=rng.choice(["26", "30", "51"]),
            merchant_name=text(25),
            merchant_city=text(15),
            bill_number=text(20) if rng.random() < 0.3 else None,
            reference_label=text(25),
            terminal_label=text(8) if rng.random() < 0.5 else None,
            others=(FPS,) if rng.random() < 0.5 else (),
        )
        yield qr


def crc_below(limit: int):
    """A QR whose CRC is below `limit` (a few hundred tries at most for 0x1000)."""
    return next(qr for n in range(100_000) if int(encode(qr := dynamic_qr(reference_label=f"R{n}"))[-4:], 16) < limit)


def test_promptparse_accepts_our_crc_and_reads_the_objects_we_wrote():
    qrs = [*random_qrs(200), dynamic_qr(others=(UNIONPAY, FPS)), crc_below(0x1000), crc_below(0x100)]
    payloads = [encode(qr) for qr in qrs]
    for qr, text, seen in zip(qrs, payloads, read_with_npm_parsers(payloads), strict=True):
        assert seen["promptparse"] is not None, f"promptparse refused the CRC of {text}"
        tags = {tag["id"]: tag for tag in seen["promptparse"]}
        assert [(tag["id"], tag["value"]) for tag in seen["promptparse"]] == top_level(text)
        assert [(sub["id"], sub["value"]) for sub in tags[qr.template_id]["sub"]] == top_level(qr.account.template)
        assert {sub["id"]: sub["value"] for sub in tags["62"]["sub"]}.get("05") == qr.reference_label


def test_emv_qrcps_reads_the_named_fields_and_writes_the_same_payload_back():
    qrs = [qr for qr in random_qrs(200, seed=12) if int(encode(qr)[-4:], 16) >= 0x1000]
    payloads = [encode(qr) for qr in qrs]
    for qr, text, seen in zip(qrs, payloads, read_with_npm_parsers(payloads), strict=True):
        objects = dump_objects(seen["emvQrcpsDump"])
        assert (objects["59"], objects["60"], objects["53"], objects["58"]) == (
            qr.merchant_name,
            qr.merchant_city,
            qr.currency_numeric,
            qr.country,
        )
        assert objects.get("54") == (None if qr.amount is None else dict(top_level(text))["54"])
        assert objects[qr.template_id]["03"] == qr.account.merchant_id
        assert objects["62"]["05"] == qr.reference_label
        assert seen["emvQrcpsPayload"] == text


def test_emv_qrcps_drops_unionpay_15_and_we_refuse_what_it_writes():
    qr = dynamic_qr(others=(UNIONPAY,))
    (seen,) = read_with_npm_parsers([encode(qr)])
    assert "\n15 00\n" in seen["emvQrcpsDump"]
    with pytest.raises(QRError, match="object 15 at position 12 has length 00"):
        decode(seen["emvQrcpsPayload"])


@pytest.mark.parametrize("limit", [0x1000, 0x100], ids=["below 0x1000", "below 0x100"])
def test_emv_qrcps_drops_the_crc_leading_zeros_and_both_we_and_promptparse_refuse_it(limit):
    qr = crc_below(limit)
    ours = encode(qr)
    (theirs,) = read_with_npm_parsers([ours])
    written = theirs["emvQrcpsPayload"]
    short = f"{int(ours[-4:], 16):X}"
    assert written == ours[:-8] + f"63{len(short):02d}{short}"
    assert read_with_npm_parsers([written])[0]["promptparse"] is None
    with pytest.raises(QRError, match="must be 4 hex digits"):
        decode(written)


def test_non_ascii_payloads_defeat_promptparse_crc_but_not_ours():
    qr = dataclasses.replace(static_qr(), language=MerchantLanguage(language="zh", name="外滩面馆", city="上海"))
    text = encode(qr)
    (seen,) = read_with_npm_parsers([text])
    assert seen["promptparse"] is None  # its CRC runs over UTF-16 code units
    assert decode(text) == qr
