"""Issue 12: without a usable keyring the console's database stays plain — and the
window says so for as long as it is open, with why and what city IT should do."""

from __future__ import annotations

import keyring
from keyring.backends.fail import Keyring as NoKeyring
from PySide6.QtWidgets import QLabel

from console.store import dbkey


def _badge(desk) -> QLabel:
    return desk.window.findChild(QLabel, "storage_badge")


def _header(desk) -> bytes:
    return (desk.folder / "posko.sqlite3").read_bytes()[:16]


def test_without_a_keyring_the_status_bar_says_the_data_is_not_encrypted(desks, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setattr(dbkey, "_unavailable_reason", None)
    keyring.set_keyring(NoKeyring())  # the e2e keyring fixture puts its own back afterwards
    desk = desks(tmp_path / "no-keyring")
    badge = _badge(desk)
    assert badge.isVisible()
    assert badge.text() == "⚠ Data tidak terenkripsi"
    assert "keyring" in badge.toolTip() and "admin TI" in badge.toolTip()
    assert "\n\nRincian teknis: " in badge.toolTip()  # the keyring's own words, set apart
    assert _header(desk) == b"SQLite format 3\x00"  # what the badge warns about is true


def test_with_a_keyring_nothing_is_shown_and_the_file_is_encrypted(desks, tmp_path):
    desk = desks(tmp_path / "keyring")
    assert not _badge(desk).isVisible()
    assert _header(desk) != b"SQLite format 3\x00"
