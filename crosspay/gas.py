"""Gas figures: what a benchmark measured, the target it is held to, and the report files they become.

Benchmarks (crosspay/benchmarks/<area>.py) each expose `measure() -> list[GasFigure]`; scripts/gas_report.py
runs them all on the connected chain and writes reports/gas-report.{json,md}. Figures are receipts' gasUsed, the
21,000 base included; nothing here is typed in.
"""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class GasFigure:
    area: str  # "token", "settlement", "crossborder", ...
    name: str  # the operation or scenario, e.g. "transfer", "charge", "settle per merchant (batch of 100)"
    gas_used: int  # receipt gasUsed, 21,000 base included (or a per-item share, said in `note`)
    target: int | None = None  # the ceiling, when it sets one
    note: str = ""

    @property
    def meets_target(self) -> bool | None:
        return None if self.target is None else self.gas_used <= self.target

    def as_dict(self) -> dict:
        return {**asdict(self), "meets_target": self.meets_target}


def figure(area: str, name: str, tx, target: int | None = None, note: str = "") -> GasFigure:
    """A GasFigure from a brownie TransactionReceipt."""
    return GasFigure(area=area, name=name, gas_used=int(tx.gas_used), target=target, note=note)


def local_account(name: str, funder=None):
    """A brownie local account with a fixed key derived from `name`, funded with 1 ether by `funder`.

    Benchmarks use fixed keys: addresses (and the zero bytes in their calldata) are then the same every run, so a
    figure moves only when the code does.
    """
    from brownie import accounts
    from eth_utils import keccak

    account = accounts.add(keccak(text=f"crosspay benchmark {name}"))
    if funder is not None and account.balance() == 0:
        funder.transfer(account, "1 ether")
    return account
