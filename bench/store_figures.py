"""Local store figures: bulk insert, queue paging and full-text search at 1,000,000 reports,
and what encryption at rest costs (the same work on 100,000 reports, plain and encrypted)."""

from __future__ import annotations

import sqlite3
import statistics
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
        stats = seed_demo(path, reports=n, seed=3, weeks=8, encrypt=False)
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

    db = open_database(path, encrypt=False)
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

    from console.store.db import connect

    path = big_database()
    conn = connect(path)  # the console's connection class: the queue's caches live on it
    conn.execute("PRAGMA query_only=1")
    _KEC[:] = [conn.execute("SELECT code FROM region WHERE level='kecamatan' ORDER BY code LIMIT 1").fetchone()[0]]
    samples = _queue_samples(conn)
    ours = p95(samples)
    baseline = p95(time_ms(lambda: _naive_orm_page(path), 3))
    conn.close()
    return [Figure("store.queue_page_ms_p95_1m", ours, "ms", baseline=baseline,
                   note=f"{len(samples)} pages of 100 over 6 typical filters/sorts; baseline: SQLModel "
                        "select of every open report, then the first 100")]


def _queue_samples(conn, repeat: int = 10) -> list[float]:  # noqa: ANN001 - either driver
    from console.store.queue import fetch_page

    samples: list[float] = []
    for flt, sort in _typical_filters():
        fetch_page(conn, flt, sort)  # warm the page cache for this index
        samples += time_ms(lambda f=flt, s=sort: fetch_page(conn, f, s), repeat)
        # …and a page deep in the list, which keyset paging makes as cheap as the first
        rows, cursor = fetch_page(conn, flt, sort)
        for _ in range(20):
            if cursor is None:
                break
            t0 = time.perf_counter()
            rows, cursor = fetch_page(conn, flt, sort, after=cursor)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


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


def _searches(conn, pk: int) -> list[str]:  # noqa: ANN001 - either driver
    ticket = conn.execute("SELECT ticket FROM report WHERE pk = ?", (pk,)).fetchone()[0]
    return TYPICAL_SEARCHES + [ticket]


def _search_samples(conn, searches: list[str], repeat: int = 5) -> list[float]:  # noqa: ANN001
    from console.store.queue import QueueFilter, QueueSort, fetch_page

    samples: list[float] = []
    for text in searches:
        for sort, base in ((QueueSort("created_at", descending=True), QueueFilter(search=text)),
                           (QueueSort("priority"), QueueFilter.open_queue(search=text))):
            fetch_page(conn, base, sort)
            samples += time_ms(lambda b=base, s=sort: fetch_page(conn, b, s), repeat)
    return samples


def fts_search() -> list[Figure]:

    from console.store.db import connect

    path = big_database()
    conn = connect(path)  # the console's connection class: the queue's caches live on it
    conn.execute("PRAGMA query_only=1")
    searches = _searches(conn, 123457)
    samples = _search_samples(conn, searches)
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


ENCRYPTION_REPORTS = 100_000


def _fresh_connection_page(db, flt, sort) -> None:  # noqa: ANN001
    """A page on a new connection: an empty page cache, so every page read is decrypted."""
    from console.store.queue import fetch_page

    conn = db.raw()
    try:
        fetch_page(conn, flt, sort)
    finally:
        conn.close()


