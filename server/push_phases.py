"""Where a push's time goes, for the bench (bench/server_figures.py, issue 14): with
``POSKO_PUSH_PHASES`` naming a file, every push appends one JSON line with the wall and
this thread's CPU seconds of each phase - ``parse`` (the items), ``prepare`` (applying
the batch before the lock, push_prepare.py), ``wait`` (for a connection and the write
lock), then holding it: ``reload`` (loading again and checking the plan, or applying the
batch), ``flush`` (writing) and ``commit`` - and whether the prepared plan was used.
Off (one environment look-up at import) unless the variable is set."""

from __future__ import annotations

import json
import os
import time

ENV = "POSKO_PUSH_PHASES"
#: The phases that hold the write lock.
LOCKED = ("reload", "flush", "commit")
_FILE = os.environ.get(ENV)


class Phases:
    def __init__(self) -> None:
        self.on = bool(_FILE)
        self.spent: dict[str, list[float]] = {}
        self.adopted: bool | None = None
        self._last = (time.perf_counter(), time.thread_time()) if self.on else (0.0, 0.0)

    def lap(self, phase: str) -> None:
        """The time since the previous lap (or the start) was spent in ``phase``."""
        if not self.on:
            return
        now = (time.perf_counter(), time.thread_time())
        acc = self.spent.setdefault(phase, [0.0, 0.0])
        acc[0] += now[0] - self._last[0]
        acc[1] += now[1] - self._last[1]
        self._last = now

    def write(self) -> None:
        if not self.on or not self.spent:
            return
        line = json.dumps({"pid": os.getpid(), "adopted": self.adopted, "phases": self.spent})
        # One write of a short line to a file opened for appending: lines from several
        # worker processes do not interleave.
        fd = os.open(_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
