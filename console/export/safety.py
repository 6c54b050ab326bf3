"""Making exported text safe: personal-data masking, spreadsheet formula injection,
characters XML cannot carry.

Report text comes from citizens (apps, SMS, WhatsApp, social media), so it may hold
anything, including ``=HYPERLINK("http://x","klik")`` aimed at whoever opens the export in
a spreadsheet.
"""

from __future__ import annotations

import re

#: A spreadsheet treats a cell starting with one of these as a formula (OWASP CSV
#: injection). Tab and carriage return are included because some programs strip them
#: and then see the character behind.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel keeps at most this many characters in a cell.
EXCEL_MAX_CHARS = 32_767
_XML_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
)


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet might evaluate ``text``, also after leading spaces or line
    breaks (some importers trim them)."""
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    stripped = text.lstrip(" \n\u00a0")
    return stripped != text and stripped.startswith(FORMULA_STARTS)


def neutralise_csv(text: str) -> str:
    """Text for a CSV cell: a leading apostrophe keeps a would-be formula as text."""
    return "'" + text if looks_like_formula(text) else text


def xml_text(text: str) -> str:
    """Drop characters that XML 1.0 (and so XLSX) cannot carry; cap at Excel's limit."""
    text = _XML_ILLEGAL.sub("", text)
    if len(text) > EXCEL_MAX_CHARS:
        text = text[: EXCEL_MAX_CHARS - 1] + "…"
    return text


def mask_name(name: str | None) -> str | None:
    """``Budi Santoso`` → ``B*** S******``: enough to tell two callers apart on a
    printout, not enough to identify a citizen."""
    if not name:
        return name
    return " ".join(w[0] + "*" * (len(w) - 1) if w else w for w in name.split(" "))


def mask_phone(phone: str | None) -> str | None:
    """``081234567890`` → ``0812******90``; short numbers keep only their last digit."""
    if not phone:
        return phone
    if phone.isascii() and phone.isdigit():  # the common case, fast
        n = len(phone)
        if n > 6:
            return phone[:4] + "*" * (n - 6) + phone[-2:]
        return "*" * (n - 1) + phone[-1:]
    n = sum(c.isdigit() for c in phone)
    head, tail = (4, 2) if n > 6 else (0, 1)
    out = []
    seen = 0
    for c in phone:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= head or seen > n - tail else "*")
        else:
            out.append(c)
    return "".join(out)
