"""Taking a report on the phone or at the kelurahan counter, without the mouse.

Tab walks the fields in the order a call goes (channel, caller, category, what, where);
every field has an Alt+letter mnemonic; Ctrl+Enter saves; Esc cancels (a form with
anything typed in asks first: a call half taken is never lost to a stray key). The channel
starts as the desk's usual one (``console/store/desk.py``: never Telepon 112 unless
this is a 112 desk); Alt+1 switches to Telepon 112. Required fields are marked "*";
an error message goes as soon as its field is corrected. The location is a
kelurahan from the list (type part of its name), an address (a kelurahan named in it is
picked up), coordinates ("-6.914, 107.609"), or a point picked on the map when the map
offers picking (:meth:`IntakeDialog.set_location`). Coordinates outside the city are
refused with a clear message before anything is written (and again by the operation).

While the operator types, similar recent reports are looked up (distance, time window,
category, caller): the call may be about an incident that is already being handled, and
can then be saved as its duplicate.

The dialog is not modal, so the map and the queue stay usable during a call.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from console.domain.duplicates import Facts
from console.domain.geo import CITY_BOUNDS
from console.operations.intake import NewReport, create_report
from console.operations.merge import create_as_duplicate
from console.store import desk as desk_store
from console.store.duplicates import candidates_for
from console.store.lookups import Lookups, city_bounds_for
from console.views.action_dialogs import ctrl_enter
from console.views.ask import ask
from console.views.labels import channel_label, status_label, triage_label
from console.views.plain import plain_tip

__all__ = ["IntakeDialog", "parse_coordinates"]

DUPLICATE_DEBOUNCE_MS = 350
INTAKE_CHANNELS = ("phone_112", "phone", "walk_in", "whatsapp", "sms", "social", "app", "sensor")

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_NON_WORD = re.compile(r"[^\w]+")
_COORDS = re.compile(rf"^\s*({_NUMBER})\s*[,;\s]\s*({_NUMBER})\s*$")


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``"-6.914, 107.609"`` → (-6.914, 107.609); also ``;`` or a space between, and a
    decimal comma when the separator is ``;`` or a space. Raises ValueError on nonsense,
    returns None for an empty field."""
    text = (text or "").strip()
    if not text:
        return None
    m = _COORDS.match(text)
    if not m:
        raise ValueError(text)
    lat, lon = (float(g.replace(",", ".")) for g in m.groups())
    return lat, lon


def kelurahan_in_address(address: str, kelurahan: list[tuple[str, str]]) -> str | None:
    """The code of the one kelurahan whose name appears (as words) in the address."""
    def words(text: str) -> str:
        return " " + _NON_WORD.sub(" ", text.casefold()).strip() + " "

    folded = words(address)
    hits = [code for code, name in kelurahan if words(name) in folded]
    return hits[0] if len(hits) == 1 else None


