"""What keeps the anonymous Open311 reads cheap: a short cache of answers and a limit of
reads per client address (issue 12 M10: 10 anonymous clients kept the CPU at 100 %).

Both live in the server process. The cache must (a copy per process is what a cache is);
the read limit does so on purpose: counting in the database would make every anonymous
read a database write, which is the load being limited. With N server processes a client
gets at most N times the limit, still far from a flood. Filing (POST) is limited in the
database instead (server/throttle.py), since a filed report costs every console an alarm.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field


@dataclass
class CachedAnswer:
    body: bytes
    media_type: str
    headers: dict[str, str]


@dataclass
class PublicReads:
    #: Seconds an answer is served from the cache (0: no cache).
    ttl: float = 10.0
    max_entries: int = 512
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _answers: OrderedDict = field(default_factory=OrderedDict)  # key -> (expires, answer)
    _reads: dict[str, tuple[float, int]] = field(default_factory=dict)  # addr -> (start, n)

    def get(self, key: tuple) -> CachedAnswer | None:
        now = time.monotonic()
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            if found[0] <= now:
                del self._answers[key]
                return None
            return found[1]

    def put(self, key: tuple, answer: CachedAnswer) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            self._answers[key] = (time.monotonic() + self.ttl, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.max_entries:
                self._answers.popitem(last=False)

    def hit(self, address: str, limit: int, window_s: float) -> int | None:
        """Count one read from ``address``; seconds to wait when it is over ``limit``
        reads in the current window (fixed windows of ``window_s``)."""
        now = time.monotonic()
        with self._lock:
            start, n = self._reads.get(address, (now, 0))
            if now - start >= window_s:
                start, n = now, 0
            self._reads[address] = (start, n + 1)
            if len(self._reads) > 10_000:  # forget finished windows
                self._reads = {a: v for a, v in self._reads.items() if now - v[0] < window_s}
        if n + 1 > limit:
            return max(1, math.ceil(start + window_s - now))
        return None
