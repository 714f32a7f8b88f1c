"""The gas regression gate: today's figures against the committed reports/gas-baseline.json.

A figure regresses when it grows more than the tolerance (a fraction, default 0.01) over its baseline. New figures
and figures that shrank pass; a figure missing from today's run is reported, so a renamed scenario is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regression:
    key: str
    baseline: int
    measured: int

    @property
    def growth(self) -> float:
        return self.measured / self.baseline - 1

    def __str__(self) -> str:
        return f"{self.key}: {self.baseline:,} -> {self.measured:,} gas (+{self.growth:.2%})"


def key(entry: dict) -> str:
    return f"{entry['area']} / {entry['name']}"


def compare(baseline: list[dict], measured: list[dict], tolerance: float = 0.01):
    """Returns (regressions, missing keys) of `measured` against `baseline` (both lists of GasFigure dicts)."""
    if tolerance < 0:
        raise ValueError("tolerance must be >= 0")
    before = {key(e): int(e["gas_used"]) for e in baseline}
    now = {key(e): int(e["gas_used"]) for e in measured}
    regressions = [
        Regression(k, before[k], now[k]) for k in before if k in now and now[k] > before[k] * (1 + tolerance)
    ]
    missing = sorted(k for k in before if k not in now)
    return regressions, missing
