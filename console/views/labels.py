"""Display labels for stored codes (status, channel, priority) and on-screen time formats.

Source strings are Bahasa Indonesia, so the console is Indonesian even when no
translation is loaded; English comes from ``resources/translations/posko_en.qm``.
The markers below let ``pyside6-lupdate`` find the strings; the lookup functions
translate them at call time, so a translator installed later takes effect.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = [
    "ACTION_LABELS",
    "CHANNEL_LABELS",
    "TRIAGE_LABELS",
    "action_label",
    "triage_label",
    "PRIORITY_LABELS",
    "STATUS_LABELS",
    "WIB",
    "channel_label",
    "format_duration",
    "format_local",
    "lookup",
    "priority_label",
    "priority_short",
    "status_label",
]

CONTEXT = "labels"
_qt_translate = QCoreApplication.translate

STATUS_LABELS: dict[str, str] = {
    "new": QT_TRANSLATE_NOOP("labels", "Belum terverifikasi"),
    "verified": QT_TRANSLATE_NOOP("labels", "Terverifikasi"),
    "dispatched": QT_TRANSLATE_NOOP("labels", "Didisposisikan"),
    "in_progress": QT_TRANSLATE_NOOP("labels", "Ditindaklanjuti"),
    "resolved": QT_TRANSLATE_NOOP("labels", "Selesai"),
    "closed": QT_TRANSLATE_NOOP("labels", "Ditutup"),
    "rejected": QT_TRANSLATE_NOOP("labels", "Ditolak"),
    "not_authority": QT_TRANSLATE_NOOP("labels", "Bukan kewenangan"),
    "duplicate": QT_TRANSLATE_NOOP("labels", "Duplikat"),
    "prank": QT_TRANSLATE_NOOP("labels", "Panggilan iseng"),
    "ghost": QT_TRANSLATE_NOOP("labels", "Panggilan kosong"),
}

CHANNEL_LABELS: dict[str, str] = {
    "app": QT_TRANSLATE_NOOP("labels", "Aplikasi/web"),
    "sms": QT_TRANSLATE_NOOP("labels", "SMS"),
    "whatsapp": QT_TRANSLATE_NOOP("labels", "WhatsApp"),
    "phone_112": QT_TRANSLATE_NOOP("labels", "Telepon 112"),
    "phone": QT_TRANSLATE_NOOP("labels", "Telepon"),
    "walk_in": QT_TRANSLATE_NOOP("labels", "Datang langsung"),
    "social": QT_TRANSLATE_NOOP("labels", "Media sosial"),
    "sensor": QT_TRANSLATE_NOOP("labels", "Sensor"),
}

PRIORITY_LABELS: dict[int, str] = {
    1: QT_TRANSLATE_NOOP("labels", "P1 Darurat"),
    2: QT_TRANSLATE_NOOP("labels", "P2 Tinggi"),
    3: QT_TRANSLATE_NOOP("labels", "P3 Sedang"),
    4: QT_TRANSLATE_NOOP("labels", "P4 Rendah"),
}


ACTION_LABELS: dict[str, str] = {
    "verify": QT_TRANSLATE_NOOP("labels", "Verifikasi"),
    "reject": QT_TRANSLATE_NOOP("labels", "Tolak"),
    "not_authority": QT_TRANSLATE_NOOP("labels", "Bukan kewenangan"),
    "mark_duplicate": QT_TRANSLATE_NOOP("labels", "Tandai duplikat"),
    "mark_prank": QT_TRANSLATE_NOOP("labels", "Tandai panggilan iseng"),
    "mark_ghost": QT_TRANSLATE_NOOP("labels", "Tandai panggilan kosong"),
    "answer_info": QT_TRANSLATE_NOOP("labels", "Informasi dijawab"),
    "dispatch": QT_TRANSLATE_NOOP("labels", "Disposisi"),
    "start": QT_TRANSLATE_NOOP("labels", "Mulai ditangani"),
    "resolve": QT_TRANSLATE_NOOP("labels", "Selesaikan"),
    "close": QT_TRANSLATE_NOOP("labels", "Tutup"),
    "reopen": QT_TRANSLATE_NOOP("labels", "Buka kembali"),
    "triage": QT_TRANSLATE_NOOP("labels", "Triase"),
    "merge": QT_TRANSLATE_NOOP("labels", "Gabungkan"),
    "note": QT_TRANSLATE_NOOP("labels", "Catatan"),
    "undo": QT_TRANSLATE_NOOP("labels", "Pembatalan"),
}

TRIAGE_LABELS: dict[str, str] = {
    "emergency": QT_TRANSLATE_NOOP("labels", "Darurat"),
    "information": QT_TRANSLATE_NOOP("labels", "Informasi"),
    "prank": QT_TRANSLATE_NOOP("labels", "Iseng"),
    "ghost": QT_TRANSLATE_NOOP("labels", "Panggilan kosong"),
}


def lookup(context: str, text: str) -> str:
    """Translate a string found elsewhere by a QT_TRANSLATE_NOOP marker (a name lupdate
    does not scan, so dynamic look-ups create no bogus entries)."""
    return _qt_translate(context, text)


def _tr(text: str) -> str:
    return lookup(CONTEXT, text)


def status_label(code: str | None) -> str:
    if code is None:
        return ""
    return _tr(STATUS_LABELS[code]) if code in STATUS_LABELS else code


def channel_label(code: str | None) -> str:
    if code is None:
        return ""
    return _tr(CHANNEL_LABELS[code]) if code in CHANNEL_LABELS else code


def priority_label(priority: int | None) -> str:
    if priority is None:
        return ""
    return _tr(PRIORITY_LABELS[priority]) if priority in PRIORITY_LABELS else f"P{priority}"


def action_label(code: str | None) -> str:
    if code is None:
        return ""
    return _tr(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def triage_label(code: str | None) -> str:
    if code is None:
        return ""
    return _tr(TRIAGE_LABELS[code]) if code in TRIAGE_LABELS else code


def priority_short(priority: int | None) -> str:
    return "" if priority is None else f"P{priority}"


def _jakarta() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Jakarta")
    except Exception:  # noqa: BLE001 - no tz database: WIB has had no DST since 1964
        return timezone(timedelta(hours=7), "WIB")


# Western Indonesian Time, the zone the console shows (UTC+7, no daylight saving).
WIB = _jakarta()


def format_local(dt: datetime | None, zone: tzinfo = WIB, *, seconds: bool = False) -> str:
    """An aware UTC time as local wall time, e.g. ``28-11-2026 16:05 WIB`` (with
    ``seconds``: ``28-11-2026 16:05:09 WIB``, for a timeline that orders quick actions)."""
    if dt is None:
        return "—"
    if dt.utcoffset() is None:
        dt = dt.replace(tzinfo=UTC)
    local = dt.astimezone(zone)
    fmt = "%d-%m-%Y %H:%M:%S " if seconds else "%d-%m-%Y %H:%M "
    return local.strftime(fmt) + QCoreApplication.translate("labels", "WIB")


def format_duration(delta: timedelta) -> str:
    """A compact signed duration: ``45m``, ``2j 10m``, ``-1h 3j`` (English: ``2h 10m``,
    ``-1d 3h``). Rounded down to the minute; the two largest units only."""
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        # h = hari (days), j = jam (hours), m = menit (minutes)
        text = QCoreApplication.translate("labels", "{d}h {h}j").format(d=days, h=hours)
    elif hours:
        text = QCoreApplication.translate("labels", "{h}j {m}m").format(h=hours, m=minutes)
    else:
        text = QCoreApplication.translate("labels", "{m}m").format(m=minutes)
    return sign + text
