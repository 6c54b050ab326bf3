"""Cyclic garbage (Qt wrappers included) is collected on the GUI thread, never by a
worker thread that happens to allocate (console/views/main_thread_gc.py)."""

from __future__ import annotations

import gc
import threading

from console.views.main_thread_gc import MainThreadGC


def test_garbage_is_collected_by_the_gui_thread_not_by_a_busy_worker(qapp, qtbot):
    collector = MainThreadGC(qapp)
    try:
        assert not gc.isenabled()
        freed_in: list[str] = []

        class Probe:
            def __del__(self) -> None:
                freed_in.append(threading.current_thread().name)

        class Node:
            pass

        node = Node()
        node.me, node.probe = node, Probe()  # a cycle: only the collector frees it
        del node
        kept: list = []
        # A worker allocating far past generation 0's threshold, as the sync or the watch
        # lane does: with automatic collection it would free the cycle on its thread.
        worker = threading.Thread(target=lambda: kept.extend([] for _ in range(20_000)),
                                  name="posko-sync-worker")
        worker.start()
        worker.join()
        assert freed_in == []
        qtbot.waitUntil(lambda: bool(freed_in), timeout=5000)  # the GUI thread's timer
        assert freed_in == ["MainThread"]
    finally:
        collector.deleteLater()
