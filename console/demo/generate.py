"""A deterministic generator of realistic demo reports, as plain row tuples.

``generate(n, seed=...)`` yields :class:`Batch` es of ``report``, ``report_event`` and
``dispatch`` rows (tuples in the column order of ``REPORT_COLUMNS`` etc.), sorted by
``created_at``, ready for ``executemany``. The same arguments always give the same rows
(ids included: UUIDs come from the seeded RNG, not the OS). Ids are UUIDv7 (RFC 9562) by
default, made from each record's own time: still "made where the record is born", but
time-ordered, so a bulk insert appends to the id indexes instead of writing all over them
(about 25% faster at a million reports than random v4; ``ids='v4'`` gives v4).

How a report is made:

- ``created_at`` is spread over the last ``weeks`` weeks up to ``now`` with a day/night
  rhythm in WIB (few reports 00-05, peaks in the morning and the evening).
- City by weight (default 2/3 Bandung, 1/3 Semarang); channel by weight; on the 112 line
  the triage mix is dominated by ghost and prank calls, as Bandung's real numbers are
  (about 1,000 calls a day, 10-15 real incidents).
- Region is a random kelurahan of the city, where the kelurahan a demo kelurahan account
  serves (``DEMO_OPERATORS``) draws about one report in eight each: their desk always has
  work to show, whatever the date moves the draws to. Coordinates are uniform inside the city's
  bounding box from ``console.domain.geo``; they are *not* matched to the kelurahan's
  geometry because areaid ships no coordinates (and the box over-covers the city).
- Its life is a script of workflow actions with realistic delays, walked through
  ``console.domain.workflow.TRANSITIONS`` and cut off at ``now``: old reports end up
  closed/resolved or in a side exit, recent ones are still new/verified/dispatched.
  Every action is one timeline event (``status`` when the status changes, ``dispatch``
  for a further agency) and bumps ``revision``; every dispatch is a ``dispatch`` row.
- Priority from ``console.domain.priority``, ``sla_due_at`` from ``console.domain.sla``
  for reports still open (the stage clock restarts where ``sla.restarts_clock`` says).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from statistics import NormalDist

from console.domain.catalog import CATEGORIES, Channel, category
from console.domain.geo import CITY_BOUNDS
from console.domain.priority import default_priority
from console.domain.sla import restarts_clock, sla_stage
from console.domain.workflow import OPEN_STATUSES, STAMP_FIELD, TRANSITIONS, Action, Triage
from console.store.regions import CITIES, region_rows

from . import templates as T

__all__ = [
    "Batch",
    "DEMO_OPERATORS",
    "DISPATCH_COLUMNS",
    "EVENT_COLUMNS",
    "REPORT_COLUMNS",
    "default_cities",
    "generate",
]

REPORT_COLUMNS = (
    "id", "ticket", "channel", "category_code", "priority", "status", "triage", "title",
    "description", "reporter_name", "reporter_phone", "lat", "lon", "address", "region_code",
    "created_at", "updated_at", "verified_at", "dispatched_at", "resolved_at", "closed_at",
    "sla_due_at", "assigned_agency", "duplicate_of", "revision", "created_by",
)
EVENT_COLUMNS = (
    "id", "report_id", "at", "actor", "kind", "field", "old_value", "new_value", "detail",
)
DISPATCH_COLUMNS = (
    "id", "report_id", "agency_code", "at", "by", "note", "expected_at", "acknowledged_at",
)

TZ_OFFSET_S = 7 * 3600  # WIB; both demo cities are in Asia/Jakarta (no DST)
US = 1_000_000
DAY_US = 86_400 * US
SYSTEM_ACTOR = "sistem"  # intake gateways (app/Open311, SMS, sensors) create reports


@dataclass
class Batch:
    reports: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    dispatches: list[tuple] = field(default_factory=list)


# --- operators -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class DemoOperator:
    username: str
    display_name: str
    role: str  # operator | kelurahan | supervisor | admin
    city: str | None
    kelurahan: str | None = None  # name of the kelurahan a kelurahan user serves


DEMO_OPERATORS: tuple[DemoOperator, ...] = (
    DemoOperator("op.rina", "Rina Suryana", "operator", "bandung"),
    DemoOperator("op.dadang", "Dadang Hidayat", "operator", "bandung"),
    DemoOperator("op.euis", "Euis Rahayu", "operator", "bandung"),
    DemoOperator("op.asep", "Asep Saepudin", "operator", "bandung"),
    DemoOperator("op.wahyu", "Wahyu Nugroho", "operator", "semarang"),
    DemoOperator("op.sri", "Sri Lestari", "operator", "semarang"),
    DemoOperator("op.joko", "Joko Purnomo", "operator", "semarang"),
    DemoOperator("kel.campaka", "Neneng Sopandi", "kelurahan", "bandung", "Campaka"),
    DemoOperator("kel.citarum", "Cecep Permana", "kelurahan", "bandung", "Citarum"),
    DemoOperator("kel.pleburan", "Retno Wibowo", "kelurahan", "semarang", "Pleburan"),
    DemoOperator("kel.tembalang", "Teguh Haryanto", "kelurahan", "semarang", "Tembalang"),
    DemoOperator("spv.hendra", "Hendra Gunawan", "supervisor", "bandung"),
    DemoOperator("spv.ratna", "Ratna Kusuma", "supervisor", "semarang"),
    DemoOperator("admin", "Administrator Posko", "admin", None),
)


def _ops(city: str, *roles: str) -> tuple[str, ...]:
    return tuple(o.username for o in DEMO_OPERATORS if o.city == city and o.role in roles)


# --- weights -------------------------------------------------------------------------

def _table(weights: Mapping, size: int = 10_000) -> tuple:
    """A lookup table for O(1) weighted choice: ``table[int(random() * size)]``."""
    total = float(sum(weights.values()))
    out: list = []
    acc = 0.0
    items = list(weights.items())
    for i, (key, w) in enumerate(items):
        acc += w
        upto = size if i == len(items) - 1 else round(acc / total * size)
        out.extend([key] * (upto - len(out)))
    return tuple(out)


#: The 112 line dwarfs every other channel (Bandung: ~1,000 calls a day against a few
#: hundred complaints through LAPOR!, the app, WhatsApp and the kelurahan counters).
CHANNEL_WEIGHTS = {
    Channel.PHONE_112: 60, Channel.APP: 11, Channel.WHATSAPP: 9, Channel.SMS: 3,
    Channel.PHONE: 4, Channel.WALK_IN: 5, Channel.SOCIAL: 4, Channel.SENSOR: 4,
}
#: Triage of 112 calls: mostly ghost and prank, about 2% real emergencies.
TRIAGE_112_WEIGHTS = {
    Triage.GHOST: 45, Triage.PRANK: 35, Triage.INFORMATION: 18, Triage.EMERGENCY: 2,
}
#: The last 112 calls at ``now``, still waiting for the operator's one-key triage (1-4):
#: (minutes old, what the call turns out to be). They stay ``new`` with no triage, so the
#: demo opens with calls to triage at the top of the queue (newest first among P1/P2).
FRESH_112_CALLS = (
    (14.0, Triage.INFORMATION), (9.5, Triage.PRANK), (6.0, Triage.GHOST),
    (3.5, Triage.EMERGENCY), (1.5, Triage.GHOST),
)
EMERGENCY_112_CATEGORIES = {
    "kecelakaan": 30, "darurat_medis": 25, "kebakaran": 18, "kriminalitas": 12,
    "bencana_longsor": 3, "pohon_tumbang": 6, "banjir": 6,
}
PRANK_CLAIMS = {"kebakaran": 30, "kecelakaan": 25, "kriminalitas": 20, "darurat_medis": 15,
                "bencana_longsor": 10}
CITIZEN_CATEGORIES = {
    "jalan_rusak": 14, "sampah": 12, "lampu_jalan": 9, "banjir": 8, "drainase": 8,
    "air_pdam": 7, "administrasi_kependudukan": 5, "lalu_lintas": 6, "listrik_padam": 5,
    "kabel_semrawut": 5, "gangguan_ketertiban": 5, "pohon_tumbang": 4, "kebisingan": 4,
    "informasi": 4, "kecelakaan": 1.2, "kebakaran": 0.8, "darurat_medis": 0.8,
    "kriminalitas": 1.2, "bencana_longsor": 0.3,
}
WALK_IN_CATEGORIES = {**CITIZEN_CATEGORIES, "administrasi_kependudukan": 45, "informasi": 12}
SENSOR_CATEGORIES = {"banjir": 85, "drainase": 10, "lalu_lintas": 5}
#: Share of reports per WIB hour of day.
HOUR_WEIGHTS = (0.8, 0.5, 0.35, 0.35, 0.5, 1.3, 2.8, 4.6, 6.4, 6.6, 6.0, 5.5, 4.6, 5.0, 5.0,
                5.1, 5.6, 6.2, 6.6, 6.4, 5.4, 4.0, 2.6, 1.5)
#: A further agency some reports need after the first dispatch.
SECOND_AGENCY = {
    "kebakaran": "ambulans", "kecelakaan": "ambulans", "darurat_medis": "polisi",
    "bencana_longsor": "pmi", "kriminalitas": "ambulans", "banjir": "bpbd",
    "pohon_tumbang": "pln", "jalan_rusak": "pdam", "drainase": "dlh", "sampah": "satpolpp",
    "lampu_jalan": "pln", "lalu_lintas": "polisi", "gangguan_ketertiban": "polisi",
    "kebisingan": "polisi", "air_pdam": "pupr", "listrik_padam": "pupr",
    "kabel_semrawut": "pln", "administrasi_kependudukan": "kecamatan",
}
DISPATCH_NOTES = (None, None, "Mohon segera ditangani.", "Mohon tindak lanjut dan laporan.",
                  "Koordinasi dengan kelurahan setempat.", "Prioritas, warga menunggu di lokasi.")

# --- scripts: what happens to a report, and how long each step takes -----------------
# A step is (action, (mu, sigma)): the delay after the previous step is lognormal with
# median exp(mu) seconds. Scripts are walked through workflow.TRANSITIONS, so an illegal
# step would raise (KeyError) instead of producing an impossible history.


def _d(median_s: float, sigma: float) -> tuple[float, float]:
    return (math.log(median_s), sigma)


_H = 3600
VERIFY, REJECT, NOT_AUTH = str(Action.VERIFY), str(Action.REJECT), str(Action.NOT_AUTHORITY)
DUP, PRANK, GHOST = str(Action.MARK_DUPLICATE), str(Action.MARK_PRANK), str(Action.MARK_GHOST)
INFO, DISPATCH, START = str(Action.ANSWER_INFO), str(Action.DISPATCH), str(Action.START)
RESOLVE, CLOSE, REOPEN = str(Action.RESOLVE), str(Action.CLOSE), str(Action.REOPEN)

# Ordinary (LAPOR!-style) reports: hours to days.
_V = ((VERIFY, _d(4 * _H, 1.3)),)
_SIDE = _d(6 * _H, 1.2)
_DISP = ((DISPATCH, _d(3 * _H, 1.2)),)
_EXTRA = ((DISPATCH, _d(6 * _H, 1.0)),)
_START = ((START, _d(20 * _H, 1.0)),)
_RES = ((RESOLVE, _d(40 * _H, 1.0)),)
_CLOSE = ((CLOSE, _d(24 * _H, 0.8)),)
_REOPEN = ((REOPEN, _d(30 * _H, 0.8)), (RESOLVE, _d(40 * _H, 1.0)), (CLOSE, _d(24 * _H, 0.8)))
C_INFO_ANSWER = ((INFO, _d(4 * _H, 1.3)), (CLOSE, _d(24 * _H, 0.8)))
C_REJECT = ((REJECT, _SIDE),)
C_V_REJECT = _V + ((REJECT, _SIDE),)
C_NOT_AUTH = ((NOT_AUTH, _SIDE),)
C_V_NOT_AUTH = _V + ((NOT_AUTH, _SIDE),)
C_DUP = ((DUP, _SIDE),)
C_V_DUP = _V + ((DUP, _SIDE),)
C_VD_DUP = _V + _DISP + ((DUP, _d(6 * _H, 1.0)),)
# Emergencies (any channel): minutes.
_EV = ((VERIFY, _d(90, 0.6)), (DISPATCH, _d(150, 0.6)))
_E_EXTRA = ((DISPATCH, _d(8 * 60, 0.6)),)
_E_WORK = ((START, _d(12 * 60, 0.5)), (RESOLVE, _d(2 * _H, 0.8)))
_E_CLOSE = ((CLOSE, _d(6 * _H, 1.0)),)
E_DUP = ((DUP, _d(180, 0.7)),)  # several callers, one fire
E_REJECT = ((REJECT, _d(90, 0.6)),)
# 112 triage outcomes: seconds.
S_GHOST = ((GHOST, _d(30, 0.5)),)
S_PRANK = ((PRANK, _d(70, 0.5)),)
S_INFO = ((INFO, _d(150, 0.5)),)
S_INFO_CLOSE = S_INFO + ((CLOSE, _d(3 * _H, 1.0)),)
# Sensors: a gauge alarm is checked in minutes; a glitch is rejected, a repeat merged.
_SV = _d(10 * 60, 0.7)
SENSOR_REJECT = ((REJECT, _SV),)
SENSOR_DUP = ((DUP, _SV),)
SENSOR_WORK = ((VERIFY, _SV), (DISPATCH, _d(20 * 60, 0.7)), (START, _d(2 * _H, 0.8)),
               (RESOLVE, _d(20 * _H, 1.0)))


def default_cities() -> dict[str, float]:
    return {"bandung": 2.0, "semarang": 1.0}


# --- small fast helpers ----------------------------------------------------------------

_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def _uuid4(bits: int) -> str:
    """A version-4 UUID string from 128 random bits (from the seeded RNG)."""
    h = f"{(bits & _UUID_CLEAR) | _UUID_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_UUID7_SET = (0x7000 << 64) | (0x8000 << 48)


def _uuid7(ms: int, bits: int) -> str:
    """A version-7 UUID (RFC 9562): 48-bit Unix milliseconds, then 74 random bits taken
    from ``bits`` (80 random bits from the seeded RNG)."""
    h = f"{(ms << 80) | (bits & _UUID_CLEAR) | _UUID7_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


#: 4096 quantiles of the standard normal distribution: one random() per lognormal delay.
_NORMAL_QUANTILES = tuple(NormalDist().inv_cdf((i + 0.5) / 4096) for i in range(4096))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_HMS = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400))


class _DayText(dict):
    def __missing__(self, day: int) -> str:
        text = self[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat()
        return text


_DAYS = _DayText()


def _ts(us: int) -> str:
    """UTC microseconds since the epoch as the stored text (same as models.to_db)."""
    day, rem = divmod(us, 86_400 * US)
    s, micro = divmod(rem, US)
    return f"{_DAYS[day]} {_HMS[s]}.{micro:06d}"


def _us(dt: datetime) -> int:
    d = dt - _EPOCH
    return (d.days * 86_400 + d.seconds) * US + d.microseconds


class _Sla:
    """Cached access to console.domain.sla.sla_stage per (category, channel, status);
    working-day deadlines per (days, local receipt day), which is all they depend on."""

    def __init__(self) -> None:
        self._stage: dict = {}
        self._wd: dict = {}

    def due_us(self, cat: str, channel: str, status: str, start_us: int) -> int | None:
        key = (cat, channel, status)
        if key in self._stage:
            stage = self._stage[key]
        else:
            stage = self._stage[key] = sla_stage(category(cat), channel, status)
        if stage is None:
            return None
        if stage.minutes is not None:
            return start_us + stage.minutes * 60 * US
        wkey = (stage.working_days, (start_us // US + TZ_OFFSET_S) // 86_400)
        due = self._wd.get(wkey)
        if due is None:
            due = self._wd[wkey] = _us(stage.due(_EPOCH + timedelta(microseconds=start_us)))
        return due


# --- the generator ----------------------------------------------------------------------

@dataclass(eq=False)
class _City:
    key: str
    prefix: str
    bounds: tuple[float, float, float, float]  # min_lat, dlat, min_lon, dlon
    kelurahan: tuple[tuple[str, str, str], ...]  # (code, kelurahan name, kecamatan name)
    streets: tuple[str, ...]
    landmarks: tuple[str, ...]
    rivers: tuple[str, ...]
    ops: tuple[str, ...]
    walk_in_ops: tuple[str, ...]
    actors: dict[str, tuple[str, ...]]  # action -> who does it

    def __post_init__(self) -> None:
        self.n_kel = len(self.kelurahan)
        self.n_streets = len(self.streets)
        self.n_landmarks = len(self.landmarks)
        self.n_rivers = len(self.rivers)


def _city(key: str) -> _City:
    c = CITIES[key]
    b = CITY_BOUNDS[key]
    rows = region_rows(key)
    kec_names = {r["code"]: r["name"] for r in rows if r["level"] == "kecamatan"}
    kel = tuple(
        (r["code"], r["name"], kec_names[r["parent_code"]])
        for r in rows if r["level"] == "kelurahan"
    )
    # The demo kelurahan offices' own kelurahan, repeated so each draws ~1/8 of the
    # city's reports (the draw stays one rand() per report: same stream, other weights).
    homes = [k for k in kel if k[1] in {o.kelurahan for o in DEMO_OPERATORS if o.city == key}]
    if homes:
        kel += tuple(homes) * max(1, len(kel) // (8 - len(homes)) - 1)
    ops = _ops(key, "operator")
    field = ops + _ops(key, "kelurahan")  # the kelurahan starts and resolves much itself
    actors = {str(a): ops for a in Action}
    actors.update({START: field, RESOLVE: field, REOPEN: field,
                   CLOSE: ops + _ops(key, "supervisor")})
    return _City(
        key=key, prefix=c.ticket_prefix,
        bounds=(b.min_lat, b.max_lat - b.min_lat, b.min_lon, b.max_lon - b.min_lon),
        kelurahan=kel, streets=T.STREETS[key], landmarks=T.LANDMARKS[key],
        rivers=T.RIVERS[key], ops=ops, walk_in_ops=_ops(key, "kelurahan") or ops,
        actors=actors,
    )


def _created_times(rng: random.Random, n: int, start_us: int, now_us: int) -> list[int]:
    """n creation instants in [start, now], day/night rhythm in WIB, sorted."""
    hours = _table(dict(enumerate(HOUR_WEIGHTS)))
    first_day = (start_us // US + TZ_OFFSET_S) // 86_400
    last_day = (now_us // US + TZ_OFFSET_S) // 86_400
    ndays = last_day - first_day + 1
    rand = rng.random
    out: list[int] = []
    append = out.append
    while len(out) < n:
        day = first_day + int(rand() * ndays)
        local_s = day * 86_400 + hours[int(rand() * 10_000)] * 3600 + rand() * 3600
        t = int((local_s - TZ_OFFSET_S) * US)
        if start_us <= t <= now_us:
            append(t)
    out.sort()
    return out


def generate(
    n: int,
    *,
    seed: int | str = 1,
    weeks: int = 6,
    now: datetime | None = None,
    cities: Mapping[str, float] | Sequence[str] | None = None,
    chunk: int = 20_000,
    ticket_counters: Mapping[tuple[str, str], int] | None = None,
    ids: str = "v7",
) -> Iterator[Batch]:
    """Yield n demo reports (with their events and dispatches) in batches of ``chunk``.

    ``now`` (aware) is the end of the window, default the current time; ``cities`` maps
    city keys to weights (or lists keys for equal weights). ``ticket_counters`` maps
    ``(prefix, YYMMDD)`` to the last number already used that day, so a second demo run on
    the same database does not reuse ticket numbers. ``ids``: ``'v7'`` or ``'v4'`` (see the
    module docstring).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if weeks <= 0:
        raise ValueError("weeks must be positive")
    if now is None:
        now = datetime.now(UTC)
    elif now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if cities is None:
        cities = default_cities()
    elif not isinstance(cities, Mapping):
        cities = {k: 1.0 for k in cities}
    for k in cities:
        if k not in CITIES or k not in CITY_BOUNDS:
            raise KeyError(f"unknown city {k!r}; known: {', '.join(CITIES)}")
    if not cities:
        raise ValueError("no cities given")

    rng = random.Random(f"posko-demo:{seed}")
    rand = rng.random
    getrandbits = rng.getrandbits
    normal = _NORMAL_QUANTILES
    exp = math.exp
    now_us = _us(now)
    start_us = now_us - weeks * 7 * 86_400 * US
    times = _created_times(rng, n, start_us, now_us)
    # A handful of untriaged calls (one per 20 reports, at most FRESH_112_CALLS) take the
    # place of the newest instants; `fresh` maps their instant to the call's nature.
    n_fresh = min(len(FRESH_112_CALLS), n // 20)
    fresh = {now_us - int(minutes * 60 * US): str(nature)
             for minutes, nature in FRESH_112_CALLS[len(FRESH_112_CALLS) - n_fresh:]}
    if fresh:
        times = sorted(times[:n - len(fresh)] + list(fresh))

    city_objs = {k: _city(k) for k in cities}
    city_tab = _table({city_objs[k]: w for k, w in cities.items()})
    channel_tab = _table({str(c): w for c, w in CHANNEL_WEIGHTS.items()})
    triage_tab = _table({str(t): w for t, w in TRIAGE_112_WEIGHTS.items()})
    citizen_tab = _table(CITIZEN_CATEGORIES)
    walk_in_tab = _table(WALK_IN_CATEGORIES)
    sensor_tab = _table(SENSOR_CATEGORIES)
    emergency_tab = _table(EMERGENCY_112_CATEGORIES)
    prank_tab = _table(PRANK_CLAIMS)
    transitions = {(str(s), str(a)): str(t) for (s, a), t in TRANSITIONS.items()}
    open_statuses = frozenset(str(s) for s in OPEN_STATUSES)
    # Status -> index into [verified_at, dispatched_at, resolved_at, closed_at], from
    # workflow.STAMP_FIELD (the report table has no started_at/reopened_at columns).
    stamp_cols = ["verified_at", "dispatched_at", "resolved_at", "closed_at"]
    stamp = {str(s): stamp_cols.index(f) for s, f in STAMP_FIELD.items() if f in stamp_cols}
    prio_cache: dict = {}
    sla = _Sla()
    counters: dict[tuple[str, str], int] = dict(ticket_counters or {})
    last_by: dict[tuple[str, str], str] = {}  # (city, category) -> latest report id
    cat_names = {c.code: c.name_id.lower() for c in CATEGORIES.values()}
    default_agency = {c.code: c.default_agency for c in CATEGORIES.values()}
    emergency_cat = {c.code: c.emergency for c in CATEGORIES.values()}
    cat_templates = T.CATEGORY_TEMPLATES
    created_detail = {str(c): f'{{"channel": "{c}"}}' for c in Channel}
    first, last, prefixes = T.FIRST_NAMES, T.LAST_NAMES, T.PHONE_PREFIXES
    n_first, n_last, n_prefix = len(first), len(last), len(T.PHONE_PREFIXES)
    ts = _ts
    if ids == "v7":
        clear, set7 = _UUID_CLEAR, _UUID7_SET

        def uid(us: int) -> str:  # _uuid7 inlined: this runs ~4 times per report
            h = f"{((us // 1000) << 80) | (getrandbits(80) & clear) | set7:032x}"
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    elif ids == "v4":
        def uid(us: int) -> str:
            return _uuid4(getrandbits(128))
    else:
        raise ValueError("ids must be 'v7' or 'v4'")

    def phone() -> str:
        if rand() < 0.6:
            return f"{prefixes[int(rand() * n_prefix)]}{int(rand() * 100_000_000):08d}"
        return f"{prefixes[int(rand() * n_prefix)]}{int(rand() * 10_000_000):07d}"

    def person() -> str:
        if rand() < 0.8:
            return first[int(rand() * n_first)] + " " + last[int(rand() * n_last)]
        return first[int(rand() * n_first)]

    def handle(kec: str) -> str:
        tpl = T.SOCIAL_HANDLES[int(rand() * len(T.SOCIAL_HANDLES))]
        return tpl.format(
            first=first[int(rand() * n_first)].lower(), last=last[int(rand() * n_last)].lower(),
            n=int(rand() * 99) + 1, kecs=kec.split()[0].lower(),
        )

    def pick(seq: Sequence):
        return seq[int(rand() * len(seq))]

    def citizen_script(cat: str) -> tuple:
        r = rand()
        if cat == "informasi" and r < 0.7:
            return C_INFO_ANSWER
        if r < 0.19:
            if r < 0.05:
                return C_REJECT
            if r < 0.07:
                return C_V_REJECT
            if r < 0.10:
                return C_NOT_AUTH
            if r < 0.12:
                return C_V_NOT_AUTH
            if r < 0.16:
                return C_DUP
            if r < 0.18:
                return C_V_DUP
            return C_VD_DUP
        if default_agency[cat] is None or rand() < 0.15:
            s = _V + _START + _RES  # the kelurahan fixes it itself
        else:
            s = _V + _DISP
            if rand() < 0.08:
                s += _EXTRA
            if rand() < 0.8:
                s += _START
            s += _RES
        r = rand()
        if r < 0.04:
            return s + _REOPEN
        if r < 0.94:
            return s + _CLOSE
        return s

    def emergency_script() -> tuple:
        r = rand()
        if r < 0.08:
            return E_DUP
        if r < 0.11:
            return E_REJECT
        s = _EV + _E_EXTRA + _E_WORK if rand() < 0.25 else _EV + _E_WORK
        return s + _E_CLOSE if rand() < 0.9 else s

    def sensor_script() -> tuple:
        r = rand()
        if r < 0.12:
            return SENSOR_REJECT
        if r < 0.30:
            return SENSOR_DUP
        return SENSOR_WORK + _CLOSE if rand() < 0.9 else SENSOR_WORK

    step_tables: dict[tuple[str, str, str], dict] = {}
    days, hms = _DAYS, _HMS

    def step_table(city: _City, cat: str, channel: str) -> dict:
        """(status, action) -> (new status, restarts the SLA clock, stamp index, event
        detail, actor pool, pool size) for one category and channel."""
        catdef = category(cat)
        out = {}
        for (st, act), new in transitions.items():
            pool = city.actors[act]
            out[(st, act)] = (
                new, restarts_clock(catdef, channel, st, act),
                None if new == st else stamp.get(new), f'{{"action": "{act}"}}',
                pool, len(pool),
            )
        return out

    batch = Batch()
    reports, events, dispatches = batch.reports, batch.events, batch.dispatches
    for created in times:
        city: _City = city_tab[int(rand() * 10_000)]
        untriaged = fresh.get(created) if fresh else None
        channel = "phone_112" if untriaged else channel_tab[int(rand() * 10_000)]
        triage = reporter = phone_no = None
        suffix = ""
        created_by = SYSTEM_ACTOR
        local_s = created // US + TZ_OFFSET_S
        kel_code, kel, kec = city.kelurahan[int(rand() * city.n_kel)]
        slots = {
            "jalan": city.streets[int(rand() * city.n_streets)],
            "tempat": city.landmarks[int(rand() * city.n_landmarks)],
            "sungai": city.rivers[int(rand() * city.n_rivers)], "no": int(rand() * 180) + 1,
            "rt": f"{int(rand() * 12) + 1:02d}", "rw": f"{int(rand() * 15) + 1:02d}",
            "kel": kel, "kec": kec, "menit": int(rand() * 9) + 2, "kategori": "",
            "jam": f"{local_s // 3600 % 24:02d}.{local_s // 60 % 60:02d}",
        }
        if channel == "phone_112":
            triage = untriaged or triage_tab[int(rand() * 10_000)]
            created_by = pick(city.ops)
            phone_no = phone()
            if triage == "ghost":
                cat = "informasi"
                tpl = pick(T.GHOST_TEMPLATES)
                script = S_GHOST
            elif triage == "prank":
                cat = prank_tab[int(rand() * 10_000)]
                slots["kategori"] = cat_names[cat]
                tpl = pick(T.PRANK_TEMPLATES)
                script = S_PRANK
            elif triage == "information":
                cat = "informasi"
                tpl = pick(cat_templates[cat])
                reporter = person()
                script = S_INFO_CLOSE if rand() < 0.85 else S_INFO
            else:
                cat = emergency_tab[int(rand() * 10_000)]
                tpl = pick(cat_templates[cat])
                if rand() < 0.8:  # some callers will not give a name
                    reporter = person()
                suffix = pick(T.CALL_SUFFIXES)
                script = emergency_script()
        elif channel == "sensor":
            cat = sensor_tab[int(rand() * 10_000)]
            tpl = pick(T.SENSOR_TEMPLATES)
            script = sensor_script()
        else:
            cat = (walk_in_tab if channel == "walk_in" else citizen_tab)[int(rand() * 10_000)]
            tpl = pick(cat_templates[cat])
            if channel == "social":
                reporter = handle(kec)
                created_by = pick(city.ops)
            else:
                reporter = person()
                if channel != "app" or rand() < 0.7:
                    phone_no = phone()
                if channel == "walk_in":
                    created_by = pick(city.walk_in_ops)
                elif channel == "phone" or channel == "whatsapp":
                    created_by = pick(city.ops)
                if channel == "phone":
                    suffix = pick(T.CALL_SUFFIXES)
            script = emergency_script() if emergency_cat[cat] else citizen_script(cat)

        title = tpl[0].format_map(slots)
        description = tpl[1].format_map(slots) + suffix
        if channel == "sensor":
            address = f"{slots['jalan']} (pos pantau), Kel. {kel}, Kec. {kec}"
        elif triage == "ghost":
            address = None  # nobody said where
        else:
            address = (f"{slots['jalan']} No. {slots['no']}, RT {slots['rt']}/RW {slots['rw']}, "
                       f"Kel. {kel}, Kec. {kec}")

        if untriaged:  # the call's words say what it is; the triage is the operator's
            triage, script = None, ()
        pkey = (cat, channel, triage)
        priority = prio_cache.get(pkey)
        if priority is None:
            priority = prio_cache[pkey] = default_priority(cat, channel, triage)

        day_key = (city.prefix, _ticket_day(local_s // 86_400))
        num = counters[day_key] = counters.get(day_key, 0) + 1
        rid = uid(created)
        # Uniform in the city's bounding box, not in the kelurahan: areaid has no
        # coordinates, so a demo point and its region_code do not match geographically.
        b = city.bounds
        created_text = ts(created)
        events.append((uid(created), rid, created_text, created_by, "created",
                       None, None, "new", created_detail[channel]))

        # Walk the script through the workflow table, stopping at now.
        status = "new"
        t = created
        at = created_text
        stamps = [None, None, None, None]  # verified, dispatched, resolved, closed
        agency = duplicate_of = started_at = None
        changes = 0
        stage_start = created
        mine: list[list] | None = None  # this report's dispatch rows
        steps = step_tables.get((city.key, cat, channel))
        if steps is None:
            steps = step_tables[(city.key, cat, channel)] = step_table(city, cat, channel)
        for act, (mu, sigma) in script:
            t2 = t + int(exp(mu + sigma * normal[int(rand() * 4096)]) * US) + 1
            if t2 > now_us:
                break
            step = steps.get((status, act))
            if step is None:  # KeyError would be a generator bug; this is the one
                raise AssertionError(f"illegal demo step {status} -{act}->")
            new, restarts_stage, stamp_i, det, pool, n_pool = step
            if act == DUP:
                duplicate_of = last_by.get((city.key, cat))
                if duplicate_of is None:  # nothing earlier to merge into: reject instead
                    step = steps.get((status, REJECT))
                    if step is None:
                        continue
                    act = REJECT
                    new, restarts_stage, stamp_i, det, pool, n_pool = step
                else:
                    det = f'{{"action": "{act}", "duplicate_of": "{duplicate_of}"}}'
            t = t2
            day, rem = divmod(t, DAY_US)
            sec, micro = divmod(rem, US)
            at = f"{days[day]} {hms[sec]}.{micro:06d}"
            actor = pool[int(rand() * n_pool)]
            if act == DISPATCH:
                ag = default_agency[cat] if agency is None else SECOND_AGENCY.get(cat, "kecamatan")
                if agency is None:
                    agency = ag
                det = f'{{"action": "dispatch", "agency": "{ag}"}}'
                exp_due = sla.due_us(cat, channel, "dispatched", t)
                row = [uid(t), rid, ag, at, actor, pick(DISPATCH_NOTES),
                       None if exp_due is None else ts(exp_due), None]
                if mine is None:
                    mine = [row]
                else:
                    mine.append(row)
            elif act == START:
                started_at = at
            if restarts_stage:
                stage_start = t
            if new == status:  # a further agency; the status stays
                events.append((uid(t), rid, at, actor, "dispatch", None, None, ag, det))
            else:
                events.append((uid(t), rid, at, actor, "status", "status", status, new, det))
                # First entry stamps; a resolve after a reopen stamps again, as
                # workflow.stamp_field says.
                if stamp_i is not None and (stamps[stamp_i] is None or new == "resolved"):
                    stamps[stamp_i] = at
                status = new
            changes += 1
        if mine is not None:
            for d in mine:
                if started_at is not None and started_at >= d[3]:
                    d[7] = started_at  # the agency acknowledged by starting work
                dispatches.append(tuple(d))

        sla_due = None
        if status in open_statuses:
            due = sla.due_us(cat, channel, status, stage_start)
            if due is not None:
                sla_due = ts(due)

        reports.append((
            rid, f"{day_key[0]}-{day_key[1]}-{num:05d}", channel, cat, priority, status,
            triage, title, description, reporter, phone_no,
            round(b[0] + rand() * b[1], 6), round(b[2] + rand() * b[3], 6), address, kel_code,
            created_text, at, stamps[0], stamps[1], stamps[2], stamps[3], sla_due, agency,
            duplicate_of, 1 + changes, created_by,
        ))
        last_by[(city.key, cat)] = rid
        if len(reports) >= chunk:
            yield batch
            batch = Batch()
            reports, events, dispatches = batch.reports, batch.events, batch.dispatches
    if reports:
        yield batch


@lru_cache(maxsize=8192)
def _ticket_day(local_day: int) -> str:
    return date.fromordinal(_EPOCH_ORDINAL + local_day).strftime("%y%m%d")