class _CipherLibraryPlain:
    """The plain file through sqlcipher3 without a key: the library's own cost, no cipher."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def raw(self):  # noqa: ANN201
        from sqlcipher3 import dbapi2

        from console.store.db import CipherConnection, apply_pragmas

        conn = dbapi2.connect(str(self.path), check_same_thread=False, factory=CipherConnection)
        apply_pragmas(conn)
        return conn

    def dispose(self) -> None:
        pass


def encryption_cost() -> list[Figure]:
    """Encryption at rest: the same 100,000-report database built, paged and searched plain
    and encrypted (SQLCipher, raw key) in one run, measured in alternating rounds. Each
    figure's value is the encrypted one, its baseline the plain one; ratio = plain /
    encrypted (1.0: no cost; 0.87: 15 % slower). The ``_nokey`` figures read the plain
    file through sqlcipher3 without a key: what the library costs before any cipher."""
    from console.demo.bulk import seed_demo
    from console.store.db import open_database

    modes = ("plain", "encrypted", "nokey")
    seed_s: dict[str, float] = {}
    queue: dict[str, list[float]] = {m: [] for m in modes}
    cold: dict[str, list[float]] = {m: [] for m in modes}
    search: dict[str, list[float]] = {m: [] for m in modes}
    opened: dict[str, list[float]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        dbs, conns = {}, {}
        for mode in modes[:2]:
            path = Path(tmp) / mode / "posko.sqlite3"
            t0 = time.perf_counter()
            seed_demo(path, reports=ENCRYPTION_REPORTS, seed=3, weeks=26, parallel=False,
                      encrypt=mode == "encrypted")
            seed_s[mode] = time.perf_counter() - t0
            dbs[mode] = open_database(path, migrate=False)
            assert dbs[mode].encrypted == (mode == "encrypted"), mode
            conns[mode] = dbs[mode].raw()
            conns[mode].execute("PRAGMA query_only=1")
        dbs["nokey"] = _CipherLibraryPlain(dbs["plain"].path)
        conns["nokey"] = dbs["nokey"].raw()
        conns["nokey"].execute("PRAGMA query_only=1")
        kec = conns["plain"].execute(
            "SELECT code FROM region WHERE level='kecamatan' ORDER BY code LIMIT 1").fetchone()
        _KEC[:] = [kec[0]] if kec else []
        searches = _searches(conns["plain"], 12345)
        # Interleaved finely (each filter and search in every mode in turn, the order
        # rotating each round): a neighbour's load on the machine hits all modes alike.
        from console.store.queue import QueueFilter, QueueSort, fetch_page

        for rnd in range(4):
            order = modes[rnd % 3:] + modes[:rnd % 3]
            for flt, sort in _typical_filters():
                for mode in order:
                    conn, db = conns[mode], dbs[mode]
                    fetch_page(conn, flt, sort)  # warm, as the console's connection is
                    queue[mode] += time_ms(lambda c=conn, f=flt, s=sort: fetch_page(c, f, s), 3)
                    _rows, cursor = fetch_page(conn, flt, sort)
                    for _ in range(8):  # deep pages: keyset paging
                        if cursor is None:
                            break
                        t0 = time.perf_counter()
                        _rows, cursor = fetch_page(conn, flt, sort, after=cursor)
                        queue[mode].append((time.perf_counter() - t0) * 1000)
                    cold[mode] += time_ms(lambda d=db, f=flt, s=sort: _fresh_connection_page(d, f, s), 2)
            for text in searches:
                for sort, base in ((QueueSort("created_at", descending=True), QueueFilter(search=text)),
                                   (QueueSort("priority"), QueueFilter.open_queue(search=text))):
                    for mode in order:
                        conn = conns[mode]
                        fetch_page(conn, base, sort)
                        search[mode] += time_ms(lambda c=conn, b=base, s=sort: fetch_page(c, b, s), 2)
            for mode in order:
                opened[mode] += time_ms(lambda d=dbs[mode]: d.raw().close(), 10)
        for mode in modes:
            conns[mode].close()
            dbs[mode].dispose()

    def fig(name: str, samples: dict[str, list[float]], what: str,
            mode: str = "encrypted") -> Figure:
        plain, enc = p95(samples["plain"]), p95(samples[mode])
        mid_plain, mid = statistics.median(samples["plain"]), statistics.median(samples[mode])
        label = "encrypted" if mode == "encrypted" else "sqlcipher3 without a key"
        return Figure(name, enc, "ms", baseline=plain,
                      note=f"{label} vs plain sqlite3 ({plain:.2f} ms): "
                           f"{100 * (enc / plain - 1):+.0f} % at p95, "
                           f"{100 * (mid / mid_plain - 1):+.0f} % at the median "
                           f"({mid:.2f} vs {mid_plain:.2f} ms); "
                           f"{len(samples['plain'])} samples each, {what}, 100,000 reports")

    n = f"{ENCRYPTION_REPORTS // 1000}k"
    return [
        Figure(f"store.encrypted_seed_{n}_s", seed_s["encrypted"], "s", baseline=seed_s["plain"],
               note=f"seeding 100,000 demo reports encrypted vs plain ({seed_s['plain']:.1f} s): "
                    f"{100 * (seed_s['encrypted'] / seed_s['plain'] - 1):+.0f} %"),
        fig(f"store.encrypted_queue_page_ms_p95_{n}", queue,
            "the queue figure's 6 filters/sorts and deep pages, the console's long-lived connection"),
        fig(f"store.encrypted_queue_page_cold_ms_p95_{n}", cold,
            "first page of the 6 filters on a new connection (empty page cache: every page "
            "read is decrypted)"),
        fig(f"store.encrypted_fts_search_ms_p95_{n}", search,
            "the search figure's terms, all and open reports"),
        fig("store.encrypted_open_connection_ms_p95", opened,
            "a new connection with the key and the pragmas, closed again"),
        fig(f"store.encrypted_queue_page_ms_p95_{n}_nokey", queue, "as the queue figure", "nokey"),
        fig(f"store.encrypted_queue_page_cold_ms_p95_{n}_nokey", cold, "as the cold figure",
            "nokey"),
        fig(f"store.encrypted_fts_search_ms_p95_{n}_nokey", search, "as the search figure",
            "nokey"),
    ]


FIGURES = [
    ("store.bulk_insert_rows_per_s", bulk_insert),
    ("store.encrypted", encryption_cost),
    ("store.queue_page_ms_p95_1m", queue_page),
    ("store.fts_search_ms_p95_1m", fts_search),
]
