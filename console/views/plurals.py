"""Texts with a number that changes their form ("1 minute" / "5 minutes"): one place.

pyside6-lupdate (6.11) marks a message as plural only when it is written
``self.tr(text, "", n)`` inside a class, and takes the class name as its context; Qt then
looks it up under the class's name at run time. So each context with plurals has a small
QObject here named after it, with one method per text, used by the modules that word them
(``QCoreApplication.translate(ctx, text, None, n)`` is found by Qt but not by lupdate)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QObject

__all__ = ["action_dialogs_plurals", "messages_plurals", "sla_plurals"]


class SlaText(QObject):
    """Context "SlaText" (console/views/sla_text.py)."""

    def minutes_since_call(self, n: int) -> str:
        return self.tr("%n menit sejak panggilan masuk", "", n)

    def minutes_since_dispatch(self, n: int) -> str:
        return self.tr("%n menit sejak disposisi", "", n)

    def minutes(self, n: int) -> str:
        return self.tr("%n menit", "", n)

    def working_days(self, n: int) -> str:
        return self.tr("%n hari kerja", "", n)


class messages(QObject):  # noqa: N801 - the context's name, as console/views/messages.py uses it
    """Context "messages" (console/views/messages.py)."""

    def quarantined(self, n: int) -> str:
        return self.tr("%n perubahan ditolak server perlu diperiksa.", "", n)


class action_dialogs(QObject):  # noqa: N801 - the context's name (console/views/action_dialogs.py)
    """Context "action_dialogs"."""

    def more(self, n: int) -> str:
        # After the first few tickets a dialog title names: "+2 lainnya".
        return self.tr("+%n lainnya", "", n)


@cache
def action_dialogs_plurals() -> action_dialogs:
    return action_dialogs()


@cache
def sla_plurals() -> SlaText:
    return SlaText()


@cache
def messages_plurals() -> messages:
    return messages()
