"""Shared fixtures for the Qt view tests: a small real database (its worker, the bridge
and the UI settings come from tests/conftest.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from console.store.models import to_db

SCRIPT_TITLE = "<script>alert(1)</script><b>x</b>"
N_ROWS = 240
STATUSES = ["new", "verified", "dispatched", "in_progress", "resolved", "closed", "rejected"]


def populate(conn, n: int = N_ROWS, seed: int = 11) -> None:
    rnd = random.Random(seed)
    conn.executemany(
        "INSERT INTO agency(code, name_id, name_en, kind) VALUES (?,?,?,'city')",
        [("pupr", "Dinas PUPR", "Public works"), ("damkar", "Pemadam Kebakaran", "Fire brigade")],
    )
    conn.executemany(
        "INSERT INTO category(code, name_id, name_en, default_priority, sla_verify_days, "
        "sla_followup_days, emergency) VALUES (?,?,?,3,3,5,0)",
        [("jalan", "Jalan rusak", "Damaged road"), ("banjir", "Banjir", "Flood"),
         ("kebakaran", "Kebakaran", "Fire")],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO region(code, name, level, parent_code) VALUES (?,?,?,?)",
        [("3273", "Kota Bandung", "kota", None), ("3273-10", "Coblong", "kecamatan", "3273"),
         ("3273-10-1", "Dago", "kelurahan", "3273-10"),
         ("3273-10-2", "Lebak Siliwangi", "kelurahan", "3273-10")],
    )  # fmt: skip
    now = datetime.now(UTC)
    rows = []
    for pk in range(1, n + 1):
        created = now - timedelta(minutes=rnd.randint(1, 60 * 24 * 10))
        sla = created + timedelta(hours=rnd.choice([1, 24, 72]))
        rows.append((
            pk, f"00000000-0000-4000-8000-{pk:012d}", f"BDG-2611-{pk:05d}", "sms",
            rnd.choice(["jalan", "banjir", "kebakaran"]), rnd.choice([1, 2, 3, 4]),
            rnd.choice(STATUSES), f"Laporan nomor {pk}", "uraian", "Jl. Dago",
            rnd.choice(["3273-10-1", "3273-10-2"]), to_db(created), to_db(created), to_db(sla),
            rnd.choice(["pupr", "damkar", None]),
        ))  # fmt: skip
    conn.executemany(
        "INSERT INTO report(pk, id, ticket, channel, category_code, priority, status, title, "
        "description, address, region_code, created_at, updated_at, sla_due_at, "
        f"assigned_agency, revision) VALUES ({','.join('?' * 15)}, 1)",
        rows,
    )
    # One hostile title, open and top of the queue, so tests find it on the first page.
    conn.execute(
        "UPDATE report SET title = ?, status = 'new', priority = 1, "
        "description = '<i>not italic</i>', reporter_name = 'Budi Santoso' WHERE pk = 18",
        (SCRIPT_TITLE,),
    )
    conn.commit()


@pytest.fixture
def db_fill():
    """The views' ``db`` (tests/conftest.py) holds the populated queue, not the reference
    data."""
    return populate


@pytest.fixture
def window(qtbot, bridge, db, ui_settings):
    """The main window on the populated database, an officer on duty, active and focused
    on the queue (shortcuts need the active window, offscreen too)."""
    from view_helpers import activate, make_window, wait_idle

    w = make_window(qtbot, bridge, db, ui_settings)
    activate(qtbot, w)
    yield w
    wait_idle(qtbot, bridge)
    w.close()
