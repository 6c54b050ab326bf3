"""The SLA clock against real 2025/2026 Indonesian calendars (holidays + cuti bersama)."""

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from console.domain.catalog import Channel, category
from console.domain.sla import (
    SlaState,
    Stage,
    add_minutes,
    add_working_days,
    due_day,
    is_working_day,
    remaining,
    restarts_clock,
    sla_due,
    sla_stage,
    sla_state,
    working_days_between,
)
from console.domain.workflow import Status

WIB = timezone(timedelta(hours=7))


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


# --- calendar -------------------------------------------------------------------

def test_lebaran_2026_block_is_not_worked():
    # Nyepi + Idul Fitri 2026 incl. cuti bersama (18, 20, 23, 24 March are joint leave).
    for d in range(18, 25):
        assert not is_working_day(date(2026, 3, d)), f"2026-03-{d} should be off"
    assert is_working_day(date(2026, 3, 17))
    assert is_working_day(date(2026, 3, 25))


def test_cuti_bersama_and_weekends_are_not_worked():
    assert not is_working_day(date(2026, 2, 16))   # Lunar New Year joint holiday
    assert not is_working_day(date(2026, 12, 24))  # Christmas joint holiday
    assert not is_working_day(date(2025, 12, 26))  # Christmas joint holiday 2025
    assert not is_working_day(date(2026, 3, 14))   # Saturday
    assert is_working_day(date(2026, 3, 11))       # ordinary Wednesday


# --- add_working_days ---------------------------------------------------------------

def test_friday_evening_report_waits_out_lebaran():
    # Filed Friday 13 March 17:00 WIB. Mon 16 = 1, Tue 17 = 2, 18-24 off, Wed 25 = 3.
    due = add_working_days(wib(2026, 3, 13, 17, 0), 3)
    assert due == utc(2026, 3, 25, 17, 0)  # = Thu 26 March 00:00 WIB, i.e. end of Wed 25
    assert due.tzinfo is UTC
    assert due_day(due) == date(2026, 3, 25)


def test_saturday_report_counts_from_monday():
    saturday = add_working_days(wib(2026, 3, 7, 9, 0), 3)
    friday = add_working_days(wib(2026, 3, 6, 17, 0), 3)
    assert due_day(saturday) == date(2026, 3, 12)  # received Mon 9 -> Tue, Wed, Thu
    assert due_day(friday) == date(2026, 3, 11)    # Mon, Tue, Wed
    assert saturday == utc(2026, 3, 12, 17, 0)


def test_across_new_year_with_holidays_of_both_years():
    # Wed 24 Dec 2025: 25 Christmas, 26 joint leave, weekend, 29/30/31 = 1-3,
    # 1 Jan New Year, Fri 2 Jan = 4, Mon 5 Jan = 5.
    due = add_working_days(wib(2025, 12, 24, 10, 0), 5)
    assert due_day(due) == date(2026, 1, 5)
    assert due == utc(2026, 1, 5, 17, 0)


def test_local_calendar_not_utc_decides_the_day():
    # 16:30 UTC Friday is 23:30 Friday in Jakarta but 00:30 Saturday in Makassar.
    start = utc(2026, 3, 13, 16, 30)
    assert due_day(add_working_days(start, 1)) == date(2026, 3, 16)
    in_makassar = add_working_days(start, 1, tz="Asia/Makassar")
    assert due_day(in_makassar, tz="Asia/Makassar") == date(2026, 3, 17)
    assert in_makassar == utc(2026, 3, 17, 16, 0)  # 00:00 WITA is 16:00 UTC


def test_zero_days_means_end_of_receipt_day():
    assert add_working_days(wib(2026, 3, 11, 10, 0), 0) == utc(2026, 3, 11, 17, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((datetime(2026, 3, 13, 17, 0), 3), "timezone-aware"),
        ((wib(2026, 3, 13), -1), "non-negative"),
        ((wib(2026, 3, 13), True), "non-negative int"),
        ((wib(2026, 3, 13), 2.5), "non-negative int"),
    ],
)
def test_bad_input_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        add_working_days(*args)


