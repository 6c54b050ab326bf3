"""Fill a Posko database with demo data, fast (about a million reports in two minutes
on a small 2-core machine; see ``seed_demo``'s returned timings).

Rows come from :mod:`console.demo.generate` as plain tuples, sorted by ``created_at``,
and go in with raw sqlite3 ``executemany``. For big runs the generator works in a child
process while this one inserts, so two cores overlap.

Two ways in:

- **fresh** (a database without reports — the usual demo/bench case): ONE transaction.
  The secondary indexes of report/report_event/dispatch and the FTS5 insert trigger are
  dropped, all rows inserted, then the indexes are rebuilt and the FTS index filled with
  one ``INSERT ... SELECT``, and the trigger recreated from the exact SQL read from
  ``sqlite_master`` before dropping. DDL is transactional in SQLite, so a process killed
  half-way leaves the file as it was, indexes and trigger included. The file is switched
  to a rollback journal for the duration when nobody else has it open (a fresh file's new
  pages then need no journal) and back to WAL afterwards.
- **chunked** (adding to an existing database): one transaction per chunk with all
  indexes live; inside each, the FTS trigger is swapped for one INSERT ... SELECT over the
  chunk, as above. (With the trigger, FTS5 flushes its buffer at every row's statement
  savepoint, which makes bulk inserts several times slower.)

``PRAGMA synchronous=OFF`` is set only on the seeding connection, only while seeding: a
power cut during a demo seed can lose the demo, which is re-made with one command.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.store.db import BUSY_TIMEOUT_MS, OperationalError, open_database
from console.store.regions import CITIES, region_rows
from console.store.seed import ensure_reference_data

from .generate import (
    DEMO_OPERATORS,
    DISPATCH_COLUMNS,
    EVENT_COLUMNS,
    REPORT_COLUMNS,
    Batch,
    default_cities,
    generate,
)

__all__ = [
    "insert_batch",
    "insert_dispatches",
    "insert_events",
    "insert_operators",
    "insert_reports",
    "seed_demo",
]

INSERT_REPORT = (
    f"INSERT INTO report ({', '.join(REPORT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(REPORT_COLUMNS))})"
)
INSERT_EVENT = (
    f"INSERT INTO report_event ({', '.join(EVENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
)
INSERT_DISPATCH = (
    f"INSERT INTO dispatch ({', '.join(DISPATCH_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(DISPATCH_COLUMNS))})"
)
FTS_TRIGGER = "report_fts_ai"
FTS_FILL = (
    "INSERT INTO report_fts(rowid, ticket, title, description, address) "
    "SELECT pk, ticket, title, description, address FROM report WHERE pk > ?"
)
#: FTS5's default in-memory buffer, and the one used while seeding.
FTS_DEFAULT_HASHSIZE = 1024 * 1024
BULK_HASHSIZE = 512 * 1024 * 1024
#: Above this many reports the generator runs in a child process.
PARALLEL_THRESHOLD = 50_000
DEFAULT_CHUNK = 25_000
SEED_CACHE_KIB = 1024 * 1024  # page cache of the seeding connection
SEED_MMAP_BYTES = 4 << 30
_OPERATOR_NS = uuid.UUID("5b1d3c52-8f0e-4d55-9a43-1f2f6f0c7a10")


def insert_reports(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Insert report rows (``generate.REPORT_COLUMNS`` order) in the caller's transaction."""
    conn.executemany(INSERT_REPORT, rows)


