"""The benchmark harness: figures, timing helpers and the shared 1M-report database.

A figure is ``name -> {"value", "unit", "baseline", "ratio"}``. ``baseline`` is the same
quantity measured for a naive approach in the same run (None where none exists), and
``ratio`` says how many times better ours is, whichever direction "better" points.
"""

from __future__ import annotations

import socket
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The checkout the bench runs in (processes it starts run from here).
ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = ROOT / "bench-data"
BIG_REPORTS = 1_000_000


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float | None = None
    higher_is_better: bool = False
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.value or not self.baseline:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    def as_json(self) -> dict:
        return {
            "value": round(self.value, 3),
            "unit": self.unit,
            "baseline": None if self.baseline is None else round(self.baseline, 3),
            "ratio": None if self.ratio is None else round(self.ratio, 2),
            **({"note": self.note} if self.note else {}),
        }


def wait_until_up(proc, url: str, *, timeout: float = 60.0) -> None:  # noqa: ANN001
    """Wait until the server process ``proc`` answers 200 at ``url``; a clear error with
    the end of its stderr when it exits first or does not answer within ``timeout``."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {proc.stderr.read().decode()[-2000:]}")
        time.sleep(0.1)


def memory_keyring() -> None:
    """The bench never touches the operating system's keyring: keys of the databases it
    encrypts (and login tokens) live in memory for the run."""
    import keyring

    from console.sync.testing.memkeyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (for a server process the bench starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def time_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def kept_database(folder: str, reports: int, *, label: str = "",
                  progress: Callable[[str], None] = print, **seed_args) -> tuple[Path, float]:
    """A demo database of ``reports`` reports in bench-data/<folder>/, built once and kept
    across runs (its ``complete`` marker says a build finished; a half-built folder is
    rebuilt). Returns its path and the seconds a build took now (0.0 when kept).

    Plain, not encrypted: the file outlives the run, the bench's in-memory keyring (and
    key) does not."""
    import shutil

    from console.demo.bulk import seed_demo

    path = BENCH_DATA / folder / "posko.sqlite3"
    done = path.with_name("complete")
    if path.exists() and done.exists():
        return path, 0.0
    if path.parent.exists():
        shutil.rmtree(path.parent)
    path.parent.mkdir(parents=True)
    progress(f"building the {reports:,}-report {label}bench database at {path} (once) …")
    t0 = time.perf_counter()
    stats = seed_demo(path, reports=reports, encrypt=False, **seed_args)
    elapsed = time.perf_counter() - t0
    done.write_text(f"{elapsed:.1f}\n{stats}\n")
    return path, elapsed


def big_database(progress: Callable[[str], None] = print) -> Path:
    """The 1,000,000-report demo database the figures share, built once and kept in
    bench-data/ (its build time is reported by the store figures when it happens)."""
    return kept_database(f"reports-{BIG_REPORTS}", BIG_REPORTS, progress=progress,
                         seed=7, weeks=52)[0]
