"""The export dialog: runs the export off the GUI thread, shows progress, opens the file."""

from __future__ import annotations

import threading

import openpyxl
import pytest

pytest.importorskip("PySide6")

from console.store.executor import DbExecutor  # noqa: E402
from console.views import export_dialog as dialog_module  # noqa: E402
from console.views.db_bridge import DbBridge  # noqa: E402
from console.views.export_dialog import ExportDialog  # noqa: E402


@pytest.fixture
def bridge(qapp, db):
    executor = DbExecutor(db)
    b = DbBridge(executor)
    yield b
    b.shutdown()
    executor.shutdown()


def test_dialog_exports_on_a_worker_thread_and_opens_the_result(qtbot, bridge, db, scenario,
                                                                tmp_path, monkeypatch):
    threads = []
    real = dialog_module.export_shift_report

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "export_shift_report", spy)
    dlg = ExportDialog(bridge, db.path, actor="spv.hendra", role="supervisor")
    qtbot.addWidget(dlg)
    opened = []
    monkeypatch.setattr(dlg, "open_file", lambda path: opened.append(path) or True)
    qtbot.waitUntil(lambda: dlg.region.count() > 300, timeout=5000)  # loaded via the bridge
    assert dlg.unmask.isEnabled()
    dlg.set_window(scenario.start, scenario.end)
    dlg.format.setCurrentIndex(dlg.format.findData("xlsx"))
    dlg.region.setCurrentIndex(dlg.region.findData("3273"))
    out = tmp_path / "dari-dialog.xlsx"
    dlg.path_edit.setText(str(out))
    with qtbot.waitSignal(dlg.exported, timeout=20_000) as blocker:
        dlg.export_button.click()
        assert dlg.is_running() and not dlg.format.isEnabled()
    result = blocker.args[0]
    assert result.path == out and out.exists()
    assert threads and threads[0] is not threading.main_thread()
    assert dlg.progress.value() == 100 and opened == [out]
    assert str(out) in dlg.status.text()
    qtbot.waitUntil(lambda: not dlg.is_running())
    assert dlg.format.isEnabled()
    wb = openpyxl.load_workbook(out)
    assert wb["Laporan"].max_row - 1 == 11  # Bandung only


def test_dialog_shows_errors_and_hides_unmask_from_operators(qtbot, bridge, db, scenario, tmp_path):
    dlg = ExportDialog(bridge, db.path, actor="op.rina", role="operator", lang="en")
    qtbot.addWidget(dlg)
    assert not dlg.unmask.isEnabled()
    dlg.set_window(scenario.start, scenario.end)
    dlg.open_after.setChecked(False)
    dlg.path_edit.setText(str(tmp_path / "missing" / "x.pdf"))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=10_000)
    assert "does not exist" in dlg.status.text()
    assert dlg.result is None and not (tmp_path / "missing").exists()
