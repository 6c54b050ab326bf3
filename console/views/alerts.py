"""Alerts: a new priority-1 report must not go unnoticed, and SLA breaches escalate.

- New P1 (unhandled, from the sync engine or another console): a tray notification
  (when the platform has a tray), a sound (QSoundEffect playing
  ``resources/sounds/alert_p1.wav``; ``QApplication.beep()`` when Qt Multimedia or an
  audio device is missing), the taskbar asks for attention, and the row flashes in the
  queue until acknowledged (A, or any action on the report).
- At start-up, unhandled P1 reports of the last hours flash (no sound).
- SLA: every :data:`SLA_POLL_MS` the overdue counts refresh the status-bar badge (red when
  a P1/P2 is overdue; a click shows the overdue queue); a P1/P2 whose deadline passed
  since the last poll raises a notice, a tray message and a short sound.

Everything degrades quietly: offscreen (tests, benchmarks) there is no tray and no audio,
and :attr:`AlertCenter.log` records what would have been shown.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QToolButton

from console.operations.base import OpChanges
from console.paths import resource
from console.store import alerts as store

__all__ = ["AlertCenter", "SlaBadge", "SOUNDS_DIR", "ensure_sounds", "sound_check"]

SOUNDS_DIR = resource("sounds")
#: Emergencies run on minute clocks (5 min to dispatch, 15 min for the fire crew to be on
#: scene): a breach must surface within seconds, not half a minute. The poll is two index
#: range counts, cheap at a million reports.
SLA_POLL_MS = 10_000
STARTUP_FLASH_HOURS = 12


def _tone(rate: int, freq: float, ms: int, vol: float) -> list[int]:
    n = int(rate * ms / 1000)
    out = []
    for i in range(n):
        env = min(1.0, i / (rate * 0.005), (n - i) / (rate * 0.01))
        v = vol * env * (math.sin(2 * math.pi * freq * i / rate)
                         + 0.3 * math.sin(4 * math.pi * freq * i / rate)) / 1.3
        out.append(int(v * 32767))
    return out


def ensure_sounds(folder: Path = SOUNDS_DIR) -> dict[str, Path]:
    """The alert WAVs (written with the wave module if missing): a rising four-tone for
    P1, a falling two-tone for SLA breaches. 16-bit mono 22.05 kHz, under 40 KB each."""
    rate = 22050
    gap = lambda ms: [0] * int(rate * ms / 1000)  # noqa: E731
    specs = {
        "p1": _tone(rate, 880, 160, .6) + gap(60) + _tone(rate, 1175, 160, .6) + gap(60)
        + _tone(rate, 880, 160, .6) + gap(60) + _tone(rate, 1175, 220, .6),
        "sla": _tone(rate, 660, 140, .5) + gap(50) + _tone(rate, 520, 200, .5),
    }
    out = {}
    for name, samples in specs.items():
        path = folder / f"alert_{name}.wav"
        out[name] = path
        if path.exists():
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
        except OSError:  # a read-only install: the beep fallback still works
            pass
    return out


def _icon(color: str) -> QIcon:
    pix = QPixmap(32, 32)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(2, 2, 28, 28)
    p.end()
    return QIcon(pix)


class _Sound:
    """QSoundEffect if Qt Multimedia loads (it needs an audio stack), else a beep."""

    def __init__(self, path: Path) -> None:
        self.effect = None
        try:
            from PySide6.QtMultimedia import QSoundEffect  # noqa: PLC0415 - optional module

            if path.exists() and QApplication.platformName() not in ("offscreen", "minimal"):
                effect = QSoundEffect()
                effect.setSource(QUrl.fromLocalFile(str(path)))
                effect.setVolume(0.9)
                self.effect = effect
        except Exception:  # noqa: BLE001 - ImportError, missing libpulse, no device
            self.effect = None

    def play(self) -> str:
        if self.effect is not None and self.effect.status() != self.effect.Status.Error:
            self.effect.play()
            return "sound"
        QApplication.beep()
        return "beep"


class SlaBadge(QToolButton):
    """Status-bar badge: how many open reports are past their SLA."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("sla_badge")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.overdue = 0
        self.overdue_high = 0
        self.set_counts(0, 0)

    def set_counts(self, overdue: int, high: int) -> None:
        self.overdue, self.overdue_high = overdue, high
        if overdue == 0:
            self.setText(self.tr("SLA aman"))
            self.setStyleSheet("color:#2e7d32;")
        else:
            self.setText(self.tr("⚠ %n lewat SLA", "", overdue) + (
                self.tr(" (%n P1/P2)", "", high) if high else ""))
            self.setStyleSheet("color:white; background:#c62828; font-weight:bold; padding:0 6px;"
                               if high else "color:#b26a00; font-weight:bold;")
        self.setToolTip(self.tr("Laporan terbuka yang melewati batas SLA. Klik untuk melihatnya."))


