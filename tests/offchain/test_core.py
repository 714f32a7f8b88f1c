"""crosspay.core, the off-chain rules: it never imports brownie; its statuses mirror the contracts' enums; its one
bytes32 helper refuses what does not fit; its one fee-split oracle floors every part as the issue's rule says."""

import pkgutil
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.core import given as _hypothesis_given

import crosspay.core
from crosspay.core.encoding import bytes32
from crosspay.core.settlement import BPS, fee_split
from crosspay.core.status import LockStatus, PaymentStatus, TransferStatus

# Pure Python, no chain: hypothesis's own `given` (brownie's snapshots and reverts the chain around every example).
given = _hypothesis_given

ROOT = Path(__file__).resolve().parents[2]

# A Python that cannot import brownie, then imports every module of crosspay.core.
WITHOUT_BROWNIE = """
import importlib, pkgutil, sys

class NoBrownie:
    def find_spec(self, name, path=None, target=None):
        if name == "brownie" or name.startswith("brownie."):
            raise ImportError("brownie is not available here")

sys.meta_path.insert(0, NoBrownie())
import crosspay.core
for module in pkgutil.walk_packages(crosspay.core.__path__, "crosspay.core."):
    importlib.import_module(module.name)
    print(module.name)
try:
    import brownie  # noqa: F401
except ImportError:
    print("brownie blocked")
"""


def test_every_core_module_imports_where_brownie_cannot_be_imported():
    result = subprocess.run([sys.executable, "-c", WITHOUT_BROWNIE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    imported = result.stdout.split()
    expected = [f"crosspay.core.{m.name}" for m in pkgutil.walk_packages(crosspay.core.__path__)]
    assert sorted(imported[:-2]) == sorted(expected) and len(expected) >= 8
    assert imported[-2:] == ["brownie", "blocked"]


@pytest.mark.parametrize(
    "interface,enum",
    [
        ("IMerchantSettlement", PaymentStatus),
        ("ICrossBorderEscrow", TransferStatus),
        ("IHashedTimelock", LockStatus),
    ],
)
def test_each_status_enum_mirrors_its_contracts_enum(interface, enum):
    source = (ROOT / "interfaces" / f"{interface}.sol").read_text()
    (body,) = re.findall(r"enum Status \{([^}]*)\}", source)
    names = [name.strip() for name in body.split(",") if name.strip()]
    assert [(member.name, member.value) for member in enum] == [(name.upper(), i) for i, name in enumerate(names)]


def test_bytes32_pads_text_and_bytes_and_reads_hex():
    assert bytes32("MCH-0001") == b"MCH-0001" + bytes(24)
    assert bytes32(b"\x01\x02") == b"\x01\x02" + bytes(30)
    assert bytes32("0x" + "ab" * 32) == b"\xab" * 32
    assert bytes32("x" * 32) == b"x" * 32


@pytest.mark.parametrize(
    "value", ["x" * 33, "withdrawal Bund Noodles, Shanghai (payout)", b"\x01" * 33, "0x" + "ab" * 33]
)
def test_bytes32_refuses_what_does_not_fit_instead_of_truncating(value):
    with pytest.raises(ValueError, match="longer than 32 bytes"):
        bytes32(value)


@settings(max_examples=300)
@given(
    amount=st.integers(min_value=0, max_value=2**64 - 1),
    mdr=st.integers(min_value=0, max_value=BPS),
    interchange=st.integers(min_value=0, max_value=BPS),
    network=st.integers(min_value=0, max_value=BPS),
)
def test_the_fee_split_floors_every_part_and_the_parts_add_up_to_the_amount(amount, mdr, interchange, network):
    network = min(network, BPS - interchange)  # the contract refuses a split above 100 %
    parts = fee_split(amount, mdr, interchange, network)

    def floors(part, exact):
        return part <= exact < part + 1

    assert floors(parts.fee, Fraction(amount * mdr, BPS))
    assert floors(parts.interchange, Fraction(parts.fee * interchange, BPS))
    assert floors(parts.network, Fraction(parts.fee * network, BPS))
    assert parts.acquirer == parts.fee - parts.interchange - parts.network >= 0
    assert parts.merchant == amount - parts.fee
    assert parts.merchant + parts.interchange + parts.network + parts.acquirer == parts.amount == amount
