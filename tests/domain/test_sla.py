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
    at_risk_from,
    due_day,
    is_overdue,
    is_working_day,
    remaining,
    restarts_clock,
    sla_clock,
    sla_due,
    sla_stage,
    sla_state,
    working_days_between,
)
from console.domain.sla_targets import DEFAULT_RESPONSE_MINUTES, response_minutes
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
    stage = sla_stage(category("kebakaran"), "phone_112", "new")
    assert sla_state(due, start + timedelta(minutes=3), stage) is SlaState.OK
    # The last quarter of five minutes: from 3 min 45 s.
    assert sla_state(due, start + timedelta(minutes=3, seconds=44), stage) is SlaState.OK
    assert sla_state(due, start + timedelta(minutes=3, seconds=45), stage) is SlaState.AT_RISK
    assert sla_state(due, due - timedelta(microseconds=1), stage) is SlaState.AT_RISK
    assert sla_state(due, due, stage) is SlaState.BREACHED  # due is exclusive
    assert sla_state(due, due + timedelta(hours=1), stage) is SlaState.BREACHED
    assert remaining(due, due + timedelta(minutes=2)) == timedelta(minutes=-2)
    assert sla_state(None, start, stage) is SlaState.NONE


def test_sla_state_over_lebaran():
    due = add_working_days(FILED, 3)  # filed Fri 13 March, due end of Wed 25 March
    stage = sla_stage(category("jalan_rusak"), "app", "new")
    assert sla_state(due, wib(2026, 3, 16, 9, 0), stage) is SlaState.OK
    assert sla_state(due, wib(2026, 3, 24, 23, 59), stage) is SlaState.OK
    assert sla_state(due, wib(2026, 3, 25, 0, 0), stage) is SlaState.AT_RISK  # last day
    assert sla_state(due, wib(2026, 3, 26, 0, 0), stage) is SlaState.BREACHED


def test_five_day_follow_up_is_at_risk_on_its_last_two_working_days():
    # Verified Thu 2 April 2026 (Good Friday 3 April is a holiday): 5 working days are
    # Mon 6 .. Fri 10 April; at risk from Thursday 9 April, 00:00 WIB.
    road = category("jalan_rusak")
    due = sla_due(road, "app", "verified", wib(2026, 4, 2, 10, 0))
    assert due_day(due) == date(2026, 4, 10)
    stage = sla_stage(road, "app", "verified")
    assert at_risk_from(stage, due) == wib(2026, 4, 9, 0, 0)
    # Over a weekend before the last days the report is not yet at risk.
    assert sla_state(due, wib(2026, 4, 8, 23, 0), stage) is SlaState.OK


def test_at_risk_window_skips_holidays():
    # A 5-day follow-up due at the end of Wed 25 March 2026. Nyepi, Lebaran and its cuti
    # bersama close 18-24 March, so the last two *working* days are Tue 17 and Wed 25:
    # the report is at risk before the holiday, when only two days of work are left.
    stage = sla_stage(category("jalan_rusak"), "app", "dispatched")
    due = wib(2026, 3, 26, 0, 0)
    assert at_risk_from(stage, due) == wib(2026, 3, 17, 0, 0)
    assert sla_state(due, wib(2026, 3, 16, 23, 0), stage) is SlaState.OK
    assert sla_state(due, wib(2026, 3, 20, 9, 0), stage) is SlaState.AT_RISK


def test_dispatched_emergency_runs_on_response_minutes_not_days():
    fire = category("kebakaran")
    stage = sla_stage(fire, "phone_112", "dispatched")
    assert stage.stage is Stage.RESPOND and stage.minutes == 15 and stage.working_days is None
    dispatched = utc(2026, 3, 21, 7, 4)
    due = sla_due(fire, "phone_112", "dispatched", dispatched)
    assert due == dispatched + timedelta(minutes=15)
    # The same fire reported on WhatsApp gets the same response clock.
    assert sla_stage(fire, "whatsapp", "dispatched") == stage
    # On scene (start of work): the written follow-up in working days.
    assert sla_stage(fire, "phone_112", "in_progress").working_days == 5


@pytest.mark.parametrize(("code", "minutes"), [
    ("kebakaran", 15), ("darurat_medis", 30), ("kecelakaan", 30), ("kriminalitas", 15),
    ("bencana_longsor", 60)])
