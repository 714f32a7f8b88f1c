"""Gas figures: what a benchmark measured, the target it is held to, and the report files they become.

Benchmarks (crosspay/tooling/benchmarks/<area>.py) each expose `measure() -> list[GasFigure]`; scripts/gas_report.py
runs them all on the connected chain and writes reports/gas-report.{json,md}. Figures are receipts' gasUsed, the
21,000 base included; nothing here is typed in.
"""

from dataclasses import asdict, dataclass

from crosspay.deploy.plan import Roles
from crosspay.onchain import keyed_account

BLOCK_GAS_LIMIT = 30_000_000


@dataclass(frozen=True)
class GasFigure:
    area: str  # "token", "settlement", "crossborder", ...
    name: str  # the operation or scenario, e.g. "transfer", "charge", "settle per merchant (batch of 100)"
    gas_used: int  # receipt gasUsed, 21,000 base included (or a per-item share, said in `note`)
    target: int | None = None  # the ceiling, when it sets one
    note: str = ""
    kind: str = "operation"  # "operation" (one call) or "scenario" (a business flow, end to end)
    floor: int | None = None  # the EVM's lower bound for the same effect, where one is known
    gated: bool = False  # the target is a ceiling `make gas-check` enforces (issue 11's figures), not only reported

    @property
    def per_block(self) -> int:
        """How many fit in one 30,000,000-gas block."""
        return BLOCK_GAS_LIMIT // self.gas_used if self.gas_used else 0

    @property
    def meets_target(self) -> bool | None:
        return None if self.target is None else self.gas_used <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "meets_target": self.meets_target, "per_block": self.per_block}


def figure(area: str, name: str, tx, target: int | None = None, note: str = "", **more) -> GasFigure:
    """A GasFigure from a brownie TransactionReceipt."""
    return GasFigure(area=area, name=name, gas_used=int(tx.gas_used), target=target, note=note, **more)


def scenario(name: str, txs, target: int | None = None, note: str = "", per: int = 1) -> GasFigure:
    """A business scenario's figure: the gas of all its transactions (divided by `per` for a per-item share)."""
    total = sum(int(tx.gas_used) for tx in txs)
    return GasFigure(area="scenario", name=name, gas_used=total // per, target=target, note=note, kind="scenario")


def foundation_roles(kyc, enforcer, issuer, auditor, pauser, **more) -> Roles:
    """The benchmarks' role holders: the registry's officers, one issuer and one auditor for both deposit tokens, the
    pauser, and `more` (Roles fields)."""
    tokens = {"cny_issuer": issuer, "cny_auditor": auditor, "hkd_issuer": issuer, "hkd_auditor": auditor}
    return Roles(kyc_officer=kyc, enforcer=enforcer, pauser=pauser, **tokens, **more)


def local_account(name: str, funder=None):
    """A benchmark's account: a fixed key derived from `name`, funded with 1 ether by `funder` (see
    crosspay.onchain.keyed_account: a figure then moves only when the code does)."""
    return keyed_account(f"crosspay benchmark {name}", funder)


# EVM gas schedule (Shanghai) used to compute lower bounds; see the Ethereum yellow paper and EIP-2929.
TX_BASE = 21_000
CALLDATA_ZERO_BYTE = 4
CALLDATA_NONZERO_BYTE = 16
COLD_SLOAD = 2_100
SSTORE_UPDATE = 2_900  # non-zero to non-zero, slot already warm
LOG_BASE, LOG_TOPIC, LOG_DATA_BYTE = 375, 375, 8


def calldata_gas(data: bytes) -> int:
    return sum(CALLDATA_ZERO_BYTE if b == 0 else CALLDATA_NONZERO_BYTE for b in data)


def transfer_floor(tx) -> int:
    """The least any token can spend on this transfer: the transaction with its calldata, two balance slots read and
    updated, and one Transfer event (3 topics, 32 bytes of data)."""
    data = bytes.fromhex(tx.input[2:]) if isinstance(tx.input, str) else bytes(tx.input)
    return (
        TX_BASE + calldata_gas(data) + 2 * (COLD_SLOAD + SSTORE_UPDATE) + LOG_BASE + 3 * LOG_TOPIC + 32 * LOG_DATA_BYTE
    )
