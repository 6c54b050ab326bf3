"""Minute targets for emergencies after dispatch: how soon the agency must be on scene.

The 112 clock (``DISPATCH_112_MINUTES`` in catalog.py) ends when the operator dispatches.
From then on a life-safety report still runs on minutes, not on the LAPOR! five working
days: the agency must *respond* (be on scene, which the console records as the agency
starting work, ``start`` → in progress). Only after that does the administrative
follow-up clock in working days take over (see ``sla.sla_stage``).

These are configurable defaults of this console, per category code:

==================  =======  ==============================================================
category            minutes  where the figure comes from
==================  =======  ==============================================================
kebakaran           15       Permendagri 114/2018 (SPM sub-urusan kebakaran): response time
                             of at most 15 minutes from the call to the fire post until
                             arrival, within the service area (WMK)
darurat_medis       30       PSC 119 (Permenkes 19/2016, SPGDT) sets no national arrival
                             time; 30 minutes is our default for a city ambulance
kecelakaan          30       same ambulance/police arrival default as medical emergencies
kriminalitas        15       police quick response in a city; our default
bencana_longsor     60       BPBD's rapid-response team (TRC) travels further; our default
==================  =======  ==============================================================

Any other emergency category (a city's own), and any priority-1 report of another
category (a flood with people trapped), gets :data:`DEFAULT_RESPONSE_MINUTES`. Other
non-emergency reports have no response clock, even when the call came on 112 (a pothole
reported on 112 is dispatched within five minutes, then handled as LAPOR! work).
A city that needs other figures changes this table; per-city values in the database
would need a ``category.sla_response_minutes`` column (a migration), not done yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from .catalog import CategoryDef

__all__ = ["DEFAULT_RESPONSE_MINUTES", "RESPONSE_MINUTES", "response_minutes"]

RESPONSE_MINUTES: Final[Mapping[str, int]] = MappingProxyType({
    "kebakaran": 15,
    "darurat_medis": 30,
    "kecelakaan": 30,
    "kriminalitas": 15,
    "bencana_longsor": 60,
})
DEFAULT_RESPONSE_MINUTES: Final = 30


def response_minutes(category: CategoryDef, priority: int | None = None) -> int | None:
    """Minutes from the first dispatch until the agency must be on scene, or None."""
    if not category.emergency:
        return DEFAULT_RESPONSE_MINUTES if priority == 1 else None
    return RESPONSE_MINUTES.get(category.code, DEFAULT_RESPONSE_MINUTES)
