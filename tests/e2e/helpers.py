"""What the end-to-end tests share (fixtures are in conftest.py): a :class:`Desk` is one
console (its data folder, database, worker, bridge and window) opened on seeded reports;
:func:`make_consoles` opens several against one server; :class:`Page` queries a desk's live
map page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

KEL = "3273-2483-30959"  # Campaka, kecamatan Andir, Kota Bandung


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
