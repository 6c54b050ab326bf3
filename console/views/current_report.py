"""The one current report: the report the Detail panel shows is the one every key, button
and menu acts on, and the queue selection follows it.

Every way of opening a report goes through :meth:`CurrentReport.open` — a queue row the
operator moves to, a map marker, a report just saved from intake (or a duplicate just
saved), a similar report, the next P1 alert — so Detail, the queue selection and the map
can never point at different reports. A report outside the queue's filter is pinned at
the top of the queue while it is current (:meth:`QueuePanel.follow`).

Targets (:meth:`targets`): the current report; several reports only when the operator
selected several queue rows and the current one is among them (a bulk action). While
the current report is still loading there is no target, so a key pressed right after
saving a new report never falls through to whatever row was highlighted before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from console.store.queue import QueueRow
    from console.views.detail_panel import DetailPanel
    from console.views.queue_panel import QueuePanel

__all__ = ["CurrentReport"]


class CurrentReport(QObject):
    """Holds the current report's id and keeps the queue and Detail on it."""

    #: the current report's id (None: nothing open)
    changed = Signal(object)

    def __init__(self, queue: QueuePanel, detail: DetailPanel, parent: QObject | None = None):
        super().__init__(parent)
        self.queue = queue
        self.detail = detail
        self._id: str | None = None
        queue.currentReportChanged.connect(self._from_queue)

    @property
    def id(self) -> str | None:
        return self._id

    def open(self, report_id: str | None) -> None:
        """Make ``report_id`` current: Detail shows it, the queue selects (or pins) it."""
        if report_id is None:
            self._set(None)
            self.queue.follow(None)
            self.detail.show_report(None)
            return
        changed = report_id != self._id
        self._set(report_id)
        row = self.queue.model.row_by_id(report_id)
        if row is not None:
            self.detail.show_report(row)
        elif changed or self.detail.current_id != report_id:
            self.detail.show_id(report_id)
        self.queue.follow(report_id)

    def _from_queue(self, row: QueueRow | None) -> None:
        # A reload clears the queue's cursor (None): the open report stays current and
        # the queue follows it again once the first page is there.
        if row is None or row.id == self._id:
            return
        self._set(row.id)
        self.queue.follow(row.id)  # drops a row pinned for the previous report
        self.detail.show_report(row)

    def _set(self, report_id: str | None) -> None:
        if report_id != self._id:
            self._id = report_id
            self.changed.emit(report_id)

    # ------------------------------------------------------------------------ targets

    def loaded(self):
        """The current report as Detail loaded it (a dict), or None while it loads."""
        d = self.detail.detail
        return d if d is not None and self._id is not None and d["id"] == self._id else None

    def row(self) -> QueueRow | None:
        return self.queue.model.row_by_id(self._id) if self._id else None

    def bulk_rows(self) -> list[QueueRow]:
        """Several selected queue rows that include the current report, else []."""
        rows = self.queue.selected_rows()
        if len(rows) > 1 and any(r.id == self._id for r in rows):
            return rows
        return []
