"""What a shift report is made of, independent of the file format.

``data.collect`` fills a :class:`ShiftReport` with typed :class:`Table` s (ints are ints,
times are aware UTC datetimes, shares are fractions); the PDF, XLSX and CSV writers only
decide how each kind looks. So every format shows the same figures, and a test that reads
one format back checks them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from console.export.i18n import Words


class Kind(StrEnum):
    TEXT = "text"          # user-written text: escaped in PDF, never a formula in XLSX/CSV
    LABEL = "label"        # our own words (still treated as text)
    INT = "int"
    FLOAT = "float"
    PCT = "pct"            # a fraction 0..1, shown as a percentage
    MINUTES = "minutes"    # a duration in minutes (a number in XLSX/CSV)
    DATETIME = "datetime"  # aware UTC; shown in the report's zone (WIB)
    AUTO = "auto"          # per cell, from the value's type (summary sheets)


class Percent(float):
    """A fraction that a Kind.AUTO cell shows as a percentage."""


def auto_kind(value: object) -> Kind:
    """What a Kind.AUTO cell holds, from its value's type (a bool is a word, not 1/0)."""
    if isinstance(value, Percent):
        return Kind.PCT
    if isinstance(value, bool | str):
        return Kind.LABEL
    if isinstance(value, int):
        return Kind.INT
    if isinstance(value, float):
        return Kind.FLOAT
    if isinstance(value, datetime):
        return Kind.DATETIME
    return Kind.LABEL


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: Kind = Kind.LABEL
    width: float = 1.0       # relative width in the PDF
    wrap: bool = False       # wrap long text in the PDF (a Paragraph)
    xlsx_width: float | None = None
    unit: str | None = None  # shown in XLSX/CSV headers ("Median (menit)"); the PDF
                             # writes values with their units ("2 jam 9 mnt")
    pdf: bool = True         # False: XLSX/CSV only (codes, ids, secondary columns)

    @property
    def full_header(self) -> str:
        return f"{self.header} ({self.unit})" if self.unit else self.header


@dataclass
class Table:
    key: str          # stable id: CSV --table, tests
    title: str
    sheet: str        # XLSX sheet name (<= 31 characters)
    columns: list[Col]
    rows: list[tuple] = field(default_factory=list)
    #: For big tables (the report list): a fresh iterator over the rows, read while the
    #: writer needs them instead of being held in memory.
    stream: Callable[[], Iterator[tuple]] | None = None
    in_pdf: bool = True
    pdf_limit: int | None = None
    note: str | None = None
    #: Reports whose reporter name/phone appear unmasked in this table (streamed tables
    #: fill it while they are read); the export records them in their timelines.
    personal_ids: set[str] = field(default_factory=set)

    def iter_rows(self) -> Iterator[tuple]:
        if self.stream is not None:
            return self.stream()
        return iter(self.rows)


@dataclass
class Charts:
    bucket: str = "hour"                                   # hour | day
    volume: list[tuple[datetime, int]] = field(default_factory=list)
    categories: list[tuple[str, int]] = field(default_factory=list)
    #: (stage label, met, breached, running)
    sla: list[tuple[str, int, int, int]] = field(default_factory=list)


@dataclass
class ExportRequest:
    start: datetime
    end: datetime
    fmt: str                                  # pdf | xlsx | csv
    out: Path
    region: str | None = None
    lang: str = "id"
    unmask: bool = False
    actor: str | None = None                  # username of whoever exports
    table: str = "reports"                    # which table a CSV holds
    csv_delimiter: str = ","
    map_png: bytes | Path | None = None       # a ready map image; None: drawn from the data
    mbtiles: Path | str | None = None         # base map under the drawn map (PDF), if any
    tz: str = "Asia/Jakarta"
    now: datetime | None = None               # fixed "now" for tests


@dataclass
class ShiftReport:
    words: Words
    start: datetime
    end: datetime
    region_code: str | None
    region_name: str
    generated_at: datetime
    data_as_of: datetime
    last_sync: datetime | None
    actor: str | None
    actor_name: str | None
    unmasked: bool
    total: int
    meta: list[tuple[str, object]]
    key_figures: list[tuple[str, object]]
    tables: list[Table]
    charts: Charts
    map_png: bytes | None = None
    map_note: str | None = None  # under the map: what it shows (drawn, without coordinates)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)
