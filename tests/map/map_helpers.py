"""Helpers shared by the map tests (a module, so test files can import them by name)."""

from __future__ import annotations

import sqlite3
import zlib
from datetime import UTC, datetime, timedelta

HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SCRIPT = "<script>window.__pwned=2</script>"
BANDUNG = (-6.9147, 107.6098)
N_REPORTS = 40


def png_bytes(rgb: tuple[int, int, int] = (200, 30, 30), size: int = 256) -> bytes:
    """A valid one-colour PNG, made without Pillow."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * size
    raw = zlib.compress(row * size, 9)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def make_mbtiles(path, tiles: dict[tuple[int, int, int], bytes], *, fmt: str | None = "png",
                 extra_meta: dict | None = None) -> None:  # fmt: skip
    """An MBTiles file with the given XYZ tiles (stored TMS, as the spec says)."""
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
        "tile_data BLOB);"
    )
    meta = {"name": "test", "minzoom": "0", "maxzoom": "14", **(extra_meta or {})}
    if fmt:
        meta["format"] = fmt
    conn.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta.items()))
    conn.executemany(
        "INSERT INTO tiles VALUES (?, ?, ?, ?)",
        [(z, x, (1 << z) - 1 - y, data) for (z, x, y), data in tiles.items()],
    )
    conn.commit()
    conn.close()


def grid_position(n: int) -> tuple[float, float]:
    """Where populate() puts report n (1..N_REPORTS)."""
    return BANDUNG[0] + ((n % 7) - 3) * 0.004, BANDUNG[1] + ((n // 7) - 3) * 0.004


def report_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def add_report(conn, n: int, lat: float | None, lon: float | None, *, title: str | None = None,
               status: str = "new", priority: int = 2, category: str = "banjir",
               region: str | None = None) -> str:  # fmt: skip
    now = datetime.now(UTC) - timedelta(minutes=n)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute(
        "INSERT INTO report (id, ticket, channel, category_code, priority, status, title, "
        "description, lat, lon, address, region_code, created_at, updated_at, revision) "
        "VALUES (?, ?, 'sms', ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, 1)",
        (report_id(n), f"BDG-TEST-{n:05d}", category, priority, status,
         title or f"Laporan uji {n}", lat, lon, "Jl. Asia Afrika", region, stamp, stamp),
    )  # fmt: skip
    return report_id(n)


def kecamatan_codes(conn, limit: int = 2) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT code FROM region WHERE level = 'kecamatan' AND parent_code = '3273' "
        "ORDER BY code LIMIT ?", (limit,)
    )]  # fmt: skip


def populate(conn) -> dict:
    """N_REPORTS reports around Bandung on a small grid, two without coordinates, two
    with hostile titles, some closed; returns facts the tests use."""
    kec = kecamatan_codes(conn, 2)
    kel = conn.execute(
        "SELECT code FROM region WHERE parent_code = ? ORDER BY code LIMIT 1", (kec[0],)
    ).fetchone()[0]
    for n in range(1, N_REPORTS + 1):
        lat, lon = grid_position(n)
        add_report(conn, n, lat, lon, priority=1 + n % 4,
                   status="closed" if n % 10 == 0 else "new",
                   category="banjir" if n % 2 else "jalan_rusak",
                   region=kel if n % 3 else kec[1])  # fmt: skip
    add_report(conn, 101, None, None, title="Tanpa koordinat 1", region=kel)
    add_report(conn, 102, None, None, title="Tanpa koordinat 2", region=kec[1])
    add_report(conn, 201, BANDUNG[0] + 0.03, BANDUNG[1] + 0.03, title=HOSTILE_IMG, priority=1)
    add_report(conn, 202, BANDUNG[0] - 0.03, BANDUNG[1] - 0.03, title=HOSTILE_SCRIPT, priority=1)
    conn.commit()
    return {"kecamatan": kec, "kelurahan": kel, "with_coords": N_REPORTS + 2}
