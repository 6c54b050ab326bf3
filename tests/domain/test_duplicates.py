"""Duplicate scoring (pure) and the candidate query over a real database."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from console.domain import duplicates as dup

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HERE = (-6.9147, 107.6098)


def facts(**kw):
    base = dict(category_code="banjir", created_at=T0, lat=HERE[0], lon=HERE[1],
                region_code="3273-1-1", title="Banjir di Jl. Braga")
    base.update(kw)
    return dup.Facts(**base)


def test_same_spot_same_time_same_category_scores_high():
    s = dup.score(facts(), facts(created_at=T0 + timedelta(minutes=10)))
    assert s is not None and s.total > 0.85 and s.category == "same"
    assert s.distance_m == 0 and "distance" in s.reasons


def test_score_falls_with_distance_time_and_category():
    near = dup.score(facts(), facts(lat=HERE[0] + 0.001))  # ~110 m
    far = dup.score(facts(), facts(lat=HERE[0] + 0.003))  # ~330 m
    assert near.total > far.total
    later = dup.score(facts(), facts(created_at=T0 + timedelta(hours=40)))
    assert later.total < dup.score(facts(), facts()).total
    related = dup.score(facts(), facts(category_code="drainase"))
    assert related.category == "related" and related.total < dup.score(facts(), facts()).total
    assert dup.score(facts(), facts(category_code="kebisingan")) is None  # unrelated
    assert dup.score(facts(), facts(lat=HERE[0] + 0.01)) is None  # 1.1 km away
    assert dup.score(facts(), facts(created_at=T0 + timedelta(days=4))) is None


def test_emergencies_have_a_short_window():
    fire = facts(category_code="kebakaran")
    assert dup.score(fire, facts(category_code="kebakaran", created_at=T0 + timedelta(hours=2)))
    assert dup.score(fire, facts(category_code="kebakaran",
                                 created_at=T0 + timedelta(hours=7))) is None


def test_same_caller_counts_without_location():
    a = facts(lat=None, lon=None, region_code=None, reporter_phone="+62 812-3456-7890",
              category_code="kebakaran")
    b = facts(lat=None, lon=None, region_code=None, reporter_phone="081234567890",
              category_code="informasi", created_at=T0 + timedelta(minutes=3))
    s = dup.score(a, b)
    assert s is not None and s.same_phone and "same_phone" in s.reasons
    assert dup.normalise_phone("+62 812-3456-7890") == "081234567890"
    assert dup.normalise_phone("12") is None


def test_same_kelurahan_without_coordinates():
    s = dup.score(facts(lat=None, lon=None), facts(lat=None, lon=None))
    assert s is not None and s.same_region and s.distance_m is None


def test_rank_orders_and_skips_itself():
    probe = facts(id="p")
    others = [facts(id="p"), facts(id="far", lat=HERE[0] + 0.0025),
              facts(id="near", lat=HERE[0] + 0.0002)]
    assert [f.id for f, _ in dup.rank(probe, others)] == ["near", "far"]


def test_bounding_box_contains_the_radius():
    min_lat, max_lat, min_lon, max_lon = dup.bounding_box(*HERE, 400)
    assert min_lat < HERE[0] < max_lat and min_lon < HERE[1] < max_lon
    assert 0.0035 < max_lat - HERE[0] < 0.0037


def test_duplicates_module_imports_without_qt_or_sql():
    check = ("import console.domain.duplicates, sys; bad = sorted(m for m in sys.modules if "
             "m.startswith(('PySide6', 'sqlalchemy', 'sqlmodel', 'sqlite3'))); assert not bad, bad")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", check], cwd=root, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_candidates_query_finds_nearby_reports(conn):
    from console.domain.geo import CITY_BOUNDS
    from console.operations.intake import NewReport, create_report
    from console.store.duplicates import candidates_for, candidates_for_report

    kel = conn.execute("SELECT code FROM region WHERE level='kelurahan' ORDER BY code LIMIT 1"
                       ).fetchone()[0]

    def new(title, lat, lon, minutes, category="banjir"):
        data = NewReport(channel="app", category_code=category, title=title, lat=lat, lon=lon,
                         region_code=kel)
        return create_report(conn, "op", data, bounds=CITY_BOUNDS["bandung"],
                             now=T0 + timedelta(minutes=minutes)).created

    (a,) = new("Banjir setinggi lutut", *HERE, 0)
    (b,) = new("Genangan banjir", HERE[0] + 0.0005, HERE[1], 30)
    new("Banjir jauh", HERE[0] + 0.05, HERE[1], 30)  # 5.5 km: no
    new("Sampah", *HERE, 10, category="sampah")  # unrelated category, same kelurahan: weak
    found = candidates_for_report(conn, a)
    assert [c.id for c in found][:1] == [b]
    assert found[0].distance_m < 60 and found[0].minutes_apart == 30
    probe = dup.Facts(category_code="drainase", created_at=T0 + timedelta(hours=1),
                      lat=HERE[0], lon=HERE[1], region_code=kel)
    assert {c.id for c in candidates_for(conn, probe)} >= {a, b}
