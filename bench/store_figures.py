"""Local store figures: bulk insert, queue paging and full-text search at 1,000,000 reports."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from bench.harness import Figure, big_database, p95, time_ms

TYPICAL_SEARCHES = ["banjir", "jalan rusak", "pohon tumbang", "lampu jalan mati", "sampah",
                    "kebak", "Jl. Pemuda", "genangan air"]


def bulk_insert() -> list[Figure]:
    from console.demo.bulk import seed_demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posko.sqlite3"
        n = 100_000
        t0 = time.perf_counter()
        stats = seed_demo(path, reports=n, seed=3, weeks=8)
        elapsed = time.perf_counter() - t0
        conn = sqlite3.connect(path)
        rows = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("report", "report_event", "dispatch"))
        conn.close()
        ours = rows / elapsed
        baseline = _naive_orm_insert(Path(tmp) / "naive.sqlite3")
    figures = [Figure("store.bulk_insert_rows_per_s", ours, "rows/s", baseline=baseline,
                      higher_is_better=True,
                      note=f"{n:,} demo reports with timelines and dispatches ({rows:,} rows) "
                           f"incl. generation and FTS; baseline: one SQLModel session commit per report")]
    done = big_database().with_name("complete")
    built_s = float(done.read_text().split()[0])
    figures.append(Figure("store.seed_1m_s", built_s, "s", note="1,000,000 demo reports, when the bench DB was built"))
    del stats
    return figures


def _naive_orm_insert(path: Path, n: int = 1000) -> float:
    """The obvious way: an ORM object per row, a commit per report."""
    from sqlmodel import Session

    from console.store.db import open_database
    from console.store.models import Report, ReportEvent
    from console.store.seed import ensure_reference_data

    db = open_database(path)
    raw = db.raw()
    ensure_reference_data(raw)
    raw.close()
    region = "3273"
    t0 = time.perf_counter()
    with Session(db.engine) as session:
        for i in range(n):
            r = Report(ticket=f"N-{i:07d}", channel="sms", category_code="sampah", title=f"Sampah menumpuk {i}",
                       description="Sampah belum diangkut tiga hari", region_code=region, priority=3)
            session.add(r)
            session.add(ReportEvent(report_id=r.id, actor="op", kind="created"))
            session.add(ReportEvent(report_id=r.id, actor="op", kind="status", field="status",
                                    old_value="new", new_value="verified"))
            session.commit()
    elapsed = time.perf_counter() - t0
    db.dispose()
    return n * 3 / elapsed


def _typical_filters():
    from console.store.queue import QueueFilter, QueueSort

    kec = _some_kecamatan()
    return [
        (QueueFilter.open_queue(), QueueSort("priority")),
        (QueueFilter.open_queue(categories=("banjir", "pohon_tumbang")), QueueSort("priority")),
        (QueueFilter.open_queue(region_prefix=kec), QueueSort("created_at", descending=True)),
        (QueueFilter.open_queue(overdue_only=True), QueueSort("sla_due_at")),
        (QueueFilter(statuses=("new",), channels=("phone_112",)), QueueSort("created_at", descending=True)),
        (QueueFilter(), QueueSort("created_at", descending=True)),
    ]


_KEC: list[str] = []


def _some_kecamatan() -> str:
    return _KEC[0] if _KEC else "3273"


def queue_page() -> list[Figure]:
    from console.store.queue import fetch_page

    path = big_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA query_only=1")
    _KEC[:] = [conn.execute("SELECT code FROM region WHERE level='kecamatan' ORDER BY code LIMIT 1").fetchone()[0]]
    samples: list[float] = []
    for flt, sort in _typical_filters():
        fetch_page(conn, flt, sort)  # warm the page cache for this index
        samples += time_ms(lambda f=flt, s=sort: fetch_page(conn, f, s), 10)
        # …and a page deep in the list, which keyset paging makes as cheap as the first
        rows, cursor = fetch_page(conn, flt, sort)
        for _ in range(20):
            if cursor is None:
                break
            t0 = time.perf_counter()
            rows, cursor = fetch_page(conn, flt, sort, after=cursor)
            samples.append((time.perf_counter() - t0) * 1000)
    ours = p95(samples)
    baseline = p95(time_ms(lambda: _naive_orm_page(path), 3))
    conn.close()
    return [Figure("store.queue_page_ms_p95_1m", ours, "ms", baseline=baseline,
                   note=f"{len(samples)} pages of 100 over 6 typical filters/sorts; baseline: SQLModel "
                        "select of every open report, then the first 100")]


def _naive_orm_page(path: Path) -> None:
    from sqlmodel import Session, col, select

    from console.store.db import make_engine
    from console.store.models import Report

    engine = make_engine(path)
    with Session(engine) as session:
        stmt = (select(Report).where(col(Report.status).in_(["new", "verified", "dispatched", "in_progress"]))
                .order_by(Report.priority, col(Report.created_at).desc()))
        rows = session.exec(stmt).all()[:100]
    engine.dispose()
    assert len(rows) == 100


def fts_search() -> list[Figure]:
    from console.store.queue import QueueFilter, QueueSort, fetch_page

    path = big_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA query_only=1")
    ticket = conn.execute("SELECT ticket FROM report WHERE pk = 123457").fetchone()[0]
    searches = TYPICAL_SEARCHES + [ticket]
    samples: list[float] = []
    for text in searches:
        for sort, base in ((QueueSort("created_at", descending=True), QueueFilter(search=text)),
                           (QueueSort("priority"), QueueFilter.open_queue(search=text))):
            fetch_page(conn, base, sort)
            samples += time_ms(lambda b=base, s=sort: fetch_page(conn, b, s), 5)
    ours = p95(samples)
    naive = []
    for text in searches[:4]:
        like = f"%{text}%"
        naive += time_ms(lambda lk=like: conn.execute(
            "SELECT * FROM report WHERE title LIKE ? OR description LIKE ? OR address LIKE ?"
            " ORDER BY created_at DESC LIMIT 100", (lk, lk, lk)).fetchall(), 2)
    conn.close()
    return [Figure("store.fts_search_ms_p95_1m", ours, "ms", baseline=p95(naive),
                   note=f"{len(samples)} searches ({len(searches)} typical terms, all and open reports); "
                        "baseline: LIKE '%term%' scan")]


FIGURES = [
    ("store.bulk_insert_rows_per_s", bulk_insert),
    ("store.queue_page_ms_p95_1m", queue_page),
    ("store.fts_search_ms_p95_1m", fts_search),
]
