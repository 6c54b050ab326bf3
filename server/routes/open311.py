"""Open311 GeoReport v2 at /open311/v2, in JSON and XML.

- ``GET services.{format}`` and ``GET services/{service_code}.{format}``: the catalogue.
- ``POST requests.{format}`` (form-encoded, with ``api_key``): file a request. It becomes a
  report (channel ``app``) that consoles in scope receive with their next pull. Its region:
  ``attribute[region_code]`` when given and known; else the kelurahan whose postal code
  appears in ``address_string`` (when that is unambiguous); else the city as a whole.
- ``GET requests.{format}`` (service_request_id, service_code, status, start_date,
  end_date, page, page_size) and ``GET requests/{id}.{format}``. Public and anonymous, so
  they never show reporter data, emergencies, 112 calls or prank/ghost calls, and show
  reports not filed through Open311 only coarsely (see _request_out); paged, cached for a
  few seconds and limited per client address (server/public_reads.py).
- Filing is limited per API key and per address (server/throttle.py), and a filed
  request never starts as priority 1.

Errors follow the spec: ``[{"code": 400, "description": "..."}]``. So Open311 is its own
FastAPI application (``mount``), with the server's error handlers (server/errors.py) rendering
in this format: any URL under /open311/, a route's or none, answers Open311 errors.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any, Literal
from xml.etree import ElementTree as ET

from fastapi import APIRouter, FastAPI, Form, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select

from console.domain.catalog import Channel
from console.domain.limits import control_problem
from console.domain.priority import default_priority
from console.domain.workflow import OPEN_STATUSES, Status
from server import errors, throttle
from server.auth import AuthError, check_api_key
from server.deps import Context, Ctx
from server.errors import ApiError
from server.models import Report, utcnow
from server.portal.data import public_conditions
from server.public_reads import CachedAnswer
from server.push import push
from server.scope import Principal, Scope
from server.validation import FormStr, iso, parse_time

#: Where the Open311 application is mounted; its routes are relative to it.
MOUNT = "/open311"
router = APIRouter(prefix="/v2", tags=["open311"])
Format = Literal["json", "xml"]
FmtPath = Annotated[Format, Path(description="response format: json or xml")]
ERROR_SCHEMA = {"type": "array", "items": {"type": "object", "properties": {
    "code": {"type": "integer"}, "description": {"type": "string"}}}}
ERRORS = {c: {"description": "error", "content": {"application/json": {"schema": ERROR_SCHEMA}}}
          for c in (400, 403, 404, 413, 422, 429)}
#: Anonymous reads answer in pages (issue 12 M10: 1,000 rows, 3.5 MB per answer before).
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: Decimals of the coordinates of reports not filed through Open311 (about 1 km).
COARSE_DECIMALS = 2
#: The most urgent priority an Open311 request starts with (see _priority).
OPEN311_TOP_PRIORITY = 2
DEFAULT_WINDOW = timedelta(days=90)
POSTAL_RE = re.compile(r"(?<!\d)(\d{5})(?!\d)")
#: Characters XML 1.0 cannot carry, even escaped (rows stored before control characters
#: were refused may hold them).
NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: Any) -> str:
    """``value`` as XML element text: each character XML 1.0 cannot carry becomes U+FFFD."""
    return NOT_XML_RE.sub("\ufffd", str(value))


def open311_error(request: Request, status: int, message: str, *, code: str | None = None,
                  details: Any = None, headers: dict[str, str] | None = None) -> Response:
    """An error in the GeoReport format (``errors.Respond``); it has no place for the
    server's machine ``code`` or ``details``."""
    if request.url.path.endswith(".xml"):
        root = ET.Element("errors")
        err = ET.SubElement(root, "error")
        ET.SubElement(err, "code").text = str(status)
        ET.SubElement(err, "description").text = _xml_text(message)
        return Response(_xml_bytes(root), status_code=status, media_type="text/xml",
                        headers=headers)
    return JSONResponse([{"code": status, "description": message}], status_code=status,
                        headers=headers)


