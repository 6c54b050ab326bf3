"""Starting priorities: what the operator sees pre-selected, and what sounds the P1 alarm."""

import pytest

from console.domain.catalog import CATEGORIES, Channel
from console.domain.priority import default_priority, validate_priority
from console.domain.workflow import Triage


def test_category_default_is_the_starting_point():
    assert default_priority("kebakaran", Channel.APP) == 1
    assert default_priority("jalan_rusak", Channel.APP) == 3
    assert default_priority("lampu_jalan", Channel.WALK_IN) == 4


def test_112_calls_are_at_least_priority_2():
    assert default_priority("jalan_rusak", Channel.PHONE_112) == 2
    assert default_priority("lampu_jalan", "phone_112") == 2
    # ...but never lowered: a fire stays priority 1.
    assert default_priority("kebakaran", "phone_112") == 1
    # The ordinary hotline is not the emergency line.
    assert default_priority("jalan_rusak", Channel.PHONE) == 3


def test_flood_gauge_reports_are_priority_2():
    assert default_priority("banjir", Channel.APP) == 3
    assert default_priority("banjir", Channel.SENSOR) == 2
    # The sensor rule is about flood gauges only.
    assert default_priority("sampah", Channel.SENSOR) == 3


def test_triage_overrides_channel():
    assert default_priority("jalan_rusak", "phone_112", Triage.EMERGENCY) == 1
    assert default_priority("informasi", "phone_112", "emergency") == 1
    # Calls closed on the phone must never raise the P1 alarm.
    for triage in ("information", "prank", "ghost"):
        assert default_priority("kebakaran", "phone_112", triage) == 4


def test_every_category_channel_combination_is_valid():
    for code in CATEGORIES:
        for channel in Channel:
            for triage in (None, *Triage):
                assert 1 <= default_priority(code, channel, triage) <= 4


def test_unknown_inputs_are_clear_errors():
    with pytest.raises(KeyError, match="unknown category code 'pothole'"):
        default_priority("pothole", "app")
    with pytest.raises(ValueError):
        default_priority("jalan_rusak", "fax")
    with pytest.raises(ValueError):
        default_priority("jalan_rusak", "app", "urgent")


@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_validate_accepts_1_to_4(p):
    assert validate_priority(p) == p


@pytest.mark.parametrize("p", [0, 5, -1, True, False, "1", 1.0, None])
def test_validate_rejects_everything_else(p):
    with pytest.raises(ValueError, match="priority"):
        validate_priority(p)
