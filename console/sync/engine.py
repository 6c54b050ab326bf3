"""The sync engine: one blocking *cycle* over the lanes —

1. both directions at once, on two connections (a slow link is usually as fast each way):
   the push lane sends the outbox (coalesced, P1/P2 first; pusher.py) batch after batch,
   while the pull lane applies the change feed page after page until the server's head.
   The priority lane rides on every page: the P1/P2 reports beyond it come along (table
   ``urgent``) and later pages leave them out, so an emergency waits at most one page
   and nothing travels twice. Once caught up, while the push lane is still busy, the pull
   lane asks the priority lane alone every few seconds;
2. the outbox again if the operator changed something meanwhile, and the feed again if
   anything was pushed (merged or kept values come back);
3. attachments: uploads, then thumbnails, then full files, giving way to the outbox
   between chunks.

Batch sizes follow the measured link (``LinkEstimator``): a request should take about
``target_request_s`` seconds. A pull page cut off in transit halves a separate cap that the
budget cannot overwrite (down to one row), and the cap doubles back after each applied page.

Retry waits (``retry_delay``) follow one rule for the console's scheduler and the headless
command alike: a failure after progress (a batch confirmed, a page applied) starts the
back-off from its base again; only failures in a row without progress escalate it.

Qt-free and blocking: ``SyncService`` (service.py) runs cycles on a worker thread of the
asyncio (qasync) loop; the headless command calls them directly.
Database work goes through the one ``DbExecutor``.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from console.operations.base import OpChanges
from console.store import db as db_errors
from console.store import outbox
from console.store.executor import DbExecutor
from console.store.transaction import write_transaction
from console.sync import link_policy, pusher, state
from console.sync.attachments import AttachmentLane
from console.sync.credentials import TokenStore
from console.sync.errors import (
    AuthRequired,
    BadResponse,
    Cancelled,
    CursorAhead,
    LocalStoreError,
    Offline,
    Refused,
    SyncError,
)
from console.sync.link import Backoff, LinkEstimator
from console.sync.partial import salvage
from console.sync.puller import StaleCursor, apply_page, apply_urgent_page
from console.sync.sensors import SensorStep
from console.sync.transport import Page, Transport

log = logging.getLogger("posko.sync")

CLOCK_SKEW_WARN_S = 120.0
#: Stay well under the server's 2 MiB body limit (a bigger batch is split anyway).
MAX_PUSH_BYTES = 1_500_000


@dataclass
class SyncConfig:
    server_url: str
    username: str
    verify: bool | str = True
    blob_dir: Path | None = None
    attachments: bool = True
    download_files: bool = True
    min_pull: int = 50
    max_pull: int = 2000
    initial_pull: int = 300
    max_push: int = 500
    initial_push: int = 100
    probe_interval_s: float = 300.0
    min_connect_timeout: float = 5.0
    min_read_timeout: float = 20.0
    #: Seconds one request should take on the measured link: short enough that a reset
    #: wastes little and a stop (SIGTERM, --max-time) lands within seconds, long enough
    #: that the round trip is a small part of it.
    target_request_s: float = 5.0
    #: Seconds a pull page should take: longer than a push, because a page the link cuts
    #: keeps the rows that arrived (partial.py), so a reset wastes little of it, and every
    #: page costs a round trip. Stops stay quick: a page being received checks every 8 KB.
    pull_page_s: float = 10.0
    #: The pull lane asks the priority lane again after this many seconds.
    urgent_every_s: float = 3.0
    #: Run the pull lane beside the push lane on a second connection.
    parallel_lanes: bool = True
    #: Fold a report's unsent create and patches into one mutation (coalesce.py).
    coalesce: bool = True


@dataclass(frozen=True)
class SyncStatus:
    """What the status bar shows. ``state``: online | degraded | offline | login."""

    state: str = "offline"
    message: str = ""  # English, for logs; the operator sees ``code`` + ``params``
    code: str = ""  # console/views/messages.py turns it into Indonesian
    params: dict = field(default_factory=dict)
    busy: bool = False
    pending: int = 0
    quarantined: int = 0
    conflicts: int = 0
    last_success_at: str | None = None
    rtt_ms: float | None = None
    kbit_s: float | None = None
    progress: tuple[int, int] | None = None  # (done, total) changes of the current catch-up
    retry_in_s: float | None = None
    failures: int = 0  # failed attempts in a row without progress (what the back-off counts)
    clock_skew_s: float | None = None
    cursor: int = 0
    head: int | None = None


class Retry(NamedTuple):
    delay: float  # seconds waited before the next attempt
    in_a_row: int  # failures without progress up to this one (1: a fresh first failure)


@dataclass
class CycleReport:
    complete: bool = False  # outbox empty and the pull reached the server's head
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    attachments_done: bool = True
    changes: list[OpChanges] = field(default_factory=list)


class SyncEngine:
    def __init__(self, db: DbExecutor, config: SyncConfig, *, tokens: TokenStore | None = None,
                 transport: Transport | None = None,
                 on_changes: Callable[[OpChanges], None] | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None) -> None:
        self.db = db
        self.config = config
        self.tokens = tokens or TokenStore(Path(db.db.path).parent)
        link = LinkEstimator(min_connect_timeout=config.min_connect_timeout,
                             min_read_timeout=config.min_read_timeout,
                             target_request_s=config.target_request_s)
        self.transport = transport or Transport(config.server_url, link=link, verify=config.verify)
        if self.transport.token is None:
            self.transport.token = self.tokens.get(config.server_url, config.username)
        self._cancel = threading.Event()
        self.transport.cancel = self._cancel
        self._pull_transport: Transport | None = None  # the pull lane's connection
        self.on_changes = on_changes or (lambda _c: None)
        self.on_status = on_status or (lambda _s: None)
        blob_dir = config.blob_dir or Path(db.db.path).parent / "blobs"
        self.attachments = AttachmentLane(self.transport, db, blob_dir,
                                          download_files=config.download_files)
        self._lock = threading.Lock()
        self._status = SyncStatus(state="login" if not self.transport.token else "offline")
        self._pull_limit = config.initial_pull
        #: Rows per page allowed after cut pages (None: no cut lately). Kept apart from
        #: ``_pull_limit``, which the link budget recomputes before every page.
        self._cut_cap: int | None = None
        self._push_count = config.initial_push
        self._bytes_per_row = 120.0
        self._bytes_per_mutation = 600.0
        self._last_probe: float | None = None
        self._urgent_at: float | None = None
        self.backoff = Backoff()
        #: Steps committed so far (batches recorded, pages applied): the back-off's reset rule.
        self.progress = 0
        self._progress_at_failure = 0
        self._retry_smaller = False
        #: Every retry wait chosen, oldest first (bounded): for the bench and the tests.
        self.retries: list[Retry] = []
        #: City sensors (sensors.py): a side step of the cycle and the watch that never
        #: fails either; announced as OpChanges(kind="sensors").
        self.sensors = SensorStep(self._db, self._emit)

    # --- status ----------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def _update(self, **kw) -> None:
        with self._lock:
            self._status = replace(self._status, **kw)
            status = self._status
        try:
            self.on_status(status)
        except Exception:  # noqa: BLE001 - a listener must never break the engine
            log.exception("sync status listener failed")

    def _db(self, fn: Callable, *args, **kwargs):  # noqa: ANN202
        try:
            return self.db.call(fn, *args, **kwargs)
        except db_errors.Error as exc:
            text = str(exc)
            if "full" in text.lower():
                raise LocalStoreError(
                    f"the disk of this computer is full ({text}); free some space. Nothing "
                    "was half-written; sync continues when there is room",
                    code="disk_full") from exc
            raise LocalStoreError(
                f"the local database refused the write ({text}); nothing was half-written"
            ) from exc

    def refresh_counts(self) -> SyncStatus:
        c = self._db(state.counts)
        link = self.transport.link
        self._update(pending=c.pending, quarantined=c.quarantined, conflicts=c.conflicts,
                     last_success_at=c.last_success_at, cursor=c.cursor, head=c.head,
                     rtt_ms=None if link.srtt is None else link.srtt * 1000, kbit_s=link.kbit_s,
                     clock_skew_s=self.transport.clock_skew_s)
        return self.status

    def record_failure(self, exc: BaseException, retry_in: float | None) -> None:
        """Called by the scheduler after a failed cycle: the state and the message."""
        if isinstance(exc, SyncError):
            kind, message = exc.state, str(exc)
            code, params = exc.error_code, dict(exc.error_params)
        else:
            kind, message = "degraded", f"unexpected error: {exc}"
            code, params = "unexpected", {}
        if isinstance(exc, Offline):
            kind = "offline"
        self._update(state=kind, message=message, code=code, params=params, busy=False,
                     retry_in_s=retry_in, failures=self.backoff.failures)

    def retry_delay(self, exc: BaseException) -> float:
        """The wait before the next attempt after a failed one, recorded in the status.
        The one back-off rule: if anything was committed since the last failure, this is
        a fresh first failure (a reset on a link that works between resets is not an
        outage, and escalating would make each retry land nearer the next reset). So is
        a page cut in transit that the next try asks smaller: the server answered, and
        the shrinking is bounded (about 11 halvings to one row), so it cannot hammer."""
        if self.progress != self._progress_at_failure or self._retry_smaller:
            self.backoff.reset()
            self._progress_at_failure = self.progress
        self._retry_smaller = False
        delay = self.backoff.next_delay()
        self.retries.append(Retry(delay, self.backoff.failures))
        del self.retries[:-1000]
        self.record_failure(exc, delay)
        return delay

    def _progressed(self) -> None:
        with self._lock:  # both lanes make progress
            self.progress += 1
        if self.status.failures:
            self._update(failures=0)

    # --- login -----------------------------------------------------------------------------

    def _apply_link_policy(self) -> None:
        """Plain HTTP only to this computer unless the folder allows it; certificates
        checked against the folder's CA bundle if it names one (link_policy.py)."""
        allow_http, verify = self._db(link_policy.load)
        link_policy.check(self.config.server_url, allow_http=allow_http)
        if verify is not True and self.config.verify is True:
            for tr in (self.transport, self._pull_transport):
                if tr is not None:
                    tr.session.verify = verify

    def login(self, password: str) -> dict:
        self._apply_link_policy()
        doc = self.transport.login(self.config.username, password)
        self.tokens.set(self.config.server_url, self.config.username, doc["token"])
        reset = self._db(state.bind_account, self.config.server_url, doc["account"])
        if reset:
            log.info("sync scope changed: pulling again from cursor 0")
        self._update(state="online", message="logged in", code="logged_in", params={},
                     retry_in_s=None)
        return doc["account"]

    def logout(self) -> None:
        try:
            self.transport.logout()
        except SyncError as exc:  # offline: the token is forgotten here all the same
            log.info("logout could not reach the server: %s", exc)
        self.transport.token = None
        self.tokens.delete(self.config.server_url, self.config.username)
        self._update(state="login", message="logged out", code="logged_out", params={})

    def close(self) -> None:
        self.transport.close()
        if self._pull_transport is not None:
            self._pull_transport.close()

    def cancel(self) -> None:
        """Stop the running cycle at the next step boundary (page, batch, chunk)."""
        self._cancel.set()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled("sync stopped: the console is closing")

    # --- one cycle -------------------------------------------------------------------------

    def run_cycle(self) -> CycleReport:
        report = CycleReport()
        self._apply_link_policy()
        if not self.transport.token:
            raise AuthRequired("not logged in to the server; log in to sync")
        self._update(busy=True, retry_in_s=None)
        try:
            self._ensure_bound()
            self._probe()
            pull_tr = self.pull_lane()
            self._both_ways(report, pull_tr)
            self._push_all(report)
            if report.pushed or report.conflicts:
                # What the server made of our pushes that the feed does send back (merged
                # values, kept values of a conflict) arrives before the cycle says done.
                self._pull_all(report, pull_tr)
            self.sensors.run(pull_tr)
            if self.config.attachments:
                report.attachments_done = self.attachments.run(self._outbox_waiting)
                self._push_all(report)
            self._check_cancel()
            counts = self.refresh_counts()
            report.complete = counts.pending == 0 and counts.head is not None \
                and counts.cursor == counts.head
            link = self.transport.link
            skew = self.transport.clock_skew_s
            message = "up to date" if report.complete else "sync in progress"
            params: dict = {"quarantined": counts.quarantined}
            if counts.quarantined:
                message += f"; {counts.quarantined} change(s) refused by the server need attention"
            if skew is not None and abs(skew) > CLOCK_SKEW_WARN_S:
                params["clock_skew_s"] = skew
                message += (f"; this computer's clock is off by {_duration(skew)} (sync is not "
                            "affected, but times typed here may be wrong)")
            self.backoff.reset()  # a whole cycle went through
            self._update(state=link.quality(), message=message, busy=False, progress=None,
                         code="up_to_date" if report.complete else "in_progress", params=params,
                         failures=0)
        except BaseException:
            self._update(busy=False, progress=None)
            raise
        return report

    def _ensure_bound(self) -> None:
        if self._db(state.get_meta, state.SCOPE) is None:
            account = self.transport.me()
            self._db(state.bind_account, self.config.server_url, account)
        if self.transport.gzip_requests is None:
            known = self._db(state.get_meta, state.GZIP_PUSH)
            if known in ("0", "1"):
                self.transport.gzip_requests = known == "1"

    def _probe(self) -> None:
        now = self.transport.clock()
        if self._last_probe is None or now - self._last_probe > self.config.probe_interval_s:
            self.transport.server_time()
            self._last_probe = now

    def pull_lane(self) -> Transport:
        """The connection the pull lane uses (the push lane's own when lanes are off)."""
        if not self.config.parallel_lanes:
            return self.transport
        if self._pull_transport is None:
            self._pull_transport = self.transport.lane_copy()
        self._pull_transport.token = self.transport.token
        self._pull_transport.gzip_requests = self.transport.gzip_requests
        return self._pull_transport

    def _both_ways(self, report: CycleReport, pull_tr: Transport) -> None:
        """Push and pull at once (module doc, step 2). The first error of either lane is
        raised once both have stopped; whatever either committed stays committed."""
        if pull_tr is self.transport:
            self._push_all(report)
            self._pull_all(report, pull_tr)
            return
        pushed = threading.Event()
        failed: list[BaseException] = []

        def pull_lane() -> None:
            try:
                self._pull_all(report, pull_tr)
                # Caught up while the outbox is still going out: keep the priority lane
                # open, so an emergency filed meanwhile still comes first. A look every
                # quarter second, and at once out when the push ends.
                while not pushed.wait(0.25) and not self._cancel.is_set():
                    self._maybe_urgent(report, pull_tr)
            except BaseException as exc:  # noqa: BLE001 - handed to the cycle below
                failed.append(exc)

        lane = threading.Thread(target=pull_lane, name="posko-sync-pull", daemon=True)
        lane.start()
        try:
            self._push_all(report)
        except BaseException as exc:  # noqa: BLE001
            failed.insert(0, exc)
        finally:
            pushed.set()
            lane.join()
        if failed:
            raise failed[0]

    def _maybe_urgent(self, report: CycleReport, tr: Transport) -> None:
        now = self.transport.clock()
        if self._urgent_at is None or now - self._urgent_at >= self.config.urgent_every_s:
            self._pull_urgent(report, tr)

    def _pull_urgent(self, report: CycleReport, tr: Transport) -> None:
        """The priority lane alone (the pull lane is caught up): P1/P2 reports after
        max(main cursor, lane cursor)."""
        self._urgent_at = self.transport.clock()
        for _ in range(20):  # a burst of emergencies pages; the main feed has the rest
            self._check_cancel()
            cursor = max(self._db(state.get_int, state.CURSOR),
                         self._db(state.get_int, state.URGENT_CURSOR))
            try:
                page = tr.pull(cursor, 200, priority=2)
            except (CursorAhead, Offline, BadResponse) as exc:
                # The lane is a shortcut, never a gate: the main feed brings these reports
                # too, and shrinks its pages if the link cuts them.
                log.info("priority lane skipped this time: %s", exc)
                return
            self._apply_lane(report, page)
            if not page.more:
                return

    def _keep_cut_page(self, report: CycleReport, tr: Transport) -> bool:
        """Apply what can be kept of a cut page; True when that moved the cursor."""
        if tr.last_cut is None:
            return False
        raw, gzipped, cursor = tr.last_cut
        tr.last_cut = None
        page = salvage(raw, gzipped=gzipped, expect_cursor=cursor)
        if page is None:
            return False
        try:
            result = self._db(apply_page, page)
        except (StaleCursor, BadResponse) as exc:
            log.info("the rows of a cut page were not kept: %s", exc)
            return False
        report.pulled += result.rows
        self._progressed()
        if result.changes.report_ids:
            self._emit(result.changes)
        self.refresh_counts()
        return True

    def _apply_riding_lane(self, report: CycleReport, page: Page) -> None:
        if page.lane_cursor is not None:
            self._apply_lane(report, Page(page.cursor, page.lane_cursor, False, page.head,
                                          page.server_time,
                                          {"report": page.tables.get("urgent", [])}))

    def _apply_lane(self, report: CycleReport, page: Page, *, keep_cursor: bool = False) -> None:
        """A page of the priority lane (alone, or riding on a main page): applied, and
        announced first as urgent (alerts), then as an ordinary change."""
        result = self._db(apply_urgent_page, page, keep_cursor=keep_cursor)
        report.pulled += result.rows
        if result.changes.report_ids:
            self._emit(OpChanges(kind="sync_urgent", report_ids=result.changes.report_ids,
                                 created=result.changes.created, timeline=False, outbox=False,
                                 source="sync"))
            self._emit(result.changes)

    def _outbox_waiting(self) -> bool:
        return self._cancel.is_set() or self._db(outbox.pending_count) > 0

    def _push_all(self, report: CycleReport) -> None:
        while True:
            self._check_cancel()
            link = self.transport.link
            if link.up_bps is not None or link.down_bps is not None:
                per = self._bytes_per_mutation * (0.3 if self.transport.gzip_requests else 1.0)
                self._push_count = int(max(1, min(self.config.max_push, link.budget_bytes(up=True) / per)))
            max_bytes = max(4096, link.budget_bytes(up=True) * (3 if self.transport.gzip_requests else 1))
            max_bytes = min(max_bytes, MAX_PUSH_BYTES)
            batch = self._db(pusher.prepare_batch, self._push_count, max_bytes,
                             coalesce=self.config.coalesce)
            if not batch:
                return
            payloads = [m.payload for m in batch]
            self._bytes_per_mutation = 0.5 * self._bytes_per_mutation + 0.5 * (
                sum(map(len, payloads)) / len(payloads))
            had_gzip = self.transport.gzip_requests
            try:
                results = self.transport.push(payloads)
            except Refused as exc:
                # The request as a whole was refused (too large, malformed): split the
                # batch; a single mutation that can never be sent goes to quarantine.
                if len(batch) > 1:
                    self._push_count = max(1, len(batch) // 2)
                    continue
                self._db(pusher.quarantine, batch[0], f"{exc.status}: {exc}")
                report.quarantined += 1
                self._progressed()  # the outbox moved on
                continue
            if had_gzip is None and self.transport.gzip_requests is not None:
                self._db(_store_gzip, self.transport.gzip_requests)
            outcome = self._db(pusher.record_results, batch, results)
            report.pushed += outcome.applied
            report.conflicts += outcome.conflicts
            report.quarantined += outcome.quarantined
            self._progressed()
            self._emit(outcome.changes)
            self.refresh_counts()

    def _pull_all(self, report: CycleReport, tr: Transport | None = None) -> None:
        tr = tr or self.transport
        start = self._db(state.get_int, state.CURSOR)
        while True:
            self._check_cancel()
            cursor = self._db(state.get_int, state.CURSOR)
            lane = self._db(state.get_int, state.URGENT_CURSOR)
            link = self.transport.link
            if link.down_bps is not None or link.up_bps is not None:
                # Measured (either way: links are usually symmetric until the first page
                # says otherwise): a page should take about target_request_s.
                budget = link.budget_bytes(up=False) * self.config.pull_page_s / self.config.target_request_s
                self._pull_limit = int(budget / max(20.0, self._bytes_per_row))
            limit = int(max(self.config.min_pull, min(self.config.max_pull, self._pull_limit)))
            if self._cut_cap is not None:
                limit = min(limit, self._cut_cap)
            try:
                page = tr.pull(cursor, limit, lane=lane)
            except CursorAhead:
                log.warning("the server's feed restarted; pulling again from cursor 0")
                self._db(_reset_cursor)
                start = 0
                continue
            except (Offline, BadResponse):
                # Cut in transit: keep the rows that arrived, up to the first missing one
                # (partial.py), so a reset costs only what was on its way.
                if self._keep_cut_page(report, tr):
                    raise
                # Nothing to keep, but an answer had begun (bytes came in) → the next try
                # asks for half as many rows, down to one, whatever the budget says; a page
                # that never fits between two resets would otherwise be resent for ever.
                # No answer at all (server down) says nothing about the page's size.
                if tr.pull_received:
                    self._cut_cap = max(1, limit // 2)
                    self._retry_smaller = self._cut_cap < limit
                raise
            if self._cut_cap is not None:  # it went through: grow back, as TCP does
                self._cut_cap *= 2
                if self._cut_cap >= self.config.max_pull:
                    self._cut_cap = None
            if page.count:
                self._bytes_per_row = 0.5 * self._bytes_per_row + 0.5 * (page.wire_bytes / page.count)
            if not self.apply_pulled(report, page):
                continue
            total = max(0, page.head - start)
            self._update(progress=(page.next_cursor - start, total) if page.more else None)
            self.refresh_counts()
            if not page.more:
                return

    def apply_pulled(self, report: CycleReport, page: Page) -> bool:
        """Apply a page of the main feed and announce it: the one path for the cycle's pull
        lane and the watch (watch.py). False, and nothing applied, when the stored cursor
        is no longer the page's (the other lane applied a page meanwhile): drop it."""
        try:
            result = self._db(apply_page, page)
        except StaleCursor:
            return False
        report.pulled += result.rows
        report.conflicts += result.conflicts
        self._progressed()
        self._apply_riding_lane(report, page)
        if result.urgent:  # priority 1-2 first: alerts and their rows before the rest
            self._emit(OpChanges(kind="sync_urgent", report_ids=result.urgent,
                                 created=result.changes.created & result.urgent,
                                 timeline=False, outbox=False, source="sync"))
        if result.changes.report_ids or result.changes.detail.get("conflicts"):
            self._emit(result.changes)
        return True

    def apply_lane(self, report: CycleReport, page: Page, *, ahead: bool = False) -> None:
        """A page of the priority lane alone (the watch's, while a cycle runs); ``ahead``:
        read past the lane's cursor (see ``apply_urgent_page`` keep_cursor)."""
        self._apply_lane(report, page, keep_cursor=ahead)

    def _emit(self, changes: OpChanges) -> None:
        try:
            self.on_changes(changes)
        except Exception:  # noqa: BLE001
            log.exception("sync change listener failed")


def _store_gzip(conn: sqlite3.Connection, value: bool) -> None:
    with write_transaction(conn):
        state.set_meta(conn, state.GZIP_PUSH, "1" if value else "0")


def _reset_cursor(conn: sqlite3.Connection) -> None:
    with write_transaction(conn):
        state.set_meta(conn, state.CURSOR, "0")
        state.set_meta(conn, state.URGENT_CURSOR, None)
        state.set_meta(conn, state.HEAD, None)


def _duration(seconds: float) -> str:
    s = abs(seconds)
    if s >= 86400 * 0.9:
        return f"{s / 86400:.1f} day(s)"
    if s >= 3600:
        return f"{s / 3600:.1f} hour(s)"
    return f"{s / 60:.0f} minute(s)"
