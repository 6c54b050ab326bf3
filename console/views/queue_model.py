"""The queue as a Qt table model over :mod:`console.store.queue`.

Rows arrive a keyset page at a time through the :class:`DbBridge`: ``canFetchMore`` /
``fetchMore`` ask for the next page when the view scrolls near the end, ``set_filter``
and ``sort`` start over. It never holds more than the pages the operator scrolled
through.

Live updates (:meth:`QueueModel.apply_changes`, fed by the op bus): the changed reports
the model shows are re-read and only their rows repaint, so selection and scroll stay;
changed or new reports that now match the filter are inserted at their place in the
sort order (or left for a later page when they sort after the loaded rows). A shown row
that no longer matches the filter (a triaged call in the "new" queue) stays greyed out
until :meth:`prune_gone` removes it, after the undo window, so one-key triage never makes
the table jump under the operator's hands.

New priority-1 reports can be made to flash (:meth:`flash`) until acknowledged.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap, QPolygonF

from console.domain.sla import SlaState
from console.operations.base import OpChanges
from console.palette import PRIORITY_COLORS
from console.store import queue as store
from console.views import messages, sla_text
from console.views.db_bridge import DbBridge
from console.views.labels import (
    channel_label,
    format_duration,
    format_local,
    lookup,
    priority_label,
    status_label,
)
from console.views.plain import plain_tip

__all__ = ["COLUMNS", "QueueModel"]

# (key, header). Header strings are translated in headerData.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("ticket", QT_TRANSLATE_NOOP("QueueModel", "Tiket")),
    ("priority", QT_TRANSLATE_NOOP("QueueModel", "Prioritas")),
    ("sla", QT_TRANSLATE_NOOP("QueueModel", "SLA")),
    # What the report is about: takes the width the fixed columns leave, and elides.
    ("title", QT_TRANSLATE_NOOP("QueueModel", "Judul")),
    ("category", QT_TRANSLATE_NOOP("QueueModel", "Kategori")),
    ("region", QT_TRANSLATE_NOOP("QueueModel", "Kelurahan")),
    ("status", QT_TRANSLATE_NOOP("QueueModel", "Status")),
    ("channel", QT_TRANSLATE_NOOP("QueueModel", "Kanal")),
    ("age", QT_TRANSLATE_NOOP("QueueModel", "Umur")),
    ("agency", QT_TRANSLATE_NOOP("QueueModel", "Instansi")),
    ("sync", QT_TRANSLATE_NOOP("QueueModel", "Sinkron")),
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

#: A report's sync state -> (the sync column's text, its tooltip); any other: synced.
_SYNC_CELLS: dict[str | None, tuple[str, str]] = {
    "quarantined": (QT_TRANSLATE_NOOP("QueueModel", "⚠ ditolak"), QT_TRANSLATE_NOOP(
        "QueueModel", "Server menolak perubahan laporan ini; lihat status sinkronisasi")),
    "conflict": (QT_TRANSLATE_NOOP("QueueModel", "⇄ konflik"), QT_TRANSLATE_NOOP(
        "QueueModel", "Suntingan bentrok dengan perubahan lain; putuskan di dialog konflik")),
    "pending": (QT_TRANSLATE_NOOP("QueueModel", "↑ tertunda"), QT_TRANSLATE_NOOP(
        "QueueModel", "Perubahan tersimpan di komputer ini, belum diterima server")),
    "local": ("○", QT_TRANSLATE_NOOP(
        "QueueModel", "Belum pernah diterima server pusat (hanya di komputer ini)")),
}
_SYNCED_CELL = ("✓", QT_TRANSLATE_NOOP("QueueModel", "Sudah sinkron dengan server"))

P1_COLOR, P2_COLOR, P3_COLOR, P4_COLOR = (QColor(PRIORITY_COLORS[p]) for p in (1, 2, 3, 4))
OVERDUE_COLOR = QColor("#c62828")
AT_RISK_COLOR = QColor("#b26a00")
OVERDUE_BACKGROUND = QColor("#fdecea")
FLASH_BACKGROUND = QColor("#ff8a80")
FLASH_BACKGROUND_DIM = QColor("#ffd7d2")
TOUCHED_BACKGROUND = QColor("#fff3c4")
PINNED_BACKGROUND = QColor("#e3f2fd")  # the open report, shown although outside the filter
GONE_COLOR = QColor("#9e9e9e")
PENDING_COLOR = QColor("#1565c0")

FLASH_MS = 600
TOUCHED_S = 4.0

_USER = int(Qt.ItemDataRole.UserRole)
RowRole = _USER + 1  # the QueueRow
IdRole = _USER + 2  # the report UUID
SortValueRole = _USER + 3
GoneRole = _USER + 4  # True: no longer matches the filter
FlashRole = _USER + 5  # True: an unacknowledged alert

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


def _painted(color: QColor, size: int, draw: Callable[[QPainter], None]) -> QIcon:
    """An icon of ``size`` pixels: ``draw``'s shape filled with ``color``, antialiased."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    draw(p)
    p.end()
    return QIcon(pix)


