"""End-to-end fixtures: the real main window on a real data folder, driven as an operator
drives it (key presses and clicks, pytest-qt offscreen), and a real central server on
127.0.0.1 where sync is involved.

A :class:`Desk` is one console: its data folder, database, worker, bridge and window.
Tests assert what the operator sees (``desk.window``…) *and* what the database holds
(``desk.sql`` / ``desk.scalar``), and for synced scenarios what the server holds
(``live.ctx.db``)."""

from __future__ import annotations

import itertools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

KEL = "3273-2483-30959"  # Campaka, kecamatan Andir, Kota Bandung
_names = itertools.count(1)


@pytest.fixture(autouse=True)
def _no_map(monkeypatch):
    """The map placeholder unless a test asks for the web engine (it is slow to start)."""
    monkeypatch.setenv("POSKO_NO_MAP", "1")


#: Reports a fresh desk starts with: (channel, category, title, description, priority
#: hint, status path). Realistic text; each goes through its workflow by operations.
SEED_REPORTS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("whatsapp", "air_pdam", "Air PDAM tidak mengalir tiga hari di RW 04",
     "Sejak Senin pagi air PDAM di gang Sukaasih RW 04 mati total, warga harus membeli air "
     "galon Rp 20.000 per hari. Sudah lapor ke kantor cabang tapi belum ada petugas.",
     ("verify",)),
    ("sms", "jalan_rusak", "Lubang besar di Jl. Garuda dekat halte",
     "Lubang diameter kira-kira satu meter di lajur kiri Jl. Garuda depan halte bus, sudah "
     "dua pengendara motor jatuh minggu ini. Mohon segera ditambal sebelum musim hujan.",
     ()),
    ("app", "sampah", "Sampah menumpuk di TPS Ciroyom tidak diangkut",
     "TPS di dekat pasar Ciroyom penuh sejak Jumat, sampah meluber ke jalan dan bau sekali. "
     "Truk pengangkut belum datang empat hari.", ("verify", "dispatch")),
    ("phone_112", "kebakaran", "Penelepon melaporkan asap dari rumah di Gg. Cibadak",
     "Penelepon perempuan, suara panik, menyebut asap hitam keluar dari atap rumah kayu di "
     "Gg. Cibadak no. 12, ada lansia di dalam. Sambungan terputus setelah 40 detik.", ()),
)


@dataclass
class Desk:
    """One console as an operator meets it."""

    folder: Path
    database: Any
    executor: Any
    bridge: Any
    window: Any
    qtbot: Any
    seeded: dict[str, str] = field(default_factory=dict)  # title -> report id

    def sql(self, query: str, *params) -> list[tuple]:
        return self.executor.call(lambda c: c.execute(query, params).fetchall())

    def write(self, query: str, *params) -> None:
        """Change the database behind the operator's back (a clock that moved on, another
        process), committed."""
        def run(c):
            c.execute(query, params)
            c.commit()

        self.executor.call(run)

    def scalar(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0][0] if rows else None

    def wait_idle(self, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: self.bridge.pending() == 0, timeout=timeout)

    def activate(self) -> None:
        """Shortcuts need the active window (offscreen too); focus the queue."""
        self.window.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window, timeout=3000)
        self.window.queue.table.setFocus()
        self.qtbot.waitUntil(self.window.queue.table.hasFocus, timeout=3000)

    def key(self, key: Qt.Key | str, modifier=Qt.KeyboardModifier.NoModifier,
            widget=None) -> None:
        """Press a key where the focus is (or on ``widget``), as an operator does."""
        target = widget or QApplication.focusWidget() or self.window
        if isinstance(key, str):
            self.qtbot.keyClicks(target, key, modifier)
        else:
            self.qtbot.keyClick(target, key, modifier)

    def dialog(self, key: Qt.Key):
        """Press an action's key on the queue and return the dialog it opens, shown and
        active (as the operator then types into it)."""
        if QApplication.activeWindow() is not self.window:
            self.activate()
        self.key(key, widget=self.window.queue.table)
        controller = self.window.controller
        self.qtbot.waitUntil(lambda: controller.dialog is not None
                             and controller.dialog.isVisible(), timeout=3000)
        dialog = controller.dialog
        dialog.activateWindow()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
        return dialog

    def open(self, title: str) -> str:
        """Open a seeded report by its title (as a map click would), focus the queue."""
        rid = self.seeded[title]
        self.window.open_report(rid)
        self.qtbot.waitUntil(lambda: self.current_id() == rid, timeout=5000)
        self.wait_idle()
        self.activate()
        return rid

    def act(self, key) -> None:
        """A quick action by its key in the queue, waiting until it is done."""
        if QApplication.activeWindow() is not self.window:
            self.activate()
        with self.qtbot.waitSignal(self.window.controller.performed, timeout=5000):
            self.key(key, widget=self.window.queue.table)
        self.wait_idle()

    def current_id(self) -> str | None:
        """The report the Detail panel shows (the one every action must act on)."""
        d = self.window.detail.detail
        return d["id"] if d else None


