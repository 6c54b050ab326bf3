"""Detail of the selected report: every field, the timeline (events and notes, with the
timelines of merged duplicates joined in), dispatch history, attachments, reporter
contact (masked unless the operator's role allows) and similar reports that may be
duplicates.

Report text comes from citizens: it is shown as plain text only (``Qt.PlainText``
labels, ``QPlainTextEdit``, item views), so ``<b>`` or ``<script>`` is just characters.
Everything is loaded in one request through the bridge (``console.store.detail``); the
panel reloads when the op bus says its report changed, and says so when someone else
changed it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.sla import SlaState
from console.operations.base import OpChanges
from console.store import detail as detail_store
from console.store import queue as store
from console.views import sla_text
from console.views.db_bridge import DbBridge
from console.views.flow_layout import FlowLayout
from console.views.labels import (
    action_label,
    channel_label,
    format_local,
    priority_label,
    status_label,
    triage_label,
)
from console.views.operator import OperatorContext, mask_name, mask_phone
from console.views.plain import plain_tip
from console.views.sensor_sparkline import SensorSparkline

__all__ = ["DetailPanel", "mask_name", "mask_phone"]

THUMB = 96


class _WrappingScrollArea(QScrollArea):
    """A vertical scroll area whose content may wrap: QScrollArea sizes its widget by the
    size hint (text on one line), which would clip wrapped labels; this gives the widget
    the height it needs at the current width."""

    def fit(self) -> None:
        body = self.widget()
        layout = body.layout() if body is not None else None
        if layout is not None and layout.hasHeightForWidth():
            body.setMinimumHeight(layout.totalHeightForWidth(self.viewport().width()))

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt name
        # The viewport narrows when the vertical bar appears: re-fit on its resizes too.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return handled


def _plain_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


def _tree(parent: QWidget, name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(False)
    tree.setWordWrap(True)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headers)
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return tree


def _load_thumbnail(_conn, path: str, size: int) -> QImage | None:
    """Runs on the worker: read and scale an image file (QImage is thread-safe)."""
    image = QImage(path)
    if image.isNull():
        return None
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


class DetailPanel(QWidget):
    """Shows every field of one report, loaded through the bridge."""

    # The detail dict of the shown report arrived (or None: nothing selected / gone).
    loaded = Signal(object)
    # The operator asked to open another report (a similar one, the original, a duplicate).
    openRequested = Signal(str)
    # The selected similar report changed (merge target for the G key).
    candidateChanged = Signal()

    def __init__(self, bridge: DbBridge, parent=None, *, lang: str = "id",
                 operator: OperatorContext | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_panel")
        self._bridge = bridge
        self._lang = lang
        self.operator = operator or OperatorContext()
        self._channel = f"detail-{id(self)}"
        self._pk: int | None = None
        self._want_id: str | None = None  # the report asked for (it may still be loading)
        self._detail: dict | None = None
        self.bundle: detail_store.Bundle | None = None
        self._agency_names: dict[str, str] = {}
        self._pending_banner: str | None = None

        self.placeholder = QLabel(self.tr("Pilih laporan di antrean untuk melihat rinciannya."))
        self.placeholder.setObjectName("detail_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)

        page = QWidget()
        self.title = _plain_label(page)
        self.title.setObjectName("detail_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.meta = _plain_label(page)
        self.meta.setObjectName("detail_meta")
        self.banner = _plain_label(page)
        self.banner.setObjectName("detail_banner")
        self.banner.setStyleSheet("background:#fff3c4; border:1px solid #ffcc80; padding:3px;")
        self.banner.hide()
        # Another desk's soft claim: "Ditangani oleh … sejak …" (views/claim_board.py).
        self.claim = _plain_label(page)
        self.claim.setObjectName("detail_claim")
        self.claim.setStyleSheet("background:#ffe0b2; border:1px solid #fb8c00; padding:3px;"
                                 " font-weight:bold; color:#6d3200;")
        self.claim.hide()
        self.claims = None  # the ClaimBoard, set by the action controller
        self.link = QPushButton(page)
        self.link.setObjectName("detail_original_link")
        self.link.setFlat(True)
        self.link.setStyleSheet("text-align:left; color:#1565c0;")
        self.link.hide()
        self.link.clicked.connect(self._open_original)
        # The report's actions as buttons that wrap (the same QActions as the menus).
        self.toolbar = QWidget(page)
        self.toolbar.setObjectName("detail_actions")
        self._toolbar_layout = FlowLayout(self.toolbar, spacing=3)
        self.toolbar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.tabs = QTabWidget(page)
        self.tabs.setObjectName("detail_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)

        # Summary: the fields and the description.
        body = QWidget()
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setHorizontalSpacing(8)
        self.fields: dict[str, QLabel] = {}
        for key, label in self._field_labels():
            value = _plain_label(body)
            value.setObjectName(f"detail_{key}")
            self.fields[key] = value
            row = self.form.rowCount()
            caption = QLabel(label, body)
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            caption.setBuddy(value)
            self.form.addWidget(caption, row, 0)
            self.form.addWidget(value, row, 1)
        self.description = QPlainTextEdit(body)
        self.description.setObjectName("detail_description")
        self.description.setReadOnly(True)
        self.description.setAccessibleName(self.tr("Uraian"))
        self.desc_label = desc_label = QLabel(self.tr("Uraian"), body)
        inner = QVBoxLayout(body)
        inner.addWidget(desc_label)
        inner.addWidget(self.description)
        self.sparkline = SensorSparkline(bridge, body)  # a sensor report's gauge (issue 15)
        inner.addWidget(self.sparkline)
        inner.addLayout(self.form)
        inner.addStretch(1)
        scroll = self._scroll = _WrappingScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # labels wrap
        self.tabs.addTab(scroll, self.tr("Ringkasan"))

        self.timeline = _tree(self, "detail_timeline",
                              [self.tr("Waktu (WIB)"), self.tr("Oleh"), self.tr("Peristiwa")])
        # One entry per operation; its field-level details (stamps, SLA deadline) below it.
        self.timeline.setRootIsDecorated(True)
        self.timeline.setColumnWidth(
            0, self.fontMetrics().horizontalAdvance("00-00-0000 00:00:00") + 28)
        self.timeline.setColumnWidth(1, 80)
        self.tabs.addTab(self.timeline, self.tr("Linimasa"))

        self.dispatches = _tree(self, "detail_dispatches", [
            self.tr("Instansi"), self.tr("Waktu"), self.tr("Target"), self.tr("Diterima"),
            self.tr("Oleh"), self.tr("Catatan")])
        self.tabs.addTab(self.dispatches, self.tr("Disposisi"))

        self.attachments = QListWidget(self)
        self.attachments.setObjectName("detail_attachments")
        self.attachments.setViewMode(QListWidget.ViewMode.IconMode)
        self.attachments.setIconSize(QSize(THUMB, THUMB))
        self.attachments.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.attachments.setWordWrap(True)
        self.attachments.setGridSize(QSize(THUMB + 40, THUMB + 44))
        self.tabs.addTab(self.attachments, self.tr("Lampiran"))

        similar_page = QWidget()
        self.similar = _tree(similar_page, "detail_similar", [
            self.tr("Skor"), self.tr("Tiket"), self.tr("Status"), self.tr("Jarak"),
            self.tr("Selisih"), self.tr("Judul")])
        self.similar.setColumnWidth(0, 48)
        self.similar.setColumnWidth(1, 120)
        self.similar.itemActivated.connect(lambda item, _c: self._open_item(item))
        self.similar.currentItemChanged.connect(lambda *_a: self.candidateChanged.emit())
        self.similar_hint = _plain_label(similar_page)
        self.similar_hint.setText(self.tr(
            "Laporan di sekitar lokasi dan waktu yang sama. Enter membuka, G menggabungkan."))
        self.btn_open_similar = QPushButton(self.tr("&Buka"), similar_page)
        self.btn_open_similar.clicked.connect(lambda: self._open_item(self.similar.currentItem()))
        self.btn_merge = QPushButton(self.tr("&Gabungkan…"), similar_page)
        self.btn_merge.setObjectName("detail_merge")
        row = QHBoxLayout()
        row.addWidget(self.btn_open_similar)
        row.addWidget(self.btn_merge)
        row.addStretch(1)
        col = QVBoxLayout(similar_page)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.similar_hint)
        col.addWidget(self.similar, 1)
        col.addLayout(row)
        self.similar_page = similar_page
        self.tabs.addTab(similar_page, self.tr("Mirip"))

        top = QVBoxLayout(page)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addWidget(self.meta)
        top.addWidget(self.claim)
        top.addWidget(self.banner)
        top.addWidget(self.link)
        top.addWidget(self.toolbar)
        top.addWidget(self.tabs, 1)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

        self._clock = QTimer(self)
        self._clock.setInterval(10_000)  # the SLA line: emergencies count in minutes
        self._clock.timeout.connect(self._update_meta)
        self._clock.start()

    def _field_labels(self) -> list[tuple[str, str]]:
        return [
            ("ticket", self.tr("Tiket")),
            ("status", self.tr("Status")),
            ("priority", self.tr("Prioritas")),
            ("category", self.tr("Kategori")),
            ("channel", self.tr("Kanal")),
            ("triage", self.tr("Triase 112")),
            ("region", self.tr("Wilayah")),
            ("address", self.tr("Alamat")),
            ("coords", self.tr("Koordinat")),
            ("reporter", self.tr("Pelapor")),
            ("agency", self.tr("Instansi")),
            ("sla_due_at", self.tr("Batas SLA")),
            ("created_at", self.tr("Masuk")),
            ("updated_at", self.tr("Diperbarui")),
            ("verified_at", self.tr("Terverifikasi")),
            ("dispatched_at", self.tr("Didisposisikan")),
            ("resolved_at", self.tr("Selesai")),
            ("closed_at", self.tr("Ditutup")),
            ("duplicate_of", self.tr("Duplikat dari")),
            ("created_by", self.tr("Dicatat oleh")),
            ("revision", self.tr("Revisi")),
            ("id", self.tr("ID")),
        ]

    # ------------------------------------------------------------------------- set-up

    def set_actions(self, actions: list) -> None:
        """Buttons for the report actions (the same QActions as the menus); only those
        that apply to the shown report are on the bar (see :meth:`refresh_actions`)."""
        self._actions = list(actions)
        self.refresh_actions()

    def refresh_actions(self) -> None:
        wanted = [a for a in getattr(self, "_actions", []) if a is None or a.isEnabled()]
        # No separator first, last or twice in a row.
        cleaned = []
        for a in wanted:
            if a is None and (not cleaned or cleaned[-1] is None):
                continue
            cleaned.append(a)
        while cleaned and cleaned[-1] is None:
            cleaned.pop()
        if cleaned == getattr(self, "_shown_actions", None):
            return
        self._shown_actions = cleaned
        while self._toolbar_layout.count():
            item = self._toolbar_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        for action in cleaned:
            if action is None:
                gap = QWidget(self.toolbar)
                gap.setFixedSize(8, 4)
                self._toolbar_layout.addWidget(gap)
                continue
            button = QToolButton(self.toolbar)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            self._toolbar_layout.addWidget(button)
        self._toolbar_layout.invalidate()

    def set_claims(self, board) -> None:  # noqa: ANN001 - claim_board.ClaimBoard
        self.claims = board
        board.changed.connect(lambda ids: self.current_id in ids and self.update_claim())

    def update_claim(self) -> None:
        text = self.claims.text(self.current_id) if self.claims is not None else None
        self.claim.setText(text or "")
        self.claim.setVisible(bool(text))

    def set_merge_action(self, action) -> None:
        self.btn_merge.clicked.connect(action.trigger)

    def set_agency_names(self, names: dict[str, str]) -> None:
        self._agency_names = dict(names)

    def set_operator(self, operator: OperatorContext) -> None:
        self.operator = operator
        if self._detail is not None:
            self._fill(self.bundle)

    # ------------------------------------------------------------------------- loading

    @property
    def detail(self) -> dict | None:
        return self._detail

    @property
    def current_id(self) -> str | None:
        return self._detail["id"] if self._detail else None

    def show_report(self, row: store.QueueRow | None) -> None:
        """Show ``row`` (a queue row) or the placeholder for None."""
        self._want_id = row.id if row is not None else None
        if row is None:
            self._pk = None
            self._bridge.cancel(self._channel)
            self._show(detail_store.Bundle(None))
            return
        if self._detail is None or row.pk != self._pk:
            self._pending_banner = None
        self.show_pk(row.pk)

    def show_pk(self, pk: int) -> None:
        self._pk = pk
        self._bridge.submit(detail_store.fetch_bundle, pk, lang=self._lang,
                            channel=self._channel, on_result=self._show)

    def show_id(self, report_id: str) -> None:
        self._want_id = report_id

        def got(pk: int | None) -> None:
            # Only if no other report was asked for meanwhile (a queue click, a marker).
            if pk is not None and self._want_id == report_id:
                self._pending_banner = None
                self.show_pk(pk)

        self._bridge.submit(detail_store.pk_of, report_id, channel=f"{self._channel}-pk",
                            on_result=got)

    def refresh(self) -> None:
        if self._pk is not None:
            self.show_pk(self._pk)

    def apply_changes(self, changes: OpChanges) -> None:
        """Reload if the shown report (or one merged into it) changed."""
        if self._detail is None:
            return
        self.sparkline.apply_changes(changes)
        related = {self._detail["id"]}
        if self.bundle is not None:
            related |= {m["id"] for m in self.bundle.merged}
            if self.bundle.original:
                related.add(self.bundle.original["id"])
        ids = set(changes.all_ids)
        if related & ids or changes.created:
            if changes.source in ("sync", "stale") and self._detail["id"] in ids:
                self._pending_banner = self.tr(
                    "Laporan ini baru saja diubah oleh petugas lain atau sinkronisasi; "
                    "yang tampil sekarang adalah versi terbaru.")
            self.refresh()

    def _changed_by_someone_else(self, bundle: detail_store.Bundle) -> bool:
        """The newest change to this report is not the officer's own (a sync that only
        confirms one's own push, or brings it back, is no news)."""
        # The puller's own "sync" bookkeeping events (actor "server") are not a change
        # by anyone; the newest real change decides.
        own = [e for e in bundle.timeline
               if e.report_id == bundle.detail["id"] and e.kind != "sync"]
        return bool(own) and own[-1].actor != self.operator.actor

    def _show(self, bundle: detail_store.Bundle) -> None:
        self.bundle = bundle
        self._detail = bundle.detail
        if bundle.detail is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.loaded.emit(None)
            return
        self._fill(bundle)
        self.stack.setCurrentIndex(1)
        self._scroll.fit()
        self.loaded.emit(bundle.detail)

    # ------------------------------------------------------------------------- filling

    def _fill(self, bundle: detail_store.Bundle | None) -> None:
        if bundle is None or bundle.detail is None:
            return
        d = bundle.detail
        self.title.setText(d["title"])
        self.sparkline.show_report(d)
        self._update_meta()
        self.update_claim()
        if self._pending_banner and self._changed_by_someone_else(bundle):
            self.banner.setText(self._pending_banner)
            self.banner.show()
        else:
            self.banner.hide()
        if bundle.original:
            self.link.setText(self.tr("Duplikat dari {ticket} — buka laporan asli").format(
                ticket=bundle.original["ticket"]))
            self.link.show()
        elif bundle.merged:
            self.link.setText(self.tr("%n laporan digabung ke sini sebagai duplikat", "",
                                      len(bundle.merged)))
            self.link.show()
        else:
            self.link.hide()
        region = " › ".join(d.get("region_path") or []) or (d["region_code"] or "—")
        coords = "—"
        if d["lat"] is not None and d["lon"] is not None:
            coords = f"{d['lat']:.6f}, {d['lon']:.6f}"
        reporter = "—"
        if d["reporter_name"] or d["reporter_phone"]:
            if self.operator.can_unmask:
                reporter = " · ".join(v for v in (d["reporter_name"], d["reporter_phone"]) if v)
            else:
                reporter = self.tr("{name} · {phone} (disamarkan)").format(
                    name=mask_name(d["reporter_name"]), phone=mask_phone(d["reporter_phone"])
                )
        category = d["category_name"] or d["category_code"]
        agency = d["agency_name"] or d["assigned_agency"] or "—"
        values = {
            "ticket": d["ticket"],
            "status": status_label(d["status"]),
            "priority": priority_label(d["priority"]),
            "category": f"{category} ({d['category_code']})",
            "channel": channel_label(d["channel"]),
            "triage": triage_label(d["triage"]) or "—",
            "region": region,
            "address": d["address"] or "—",
            "coords": coords,
            "reporter": reporter,
            "agency": agency,
            "duplicate_of": (bundle.original["ticket"] if bundle.original
                             else d["duplicate_of"] or "—"),
            "created_by": d["created_by"] or "—",
            "revision": str(d["revision"]),
            "id": d["id"],
        }
        for key in ("sla_due_at", "created_at", "updated_at", "verified_at", "dispatched_at",
                    "resolved_at", "closed_at"):
            values[key] = format_local(d[key])
        for key, label in self.fields.items():
            label.setText(values.get(key, "—"))
        self.description.setPlainText(d["description"] or "")
        self._fit_description()
        self._fill_timeline(bundle)
        self._fill_dispatches(bundle)
        self._fill_attachments(bundle)
        self._fill_similar(bundle)

    def _fit_description(self) -> None:
        """As tall as its text (within limits); hidden when there is none, so the fields
        an operator needs (caller, place) stay in view."""
        text = self.description.toPlainText()
        self.description.setVisible(bool(text))
        self.desc_label.setVisible(bool(text))
        if text:
            doc = self.description.document()
            doc.setTextWidth(max(100, self.description.viewport().width()))
            height = int(doc.size().height()) + 12
            self.description.setFixedHeight(max(44, min(160, height)))

    def _update_meta(self) -> None:
        d = self._detail
        if d is None:
            return
        parts = [d["ticket"], status_label(d["status"]), priority_label(d["priority"])]
        # The stage's clock as the domain runs it (minutes for emergencies), worded like
        # the queue's SLA cell; escalated in red once the domain calls it breached.
        clock, now = d.get("sla_clock"), datetime.now(UTC)
        state = SlaState.NONE if clock is None else clock.state(now)
        if clock is not None:
            parts.append(sla_text.detail_text(clock, now))
        self.meta.setText(" · ".join(parts))
        self.meta.setStyleSheet({SlaState.BREACHED: "color:#c62828; font-weight:bold;",
                                 SlaState.AT_RISK: "color:#b26a00; font-weight:bold;"}
                                .get(state, ""))

    def _value(self, field: str | None, value: str | None) -> str:
        if value is None or value == "":
            return "—"
        if field == "status":
            return status_label(value)
        if field == "priority":
            return f"P{value}"
        if field == "triage":
            return triage_label(value)
        if field == "assigned_agency":
            return self._agency_names.get(value, value)
        if field and field.endswith("_at"):
            try:
                return format_local(datetime.fromisoformat(value.replace(" ", "T")))
            except ValueError:
                return value
        return value

    def _field_name(self, field: str | None) -> str:
        names = {
            "priority": self.tr("Prioritas"), "triage": self.tr("Triase"),
            "assigned_agency": self.tr("Instansi"), "sla_due_at": self.tr("Batas SLA"),
            "verified_at": self.tr("Terverifikasi"), "dispatched_at": self.tr("Didisposisikan"),
            "resolved_at": self.tr("Selesai"), "closed_at": self.tr("Ditutup"),
            "duplicate_of": self.tr("Duplikat dari"), "title": self.tr("Judul"),
            "description": self.tr("Uraian"), "category_code": self.tr("Kategori"),
            "region_code": self.tr("Wilayah"), "address": self.tr("Alamat"),
            "status": self.tr("Status"),
        }
        return names.get(field or "", field or "")

    def describe(self, e: detail_store.TimelineEntry) -> str:
        """One timeline entry in words (plain text)."""
        undo = e.detail.get("undo")
        if e.kind == "created":
            text = self.tr("Laporan dibuat")
            if e.detail.get("channel"):
                text += f" ({channel_label(e.detail['channel'])})"
        elif e.kind == "status":
            text = self.tr("Status: {old} → {new}").format(
                old=status_label(e.old), new=status_label(e.new))
            if e.detail.get("triage") and not undo:
                text += " · " + self.tr("triase {kind}").format(kind=triage_label(e.detail["triage"]))
        elif e.kind == "note":
            text = self.tr("Catatan: {body}").format(body=e.note or "")
        elif e.kind == "dispatch":
            text = self.tr("Disposisi ke {agency}").format(agency=self._value("assigned_agency", e.new))
            if e.detail.get("note"):
                text += f" — {e.detail['note']}"
        elif e.kind == "merge" and e.field is None:
            text = self.tr("Laporan {ticket} digabung ke sini sebagai duplikat").format(
                ticket=e.detail.get("ticket") or e.new)
        elif e.kind == "merge" and e.field == "duplicate_of":
            text = self.tr("Ditandai duplikat dari {ticket}").format(
                ticket=e.detail.get("original_ticket") or e.new)
        elif e.kind == "export_unmasked":
            text = self.tr("Data pelapor diekspor tanpa disamarkan")
        elif e.field:
            text = self.tr("{field}: {old} → {new}").format(
                field=self._field_name(e.field), old=self._value(e.field, e.old),
                new=self._value(e.field, e.new))
        else:
            text = action_label(e.kind) or e.kind
        if undo:
            text += " " + self.tr("(pembatalan {action})").format(action=action_label(undo))
        return text

    def _is_detail(self, e: detail_store.TimelineEntry,
                   group: detail_store.TimelineGroup) -> bool:
        """A field change that follows from the group's main event (a status change's
        timestamp and SLA deadline, a dispatch's agency field, a triage's code): shown
        under the entry, not in its headline."""
        if e.kind not in ("field", "status") or e.field in (None, "status"):
            return False
        if e.field.endswith("_at"):
            return True
        kinds = {x.kind for x in group.entries}
        if e.field == "assigned_agency" and "dispatch" in kinds:
            return True
        return e.field == "triage" and any(x.detail.get("triage") for x in group.entries
                                           if x.field == "status")

    def describe_group(self, group: detail_store.TimelineGroup) -> tuple[str, list[str]]:
        """(headline, detail lines) of one operation's entry, plain text."""
        main = [e for e in group.entries if not self._is_detail(e, group)]
        details = [self.describe(e) for e in group.entries if self._is_detail(e, group)]
        if not main:  # only field changes: they are the headline
            main, details = list(group.entries), []
        parts: list[str] = []
        dispatches = [e for e in main if e.kind == "dispatch"]
        for e in main:
            if e.kind != "dispatch":
                parts.append(self.describe(e))
            elif e is dispatches[0]:  # one part for all agencies of one disposisi
                text = self.tr("Disposisi ke {agency}").format(agency=", ".join(
                    self._value("assigned_agency", d.new) for d in dispatches))
                if e.detail.get("note"):
                    text += f" — {e.detail['note']}"
                parts.append(text)
        return " · ".join(parts), details

    def _fill_timeline(self, bundle: detail_store.Bundle) -> None:
        self.timeline.clear()
        own = bundle.detail["id"]
        items = []
        for group in bundle.groups:
            text, details = self.describe_group(group)
            if group.report_id != own:
                text = f"[{group.ticket}] {text}"
            when = format_local(group.at, seconds=True).removesuffix(" WIB")
            item = QTreeWidgetItem([when, group.actor, text])
            item.setToolTip(2, plain_tip("\n".join([text, *details])))
            for line in details:
                child = QTreeWidgetItem(["", "", line])
                child.setToolTip(2, plain_tip(line))
                child.setForeground(2, Qt.GlobalColor.darkGray)
                item.addChild(child)
            if group.report_id != own:
                for c in range(3):
                    item.setForeground(c, Qt.GlobalColor.darkGray)
            items.append(item)
        self.timeline.addTopLevelItems(items)
        if items:
            self.timeline.scrollToItem(items[-1])
        self.tabs.setTabText(self.tabs.indexOf(self.timeline),
                             self.tr("Linimasa ({n})").format(n=len(items)))

    def _fill_dispatches(self, bundle: detail_store.Bundle) -> None:
        self.dispatches.clear()
        for d in bundle.dispatches:
            self.dispatches.addTopLevelItem(QTreeWidgetItem([
                d["agency_name"], format_local(d["at"]).removesuffix(" WIB"),
                format_local(d["expected_at"]).removesuffix(" WIB") if d["expected_at"] else "—",
                format_local(d["acknowledged_at"]).removesuffix(" WIB")
                if d["acknowledged_at"] else self.tr("belum"),
                d["by"], d["note"] or "",
            ]))
        self.tabs.setTabText(self.tabs.indexOf(self.dispatches),
                             self.tr("Disposisi ({n})").format(n=len(bundle.dispatches)))

    def _fill_attachments(self, bundle: detail_store.Bundle) -> None:
        self.attachments.clear()
        for a in bundle.attachments:
            size = f"{a['size'] / 1024:.0f} KB" if a["size"] < 1024 * 1024 else \
                f"{a['size'] / 1024 / 1024:.1f} MB"
            item = QListWidgetItem(f"{a['filename']}\n{size}", self.attachments)
            item.setToolTip(plain_tip(f"{a['filename']} · {a['mime']} · {size}"))
            path = a.get("local_path")
            if path and str(a["mime"]).startswith("image/") and Path(path).is_file():
                self._bridge.submit(_load_thumbnail, path, THUMB,
                                    on_result=lambda img, it=item: self._set_thumb(it, img))
            elif not path:
                item.setText(f"{a['filename']}\n{self.tr('belum diunduh')}")
        self.tabs.setTabText(self.tabs.indexOf(self.attachments),
                             self.tr("Lampiran ({n})").format(n=len(bundle.attachments)))

    def _set_thumb(self, item: QListWidgetItem, image: QImage | None) -> None:
        if image is None:
            return
        try:
            item.setIcon(QIcon(QPixmap.fromImage(image)))
        except RuntimeError:  # the list was refilled meanwhile
            pass

    def _fill_similar(self, bundle: detail_store.Bundle) -> None:
        self.similar.clear()
        for c in bundle.similar:
            distance = "—" if c.distance_m is None else (
                f"{c.distance_m:.0f} m" if c.distance_m < 1000 else f"{c.distance_m / 1000:.1f} km")
            hours, minutes = divmod(c.minutes_apart, 60)
            apart = f"{hours}j {minutes}m" if hours else f"{minutes}m"
            item = QTreeWidgetItem([f"{c.score * 100:.0f}", c.ticket, status_label(c.status),
                                    distance, apart, c.title])
            item.setData(0, Qt.ItemDataRole.UserRole, c)
            item.setToolTip(5, plain_tip(c.title))
            self.similar.addTopLevelItem(item)
        n = len(bundle.similar)
        index = self.tabs.indexOf(self.similar_page)
        self.tabs.setTabText(index, self.tr("Mirip ({n})").format(n=n) if n else self.tr("Mirip"))
        self.tabs.tabBar().setTabTextColor(
            index, Qt.GlobalColor.darkYellow if n and bundle.similar[0].score >= 0.7
            else self.tabs.tabBar().palette().windowText().color())
        if n:
            self.similar.setCurrentItem(self.similar.topLevelItem(0))
        self.btn_merge.setEnabled(bool(n))
        self.btn_open_similar.setEnabled(bool(n))

    # ------------------------------------------------------------------------ linking

    def selected_candidate(self):
        """The similar report picked in the Mirip tab (the G key merges with it)."""
        if self._detail is None or not self.similar.topLevelItemCount():
            return None
        item = self.similar.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _open_item(self, item) -> None:
        if item is None:
            return
        c = item.data(0, Qt.ItemDataRole.UserRole)
        if c is not None:
            self.openRequested.emit(c.id)

    def _open_original(self) -> None:
        if self.bundle is None:
            return
        if self.bundle.original:
            self.openRequested.emit(self.bundle.original["id"])
        elif self.bundle.merged:
            self.tabs.setCurrentWidget(self.timeline)
