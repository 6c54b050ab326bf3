"""The FastAPI application: ``create_app(settings)``.

Opening the database migrates and seeds it (server/open_db.py); the reference tables are
cached (server/reference.py); every route checks the login and scope on its own.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute, Mount

from server import changes, errors, metrics
from server.auth import dummy_hash
from server.bell import Listener
from server.blobs import BlobStore
from server.deps import Context
from server.encoding import Deflate, Inflate
from server.metrics import MetricsMiddleware
from server.middleware import Guard
from server.netguard import BodyDeadline
from server.open_db import open_database
from server.portal import routes as portal
from server.public_reads import PublicReads
from server.reference import Reference
from server.routes import admin, attachments, auth, open311, sensors, sync
from server.schemas import PushIn
from server.settings import Settings

API_VERSION = "1.0.0"
DESCRIPTION = """The Posko central server: the sync API consoles use (login, pull, push,
attachments), Open311 GeoReport v2 for citizen apps, and a clock. Errors are JSON
`{"error", "message", "details"}` (Open311: `[{"code", "description"}]`).
See docs/sync-protocol.md."""


def create_app(settings: Settings | None = None, *, connect: bool = True) -> FastAPI:
    """Build the app. ``connect=False`` builds it without a database (for the OpenAPI
    document only)."""
    settings = settings or Settings()
    app = FastAPI(title="Posko server", version=API_VERSION, description=DESCRIPTION,
                  docs_url="/docs" if settings.docs else None,
                  redoc_url="/redoc" if settings.docs else None)
    errors.install(app)
    for module in (auth, sync, sensors, attachments):
        app.include_router(module.router)
    open311.mount(app)  # its own application: Open311 answers errors in its own format
    for module in (admin, metrics):
        app.include_router(module.router)
    app.include_router(portal.router)  # the public page (issue 15): HTML, not in OpenAPI
    chunk_prefix = "/v1/attachments/"

    def limit_for(path: str) -> int:
        if path.startswith(chunk_prefix) and path.endswith("/content"):
            return settings.max_chunk_bytes
        return settings.max_body_bytes

    # add_middleware puts each one outside the ones before: Guard (counts the compressed
    # bytes) wraps Inflate (caps the inflated ones), which wraps Deflate (gzips replies).
    app.add_middleware(Deflate, minimum_size=1024)
    app.add_middleware(Inflate, limit_for=limit_for)
    app.add_middleware(Guard, limit_for=limit_for)
    app.add_middleware(BodyDeadline, timeout=settings.body_timeout,
                       min_rate=settings.body_min_rate)
    # outermost: a request refused by the guards above is counted and timed too
    app.add_middleware(MetricsMiddleware)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if connect:
        db = open_database(settings.db_url, city=settings.city)
        app.state.ctx = Context(
            settings=settings, db=db, ref=Reference(db, settings.city),
            blobs=BlobStore(settings.attachments_dir(), settings.thumbnail_px),
            hash_slots=asyncio.Semaphore(settings.login_hash_slots),
            public=PublicReads(ttl=settings.open311_cache_s))
        if db.is_sqlite:
            db.bell.advance(changes.head(db))  # this process makes every commit from now on
        else:
            # Rings from the other server processes on this database (server/bell.py).
            db.listener = Listener(db.url, db.bell).start()
        dummy_hash(settings.password_profile)  # now, not in the first unknown-user login
        if (n := attachments.reconcile_all(app.state.ctx)):
            logging.getLogger("posko.server").warning("%d uploads finished by a crash: "
                                                      "marked complete", n)
        logging.getLogger("posko.server").info("database %s ready", db.engine.url)
    return app


def _openapi(app: FastAPI) -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=_documented_routes(app))
    # /v1/push parses its body itself (so one bad mutation cannot fail the batch); publish
    # the body's schema all the same.
    push_schema = PushIn.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(push_schema.pop("$defs", {}))
    components["PushIn"] = push_schema
    schema["components"]["schemas"] = dict(sorted(components.items()))
    app.openapi_schema = schema
    return schema


def _documented_routes(app: FastAPI) -> list[BaseRoute]:
    """``app``'s routes with those of each mounted FastAPI application (Open311) in their
    place, under the mount's path: one document covers every URL the server answers."""
    routes: list[BaseRoute] = []
    for route in app.routes:
        if isinstance(route, Mount) and isinstance(route.app, FastAPI):
            mounted = APIRouter()
            mounted.include_router(route.app.router, prefix=route.path)
            routes.extend(mounted.routes)
        else:
            routes.append(route)
    return routes
