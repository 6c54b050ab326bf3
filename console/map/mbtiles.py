"""MBTiles files: reading an offline base map, and the cache the online source fills.

An MBTiles file is SQLite with a ``metadata(name, value)`` table and a
``tiles(zoom_level, tile_column, tile_row, tile_data)`` table (or view), rows in TMS order
(``tile_row`` counts from the south). The map asks in XYZ order (from the north), so rows
are flipped here. Raster tiles only (PNG, JPEG, WebP): vector tiles (``pbf``) need a
renderer the map does not have, and are refused with a clear reason.

Every failure to open or read a file is an :class:`MBTilesError` with a ``kind`` the
console turns into a message for the operator; the map keeps working without the file.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "MBTilesCache",
    "MBTilesError",
    "MBTilesInfo",
    "MBTilesReader",
    "image_type",
    "valid_tile",
]

MAX_ZOOM = 22


class MBTilesError(Exception):
    """``kind``: ``missing`` (no such file), ``not_sqlite`` (not an SQLite database),
    ``not_mbtiles`` (SQLite without the MBTiles tables), ``vector`` (vector tiles),
    ``format`` (tiles that are not PNG/JPEG/WebP), ``empty`` (no tiles at all),
    ``unwritable`` (a cache that cannot be written)."""

    def __init__(self, kind: str, path: Path | str, detail: str = "") -> None:
        self.kind = kind
        self.path = Path(path)
        self.detail = detail
        super().__init__(f"{self.path}: {kind}{': ' + detail if detail else ''}")


@dataclass(frozen=True)
class MBTilesInfo:
    name: str
    format: str  # png | jpg | webp
    min_zoom: int
    max_zoom: int
    bounds: tuple[float, float, float, float] | None  # south, west, north, east
    attribution: str  # plain text as found; the page shows it as text, never HTML


def image_type(data: bytes) -> str | None:
    """``png``, ``jpg``, ``webp``, ``gzip`` (a vector tile) or None, from magic bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    return None


MIME = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)


def _int(value: str | None, default: int) -> int:
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


def _bounds(value: str | None) -> tuple[float, float, float, float] | None:
    """MBTiles ``bounds`` is ``west,south,east,north``; returns (south, west, north, east)."""
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return south, west, north, east


def _read_tile(conn: sqlite3.Connection, lock: threading.Lock, z: int, x: int,
               y: int) -> bytes | None:
    """The tile at XYZ ``z/x/y`` of an MBTiles file, or None (also for an empty blob).
    MBTiles numbers rows from the south (TMS), the map asks from the north (XYZ)."""
    if not valid_tile(z, x, y):
        return None
    with lock:
        row = conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
            "AND tile_row = ?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone()
    return bytes(row[0]) if row and row[0] else None


class MBTilesReader:
    """A read-only MBTiles file, safe to share between threads. Raises MBTilesError when
    the file cannot be used."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise MBTilesError("missing", self.path)
        self._lock = threading.Lock()
        try:
            self._conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise MBTilesError("not_sqlite", self.path, str(exc)) from None
        try:
            self.info = self._validate()
        except BaseException:
            self._conn.close()
            raise

    def _validate(self) -> MBTilesInfo:
        try:
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise MBTilesError("not_sqlite", self.path, str(exc)) from None
        try:
            meta = dict(self._conn.execute("SELECT name, value FROM metadata").fetchall())
            first = self._conn.execute(
                "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise MBTilesError("not_mbtiles", self.path, str(exc)) from None
        fmt = str(meta.get("format") or "").lower().strip()
        if fmt == "jpeg":
            fmt = "jpg"
        if fmt in ("pbf", "mvt"):
            raise MBTilesError("vector", self.path, fmt)
        if first is None:
            raise MBTilesError("empty", self.path)
        sniffed = image_type(bytes(first[3] or b""))
        if sniffed == "gzip":
            raise MBTilesError("vector", self.path, "gzip")
        if sniffed is None or (fmt and fmt != sniffed and fmt in MIME):
            raise MBTilesError("format", self.path, fmt or "unknown")
        zooms = self._conn.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        return MBTilesInfo(
            name=str(meta.get("name") or self.path.stem),
            format=sniffed,
            min_zoom=_int(meta.get("minzoom"), zooms[0]),
            max_zoom=_int(meta.get("maxzoom"), zooms[1]),
            bounds=_bounds(meta.get("bounds")),
            attribution=str(meta.get("attribution") or ""),
        )

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ ``z/x/y``, or None."""
        return _read_tile(self._conn, self._lock, z, x, y)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


_CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tiles (
    zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL,
    tile_data BLOB NOT NULL, PRIMARY KEY (zoom_level, tile_column, tile_row)
) WITHOUT ROWID;
"""


class MBTilesCache:
    """A writable MBTiles file of tiles fetched from the online source, so they are there
    the next time the link is down. It is a plain MBTiles file: any MBTiles viewer reads
    it. Safe to share between threads (one connection, one lock)."""

    def __init__(self, path: Path | str, *, name: str = "Posko tile cache",
                 attribution: str = "") -> None:  # fmt: skip
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_CACHE_SCHEMA)
            cols = {r[1] for r in self._conn.execute("PRAGMA table_info(tiles)")}
            if not {"zoom_level", "tile_column", "tile_row", "tile_data"} <= cols:
                raise MBTilesError("not_mbtiles", self.path, "tiles table has other columns")
            self._conn.executemany(
                "INSERT OR IGNORE INTO metadata(name, value) VALUES (?, ?)",
                [("name", name), ("format", "png"), ("type", "baselayer"),
                 ("attribution", attribution)],
            )  # fmt: skip
            self._conn.commit()
        except sqlite3.DatabaseError as exc:
            raise MBTilesError(
                "not_sqlite" if "not a database" in str(exc) else "unwritable", self.path, str(exc)
            ) from None
        except OSError as exc:
            raise MBTilesError("unwritable", self.path, str(exc)) from None

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ ``z/x/y``, or None."""
        return _read_tile(self._conn, self._lock, z, x, y)

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        if not valid_tile(z, x, y):
            raise ValueError(f"no such tile {z}/{x}/{y}")
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO tiles(zoom_level, tile_column, tile_row, tile_data) "
                "VALUES (?, ?, ?, ?)",
                (z, x, (1 << z) - 1 - y, sqlite3.Binary(data)),
            )
            self._conn.commit()

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM tiles").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()
