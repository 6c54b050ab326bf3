"""The words for stored codes — report status, intake channel, 112 triage, priority,
workflow action — in Bahasa Indonesia and English, in one table.

The console's screens (``console/views/labels.py``), its exports (``console/export/i18n``)
and the public page (``server/portal``) all read them here, so a status is called the same
on the operator's queue, in the supervisor's PDF and on the citizen's ticket page. Qt-free:
the export and the server use it without a display. Indonesian first: it is the default
language everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["ACTION", "CHANNEL", "LANGS", "PRIORITY", "STATUS", "TRIAGE", "TRIAGE_NONE",
           "Word", "word"]

LANGS = ("id", "en")


class Word(NamedTuple):
    id: str
    en: str

    def in_lang(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


STATUS: dict[str, Word] = {
    "new": Word("Belum terverifikasi", "New (unverified)"),
    "verified": Word("Terverifikasi", "Verified"),
    "dispatched": Word("Didisposisikan", "Dispatched"),
    "in_progress": Word("Ditindaklanjuti", "In progress"),
    "resolved": Word("Selesai", "Resolved"),
    "closed": Word("Ditutup", "Closed"),
    "rejected": Word("Ditolak", "Rejected"),
    "not_authority": Word("Bukan kewenangan", "Not our authority"),
    "duplicate": Word("Duplikat", "Duplicate"),
    "prank": Word("Panggilan iseng", "Prank call"),
    "ghost": Word("Panggilan kosong", "Ghost call"),
}

CHANNEL: dict[str, Word] = {
    "app": Word("Aplikasi/web", "App/web"),
    "sms": Word("SMS", "SMS"),
    "whatsapp": Word("WhatsApp", "WhatsApp"),
    "phone_112": Word("Telepon 112", "112 call"),
    "phone": Word("Telepon", "Phone"),
    "walk_in": Word("Datang langsung", "Walk-in"),
    "social": Word("Media sosial", "Social media"),
    "sensor": Word("Sensor", "Sensor"),
}

TRIAGE: dict[str, Word] = {
    "emergency": Word("Darurat", "Emergency"),
    "information": Word("Informasi", "Information"),
    "prank": Word("Iseng", "Prank"),
    "ghost": Word("Panggilan kosong", "Ghost call"),
}
#: A 112 call not triaged yet, where a document must say so (a screen leaves it blank).
TRIAGE_NONE = Word("Belum ditriase", "Not triaged")

PRIORITY: dict[int, Word] = {
    1: Word("P1 Darurat", "P1 Emergency"),
    2: Word("P2 Tinggi", "P2 High"),
    3: Word("P3 Sedang", "P3 Medium"),
    4: Word("P4 Rendah", "P4 Low"),
}

ACTION: dict[str, Word] = {
    "verify": Word("Verifikasi", "Verify"),
    "reject": Word("Tolak", "Reject"),
    "not_authority": Word("Bukan kewenangan", "Not our authority"),
    "mark_duplicate": Word("Tandai duplikat", "Mark duplicate"),
    "mark_prank": Word("Tandai panggilan iseng", "Mark prank call"),
    "mark_ghost": Word("Tandai panggilan kosong", "Mark ghost call"),
    "answer_info": Word("Informasi dijawab", "Information answered"),
    "dispatch": Word("Disposisi", "Dispatch"),
    "start": Word("Mulai ditangani", "Start work"),
    "resolve": Word("Selesaikan", "Resolve"),
    "close": Word("Tutup", "Close"),
    "reopen": Word("Buka kembali", "Reopen"),
    "triage": Word("Triase", "Triage"),
    "merge": Word("Gabungkan", "Merge"),
    "note": Word("Catatan", "Note"),
    "undo": Word("Pembatalan", "Undo"),
}


def word(table: dict, code: object, lang: str) -> str:
    """``code``'s word in ``lang``; an unknown code (a newer server's) shows as itself."""
    found = table.get(code)
    return found.in_lang(lang) if found is not None else ("" if code is None else str(code))
