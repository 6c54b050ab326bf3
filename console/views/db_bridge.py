"""Database futures → Qt signals, delivered on the GUI thread.

Views never wait on SQLite. They hand a store function to :class:`DbBridge`, which runs
it on the one database worker (:class:`console.store.executor.DbExecutor`) and calls
back on the GUI thread through a queued signal.

Requests may name a *channel* ("queue-page", "detail", ...). A newer request on the same
channel supersedes the older ones: a superseded request that has not started yet is
cancelled, and the result of one that already ran is dropped, so a slow answer to an
older filter can never overwrite the answer to the current one.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass
from itertools import count
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

from console.store.executor import DbExecutor

log = logging.getLogger(__name__)

__all__ = ["DbBridge"]


@dataclass
class _Request:
    channel: str | None
    future: Future
    on_result: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None


class DbBridge(QObject):
    """Runs store functions on the database worker and reports back on the GUI thread."""

    # (request id, result) for every delivered (not stale) result.
    resultReady = Signal(int, object)
    # (request id, message) for every delivered failure.
    failed = Signal(int, str)
    # Number of requests still running or queued; 0 means idle.
    busyChanged = Signal(int)

    _done = Signal(int)  # worker thread → GUI thread (queued)

    def __init__(self, executor: DbExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._ids = count(1)
        self._requests: dict[int, _Request] = {}
        self._latest: dict[str, int] = {}
        self._closed = False
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    @property
    def executor(self) -> DbExecutor:
        return self._executor

    @property
    def closed(self) -> bool:
        """Shut down (the window is closing): submit() refuses from now on."""
        return self._closed

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        channel: str | None = None,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        **kwargs: Any,
    ) -> int:
        """Run ``fn(conn, *args, **kwargs)`` on the worker; return the request id.

        ``on_result(result)`` / ``on_error(exc)`` run later on the GUI thread, unless a
        newer request on the same ``channel`` came in first."""
        if self._closed:
            raise RuntimeError("DbBridge is shut down")
        req_id = next(self._ids)
        if channel is not None:
            previous = self._latest.get(channel)
            self._latest[channel] = req_id
            if previous is not None and previous in self._requests:
                old = self._requests[previous]
                if old.future.cancel():  # not started yet: it never runs
                    del self._requests[previous]
        future = self._executor.submit(fn, *args, **kwargs)
        self._requests[req_id] = _Request(channel, future, on_result, on_error)
        self.busyChanged.emit(len(self._requests))
        # Runs in the worker thread (or here, if already done); the signal hops threads.
        future.add_done_callback(lambda _f, rid=req_id: self._emit_done(rid))
        return req_id

    def _emit_done(self, req_id: int) -> None:
        if not self._closed:
            try:
                self._done.emit(req_id)
            except RuntimeError:  # the bridge was deleted meanwhile
                pass

    def is_current(self, req_id: int) -> bool:
        req = self._requests.get(req_id)
        if req is None:
            return False
        return req.channel is None or self._latest.get(req.channel) == req_id

    def cancel(self, channel: str) -> None:
        """Forget the pending request of ``channel``: its result will be dropped."""
        req_id = self._latest.pop(channel, None)
        if req_id is not None and req_id in self._requests:
            self._requests[req_id].future.cancel()

    def pending(self) -> int:
        return len(self._requests)

    @Slot(int)
    def _on_done(self, req_id: int) -> None:
        req = self._requests.get(req_id)
        if req is None or self._closed:
            return
        current = req.channel is None or self._latest.get(req.channel) == req_id
        del self._requests[req_id]
        if req.channel is not None and current:
            del self._latest[req.channel]
        self.busyChanged.emit(len(self._requests))
        if not current:
            return  # stale: a newer request on this channel owns the answer
        try:
            result = req.future.result()
        except CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - reported, never swallowed silently
            message = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            log.error("database request %s failed: %s", req_id, message, exc_info=exc)
            self.failed.emit(req_id, message)
            if req.on_error is not None and _alive(req.on_error):
                req.on_error(exc)
            return
        self.resultReady.emit(req_id, result)
        if req.on_result is not None and _alive(req.on_result):
            req.on_result(result)

    def shutdown(self) -> None:
        """Drop every pending result (the window is closing). The executor is the
        caller's to shut down."""
        self._closed = True
        for req in self._requests.values():
            req.future.cancel()
        self._requests.clear()
        self._latest.clear()


def _alive(callback: Callable) -> bool:
    """False when ``callback`` belongs to a Qt object Qt already deleted (a dialog closed,
    a window closed while its query ran): its answer has nobody to show it to. That is a
    bound method's object, or any Qt object a lambda or closure captured (``lambda page:
    self._on_page(gen, page)``: its ``self``)."""
    held = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            held.append(cell.cell_contents)
        except ValueError:  # a cell not yet filled
            continue
    held += getattr(callback, "__defaults__", None) or ()
    return all(shiboken6.isValid(obj) for obj in held if isinstance(obj, QObject))
