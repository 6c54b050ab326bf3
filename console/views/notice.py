"""A slim message bar above the queue: what an action did (with its undo), refusals, and
changes someone else made. Plain text only.

Its place is kept while it is hidden (one line high, always), so a message appearing or
going never moves the queue's rows under the operator's eyes or mouse. A message longer
than the line is elided; the whole text is in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
)

from console.views.plain import plain_tip

__all__ = ["NoticeBar"]

_STYLES = {
    "info": "background:#e3f2fd; border:1px solid #90caf9;",
    "success": "background:#e8f5e9; border:1px solid #a5d6a7;",
    "warning": "background:#fff8e1; border:1px solid #ffcc80;",
    "error": "background:#ffebee; border:1px solid #ef9a9a;",
}


class NoticeBar(QFrame):
    actionTriggered = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("notice_bar")
        self.kind = "info"
        self.label = QLabel(self)
        self.label.setObjectName("notice_text")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        # One line that never widens the panel: the text is elided to fit (_elide).
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._text = ""
        self.button = QPushButton(self)
        self.button.setObjectName("notice_action")
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self._clicked)
        self._callback = None
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName(self.tr("Tutup pesan"))
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.button.setText("M")  # a stand-in, to measure one line with a button
        self.setFixedHeight(self.sizeHint().height())
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()

    def _clicked(self) -> None:
        callback = self._callback
        self.actionTriggered.emit()
        if callback is not None:
            callback()

    def show_message(self, text: str, kind: str = "info", *, action: str | None = None,
                     on_action=None, timeout_ms: int | None = None) -> None:
        self.kind = kind
        self._callback = on_action if action else None
        self.setStyleSheet(f"QFrame#notice_bar {{{_STYLES.get(kind, _STYLES['info'])}}}")
        self._text = text
        self.button.setVisible(bool(action))
        if action:
            self.button.setText(action)
        self.label.setToolTip(plain_tip(text))
        self.label.setAccessibleName(text)
        if timeout_ms is None:
            timeout_ms = 0 if kind == "error" else 12_000
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()
        self.show()
        self._elide()

    def _elide(self) -> None:
        line = " · ".join(part for part in self._text.splitlines() if part.strip())
        self.label.setText(self.label.fontMetrics().elidedText(
            line, Qt.TextElideMode.ElideRight, max(self.label.width(), 40)))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._elide()

    def hide_action(self) -> None:
        self.button.hide()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()

    @property
    def text(self) -> str:
        return self._text if self.isVisible() else ""