def test_naive_datetimes_rejected_everywhere():
    naive = datetime(2026, 3, 13, 17, 0)
    for call in (
        lambda: add_minutes(naive, 5),
        lambda: working_days_between(naive, utc(2026, 3, 20)),
        lambda: sla_due(category("jalan_rusak"), "app", "new", naive),
        lambda: sla_state(utc(2026, 3, 20), naive, timedelta(days=1)),
        lambda: remaining(naive, utc(2026, 3, 20)),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_due_dates_are_working_days_and_round_trip_over_years():
    rng = random.Random(7)
    for _ in range(300):
        start = utc(2025, 1, 1) + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        n = rng.randrange(0, 40)
        due = add_working_days(start, n)
        assert due > start
        assert is_working_day(due_day(due))
        assert working_days_between(start, due - timedelta(microseconds=1)) == n


# --- minutes and working_days_between -------------------------------------------------

def test_112_minutes_ignore_holidays():
    # Idul Fitri afternoon: an ambulance is still due in five minutes.
    start = wib(2026, 3, 21, 14, 0)
    due = add_minutes(start, 5)
    assert due == utc(2026, 3, 21, 7, 5) and due.tzinfo is UTC


def test_working_days_between_matches_the_sla_scale():
    filed = wib(2026, 3, 13, 17, 0)
    assert working_days_between(filed, wib(2026, 3, 25, 9, 0)) == 3   # within SLA
    assert working_days_between(filed, wib(2026, 3, 26, 9, 0)) == 4   # one day late
    assert working_days_between(wib(2026, 3, 7, 10), wib(2026, 3, 9, 15)) == 0
    # Clock skew (verified "before" it was filed) is zero, not an exception.
    assert working_days_between(filed, filed - timedelta(seconds=3)) == 0


# --- which target applies ---------------------------------------------------------

FILED = wib(2026, 3, 13, 17, 0)


def test_ordinary_report_verify_then_follow_up_in_working_days():
    road = category("jalan_rusak")
    assert sla_due(road, Channel.APP, Status.NEW, FILED) == utc(2026, 3, 25, 17, 0)
    # Verified Wed 25 March 09:00: 5 working days -> Thu 26 .. Wed 1 April end.
    verified = wib(2026, 3, 25, 9, 0)
    due = sla_due(road, "whatsapp", "verified", verified)
    assert due_day(due) == date(2026, 4, 1)
    assert sla_stage(road, "app", "dispatched").stage is Stage.FOLLOW_UP


def test_emergencies_use_minutes_on_any_channel():
    fire = category("kebakaran")
    assert sla_due(fire, Channel.WHATSAPP, Status.NEW, FILED) == FILED + timedelta(minutes=5)
    assert sla_stage(fire, "app", "verified").stage is Stage.DISPATCH
    # After dispatch the agency's written follow-up runs in working days.
    assert sla_stage(fire, "phone_112", "in_progress").working_days == 5


def test_anything_on_112_gets_the_five_minute_target():
    pothole = category("jalan_rusak")
    assert sla_due(pothole, Channel.PHONE_112, Status.NEW, FILED) == FILED + timedelta(minutes=5)
    info = category("informasi")
    assert sla_stage(info, "phone_112", "new").minutes == 5
    # The same information request typed into the app is ordinary LAPOR! work.
    assert sla_stage(info, "app", "new").working_days == 3


@pytest.mark.parametrize("status", ["resolved", "closed", "rejected", "duplicate", "prank"])
def test_no_clock_once_resolved_or_finished(status):
    assert sla_due(category("kebakaran"), "phone_112", status, FILED) is None


def test_which_transitions_restart_the_clock():
    road, fire = category("jalan_rusak"), category("kebakaran")
    assert restarts_clock(road, "app", "new", "verify")
    assert not restarts_clock(road, "app", "verified", "dispatch")  # same follow-up clock
    assert not restarts_clock(road, "app", "dispatched", "start")
    assert not restarts_clock(road, "app", "in_progress", "dispatch")  # no extra time
    assert restarts_clock(road, "app", "in_progress", "resolve")      # clock stops
    assert restarts_clock(road, "app", "resolved", "reopen")          # dispute: new clock
    # 112: the five minutes run from the call, verifying does not reset them.
    assert not restarts_clock(fire, "phone_112", "new", "verify")
    assert restarts_clock(fire, "phone_112", "verified", "dispatch")


# --- state ----------------------------------------------------------------------

def test_sla_state_for_a_112_call():
    start = utc(2026, 3, 21, 7, 0)
    due = add_minutes(start, 5)
    length = due - start
    assert sla_state(due, start + timedelta(minutes=3), length) is SlaState.OK
    assert sla_state(due, start + timedelta(minutes=4), length) is SlaState.AT_RISK
    assert sla_state(due, due, length) is SlaState.BREACHED  # due is exclusive
    assert sla_state(due, due + timedelta(hours=1), length) is SlaState.BREACHED
    assert remaining(due, due + timedelta(minutes=2)) == timedelta(minutes=-2)
    assert sla_state(None, start, length) is SlaState.NONE


def test_sla_state_over_lebaran():
    due = add_working_days(FILED, 3)
    length = due - FILED
    assert sla_state(due, wib(2026, 3, 16, 9, 0), length) is SlaState.OK
    assert sla_state(due, wib(2026, 3, 25, 9, 0), length) is SlaState.AT_RISK  # last day
    assert sla_state(due, wib(2026, 3, 26, 0, 1), length) is SlaState.BREACHED
    with pytest.raises(ValueError, match="negative"):
        sla_state(due, FILED, -length)
