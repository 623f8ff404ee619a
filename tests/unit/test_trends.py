"""The trend rules of kneecore.trends, each on both sides of its boundary."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from kneecore import trends
from kneecore.models import SelfCheckResult, Session
from kneecore.questionnaire import load_questionnaire

TODAY = dt.date(2026, 3, 15)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


# -- week on week ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_week", "this_week", "rising"),
    [
        ([3], [4], True),  # exactly one point
        ([3, 3], [4, 3], False),  # half a point
        ([7, 8, 8], [9, 8, 9], True),  # 23/3 -> 26/3: one whole point (floats say 0.999...)
        ([5], [2], False),  # a fall
    ],
)
def test_a_week_on_week_rise_of_one_point_or_more_is_rising(
    last_week: list[int], this_week: list[int], rising: bool
) -> None:
    readings = [(ago(8), p) for p in last_week] + [(ago(1), p) for p in this_week]
    week = trends.week_on_week(readings, TODAY)
    assert week is not None
    assert week.rising is rising
    assert (trends.rise_warning(readings, TODAY) is not None) is rising


def test_day_6_is_this_week_and_day_7_last_week() -> None:
    week = trends.week_on_week([(ago(7), 1), (ago(6), 3)], TODAY)
    assert week is not None and (week.last_week, week.this_week) == (1, 3)
    assert trends.week_on_week([(ago(14), 1), (ago(6), 3)], TODAY) is None


def test_a_week_without_a_session_gives_no_comparison() -> None:
    assert trends.week_on_week([(ago(1), 6)], TODAY) is None
    assert trends.week_on_week([(ago(9), 6)], TODAY) is None


def test_sessions_after_today_are_ignored() -> None:
    week = trends.week_on_week([(ago(8), 2), (ago(1), 2), (ago(-1), 9)], TODAY)
    assert week is not None and not week.rising


def test_the_warning_names_both_weeks_averages() -> None:
    text = trends.rise_warning([(ago(8), 2), (ago(1), 4)], TODAY)
    assert text is not None
    assert "from 2.0/10 last week to 4.0/10 this week" in text


# -- early against late ----------------------------------------------------------------


def test_early_against_late_needs_27_days_so_the_windows_never_overlap() -> None:
    assert trends.early_against_late([(ago(26), 5), (ago(0), 2)], TODAY) is None
    found = trends.early_against_late([(ago(27), 5), (ago(0), 2)], TODAY)
    assert found is not None
    assert (found.early, found.late, found.direction) == (5, 2, "better")


def test_the_late_window_ends_on_the_latest_session_not_today() -> None:
    # Logging stopped 20 days ago: the rising pain before that still shows.
    readings = [(ago(60), 2), (ago(50), 2), (ago(30), 5), (ago(20), 5)]
    found = trends.early_against_late(readings, TODAY)
    assert found is not None
    assert found.late_to == ago(20) and found.early_from == ago(60)
    assert found.direction == "worse"


@pytest.mark.parametrize(
    ("early", "late", "direction"),
    [
        ([4], [3], "better"),
        ([4, 3], [3, 3], "same"),  # half a point
        ([3], [4], "worse"),
        ([4, 3], [4, 4], "same"),
    ],
)
def test_a_change_of_one_point_between_the_windows_is_a_trend(
    early: list[int], late: list[int], direction: str
) -> None:
    readings = [(ago(40), p) for p in early] + [(ago(0), p) for p in late]
    found = trends.early_against_late(readings, TODAY)
    assert found is not None and found.direction == direction


def test_averages_are_exact_fractions() -> None:
    found = trends.early_against_late([(ago(30), 1), (ago(29), 2), (ago(0), 2)], TODAY)
    assert found is not None and found.early == Fraction(3, 2)
    assert trends.show(found.early) == "1.5"


# -- knee score ------------------------------------------------------------------------


def test_the_real_change_threshold_is_read_from_the_self_check_content() -> None:
    assert trends.akps_real_change() == load_questionnaire().akps.real_change


@pytest.mark.parametrize(
    ("delta", "real", "direction"),
    [(10, True, "better"), (9, False, "same"), (-9, False, "same"), (-10, True, "worse")],
)
def test_a_knee_score_change_of_the_threshold_or_more_is_real(
    delta: int, real: bool, direction: str
) -> None:
    # The parametrised deltas assume the content's threshold of 10.
    assert trends.akps_real_change() == 10
    change = trends.knee_score_change([(ago(50), 60), (ago(0), 60 + delta)])
    assert change is not None
    assert (change.change, change.real, change.direction) == (delta, real, direction)


def test_one_score_has_no_change() -> None:
    assert trends.knee_score_change([(ago(0), 70)]) is None


def test_score_readings_are_oldest_first_and_skip_checks_without_a_score() -> None:
    checks = [
        SelfCheckResult(date=ago(0), urgency="none", phase=1, akps=80),
        SelfCheckResult(date=ago(5), urgency="none", phase=1, akps=None),
        SelfCheckResult(date=ago(9), urgency="none", phase=1, akps=60),
    ]
    assert trends.score_readings(checks) == [(ago(9), 60), (ago(0), 80)]


def test_pain_readings_are_each_sessions_date_and_pain_during() -> None:
    session = Session.model_validate(
        {
            "date": ago(2).isoformat(),
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 3,
            "pain_after": 2,
        }
    )
    assert trends.pain_readings([session]) == [(ago(2), 3)]


# -- verdict ---------------------------------------------------------------------------


def _pain(direction: str) -> trends.EarlyLate:
    late = {"better": 2, "same": 4, "worse": 6}[direction]
    return trends.EarlyLate(
        early=Fraction(4), late=Fraction(late), early_from=ago(40), late_to=TODAY
    )


def _score(direction: str) -> trends.ScoreChange:
    latest = {"better": 75, "same": 62, "worse": 45}[direction]
    return trends.ScoreChange(60, latest, ago(40), TODAY, real_change=10)


@pytest.mark.parametrize(
    ("pain", "score", "expected"),
    [
        ("better", "worse", "worse"),  # worse wins
        ("worse", "better", "worse"),
        ("same", "better", "better"),
        ("same", "same", "same"),
        ("better", None, "better"),
        (None, "same", "same"),
        (None, None, "unknown"),
    ],
)
def test_the_verdict_lets_worse_win_then_better(
    pain: str | None, score: str | None, expected: str
) -> None:
    found = trends.verdict(_pain(pain) if pain else None, _score(score) if score else None)
    assert found == expected
