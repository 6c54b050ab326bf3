"""How an SLA clock (``console.domain.sla.SlaClock``) reads on screen: the queue cell, its
tooltip and the detail panel's line. The rule (which stage, when at risk, when overdue)
is the domain's; this module only words it, in one place, so the queue and the detail
panel say the same thing about the same report."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.domain.sla import SlaClock, SlaState, Stage
from console.views.labels import format_duration, format_local
from console.views.plurals import sla_plurals

__all__ = ["cell_text", "detail_text", "stage_name", "target_text", "tooltip_text"]

_STAGE = {
    Stage.DISPATCH: QT_TRANSLATE_NOOP("SlaText", "disposisi"),
    Stage.RESPOND: QT_TRANSLATE_NOOP("SlaText", "tiba di lokasi"),
    Stage.VERIFY: QT_TRANSLATE_NOOP("SlaText", "verifikasi"),
    Stage.FOLLOW_UP: QT_TRANSLATE_NOOP("SlaText", "tindak lanjut"),
}


def stage_name(clock: SlaClock) -> str:
    if clock.stage is None:
        return QCoreApplication.translate("SlaText", "SLA")
    return QCoreApplication.translate("SlaText", _STAGE[clock.stage.stage])


def target_text(clock: SlaClock) -> str:
    """"15 menit sejak disposisi", "5 hari kerja", or "" when the stage is unknown."""
    stage = clock.stage
    if stage is None:
        return ""
    n = stage.minutes
    if n is not None:
        if stage.stage is Stage.DISPATCH:
            return sla_plurals().minutes_since_call(n)
        if stage.stage is Stage.RESPOND:
            return sla_plurals().minutes_since_dispatch(n)
        return sla_plurals().minutes(n)
    return sla_plurals().working_days(stage.working_days or 0)


def cell_text(clock: SlaClock, now: datetime) -> str:
    """The queue's SLA cell: time left (negative when late), minutes for emergencies."""
    return format_duration(clock.remaining(now))


def tooltip_text(clock: SlaClock) -> str:
    target = target_text(clock)
    text = QCoreApplication.translate("SlaText", "Batas {stage}: {when}").format(
        stage=stage_name(clock), when=format_local(clock.due))
    if not target:
        return text
    return QCoreApplication.translate("SlaText", "{text} (target {target})").format(
        text=text, target=target)


def detail_text(clock: SlaClock, now: datetime) -> str:
    """The detail panel's SLA part: "Tiba di lokasi: sisa 12m (target 15 menit sejak
    disposisi)" or "…: lewat 3m"."""
    left = clock.remaining(now)
    if clock.state(now) is SlaState.BREACHED:
        when = QCoreApplication.translate("SlaText", "lewat {t}").format(t=format_duration(-left))
    else:
        when = QCoreApplication.translate("SlaText", "sisa {t}").format(t=format_duration(left))
    text = QCoreApplication.translate("SlaText", "SLA {stage}: {when}").format(
        stage=stage_name(clock), when=when)
    target = target_text(clock)
    if not target:
        return text
    return QCoreApplication.translate("SlaText", "{text} (target {target})").format(
        text=text, target=target)
