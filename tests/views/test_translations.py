"""Every translatable string has a finished English translation, and it loads."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from console import i18n_tools, vocabulary
from console.views import labels
from console.views.app import TRANSLATIONS_DIR


def test_every_string_has_a_finished_english_translation(capsys):
    result = i18n_tools.check()
    out = capsys.readouterr().out
    assert result == 0, out


def test_the_installed_translation_sets_the_labels_language(qapp):
    # The words are console.vocabulary's; the compiled English names its language.
    assert labels.status_label("prank") == "Panggilan iseng"
    t = QTranslator()
    assert t.load("posko_en", str(TRANSLATIONS_DIR))
    assert t.translate("MainWindow", "&Berkas") == "&File"
    qapp.installTranslator(t)
    try:
        assert labels.ui_language() == "en"
        assert labels.status_label("prank") == "Prank call"
        for code, word in vocabulary.CHANNEL.items():
            assert labels.channel_label(code) == word.en
        assert labels.priority_label(1) == "P1 Emergency"
    finally:
        qapp.removeTranslator(t)
    assert labels.ui_language() == "id"
    assert labels.priority_label(1) == "P1 Darurat"
