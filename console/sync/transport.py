"""HTTP to the central server: one ``requests.Session`` (keep-alive), gzip both ways,
timeouts sized from the measured link, TLS verification on, and strict checking of every
answer so a flaky link or a captive portal becomes a clear error, never bad data.

The pull body is read raw and decompressed here (not by urllib3), so a truncated or corrupt
gzip stream is detected for sure and the bytes on the wire are counted exactly. Push bodies
go gzip once the server has said it takes them (``probe_gzip_requests``); other JSON
replies over ~1 KB come back gzip and requests inflates them. Blocking:
the engine runs it on a worker thread, never on the GUI thread.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from console.sync.errors import (
    AuthRequired,
    BadResponse,
    BadServerAddress,
    Cancelled,
    CaptivePortal,
    CursorAhead,
    Offline,
    Refused,
    ServerError,
    SyncError,
    TlsError,
)
from console.sync.link import LinkEstimator

USER_AGENT = "Posko-console/1 (+sync)"
#: Largest pull body we accept after decompression (a 5,000-row page is ~2 MB).
MAX_PAGE_BYTES = 64 * 1024 * 1024
HEADER_OVERHEAD = 250  # request line + headers, roughly, for the byte count

#: ``urgent``: P1/P2 reports of the priority lane riding on a main page (same columns as
#: ``report``; see server/changes.py read_page's ``lane``).
TABLES = ("report", "note", "dispatch", "attachment", "conflict", "gone", "urgent", "claim")


@dataclass
class TransferStats:
    requests: int = 0  # HTTP requests started (each is at least one round trip)
    failures: int = 0
    bytes_up: int = 0
    bytes_down: int = 0


@dataclass
class Page:
    """One decoded pull page: tables as lists of dicts (missing trailing columns = None)."""

    cursor: int
    next_cursor: int
    more: bool
    head: int
    server_time: int | None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    wire_bytes: int = 0
    lane_cursor: int | None = None  # how far the priority lane reaches (with ``urgent``)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _message(resp: requests.Response, raw: bytes | None = None) -> tuple[str, str | None, Any]:
    """(message, error code, details) of an error answer, whatever its body is. ``raw``:
    the body when it was streamed (read from ``resp.raw``), else ``resp``'s own."""
    try:
        body = resp.json() if raw is None else json.loads(raw)
    except ValueError:
        text = resp.text if raw is None else raw.decode("utf-8", "replace")
        text = text[:200].strip().replace("\n", " ")
        return f"HTTP {resp.status_code}: {text or resp.reason}", None, None
    if isinstance(body, dict):
        return (str(body.get("message") or body.get("detail") or resp.reason),
                body.get("error"), body.get("details"))
    return f"HTTP {resp.status_code}", None, None


def _wire_length(resp: requests.Response, data: bytes) -> int:
    """Bytes of the body as they came over the wire: a gzip reply (requests inflates it
    for ``content``) counts compressed, as the link carried it."""
    tell = getattr(resp.raw, "tell", None)
    try:
        wire = tell() if callable(tell) else 0
    except (OSError, ValueError):
        wire = 0
    return wire if isinstance(wire, int) and wire > 0 else len(data)


def _looks_like_html(content_type: str, first: bytes) -> bool:
    if "html" in content_type.lower():
        return True
    head = first[:200].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


