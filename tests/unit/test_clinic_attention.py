"""What needs a physiotherapist's attention (kneecore.clinic.attention): each rule on
both sides of its line, the sort order, and ageing a stored status to a later day.

Documents are built as the store holds them; dates count back from ``TODAY`` (a fixed
past day, so every session is allowed and the tests do not move with the calendar).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.clinic.attention import PatientStatus, status_of
from kneecore.models import Run, Session
from kneecore.selfcheck import assess
from kneecore.storefile import StoreDocument

TODAY = dt.date(2024, 6, 30)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def session(
    days_ago: int, during: int = 2, before: int = 1, morning: int | None = None, **more: Any
) -> Session:
    return Session.model_validate(
        {
            "date": ago(days_ago),
            "exercises": [{"exercise_id": "wall_sit", "sets": 1, "reps": [10]}],
            "pain_before": before,
            "pain_during": during,
            "pain_after": during,
            "pain_next_morning": morning,
            **more,
        }
    )


def doc(
    *sessions: Session, runs: tuple[Run, ...] = (), checks: tuple[Any, ...] = ()
) -> StoreDocument:
    return StoreDocument(
        sessions={str(i): s for i, s in enumerate(sessions, 1)},
        runs={str(i): r for i, r in enumerate(runs, 1)},
        selfchecks={str(i): c for i, c in enumerate(checks, 1)},
    )


def test_an_empty_document_has_nothing_but_no_log_yet():
    status = status_of(StoreDocument(), TODAY)
    assert status == PatientStatus(today=TODAY)
    assert status.stale and status.days_since_log is None
    assert [r.key for r in status.reasons()] == ["stale"]
    assert status.reasons()[0].label == "No log yet"


def test_red_sessions_count_today_and_the_13_days_before_only():
    red = [session(d, during=7) for d in (0, 5, 13, 14, 30)]
    status = status_of(doc(*red, session(1, during=5)), TODAY)
    assert status.red_sessions_14d == 3
    # A next-morning rise of two over the pain before is red too; one is amber.
    assert status_of(doc(session(2, before=1, morning=3)), TODAY).red_sessions_14d == 1
    assert status_of(doc(session(2, before=1, morning=2)), TODAY).red_sessions_14d == 0


def test_three_red_sessions_in_14_days_pause_the_plan_as_the_app_does():
    status = status_of(doc(*(session(d, during=7) for d in (1, 3, 5))), TODAY)
    assert status.paused
    assert status.reasons()[0].key == "paused"
    assert not status_of(doc(*(session(d, during=7) for d in (1, 3))), TODAY).paused


def test_a_warning_sign_in_a_self_check_pauses():
    warning = assess(
        {
            "age": 30,
            "pain_now": 2,
            "pain_worst_week": 3,
            "weeks_of_symptoms": 2,
            "goal": "running",
            "locking": True,
        },
        on=ago(3),
    )
    assert status_of(doc(checks=(warning,)), TODAY).paused


def test_a_swollen_session_pauses():
    assert status_of(doc(session(2, swelling=True)), TODAY).paused


@pytest.mark.parametrize(
    ("mornings", "rising"),
    [
        ((1, 2, 3), True),
        ((1, 2, 2), False),
        ((3, 2, 1), False),
        ((0, 0, 3, 3), True),  # the latest two both a point or more above the earlier 0
        ((2, 2, 3, 2), False),
        ((2, 2), False),
        ((1, 2, 2, 3), False),  # latest two 2 and 3, earlier average 1.5: 2 is not 1 above
        ((1, 1, 2, 3), True),  # strictly rising last three
    ],
)
def test_next_morning_pain_rising(mornings, rising):
    sessions = [session(10 - i, morning=m) for i, m in enumerate(mornings)]
    assert status_of(doc(*sessions), TODAY).morning_rising is rising


def test_rising_mornings_count_only_the_last_14_days_and_skip_sessions_without_one():
    old = [session(20, morning=1), session(18, morning=2)]
    assert not status_of(doc(*old, session(2, morning=3)), TODAY).morning_rising
    gaps = [session(6, morning=1), session(5), session(4, morning=2), session(1, morning=4)]
    assert status_of(doc(*gaps), TODAY).morning_rising


def test_last_log_is_the_latest_session_or_run_and_seven_days_without_is_stale():
    run = Run.model_validate(
        {"date": ago(3), "run_min": 10, "total_min": 10, "pain_before": 1, "pain_during": 2}
    )
    status = status_of(doc(session(9), runs=(run,)), TODAY)
    assert status.last_log == ago(3) and not status.stale
    assert not status_of(doc(session(6)), TODAY).stale
    stale = status_of(doc(session(7)), TODAY)
    assert stale.stale and stale.reasons()[-1].label == "No log for 7 days"


@pytest.mark.parametrize(
    ("early", "late", "expected"),
    [
        ((5, 5), (3, 3), True),
        ((3, 3), (3, 3), False),
        ((2, 2), (4, 3), False),
        ((1, 1), (1, 1), True),  # settled: at most 1 out of 10 left
        ((5,), (3, 3), None),  # one session before: not enough to say
        ((5, 5), (3,), None),
    ],
)
def test_improving_compares_the_last_4_weeks_with_the_4_before(early, late, expected):
    sessions = [session(30 + i, during=p) for i, p in enumerate(early)]
    sessions += [session(1 + i, during=p) for i, p in enumerate(late)]
    status = status_of(doc(*sessions), TODAY)
    assert status.improving is expected
    assert ("not_improving" in [r.key for r in status.reasons()]) is (expected is False)


def test_days_56_and_more_ago_are_in_neither_window():
    sessions = [session(56, during=9), session(57, during=9), session(1), session(2)]
    assert status_of(doc(*sessions), TODAY).improving is None


def test_attention_orders_paused_then_red_then_rising_then_no_log_then_not_improving():
    def make(**fields: Any) -> PatientStatus:
        return PatientStatus(**{"today": TODAY, "last_log": TODAY, **fields})

    ordered = [
        make(paused=True),
        make(red_sessions_14d=2),
        make(red_sessions_14d=1, morning_rising=True, improving=False, last_log=ago(30)),
        make(morning_rising=True),
        make(last_log=ago(8), improving=False),
        make(last_log=ago(8)),
        make(improving=False),
        make(improving=None),
    ]
    keys = [s.attention for s in ordered]
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) == len(keys)
    assert make(improving=True).attention == make(improving=None).attention == 0


def test_ageing_a_status_grows_the_log_gap_and_lapses_old_reds():
    stored = PatientStatus(
        today=TODAY, paused=True, red_sessions_14d=2, morning_rising=True, last_log=ago(1)
    )
    later = stored.as_of(TODAY + dt.timedelta(days=10))
    assert later.days_since_log == 11 and later.stale
    assert later.red_sessions_14d == 2 and later.morning_rising and later.paused
    lapsed = stored.as_of(TODAY + dt.timedelta(days=13))
    assert lapsed.red_sessions_14d == 0 and not lapsed.morning_rising and lapsed.paused
    assert stored.as_of(ago(3)) is stored


def test_the_reasons_say_each_thing_in_words_with_an_icon():
    status = PatientStatus(
        today=TODAY, paused=True, red_sessions_14d=1, morning_rising=True, improving=False
    )
    reasons = status.reasons()
    assert [r.key for r in reasons] == ["paused", "red", "morning", "stale", "not_improving"]
    assert reasons[1].label == "1 red session"
    assert all(r.icon.startswith(":material/") and r.words.endswith(".") for r in reasons)