def _dot(color: QColor, size: int = 12) -> QIcon:
    return _painted(color, size, lambda p: p.drawEllipse(1, 1, size - 2, size - 2))


def _triangle(color: QColor, size: int = 12) -> QIcon:
    corners = [QPointF(size / 2, 1), QPointF(size - 1, size - 1), QPointF(1, size - 1)]
    return _painted(color, size, lambda p: p.drawPolygon(QPolygonF(corners)))


class QueueModel(QAbstractTableModel):
    """Rows of the report queue, loaded page by page without blocking the GUI."""

    # The first page of the current filter/sort arrived (possibly empty).
    firstPageLoaded = Signal()
    # A page arrived: (rows added, more pages available).
    pageLoaded = Signal(int, bool)
    loadingChanged = Signal(bool)
    # A database request failed; the message is for the operator.
    loadFailed = Signal(str)
    # A live update was applied: (rows repainted, rows inserted).
    liveUpdated = Signal(int, int)

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
        self._sync: dict[str, str] = {}
        self._gone: dict[str, float] = {}  # report id → monotonic time it left the filter
        self._touched: dict[str, float] = {}  # report id → monotonic time it changed
        self._flash: set[str] = set()
        self._pinned: set[str] = set()  # the current report, shown outside the filter/pages
        self._flash_on = True
        self._cursor: store.QueueCursor | None = None
        self._loading = False
        self._loaded_once = False
        self._generation = 0
        self._channel = f"queue-page-{id(self)}"
        self._icons: dict[object, QIcon] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._italic.setStrikeOut(True)
        self._now_at = -10.0
        self._now_value = self._clock()
        self._brushes = {
            "flash_on": QBrush(FLASH_BACKGROUND), "flash_off": QBrush(FLASH_BACKGROUND_DIM),
            "touched": QBrush(TOUCHED_BACKGROUND), "overdue_bg": QBrush(OVERDUE_BACKGROUND),
            "gone": QBrush(GONE_COLOR), "overdue": QBrush(OVERDUE_COLOR),
            "at_risk": QBrush(AT_RISK_COLOR), "p1": QBrush(P1_COLOR), "p2": QBrush(P2_COLOR),
            "pending": QBrush(PENDING_COLOR), "pinned": QBrush(PINNED_BACKGROUND),
        }
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_MS)
        self._flash_timer.timeout.connect(self._blink)

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

    @property
    def has_more(self) -> bool:
        return self._cursor is not None

    def set_filter(self, flt: store.QueueFilter) -> None:
        """Show another filter: start over from its first page."""
        self._filter = flt
        self.reload()

    def set_sort(self, sort: store.QueueSort) -> None:
        self._sort = sort
        self.reload()

    def set_query(self, flt: store.QueueFilter, sort: store.QueueSort) -> None:
        """Another filter and sort at once (a saved view): one reload."""
        self._filter, self._sort = flt, sort
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
        self._sync = {}
        self._gone = {}
        self._pinned = set()
        self._touched = {}
        self._cursor = None
        self._loaded_once = False
        self.endResetModel()
        self._request_page(first=True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMN_KEYS[column] not in _SORT_KEYS:
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
            if col not in _SORT_KEYS:
                continue
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
            store.fetch_view_page,
            self._filter,
            self._sort,
            after,
            self._page_size,
            lang=self._lang,
            channel=self._channel,
            on_result=lambda page: self._on_page(gen, page),
            on_error=lambda exc: self._on_error(gen, exc),
        )

    def _on_page(self, gen: int, page: store.Page) -> None:
        if gen != self._generation:
            return
        self._set_loading(False)
        # A report may move between pages while we scroll (its sort key changed), or
        # have been inserted live already: keep the first copy only.
        rows = [r for r in page.rows if r.id not in self._row_of_id]
        self._sync.update(page.sync)
        if rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            for i, r in enumerate(rows, start):
                self._row_of_id[r.id] = i
            self._rows.extend(rows)
            self.endInsertRows()
        self._cursor = page.cursor
        first = not self._loaded_once
        self._loaded_once = True
        self.pageLoaded.emit(len(rows), page.cursor is not None)
        if first:
            self.firstPageLoaded.emit()

    def _on_error(self, gen: int, exc: BaseException) -> None:
        if gen != self._generation:
            return
        self._set_loading(False)
        self._loaded_once = True
        self.loadFailed.emit(messages.error_text(exc))

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        if parent.isValid():
            return False
        return self._loaded_once and self._cursor is not None and not self._loading

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if self.canFetchMore(parent):
            self._request_page(first=False)

    # ---------------------------------------------------------------------- live updates

    def apply_changes(self, changes: OpChanges) -> None:
        """React to an op-bus broadcast (:class:`console.operations.base.OpChanges`)."""
        ids = set(changes.all_ids)
        if not ids:
            return
        highlight = changes.source != "local"
        self._live(ids, insert=True, highlight=highlight)

    def refresh_rows(self, report_ids: Iterable[str]) -> None:
        """Re-read the given reports (UUIDs) that this model shows and repaint only them.
        Reports the model does not show are ignored."""
        self._live(set(report_ids), insert=False, highlight=False)

    def _live(self, ids: set[str], *, insert: bool, highlight: bool) -> None:
        if not self._loaded_once:
            return  # the first page is on its way and will show the current state
        shown = [rid for rid in ids if rid in self._row_of_id]
        others = [rid for rid in ids if rid not in self._row_of_id] if insert else []
        if not shown and not others:
            return
        pks = [self._rows[self._row_of_id[rid]].pk for rid in shown]
        gen = self._generation
        self._bridge.submit(
            store.live_update,
            self._filter,
            self._sort,
            pks,
            others,
            lang=self._lang,
            on_result=lambda upd: self._on_live(gen, upd, highlight),
            on_error=lambda exc: self._on_error(gen, exc),
        )

    def _on_live(self, gen: int, upd: store.LiveUpdate, highlight: bool) -> None:
        if gen != self._generation:
            return
        now = time.monotonic()
        last = len(COLUMNS) - 1
        self._sync.update(upd.sync)
        repainted = 0
        for r in upd.rows:
            i = self._row_of_id.get(r.id)
            if i is None:
                continue
            if r.id not in upd.sync:
                self._sync.pop(r.id, None)
            if r.pk in upd.still_matching:
                self._gone.pop(r.id, None)
            elif r.id not in self._pinned:  # a pinned row is outside the filter by design
                self._gone.setdefault(r.id, now)
            if highlight:
                self._touched[r.id] = now
            self._rows[i] = r
            repainted += 1
            self.dataChanged.emit(self.index(i, 0), self.index(i, last))
        inserted = 0
        for r in sorted(upd.new_rows, key=upd.sort_key):
            if r.id in self._row_of_id:
                continue
            pos = self._insert_position(r, upd.sort_key)
            if pos is None:
                continue  # sorts after the loaded rows: a later page brings it
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._rows.insert(pos, r)
            self._reindex(pos)
            self.endInsertRows()
            self._touched[r.id] = now
            inserted += 1
        if self._touched:
            QTimer.singleShot(int(TOUCHED_S * 1000) + 50, self._expire_touched)
        self.liveUpdated.emit(repainted, inserted)

    # ---------------------------------------------------------------- the current report

    def follow(self, cur: store.CurrentRow) -> int | None:
        """Give the current report (the one Detail shows) a row: where it sorts if the
        filter matches it and the loaded rows reach that far, else pinned at the top.
        Returns its row (None if the report does not exist)."""
        r = cur.row
        if r is None:
            return None
        i = self._row_of_id.get(r.id)
        if i is not None:
            return i
        pos = self._insert_position(r, cur.sort_key) if cur.matches else None
        if pos is None:
            pos = 0
            self._pinned.add(r.id)
        self._sync.update(cur.sync)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._rows.insert(pos, r)
        self._reindex(pos)
        self.endInsertRows()
        return pos

    def unpin(self, keep: str | None = None) -> None:
        """Drop pinned rows other than ``keep`` (the operator moved on)."""
        self._remove_rows([rid for rid in self._pinned if rid != keep], forget_flash=False)
        self._pinned = {keep} & self._pinned if keep else set()

    def _remove_rows(self, report_ids: Iterable[str], *, forget_flash: bool = True) -> int:
        """Take these reports' rows out of the model (bottom up, one signal each); an
        unpinned report keeps its unacknowledged P1 flash for when it shows again."""
        doomed = sorted((self._row_of_id[rid] for rid in report_ids if rid in self._row_of_id),
                        reverse=True)
        for i in doomed:
            rid = self._rows[i].id
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            del self._row_of_id[rid]
            self._gone.pop(rid, None)
            if forget_flash:
                self._flash.discard(rid)
            self.endRemoveRows()
        if doomed:
            self._reindex(min(doomed))
        return len(doomed)

    def is_pinned(self, report_id: str) -> bool:
        return report_id in self._pinned

    def _insert_position(self, row: store.QueueRow, key) -> int | None:
        rows = self._rows
        lo, hi = 0, len(rows)
        k = key(row)
        # The loaded rows are in sort order except rows that changed since they were
        # loaded (they stay put); bisect still lands in the right neighbourhood.
        pos = bisect.bisect_left(range(hi), k, lo, hi, key=lambda i: key(rows[i]))
        if pos >= len(rows) and self._cursor is not None:
            return None
        return pos

    def _reindex(self, start: int) -> None:
        for i in range(start, len(self._rows)):
            self._row_of_id[self._rows[i].id] = i

    def _expire_touched(self) -> None:
        now = time.monotonic()
        expired = [rid for rid, t in self._touched.items() if now - t >= TOUCHED_S]
        for rid in expired:
            del self._touched[rid]
            self._repaint_id(rid)

    def _repaint_id(self, report_id: str, roles: list | None = None) -> None:
        i = self._row_of_id.get(report_id)
        if i is not None:
            args = [self.index(i, 0), self.index(i, len(COLUMNS) - 1)]
            if roles:
                args.append(roles)
            self.dataChanged.emit(*args)

    def gone_ids(self) -> list[str]:
        return list(self._gone)

    def prune_gone(self, older_than_s: float = 0.0, keep: Iterable[str] = ()) -> int:
        """Remove rows that no longer match the filter (greyed out) for at least
        ``older_than_s`` seconds, except ``keep`` (the current row). Returns how many."""
        now = time.monotonic()
        keep = set(keep)
        return self._remove_rows([rid for rid, t in self._gone.items()
                                  if now - t >= older_than_s and rid not in keep])

    # ------------------------------------------------------------------------- alerts

    def flash(self, report_ids: Iterable[str]) -> None:
        """Make these reports' rows flash until :meth:`acknowledge`."""
        new = set(report_ids) - self._flash
        if not new:
            return
        self._flash |= new
        if not self._flash_timer.isActive():
            self._flash_on = True
            self._flash_timer.start()
        for rid in new:
            self._repaint_id(rid)

    def acknowledge(self, report_ids: Iterable[str]) -> set[str]:
        """Stop flashing these reports; returns those that were flashing."""
        done = self._flash & set(report_ids)
        self._flash -= done
        for rid in done:
            self._repaint_id(rid)
        if not self._flash:
            self._flash_timer.stop()
        return done

    @property
    def flashing(self) -> frozenset[str]:
        return frozenset(self._flash)

    def _blink(self) -> None:
        self._flash_on = not self._flash_on
        for rid in self._flash:
            self._repaint_id(rid, [Qt.ItemDataRole.BackgroundRole])

    def tick(self) -> None:
        """Time moved on: repaint the SLA and age columns."""
        self._now_at = -10.0
        if self._rows:
            for key in ("sla", "age"):
                col = COLUMN_KEYS.index(key)
                self.dataChanged.emit(
                    self.index(0, col),
                    self.index(len(self._rows) - 1, col),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole,
                     Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.DecorationRole],
                )

    # --------------------------------------------------------------------------- access

    def row_at(self, row: int) -> store.QueueRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, report_id: str) -> int | None:
        return self._row_of_id.get(report_id)

    def row_by_id(self, report_id: str) -> store.QueueRow | None:
        i = self._row_of_id.get(report_id)
        return None if i is None else self._rows[i]

    def sync_state(self, report_id: str) -> str:
        return self._sync.get(report_id, "synced")

    def is_gone(self, report_id: str) -> bool:
        return report_id in self._gone

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
            "sync": QCoreApplication.translate(
                "QueueModel", "Apakah perubahan di komputer ini sudah diterima server pusat"
            ),
        }
        return tips.get(key)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else _NO_FLAGS

    def _now(self) -> datetime:
        """The clock, read at most once a second (data() runs per cell and role)."""
        tick = time.monotonic()
        if tick - self._now_at >= 1.0:
            self._now_at, self._now_value = tick, self._clock()
        return self._now_value

    def _overdue(self, r: store.QueueRow, now: datetime) -> bool:
        return r.sla is not None and r.sla.state(now) is SlaState.BREACHED

    def sla_state(self, r: store.QueueRow, now: datetime | None = None) -> str:
        """"none", "ok", "at_risk" or "breached": the domain's rule on the row's clock
        (``console.domain.sla``; the same the handover pack and shift report use)."""
        return str(SlaState.NONE if r.sla is None else r.sla.state(now or self._now()))

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Called for every cell and role on each paint: int role comparisons (Qt passes
        # ints; comparing them with enum members is ten times slower), cached clock.
        rows = self._rows
        row = index.row()
        if not 0 <= row < len(rows):
            return None
        r = rows[row]
        key = COLUMN_KEYS[index.column()]
        if role == _DISPLAY:
            return self._display(r, key)
        if role == _BACKGROUND:
            if r.id in self._flash:
                return self._brushes["flash_on" if self._flash_on else "flash_off"]
            if r.id in self._touched:
                return self._brushes["touched"]
            if r.id in self._pinned:
                return self._brushes["pinned"]
            if r.id not in self._gone and self._overdue(r, self._now()):
                return self._brushes["overdue_bg"]
            return None
        if role == _FOREGROUND:
            if r.id in self._gone:
                return self._brushes["gone"]
            if key == "sla":
                state = self.sla_state(r)
                if state == "breached":
                    return self._brushes["overdue"]
                if state == "at_risk":
                    return self._brushes["at_risk"]
            elif key == "priority":
                if r.priority == 1:
                    return self._brushes["p1"]
                if r.priority == 2:
                    return self._brushes["p2"]
            elif key == "sync":
                state = self._sync.get(r.id)
                if state == "quarantined" or state == "conflict":
                    return self._brushes["overdue"]
                if state == "pending":
                    return self._brushes["pending"]
            return None
        if role == _DECORATION:
            if key == "priority":
                return self._priority_icon(r.priority)
            if key == "sla":
                state = self.sla_state(r)
                if state == "breached":
                    return self._icon(("tri", "breached"), lambda: _triangle(OVERDUE_COLOR))
                if state == "at_risk":
                    return self._icon(("tri", "at_risk"), lambda: _triangle(AT_RISK_COLOR))
            return None
        if role == _FONT:
            if r.id in self._gone:
                return self._italic
            if r.priority == 1 and (key == "ticket" or key == "priority"):
                return self._bold
            if key == "sla" and self._overdue(r, self._now()):
                return self._bold
            return None
        if role == _ALIGNMENT:
            return _RIGHT if key == "sla" or key == "age" else None
        if role == RowRole:
            return r
        if role == IdRole:
            return r.id
        if role == GoneRole:
            return r.id in self._gone
        if role == FlashRole:
            return r.id in self._flash
        if role == _TOOLTIP:
            tip = self._tooltip(r, key)
            held = self.claims.text(r.id) if self.claims and key in ("ticket", "title") else None
            return plain_tip("\n".join(t for t in (held, tip) if t) or None)
        return None

    #: The ClaimBoard (views/claim_board.py): a report another desk handles gets a mark.
    claims = None

    def claims_changed(self, report_ids) -> None:  # noqa: ANN001
        for rid in report_ids:
            self._repaint_id(rid, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def _display(self, r: store.QueueRow, key: str) -> str:
        if key == "ticket":
            mark = "⚑ " if self.claims is not None and self.claims.other(r.id) else ""
            return mark + ("⇱ " + r.ticket if r.id in self._pinned else r.ticket)
        if key == "title":
            return r.title
        if key == "priority":
            return priority_label(r.priority)
        if key == "sla":
            return "—" if r.sla is None else sla_text.cell_text(r.sla, self._now())
        if key == "category":
            return r.category_name or r.category_code
        if key == "region":
            return r.region_name or "—"
        if key == "status":
            return status_label(r.status)
        if key == "channel":
            return channel_label(r.channel)
        if key == "age":
            return format_duration(self._now() - r.created_at)
        if key == "agency":
            return r.agency_name or r.assigned_agency or "—"
        if key == "sync":
            mark = _SYNC_CELLS.get(self._sync.get(r.id), _SYNCED_CELL)[0]
            return lookup("QueueModel", mark)
        return ""

    def _tooltip(self, r: store.QueueRow, key: str) -> str | None:
        if r.id in self._pinned:
            return QCoreApplication.translate(
                "QueueModel",
                "Laporan yang sedang dibuka; di luar saringan ini, jadi disematkan di atas.")
        if r.id in self._gone:
            return QCoreApplication.translate(
                "QueueModel",
                "Laporan ini tidak lagi cocok dengan saringan; barisnya hilang sebentar lagi "
                "atau saat dimuat ulang (F5).",
            )
        if r.id in self._flash:
            return QCoreApplication.translate(
                "QueueModel", "Laporan P1 baru — tekan A untuk menandai sudah dilihat"
            )
        if key == "sla" and r.sla is not None:
            return sla_text.tooltip_text(r.sla)
        if key == "age":
            text = QCoreApplication.translate("QueueModel", "Masuk: {when}")
            return text.format(when=format_local(r.created_at))
        if key == "ticket" or key == "title":
            return r.title
        if key == "region" and r.region_code:
            return f"{r.region_name or ''} ({r.region_code})".strip()
        if key == "sync":
            tip = _SYNC_CELLS.get(self._sync.get(r.id), _SYNCED_CELL)[1]
            return lookup("QueueModel", tip)
        if key in ("category", "status", "channel", "agency", "priority"):
            return self._display(r, key)  # the full text when the column elides it
        return None

    def _icon(self, key, make) -> QIcon:
        icon = self._icons.get(key)
        if icon is None:
            icon = self._icons[key] = make()
        return icon

    def _priority_icon(self, priority: int) -> QIcon:
        color = {1: P1_COLOR, 2: P2_COLOR, 3: P3_COLOR}.get(priority, P4_COLOR)
        return self._icon(("dot", priority), lambda: _dot(color))
