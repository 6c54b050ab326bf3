"""Starting the operator console: QApplication, translation, database, event loop.

Environment switches (for benchmarks and documentation, not for operators):

- ``POSKO_EXIT_AFTER_FIRST_PAINT=1``: print ``POSKO_FIRST_PAINT <time.time()>`` when the
  first queue page has been painted, then quit (the cold-start benchmark).
- ``POSKO_SCREENSHOT=path.png``: once the first page is painted (and the detail of the
  selected report shown), save a picture of the window there, then quit.
- ``POSKO_REPORT_RSS_AFTER_MS=n``: n ms after the first queue page is painted (start-up
  work settled), print ``POSKO_RSS_KB <resident> <peak>`` (from /proc) and quit (the
  memory benchmark).
- ``POSKO_EXIT_AFTER_MAP_PAINT=1``: print ``POSKO_MAP_PAINTED <markers>`` when the offline
  map (QtWebEngine, Leaflet) has drawn the reports, then quit; ``POSKO_MAP_FAILED`` if
  it has not drawn them within 90 s (the bundle's map check).
- ``POSKO_SOUND_CHECK=p1`` (or ``sla``): once the window is painted, load that alert
  sound with QSoundEffect (even offscreen) and play it; print ``POSKO_SOUND <status>
  <outputs>`` (``ready``/``error``/``no-multimedia``, then the audio outputs Qt found)
  and quit (the bundle's Qt Multimedia check).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QMessageBox

from console.paths import resource
from console.store.db import DatabaseFileError, open_database
from console.store.executor import DbExecutor
from console.store.folder_lock import FolderInUse, hold_data_folder
from console.views.bootstrap import bootstrap
from console.views.db_bridge import DbBridge
from console.views.labels import format_local
from console.views.main_thread_gc import MainThreadGC
from console.views.main_window import MainWindow
from console.views.settings import read as read_setting
from console.views.settings import settings_store

__all__ = [
    "EXIT_DATABASE_ERROR",
    "EXIT_FOLDER_IN_USE",
    "LANGUAGES",
    "TRANSLATIONS_DIR",
    "choose_language",
    "install_translator",
    "run_console",
]

EXIT_DATABASE_ERROR = 2
EXIT_FOLDER_IN_USE = 3
LANGUAGES = ("id", "en")
TRANSLATIONS_DIR = resource("translations")
SCREENSHOT_DETAIL_WAIT_MS = 2000
MAP_CHECK_TIMEOUT_MS = 90_000


def choose_language(lang: str | None, settings: QSettings | None = None) -> str:
    """``lang`` if given, else the ``ui/language`` setting, else Indonesian."""
    if not lang:
        settings = settings if settings is not None else settings_store()
        lang = read_setting(settings, "ui/language")
    lang = (lang or "id").lower().split("_")[0].split("-")[0]
    return lang if lang in LANGUAGES else "id"


def install_translator(app: QApplication, lang: str) -> list[QTranslator]:
    """Install Posko's (and Qt's own) translation for ``lang``; Posko's sources are
    Indonesian, so "id" needs only Qt's: PySide6 ships no qtbase_id, so Posko's own
    ``qt_id.qm`` (standard buttons, context menus, file dialog) goes in, after any
    qtbase_id a later Qt may bring (the last installed is asked first). English keeps
    Qt's built-in English. Returns the installed translators (keep them)."""
    installed: list[QTranslator] = []
    QLocale.setDefault(
        QLocale(QLocale.Language.English if lang == "en" else QLocale.Language.Indonesian)
    )
    if lang == "id":
        for name, folder in (
            ("qtbase_id", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
            ("qt_id", str(TRANSLATIONS_DIR)),
        ):
            qt = QTranslator(app)
            if qt.load(name, folder):
                app.installTranslator(qt)
                installed.append(qt)
            elif name == "qt_id":
                print(f"posko: no {name}.qm in {TRANSLATIONS_DIR}", file=sys.stderr)
        return installed
    ours = QTranslator(app)
    if not ours.load(f"posko_{lang}", str(TRANSLATIONS_DIR)):
        print(f"posko: no translation for {lang!r} in {TRANSLATIONS_DIR}", file=sys.stderr)
        return installed
    app.installTranslator(ours)
    installed.append(ours)
    return installed


def _headless() -> bool:
    return (
        QApplication.platformName() in ("offscreen", "minimal")
        or bool(os.environ.get("POSKO_EXIT_AFTER_FIRST_PAINT"))
        or bool(os.environ.get("POSKO_EXIT_AFTER_MAP_PAINT"))
        or bool(os.environ.get("POSKO_SOUND_CHECK"))
        or bool(os.environ.get("POSKO_SCREENSHOT"))
        or bool(os.environ.get("POSKO_REPORT_RSS_AFTER_MS"))
    )


def _show_error(title: str, text: str, detail: str) -> None:
    """Tell the operator; never blocks when nobody can click (offscreen, benchmarks)."""
    print(f"posko: {detail}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setInformativeText(detail)
    if _headless():
        box.show()
        QApplication.processEvents()
        box.close()
    else:
        box.exec()


def _rss_kb() -> tuple[int, int]:
    """(resident, peak resident) of this process in KiB; Linux /proc, else getrusage."""
    try:
        fields = dict(
            line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
            if ":" in line
        )
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak, peak


def _arm_check_hooks(app: QApplication, window: MainWindow) -> bool:
    """The bundle checks (POSKO_EXIT_AFTER_MAP_PAINT, POSKO_SOUND_CHECK); True if armed."""
    if os.environ.get("POSKO_EXIT_AFTER_MAP_PAINT") == "1":
        def painted(kind: str, _token: int, markers: int) -> None:
            if kind == "load":
                print(f"POSKO_MAP_PAINTED {markers}", flush=True)
                app.quit()

        def failed(*_args) -> None:
            print("POSKO_MAP_FAILED", flush=True)
            app.quit()

        if not hasattr(window.map, "painted"):  # POSKO_NO_MAP: the placeholder
            QTimer.singleShot(0, failed)
            return True
        window.map.painted.connect(painted)
        QTimer.singleShot(MAP_CHECK_TIMEOUT_MS, failed)  # a page that never loads or draws
        return True
    kind = os.environ.get("POSKO_SOUND_CHECK")
    if kind:
        from console.views.alerts import sound_check

        def check(_stamp: float) -> None:
            def done(result: str) -> None:
                print(f"POSKO_SOUND {result}", flush=True)
                app.quit()

            sound_check(kind, done)

        window.firstPagePainted.connect(check)
        return True
    return False


def _arm_exit_hooks(app: QApplication, window: MainWindow) -> None:
    if _arm_check_hooks(app, window):
        return
    exit_after_paint = os.environ.get("POSKO_EXIT_AFTER_FIRST_PAINT") == "1"
    screenshot = os.environ.get("POSKO_SCREENSHOT")
    rss_after = os.environ.get("POSKO_REPORT_RSS_AFTER_MS")
    if rss_after:

        def report_rss(_stamp: float) -> None:
            def done() -> None:
                rss, peak = _rss_kb()
                print(f"POSKO_RSS_KB {rss} {peak}", flush=True)
                app.quit()

            QTimer.singleShot(int(rss_after), done)

        window.firstPagePainted.connect(report_rss)
        return
    if not exit_after_paint and not screenshot:
        return

    def finish(stamp: float) -> None:
        if screenshot:
            window.grab().save(screenshot)
        if exit_after_paint:
            print(f"POSKO_FIRST_PAINT {stamp}", flush=True)
        app.quit()

    def on_first_paint(stamp: float) -> None:
        if not screenshot:
            finish(stamp)
            return
        # The picture should show the selected report's detail too, not an empty panel.
        done = {"fired": False}

        def once(*_args) -> None:
            if not done["fired"]:
                done["fired"] = True
                QTimer.singleShot(50, lambda: finish(stamp))

        window.detail.loaded.connect(once)
        QTimer.singleShot(SCREENSHOT_DETAIL_WAIT_MS, once)

    window.firstPagePainted.connect(on_first_paint)


def _attach_offline_map(window: MainWindow, bridge: DbBridge, db_path: Path, lang: str) -> None:
    """Swap the map placeholder for the offline map. The web engine starts only after the
    queue's first page is painted, so it never delays what the operator sees first.
    POSKO_NO_MAP=1 keeps the placeholder (machines without a working QtWebEngine)."""
    if os.environ.get("POSKO_NO_MAP") == "1":
        return
    from console.views.map_panel import MapPanel

    panel = MapPanel(window, bridge=bridge, settings=window.settings, lang=lang,
                     cache_dir=Path(db_path).parent, autostart=False)
    window.attach_map(panel)
    window.firstPagePainted.connect(lambda _stamp: panel.start())


def _dispose_window(window: MainWindow) -> None:
    """Destroy the window (and the map's web page before its profile) while QApplication
    still exists: QtWebEngine crashes at exit when its objects outlive the application."""
    from PySide6.QtCore import QEvent

    window.map.shutdown()
    if window.map.page is not None:
        window.map.page.deleteLater()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


def _attach_sync(window: MainWindow, bridge: DbBridge) -> None:
    """The sync engine: idle until an operator logs in to a central server (Ctrl+L)."""
    from console.views.sync_status import SyncController

    # The server and the last account come from the data folder's own database.
    window.attach_sync(SyncController(bridge, window))


def _stop_on_signals(closing: asyncio.Event):  # noqa: ANN202 - returns the undo
    """Ctrl+C and SIGTERM end the run as closing the window does (the demo's central
    server runs in this process and must stop with it, cleanly). Python runs a signal
    handler only between its own bytecodes: a light timer gives it that chance while Qt
    waits for events. Returns a function that puts the old handlers back."""
    loop = asyncio.get_event_loop()

    def handler(_signum, _frame) -> None:  # noqa: ANN001
        loop.call_soon_threadsafe(closing.set)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    tick = QTimer()
    tick.timeout.connect(lambda: None)
    tick.start(250)

    def undo() -> None:
        tick.stop()
        for sig, old in previous.items():
            signal.signal(sig, old)

    return undo


def _folder_in_use_text(exc: FolderInUse) -> tuple[str, str]:
    """The refusal of a data folder another process holds, in the interface language."""
    text = QCoreApplication.translate(
        "run_console", "Folder data ini sedang dipakai program Posko lain. Satu folder data "
        "hanya dibuka oleh satu program; tidak ada yang diubah.")
    holder = exc.holder
    if holder is None:
        who = QCoreApplication.translate("run_console", "program Posko lain yang sedang dimulai")
    else:
        since = holder.since_utc()
        who = QCoreApplication.translate(
            "run_console", "PID {pid} di {host}, sejak {since} ({command})").format(
            pid=holder.pid if holder.pid is not None else "?", host=holder.host or "?",
            since=format_local(since) if since else "?", command=holder.command or "posko")
    detail = QCoreApplication.translate(
        "run_console", "Folder: {folder}\nDipakai oleh: {who}\nTutup program itu dulu, atau "
        "pakai --data-dir lain.").format(folder=exc.folder, who=who)
    return text, detail


def run_console(db_path: Path, lang: str | None = None, *,
                login: tuple[str, str, str] | None = None) -> int:
    """Run the console on the database at ``db_path``; returns the process exit code.
    ``login`` (server URL, username, password; the demo's desks only) logs in at start
    instead of asking who is on duty."""
    os.environ.setdefault("QT_API", "pyside6")
    import qasync  # noqa: F401 - after QT_API: qasync picks its Qt binding on import

    bootstrap()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collector = MainThreadGC(app)  # noqa: F841 - lives with the app (a QObject child)
    app.setOrganizationName("Posko")
    app.setApplicationName("Posko")
    language = choose_language(lang)
    translators = install_translator(app, language)  # alive until the run ends
    try:
        return _run_console(app, db_path, language, login)
    finally:
        # The QApplication may outlive this run (a test process runs many): leave it as
        # found, so a later English window does not get Qt's buttons in Indonesian.
        for translator in translators:
            app.removeTranslator(translator)


def _run_console(app: QApplication, db_path: Path, language: str,
                 login: tuple[str, str, str] | None = None) -> int:
    import qasync  # imported (binding chosen) by run_console

    hold = None
    try:
        # A file that is not ours is refused before a lock file appears next to it; then
        # the folder is held (one process per data folder) before the database is opened.
        open_database(db_path, migrate=False).dispose()
        hold = hold_data_folder(Path(db_path).parent, "posko")
        db = open_database(db_path)
    except FolderInUse as exc:
        _show_error(QCoreApplication.translate("run_console", "Posko"),
                    *_folder_in_use_text(exc))
        return EXIT_FOLDER_IN_USE
    except DatabaseFileError as exc:
        if hold is not None:
            hold.release()
        _show_error(
            QCoreApplication.translate("run_console", "Posko"),
            QCoreApplication.translate(
                "run_console", "Berkas data tidak dapat dibuka. Berkas tidak diubah."
            ),
            str(exc),  # i18n: ok - the file's own problem, under the Indonesian sentence
        )
        return EXIT_DATABASE_ERROR

    executor = DbExecutor(db)
    # Categories, agencies and regions, as every start promises (console/store/seed.py):
    # without them a first start on a new folder had an intake with no category to pick.
    # Already seeded, this is one indexed read.
    from console.store.seed import ensure_reference_data

    executor.call(ensure_reference_data)
    bridge = DbBridge(executor)
    window = MainWindow(bridge, db.path, lang=language, confirm_quit=True)
    _attach_offline_map(window, bridge, db.path, language)
    _arm_exit_hooks(app, window)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    undo_signals = None
    try:
        window.show()
        window.start()
        with loop:
            _attach_sync(window, bridge)  # needs the qasync loop set as the current loop
            if login is not None and window.sync is not None:
                # The demo logs its desk in as a real login does (the token is kept in
                # memory when this machine has no usable keyring).
                undo_signals = _stop_on_signals(closing)
                QTimer.singleShot(0, lambda: window.sync.login(*login))
            elif not _headless():
                # Who is on duty: a cached account proves itself, or a login (Ctrl+L);
                # never the OS user. Asked once the window shows, inside the loop.
                QTimer.singleShot(0, window.choose_on_duty)
            loop.run_until_complete(closing.wait())
        # No sync shutdown on the loop after quit (qasync crashes re-entering a finished
        # loop). Stopping mid-cycle is safe: every pulled page and its cursor commit
        # together, and the outbox keeps a mutation until the server confirmed it.
    finally:
        if undo_signals is not None:
            undo_signals()
        window.save_layout()
        if window.sync is not None:
            # The watch's long poll would otherwise end on its own thread after the
            # database below is closed (and log a failure at every quit).
            window.sync.halt()
        _dispose_window(window)
        bridge.shutdown()
        executor.shutdown()
        db.dispose()
        hold.release()
        asyncio.set_event_loop(None)
    return 0
