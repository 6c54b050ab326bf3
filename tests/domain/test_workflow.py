"""The status workflow: the table is the contract between console and server."""

import random

import pytest

from console.domain.workflow import (
    OPEN_STATUSES,
    SIDE_EXITS,
    STAMP_FIELD,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    Triage,
    allowed_actions,
    can,
    next_status,
    stamp_field,
    triage_action,
)

# Written out independently of the module so an accidental edit to the table fails here:
# in the stored strings (SQLite's CHECK constraints, the server, the wire), one transition
# a row: status, action, next status.
_EXPECTED_ROWS = """
new          verify          verified
new          reject          rejected
new          not_authority   not_authority
new          mark_duplicate  duplicate
new          mark_prank      prank
new          mark_ghost      ghost
new          answer_info     resolved
verified     reject          rejected
verified     not_authority   not_authority
verified     mark_duplicate  duplicate
verified     dispatch        dispatched
verified     start           in_progress
dispatched   mark_duplicate  duplicate
dispatched   dispatch        dispatched
dispatched   start           in_progress
dispatched   resolve         resolved
in_progress  dispatch        in_progress
in_progress  resolve         resolved
resolved     close           closed
resolved     reopen          in_progress
"""
EXPECTED = {(Status(status), Action(action)): Status(target)
            for status, action, target in map(str.split, _EXPECTED_ROWS.strip().splitlines())}
ALL_PAIRS = [(s, a) for s in Status for a in Action]
ILLEGAL = [p for p in ALL_PAIRS if p not in EXPECTED]


def test_wire_values_are_the_stored_strings():
    # These strings are in SQLite CHECK constraints and on the wire.
    assert [s.value for s in Status] == [
        "new", "verified", "dispatched", "in_progress", "resolved", "closed",
        "rejected", "not_authority", "duplicate", "prank", "ghost",
    ]
    assert Action("answer_info") is Action.ANSWER_INFO


def test_table_is_exactly_the_expected_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize(("pair", "target"), EXPECTED.items(), ids=lambda v: str(v))
def test_every_legal_pair(pair, target):
    status, action = pair
    assert next_status(status, action) is target
    assert next_status(status.value, action.value) is target  # strings from SQLite
    assert can(status, action)
    assert action in allowed_actions(status)


@pytest.mark.parametrize("pair", ILLEGAL, ids=lambda p: f"{p[0]}-{p[1]}")
def test_every_illegal_pair_raises_naming_both(pair):
    status, action = pair
    assert not can(status, action)
    with pytest.raises(IllegalTransition) as info:
        next_status(status, action)
    err = info.value
    assert isinstance(err, ValueError)  # callers may catch ValueError generically
    assert err.status is status and err.action is action
    assert f"'{action}'" in str(err) and f"'{status}'" in str(err)


def test_illegal_message_lists_what_is_allowed():
    with pytest.raises(IllegalTransition, match=r"cannot 'close' a report that is 'new'; "
                       r"allowed from 'new': verify, reject, not_authority"):
        next_status("new", "close")
    with pytest.raises(IllegalTransition, match="'closed' is final"):
        next_status("closed", "reopen")


def test_unknown_strings_are_rejected_clearly():
    with pytest.raises(ValueError, match="unknown status 'open'.*new, verified"):
        next_status("open", "verify")
    with pytest.raises(ValueError, match="unknown action 'approve'"):
        next_status("new", "approve")
    assert can("open", "verify") is False


def test_status_sets_partition_the_statuses():
    resolved = {Status.RESOLVED}
    assert OPEN_STATUSES | TERMINAL_STATUSES | resolved == set(Status)
    assert not OPEN_STATUSES & TERMINAL_STATUSES
    assert Status.RESOLVED not in OPEN_STATUSES | TERMINAL_STATUSES
    assert Status.CLOSED in TERMINAL_STATUSES and SIDE_EXITS < TERMINAL_STATUSES


@pytest.mark.parametrize("status", sorted(TERMINAL_STATUSES))
def test_terminal_states_have_no_actions(status):
    assert allowed_actions(status) == []


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES | {Status.RESOLVED}))
def test_non_terminal_states_can_move(status):
    assert allowed_actions(status)


def test_allowed_actions_order_is_stable_for_menus():
    assert allowed_actions(Status.RESOLVED) == [Action.CLOSE, Action.REOPEN]
    assert allowed_actions(Status.DISPATCHED) == [
        Action.MARK_DUPLICATE, Action.DISPATCH, Action.START, Action.RESOLVE,
    ]


def _reachable_from(start: Status) -> set[Status]:
    """Every status some run of allowed actions leads to from ``start`` (itself included)."""
    seen, frontier = {start}, [start]
    while frontier:
        s = frontier.pop()
        for a in allowed_actions(s):
            t = next_status(s, a)
            if t not in seen:
                seen.add(t)
                frontier.append(t)
    return seen


def test_every_status_reachable_and_every_open_report_can_finish():
    assert _reachable_from(Status.NEW) == set(Status)
    for start in OPEN_STATUSES | {Status.RESOLVED}:
        assert _reachable_from(start) & TERMINAL_STATUSES, f"{start} can never be finished"


def test_random_walks_never_leave_the_table():
    rng = random.Random(20260313)
    targets = set(EXPECTED.values()) | {Status.NEW}
    for _ in range(500):
        status = Status.NEW
        for _ in range(30):
            action = rng.choice(list(Action))
            if can(status, action):
                new = next_status(status, action)
                assert new == EXPECTED[(status, action)]
                assert new in targets
                status = new
            else:
                with pytest.raises(IllegalTransition):
                    next_status(status, action)
            if status in TERMINAL_STATUSES:
                assert allowed_actions(status) == []
                break


def test_full_happy_path_and_citizen_dispute():
    status = Status.NEW
    for action in ("verify", "dispatch", "dispatch", "start", "resolve", "reopen", "resolve",
                   "close"):
        status = next_status(status, action)
    assert status is Status.CLOSED


def test_stamp_fields_only_on_first_entry():
    assert stamp_field("new", "verify") == "verified_at"
    assert stamp_field("verified", "dispatch") == "dispatched_at"
    # A second agency keeps the first dispatch time (112 "time to dispatch").
    assert stamp_field("dispatched", "dispatch") is None
    assert stamp_field("in_progress", "resolve") == "resolved_at"
    assert stamp_field("resolved", "close") == "closed_at"
    # Every way out of a report gives it a closed_at for shift reports.
    for exit_status in SIDE_EXITS:
        assert STAMP_FIELD[exit_status] == "closed_at"
    assert stamp_field("new", "mark_prank") == "closed_at"
    # 112 information calls are resolved on the phone.
    assert stamp_field("new", "answer_info") == "resolved_at"
    with pytest.raises(IllegalTransition):
        stamp_field("closed", "close")


@pytest.mark.parametrize(
    ("triage", "action", "result"),
    [
        (Triage.EMERGENCY, Action.VERIFY, Status.VERIFIED),
        (Triage.INFORMATION, Action.ANSWER_INFO, Status.RESOLVED),
        (Triage.PRANK, Action.MARK_PRANK, Status.PRANK),
        (Triage.GHOST, Action.MARK_GHOST, Status.GHOST),
    ],
)
def test_triage_keys_map_to_legal_actions_on_new_calls(triage, action, result):
    assert triage_action(triage) is action
    assert triage_action(triage.value) is action
    assert next_status(Status.NEW, triage_action(triage)) is result


def test_unknown_triage_rejected():
    with pytest.raises(ValueError, match="unknown triage 'maybe'"):
        triage_action("maybe")
