"""The scheduler: runs engine cycles on the asyncio loop (qasync in the console), with the
blocking HTTP and database waits on a worker thread, so the event loop never blocks.

- A cycle runs at start, on "Sync now", shortly after a local change (debounced), and
  every ``idle_interval`` seconds when up to date; right away again when a cycle ended
  with work left (attachments gave way to the outbox, more pages).
- A failed cycle waits a jittered exponential back-off (1 s, 2 s, 4 s … capped at 5 min),
  chosen by ``SyncEngine.retry_delay`` (the rule ``posko sync`` uses too: progress since
  the last failure starts again from 1 s); "Sync now" and a new login retry at once.
  Connectivity is detected by the next cycle's first request.
- A login problem stops the loop until ``login()`` or ``sync_now()``.
- With ``watch=True`` the watch lane (watch.py) long-polls the feed on its own thread and
  connection between cycles (the priority lane alone during one), so a change in scope
  arrives within a second; the idle cycle is then a fallback (every 300 s).

Listeners get status and OpChanges on the loop's thread (the GUI thread under qasync).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from console.operations.base import OpChanges
from console.sync.engine import CycleReport, SyncEngine, SyncStatus
from console.sync.errors import AuthRequired, Cancelled, SyncError
from console.sync.link import Backoff
from console.sync.link_policy import InsecureLink
from console.sync.watch import Watch

log = logging.getLogger("posko.sync")


def _tell(listeners: list[Callable[[Any], None]], what: str, value: Any) -> None:
    """Hand ``value`` to each listener; one that fails is logged and the others still hear."""
    for fn in list(listeners):
        try:
            fn(value)
        except Exception:  # noqa: BLE001
            log.exception("sync %s listener failed", what)


class SyncService:
    def __init__(self, engine: SyncEngine, *, idle_interval: float = 60.0, debounce: float = 1.0,
                 backoff: Backoff | None = None, watch: bool = False,
                 watch_idle_interval: float = 300.0) -> None:
        """``watch``: run the watch lane (watch.py: long polls, so changes in scope arrive
        within a second); the idle cycle is then only a fallback, every
        ``max(idle_interval, watch_idle_interval)`` seconds."""
        self.engine = engine
        self.idle_interval = max(idle_interval, watch_idle_interval) if watch else idle_interval
        self.debounce = debounce
        if backoff is not None:
            engine.backoff = backoff
        self._status_listeners: list[Callable[[SyncStatus], None]] = []
        self._change_listeners: list[Callable[[OpChanges], None]] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="posko-sync")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._debounce_handle: asyncio.TimerHandle | None = None
        self._stopping = False
        self.last_report: CycleReport | None = None
        self.cycles = 0
        self._in_cycle = False
        self.watch: Watch | None = None
        if watch:
            self.watch = Watch(engine, idle=self._idle, on_auth=self._watch_auth)
        engine.on_status = self._from_worker(partial(_tell, self._status_listeners, "status"))
        engine.on_changes = self._from_worker(partial(_tell, self._change_listeners, "change"))

    @property
    def backoff(self) -> Backoff:
        """The engine's: one back-off, one reset rule (``SyncEngine.retry_delay``)."""
        return self.engine.backoff

    # --- listeners -------------------------------------------------------------------------

    def subscribe(self, *, on_status: Callable[[SyncStatus], None] | None = None,
                  on_changes: Callable[[OpChanges], None] | None = None) -> None:
        if on_status:
            self._status_listeners.append(on_status)
        if on_changes:
            self._change_listeners.append(on_changes)

    def _from_worker(self, fn: Callable) -> Callable:
        def relay(arg) -> None:  # noqa: ANN001
            loop = self._loop
            if loop is None or loop.is_closed():
                return
            with contextlib.suppress(RuntimeError):  # the loop is closing
                loop.call_soon_threadsafe(fn, arg)
        return relay

    # --- control ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is not None:
            return
        self._loop = asyncio.get_event_loop()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task = self._loop.create_task(self._run())
        if self.watch is not None:
            self.watch.start()

    def _idle(self) -> bool:
        """For the watch: no cycle runs and the last one ended complete."""
        report = self.last_report
        return not self._in_cycle and report is not None and report.complete

    def _watch_auth(self, exc: AuthRequired) -> None:
        # The watch's thread: the same status as a cycle's 401 (the bar asks to log in).
        self.engine.record_failure(exc, None)

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current step (a page, a batch or a chunk: each is atomic, so
        stopping anywhere loses nothing); waits at most ``timeout`` seconds."""
        self._stopping = True
        if self.watch is not None:
            self.watch.stop()
        self.engine.cancel()
        if self._wake:
            self._wake.set()
        if self._task:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            self._task.cancel()
        self._task = None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.engine.close()
        # Nothing reaches the listeners after a stop (a watch's long poll may still end
        # later on its daemon thread; the views it would notify may be gone).
        self._loop = None

    def halt(self) -> None:
        """Off the event loop (the application has quit, its loop is gone): the same
        stop without awaiting, then wait for the worker's last step, so neither the
        watch nor a cycle touches the database once the caller closes it."""
        self._stopping = True
        if self.watch is not None:
            self.watch.stop()
        self.engine.cancel()
        self._loop = None
        # Work still queued (a count refresh, a login) has nobody to report to any more
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.engine.close()

    def join(self) -> None:
        """After ``stop``: wait until the worker thread has finished its last step (a
        step ends within about a second of the cancel), so nothing the service started
        still runs when its caller closes the database."""
        self._pool.shutdown(wait=True)

    def sync_now(self) -> None:
        """Run a cycle now (the F5 / "Sync now" action); also ends a back-off wait."""
        self.backoff.reset()
        if self.watch is not None:
            self.watch.resume()
        if self._wake:
            self._wake.set()

    def notify_local_change(self) -> None:
        """An operation wrote to the outbox: push soon (debounced, so a burst of actions
        becomes one batch). While backing off after failures the back-off timer decides:
        working offline must not turn every keystroke into a connection attempt."""
        if self._loop is None:
            return
        if self._debounce_handle is not None:
            self._debounce_handle.cancel()
        self._debounce_handle = self._loop.call_later(self.debounce, self._wake_up)

    def _wake_up(self) -> None:
        if self._wake and not self.backoff.failures:
            self._wake.set()

    async def login(self, password: str) -> dict:
        loop = asyncio.get_event_loop()
        account = await loop.run_in_executor(self._pool, self.engine.login, password)
        self.sync_now()
        return account

    async def logout(self) -> None:
        loop = asyncio.get_event_loop()
        await loop.run_in_executor(self._pool, self.engine.logout)

    async def refresh(self) -> SyncStatus:
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(self._pool, self.engine.refresh_counts)

    # --- the loop --------------------------------------------------------------------------

    async def _sleep(self, delay: float | None) -> None:
        assert self._wake is not None
        if delay is not None and delay <= 0:
            return
        # asyncio.timeout awaits the event in this task; wait_for would wrap it in a task
        # of its own, left never started (and warned about) when a quit halts the loop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def _run(self) -> None:
        loop = asyncio.get_event_loop()
        assert self._wake is not None
        delay: float | None = 0.0
        while not self._stopping:
            await self._sleep(delay)
            self._wake.clear()
            if self._stopping:
                break
            self._in_cycle = True
            try:
                report = await loop.run_in_executor(self._pool, self.engine.run_cycle)
            except Cancelled:
                break
            except AuthRequired as exc:
                self.engine.record_failure(exc, None)
                delay = None  # until login() or sync_now()
                continue
            except SyncError as exc:
                if isinstance(exc, InsecureLink):
                    # A setting to fix (plain HTTP refused): retrying changes nothing.
                    self.engine.record_failure(exc, None)
                    delay = None  # until login() or sync_now()
                    continue
                delay = self.engine.retry_delay(exc)
                log.info("sync failed (%s); next try in %.1f s", exc, delay)
                continue
            except Exception as exc:  # noqa: BLE001 - a bug must not kill the scheduler
                delay = self.engine.retry_delay(exc)
                log.exception("sync cycle crashed; next try in %.1f s", delay)
                continue
            finally:
                self._in_cycle = False
                self.cycles += 1
            self.last_report = report
            progressed = report.pushed or report.pulled or not report.attachments_done
            delay = 0.0 if (not report.complete and progressed) else self.idle_interval
