"""Every translatable string has a finished English translation, and it loads."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from console import i18n_tools
from console.views.app import TRANSLATIONS_DIR
from console.views.labels import CHANNEL_LABELS, PRIORITY_LABELS, STATUS_LABELS


def test_every_string_has_a_finished_english_translation(capsys):
    result = i18n_tools.check()
    out = capsys.readouterr().out
    assert result == 0, out


def test_compiled_english_translates_every_label():
    t = QTranslator()
    assert t.load("posko_en", str(TRANSLATIONS_DIR))
    for text in [*STATUS_LABELS.values(), *CHANNEL_LABELS.values(), *PRIORITY_LABELS.values()]:
        assert t.translate("labels", text), text
    assert t.translate("labels", "Panggilan iseng") == "Prank call"
    assert t.translate("MainWindow", "&Berkas") == "&File"
