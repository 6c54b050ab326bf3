"""Reference data of a new (or upgraded) server database: agencies, the service catalogue
and the regions of the configured city, all from the shared definitions the consoles seed
from (console/domain/catalog.py, console/store/regions.py), so codes match everywhere.

Runs on every start; when the stored version matches it is one SELECT. Agencies and
categories are upserted (a city's own extra rows are kept), regions only added.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import insert, select, update

from console.domain.catalog import AGENCIES, CATEGORIES
from console.store.regions import region_rows
from server.db import Database
from server.models import Agency, Category, Counter, Meta, Region

META_KEY = "reference_seeded"
REGIONS_VERSION = "regions-1"


def _agencies() -> list[dict]:
    return [dict(code=a.code, name_id=a.name_id, name_en=a.name_en, kind=str(a.kind))
            for a in AGENCIES.values()]


def _categories() -> list[dict]:
    return [
        dict(code=c.code, name_id=c.name_id, name_en=c.name_en,
             default_priority=c.default_priority, sla_verify_days=c.sla_verify_days,
             sla_followup_days=c.sla_followup_days, sla_dispatch_minutes=c.sla_dispatch_minutes,
             default_agency=c.default_agency, emergency=c.emergency, active=True)
        for c in CATEGORIES.values()
    ]


def _regions(city: str) -> list[dict]:
    return [dict(code=r["code"], name=r["name"], level=r["level"], parent_code=r["parent_code"],
                 postal_code=r["postal_code"], lat=r["lat"], lon=r["lon"])
            for r in region_rows(city)]


def reference_version(city: str) -> str:
    h = hashlib.sha256(repr((_agencies(), _categories(), REGIONS_VERSION, city)).encode())
    return h.hexdigest()[:16]


def _upsert(conn, model, key: str, rows: list[dict], *, update_existing: bool) -> int:  # noqa: ANN001
    table = model.__table__
    existing = {r[0] for r in conn.execute(select(table.c[key]))}
    new = [r for r in rows if r[key] not in existing]
    if new:
        conn.execute(insert(table), new)
    if update_existing:
        for r in rows:
            if r[key] in existing:
                conn.execute(update(table).where(table.c[key] == r[key]).values(**r))
    return len(new)


def ensure_reference_data(db: Database, city: str) -> dict:
    version = reference_version(city)
    meta = Meta.__table__
    with db.read() as conn:
        stored = conn.execute(select(meta.c.value).where(meta.c.key == META_KEY)).scalar()
    if stored == version:
        return {"seeded": False, "version": version}
    with db.write() as conn:
        stored = conn.execute(select(meta.c.value).where(meta.c.key == META_KEY)).scalar()
        if stored == version:
            return {"seeded": False, "version": version}
        agencies = _upsert(conn, Agency, "code", _agencies(), update_existing=True)
        categories = _upsert(conn, Category, "code", _categories(), update_existing=True)
        regions = _upsert(conn, Region, "code", _regions(city), update_existing=False)
        counter = Counter.__table__
        if conn.execute(select(counter.c.value).where(counter.c.name == "seq")).first() is None:
            conn.execute(insert(counter).values(name="seq", value=0))
        if stored is None:
            conn.execute(insert(meta).values(key=META_KEY, value=version))
        else:
            conn.execute(update(meta).where(meta.c.key == META_KEY).values(value=version))
        for key, value in (("city", city),):
            if conn.execute(select(meta.c.value).where(meta.c.key == key)).first() is None:
                conn.execute(insert(meta).values(key=key, value=value))
    return {"seeded": True, "version": version, "agencies": agencies,
            "categories": categories, "regions": regions}
