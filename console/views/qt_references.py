"""A guard against PySide6 wheels that lose references to None, True and False.

PySide6 6.12.0's abi3 wheels return ``None`` from void methods (``setText``,
``beginInsertRows``, …) and ``True`` from ``Signal.emit()`` without taking a reference, as
Python 3.12+ allows for its immortal singletons. On Python 3.11 those are ordinary objects:
every such call removes one reference, and after some hundred thousand calls (minutes of a
busy shift) the interpreter aborts with "Fatal Python error: none_dealloc".

Posko pins a PySide6 without the bug (pyproject.toml, requirements-lock.txt) instead of
patching reference counts. :func:`leaks` is the probe: tests/views/test_qt_references.py
fails if a pinned wheel regresses, and the console logs an error at start when someone
installed an affected PySide6 by hand (it would crash mid-shift, not at once).
"""

from __future__ import annotations

import logging
import sys

__all__ = ["affected", "leaks", "warn_if_affected"]

log = logging.getLogger("posko")


def leaks() -> bool:
    """True if void PySide6 calls or signal emits lose references to None/True."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(20):
        probe.setObjectName("probe")  # void
        probe.ping.emit()  # returns True
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    return lost_none >= 10 or lost_true >= 10


def affected() -> bool:
    """True where the leak can end the process: CPython before 3.12 with a leaking wheel."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal singletons: nothing can run out
    try:
        return leaks()
    except ImportError:  # a server-only install has no Qt
        return False


def warn_if_affected() -> bool:
    if not affected():
        return False
    import PySide6

    log.error("PySide6 %s loses references to None/True on Python %d.%d: the console will "
              "abort after minutes of work. Install the pinned versions "
              "(pip install --require-hashes -r requirements-lock.txt) or use Python 3.12+.",
              PySide6.__version__, *sys.version_info[:2])
    return True
