"""Issue 14: the PySide6 in the lock must not lose references to None/True/False. 6.12.0
did on Python 3.11 and the console aborted after minutes of a shift; nothing patches
reference counts any more, so a wheel that regresses must fail here, loudly."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QStringListModel, Signal

from console.views import qt_references


def test_the_installed_pyside6_keeps_its_references():
    assert not qt_references.leaks(), "this PySide6 leaks references: pin another release"


class _Emitter(QObject):
    changed = Signal(int)


def test_a_shifts_worth_of_void_calls_and_signals_leaves_none_and_true_intact(qtbot):
    """What a long shift does many times over: model resets, texts set, signals emitted."""
    model = QStringListModel()
    emitter = _Emitter()
    got = []
    emitter.changed.connect(got.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(20_000):
        model.setStringList([str(i)])  # void
        emitter.setObjectName(str(i))  # void
        emitter.changed.emit(i)  # returns True
    assert len(got) == 20_000
    assert sys.getrefcount(None) >= none_before - 100
    assert sys.getrefcount(True) >= true_before - 100