def _xml_bytes(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="utf-8")


def _render(fmt: str, root_tag: str, item_tag: str, items: list[dict], status: int = 200) -> Response:
    if fmt == "json":
        return JSONResponse(items, status_code=status)
    root = ET.Element(root_tag)
    for item in items:
        el = ET.SubElement(root, item_tag)
        for k, v in item.items():
            child = ET.SubElement(el, k)
            if isinstance(v, bool):
                child.text = "true" if v else "false"
            elif isinstance(v, list):
                for x in v:
                    ET.SubElement(child, "value").text = _xml_text(x)
            elif v is not None:
                child.text = _xml_text(v)
    return Response(_xml_bytes(root), status_code=status, media_type="text/xml")


# --- services --------------------------------------------------------------------------

def _service(ctx: Context, code: str) -> dict:
    name_id, name_en = ctx.ref.category_names[code]
    cat = ctx.ref.categories.get(code)
    return {"service_code": code, "service_name": name_id, "description": name_en,
            "metadata": True, "type": "realtime", "keywords": code.replace("_", ","),
            "group": "darurat" if cat is not None and cat.emergency else "layanan"}


@router.get("/services.{fmt}", responses=ERRORS, summary="Service list (report categories)")
def services(fmt: FmtPath, ctx: Ctx) -> Response:
    items = [_service(ctx, c) for c in sorted(ctx.ref.active_categories)]
    return _render(fmt, "services", "service", items)


@router.get("/services/{service_code}.{fmt}", responses=ERRORS,
            summary="Service definition (the extra attributes a request may carry)")
def service_definition(
    ctx: Ctx, fmt: FmtPath,
    service_code: Annotated[str, Path(max_length=40, pattern=r"^[a-z0-9_]+$")],
) -> Response:
    if service_code not in ctx.ref.active_categories:
        raise ApiError(404, f"unknown service_code {service_code!r}")
    definition = {"service_code": service_code, "attributes": [{
        "variable": True, "code": "region_code", "datatype": "string", "required": False,
        "datatype_description": "Posko region code of the kelurahan (e.g. 3273-2483-30959); "
                                "optional, improves routing", "order": 1,
        "description": "Kode wilayah kelurahan / kelurahan region code", "values": []}]}
    if fmt == "json":
        return JSONResponse(definition)
    root = ET.Element("service_definition")
    ET.SubElement(root, "service_code").text = service_code
    attrs = ET.SubElement(root, "attributes")
    for a in definition["attributes"]:
        el = ET.SubElement(attrs, "attribute")
        for k, v in a.items():
            if k != "values":
                ET.SubElement(el, k).text = str(v).lower() if isinstance(v, bool) else str(v)
    return Response(_xml_bytes(root), media_type="text/xml")


# --- filing a request ------------------------------------------------------------------

