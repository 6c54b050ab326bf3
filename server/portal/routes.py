"""The public transparency page: ``/public/`` and ``/public/lapor/<ticket>``.

Anonymous and possibly popular (a link in the mayor's social media post), so:

- The aggregates are computed at most once per ``cache_s`` seconds per server process and
  the rendered page (plain and gzip) is kept with them; a burst of readers costs one
  database read. Lookups are cached per ticket the same way, unknown tickets too.
- Reads are limited per client address (server/public_reads.py, in memory: counting in
  the database would make every anonymous read a write); 429 with Retry-After.
- ``Cache-Control``, ``ETag`` (``If-None-Match`` answers 304) and ``Last-Modified`` let a
  phone or a proxy keep the page.
- Every answer is HTML from Jinja2 with autoescape: a title or a city-made category name
  holding markup is shown as text. Nothing a client sends reaches a 5xx: a malformed or
  oversize ticket is the same 404 page as an unknown one, and so is a ticket that exists
  but is not public (a 112 call, a prank), so the page is no oracle for them.

Not in the OpenAPI document (``include_in_schema=False``): these are pages for people,
not an API; Open311 is the machine-readable way to the same public data.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.convertors import Convertor, register_url_convertor

from console.domain import sla
from server.encoding import accepts_gzip
from server.portal import data
from server.portal.words import PageWords, pick_lang
from server.public_reads import PublicReads

router = APIRouter(include_in_schema=False)


class _AnyText(Convertor):
    """Like ``path`` but also across CR/LF: Starlette's ``.*`` stops at a newline, and a
    ticket holding ``%0a`` would fall through to the server's JSON 404 instead of the page."""

    regex = "(?s:.*)"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("portal_text", _AnyText())
#: Tickets are ``<station>-<yymmdd>-<counter>`` (at most 40 characters): anything else is
#: answered 404 without a database read.
TICKET_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                   trim_blocks=True, lstrip_blocks=True)
HTML = "text/html; charset=utf-8"
#: Bars in the kecamatan chart (every kecamatan is in the table below it): a city's 30 or
#: 16 fit, and a region with hundreds keeps the page under 100 KB.
CHART_MAX = 40


@dataclass
class PortalConfig:
    #: Seconds the aggregates (and a ticket's answer) are reused; 0 computes per request.
    cache_s: float = 60.0
    #: Reads per client address per window: generous, since a whole kampung behind one
    #: mobile carrier's NAT shares an address, and a cached page costs next to nothing.
    reads_per_address: int = 300
    read_window_s: float = 60.0


@dataclass
class Page:
    body: bytes
    packed: bytes
    etag: str
    modified: datetime
    status: int = 200

    @classmethod
    def of(cls, html: str, modified: datetime, status: int = 200) -> Page:
        body = html.encode()
        tag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        return cls(body, gzip.compress(body, 6, mtime=0), tag, modified, status)


@dataclass
class Portal:
    """One process's cache and read counts (on ``app.state.portal``)."""

    config: PortalConfig = field(default_factory=PortalConfig)
    reads: PublicReads = field(default_factory=PublicReads)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _refresh: threading.Lock = field(default_factory=threading.Lock)
    _snapshot: tuple[float, data.Snapshot, dict[str, Page]] | None = None

    def __post_init__(self) -> None:
        self.answers = PublicReads(ttl=self.config.cache_s, max_entries=4096)

    def index(self, ctx, lang: str) -> Page:  # noqa: ANN001
        held = self._snapshot
        if held is None or time.monotonic() - held[0] >= self.config.cache_s:
            if held is not None and self._refresh.acquire(blocking=False):
                # Stale: this reader refreshes while the others keep getting the stale
                # page, so a slow computation (a big database) never queues the readers.
                try:
                    held = self._compute(ctx)
                finally:
                    self._refresh.release()
            elif held is None or self.config.cache_s <= 0:
                with self._refresh:  # nothing to serve yet (or no cache): wait for it
                    held = self._snapshot
                    if held is None or time.monotonic() - held[0] >= self.config.cache_s:
                        held = self._compute(ctx)
        with self._lock:
            page = held[2].get(lang)
            if page is None:
                page = Page.of(render_index(ctx, held[1], lang), held[1].computed_at)
                held[2][lang] = page
        return page

    def _compute(self, ctx) -> tuple[float, data.Snapshot, dict[str, Page]]:  # noqa: ANN001
        held = (time.monotonic(), data.compute(ctx.db, ctx.ref, ctx.settings.tz), {})
        if self.config.cache_s > 0:
            self._snapshot = held
        return held

    def ticket(self, ctx, ticket: str, lang: str) -> Page:  # noqa: ANN001
        key = (ticket.upper(), lang)
        cached = self.answers.get(key)
        if cached is not None:
            return cached
        found = data.lookup(ctx.db, ctx.ref, ticket)
        if found is None:
            page = not_found(ctx, lang, ticket.upper())
        else:
            page = Page.of(_env.get_template("lookup.html").render(
                **_common(ctx, lang, f"/public/lapor/{found.ticket}"), r=found,
                due_day=sla.due_day(found.due, ctx.settings.tz) if found.due else None),
                found.updated)
        self.answers.put(key, page)
        return page