class IntakeDialog(QDialog):
    #: (report id) after a report was saved
    saved = Signal(str)
    #: the operator wants to pick the location on the map
    pickRequested = Signal()
    #: open an existing report (a duplicate candidate) in the main window
    openRequested = Signal(str)

    def __init__(self, window, lookups: Lookups, *, can_pick: bool = False) -> None:
        super().__init__(window)
        self.setObjectName("intake_dialog")
        self.setWindowTitle(self.tr("Laporan baru"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.window_ = window
        self.lookups = lookups
        self._candidates = []
        self._busy = False
        self._bad_field: str | None = None  # the field the shown error is about
        self._taken_with: tuple[str, bool] = ("", False)  # (channel, make it the default)
        self._discard_box: QMessageBox | None = None

        self.channel = QComboBox(self)
        self.channel.setObjectName("intake_channel")
        for code in INTAKE_CHANNELS:
            self.channel.addItem(channel_label(code), code)
        # The desk's usual channel comes from its database; until it arrives (a moment),
        # the role's, never 112. An operator who already chose one keeps it.
        self._channel_touched = False
        role = getattr(getattr(window, "operator", None), "role", "operator")
        self._set_channel(desk_store.role_channel(role))
        window.bridge.submit(desk_store.usual_channel, role,
                             on_result=self._usual_channel)
        self.hotline = QPushButton(self.tr("Telepon &112"), self)
        self.hotline.setObjectName("intake_hotline")
        self.hotline.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes on to the caller
        self.hotline.setToolTip(self.tr("Panggilan 112 (Alt+1)"))
        self.hotline.clicked.connect(lambda: self._pick_channel("phone_112"))
        self.triage = QComboBox(self)
        self.triage.setObjectName("intake_triage")
        self.triage.addItem(self.tr("— belum ditriase —"), None)
        for code in ("emergency", "information", "prank", "ghost"):
            self.triage.addItem(triage_label(code), code)
        self.reporter_name = QLineEdit(self)
        self.reporter_name.setObjectName("intake_reporter_name")
        self.reporter_phone = QLineEdit(self)
        self.reporter_phone.setObjectName("intake_reporter_phone")
        self.reporter_phone.setPlaceholderText("08…")
        self.category = QComboBox(self)
        self.category.setObjectName("intake_category")
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.addItem("", None)
        for code, name, *_ in lookups.categories:
            self.category.addItem(name, code)
        self._completer(self.category)
        self.priority = QComboBox(self)
        self.priority.setObjectName("intake_priority")
        self.priority.addItem(self.tr("Otomatis (dari kategori dan kanal)"), None)
        for p, text in ((1, self.tr("P1 Darurat")), (2, self.tr("P2 Tinggi")),
                        (3, self.tr("P3 Sedang")), (4, self.tr("P4 Rendah"))):
            self.priority.addItem(text, p)
        self.title = QLineEdit(self)
        self.title.setObjectName("intake_title")
        self.title.setMaxLength(200)
        self.title.setPlaceholderText(self.tr("Singkat: apa dan di mana"))
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("intake_description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(80)
        self.kelurahan = QComboBox(self)
        self.kelurahan.setObjectName("intake_kelurahan")
        self.kelurahan.setEditable(True)
        self.kelurahan.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.kelurahan.addItem("", None)
        for code, name, _level, _parent, parent_name in lookups.kelurahan():
            self.kelurahan.addItem(f"{name} — {parent_name or ''}".rstrip(" —"), code)
        self._completer(self.kelurahan)
        self.address = QLineEdit(self)
        self.address.setObjectName("intake_address")
        self.coords = QLineEdit(self)
        self.coords.setObjectName("intake_coords")
        self.coords.setPlaceholderText(self.tr("lintang, bujur — mis. -6.914, 107.609"))
        self.pick = QPushButton(self.tr("Pilih di &peta"), self)
        self.pick.setObjectName("intake_pick")
        self.pick.setEnabled(can_pick)
        self.pick.setToolTip(self.tr("Klik lokasi di peta") if can_pick
                             else self.tr("Peta luring belum mendukung pemilihan lokasi"))
        self.pick.clicked.connect(self.pickRequested)
        self.location_hint = QLabel(self)
        self.location_hint.setObjectName("intake_location_hint")
        self.location_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.location_hint.setWordWrap(True)
        self.location_hint.setStyleSheet("color:#555;")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        required = self.tr("wajib diisi")

        def row(text: str, widget, extra=None, *, must: bool = False) -> None:
            # A required field says so in its label ("*", explained under the form)
            # and to screen readers.
            label = QLabel(f"{text} *" if must else text, self)
            label.setBuddy(widget)
            if must:
                label.setProperty("required", True)
                widget.setAccessibleDescription(required)
            if extra is None:
                form.addRow(label, widget)
            else:
                box = QHBoxLayout()
                box.addWidget(widget, 1)
                box.addWidget(extra)
                form.addRow(label, box)

        row(self.tr("&Kanal"), self.channel, self.hotline)
        row(self.tr("T&riase 112"), self.triage)
        self.triage_label = form.labelForField(self.triage)
        row(self.tr("&Nama pelapor"), self.reporter_name)
        row(self.tr("&No. telepon"), self.reporter_phone)
        row(self.tr("Kate&gori"), self.category, must=True)
        row(self.tr("Pr&ioritas"), self.priority)
        row(self.tr("&Judul"), self.title, must=True)
        row(self.tr("&Uraian"), self.description)
        row(self.tr("Ke&lurahan"), self.kelurahan)
        row(self.tr("&Alamat"), self.address)
        row(self.tr("K&oordinat"), self.coords, self.pick)
        form.addRow("", self.location_hint)

        self.dups_label = QLabel(self.tr("Laporan mirip yang sudah ada:"), self)
        self.dups = QTreeWidget(self)
        self.dups.setObjectName("intake_duplicates")
        self.dups.setRootIsDecorated(False)
        self.dups.setHeaderLabels([self.tr("Skor"), self.tr("Tiket"), self.tr("Status"),
                                   self.tr("Jarak"), self.tr("Judul")])
        self.dups.setColumnWidth(0, 44)
        self.dups.setColumnWidth(1, 120)
        self.dups.setFixedHeight(110)
        self.dups.itemActivated.connect(lambda item, _c: self._open_candidate(item))
        self.dups_label.setBuddy(self.dups)
        self.dups_label.hide()
        self.dups.hide()

        self.error = QLabel(self)
        self.error.setObjectName("intake_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c62828; font-weight:bold;")
        self.error.hide()
        self.required_legend = QLabel(self.tr("* wajib diisi"), self)
        self.required_legend.setObjectName("intake_required_legend")
        self.required_legend.setTextFormat(Qt.TextFormat.PlainText)
        self.required_legend.setStyleSheet("color:#555;")
        # Created here: in the Tab order after the form, before the buttons.
        self.desk_default = QCheckBox(self.tr("Jadikan kanal bawaan m&eja ini"), self)
        self.desk_default.setObjectName("intake_desk_default")
        self.desk_default.setToolTip(self.tr(
            "Laporan baru di meja ini akan dimulai dengan kanal ini (mis. meja 112)"))

        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("&Simpan"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("intake_save")
        self.save_button.setToolTip(self.tr("Ctrl+Enter"))
        self.save_dup_button = buttons.addButton(self.tr("Simpan sebagai &duplikat"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.save_dup_button.setObjectName("intake_save_duplicate")
        self.save_dup_button.setToolTip(self.tr(
            "Catat panggilan ini dan gabungkan ke laporan mirip yang dipilih"))
        self.save_dup_button.hide()
        buttons.addButton(self.tr("&Batal"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.save_dup_button.clicked.connect(self.save_as_duplicate)
        buttons.rejected.connect(self.reject)
        ctrl_enter(self, self.save)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.dups_label)
        layout.addWidget(self.dups)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.required_legend)
        bottom.addStretch(1)
        bottom.addWidget(self.desk_default)
        layout.addLayout(bottom)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.resize(580, self.sizeHint().height())

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(DUPLICATE_DEBOUNCE_MS)
        self._dup_timer.timeout.connect(self.find_duplicates)
        for signal in (self.category.currentIndexChanged, self.kelurahan.currentIndexChanged):
            signal.connect(lambda *_a: self._dup_timer.start())
        for edit in (self.coords, self.reporter_phone, self.title):
            edit.textChanged.connect(lambda *_a: self._dup_timer.start())
        self.coords.editingFinished.connect(self._check_location)
        self.address.editingFinished.connect(self._address_done)
        self.kelurahan.currentIndexChanged.connect(lambda *_a: self._check_location())
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.channel.activated.connect(self._channel_chosen)
        # A shown error goes as soon as its field is right again.
        self.title.textChanged.connect(lambda *_a: self._recheck("title"))
        self.category.currentTextChanged.connect(lambda *_a: self._recheck("category"))
        self.kelurahan.currentTextChanged.connect(lambda *_a: self._recheck("kelurahan"))
        self.coords.textChanged.connect(lambda *_a: self._recheck("coords"))
        self._channel_changed()
        self.channel.setFocus()

    # ---------------------------------------------------------------------- helpers

    @staticmethod
    def _completer(combo: QComboBox) -> None:
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)

    @staticmethod
    def _combo_value(combo: QComboBox):
        """The data of the entry the (editable) combo's text names, or None."""
        text = combo.currentText().strip()
        if not text:
            return None
        if combo.itemText(combo.currentIndex()) == text:
            return combo.currentData()
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            index = combo.findText(text, Qt.MatchFlag.MatchContains)
        return combo.itemData(index) if index >= 0 else None

    def _set_channel(self, code: str) -> None:
        index = self.channel.findData(code)
        if index >= 0:
            self.channel.setCurrentIndex(index)

    def _usual_channel(self, code: str) -> None:
        try:
            if not self._channel_touched:
                self._set_channel(code)
        except RuntimeError:  # the dialog was closed (and deleted) meanwhile
            pass

    def _channel_chosen(self, _index: int = -1) -> None:
        self._channel_touched = True

    def _pick_channel(self, code: str) -> None:
        self._channel_chosen()
        self._set_channel(code)
        self.channel.setFocus()

    def _channel_changed(self) -> None:
        is_112 = self.channel.currentData() == "phone_112"
        self.triage.setVisible(is_112)
        if getattr(self, "triage_label", None) is not None:
            self.triage_label.setVisible(is_112)
        if not is_112:
            self.triage.setCurrentIndex(0)

    def chosen_kelurahan(self) -> str | None:
        """The kelurahan code chosen in the form (the map centres on it when picking)."""
        return self._combo_value(self.kelurahan)

    def set_location(self, lat: float, lon: float) -> None:
        """Hook for the map: a point picked on it."""
        self.coords.setText(f"{lat:.6f}, {lon:.6f}")
        self._check_location()
        self.raise_()
        self.activateWindow()

    def _address_done(self) -> None:
        if self._combo_value(self.kelurahan) is None and self.address.text().strip():
            code = kelurahan_in_address(self.address.text(),
                                        [(r[0], r[1]) for r in self.lookups.kelurahan()])
            if code is not None:
                self.kelurahan.setCurrentIndex(self.kelurahan.findData(code))
                self.location_hint.setText(self.tr("Kelurahan diisi dari alamat: {name}").format(
                    name=self.kelurahan.currentText()))

    def _location(self) -> tuple[float | None, float | None, str | None]:
        """(lat, lon, error message)."""
        try:
            point = parse_coordinates(self.coords.text())
        except ValueError:
            return None, None, self.tr(
                "Koordinat tidak terbaca. Tulis lintang, bujur — mis. -6.914, 107.609.")
        if point is None:
            return None, None, None
        lat, lon = point
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            hint = self.tr(" Lintang dan bujur tertukar?") if -90 <= lon <= 90 else ""
            return None, None, self.tr("Koordinat {lat}, {lon} tidak ada di bumi.{hint}").format(
                lat=lat, lon=lon, hint=hint)
        region = self._combo_value(self.kelurahan)
        bounds = city_bounds_for(region, lat, lon) if region else city_bounds_for(None, lat, lon)
        if region and bounds is not None and not bounds.contains(lat, lon):
            return None, None, self.tr(
                "Koordinat {lat:.5f}, {lon:.5f} berada di luar {city}. Periksa lokasinya; "
                "laporan tidak disimpan dengan koordinat ini.").format(
                lat=lat, lon=lon, city=bounds.name)
        if bounds is None:
            cities = ", ".join(b.name for b in CITY_BOUNDS.values())
            return None, None, self.tr(
                "Koordinat {lat:.5f}, {lon:.5f} berada di luar wilayah kota yang dilayani "
                "({cities}). Periksa lokasinya.").format(lat=lat, lon=lon, cities=cities)
        return lat, lon, None

    def _check_location(self) -> bool:
        _lat, _lon, error = self._location()
        if error:
            self._show_error(error)
            return False
        if self.error.isVisible() and self.error.property("field") in ("coords", "kelurahan"):
            self.error.hide()
        return True

    def _problem(self, field: str) -> str | None:
        """What is wrong with one field, or None: the one check of each field, used when
        saving and when the operator corrects a field an error was about."""
        if field == "category":
            return None if self._combo_value(self.category) is not None else self.tr(
                "Pilih kategori dari daftar.")
        if field == "title":
            return None if self.title.text().strip() else self.tr("Judul wajib diisi.")
        if field == "coords":
            return self._location()[2]
        if field == "kelurahan":
            name = self.kelurahan.currentText().strip()
            if name and self._combo_value(self.kelurahan) is None:
                return self.tr("Kelurahan \u201c{name}\u201d tidak ada di daftar.").format(
                    name=name)
        return None

    def _recheck(self, field: str) -> None:
        if self.error.isVisible() and self.error.property("field") == field \
                and self._problem(field) is None:
            self.error.hide()

    def _show_error(self, text: str, field: str = "coords") -> None:
        self.error.setText(text)
        self.error.setProperty("field", field)
        self.error.show()

    # ------------------------------------------------------------------ duplicates

    def _facts(self) -> Facts | None:
        category = self._combo_value(self.category)
        if category is None:
            return None
        lat, lon, error = self._location()
        return Facts(category_code=category, created_at=datetime.now(UTC), lat=lat, lon=lon,
                     region_code=self._combo_value(self.kelurahan),
                     reporter_phone=self.reporter_phone.text().strip() or None,
                     title=self.title.text())

    def find_duplicates(self) -> None:
        facts = self._facts()
        if facts is None:
            return
        self.window_.bridge.submit(candidates_for, facts, lang=self.window_.lang,
                                   channel=f"intake-dups-{id(self)}", on_result=self._show_dups)

    def _show_dups(self, candidates) -> None:
        self._candidates = candidates
        self.dups.clear()
        for c in candidates:
            distance = "—" if c.distance_m is None else f"{c.distance_m:.0f} m"
            item = QTreeWidgetItem([f"{c.score * 100:.0f}", c.ticket, status_label(c.status),
                                    distance, c.title])
            item.setData(0, Qt.ItemDataRole.UserRole, c)
            item.setToolTip(4, plain_tip(c.title))
            self.dups.addTopLevelItem(item)
        shown = bool(candidates)
        self.dups_label.setText(self.tr("Laporan mirip yang sudah ada (%n):", "", len(candidates)))
        self.dups_label.setVisible(shown)
        self.dups.setVisible(shown)
        self.save_dup_button.setVisible(shown)
        if shown:
            self.dups.setCurrentItem(self.dups.topLevelItem(0))

    def _open_candidate(self, item) -> None:
        c = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if c is not None:
            self.openRequested.emit(c.id)

    # ------------------------------------------------------------------------ saving

    def data(self) -> tuple[NewReport | None, object]:
        """The NewReport to save and the city bounds to check, or (None, error text)."""
        channel = self.channel.currentData()
        self._bad_field = None
        widgets = {"category": self.category, "title": self.title, "coords": self.coords,
                   "kelurahan": self.kelurahan}
        for name, widget in widgets.items():
            problem = self._problem(name)
            if problem:
                self._bad_field = name
                widget.setFocus()
                return None, problem
        category = self._combo_value(self.category)
        title = self.title.text().strip()
        lat, lon, _error = self._location()
        region = self._combo_value(self.kelurahan)
        data = NewReport(
            channel=channel, category_code=category, title=title,
            description=self.description.toPlainText(),
            reporter_name=self.reporter_name.text().strip() or None,
            reporter_phone=self.reporter_phone.text().strip() or None,
            lat=lat, lon=lon, address=self.address.text().strip() or None, region_code=region,
            priority=self.priority.currentData(), triage=self.triage.currentData(),
        )
        bounds = city_bounds_for(region, lat, lon)
        return data, bounds

    def save(self) -> None:
        self._save(None)

    def save_as_duplicate(self) -> None:
        item = self.dups.currentItem()
        c = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if c is None:
            self._show_error(self.tr("Pilih laporan mirip yang dimaksud di daftar."), "dups")
            return
        self._save(c)

    def _save(self, original) -> None:
        if self._busy:
            return
        data, bounds = self.data()
        if data is None:
            self._show_error(bounds, self._bad_field or "form")
            return
        self.error.hide()
        self._busy = True
        self.save_button.setEnabled(False)
        self._taken_with = (data.channel, self.desk_default.isChecked())
        actor = self.window_.operator.actor
        runner = self.window_.runner
        if original is None:
            runner.run(create_report, actor, data, bounds=bounds, on_done=self._saved,
                       on_error=self._failed)
        else:
            runner.run(create_as_duplicate, actor, data, original.id, bounds=bounds,
                       on_done=self._saved, on_error=self._failed)

    def _saved(self, changes) -> None:
        self._busy = False
        channel, make_default = self._taken_with
        self.window_.bridge.submit(desk_store.remember_channel, channel,
                                   make_default=make_default)
        (report_id,) = tuple(changes.created) or (None,)
        ticket = changes.detail.get("ticket", "")
        merged = changes.detail.get("merged_into")
        text = (self.tr("Laporan {ticket} dicatat dan digabung ke {original}.").format(
                    ticket=ticket, original=merged) if merged
                else self.tr("Laporan {ticket} dicatat.").format(ticket=ticket))
        self.window_.notice.show_message(text, "success")
        if report_id:
            self.saved.emit(report_id)
        self.accept()

    def has_typed(self) -> bool:
        """Anything the operator typed that a cancel would lose."""
        return bool(self.description.toPlainText().strip()) or any(
            w.text().strip() for w in (self.reporter_name, self.reporter_phone, self.title,
                                       self.address, self.coords))

    def reject(self) -> None:
        """Esc, Batal or the window's close button. With something typed in, the operator
        is asked first; "Lanjutkan mengisi" is the default, so a second stray Esc or Enter
        loses nothing either."""
        if self._busy or not self.has_typed():
            super().reject()
            return
        if self._discard_box is not None:
            return

        def throw_away() -> None:  # (not self.discard: the box is answering already)
            super(IntakeDialog, self).reject()

        self._discard_box = ask(
            self, "intake_discard", title=self.tr("Buang laporan ini?"),
            text=self.tr("Isian laporan ini belum disimpan. Buang isiannya?"),
            go=(self.tr("&Buang"), "intake_discard_yes"),
            stay=(self.tr("&Lanjutkan mengisi"), "intake_discard_no"), on_go=throw_away)
        self._discard_box.finished.connect(self._discard_answered)

    def _discard_answered(self, _result: int) -> None:
        box, self._discard_box = self._discard_box, None
        if box is not None:
            box.deleteLater()

    def discard(self) -> None:
        """Close without asking: the window itself is closing."""
        if self._discard_box is not None:
            self._discard_box.reject()
        super().reject()

    def _failed(self, message: str, _exc) -> None:
        self._busy = False
        self.save_button.setEnabled(True)
        self._show_error(message, "form")
