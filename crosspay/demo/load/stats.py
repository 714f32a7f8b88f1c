"""The load mode's figures: percentiles of latencies, and rates."""

from __future__ import annotations

import math


def percentile(values, q: float) -> float:
    """The `q`-th percentile (0-100) of `values` by the nearest-rank method: the smallest value such that at least
    q % of the values are at or below it. Nearest rank never invents a value nobody measured."""
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100, got {q}")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values to take a percentile of")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds) -> dict:
    """p50, p95, p99 and the maximum of latencies given in seconds, in milliseconds (empty when none)."""
    values = list(seconds)
    if not values:
        return {}
    return {
        name: round(percentile(values, q) * 1000, 1)
        for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
    }


def rate(count: int, seconds: float) -> float:
    """`count` per second over `seconds` (0 when no time passed)."""
    return count / seconds if seconds > 0 else 0.0
