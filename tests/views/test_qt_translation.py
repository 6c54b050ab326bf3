"""Qt's own words in the Indonesian console: PySide6 ships no qtbase_id, so Posko ships
qt_id.ts/.qm; every message in it must be one Qt really asks for (same context and
source as in Qt's own catalogue), and installed for "id" it turns Qt's buttons and
context menus Indonesian while "en" keeps Qt's English."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox

from console import i18n_tools
from console.views.app import install_translator

Std = QDialogButtonBox.StandardButton


@contextmanager
def language(lang: str) -> Iterator[list[QTranslator]]:
    """The console's translators for ``lang`` while the block runs (tests share one app)."""
    app = QApplication.instance()
    locale = QLocale()
    installed = install_translator(app, lang)
    try:
        yield installed
    finally:
        for t in installed:
            app.removeTranslator(t)
        QLocale.setDefault(locale)


def _messages(ts) -> list[tuple[str, str, str]]:
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            out.append((name, m.findtext("source"), m.findtext("translation")))
    return out


def test_every_indonesian_qt_string_is_one_qt_asks_for(qapp):
    """A typo in a context or source would silently never match: check each against
    Qt's own German catalogue, which holds exactly Qt's (context, source) pairs."""
    reference = QTranslator()
    assert reference.load("qtbase_de", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    messages = _messages(i18n_tools.qt_ts_path("id"))
    assert len(messages) > 100
    unknown = [(c, s) for c, s, _t in messages if not reference.translate(c, s)]
    assert unknown == []
    assert all(t and t.strip() for _c, _s, t in messages)


def test_standard_buttons_and_context_menus_speak_indonesian(qtbot):
    with language("id"):
        box = QDialogButtonBox(Std.Ok | Std.Cancel | Std.Close | Std.Save | Std.Discard)
        qtbot.addWidget(box)
        assert box.button(Std.Cancel).text() == "Batal"
        assert box.button(Std.Close).text() == "Tutup"
        assert box.button(Std.Save).text() == "Simpan"
        assert box.button(Std.Discard).text() == "Buang"
        question = QMessageBox(QMessageBox.Icon.Question, "Posko", "Lanjut?",
                               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(question)
        assert question.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Ya"
        assert question.button(QMessageBox.StandardButton.No).text().replace("&", "") == "Tidak"
        edit = QLineEdit("Jl. Garuda")
        qtbot.addWidget(edit)
        menu = edit.createStandardContextMenu()
        texts = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
        assert {"Urungkan", "Potong", "Salin", "Tempel", "Hapus", "Pilih Semua"} <= set(texts)
        assert "Copy" not in texts


def test_english_keeps_qts_english(qtbot):
    with language("en"):
        box = QDialogButtonBox(Std.Ok | Std.Cancel)
        qtbot.addWidget(box)
        assert box.button(Std.Cancel).text() == "Cancel"
