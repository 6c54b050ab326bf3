"""What the views know of soft claims (console/domain/claims.py): which reports another
desk is handling, the "Ditangani oleh … sejak …" text the detail panel and the queue show,
and the warning before acting on such a report. The one place views read claims from.

A claim never blocks: the warning asks, and confirming lets the action run (the action's
operation then takes the claim over, console/operations/claims.py). Live claims are a few
dozen at most, so the board re-reads them all after any change and every half minute
(a claim that runs out disappears without anybody's action).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from console.domain.claims import held_by_other
from console.operations import claims as claim_ops
from console.views.action_dialogs import _plain, _SafeConfirm
from console.views.labels import WIB

#: How often a claim that ran out is taken off the screen.
EXPIRY_CHECK_MS = 30_000


class ClaimBoard(QObject):
    """Live claims by report id, re-read on every broadcast change."""

    #: The report ids whose claim (as shown) changed.
    changed = Signal(object)

    def __init__(self, bridge, bus, me: Callable[[], str], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._bridge = bridge
        self._me = me
        self.held: dict[str, claim_ops.ClaimInfo] = {}
        bus.changed.connect(lambda _changes: self.reload())
        self._timer = QTimer(self)
        self._timer.setInterval(EXPIRY_CHECK_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self.reload()

    def reload(self) -> None:
        if self._bridge.closed:  # a change broadcast while the window closes
            self._timer.stop()
            return
        self._bridge.submit(claim_ops.live_claims, channel=f"claims-{id(self)}",
                            on_result=self._got)

    def _got(self, held: dict[str, claim_ops.ClaimInfo]) -> None:
        old, self.held = self.held, held
        ids = {rid for rid in old.keys() | held.keys() if old.get(rid) != held.get(rid)}
        if ids:
            self.changed.emit(ids)

    def other(self, report_id: str | None) -> claim_ops.ClaimInfo | None:
        """The claim of another account on ``report_id``, if one is live now (this
        desk's own claims are not shown: the operator knows what they are doing)."""
        info = self.held.get(report_id) if report_id else None
        if info is None or not held_by_other(info.holder, info.expires_at, self._me(),
                                             datetime.now(UTC)):
            return None
        return info

    def text(self, report_id: str | None) -> str | None:
        """``Ditangani oleh op.budi sejak 14:05`` for a report another desk holds."""
        info = self.other(report_id)
        if info is None:
            return None
        return self.tr("Ditangani oleh {name} sejak {time}").format(
            name=info.holder, time=_hhmm(info.since))

    def warning(self, targets) -> str | None:  # noqa: ANN001 - actions.Target
        """The question before acting on reports other desks hold; None when none is."""
        held = [(t, self.other(t.id)) for t in targets]
        held = [(t, c) for t, c in held if c is not None]
        if not held:
            return None
        t, c = held[0]
        if len(targets) == 1:
            return self.tr("Laporan ini sedang ditangani oleh {name} sejak {time}. "
                           "Tetap lanjutkan?").format(name=c.holder, time=_hhmm(c.since))
        return self.tr("%n laporan terpilih sedang ditangani petugas lain (mis. {ticket} oleh "
                       "{name} sejak {time}). Tetap lanjutkan?", "", len(held)).format(
            ticket=t.ticket, name=c.holder, time=_hhmm(c.since))


def _hhmm(dt: datetime | None) -> str:
    """Wall-clock time (WIB) of a claim's start: it is hours old at most."""
    return "—" if dt is None else dt.astimezone(WIB).strftime("%H:%M")


class ClaimDialog(_SafeConfirm):
    """"Tetap lanjutkan?" before acting on a report another desk holds, and before the
    take-over key. Batal is the default (Enter never confirms); Ctrl+Enter confirms."""

    def __init__(self, title: str, question: str, ok_text: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("claim_dialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        question_label = _plain(question, self)
        question_label.setObjectName("claim_question")
        layout.addWidget(question_label)
        buttons = self._buttons(ok_text, "claim_ok", self.accept)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)  # the title names the ticket; keep it readable
        self.cancel.setFocus()

