"""Python's cyclic garbage collector, run on the GUI thread only.

Left alone, the collector runs in whichever thread happens to allocate when a generation
fills up: the sync worker, the watch lane's long-poll thread, a tile fetcher. If the
garbage it finds holds Qt objects (a closed dialog, a window's wrappers), their C++
destructors then run on that thread while the GUI thread may be delivering their posted
events: a use-after-free that crashes the next processEvents, minutes later and far from
the cause (seen as segfaults in the test suite's event processing between tests). Anki's
Qt front end does the same for the same reason: automatic collection off, and a timer on
the GUI thread collects what the thresholds ask for.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["MainThreadGC"]

#: How often the GUI thread looks at the collector's counts.
CHECK_MS = 1000


class MainThreadGC(QObject):
    """``MainThreadGC(app)``: automatic collection off while one lives; generations are
    collected from a GUI-thread timer when their counts pass the usual thresholds."""

    _alive = 0  # automatic collection comes back only when the last one goes

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.collections = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        MainThreadGC._alive += 1
        self.destroyed.connect(MainThreadGC._gone)

    @staticmethod
    def _gone() -> None:
        MainThreadGC._alive -= 1
        if MainThreadGC._alive <= 0:
            gc.enable()

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; the objects
        freed (also callable directly, e.g. after closing a big window)."""
        t0, t1, t2 = self.thresholds
        c0, c1, c2 = gc.get_count()
        generation = 2 if c2 > t2 else 1 if c1 > t1 else 0 if c0 > t0 else None
        if generation is None:
            return 0
        self.collections += 1
        return gc.collect(generation)
