"""XLSX: a sheet per table, frozen bold headers, real types, text never a formula.

openpyxl builds the workbook — sheets, header rows, column widths, frozen panes, filters,
the style table — with one header row per sheet and a few template cells whose styles
(date, percentage, one-decimal number, quote-prefixed text) we need. The data rows are
then streamed into each sheet's ``<sheetData>`` by :class:`_RowWriter` while the package is
copied into the output zip.

Why not openpyxl for the rows too: even in write-only mode openpyxl builds and serialises
an element per cell, about 3,000 rows/s for our 22-column report list on the target
machines, while a supervisor's 30-day export of a busy city is 100,000 rows. Rows written
here follow the same SpreadsheetML openpyxl writes, and every test reads them back with
openpyxl.

Types: numbers are numbers, times are Excel date serials in the report's zone (WIB,
Excel has no time zones) with a date format, percentages are fractions with a ``0.0%``
format. Every piece of text is an inline string (``t="inlineStr"``), which Excel shows
as-is and never evaluates; text that *looks* like a formula (``=``, ``+``, ``-``, ``@``…)
also gets the quote-prefix style, so editing the cell later keeps it text.
"""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from typing import BinaryIO
from xml.sax.saxutils import escape

from console.export.model import Col, Kind, ShiftReport, Table, auto_kind
from console.export.output import ExportCancelled, ExportError
from console.export.safety import EXCEL_MAX_CHARS, looks_like_formula, xml_text

EXCEL_MAX_ROWS = 1_048_576
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
CHUNK_ROWS = 500
PROGRESS_EVERY = 2000
_STYLE_PROBES = ("dt", "pct", "num", "quote")
_HEADER_END = "</row>"
_NEEDS_ESCAPE = re.compile(r"[&<>]")
_NEEDS_PRESERVE = re.compile(r"^\s|\s$|[\n\t]")


