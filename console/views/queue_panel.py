"""The queue dock: search as you type, a status quick filter, the filter bar, saved views,
the message bar, the table and its count."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.operations.undo import UNDO_WINDOW_S
from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.filters_panel import BUILTIN_VIEWS, FiltersPanel, SavedViews, view_label
from console.views.notice import NoticeBar
from console.views.operator import OperatorContext
from console.views.plain import plain_tip
from console.views.queue_model import _SORT_KEYS, COLUMN_KEYS, QueueModel

__all__ = ["QueuePanel", "SEARCH_DEBOUNCE_MS", "QUICK_FILTERS"]

SEARCH_DEBOUNCE_MS = 150
CLOCK_TICK_MS = 10_000  # repaint SLA/age: minute clocks (emergencies) must not lag
PRUNE_MS = 2_000
#: Rows that left the filter stay (greyed) this long: past the undo window.
PRUNE_AFTER_S = UNDO_WINDOW_S + 2

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
TITLE_MIN_WIDTH = 110  # the flexible columns give way down to FLEX_MIN_WIDTH before it
FLEX_MIN_WIDTH = 50
_WIDTHS = {
    "ticket": 128,
    "priority": 102,
    "sla": 70,
    "title": TITLE_MIN_WIDTH,
    "category": 130,
    "region": 118,
    "status": 128,
    "channel": 104,
    "age": 58,
    "agency": 100,
    "sync": 70,
}


class QueueTable(QTableView):
    """The table: whole-row selection, keyboard first, sorted by header clicks."""

    #: A single-key action was pressed but is not available (the key, as a sequence)
    unavailableKey = Signal(QKeySequence)
    #: The viewport finished a paint (benchmarks: "until the rows are on screen").
    painted = Signal()

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
        self.single_keys: set[int] = set()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        # A single-key action that is disabled lets its key through to here; say why
        # instead of letting the table jump to a row starting with that letter.
        if (not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and event.key() in self.single_keys):
            self.unavailableKey.emit(QKeySequence(event.key()))
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt name
        pass  # letters are action keys here; Ctrl+F searches

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().paintEvent(event)
        self.painted.emit()


class QueuePanel(QWidget):
    """The report queue. Emits the selected report so the detail and map can follow."""

    # The current row's QueueRow, or None when nothing is selected.
    currentReportChanged = Signal(object)
    # The selection changed (one or more rows).
    selectionChanged = Signal()
    # The count label got a new value.
    countChanged = Signal(int)
    # The filter the queue shows changed (the QueueFilter).
    filterChanged = Signal(object)

    def __init__(self, bridge: DbBridge, parent=None, *, lang: str = "id",
                 operator: OperatorContext | None = None,
                 settings: QSettings | None = None,
                 count_bridge: DbBridge | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_panel")
        self._bridge = bridge
        # Counts may read many rows; on a reader of their own they never hold up a page.
        self._count_bridge = count_bridge or bridge
        self._lang = lang
        self.operator = operator or OperatorContext()
        self._settings = settings
        self._count: int | None = None
        self._fitted = False
        self._natural: dict[int, int] = {}  # flexible columns' first-page widths
        self._count_channel = f"queue-count-{id(self)}"
        self._area: dict = {}  # the map's area filter (region_prefix or bbox)
        self._scroll_fix = 0
        self._applying_view = False
        self._following: str | None = None  # the current report the selection follows

        self.search = QLineEdit(self)
        self.search.setObjectName("queue_search")
        self.search.setPlaceholderText(self.tr("Cari tiket, judul, alamat… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Cari laporan"))
        self.search.installEventFilter(self)

        self.quick = QComboBox(self)
        self.quick.setObjectName("queue_quick_filter")
        self.quick.setAccessibleName(self.tr("Saring status"))
        for key, _ in QUICK_FILTERS:
            self.quick.addItem(self._quick_label(key), key)
        self.quick.setToolTip(self.tr("Saring menurut status"))

        self.filters_button = QToolButton(self)
        self.filters_button.setObjectName("queue_filters_button")
        self.filters_button.setCheckable(True)
        self.filters_button.setToolTip(self.tr("Saringan lain (Ctrl+Shift+F)"))
        self.filters_button.toggled.connect(self._show_filters)

        self.views = QComboBox(self)
        self.views.setObjectName("queue_views")
        self.views.setAccessibleName(self.tr("Tampilan tersimpan"))
        self.views.setToolTip(self.tr("Tampilan tersimpan (Ctrl+Shift+L); simpan dengan Ctrl+Shift+S"))
        self.views.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._saved = SavedViews(settings) if settings is not None else None
        self._fill_views()
        self.views.activated.connect(self._view_chosen)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("queue_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("000.000 laporan"))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.filters = FiltersPanel(self, can_mine=bool(self.operator.agency))
        self.filters.hide()
        self.filters.changed.connect(self._filters_changed)
        self.notice = NoticeBar(self)

        self.model = QueueModel(bridge, self, lang=lang)
        self.table = QueueTable(self)
        self.table.setModel(self.model)
        for i, key in enumerate(COLUMN_KEYS):
            self.table.setColumnWidth(i, _WIDTHS.get(key, 100))
        # The title takes the width the other columns leave (eliding a long one), so the
        # narrow fixed columns up to Sinkron stay on screen (_fit_to_viewport).
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COLUMN_KEYS.index("title"), QHeaderView.ResizeMode.Stretch)
        # Sinkron: wide enough for its longest state (it never elides).
        sync = COLUMN_KEYS.index("sync")
        from console.views.labels import lookup  # the model's own strings

        texts = [lookup("QueueModel", t) for t in ("↑ tertunda", "⚠ ditolak", "⇄ konflik")]
        texts.append(self.model.headerData(sync, Qt.Orientation.Horizontal))
        self.table.setColumnWidth(sync, 16 + max(
            self.table.fontMetrics().horizontalAdvance(t) for t in texts))
        section, order = self.model.sort_column()
        # Set the indicator first: enabling sorting sorts by it at once, which is then
        # the model's current sort and starts no second load.
        self.table.horizontalHeader().setSortIndicator(section, order)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(
            lambda *_a: QTimer.singleShot(0, self._sync_sort_indicator))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 1)
        top.addWidget(self.quick)
        top.addWidget(self.filters_button)
        top.addWidget(self.views)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        self.setFocusProxy(self.table)
        self._update_filters_button()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_now)
        self.quick.currentIndexChanged.connect(lambda _i: self._manual_change())

        self._count_wanted: store.QueueFilter | None = None
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(500)
        self._count_timer.timeout.connect(self._count_now)
        self.table.painted.connect(self._painted)

        self._clock = QTimer(self)
        self._clock.setInterval(CLOCK_TICK_MS)
        self._clock.timeout.connect(self.model.tick)
        self._clock.start()
        self._prune = QTimer(self)
        self._prune.setInterval(PRUNE_MS)
        self._prune.timeout.connect(self.prune)
        self._prune.start()

        self.model.modelReset.connect(lambda: self.currentReportChanged.emit(None))
        self.model.firstPageLoaded.connect(self._on_first_page)
        self.model.loadFailed.connect(self._on_failed)
        self.model.rowsAboutToBeRemoved.connect(self._before_remove)
        self.model.rowsRemoved.connect(self._after_remove)
        self.model.liveUpdated.connect(self._on_live)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.selectionChanged.emit())

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

    def set_operator(self, operator: OperatorContext) -> None:
        self.operator = operator
        self.filters.set_can_mine(bool(operator.agency))

    def set_lookups(self, lookups) -> None:
        self.filters.set_choices(lookups)

    def set_area(self, area) -> None:
        """The map's area filter: a region code, a (min_lat, min_lon, max_lat, max_lon)
        box, or None to clear it."""
        if area is None:
            self._area = {}
        elif isinstance(area, str):
            self._area = {"region_prefix": area}
        else:
            self._area = {"bbox": tuple(float(v) for v in area)}
        self.apply_filter()

    def current_filter(self) -> store.QueueFilter:
        key = self.quick.currentData() or "open"
        extra = dict(dict(QUICK_FILTERS)[key])
        extra.update(FiltersPanel.filter_kwargs(self.filters.spec(), agency=self.operator.agency))
        if "region_prefix" in self._area and "region_prefix" not in extra:
            extra["region_prefix"] = self._area["region_prefix"]
        if "bbox" in self._area:
            extra["bbox"] = self._area["bbox"]
        if extra.get("overdue_only") and "statuses" in extra:
            pass  # both: overdue among those statuses
        return store.QueueFilter(search=self.search.text().strip(), **extra)

    def _search_now(self) -> None:
        self._debounce.stop()
        self.apply_filter()

    def _manual_change(self) -> None:
        if not self._applying_view:
            self.views.setCurrentIndex(0)
        self.apply_filter()

    def _filters_changed(self) -> None:
        self._update_filters_button()
        self._manual_change()

    def _update_filters_button(self) -> None:
        n = self.filters.active_count()
        self.filters_button.setText(self.tr("Saringan ({n})").format(n=n) if n
                                    else self.tr("Saringan"))

    def apply_filter(self) -> None:
        """Show the filter the search box, quick filter and filter bar describe (if it
        changed)."""
        flt = self.current_filter()
        if flt == self.model.queue_filter and self.model.first_page_loaded:
            return
        self.model.set_filter(flt)
        self._request_count(flt)
        self.filterChanged.emit(flt)

    def start(self) -> None:
        """Load the first page and the count (call once the window is up)."""
        flt = self.current_filter()
        self.model.set_filter(flt)
        self._request_count(flt)

    def stop(self) -> None:
        """The window is closing: no more timers."""
        for timer in (self._clock, self._prune, self._debounce, self._count_timer):
            timer.stop()
        self.model._flash_timer.stop()

    def reload(self) -> None:
        flt = self.current_filter()  # relative dates move on
        if flt != self.model.queue_filter:
            self.model.set_filter(flt)
        else:
            self.model.reload()
        self._request_count(flt)

    def refresh_count(self) -> None:
        self._request_count(self.model.queue_filter)

    def _request_count(self, flt: store.QueueFilter) -> None:
        """Count after the new first page is on screen: the rows matter more than the
        number, and on a busy machine the count would compete with them."""
        if self._count is None:
            self.count_label.setText(self.tr("menghitung…"))
        self._count_wanted = flt
        if self.model.first_page_loaded and not self.model.loading:
            self._count_now()
        elif not self._count_timer.isActive():
            self._count_timer.start()  # in case no paint comes (a hidden queue)

    def _count_now(self) -> None:
        flt, self._count_wanted = self._count_wanted, None
        self._count_timer.stop()
        if flt is None or self._count_bridge.closed:
            return
        self._count_bridge.submit(store.count, flt, channel=self._count_channel,
                                  on_result=self._on_count)

    def _painted(self) -> None:
        if self._count_wanted is not None and self.model.first_page_loaded:
            self._count_now()

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

    def _on_live(self, _repainted: int, inserted: int) -> None:
        if inserted:
            self.refresh_count()

    def toggle_filters(self) -> None:
        if self.filters.isVisible() and self.filters.isAncestorOf(self.focusWidget() or self):
            self.filters_button.setChecked(False)
            self.table.setFocus()
            return
        self.filters_button.setChecked(True)
        self.filters.prio_buttons[1].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_filters(self, shown: bool) -> None:
        self.filters.setVisible(shown)

    # ---------------------------------------------------------------------- saved views

    def _fill_views(self) -> None:
        self.views.clear()
        self.views.addItem(self.tr("Tampilan…"), None)
        for key, name, spec in BUILTIN_VIEWS:
            self.views.addItem(view_label(name), {"builtin": key, "spec": spec})
        if self._saved is not None:
            for v in self._saved.user_views():
                self.views.addItem("★ " + v["name"], {"name": v["name"], "spec": v["spec"]})

    def view_spec(self) -> dict:
        sort = self.model.queue_sort
        return {"quick": self.quick.currentData() or "open", "filters": self.filters.spec(),
                "search": self.search.text().strip(), "sort": [sort.key, sort.descending]}

    def apply_view(self, spec: dict) -> None:
        self._applying_view = True
        try:
            index = self.quick.findData(spec.get("quick") or "open")
            self.quick.blockSignals(True)
            self.quick.setCurrentIndex(max(0, index))
            self.quick.blockSignals(False)
            self.filters.set_spec(spec.get("filters") or {})
            if self.filters.active_count():
                self.filters_button.setChecked(True)
            self._update_filters_button()
            self.search.blockSignals(True)
            self.search.setText(spec.get("search") or "")
            self.search.blockSignals(False)
            sort = spec.get("sort")
            if sort:
                try:
                    new_sort = store.QueueSort(sort[0], bool(sort[1]))
                except (ValueError, IndexError, TypeError):
                    new_sort = store.DEFAULT_SORT
            else:
                new_sort = store.DEFAULT_SORT
            flt = self.current_filter()
            if new_sort != self.model.queue_sort or flt != self.model.queue_filter:
                self.model.set_query(flt, new_sort)
                self._sync_sort_indicator()
                self._request_count(flt)
                self.filterChanged.emit(flt)
        finally:
            self._applying_view = False

    def _sync_sort_indicator(self) -> None:
        section, order = self.model.sort_column()
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(section, order)
        header.blockSignals(False)

    def _view_chosen(self, index: int) -> None:
        data = self.views.itemData(index)
        if data:
            self.apply_view(data["spec"])
            self.table.setFocus()

    def focus_views(self) -> None:
        self.views.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.views.showPopup()

    def save_view_dialog(self) -> None:
        if self._saved is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Simpan tampilan"),
                                        self.tr("Nama tampilan ini:"))
        if ok and name.strip():
            self.save_view(name.strip())

    def save_view(self, name: str) -> None:
        if self._saved is None:
            return
        self._saved.save(name, self.view_spec())
        self._fill_views()
        self.views.setCurrentIndex(self.views.findText("★ " + name))

    def delete_view(self, name: str) -> None:
        if self._saved is not None:
            self._saved.delete(name)
            self._fill_views()

    # ------------------------------------------------------------------------ selection

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        from PySide6.QtCore import QEvent

        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
            if event.key() == Qt.Key.Key_Down:
                self._search_now()
                self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return True
        return super().eventFilter(obj, event)

    def _on_first_page(self) -> None:
        # Repaint even when nothing changed (an empty queue): the first-paint hook and
        # any "shown" bookkeeping wait for a paint after the load.
        self.table.viewport().update()
        if self.model.rowCount() and not self._fitted:
            # Short, fixed-format columns fit their content (font and DPI vary); the
            # free-text ones keep their starting widths and elide, with a tooltip.
            self._fitted = True
            bold = self.table.font()
            bold.setBold(True)
            from PySide6.QtGui import QFontMetrics

            widest = QFontMetrics(bold)
            for key in ("ticket", "priority", "sla", "age"):
                col = COLUMN_KEYS.index(key)
                self.table.resizeColumnToContents(col)
                width = self.table.columnWidth(col) + 8
                if key == "priority":  # a P1 in bold may arrive later: make room now
                    from console.views.labels import priority_label

                    width = max(width, widest.horizontalAdvance(priority_label(1)) + 34)
                elif key == "ticket":
                    width = max(width, widest.horizontalAdvance("BDG-000000-00000") + 12)
                self.table.setColumnWidth(col, max(width, _WIDTHS[key] // 2))
            self._fit_to_viewport()
        if self._following is not None:
            self.follow(self._following)  # the open report stays the current one
        elif self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _fit_to_viewport(self) -> None:
        """Size the free-text columns (they elide, with a tooltip) so every column is on
        screen without scrolling sideways, the title keeping TITLE_MIN_WIDTH at least and
        taking the rest (it stretches). From their first-page widths each time, so they
        give way when the queue narrows and grow back when it widens. A queue too narrow
        even then drops Instansi, Kanal, Kelurahan (in that order; Detail shows them)
        rather than push Sinkron off screen."""
        title = COLUMN_KEYS.index("title")
        flexible = [COLUMN_KEYS.index(k) for k in ("category", "region", "status", "channel",
                                                   "agency")]
        if not self._natural:
            self._natural = {c: self.table.columnWidth(c) for c in flexible}
        # Assume the vertical scroll bar: a queue is rarely shorter than the screen, and
        # the bar appears only after this first page is laid out.
        available = (
            self.table.maximumViewportSize().width()
            - self.table.verticalScrollBar().sizeHint().width()
        )
        fixed = sum(self.table.columnWidth(c) for c in range(len(COLUMN_KEYS))
                    if c != title and c not in self._natural)
        dropped: list[int] = []
        for key in (None, "agency", "channel", "region"):
            if key is not None:
                dropped.append(COLUMN_KEYS.index(key))
            shown = {c: w for c, w in self._natural.items() if c not in dropped}
            overflow = fixed + sum(shown.values()) + TITLE_MIN_WIDTH - available
            room = sum(max(0, w - FLEX_MIN_WIDTH) for w in shown.values())
            if overflow <= room:
                break
        share = 0.0 if overflow <= 0 or room <= 0 else min(1.0, overflow / room)
        for c, width in self._natural.items():
            self.table.setColumnHidden(c, c in dropped)
            spare = max(0, width - FLEX_MIN_WIDTH)
            self.table.setColumnWidth(c, width - int(spare * share + 0.999))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        if self._fitted:
            self._fit_to_viewport()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.currentReportChanged.emit(
            self.model.row_at(current.row()) if current.isValid() else None
        )

    def _on_failed(self, message: str) -> None:
        self.count_label.setText(self.tr("Gagal memuat antrean"))
        self.count_label.setToolTip(plain_tip(message))

    def selected_rows(self) -> list[store.QueueRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = [r for r in (self.model.row_at(i) for i in rows) if r is not None]
        if not out and self.table.currentIndex().isValid():
            current = self.model.row_at(self.table.currentIndex().row())
            out = [current] if current is not None else []
        return out

    def current_row(self) -> store.QueueRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def select_report(self, report_id: str) -> bool:
        """Select the report's row if the queue shows it."""
        row = self.model.row_of(report_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def follow(self, report_id: str | None) -> None:
        """Make the selection follow the current report (the one Detail shows): select
        its row if the queue has it, else fetch it and pin it at the top. Rows pinned for
        an earlier report go."""
        self._following = report_id
        self.model.unpin(keep=report_id)
        if report_id is None:
            return
        row = self.model.row_of(report_id)
        if row is not None:
            current = self.current_row()
            if current is None or current.id != report_id:
                self.select_row(row)
            return
        if not self.model.first_page_loaded:
            return  # the first page follows it when it arrives
        flt, sort = self.model.queue_filter, self.model.queue_sort

        def got(cur: store.CurrentRow) -> None:
            if self._following != report_id:
                return  # the operator moved on meanwhile
            if (flt, sort) != (self.model.queue_filter, self.model.queue_sort):
                self.follow(report_id)  # the filter changed meanwhile: ask again
                return
            i = self.model.follow(cur)
            if i is not None:
                self.select_row(i)

        self._bridge.submit(store.current_row, flt, sort, report_id, lang=self._lang,
                            channel=f"queue-follow-{id(self)}", on_result=got)

    def select_next(self, report_id: str) -> None:
        """After a one-key triage: move to the next row still in the filter. Not from a
        pinned report (one opened from outside the filter, e.g. a call just taken): the
        row after it is unrelated, so the operator stays on the report they opened."""
        row = self.model.row_of(report_id)
        if row is None or self.model.is_pinned(report_id):
            return
        nxt = row + 1
        while nxt < self.model.rowCount() and self.model.is_gone(self.model.row_at(nxt).id):
            nxt += 1
        if nxt < self.model.rowCount():
            self.select_row(nxt)
        elif self.model.canFetchMore():
            self.model.fetchMore()

    def select_next_flashing(self) -> None:
        flashing = self.model.flashing
        if not flashing:
            return
        rows = sorted(r for r in (self.model.row_of(i) for i in flashing) if r is not None)
        if not rows:
            return
        current = self.table.currentIndex().row()
        after = [r for r in rows if r > current]
        self.select_row(after[0] if after else rows[0])
        self.table.setFocus()

    # ------------------------------------------------------------------- pruning rows

    def prune(self) -> None:
        current = self.current_row()
        keep = [r.id for r in self.selected_rows()] + ([current.id] if current else [])
        self.model.prune_gone(PRUNE_AFTER_S, keep=keep)

    def _before_remove(self, _parent, first: int, last: int) -> None:
        # Rows removed above the visible area would shift what the operator looks at:
        # remember their height and scroll back by it.
        for row in range(first, last + 1):
            if self.table.rowViewportPosition(row) + self.table.rowHeight(row) <= 0:
                self._scroll_fix += self.table.rowHeight(row)

    def _after_remove(self, *_args) -> None:
        if self._scroll_fix:
            bar = self.table.verticalScrollBar()
            bar.setValue(max(0, bar.value() - self._scroll_fix))
            self._scroll_fix = 0

    @property
    def sort_column_key(self) -> str:
        section, _ = self.model.sort_column()
        return COLUMN_KEYS[section] if COLUMN_KEYS[section] in _SORT_KEYS else "priority"