def seed_reports(database, actor: str = "op.seed") -> dict[str, str]:
    """Create :data:`SEED_REPORTS` through the real operations (timeline + outbox)."""
    from console.operations import reports as report_ops
    from console.operations.intake import NewReport, create_report
    from console.store.executor import DbExecutor

    ex = DbExecutor(database)
    made: dict[str, str] = {}
    try:
        for channel, category, title, description, path in SEED_REPORTS:
            changes = ex.call(create_report, actor, NewReport(
                channel=channel, category_code=category, title=title,
                description=description, lat=-6.912, lon=107.598, region_code=KEL,
                address="Jl. Garuda, Andir"))
            (rid,) = changes.created
            for step in path:
                rev = ex.call(lambda c, i=rid: c.execute(
                    "SELECT revision FROM report WHERE id=?", (i,)).fetchone()[0])
                if step == "dispatch":
                    ex.call(report_ops.dispatch, actor, rid, ["dlh"],
                            expected_revision=rev)
                else:
                    ex.call(report_ops.apply_action, actor, rid, step, expected_revision=rev)
            made[title] = rid
        # The seeded work was done before this shift: its soft claims have run out (a
        # desk would otherwise be warned that op.seed is handling them; test_soft_claim.py).
        ex.call(lambda c: (c.execute("DELETE FROM claim"),
                           c.execute("DELETE FROM outbox WHERE entity = 'claim'"), c.commit()))
    finally:
        ex.shutdown()
    return made


def open_desk(qtbot, folder: Path, *, seed: bool = True, lang: str = "id",
              start: bool = True, **window_kw) -> Desk:
    """A shown, started main window on a data folder (created with the reference data),
    with officer ``op.ani`` on duty unless ``operator=`` says otherwise (None: nobody)."""
    from console.store.db import open_database
    from console.store.executor import DbExecutor
    from console.store.seed import ensure_reference_data
    from console.views.db_bridge import DbBridge
    from console.views.main_window import MainWindow

    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(folder / "posko.sqlite3")
    conn = database.raw()
    ensure_reference_data(conn)
    conn.close()
    seeded = seed_reports(database) if seed else {}
    executor = DbExecutor(database)
    bridge = DbBridge(executor)
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    if "operator" not in window_kw:  # an officer on duty, as after a login
        from console.views.operator import OperatorContext

        window_kw["operator"] = OperatorContext(username="op.ani", display_name="Ani Rahmawati",
                                                role="operator")
    window = MainWindow(bridge, database.path, settings=settings, lang=lang, **window_kw)
    qtbot.addWidget(window)
    desk = Desk(folder, database, executor, bridge, window, qtbot, seeded)
    if start:
        with qtbot.waitSignal(window.queue.model.firstPageLoaded, timeout=10000):
            window.show()
            window.start()
        qtbot.waitUntil(lambda: window.lookups is not None, timeout=10000)
    return desk


def close_desk(desk: Desk) -> None:
    if getattr(desk, "_closed", False):
        return
    desk._closed = True
    desk.window.close()
    desk.bridge.shutdown()
    desk.executor.shutdown()
    desk.database.dispose()


def stop_sync(desk: Desk, loop, qtbot) -> None:  # noqa: ANN001 - a qasync loop
    """Stop ``desk.controller``'s sync (it waits for its worker to go idle), so no sync
    thread or queued callback outlives the test (it would reach a window pytest-qt deleted).
    ``loop``: the test's ``qloop`` (run here) or ``running_qloop`` (spun by qtbot)."""
    import asyncio

    if asyncio.events._get_running_loop() is loop:  # running_qloop: marked running
        stopped = asyncio.ensure_future(desk.controller.shutdown(), loop=loop)
        qtbot.waitUntil(stopped.done, timeout=15_000)
    else:
        loop.run_until_complete(desk.controller.shutdown())


