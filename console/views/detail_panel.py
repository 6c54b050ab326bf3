"""Read-only detail of the selected report.

Report text comes from citizens: it is shown as plain text only (``Qt.PlainText``
labels, ``QPlainTextEdit``), so ``<b>`` or ``<script>`` in a title is just characters.
Personal data (reporter name and phone) is masked on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from console.store import queue as store
from console.views.db_bridge import DbBridge
from console.views.labels import channel_label, format_local, priority_label, status_label

__all__ = ["DetailPanel", "mask_name", "mask_phone"]


def mask_name(name: str | None) -> str:
    """``Budi Santoso`` → ``B*** S******``."""
    if not name:
        return "—"
    return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split())


def mask_phone(phone: str | None) -> str:
    """``081234567890`` → ``0812****7890``; short numbers keep two digits each end."""
    if not phone:
        return "—"
    digits = phone.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    keep = 4 if len(digits) > 10 else 2
    return digits[:keep] + "*" * (len(digits) - 2 * keep) + digits[-keep:]


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


class DetailPanel(QWidget):
    """Shows every field of one report, loaded through the bridge."""

    # The detail dict of the shown report arrived (or None: nothing selected / gone).
    loaded = Signal(object)

    def __init__(self, bridge: DbBridge, parent=None, *, lang: str = "id") -> None:
        super().__init__(parent)
        self.setObjectName("detail_panel")
        self._bridge = bridge
        self._lang = lang
        self._channel = f"detail-{id(self)}"
        self._pk: int | None = None
        self._detail: dict | None = None

        self.placeholder = QLabel(self.tr("Pilih laporan di antrean untuk melihat rinciannya."))
        self.placeholder.setObjectName("detail_placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)

        body = QWidget()
        self.title = _plain_label(body)
        self.title.setObjectName("detail_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        # A grid, not a QFormLayout: the grid gives wrapped values the height they need.
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
        self.description.setMinimumHeight(80)
        self.description.setAccessibleName(self.tr("Uraian"))
        desc_label = QLabel(self.tr("Uraian"), body)
        inner = QVBoxLayout(body)
        inner.addWidget(self.title)
        inner.addLayout(self.form)
        inner.addWidget(desc_label)
        inner.addWidget(self.description, 1)

        scroll = self._scroll = _WrappingScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # labels wrap

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

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

    # ------------------------------------------------------------------------- loading

    @property
    def detail(self) -> dict | None:
        return self._detail

    def show_report(self, row: store.QueueRow | None) -> None:
        """Show ``row`` (a queue row) or the placeholder for None."""
        if row is None:
            self._pk = None
            self._bridge.cancel(self._channel)
            self._show(None)
            return
        self.show_pk(row.pk)

    def show_pk(self, pk: int) -> None:
        self._pk = pk
        self._bridge.submit(
            store.fetch_report_detail,
            pk,
            lang=self._lang,
            channel=self._channel,
            on_result=self._show,
        )

    def refresh(self) -> None:
        if self._pk is not None:
            self.show_pk(self._pk)

    def _show(self, detail: dict | None) -> None:
        self._detail = detail
        if detail is None:
            self.stack.setCurrentWidget(self.placeholder)
            self.loaded.emit(None)
            return
        d = detail
        self.title.setText(d["title"])
        region = " › ".join(d.get("region_path") or []) or (d["region_code"] or "—")
        coords = "—"
        if d["lat"] is not None and d["lon"] is not None:
            coords = f"{d['lat']:.6f}, {d['lon']:.6f}"
        reporter = "—"
        if d["reporter_name"] or d["reporter_phone"]:
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
            "triage": d["triage"] or "—",
            "region": region,
            "address": d["address"] or "—",
            "coords": coords,
            "reporter": reporter,
            "agency": agency,
            "duplicate_of": d["duplicate_of"] or "—",
            "created_by": d["created_by"] or "—",
            "revision": str(d["revision"]),
            "id": d["id"],
        }
        for key in (
            "sla_due_at",
            "created_at",
            "updated_at",
            "verified_at",
            "dispatched_at",
            "resolved_at",
            "closed_at",
        ):
            values[key] = format_local(d[key])
        for key, label in self.fields.items():
            label.setText(values.get(key, "—"))
        self.description.setPlainText(d["description"] or "")
        self.stack.setCurrentIndex(1)
        self._scroll.fit()
        self.loaded.emit(detail)
