"""The Today page's pure answers: since when, how many lately, which mornings to ask."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecore.models import Session
from kneecore.today import (
    ASK_DAYS,
    COUNT_DAYS,
    done_today,
    left_for_the_log_words,
    mornings_left_for_the_log,
    mornings_to_ask,
    phase_since,
    sessions_in_last_days,
)

#: A Monday in the past: a session dated after the real today does not validate.
MONDAY = dt.date(2025, 11, 24)


def _session(days_ago: int, morning: int | None = None, today: dt.date = MONDAY) -> Session:
    return Session.model_validate(
        {
            "id": f"s{days_ago}",
            "date": today - dt.timedelta(days=days_ago),
            "exercises": [{"exercise_id": "bridge", "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "pain_next_morning": morning,
        }
    )


@pytest.mark.parametrize(
    ("days_ago", "words"),
    [
        (0, "Started today"),
        (1, "Started yesterday"),
        (2, "Started 22 Nov, 2 days ago"),
        (9, "Started 15 Nov, 9 days ago"),
        (400, "Started 20 Oct 2024, 400 days ago"),
        (-3, "Starts 27 Nov"),
    ],
)
def test_a_phase_start_reads_as_a_person_says_it(days_ago: int, words: str) -> None:
    assert phase_since(MONDAY - dt.timedelta(days=days_ago), MONDAY) == words


def test_a_monday_after_a_weekend_of_sessions_counts_them() -> None:
    weekend = [_session(1), _session(2), _session(2)]
    assert sessions_in_last_days(weekend, MONDAY) == 3


def test_the_count_takes_today_and_the_6_days_before_it() -> None:
    sessions = [_session(a) for a in (0, 6, 7, -1)]  # -1: dated tomorrow
    assert COUNT_DAYS == 7
    assert sessions_in_last_days(sessions, MONDAY) == 2


def test_the_count_is_the_same_on_every_day_of_the_week() -> None:
    for offset in range(7):
        today = MONDAY + dt.timedelta(days=offset)
        sessions = [_session(a, today=today) for a in range(10)]
        assert sessions_in_last_days(sessions, today) == 7, today


def test_next_morning_pain_is_asked_for_yesterdays_sessions_only() -> None:
    sessions = [_session(a) for a in (0, 1, 2, 3)]
    assert ASK_DAYS == 2
    assert [s.id for s in mornings_to_ask(sessions, MONDAY)] == ["s1"]


def test_a_session_with_next_morning_pain_is_not_asked_about() -> None:
    assert mornings_to_ask([_session(1, morning=0)], MONDAY) == []


def test_older_sessions_of_the_last_week_without_a_morning_are_left_for_the_log() -> None:
    sessions = [_session(a) for a in (0, 1, 2, 4, 6, 7)] + [_session(3, morning=1)]
    left = mornings_left_for_the_log(sessions, MONDAY)
    assert [s.id for s in left] == ["s2", "s4", "s6"]


def test_the_log_line_names_one_session_by_its_day() -> None:
    words = left_for_the_log_words([_session(2)], MONDAY)
    assert (
        words
        == "Your session of 22 Nov has no next-morning pain. You can still add it from the log."
    )


def test_the_log_line_counts_several_sessions() -> None:
    words = left_for_the_log_words([_session(2), _session(4)], MONDAY)
    assert words.startswith("2 earlier sessions of the last 7 days have no next-morning pain.")


def test_no_session_left_means_no_log_line() -> None:
    assert left_for_the_log_words([], MONDAY) == ""


def test_done_today_looks_at_todays_date_only() -> None:
    assert done_today([_session(1), _session(0)], MONDAY)
    assert not done_today([_session(1)], MONDAY)
