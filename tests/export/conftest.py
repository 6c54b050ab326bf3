"""A small, hand-made shift on top of the shared ``db`` fixture.

Window: Tuesday 24 Nov 2026 07:00 WIB → Wednesday 25 Nov 07:00 WIB (no holidays that
week); "now" is Monday 30 Nov 10:00 WIB, so three-working-day verify clocks of Tuesday's
reports ran out at the end of Friday 27 Nov. Each report is there for a reason, written
next to it; the tests recompute figures from the store with SQL and compare.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from console.store.timefmt import to_db

WIB = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 11, 24, 7, 0, tzinfo=WIB)
END = datetime(2026, 11, 25, 7, 0, tzinfo=WIB)
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=WIB).astimezone(UTC)
M = timedelta(minutes=1)
H = timedelta(hours=1)

INJECTION_TITLE = '=HYPERLINK("http://x","y")'
INJECTIONS = [INJECTION_TITLE, "+cmd", "@SUM(1)", "-2+3", "\t=1+1"]


@dataclass
class Scenario:
    start: datetime
    end: datetime
    now: datetime
    bandung_kel: list[str]       # kelurahan codes used
    semarang_kel: str
    empty_kel: str               # a Bandung kelurahan with no report at all
    ids: dict[str, str]          # letter -> report id
    supervisor: str = "spv.hendra"
    supervisor2: str = "spv.ratna"
    operator: str = "op.rina"


def _kelurahan(conn, kota: str, n: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT code FROM region WHERE level = 'kelurahan' AND code LIKE ? ORDER BY code LIMIT ?",
        (kota + "-%", n))]


def add_report(conn, letter: str, *, channel: str, category: str, priority: int, status: str,
               created: datetime, region: str, triage: str | None = None,
               verified: datetime | None = None, dispatched: datetime | None = None,
               resolved: datetime | None = None, closed: datetime | None = None,
               sla_due: datetime | None = None, title: str | None = None,
               description: str = "", reporter_name: str | None = None,
               reporter_phone: str | None = None, address: str | None = None,
               agency: str | None = None) -> str:
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"posko-test-{letter}"))
    conn.execute(
        "INSERT INTO report (id, ticket, channel, category_code, priority, status, triage, title,"
        " description, reporter_name, reporter_phone, address, region_code, created_at,"
        " updated_at, verified_at, dispatched_at, resolved_at, closed_at, sla_due_at,"
        " assigned_agency, revision) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1)",
        (rid, f"TST-261124-{ord(letter):05d}", channel, category, priority, status, triage,
         title or f"Laporan {letter}", description, reporter_name, reporter_phone, address,
         region, to_db(created), to_db(created), to_db(verified), to_db(dispatched),
         to_db(resolved), to_db(closed), to_db(sla_due), agency))
    return rid


def add_operator(conn, username: str, name: str, role: str, regions: list[str]) -> str:
    oid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"posko-op-{username}"))
    conn.execute("INSERT INTO operator (id, username, display_name, role, regions)"
                 " VALUES (?, ?, ?, ?, ?)", (oid, username, name, role, json.dumps(regions)))
    return oid


def build_scenario(conn) -> Scenario:
    bdg = _kelurahan(conn, "3273", 6)
    smg = _kelurahan(conn, "3374", 1)[0]
    t = START.astimezone(UTC) + 2 * H  # Tue 09:00 WIB
    ids: dict[str, str] = {}
    with conn:
        add_operator(conn, "spv.hendra", "Hendra Gunawan", "supervisor", ["3273"])
        add_operator(conn, "spv.ratna", "Ratna Kusuma", "supervisor", [])
        add_operator(conn, "op.rina", "Rina Suryana", "operator", ["3273"])
        # 112 calls: ghost, prank, information answered on the phone: no SLA stage.
        ids["A"] = add_report(conn, "A", channel="phone_112", category="informasi", priority=4,
                              status="ghost", triage="ghost", created=t, closed=t + M, region=bdg[0])
        ids["B"] = add_report(conn, "B", channel="phone_112", category="kebakaran", priority=4,
                              status="prank", triage="prank", created=t + H, closed=t + H + M,
                              region=bdg[0])
        ids["C"] = add_report(conn, "C", channel="phone_112", category="informasi", priority=4,
                              status="resolved", triage="information", created=t + 2 * H,
                              resolved=t + 2 * H + 3 * M, region=bdg[1])
        # Real 112 fire: dispatched in 3 min (met), still in progress (follow-up running).
        # Its title is a spreadsheet formula; its reporter is a person with a phone.
        ids["D"] = add_report(conn, "D", channel="phone_112", category="kebakaran", priority=1,
                              status="in_progress", triage="emergency", created=t + 3 * H,
                              verified=t + 3 * H + M, dispatched=t + 3 * H + 3 * M,
                              # stored like the operations store it: 5 working days
                              # from the dispatch (Tue 24 Nov) end Tue 1 Dec, WIB
                              sla_due=datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
                              title=INJECTION_TITLE,
                              description="Asap <b>tebal</b> & api", reporter_name="Budi Santoso",
                              reporter_phone="081234567890", agency="damkar", region=bdg[1])
        # Real 112 accident: dispatched after 9 min (dispatch breached), resolved, closed.
        ids["E"] = add_report(conn, "E", channel="phone_112", category="kecelakaan", priority=1,
                              status="closed", triage="emergency", created=t + 4 * H,
                              verified=t + 4 * H + M, dispatched=t + 4 * H + 9 * M,
                              resolved=t + 6 * H, closed=t + 7 * H, agency="polisi",
                              reporter_name="Siti Aminah", reporter_phone="+6281398765432",
                              region=bdg[2])
        # Citizen reports.
        ids["F"] = add_report(conn, "F", channel="whatsapp", category="jalan_rusak", priority=3,
                              status="new", created=t + 5 * H, region=bdg[2],
                              sla_due=datetime(2026, 11, 27, 17, 0, tzinfo=UTC))  # verify breached
        ids["G"] = add_report(conn, "G", channel="app", category="sampah", priority=3,
                              status="resolved", created=t + 6 * H, verified=t + 11 * H,
                              dispatched=t + 12 * H, resolved=t + 26 * H, agency="dlh",
                              region=bdg[3])  # verify met, follow-up met
        ids["H"] = add_report(conn, "H", channel="sms", category="banjir", priority=3,
                              status="rejected", created=t + 7 * H, closed=t + 9 * H,
                              region=bdg[3])  # rejected in time: verify met
        ids["I"] = add_report(conn, "I", channel="walk_in", category="administrasi_kependudukan",
                              priority=4, status="in_progress", created=t + 8 * H,
                              verified=t + 9 * H, region=bdg[4],
                              sla_due=datetime(2026, 12, 1, 17, 0, tzinfo=UTC))  # follow-up running
        ids["J"] = add_report(conn, "J", channel="app", category="lampu_jalan", priority=4,
                              status="new", created=t + 9 * H, region=smg,
                              sla_due=datetime(2026, 11, 27, 17, 0, tzinfo=UTC))  # Semarang
        ids["M"] = add_report(conn, "M", channel="social", category="kebisingan", priority=4,
                              status="new", created=t + 10 * H, region=bdg[4],
                              title="+cmd", description="@SUM(1)", address="-2+3",
                              reporter_name="@SUM(1)", reporter_phone="\t=1+1",
                              sla_due=datetime(2026, 11, 27, 17, 0, tzinfo=UTC))
        # A fire reported on WhatsApp, never dispatched: the 5-minute target is breached.
        ids["N"] = add_report(conn, "N", channel="whatsapp", category="kebakaran", priority=1,
                              status="new", created=t + 11 * H, region=bdg[4],
                              reporter_name="Ani", sla_due=t + 11 * H + 5 * M)
        # Outside the window: an older P1 still open (listed as open P1, not counted) and
        # one created after the window (neither).
        ids["K"] = add_report(conn, "K", channel="phone_112", category="kecelakaan", priority=1,
                              status="dispatched", triage="emergency", created=t - 30 * H,
                              verified=t - 30 * H + M, dispatched=t - 30 * H + 2 * M,
                              sla_due=NOW + 20 * H, region=bdg[0])
        ids["L"] = add_report(conn, "L", channel="phone_112", category="kebakaran", priority=1,
                              status="new", triage=None, created=END.astimezone(UTC) + H,
                              region=bdg[0], sla_due=END.astimezone(UTC) + H + 5 * M)
    return Scenario(start=START, end=END, now=NOW, bandung_kel=bdg, semarang_kel=smg,
                    empty_kel=bdg[5], ids=ids)


@pytest.fixture
def scenario(conn) -> Scenario:
    return build_scenario(conn)


@pytest.fixture
def export(db, scenario, tmp_path):
    """export(fmt, **request fields) -> (ExportResult, path) with the scenario's window."""
    from console.export.model import ExportRequest
    from console.export.service import export_shift_report

    def run(fmt: str, name: str | None = None, **kw):
        out = tmp_path / (name or f"shift.{fmt}")
        fields = dict(start=scenario.start, end=scenario.end, fmt=fmt, out=out, now=scenario.now)
        fields.update(kw)
        result = export_shift_report(db.path, ExportRequest(**fields))
        return result, out

    return run


@pytest.fixture
def window(scenario) -> tuple[str, str]:
    """The window as stored text, for SQL in the tests."""
    return to_db(scenario.start.astimezone(UTC)), to_db(scenario.end.astimezone(UTC))


@pytest.fixture
def payloads() -> list[str]:
    return list(INJECTIONS)
