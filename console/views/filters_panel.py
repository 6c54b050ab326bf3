"""The queue's filters (priority, category, region, channel, date range, overdue, assigned
to me) and the saved views built on them. Everything works by keyboard: Tab moves
between the controls, Space or ↓ opens a list, Space ticks an entry, Esc closes it.

A filter state is a plain dict (``spec``) so saved views are JSON in QSettings; the
queue panel turns a spec into a :class:`console.store.queue.QueueFilter`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.views import settings as prefs
from console.views.labels import WIB, channel_label

__all__ = ["BUILTIN_VIEWS", "CheckCombo", "FiltersPanel", "SavedViews", "DATE_PRESETS"]

DATE_PRESETS = ("any", "today", "24h", "7d", "30d", "range")


class CheckCombo(QComboBox):
    """A drop-down list of checkable entries; shows a summary of what is ticked."""

    changed = Signal()

    def __init__(self, all_text: str, parent=None) -> None:
        super().__init__(parent)
        self._all_text = all_text
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self.view().viewport().installEventFilter(self)
        self.view().installEventFilter(self)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(9)

    def add(self, code: str, text: str) -> None:
        item = QStandardItem(text)
        item.setData(code, Qt.ItemDataRole.UserRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setData(Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
        self._model.appendRow(item)

    def clear_items(self) -> None:
        self._model.clear()

    def checked(self) -> list[str]:
        return [self._model.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self._model.rowCount())
                if self._model.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, codes) -> None:
        codes = set(codes or ())
        for i in range(self._model.rowCount()):
            item = self._model.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in codes
                               else Qt.CheckState.Unchecked)
        self.update()

    def summary(self) -> str:
        names = [self._model.item(i).text() for i in range(self._model.rowCount())
                 if self._model.item(i).checkState() == Qt.CheckState.Checked]
        if not names:
            return self._all_text
        if len(names) <= 2:
            return ", ".join(names)
        return self.tr("%n dipilih", "", len(names))

    def _toggle(self, row: int) -> None:
        item = self._model.item(row)
        if item is None:
            return
        item.setCheckState(Qt.CheckState.Unchecked if item.checkState() == Qt.CheckState.Checked
                           else Qt.CheckState.Checked)
        self.update()
        self.changed.emit()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if obj is self.view().viewport() and event.type() == QEvent.Type.MouseButtonRelease:
            index = self.view().indexAt(event.position().toPoint())
            if index.isValid():
                self._toggle(index.row())
            return True  # keep the list open
        if obj is self.view() and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Space:
                self._toggle(self.view().currentIndex().row())
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_F4):
            self.showPopup()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt name
        event.ignore()  # scrolling over the bar must not change a filter

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt name
        painter = QStylePainter(self)
        opt = QStyleOptionComboBox()
        self.initStyleOption(opt)
        opt.currentText = self.summary()
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, opt)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, opt)


class FiltersPanel(QWidget):
    """The filter bar under the queue's search box."""

    changed = Signal()

    def __init__(self, parent=None, *, can_mine: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("filters_panel")
        self._quiet = False
        # Until the lists arrive (set_choices), the wanted spec is kept as given.
        self._loaded = False
        self._wanted: dict = {}

        self.prio_buttons: dict[int, QToolButton] = {}
        prio_box = QWidget(self)
        prio_layout = QHBoxLayout(prio_box)
        prio_layout.setContentsMargins(0, 0, 0, 0)
        prio_layout.setSpacing(1)
        for p in (1, 2, 3, 4):
            b = QToolButton(prio_box)
            b.setObjectName(f"filter_p{p}")
            b.setText(f"P{p}")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setToolTip(self.tr("Hanya prioritas {p} (boleh lebih dari satu)").format(p=p))
            b.toggled.connect(self._emit)
            prio_layout.addWidget(b)
            self.prio_buttons[p] = b

        self.categories = CheckCombo(self.tr("Semua kategori"), self)
        self.categories.setObjectName("filter_categories")
        self.categories.setAccessibleName(self.tr("Kategori"))
        self.categories.changed.connect(self._emit)

        self.region = QComboBox(self)
        self.region.setObjectName("filter_region")
        self.region.setEditable(True)
        self.region.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.region.setAccessibleName(self.tr("Wilayah"))
        self.region.setMinimumContentsLength(11)
        self.region.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.region.addItem(self.tr("Semua wilayah"), None)
        self.region.activated.connect(lambda _i: self._emit())
        self.region.lineEdit().editingFinished.connect(self._region_typed)

        self.channels = CheckCombo(self.tr("Semua kanal"), self)
        self.channels.setObjectName("filter_channels")
        self.channels.setAccessibleName(self.tr("Kanal"))
        self.channels.changed.connect(self._emit)

        self.date = QComboBox(self)
        self.date.setObjectName("filter_date")
        self.date.setAccessibleName(self.tr("Waktu masuk"))
        for key, text in zip(DATE_PRESETS, (
                self.tr("Semua waktu"), self.tr("Hari ini"), self.tr("24 jam terakhir"),
                self.tr("7 hari terakhir"), self.tr("30 hari terakhir"),
                self.tr("Rentang tanggal…")), strict=True):
            self.date.addItem(text, key)
        self.date_from = QDateEdit(self)
        self.date_from.setObjectName("filter_date_from")
        self.date_to = QDateEdit(self)
        self.date_to.setObjectName("filter_date_to")
        today = QDate.currentDate()
        for edit, value in ((self.date_from, today.addDays(-7)), (self.date_to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd-MM-yyyy")
            edit.setDate(value)
            edit.dateChanged.connect(self._emit)
            edit.setVisible(False)
        self.date.currentIndexChanged.connect(self._date_changed)

        self.overdue = QCheckBox(self.tr("&Lewat SLA"), self)
        self.overdue.setObjectName("filter_overdue")
        self.overdue.toggled.connect(self._emit)
        self.mine = QCheckBox(self.tr("Ditugaskan ke &saya"), self)
        self.mine.setObjectName("filter_mine")
        self.mine.setEnabled(can_mine)
        self.mine.setToolTip(
            self.tr("Laporan yang didisposisikan ke instansi Anda") if can_mine else
            self.tr("Instansi Anda belum diatur (Pengaturan operator)"))
        self.mine.toggled.connect(self._emit)
        self.clear_button = QPushButton(self.tr("Bersihkan"), self)
        self.clear_button.setObjectName("filter_clear")
        self.clear_button.clicked.connect(self.clear)

        # Two rows, so the bar fits a narrow queue dock.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        first, second = QHBoxLayout(), QHBoxLayout()
        for row in (first, second):
            row.setSpacing(6)
            layout.addLayout(row)
        for w in (prio_box, self.categories, self.channels, self.region):
            first.addWidget(w)
        first.addStretch(1)
        for w in (self.date, self.date_from, self.date_to, self.overdue, self.mine):
            second.addWidget(w)
        second.addStretch(1)
        second.addWidget(self.clear_button)

    # ---------------------------------------------------------------------- contents

    def set_choices(self, lookups) -> None:
        """Fill the lists from :class:`console.store.lookups.Lookups`."""
        spec = self.spec()
        quiet, self._quiet = self._quiet, True
        self.categories.clear_items()
        for code, name, *_rest in lookups.categories:
            self.categories.add(code, name)
        self.channels.clear_items()
        for code in lookups.channels:
            self.channels.add(code, channel_label(code))
        self.region.clear()
        self.region.addItem(self.tr("Semua wilayah"), None)
        for code, name, level, _parent, parent_name in lookups.regions:
            if level == "kota":
                self.region.addItem(name, code)
            elif level == "kecamatan":
                self.region.addItem(self.tr("Kec. {name}").format(name=name), code)
            else:
                self.region.addItem(f"{name} — {parent_name or ''}".rstrip(" —"), code)
        completer = QCompleter(self.region.model(), self.region)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.region.setCompleter(completer)
        self._loaded = True
        self.set_spec(spec)
        self._quiet = quiet

    def set_can_mine(self, can: bool) -> None:
        self.mine.setEnabled(can)
        if not can:
            self.mine.setChecked(False)

    def _region_typed(self) -> None:
        text = self.region.currentText().strip()
        index = self.region.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0 and text:
            index = self.region.findText(text, Qt.MatchFlag.MatchContains)
        if index < 0:
            index = 0
        if index != self.region.currentIndex() or self.region.currentText() != self.region.itemText(index):
            self.region.setCurrentIndex(index)
            self._emit()

    def _date_changed(self, _i: int) -> None:
        custom = self.date.currentData() == "range"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._quiet:
            self.changed.emit()

    # --------------------------------------------------------------------------- spec

    def spec(self) -> dict:
        if not self._loaded:
            base = {"priorities": [], "categories": [], "channels": [], "region": None,
                    "date": "any", "date_from": None, "date_to": None, "overdue": False,
                    "mine": False}
            base.update({k: v for k, v in self._wanted.items() if k in base})
            base["priorities"] = [p for p, b in self.prio_buttons.items() if b.isChecked()]
            base["date"] = self.date.currentData() or "any"
            base["overdue"] = self.overdue.isChecked()
            base["mine"] = self.mine.isChecked() and self.mine.isEnabled()
            return base
        return {
            "priorities": [p for p, b in self.prio_buttons.items() if b.isChecked()],
            "categories": self.categories.checked(),
            "channels": self.channels.checked(),
            "region": self.region.currentData(),
            "date": self.date.currentData() or "any",
            "date_from": self.date_from.date().toString(Qt.DateFormat.ISODate),
            "date_to": self.date_to.date().toString(Qt.DateFormat.ISODate),
            "overdue": self.overdue.isChecked(),
            "mine": self.mine.isChecked() and self.mine.isEnabled(),
        }

    def set_spec(self, spec: dict | None) -> None:
        spec = spec or {}
        self._wanted = dict(spec)
        quiet, self._quiet = self._quiet, True
        try:
            prios = set(spec.get("priorities") or ())
            for p, b in self.prio_buttons.items():
                b.setChecked(p in prios)
            self.categories.set_checked(spec.get("categories"))
            self.channels.set_checked(spec.get("channels"))
            index = self.region.findData(spec.get("region")) if spec.get("region") else 0
            self.region.setCurrentIndex(max(0, index))
            date_index = self.date.findData(spec.get("date") or "any")
            self.date.setCurrentIndex(max(0, date_index))
            for edit, key in ((self.date_from, "date_from"), (self.date_to, "date_to")):
                if spec.get(key):
                    d = QDate.fromString(spec[key], Qt.DateFormat.ISODate)
                    if d.isValid():
                        edit.setDate(d)
            self.overdue.setChecked(bool(spec.get("overdue")))
            self.mine.setChecked(bool(spec.get("mine")) and self.mine.isEnabled())
        finally:
            self._quiet = quiet

    def clear(self) -> None:
        self.set_spec({})
        self.changed.emit()

    def active_count(self) -> int:
        s = self.spec()
        return sum(bool(x) for x in (s["priorities"], s["categories"], s["channels"],
                                     s["region"], s["date"] != "any", s["overdue"], s["mine"]))

    @staticmethod
    def filter_kwargs(spec: dict, *, now: datetime | None = None,
                      agency: str | None = None) -> dict:
        """QueueFilter keyword arguments for a spec (times rounded to the minute, so the
        same spec gives an equal filter for a minute)."""
        now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
        kw: dict = {}
        if spec.get("priorities"):
            kw["priorities"] = tuple(int(p) for p in spec["priorities"])
        if spec.get("categories"):
            kw["categories"] = tuple(spec["categories"])
        if spec.get("channels"):
            kw["channels"] = tuple(spec["channels"])
        if spec.get("region"):
            kw["region_prefix"] = spec["region"]
        preset = spec.get("date") or "any"
        if preset == "today":
            local = now.astimezone(WIB)
            kw["created_from"] = datetime.combine(local.date(), time(0), WIB).astimezone(UTC)
        elif preset in ("24h", "7d", "30d"):
            kw["created_from"] = now - {"24h": timedelta(hours=24), "7d": timedelta(days=7),
                                        "30d": timedelta(days=30)}[preset]
        elif preset == "range":
            try:
                start = datetime.fromisoformat(spec["date_from"]).date()
                end = datetime.fromisoformat(spec["date_to"]).date()
            except (KeyError, TypeError, ValueError):
                start = end = None
            if start is not None and end is not None:
                if end < start:
                    start, end = end, start
                kw["created_from"] = datetime.combine(start, time(0), WIB).astimezone(UTC)
                kw["created_to"] = datetime.combine(end + timedelta(days=1), time(0),
                                                    WIB).astimezone(UTC)
        if spec.get("overdue"):
            kw["overdue_only"] = True
        if spec.get("mine") and agency:
            kw["agencies"] = (agency,)
        return kw


#: (id, Indonesian name marker, view spec). Names are translated in SavedViews.
BUILTIN_VIEWS: tuple[tuple[str, str, dict], ...] = (
    ("open", QT_TRANSLATE_NOOP("SavedViews", "Antrean terbuka"), {"quick": "open"}),
    ("112", QT_TRANSLATE_NOOP("SavedViews", "112 belum ditriase"),
     {"quick": "new", "filters": {"channels": ["phone_112"]}, "sort": ["created_at", True]}),
    ("p12", QT_TRANSLATE_NOOP("SavedViews", "P1/P2 terbuka"), {"quick": "open", "filters": {"priorities": [1, 2]}}),
    ("overdue", QT_TRANSLATE_NOOP("SavedViews", "Lewat SLA"), {"quick": "overdue", "sort": ["sla_due_at", False]}),
    ("running", QT_TRANSLATE_NOOP("SavedViews", "Disposisi berjalan"), {"quick": "in_progress", "sort": ["sla_due_at", False]}),
)


class SavedViews:
    """Built-in and operator-saved views, kept as JSON in QSettings ``queue/views``."""

    KEY = "queue/views"

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def user_views(self) -> list[dict]:
        raw = prefs.read(self._settings, self.KEY)
        try:
            data = json.loads(raw) if raw else []
        except (TypeError, ValueError):
            return []
        return [v for v in data if isinstance(v, dict) and isinstance(v.get("name"), str)
                and isinstance(v.get("spec"), dict)]

    def save(self, name: str, spec: dict) -> None:
        views = [v for v in self.user_views() if v["name"] != name]
        views.append({"name": name, "spec": spec})
        prefs.write(self._settings, self.KEY, json.dumps(views, ensure_ascii=False))
        self._settings.sync()

    def delete(self, name: str) -> None:
        views = [v for v in self.user_views() if v["name"] != name]
        prefs.write(self._settings, self.KEY, json.dumps(views, ensure_ascii=False))
        self._settings.sync()


def view_label(text: str) -> str:
    return QCoreApplication.translate("SavedViews", text)
