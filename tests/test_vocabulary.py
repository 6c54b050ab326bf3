"""One word per stored code: the queue, the export and the public page say the same."""

from __future__ import annotations

from console import vocabulary
from console.domain.catalog import Channel
from console.domain.workflow import Action, Status
from console.export.i18n import Words


def test_every_code_the_domain_knows_has_a_word_in_both_languages():
    for table, codes in ((vocabulary.STATUS, [str(s) for s in Status]),
                         (vocabulary.CHANNEL, [str(c) for c in Channel])):
        assert set(table) == set(codes)
        for code in codes:
            assert table[code].id and table[code].en, code
    assert {str(a) for a in Action} <= set(vocabulary.ACTION)


def test_the_export_speaks_the_console_words():
    for lang in vocabulary.LANGS:
        w = Words(lang)
        for code, word in vocabulary.STATUS.items():
            assert w.status(code) == word.in_lang(lang)
        for code, word in vocabulary.CHANNEL.items():
            assert w.channel(code) == word.in_lang(lang)
        for code, word in vocabulary.TRIAGE.items():
            assert w.triage(code) == word.in_lang(lang)
        assert w.triage(None) == vocabulary.TRIAGE_NONE.in_lang(lang)
    assert Words("id").status("archived_by_v9") == "archived_by_v9"  # a newer server's code

