"""Issue 12 M2: login throttling and lockout, no username oracle by timing, and a bound
on concurrent password hashing - as a hostile client does it, over real HTTP.

Each test sends from its own loopback address (127.0.0.x), so the per-address counters
of one test do not spill into the next; the server sees them as different clients.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from server import auth
from server.models import Throttle, utcnow
from tests.server.helpers import PASSWORD, start_server

LOGIN = "/v1/auth/login"


def from_addr(live, last: int) -> httpx.Client:
    return live.client(transport=httpx.HTTPTransport(local_address=f"127.0.0.{last}"))


def _login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    return client.post(LOGIN, json={"username": name, "password": password})


def _age_windows(live, minutes: int = 16) -> None:
    t = Throttle.__table__
    with live.ctx.db.write() as conn:
        conn.execute(update(t).values(window_start=utcnow() - timedelta(minutes=minutes)))


def test_wrong_passwords_lock_the_account_then_the_window_passes(live):
    victim = live.account("operator")
    bystander = live.account("operator")
    attacker = from_addr(live, 11)
    answers = [_login(attacker, victim.username, f"guess-{i}") for i in range(20)]
    limit = live.settings.login_failures_per_account
    assert [r.status_code for r in answers[:limit]] == [401] * limit
    for r in answers[limit:]:
        assert r.status_code == 429, r.text
        assert r.json()["error"] == "too_many" and "try again" in r.json()["message"]
        assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    # Lockout: the right password, even from another address, waits for the window too.
    owner = from_addr(live, 12)
    r = _login(owner, victim.username, PASSWORD)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    # Another account is not affected (the attacker's address is still under its limit).
    assert _login(attacker, bystander.username, PASSWORD).status_code == 200
    # Tokens issued before keep working: a locked account is not logged out.
    assert victim.get("/v1/me").status_code == 200
    _age_windows(live)
    assert _login(owner, victim.username, PASSWORD).status_code == 200


def test_unknown_usernames_are_throttled_the_same_way(live):
    """A lockout that only real accounts get would itself reveal which names exist."""
    attacker = from_addr(live, 13)
    limit = live.settings.login_failures_per_account
    codes = [_login(attacker, "no-such-user", "x" * 8).status_code for _ in range(limit + 2)]
    assert codes == [401] * limit + [429, 429]


def test_many_accounts_from_one_address_are_throttled(live):
    attacker = from_addr(live, 14)
    limit = live.settings.login_failures_per_address
    for i in range(limit):
        assert _login(attacker, f"spray-{i}", "Password1").status_code == 401
    r = _login(attacker, "spray-last", "Password1")
    assert r.status_code == 429 and "Retry-After" in r.headers
    # Another address is not affected.
    other = live.account("operator")
    assert _login(from_addr(live, 15), other.username, PASSWORD).status_code == 200


def test_counters_hold_across_server_processes(live):
    """Two servers on one database (several workers on one PostgreSQL): failures sent to
    both count together."""
    app2, server2, thread2, url2 = start_server(live.settings)
    try:
        victim = live.account("operator")
        one = from_addr(live, 16)
        two = httpx.Client(base_url=url2, timeout=30,
                           transport=httpx.HTTPTransport(local_address="127.0.0.16"))
        limit = live.settings.login_failures_per_account
        for i in range(limit):
            client = one if i % 2 else two
            assert _login(client, victim.username, f"guess-{i}").status_code == 401
        assert _login(one, victim.username, PASSWORD).status_code == 429
        assert _login(two, victim.username, PASSWORD).status_code == 429
        two.close()
    finally:
        server2.should_exit = True
        thread2.join(15)
        app2.state.ctx.db.dispose()


class CountingHasher:
    """Wraps the server's hasher: counts hash() and verify() calls and the most verify()
    calls running at once."""

    def __init__(self, real, delay: float = 0.0) -> None:
        self.real, self.delay = real, delay
        self.hashes = self.verifies = self.running = self.peak = 0
        self.lock = threading.Lock()

    def hash(self, password: str) -> str:
        with self.lock:
            self.hashes += 1
        return self.real.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.verifies += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            time.sleep(self.delay)
            return self.real.verify(stored, password)
        finally:
            with self.lock:
                self.running -= 1

    def __getattr__(self, name: str):
        return getattr(self.real, name)


@pytest.fixture
def counting(monkeypatch):
    made: list[CountingHasher] = []
    real = auth.hasher

    def install(delay: float = 0.0) -> CountingHasher:
        h = CountingHasher(real("fast"), delay)
        monkeypatch.setattr(auth, "hasher", lambda profile="default": h)
        made.append(h)
        return h

    return install


def test_unknown_and_known_users_take_the_same_code_path(live, counting, monkeypatch):
    """The timing oracle was a hash of the dummy password per unknown-user login (116 ms
    known vs 221 ms unknown). Now: one verify() per attempt either way, no hash()."""
    known = live.account("operator")
    monkeypatch.setattr(auth, "_DUMMY_HASHES", {})
    h = counting()
    client = from_addr(live, 17)
    for i in range(4):
        assert _login(client, f"ghost-{i}", "wrong-pass").status_code == 401
    assert h.hashes <= 1 and h.verifies == 4  # the dummy hash, made once
    hashes_before = h.hashes
    for _ in range(4):
        assert _login(client, known.username, "wrong-pass").status_code == 401
    assert h.hashes == hashes_before and h.verifies == 8


def test_concurrent_logins_hash_a_few_at_a_time(live, counting):
    h = counting(delay=0.05)
    results: list[int] = []
    barrier = threading.Barrier(20)

    def attempt(i: int) -> None:
        with httpx.Client(base_url=live.base_url, timeout=60,
                          transport=httpx.HTTPTransport(local_address="127.0.0.18")) as c:
            barrier.wait()
            results.append(_login(c, f"crowd-{i}", "wrong-pass").status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(set(results)) == [401] and len(results) == 20
    assert h.verifies == 20
    assert h.peak <= live.settings.login_hash_slots, h.peak
