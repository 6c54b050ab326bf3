"""`posko export shift …` headless, in-process through argparse."""

from __future__ import annotations

import argparse

import openpyxl

from console.export.cli import add_export_parser, parse_time, run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="posko")
    parser.add_argument("--data-dir", default=None)
    sub = parser.add_subparsers(dest="command")
    add_export_parser(sub)
    return parser


def test_cli_writes_the_report(db, scenario, tmp_path, capsys):
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


def test_cli_errors_exit_2_with_a_message(db, scenario, tmp_path, capsys):
    parser = _parser()
    base = ["export", "shift", "--data-dir", str(db.path.parent), "--from", "2026-11-24"]
    cases = [
        (["--out", str(tmp_path / "missing" / "x.pdf")], "Folder tujuan tidak ada"),
        (["--out", str(tmp_path / "x.pdf"), "--unmask", "--as", "op.rina"], "tidak berhak"),
        (["--out", str(tmp_path / "x.txt")], "Format txt tidak dikenal"),
        (["--out", str(tmp_path / "x.pdf"), "--to", "kemarin"], "not an ISO 8601 time"),
    ]
    for extra, message in cases:
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
