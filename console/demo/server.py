"""The demo's central server: the real Posko server (server/app.py) running in the demo's
own process, on 127.0.0.1 only, with its SQLite data in the demo folder.

In-process (a uvicorn thread), not a child process, so it cannot outlive the demo: when
the demo ends — window closed, Ctrl+C, SIGTERM, even SIGKILL — the thread and its
listening socket go with the process. No orphan server is possible, and nothing else
has to be cleaned up (a stale ``demo-server.json`` is recognised by its dead pid).

The server holds the demo data, seeded straight into its own tables from the same
generator the local demo used (console/demo/generate.py), so consoles get it by a real
sync, and three demo accounts of Kota Bandung (``ACCOUNTS``) with the demo password.
It serves one city, as a real city's server does: the demo data is Bandung's.

Qt-free: ``posko demo --no-gui`` and the tests use it without a desktop toolkit.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from console.operations.accounts import DEMO_PASSWORD

from .folder import SERVER_DIR
from .generate import DEMO_OPERATORS, DISPATCH_COLUMNS, REPORT_COLUMNS, generate

#: The demo server's city (a server serves one city; its regions are seeded for it).
DEMO_CITY = "bandung"
#: Tried first, so a desk restarted later finds the same address (a console that sees a
#: new address pulls everything again); any free port when it is taken.
DEMO_PORT = 8310
HOST = "127.0.0.1"  # loopback only: the demo works with the network unplugged
#: Written while the server runs, so a second desk (another process) can find it.
INFO_FILE = "demo-server.json"
PASSWORD = DEMO_PASSWORD
_TIME_COLUMNS = ("created_at", "updated_at", "verified_at", "dispatched_at", "resolved_at",
                 "closed_at", "sla_due_at", "at", "expected_at")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    regions: tuple[str, ...]
    desk: str  # who sits there, for the printed list

    def line(self) -> str:
        return f"  {self.username:<12} {self.role:<11} {self.desk}"


def _kelurahan_code(name: str) -> str:
    from console.store.regions import region_rows

    for row in region_rows(DEMO_CITY):
        if row["level"] == "kelurahan" and row["name"] == name:
            return row["code"]
    raise KeyError(f"no kelurahan {name!r} in {DEMO_CITY}")


def _accounts() -> tuple[DemoAccount, ...]:
    ops = {o.username: o for o in DEMO_OPERATORS}
    kel = ops["kel.campaka"]
    return (
        DemoAccount("op.rina", ops["op.rina"].display_name, "operator", (),
                    "command center, the whole city (desk 1)"),
        DemoAccount("spv.hendra", ops["spv.hendra"].display_name, "supervisor", (),
                    "shift supervisor, the whole city"),
        DemoAccount(kel.username, kel.display_name, "kelurahan",
                    (_kelurahan_code(kel.kelurahan),),
                    f"kelurahan {kel.kelurahan} office (desk 2: --desk kelurahan)"),
    )


ACCOUNTS = _accounts()
OPERATOR, SUPERVISOR, KELURAHAN = ACCOUNTS


def server_settings(folder: Path) -> Any:
    from server.settings import Settings, private_dir

    data = private_dir(Path(folder) / SERVER_DIR)
    return Settings(db_url=str(data / "posko-server.sqlite3"), city=DEMO_CITY,
                    files_dir=data / "files", data_dir=data)


# --- seeding ------------------------------------------------------------------------------

def _when(value: str | None) -> datetime | None:
    # The generator writes the console's stored text (UTC, no offset).
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _rows(columns: Iterable[str], rows: Iterable[tuple], seq: list[int], **extra) -> list[dict]:
    out = []
    for row in rows:
        d = dict(zip(columns, row, strict=True))
        for col in _TIME_COLUMNS:
            if col in d:
                d[col] = _when(d[col])
        seq[0] += 1
        d["seq"] = seq[0]
        d.update(extra)
        out.append(d)
    return out


def report_count(db: Any) -> int:
    from sqlalchemy import func, select

    from server.models import Report

    with db.read() as conn:
        return conn.execute(select(func.count()).select_from(Report.__table__)).scalar() or 0


def seed_server(db: Any, reports: int, *, seed: int = 1, weeks: int = 6,
                now: datetime | None = None) -> dict[str, Any]:
    """Put ``reports`` demo reports (with their dispatches) into the server's database,
    each with its own change sequence number, as if consoles had pushed them: a console
    pulls them like any other change. One write transaction (the server's write lock)."""
    from sqlalchemy import insert, select, update

    from server.models import Counter, Dispatch, Report

    t0 = time.perf_counter()
    counter = Counter.__table__
    counts = {"reports": 0, "dispatches": 0}
    with db.write() as conn:
        seq = [conn.execute(select(counter.c.value).where(counter.c.name == "seq")).scalar() or 0]
        for batch in generate(reports, seed=seed, weeks=weeks, now=now, cities=[DEMO_CITY],
                              chunk=5000):
            rows = _rows(REPORT_COLUMNS, batch.reports, seq, source="console", field_revs="{}")
            for r in rows:
                r["received_at"] = r["created_at"]
            if rows:
                conn.execute(insert(Report.__table__), rows)
            # The server keeps no acknowledgement time; the rest is the same row.
            dispatches = _rows(DISPATCH_COLUMNS, batch.dispatches, seq)
            for d in dispatches:
                d.pop("acknowledged_at", None)
            if dispatches:
                conn.execute(insert(Dispatch.__table__), dispatches)
            counts["reports"] += len(rows)
            counts["dispatches"] += len(dispatches)
        conn.execute(update(counter).where(counter.c.name == "seq").values(value=seq[0]))
    return {**counts, "seconds": round(time.perf_counter() - t0, 3)}


def ensure_accounts(db: Any) -> list[DemoAccount]:
    """Create the demo accounts that are missing; returns those created."""
    from server import auth

    made = []
    for acc in ACCOUNTS:
        try:
            auth.create_account(db, acc.username, acc.role, PASSWORD, regions=list(acc.regions),
                                display_name=acc.display_name)
        except auth.AccountError as exc:
            if "already exists" not in str(exc):
                raise
            continue
        made.append(acc)
    return made


# --- running ------------------------------------------------------------------------------

@dataclass
class DemoServer:
    url: str
    app: Any
    server: Any
    thread: threading.Thread
    info: Path

    @property
    def db(self) -> Any:
        return self.app.state.ctx.db

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def stop(self) -> None:
        """Stop serving and close the port (idempotent)."""
        self.server.should_exit = True
        self.thread.join(15)
        self.db.dispose()
        try:
            if json.loads(self.info.read_text(encoding="utf-8")).get("pid") == os.getpid():
                self.info.unlink()
        except (OSError, ValueError):
            pass


def _listen(port: int) -> socket.socket:
    """A socket on 127.0.0.1: ``port`` if free, else any free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name != "nt":  # the last demo's closed connections (TIME_WAIT) must not push it
        # off its port; on Windows the option would let two servers share one
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))
    sock.listen(128)
    return sock


def open_server_app(folder: Path) -> Any:
    """The server application on the demo folder's server data (migrated, reference data
    seeded, by create_app)."""
    from server.app import create_app

    return create_app(server_settings(folder))


def start_demo_server(folder: Path, app: Any | None = None, *,
                      port: int | None = None) -> DemoServer:
    """Serve the demo folder's server on 127.0.0.1 in a daemon thread of this process
    (on ``port``, default DEMO_PORT, or any free port when that is taken)."""
    from server.inprocess import serve_in_thread

    app = app or open_server_app(folder)
    sock = _listen(DEMO_PORT if port is None else port)
    url = f"http://{HOST}:{sock.getsockname()[1]}"
    server, thread = serve_in_thread(app, sock, name="demo server")
    info = Path(folder) / SERVER_DIR / INFO_FILE
    info.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return DemoServer(url, app, server, thread, info)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows: trust health
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: not the demo
        return False
    return True


class NoDemoServer(RuntimeError):
    """No demo server answers for this demo folder."""


def running_server_url(folder: Path, *, timeout: float = 3.0) -> str:
    """The URL of the demo server desk 1 runs for ``folder``; NoDemoServer if none."""
    import httpx

    info = Path(folder) / SERVER_DIR / INFO_FILE
    hint = f"start it first in another terminal: `posko demo --data-dir {folder}` (or `make demo`)"
    try:
        recorded = json.loads(info.read_text(encoding="utf-8"))
        url, pid = str(recorded["url"]), int(recorded["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        raise NoDemoServer(f"no demo server is running for {folder}: {hint}") from None
    if not _alive(pid):
        # A demo killed outright left its address; another program (another folder's
        # demo, say) may answer there now: never log this desk in to it.
        raise NoDemoServer(f"the demo of {folder} (PID {pid}) is gone: {hint}")
    try:
        ok = httpx.get(f"{url}/v1/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        ok = False
    if not ok:
        raise NoDemoServer(f"the demo server of {folder} ({url}) does not answer: {hint}")
    return url
