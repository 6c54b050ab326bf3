"""Duplicate scoring: is this report about the same incident as that one?

Plain Python (no Qt, no SQL), shared by intake (while the operator takes a call) and the
detail panel. The store (``console.store.duplicates``) reads nearby reports by category
and time window through its indexes; this module scores each pair:

==============  =======  ==============================================================
signal          weight   how
==============  =======  ==============================================================
distance        0.40     1 at the same spot, falling linearly to 0 at RADIUS_M; without
                         coordinates, the same kelurahan counts 0.5, kecamatan 0.2
time            0.25     1 at the same minute, falling linearly to 0 at the window (6 h
                         for emergencies, 72 h otherwise)
category        0.25     1 the same, 0.6 a related one (flood and blocked drain), else 0
caller          +0.35    the same phone number (a caller who rings back)
wording         +0.10    share of title words in common
==============  =======  ==============================================================

A pair outside the time window, or with neither a related category nor the same caller,
or neither near nor the same caller, is never a candidate. The total is capped at 1.
Scores are suggestions: an operator always confirms a merge.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from .geo import EARTH_RADIUS_M, haversine_m

__all__ = [
    "EMERGENCY_WINDOW",
    "RADIUS_M",
    "RELATED_CATEGORIES",
    "THRESHOLD",
    "WINDOW",
    "Facts",
    "Score",
    "bounding_box",
    "normalise_phone",
    "rank",
    "related_categories",
    "score",
    "time_window",
]

RADIUS_M: Final = 400.0
WINDOW: Final = timedelta(hours=72)
EMERGENCY_WINDOW: Final = timedelta(hours=6)
THRESHOLD: Final = 0.45

W_DISTANCE, W_TIME, W_CATEGORY, W_PHONE, W_WORDS = 0.40, 0.25, 0.25, 0.35, 0.10

#: Categories citizens use for the same incident.
RELATED_CATEGORIES: Final[tuple[frozenset[str], ...]] = (
    frozenset({"banjir", "drainase"}),
    frozenset({"pohon_tumbang", "lalu_lintas", "kabel_semrawut", "bencana_longsor"}),
    frozenset({"kecelakaan", "lalu_lintas", "darurat_medis"}),
    frozenset({"listrik_padam", "lampu_jalan", "kabel_semrawut"}),
    frozenset({"kebakaran", "darurat_medis"}),
    frozenset({"gangguan_ketertiban", "kebisingan", "kriminalitas"}),
    frozenset({"jalan_rusak", "drainase"}),
)
#: Categories whose incidents happen and end within hours.
EMERGENCY_CATEGORIES: Final = frozenset({
    "kebakaran", "kecelakaan", "darurat_medis", "bencana_longsor", "kriminalitas",
})


@dataclass(frozen=True)
class Facts:
    """What scoring needs to know about one report (or a report being taken)."""

    category_code: str
    created_at: datetime
    lat: float | None = None
    lon: float | None = None
    region_code: str | None = None
    reporter_phone: str | None = None
    title: str = ""
    id: str | None = None


@dataclass(frozen=True)
class Score:
    total: float
    distance_m: float | None
    apart: timedelta
    category: str  # same | related | other
    same_phone: bool
    same_region: bool
    reasons: tuple[str, ...] = field(default=())


def related_categories(code: str) -> frozenset[str]:
    """``code`` and the categories related to it."""
    out = {code}
    for group in RELATED_CATEGORIES:
        if code in group:
            out |= group
    return frozenset(out)


def time_window(category_code: str) -> timedelta:
    return EMERGENCY_WINDOW if category_code in EMERGENCY_CATEGORIES else WINDOW


def normalise_phone(phone: str | None) -> str | None:
    """Digits only, Indonesian country code folded: ``+62 812-3456`` → ``08123456``."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 6 else None


_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset("di ke dan yang dari ada jl jalan no gg rt rw the of at in".split())


def _words(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text or "").casefold()
    return {w for w in _WORD.findall(folded) if len(w) > 2 and w not in _STOP}


def bounding_box(lat: float, lon: float, radius_m: float = RADIUS_M) -> tuple[float, ...]:
    """(min_lat, max_lat, min_lon, max_lon) around a point, for a cheap SQL pre-filter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def _parent(code: str | None) -> str | None:
    return code.rsplit("-", 1)[0] if code and "-" in code else None


def score(a: Facts, b: Facts, *, radius_m: float = RADIUS_M) -> Score | None:
    """How likely ``b`` is about the same incident as ``a``; None when it is no candidate."""
    window = max(time_window(a.category_code), time_window(b.category_code))
    apart = abs(a.created_at - b.created_at)
    f_time = max(0.0, 1.0 - apart / window)
    if f_time <= 0:
        return None
    phone_a, phone_b = normalise_phone(a.reporter_phone), normalise_phone(b.reporter_phone)
    same_phone = phone_a is not None and phone_a == phone_b
    if a.category_code == b.category_code:
        kind, f_cat = "same", 1.0
    elif b.category_code in related_categories(a.category_code):
        kind, f_cat = "related", 0.6
    else:
        kind, f_cat = "other", 0.0
    distance = None
    same_region = a.region_code is not None and a.region_code == b.region_code
    if None not in (a.lat, a.lon, b.lat, b.lon):
        distance = haversine_m(a.lat, a.lon, b.lat, b.lon)
        f_dist = max(0.0, 1.0 - distance / radius_m)
    elif same_region:
        f_dist = 0.5
    elif _parent(a.region_code) is not None and _parent(a.region_code) == _parent(b.region_code):
        f_dist = 0.2
    else:
        f_dist = 0.0
    if not same_phone and (f_cat == 0 or f_dist == 0):
        return None
    wa, wb = _words(a.title), _words(b.title)
    f_words = len(wa & wb) / len(wa | wb) if wa and wb else 0.0
    total = (W_DISTANCE * f_dist + W_TIME * f_time + W_CATEGORY * f_cat
             + (W_PHONE if same_phone else 0.0) + W_WORDS * f_words)
    reasons = []
    if distance is not None:
        reasons.append("distance")
    elif same_region:
        reasons.append("same_region")
    if kind != "other":
        reasons.append(f"{kind}_category")
    if same_phone:
        reasons.append("same_phone")
    if f_words >= 0.3:
        reasons.append("similar_title")
    return Score(min(1.0, total), distance, apart, kind, same_phone, same_region, tuple(reasons))


def rank(
    probe: Facts, others: Iterable[Facts], *, threshold: float = THRESHOLD, limit: int = 10,
    radius_m: float = RADIUS_M,
) -> list[tuple[Facts, Score]]:
    """The best candidates for ``probe`` (never itself), highest score first."""
    out = []
    for other in others:
        if probe.id is not None and other.id == probe.id:
            continue
        s = score(probe, other, radius_m=radius_m)
        if s is not None and s.total >= threshold:
            out.append((other, s))
    out.sort(key=lambda pair: (-pair[1].total, pair[1].apart))
    return out[:limit]