def test_every_emergency_category_has_a_response_target(code, minutes):
    cat = category(code)
    assert response_minutes(cat) == minutes
    assert sla_stage(cat, "app", "dispatched").minutes == minutes


def test_no_response_clock_for_ordinary_work_even_on_112():
    pothole = category("jalan_rusak")
    assert response_minutes(pothole) is None
    # Dispatched within 5 minutes of the call, then LAPOR! follow-up in working days.
    assert sla_stage(pothole, "phone_112", "dispatched").stage is Stage.FOLLOW_UP
    assert sla_stage(pothole, "phone_112", "dispatched").working_days == 5
    # A city's own emergency category without a table entry gets the default.
    from dataclasses import replace
    own = replace(category("kebakaran"), code="kebocoran_gas")
    assert response_minutes(own) == DEFAULT_RESPONSE_MINUTES


def test_priority_1_runs_the_emergency_clocks_whatever_the_category():
    flood = category("banjir")
    assert sla_stage(flood, "whatsapp", "new").stage is Stage.VERIFY
    assert sla_stage(flood, "whatsapp", "new", priority=1).minutes == 5
    assert sla_stage(flood, "whatsapp", "dispatched", priority=1).stage is Stage.RESPOND
    assert sla_stage(flood, "whatsapp", "dispatched", priority=1).minutes == (
        DEFAULT_RESPONSE_MINUTES)
    assert sla_stage(flood, "whatsapp", "dispatched", priority=2).stage is Stage.FOLLOW_UP
    # Triaged as an emergency (the operation raises it to P1): the minute clock starts.
    assert restarts_clock(flood, "whatsapp", "new", "verify", priority=3, new_priority=1)
    assert sla_due(flood, "whatsapp", "verified", FILED, priority=1) == FILED + timedelta(
        minutes=5)
    assert sla_clock(flood, "whatsapp", "verified", FILED, priority=1).in_minutes


def test_emergency_clock_restarts_per_stage():
    fire = category("kebakaran")
    assert not restarts_clock(fire, "phone_112", "new", "verify")       # call clock runs on
    assert restarts_clock(fire, "phone_112", "verified", "dispatch")    # response clock
    assert not restarts_clock(fire, "phone_112", "dispatched", "dispatch")  # 2nd agency
    assert restarts_clock(fire, "phone_112", "dispatched", "start")     # on scene: follow-up
    assert not restarts_clock(fire, "phone_112", "in_progress", "dispatch")


def test_one_rule_clock_state_matches_is_overdue_and_sla_state():
    """The clock the views use, sla_state and is_overdue are one rule at every instant."""
    fire = category("kebakaran")
    road = category("jalan_rusak")
    cases = [
        (fire, "phone_112", "new", add_minutes(FILED, 5)),
        (fire, "phone_112", "dispatched", add_minutes(FILED, 15)),
        (road, "app", "verified", add_working_days(FILED, 5)),
        (road, "sms", "new", add_working_days(FILED, 3)),
    ]
    rng = random.Random(10)
    for cat, channel, status, due in cases:
        clock = sla_clock(cat, channel, status, due)
        stage = sla_stage(cat, channel, status)
        for _ in range(200):
            now = due + timedelta(seconds=rng.randint(-14 * 86400, 86400))
            state = clock.state(now)
            assert state is sla_state(due, now, stage)
            assert (state is SlaState.BREACHED) is is_overdue(due, now)
            assert (state is SlaState.AT_RISK) is (clock.at_risk <= now < due)
        assert clock.state(due) is SlaState.BREACHED
        assert clock.state(due - timedelta(microseconds=1)) is not SlaState.BREACHED
    # No clock once finished, or without a deadline; unknown category: breached, never at risk.
    assert sla_clock(fire, "phone_112", "resolved", add_minutes(FILED, 5)) is None
    assert sla_clock(fire, "phone_112", "new", None) is None
    bare = sla_clock(None, "app", "new", FILED)
    assert bare.state(FILED - timedelta(seconds=1)) is SlaState.OK
    assert bare.state(FILED) is SlaState.BREACHED
    assert bare.in_minutes is False
    assert sla_clock(fire, "phone_112", "dispatched", FILED).in_minutes is True
