"""deploy/systemd units and docs/deploy.md stay in step with the command line: every
command they run parses, and the hardening the deployment guide promises is there."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from server.cli import parse_args

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def _unit(name: str) -> dict[str, list[str]]:
    text = (UNITS / name).read_text().replace("\\\n", " ")
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def _environment(unit: dict) -> dict[str, str]:
    return dict(v.split("=", 1) for v in unit.get("Environment", []))


def _server_args(command: str, env: dict[str, str]) -> list[str]:
    for key, value in env.items():
        command = command.replace(f"${{{key}}}", value).replace(f"$${key}", value)
        command = command.replace(f'"${key}"', value)
    words = shlex.split(command)
    return words[words.index("server") + 1:]


def test_the_server_unit_runs_a_command_the_cli_accepts_and_is_hardened():
    unit = _unit("posko-server.service")
    args = parse_args(_server_args(unit["ExecStart"][0], _environment(unit)))
    assert args.server_command == "run" and args.workers == 4
    assert args.host == "127.0.0.1" and args.log_format == "json"
    assert str(args.data_dir) == "/var/lib/posko"
    for key, value in (("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"),
                       ("ReadWritePaths", "/var/lib/posko"), ("Restart", "on-failure"),
                       ("User", "posko")):
        assert unit[key] == [value], key


def test_the_backup_unit_runs_a_backup_the_cli_accepts():
    unit = _unit("posko-server-backup.service")
    shell = shlex.split(unit["ExecStart"][0])[-1].replace("$$", "$").replace("%%", "%")
    args = parse_args(_server_args(shell, _environment(unit)))
    assert args.server_command == "backup" and str(args.out).startswith("/var/backups/posko/")
    assert "/var/backups/posko" in unit["ReadWritePaths"][0]
    timer = _unit("posko-server-backup.timer")
    assert timer["Persistent"] == ["true"]


def test_every_server_command_the_guide_names_exists():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    named = set(re.findall(r"posko server ([a-z][a-z-]+)", guide))
    assert {"run", "backup", "restore", "migrate", "add-user"} <= named
    for cmd in named:
        extra = {"backup": ["--out", "x"], "restore": ["--from", "x"],
                 "add-user": ["x", "--role", "operator"]}.get(cmd, [])
        assert parse_args([cmd, *extra]).server_command == cmd


def test_proxy_headers_are_trusted_only_when_asked_and_only_from_loopback(tmp_path, monkeypatch):
    import uvicorn

    from server.cli import main

    seen: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.append(kw))
    assert main(["run", "--data-dir", str(tmp_path)]) == 0
    assert main(["run", "--data-dir", str(tmp_path), "--proxy-headers"]) == 0
    assert [kw["proxy_headers"] for kw in seen] == [False, True]
    assert seen[1]["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert "--proxy-headers" in _unit("posko-server.service")["ExecStart"][0]
