"""Display labels for stored codes (status, channel, priority, triage, action) and
on-screen time formats.

The words themselves live in ``console.vocabulary`` (both languages, shared with the
exports and the public page); here they are shown in the console's language, which is the
installed Posko translation's: ``posko_en.qm`` answers the marker ``("labels", "id")``
with ``"en"``, and with no translation installed (Indonesian, the sources' language) the
marker comes back unchanged. So a translator installed or removed later (the language
tests do both) takes effect at the next look-up, with no second language setting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console import vocabulary

__all__ = [
    "WIB",
    "action_label",
    "channel_label",
    "format_duration",
    "format_local",
    "lookup",
    "priority_label",
    "priority_short",
    "status_label",
    "triage_label",
    "ui_language",
]

CONTEXT = "labels"
_qt_translate = QCoreApplication.translate
#: Translated to its own language code by each posko_<lang>.ts (see the module docstring).
_LANGUAGE_MARKER = QT_TRANSLATE_NOOP("labels", "id")


def lookup(context: str, text: str) -> str:
    """Translate a string found elsewhere by a QT_TRANSLATE_NOOP marker (a name lupdate
    does not scan, so dynamic look-ups create no bogus entries)."""
    return _qt_translate(context, text)


def _tr(text: str) -> str:
    return lookup(CONTEXT, text)


def ui_language() -> str:
    lang = _tr(_LANGUAGE_MARKER)
    return lang if lang in vocabulary.LANGS else "id"


def status_label(code: str | None) -> str:
    return vocabulary.word(vocabulary.STATUS, code, ui_language())


def channel_label(code: str | None) -> str:
    return vocabulary.word(vocabulary.CHANNEL, code, ui_language())


def priority_label(priority: int | None) -> str:
    if priority is not None and priority not in vocabulary.PRIORITY:
        return f"P{priority}"
    return vocabulary.word(vocabulary.PRIORITY, priority, ui_language())


def action_label(code: str | None) -> str:
    return vocabulary.word(vocabulary.ACTION, code, ui_language())


def triage_label(code: str | None) -> str:
    return vocabulary.word(vocabulary.TRIAGE, code, ui_language())


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
