"""Unwritable destinations, a full disk, cancelling: a clear message and no file left
behind that could pass for a finished report."""

from __future__ import annotations

import errno
import os

import pytest

from console.export.output import ExportCancelled, ExportError


def _no_trace(folder, name):
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".part") or p.name == name]
    assert leftovers == [], leftovers


def _logged(conn) -> int:
    return conn.execute("SELECT count(*) FROM export_log").fetchone()[0]


def test_missing_folder_and_directory_as_file(export, tmp_path, conn):
    with pytest.raises(ExportError) as err:
        export("pdf", name="nope/shift.pdf")
    assert err.value.key == "folder_missing"
    assert "Folder tujuan tidak ada" in str(err.value) and str(tmp_path / "nope") in str(err.value)
    (tmp_path / "adir.xlsx").mkdir()
    with pytest.raises(ExportError) as err:
        export("xlsx", name="adir.xlsx", lang="en")
    assert err.value.key == "is_directory" and "is a folder" in str(err.value)
    assert _logged(conn) == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder(export, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError) as err:
            export("csv", name="ro/shift.csv")
        assert err.value.key == "not_writable"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_unwritable_folder_message(export, tmp_path, monkeypatch, conn):
    import console.export.output as output

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError) as err:
        export("pdf", lang="en")
    assert err.value.key == "not_writable"
    assert "not writable" in str(err.value) and "shift.pdf" in str(err.value)
    assert "tidak boleh ditulisi" in err.value.message("id")
    _no_trace(tmp_path, "shift.pdf")
    assert _logged(conn) == 0


class _FillingDisk:
    """A file whose disk fills up after ``room`` bytes."""

    def __init__(self, f, room: int) -> None:
        self._f, self._room = f, room

    def write(self, data):
        self._room -= len(data)
        if self._room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_full_disk_leaves_nothing_and_keeps_the_old_file(export, tmp_path, monkeypatch, conn, fmt):
    import console.export.output as output

    name = f"shift.{fmt}"
    old = tmp_path / name
    old.write_bytes(b"yesterday's report")
    real_fdopen = os.fdopen
    monkeypatch.setattr(output.os, "fdopen",
                        lambda fd, *a, **kw: _FillingDisk(real_fdopen(fd, *a, **kw), 1500))
    with pytest.raises(ExportError) as err:
        export(fmt, unmask=True, actor="spv.hendra")
    assert err.value.key == "disk_full"
    assert "Disk penuh" in str(err.value)
    assert old.read_bytes() == b"yesterday's report"  # untouched, not half-overwritten
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".shift", "shift"))) == [name]
    assert _logged(conn) == 0
    assert conn.execute("SELECT count(*) FROM report_event WHERE kind = 'export_unmasked'").fetchone()[0] == 0


def test_cancel_leaves_nothing(db, scenario, tmp_path, conn):
    from console.export.model import ExportRequest
    from console.export.service import export_shift_report

    out = tmp_path / "cancel.xlsx"
    req = ExportRequest(start=scenario.start, end=scenario.end, fmt="xlsx", out=out, now=scenario.now)
    with pytest.raises(ExportCancelled):
        export_shift_report(db.path, req, cancelled=lambda: True)
    _no_trace(tmp_path, "cancel.xlsx")
    assert _logged(conn) == 0


def test_bad_requests_have_clear_messages(export, scenario):
    from datetime import datetime

    cases = [
        (dict(start=scenario.end, end=scenario.start), "window"),
        (dict(start=datetime(2026, 11, 24, 7), end=datetime(2026, 11, 25, 7)), "naive"),
        (dict(region="9999"), "region"),
        (dict(fmt="docx"), "format"),
        (dict(fmt="csv", table="nope"), "table"),
        (dict(map_png=b"GIF89a"), "map"),
    ]
    for kw, key in cases:
        fmt = kw.pop("fmt", "pdf")
        with pytest.raises(ExportError) as err:
            export(fmt, **kw)
        assert err.value.key == key, (kw, err.value)