def make_consoles(qtbot, loop, folder: Path):  # noqa: ANN001, ANN201
    """``open(name, seed=True)``: a console on ``folder/name`` with nobody on duty and the
    sync attached, as run_console makes it; ``open.close(desk)`` and ``open.close_all()``
    stop the sync while the windows live (pytest-qt deletes them before fixture teardown)
    and then close them."""
    import shiboken6

    from console.views.sync_status import SyncController

    made: list[Desk] = []

    def open_(name: str, *, seed: bool = True) -> Desk:
        desk = open_desk(qtbot, folder / name, seed=seed, operator=None)
        # No Qt parent: pytest-qt deletes the window before the fixture's teardown, which
        # still has to stop the controller's engine.
        desk.controller = SyncController(desk.bridge, None, idle_interval=30)
        desk.window.attach_sync(desk.controller)
        made.append(desk)
        return desk

    def close(desk: Desk) -> None:
        if getattr(desk, "closed", False):
            return
        desk.closed = True
        stop_sync(desk, loop, qtbot)
        if shiboken6.isValid(desk.window):
            close_desk(desk)
        else:  # already closed by pytest-qt at the end of the test
            desk.bridge.shutdown()
            desk.executor.shutdown()
            desk.database.dispose()

    def close_all() -> None:
        for desk in made:
            close(desk)

    open_.close = close
    open_.close_all = close_all
    return open_


class Page:
    """Synchronous queries of a desk's live map page (its JavaScript), for a test."""

    def __init__(self, qtbot, panel) -> None:  # noqa: ANN001
        self.qtbot, self.panel = qtbot, panel

    def __call__(self, expr: str):  # noqa: ANN204
        box: dict = {}
        script = "(() => JSON.stringify((" + expr + ") ?? null))()"
        self.panel.run_js(script, lambda r: box.setdefault("r", r))
        self.qtbot.waitUntil(lambda: "r" in box, timeout=10_000)
        return json.loads(box["r"]) if isinstance(box["r"], str) else box["r"]

    def wait(self, expr: str, expected, timeout: int = 10_000) -> None:  # noqa: ANN001
        def check() -> None:
            assert self(expr) == expected

        self.qtbot.waitUntil(check, timeout=timeout)


@pytest.fixture
def mapdesk(qtbot, tmp_path):
    """A desk with the live offline map in its dock, as run_console attaches it
    (console/views/app.py _attach_offline_map), with its first markers painted;
    ``mapdesk.page`` queries the page (webengine tests only)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from console.views.map_panel import MapPanel

    desk = open_desk(qtbot, tmp_path / "desk")
    w = desk.window
    panel = MapPanel(w, bridge=desk.bridge, settings=w.settings, lang="id",
                     cache_dir=desk.folder, autostart=False)
    w.attach_map(panel)
    events: list = []
    panel.ready.connect(lambda: events.append("ready"))
    panel.painted.connect(lambda kind, *_a: events.append(kind))
    panel.start()
    qtbot.waitUntil(lambda: "ready" in events and "load" in events, timeout=30_000)
    desk.page = Page(qtbot, panel)
    desk.panel = panel
    yield desk
    close_desk(desk)
    # Now, while the app lives, and the page before its profile (as _dispose_window does
    # at exit): a web page left for the garbage collector aborts a later test.
    if panel.page is not None:
        panel.page.deleteLater()
    panel.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture
def desk(qtbot, tmp_path):
    """A fresh console on a fresh data folder with three realistic reports."""
    d = open_desk(qtbot, tmp_path / f"desk{next(_names)}-{os.getpid()}")
    yield d
    close_desk(d)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A real central server on 127.0.0.1 (one per test module)."""
    from console.sync.testing.live import start_live_server

    server = start_live_server(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own: consoles seeded before their first login number their
    tickets alike (station code PSK), so a module's shared ``live`` server would refuse the
    second console's seeded reports as duplicate tickets."""
    from console.sync.testing.live import start_live_server

    srv = start_live_server(tmp_path / "own-server")
    yield srv
    srv.stop()


@pytest.fixture
def desks(qtbot):
    """Open more desks (``desks(folder, seed=False, ...)`` → :class:`Desk`), e.g. the
    same folder a second time; each is closed at the end unless the test did. Tests use
    this rather than importing conftest (module names clash across test folders)."""
    opened: list[Desk] = []

    def make(folder: Path, **kw) -> Desk:
        d = open_desk(qtbot, folder, **kw)
        opened.append(d)
        return d

    make.close = close_desk  # type: ignore[attr-defined]
    yield make
    for d in opened:
        if not getattr(d, "_closed", False):
            close_desk(d)


@pytest.fixture
def running_qloop(qapp):
    """The qasync loop, marked running while the test spins Qt's event loop (qtbot waits),
    as run_console's app.exec() runs it: a sync service must outlive its first cycle
    (otherwise its next await finds "no running event loop"), and a window with a live
    web engine cannot be driven by QApplication.exec() in a test. Tests using it cannot
    call run_until_complete (use ``qloop`` for that)."""
    import asyncio
    import contextlib

    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    yield loop
    asyncio.events._set_running_loop(None)
    with contextlib.suppress(RuntimeError):
        loop.close()
    asyncio.set_event_loop(None)
