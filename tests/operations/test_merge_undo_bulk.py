"""Merge, undo and bulk actions: one transaction each, timeline kept, the outbox right."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from console.domain.geo import CITY_BOUNDS
from console.operations import bulk, merge, reports, undo
from console.operations.base import OperationError, StaleReport
from console.operations.intake import NewReport, create_report
from console.store import detail as detail_store

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _kel(conn):
    return conn.execute("SELECT code FROM region WHERE level='kelurahan' ORDER BY code LIMIT 1"
                        ).fetchone()[0]


def _new(conn, **kw):
    data = dict(channel="phone_112", category_code="kebakaran", title="Rumah terbakar",
                lat=-6.917, lon=107.609, region_code=_kel(conn), reporter_phone="0812345678")
    now = kw.pop("now", NOW)
    data.update(kw)
    (rid,) = create_report(conn, "op1", NewReport(**data), bounds=CITY_BOUNDS["bandung"],
                           now=now).created
    return rid


def _row(conn, rid):
    return reports.load_report(conn, rid)


def _events(conn, rid):
    return conn.execute("SELECT kind, field, old_value, new_value, detail FROM report_event "
                        "WHERE report_id = ? ORDER BY at, rowid", (rid,)).fetchall()


def _outbox(conn, rid):
    return conn.execute("SELECT op, base_revision, payload FROM outbox WHERE entity_id = ? "
                        "ORDER BY seq", (rid,)).fetchall()


def test_triage_undo_restores_fields_keeps_timeline_and_withdraws_unsent_patch(conn):
    rid = _new(conn)
    before = _row(conn, rid)
    done = undo.act_with_undo(conn, "op1", rid, "triage", triage="prank", expected_revision=1,
                              now=NOW)
    assert done.changes.report_ids == {rid}
    token = done.token
    assert token.before["status"] == "new" and token.revision == 2
    assert _row(conn, rid)["status"] == "prank"
    assert [o[0] for o in _outbox(conn, rid)] == ["create", "patch"]
    undo.undo(conn, "op1", token, now=NOW + timedelta(seconds=3))
    after = _row(conn, rid)
    for name in ("status", "priority", "triage", "sla_due_at", "closed_at", "revision"):
        assert after[name] == before[name], name
    # The triage and its undo are both on the timeline; the unsent patch is withdrawn.
    events = _events(conn, rid)
    assert [e[0] for e in events].count("status") == 2
    assert any(e[4] and json.loads(e[4]).get("undo") == "triage" for e in events)
    assert [o[0] for o in _outbox(conn, rid)] == ["create"]


def test_undo_is_refused_when_late_changed_or_sent(conn):
    rid = _new(conn)
    token = undo.act_with_undo(conn, "op1", rid, "verify", now=NOW).token
    with pytest.raises(OperationError, match="too late"):
        undo.undo(conn, "op1", token, now=NOW + timedelta(seconds=60))
    conn.execute("UPDATE outbox SET attempts = 1 WHERE entity_id = ? AND op = 'patch'", (rid,))
    conn.commit()
    with pytest.raises(OperationError, match="already sent"):
        undo.undo(conn, "op1", token, now=NOW)
    rid2 = _new(conn)
    token = undo.act_with_undo(conn, "op1", rid2, "verify", now=NOW).token
    reports.add_note(conn, "op2", rid2, "catatan", now=NOW)  # a note keeps the revision
    reports.dispatch(conn, "op2", rid2, ["damkar"], now=NOW)  # this changes it
    with pytest.raises(StaleReport):
        undo.undo(conn, "op1", token, now=NOW)
    assert _row(conn, rid2)["status"] == "dispatched"


def test_stale_action_is_refused(conn):
    rid = _new(conn)
    reports.verify(conn, "op2", rid, now=NOW)
    with pytest.raises(StaleReport):
        undo.act_with_undo(conn, "op1", rid, "triage", triage="ghost", expected_revision=1)


def test_merge_marks_duplicate_and_joins_timelines(conn):
    original = _new(conn, title="Kebakaran gudang")
    duplicate = _new(conn, title="Gudang terbakar", now=NOW + timedelta(minutes=4))
    changes = merge.merge_reports(conn, "op1", duplicate, original, expected_revision=1,
                                  now=NOW + timedelta(minutes=5))
    assert changes.report_ids == {duplicate, original}
    dup = _row(conn, duplicate)
    assert dup["status"] == "duplicate" and dup["duplicate_of"] == original
    assert dup["closed_at"] is not None
    (payload,) = [json.loads(o[2]) for o in _outbox(conn, duplicate) if o[0] == "patch"]
    assert payload["fields"]["duplicate_of"] == original and payload["fields"]["status"] == "duplicate"
    # The original's timeline shows both reports' events; the duplicate keeps its own.
    timeline = detail_store.fetch_timeline(conn, original)
    assert {e.report_id for e in timeline} == {original, duplicate}
    assert any(e.kind == "merge" and e.report_id == original for e in timeline)
    assert {e.report_id for e in detail_store.fetch_timeline(conn, duplicate)} == {duplicate}
    pk = detail_store.pk_of(conn, original)
    bundle = detail_store.fetch_bundle(conn, pk)
    assert [m["id"] for m in bundle.merged] == [duplicate]
    dup_bundle = detail_store.fetch_bundle(conn, detail_store.pk_of(conn, duplicate))
    assert dup_bundle.original["id"] == original


def test_merge_refusals(conn):
    a, b, c = _new(conn), _new(conn), _new(conn)
    with pytest.raises(OperationError, match="itself"):
        merge.merge_reports(conn, "op1", a, a)
    merge.merge_reports(conn, "op1", b, a)
    with pytest.raises(OperationError, match="itself a duplicate"):
        merge.merge_reports(conn, "op1", c, b)
    reports.triage(conn, "op1", c, "prank")
    with pytest.raises(OperationError):
        merge.merge_reports(conn, "op1", a, c)


def test_create_as_duplicate_saves_and_merges(conn):
    original = _new(conn)
    data = NewReport(channel="phone_112", category_code="kebakaran", title="Asap tebal",
                     lat=-6.9171, lon=107.6091, region_code=_kel(conn))
    changes = merge.create_as_duplicate(conn, "op1", data, original,
                                        bounds=CITY_BOUNDS["bandung"], now=NOW)
    (new_id,) = changes.created
    assert _row(conn, new_id)["duplicate_of"] == original
    assert changes.report_ids == {new_id, original}


def test_suggest_original_prefers_progress_then_age(conn):
    a = {"status": "new", "created_at": "2026-01-02", "ticket": "A"}
    b = {"status": "dispatched", "created_at": "2026-01-03", "ticket": "B"}
    c = {"status": "new", "created_at": "2026-01-01", "ticket": "C"}
    assert merge.suggest_original(a, b)[0] is b
    assert merge.suggest_original(a, c)[0] is c


def test_bulk_applies_each_alone_and_reports_refusals(conn):
    ids = [_new(conn) for _ in range(4)]
    reports.verify(conn, "op2", ids[1], now=NOW)  # changed under us: stale
    calls = []
    result = bulk.apply_many(conn, "op1", [(i, 1) for i in ids], "triage", triage="ghost",
                             now=NOW, progress=lambda n, total: calls.append((n, total)))
    assert sorted(result.done) == sorted([ids[0], ids[2], ids[3]])
    assert result.stale == [ids[1]] and ids[1] in result.failed
    assert calls[-1] == (4, 4) and len(result.tokens) == 3
    assert result.changes.report_ids == set(ids)
    undone = bulk.undo_many(conn, "op1", result.tokens, now=NOW + timedelta(seconds=2))
    assert sorted(undone.done) == sorted(result.done)
    assert {_row(conn, i)["status"] for i in result.done} == {"new"}
    # Illegal moves are refused one by one.
    result = bulk.apply_many(conn, "op1", [(ids[1], None), (ids[0], None)], "close", now=NOW)
    assert set(result.illegal) == {ids[1], ids[0]}
    result = bulk.apply_many(conn, "op1", [(ids[1], None)], "dispatch", agencies=["damkar"],
                             note="segera", now=NOW)
    assert result.done == [ids[1]]
    with pytest.raises(OperationError):
        bulk.apply_many(conn, "op1", [(ids[0], None)], "merge")
