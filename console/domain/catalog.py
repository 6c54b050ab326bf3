"""The default service catalogue: intake channels, agencies and report categories.

Console and server both seed from these definitions, so a category code means
the same thing on every machine. A city can add its own rows in the database;
these are the defaults a fresh install starts with. Codes are short lowercase
ASCII because they travel in URLs (Open311 ``service_code``) and in sync payloads,
and must never change once data refers to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

__all__ = [
    "AGENCIES",
    "AgencyDef",
    "AgencyKind",
    "CATEGORIES",
    "CategoryDef",
    "Channel",
    "DEFAULT_SLA_FOLLOWUP_DAYS",
    "DEFAULT_SLA_VERIFY_DAYS",
    "DISPATCH_112_MINUTES",
    "agency",
    "category",
]

#: LAPOR!: verification within 3 working days, agency follow-up within 5.
DEFAULT_SLA_VERIFY_DAYS: Final = 3
DEFAULT_SLA_FOLLOWUP_DAYS: Final = 5
#: The 112 target from call to dispatch.
DISPATCH_112_MINUTES: Final = 5


class Channel(StrEnum):
    """How a report reached us."""

    APP = "app"            # citizen app / web, including Open311 clients
    SMS = "sms"
    WHATSAPP = "whatsapp"
    PHONE_112 = "phone_112"  # the emergency line, triaged by the 112 operator
    PHONE = "phone"        # an ordinary hotline / call center number
    WALK_IN = "walk_in"    # in person at the kelurahan office
    SOCIAL = "social"      # social media mentions picked up by staff
    SENSOR = "sensor"      # city IoT, e.g. flood-level gauges


class AgencyKind(StrEnum):
    EMERGENCY = "emergency"          # police, ambulance, fire, disaster agency
    CITY_SERVICE = "city_service"    # city departments (dinas)
    PUBLIC_ORDER = "public_order"    # Satpol PP
    UTILITY = "utility"              # PDAM, PLN, telecoms: outside city hierarchy
    HUMANITARIAN = "humanitarian"    # PMI
    TERRITORIAL = "territorial"      # kelurahan / kecamatan offices


@dataclass(frozen=True, slots=True)
class AgencyDef:
    code: str
    name_id: str
    name_en: str
    kind: AgencyKind


@dataclass(frozen=True, slots=True)
class CategoryDef:
    """A report category and its service levels.

    ``sla_verify_days`` and ``sla_followup_days`` are working days (see sla.py).
    ``sla_dispatch_minutes`` is a wall-clock target used for emergencies and for
    anything taken on the 112 line. ``default_agency`` is None only when there
    is nobody to dispatch to (an information call answered on the phone).
    """

    code: str
    name_id: str
    name_en: str
    default_priority: int
    default_agency: str | None
    emergency: bool = False
    sla_verify_days: int = DEFAULT_SLA_VERIFY_DAYS
    sla_followup_days: int = DEFAULT_SLA_FOLLOWUP_DAYS
    sla_dispatch_minutes: int | None = None

    def __post_init__(self) -> None:
        # Fail at import time, not when the first report of a bad category arrives.
        if type(self.default_priority) is not int or not 1 <= self.default_priority <= 4:
            raise ValueError(f"{self.code}: default_priority must be 1..4")
        if self.sla_verify_days < 0 or self.sla_followup_days < 0:
            raise ValueError(f"{self.code}: SLA days cannot be negative")
        if self.sla_dispatch_minutes is not None and self.sla_dispatch_minutes <= 0:
            raise ValueError(f"{self.code}: sla_dispatch_minutes must be positive")
        if self.emergency and self.sla_dispatch_minutes is None:
            raise ValueError(f"{self.code}: an emergency category needs sla_dispatch_minutes")


_K = AgencyKind
_AGENCY_ROWS = (
    AgencyDef("polisi", "Kepolisian (Polrestabes)", "Police (Polrestabes)", _K.EMERGENCY),
    AgencyDef("ambulans", "Dinas Kesehatan / PSC 119", "Ambulance and Health Office (PSC 119)",
              _K.EMERGENCY),
    AgencyDef("damkar", "Pemadam Kebakaran dan Penyelamatan (Damkar)", "Fire and Rescue",
              _K.EMERGENCY),
    AgencyDef("bpbd", "Badan Penanggulangan Bencana Daerah (BPBD)",
              "Regional Disaster Management Agency (BPBD)", _K.EMERGENCY),
    # Bandung folds roads and water into one DSDABM; other cities split them
    # (Dinas PUPR vs. SDA). Two codes let either set-up map its own offices.
    AgencyDef("pupr", "Dinas Pekerjaan Umum / Bina Marga (PUPR, DSDABM)",
              "Public Works and Roads", _K.CITY_SERVICE),
    AgencyDef("sda", "Dinas Sumber Daya Air (Drainase dan Banjir)",
              "Water Resources (drainage and floods)", _K.CITY_SERVICE),
    AgencyDef("dlh", "Dinas Lingkungan Hidup (DLH)", "Environment and Waste", _K.CITY_SERVICE),
    AgencyDef("dishub", "Dinas Perhubungan (Dishub)", "Transport", _K.CITY_SERVICE),
    AgencyDef("satpolpp", "Satuan Polisi Pamong Praja (Satpol PP)",
              "Public Order Agency (Satpol PP)", _K.PUBLIC_ORDER),
    AgencyDef("pdam", "Perumda Air Minum (PDAM)", "Water Utility (PDAM)", _K.UTILITY),
    AgencyDef("pln", "PT PLN (Persero)", "State Electricity Company (PLN)", _K.UTILITY),
    AgencyDef("telkom", "Penyelenggara Telekomunikasi (Telkom)", "Telecoms (Telkom)",
              _K.UTILITY),
    AgencyDef("pmi", "Palang Merah Indonesia (PMI)", "Indonesian Red Cross (PMI)",
              _K.HUMANITARIAN),
    AgencyDef("kelurahan", "Kantor Kelurahan", "Kelurahan (urban village) office",
              _K.TERRITORIAL),
    AgencyDef("kecamatan", "Kantor Kecamatan", "Kecamatan (district) office", _K.TERRITORIAL),
)
del _K

_M = DISPATCH_112_MINUTES
# Priorities: 1 life/safety now, 2 urgent (hours), 3 normal, 4 low. Emergencies
# carry the 112 five-minute dispatch target whatever channel they arrive on: a
# fire reported on WhatsApp must not wait three working days for verification.
_CATEGORY_ROWS = (
    CategoryDef("kebakaran", "Kebakaran", "Fire", 1, "damkar", True, sla_dispatch_minutes=_M),
    CategoryDef("kecelakaan", "Kecelakaan Lalu Lintas", "Traffic accident", 1, "polisi", True,
                sla_dispatch_minutes=_M),
    CategoryDef("darurat_medis", "Kegawatdaruratan Medis", "Medical emergency", 1, "ambulans",
                True, sla_dispatch_minutes=_M),
    CategoryDef("bencana_longsor", "Tanah Longsor", "Landslide", 1, "bpbd", True,
                sla_dispatch_minutes=_M),
    CategoryDef("kriminalitas", "Tindak Kriminal", "Crime", 2, "polisi", True,
                sla_dispatch_minutes=_M),
    # Most "banjir" reports are street-level genangan (standing water), a
    # nuisance rather than a threat; gauges and 112 calls raise it (priority.py).
    CategoryDef("banjir", "Banjir / Genangan", "Flood / standing water", 3, "sda"),
    CategoryDef("pohon_tumbang", "Pohon Tumbang", "Fallen tree", 2, "bpbd"),
    CategoryDef("jalan_rusak", "Jalan Rusak", "Damaged road / pothole", 3, "pupr"),
    CategoryDef("drainase", "Saluran Air / Drainase Tersumbat", "Blocked drain", 3, "sda"),
    CategoryDef("sampah", "Sampah", "Uncollected waste / illegal dumping", 3, "dlh"),
    CategoryDef("lampu_jalan", "Lampu Penerangan Jalan Umum (PJU) Mati", "Street light out",
                4, "dishub"),
    CategoryDef("lalu_lintas", "Gangguan Lalu Lintas / Lampu Lalu Lintas",
                "Traffic disruption / broken traffic light", 3, "dishub"),
    CategoryDef("gangguan_ketertiban", "Gangguan Ketertiban Umum", "Public order disturbance",
                3, "satpolpp"),
    CategoryDef("kebisingan", "Kebisingan", "Noise", 4, "satpolpp"),
    # Air-quality sensors (issue 15) report here; citizens' smoke and dust complaints fit too.
    CategoryDef("polusi_udara", "Polusi Udara", "Air pollution", 3, "dlh"),
    CategoryDef("air_pdam", "Air PDAM Tidak Mengalir", "No piped water", 3, "pdam"),
    CategoryDef("listrik_padam", "Listrik Padam", "Power outage", 3, "pln"),
    CategoryDef("kabel_semrawut", "Kabel Menjuntai / Semrawut", "Hanging or tangled cables",
                3, "telkom"),
    CategoryDef("administrasi_kependudukan", "Administrasi Kependudukan dan Perizinan",
                "Civil registry (KTP/KK) and permits", 4, "kelurahan"),
    CategoryDef("informasi", "Permintaan Informasi", "Information request", 4, None,
                sla_dispatch_minutes=_M),
)
del _M

AGENCIES: Final[Mapping[str, AgencyDef]] = MappingProxyType({a.code: a for a in _AGENCY_ROWS})
CATEGORIES: Final[Mapping[str, CategoryDef]] = MappingProxyType(
    {c.code: c for c in _CATEGORY_ROWS}
)
# A duplicate code would silently shadow a row in the dicts above.
if len(AGENCIES) != len(_AGENCY_ROWS) or len(CATEGORIES) != len(_CATEGORY_ROWS):
    raise RuntimeError("duplicate agency or category code in the default catalogue")
for _c in _CATEGORY_ROWS:
    if _c.default_agency is not None and _c.default_agency not in AGENCIES:
        raise RuntimeError(f"{_c.code}: unknown default agency {_c.default_agency!r}")
del _c


def category(code: str) -> CategoryDef:
    """Look up a default category; KeyError names the valid codes."""
    try:
        return CATEGORIES[code]
    except KeyError:
        raise KeyError(
            f"unknown category code {code!r}; known: {', '.join(CATEGORIES)}"
        ) from None


def agency(code: str) -> AgencyDef:
    """Look up a default agency; KeyError names the valid codes."""
    try:
        return AGENCIES[code]
    except KeyError:
        raise KeyError(f"unknown agency code {code!r}; known: {', '.join(AGENCIES)}") from None
