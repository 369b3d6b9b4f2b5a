"""Waiting for a change made on one partner to show on the other, and the figures of it.

Every wait polls the other side (NOOP, then the question) every POLL seconds, up to a
deadline: a change that never arrives is a finding with the time waited, not a hang.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

POLL = 0.05


class NotConverged(AssertionError):
    """The change did not reach the other side within the deadline (a finding)."""


def wait_until(what: str, seen: Callable[[], bool], deadline: float) -> float:
    """Seconds until `seen()` held; NotConverged after `deadline` seconds."""
    start = time.monotonic()
    while True:
        if seen():
            return time.monotonic() - start
        waited = time.monotonic() - start
        if waited > deadline:
            raise NotConverged(f"{what}: not replicated within {deadline:g} s")
        time.sleep(POLL)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): with few probes, an observed value."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Latencies:
    direction: str
    seconds: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.seconds, 50)

    @property
    def p95(self) -> float:
        return percentile(self.seconds, 95)

    def describe(self) -> str:
        values = ", ".join(f"{s:.3f}" for s in self.seconds)
        return (
            f"{self.direction}: p50 {self.p50:.3f} s, p95 {self.p95:.3f} s over "
            f"{len(self.seconds)} probes ({values})"
        )
