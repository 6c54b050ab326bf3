"""What every operator action does: :class:`ActionController` builds the QActions of the
registry (``console.views.action_registry``) and performs them.

Targets: the selected queue rows, or the report the detail panel shows when the focus is
in the detail panel. One target runs the operation directly; several run it as a bulk
action with progress (each report its own operation; refusals are listed, the rest go
through).

Rules: each action is ONE operation through :class:`console.views.op_bus.OpRunner`
(which broadcasts what changed). Quick actions (triage, verify, start, resolve) can be
undone for a few seconds (Ctrl+Z) by a compensating operation; irreversible ones
(reject, not our authority, close, merge) ask first. An action on a report someone else
just changed is refused, the change is shown and the operator is told. An action on a
report another desk is handling (its soft claim) asks first, and never refuses
(views/claim_board.py); K takes the claim over explicitly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from console.domain.workflow import Action, can
from console.operations import bulk as bulk_ops
from console.operations import claims as claim_ops
from console.operations import merge as merge_ops
from console.operations import reports as report_ops
from console.operations import undo as undo_ops
from console.views import claim_board, messages
from console.views.action_dialogs import ConfirmDialog, MergeDialog, ReasonDialog, titled
from console.views.action_registry import ACTIONS, CONTEXT, ActionSpec, make_action, spec_named
from console.views.dispatch_dialog import DispatchDialog
from console.views.labels import lookup, status_label, triage_label

if TYPE_CHECKING:
    from console.views.action_host import ActionHost
    from console.views.op_bus import OpRunner

__all__ = ["ACTIONS", "ActionController", "ActionSpec", "Target", "BULK_CHUNK"]

BULK_CHUNK = 20


@dataclass(frozen=True)
class Target:
    id: str
    pk: int
    ticket: str
    status: str
    revision: int
    priority: int
    category_code: str
    title: str
    created_at: datetime | None

    @classmethod
    def from_row(cls, r) -> Target:
        return cls(r.id, r.pk, r.ticket, r.status, r.revision, r.priority, r.category_code,
                   r.title, r.created_at)

    @classmethod
    def from_detail(cls, d: dict) -> Target:
        return cls(d["id"], d["pk"], d["ticket"], d["status"], d["revision"], d["priority"],
                   d["category_code"], d["title"], d.get("created_at"))

    def as_dict(self) -> dict:
        return {"id": self.id, "ticket": self.ticket, "title": self.title,
                "status": self.status, "created_at": self.created_at, "revision": self.revision}


#: Actions that write (refused, and shown disabled, while nobody is on duty).
_WRITES = tuple(spec.name for spec in ACTIONS if spec.writes)

_WORKFLOW = {
    "verify": Action.VERIFY, "dispatch": Action.DISPATCH, "start": Action.START,
    "resolve": Action.RESOLVE, "close": Action.CLOSE, "reopen": Action.REOPEN,
    "reject": Action.REJECT, "not_authority": Action.NOT_AUTHORITY,
}


class ActionController(QObject):
    """Builds the QActions of the registry's controller actions and performs them, in
    ``host`` (an :class:`console.views.action_host.ActionHost`: the main window), through
    ``runner``, with its dialogs over ``parent``. The soft-claim board it keeps
    (``claims``) is the host's to show."""

    undoAvailable = Signal(bool)
    #: (action name, report ids) after an action succeeded (tests, alerts)
    performed = Signal(str, object)

    def __init__(self, host: ActionHost, runner: OpRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.runner = runner
        self.parent_widget = parent  # dialogs open over it; its focus says "in Detail"
        self.qactions: dict[str, QAction] = {}
        self.dialog: QDialog | None = None  # the open action dialog, if any
        self._undo_tokens: list[undo_ops.UndoToken] = []
        self._undo_at = 0.0
        self._undo_label = ""
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self._undo_expired)
        self._bulk: _BulkRun | None = None
        self.claims = claim_board.ClaimBoard(self.runner.bridge, self.runner.bus,
                                             lambda: self.actor, self)

    # ----------------------------------------------------------------------- building

    def build(self) -> dict[str, QAction]:
        """The QActions of the controller's actions, by name, connected to ``do_*``."""
        for spec in ACTIONS:
            if spec.owner != "controller":
                continue  # the window's own (files, layout, help): MainWindow connects them
            action = make_action(spec, self.parent_widget)
            tip = lookup(CONTEXT, spec.tip) if spec.tip else action.text().replace("&", "")
            if spec.shortcut:
                tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            action.setToolTip(tip)
            action.setStatusTip(tip)
            # Toolbar buttons (detail panel) show a short label and the key: "Iseng (3)".
            short = action.text().replace("&", "").rstrip("…").rstrip(".")
            short = short.split(": ", 1)[-1]
            if spec.shortcut and spec.scope == "queue":
                short = f"{short} ({spec.shortcut})"
            action.setIconText(short)
            handler = getattr(self, "do_" + spec.name.removeprefix("act_"))
            if spec.name in _WRITES and spec.name != "act_take_claim":
                handler = self._claim_checked(handler)
            action.triggered.connect(lambda _checked=False, h=handler: h())
            self.qactions[spec.name] = action
        self.qactions["act_undo"].setEnabled(False)
        return self.qactions

    def attach_queue_scope(self, widgets: Sequence[QWidget]) -> None:
        """Single-key actions fire while the focus is inside one of ``widgets``."""
        for spec in ACTIONS:
            if spec.scope == "queue":
                for w in widgets:
                    w.addAction(self.qactions[spec.name])

    def spec_for_key(self, key: QKeySequence) -> ActionSpec | None:
        for spec in ACTIONS:
            if spec.shortcut and QKeySequence(spec.shortcut) == key:
                return spec
        return None

    # ------------------------------------------------------------------------ targets

    @property
    def actor(self) -> str:
        return self.host.operator.actor

    def targets(self) -> list[Target]:
        """What an action acts on: the current report (the one Detail shows); several
        reports only when several queue rows are selected and the current one is among
        them (a bulk action, from the queue). Nothing while the current report loads."""
        current = self.host.current
        detail = self.host.detail
        focus = self.parent_widget.focusWidget()
        in_detail = focus is not None and (focus is detail or detail.isAncestorOf(focus))
        bulk = [] if in_detail else current.bulk_rows()
        if bulk:
            return [Target.from_row(r) for r in bulk]
        # The fresher of the two: right after an action the queue row already has the
        # new revision while Detail is still reloading.
        loaded, row = current.loaded(), current.row()
        if loaded is not None and (row is None or loaded["revision"] >= row.revision):
            return [Target.from_detail(loaded)]
        return [Target.from_row(row)] if row is not None else []

    def update_enabled(self) -> None:
        """Enable each action by its registry rule (``ActionSpec.enabled``) for the current
        targets; the writing ones stay disabled while nobody is on duty."""
        ts = self.targets()
        statuses = {t.status for t in ts}
        flashing = bool(self.host.queue.model.flashing)

        def workflow(spec: ActionSpec) -> bool:
            action = _WORKFLOW[spec.name.removeprefix("act_")]
            return any(can(s, action) for s in statuses)

        rules: dict[str, Callable[[ActionSpec], bool]] = {
            "new": lambda _spec: "new" in statuses,
            "workflow": workflow,
            "one_workflow": lambda spec: workflow(spec) and len(ts) == 1,
            "targets": lambda _spec: bool(ts),
            "one_target": lambda _spec: len(ts) == 1,
            "merge": lambda _spec: bool(ts) and len(ts) <= 2 and (
                len(ts) == 2 or self.host.detail.selected_candidate() is not None),
            "alerts": lambda _spec: flashing,
        }
        # Read-only until someone is on duty: no button may look as if it would act.
        on_duty = self.host.operator.on_duty
        for spec in ACTIONS:
            rule = rules.get(spec.enabled)
            if rule is not None:
                self.qactions[spec.name].setEnabled(rule(spec) and (on_duty or not spec.writes))
        self.host.detail.refresh_actions()

    def _no_one_on_duty(self) -> bool:
        """Say so (in the notice bar) when nobody is on duty; True then."""
        if self.host.operator.on_duty:
            return False
        self.host.notice.show_message(
            QCoreApplication.translate(messages.CONTEXT, messages.ERRORS["no_actor"]),
            "warning", timeout_ms=8000)
        return True

    def explain_unavailable(self, spec: ActionSpec) -> None:
        """A single-key action pressed where it does not apply: say why, briefly."""
        if spec.name in _WRITES and self._no_one_on_duty():
            return
        ts = self.targets()
        if not ts:
            text = self.tr("Pilih laporan di antrean dulu.")
        elif spec.name == "act_merge":
            text = self.tr("Untuk menggabungkan: pilih dua laporan di antrean, atau pilih laporan "
                      "di tab Mirip pada panel detail.")
        elif spec.name == "act_ack":
            text = self.tr("Tidak ada peringatan P1 yang menunggu.")
        else:
            status = ", ".join(sorted({status_label(t.status) for t in ts}))
            text = self.tr("\u201c{action}\u201d tidak berlaku untuk laporan berstatus {status}.").format(
                action=lookup(CONTEXT, spec.text).replace("&", "").rstrip("…"), status=status)
        self.host.notice.show_message(text, "warning", timeout_ms=5000)

    # ------------------------------------------------------------------------ helpers

    def _open(self, dialog: QDialog, on_accept: Callable[[QDialog], None]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def accepted() -> None:
            on_accept(dialog)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.host.queue.table.setFocus()

    def _error(self, message: str, exc: BaseException | None = None) -> None:
        from console.operations.base import StaleReport

        kind = "warning" if isinstance(exc, StaleReport) else "error"
        self.host.notice.show_message(message, kind, timeout_ms=0 if kind == "error" else 15000)

    def _done(self, name: str, targets: Sequence[Target], message: str) -> None:
        self.host.notice.show_message(message, "success")
        self.host.alerts.acknowledge([t.id for t in targets])
        self.performed.emit(name, [t.id for t in targets])

    def _need(self, ts: list[Target]) -> bool:
        if not ts:
            loading = self.host.current.id is not None
            text = (self.tr("Laporan yang dibuka masih dimuat; coba lagi sebentar.") if loading
                    else self.tr("Pilih laporan di antrean dulu."))
            self.host.notice.show_message(text, "warning", timeout_ms=5000)
            return False
        return True

    def _items(self, ts: Sequence[Target]) -> list[tuple[str, int]]:
        return [(t.id, t.revision) for t in ts]

    def _what(self, ts: Sequence[Target]) -> str:
        return ts[0].ticket if len(ts) == 1 else self.tr("%n laporan", "", len(ts))

    # ------------------------------------------------------------------ quick actions

    def _quick(self, name: str, action: str, *, triage: str | None = None,
               advance: bool = False) -> None:
        ts = self.targets()
        if not self._need(ts):
            return
        if triage is not None:
            label = self.tr("ditriase: {kind}").format(kind=triage_label(triage))
        else:
            label = {
                "verify": self.tr("diverifikasi"), "start": self.tr("mulai ditangani"),
                "resolve": self.tr("diselesaikan"),
            }[action]
        if len(ts) > 1:
            self._run_bulk(name, ts, action, label, triage=triage)
            return
        t = ts[0]

        def done(result: undo_ops.Undoable) -> None:
            tokens = [result.token] if result.token is not None else []
            text = f"{t.ticket} {label}."
            self._set_undo(tokens, text)
            self._done(name, ts, text)
            if tokens:
                self.host.notice.show_message(
                    text, "success", action=self.tr("Batalkan (Ctrl+Z)"), on_action=self.do_undo,
                    timeout_ms=int(undo_ops.UNDO_WINDOW_S * 1000))

        self.runner.run(undo_ops.act_with_undo, self.actor, t.id, action, triage=triage,
                        expected_revision=t.revision, on_done=done, on_error=self._error)
        if advance:
            self.host.queue.select_next(t.id)

    def do_triage_emergency(self) -> None:
        # An emergency stays current: its next step is the dispatch (D) of this call.
        # The other verdicts end the call, so the 112 desk moves on to the next one.
        self._quick("triage", "triage", triage="emergency")

    def do_triage_information(self) -> None:
        self._quick("triage", "triage", triage="information", advance=True)

    def do_triage_prank(self) -> None:
        self._quick("triage", "triage", triage="prank", advance=True)

    def do_triage_ghost(self) -> None:
        self._quick("triage", "triage", triage="ghost", advance=True)

    def do_verify(self) -> None:
        self._quick("verify", "verify")

    def do_start(self) -> None:
        self._quick("start", "start")

    def do_resolve(self) -> None:
        self._quick("resolve", "resolve")

    # ---------------------------------------------------------------------------- undo

    def _set_undo(self, tokens: list[undo_ops.UndoToken], label: str) -> None:
        self._undo_tokens = tokens
        self._undo_label = label
        self._undo_at = time.monotonic()
        available = bool(tokens)
        self.qactions["act_undo"].setEnabled(available)
        if available:
            self._undo_timer.start(int(undo_ops.UNDO_WINDOW_S * 1000))
        self.undoAvailable.emit(available)

    def _undo_expired(self) -> None:
        self._undo_tokens = []
        self.qactions["act_undo"].setEnabled(False)
        if self.host.notice.button.isVisible():
            self.host.notice.hide_action()
        self.undoAvailable.emit(False)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_tokens)

    def do_undo(self) -> None:
        tokens = self._undo_tokens
        if not tokens:
            self.host.notice.show_message(self.tr("Tidak ada tindakan yang bisa dibatalkan."),
                                            "info", timeout_ms=4000)
            return
        self._undo_tokens = []
        self._undo_timer.stop()
        self.qactions["act_undo"].setEnabled(False)
        self.undoAvailable.emit(False)

        def done(result: bulk_ops.BulkResult) -> None:
            if not result.failed:
                text = self.tr("Dibatalkan: {what}").format(what=self._undo_label)
                self.host.notice.show_message(text, "info")
            else:
                self.host.notice.show_message(self._failure_text(result, tokens_only=True),
                                                "warning", timeout_ms=0)
            self.performed.emit("undo", [t.report_id for t in tokens])

        self.runner.run(bulk_ops.undo_many, self.actor, tokens, on_done=done,
                        on_error=self._error)

    # -------------------------------------------------------------- dialog actions

    def _workflow(self, name: str, action: str, ts: list[Target], *, note: str | None = None,
                  label: str) -> None:
        if len(ts) > 1:
            self._run_bulk(name, ts, action, label, note=note)
            return
        t = ts[0]
        if action == "reopen":
            fn: Callable[..., Any] = report_ops.reopen
            args: tuple = (self.actor, t.id)
            kwargs: dict = {"reason": note or "", "expected_revision": t.revision}
        else:
            fn = report_ops.apply_action
            args = (self.actor, t.id, action)
            kwargs = {"expected_revision": t.revision, "note": note}
        self.runner.run(fn, *args, **kwargs,
                        on_done=lambda _r: self._done(name, ts, f"{t.ticket} {label}."),
                        on_error=self._error)

    def _reason_action(self, name: str, action: str, title: str, question: str, ok: str,
                       label: str, *, required: bool = True, irreversible: bool = True) -> None:
        ts = self.targets()
        if not self._need(ts):
            return
        dialog = ReasonDialog(titled(title, [t.ticket for t in ts]),
                              question.format(what=self._what(ts)), ok,
                              required=required, irreversible=irreversible, parent=self.parent_widget,
                              placeholder=self.tr("Alasan (dikirim ke pelapor dan tercatat di linimasa)"))
        self._open(dialog, lambda d: self._workflow(name, action, ts, note=d.value() or None,
                                                    label=label))

    def do_reject(self) -> None:
        self._reason_action("reject", "reject", self.tr("Tolak laporan"),
                            self.tr("Tolak {what}? Tulis alasannya."), self.tr("&Tolak laporan"),
                            self.tr("ditolak"))

    def do_not_authority(self) -> None:
        self._reason_action("not_authority", "not_authority", self.tr("Bukan kewenangan"),
                            self.tr("Tandai {what} sebagai bukan kewenangan? Sebutkan instansi yang "
                               "berwenang bila tahu."),
                            self.tr("&Bukan kewenangan"), self.tr("ditandai bukan kewenangan"))

    def do_reopen(self) -> None:
        self._reason_action("reopen", "reopen", self.tr("Buka kembali"),
                            self.tr("Buka kembali {what}? Tulis keberatan pelapor."),
                            self.tr("&Buka kembali"), self.tr("dibuka kembali"), irreversible=False)

    def do_close(self) -> None:
        ts = self.targets()
        if not self._need(ts):
            return
        dialog = ConfirmDialog(titled(self.tr("Tutup laporan"), [t.ticket for t in ts]),
                               self.tr("Tutup {what}? Laporan yang ditutup tidak dapat dibuka lagi.")
                               .format(what=self._what(ts)),
                               self.tr("&Tutup laporan"), self.parent_widget)
        self._open(dialog, lambda _d: self._workflow("close", "close", ts, label=self.tr("ditutup")))

    def do_note(self) -> None:
        ts = self.targets()
        if not self._need(ts):
            return
        dialog = ReasonDialog(titled(self.tr("Tambah catatan"), [t.ticket for t in ts]),
                              self.tr("Catatan untuk {what}:").format(what=self._what(ts)),
                              self.tr("&Simpan catatan"), irreversible=False, parent=self.parent_widget,
                              placeholder=self.tr("Catatan"))
        dialog.setObjectName("note_dialog")

        def save(d: ReasonDialog) -> None:
            if len(ts) > 1:
                self._run_bulk("note", ts, "note", self.tr("diberi catatan"), note=d.value())
                return
            t = ts[0]
            self.runner.run(report_ops.add_note, self.actor, t.id, d.value(),
                            on_done=lambda _r: self._done("note", ts,
                                                          self.tr("Catatan disimpan di {ticket}.")
                                                          .format(ticket=t.ticket)),
                            on_error=self._error)

        self._open(dialog, save)

    def do_dispatch(self) -> None:
        ts = self.targets()
        if not self._need(ts):
            return
        lookups = self.host.lookups
        agencies = lookups.agencies if lookups is not None else []
        preselect = set()
        if lookups is not None:
            for t in ts:
                cat = lookups.category(t.category_code)
                if cat and cat[3]:
                    preselect.add(cat[3])
        dialog = DispatchDialog(agencies, tickets=[t.ticket for t in ts], preselect=preselect,
                                parent=self.parent_widget)

        def go(d: DispatchDialog) -> None:
            agencies, note, expected = d.agencies(), d.note_text(), d.expected_at()
            names = dict(lookups.agencies) if lookups is not None else {}
            label = self.tr("didisposisikan ke {agencies}").format(
                agencies=", ".join(names.get(a, a) for a in agencies))
            if len(ts) > 1:
                self._run_bulk("dispatch", ts, "dispatch", label, agencies=agencies, note=note,
                               expected_at=expected)
                return
            t = ts[0]
            self.runner.run(report_ops.dispatch, self.actor, t.id, agencies, note=note,
                            expected_at=expected, expected_revision=t.revision,
                            on_done=lambda _r: self._done("dispatch", ts, f"{t.ticket} {label}."),
                            on_error=self._error)

        self._open(dialog, go)

    def do_merge(self) -> None:
        ts = self.targets()
        if len(ts) == 2:
            pair = (ts[0].as_dict(), ts[1].as_dict())
        elif len(ts) == 1 and self.host.detail.selected_candidate() is not None:
            c = self.host.detail.selected_candidate()
            pair = (ts[0].as_dict(), {"id": c.id, "ticket": c.ticket, "title": c.title,
                                      "status": c.status, "created_at": c.created_at,
                                      "revision": c.revision})
        else:
            self.explain_unavailable(spec_named("act_merge"))
            return
        original, duplicate = merge_ops.suggest_original(*pair)
        dialog = MergeDialog(original, duplicate, self.parent_widget)

        def go(d: MergeDialog) -> None:
            orig, dup = d.original, d.duplicate
            self.runner.run(
                merge_ops.merge_reports, self.actor, dup["id"], orig["id"],
                expected_revision=dup["revision"], original_revision=orig["revision"],
                note=d.note_text(),
                on_done=lambda _r: self._done(
                    "merge", [t for t in ts],
                    self.tr("{dup} digabung ke {orig} sebagai duplikat.").format(
                        dup=dup["ticket"], orig=orig["ticket"])),
                on_error=self._error)

        self._open(dialog, go)

    # ------------------------------------------------------------------- alerts & misc

    def do_ack(self) -> None:
        flashing = self.host.queue.model.flashing
        if not flashing:
            self.explain_unavailable(spec_named("act_ack"))
            return
        ids = [t.id for t in self.targets() if t.id in flashing] or list(flashing)
        self.host.alerts.acknowledge(ids)
        self.host.notice.show_message(
            self.tr("%n peringatan ditandai sudah dilihat.", "", len(ids)), "info",
            timeout_ms=4000)
        self.update_enabled()

    def _claim_checked(self, handler: Callable[[], None]) -> Callable[[], None]:
        """``handler`` behind the soft-claim warning: asked only when another desk holds
        a target; confirming runs the action, whose operation takes the claim over."""
        def checked() -> None:
            ts = self.targets()
            if not self.host.operator.on_duty or not ts:
                handler()  # says why nothing happens, as before
                return
            question = self.claims.warning(ts)
            if question is None:
                handler()
                return
            dialog = claim_board.ClaimDialog(
                titled(self.tr("Sedang ditangani meja lain"), [t.ticket for t in ts]),
                question, self.tr("&Tetap lanjutkan"), self.parent_widget)
            self._open(dialog, lambda _d: handler())
        return checked

    def do_take_claim(self) -> None:
        ts = self.targets()
        if self._no_one_on_duty() or not self._need(ts):
            return
        t = ts[0]
        question = self.claims.warning([t]) or self.tr(
            "Tandai {ticket} sebagai ditangani oleh Anda? Meja lain akan melihatnya.").format(
            ticket=t.ticket)
        dialog = claim_board.ClaimDialog(titled(self.tr("Ambil alih penanganan"), [t.ticket]),
                                         question, self.tr("&Ambil alih"), self.parent_widget)
        self._open(dialog, lambda _d: self.runner.run(
            claim_ops.take_over, self.actor, t.id, on_error=self._error,
            on_done=lambda _r: self._done("take_claim", ts, self.tr(
                "{ticket} kini ditangani oleh Anda.").format(ticket=t.ticket))))

    def do_next_alert(self) -> None:
        self.host.queue.select_next_flashing()

    def do_intake(self) -> None:
        if not self._no_one_on_duty():
            self.host.open_intake()

    def do_search(self) -> None:
        self.host.focus_search()

    def do_filters(self) -> None:
        self.host.queue.toggle_filters()

    def do_views(self) -> None:
        self.host.queue.focus_views()

    def do_save_view(self) -> None:
        self.host.queue.save_view_dialog()

    def do_reload(self) -> None:
        self.host.reload()

    def do_focus_queue(self) -> None:
        self.host.focus_queue()

    def do_focus_detail(self) -> None:
        self.host.focus_detail()

    # ------------------------------------------------------------------------- bulk

    def _run_bulk(self, name: str, ts: Sequence[Target], action: str, label: str,
                  **params: Any) -> None:
        if self._bulk is not None:
            self.host.notice.show_message(self.tr("Aksi massal lain masih berjalan."), "warning")
            return
        self._bulk = _BulkRun(self, name, list(ts), action, label, params)
        self._bulk.start()

    def _bulk_finished(self, run: _BulkRun) -> None:
        self._bulk = None
        done, total = len(run.done), len(run.targets)
        what = self.tr("%n laporan", "", done)
        text = self.tr("{what} {label}.").format(what=what, label=run.label)
        if run.cancelled:
            text += " " + self.tr("Dihentikan: {n} tidak diproses.").format(
                n=total - len(run.processed))
        if run.result.failed:
            text += " " + self._failure_text(run.result)
        if run.tokens:
            self._set_undo(run.tokens, text)
        self.host.notice.show_message(
            text, "warning" if run.result.failed or run.cancelled else "success",
            action=self.tr("Batalkan (Ctrl+Z)") if run.tokens else None, on_action=self.do_undo,
            timeout_ms=0 if run.result.failed else None)
        self.host.alerts.acknowledge(run.done)
        self.performed.emit(run.name, list(run.done))

    def _failure_text(self, result: bulk_ops.BulkResult, tokens_only: bool = False) -> str:
        tickets = self.host.ticket_of
        by_reason: dict[str, list[str]] = {}
        for rid, why in result.reasons.items():
            by_reason.setdefault(why, []).append(tickets(rid))
        words = {
            "stale": self.tr("baru saja diubah orang lain (perubahannya kini ditampilkan)"),
            "illegal": self.tr("statusnya tidak memungkinkan"),
            "late": self.tr("batas waktu pembatalan sudah lewat"),
            "sent": self.tr("sudah terkirim ke server"),
            "error": self.tr("gagal"),
        }
        parts = []
        for why, items in by_reason.items():
            shown = ", ".join(items[:5]) + (" …" if len(items) > 5 else "")
            parts.append(f"{shown}: {words.get(why, why)}")
        lead = self.tr("Tidak dapat dibatalkan") if tokens_only else self.tr("Tidak diproses")
        return f"{lead} — " + "; ".join(parts)


