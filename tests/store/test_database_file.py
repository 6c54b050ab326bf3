"""What a Posko database file is, and what happens with files that are not one."""

import sqlite3

import pytest

from console.store.db import (
    CorruptDatabase,
    ForeignDatabase,
    IntegrityError,
    NewerDatabase,
    open_database,
)


def _digest(path):
    return path.read_bytes()


def test_new_database_is_wal_with_foreign_keys(tmp_path):
    db = open_database(tmp_path / "sub" / "posko.sqlite3")
    conn = db.raw()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    with pytest.raises(IntegrityError):
        conn.execute(
            "INSERT INTO report (id, ticket, channel, category_code, title, description,"
            " created_at, updated_at, priority, status, revision)"
            " VALUES ('x', 't', 'sms', 'no-such-category', 'x', '', '2026-01-01', '2026-01-01', 3, 'new', 1)")
    conn.close()
    db.dispose()


def test_corrupt_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "posko.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a database\x00" * 100)
    before = _digest(path)
    with pytest.raises(CorruptDatabase) as err:
        open_database(path)
    assert str(path) in str(err.value)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posko.sqlite3"]


def test_damaged_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "posko.sqlite3"
    good = open_database(path)
    good.dispose()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page, keep the header
    path.write_bytes(bytes(data))
    for extra in tmp_path.glob("posko.sqlite3-*"):
        extra.unlink()
    before = _digest(path)
    with pytest.raises(CorruptDatabase) as err:
        open_database(path)
    assert str(path) in str(err.value)
    assert _digest(path) == before


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "posko.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.execute("INSERT INTO invoices (amount) VALUES (12.5)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(ForeignDatabase) as err:
        open_database(path)
    assert str(path) in str(err.value) and "another program" in str(err.value)
    assert _digest(path) == before


def test_database_from_a_newer_posko_is_refused(tmp_path):
    path = tmp_path / "posko.sqlite3"
    db = open_database(path)
    conn = db.raw()
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    db.dispose()
    before = _digest(path)
    with pytest.raises(NewerDatabase) as err:
        open_database(path)
    assert "newer version of Posko" in str(err.value) and str(path) in str(err.value)
    assert _digest(path) == before


def test_timeline_is_append_only(tmp_path):
    db = open_database(tmp_path / "posko.sqlite3")
    conn = db.raw()
    conn.execute("INSERT INTO agency VALUES ('pln', 'PLN', 'PLN', 'utility')")
    conn.execute("INSERT INTO category (code, name_id, name_en, default_priority, sla_verify_days,"
                 " sla_followup_days, emergency) VALUES ('listrik', 'Listrik', 'Power', 3, 3, 5, 0)")
    conn.execute("INSERT INTO report (id, ticket, channel, category_code, title, description, created_at,"
                 " updated_at, priority, status, revision) VALUES ('r1', 'T1', 'sms', 'listrik', 'x', '',"
                 " '2026-01-01', '2026-01-01', 3, 'new', 1)")
    conn.execute("INSERT INTO report_event (id, report_id, at, actor, kind) VALUES ('e1', 'r1', '2026-01-01', 'a', 'created')")
    conn.commit()
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("UPDATE report_event SET actor = 'someone else'")
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("DELETE FROM report_event")
    conn.close()
    db.dispose()


def test_the_executor_runs_in_order_and_closes_once(tmp_path):
    """Closing the window and then the application both shut the database worker down:
    the second shutdown does nothing, and no work is accepted after the first."""
    from console.store.executor import DbExecutor

    db = open_database(tmp_path / "posko.sqlite3")
    executor = DbExecutor(db)
    seen = []
    futures = [executor.submit(lambda conn, i=i: seen.append(i)) for i in range(20)]
    for f in futures:
        f.result()
    assert seen == list(range(20))
    executor.shutdown()
    executor.shutdown()
    with pytest.raises(RuntimeError):
        executor.submit(lambda conn: None)
    db.dispose()