class AlertCenter(QObject):
    """Watches the op bus and the clock; flashes, rings and escalates."""

    #: (kind "p1" | "sla", report ids) whenever an alert is raised
    alerted = Signal(str, object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = window.bridge
        self.read_bridge = getattr(window, "read_bridge", window.bridge)
        self.log: list[tuple[str, str]] = []
        self._alerted: set[str] = set()
        self._acked: set[str] = set()
        self._last_sla_check: datetime | None = None
        sounds = ensure_sounds()
        self.sound_p1 = _Sound(sounds["p1"])
        self.sound_sla = _Sound(sounds["sla"])
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(_icon("#d32f2f"), self)
            self.tray.setToolTip("Posko")
            self.tray.messageClicked.connect(self._tray_clicked)
            self.tray.show()
        self.badge = SlaBadge(window)
        self.badge.clicked.connect(window.show_overdue)
        self._timer = QTimer(self)
        self._timer.setInterval(SLA_POLL_MS)
        self._timer.timeout.connect(self.check_sla)
        self._last_p1: str | None = None
        window.bus.changed.connect(self.on_changes)

    def start(self) -> None:
        since = datetime.now(UTC) - timedelta(hours=STARTUP_FLASH_HOURS)
        self.bridge.submit(store.recent_p1, since, on_result=self._startup)
        self.check_sla()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _startup(self, rows: list[store.AlertRow]) -> None:
        ids = [r.id for r in rows if r.id not in self._acked]
        self._alerted.update(ids)
        self.window.queue.model.flash(ids)

    # ------------------------------------------------------------------------ P1

    def on_changes(self, changes: OpChanges) -> None:
        if changes.source == "local":
            return  # this operator's own actions and intake: no alarm for them
        ids = [i for i in changes.all_ids if i not in self._alerted and i not in self._acked]
        if ids:
            self.bridge.submit(store.p1_among, ids, on_result=self._new_p1)

    def _new_p1(self, rows: list[store.AlertRow]) -> None:
        rows = [r for r in rows if r.id not in self._alerted and r.id not in self._acked]
        if not rows:
            return
        ids = [r.id for r in rows]
        self._alerted.update(ids)
        self.window.queue.model.flash(ids)
        first = rows[0]
        self._last_p1 = first.id
        title = self.tr("Laporan P1 baru: %n", "", len(rows))
        where = ", ".join(v for v in (first.category_name, first.region_name) if v)
        text = f"{first.ticket} — {first.title}" + (f" ({where})" if where else "")
        self._notify("p1", title, text, critical=True)
        self.window.notice.show_message(f"{title} — {text}", "error", timeout_ms=0,
                                        action=self.tr("Lihat (F8)"),
                                        on_action=self.window.queue.select_next_flashing)
        QApplication.alert(self.window, 0)
        self.alerted.emit("p1", ids)

    def acknowledge(self, report_ids) -> None:
        ids = set(report_ids)
        self._acked |= ids
        done = self.window.queue.model.acknowledge(ids)
        if done and not self.window.queue.model.flashing:
            if self.window.notice.kind == "error" and self.window.notice.button.isVisible():
                self.window.notice.dismiss()

    def _tray_clicked(self) -> None:
        self.window.showNormal()
        self.window.activateWindow()
        if self._last_p1:
            self.window.open_report(self._last_p1)

    def _notify(self, kind: str, title: str, text: str, *, critical: bool) -> None:
        self.log.append((kind, f"{title}: {text}"))
        if self.tray is not None:
            icon = (QSystemTrayIcon.MessageIcon.Critical if critical
                    else QSystemTrayIcon.MessageIcon.Warning)
            self.tray.showMessage(title, text, icon, 15_000)
            self.log.append(("tray", title))
        played = (self.sound_p1 if kind == "p1" else self.sound_sla).play()
        self.log.append((played, kind))

    # ------------------------------------------------------------------------ SLA

    def check_sla(self) -> None:
        if getattr(self.read_bridge, "_closed", False):
            return  # the window closed
        now = datetime.now(UTC)
        since = self._last_sla_check
        self._last_sla_check = now
        self.read_bridge.submit(store.sla_summary, now, since, channel=f"sla-{id(self)}",
                                on_result=self._sla)

    def _sla(self, summary: store.SlaSummary) -> None:
        self.badge.set_counts(summary.overdue, summary.overdue_high)
        fresh = [r for r in summary.breached if r.id not in self._acked]
        if not fresh:
            return
        title = self.tr("%n laporan P1/P2 melewati batas SLA", "", len(fresh))
        text = ", ".join(r.ticket for r in fresh[:5]) + (" …" if len(fresh) > 5 else "")
        self._notify("sla", title, text, critical=False)
        self.window.notice.show_message(f"{title}: {text}", "warning", timeout_ms=30_000)
        self.window.queue.model.tick()
        self.alerted.emit("sla", [r.id for r in fresh])


def sound_check(kind: str, done) -> None:
    """Load alert sound ``kind`` ("p1" | "sla") with QSoundEffect, whatever the platform,
    play it and call ``done("<status> <outputs>")``: status ``ready`` (loaded, playing
    when an audio output exists), ``error`` or ``no-multimedia`` (Qt Multimedia does not
    load); outputs: how many audio outputs Qt Multimedia found. POSKO_SOUND_CHECK
    (console/views/app.py) uses it to check a bundle's Qt Multimedia."""
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect  # noqa: PLC0415
    except ImportError as exc:
        print(f"posko: Qt Multimedia: {exc}", file=sys.stderr)
        done("no-multimedia 0")
        return
    outputs = len(QMediaDevices.audioOutputs())
    effect = QSoundEffect(QApplication.instance())
    Status = QSoundEffect.Status  # noqa: N806

    def settle() -> None:
        status = effect.status()
        if status == Status.Ready:
            effect.play()
            QTimer.singleShot(1500, lambda: done(f"ready {outputs}"))
        elif status == Status.Error:
            done(f"error {outputs}")
        else:
            return
        effect.statusChanged.disconnect(settle)

    effect.statusChanged.connect(settle)
    effect.setSource(QUrl.fromLocalFile(str(ensure_sounds()[kind])))
    QTimer.singleShot(10_000, lambda: done(f"timeout {outputs}")
                      if effect.status() not in (Status.Ready, Status.Error) else None)
