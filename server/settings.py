"""Server settings: one frozen dataclass, built from the command line or by tests.

Nothing here reads the environment behind the caller's back; ``cli.py`` turns options
into a ``Settings`` and everything else receives it explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from console.store.regions import CITIES

MiB = 1024 * 1024


def normalise_db_url(value: str) -> str:
    """Accept a plain file path (SQLite) or an SQLAlchemy URL; PostgreSQL uses psycopg 3."""
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) and keep it to the server's user: 0700 whatever
    the umask. Attachments and the database hold personal data."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> None:
    """0600 on an existing file (a no-op for one that is not there)."""
    try:
        os.chmod(path, 0o600)
    except FileNotFoundError:
        pass


def default_data_dir() -> Path:
    """The per-user data folder's ``server`` subfolder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("posko", "Posko")) / "server"


@dataclass(frozen=True)
class Settings:
    db_url: str = "sqlite:///posko-server.sqlite3"
    #: Which city this server serves: its regions are seeded and its bounding box checks
    #: coordinates (see console/domain/geo.py CITY_BOUNDS).
    city: str = "bandung"
    #: Where attachment bytes live. None: next to the SQLite file (``<name>-files``), or,
    #: on PostgreSQL, ``files`` in ``data_dir`` - never relative to the working directory.
    files_dir: Path | None = None
    #: The server's data folder (``posko server run --data-dir``); None: the per-user one.
    data_dir: Path | None = None
    token_ttl: timedelta = timedelta(hours=12)
    #: Largest JSON or form body (push batches, Open311 requests); larger is a 413.
    max_body_bytes: int = 2 * MiB
    #: Largest single upload chunk and largest whole attachment.
    max_chunk_bytes: int = 4 * MiB
    max_attachment_bytes: int = 20 * MiB
    max_push_batch: int = 500
    max_pull_limit: int = 5000
    default_pull_limit: int = 500
    #: Refuse coordinates outside the city's bounding box (a typo, a swapped pair).
    enforce_city_bounds: bool = True
    tz: str = "Asia/Jakarta"
    thumbnail_px: int = 320
    #: argon2 cost: "default" (argon2-cffi's RFC 9106 low-memory profile) or "fast"
    #: (tests only: a deliberately cheap hash so a test suite does not spend its time hashing).
    password_profile: str = "default"
    #: Failed logins allowed per account name, and per client address, in one window;
    #: then every login of that name (even with the right password) or from that address
    #: answers 429 with Retry-After until the window ends (issue 12 M2).
    login_failures_per_account: int = 10
    login_failures_per_address: int = 50
    login_window: timedelta = timedelta(minutes=15)
    #: Password hashes computed at once (argon2's memory cost is what drives the server's
    #: memory: 64 MiB each with the default profile); more logins wait their turn.
    login_hash_slots: int = 2
    #: Open311 requests filed per API key and per client address in one window; then 429
    #: with Retry-After (issue 12 M5). A key is embedded in a citizen app, so the per-key
    #: limit is the whole app's; many citizens may share one address (mobile carriers' NAT).
    open311_posts_per_key: int = 100
    open311_posts_per_address: int = 20
    open311_post_window: timedelta = timedelta(minutes=10)
    #: Anonymous Open311 reads per client address in one window (then 429), counted in
    #: the process (server/public_reads.py), and how long an answer is cached.
    open311_reads_per_address: int = 60
    open311_read_window: timedelta = timedelta(minutes=1)
    open311_cache_s: float = 10.0
    #: Serve the interactive API pages /docs and /redoc (off by default; /openapi.json is
    #: always there).
    docs: bool = False
    #: Connection hygiene (server/netguard.py): seconds for a request's headers, for its
    #: body (plus one second per ``body_min_rate`` bytes), for an idle keep-alive
    #: connection, and the most connections and requests at once (more answer 503).
    header_timeout: float = 20.0
    body_timeout: float = 60.0
    body_min_rate: int = 1024
    keep_alive_timeout: int = 30
    max_connections: int = 1000
    #: ``/metrics`` (server/metrics.py) answers loopback clients only, unless this token is
    #: set: then any client sending ``Authorization: Bearer <token>`` (a Prometheus on
    #: another machine), and nobody without it.
    metrics_token: str | None = None

    def __post_init__(self) -> None:
        if self.city not in CITIES:
            raise ValueError(f"unknown city {self.city!r}; known: {', '.join(CITIES)}")
        object.__setattr__(self, "db_url", normalise_db_url(self.db_url))
        for name in ("files_dir", "data_dir"):  # fixed now: a later chdir changes nothing
            if (value := getattr(self, name)) is not None:
                object.__setattr__(self, name, Path(value).expanduser().resolve())
        if self.password_profile not in ("default", "fast"):
            raise ValueError("password_profile must be 'default' or 'fast'")

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def attachments_dir(self) -> Path:
        if self.files_dir is not None:
            return Path(self.files_dir)
        if self.is_sqlite and self.db_url.startswith("sqlite:///"):
            db_path = Path(self.db_url[len("sqlite:///"):])
            return db_path.with_name(db_path.stem + "-files")
        return Path(self.data_dir or default_data_dir()) / "files"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
