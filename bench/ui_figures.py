"""Operator-console figures at 1,000,000 reports: filter change to a repainted queue,
one operation to its repainted row, and resident memory with the queue open.

- ``ui.queue_filter_ms_p95_1m``: the real QueuePanel (keyset-paged QueueModel through the
  DbBridge, offscreen at 1366x768) on the shared 1M database. A sample is one filter
  change (quick filter, priority, category, kecamatan, channel, last 24 h, search,
  ticket) from the call to the synchronous repaint of the table showing the new first
  page. Baseline: the obvious Qt way, a QStandardItemModel holding every row behind a
  QSortFilterProxyModel (C++ regular-expression filter on one column, the most favourable
  variant for it), measured at 50,000 and 100,000 rows in the same run and extrapolated
  linearly to 1,000,000 (filtering is one pass over the rows; a million QStandardItem rows
  would need ~5 GB, which a shared machine cannot give a benchmark).
- ``ui.queue_live_update_ms``: one report changed by an operation (verify, through the
  OpRunner: worker write, op-bus broadcast, live re-read of that row) until its row is
  repainted; median of 30, each undone afterwards (compensating operation), so the shared
  database keeps its state apart from timeline events.
- ``ui.rss_mb_1m``: resident memory of ``python main.py`` (the whole console) on the 1M
  database, 3 s after the first queue page is painted; baseline: the same on an empty
  database (the ratio shows what a million reports cost in memory).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import ROOT, Figure, big_database, p95

TIMEOUT_S = 30.0


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from console.views.bootstrap import bootstrap

    bootstrap()
    return QApplication.instance() or QApplication([])


def _wait(signal, trigger) -> None:
    """Run ``trigger()`` and spin the event loop until ``signal`` fires."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(int(TIMEOUT_S * 1000))
    try:
        trigger()
        loop.exec()
    finally:
        signal.disconnect(loop.quit)
    if not timer.isActive():
        raise RuntimeError("timed out waiting for the queue")
    timer.stop()


class _Console:
    """The queue panel on the 1M database, shown offscreen."""

    def __init__(self, path: Path) -> None:
        self.app = _app()
        from PySide6.QtWidgets import QMainWindow

        from console.store.db import open_database
        from console.store.executor import DbExecutor
        from console.views.db_bridge import DbBridge
        from console.views.op_bus import OpBus, OpRunner
        from console.views.queue_panel import QueuePanel

        self.db = open_database(path, migrate=False)
        self.executor = DbExecutor(self.db)
        self.bridge = DbBridge(self.executor)
        self.read_executor = DbExecutor(self.db)  # counts, as in the main window
        self.read_bridge = DbBridge(self.read_executor)
        self.bus = OpBus()
        self.runner = OpRunner(self.bridge, self.bus)
        self.window = QMainWindow()
        self.panel = QueuePanel(self.bridge, self.window, count_bridge=self.read_bridge)
        self.window.setCentralWidget(self.panel)
        self.window.resize(1366, 768)
        self.window.show()
        self.bus.changed.connect(self.panel.model.apply_changes)
        _wait(self.panel.model.firstPageLoaded, self.panel.start)
        self.panel.table.viewport().repaint()

    def close(self) -> None:
        self.panel.stop()
        self.window.close()
        for bridge, executor in ((self.bridge, self.executor),
                                 (self.read_bridge, self.read_executor)):
            bridge.shutdown()
            executor.shutdown()
        self.db.dispose()


def _filter_changes(console: _Console) -> list:
    """(label, function applying it) for the filter changes an operator makes."""
    panel = console.panel
    kec = console.executor.call(lambda c: c.execute(
        "SELECT region_code FROM report WHERE status = 'in_progress' AND region_code IS NOT NULL "
        "LIMIT 1").fetchone()[0]).rsplit("-", 1)[0]
    ticket = console.executor.call(lambda c: c.execute(
        "SELECT ticket FROM report WHERE pk = 123457").fetchone()[0])

    def quick(key):
        return lambda: panel.quick.setCurrentIndex(panel.quick.findData(key))

    def spec(**kw):
        def apply():
            panel.filters.set_spec(kw)
            panel._filters_changed()
        return apply

    def search(text):
        def apply():
            panel.search.setText(text)
            panel._search_now()
        return apply

    return [
        ("open", quick("open")),
        ("new", quick("new")),
        ("overdue", quick("overdue")),
        ("in progress", quick("in_progress")),
        ("all", quick("all")),
        ("done", quick("done")),
        ("open P1/P2", lambda: (quick("open")(), spec(priorities=[1, 2])())),
        ("category banjir", spec(categories=["banjir", "drainase"])),
        ("kecamatan", spec(region=kec)),
        ("channel 112", spec(channels=["phone_112"])),
        ("last 24 h", spec(date="24h")),
        ("no filter bar", spec()),
        ("search banjir", search("banjir")),
        ("search ticket", search(ticket)),
        ("search cleared", search("")),
    ]


