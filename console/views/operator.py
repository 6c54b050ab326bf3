"""Who is at the console: the account on duty (the actor written to the timeline and the
outbox), its role (masking of personal data), regions, and the desk's agency.

The account is always one the central server authenticated: set after a login, or a
cached account of this data folder that proved itself with its password
(console/operations/accounts.py). Never the OS user. With nobody on duty the console is
read-only: ``username`` is empty and every operation is refused (operations/base.py).
The agency ("assigned to me") belongs to the desk, not the person: it stays in the
window's settings (``operator/agency``).
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class OperatorContext:
    username: str = ""  # empty: nobody on duty, the console is read-only
    display_name: str = ""
    role: str = "operator"
    agency: str | None = None  # the agency/office this desk works for ("assigned to me")
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.role not in ROLES:  # an unknown role never unmasks
            object.__setattr__(self, "role", "operator")

    @property
    def on_duty(self) -> bool:
        return bool(self.username)

    @property
    def can_unmask(self) -> bool:
        return self.on_duty and self.role in UNMASK_ROLES

    @property
    def actor(self) -> str:
        return self.username

    def with_changes(self, **kw) -> OperatorContext:
        return replace(self, **kw)

    @classmethod
    def nobody(cls, agency: str | None = None) -> OperatorContext:
        return cls(agency=agency)

    @classmethod
    def from_account(cls, account, agency: str | None = None) -> OperatorContext:  # noqa: ANN001
        """From a cached account (accounts.KnownAccount) or the server's login answer."""
        get = account.get if isinstance(account, dict) else (
            lambda k, d=None: getattr(account, k, d))
        username = str(get("username") or "")
        return cls(username=username, display_name=str(get("display_name") or username),
                   role=str(get("role") or "operator"), agency=agency,
                   regions=tuple(get("regions") or ()))

    @staticmethod
    def desk_agency(settings: QSettings) -> str | None:
        from console.views.settings import read

        agency = read(settings, "operator/agency") or None
        return str(agency) if agency else None