def insert_events(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    conn.executemany(INSERT_EVENT, rows)


def insert_dispatches(conn: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    conn.executemany(INSERT_DISPATCH, rows)


def _trigger_sql(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (FTS_TRIGGER,)
    ).fetchone()
    if row is None:
        raise RuntimeError(f"{FTS_TRIGGER} trigger missing; is the schema at head?")
    return row[0]


def _max_pk(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(pk), 0) FROM report").fetchone()[0]


def _fts_hashsize(conn: sqlite3.Connection, value: int | None = None) -> int:
    """Read (and optionally set) FTS5's in-memory buffer size; returns the old value.

    The default (1 MiB) makes a bulk insert flush and merge hundreds of tiny segments;
    the seed raises it for its own transactions and puts the old value back."""
    row = conn.execute("SELECT v FROM report_fts_config WHERE k = 'hashsize'").fetchone()
    old = int(row[0]) if row else FTS_DEFAULT_HASHSIZE
    if value is not None and value != old:
        conn.execute("INSERT INTO report_fts(report_fts, rank) VALUES ('hashsize', ?)", (value,))
    return old


def insert_batch(conn: sqlite3.Connection, batch: Batch, *, fts: str = "bulk") -> None:
    """One chunk in one transaction: reports, then their events and dispatches.

    ``fts='trigger'`` lets the migration's insert trigger index each row (slow in bulk:
    FTS5 flushes at every statement savepoint); ``fts='bulk'`` drops the trigger inside
    the transaction, indexes the chunk with one INSERT ... SELECT and recreates the
    trigger from its stored SQL before committing."""
    if fts not in ("trigger", "bulk"):
        raise ValueError("fts must be 'trigger' or 'bulk'")
    conn.execute("BEGIN IMMEDIATE")
    try:
        if fts == "bulk":
            trigger = _trigger_sql(conn)
            before = _max_pk(conn)
            old_hash = _fts_hashsize(conn, BULK_HASHSIZE)
            conn.execute(f"DROP TRIGGER {FTS_TRIGGER}")
            insert_reports(conn, batch.reports)
            conn.execute(FTS_FILL, (before,))
            conn.execute(trigger)
            _fts_hashsize(conn, old_hash)
        else:
            insert_reports(conn, batch.reports)
        insert_events(conn, batch.events)
        insert_dispatches(conn, batch.dispatches)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


_BULK_TABLES = ("report", "report_event", "dispatch")


def _insert_fresh(
    conn: sqlite3.Connection, batches: Iterable[Batch], on_batch: Callable[[Batch], None]
) -> dict[str, float]:
    """Everything in ONE transaction, with the secondary indexes and the FTS insert
    trigger dropped first and recreated (from their stored SQL) before the commit.

    Building an index once from sorted data is several times cheaper than maintaining it
    row by row. Because DDL is transactional, a process killed half-way leaves the
    database exactly as it was: indexes, trigger and all."""
    times = {"index_s": 0.0, "fts_s": 0.0, "commit_s": 0.0}
    conn.execute("BEGIN IMMEDIATE")
    try:
        trigger = _trigger_sql(conn)
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(_BULK_TABLES))}) ORDER BY name",
            _BULK_TABLES,
        ).fetchall()
        before = _max_pk(conn)
        old_hash = _fts_hashsize(conn, BULK_HASHSIZE)
        conn.execute(f"DROP TRIGGER {FTS_TRIGGER}")
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for batch in batches:
            insert_reports(conn, batch.reports)
            insert_events(conn, batch.events)
            insert_dispatches(conn, batch.dispatches)
            on_batch(batch)
        t0 = time.perf_counter()
        # The generator is done by now: let SQLite's sorter use the other core(s).
        conn.execute(f"PRAGMA threads={min(4, os.cpu_count() or 1)}")
        for _name, sql in indexes:
            conn.execute(sql)
        conn.execute("PRAGMA threads=0")
        t1 = time.perf_counter()
        # One pass at the end: per-chunk passes write many small segments that FTS5
        # then merges (measured about 1.7x slower at a million reports).
        conn.execute(FTS_FILL, (before,))
        conn.execute(trigger)
        _fts_hashsize(conn, old_hash)
        t2 = time.perf_counter()
        conn.commit()
        times.update(index_s=t1 - t0, fts_s=t2 - t1, commit_s=time.perf_counter() - t2)
    except BaseException:
        conn.rollback()
        raise
    return times


def insert_operators(conn: sqlite3.Connection, cities: Iterable[str]) -> int:
    """The demo's operators (ids derived from usernames; existing usernames kept)."""
    keys = set(cities)
    kel_codes: dict[tuple[str, str], str] = {}
    for key in keys:
        for r in region_rows(key):
            if r["level"] == "kelurahan":
                kel_codes.setdefault((key, r["name"]), r["code"])
    rows = []
    for op in DEMO_OPERATORS:
        if op.city is not None and op.city not in keys:
            continue
        if op.role == "kelurahan":
            regions = [kel_codes[(op.city, op.kelurahan)]]
        elif op.city is not None:
            regions = [CITIES[op.city].kemendagri]
        else:
            regions = []  # admin: everything
        rows.append((str(uuid.uuid5(_OPERATOR_NS, op.username)), op.username,
                     op.display_name, op.role, json.dumps(regions)))
    before = conn.total_changes
    with conn:
        conn.executemany(
            "INSERT OR IGNORE INTO operator (id, username, display_name, role, regions) "
            "VALUES (?, ?, ?, ?, ?)", rows)
    return conn.total_changes - before


