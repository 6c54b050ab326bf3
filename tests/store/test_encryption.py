"""Issue 12: the console database is encrypted at rest (SQLCipher, key in the keyring)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as NoKeyring

from console.demo.bulk import seed_demo
from console.store import dbkey, encrypt
from console.store.db import (
    DEMO_MARKER,
    SQLITE_MAGIC,
    CorruptDatabase,
    KeyNotAvailable,
    WrongKey,
    connect_file,
    is_plain,
    open_database,
)
from console.store.seed import ensure_reference_data

REPORTER = "Sri Wahyuningsih Kartodirjo"
PHONE = "+6281298765432"


def _add_report(conn, rid: str = "r1", ticket: str = "BDG-1") -> None:
    conn.execute(
        "INSERT INTO report (id, ticket, channel, category_code, title, description, created_at,"
        " updated_at, priority, status, revision, reporter_name, reporter_phone)"
        " VALUES (?, ?, 'sms', (SELECT code FROM category LIMIT 1), 'Banjir setinggi lutut',"
        " 'Air masuk rumah warga', '2026-01-01', '2026-01-01', 2, 'new', 1, ?, ?)",
        (rid, ticket, REPORTER, PHONE))
    conn.commit()


def _write_a_report(path: Path) -> None:
    """Open the database at ``path`` (made if new), give it the reference data and one
    report (REPORTER's, see _add_report), and close it again."""
    db = open_database(path)
    conn = db.raw()
    ensure_reference_data(conn)
    _add_report(conn)
    conn.close()
    db.dispose()


def _folder_files(folder: Path) -> dict[str, bytes]:
    """The folder's database files (its id file names the key and may appear)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != dbkey.ID_FILE}


def _plain_database(path: Path, reports: int = 300) -> int:
    """A database as an earlier Posko (or one without a keyring) left it: plain."""
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        seed_demo(path, reports=reports, seed=3, parallel=False)
        _write_a_report(path)
    finally:
        keyring.set_keyring(previous)
    assert is_plain(path)
    return reports + 1


def _counts(db) -> tuple[int, int, int]:
    conn = db.raw()
    try:
        return (conn.execute("SELECT count(*) FROM report").fetchone()[0],
                conn.execute("SELECT count(*) FROM report_event").fetchone()[0],
                conn.execute("SELECT count(*) FROM report_fts WHERE report_fts MATCH 'banjir'"
                             ).fetchone()[0])
    finally:
        conn.close()


def test_new_database_is_encrypted_and_its_wal_too(tmp_path):
    path = tmp_path / "posko.sqlite3"
    db = open_database(path)
    assert db.encrypted
    conn = db.raw()
    ensure_reference_data(conn)
    _add_report(conn)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0  # the new rows are still in the WAL, not yet checkpointed
    for data in (path.read_bytes(), wal.read_bytes()):
        assert SQLITE_MAGIC not in data[:100]
        assert REPORTER.encode() not in data and PHONE.encode() not in data
        assert b"Banjir" not in data
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.dispose()
    data = path.read_bytes()
    assert not data.startswith(SQLITE_MAGIC)
    assert REPORTER.encode() not in data and PHONE.encode() not in data
    assert b"CREATE TABLE" not in data


def test_database_and_side_files_are_private(tmp_path):
    path = tmp_path / "posko.sqlite3"
    db = open_database(path)
    conn = db.raw()
    ensure_reference_data(conn)
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    conn.close()
    db.dispose()


def test_reopening_with_the_keyring_reads_everything(tmp_path, memory_keyring):
    path = tmp_path / "posko.sqlite3"
    _write_a_report(path)
    assert (dbkey.SERVICE, dbkey.folder_id(tmp_path)) in memory_keyring.store
    again = open_database(path)
    assert again.encrypted
    conn = again.raw()
    assert conn.execute("SELECT reporter_name FROM report").fetchone()[0] == REPORTER
    conn.close()
    from sqlmodel import Session, text
    with Session(again.engine) as session:  # the ORM's engine is keyed as well
        assert session.exec(text("SELECT count(*) FROM report")).one()[0] == 1
    again.dispose()
    ro = connect_file(path, read_only=True)  # how an export reads next to a console
    assert ro.execute("SELECT reporter_phone FROM report").fetchone()[0] == PHONE
    ro.close()


def test_a_data_folder_moved_whole_still_opens_with_its_key(tmp_path, memory_keyring):
    """City IT moves a desk's data folder to another disk or renames it: the key is named
    by the folder's id, not its path, so the console opens it as before."""
    old = tmp_path / "posko-data"
    _write_a_report(old / "posko.sqlite3")
    new = tmp_path / "elsewhere" / "desk-1"
    new.parent.mkdir()
    old.rename(new)
    moved = open_database(new / "posko.sqlite3")
    assert moved.encrypted
    conn = moved.raw()
    assert conn.execute("SELECT reporter_name FROM report").fetchone()[0] == REPORTER
    conn.close()
    moved.dispose()


def test_a_key_named_by_the_folders_path_is_taken_over(tmp_path, memory_keyring):
    """Folders encrypted before the id file (key named by the folder's path) still open,
    and from then on move like the others."""
    old = tmp_path / "posko-data"
    db = open_database(old / "posko.sqlite3")
    ensure_reference_data(db.raw())
    db.dispose()
    key = memory_keyring.store.pop((dbkey.SERVICE, dbkey.folder_id(old)))
    (old / dbkey.ID_FILE).unlink()
    memory_keyring.store[(dbkey.SERVICE, str(old.resolve()))] = key  # as an older version kept it
    open_database(old / "posko.sqlite3").dispose()
    assert memory_keyring.store[(dbkey.SERVICE, dbkey.folder_id(old))] == key
    new = tmp_path / "moved"
    old.rename(new)
    again = open_database(new / "posko.sqlite3")
    assert again.encrypted
    again.dispose()


def test_wrong_key_is_refused_and_the_file_is_untouched(tmp_path, memory_keyring):
    path = tmp_path / "posko.sqlite3"
    db = open_database(path)
    ensure_reference_data(db.raw())
    db.dispose()
    before = _folder_files(tmp_path)
    memory_keyring.store[(dbkey.SERVICE, dbkey.folder_id(tmp_path))] = "ab" * 32
    with pytest.raises(WrongKey) as err:
        open_database(path)
    assert str(path) in str(err.value) and "keyring" in str(err.value)
    assert isinstance(err.value, CorruptDatabase)
    assert _folder_files(tmp_path) == before


def test_missing_key_is_refused_with_a_clear_message(tmp_path, memory_keyring):
    path = tmp_path / "posko.sqlite3"
    open_database(path).dispose()
    before = _folder_files(tmp_path)
    memory_keyring.store.clear()  # another computer, or the entry was removed
    with pytest.raises(KeyNotAvailable) as err:
        open_database(path)
    assert str(path) in str(err.value)
    assert "the key for this data folder is not in this computer's keyring" in str(err.value)
    assert _folder_files(tmp_path) == before
    assert memory_keyring.store == {}  # no new key was made for a file it cannot open

    keyring.set_keyring(NoKeyring())  # no keyring at all: refused too, never overwritten
    with pytest.raises(KeyNotAvailable, match="keyring cannot be used"):
        open_database(path)
    assert _folder_files(tmp_path) == before


def test_without_a_keyring_the_database_stays_plain_and_says_so(tmp_path, caplog,
                                                                monkeypatch):
    monkeypatch.setattr(dbkey, "_warned_unavailable", False)
    keyring.set_keyring(NoKeyring())
    with caplog.at_level(logging.WARNING, logger="posko.store"):
        db = open_database(tmp_path / "posko.sqlite3")
        open_database(tmp_path / "other" / "posko.sqlite3").dispose()
    assert not db.encrypted and is_plain(db.path)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # once per run
    assert "keyring unavailable: the database is not encrypted" in warnings[0]
    db.dispose()


def test_demo_folder_database_stays_plain(tmp_path, memory_keyring):
    (tmp_path / DEMO_MARKER).write_text("demo\n")
    db = open_database(tmp_path / "posko.sqlite3")
    assert not db.encrypted and is_plain(db.path)
    assert memory_keyring.store == {}
    db.dispose()


def test_plain_database_is_migrated_and_nothing_is_lost(tmp_path, memory_keyring):
    path = tmp_path / "posko.sqlite3"
    _plain_database(path)
    plain = open_database(path, encrypt=False)
    assert not plain.encrypted
    before = _counts(plain)
    plain.dispose()
    assert before[0] == 301 and before[2] > 0
    os.chmod(path, 0o644)

    db = open_database(path)
    assert db.encrypted and not is_plain(path)
    assert _counts(db) == before
    conn = db.raw()
    from console.store.queue import QueueFilter, fetch_page
    rows, _ = fetch_page(conn, QueueFilter.open_queue(search="banjir"), limit=5)
    assert rows  # the queue's full-text search on the encrypted file
    conn.close()
    db.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != dbkey.ID_FILE) == ["posko.sqlite3"]
    data = path.read_bytes()
    assert REPORTER.encode() not in data and b"SQLite format 3" not in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_failure_during_migration_keeps_the_plain_original(tmp_path, monkeypatch, caplog):
    path = tmp_path / "posko.sqlite3"
    _plain_database(path)
    plain = open_database(path, encrypt=False)
    before = _counts(plain)
    plain.dispose()
    files_before = _folder_files(tmp_path)
    real_export = encrypt.export_encrypted

    def export_then_fail(conn, target, key):
        real_export(conn, target, key)  # a half-made copy is on disk...
        assert Path(target).exists()
        raise OSError("disk unplugged during the copy")  # ...when the export breaks

    monkeypatch.setattr(encrypt, "export_encrypted", export_then_fail)
    with caplog.at_level(logging.ERROR, logger="posko.store"):
        db = open_database(path)
    assert "disk unplugged" in caplog.text
    assert not db.encrypted and is_plain(path)
    assert _folder_files(tmp_path) == files_before  # no partial copy left behind
    assert _counts(db) == before  # the plain original works as before
    db.dispose()

    monkeypatch.setattr(encrypt, "export_encrypted", real_export)
    again = open_database(path)  # the next start encrypts it
    assert again.encrypted and _counts(again) == before
    again.dispose()


def test_failed_verification_keeps_the_plain_original(tmp_path, monkeypatch):
    path = tmp_path / "posko.sqlite3"
    _plain_database(path, reports=20)
    files_before = _folder_files(tmp_path)

    def bad_copy(conn, target, key):
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute("DELETE FROM encrypted.report_event")  # the copy lost rows

    monkeypatch.setattr(encrypt, "export_encrypted", bad_copy)
    db = open_database(path)
    assert not db.encrypted
    assert _folder_files(tmp_path) == files_before
    db.dispose()
