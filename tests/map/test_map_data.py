"""The map's queries: payload, deltas, counts per region, areas (no Qt)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from map_helpers import BANDUNG, HOSTILE_IMG, N_REPORTS, add_report, report_id

from console.map import data as mapdata
from console.store import queue as store
from console.store.queue import QueueFilter

REPO = Path(__file__).resolve().parents[2]


def test_payload_is_compact_columns_without_text(conn, filled):
    payload = mapdata.marker_payload(conn, None)
    assert len(payload) == filled["with_coords"]
    assert payload.without_coords == 2
    doc = json.loads(payload.as_json(7))
    assert doc["gen"] == 7
    assert set(doc["cols"]) == {"id", "lat", "lon", "p", "s", "c"}
    assert report_id(1) in doc["cols"]["id"]
    # No report text travels in the bulk payload (titles are fetched one by one).
    assert "Laporan uji" not in payload.as_json().decode()
    assert "<img" not in payload.as_json().decode()
    i = doc["cols"]["id"].index(report_id(201))
    assert doc["statuses"][doc["cols"]["s"][i]] == "new"
    assert doc["cats"][doc["cols"]["c"][i]][0] == "banjir"
    south, west, north, east = doc["home"]
    assert south < BANDUNG[0] < north and west < BANDUNG[1] < east


@pytest.mark.parametrize(
    "flt",
    [
        QueueFilter(),
        QueueFilter.open_queue(),
        QueueFilter(priorities=(1,)),
        QueueFilter(categories=("banjir",), statuses=("new",)),
        QueueFilter(statuses=()),
        QueueFilter(region_prefix="3273"),
        QueueFilter(created_from=datetime.now(UTC) - timedelta(minutes=20)),
        QueueFilter(bbox=(BANDUNG[0] - 0.005, BANDUNG[1] - 0.01, BANDUNG[0] + 0.01, BANDUNG[1])),
        QueueFilter(agencies=("bpbd",)),
    ],
)
def test_filter_matches_the_queue(conn, filled, flt):
    payload = mapdata.marker_payload(conn, flt)
    assert len(payload) + payload.without_coords == store.count(conn, flt)


def test_region_filter_uses_the_code_prefix(conn, filled):
    kec = filled["kecamatan"][0]
    payload = mapdata.marker_payload(conn, QueueFilter(region_prefix=kec))
    expected = conn.execute(
        "SELECT count(*) FROM report WHERE region_code LIKE ? AND lat IS NOT NULL", (kec + "-%",)
    ).fetchone()[0]
    assert len(payload) == expected > 0


def test_delta_upserts_matching_and_removes_the_rest(conn, filled):
    flt = QueueFilter.open_queue()
    new = add_report(conn, 300, BANDUNG[0], BANDUNG[1], title="baru")
    conn.execute("UPDATE report SET status = 'closed' WHERE id = ?", (report_id(1),))
    conn.execute("UPDATE report SET lat = NULL, lon = NULL WHERE id = ?", (report_id(3),))
    conn.commit()
    delta = mapdata.marker_delta(conn, [new, report_id(1), report_id(3), "no-such-id", 5], flt)
    assert delta["upsert"]["id"] == [new]
    assert delta["upsert"]["lat"] == [round(BANDUNG[0], 6)]
    assert sorted(delta["remove"]) == sorted([report_id(1), report_id(3), "no-such-id"])


def test_delta_with_many_ids_is_chunked(conn, filled):
    ids = [report_id(n) for n in range(1, N_REPORTS + 1)] + [f"x-{n}" for n in range(1200)]
    delta = mapdata.marker_delta(conn, ids, None)
    assert len(delta["upsert"]["id"]) == N_REPORTS
    assert len(delta["remove"]) == 1200


def test_region_counts_add_up_kelurahan_into_kecamatan(conn, filled):
    kec0, kec1 = filled["kecamatan"]
    kel = filled["kelurahan"]
    counts = mapdata.region_counts(conn, [kec0, kec1, kel, "3273"], None)
    assert counts[kec0] == counts[kel] > 0  # every report of kec0 is filed at kel
    total = conn.execute("SELECT count(*) FROM report WHERE region_code IS NOT NULL").fetchone()[0]
    assert counts["3273"] == total == counts[kec0] + counts[kec1]
    closed_out = mapdata.region_counts(conn, [kec0], QueueFilter.open_queue())
    assert closed_out[kec0] < counts[kec0]


def test_summaries_keep_text_raw_for_the_page(conn, filled):
    rows = mapdata.report_summaries(conn, [report_id(201), "missing", report_id(2)])
    assert [r["id"] for r in rows] == [report_id(201), report_id(2)]
    assert rows[0]["title"] == HOSTILE_IMG  # escaped by the page (DOM text), not here
    assert rows[0]["category_name"]


def test_encode_json_is_script_safe():
    text = mapdata.encode_json({"t": "a\u2028b</script>"}).decode()
    assert "\u2028" not in text and "\\u2028" in text


class TestArea:
    square = ((-6.92, 107.60), (-6.90, 107.60), (-6.90, 107.62), (-6.92, 107.62))

    def test_contains(self):
        area = mapdata.Area(self.square)
        assert area.contains(-6.91, 107.61)
        assert not area.contains(-6.93, 107.61)
        assert not area.contains(float("nan"), 107.61)

    def test_concave_polygon(self):
        # A "U": the notch is outside.
        u = mapdata.Area(((0, 0), (0, 3), (3, 3), (3, 2), (1, 2), (1, 1), (3, 1), (3, 0)))
        assert u.contains(0.5, 1.5)
        assert not u.contains(1.5, 1.5)
        assert u.contains(2.5, 2.5)

    def test_normalises_and_hashes(self):
        closed = mapdata.Area((*self.square, self.square[0]))
        assert closed == mapdata.Area(self.square)
        assert hash(closed) == hash(mapdata.Area(self.square))

    @pytest.mark.parametrize(
        "text",
        ["[]", "[[1, 2], [3, 4]]", '{"a": 1}', "[[1, 2, 3]]", "[[100, 2], [1, 2], [1, 3]]",
         '[["a", 1], [1, 2], [2, 2]]', "not json"],
    )  # fmt: skip
    def test_rejects_bad_input(self, text):
        with pytest.raises((ValueError, TypeError)):
            mapdata.Area.from_json(text)

    def test_report_ids_in_area(self, conn, filled):
        lat0, lon0 = BANDUNG
        area = mapdata.Area(
            ((lat0 - 0.005, lon0 - 0.005), (lat0 + 0.005, lon0 - 0.005),
             (lat0 + 0.005, lon0 + 0.005), (lat0 - 0.005, lon0 + 0.005))
        )  # fmt: skip
        ids = mapdata.report_ids_in_area(conn, area)
        rows = conn.execute("SELECT id, lat, lon FROM report WHERE lat IS NOT NULL").fetchall()
        expected = {
            rid for rid, la, lo in rows if abs(la - lat0) < 0.005 and abs(lo - lon0) < 0.005
        }
        assert set(ids) == expected and ids


def test_home_ignores_a_stray_coordinate():
    lats = [-6.9 + i * 0.0001 for i in range(300)] + [3.5]  # one report typed in Medan
    lons = [107.6 + i * 0.0001 for i in range(300)] + [98.6]
    south, west, north, east = mapdata.home_bounds(lats, lons, ["3273-1"] * 301)
    assert north < -6.8 and west > 107.5


def test_map_core_imports_without_qt():
    check = (
        "import console.map.data, console.map.page, console.map.tiles, console.map.mbtiles, "
        "console.map.boundaries, console.map.assets, sys; "
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6')); assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", check], cwd=REPO, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