def _ticket_counters(conn: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Last ticket number per (prefix, YYMMDD) already in the database."""
    out: dict[tuple[str, str], int] = {}
    rows = conn.execute(
        "SELECT substr(ticket, 1, 10), max(CAST(substr(ticket, 12) AS INTEGER)) "
        "FROM report WHERE ticket GLOB '[A-Z][A-Z][A-Z]-[0-9][0-9][0-9][0-9][0-9][0-9]-*' "
        "GROUP BY 1"
    )
    for head, num in rows:
        out[(head[:3], head[4:])] = int(num)
    return out


def _produce(queue: Any, kwargs: dict[str, Any]) -> None:
    """Child process: generate batches and hand them to the parent."""
    try:
        t0 = time.perf_counter()
        busy = 0.0
        for batch in generate(**kwargs):
            busy += time.perf_counter() - t0
            queue.put((batch.reports, batch.events, batch.dispatches))
            t0 = time.perf_counter()
        queue.put(("done", busy, time.process_time()))
    except BaseException as exc:  # the parent re-raises it
        queue.put(("error", repr(exc)))
        raise


def _spare_core() -> bool:
    """True if another core is likely free for the generator. On a busy machine the
    child only adds pickling work (about 10% of the seed's CPU) without overlapping."""
    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows has no load average
        load = 0.0
    return cpus >= 2 and load < cpus - 0.5


def _batches_parallel(kwargs: dict[str, Any], stats: dict[str, float]) -> Iterator[Batch]:
    # fork starts at once and needs no re-import, but is only safe without other threads
    # (a GUI or a worker pool); spawn otherwise, and on Windows/macOS.
    single = threading.active_count() == 1
    method = "fork" if single and sys.platform == "linux" else "spawn"
    ctx = mp.get_context(method)
    queue = ctx.Queue(maxsize=3)
    proc = ctx.Process(target=_produce, args=(queue, kwargs), daemon=True, name="demo-gen")
    proc.start()
    try:
        while True:
            t0 = time.perf_counter()
            item = queue.get()
            stats["wait_s"] += time.perf_counter() - t0
            if item[0] == "done":
                stats["generate_s"] = item[1]
                stats["child_cpu_s"] = item[2]
                break
            if item[0] == "error":
                raise RuntimeError(f"demo generator failed: {item[1]}")
            yield Batch(*item)
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=5)


def _batches_inline(kwargs: dict[str, Any], stats: dict[str, float]) -> Iterator[Batch]:
    it = generate(**kwargs)
    while True:
        t0 = time.perf_counter()
        batch = next(it, None)
        stats["generate_s"] += time.perf_counter() - t0
        if batch is None:
            return
        yield batch


def _try_rollback_journal(conn: sqlite3.Connection) -> bool:
    """Leave WAL for a rollback journal while seeding, if nobody else has the file open.

    A rollback journal saves only pages that existed before the transaction, so filling
    a fresh file costs one write per page; WAL would write every page twice (log, then
    checkpoint). Returns True if switched; the caller switches back."""
    conn.execute("PRAGMA busy_timeout=0")
    try:
        mode = conn.execute("PRAGMA journal_mode=TRUNCATE").fetchone()[0]
    except OperationalError:  # another connection is open: stay in WAL
        mode = "wal"
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return mode.lower() == "truncate"


def seed_demo(
    db_path: Path | str,
    reports: int = 5000,
    seed: int = 1,
    weeks: int = 6,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    cities: Mapping[str, float] | Sequence[str] | None = None,
    chunk: int = DEFAULT_CHUNK,
    parallel: bool | None = None,
    method: str = "auto",
    encrypt: bool | None = None,
) -> dict[str, Any]:
    """Create or extend the database at ``db_path`` with ``reports`` demo reports.

    Opens it with ``open_database`` (migrating it), makes sure the reference data is there,
    adds the demo operators and the reports with their timelines and dispatches.
    ``progress(done, total)`` is called after each chunk of ``chunk`` reports.
    ``encrypt`` is passed to ``open_database`` (None: encrypted unless a demo folder's).

    ``method``: ``'fresh'`` — one transaction, indexes and the FTS trigger rebuilt at the
    end (fastest; only for a database without reports); ``'chunked'`` — one transaction
    per chunk with all indexes live (for adding to an existing database); ``'auto'`` picks
    fresh when the database has no reports. ``parallel`` generates in a child process
    while this one inserts; by default from 50,000 reports when a core looks free.

    Returns counts and timings: ``reports, events, dispatches, operators, reference,
    seconds, generate_s, insert_s, wait_s, index_s, fts_s, commit_s, finish_s, cpu_s,
    child_cpu_s (parallel only), method, parallel, reports_per_s, rows_per_s, db_bytes``.
    """
    if method not in ("auto", "fresh", "chunked"):
        raise ValueError("method must be 'auto', 'fresh' or 'chunked'")
    if reports < 0:
        raise ValueError("reports must be >= 0")
    t_start = time.perf_counter()
    cpu_start = time.process_time()
    if now is None:
        now = datetime.now(UTC)
    if cities is None:
        cities = default_cities()
    city_keys = list(cities)
    db = open_database(db_path, encrypt=encrypt)
    db.dispose()  # the migration's pooled connection would block the journal switch
    conn = db.raw()
    switched = False
    try:
        reference = ensure_reference_data(conn)
        operators = insert_operators(conn, city_keys)
        existing = conn.execute("SELECT count(*) FROM report").fetchone()[0]
        if method == "auto":
            method = "fresh" if existing == 0 else "chunked"
        elif method == "fresh" and existing:
            raise ValueError(f"{db_path} already has {existing} reports; use method='chunked'")
        kwargs: dict[str, Any] = dict(
            n=reports,
            # A second run on the same file must not repeat the first run's UUIDs.
            seed=seed if existing == 0 else f"{seed}+{existing}",
            weeks=weeks, now=now, cities=cities, chunk=chunk,
            ticket_counters=_ticket_counters(conn) if existing else None,
        )
        if parallel is None:
            parallel = reports >= PARALLEL_THRESHOLD and _spare_core()
        stats: dict[str, float] = {"generate_s": 0.0, "insert_s": 0.0, "wait_s": 0.0}
        counts = {"reports": 0, "events": 0, "dispatches": 0}

        def count(batch: Batch) -> None:
            counts["reports"] += len(batch.reports)
            counts["events"] += len(batch.events)
            counts["dispatches"] += len(batch.dispatches)
            if progress is not None:
                progress(counts["reports"], reports)

        conn.execute("PRAGMA synchronous=OFF")
        conn.execute(f"PRAGMA cache_size=-{SEED_CACHE_KIB}")
        conn.execute(f"PRAGMA mmap_size={SEED_MMAP_BYTES}")
        if method == "fresh":
            switched = _try_rollback_journal(conn)
            # Every row comes from the generator, which only uses codes seeded above
            # and ids of reports it made earlier; the tests run foreign_key_check on its
            # output. Checking 5 million references one by one costs ~10% of the seed.
            conn.execute("PRAGMA foreign_keys=OFF")
        source = (_batches_parallel if parallel else _batches_inline)(kwargs, stats)
        t0 = time.perf_counter()
        with closing(source):  # on error, stop the child now, not at garbage collection
            if method == "fresh":
                stats.update(_insert_fresh(conn, source, count))
            else:
                for batch in source:
                    insert_batch(conn, batch)
                    count(batch)
        # Time spent in this process apart from waiting for the generator (and, when it
        # runs inline, apart from generating).
        stats["insert_s"] = time.perf_counter() - t0 - stats["wait_s"] - (
            0.0 if parallel else stats["generate_s"])
        t0 = time.perf_counter()
        if switched:
            conn.execute("PRAGMA journal_mode=WAL")
            switched = False
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stats["finish_s"] = time.perf_counter() - t0
    finally:
        try:
            if switched:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        finally:
            conn.close()
    seconds = time.perf_counter() - t_start
    stats["cpu_s"] = time.process_time() - cpu_start  # this process only
    rows = counts["reports"] + counts["events"] + counts["dispatches"]
    return {
        **counts,
        "operators": operators,
        "reference": reference,
        "seconds": round(seconds, 3),
        **{k: round(v, 3) for k, v in stats.items()},
        "method": method,
        "parallel": parallel,
        "reports_per_s": round(counts["reports"] / seconds) if seconds else None,
        "rows_per_s": round(rows / seconds) if seconds else None,
        "db_bytes": Path(db_path).stat().st_size,
    }
