"""Prometheus metrics at ``/metrics`` (prometheus-client).

What is measured, and why the labels are what they are:

- ``posko_http_requests_total`` / ``posko_http_request_duration_seconds``: by method, the
  route *template* (``/v1/reports/{report_id}``, never the raw path: ids and hashes would
  make one series per report and leak which reports exist) and the status code. A path no
  route matched is labelled ``<unmatched>`` for the same reason.
- ``posko_push_mutations_total{status}``: pushed mutations by result (applied, duplicate,
  conflict, rejected).
- ``posko_pull_pages_total`` / ``posko_pull_rows_total``: pages and rows served.
- ``posko_attachment_bytes_received_total``: chunk bytes uploaded.
- ``posko_attachment_uploads_in_progress``: partial uploads on disk (the attachment
  queue), counted when scraped.

Several workers (``posko server run --workers N``): each process writes its samples to
files in ``PROMETHEUS_MULTIPROC_DIR`` (set by server/workers.py before any worker starts),
and whichever worker answers the scrape adds them up. prometheus-client reads that
variable when it is imported, so this module imports it lazily after the supervisor set it.

Access: ``/metrics`` answers only to loopback clients whose request no proxy forwarded,
unless a token is configured (``Settings.metrics_token``, ``--metrics-token``, sent as
``Authorization: Bearer …``): request counts are not personal data, but they tell an
outsider how busy a city is. docs/deploy.md also has the reverse proxy refuse the path
(an nginx that adds no forwarding header looks like a loopback client).
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.routing import Mount

from server.asgi import HttpMiddleware
from server.deps import Ctx
from server.errors import ApiError

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_access = logging.getLogger("posko.access")
router = APIRouter(tags=["admin"])
_metrics = None


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.requests = Counter("posko_http_requests_total", "HTTP requests answered",
                                ["method", "route", "status"])
        self.latency = Histogram(
            "posko_http_request_duration_seconds", "Time to answer, by route template",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
        self.push = Counter("posko_push_mutations_total", "Pushed mutations by result",
                            ["status"])
        self.pull_pages = Counter("posko_pull_pages_total", "Pull pages served")
        self.pull_rows = Counter("posko_pull_rows_total", "Rows served by pull")
        self.upload_bytes = Counter("posko_attachment_bytes_received_total",
                                    "Attachment chunk bytes received")


def metrics() -> _Metrics:
    global _metrics
    if _metrics is None:  # once per process: prometheus-client refuses duplicate names
        _metrics = _Metrics()
    return _metrics


def count_push(results) -> None:  # noqa: ANN001
    m = metrics()
    for r in results:
        m.push.labels(r.status).inc()


def count_pull(rows: int) -> None:
    m = metrics()
    m.pull_pages.inc()
    m.pull_rows.inc(rows)


UPLOAD_ROUTE = "/v1/attachments/{sha256}/content"


def _template(scope: dict, root_path: str) -> str:
    route = scope.get("route")
    path = None if isinstance(route, Mount) else getattr(route, "path", None)
    if not path:
        return "<unmatched>"
    return scope.get("root_path", "")[len(root_path):] + path


class MetricsMiddleware(HttpMiddleware):
    """Pure ASGI (streamed replies stay streamed): times each request up to its last body
    byte and labels it with the template of the route that answered (FastAPI puts the
    route in the scope while routing). A route of a mounted application (Open311) is
    relative to its mount, which routing added to ``root_path``; a path the mounted
    application has no route for leaves the Mount itself there: unmatched."""

    def __init__(self, app) -> None:  # noqa: ANN001
        super().__init__(app)
        metrics()

    async def http(self, scope, receive, send) -> None:  # noqa: ANN001
        start = time.perf_counter()
        root_path = scope.get("root_path", "")
        status = {"code": 500}
        received = {"bytes": 0}

        async def counting_receive():  # noqa: ANN202
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
            return message

        async def status_send(message) -> None:  # noqa: ANN001
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, counting_receive, status_send)
        finally:
            route = _template(scope, root_path)
            m = metrics()
            method = scope.get("method", "")
            m.requests.labels(method, route, str(status["code"])).inc()
            m.latency.labels(method, route).observe(time.perf_counter() - start)
            if route == UPLOAD_ROUTE and status["code"] == 200:
                m.upload_bytes.inc(received["bytes"])
            if _access.isEnabledFor(logging.INFO):  # JSON mode (server/logs.py)
                ms = round((time.perf_counter() - start) * 1000, 1)
                _access.info("%s %s %s", method, route, status["code"], extra={
                    "method": method, "route": route, "status": status["code"], "ms": ms,
                    "pid": os.getpid()})


class _QueueCollector:
    """The attachment queue, read from the files folder when scraped (shared by all
    workers, so no per-process bookkeeping can drift)."""

    def __init__(self, files_dir: Path) -> None:
        self.partial = Path(files_dir) / "partial"

    def collect(self):  # noqa: ANN201
        from prometheus_client.core import GaugeMetricFamily

        try:
            n = sum(1 for p in self.partial.iterdir() if p.suffix == ".part")
        except OSError:
            n = 0
        yield GaugeMetricFamily("posko_attachment_uploads_in_progress",
                                "Partial uploads waiting for more chunks", value=n)


def _allowed(request: Request, token: str | None) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    host = request.client.host if request.client else ""
    # A reverse proxy on this machine connects from loopback for every internet client:
    # a request it forwarded (it says so in these headers) is not a local one.
    forwarded = any(h in request.headers for h in ("forwarded", "x-forwarded-for",
                                                   "x-real-ip"))
    return host in ("127.0.0.1", "::1") and not forwarded


@router.get("/metrics", include_in_schema=False)
def scrape(request: Request, ctx: Ctx) -> Response:
    if not _allowed(request, getattr(ctx.settings, "metrics_token", None)):
        raise ApiError(403, "metrics are served to this machine only, or with the metrics token")
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
        metrics()
    body = generate_latest(registry)
    queue = CollectorRegistry()
    queue.register(_QueueCollector(ctx.blobs.root))
    body += generate_latest(queue)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
