"""A shift change at one desk: the next officer logs in on the same data folder. The pull
cursor belongs to the server and the scope, not to the person, so an officer with the
same scope does not pull everything again over a slow link; a different scope does."""

from __future__ import annotations

from console.sync.engine import SyncConfig, SyncEngine
from console.sync.testing.live import PASSWORD
from tests.sync.helpers import KEL, KEL_OTHER, new_report


def _cursor(console) -> int:
    return int(console.scalar("SELECT value FROM meta WHERE key = 'sync.cursor'") or 0)


def _login_as(console, live, username: str) -> SyncEngine:
    engine = SyncEngine(console.executor, SyncConfig(server_url=live.url, username=username,
                                                     blob_dir=console.path / "blobs"))
    engine.login(PASSWORD)
    return engine


def test_next_officer_keeps_the_cursor_another_scope_restarts_it(live, make_console):
    source = make_console(role="operator", regions=())
    for i in range(3):
        new_report(source, title=f"Jalan berlubang {i}")
    source.sync()
    desk = make_console()  # a kelurahan office in KEL
    assert desk.sync().complete
    pulled = _cursor(desk)
    assert pulled > 0

    live.add_user("kel-shift2", "kelurahan", [KEL])
    nxt = _login_as(desk, live, "kel-shift2")
    try:
        assert _cursor(desk) == pulled  # same scope: nothing to pull again
        assert desk.scalar("SELECT value FROM meta WHERE key = 'sync.username'") == "kel-shift2"
    finally:
        nxt.close()

    live.add_user("kel-elsewhere", "kelurahan", [KEL_OTHER])
    other = _login_as(desk, live, "kel-elsewhere")
    try:
        assert _cursor(desk) == 0  # another scope: the pull starts again
    finally:
        other.close()
