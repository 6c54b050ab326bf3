"""The region registry seeded from areaid: exact counts, hierarchical codes, honesty."""

from __future__ import annotations

import re
import time

import pytest

from console.store.db import open_database
from console.store.regions import CITIES, iter_regions, kelurahan_codes, seed_regions


@pytest.fixture
def conn(tmp_path):
    db = open_database(tmp_path / "posko.sqlite3")
    c = db.raw()
    yield c
    c.close()
    db.dispose()


@pytest.mark.parametrize(
    ("key", "code", "n_kec", "n_kel"),
    [("bandung", "3273", 30, 151), ("semarang", "3374", 16, 177)],
)
def test_exact_counts(key, code, n_kec, n_kel):
    rows = list(iter_regions(key))
    levels = [r["level"] for r in rows]
    assert levels.count("kota") == 1
    assert levels.count("kecamatan") == n_kec
    assert levels.count("kelurahan") == n_kel
    assert rows[0]["code"] == code == CITIES[key].kemendagri
    assert len(kelurahan_codes(key)) == n_kel


@pytest.mark.parametrize("key", list(CITIES))
def test_codes_hierarchical_and_parents_valid(key):
    rows = list(iter_regions(key))
    by_code = {r["code"]: r for r in rows}
    assert len(by_code) == len(rows), "region codes must be unique"
    kota = CITIES[key].kemendagri
    seen: set[str] = set()
    for r in rows:
        if r["level"] == "kota":
            assert r["parent_code"] is None
            assert re.fullmatch(r"\d{4}", r["code"])
        elif r["level"] == "kecamatan":
            assert r["parent_code"] == kota
            assert re.fullmatch(rf"{kota}-\d+", r["code"])
        else:
            parent = by_code[r["parent_code"]]
            assert parent["level"] == "kecamatan"
            assert r["code"].startswith(parent["code"] + "-")
            assert re.fullmatch(rf"{kota}-\d+-\d+", r["code"])
        if r["parent_code"] is not None:
            assert r["parent_code"] in seen, "parents come before children"
        seen.add(r["code"])


def test_names_as_in_areaid_and_postal_codes():
    names = {r["name"] for r in iter_regions("bandung")}
    assert "Antapani (Cicadas)" in names and "Andir" in names and "Campaka" in names
    for key in CITIES:
        for r in iter_regions(key):
            if r["level"] == "kelurahan":
                assert re.fullmatch(r"\d{5}", r["postal_code"]), r
    bdg = [r["postal_code"] for r in iter_regions("bandung") if r["level"] == "kelurahan"]
    assert all(p.startswith("40") for p in bdg)
    smg = [r["postal_code"] for r in iter_regions("semarang") if r["level"] == "kelurahan"]
    assert all(p.startswith("50") for p in smg)


def test_no_invented_coordinates():
    for key, c in CITIES.items():
        for r in iter_regions(key):
            if r["level"] == "kota":
                assert (r["lat"], r["lon"]) == (c.lat, c.lon)
            else:
                assert r["lat"] is None and r["lon"] is None


def test_seed_is_idempotent_and_fast(conn):
    t0 = time.perf_counter()
    added = seed_regions(conn)
    elapsed = time.perf_counter() - t0
    assert added == (1 + 30 + 151) + (1 + 16 + 177)
    assert elapsed < 0.5
    assert seed_regions(conn) == 0
    counts = dict(
        conn.execute(
            "SELECT substr(code, 1, 4) || ':' || level, count(*) FROM region GROUP BY 1"
        ).fetchall()
    )
    assert counts == {
        "3273:kota": 1, "3273:kecamatan": 30, "3273:kelurahan": 151,
        "3374:kota": 1, "3374:kecamatan": 16, "3374:kelurahan": 177,
    }
    assert conn.execute("PRAGMA foreign_key_check(region)").fetchall() == []
    assert conn.execute(
        "SELECT count(*) FROM region WHERE level != 'kota' AND (lat IS NOT NULL OR lon IS NOT NULL)"
    ).fetchone()[0] == 0
    # A kecamatan's kelurahan are a prefix range of the code.
    kec = conn.execute("SELECT code FROM region WHERE name = 'Andir'").fetchone()[0]
    n = conn.execute(
        "SELECT count(*) FROM region WHERE code > ? AND code < ?", (kec + "-", kec + "-~")
    ).fetchone()[0]
    assert n == 6


def test_unknown_city_is_refused(conn):
    with pytest.raises(KeyError, match="bandung"):
        seed_regions(conn, cities=("jakarta",))
    assert conn.execute("SELECT count(*) FROM region").fetchone()[0] == 0


def test_reference_data_seeded_once_and_refreshed_on_catalogue_change(conn):
    from console.domain.catalog import AGENCIES, CATEGORIES
    from console.store.seed import META_KEY, catalogue_version, ensure_reference_data

    first = ensure_reference_data(conn)
    assert first["seeded"] and first["agencies"] == len(AGENCIES)
    assert first["categories"] == len(CATEGORIES) and first["regions"] == 376
    assert conn.execute("SELECT count(*) FROM category").fetchone()[0] == len(CATEGORIES)
    assert conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()[0] == (
        catalogue_version())

    t0 = time.perf_counter()
    again = ensure_reference_data(conn)
    assert not again["seeded"] and again["regions"] == 0
    assert time.perf_counter() - t0 < 0.2  # one indexed SELECT on meta

    # A different catalogue version (e.g. after an upgrade) rewrites the defaults in place,
    # keeping rows the defaults do not know (a city's own category) and rows reports use.
    conn.execute("UPDATE category SET name_id = 'diubah', sla_verify_days = 9 "
                 "WHERE code = 'sampah'")
    conn.execute("INSERT INTO category (code, name_id, name_en, default_priority, "
                 "sla_verify_days, sla_followup_days, emergency) "
                 "VALUES ('kota_sendiri', 'Kategori kota', 'City category', 3, 3, 5, 0)")
    conn.execute("UPDATE meta SET value = 'old' WHERE key = ?", (META_KEY,))
    conn.commit()
    refreshed = ensure_reference_data(conn)
    assert refreshed["seeded"] and refreshed["regions"] == 0
    assert conn.execute("SELECT name_id, sla_verify_days FROM category WHERE code = 'sampah'"
                        ).fetchone() == (CATEGORIES["sampah"].name_id,
                                         CATEGORIES["sampah"].sla_verify_days)
    assert conn.execute("SELECT count(*) FROM category WHERE code = 'kota_sendiri'"
                        ).fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
