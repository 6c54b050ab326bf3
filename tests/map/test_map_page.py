"""The map page is built with folium and links nothing remote (no Qt)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from console.map import assets
from console.map.page import PAGE_SCRIPTS, assert_offline, build_page, script_json

CONFIG = {
    "labels": {"x": "</script><script>alert(1)</script>"},
    "colors": {},
    "options": {},
    "tiles": [
        {
            "url": "posko://map/tiles/online/{z}/{x}/{y}",
            "attribution": '<a href="https://osm.example">OSM</a>',
        }
    ],  # fmt: skip
}


def test_page_links_only_local_assets():
    html = build_page(CONFIG)
    links = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    assert links, html
    assert all(link.startswith("posko://map/") for link in links), links
    for link in links:
        path = link.removeprefix("posko://map/assets/")
        if link.startswith("posko://map/assets/"):
            assert assets.read_asset(path) is not None, link
    assert "folium-map" in html  # built by folium
    # our scripts, each once and in PAGE_SCRIPTS order (each part uses the ones before it)
    ours = [link.rsplit("/", 1)[1] for link in links if "/assets/posko/" in link]
    assert [s for s in ours if s.endswith(".js")] == list(PAGE_SCRIPTS)
    for cdn in ("cdn.jsdelivr", "code.jquery", "cdnjs", "bootstrapcdn", "http://", "https://"):
        assert cdn not in html


def test_config_cannot_break_out_of_its_script():
    html = build_page(CONFIG)
    assert "</script><script>alert(1)" not in html
    assert script_json("</script>") == '"\\u003c\\/script\\u003e"'


def test_csp_allows_only_the_pages_own_scripts():
    html = build_page(CONFIG)
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src posko:" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert csp.count("'sha256-") == len(re.findall(r"<script>", html))


def test_assert_offline_catches_cdn_links():
    with pytest.raises(ValueError):
        assert_offline('<script src="https://cdn.jsdelivr.net/npm/leaflet.js"></script>')
    with pytest.raises(ValueError):
        assert_offline('<link href="//unpkg.com/x.css">')


def test_assets_come_from_installed_packages_only():
    files = assets.asset_files()
    assert "leaflet/leaflet.js" in files and "leaflet/leaflet.css" in files
    assert "leaflet/images/marker-icon.png" in files
    assert "heat/leaflet-heat.js" in files
    assert "posko/posko-map.js" in files
    assert {"posko/" + s for s in PAGE_SCRIPTS} <= set(files)
    for bad in ("../page.py", "/etc/passwd", "leaflet/../../x", "posko/../page.py", ""):
        assert assets.read_asset(bad) is None
    body, mime = assets.read_asset("leaflet/leaflet.js")
    assert mime == "text/javascript" and b"Leaflet" in body[:400]


def test_a_prebuilt_template_gives_the_same_page_without_folium(tmp_path):
    """A bundle ships the template folium rendered when the bundle was built, and no numpy:
    the page it serves is the page folium builds, and building it imports neither."""
    from console.map.folium_page import render_template

    prebuilt = tmp_path / "page-template.html"
    prebuilt.write_text(render_template(), encoding="utf-8")
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "import console.map.page as page\n"
        f"page.PREBUILT_TEMPLATE = Path({str(prebuilt)!r})\n"
        f"html = page.build_page(json.loads({json.dumps(json.dumps(CONFIG))}))\n"
        "from console.map import assets\n"
        "assert assets.read_asset('heat/leaflet-heat.js') is not None\n"
        "print(json.dumps({'html': html, 'loaded': sorted(m for m in sys.modules\n"
        "                  if m.split('.')[0] in ('folium', 'branca', 'numpy'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out)
    assert result["loaded"] == []
    # folium names its elements at random (map_<hex>) on each render; the CSP hashes follow
    assert _same_names(result["html"]) == _same_names(build_page(CONFIG))


def _same_names(html: str) -> str:
    html = re.sub(r"\b([a-z_]+)_[0-9a-f]{32}\b", r"\1_X", html)
    return re.sub(r"'sha256-[^']+'", "'sha256-X'", html)


def test_the_city_view_is_set_by_the_page_script_not_by_folium():
    """folium's part of the page is the same for every city (so it can be prebuilt): the
    city's home travels in the configuration, which PoskoMap.init fits the map to."""
    a = build_page({**CONFIG, "home": [-6.98, 107.55, -6.84, 107.74]})
    b = build_page({**CONFIG, "home": [-7.35, 112.6, -7.2, 112.82]})
    assert a != b
    assert "107.55" in a and "112.6" in b
    assert _same_names(a.split("PoskoMap.init")[0]) == _same_names(b.split("PoskoMap.init")[0])