def decode_page(data: bytes, *, expect_cursor: int) -> Page:
    """Parse and check a pull page. Raises BadResponse naming what is wrong."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadResponse(f"the server's change page is not valid JSON ({exc}); "
                          "the link probably cut it; it will be fetched again") from None
    if not isinstance(doc, dict):
        raise BadResponse("the server's change page is not a JSON object")
    try:
        cursor, nxt, head = doc["cursor"], doc["next_cursor"], doc["head"]
        more, tables = doc["more"], doc["tables"]
    except KeyError as exc:
        raise BadResponse(f"the server's change page lacks {exc}") from None
    if not all(type(v) is int for v in (cursor, nxt, head)) or not isinstance(more, bool):
        raise BadResponse("the server's change page has wrong types for its cursors")
    if cursor != expect_cursor or nxt < cursor or head < nxt or (not more and nxt != head):
        raise BadResponse(f"the server's change page has inconsistent cursors "
                          f"(asked {expect_cursor}, got {cursor} → {nxt}, head {head})")
    if not isinstance(tables, dict):
        raise BadResponse("the server's change page has no tables object")
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in tables.items():
        if name not in TABLES:
            continue  # a newer server's table: ignored, its rows are not ours to apply
        if not isinstance(table, dict):
            raise BadResponse(f"table {name!r} of the change page is not an object")
        cols, rows = table.get("cols"), table.get("rows")
        if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols) \
                or not isinstance(rows, list):
            raise BadResponse(f"table {name!r} of the change page is malformed")
        width = len(cols)
        decoded = []
        for row in rows:
            if not isinstance(row, list) or len(row) > width:
                raise BadResponse(f"a row of table {name!r} does not match its columns")
            if len(row) < width:
                row = row + [None] * (width - len(row))
            decoded.append(dict(zip(cols, row, strict=True)))
        out[name] = decoded
    server_time = doc.get("server_time")
    lane = doc.get("lane_cursor")
    if lane is not None and (type(lane) is not int or not 0 <= lane <= head):
        raise BadResponse("the server's change page has a wrong lane cursor")
    return Page(cursor, nxt, more, head, server_time if type(server_time) is int else None, out,
                lane_cursor=lane)


class Transport:
    """Talks to one server as one account. Thread-compatible, not thread-safe: one sync
    worker uses it at a time."""

    def __init__(self, base_url: str, *, token: str | None = None,
                 link: LinkEstimator | None = None, verify: bool | str = True,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BadServerAddress(f"server address {base_url!r} must start with https:// "
                             "(or http:// on a local network)")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.link = link or LinkEstimator()
        self.stats = TransferStats()
        #: Set by the engine to stop a page being received at the next few kilobytes.
        self.cancel: threading.Event | None = None
        #: Bytes the last pull received before it ended or broke (a cut page shrinks).
        self.pull_received = 0
        #: (bytes, gzipped, cursor) of the last pull page the link cut, for salvage.
        self.last_cut: tuple[bytes, bool, int] | None = None
        self.clock = clock
        self.wall_clock = wall_clock
        #: Does the server take gzip request bodies? None: not asked yet.
        self.gzip_requests: bool | None = None
        self.clock_skew_s: float | None = None
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=2, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.verify = verify  # never False in production: certificates are checked
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json",
                                     "Accept-Encoding": "gzip"})

    def close(self) -> None:
        self.session.close()

    # --- the one request path ----------------------------------------------------------

    def _send(self, method: str, path: str, *, params: dict | None = None,
              body: bytes | None = None, headers: dict | None = None, stream: bool = False,
              auth: bool = True, expected_up: int = 0,
              wait: float = 0.0) -> tuple[requests.Response, float]:
        hdrs = dict(headers or {})
        if auth:
            if not self.token:
                raise AuthRequired("not logged in to the server; log in to sync")
            hdrs["Authorization"] = f"Bearer {self.token}"
        connect, read = self.link.timeouts(len(body or b"") or expected_up, up=bool(body))
        timeout = (connect, read + wait)  # a long poll's answer comes after its wait
        self.stats.requests += 1
        self.stats.bytes_up += HEADER_OVERHEAD + len(body or b"")
        t0 = self.clock()
        try:
            # verify given per request: requests lets REQUESTS_CA_BUNDLE in the environment
            # override the session's own bundle otherwise (a city's --ca-bundle ignored).
            resp = self.session.request(method, self.base_url + path, params=params, data=body,
                                        headers=hdrs, timeout=timeout, stream=stream,
                                        verify=self.session.verify)
        except requests.exceptions.SSLError as exc:
            self.stats.failures += 1
            raise TlsError(f"the server's certificate could not be verified ({_short(exc)}); "
                           "check the computer's date and time and the server address") from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:
            self.stats.failures += 1
            raise Offline(f"no answer from {self.base_url} ({_short(exc)})") from None
        except requests.exceptions.RequestException as exc:
            self.stats.failures += 1
            raise Offline(f"the request to {self.base_url} failed ({_short(exc)})") from None
        elapsed = self.clock() - t0
        self.stats.bytes_down += HEADER_OVERHEAD
        return resp, elapsed

    def _check(self, resp: requests.Response, first: bytes = b"", *,
               body: bytes | None = None) -> None:
        """Turn a non-2xx answer (or an HTML page) into the right error. ``body``: a
        streamed answer's body, read by the caller from ``resp.raw``."""
        ctype = resp.headers.get("Content-Type", "")
        if resp.status_code < 300 and not _looks_like_html(ctype, first):
            return
        self.stats.failures += 1
        head = first or (resp.content if body is None else body)[:200]
        if _looks_like_html(ctype, head):
            raise CaptivePortal(
                f"the network answered with a web page instead of the Posko server "
                f"(HTTP {resp.status_code}; a Wi-Fi login page or a proxy?); open a browser "
                "to log in to the network, then sync again")
        message, code, details = _message(resp, body)
        status = resp.status_code
        if status in (401, 403) and code == "account_disabled":
            # An administrator disabled the account: no retry helps, only the administrator
            # (the outbox and the local data stay for when the account is enabled again).
            raise AuthRequired(f"the server disabled this account: {message}",
                               code="account_disabled")
        if status == 401:
            raise AuthRequired(f"the server asks to log in again: {message}", code="session_expired")
        if status == 409 and code == "cursor_ahead":
            raise CursorAhead(message)
        if status >= 500 or status in (408, 429, 502, 503, 504):
            raise ServerError(f"the server is having trouble (HTTP {status}): {message}", status)
        if 300 <= status < 400:
            raise CaptivePortal(f"the network redirected the request (HTTP {status}); "
                                "a Wi-Fi login page or a proxy may be in the way")
        raise Refused(f"the server refused the request (HTTP {status}): {message}",
                      status, code, details)

    def _json(self, resp: requests.Response, elapsed: float, what: str) -> Any:
        try:
            data = resp.content
        except (requests.exceptions.RequestException, OSError) as exc:
            self.stats.failures += 1
            raise Offline(f"the connection broke while receiving {what} ({_short(exc)})") from None
        self.stats.bytes_down += _wire_length(resp, data)
        self._check(resp, data[:200])
        try:
            return json.loads(data)
        except (ValueError, UnicodeDecodeError):
            self.stats.failures += 1
            raise BadResponse(f"the server's answer to {what} is not valid JSON "
                              "(cut off by the link?); it will be asked again") from None

    # --- endpoints -------------------------------------------------------------------------

    def server_time(self) -> dict:
        """GET /v1/time: measures the RTT and the clock skew (server minus this computer)."""
        t_send = self.wall_clock()
        resp, elapsed = self._send("GET", "/v1/time", auth=False)
        doc = self._json(resp, elapsed, "the clock request")
        t_recv = self.wall_clock()
        self.link.observe_rtt(elapsed)
        if not isinstance(doc, dict) or type(doc.get("epoch_ms")) is not int:
            raise BadResponse("the server's clock answer is malformed")
        self.clock_skew_s = doc["epoch_ms"] / 1000 - (t_send + t_recv) / 2
        return doc

    def login(self, username: str, password: str) -> dict:
        body = json.dumps({"username": username, "password": password}).encode()
        resp, elapsed = self._send("POST", "/v1/auth/login", body=body, auth=False,
                                   headers={"Content-Type": "application/json"})
        if resp.status_code == 401:
            self.stats.failures += 1
            message, _code, _d = _message(resp)
            raise AuthRequired(f"login refused: {message}", code="login_refused")
        if resp.status_code == 429:  # too many failed logins: waiting is the only way
            self.stats.failures += 1
            message, _code, _d = _message(resp)
            try:
                minutes = max(1, round(int(resp.headers.get("Retry-After", "60")) / 60))
            except ValueError:
                minutes = 1
            raise AuthRequired(f"login refused: {message}", code="login_throttled",
                               minutes=minutes)
        doc = self._json(resp, elapsed, "the login")
        if not isinstance(doc, dict) or not isinstance(doc.get("token"), str) \
                or not isinstance(doc.get("account"), dict):
            raise BadResponse("the server's login answer is malformed")
        self.token = doc["token"]
        return doc

    def logout(self) -> None:
        if not self.token:
            return
        try:
            resp, elapsed = self._send("POST", "/v1/auth/logout")
            resp.close()
        finally:
            self.token = None

    def me(self) -> dict:
        resp, elapsed = self._send("GET", "/v1/me")
        doc = self._json(resp, elapsed, "the account request")
        if not isinstance(doc, dict):
            raise BadResponse("the server's account answer is malformed")
        return doc

    def lane_copy(self) -> Transport:
        """A second connection to the same server, sharing the token, the link estimate,
        the counters and the cancel switch: the pull lane runs beside the push lane."""
        other = Transport(self.base_url, token=self.token, link=self.link,
                          verify=self.session.verify, clock=self.clock, wall_clock=self.wall_clock)
        other.stats = self.stats
        other.cancel = self.cancel
        other.gzip_requests = self.gzip_requests
        return other

    def pull(self, cursor: int, limit: int, *, priority: int | None = None,
             lane: int | None = None, wait: int = 0) -> Page:
        """One page of the change feed, streamed and decompressed here. ``priority``: the
        server's priority lane (only reports of that priority or more urgent). ``lane``:
        on a main page, the lane's cursor (the lane rides along: table ``urgent``).
        ``wait``: a long poll (the server holds an empty page up to that many seconds)."""
        params = {"cursor": cursor, "limit": limit}
        if priority is not None:
            params["priority"] = priority
        if lane is not None:
            params["lane"] = lane
        if wait:
            params["wait"] = wait
        self.pull_received = 0
        self.last_cut = None
        resp, elapsed = self._send("GET", "/v1/pull", params=params, stream=True, wait=wait)
        self.pull_received = 1  # an answer has begun: a break from here on is a cut page
        t_first = self.clock()
        try:
            if resp.status_code != 200:
                # A small error body, read from the stream this request opened.
                self._check(resp, body=resp.raw.read(65536, decode_content=True))
            encoding = resp.headers.get("Content-Encoding", "").lower()
            raw = bytearray()
            try:
                # Small reads: a cancel (SIGTERM, --max-time, the console closing) is seen
                # within about a second even at 64 kbit/s.
                for chunk in resp.raw.stream(8192, decode_content=False):
                    raw += chunk
                    self.pull_received = len(raw)
                    if self.cancel is not None and self.cancel.is_set():
                        raise Cancelled("sync stopped while a page was arriving; it is "
                                        "fetched again next time")
                    if len(raw) > MAX_PAGE_BYTES:
                        raise BadResponse("the change page is larger than any page the "
                                          "server sends; refusing it")
            except SyncError:
                raise
            except Exception as exc:  # urllib3 ProtocolError, ReadTimeoutError, OSError ...
                self.stats.failures += 1
                self.stats.bytes_down += len(raw)
                if resp.status_code == 200:  # what arrived may be kept (sync/partial.py)
                    self.last_cut = (bytes(raw), encoding == "gzip", cursor)
                raise Offline(f"the connection broke while receiving changes after "
                              f"{len(raw)} bytes ({_short(exc)})") from None
            _consumed(resp)
        finally:
            resp.close()
        wire = len(raw)
        self.stats.bytes_down += wire
        self._check(resp, bytes(raw[:200]) if encoding != "gzip" else b"")
        if not wait:  # a long poll's time is mostly its wait: it says nothing of the link
            self.link.observe_rtt(elapsed)
            self.link.observe_transfer(wire, self.clock() - t_first, up=False)
        data = bytes(raw)
        if encoding == "gzip":
            # A stream that ended but does not inflate whole is not trusted in part (the
            # link broke nothing; what came is wrong): the page is asked again, smaller.
            data = _gunzip(data)
        elif encoding not in ("", "identity"):
            raise BadResponse(f"the change page uses an unknown encoding {encoding!r}")
        if _looks_like_html(resp.headers.get("Content-Type", ""), data[:200]):
            self._check(resp, data[:200])
        page = decode_page(data, expect_cursor=cursor)
        page.wire_bytes = wire
        return page

    def push(self, mutations: list[str]) -> list[dict]:
        """POST /v1/push with mutations already serialised (their frozen JSON). Returns
        the per-mutation results, checked to answer exactly what was sent."""
        body = ('{"mutations":[' + ",".join(mutations) + "]}").encode("utf-8")
        if self.gzip_requests is None:
            self.probe_gzip_requests()
        headers = {"Content-Type": "application/json"}
        if self.gzip_requests:
            body = gzip.compress(body, 6)
            headers["Content-Encoding"] = "gzip"
        t0 = self.clock()
        resp, elapsed = self._send("POST", "/v1/push", body=body, headers=headers)
        up_time = max(0.0, (self.clock() - t0) - self.link.rtt)
        doc = self._json(resp, elapsed, "the push")
        self.link.observe_transfer(len(body), up_time, up=True)
        results = doc.get("results") if isinstance(doc, dict) else None
        if not isinstance(results, list) or len(results) != len(mutations) or not all(
                isinstance(r, dict) and isinstance(r.get("id"), str)
                and r.get("status") in ("applied", "duplicate", "conflict", "rejected")
                for r in results):
            raise BadResponse("the server's push answer does not match the mutations sent; "
                              "they stay in the outbox and will be sent again")
        return results

    def probe_gzip_requests(self) -> bool:
        """Ask once whether the server takes gzip request bodies: an empty push, gzipped.
        A server that does not answers 400 (the body is not JSON) and nothing happens."""
        body = gzip.compress(b'{"mutations":[]}')
        resp, elapsed = self._send("POST", "/v1/push", body=body, headers={
            "Content-Type": "application/json", "Content-Encoding": "gzip"})
        try:
            resp.content  # noqa: B018 - read the body so the connection is reused
        except requests.exceptions.RequestException as exc:
            raise Offline(f"the connection broke ({_short(exc)})") from None
        if resp.status_code in (400, 415, 422):
            self.gzip_requests = False
        else:
            self._check(resp, resp.content[:200])
            self.gzip_requests = True
        return self.gzip_requests

    # --- attachments -----------------------------------------------------------------------

    def attachment_status(self, sha256: str) -> dict:
        resp, elapsed = self._send("GET", f"/v1/attachments/{sha256}")
        return self._status_doc(self._json(resp, elapsed, "the attachment status"))

    def upload_chunk(self, sha256: str, offset: int, data: bytes) -> dict:
        t0 = self.clock()
        resp, elapsed = self._send("PUT", f"/v1/attachments/{sha256}/content",
                                   params={"offset": offset}, body=data,
                                   headers={"Content-Type": "application/octet-stream"})
        self.link.observe_transfer(len(data), max(0.0, self.clock() - t0 - self.link.rtt), up=True)
        return self._status_doc(self._json(resp, elapsed, "the upload"))

    def download(self, sha256: str, *, offset: int = 0, length: int | None = None,
                 thumbnail: bool = False) -> tuple[bytes, int | None]:
        """Bytes of the file (or a range), and the total size the server reports."""
        path = f"/v1/attachments/{sha256}/" + ("thumbnail" if thumbnail else "content")
        params = None if thumbnail else {"offset": offset, **({"length": length} if length else {})}
        resp, elapsed = self._send("GET", path, params=params, stream=True)
        t_first = self.clock()
        try:
            if resp.status_code != 200:
                self._check(resp, body=resp.raw.read(65536, decode_content=True))
            data = bytearray()
            try:
                for chunk in resp.raw.stream(32768, decode_content=True):
                    data += chunk
            except Exception as exc:  # noqa: BLE001 - any break of the stream
                self.stats.failures += 1
                self.stats.bytes_down += len(data)
                raise Offline(f"the connection broke while downloading ({_short(exc)})") from None
            _consumed(resp)
        finally:
            resp.close()
        self.stats.bytes_down += len(data)
        if _looks_like_html(resp.headers.get("Content-Type", ""), bytes(data[:200])):
            self._check(resp, bytes(data[:200]))
        self.link.observe_transfer(len(data), self.clock() - t_first, up=False)
        total = resp.headers.get("X-Total-Size")
        return bytes(data), int(total) if total and total.isdigit() else None

    def _status_doc(self, doc: Any) -> dict:
        if not isinstance(doc, dict) or type(doc.get("received")) is not int \
                or not isinstance(doc.get("complete"), bool):
            raise BadResponse("the server's attachment status is malformed")
        return doc


def _consumed(resp: requests.Response) -> None:
    """The body was read to its end through ``raw``: hand the connection back to the pool
    (keep-alive) before ``close()``, which then has no connection left to close."""
    resp.raw.release_conn()


def _gunzip(data: bytes) -> bytes:
    d = zlib.decompressobj(wbits=31)
    try:
        out = d.decompress(data, MAX_PAGE_BYTES)
    except zlib.error as exc:
        raise BadResponse(f"the change page's compression is corrupt ({exc}); "
                          "it will be fetched again") from None
    if not d.eof or d.unconsumed_tail:
        raise BadResponse("the change page was cut off (incomplete gzip stream); "
                          "it will be fetched again")
    return out


def _short(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    for marker in ("Caused by ", "(Caused by"):
        if marker in text:
            text = text.split(marker, 1)[-1]
    return text[:160].strip(" ()'\"") or type(exc).__name__
