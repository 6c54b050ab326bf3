"""Demo data: realistic, consistent with the workflow, searchable, deterministic."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest

from console.demo.bulk import seed_demo
from console.demo.generate import REPORT_COLUMNS, generate
from console.domain.catalog import Channel
from console.domain.geo import CITY_BOUNDS
from console.domain.priority import default_priority
from console.domain.workflow import OPEN_STATUSES, TRANSITIONS, Action, Status
from console.store.models import to_db
from console.store.regions import CITIES

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
N = 500
CITY_BY_CODE = {c.kemendagri: key for key, c in CITIES.items()}
PREFIX = {key: c.ticket_prefix for key, c in CITIES.items()}


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' "
        "ORDER BY type, name"
    ).fetchall()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "posko.sqlite3"
    # encrypt=False: `posko demo` keeps a demo folder's database plain (issue 12)
    stats = seed_demo(path, reports=N, seed=3, weeks=6, now=NOW, chunk=200, encrypt=False)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield path, stats, conn
    conn.close()


@pytest.fixture(scope="module")
def reports(seeded):
    _, _, conn = seeded
    return [dict(r) for r in conn.execute("SELECT * FROM report ORDER BY pk")]


@pytest.fixture(scope="module")
def events(seeded):
    _, _, conn = seeded
    out = defaultdict(list)
    for r in conn.execute("SELECT * FROM report_event ORDER BY report_id, at"):
        out[r["report_id"]].append(dict(r))
    return out


def test_counts_and_stats(seeded, reports):
    _, stats, conn = seeded
    assert stats["reports"] == len(reports) == N
    assert stats["events"] == conn.execute("SELECT count(*) FROM report_event").fetchone()[0]
    assert stats["dispatches"] == conn.execute("SELECT count(*) FROM dispatch").fetchone()[0]
    assert stats["method"] == "fresh"
    assert conn.execute("SELECT count(*) FROM operator").fetchone()[0] >= 5
    roles = {r[0] for r in conn.execute("SELECT role FROM operator")}
    assert roles == {"operator", "kelurahan", "supervisor", "admin"}


def test_every_channel_and_city_mix(reports):
    channels = Counter(r["channel"] for r in reports)
    assert set(channels) == {str(c) for c in Channel}
    bandung = sum(r["region_code"].startswith("3273") for r in reports) / len(reports)
    assert 0.55 < bandung < 0.78  # 2/3 by default


def test_112_mix_dominated_by_prank_and_ghost(reports):
    calls = [r for r in reports if r["channel"] == "phone_112"]
    assert len(calls) > 100
    triage = Counter(r["triage"] for r in calls)
    assert (triage["prank"] + triage["ghost"]) / len(calls) > 0.65
    assert triage["ghost"] > triage["prank"] > triage["information"] > triage["emergency"]
    assert triage["emergency"] / len(calls) < 0.08
    assert all(r["triage"] is None for r in reports if r["channel"] != "phone_112")
    for r in calls:
        if r["triage"] in ("prank", "ghost"):
            assert r["status"] == r["triage"]  # decided within seconds, long before NOW


def _actions_of(event: dict) -> str:
    return json.loads(event["detail"])["action"]


def test_status_paths_are_legal_and_timestamps_increase(reports, events):
    now_text = to_db(NOW)
    for r in reports:
        timeline = events[r["id"]]
        assert timeline[0]["kind"] == "created" and timeline[0]["at"] == r["created_at"]
        status = Status.NEW
        stamps: dict[str, str] = {}
        previous = r["created_at"]
        dispatch_actions = 0
        for e in timeline[1:]:
            assert e["at"] > previous, "timeline must strictly increase"
            previous = e["at"]
            action = Action(_actions_of(e))
            target = TRANSITIONS[(status, action)]  # KeyError = illegal move
            if e["kind"] == "status":
                assert e["old_value"] == status and e["new_value"] == target != status
                assert e["field"] == "status"
                if target in (Status.VERIFIED, Status.DISPATCHED):
                    stamps.setdefault(target, e["at"])
                elif target is Status.RESOLVED:
                    stamps[target] = e["at"]
                elif target not in (Status.IN_PROGRESS,):
                    stamps["closed"] = e["at"]
            else:
                assert e["kind"] == "dispatch" and target == status
            if action is Action.DISPATCH:
                dispatch_actions += 1
            assert e["actor"] and e["actor"] != "sistem"
            status = target
        assert r["status"] == status
        assert r["revision"] == len(timeline)  # 1 + one change per action
        assert r["updated_at"] == previous <= now_text
        assert r["verified_at"] == stamps.get(Status.VERIFIED)
        assert r["dispatched_at"] == stamps.get(Status.DISPATCHED)
        assert r["resolved_at"] == stamps.get(Status.RESOLVED)
        assert r["closed_at"] == stamps.get("closed")
        chain = [r["created_at"], r["verified_at"], r["dispatched_at"], r["resolved_at"],
                 r["closed_at"]]
        chain = [c for c in chain if c is not None]
        assert chain == sorted(chain)
        r["_dispatch_actions"] = dispatch_actions


def test_status_mix_depends_on_age(reports):
    statuses = Counter(r["status"] for r in reports)
    assert statuses["closed"] > statuses["new"]
    for s in ("rejected", "not_authority", "duplicate", "prank", "ghost", "resolved"):
        assert statuses[s] > 0, s
    old = [r for r in reports if r["created_at"] < "2026-10-30"]
    recent = [r for r in reports if r["created_at"] > "2026-11-19 12"]
    assert old and recent
    open_ = {str(s) for s in OPEN_STATUSES}
    old_open = sum(r["status"] in open_ for r in old) / len(old)
    recent_open = sum(r["status"] in open_ for r in recent) / len(recent)
    assert old_open < 0.1 < recent_open


def test_dispatches_duplicates_priorities_sla(seeded, reports, events):
    _, _, conn = seeded
    by_id = {r["id"]: r for r in reports}
    rows = defaultdict(list)
    for d in conn.execute("SELECT * FROM dispatch ORDER BY at"):
        rows[d["report_id"]].append(dict(d))
    for r in reports:
        mine = rows.get(r["id"], [])
        n_actions = sum(_actions_of(e) == "dispatch" for e in events[r["id"]][1:])
        assert len(mine) == n_actions
        if mine:
            assert r["assigned_agency"] == mine[0]["agency_code"]
            assert r["dispatched_at"] == mine[0]["at"]
            assert all(d["by"] for d in mine)
        else:
            assert r["assigned_agency"] is None and r["dispatched_at"] is None
        if r["status"] == "duplicate":
            target = by_id[r["duplicate_of"]]
            assert target["created_at"] < r["created_at"] and target["id"] != r["id"]
        else:
            assert r["duplicate_of"] is None
        assert r["priority"] == default_priority(r["category_code"], r["channel"], r["triage"])
        if r["status"] in {str(s) for s in OPEN_STATUSES}:
            assert r["sla_due_at"] is not None and r["sla_due_at"] > r["created_at"]
        else:
            assert r["sla_due_at"] is None


def test_places_people_and_tickets(seeded, reports):
    _, _, conn = seeded
    kelurahan = {row[0] for row in conn.execute("SELECT code FROM region WHERE level = 'kelurahan'")}
    tickets = [r["ticket"] for r in reports]
    assert len(set(tickets)) == len(tickets)
    for r in reports:
        city = CITY_BY_CODE[r["region_code"][:4]]
        assert r["region_code"] in kelurahan
        assert CITY_BOUNDS[city].contains(r["lat"], r["lon"])
        assert re.fullmatch(rf"{PREFIX[city]}-\d{{6}}-\d{{5}}", r["ticket"])
        if r["reporter_phone"] is not None:
            assert re.fullmatch(r"08\d{9,10}", r["reporter_phone"])
        assert r["title"] and r["description"]
    titles = {r["title"] for r in reports}
    assert len(titles) > 150  # varied, not one template repeated


def test_fts_finds_by_title_word_and_ticket(seeded, reports):
    _, _, conn = seeded
    r = next(x for x in reports if x["category_code"] == "jalan_rusak")
    word = max(re.findall(r"[A-Za-z]{4,}", r["title"]), key=len)
    hits = {row[0] for row in conn.execute(
        "SELECT rowid FROM report_fts WHERE report_fts MATCH ?", (f'"{word}"',))}
    assert r["pk"] in hits
    ticket = reports[-1]["ticket"]
    hits = [row[0] for row in conn.execute(
        "SELECT rowid FROM report_fts WHERE report_fts MATCH ?",
        (f'ticket : "{ticket}"',))]
    assert hits == [reports[-1]["pk"]]


def test_database_integrity(seeded):
    path, _, conn = seeded
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO report_fts(report_fts) VALUES('integrity-check')")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    hashsize = conn.execute("SELECT v FROM report_fts_config WHERE k = 'hashsize'").fetchone()
    assert hashsize is None or int(hashsize[0]) == 1024 * 1024


def test_second_run_appends_with_live_indexes(tmp_path):
    path = tmp_path / "posko.sqlite3"
    first = seed_demo(path, reports=150, seed=1, now=NOW, chunk=60, encrypt=False)
    conn = sqlite3.connect(path)
    schema = _schema(conn)
    conn.close()
    second = seed_demo(path, reports=150, seed=1, now=NOW, chunk=60, encrypt=False)
    assert (first["method"], second["method"]) == ("fresh", "chunked")
    assert not second["reference"]["seeded"]
    conn = sqlite3.connect(path)
    try:
        assert _schema(conn) == schema  # trigger and indexes exactly as the migration made
        assert conn.execute("SELECT count(*), count(DISTINCT id), count(DISTINCT ticket) "
                            "FROM report").fetchone() == (300, 300, 300)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO report_fts(report_fts) VALUES('integrity-check')")
        n = conn.execute("SELECT count(*) FROM report_fts WHERE report_fts MATCH 'jalan'"
                         ).fetchone()[0]
        token = re.compile(r"(?<![0-9a-z])jalan(?![0-9a-z])")
        expected = sum(
            bool(token.search(" ".join(filter(None, row)).lower()))
            for row in conn.execute("SELECT ticket, title, description, address FROM report")
        )
        assert n == expected > 0
    finally:
        conn.close()


def test_parallel_generation_gives_the_same_rows(tmp_path):
    a = seed_demo(tmp_path / "a.sqlite3", reports=120, seed=9, now=NOW, chunk=50, encrypt=False,
                  parallel=True)
    b = seed_demo(tmp_path / "b.sqlite3", reports=120, seed=9, now=NOW, chunk=50, encrypt=False,
                  parallel=False)
    assert a["parallel"] and not b["parallel"]
    rows = []
    for name in ("a", "b"):
        conn = sqlite3.connect(tmp_path / f"{name}.sqlite3")
        rows.append(conn.execute(
            "SELECT r.*, (SELECT group_concat(id || at, ',') FROM report_event e "
            "WHERE e.report_id = r.id) FROM report r ORDER BY pk").fetchall())
        conn.close()
    assert rows[0] == rows[1] and len(rows[0]) == 120


def test_generator_is_deterministic():
    def rows(seed):
        out = []
        for batch in generate(300, seed=seed, now=NOW, chunk=70):
            out.append((batch.reports, batch.events, batch.dispatches))
        return out

    assert rows(5) == rows(5)
    assert rows(5) != rows(6)
    first = rows(5)
    assert sum(len(b[0]) for b in first) == 300
    created = [r[REPORT_COLUMNS.index("created_at")] for b in first for r in b[0]]
    assert created == sorted(created)


def test_one_city_only():
    batches = list(generate(100, seed=1, now=NOW, cities=["semarang"]))
    regions = {r[REPORT_COLUMNS.index("region_code")][:4] for b in batches for r in b.reports}
    assert regions == {"3374"}
    with pytest.raises(KeyError, match="bandung"):
        list(generate(10, now=NOW, cities=["jakarta"]))


def test_each_demo_kelurahan_desk_has_work_on_any_day():
    # The demo's kelurahan desk (kel.campaka) once synced 0 reports: with ~150 kelurahan
    # and 120 reports, a day whose draws skipped Campaka left that desk empty.
    from datetime import timedelta

    from console.demo.generate import DEMO_OPERATORS
    from console.store.regions import region_rows

    homes = {r["code"] for r in region_rows("bandung") if r["level"] == "kelurahan"
             and r["name"] in {o.kelurahan for o in DEMO_OPERATORS if o.city == "bandung"}}
    assert len(homes) == 2
    for day in range(30):
        now = NOW + timedelta(days=day, minutes=37 * day)
        got = Counter(r[REPORT_COLUMNS.index("region_code")]
                      for b in generate(120, seed=1, now=now, cities=["bandung"])
                      for r in b.reports)
        for code in homes:
            assert 5 <= got[code] <= 35, (now, code, got[code])


def test_newest_112_calls_wait_untriaged_at_the_top_of_the_queue(seeded, reports):
    """The demo opens with a handful of fresh 112 calls to try the triage keys 1-4 on:
    minutes old, status new, no triage, no timeline beyond their creation, and the first
    rows of the operator's default queue."""
    from console.store.queue import QueueFilter, fetch_page

    _, _, conn = seeded
    waiting = [r for r in reports if r["channel"] == "phone_112" and r["triage"] is None]
    assert len(waiting) == 5
    for r in waiting:
        assert r["status"] == "new"
        age = NOW - datetime.fromisoformat(r["created_at"]).replace(tzinfo=UTC)
        assert 0 < age.total_seconds() < 15 * 60
        kinds = [e[0] for e in conn.execute(
            "SELECT kind FROM report_event WHERE report_id = ?", (r["id"],))]
        assert kinds == ["created"]
    rows, _ = fetch_page(sqlite3.connect(seeded[0]), QueueFilter.open_queue(), limit=5)
    assert {row.id for row in rows} == {r["id"] for r in waiting}
    # Not five copies of one call: a silent one (no address given) and urgent-sounding ones.
    assert any(r["address"] is None for r in waiting)
    assert any(r["priority"] == 1 for r in waiting)
    assert len({r["title"] for r in waiting}) >= 4