def _column_letter(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(65 + rem) + name
    return name


def _default_width(col: Col) -> float:
    if col.xlsx_width:
        return col.xlsx_width
    base = {Kind.DATETIME: 17, Kind.INT: 11, Kind.PCT: 12, Kind.MINUTES: 14,
            Kind.FLOAT: 12}.get(col.kind, 16)
    return max(base, min(len(col.full_header) + 3, 40))


def _template_workbook(report: ShiftReport, tables: list[Table]) -> tuple[bytes, dict[str, int]]:
    """The workbook without data rows, and the style index of each probe style."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    wb.remove(wb.active)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F3A5F")
    header_align = Alignment(vertical="center", wrap_text=True)
    header_border = Border(bottom=Side(style="thin", color="000000"))
    used: set[str] = set()
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.sheet, used))
        for ci, col in enumerate(t.columns, 1):
            cell = ws.cell(row=1, column=ci, value=xml_text(col.full_header))
            cell.data_type = "s"
            cell.font, cell.fill = header_font, header_fill
            cell.alignment, cell.border = header_align, header_border
            ws.column_dimensions[_column_letter(ci - 1)].width = _default_width(col)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{_column_letter(len(t.columns) - 1)}1"
    # Probe cells (first sheet, rows 2..): they fix the style ids; the rows are dropped.
    probe = wb.worksheets[0]
    probe.cell(row=2, column=1, value=datetime(2000, 1, 1)).number_format = DATETIME_FORMAT
    probe.cell(row=3, column=1, value=0.5).number_format = "0.0%"
    probe.cell(row=4, column=1, value=0.5).number_format = "0.0"
    quote = probe.cell(row=5, column=1, value="x")
    quote.data_type = "s"
    quote.quotePrefix = True
    wb.properties.creator = "Posko"
    wb.properties.title = f"{report.words('doc.title')} — {report.region_name}"
    buf = BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    with zipfile.ZipFile(BytesIO(data)) as z:
        sheet1 = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    styles: dict[str, int] = {}
    for name, row in zip(_STYLE_PROBES, (2, 3, 4, 5), strict=True):
        m = re.search(rf'<c r="A{row}"[^>]*?\ss="(\d+)"', sheet1)
        if m is None:
            raise RuntimeError(f"openpyxl wrote no style for the {name} probe")
        styles[name] = int(m.group(1))
    return data, styles


def _sheet_name(name: str, used: set[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, i = clean, 2
    while candidate.lower() in used:
        suffix = f" ({i})"
        candidate = clean[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate.lower())
    return candidate


_SPECIAL = re.compile("[\x00-\x1f&<>\ud800-\udfff\ufffe\uffff]")
_FORMULA_FIRST = frozenset("=+-@\t\r \n\u00a0")
_DAY_S = 86400.0
_EXCEL_EPOCH_S = -2209161600.0  # 1899-12-30T00:00Z as a Unix timestamp


class _RowWriter:
    """SpreadsheetML ``<row>`` elements for typed rows, fast.

    One formatter per column, chosen once from its kind; the text of a label column (our
    own words: a few dozen distinct values) is escaped once and cached."""

    def __init__(self, columns: list[Col], styles: dict[str, int], tz) -> None:
        self.letters = [_column_letter(i) for i in range(len(columns))]
        self.dt = f' s="{styles["dt"]}"'
        self.pct = f' s="{styles["pct"]}"'
        self.num = f' s="{styles["num"]}"'
        self.quote = f' s="{styles["quote"]}"'
        self.tz = tz
        self._offsets: dict[int, float] = {}
        pick = {Kind.TEXT: self._text_cell, Kind.LABEL: self._label_cell,
                Kind.DATETIME: self._datetime_cell, Kind.INT: self._int_cell,
                Kind.PCT: self._pct_cell, Kind.MINUTES: self._num_cell,
                Kind.FLOAT: self._num_cell, Kind.AUTO: self._auto_cell}
        self.cells = [pick[c.kind] for c in columns]
        self._labels: list[dict[str, str]] = [{} for _ in columns]

        self.row = self._compile()

    def _compile(self):
        """A ``row(r, values, append)`` specialised to these columns: it appends the row's
        XML pieces to a chunk (no per-row join).

        Generated once per sheet: the column loop unrolled, each cell one f-string. The
        generated code contains only column letters and indexes, never data."""
        src = ["def row(r, v, a):", "    s = str(r)", "    a(f'<row r=\"{s}\">')"]
        env: dict = {"text": self._text_cell, "label": self._label_tail, "O": self._offsets,
                     "off": self._offset, "DTS": self.dt, "EPOCH": _EXCEL_EPOCH_S,
                     "MAXC": EXCEL_MAX_CHARS, "FF": _FORMULA_FIRST, "SP": _SPECIAL.search}
        for i, (letter, cell) in enumerate(zip(self.letters, self.cells, strict=True)):
            ref = letter + "{s}"
            src.append(f"    x = v[{i}]")
            src.append("    if x is not None and x != '':")
            if cell == self._label_cell:
                env[f"L{i}"] = self._labels[i]
                src.append(f"        t = L{i}.get(x)")
                src.append(f"        if t is None: t = label({i}, x)")
                src.append("        if t: a(f'<c r=\"" + ref + "{t}')")
            elif cell == self._text_cell:
                src.append("        if (x.__class__ is str and len(x) <= MAXC and x[0] not in FF"
                           " and not x[-1].isspace() and SP(x) is None):")
                src.append("            a(f'<c r=\"" + ref
                           + "\" t=\"inlineStr\"><is><t>{x}</t></is></c>')")
                src.append("        else: a(text(f'" + ref + "', x))")
            elif cell == self._int_cell:
                src.append("        a(f'<c r=\"" + ref + "\"><v>{int(x)}</v></c>')")
            elif cell == self._datetime_cell:
                src.append("        ts = x.timestamp()")
                src.append("        o = O.get(ts // 3600)")
                src.append("        if o is None: o = off(x, ts)")
                src.append("        a(f'<c r=\"" + ref
                           + "\"{DTS}><v>{(ts + o - EPOCH) / 86400.0:.8f}</v></c>')")
            else:
                env[f"C{i}"] = cell
                src.append(f"        a(C{i}(f'" + ref + f"', x, {i}))")
        src.append("    a('</row>')")
        exec(compile("\n".join(src), "<xlsx row writer>", "exec"), env)  # noqa: S102
        return env["row"]

    # --- one formatter per kind ---------------------------------------------------------

    def _text_cell(self, ref: str, value, _i: int = 0) -> str:
        text = value if isinstance(value, str) else str(value)
        if (_SPECIAL.search(text) is None and len(text) <= EXCEL_MAX_CHARS
                and text[0] not in _FORMULA_FIRST and not text[-1].isspace()):
            return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'
        return self._slow_text(ref, text)

    def _slow_text(self, ref: str, text: str) -> str:
        text = xml_text(text)
        if not text:
            return ""
        style = self.quote if looks_like_formula(text) else ""
        if _NEEDS_ESCAPE.search(text):
            text = escape(text)
        space = ' xml:space="preserve"' if _NEEDS_PRESERVE.search(text) else ""
        return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'

    def _label_tail(self, i: int, value) -> str:
        """The cell XML after ``<c r="A1`` for a label, escaped once and cached."""
        cache = self._labels[i]
        tail = cache.get(value)
        if tail is None:
            cell = self._text_cell("\0", value)
            tail = cell[cell.index("\0") + 1:] if cell else ""
            if len(cache) < 5000:
                cache[value] = tail
        return tail

    def _label_cell(self, ref: str, value, i: int) -> str:
        tail = self._label_tail(i, value)
        return f'<c r="{ref}{tail}' if tail else ""

    def _offset(self, value: datetime, ts: float) -> float:
        """Seconds east of UTC in the report's zone at ``value``, cached per hour."""
        offset = value.astimezone(self.tz).utcoffset().total_seconds()
        self._offsets[ts // 3600] = offset
        return offset

    def _datetime_cell(self, ref: str, value, _i: int = 0) -> str:
        ts = value.timestamp()
        offset = self._offsets.get(ts // 3600)
        if offset is None:
            offset = self._offset(value, ts)
        return f'<c r="{ref}"{self.dt}><v>{(ts + offset - _EXCEL_EPOCH_S) / _DAY_S:.8f}</v></c>'

    def _int_cell(self, ref: str, value, _i: int = 0) -> str:
        return f'<c r="{ref}"><v>{int(value)}</v></c>'

    def _pct_cell(self, ref: str, value, _i: int = 0) -> str:
        return f'<c r="{ref}"{self.pct}><v>{float(value)!r}</v></c>'

    def _num_cell(self, ref: str, value, _i: int = 0) -> str:
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            return ""
        return f'<c r="{ref}"{self.num}><v>{number!r}</v></c>'

    def _auto_cell(self, ref: str, value, i: int) -> str:
        kind = auto_kind(value)
        if kind is Kind.LABEL:
            return self._text_cell(ref, value)
        return {Kind.DATETIME: self._datetime_cell, Kind.INT: self._int_cell,
                Kind.PCT: self._pct_cell}.get(kind, self._num_cell)(ref, value, i)



def _fix_filter_names(xml: str, tables: list[Table], last_rows: list[int]) -> str:
    """Point each sheet's hidden ``_xlnm._FilterDatabase`` name at its whole table."""
    def repl(m: re.Match) -> str:
        i = int(m.group(1))
        last_col = _column_letter(len(tables[i].columns) - 1)
        return f"{m.group(0).split('!')[0]}!$A$1:${last_col}${last_rows[i]}"

    return re.sub(r'localSheetId="(\d+)"[^>]*>[^<]*?![$A-Z0-9:]+', repl, xml)


class _Background:
    """Writes a zip entry from a worker thread. zlib and the disk release the GIL, so
    compressing one chunk overlaps with building the next rows. An error in the worker
    (a full disk) surfaces at the next write or at close."""

    def __init__(self, dest: BinaryIO) -> None:
        self._dest = dest
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="posko-xlsx-zip", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            if self._error is None:
                try:
                    self._dest.write(chunk)
                except BaseException as exc:  # handed to the producer
                    self._error = exc

    def write(self, chunk: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(chunk)

    def abort(self) -> None:
        """Stop the worker after an error elsewhere; its own error (if any) is dropped."""
        if self._thread.is_alive():
            self._error = self._error or RuntimeError("aborted")
            self._queue.put(None)
            self._thread.join()

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def write_xlsx(report: ShiftReport, f: BinaryIO, *, tables: list[Table] | None = None,
               tick: Callable[[int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> int:
    """Write the workbook to the binary file ``f``; return the data rows written."""
    tables = report.tables if tables is None else tables
    lang = report.words.lang
    if report.total >= EXCEL_MAX_ROWS:
        raise ExportError("too_many_rows", lang, n=report.words.int(report.total))
    template, styles = _template_workbook(report, tables)
    done = 0
    with zipfile.ZipFile(BytesIO(template)) as zin, \
            zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        sheets = sorted((n for n in zin.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                        key=lambda n: int(re.search(r"(\d+)\.xml$", n).group(1)))
        if len(sheets) != len(tables):
            raise RuntimeError("openpyxl wrote an unexpected set of sheets")
        sheet_table = dict(zip(sheets, tables, strict=True))
        last_rows: list[int] = []
        # Sheets first: the workbook part, written after them, names each sheet's filter
        # range, which is known only once its rows are written.
        # ([Content_Types].xml stays first, as every writer puts it.)
        infos = sorted(zin.infolist(), key=lambda i: (i.filename != "[Content_Types].xml",
                                                      i.filename not in sheet_table))
        for info in infos:
            if info.filename not in sheet_table:
                data = zin.read(info.filename)
                if info.filename == "xl/workbook.xml":
                    data = _fix_filter_names(data.decode("utf-8"), tables, last_rows).encode("utf-8")
                zout.writestr(info, data)
                continue
            table = sheet_table[info.filename]
            xml = zin.read(info.filename).decode("utf-8")
            head_end = xml.index(_HEADER_END, xml.index("<sheetData>")) + len(_HEADER_END)
            tail_start = xml.index("</sheetData>")
            prefix = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", "", xml[:head_end])
            suffix = xml[tail_start:]
            writer = _RowWriter(table.columns, styles, report.words.tz)
            # Opened by name so the entry gets the archive's fast compression level.
            with zout.open(info.filename, "w", force_zip64=table.stream is not None) as entry:
                dest = _Background(entry) if table.stream is not None else entry
                try:
                    dest.write(prefix.encode("utf-8"))
                    r = 1
                    chunk: list[str] = []
                    row, add, in_chunk = writer.row, chunk.append, 0
                    for values in table.iter_rows():
                        r += 1
                        if r > EXCEL_MAX_ROWS:
                            raise ExportError("too_many_rows", lang, n=report.words.int(r))
                        row(r, values, add)
                        in_chunk += 1
                        if in_chunk >= CHUNK_ROWS:
                            dest.write("".join(chunk).encode("utf-8"))
                            chunk.clear()
                            in_chunk = 0
                            done += CHUNK_ROWS
                            if cancelled is not None and cancelled():
                                raise ExportCancelled(lang)
                            if tick is not None and done % PROGRESS_EVERY < CHUNK_ROWS:
                                tick(done)
                    if chunk:
                        dest.write("".join(chunk).encode("utf-8"))
                        done += in_chunk
                    last_col = _column_letter(len(table.columns) - 1)
                    suffix = re.sub(r'<autoFilter ref="[^"]*"',
                                    f'<autoFilter ref="A1:{last_col}{r}"', suffix)
                    dest.write(suffix.encode("utf-8"))
                except BaseException:
                    if dest is not entry:
                        dest.abort()
                    raise
                if dest is not entry:
                    dest.close()
                last_rows.append(r)
    return done
