"""MBTiles files and the tile service: local file, cache, polite online source (no Qt)."""

from __future__ import annotations

import sqlite3

import pytest
from map_helpers import make_mbtiles, png_bytes

from console.map.mbtiles import MBTilesCache, MBTilesError, MBTilesReader, image_type
from console.map.tiles import USER_AGENT, OnlineSource, RateLimiter, TileService


@pytest.fixture
def mbtiles(tmp_path):
    path = tmp_path / "kota.mbtiles"
    make_mbtiles(path, {(12, 3272, 2118): png_bytes(), (0, 0, 0): png_bytes((0, 0, 0))},
                 extra_meta={"bounds": "107.5,-7.0,107.8,-6.8", "attribution": "© Peta Uji"})  # fmt: skip
    return path


def test_reader_serves_xyz_from_tms_rows(mbtiles):
    reader = MBTilesReader(mbtiles)
    assert reader.info.format == "png"
    assert reader.info.bounds == (-7.0, 107.5, -6.8, 107.8)
    assert reader.info.attribution == "© Peta Uji"
    assert reader.tile(12, 3272, 2118) == png_bytes()
    assert reader.tile(12, 3272, (1 << 12) - 1 - 2118) is None  # the TMS row is not XYZ
    assert reader.tile(12, 99999, 1) is None  # outside the zoom level
    assert reader.tile(-1, 0, 0) is None
    reader.close()


def broken_files(tmp_path):
    garbage = tmp_path / "garbage.mbtiles"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    foreign = tmp_path / "foreign.mbtiles"
    sqlite3.connect(foreign).executescript("CREATE TABLE people (name TEXT);")
    vector = tmp_path / "vector.mbtiles"
    make_mbtiles(vector, {(0, 0, 0): b"\x1f\x8b\x08\x00gzipped-pbf"}, fmt="pbf")
    vector_unlabelled = tmp_path / "vector2.mbtiles"
    make_mbtiles(vector_unlabelled, {(0, 0, 0): b"\x1f\x8b\x08\x00gzipped-pbf"}, fmt=None)
    empty = tmp_path / "empty.mbtiles"
    make_mbtiles(empty, {})
    text_tiles = tmp_path / "text.mbtiles"
    make_mbtiles(text_tiles, {(0, 0, 0): b"hello"})
    return [
        (tmp_path / "missing.mbtiles", "missing"),
        (garbage, "not_sqlite"),
        (foreign, "not_mbtiles"),
        (vector, "vector"),
        (vector_unlabelled, "vector"),
        (empty, "empty"),
        (text_tiles, "format"),
    ]


def test_broken_or_foreign_files_say_why(tmp_path):
    for path, kind in broken_files(tmp_path):
        with pytest.raises(MBTilesError) as info:
            MBTilesReader(path)
        assert info.value.kind == kind, path


def test_image_type_sniffing():
    assert image_type(png_bytes()) == "png"
    assert image_type(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert image_type(b"<html>") is None


def test_cache_is_a_plain_mbtiles_file(tmp_path):
    cache = MBTilesCache(tmp_path / "cache" / "tiles.mbtiles")
    cache.put(5, 25, 16, png_bytes())
    assert cache.tile(5, 25, 16) == png_bytes()
    assert cache.count() == 1
    cache.close()
    reader = MBTilesReader(tmp_path / "cache" / "tiles.mbtiles")  # readable as a base map
    assert reader.tile(5, 25, 16) == png_bytes()
    reader.close()


def test_cache_on_a_foreign_file_says_so(tmp_path):
    bad = tmp_path / "bad.mbtiles"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(MBTilesError) as info:
        MBTilesCache(bad)
    assert info.value.kind == "not_sqlite"


@pytest.mark.parametrize(
    "url",
    ["ftp://x/{z}/{x}/{y}", "https://x/{z}/{x}", "https://x/{z}/{x}/{y}/{s}", "file:///{z}/{x}/{y}",
     "{z}/{x}/{y}", "javascript:alert(1)//{z}{x}{y}"],
)  # fmt: skip
def test_online_source_url_is_validated(url):
    with pytest.raises(ValueError):
        OnlineSource(url)


def test_rate_limiter_spaces_requests():
    now = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(4.0, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert now[0] == pytest.approx(1.0)  # 5 requests at 4/s: the 5th after a second
    assert slept == pytest.approx([0.25] * 4)


def test_online_tiles_are_cached_and_served_offline(tmp_path, tile_server):
    cache = MBTilesCache(tmp_path / "cache.mbtiles")
    service = TileService(None, cache, OnlineSource(tile_server.url, "© Uji", max_per_second=20))
    first = service.get("online", 3, 6, 3)
    assert first is not None and first.source == "online" and first.mime == "image/png"
    assert tile_server.requests[0] == ("/tiles/3/6/3.png", USER_AGENT)
    again = service.get("online", 3, 6, 3)
    assert again.source == "cache" and len(tile_server.requests) == 1  # never fetched twice
    tile_server.shutdown()
    tile_server.server_close()  # the link goes down
    assert service.get("online", 3, 6, 3).source == "cache"
    assert service.get("online", 3, 6, 4) is None  # not cached: missing, no error
    assert service.online_paused  # and it waits before trying again
    assert service.get("online", 3, 6, 5) is None
    service.close()


def test_online_errors_pause_instead_of_hammering(tmp_path, tile_server):
    tile_server.tile = b"<html>quota exceeded</html>"
    service = TileService(None, None, OnlineSource(tile_server.url, max_per_second=20))
    assert service.get("online", 1, 0, 0) is None
    assert service.last_error == "not an image tile"
    assert service.get("online", 1, 1, 0) is None
    assert len(tile_server.requests) == 1
    service.close()


def test_base_layer_and_bad_coordinates(mbtiles):
    service = TileService(MBTilesReader(mbtiles))
    assert service.get("base", 0, 0, 0).data == png_bytes((0, 0, 0))
    assert service.get("base", 0, 1, 0) is None
    assert service.get("online", 0, 0, 0) is None  # no online source configured
    assert service.get("other", 0, 0, 0) is None
    service.close()
