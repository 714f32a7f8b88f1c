"""The gas regression gate: today's figures against the committed reports/gas-baseline.json, and the size rule.

A figure regresses when it grows more than the tolerance (a fraction, default 0.01) over its baseline. New figures
and figures that shrank pass; a figure missing from today's run is reported, so a renamed scenario is noticed.

A gated figure (issue 11's cross-currency targets) is over target when its gas is above its target: the target is a
ceiling the gate enforces, not a figure reported beside the measurement.

A contract is oversized when its runtime code (the deployed bytecode, what EIP-170 caps at 24,576 bytes) is above
SIZE_LIMIT: issue 9 keeps every contract of the suite at or under 22,000 bytes, so each has room to grow.
"""

from __future__ import annotations

from dataclasses import dataclass

SIZE_LIMIT = 22_000  # bytes of runtime code, issue 9 §6
EIP170_LIMIT = 24_576  # bytes of runtime code a chain accepts at all


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


@dataclass(frozen=True)
class Oversize:
    contract: str
    size: int  # runtime code, bytes
    limit: int

    def __str__(self) -> str:
        return f"{self.contract}: runtime code {self.size:,} bytes, over the {self.limit:,}-byte limit"


@dataclass(frozen=True)
class OverTarget:
    key: str
    measured: int
    target: int

    def __str__(self) -> str:
        return f"{self.key}: {self.measured:,} gas, over its target of {self.target:,}"


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


def oversized(sizes: dict[str, int], limit: int = SIZE_LIMIT) -> list[Oversize]:
    """The contracts whose runtime code (`sizes`: contract name -> bytes) is above `limit`, largest first."""
    over = [Oversize(name, size, limit) for name, size in sizes.items() if size > limit]
    return sorted(over, key=lambda o: (-o.size, o.contract))


def over_target(measured: list[dict]) -> list[OverTarget]:
    """The gated figures of `measured` (GasFigure dicts) whose gas is above their target."""
    return [
        OverTarget(key(e), int(e["gas_used"]), int(e["target"]))
        for e in measured
        if e.get("gated") and e.get("target") and int(e["gas_used"]) > int(e["target"])
    ]
