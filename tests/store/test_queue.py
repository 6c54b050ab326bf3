"""The queue queries against a real (small) Posko database file.

Rows are inserted with plain SQL so these tests depend on nothing but the schema. Every
filter is checked against a direct SQL count, every sort against an independent Python
ordering, and every page boundary (with many equal sort keys) for gaps and duplicates.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from console.store import outbox
from console.store import queue as q
from console.store.db import open_database
from console.store.models import to_db
from console.store.queue import caches, filters, order, pages, search, walk

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
WORKFLOW = [
    "new", "verified", "dispatched", "in_progress", "resolved", "closed",
    "rejected", "not_authority", "duplicate", "prank", "ghost",
]  # fmt: skip
OPEN = ("new", "verified", "dispatched", "in_progress")
CHANNELS = ["app", "sms", "whatsapp", "phone_112", "walk_in"]
CATEGORIES = [  # code, name_id, name_en: name order differs from code order on purpose
    ("banjir", "Banjir", "Flood"),
    ("jalan", "Jalan rusak", "Damaged road"),
    ("sampah", "Sampah", "Waste"),
    ("lampu", "Lampu jalan mati", "Street light out"),
    ("kebakaran", "Kebakaran", "Fire"),
]
AGENCIES = [("pupr", "Dinas PUPR", "Public works"), ("damkar", "Damkar", "Fire brigade"),
            ("dlh", "DLH", "Environment")]  # fmt: skip
REGIONS = [  # code, name, level, parent
    ("3273", "Kota Bandung", "kota", None),
    ("3273-10", "Coblong", "kecamatan", "3273"),
    ("3273-10-1", "Dago", "kelurahan", "3273-10"),
    ("3273-10-2", "Lebak Siliwangi", "kelurahan", "3273-10"),
    ("3273-101", "Arcamanik", "kecamatan", "3273"),  # shares the text prefix "3273-10"
    ("3273-101-1", "Sukamiskin", "kelurahan", "3273-101"),
    ("3273-11", "Sumur Bandung", "kecamatan", "3273"),
    ("3273-11-1", "Braga", "kelurahan", "3273-11"),
]
WORDS = "jalan rusak banjir sampah lampu mati pohon tumbang selokan macet parkir liar".split()
N_ROWS = 300

COLUMNS = (
    "pk, id, ticket, channel, category_code, priority, status, title, description, address, "
    "region_code, created_at, updated_at, sla_due_at, assigned_agency, revision"
)


def populate(conn: sqlite3.Connection, n: int = N_ROWS, seed: int = 7) -> None:
    rnd = random.Random(seed)
    conn.executemany("INSERT INTO agency(code, name_id, name_en, kind) VALUES (?,?,?,'city')",
                     AGENCIES)  # fmt: skip
    conn.executemany(
        "INSERT INTO category(code, name_id, name_en, default_priority, sla_verify_days, "
        "sla_followup_days, emergency) VALUES (?,?,?,3,3,5,0)",
        CATEGORIES,
    )
    conn.executemany("INSERT INTO region(code, name, level, parent_code) VALUES (?,?,?,?)", REGIONS)
    # Only 12 distinct creation times: lots of equal sort keys across page boundaries.
    times = [NOW - timedelta(hours=7 * i) for i in range(12)]
    rows = []
    for pk in range(1, n + 1):
        created = rnd.choice(times)
        sla = (
            None
            if rnd.random() < 0.2
            else rnd.choice(times) + timedelta(days=rnd.choice([-1, 1, 2]))
        )
        rows.append((
            pk, f"00000000-0000-4000-8000-{pk:012d}", f"BDG-2611-{pk:05d}", rnd.choice(CHANNELS),
            rnd.choice(CATEGORIES)[0], rnd.choice([1, 2, 3, 3, 4]), rnd.choice(WORKFLOW),
            " ".join(rnd.choice(WORDS) for _ in range(3)), "laporan warga",
            f"Jl. Contoh No. {pk}", rnd.choice([r[0] for r in REGIONS] + [None]),
            to_db(created), to_db(created), to_db(sla),
            rnd.choice([a[0] for a in AGENCIES] + [None]), 1,
        ))  # fmt: skip
    conn.executemany(f"INSERT INTO report({COLUMNS}) VALUES ({','.join('?' * 16)})", rows)
    conn.execute(
        "UPDATE report SET title = 'Pohon tumbang di Jalan Braga', status = 'new' WHERE pk = 17"
    )
    conn.execute(
        "UPDATE report SET title = ? WHERE pk = 18", ("<script>alert(1)</script><b>x</b>",)
    )
    conn.execute(
        "UPDATE report SET title = 'Kafé Ñusantara: jalan-jalan sore', "
        "address = 'Gg. Mawar No. 7B' WHERE pk = 19"
    )

    conn.commit()


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    db = open_database(tmp_path_factory.mktemp("queue") / "posko.sqlite3")
    c = db.raw()
    populate(c)
    yield c
    c.close()
    db.dispose()


def all_pages(conn, flt, sort, limit=7, **kw):
    rows, cursor, pages = [], None, 0
    while True:
        page, cursor = q.fetch_page(conn, flt, sort, cursor, limit, **kw)
        assert len(page) <= limit
        rows += page
        pages += 1
        assert pages < 1000
        if cursor is None:
            return rows


# ------------------------------------------------------------------------ reference order


def reference_order(conn, flt_sql: str, params, sort: q.QueueSort, lang: str = "id") -> list[int]:
    """The order each sort promises, written independently of console/store/queue (stable sorts,
    least significant key first)."""
    name = "name_en" if lang == "en" else "name_id"
    rows = conn.execute(
        f"SELECT r.pk, r.ticket, r.priority, r.sla_due_at, r.category_code, c.{name}, "
        f"r.region_code, g.name, r.status, r.channel, r.created_at, r.assigned_agency, a.{name} "
        "FROM report r JOIN category c ON c.code = r.category_code "
        "LEFT JOIN region g ON g.code = r.region_code "
        "LEFT JOIN agency a ON a.code = r.assigned_agency "
        f"WHERE {flt_sql}",
        params,
    ).fetchall()
    d = sort.descending
    newest = lambda rs: sorted(rs, key=lambda r: (r[10], r[0]), reverse=True)  # noqa: E731

    def nulls_last(rs, present, key, inner=newest):
        have = sorted(inner([r for r in rs if present(r)]), key=key, reverse=d)
        return have + inner([r for r in rs if not present(r)])

    k = sort.key
    if k == "ticket":
        out = sorted(rows, key=lambda r: (r[1], r[0]), reverse=d)
    elif k == "created_at":
        out = sorted(rows, key=lambda r: (r[10], r[0]), reverse=d)
    elif k == "priority":
        out = sorted(newest(rows), key=lambda r: r[2], reverse=d)
    elif k == "status":
        out = sorted(newest(rows), key=lambda r: r[2])
        out = sorted(out, key=lambda r: WORKFLOW.index(r[8]), reverse=d)
    elif k == "sla_due_at":
        have = sorted([r for r in rows if r[3] is not None], key=lambda r: (r[3], r[0]), reverse=d)
        out = have + sorted([r for r in rows if r[3] is None], key=lambda r: r[0], reverse=True)
    elif k == "category":
        out = sorted(newest(rows), key=lambda r: (r[5], r[4]), reverse=d)
    elif k == "region":
        out = nulls_last(rows, lambda r: r[6] is not None, lambda r: (r[7], r[6]))
    elif k == "channel":
        out = sorted(newest(rows), key=lambda r: r[9], reverse=d)
    elif k == "agency":
        by_pk = lambda rs: sorted(rs, key=lambda r: r[0], reverse=True)  # noqa: E731
        out = nulls_last(rows, lambda r: r[11] is not None, lambda r: (r[12], r[11]), by_pk)
    else:
        raise AssertionError(k)
    return [r[0] for r in out]


# ---------------------------------------------------------------------------------- tests


def _in(values):
    return ",".join("?" * len(values))


FILTERS = [
    ("all", q.QueueFilter(), "1", []),
    ("open", q.QueueFilter.open_queue(), f"r.status IN ({_in(OPEN)})", list(OPEN)),
    ("one status", q.QueueFilter(statuses=["closed"]), "r.status = 'closed'", []),
    ("priorities", q.QueueFilter(priorities=[1, 2]), "r.priority IN (1, 2)", []),
    ("categories", q.QueueFilter(categories={"banjir", "lampu"}),
     "r.category_code IN ('banjir', 'lampu')", []),
    ("channels", q.QueueFilter(channels=["sms"]), "r.channel = 'sms'", []),
    ("kecamatan", q.QueueFilter(region_prefix="3273-10"),
     "r.region_code IN ('3273-10', '3273-10-1', '3273-10-2')", []),
    ("kelurahan", q.QueueFilter(region_prefix="3273-11-1"), "r.region_code = '3273-11-1'", []),
    ("kota", q.QueueFilter(region_prefix="3273"), "r.region_code IS NOT NULL", []),
    ("created range", q.QueueFilter(created_from=NOW - timedelta(hours=30), created_to=NOW),
     "r.created_at >= ? AND r.created_at < ?", [to_db(NOW - timedelta(hours=30)), to_db(NOW)]),
    ("overdue", q.QueueFilter(overdue_only=True, now=NOW),
     f"r.sla_due_at < ? AND r.status IN ({_in(OPEN)})", [to_db(NOW), *OPEN]),
    ("combined", q.QueueFilter(statuses=OPEN, priorities=[1, 2, 3], channels=["sms", "app"],
                               region_prefix="3273-10"),
     f"r.status IN ({_in(OPEN)}) AND r.priority <= 3 AND r.channel IN ('sms','app') "
     "AND r.region_code IN ('3273-10', '3273-10-1', '3273-10-2')", list(OPEN)),
    ("agencies", q.QueueFilter(agencies=["pupr", "dlh"]),
     "r.assigned_agency IN ('pupr', 'dlh')", []),
    ("empty set", q.QueueFilter(statuses=[]), "0", []),
]  # fmt: skip


@pytest.mark.parametrize(("name", "flt", "sql", "params"), FILTERS, ids=[f[0] for f in FILTERS])
def test_each_filter_narrows_like_direct_sql(conn, name, flt, sql, params):
    expected = conn.execute(f"SELECT count(*) FROM report r WHERE {sql}", params).fetchone()[0]
    if name not in ("all", "empty set"):
        assert 0 < expected < N_ROWS, "fixture must make this filter meaningful"
    assert q.count(conn, flt) == expected
    rows = all_pages(conn, flt, q.DEFAULT_SORT, limit=50)
    assert len(rows) == expected
    pks = [r.pk for r in rows]
    direct = {r[0] for r in conn.execute(f"SELECT pk FROM report r WHERE {sql}", params)}
    assert set(pks) == direct


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", q.SORT_KEYS)
@pytest.mark.parametrize(
    ("flt", "sql", "params"),
    [
        (q.QueueFilter(), "1", []),
        (q.QueueFilter.open_queue(), f"r.status IN ({_in(OPEN)})", list(OPEN)),
        (
            q.QueueFilter(priorities=[2, 3], region_prefix="3273-10"),
            "r.priority IN (2, 3) AND r.region_code IN ('3273-10', '3273-10-1', '3273-10-2')",
            [],
        ),
        (q.QueueFilter(agencies=["damkar"]), "r.assigned_agency = 'damkar'", []),
    ],  # fmt: skip
    ids=["all", "open", "prio+region", "agency"],
)
def test_keyset_pages_concatenate_to_the_full_order(conn, key, descending, flt, sql, params):
    sort = q.QueueSort(key, descending)
    got = [r.pk for r in all_pages(conn, flt, sort, limit=7)]
    assert len(got) == len(set(got)), "a row appeared on two pages"
    assert got == reference_order(conn, sql, params, sort)


def test_category_and_agency_sort_follow_the_language(conn):
    sort = q.QueueSort("category")
    got = [r.pk for r in all_pages(conn, q.QueueFilter(), sort, limit=40, lang="en")]
    assert got == reference_order(conn, "1", [], sort, lang="en")
    rows, _ = q.fetch_page(conn, q.QueueFilter(categories=["kebakaran"]), lang="en")
    assert rows and {r.category_name for r in rows} == {"Fire"}


def test_pages_never_use_offset(conn):
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        all_pages(conn, q.QueueFilter.open_queue(), q.DEFAULT_SORT, limit=10)
        all_pages(conn, q.QueueFilter(search="jalan"), q.QueueSort("region"), limit=10)
    finally:
        conn.set_trace_callback(None)
    assert seen and not [s for s in seen if "OFFSET" in s.upper()]


def test_default_queue_walks_the_status_index_in_order(conn):
    """The open queue sorted by priority reads ix_report_status_priority_created with
    equalities on status and priority: no sort of all open reports."""
    flt = q.QueueFilter.open_queue()
    seg = next(order.segments(conn, flt, q.DEFAULT_SORT, "id"))
    sql, params = walk.segment_sql(seg, filters.base_where(flt, set(seg.skip), NOW), None, 100)
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    walks = [p for p in plan if p.startswith("SEARCH")]
    assert len(walks) == len(OPEN)
    assert all("ix_report_status_priority_created (status=? AND priority=?)" in p for p in walks)


EVIL = [
    "'\"", '"', "NEAR(", "NEAR(a b", "a AND", "AND", "OR NOT", "*", "-x", "^a", "title:x", "a:b",
    "(", ")", "'; DROP TABLE report;--", '"; DROP TABLE report; --', "\\", "%", "_", "{a b}",
    "a + b", "\x00", "ǅ", "\u200b", "   ", "ab*c", '"jalan', "jalan\"'", "x" * 500,
]  # fmt: skip


@pytest.mark.parametrize("text", EVIL)
def test_evil_search_text_never_raises_nor_injects(conn, text):
    flt = q.QueueFilter(search=text)
    rows, _ = q.fetch_page(conn, flt)
    assert q.count(conn, flt) >= len(rows)
    expr = q.fts_query(text)
    if expr is not None:
        conn.execute("SELECT count(*) FROM report_fts WHERE report_fts MATCH ?", (expr,))
    assert conn.execute("SELECT count(*) FROM report").fetchone()[0] == N_ROWS


def test_fts_query_quotes_every_word():
    assert q.fts_query("jalan  rusak") == '"jalan" "rusak"*'
    # One phrase per whitespace word; a one-character last token gets no prefix star.
    assert q.fts_query('NEAR("a" b') == '"NEAR a" "b"'
    assert q.fts_query("BDG-2611-00017") == '"BDG 2611 00017"*'
    assert q.fts_query("'; DROP TABLE report;--") == '"DROP" "TABLE" "report"*'
    assert q.fts_query("*-^:()") is None


def test_search_finds_by_title_word_prefix_and_ticket(conn):
    def pks(text, **kw):
        return {r.pk for r in all_pages(conn, q.QueueFilter(search=text, **kw), q.DEFAULT_SORT)}

    assert 17 in pks("braga")
    assert 17 in pks("Bra")  # as you type
    assert 17 in pks("pohon braga")
    assert 17 in pks("braga", statuses=["new"])
    assert 17 not in pks("braga", statuses=["closed"])
    assert pks("BDG-2611-00017") == {17}
    assert pks("bdg-2611-0001") == set(range(10, 20))  # ticket prefix, any case
    assert 18 in pks("script alert")
    assert q.count(conn, q.QueueFilter(search="BDG-2611-00017")) == 1


def test_region_prefix_matches_the_kecamatan_and_below_only(conn):
    codes = {
        r.region_code
        for r in all_pages(conn, q.QueueFilter(region_prefix="3273-10"), q.DEFAULT_SORT)
    }
    assert codes == {"3273-10", "3273-10-1", "3273-10-2"}  # not 3273-101 (Arcamanik)


PATHS = {
    # name: (SMALL_SEARCH, BROAD_WALK_KSTEPS, LARGE_SEARCH)
    "sorted hits": (10**6, 10**9, 10**6),
    "walk + text matcher": (0, 10**9, 10**6),
    "over budget, sorted hits": (0, 0, 10**6),
    "over budget, walk + hit set": (0, 0, 0),
}


@pytest.mark.parametrize("key", q.SORT_KEYS)
@pytest.mark.parametrize("statuses", [None, OPEN])
@pytest.mark.parametrize("text", ["jalan", "rusak bAnJ", "BDG-2611-0001"])
def test_search_paths_agree(conn, monkeypatch, key, statuses, text):
    """A search is answered by sorting its hits, or by walking the indexes and matching
    text in Python, or (over budget) from the full hit set; all give the same rows in the
    same order, on every page."""
    flt = q.QueueFilter(search=text, statuses=statuses)
    sort = q.QueueSort(key, descending=key == "created_at")
    results = {}
    for name, (small, budget, large) in PATHS.items():
        q.clear_caches()
        monkeypatch.setattr(pages, "SMALL_SEARCH", small)
        monkeypatch.setattr(pages, "BROAD_WALK_KSTEPS", budget)
        monkeypatch.setattr(pages, "LARGE_SEARCH", large)
        results[name] = [r.pk for r in all_pages(conn, flt, sort)]
    q.clear_caches()
    where = "r.pk IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?)"
    params = [q.fts_query(text)]
    if q.ticket_prefix(text):
        where = f"({where} OR r.ticket LIKE ?)"
        params.append(q.ticket_prefix(text) + "%")
    if statuses:
        where += f" AND r.status IN ({_in(statuses)})"
        params += list(statuses)
    expected = reference_order(conn, where, params, sort)
    assert expected
    for name, got in results.items():
        assert got == expected, name


def test_walk_budget_counts_work_not_time(conn):
    """The broad search's plan is chosen by a work budget (SQLite instructions and rows
    matched), so the same walk spends the same budget every time on any machine (up to
    one tick per statement: SQLite counts a cached statement's instructions across its
    runs), a statement scanning past the budget is interrupted, and no progress handler
    stays."""
    flt = q.QueueFilter(search="jalan")
    matcher = q.TextMatcher("jalan")
    spent, statements = [], []
    for _ in range(3):
        budget = walk.WorkBudget(10**6, pages.MATCH_ROW_KSTEPS)
        seen: list[str] = []
        conn.set_trace_callback(seen.append)
        try:
            walk.walk_segments(conn, flt, q.QueueSort("category"), None, 20, "id", NOW,
                               lambda row: matcher(*row[-4:]), search.FTS_COLUMNS, budget)
        finally:
            conn.set_trace_callback(None)
        spent.append(10**6 - budget.left)
        statements.append(len(seen))
    assert min(spent) > 0 and max(spent) - min(spent) <= max(statements)
    with pytest.raises(walk.OverBudget), walk.WorkBudget(2).watching(conn):
        conn.execute("SELECT count(*) FROM report a, report b").fetchone()
    assert conn.execute("SELECT count(*) FROM report a, report b").fetchone()[0] == N_ROWS**2


@pytest.mark.parametrize(
    "text",
    ["jalan", "jal", "JALAN rusak", "rusak jalan", "kafe", "KAFÉ nusantara", "ñusantara jalan-ja",
     "jalan jalan sore", "gg mawar 7", "7b", "no 7b", "bdg-2611-00019", "2611", "mati", "pohon t",
     "braga", "di jalan"],
)  # fmt: skip
def test_text_matcher_agrees_with_fts(conn, text):
    expr = q.fts_query(text)
    sql = "SELECT rowid FROM report_fts WHERE report_fts MATCH ?"
    fts = {r[0] for r in conn.execute(sql, (expr,))}
    prefix = q.ticket_prefix(text)
    if prefix:
        sql = "SELECT pk FROM report WHERE ticket LIKE ?"
        fts |= {r[0] for r in conn.execute(sql, (prefix + "%",))}
    matcher = q.TextMatcher(text)
    rows = conn.execute("SELECT pk, ticket, title, description, address FROM report")
    assert {r[0] for r in rows if matcher(*r[1:])} == fts
    assert fts or text in ("gg mawar 7", "pohon t")  # a one-letter last word is no prefix


def test_search_caches_belong_to_their_connection(tmp_path):
    """The search caches live on the connection that filled them (conn.caches); a bare
    sqlite3 connection to the same file gets the same pages, computed afresh."""
    db = open_database(tmp_path / "posko.sqlite3", encrypt=False)
    ours, bare = db.raw(), sqlite3.connect(tmp_path / "posko.sqlite3")
    try:
        populate(ours)
        flt = q.QueueFilter(search="jalan")
        pages_ours = [r.pk for r in all_pages(ours, flt, q.DEFAULT_SORT)]
        assert pages_ours and isinstance(ours.caches["queue"], caches.QueueCaches)
        assert not hasattr(bare, "caches")
        assert [r.pk for r in all_pages(bare, flt, q.DEFAULT_SORT)] == pages_ours
    finally:
        ours.close()
        bare.close()
        db.dispose()


def test_search_sees_new_rows(conn):
    flt = q.QueueFilter(search="zebracross")
    assert q.fetch_page(conn, flt)[0] == []
    conn.execute("UPDATE report SET title = 'zebracross pudar' WHERE pk = 40")
    conn.commit()
    try:
        assert [r.pk for r in q.fetch_page(conn, flt)[0]] == [40]
    finally:
        conn.execute("UPDATE report SET title = 'x' WHERE pk = 40")
        conn.commit()


def test_fetch_rows_by_pk_keeps_order_and_skips_missing(conn):
    rows = q.fetch_rows_by_pk(conn, [18, 999_999, 3, 17])
    assert [r.pk for r in rows] == [18, 3, 17]
    r = rows[0]
    assert r.title == "<script>alert(1)</script><b>x</b>"
    assert r.ticket == "BDG-2611-00018" and r.created_at.tzinfo is not None
    assert r.category_name in {c[1] for c in CATEGORIES}
    assert q.fetch_rows_by_pk(conn, []) == []


def test_filter_validation():
    with pytest.raises(ValueError):
        q.QueueFilter(created_from=datetime(2026, 1, 1))  # naive
    with pytest.raises(ValueError):
        q.QueueFilter(statuses=["open"])
    with pytest.raises(ValueError):
        q.QueueSort("title")
    assert q.QueueFilter(statuses=["new", "verified"]) == q.QueueFilter(
        statuses={"verified", "new"}
    )


# ------------------------------------------------------------------------ live updates


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", q.SORT_KEYS)
def test_sort_key_function_orders_rows_like_the_index_walk(conn, key, descending):
    """The views place a live-inserted row with this key: it must agree with the walk."""
    sort = q.QueueSort(key, descending)
    walked = all_pages(conn, q.QueueFilter(), sort, limit=50)
    keyfn = q.sort_key_function(conn, sort)
    assert [r.pk for r in sorted(walked, key=keyfn)] == [r.pk for r in walked]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", q.SORT_KEYS)
@pytest.mark.parametrize("flt", [q.QueueFilter(), q.QueueFilter.open_queue()], ids=["all", "open"])
def test_sort_table_gives_one_order_in_sql_and_python(conn, flt, key, descending, lang):
    """order.SORTS is the one description of every sort the queue offers (each column,
    both ways): the walk's SQL segments, the small searches' ordering in Python and the
    views' sort key all derive from it. On the fixture's ties (12 creation times, shared
    SLA deadlines) and NULLs (SLA, region, agency) the three give the same rows in the same
    order, and the Python ordering the walk's cursors, row by row."""
    sort = q.QueueSort(key, descending)
    walked, cursors, cursor = [], [], None
    while True:  # one row a page: every row's cursor
        pks, cursor = q.fetch_page_pks(conn, flt, sort, cursor, 1, lang=lang)
        walked += pks
        if cursor is None:
            break
        cursors.append(cursor)
    assert len(walked) == q.count(conn, flt) > 0
    every_pk = [r[0] for r in conn.execute("SELECT pk FROM report")]
    ordered, _ranks = pages._order_candidates(conn, flt, sort, every_pk, lang, NOW)
    assert [inner[-1] for _, inner in ordered] == walked
    assert [q.QueueCursor(seg, inner) for seg, inner in ordered] == cursors
    keyfn = q.sort_key_function(conn, sort, lang)
    assert [r.pk for r in sorted(q.fetch_rows_by_pk(conn, walked), key=keyfn)] == walked