def portal(request: Request) -> Portal:
    state = request.app.state
    if getattr(state, "portal", None) is None:
        state.portal = Portal()
    return state.portal


def _common(ctx, lang: str, path: str) -> dict:  # noqa: ANN001
    w = PageWords(lang, ctx.settings.tz)
    other = "en" if lang == "id" else "id"
    return {"w": w, "lang": lang, "city": ctx.ref.city.name, "prefix": ctx.ref.city.ticket_prefix,
            "suffix": "" if lang == "id" else "?lang=en",
            "other_url": path + ("?lang=en" if other == "en" else ""),
            "other_lang": other}


def render_index(ctx, snap: data.Snapshot, lang: str) -> str:  # noqa: ANN001
    top = max((a.total for a in snap.areas), default=0)
    return _env.get_template("index.html").render(
        **_common(ctx, lang, "/public/"), s=snap, top=top, order=data.STATUS_ORDER,
        shade=lambda n: _shade(n, top), chart_max=CHART_MAX)


#: A sequential blue scale (light to dark); every step carries dark text beside it, never
#: on it, so contrast does not depend on the shade.
SHADES = ("#dbe9f6", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def _shade(n: int, top: int) -> str:
    if top <= 0 or n <= 0:
        return SHADES[0]
    return SHADES[min(len(SHADES) - 1, 1 + (n * (len(SHADES) - 1) - 1) // top)]


def not_found(ctx, lang: str, ticket: str | None = None) -> Page:  # noqa: ANN001
    html = _env.get_template("message.html").render(
        **_common(ctx, lang, "/public/"), heading="not_found_title", text_key="not_found",
        ticket=ticket, show_form=True)
    return Page.of(html, datetime(2026, 1, 1, tzinfo=UTC), 404)


def _send(request: Request, page: Page, cache: str) -> Response:
    headers = {"Cache-Control": cache, "ETag": page.etag, "Vary": "Accept-Encoding",
               "Last-Modified": format_datetime(page.modified.astimezone(UTC), usegmt=True),
               "X-Content-Type-Options": "nosniff",
               # No script, no outside asset: a page that can only show what it holds.
               "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                          "img-src 'self' data:; form-action 'self'; "
                                          "frame-ancestors 'none'; base-uri 'none'"}
    if page.status == 200 and page.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request.scope.get("headers", ())):
        headers["Content-Encoding"] = "gzip"
        return Response(page.packed, status_code=page.status, media_type=HTML, headers=headers)
    return Response(page.body, status_code=page.status, media_type=HTML, headers=headers)


def _limited(request: Request, p: Portal, lang: str) -> Response | None:
    address = request.client.host if request.client else "?"
    wait = p.reads.hit(address, p.config.reads_per_address, p.config.read_window_s)
    if wait is None:
        return None
    ctx = request.app.state.ctx
    html = _env.get_template("message.html").render(
        **_common(ctx, lang, "/public/"), heading="busy_title", text_key="busy", seconds=wait,
        show_form=False)
    return Response(html, status_code=429, media_type=HTML,
                    headers={"Retry-After": str(wait), "Cache-Control": "no-store"})


@router.get("/public")
def public_root(request: Request) -> Response:
    suffix = "?lang=en" if request.query_params.get("lang") == "en" else ""
    return RedirectResponse("/public/" + suffix, status_code=308)


@router.get("/public/")
async def index(request: Request) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    p = portal(request)
    if (busy := _limited(request, p, lang)) is not None:
        return busy
    page = await run_in_threadpool(p.index, request.app.state.ctx, lang)
    return _send(request, page, f"public, max-age={int(p.config.cache_s)}")


@router.get("/public/lapor")
async def lookup_form(request: Request) -> Response:
    """The page's form sends ``?tiket=`` here (a GET, so it works without JavaScript)."""
    return await _lookup(request, request.query_params.get("tiket", ""))


@router.get("/public/lapor/{ticket:portal_text}")
async def lookup(request: Request, ticket: str) -> Response:
    return await _lookup(request, ticket)


async def _lookup(request: Request, raw: str) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    p = portal(request)
    if (busy := _limited(request, p, lang)) is not None:
        return busy
    ctx = request.app.state.ctx
    ticket = raw.strip()
    if not TICKET_RE.match(ticket):
        page = not_found(ctx, lang)
    else:
        page = await run_in_threadpool(p.ticket, ctx, ticket, lang)
    # private: a shared proxy need not learn which tickets its users look up.
    return _send(request, page, f"private, max-age={int(p.config.cache_s)}")


@router.get("/public/{rest:portal_text}")
async def elsewhere(request: Request, rest: str) -> Response:
    lang = pick_lang(request.query_params.get("lang"))
    p = portal(request)
    if (busy := _limited(request, p, lang)) is not None:
        return busy
    return _send(request, not_found(request.app.state.ctx, lang), "no-store")
