"""Bad answers and bad local conditions: the engine backs off with a clear status, loses
nothing, and never leaves the database half-applied."""

from __future__ import annotations

import gzip
import sqlite3
import time
from datetime import timedelta

import pytest
import requests

from console.operations.intake import NewReport, create_report
from console.store.timefmt import utcnow
from console.sync import puller, state
from console.sync.errors import BadResponse, CaptivePortal, LocalStoreError, ServerError
from console.sync.link import Backoff
from tests.sync.helpers import KEL, Front, new_report

PORTAL = b"""<!DOCTYPE html><html><head><title>Login Wi-Fi</title></head>
<body><form action="/login">Masukkan kode voucher</form></body></html>"""


class Tamper(Front):
    """An HTTP front of the real server that spoils chosen answers."""

    def __init__(self, target: str) -> None:
        self.mode: str | None = None
        self.paths = ("/v1/pull",)
        super().__init__(target)

    def answer(self, command: str, path: str, body: bytes | None,
               headers: dict[str, str]) -> tuple[int, bytes, dict[str, str | None]]:
        r = requests.request(command, self.target + path, data=body, headers=headers,
                             stream=True, timeout=30)
        raw = r.raw.read(decode_content=False)
        status, ctype, encoding = r.status_code, r.headers.get("Content-Type"), \
            r.headers.get("Content-Encoding")
        mode = self.mode if path.split("?")[0] in self.paths else None
        if mode == "truncated_gzip":
            raw = raw[: len(raw) // 2]
        elif mode == "corrupt_gzip":
            raw = raw[:10] + bytes(b ^ 0x5A for b in raw[10:40]) + raw[40:]
        elif mode == "malformed_json":
            raw, encoding = gzip.compress(b'{"cursor": 0, "next_cursor": 5, "tables": {'), "gzip"
        elif mode == "wrong_shape":
            raw, encoding = b'{"cursor": 0, "next_cursor": "x", "more": 1}', None
        elif mode == "500":
            status, raw, encoding, ctype = 500, b"Internal Server Error", None, "text/plain"
        elif mode == "portal":
            status, raw, encoding, ctype = 200, PORTAL, None, "text/html; charset=utf-8"
        return status, raw, {"Content-Type": ctype, "Content-Encoding": encoding}


@pytest.fixture
def tamper(live):
    t = Tamper(live.url)
    yield t
    t.close()


def _snapshot(console):
    return (console.sql("SELECT id, revision, title FROM report ORDER BY id"),
            console.call(state.get_int, state.CURSOR),
            console.sql("SELECT id FROM outbox ORDER BY seq"),
            console.scalar("SELECT count(*) FROM report_event"))


@pytest.mark.parametrize("mode, error, words", [
    ("truncated_gzip", BadResponse, "cut off"),
    ("corrupt_gzip", BadResponse, "corrupt"),
    ("malformed_json", BadResponse, "not valid JSON"),
    ("wrong_shape", BadResponse, "change page"),
    ("500", ServerError, "HTTP 500"),
    ("portal", CaptivePortal, "web page"),
])
def test_bad_answers_back_off_and_lose_nothing(make_console, tamper, mode, error, words):
    source = make_console()
    for i in range(30):
        new_report(source, title=f"Laporan {i}")
    source.sync()
    c = make_console(tamper.url)
    local = new_report(c, title="Dibuat saat link buruk")
    tamper.mode = mode
    tamper.paths = ("/v1/pull", "/v1/push") if mode in ("500", "portal") else ("/v1/pull",)
    before = _snapshot(c)
    with pytest.raises(error) as info:
        c.engine.run_cycle()
    assert words in str(info.value)
    after = _snapshot(c)
    if mode in ("500", "portal"):
        assert after == before
    else:  # the push went through (confirmed); the pull did not move anything
        assert after[1] == before[1] and after[3] == before[3]
        assert {r[0] for r in after[0]} == {r[0] for r in before[0]}
    c.engine.record_failure(info.value, Backoff().next_delay())
    status = c.engine.status
    assert status.state in ("degraded", "offline") and words in status.message
    assert status.retry_in_s is not None and 0 < status.retry_in_s <= 300
    tamper.mode = None
    assert c.engine.run_cycle().complete
    assert c.scalar("SELECT count(*) FROM report WHERE created_by = ?", source.username) == 30
    assert c.scalar("SELECT count(*) FROM outbox") == 0
    assert c.scalar("SELECT count(*) FROM report WHERE id = ?", local) == 1


def test_a_full_disk_during_apply_leaves_nothing_half_written(make_console, monkeypatch):
    source = make_console()
    ids = [new_report(source, title=f"Laporan {i}") for i in range(20)]
    source.call(lambda conn: _note_each(conn, source.username, ids))
    source.sync()
    c = make_console()
    before = _snapshot(c)

    def disk_full(*_a, **_k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(puller, "_apply_children", disk_full)
    with pytest.raises(LocalStoreError, match="disk of this computer is full"):
        c.engine.run_cycle()
    assert _snapshot(c) == before  # the reports of that page were rolled back with it
    assert c.scalar("PRAGMA integrity_check") == "ok"
    monkeypatch.undo()
    assert c.engine.run_cycle().complete
    assert c.scalar(f"SELECT count(*) FROM report WHERE id IN ({','.join('?' * len(ids))})", *ids) == 20
    assert c.scalar("SELECT count(*) FROM note WHERE author = ?", source.username) == 20


def _note_each(conn, actor, ids):
    from console.operations.reports import add_note

    for rid in ids:
        add_note(conn, actor, rid, "Sudah dicek petugas")


def test_a_clock_one_day_off(make_console):
    c = make_console()
    c.engine.transport.wall_clock = lambda: time.time() + 86400
    tomorrow = utcnow() + timedelta(days=1)
    (rid,) = c.call(create_report, c.username, NewReport(
        channel="phone", category_code="sampah", title="Jam komputer salah", region_code=KEL),
        now=tomorrow).created
    report = c.sync()
    assert report.complete
    status = c.engine.status
    assert status.clock_skew_s == pytest.approx(-86400, abs=60)
    assert "clock is off by 1.0 day" in status.message
    other = make_console()
    other.sync()
    assert other.scalar("SELECT count(*) FROM report WHERE id = ?", rid) == 1