def test_match_pks_applies_filter_and_search(conn):
    flt = q.QueueFilter(statuses=["new"], search="braga")
    assert q.match_pks(conn, flt, [17, 18, 999_999]) == {17}
    assert q.match_pks(conn, q.QueueFilter(statuses=[]), [17]) == set()
    assert q.match_pks(conn, q.QueueFilter(), []) == set()


def test_bbox_filter_keeps_reports_inside_the_box(conn):
    conn.execute("UPDATE report SET lat = -6.90, lon = 107.61 WHERE pk IN (5, 6)")
    conn.execute("UPDATE report SET lat = -7.50, lon = 110.0 WHERE pk = 7")
    conn.commit()
    try:
        flt = q.QueueFilter(bbox=(-6.95, 107.55, -6.85, 107.70))
        assert {r.pk for r in all_pages(conn, flt, q.DEFAULT_SORT)} == {5, 6}
        assert q.count(conn, flt) == 2
    finally:
        conn.execute("UPDATE report SET lat = NULL, lon = NULL WHERE pk IN (5, 6, 7)")
        conn.commit()
    with pytest.raises(ValueError):
        q.QueueFilter(bbox=(1, 2, 0, 3))


def test_live_update_reports_changed_rows_and_new_matches(conn):
    flt = q.QueueFilter(statuses=["new"])
    new_pk = conn.execute("SELECT pk FROM report WHERE status = 'new' LIMIT 1").fetchone()[0]
    other = conn.execute("SELECT pk, id FROM report WHERE status = 'closed' LIMIT 1").fetchone()
    upd = q.live_update(conn, flt, q.DEFAULT_SORT, [new_pk, other[0]], [other[1], "nope"])
    assert {r.pk for r in upd.rows} == {new_pk, other[0]}
    assert upd.still_matching == {new_pk}
    assert upd.new_rows == []  # the closed report does not match "new"
    upd = q.live_update(conn, q.QueueFilter(statuses=["closed"]), q.DEFAULT_SORT, [], [other[1]])
    assert [r.pk for r in upd.new_rows] == [other[0]]