def queue_filter() -> list[Figure]:
    path = big_database()
    console = _Console(path)
    try:
        panel, model = console.panel, console.panel.model
        if console.executor.call(lambda c: c.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'region'").fetchone()[0]):
            from console.store.lookups import load_lookups

            panel.set_lookups(console.executor.call(load_lookups))
        changes = _filter_changes(console)
        samples: list[float] = []
        slowest: dict[str, float] = {}
        paints: list[float] = []
        loaded_at: list[float] = []
        panel.table.painted.connect(lambda: paints.append(time.perf_counter()))
        model.firstPageLoaded.connect(lambda: loaded_at.append(time.perf_counter()))
        for _round in range(4):
            for label, change in changes:
                paints.clear()
                t0 = time.perf_counter()
                change()
                if not model.loading:
                    continue  # the same filter as before: nothing to load
                _wait(model.firstPageLoaded, lambda: None)
                loaded = loaded_at[-1]
                # The first paint of the table that ends after the rows arrived (the event
                # loop usually runs it before _wait returns).
                deadline = time.perf_counter() + TIMEOUT_S
                while not any(p > loaded for p in paints):
                    console.app.processEvents()
                    if time.perf_counter() > deadline:
                        raise RuntimeError("the table was not repainted")
                done = min(p for p in paints if p > loaded)
                ms = (done - t0) * 1000
                samples.append(ms)
                slowest[label] = max(slowest.get(label, 0.0), ms)
                # Let the count (the label next to the search box) finish outside the sample.
                while console.bridge.pending() or console.read_bridge.pending():
                    console.app.processEvents()
        ours = p95(samples)
    finally:
        console.close()
    baseline, note = _standard_item_baseline(path)
    worst = sorted(slowest.items(), key=lambda kv: -kv[1])[:3]
    return [Figure(
        "ui.queue_filter_ms_p95_1m", ours, "ms", baseline=baseline,
        note=f"{len(samples)} filter changes ({len(changes)} kinds x 4, same filter twice skipped) "
             f"from the change to the end of the first table paint showing the new first page; "
             f"slowest kinds: "
             + ", ".join(f"{k} {v:.0f} ms" for k, v in worst) + f". {note}",
    )]


def _standard_item_baseline(path: Path) -> tuple[float, str]:
    import sqlite3

    from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QTableView

    app = _app()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    cols = ("ticket, priority, sla_due_at, category_code, region_code, status, channel, "
            "created_at, assigned_agency")
    patterns = [
        (5, "^(new|verified|dispatched|in_progress)$"), (5, "^new$"), (5, "^(resolved|closed)$"),
        (1, "^[12]$"), (3, "^(banjir|drainase)$"), (6, "^phone_112$"), (5, ".*"),
    ]
    per_size: dict[int, float] = {}
    load_s: dict[int, float] = {}
    for n in (50_000, 100_000):
        t0 = time.perf_counter()
        rows = conn.execute(f"SELECT {cols} FROM report ORDER BY priority, created_at DESC "
                            "LIMIT ?", (n,)).fetchall()
        model = QStandardItemModel(0, 9)
        for r in rows:
            model.appendRow([QStandardItem("" if v is None else str(v)) for v in r])
        del rows
        load_s[n] = time.perf_counter() - t0
        proxy = QSortFilterProxyModel()
        proxy.setSourceModel(model)
        view = QTableView()
        view.setModel(proxy)
        view.resize(1366, 700)
        view.show()
        app.processEvents()
        times = []
        for _round in range(3):
            for column, pattern in patterns:
                t0 = time.perf_counter()
                proxy.setFilterKeyColumn(column)
                proxy.setFilterRegularExpression(QRegularExpression(pattern))
                view.viewport().repaint()
                times.append((time.perf_counter() - t0) * 1000)
        per_size[n] = p95(times)
        view.close()
        view.setModel(None)
        proxy.setSourceModel(None)
        del proxy, view
        model.clear()
        del model
        app.processEvents()
    conn.close()
    (n1, t1), (n2, t2) = sorted(per_size.items())
    slope = (t2 - t1) / (n2 - n1)
    at_1m = t2 + slope * (1_000_000 - n2)
    if at_1m < t2:  # noise: never extrapolate below what was measured
        at_1m = t2 * 1_000_000 / n2
    note = (f"Baseline: QStandardItemModel + QSortFilterProxyModel regex filter, p95 "
            f"{t1:.0f} ms at {n1:,} rows and {t2:.0f} ms at {n2:,}, extrapolated linearly to "
            f"1,000,000 ({at_1m:.0f} ms); loading the rows took {load_s[n2]:.1f} s per "
            f"{n2:,} (≈{load_s[n2] * 1_000_000 / n2:.0f} s and ~5 GB for a million)")
    return at_1m, note


def live_update() -> list[Figure]:
    from console.operations import undo as undo_ops
    from console.operations.base import OpChanges

    path = big_database()
    console = _Console(path)
    try:
        panel, model = console.panel, console.panel.model
        table = panel.table
        samples = []
        tokens = []
        actor = "bench"
        for i in range(30):
            row = next((r for r in range(min(model.rowCount(), 60))
                        if model.row_at(r).status in ("new", "verified")
                        and not model.is_gone(model.row_at(r).id)), None)
            if row is None:
                break
            target = model.row_at(row)
            action = "verify" if target.status == "new" else "start"
            got: list = []

            def op_done(result, got=got):
                got.append(result)

            t0 = time.perf_counter()
            _wait(model.liveUpdated, lambda t=target, a=action, cb=op_done: console.runner.run(
                undo_ops.act_with_undo, actor, t.id, a, expected_revision=t.revision,
                on_done=cb))
            table.viewport().repaint(table.visualRect(model.index(model.row_of(target.id), 0))
                                     .united(table.visualRect(model.index(
                                         model.row_of(target.id), model.columnCount() - 1))))
            samples.append((time.perf_counter() - t0) * 1000)
            while console.bridge.pending():
                console.app.processEvents()
            if got and got[0].token is not None:
                tokens.append(got[0].token)
            if i % 5 == 4 and tokens:  # undo within the window
                from console.operations.bulk import undo_many

                console.executor.call(undo_many, actor, tokens)
                console.bus.broadcast(OpChanges.of_ids([t.report_id for t in tokens]))
                tokens = []
                while console.bridge.pending():
                    console.app.processEvents()
        if tokens:
            from console.operations.bulk import undo_many

            console.executor.call(undo_many, actor, tokens)
    finally:
        console.close()
    return [Figure(
        "ui.queue_live_update_ms", statistics.median(samples), "ms",
        note=f"median of {len(samples)} (p95 {p95(samples):.1f} ms): verify/start of a shown report "
             "through OpRunner (worker transaction with timeline and outbox) -> op-bus broadcast "
             "-> live re-read of that row -> synchronous repaint of the row; each undone after",
    )]


def _console_rss_kb(data_dir: Path) -> tuple[int, int]:
    env = dict(os.environ, POSKO_REPORT_RSS_AFTER_MS="3000", QT_QPA_PLATFORM="offscreen",
               QTWEBENGINE_DISABLE_SANDBOX="1")
    with tempfile.TemporaryDirectory() as cfg:
        env["XDG_CONFIG_HOME"] = cfg  # no saved layout or view
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir)],
            env=env, capture_output=True, text=True, timeout=180,
        )
    for line in proc.stdout.splitlines():
        if line.startswith("POSKO_RSS_KB "):
            _tag, rss, peak = line.split()
            return int(rss), int(peak)
    raise RuntimeError(f"the console did not report its memory:\n{proc.stdout}\n{proc.stderr}")


def rss() -> list[Figure]:
    db_path = big_database()
    runs = [_console_rss_kb(db_path.parent) for _ in range(2)]
    with tempfile.TemporaryDirectory() as empty:
        from console.store.db import open_database

        open_database(Path(empty) / "posko.sqlite3").dispose()
        empty_runs = [_console_rss_kb(Path(empty)) for _ in range(2)]
    ours = max(r for r, _p in runs) / 1024
    peak = max(p for _r, p in runs) / 1024
    base = max(r for r, _p in empty_runs) / 1024
    return [Figure(
        "ui.rss_mb_1m", ours, "MB", baseline=base,
        note=f"resident memory of the console 3 s after the first queue page (peak {peak:.0f} MB); "
             "baseline: the same console on an empty database, so the ratio shows what 1M "
             "reports cost (1.0 = nothing)",
    )]


FIGURES = [
    ("ui.queue_filter_ms_p95_1m", queue_filter),
    ("ui.queue_live_update_ms", live_update),
    ("ui.rss_mb_1m", rss),
]