class RequestForm(BaseModel):
    """GeoReport v2 POST requests parameters (form-encoded)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, populate_by_name=True)

    api_key: FormStr = Field(max_length=200)
    service_code: FormStr = Field(max_length=40)
    jurisdiction_id: FormStr | None = Field(default=None, max_length=100)
    lat: float | None = None
    long: float | None = None
    address_string: FormStr | None = Field(default=None, max_length=500)
    address_id: FormStr | None = Field(default=None, max_length=100)
    email: FormStr | None = Field(default=None, max_length=200)
    device_id: FormStr | None = Field(default=None, max_length=200)
    account_id: FormStr | None = Field(default=None, max_length=200)
    first_name: FormStr | None = Field(default=None, max_length=100)
    last_name: FormStr | None = Field(default=None, max_length=100)
    phone: FormStr | None = Field(default=None, max_length=40)
    description: FormStr | None = Field(default=None, max_length=4000)
    media_url: FormStr | None = Field(default=None, max_length=500)
    region_code: FormStr | None = Field(default=None, max_length=40, alias="attribute[region_code]")


def _region_for(ctx: Context, form: RequestForm) -> str:
    ref = ctx.ref
    if form.region_code:
        if not ref.has_region(form.region_code):
            raise ApiError(400, f"attribute[region_code] {form.region_code!r} is not a known "
                                "region code")
        return form.region_code
    for postal in POSTAL_RE.findall(form.address_string or ""):
        codes = ref.kelurahan_by_postal.get(postal, [])
        if len(codes) == 1:
            return codes[0]
        parents = {ref.regions[c]["parent_code"] for c in codes}
        if len(parents) == 1:
            return parents.pop()
    return ref.city.kemendagri


def _refuse_controls(params: dict[str, Any]) -> None:
    """400 when a text parameter holds a control character (console/domain/limits.py)."""
    for name, value in params.items():
        problem = control_problem(value) if isinstance(value, str) else None
        if problem:
            raise ApiError(400, f"{name} {problem}")


def _throttle(ctx: Context, limits: list[throttle.Limit]) -> None:
    wait = throttle.hit(ctx.db, limits)
    if wait:
        raise ApiError(429, f"too many service requests from this app or address; try again "
                            f"in {wait} s", headers={"Retry-After": str(wait)})


def _priority(ctx: Context, code: str) -> int:
    """The catalogue's starting priority, but never 1: a priority-1 report sounds the
    alarm on every console, and an anonymous citizen app (whose key anyone can pull out of
    the app) must not be able to do that unseen by a person. Emergencies filed this way
    start at 2, at the top of the queue; an operator who confirms one raises it to 1."""
    try:
        start = default_priority(code, Channel.APP.value, None)
    except KeyError:  # a city-defined category the built-in rules do not know
        start = ctx.ref.categories[code].default_priority
    return max(OPEN311_TOP_PRIORITY, start)


def _create(ctx: Context, form: RequestForm, address: str) -> dict:
    s = ctx.settings
    _throttle(ctx, [throttle.Limit(f"o311:addr:{address}", s.open311_posts_per_address,
                                   s.open311_post_window)])
    _refuse_controls(form.model_dump(by_alias=True))
    try:
        key_id, key_name = check_api_key(ctx.db, form.api_key)
    except AuthError as exc:
        raise ApiError(403, str(exc)) from None
    _throttle(ctx, [throttle.Limit(f"o311:key:{key_id}", s.open311_posts_per_key,
                                   s.open311_post_window)])
    code = form.service_code
    if code not in ctx.ref.active_categories or code not in ctx.ref.categories:
        raise ApiError(404, f"unknown service_code {code!r}; see /open311/v2/services.json")
    if form.jurisdiction_id and form.jurisdiction_id not in (ctx.settings.city,
                                                             ctx.ref.city.kemendagri):
        raise ApiError(404, f"unknown jurisdiction_id {form.jurisdiction_id!r}; this server "
                            f"serves {ctx.ref.city.name} ({ctx.settings.city})")
    if (form.lat is None) != (form.long is None):
        raise ApiError(400, "give both lat and long, or neither")
    if form.lat is None and not form.address_string and not form.address_id:
        raise ApiError(400, "a location is required: lat and long, address_string or address_id")
    if form.media_url and not re.match(r"^https?://\S+$", form.media_url):
        raise ApiError(400, "media_url must be an http(s) URL")
    description = (form.description or "").strip()
    name_id = ctx.ref.category_names[code][0]
    first_line = description.splitlines()[0] if description else ""
    title = (first_line[:120] + ("…" if len(first_line) > 120 else "")) or name_id
    reporter = " ".join(x.strip() for x in (form.first_name, form.last_name) if x and x.strip())
    report_id = str(uuid.uuid4())
    fields: dict[str, Any] = {
        "id": report_id, "channel": "app", "category_code": code, "title": title,
        "priority": _priority(ctx, code),
        "description": description, "lat": form.lat, "lon": form.long,
        "address": form.address_string or form.address_id, "region_code": _region_for(ctx, form),
        "reporter_name": reporter or None, "reporter_phone": form.phone,
        "media_url": form.media_url,
    }
    who = Principal(key_id, f"open311:{key_name}"[:200], "operator", Scope(True))
    item = {"id": str(uuid.uuid4()), "entity": "report", "entity_id": report_id, "op": "create",
            "actor": who.username, "at": iso(utcnow()), "fields": fields}
    s = ctx.settings
    (result,) = push(ctx.db, ctx.ref, who, [item], tz=s.tz,
                     enforce_bounds=s.enforce_city_bounds, source="open311")
    if result.status != "applied":
        raise ApiError(400 if result.code == 422 else result.code, result.message)
    return {"service_request_id": result.ticket, "service_notice": "Laporan diterima "
            "(report received)", "account_id": None}


@router.post("/requests.{fmt}", status_code=201, responses=ERRORS,
             summary="File a service request (form-encoded, needs api_key)")
async def create_request(fmt: FmtPath, ctx: Ctx, request: Request,
                         form: Annotated[RequestForm, Form()]) -> Response:
    """Limited per API key and per client address (429 with Retry-After). A filed
    request starts at priority 2 at most: only an operator raises one to 1."""
    address = request.client.host if request.client else "?"
    created = await run_in_threadpool(_create, ctx, form, address)
    return _render(fmt, "service_requests", "request", [created], status=201)


# --- reading requests ------------------------------------------------------------------

def _public(ctx: Context):  # noqa: ANN202
    # One rule for everything anonymous: the public page (issue 15) uses the same.
    return public_conditions(ctx.ref)


def _request_out(ctx: Context, row) -> dict:  # noqa: ANN001
    """What a citizen portal may show of a report. Never the reporter's name or phone.
    Requests filed through Open311 itself show what the citizen sent publicly: their
    description, address and coordinates. Every other report (phone, walk-in, SMS, a
    kelurahan officer's intake …) was told to the city, not published: it shows its
    category's public name as description, no address, no media, and its coordinates
    rounded to 2 decimals (about 1 km) - enough for a map of a kelurahan's problems, not
    to find a house."""
    closed = Status(row.status) not in OPEN_STATUSES
    agency = ctx.ref.agencies.get(row.assigned_agency) if row.assigned_agency else None
    region = ctx.ref.regions.get(row.region_code) if row.region_code else None
    service_name = ctx.ref.category_names.get(row.category_code, (row.category_code,))[0]
    own = row.source == "open311"
    lat, lon = row.lat, row.lon
    if not own:
        lat = None if lat is None else round(lat, COARSE_DECIMALS)
        lon = None if lon is None else round(lon, COARSE_DECIMALS)
    return {
        "service_request_id": row.ticket, "status": "closed" if closed else "open",
        "status_notes": row.status, "service_name": service_name,
        "service_code": row.category_code,
        "description": row.description if own else service_name,
        "agency_responsible": agency, "service_notice": None,
        "requested_datetime": iso(row.created_at), "updated_datetime": iso(row.updated_at),
        "expected_datetime": iso(row.sla_due_at), "address": row.address if own else None,
        "address_id": None, "zipcode": region["postal_code"] if region else None,
        "lat": lat, "long": lon, "media_url": row.media_url if own else None,
    }


def _anonymous_read(ctx: Context, request: Request, fmt: str,
                    make: Callable[[], tuple[list[dict], dict[str, str]]]) -> Response:
    """Limit reads per address (429), then answer from the cache or ``make()``."""
    s = ctx.settings
    address = request.client.host if request.client else "?"
    wait = ctx.public.hit(address, s.open311_reads_per_address,
                          s.open311_read_window.total_seconds())
    if wait:
        raise ApiError(429, f"too many requests from this address; try again in {wait} s",
                       headers={"Retry-After": str(wait)})
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())))
    cached = ctx.public.get(key)
    if cached is None:
        items, headers = make()
        answer = _render(fmt, "service_requests", "request", items)
        cached = CachedAnswer(bytes(answer.body), answer.media_type or "application/json",
                              headers)
        ctx.public.put(key, cached)
    return Response(cached.body, media_type=cached.media_type, headers=cached.headers)


@router.get("/requests.{fmt}", responses=ERRORS, summary="Find service requests")
def list_requests(
    fmt: FmtPath, ctx: Ctx, request: Request,
    page: Annotated[int, Query(ge=1, le=10_000, description="1 = the newest")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    service_code: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[Literal["open", "closed"] | None, Query()] = None,
    start_date: Annotated[str | None, Query(max_length=40)] = None,
    end_date: Annotated[str | None, Query(max_length=40)] = None,
    jurisdiction_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """Public and anonymous: newest first, ``page_size`` (at most 200) per page; a
    ``Link: <…>; rel="next"`` header names the next page. Answers are cached for a few
    seconds and reads are limited per client address (429 with Retry-After)."""
    _refuse_controls({"service_request_id": service_request_id, "service_code": service_code,
                      "start_date": start_date, "end_date": end_date,
                      "jurisdiction_id": jurisdiction_id})
    r = Report.__table__
    q = select(r).where(*_public(ctx))
    if service_request_id:
        ids = [x.strip() for x in service_request_id.split(",") if x.strip()][:MAX_PAGE_SIZE]
        q = q.where(or_(r.c.ticket.in_(ids), r.c.id.in_(ids)))
    else:
        try:
            start = parse_time(start_date, "start_date")
            end = parse_time(end_date, "end_date")
        except ValueError as exc:
            raise ApiError(400, str(exc)) from None
        if start is None and end is None:
            start = utcnow() - DEFAULT_WINDOW
        if start and end and start > end:
            raise ApiError(400, "start_date is after end_date")
        if start:
            q = q.where(r.c.created_at >= start)
        if end:
            q = q.where(r.c.created_at <= end)
        if service_code:
            q = q.where(r.c.category_code == service_code)
        if status:
            open_values = [s.value for s in OPEN_STATUSES]
            q = q.where(r.c.status.in_(open_values) if status == "open"
                        else r.c.status.not_in(open_values))


    def make() -> tuple[list[dict], dict[str, str]]:
        # Newest first; the id breaks ties, so a page boundary is stable.
        with ctx.db.read() as conn:
            rows = conn.execute(q.order_by(r.c.created_at.desc(), r.c.id.desc())
                                .offset((page - 1) * page_size).limit(page_size + 1)).all()
        headers = {}
        if len(rows) > page_size:
            rows = rows[:page_size]
            nxt = request.url.include_query_params(page=page + 1, page_size=page_size)
            headers["Link"] = f'<{nxt}>; rel="next"'
        return [_request_out(ctx, x) for x in rows], headers

    return _anonymous_read(ctx, request, fmt, make)


@router.get("/requests/{request_id}.{fmt}", responses=ERRORS, summary="One service request")
def get_request(
    fmt: FmtPath, ctx: Ctx, request: Request,
    request_id: Annotated[str, Path(max_length=64, description="service_request_id (ticket)")],
) -> Response:
    _refuse_controls({"request_id": request_id})
    r = Report.__table__

    def make() -> tuple[list[dict], dict[str, str]]:
        with ctx.db.read() as conn:
            row = conn.execute(select(r).where(
                or_(r.c.ticket == request_id, r.c.id == request_id), *_public(ctx))).first()
        if row is None:
            raise ApiError(404, f"no public service request {request_id!r}")
        return [_request_out(ctx, row)], {}

    return _anonymous_read(ctx, request, fmt, make)


def mount(app: FastAPI) -> None:
    """Mount Open311 on ``app`` at MOUNT as its own application. It shares ``app``'s state
    (the routes read ``request.app.state.ctx``, and ``request.app`` is the mounted app);
    ``app``'s middleware (size limits, metrics, access log) wraps it like any route."""
    sub = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    sub.state = app.state
    errors.install(sub, respond=open311_error)
    sub.include_router(router)
    app.mount(MOUNT, sub)
