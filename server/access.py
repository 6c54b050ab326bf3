"""Who may read attachment bytes (issue 12 M6): knowing a hash is not owning the file.

An attachment row grants reading its blob only when ``proven``: its account uploaded the
bytes (hash checked), or could already read them when it registered. See
docs/sync-protocol.md section 8 and server/routes/attachments.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from server.models import Attachment, Blob, Report
from server.scope import Principal


def readable_shas(conn: Connection, who: Principal, shas: set[str]) -> set[str]:
    """The hashes among ``shas`` whose bytes ``who`` may read: complete, and attached by a
    proven row to a report in its scope."""
    if not shas:
        return set()
    a, b, r = Attachment.__table__, Blob.__table__, Report.__table__
    q = (select(a.c.sha256).distinct().join(r, r.c.id == a.c.report_id)
         .join(b, b.c.sha256 == a.c.sha256)
         .where(a.c.sha256.in_(shas), a.c.proven.is_(True), b.c.complete.is_(True)))
    if (cond := who.scope.where(r.c.region_code)) is not None:
        q = q.where(cond)
    return {row[0] for row in conn.execute(q)}
