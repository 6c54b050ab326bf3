"""What can be kept of a pull page the link cut: the rows that arrived, up to the first
row that did not.

On a link that resets every half minute, a page cut near its end used to be fetched again
whole: seconds of a 64 kbit/s link thrown away at each reset. The page is a gzip stream of
JSON written in a fixed order (server/changes.py ``encode_chunks``): the head (cursors,
and ``firsts``, the first seq of each table), then table after table, each table's rows in
seq order, tables in the order of their first seq. So the rows that arrived are safe to
apply up to

    min(the last seq received in the table being cut,
        the first seq of every table not reached yet − 1),

and that is where the next pull continues. Everything here is pure: bytes in, a ``Page``
(``more`` true, ``next_cursor`` at the safe point) or None out.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from console.sync.transport import TABLES, Page

_DECODER = json.JSONDecoder()
#: Less than this much decompressed text is not worth the parsing.
MIN_TEXT = 256


def salvage(raw: bytes, *, gzipped: bool, expect_cursor: int) -> Page | None:
    """The applicable prefix of a cut page, or None when nothing of it can be kept."""
    try:
        text = _inflate(raw) if gzipped else raw
        doc = text.decode("utf-8", errors="ignore")
    except zlib.error:
        return None
    if len(doc) < MIN_TEXT:
        return None
    try:
        head, tables = _parse(doc)
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    cursor = head.get("cursor")
    firsts = head.get("firsts") or {}
    if cursor != expect_cursor or type(head.get("head")) is not int \
            or not isinstance(firsts, dict):
        return None
    safe = _safe_point(tables, firsts)
    if safe is None or safe <= cursor:
        return None
    kept: dict[str, list[dict[str, Any]]] = {}
    for name, (cols, rows, _complete) in tables.items():
        if name not in TABLES or name == "urgent":
            continue
        width = len(cols)
        keep = []
        for row in rows:
            if not isinstance(row, list) or len(row) > width or len(row) < 2:
                return None
            if type(row[1]) is int and row[1] <= safe:
                keep.append(dict(zip(cols, row + [None] * (width - len(row)), strict=True)))
        if keep:
            kept[name] = keep
    server_time = head.get("server_time")
    return Page(cursor, safe, True, head["head"],
                server_time if type(server_time) is int else None, kept)


def _inflate(raw: bytes) -> bytes:
    d = zlib.decompressobj(wbits=31)
    return d.decompress(raw, 64 * 1024 * 1024)


def _parse(doc: str) -> tuple[dict, dict[str, tuple[list[str], list, bool]]]:
    """The head and the tables of a (possibly cut) page; the last table may be partial."""
    marker = ',"tables":{'
    at = doc.index(marker)
    head = json.loads(doc[:at] + "}")
    pos = at + len(marker)
    tables: dict[str, tuple[list[str], list, bool]] = {}
    while pos < len(doc) and doc[pos] != "}":
        if doc[pos] == ",":
            pos += 1
        name, pos = _DECODER.raw_decode(doc, pos)
        if not doc.startswith(':{"cols":', pos):
            break
        cols, pos = _DECODER.raw_decode(doc, pos + len(':{"cols":'))
        if not doc.startswith(',"rows":[', pos):
            tables[name] = (cols, [], False)
            break
        pos += len(',"rows":[')
        rows: list = []
        complete = False
        while pos < len(doc):
            if doc[pos] == "]":
                complete = True
                pos += 1
                break
            if doc[pos] == ",":
                pos += 1
            try:
                row, pos = _DECODER.raw_decode(doc, pos)
            except ValueError:
                break  # the cut is inside this row
            rows.append(row)
        tables[name] = (cols, rows, complete)
        if not complete:
            break
        if doc.startswith("}", pos):
            pos += 1
    return head, tables


def _safe_point(tables: dict[str, tuple[list[str], list, bool]], firsts: dict) -> int | None:
    """The largest seq up to which every row of the page arrived (module doc)."""
    reached = [n for n in tables if n != "urgent"]
    seqs = {n: [r[1] for r in tables[n][1]] for n in reached}
    if not reached or not all(type(x) is int for v in seqs.values() for x in v):
        return None
    if not firsts:  # the server names them whenever a page has two tables or more
        if len(reached) != 1 or not seqs[reached[0]]:
            return None
        return seqs[reached[0]][-1]
    bounds = [first - 1 for name, first in firsts.items()
              if name not in tables and type(first) is int]
    for name in reached:
        if not tables[name][2]:  # the table the cut is in
            if seqs[name]:
                bounds.append(seqs[name][-1])
            elif type(firsts.get(name)) is int:
                bounds.append(firsts[name] - 1)
            else:
                return None
    seen = [v[-1] for v in seqs.values() if v]
    if not seen:
        return None
    return min([max(seen), *bounds])
