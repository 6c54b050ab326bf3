"""Who is at the console: user name (the actor written to the timeline), role, agency.

Until the login dialog exists, these come from QSettings (``operator/username``,
``operator/role``, ``operator/agency``, ``operator/display_name``); the role defaults to
``operator``, for whom personal data stays masked. The login will call
:meth:`OperatorContext.replace` (or build a new one) and the window re-reads it.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings

__all__ = ["ROLES", "UNMASK_ROLES", "OperatorContext", "mask_name", "mask_phone"]

ROLES = ("operator", "kelurahan", "supervisor", "admin")
#: Roles that may see reporters' names and phone numbers unmasked.
UNMASK_ROLES = frozenset({"supervisor", "admin"})


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


def _default_user() -> str:
    try:
        return getpass.getuser() or "operator"
    except Exception:  # noqa: BLE001 - no login name in some service environments
        return "operator"


@dataclass(frozen=True)
class OperatorContext:
    username: str = "operator"
    display_name: str = ""
    role: str = "operator"
    agency: str | None = None  # the agency/office this operator works for ("assigned to me")

    @property
    def can_unmask(self) -> bool:
        return self.role in UNMASK_ROLES

    @property
    def actor(self) -> str:
        return self.username

    def with_changes(self, **kw) -> OperatorContext:
        return replace(self, **kw)

    @classmethod
    def from_settings(cls, settings: QSettings) -> OperatorContext:
        role = str(settings.value("operator/role", "operator") or "operator")
        if role not in ROLES:
            role = "operator"  # an unknown role never unmasks
        username = str(settings.value("operator/username", "") or _default_user())
        agency = settings.value("operator/agency", "") or None
        return cls(username=username,
                   display_name=str(settings.value("operator/display_name", "") or username),
                   role=role, agency=str(agency) if agency else None)
