"""The Qt-side broadcaster of what changed, so each view refreshes only what it shows.

Everything that changes reports says so with one record,
:class:`console.operations.base.OpChanges`: an operator action returns it (``source``
"local"), the sync engine builds it after a push or a pull ("sync"), and a report found
changed under the operator is announced with it ("stale"). All of them end up here::

    bus.broadcast(changes)      # an OpChanges, nothing else

and every view that shows reports listens to :attr:`OpBus.changed`:

- the queue model re-reads the changed rows it shows (only those rows repaint; selection
  and scroll stay), and inserts changed or new reports that now match its filter;
- the detail panel reloads when it shows a changed report;
- the alert centre looks for new priority-1 reports among them;
- the map, the sensor layer and the sparkline redraw what they show.

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
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from console.operations.base import OpChanges
from console.views import messages
from console.views.db_bridge import DbBridge

log = logging.getLogger(__name__)

__all__ = ["OpBus", "OpRunner", "changes_of"]


def changes_of(result: Any) -> OpChanges | None:
    """What an operation's result changed: the result itself when it is an OpChanges, the
    ``changes`` it holds when it wraps one (``UndoableResult``, ``BulkResult``), else None."""
    if isinstance(result, OpChanges):
        return result
    held = getattr(result, "changes", None)
    return held if isinstance(held, OpChanges) else None


class OpBus(QObject):
    """One per window. Views connect to :attr:`changed`; operations and the sync engine
    call :meth:`broadcast`."""

    #: An :class:`OpChanges`, always delivered on the GUI thread.
    changed = Signal(object)
    _relay = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Queued even within the GUI thread would delay a local op's repaint by a loop
        # turn; AutoConnection queues only when broadcast() runs on another thread.
        self._relay.connect(self._deliver, Qt.ConnectionType.AutoConnection)

    def broadcast(self, changes: OpChanges) -> OpChanges:
        """Tell every view what changed. Safe from any thread."""
        if not isinstance(changes, OpChanges):
            raise TypeError(f"cannot broadcast {type(changes).__name__}: give an OpChanges")
        if changes.all_ids or changes.kind:
            self._relay.emit(changes)
        return changes

    @Slot(object)
    def _deliver(self, changes: OpChanges) -> None:
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

    #: (OpChanges or None, result) after an operation succeeded and was broadcast.
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
        """Submit ``fn(conn, *args, **kwargs)``; what its result changed (see
        :func:`changes_of`) is broadcast, then ``on_done(result)`` runs."""

        def done(result: Any) -> None:
            changes = changes_of(result)
            if changes is not None:
                self.bus.broadcast(changes)
            if on_done is not None:
                on_done(result)
            self.succeeded.emit(changes, result)

        def error(exc: BaseException) -> None:
            from console.domain.workflow import IllegalTransition
            from console.operations.base import OperationError, StaleReport

            partial = changes_of(exc)
            if partial is not None:  # part of it was done (e.g. saved but not merged)
                self.bus.broadcast(partial)
            if isinstance(exc, StaleReport):
                self.bus.broadcast(OpChanges.of_ids({exc.report_id}, kind="stale",
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
