"""The bell: wakes long polls (``GET /v1/pull?wait=S``) when a change commits.

Every writing transaction that allocated change sequence numbers says so with
``note_changes(conn, lo, hi, regions)`` (the seqs ``lo < seq <= hi`` and the region codes
of the reports they touched; None when unknown). ``Database.write()`` (server/db.py) then,
and only then:

- on PostgreSQL, sends ``NOTIFY posko_changes`` inside the transaction (PostgreSQL delivers
  it at commit, and never for a rolled-back transaction), so every server process on the
  database hears it through its one LISTEN connection (``Listener``, a background thread);
- after the commit, rings this process's bell at once (the LISTEN round trip would only
  add latency here; the same ring heard twice is counted once).

A waiter (an async route) is woken only by a ring that could concern it: a seq after the
head it already checked, touching a region in its scope (or unknown regions, or a gap in
what the bell heard: then it re-checks, to be safe). Wake-ups are debounced
(``min_interval``): a burst of 100 commits wakes each waiter a few times, not 100.
While the PostgreSQL listener is down (``live`` false) waiters re-check the database every
``FALLBACK_S`` seconds instead, so a change committed meanwhile is never missed.

A long poll whose cursor the bell proves up to date (``quiet``) starts waiting without
reading the feed. On SQLite the bell assumes this process makes every write from its start
on: a change written by another process (a script on the file while the server runs) wakes
nobody, and reaches a long poll only when its ``wait`` runs out (the answer then reads
the feed) - late, never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger("posko.server.bell")

CHANNEL = "posko_changes"
#: conn.info key of the rings a transaction will send at commit.
PENDING = "posko_rings"
#: Seconds between database re-checks while the bell cannot be trusted (listener down).
FALLBACK_S = 3.0
#: The LISTEN connection's name in pg_stat_activity.
APPLICATION_NAME = "posko-bell"
#: Woken long polls reading the feed at once, per process.
READS_AT_ONCE = 4
#: Longest NOTIFY payload we send (PostgreSQL's limit is 8000 bytes): past it, the regions
#: are left out and every waiter re-checks.
MAX_PAYLOAD = 7000


#: Every bell of this process, for ``closing()``.
_BELLS: weakref.WeakSet = weakref.WeakSet()


def closing() -> None:
    """The server is shutting down: every long poll answers its empty page now. (uvicorn
    waits for open requests before it exits; a restart must not wait out 300 long polls.)"""
    for bell in list(_BELLS):
        bell.close()


@dataclass(frozen=True)
class Ring:
    lo: int  # the head before this commit (exclusive)
    hi: int  # the last seq it allocated
    regions: frozenset[str | None] | None  # None: unknown, concerns every waiter

    def payload(self) -> str:
        text = f"{self.lo}:{self.hi}"
        if self.regions is not None:
            regions = ",".join(sorted("" if r is None else r for r in self.regions))
            if len(text) + len(regions) + 1 <= MAX_PAYLOAD:
                return f"{text}:{regions}"
        return text

    @classmethod
    def parse(cls, payload: str) -> Ring | None:
        parts = payload.split(":", 2)
        try:
            lo, hi = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            return None
        regions = None
        if len(parts) == 3:
            regions = frozenset(r or None for r in parts[2].split(","))
        return cls(lo, hi, regions)


def note_changes(conn, lo: int, hi: int, regions: Iterable[str | None] | None) -> None:  # noqa: ANN001
    """Called by a writer inside ``Database.write()`` after it moved the seq counter from
    ``lo`` to ``hi``: the ring goes out when (and only if) the transaction commits."""
    if hi <= lo:
        return
    conn.info.setdefault(PENDING, []).append(
        Ring(lo, hi, None if regions is None else frozenset(regions)))


def _areas(regions: frozenset[str | None]) -> frozenset[str]:
    """Every region code a scope may name to contain these: each code and its parents
    (``3273-2483-30959`` → ``3273``, ``3273-2483``, ``3273-2483-30959``; server/scope.py)."""
    out: set[str] = set()
    for code in regions:
        if code:
            parts = code.split("-")
            out.update("-".join(parts[:i]) for i in range(1, len(parts) + 1))
    return frozenset(out)


class _Waiter:
    """One long poll's place at the bell: what it has checked, and how far into the log
    it has looked (each ring is examined once per waiter)."""

    __slots__ = ("checked", "covered", "everything", "codes", "pos", "epoch", "future")

    def __init__(self, checked: int, scope, pos: int, epoch: int) -> None:  # noqa: ANN001
        self.checked = self.covered = checked
        self.everything = scope.everything
        self.codes = frozenset(scope.codes)
        self.pos = pos
        self.epoch = epoch
        self.future: asyncio.Future | None = None


class _LoopState:
    __slots__ = ("waiters", "last_fire", "timer")

    def __init__(self) -> None:
        self.waiters: set[_Waiter] = set()
        self.last_fire = 0.0
        self.timer: asyncio.TimerHandle | None = None


class Bell:
    def __init__(self, *, live: bool = True, min_interval: float = 0.1, keep: int = 4096) -> None:
        self._lock = threading.Lock()
        #: (ring, its areas) of the latest rings; ``_first``: the absolute index of the
        #: oldest one kept (a waiter's ``pos`` is absolute).
        self._log: deque[tuple[Ring, frozenset[str]]] = deque(maxlen=keep)
        self._first = 0
        self._seen: set[tuple[int, int]] = set()
        self.head = 0
        #: False while rings from other processes may be missed (PostgreSQL listener down).
        self.live = live
        self.min_interval = min_interval
        self._loops: dict[asyncio.AbstractEventLoop, _LoopState] = {}
        self.rings = 0  # distinct rings heard (tests, metrics)
        self.wakes = 0  # waiters woken
        self.waiting = 0  # long polls waiting now (tests, metrics)
        self.idle_reads = 0  # woken, read the feed, found nothing (metrics)
        self.closed = False
        #: Bumped when rings may have been missed (the listener dropped or came back):
        #: every waiter then re-checks the database once, whatever the log says.
        self.epoch = 0
        #: The bell heard of every commit since ``advance`` told it the database's head
        #: (SQLite: at start; PostgreSQL: at each LISTEN (re)connection).
        self.synced = False
        #: Long-poll re-reads at once: woken waiters take turns, so a burst of wake-ups
        #: cannot crowd the threadpool and the database that pushes need.
        self.reads = asyncio.Semaphore(READS_AT_ONCE)
        _BELLS.add(self)

    def advance(self, head: int) -> None:
        """The database's head as read now: seqs up to it with no ring are a gap (waiters
        behind it re-check); from now on every commit rings."""
        with self._lock:
            self.head = max(self.head, head)
            self.synced = True

    def quiet(self, cursor: int, scope) -> bool:  # noqa: ANN001 - server/scope.py Scope
        """True when the bell proves nothing after ``cursor`` concerns the caller, so a
        long poll can start waiting without reading the feed first."""
        if not (self.live and self.synced and not self.closed and cursor <= self.head):
            return False
        return not self._examine(_Waiter(cursor, scope, self._first, self.epoch))

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.wake_all()

    def resync(self) -> None:
        with self._lock:
            self.epoch += 1
        self.wake_all()

    # --- ringing (any thread) ----------------------------------------------------------

    def ring(self, rings: Iterable[Ring]) -> None:
        fresh = False
        with self._lock:
            for r in rings:
                if (r.lo, r.hi) in self._seen:
                    continue  # heard locally and again through LISTEN
                if len(self._log) == self._log.maxlen:
                    old = self._log[0][0]
                    self._seen.discard((old.lo, old.hi))
                    self._first += 1
                self._log.append((r, _areas(r.regions) if r.regions is not None else frozenset()))
                self._seen.add((r.lo, r.hi))
                self.head = max(self.head, r.hi)
                self.rings += 1
                fresh = True
            loops = list(self._loops)
        if fresh:
            self.wake_all(loops)

    def wake_all(self, loops: list | None = None) -> None:
        if loops is None:
            with self._lock:
                loops = list(self._loops)
        for loop in loops:
            if loop.is_closed():
                with self._lock:
                    self._loops.pop(loop, None)
                continue
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._schedule, loop)

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the loop: look now, or once ``min_interval`` after the last look (a burst
        of commits costs each waiter a few looks, not one per commit)."""
        st = self._loops.get(loop)
        if st is None or st.timer is not None:
            return
        wait = st.last_fire + self.min_interval - loop.time()
        if wait <= 0:
            self._fire(st, loop)
        else:
            st.timer = loop.call_later(wait, self._fire, st, loop)

    def _fire(self, st: _LoopState, loop: asyncio.AbstractEventLoop) -> None:
        """Wake only the waiters a new ring concerns (or all, when closing or resyncing)."""
        st.timer = None
        st.last_fire = loop.time()
        for w in list(st.waiters):
            if w.future is None or w.future.done():
                continue
            if self.closed:
                w.future.set_result(False)
            elif w.epoch != self.epoch or self._examine(w):
                self.wakes += 1
                w.future.set_result(True)

    # --- waiting (async) ---------------------------------------------------------------

    def _examine(self, w: _Waiter) -> bool:
        """Whether the rings ``w`` has not looked at yet may hold a change for it."""
        with self._lock:
            if self.head <= w.checked:
                w.pos = self._first + len(self._log)
                return False
            if w.pos < self._first:
                return True  # rings it never saw fell out of the log: re-check
            log = self._log
            for i in range(w.pos - self._first, len(log)):
                r, areas = log[i]
                if r.hi <= w.covered:
                    continue
                if r.regions is None or w.everything or not w.codes.isdisjoint(areas):
                    return True
                if r.lo > w.covered:
                    # Seqs after what it checked with no ring heard (yet, or ever: another
                    # process's writes, a ring overtaken by a later one): re-check.
                    return True
                w.covered = r.hi
            w.pos = self._first + len(log)
            # The rings it saw end before the head (advance() learnt of changes it has
            # no ring for): re-check.
            return self.head > w.covered

    async def wait(self, checked: int, scope, timeout: float) -> bool:  # noqa: ANN001
        """Wait until a change after ``checked`` may concern a caller of ``scope``
        (server/scope.py) (True), or until ``timeout`` seconds passed or the server
        stops (False). While the bell is not live it answers True every FALLBACK_S
        seconds: the caller re-checks the database."""
        loop = asyncio.get_running_loop()
        st = self._loops.get(loop)
        if st is None:
            with self._lock:
                st = self._loops.setdefault(loop, _LoopState())
        w = _Waiter(checked, scope, self._first, self.epoch)
        w.future = loop.create_future()
        st.waiters.add(w)  # before the look below: a ring after it finds this waiter
        try:
            if self.closed:
                return False
            if self._examine(w):
                return True
            deadline = loop.time() + timeout
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                live = self.live
                step = remaining if live else min(remaining, FALLBACK_S)
                try:
                    return await asyncio.wait_for(asyncio.shield(w.future), step)
                except TimeoutError:
                    if not live:
                        return True
        finally:
            st.waiters.discard(w)


