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
#: The issue's target, in MiB as `du -sm` counts. Measured: 499 at first, 393 now (README,
#: "Linux bundle"): a dependency that adds a few MB, or a cut in installer/posko.spec that
#: stops working, fails here.
TARGET_MB = 400
#: Qt's and QtWebEngine's translations installer/posko.spec keeps (the languages Posko
#: speaks); each side of the language switch must find them in the bundle.
QT = INTERNAL / "PySide6" / "Qt"

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
        "console/map/page-template.html",  # the page folium rendered when the bundle was built
        "folium/templates/leaflet_heat.min.js", "xstatic/pkg/leaflet/data/leaflet.js",
        "xstatic/pkg/leaflet/data/leaflet.css", "areaid/nama/provinsi.json",
        "PySide6/Qt/libexec/QtWebEngineProcess",
        "PySide6/Qt/resources/qtwebengine_resources.pak", "PySide6/Qt/resources/icudtl.dat",
        "PySide6/Qt/translations/qtwebengine_locales/en-US.pak",
        "PySide6/Qt/translations/qtwebengine_locales/id.pak",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/lib/libQt6Multimedia.so.6", "PySide6/QtMultimedia.abi3.so",
    ]
    from console.map.page import PAGE_SCRIPTS

    shipped += [f"console/map/static/{s}" for s in PAGE_SCRIPTS]
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


def test_left_out_is_what_the_spec_says():
    """installer/posko.spec leaves out what the console never uses; these are the cuts a
    PyInstaller or PySide6 upgrade could quietly undo (or overdo)."""
    locales = sorted(p.name for p in (QT / "translations" / "qtwebengine_locales").glob("*"))
    assert locales == ["en-US.pak", "id.pak"]
    qms = {p.name for p in (QT / "translations").glob("*.qm")}
    assert qms and all(n.rsplit("_", 1)[1] in ("en.qm", "id.qm") for n in qms), sorted(qms)
    assert not (QT / "resources" / "qtwebengine_devtools_resources.pak").exists()
    # Qt Multimedia stays (QSoundEffect plays the alerts) without its FFmpeg backend
    assert not (QT / "plugins" / "multimedia").exists()
    assert not list((QT / "lib").glob("libav*")) and not list((QT / "lib").glob("libsw*"))
    # no numpy: the map page comes prebuilt (console/map/page.py), folium is never imported
    assert not (INTERNAL / "numpy").exists() and not (INTERNAL / "numpy.libs").exists()


def _icu_items(data: bytes) -> set[str]:
    """The item names of the ICU common data inside ``data`` (a .dat file or a library)."""
    import re
    import struct

    # header size, magic 0xda27, … format "CmnD", then the table of contents
    base = re.search(rb"[\x10-\xff]\x00\xda\x27.{8}CmnD", data, re.S).start()
    toc = base + struct.unpack_from("<H", data, base)[0]
    names = set()
    for i in range(struct.unpack_from("<I", data, toc)[0]):
        off = toc + struct.unpack_from("<I", data, toc + 4 + 8 * i)[0]
        names.add(data[off:data.index(b"\0", off)].decode().split("/", 1)[1])
    return names


def _other_languages(names: set[str]) -> list[str]:
    import re

    return [n for n in names if re.match(r"(\w+/)?(de|ja|zh|fr|ar)(_\w*)?\.res$", n)]


def test_icu_data_is_trimmed_to_what_qt_reads():
    """libicudata is rebuilt with Indonesian, English and root locale data only and
    without the services Qt Core never calls (see installer/posko.spec): the same soname
    and data symbol, a valid ICU package, with what Qt Core reads (collation root,
    time-zone names in id and en, converters and their aliases)."""
    lib = next((QT / "lib").glob("libicudata.so.*[0-9]"))
    assert lib.stat().st_size < 16 * 2**20, "the ICU data was not trimmed"
    names = _icu_items(lib.read_bytes())
    for needed in ("coll/ucadata.icu", "coll/root.res", "coll/id.res", "zone/id.res",
                   "zone/en.res", "zone/root.res", "zone/pool.res", "metaZones.res",
                   "zoneinfo64.res", "timezoneTypes.res", "supplementalData.res",
                   "cnvalias.icu", "ibm-1252_P100-2000.cnv", "nfkc.nrm", "uts46.nrm", "id.res",
                   "en.res", "root.res", "pool.res", "res_index.res"):
        assert needed in names, needed
    assert _other_languages(names) == []
    assert not any(n.startswith(("brkitr/", "translit/")) for n in names)


