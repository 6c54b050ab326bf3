"""Who may see and change what: the caller's scope, derived from the login only.

A scope is either the whole city (command-center roles with no regions) or a set of
region codes. A code covers itself and everything below it: ``3273-2483`` (a kecamatan)
covers ``3273-2483`` and every ``3273-2483-<kelurahan>``. Reports without a region are
visible only to whole-city scopes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import false, or_
from sqlalchemy.sql import ColumnElement

#: Roles that may have a whole-city scope (no regions). A kelurahan account never does.
CITY_WIDE_ROLES = frozenset({"operator", "supervisor", "admin"})


@dataclass(frozen=True)
class Scope:
    everything: bool
    codes: tuple[str, ...] = ()

    @classmethod
    def for_account(cls, role: str, regions: list[str]) -> Scope:
        if regions:
            return cls(False, tuple(sorted(set(regions))))
        if role in CITY_WIDE_ROLES:
            return cls(True)
        return cls(False, ())  # a kelurahan account without regions sees nothing

    def contains(self, region_code: str | None) -> bool:
        if self.everything:
            return True
        if region_code is None:
            return False
        return any(region_code == c or region_code.startswith(c + "-") for c in self.codes)

    def where(self, column) -> ColumnElement | None:  # noqa: ANN001
        """SQL condition on a region_code column, or None when everything is visible."""
        if self.everything:
            return None
        if not self.codes:
            return false()
        terms = []
        for code in self.codes:
            terms.append(column == code)
            # LIKE wildcards cannot appear in region codes (validated at account creation),
            # but escape anyway so a bad row can never widen a scope.
            escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            terms.append(column.like(escaped + "-%", escape="\\"))
        return or_(*terms)

    def describe(self) -> str:
        return "the whole city" if self.everything else (", ".join(self.codes) or "no region")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    account_id: str
    username: str
    role: str
    scope: Scope
    #: The login session (a short, non-secret handle of its token) or None (Open311 keys,
    #: tools): what the change feed uses to leave out a console's own pushes.
    session: str | None = None

    @classmethod
    def from_row(cls, account_id: str, username: str, role: str, regions_json: str,
                 session: str | None = None) -> Principal:
        regions = json.loads(regions_json or "[]")
        return cls(account_id, username, role, Scope.for_account(role, regions), session)
