"""The queue as a Qt table model over :mod:`console.store.queue`.

Rows arrive a keyset page at a time through the :class:`DbBridge`: ``canFetchMore`` /
``fetchMore`` ask for the next page when the view scrolls near the end, ``set_filter``
and ``sort`` start over, and ``refresh_rows`` re-reads just the reports an operation
changed, so selection and scroll position stay where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.labels import (
    channel_label,
    format_duration,
    format_local,
    lookup,
    priority_label,
    status_label,
)

__all__ = ["COLUMNS", "QueueModel"]

# (key, header). Header strings are translated in headerData.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("ticket", QT_TRANSLATE_NOOP("QueueModel", "Tiket")),
    ("priority", QT_TRANSLATE_NOOP("QueueModel", "Prioritas")),
    ("sla", QT_TRANSLATE_NOOP("QueueModel", "SLA")),
    ("category", QT_TRANSLATE_NOOP("QueueModel", "Kategori")),
    ("region", QT_TRANSLATE_NOOP("QueueModel", "Kelurahan")),
    ("status", QT_TRANSLATE_NOOP("QueueModel", "Status")),
    ("channel", QT_TRANSLATE_NOOP("QueueModel", "Kanal")),
    ("age", QT_TRANSLATE_NOOP("QueueModel", "Umur")),
    ("agency", QT_TRANSLATE_NOOP("QueueModel", "Instansi")),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)

# column → (store sort key, flip): "age" ascending means youngest first.
_SORT_KEYS = {
    "ticket": ("ticket", False),
    "priority": ("priority", False),
    "sla": ("sla_due_at", False),
    "category": ("category", False),
    "region": ("region", False),
    "status": ("status", False),
    "channel": ("channel", False),
    "age": ("created_at", True),
    "agency": ("agency", False),
}

P1_COLOR = QColor("#d32f2f")
P2_COLOR = QColor("#ef6c00")
P3_COLOR = QColor("#9e9e9e")
P4_COLOR = QColor("#c7c7c7")
OVERDUE_COLOR = QColor("#c62828")

RowRole = Qt.ItemDataRole.UserRole + 1  # the QueueRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the report UUID
SortValueRole = Qt.ItemDataRole.UserRole + 3


def _dot(color: QColor, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return QIcon(pix)


class QueueModel(QAbstractTableModel):
    """Rows of the report queue, loaded page by page without blocking the GUI."""

    # The first page of the current filter/sort arrived (possibly empty).
    firstPageLoaded = Signal()
    # A page arrived: (rows added, more pages available).
    pageLoaded = Signal(int, bool)
    loadingChanged = Signal(bool)
    # A database request failed; the message is for the operator.
    loadFailed = Signal(str)

    def __init__(
        self,
        bridge: DbBridge,
        parent=None,
        *,
        page_size: int = 100,
        lang: str = "id",
        clock: Callable[[], datetime] | None = None,
        flt: store.QueueFilter | None = None,
        sort: store.QueueSort = store.DEFAULT_SORT,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._page_size = page_size
        self._lang = lang
        self._clock = clock or (lambda: datetime.now(UTC))
        self._filter = flt or store.QueueFilter.open_queue()
        self._sort = sort
        self._rows: list[store.QueueRow] = []
        self._row_of_id: dict[str, int] = {}
        self._cursor: store.QueueCursor | None = None
        self._loading = False
        self._loaded_once = False
        self._generation = 0
        self._channel = f"queue-page-{id(self)}"
        self._icons: dict[int, QIcon] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------ state & loading

    @property
    def queue_filter(self) -> store.QueueFilter:
        return self._filter

    @property
    def queue_sort(self) -> store.QueueSort:
        return self._sort

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def first_page_loaded(self) -> bool:
        return self._loaded_once

    def set_filter(self, flt: store.QueueFilter) -> None:
        """Show another filter: start over from its first page."""
        self._filter = flt
        self.reload()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.reload()

    def reload(self) -> None:
        """Drop every row and load the first page of the current filter and sort."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._row_of_id = {}
        self._cursor = None
        self._loaded_once = False
        self.endResetModel()
        self._request_page(first=True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key, flip = _SORT_KEYS[COLUMN_KEYS[column]]
        descending = (order == Qt.SortOrder.DescendingOrder) != flip
        new = store.QueueSort(key, descending)
        if new == self._sort and (self._loaded_once or self._loading):
            return
        self._sort = new
        self.reload()

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The header section and indicator order of the current sort."""
        for i, col in enumerate(COLUMN_KEYS):
            key, flip = _SORT_KEYS[col]
            if key == self._sort.key:
                desc = self._sort.descending != flip
                order = Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder
                return i, order
        return 1, Qt.SortOrder.AscendingOrder

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loadingChanged.emit(value)

    def _request_page(self, first: bool) -> None:
        gen = self._generation
        after = None if first else self._cursor
        self._set_loading(True)
        self._bridge.submit(
            store.fetch_page,
            self._filter,
            self._sort,
            after,
            self._page_size,
            lang=self._lang,
            channel=self._channel,
            on_result=lambda result: self._on_page(gen, result),
            on_error=lambda exc: self._on_error(gen, exc),
        )

    def _on_page(self, gen: int, result) -> None:
        if gen != self._generation:
            return
        rows, cursor = result
        self._set_loading(False)
        # A report may move between pages while we scroll (its sort key changed): keep
        # the first copy only.
        rows = [r for r in rows if r.id not in self._row_of_id]
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            for i, r in enumerate(rows, start):
                self._row_of_id[r.id] = i
            self._rows.extend(rows)
            self.endInsertRows()
        self._cursor = cursor
        first = not self._loaded_once
        self._loaded_once = True
        self.pageLoaded.emit(len(rows), cursor is not None)
        if first:
            self.firstPageLoaded.emit()

    def _on_error(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._set_loading(False)
        self._loaded_once = True
        self.loadFailed.emit(str(exc))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        if parent.isValid():
            return False
        return self._loaded_once and self._cursor is not None and not self._loading

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if self.canFetchMore(parent):
            self._request_page(first=False)

    def refresh_rows(self, report_ids: Iterable[str]) -> None:
        """Re-read the given reports (UUIDs) that this model shows and repaint only them.

        Reports the model does not show are ignored; a changed report stays where it is
        until the next reload even if its new values sort it elsewhere."""
        wanted = [rid for rid in dict.fromkeys(report_ids) if rid in self._row_of_id]
        if not wanted:
            return
        pks = [self._rows[self._row_of_id[rid]].pk for rid in wanted]
        gen = self._generation
        self._bridge.submit(
            store.fetch_rows_by_pk,
            pks,
            lang=self._lang,
            on_result=lambda rows: self._on_refreshed(gen, rows),
            on_error=lambda exc: self._on_error(gen, exc),
        )

    def _on_refreshed(self, gen: int, rows: list[store.QueueRow]) -> None:
        if gen != self._generation:
            return
        last = len(COLUMNS) - 1
        for r in rows:
            i = self._row_of_id.get(r.id)
            if i is None:
                continue
            self._rows[i] = r
            self.dataChanged.emit(self.index(i, 0), self.index(i, last))

    def tick(self) -> None:
        """Time moved on: repaint the SLA and age columns."""
        if self._rows:
            for key in ("sla", "age"):
                col = COLUMN_KEYS.index(key)
                self.dataChanged.emit(
                    self.index(0, col),
                    self.index(len(self._rows) - 1, col),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
                )

    # --------------------------------------------------------------------------- access

    def row_at(self, row: int) -> store.QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, report_id: str) -> int | None:
        return self._row_of_id.get(report_id)

    # ------------------------------------------------------------------------ Qt model

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return lookup("QueueModel", COLUMNS[section][1])
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._header_tip(COLUMN_KEYS[section])
        return None

    def _header_tip(self, key: str) -> str | None:
        tips = {
            "sla": QCoreApplication.translate(
                "QueueModel", "Sisa waktu sampai batas SLA; negatif berarti sudah lewat"
            ),
            "age": QCoreApplication.translate("QueueModel", "Waktu sejak laporan masuk"),
        }
        return tips.get(key)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _overdue(self, r: store.QueueRow, now: datetime) -> bool:
        return (
            r.sla_due_at is not None and r.sla_due_at < now and r.status in store.OPEN_STATUS_ORDER
        )

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, key)
        if role == RowRole:
            return r
        if role == IdRole:
            return r.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, key)
        if role == Qt.ItemDataRole.DecorationRole and key == "priority":
            return self._priority_icon(r.priority)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "sla" and self._overdue(r, self._clock()):
                return QBrush(OVERDUE_COLOR)
            if key == "priority" and r.priority == 1:
                return QBrush(P1_COLOR)
            if key == "priority" and r.priority == 2:
                return QBrush(P2_COLOR)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if r.priority == 1 and key in ("ticket", "priority"):
                return self._bold
            if key == "sla" and self._overdue(r, self._clock()):
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("sla", "age"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, r: store.QueueRow, key: str) -> str:
        if key == "ticket":
            return r.ticket
        if key == "priority":
            return priority_label(r.priority)
        if key == "sla":
            if r.sla_due_at is None:
                return "—"
            return format_duration(r.sla_due_at - self._clock())
        if key == "category":
            return r.category_name or r.category_code
        if key == "region":
            return r.region_name or "—"
        if key == "status":
            return status_label(r.status)
        if key == "channel":
            return channel_label(r.channel)
        if key == "age":
            return format_duration(self._clock() - r.created_at)
        if key == "agency":
            return r.agency_name or r.assigned_agency or "—"
        return ""

    def _tooltip(self, r: store.QueueRow, key: str) -> str | None:
        if key == "sla" and r.sla_due_at is not None:
            text = QCoreApplication.translate("QueueModel", "Batas SLA: {when}")
            return text.format(when=format_local(r.sla_due_at))
        if key == "age":
            text = QCoreApplication.translate("QueueModel", "Masuk: {when}")
            return text.format(when=format_local(r.created_at))
        if key == "ticket":
            return r.title
        if key == "region" and r.region_code:
            return f"{r.region_name or ''} ({r.region_code})".strip()
        if key in ("category", "status", "channel", "agency", "priority"):
            return self._display(r, key)  # the full text when the column elides it
        return None

    def _priority_icon(self, priority: int) -> QIcon:
        icon = self._icons.get(priority)
        if icon is None:
            color = {1: P1_COLOR, 2: P2_COLOR, 3: P3_COLOR}.get(priority, P4_COLOR)
            icon = self._icons[priority] = _dot(color)
        return icon
