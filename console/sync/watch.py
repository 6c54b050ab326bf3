"""The watch lane: a long poll on the change feed (``GET /v1/pull?wait=S``), so a report
filed anywhere in scope reaches this console within a second instead of at the next
idle cycle.

It runs on its own thread and its own connection (``Transport.lane_copy``), beside the
cycles ``SyncService`` runs:

- while no cycle runs and the last one ended complete, it long-polls the main feed (with
  ``lane=``, so P1/P2 reports ride along as in a cycle) and applies what comes through
  the engine's one apply path (``SyncEngine.apply_pulled``: the serialized DbExecutor, the
  cursor stored with the rows). A page whose cursor is no longer the stored one (a cycle
  applied a page meanwhile) is dropped, never applied twice;
- while a cycle runs (a catch-up, a push on a slow link), it long-polls the priority lane
  alone, so an incoming P1/P2 does not wait behind the bulk pull.

Errors never stop it for good: a reset, a timeout, a server restart retry with back-off
(1, 2, 4 … 60 s, jittered; any answer resets it). A 401 takes the cycle's path (the
status asks to log in) and the watch sleeps until ``resume()`` (a login, "Sync now").
Qt-free and blocking, like the engine.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable

from console.sync.engine import CycleReport, SyncEngine
from console.sync.errors import AuthRequired, Cancelled, SyncError
from console.sync.link import Backoff
from console.sync.transport import Transport

log = logging.getLogger("posko.sync.watch")

#: Seconds the server may hold a long poll of the main feed: well under the 60 s idle
#: timeout of common proxies, long enough that an idle console costs little.
MAIN_WAIT_S = 25
#: The priority lane's wait while a cycle runs: shorter, so the watch is back on the main
#: feed soon after the cycle ends.
LANE_WAIT_S = 10
#: An empty answer faster than this did not wait (see ``_run``).
QUICK_S = 1.0
#: Rows per page of the watch (changes that arrive while idle are few; a burst pages).
WATCH_LIMIT = 200


class Watch:
    def __init__(self, engine: SyncEngine, *, idle: Callable[[], bool],
                 on_auth: Callable[[AuthRequired], None] | None = None,
                 main_wait: int = MAIN_WAIT_S, lane_wait: int = LANE_WAIT_S,
                 backoff: Backoff | None = None) -> None:
        """``idle()``: no cycle runs and the last one ended complete (main feed), else the
        priority lane. ``on_auth``: called (on the watch's thread) with a login problem."""
        self.engine = engine
        self.idle = idle
        self.on_auth = on_auth or (lambda _exc: None)
        self.main_wait = main_wait
        self.lane_wait = lane_wait
        self.backoff = backoff or Backoff(base=1.0, cap=60.0, rng=random.Random())
        self._transport: Transport | None = None
        self._stop = threading.Event()
        self._go = threading.Event()  # cleared while a login is needed
        self._go.set()
        self._thread: threading.Thread | None = None
        #: Long polls answered, pages applied, pages dropped (stale), failures: for the
        #: status, the tests and the bench.
        self.polls = 0
        self.applied = 0
        self.dropped = 0
        self.failures = 0
        self.last_delay: float | None = None
        #: While a cycle catches up an old backlog of P1/P2 reports: the feed position
        #: the watch's priority-lane poll reads from instead (see ``step``).
        self._ahead: int | None = None

    # --- control (any thread) -------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="posko-sync-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ends the loop; a long poll under way is not waited for (its thread is a daemon
        and applies nothing after this)."""
        self._stop.set()
        self._go.set()
        # The connection is closed by the watch's own thread when its poll ends: closing
        # a socket another thread is reading frees its descriptor number for reuse while
        # that read is still under way.

    def resume(self) -> None:
        """After a login (or "Sync now"): poll again, at once."""
        self.backoff.reset()
        self._go.set()

    @property
    def paused(self) -> bool:
        return not self._go.is_set()

    # --- the loop (its own thread) ----------------------------------------------------

    def _lane(self) -> Transport:
        if self._transport is None:
            self._transport = self.engine.transport.lane_copy()
        tr = self._transport
        tr.token = self.engine.transport.token  # a new login replaces it
        tr.gzip_requests = self.engine.transport.gzip_requests
        return tr

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            if self._transport is not None:
                self._transport.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._go.wait()
            if self._stop.is_set():
                return
            delay = 0.0
            t0 = time.monotonic()
            try:
                if self.step() or time.monotonic() - t0 >= QUICK_S:
                    self.backoff.reset()
                else:
                    # An empty page at once: a server without long polls, or one that is
                    # stopping. Wait as after a failure, so the watch never spins.
                    delay = self.last_delay = self.backoff.next_delay()
            except Cancelled:
                return
            except AuthRequired as exc:
                if self._stop.is_set():
                    return
                self._go.clear()  # until resume(): the status asks for a login
                self.on_auth(exc)
            except SyncError as exc:
                delay = self._failed(exc)
            except Exception as exc:  # noqa: BLE001 - a bug must not end the watch
                if self._stop.is_set():
                    return  # the console closed its database under us
                log.exception("the watch failed")
                delay = self._failed(exc)
            if delay and self._stop.wait(delay):
                return

    def _failed(self, exc: BaseException) -> float:
        self.failures += 1
        delay = self.backoff.next_delay()
        self.last_delay = delay
        log.info("watch: %s; polling again in %.1f s", exc, delay)
        return delay

    def step(self) -> bool:
        """One long poll, and what it brought applied. True when it brought changes."""
        if not self.engine.transport.token:
            raise AuthRequired("not logged in to the server; log in to sync")
        engine, tr = self.engine, self._lane()
        idle = self.idle()
        report = CycleReport()
        if idle:
            cursor = engine._db(_cursor, "main")
            lane = engine._db(_cursor, "lane")
            page = tr.pull(cursor, WATCH_LIMIT, lane=lane, wait=self.main_wait)
        else:
            cursor = engine._db(_cursor, "both")
            # Past an old backlog of P1/P2 reports (a first sync, a scope change), read
            # ahead from where it ended: a new emergency must not queue behind hundreds of
            # old ones on a slow link. The cycle still brings those (the lane's cursor
            # stays; see SyncEngine.apply_lane ahead=).
            ahead = self._ahead is not None and self._ahead > cursor
            if not ahead:
                self._ahead = None
            page = tr.pull(self._ahead if ahead else cursor, WATCH_LIMIT, priority=2,
                           wait=self.lane_wait)
        self.polls += 1
        if self._stop.is_set():
            return False
        if idle:
            if engine.apply_pulled(report, page):
                self.applied += 1
                if page.count:
                    engine.refresh_counts()
            else:
                self.dropped += 1
            # Between cycles the watch keeps the gauges current too (a new sensor report
            # wants its sparkline now); the step asks only for what is due.
            engine.sensors.run(tr)
        else:
            if page.count:
                engine.apply_lane(report, page, ahead=ahead)
                self.applied += 1
            if ahead:
                self._ahead = page.next_cursor
            elif page.more:  # a backlog: the next poll looks only at what comes after it
                self._ahead = page.head
        return page.count > 0


def _cursor(conn, which: str) -> int:  # noqa: ANN001
    from console.sync import state

    main = state.get_int(conn, state.CURSOR)
    if which == "main":
        return main
    lane = state.get_int(conn, state.URGENT_CURSOR)
    return lane if which == "lane" else max(main, lane)
