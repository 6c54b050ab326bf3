"""An in-memory copy of the reference tables (regions, categories, agencies).

Every push checks codes against these; reading three small tables per batch would cost
more than the batch's real work. Reloaded on a miss (at most every few seconds), so a
category a city adds in the database is seen without a restart.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from sqlalchemy import select

from console.domain.catalog import CategoryDef
from console.domain.geo import CITY_BOUNDS, CityBounds
from console.store.regions import city as city_def
from server.db import Database
from server.models import Agency, Category, Region

RELOAD_AFTER_S = 5.0


class Reference:
    def __init__(self, db: Database, city: str) -> None:
        self.db = db
        self.city = city_def(city)
        self.bounds: CityBounds = CITY_BOUNDS[city]
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self.regions: dict[str, dict] = {}
        self.categories: dict[str, CategoryDef] = {}
        self.category_names: dict[str, tuple[str, str]] = {}
        self.active_categories: set[str] = set()
        self.agencies: dict[str, str] = {}
        self.kelurahan_by_postal: dict[str, list[str]] = {}
        self.load()

    def load(self) -> None:
        r, c, a = Region.__table__, Category.__table__, Agency.__table__
        with self.db.read() as conn:
            regions = {row.code: dict(row._mapping) for row in conn.execute(select(r))}
            cats = list(conn.execute(select(c)))
            agencies = {row.code: row.name_id for row in conn.execute(select(a))}
        categories = {}
        for row in cats:
            try:
                categories[row.code] = CategoryDef(
                    code=row.code, name_id=row.name_id, name_en=row.name_en,
                    default_priority=row.default_priority, default_agency=row.default_agency,
                    emergency=bool(row.emergency), sla_verify_days=row.sla_verify_days,
                    sla_followup_days=row.sla_followup_days,
                    sla_dispatch_minutes=row.sla_dispatch_minutes)
            except ValueError:  # a hand-edited row that breaks the catalogue's rules
                continue
        postal: dict[str, list[str]] = defaultdict(list)
        for code, row in regions.items():
            if row["level"] == "kelurahan" and row["postal_code"]:
                postal[row["postal_code"]].append(code)
        with self._lock:
            self.regions = regions
            self.categories = categories
            self.category_names = {row.code: (row.name_id, row.name_en) for row in cats}
            self.active_categories = {row.code for row in cats if row.active}
            self.agencies = agencies
            self.kelurahan_by_postal = dict(postal)
            self._loaded_at = time.monotonic()

    def _reload_on_miss(self) -> bool:
        if time.monotonic() - self._loaded_at < RELOAD_AFTER_S:
            return False
        self.load()
        return True

    def has_region(self, code: str) -> bool:
        return code in self.regions or (self._reload_on_miss() and code in self.regions)

    def has_agency(self, code: str) -> bool:
        return code in self.agencies or (self._reload_on_miss() and code in self.agencies)

    def category(self, code: str) -> CategoryDef | None:
        if code not in self.categories:
            self._reload_on_miss()
        return self.categories.get(code)
