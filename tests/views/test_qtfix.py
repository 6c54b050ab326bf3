"""PySide6 6.12 (abi3) drops a reference to None on every void call and to True on every
signal emit; on Python 3.11 that aborts the process after enough calls. The pinned
PySide6 has no such bug (console/views/qt_references.py probes it): the console's own
usage survives hundreds of thousands of calls."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication
app = QApplication([])
class E(QObject):
    flag = Signal(bool)
e = E()
e.flag.connect(lambda _v: None)
m = QStandardItemModel(0, 1)
item = QStandardItem("x")
for _ in range(300_000):
    e.flag.emit(True)
    item.setText("y")  # void
m.appendRow(QStandardItem("z"))
print("alive")
"""


def test_many_void_calls_and_emits_do_not_kill_the_interpreter():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "alive" in result.stdout
