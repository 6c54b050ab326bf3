"""A pull page cut by the link keeps the rows that arrived up to the first missing one
(console/sync/partial.py), at every possible cut point of a real server-encoded page."""

from __future__ import annotations

import random

from console.domain.wire import NOTE_WIRE, REPORT_WIRE
from console.sync.partial import salvage
from console.sync.transport import decode_page
from server.changes import Page, encode_chunks, gzip_stream


def _page(seed: int, *, notes: bool = True) -> Page:
    rng = random.Random(seed)
    seqs = list(range(101, 101 + 160))
    kinds = ["report" if (not notes or rng.random() < 0.6) else "note" for _ in seqs]
    reports, note_rows = [], []
    for seq, kind in zip(seqs, kinds, strict=True):
        words = " ".join(rng.choice(("jalan", "banjir", "sampah", "lampu", "warga", "RW"))
                         for _ in range(rng.randint(5, 40)))
        if kind == "report":
            reports.append([f"r-{seq}", seq, 1, f"T-{seq}", "new", 3, "phone", "sampah",
                            1795860000000 + seq, 1795860000000 + seq, words])
        else:
            note_rows.append([f"n-{seq}", seq, f"r-{seq - 1}", 1795860000000, "kel", words])
    tables = {"report": (REPORT_WIRE, reports)}
    if note_rows:
        tables["note"] = (NOTE_WIRE, note_rows)
    return Page(100, seqs[-1], True, 400, tables)


def _wire(page: Page) -> bytes:
    return b"".join(gzip_stream(encode_chunks(page)))


def _seqs(page) -> list[int]:  # noqa: ANN001
    return sorted(r["seq"] for rows in page.tables.values() for r in rows)


def test_every_cut_keeps_exactly_the_rows_before_the_first_missing_one():
    for seed, notes in ((1, True), (2, True), (3, False)):
        full_page = _page(seed, notes=notes)
        wire = _wire(full_page)
        full = decode_page(__import__("gzip").decompress(wire), expect_cursor=100)
        all_seqs = _seqs(full)
        kept_any = 0
        for cut in range(0, len(wire), 97):
            part = salvage(wire[:cut], gzipped=True, expect_cursor=100)
            if part is None:
                continue
            kept_any += 1
            got = _seqs(part)
            assert part.more and part.next_cursor > 100
            # No gap: every row of the page up to the safe point, and nothing beyond it.
            assert got == [s for s in all_seqs if s <= part.next_cursor], (seed, cut)
            # The rows are the rows that were sent, column for column.
            by_id = {r["id"]: r for rows in full.tables.values() for r in rows}
            for rows in part.tables.values():
                for r in rows:
                    assert r == by_id[r["id"]]
        assert kept_any > 5, "most cuts of a large page should keep something"


def test_nothing_is_kept_from_garbage_or_another_cursor():
    wire = _wire(_page(4))
    assert salvage(wire[:20], gzipped=True, expect_cursor=100) is None
    assert salvage(b"\x1f\x8b" + bytes(200), gzipped=True, expect_cursor=100) is None
    assert salvage(wire[: len(wire) // 2], gzipped=True, expect_cursor=99) is None
