"""The queue dock: search as you type, a status quick filter, the table and its count."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.queue_model import COLUMN_KEYS, QueueModel

__all__ = ["QueuePanel", "SEARCH_DEBOUNCE_MS"]

SEARCH_DEBOUNCE_MS = 150
CLOCK_TICK_MS = 30_000

# Quick filters: (key, extra filter fields). Labels are translated in _quick_label.
QUICK_FILTERS: tuple[tuple[str, dict], ...] = (
    ("open", {"statuses": store.OPEN_STATUS_ORDER}),
    ("new", {"statuses": ("new",)}),
    ("overdue", {"overdue_only": True}),
    ("in_progress", {"statuses": ("dispatched", "in_progress")}),
    ("done", {"statuses": ("resolved", "closed")}),
    ("all", {}),
)

# Starting widths (px) so the first screen shows whole values; the operator can resize.
_WIDTHS = {
    "ticket": 128,
    "priority": 102,
    "sla": 62,
    "category": 130,
    "region": 118,
    "status": 128,
    "channel": 104,
    "age": 58,
    "agency": 100,
}


class QueueTable(QTableView):
    """The table: whole-row selection, keyboard first, sorted by header clicks."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_table")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class QueuePanel(QWidget):
    """The report queue. Emits the selected report so the detail and map can follow."""

    # The current row's QueueRow, or None when nothing is selected.
    currentReportChanged = Signal(object)
    # The count label got a new value.
    countChanged = Signal(int)

    def __init__(self, bridge: DbBridge, parent=None, *, lang: str = "id") -> None:
        super().__init__(parent)
        self.setObjectName("queue_panel")
        self._bridge = bridge
        self._lang = lang
        self._count: int | None = None
        self._fitted = False
        self._count_channel = f"queue-count-{id(self)}"

        self.search = QLineEdit(self)
        self.search.setObjectName("queue_search")
        self.search.setPlaceholderText(self.tr("Cari tiket, judul, alamat… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Cari laporan"))

        self.quick = QComboBox(self)
        self.quick.setObjectName("queue_quick_filter")
        self.quick.setAccessibleName(self.tr("Saring status"))
        for key, _ in QUICK_FILTERS:
            self.quick.addItem(self._quick_label(key), key)
        self.quick.setToolTip(self.tr("Saring menurut status"))

        self.count_label = QLabel(self)
        self.count_label.setObjectName("queue_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000.000 laporan"))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.model = QueueModel(bridge, self, lang=lang)
        self.table = QueueTable(self)
        self.table.setModel(self.model)
        for i, key in enumerate(COLUMN_KEYS):
            self.table.setColumnWidth(i, _WIDTHS.get(key, 100))
        section, order = self.model.sort_column()
        # Set the indicator first: enabling sorting sorts by it at once, which is then
        # the model's current sort and starts no second load.
        self.table.horizontalHeader().setSortIndicator(section, order)
        self.table.setSortingEnabled(True)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.quick)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self.quick.currentIndexChanged.connect(lambda _i: self.apply_filter())

        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self.model.tick)
        self._clock.start()

        self.model.modelReset.connect(lambda: self.currentReportChanged.emit(None))
        self.model.firstPageLoaded.connect(self._on_first_page)
        self.model.loadFailed.connect(self._on_failed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

    # --------------------------------------------------------------------------- filter

    def _quick_label(self, key: str) -> str:
        labels = {
            "open": self.tr("Terbuka"),
            "new": self.tr("Belum terverifikasi"),
            "overdue": self.tr("Lewat SLA"),
            "in_progress": self.tr("Sedang ditangani"),
            "done": self.tr("Selesai/ditutup"),
            "all": self.tr("Semua"),
        }
        return labels[key]

    def current_filter(self) -> store.QueueFilter:
        key = self.quick.currentData() or "open"
        extra = dict(QUICK_FILTERS)[key]
        return store.QueueFilter(search=self.search.text().strip(), **extra)

    def _search_now(self) -> None:
        self._debounce.stop()
        self.apply_filter()

    def apply_filter(self) -> None:
        """Show the filter the search box and quick filter describe (if it changed)."""
        flt = self.current_filter()
        if flt == self.model.queue_filter and self.model.first_page_loaded:
            return
        self.model.set_filter(flt)
        self._request_count(flt)

    def start(self) -> None:
        """Load the first page and the count (call once the window is up)."""
        flt = self.current_filter()
        self.model.set_filter(flt)
        self._request_count(flt)

    def reload(self) -> None:
        self.model.reload()
        self._request_count(self.model.queue_filter)

    def _request_count(self, flt: store.QueueFilter) -> None:
        self.count_label.setText(self.tr("menghitung…"))
        self._bridge.submit(store.count, flt, channel=self._count_channel, on_result=self._on_count)

    def _on_count(self, n: int) -> None:
        self._count = n
        locale = QLocale(
            QLocale.Language.English if self._lang == "en" else QLocale.Language.Indonesian
        )
        # %n drives the plural form; the number itself is formatted with grouping.
        text = self.tr("%n laporan", "", n).replace(str(n), locale.toString(n), 1)
        self.count_label.setText(text)
        self.countChanged.emit(n)

    @property
    def count(self) -> int | None:
        return self._count

    # ------------------------------------------------------------------------ selection

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_first_page(self) -> None:
        # Repaint even when nothing changed (an empty queue): the first-paint hook and
        # any "shown" bookkeeping wait for a paint after the load.
        self.table.viewport().update()
        if self.model.rowCount() and not self._fitted:
            # Short, fixed-format columns fit their content (font and DPI vary); the
            # free-text ones keep their starting widths and elide, with a tooltip.
            self._fitted = True
            for key in ("ticket", "priority", "sla", "age"):
                col = COLUMN_KEYS.index(key)
                self.table.resizeColumnToContents(col)
                width = self.table.columnWidth(col) + 8
                self.table.setColumnWidth(col, max(width, _WIDTHS[key] // 2))
            self._fit_to_viewport()
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _fit_to_viewport(self) -> None:
        """Shrink the free-text columns (they elide, with a tooltip) so every column is
        on screen without scrolling sideways."""
        header = self.table.horizontalHeader()
        # Assume the vertical scroll bar: a queue is rarely shorter than the screen, and
        # the bar appears only after this first page is laid out.
        available = (
            self.table.maximumViewportSize().width()
            - self.table.verticalScrollBar().sizeHint().width()
        )
        overflow = header.length() - available
        flexible = [COLUMN_KEYS.index(k) for k in ("category", "region", "status", "channel")]
        room = sum(max(0, self.table.columnWidth(c) - 80) for c in flexible)
        if overflow <= 0 or room <= 0:
            return
        share = min(1.0, overflow / room)
        for c in flexible:
            width = self.table.columnWidth(c)
            self.table.setColumnWidth(c, width - int((width - 80) * share + 0.999))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.currentReportChanged.emit(
            self.model.row_at(current.row()) if current.isValid() else None
        )

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(self.tr("Gagal memuat antrean"))
        self.count_label.setToolTip(message)

    def selected_rows(self) -> list[store.QueueRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [r for r in (self.model.row_at(i) for i in rows) if r is not None]
