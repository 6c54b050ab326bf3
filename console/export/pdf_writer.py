"""The shift report as an A4 PDF (reportlab platypus).

Tables repeat their header row on every page they run over; each page carries the
report's title, region and window on top and "page x of y" with the generation time at
the bottom. Cells hold plain strings except where text must wrap (titles, notes), which
keeps a few thousand rows fast. User text is escaped before reportlab's mini-markup sees
it and capped so that no single cell can be taller than a page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from console.export import charts
from console.export.i18n import Words
from console.export.model import Col, Kind, Percent, ShiftReport
from console.export.model import Table as DataTable
from console.export.safety import xml_text
from console.paths import resource

MARGIN = 14 * mm
PDF_CELL_CHARS = 1200  # a longer note is cut in the PDF (the XLSX has it whole)
FONT, BOLD = "PoskoSans", "PoskoSans-Bold"
HEADER_BG = colors.HexColor("#1F3A5F")
ZEBRA = colors.HexColor("#F2F5F9")
GRID = colors.HexColor("#C9D1DB")
_FONT_CANDIDATES = [
    # A font with wide Unicode coverage first; reportlab's bundled Vera as the fallback
    # that always exists.
    (resource("fonts", "DejaVuSans.ttf"), resource("fonts", "DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
    (Path("/usr/share/fonts/TTF/DejaVuSans.ttf"), Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf")),
    (Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts" / "arial.ttf",
     Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts" / "arialbd.ttf"),
    (Path("/Library/Fonts/Arial.ttf"), Path("/Library/Fonts/Arial Bold.ttf")),
]
_fonts_ready = False


def _register_fonts() -> None:
    global _fonts_ready
    if _fonts_ready:
        return
    import reportlab

    bundled = Path(reportlab.__file__).parent / "fonts"
    candidates = _FONT_CANDIDATES + [(bundled / "Vera.ttf", bundled / "VeraBd.ttf")]
    for regular, bold in candidates:
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            from reportlab.lib.fonts import addMapping

            addMapping(FONT, 0, 0, FONT)
            addMapping(FONT, 1, 0, BOLD)
            addMapping(FONT, 0, 1, FONT)
            addMapping(FONT, 1, 1, BOLD)
            _fonts_ready = True
            return
    raise RuntimeError("no TrueType font found for the PDF (not even reportlab's Vera)")


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=13,
                                   textColor=colors.HexColor("#444444"), spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=BOLD, fontSize=11, leading=14, spaceBefore=10,
                             spaceAfter=4, textColor=HEADER_BG),
        "body": ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=7, leading=9,
                               textColor=colors.HexColor("#555555"), spaceBefore=2),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=8.6),
        "cell_r": ParagraphStyle("cell_r", fontName=FONT, fontSize=7, leading=8.6,
                                 alignment=TA_RIGHT),
        "head": ParagraphStyle("head", fontName=BOLD, fontSize=7, leading=8.6,
                               textColor=colors.white),
        "head_r": ParagraphStyle("head_r", fontName=BOLD, fontSize=7, leading=8.6,
                                 textColor=colors.white, alignment=TA_RIGHT),
        "warn": ParagraphStyle("warn", fontName=BOLD, fontSize=8.5, leading=11,
                               textColor=colors.HexColor("#B71C1C")),
    }


def _safe(text: str, limit: int = PDF_CELL_CHARS) -> str:
    text = xml_text(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return escape(text).replace("\n", "<br/>")


class _NumberedCanvas(rl_canvas.Canvas):
    """Draws 'page x of y' once the total is known (pages are kept until save)."""

    def __init__(self, *args, decorate: Callable, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._decorate = decorate

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(self, total)
            super().showPage()
        super().save()


def _number_text(w: Words, value: object, kind: Kind, ref_year: int | None = None) -> str:
    if value is None or value == "":
        return "–" if kind in (Kind.PCT, Kind.MINUTES, Kind.DATETIME) else ""
    if kind is Kind.AUTO:
        if isinstance(value, Percent):
            kind = Kind.PCT
        elif isinstance(value, datetime):
            kind = Kind.DATETIME
        elif isinstance(value, int) and not isinstance(value, bool):
            kind = Kind.INT
        else:
            return str(value)
    if kind is Kind.INT:
        return w.int(int(value))
    if kind is Kind.PCT:
        return w.pct(float(value))
    if kind is Kind.MINUTES:
        return w.minutes(float(value))
    if kind is Kind.FLOAT:
        return w.num(float(value))
    if kind is Kind.DATETIME:
        return w.datetime_short(value, ref_year) if ref_year else w.datetime(value)
    return str(value)


_NUMERIC = (Kind.INT, Kind.PCT, Kind.MINUTES, Kind.FLOAT)
CELL_FONT_SIZE = 7
CELL_PAD = 3


def _table_flowable(w: Words, t: DataTable, width: float, st: dict, *, ref_year: int,
                    keep: bool = True) -> list:
    rows = t.rows if t.stream is None else list(t.iter_rows())
    shown = rows if t.pdf_limit is None else rows[: t.pdf_limit]
    out: list = [Paragraph(escape(t.title), st["h2"])]
    if not shown:
        out.append(Paragraph(escape(w("doc.none")), st["body"]))
        return [KeepTogether(out)] if keep else out
    picked = [(i, c) for i, c in enumerate(t.columns) if c.pdf]
    cols: list[Col] = [c for _, c in picked]
    weights = sum(c.width for c in cols)
    widths = [width * c.width / weights for c in cols]
    header = [Paragraph(escape(c.header), st["head_r"] if c.kind in _NUMERIC else st["head"])
              for c in cols]
    data = [header]
    string_width = pdfmetrics.stringWidth
    for row in shown:
        cells = []
        for (i, col), col_width in zip(picked, widths, strict=True):
            value = row[i]
            numeric = col.kind in _NUMERIC or col.kind is Kind.DATETIME or (
                col.kind is Kind.AUTO and not isinstance(value, str))
            if numeric:
                text = _number_text(w, value, col.kind, ref_year)
            else:
                text = xml_text("" if value is None else str(value))
            # Plain strings are fast but never wrap; wrap only what would not fit.
            if "\n" in text or string_width(text, FONT, CELL_FONT_SIZE) > col_width - 2 * CELL_PAD:
                style = st["cell_r"] if col.kind in _NUMERIC else st["cell"]
                cells.append(Paragraph(_safe(text), style))
            else:
                cells.append(text)
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, CELL_FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), 8.6),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    for i, col in enumerate(cols):
        if col.kind in _NUMERIC:
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if t.key == "sla":  # the total row
        style.append(("FONT", (0, len(data) - 1), (-1, len(data) - 1), BOLD, CELL_FONT_SIZE))
    table.setStyle(TableStyle(style))
    out.append(table)
    if len(rows) > len(shown):
        out.append(Paragraph(escape(w("doc.more_rows", n=w.int(len(rows) - len(shown)))), st["note"]))
    if t.note:
        out.append(Paragraph(escape(t.note), st["note"]))
    if keep and len(shown) <= 25:
        return [KeepTogether(out)]
    return out


def _kv_table(w: Words, pairs: list[tuple[str, object]], width: float, st: dict,
              highlight: set[int] = frozenset()) -> Table:
    data = []
    for label, value in pairs:
        text = _number_text(w, value, Kind.AUTO) if not isinstance(value, str) else value
        data.append([Paragraph(escape(label), st["cell"]), Paragraph(_safe(text), st["cell"])])
    table = Table(data, colWidths=[width * 0.38, width * 0.62], hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    for i in highlight:
        style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#FFEBEE")))
    table.setStyle(TableStyle(style))
    return table


def _figures_table(w: Words, figures: list[tuple[str, object]], width: float, st: dict) -> Table:
    """Key figures as a grid of boxes: big number, small label."""
    big = ParagraphStyle("big", fontName=BOLD, fontSize=14, leading=17, textColor=HEADER_BG)
    cells = [[Paragraph(escape(_number_text(w, v, Kind.AUTO) if v is not None else "–"), big),
              Paragraph(escape(label), st["note"])] for label, v in figures]
    per_row = 3
    grid = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    while len(grid[-1]) < per_row:
        grid[-1].append("")
    table = Table(grid, colWidths=[width / per_row] * per_row, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.5, GRID), ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def write_pdf(report: ShiftReport, f: BinaryIO, *,
              tick: Callable[[int], None] | None = None) -> int:
    """Write the PDF to the binary file ``f``; return the number of pages."""
    _register_fonts()
    w = report.words
    st = _styles()
    page_w, page_h = A4
    width = page_w - 2 * MARGIN - 12  # the frame pads 6 pt on each side
    title = w("doc.title")
    window = w.window(report.start, report.end)
    generated = w.datetime(report.generated_at)

    def decorate(c: rl_canvas.Canvas, total: int) -> None:
        c.saveState()
        c.setFont(FONT, 7.5)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(MARGIN, page_h - MARGIN + 12, f"Posko · {title} · {report.region_name}")
        c.drawRightString(page_w - MARGIN, page_h - MARGIN + 12, window)
        c.setStrokeColor(GRID)
        c.line(MARGIN, page_h - MARGIN + 8, page_w - MARGIN, page_h - MARGIN + 8)
        c.line(MARGIN, MARGIN - 8, page_w - MARGIN, MARGIN - 8)
        c.drawString(MARGIN, MARGIN - 18, f"{w('doc.generated_at')}: {generated} {w('doc.tz')}")
        c.drawRightString(page_w - MARGIN, MARGIN - 18,
                          w("doc.page", page=c.getPageNumber(), total=total))
        c.restoreState()

    story: list = [
        Paragraph(escape(title), st["title"]),
        Paragraph(escape(f"{report.region_name} · {window}"), st["subtitle"]),
    ]
    meta = []
    highlight = set()
    for i, (label, value) in enumerate(report.meta):
        if isinstance(value, datetime):
            value = f"{w.datetime(value, seconds=True)} {w('doc.tz')}"
        meta.append((label, value))
        if report.unmasked and label == w("doc.personal_data"):
            highlight.add(i)
    story.append(_kv_table(w, meta, width, st, highlight))
    story.append(Paragraph(escape(w("doc.key_figures")), st["h2"]))
    story.append(_figures_table(w, report.key_figures, width, st))
    if tick:
        tick(10)

    if report.total == 0:
        story.append(Spacer(1, 8))
        story.append(Paragraph(escape(w("doc.empty")), st["warn"]))
    else:
        story.append(Paragraph(escape(w("doc.charts")), st["h2"]))
        story.append(charts.volume_chart(w, report.charts.volume, report.charts.bucket, width,
                                         FONT, BOLD))
        half = (width - 10) / 2
        pair = Table([[charts.category_chart(w, report.charts.categories, half, FONT, BOLD),
                       charts.sla_chart(w, report.charts.sla, half, FONT, BOLD)]],
                     colWidths=[half + 5, half + 5])
        pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(pair)
    if report.map_png:
        story.append(Paragraph(escape(w("doc.map")), st["h2"]))
        img = Image(BytesIO(report.map_png))
        scale = min(width / img.imageWidth, (page_h * 0.45) / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        story.append(img)
        if report.map_note:
            story.append(Paragraph(escape(report.map_note), st["note"]))
    if tick:
        tick(30)

    by_key = {t.key: t for t in report.tables}
    ref_year = w.local(report.end).year
    # Small tables side by side, the rest full width.
    gap = 12
    half = (width - gap) / 2
    for left, right in (("status", "channel"), ("call_mix", "durations")):
        pair = Table([[_table_flowable(w, by_key[left], half, st, ref_year=ref_year, keep=False),
                       _table_flowable(w, by_key[right], half, st, ref_year=ref_year, keep=False)]],
                     colWidths=[half + gap, half], hAlign="LEFT")
        pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        story.append(pair)
    for key in ("sla", "category", "kecamatan", "kelurahan", "open_p1", "breaches", "shifts",
                "handovers"):
        story.extend(_table_flowable(w, by_key[key], width, st, ref_year=ref_year))
    if tick:
        tick(60)

    doc = SimpleDocTemplate(
        f, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 6,
        bottomMargin=MARGIN + 4, title=f"{title} — {report.region_name}",
        author="Posko", subject=window, creator="Posko", lang="id-ID" if w.lang == "id" else "en",
    )
    def make_canvas(*args, **kwargs):
        return _NumberedCanvas(*args, decorate=decorate, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return doc.page
