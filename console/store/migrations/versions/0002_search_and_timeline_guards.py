"""Full-text search over reports and an append-only timeline.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

FTS5 with external content: the index stores only tokens, the text stays in ``report``.
Triggers keep it current on every insert, update and delete, so no code path can forget.
``remove_diacritics`` and prefix indexes make search-as-you-type cheap for Indonesian text.
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_COLUMNS = "ticket, title, description, address"

UPGRADE = [
    f"""CREATE VIRTUAL TABLE report_fts USING fts5(
        {FTS_COLUMNS},
        content='report', content_rowid='pk',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
    )""",
    f"""CREATE TRIGGER report_fts_ai AFTER INSERT ON report BEGIN
        INSERT INTO report_fts(rowid, {FTS_COLUMNS})
        VALUES (new.pk, new.ticket, new.title, new.description, new.address);
    END""",
    f"""CREATE TRIGGER report_fts_ad AFTER DELETE ON report BEGIN
        INSERT INTO report_fts(report_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.pk, old.ticket, old.title, old.description, old.address);
    END""",
    f"""CREATE TRIGGER report_fts_au AFTER UPDATE OF {FTS_COLUMNS} ON report BEGIN
        INSERT INTO report_fts(report_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.pk, old.ticket, old.title, old.description, old.address);
        INSERT INTO report_fts(rowid, {FTS_COLUMNS})
        VALUES (new.pk, new.ticket, new.title, new.description, new.address);
    END""",
    # Rows written before this revision become searchable too.
    "INSERT INTO report_fts(report_fts) VALUES ('rebuild')",
    # The timeline is evidence for auditors and the Ombudsman: no edits, no deletions.
    """CREATE TRIGGER report_event_no_update BEFORE UPDATE ON report_event BEGIN
        SELECT RAISE(ABORT, 'report_event is append-only');
    END""",
    """CREATE TRIGGER report_event_no_delete BEFORE DELETE ON report_event BEGIN
        SELECT RAISE(ABORT, 'report_event is append-only');
    END""",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS report_event_no_delete",
    "DROP TRIGGER IF EXISTS report_event_no_update",
    "DROP TRIGGER IF EXISTS report_fts_au",
    "DROP TRIGGER IF EXISTS report_fts_ad",
    "DROP TRIGGER IF EXISTS report_fts_ai",
    "DROP TABLE IF EXISTS report_fts",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
