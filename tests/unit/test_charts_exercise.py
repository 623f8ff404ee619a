"""Progress per exercise: the panels' date axis from the exercise's first entry in the
range (not squashed into the range's right third), never narrower than two weeks, and
the picker opening on an exercise of the current phase."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore import progress_view as pv
from kneecore.models import PhaseStart
from tests.unit.test_analytics import TODAY, make_library, session

START = TODAY - dt.timedelta(days=83)


def squats(days_ago: list[int]) -> pd.DataFrame:
    sessions = [
        session(
            TODAY - dt.timedelta(days=d),
            exercises=[{"exercise_id": "semi_squat", "sets": 3, "reps": [10 + d % 3] * 3}],
            sid=f"d{d}",
        )
        for d in days_ago
    ]
    return an.entries_frame(sessions, make_library())


def axis_of_panels(entries: pd.DataFrame) -> ch.TimeAxis:
    (panel,) = ch.exercise_panels_data(entries, "semi_squat", START, TODAY)
    axis: ch.TimeAxis = panel.shape[3]
    return axis


def test_four_weeks_of_an_exercise_fill_the_panel_in_a_twelve_week_range() -> None:
    first = TODAY - dt.timedelta(days=27)
    axis = axis_of_panels(squats(list(range(27, -1, -3))))
    # From the week of the first entry (with a little padding), not twelve weeks back.
    assert first - dt.timedelta(days=10) <= axis.low <= first
    assert axis.high >= TODAY
    # The summary reads the same days as the panels.
    assert ch.exercise_start(squats([27, 20]), "semi_squat", START, TODAY) == first


def test_an_exercise_done_once_still_gets_two_weeks_of_axis() -> None:
    axis = axis_of_panels(squats([0]))
    assert (axis.high - axis.low).days >= ch.MIN_SPAN_DAYS
    assert ch.exercise_start(squats([0]), "semi_squat", START, TODAY) == TODAY - dt.timedelta(
        days=ch.MIN_SPAN_DAYS - 1
    )
    # An exercise done through the range keeps the range's start; open ranges are kept.
    assert ch.exercise_start(squats([83, 0]), "semi_squat", START, TODAY) == START
    assert ch.exercise_start(squats([3]), "semi_squat", None, TODAY) is None


def test_the_picker_opens_on_the_latest_exercise_of_the_current_phase() -> None:
    library = make_library()
    phase = {e.id: e.phase for e in library.exercises}
    assert phase["semi_squat"] != phase["clamshell"]
    current = phase["semi_squat"]
    # The latest session ends with a phase-1 warm-up (clamshell) after the squats.
    last = session(
        TODAY,
        exercises=[
            {"exercise_id": "semi_squat", "sets": 3, "reps": [10] * 3},
            {"exercise_id": "clamshell", "sets": 2, "reps": [15] * 2},
        ],
        sid="last",
    )
    frames = an.progress_frames(
        [session(TODAY - dt.timedelta(days=2), sid="before"), last],
        [],
        [PhaseStart(phase=current, started=TODAY - dt.timedelta(days=20))],
        TODAY,
        library,
    )
    plan = pv.plan_range(frames, START, TODAY)
    assert plan.latest_exercise == "semi_squat"
    # Without a phase, or with none of its exercises done, the latest exercise done.
    assert pv.first_exercise(frames.entries, None) == "clamshell"
    assert pv.first_exercise(frames.entries, 3) == "clamshell"
    assert pv.current_phase(frames.phases) == current