def test_sync_states_follow_the_outbox(conn):
    rid = "00000000-0000-4000-8000-000000000003"
    conn.execute("INSERT INTO outbox (id, created_at, entity, entity_id, op, payload, state, attempts) "
                 "VALUES ('m1', '2026-11-28 00:00:00.000000', 'note', 'n1', 'note', ?, 'pending', 0)",
                 ('{"fields": {"report_id": "%s", "body": "x"}}' % rid,))  # noqa: UP031
    conn.execute("INSERT INTO outbox (id, created_at, entity, entity_id, op, payload, state, attempts) "
                 "VALUES ('m2', '2026-11-28 00:00:00.000000', 'report', ?, 'patch', '{}', "
                 "'quarantined', 0)", ("00000000-0000-4000-8000-000000000004",))
    conn.commit()
    try:
        states = outbox.unsynced_states(conn, [rid, "00000000-0000-4000-8000-000000000004", "x"])
        assert states[rid] == "pending"
        assert states["00000000-0000-4000-8000-000000000004"] == "quarantined"
        assert states.get("x") in (None, "local")  # the sync engine, when present: never seen
        page = q.fetch_view_page(conn, q.QueueFilter(), q.QueueSort("ticket"), limit=5)
        assert page.sync.get(rid) == "pending" and len(page.rows) == 5
    finally:
        conn.execute("DELETE FROM outbox")
        conn.commit()
