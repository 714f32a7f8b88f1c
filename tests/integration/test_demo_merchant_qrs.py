"""The demo's merchant chapters, told on the test chain (the cross-currency one included): every QR a merchant shows is
an EMVCo payload, logged exactly in the lifecycle log with a PNG that scans back to that payload, and the money they
move is conserved, on both currencies."""

import json

from brownie import chain

from crosspay.core import emvco
from crosspay.demo import chapters
from crosspay.demo.cast import cast
from crosspay.demo.checks import conservation_problems
from crosspay.demo.story import Story
from tests.helpers import deploy


def tell(tmp_path, monkeypatch, *chapter_list):
    """Tells `chapter_list` on a freshly deployed system, its QR images in `tmp_path`; returns (story, cast, system)."""
    monkeypatch.setattr(chapters, "QR_DIR", tmp_path / "qr")
    c = cast()
    system = deploy(c.operator.account, c.roles(), parts=None)
    with Story() as story:
        day = chapters.Day(story, c, system, chain)
        for chapter in chapter_list:
            chapter(day)
    return story, c, system


def test_every_merchant_qr_the_demo_shows_is_a_logged_emvco_payload_whose_png_scans_back(tmp_path, monkeypatch):
    story, c, system = tell(
        tmp_path,
        monkeypatch,
        chapters.onboarding,
        chapters.deposits,
        chapters.person_to_person,
        chapters.static_qr_payment,
        chapters.dynamic_qr_payments,
        chapters.gasless_payment,
        chapters.cross_currency_payments,
    )
    story.write(tmp_path / "lifecycle.json")
    log = json.loads((tmp_path / "lifecycle.json").read_text())

    shown = [qr for step in log["steps"] for qr in step["qr"]]
    assert [qr["kind"] for qr in shown] == ["eip681"] + ["emvco"] * 8  # only the friend's QR is a wallet URI
    assert [entry["payload"] for entry in log["emvcoPayloads"]] == [qr["payload"] for qr in shown[1:]]
    references = []
    for entry in log["emvcoPayloads"]:
        scanned = emvco.scan((tmp_path / "qr" / entry["png"].rsplit("/", 1)[1]).read_bytes())
        assert emvco.encode(scanned) == entry["payload"]
        assert scanned.account.settlement == system.settlement.address
        assert scanned.account.merchant_id_bytes in (c.noodles.id, c.tea_house.id)
        references.append((scanned.initiation, scanned.mode, scanned.reference_label))
    assert references == [
        (emvco.Initiation.STATIC, emvco.CHARGE, "***"),
        (emvco.Initiation.DYNAMIC, emvco.AUTHORIZE, "banquet-0001"),
        (emvco.Initiation.DYNAMIC, emvco.CHARGE, "till-0002"),
        (emvco.Initiation.DYNAMIC, emvco.AUTHORIZE, "tasting-0003"),
        (emvco.Initiation.DYNAMIC, emvco.CHARGE, "gasless-0004"),
        (emvco.Initiation.DYNAMIC, emvco.CHARGE, "tea-0005"),
        (emvco.Initiation.DYNAMIC, emvco.AUTHORIZE, "tasting-0006"),
        (emvco.Initiation.DYNAMIC, emvco.CHARGE, "gasless-0007"),
    ]
    assert conservation_problems(system, c) == []


def test_the_cross_currency_chapter_tells_who_paid_and_received_what_in_both_currencies(tmp_path, monkeypatch):
    chapter_list = (
        chapters.onboarding,
        chapters.deposits,
        chapters.static_qr_payment,
        chapters.cross_currency_payments,
    )
    story, c, system = tell(tmp_path, monkeypatch, *chapter_list)
    books = [r.action for r in story.records if r.actor == "The books"]
    assert len(books) == 6  # after the charge, the authorization, its capture, its void, the gasless charge, the refund
    # The charge: 128.00 HKD at 1.0845 HKD per CNY is 118.02 dCNY (rounded in her favour); the desk delivers the HKD.
    assert "Li Wei -118.02 dCNY" in books[0] and "Lion Rock FX desk +118.02 dCNY, -128.00 dHKD" in books[0]
    # The void returns her own dCNY: 276.62 locked, 165.97 converted for the 180.00 captured, 110.65 back.
    assert "Li Wei +110.65 dCNY" in books[3]
    assert conservation_problems(system, c) == []
