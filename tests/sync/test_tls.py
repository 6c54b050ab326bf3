"""Issue 12 H4: TLS. `posko server run --certfile --keyfile` serves https://; the console
verifies the certificate (a city's own authority through --ca-bundle, recorded for the
data folder) and refuses plain http:// to a server that is not on this computer unless the
folder explicitly allows it. A real server process on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from console.sync import link_policy
from console.sync.errors import TlsError
from console.sync.testing.live import PASSWORD
from tests.sync.helpers import KEL, open_console

ROOT = Path(__file__).resolve().parents[2]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway authority that signed itself for 127.0.0.1 and localhost."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "posko test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "server.pem", folder / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_server(tmp_path):
    import socket

    from server import auth
    from server.open_db import open_database

    cert, key = _certificate(tmp_path)
    db_path = tmp_path / "server.sqlite3"
    db = open_database(str(db_path))
    auth.create_account(db, "kel-tls", "kelurahan", PASSWORD, regions=[KEL], profile="fast")
    db.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "server", "run", "--db", str(db_path), "--port", str(port),
         "--certfile", str(cert), "--keyfile", str(key), "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{url}/v1/time", verify=str(cert), timeout=2)
            break
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(proc.stderr.read().decode()[-2000:]) from None
            time.sleep(0.2)
    yield url, cert
    proc.terminate()
    proc.wait(15)


def test_https_with_the_citys_own_authority(tls_server, tmp_path):
    url, cert = tls_server
    console = open_console(tmp_path / "desk", url, "kel-tls")
    try:
        with pytest.raises(TlsError):  # the system's authorities do not know it
            console.engine.login(PASSWORD)
        console.call(link_policy.save, ca_bundle=cert)
        console.engine.login(PASSWORD)
        assert console.sync().complete
    finally:
        console.close()


def test_posko_sync_records_the_ca_bundle_for_the_folder(tls_server, tmp_path):
    import os

    from console.store.db import open_database
    from console.sync.testing.memkeyring import adopt_child_keys, child_env

    url, cert = tls_server
    env = child_env(tmp_path)  # the child's keyring: the database key comes back to us

    proc = subprocess.run(
        [sys.executable, "-m", "console.sync.cli", "--server", url, "--user", "kel-tls",
         "--once", "--data-dir", str(tmp_path / "cli"), "--ca-bundle", str(cert),
         "--max-time", "60"], input=PASSWORD + "\n", capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    adopt_child_keys(tmp_path)
    db = open_database(tmp_path / "cli" / "posko.sqlite3")
    try:
        conn = db.raw()
        (bundle,) = conn.execute("SELECT value FROM meta WHERE key = ?",
                                 (link_policy.CA_BUNDLE,)).fetchone()
        conn.close()
    finally:
        db.dispose()
    assert bundle == str(cert.resolve())


def test_plain_http_to_another_computer_is_refused_before_any_request(tmp_path, monkeypatch):
    # Nothing is sent: the refusal comes before the first request (no traffic leaves).
    sent = []
    monkeypatch.setattr(requests.Session, "request", lambda *a, **k: sent.append(a))
    console = open_console(tmp_path / "desk", "http://posko.kota.example:8311", "kel")
    try:
        with pytest.raises(link_policy.InsecureLink) as info:
            console.engine.login(PASSWORD)
        assert info.value.error_code == "plain_http" and not info.value.transient
        with pytest.raises(link_policy.InsecureLink):
            console.engine.run_cycle()
    finally:
        console.close()
    assert sent == []
    # Loopback is this computer: allowed. Another computer only when the folder says so.
    link_policy.check("http://127.0.0.1:8311", allow_http=False)
    link_policy.check("http://[::1]:8311", allow_http=False)
    link_policy.check("http://localhost:8311", allow_http=False)
    link_policy.check("http://posko.kota.example:8311", allow_http=True)
    link_policy.check("https://posko.kota.example", allow_http=False)
