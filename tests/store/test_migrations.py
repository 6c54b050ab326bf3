"""Alembic owns the schema: upgrading keeps every row, and the models match the head."""

import sqlite3

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from console.store import models  # noqa: F401
from console.store.db import head_revision, known_revisions, make_engine, open_database, upgrade


def _insert_minimal_rows(conn: sqlite3.Connection, n: int) -> None:
    conn.execute("INSERT INTO agency VALUES ('damkar', 'Damkar', 'Fire', 'emergency')")
    conn.execute(
        "INSERT INTO category (code, name_id, name_en, default_priority, sla_verify_days,"
        " sla_followup_days, emergency) VALUES ('kebakaran', 'Kebakaran', 'Fire', 1, 3, 5, 1)")
    conn.execute("INSERT INTO region (code, name, level) VALUES ('3273', 'Kota Bandung', 'kota')")
    for i in range(n):
        conn.execute(
            "INSERT INTO report (id, ticket, channel, category_code, priority, status, title,"
            " description, address, region_code, created_at, updated_at, revision)"
            " VALUES (?, ?, 'phone', 'kebakaran', 1, 'new', ?, 'asap tebal', 'Jl. Braga', '3273',"
            " '2026-11-01 01:00:00.000000', '2026-11-01 01:00:00.000000', 1)",
            (f"00000000-0000-4000-8000-{i:012d}", f"BDG-261101-{i:05d}", f"Kebakaran gudang {i}"))
        conn.execute(
            "INSERT INTO report_event (id, report_id, at, actor, kind) VALUES (?, ?, ?, 'op', 'created')",
            (f"10000000-0000-4000-8000-{i:012d}", f"00000000-0000-4000-8000-{i:012d}",
             "2026-11-01 01:00:00.000000"))
    conn.commit()


def test_the_revision_list_is_alembics_line_of_migrations():
    # console/store/db.py names the migrations without importing Alembic (start-up time);
    # a migration added to migrations/versions must be added there too.
    from alembic.script import ScriptDirectory

    from console.store.db import REVISIONS, alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [head_revision()]
    line = [rev.revision for rev in script.walk_revisions()][::-1]
    assert tuple(line) == REVISIONS


def test_upgrade_from_each_previous_revision_keeps_every_row(tmp_path):
    revisions = sorted(known_revisions())
    assert len(revisions) >= 2, "the upgrade test needs at least two revisions"
    for previous in revisions[:-1]:
        path = tmp_path / f"from-{previous}.sqlite3"
        engine = make_engine(path)
        upgrade(engine, previous)
        engine.dispose()
        conn = sqlite3.connect(path)
        _insert_minimal_rows(conn, 50)
        conn.close()

        db = open_database(path)  # brings it to head
        conn = db.raw()
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert conn.execute("SELECT count(*) FROM report").fetchone()[0] == 50
        assert conn.execute("SELECT count(*) FROM report_event").fetchone()[0] == 50
        # Rows written before the FTS revision are searchable after it.
        hits = conn.execute(
            "SELECT count(*) FROM report_fts WHERE report_fts MATCH 'gudang'").fetchone()[0]
        assert hits == 50
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        db.dispose()


def test_models_match_the_migrated_schema(tmp_path):
    db = open_database(tmp_path / "posko.sqlite3")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # FTS shadow tables are created by raw SQL in 0002 and are not models.
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("report_fts"))]
    assert diff == [], f"models changed without a migration: {diff}"
    db.dispose()


def test_downgrade_then_upgrade_round_trip(tmp_path):
    from alembic import command

    from console.store.db import alembic_config

    db = open_database(tmp_path / "posko.sqlite3")
    with db.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with db.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    raw = db.raw()
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'report_fts'").fetchone()[0] == 1
    raw.close()
    db.dispose()
