"""A Mosquitto of one test's or bench run's own, on a free loopback port.

The machine's shared broker on 1883 carries whatever else runs there: another bench's
60,000 readings made it drop a test's crossing (a subscriber's queue holds 1,000). A
private broker measures and tests the path, not the neighbours.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from console.sync.testing.processes import answers, free_port, stop_process

__all__ = ["private_broker"]


def _binary() -> str | None:
    found = shutil.which("mosquitto")
    if found is None and Path("/usr/sbin/mosquitto").exists():
        found = "/usr/sbin/mosquitto"  # Debian's, outside a normal user's PATH
    return found


@contextlib.contextmanager
def private_broker(start_timeout: float = 10.0) -> Iterator[int | None]:
    """The port of a freshly started Mosquitto, stopped afterwards; None when the binary
    is not installed or it did not start."""
    exe = _binary()
    if exe is None:
        yield None
        return
    port = free_port()
    proc = subprocess.Popen([exe, "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + start_timeout
        while not answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                yield None
                return
            time.sleep(0.05)
        yield port
    finally:
        stop_process(proc)
