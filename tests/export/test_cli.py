"""`posko export shift …` headless, in-process through argparse."""

from __future__ import annotations

import argparse
import io

import openpyxl
import pytest

from console.export.cli import add_export_parser, parse_time, run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posko")
    parser.add_argument("--data-dir", default=None)
    sub = parser.add_subparsers(dest="command")
    add_export_parser(sub)
    return parser


@pytest.fixture
def passwords(db, scenario):
    """``--as`` proves the account with its password: give the scenario's staff the
    verifiers a login on this data folder would have cached."""
    from console.operations.accounts import make_verifier

    conn = db.raw()
    with conn:
        for name in ("spv.hendra", "op.rina"):
            conn.execute("UPDATE operator SET verifier = ?, last_login_at ="
                         " '2026-11-24 00:00:00.000000' WHERE username = ?",
                         (make_verifier(f"sandi-{name}"), name))
    conn.close()


def test_cli_writes_the_report(db, scenario, passwords, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-spv.hendra\n"))
    out = tmp_path / "laporan.xlsx"
    args = _parser().parse_args([
        "export", "shift", "--data-dir", str(db.path.parent), "--from", "2026-11-24T07:00",
        "--to", "2026-11-25T07:00+07:00", "--format", "xlsx", "--out", str(out),
        "--region", "3273", "--unmask", "--as", "spv.hendra"])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "laporan dalam periode" in printed
    assert "dicatat di linimasa" in printed
    wb = openpyxl.load_workbook(out)
    # Naive --from is WIB: the Bandung reports of the window, not Semarang's J.
    assert wb["Laporan"].max_row - 1 == 11


def test_cli_errors_exit_2_with_a_message(db, scenario, passwords, tmp_path, capsys,
                                         monkeypatch):
    parser = _parser()
    base = ["export", "shift", "--data-dir", str(db.path.parent), "--from", "2026-11-24"]
    unmask_as = ["--out", str(tmp_path / "x.pdf"), "--unmask", "--as"]
    cases = [
        (["--out", str(tmp_path / "missing" / "x.pdf")], "", "Folder tujuan tidak ada"),
        ([*unmask_as, "op.rina"], "sandi-op.rina\n", "tidak berhak"),
        # A name alone proves nothing: a supervisor's name without (or with a wrong) password.
        ([*unmask_as, "spv.hendra"], "", "ketik kata sandi akun itu"),
        ([*unmask_as, "spv.hendra"], "sandi-op.rina\n", "kata sandi salah untuk spv.hendra"),
        (["--out", str(tmp_path / "x.txt")], "", "Format txt tidak dikenal"),
        (["--out", str(tmp_path / "x.pdf"), "--to", "kemarin"], "", "not an ISO 8601 time"),
    ]
    for extra, stdin, message in cases:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        args = parser.parse_args(base + extra)
        assert run(args) == 2
        assert message in capsys.readouterr().err
    args = parser.parse_args(["export", "shift", "--data-dir", str(tmp_path / "empty"),
                              "--lang", "en", "--from", "2026-11-24", "--out", str(tmp_path / "x.pdf")])
    assert run(args) == 2
    assert "no Posko database" in capsys.readouterr().err
    assert not (tmp_path / "empty").exists()  # never creates a database by accident


def test_parse_time_zones():
    assert parse_time("2026-11-24", "Asia/Jakarta").isoformat() == "2026-11-24T00:00:00+07:00"
    assert parse_time("2026-11-24T00:00Z", "Asia/Jakarta").utcoffset().total_seconds() == 0
