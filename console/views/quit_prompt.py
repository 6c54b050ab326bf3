"""Asking before the console closes with local changes the server has not confirmed.

Nothing is lost either way (the outbox keeps every mutation until the server confirms
it), but an operator ending a shift should know that the next console start, not this
one, sends them — and can stay to let a sync finish."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from console.views.ask import ask

__all__ = ["ask_before_quit"]


def _tr(text: str, n: int = -1) -> str:
    return QCoreApplication.translate("QuitPrompt", text, None, n)


def ask_before_quit(parent: QWidget, pending: int, quit_now: Callable[[], None]) -> QMessageBox:
    """Open (without blocking) a question naming how many changes wait; ``quit_now`` runs
    if the operator chooses to close anyway. "Tetap di Posko" is the default button, so
    an Enter pressed by habit keeps the console open."""
    return ask(
        parent, "quit_prompt", icon=QMessageBox.Icon.Warning,
        title=_tr("Keluar dari Posko?"),
        text=_tr("%n perubahan belum terkirim ke server pusat.", pending),
        informative=_tr(
            "Perubahan itu tetap tersimpan di komputer ini dan dikirim otomatis saat Posko "
            "dibuka lagi dan tersambung ke server. Tunggu sinkronisasi selesai bila pekerjaan "
            "ini harus segera terlihat di meja lain."),
        go=(_tr("&Keluar, kirim nanti"), "quit_prompt_leave"),
        stay=(_tr("&Tetap di Posko"), "quit_prompt_stay"), on_go=quit_now)
