"""Issue 14: the Linux bundle (``make bundle`` → dist/posko/) runs without Python.

Building it takes minutes, so ``make test`` never does: these tests check a bundle that
exists (dist/posko/posko in this checkout, or the folder in POSKO_BUNDLE) and are skipped,
saying so, when there is none. The bundle runs with a clean environment (no PYTHONPATH,
no virtualenv, PATH=/usr/bin:/bin) from a folder outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = Path(os.environ.get("POSKO_BUNDLE") or ROOT / "dist" / "posko")
EXE = BUNDLE / "posko"
INTERNAL = BUNDLE / "_internal"
#: The issue's target, in MiB as `du -sm` counts. Measured: 499 (README, "Linux bundle").
TARGET_MB = 400
#: What the bundle is today plus a margin: a dependency that adds tens of MB fails here.
CEILING_MB = 530

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not EXE.is_file(), reason=f"no bundle at {BUNDLE}: `make bundle` builds "
                       "one (slow, so make test never does)"),
]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    if os.geteuid() == 0:  # Chromium refuses to run its sandbox as root
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    env.update(extra)
    return env


def _run(tmp_path: Path, *args: str, timeout: float = 300, **extra: str):
    run = subprocess.run([str(EXE), *args], cwd=tmp_path, env=_env(tmp_path, **extra),
                         capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, f"posko {' '.join(args)}: {run.returncode}\n" \
        f"{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return run


def test_help_runs_without_python(tmp_path):
    out = _run(tmp_path, "--help").stdout
    assert "demo" in out and "export" in out and "server" in out


def test_resources_are_inside():
    shipped = [
        "posko_resources/fonts/DejaVuSans.ttf", "posko_resources/fonts/DejaVuSans-Bold.ttf",
        "posko_resources/sounds/alert_p1.wav", "posko_resources/sounds/alert_sla.wav",
        "posko_resources/translations/posko_en.qm", "posko_resources/translations/qt_id.qm",
        "console/map/static/posko-map.js", "console/map/static/posko-map.css",
        "console/store/migrations/env.py", "console/store/migrations/script.py.mako",
        "server/migrations/env.py",
        "folium/templates/leaflet_heat.min.js", "xstatic/pkg/leaflet/data/leaflet.js",
        "xstatic/pkg/leaflet/data/leaflet.css", "areaid/nama/provinsi.json",
        "PySide6/Qt/libexec/QtWebEngineProcess",
        "PySide6/Qt/resources/qtwebengine_resources.pak", "PySide6/Qt/resources/icudtl.dat",
        "PySide6/Qt/translations/qtwebengine_locales/en-US.pak",
        "PySide6/Qt/translations/qtwebengine_locales/id.pak",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
    ]
    missing = [p for p in shipped if not (INTERNAL / p).is_file()]
    assert missing == []
    # every migration of both databases, as the checkout has them
    for folder in ("console/store/migrations/versions", "server/migrations/versions"):
        ours = {p.name for p in (ROOT / folder).glob("*.py")}
        assert ours and ours <= {p.name for p in (INTERNAL / folder).glob("*.py")}, folder
    from console.store.regions import CITIES

    for city in CITIES.values():
        assert (INTERNAL / "areaid" / "data" / f"{city.province_file}.json").is_file(), city
    # what the bundle must not carry
    assert not (INTERNAL / "tests").exists() and not (INTERNAL / "bench").exists()
    assert not (INTERNAL / "console" / "sync" / "testing").exists()


def test_no_link_points_nowhere():
    dangling = [str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*")
                if p.is_symlink() and not p.exists()]
    assert dangling == []


def _size_mb() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def test_size_stays_under_its_ceiling():
    assert _size_mb() <= CEILING_MB


@pytest.mark.xfail(strict=False, reason="QtWebEngine alone is ~205 MB and ICU ~40 MB; folium "
                   "needs numpy (~40 MB with OpenBLAS): measured 499 MB (README, Linux bundle)")
def test_size_meets_the_target():
    assert _size_mb() <= TARGET_MB


def test_demo_export_and_first_paint_from_the_bundle(tmp_path):
    data = tmp_path / "demo"
    out = _run(tmp_path, "demo", "--no-gui", "--reports", "50", "--data-dir", str(data)).stdout
    assert "Seeded 50 reports" in out
    # a shift PDF with the bundled font (reportlab and posko_resources inside)
    _run(tmp_path, "export", "shift", "--data-dir", str(data), "--from", "2000-01-01",
         "--to", "2100-01-01", "--out", str(tmp_path / "shift.pdf"))
    pdf = (tmp_path / "shift.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf
    # the console itself, headless: its window paints (Qt, the database, translations)
    painted = _run(tmp_path, "--data-dir", str(data), "--lang", "en",
                   POSKO_EXIT_AFTER_FIRST_PAINT="1").stdout
    assert "POSKO_FIRST_PAINT" in painted
