"""Helpers for the view tests (a module of its own: tests/ has no packages)."""

from __future__ import annotations


def make_window(qtbot, bridge, db, settings, **kw):
    """A shown, started main window whose first queue page has arrived, with an officer
    on duty (as after a login) unless ``operator=`` says otherwise."""
    from console.views.main_window import MainWindow
    from console.views.operator import OperatorContext

    kw.setdefault("operator", OperatorContext(username="op.uji", display_name="Operator Uji"))

    window = MainWindow(bridge, db.path, settings=settings, **kw)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.queue.model.firstPageLoaded, timeout=5000):
        window.show()
        window.start()
    qtbot.waitUntil(lambda: window.lookups is not None, timeout=5000)
    return window


def activate(qtbot, window):
    """Shortcuts need the active window (offscreen too)."""
    from PySide6.QtWidgets import QApplication

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.queue.table.setFocus()
    qtbot.waitUntil(window.queue.table.hasFocus, timeout=3000)


def wait_idle(qtbot, bridge):
    qtbot.waitUntil(lambda: bridge.pending() == 0, timeout=5000)
