"""``posko demo`` uses only a folder it made itself, driven as a user runs it: the real
command (``python main.py demo …``) in a real process, on real folders.

A folder with someone's file, or a real console's database (even one an older Posko
wrongly marked as a demo's), is refused with a message naming the folder and what is in
the way, and nothing in it changes: no marker, no lock file, no database. Demo's own
folder is reused, and ``--fresh`` (what ``make demo`` runs) seeds it again."""

from __future__ import annotations

import hashlib
import os
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from console.demo.sensors import SENSOR_REPORTS
from console.store.db import connect_file
from console.sync.testing.memkeyring import child_env
from tests.e2e.helpers import close_desk, open_desk

ROOT = Path(__file__).resolve().parents[2]


def _posko(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               **child_env(tempfile.mkdtemp(prefix="posko-keyring-")), **(env or {}))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _demo(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return _posko("demo", "--data-dir", str(folder), "--no-gui", *args)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a digest of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _reports(folder: Path) -> int:
    with sqlite3.connect(folder / "posko.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM report").fetchone()[0]


def test_a_folder_with_someone_elses_file_is_refused_and_untouched(tmp_path):
    folder = tmp_path / "Dokumen"
    folder.mkdir()
    (folder / "notes.txt").write_text("Rapat koordinasi BPBD Kamis 09.00\n", encoding="utf-8")
    before = _snapshot(folder)

    for args in ((), ("--fresh",)):
        run = _demo(folder, "--reports", "50", *args)
        assert run.returncode == 2
        assert str(folder) in run.stderr and "notes.txt" in run.stderr
        assert "nothing was changed" in run.stderr
        assert _snapshot(folder) == before  # no marker, no lock file, no database


def test_fresh_never_deletes_a_real_console_database(qtbot, tmp_path):
    """A console's data folder with live reports, marked by an older Posko's bug with a
    ``.posko-demo`` file: ``posko demo --fresh`` (``make demo``) leaves it alone."""
    folder = tmp_path / "posko-kantor"
    desk = open_desk(qtbot, folder)  # the real console made it: reports, timeline, outbox
    seeded = set(desk.seeded.values())
    outbox = desk.scalar("SELECT count(*) FROM outbox")
    close_desk(desk)
    (folder / "ui.ini").unlink(missing_ok=True)  # only Posko's own files are left
    for plain in ((), ("--fresh",)):
        (folder / ".posko-demo").touch()
        before = _snapshot(folder)
        run = _demo(folder, *plain)
        assert run.returncode == 2
        assert str(folder) in run.stderr
        assert "not demo data" in run.stderr and f"{outbox} changes in its outbox" in run.stderr
        assert _snapshot(folder) == before

    with closing(connect_file(folder / "posko.sqlite3")) as conn:  # encrypted: a real console's
        assert {r[0] for r in conn.execute("SELECT id FROM report")} == seeded
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == outbox


@pytest.mark.slow
def test_demo_makes_reuses_and_resets_its_own_folder(tmp_path):
    folder = tmp_path / "demo"

    first = _demo(folder, "--reports", "60")
    assert first.returncode == 0, first.stderr
    assert f"--data-dir {folder}" in first.stdout  # how other commands find the demo
    assert (folder / ".posko-demo").exists()
    assert _reports(folder) == 60 + SENSOR_REPORTS

    again = _demo(folder, "--reports", "60")
    assert again.returncode == 0, again.stderr
    assert f"Using the existing demo data ({60 + SENSOR_REPORTS} reports)" in again.stdout
    assert _reports(folder) == 60 + SENSOR_REPORTS

    fresh = _demo(folder, "--reports", "30", "--fresh")
    assert fresh.returncode == 0, fresh.stderr
    assert _reports(folder) == 30 + SENSOR_REPORTS  # emptied, then seeded again
    assert (folder / ".posko-demo").exists()

    # Something of the user's dropped into it later makes it theirs: refused, kept.
    (folder / "catatan-shift.txt").write_text("Serah terima pukul 19.00\n", encoding="utf-8")
    refused = _demo(folder, "--fresh")
    assert refused.returncode == 2
    assert "catatan-shift.txt" in refused.stderr
    assert (folder / "catatan-shift.txt").read_text(encoding="utf-8") == "Serah terima pukul 19.00\n"
    assert _reports(folder) == 30 + SENSOR_REPORTS


def test_an_empty_folder_becomes_a_demo_folder(tmp_path):
    folder = tmp_path / "kosong"
    folder.mkdir()
    run = _demo(folder, "--reports", "20")
    assert run.returncode == 0, run.stderr
    assert _reports(folder) == 20 + SENSOR_REPORTS
    assert (folder / ".posko-demo").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG data folder")
@pytest.mark.slow
def test_after_demo_its_export_example_works_and_export_points_to_the_demo(tmp_path):
    """A newcomer runs the demo in its default folder (what ``make demo`` does), then the
    export command it printed; an export without --data-dir says where the demo is."""
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    demo = _posko("demo", "--no-gui", env=env)  # the 5,000 reports `make demo` seeds
    assert demo.returncode == 0, demo.stderr
    demo_dir = tmp_path / "xdg" / "posko" / "demo"
    (example,) = [line.strip() for line in demo.stdout.splitlines()
                  if line.strip().startswith("posko export shift")]
    assert f"--data-dir {demo_dir}" in example

    export = _posko(*shlex.split(example)[1:], env=env, cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "shift.pdf").read_bytes().startswith(b"%PDF")
    assert " 0 laporan" not in export.stdout  # yesterday: a full day of demo reports

    lost = _posko("export", "shift", "--from", "2026-11-28", "--out", "x.pdf", env=env,
                  cwd=tmp_path)
    assert lost.returncode == 2
    assert f"--data-dir {demo_dir}" in lost.stderr
    assert not (tmp_path / "x.pdf").exists()