def test_chromium_icu_data_keeps_every_service():
    """QtWebEngine's icudtl.dat loses only other languages' locale data: Blink breaks
    lines with ICU (the Thai and CJK dictionaries included) and V8's Intl uses the rest."""
    names = _icu_items((QT / "resources" / "icudtl.dat").read_bytes())
    for needed in ("brkitr/line.brk", "brkitr/cjdict.dict", "brkitr/thaidict.dict",
                   "coll/ucadata.icu", "coll/id.res", "zone/id.res", "id.res", "en.res",
                   "root.res", "cnvalias.icu"):
        assert needed in names, needed
    assert _other_languages(names) == []


def test_no_link_points_nowhere():
    dangling = [str(p.relative_to(BUNDLE)) for p in BUNDLE.rglob("*")
                if p.is_symlink() and not p.exists()]
    assert dangling == []


def _size_mb() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def test_size_meets_the_target():
    assert _size_mb() <= TARGET_MB


def test_demo_export_and_first_paint_from_the_bundle(tmp_path):
    data = tmp_path / "demo"
    out = _run(tmp_path, "demo", "--no-gui", "--reports", "50", "--data-dir", str(data)).stdout
    assert "50 reports" in out and "Seeded" in out  # "Seeded the server with 50 reports …"
    # a shift PDF with the bundled font (reportlab and posko_resources inside)
    _run(tmp_path, "export", "shift", "--data-dir", str(data), "--from", "2000-01-01",
         "--to", "2100-01-01", "--out", str(tmp_path / "shift.pdf"))
    pdf = (tmp_path / "shift.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf
    # the console itself, headless: its window paints (Qt, the database, translations)
    painted = _run(tmp_path, "--data-dir", str(data), "--lang", "en",
                   POSKO_EXIT_AFTER_FIRST_PAINT="1")
    assert "POSKO_FIRST_PAINT" in painted.stdout
    assert "no translation" not in painted.stderr  # posko_en.qm found and loaded


def _demo(tmp_path: Path) -> Path:
    data = tmp_path / "demo"
    _run(tmp_path, "demo", "--no-gui", "--reports", "50", "--data-dir", str(data))
    return data


def test_map_page_renders_in_the_bundle(tmp_path):
    """The offline map — its prebuilt page, Leaflet, QtWebEngine with only its id/en locales
    and no devtools — loads in the bundle and draws the reports (in English, and in
    Indonesian, whose Chromium locale is id.pak)."""
    data = _demo(tmp_path)
    for lang in ("en", "id"):
        out = _run(tmp_path, "--data-dir", str(data), "--lang", lang,
                   POSKO_EXIT_AFTER_MAP_PAINT="1").stdout
        painted = [line for line in out.splitlines() if line.startswith("POSKO_MAP_PAINTED")]
        assert painted and int(painted[0].split()[1]) > 0, out[-2000:]


def _pulse_available() -> bool:
    import ctypes.util

    return ctypes.util.find_library("pulse") is not None


@pytest.mark.skipif(not _pulse_available(), reason="no libpulse on this machine: Qt "
                    "Multimedia cannot load (the console beeps instead), in or out of a bundle")
def test_alert_sound_loads_in_the_bundle(tmp_path):
    """Qt Multimedia without its FFmpeg backend still plays the alert WAV (QSoundEffect
    decodes WAV itself): it loads and, with an audio output, plays; with none (a machine
    without a sound server) QSoundEffect cannot open a device, which this cannot tell from
    a bad file, so that case is skipped."""
    data = _demo(tmp_path)
    # the sound server of the session running the tests (the bundle's HOME is empty)
    sound = {k: os.environ[k] for k in ("XDG_RUNTIME_DIR", "PULSE_SERVER") if k in os.environ}
    out = _run(tmp_path, "--data-dir", str(data), POSKO_SOUND_CHECK="p1", POSKO_NO_MAP="1",
               **sound).stdout
    result = next(line for line in out.splitlines() if line.startswith("POSKO_SOUND ")).split()
    if result[1] != "ready" and result[2] == "0":
        pytest.skip(f"no audio output here ({' '.join(result)}): start a sound server "
                    "(pulseaudio -D) to check the sound")
    assert result[1] == "ready", out[-2000:]
