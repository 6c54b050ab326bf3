"""The Qt-side broadcaster of what changed, so each view refreshes only what it shows.

Every operator action is one operation returning :class:`console.operations.base.OpChanges`;
the sync engine, after a pull, has its own set of changed report ids. Both end up here::

    bus.broadcast(changes)      # OpChanges, anything with report_ids/created, or ids

and every view that shows reports listens to :attr:`OpBus.changed`:

- the queue model re-reads the changed rows it shows (only those rows repaint; selection
  and scroll stay), and inserts changed or new reports that now match its filter;
- the detail panel reloads when it shows a changed report;
- the alert centre looks for new priority-1 reports among them.

``broadcast`` may be called from any thread (the sync engine's): the signal is delivered
on the GUI thread through a queued connection.

:class:`OpRunner` is how views run an operation: it submits the operation to the
database worker through the :class:`DbBridge`, broadcasts its OpChanges when it
succeeds, and turns a :class:`StaleReport` (someone else changed the report since the
operator looked) into a broadcast of that report, so the change is shown rather than
overwritten, plus a message for the operator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from console.views import messages
from console.views.db_bridge import DbBridge

log = logging.getLogger(__name__)

__all__ = ["Changes", "OpBus", "OpRunner", "as_changes"]


@dataclass(frozen=True)
class Changes:
    """What changed, as the views see it. ``source`` is "local" (an operation on this
    console), "sync" (the sync engine applied server changes) or "stale" (we learned
    that a report changed under us)."""

    report_ids: frozenset[str] = frozenset()
    created: frozenset[str] = frozenset()
    kind: str = ""
    source: str = "local"
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def all_ids(self) -> frozenset[str]:
        return self.report_ids | self.created


def as_changes(changes: Any, source: str | None = None) -> Changes:
    """Normalise an OpChanges, a Changes, an object with ``report_ids`` (and optionally
    ``created``/``kind``/``source``), a mapping with those keys, or a plain iterable of
    report ids."""
    if isinstance(changes, Changes):
        if source is None or source == changes.source:
            return changes
        return Changes(changes.report_ids, changes.created, changes.kind, source, changes.detail)
    if isinstance(changes, dict):
        get = changes.get
    elif hasattr(changes, "report_ids"):
        def get(name, default=None):  # noqa: ANN001, ANN202
            return getattr(changes, name, default)
    elif isinstance(changes, str):
        return Changes(report_ids=frozenset({changes}), source=source or "local")
    elif isinstance(changes, Iterable):
        return Changes(report_ids=frozenset(str(i) for i in changes), source=source or "local")
    else:
        raise TypeError(f"cannot broadcast {type(changes).__name__}: give OpChanges or report ids")
    ids = frozenset(str(i) for i in (get("report_ids") or ()))
    created = frozenset(str(i) for i in (get("created") or ()))
    detail = get("detail") or {}
    return Changes(
        report_ids=ids | created,
        created=created,
        kind=str(get("kind") or ""),
        source=source or str(get("source") or "local"),
        detail=dict(detail) if isinstance(detail, dict) else {},
    )


class OpBus(QObject):
    """One per window. Views connect to :attr:`changed`; operations and the sync engine
    call :meth:`broadcast`."""

    #: A :class:`Changes`, always delivered on the GUI thread.
    changed = Signal(object)
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even within the GUI thread would delay a local op's repaint by a loop
        # turn; AutoConnection queues only when broadcast() runs on another thread.
        self._relay.connect(self._deliver, Qt.ConnectionType.AutoConnection)

    def broadcast(self, changes: Any, *, source: str | None = None) -> Changes:
        """Tell every view what changed. Safe from any thread."""
        normal = as_changes(changes, source)
        if normal.all_ids or normal.kind:
            self._relay.emit(normal)
        return normal

    @Slot(object)
    def _deliver(self, changes: Changes) -> None:
        self.changed.emit(changes)


def stale_message(exc: BaseException) -> str:
    return QCoreApplication.translate(
        "OpRunner",
        "Laporan ini baru saja diubah oleh petugas lain atau sinkronisasi. Perubahannya "
        "sekarang ditampilkan; periksa lalu ulangi tindakan Anda bila masih perlu.",
    )


def illegal_message(exc) -> str:
    from console.views.labels import action_label, status_label

    return QCoreApplication.translate(
        "OpRunner", "Tindakan “{action}” tidak dapat dilakukan pada laporan berstatus "
        "“{status}”."
    ).format(action=action_label(str(exc.action)), status=status_label(str(exc.status)))


class OpRunner(QObject):
    """Runs operations on the database worker and broadcasts what they changed."""

    #: (Changes, result) after an operation succeeded and was broadcast.
    succeeded = Signal(object, object)
    #: (message for the operator, exception) when an operation was refused or failed.
    failed = Signal(str, object)

    def __init__(self, bridge: DbBridge, bus: OpBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.bus = bus

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str, BaseException], None] | None = None,
        **kwargs: Any,
    ) -> int:
        """Submit ``fn(conn, *args, **kwargs)``; its result (OpChanges, or anything with
        ``report_ids``/``changes``) is broadcast, then ``on_done(result)`` runs."""

        def done(result: Any) -> None:
            changes = getattr(result, "changes", result)
            normal = self.bus.broadcast(changes, source="local") if changes is not None else None
            if on_done is not None:
                on_done(result)
            self.succeeded.emit(normal, result)

        def error(exc: BaseException) -> None:
            from console.domain.workflow import IllegalTransition
            from console.operations.base import OperationError, StaleReport

            partial = getattr(exc, "changes", None)
            if partial is not None:  # part of it was done (e.g. saved but not merged)
                self.bus.broadcast(partial, source="local")
            if isinstance(exc, StaleReport):
                self.bus.broadcast(Changes(report_ids=frozenset({exc.report_id}), kind="stale",
                                           source="stale"))
                message = stale_message(exc)
            elif isinstance(exc, IllegalTransition):
                message = illegal_message(exc)
            elif isinstance(exc, OperationError | ValueError):
                message = messages.error_text(exc)
            else:
                message = QCoreApplication.translate(
                    "OpRunner", "Tindakan gagal karena kesalahan tak terduga: {error}"
                ).format(error=f"{type(exc).__name__}: {exc}")
            if on_error is not None:
                on_error(message, exc)
            self.failed.emit(message, exc)

        return self.bridge.submit(fn, *args, on_result=done, on_error=error, **kwargs)