class Listener:
    """One LISTEN connection per server process (PostgreSQL), on a daemon thread: rings
    the local bell with what other processes commit. Reconnects with back-off (0.5 s,
    doubling, capped at 10 s) when PostgreSQL restarts; the bell is not live meanwhile."""

    def __init__(self, url: str, bell: Bell) -> None:
        self.url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.bell = bell
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="posko-bell-listen", daemon=True)
        self.connected = threading.Event()

    def start(self) -> Listener:
        self.bell.live = False
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        import psycopg

        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5,
                                     application_name=APPLICATION_NAME) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    head = conn.execute("SELECT value FROM counter WHERE name = 'seq'").fetchone()
                    self.bell.advance(head[0] if head else 0)
                    self.bell.live = True
                    self.connected.set()
                    # Anything committed while we were not listening: every waiter
                    # re-checks (its cursor says what it still lacks).
                    self.bell.resync()
                    delay = 0.5
                    while not self._stop.is_set():
                        rings = [r for n in conn.notifies(timeout=1.0)
                                 if (r := Ring.parse(n.payload)) is not None]
                        if rings:
                            self.bell.ring(rings)
            except Exception as exc:  # noqa: BLE001 - any failure: reconnect later
                if self._stop.is_set():
                    break
                log.warning("change notifications lost (%s); reconnecting in %.1f s", exc, delay)
            finally:
                self.bell.live = False
                self.connected.clear()
                self.bell.resync()
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, 10.0)
