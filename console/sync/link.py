"""The measured link: round-trip time and throughput from the engine's own transfers,
and what follows from them (timeouts, batch sizes), plus the retry back-off. No I/O."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@dataclass
class LinkEstimator:
    """Smoothed RTT (as TCP's SRTT, plus the minimum seen) and throughput per direction
    (bytes/s, exponentially weighted). Until measured, it assumes a poor link."""

    srtt: float | None = None
    min_rtt: float | None = None
    down_bps: float | None = None  # bytes per second
    up_bps: float | None = None
    #: Floors for timeouts (tests use small ones, real links the defaults).
    min_connect_timeout: float = 5.0
    min_read_timeout: float = 20.0
    max_timeout: float = 120.0
    #: How long one request should take at the measured throughput (seconds). Short enough
    #: that a reset wastes little, long enough that round trips stay few.
    target_request_s: float = 8.0
    samples: int = 0
    _history: list[float] = field(default_factory=list)

    ASSUMED_BPS = 4_000.0  # 32 kbit/s until measured
    ASSUMED_RTT = 1.0

    def observe_rtt(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self.samples += 1
        self.min_rtt = seconds if self.min_rtt is None else min(self.min_rtt, seconds)
        self.srtt = seconds if self.srtt is None else 0.75 * self.srtt + 0.25 * seconds

    def observe_transfer(self, nbytes: int, seconds: float, *, up: bool) -> None:
        """A transfer of ``nbytes`` took ``seconds`` of wire time (excluding one RTT).
        Small transfers say little about throughput and are ignored."""
        if nbytes < 4096 or seconds <= 0.001:
            return
        rate = nbytes / seconds
        if up:
            self.up_bps = rate if self.up_bps is None else 0.6 * self.up_bps + 0.4 * rate
        else:
            self.down_bps = rate if self.down_bps is None else 0.6 * self.down_bps + 0.4 * rate

    @property
    def rtt(self) -> float:
        return self.srtt if self.srtt is not None else self.ASSUMED_RTT

    def rate(self, *, up: bool) -> float:
        value = self.up_bps if up else self.down_bps
        if value is None:
            value = self.down_bps if up else self.up_bps
        return value or self.ASSUMED_BPS

    def timeouts(self, expected_bytes: int = 0, *, up: bool = False) -> tuple[float, float]:
        """(connect, read) timeouts for a request. ``read`` bounds the silence between
        bytes; it grows with the RTT and, for uploads, with the time the body takes."""
        connect = _clamp(3 * self.rtt + 1.0, self.min_connect_timeout, self.max_timeout)
        read = 4 * self.rtt + 2.0
        if up and expected_bytes:
            read += expected_bytes / self.rate(up=True) * 1.5
        return connect, _clamp(read, self.min_read_timeout, self.max_timeout)

    def budget_bytes(self, *, up: bool) -> int:
        """Bytes one request should carry to take about ``target_request_s``."""
        return int(self.rate(up=up) * self.target_request_s)

    @property
    def kbit_s(self) -> float | None:
        if self.down_bps is None and self.up_bps is None:
            return None
        return self.rate(up=False) * 8 / 1000

    def quality(self) -> str:
        """online or degraded, from what was measured (offline is decided by failures)."""
        if self.srtt is not None and self.srtt > 2.0:
            return "degraded"
        kbit = self.kbit_s
        if kbit is not None and kbit < 24:
            return "degraded"
        return "online"


@dataclass
class Backoff:
    """Jittered exponential back-off ("full jitter"), capped at 5 minutes."""

    base: float = 1.0
    cap: float = 300.0
    failures: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self) -> float:
        """Record a failure and return how long to wait before the next try."""
        self.failures += 1
        ceiling = min(self.cap, self.base * (2 ** (self.failures - 1)))
        # Half fixed, half random: never 0 (no hammering), never in lock-step with others.
        return min(self.cap, ceiling / 2 + self.rng.uniform(0, ceiling / 2))

    def reset(self) -> None:
        self.failures = 0