class _BulkRun(QObject):
    """Runs one action over many targets in chunks on the worker, with a progress dialog
    that can stop it between chunks."""

    def __init__(self, controller: ActionController, name: str, targets: list[Target],
                 action: str, label: str, params: dict) -> None:
        super().__init__(controller)
        self.c = controller
        self.name, self.targets, self.action, self.label, self.params = (
            name, targets, action, label, params)
        self.done: list[str] = []
        self.processed: list[str] = []
        self.tokens: list[undo_ops.UndoToken] = []
        self.result = bulk_ops.BulkResult(bulk_ops.OpChanges(kind=action))
        self.cancelled = False
        self._pos = 0
        w = controller.parent_widget
        self.progress = QProgressDialog(
            self.tr("{label}: {n} laporan…").format(label=label.capitalize(), n=len(targets)),
            self.tr("&Hentikan"), 0, len(targets), w)
        self.progress.setObjectName("bulk_progress")
        self.progress.setWindowTitle(self.tr("Aksi massal"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)

    def start(self) -> None:
        self.progress.setValue(0)
        self._next()

    def cancel(self) -> None:
        self.cancelled = True

    def _next(self) -> None:
        if self.cancelled or self._pos >= len(self.targets):
            self._finish()
            return
        chunk = self.targets[self._pos:self._pos + BULK_CHUNK]
        self._pos += len(chunk)
        self.c.runner.bridge.submit(
            bulk_ops.apply_many, self.c.actor, [(t.id, t.revision) for t in chunk], self.action,
            **self.params, on_result=lambda r, n=len(chunk): self._chunk(r, n),  # noqa: B008
            on_error=self._failed)

    def _chunk(self, result: bulk_ops.BulkResult, _n: int) -> None:
        self.c.runner.bus.broadcast(result.changes)
        self.done += result.done
        self.processed += list(result.changes.report_ids)
        self.tokens += result.tokens
        self.result.failed.update(result.failed)
        self.result.reasons.update(result.reasons)
        stale = [rid for rid, why in result.reasons.items() if why == "stale"]
        if stale:
            self.c.runner.bus.broadcast(bulk_ops.OpChanges.of_ids(stale, source="stale"))
        self.progress.setValue(min(self._pos, len(self.targets)))
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self.c._error(messages.error_text(exc), exc)
        self.cancelled = True
        self._finish()

    def _finish(self) -> None:
        self.progress.close()
        self.c._bulk_finished(self)
        self.deleteLater()
