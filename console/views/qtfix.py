"""Work around PySide6 6.12's reference counting of None, True and False on Python 3.11.

The PySide6 6.12.0 wheels (abi3) return ``None`` from void methods (``setText``,
``beginInsertRows``, ``addTopLevelItem``, …) and ``True`` from ``Signal.emit()`` without
taking a reference, as Python 3.12+ allows for its immortal singletons. On Python 3.11
those singletons are ordinary objects: every such call removes one reference, and after
some hundred thousand calls (minutes of a busy shift, or one test run) the interpreter
aborts with "Fatal Python error: none_dealloc" / "bool_dealloc".

:func:`install` checks whether the running PySide6 does this (a few calls, compare the
reference counts) and, only then and only on CPython before 3.12, gives None, True, False,
NotImplemented and Ellipsis a reference count so large (2**40) that no run can use it up:
what Python 3.12 does for them by design. These objects are static in CPython and are never
freed, so the extra count changes nothing else. Importing ``console.views`` installs it,
before any view exists. Moving the console to Python 3.12+ (or a PySide6 without the
bug) makes this a no-op.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["IMMORTAL_BOOST", "install", "installed", "leaks"]

IMMORTAL_BOOST = 1 << 40
installed = False


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


def _boost(obj: object) -> None:
    # CPython: ob_refcnt is the first field of every object (non-debug builds).
    ctypes.c_ssize_t.from_address(id(obj)).value += IMMORTAL_BOOST


def install() -> bool:
    """Apply the fix if this interpreter needs it; returns True when it is in place."""
    global installed
    if installed:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False  # immortal singletons: nothing can run out
    try:
        needed = leaks()
    except ImportError:  # pragma: no cover - a server-only install has no Qt
        return False
    if not needed:
        return False
    for obj in (None, True, False, NotImplemented, Ellipsis):
        _boost(obj)
    installed = True
    return True
