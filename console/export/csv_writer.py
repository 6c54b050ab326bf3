"""CSV: one table per file, UTF-8 with a BOM (so Excel reads the accents right), every
text cell that a spreadsheet could take for a formula prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import BinaryIO

from console.export.model import Kind, ShiftReport, Table, auto_kind
from console.export.safety import neutralise_csv

PROGRESS_EVERY = 2000


def write_csv(report: ShiftReport, table: Table, f: BinaryIO, *, delimiter: str = ",",
              tick: Callable[[int], None] | None = None) -> int:
    """Write ``table`` to the binary file ``f``; return the number of data rows."""
    w = report.words
    text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="", write_through=False)
    try:
        out = csv.writer(text, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        out.writerow([neutralise_csv(c.full_header) for c in table.columns])
        kinds = [c.kind for c in table.columns]
        tz = w.tz
        n = 0
        for row in table.iter_rows():
            out.writerow([_cell(v, k, tz) for v, k in zip(row, kinds, strict=True)])
            n += 1
            if tick is not None and n % PROGRESS_EVERY == 0:
                tick(n)
        text.flush()
    finally:
        text.detach()  # the caller owns (and closes) the binary file
    return n


def _cell(value: object, kind: Kind, tz) -> str:
    if value is None:
        return ""
    if kind is Kind.AUTO:
        kind = auto_kind(value)
    if kind is Kind.DATETIME:
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
    if kind is Kind.PCT:
        return f"{float(value) * 100:.1f}"  # type: ignore[arg-type]
    if kind in (Kind.MINUTES, Kind.FLOAT):
        return f"{float(value):.1f}"  # type: ignore[arg-type]
    if kind is Kind.INT:
        return str(int(value))  # type: ignore[call-overload]
    return neutralise_csv(str(value))

