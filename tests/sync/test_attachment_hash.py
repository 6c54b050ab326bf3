"""A pulled attachment whose hash is not a hash (issue 12 L6): the console builds file
paths from it, so ``../../x`` or a slash must be refused before any path is built."""

from __future__ import annotations

import logging
import uuid

import pytest

from console.store.db import open_database
from console.sync import puller
from console.sync.attachments import blob_path
from console.sync.errors import BadResponse
from console.sync.transport import Page


def _report_row(rid: str) -> dict:
    return {"id": rid, "seq": 1, "revision": 1, "ticket": "TST-1", "channel": "phone",
            "category_code": "jalan_rusak", "priority": 3, "status": "new",
            "title": "Jalan berlubang", "description": "", "region_code": None,
            "created_at": 1764324000000, "updated_at": 1764324000000}


@pytest.mark.parametrize("bad", ["../../../../etc/passwd" + "0" * 42, "AB" * 32, "a" * 63,
                                 "a" * 32 + "/" + "a" * 31, "a" * 65])
def test_a_crafted_hash_in_a_pulled_page_is_skipped(tmp_path, caplog, bad):
    conn = open_database(tmp_path / "posko.sqlite3").raw()
    rid, good = str(uuid.uuid4()), "b" * 64
    att = {"id": str(uuid.uuid4()), "seq": 2, "report_id": rid, "filename": "x.jpg",
           "mime": "image/jpeg", "size": 10, "at": 1764324000000, "by": "op",
           "complete": 1, "has_thumbnail": 1}
    page = Page(cursor=0, next_cursor=3, more=False, head=3, server_time=None, tables={
        "report": [_report_row(rid)],
        "attachment": [{**att, "sha256": bad},
                       {**att, "id": str(uuid.uuid4()), "seq": 3, "sha256": good}]})
    with caplog.at_level(logging.WARNING, "posko.sync.pull"):
        puller.apply_page(conn, page)
    assert [r[0] for r in conn.execute("SELECT sha256 FROM attachment")] == [good]
    assert [r[0] for r in conn.execute("SELECT sha256 FROM sync_blob")] == [good]
    assert "skipped" in caplog.text
    with pytest.raises(BadResponse):
        blob_path(tmp_path, bad)
