"""Opening the server database for use: the one place where opening means migrating the
schema to head and then seeding the reference data. The engine and migrations live in
server/db.py and the reference data in server/seed.py, which builds on db.py; db.py knows
neither this module nor the seed.
"""

from __future__ import annotations

from server.db import Database, current_revision, head_revision, upgrade
from server.seed import ensure_reference_data


def open_database(url: str, *, city: str = "bandung", migrate: bool = True) -> Database:
    """Open the server database, migrate it to head and seed the reference data."""
    db = Database(url)
    if migrate:
        if current_revision(db.engine) != head_revision():
            upgrade(db)
        ensure_reference_data(db, city)
    return db
