"""The status bar's warning that this desk's personal data is stored unencrypted.

A console database is encrypted with a key kept in the operating system's keyring
(console/store/dbkey.py). Without a usable keyring there is nowhere safe to keep a key,
so the database stays plain: the operator and city IT must see that for as long as the
window is open, not only in a log nobody reads. A demo folder (fictional people) is
plain on purpose and shows nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from console.store import dbkey
from console.store.db import Database, wants_encryption

__all__ = ["StorageBadge"]


class StorageBadge(QLabel):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("storage_badge")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet("color:#8a4b00; background:#fff3cd; padding:0 6px;")
        plain = wants_encryption(db.path) and not db.encrypted
        self.setVisible(plain)
        if not plain:
            return
        self.setText(self.tr("⚠ Data tidak terenkripsi"))
        why = dbkey.unavailable_reason() or self.tr("keyring tidak dapat dipakai")
        # The keyring's own reason is technical (and English): set apart as the small print.
        self.setToolTip(self.tr(
            "Data warga di komputer ini disimpan tanpa enkripsi, karena keyring sistem "
            "operasi tidak tersedia. Minta admin TI mengaktifkan keyring (GNOME Keyring, "
            "KWallet, atau Windows Credential Manager), lalu buka ulang Posko: data akan "
            "dienkripsi otomatis.") + "\n\n" + self.tr("Rincian teknis: {why}").format(why=why))
