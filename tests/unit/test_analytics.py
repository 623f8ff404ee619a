"""The progress frames: one row per session or entry, weekly and monthly roll-ups, summaries."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kneecore import analytics as an
from kneecore import progress_view as pv
from kneecore import trends
from kneecore.content import Dose, Exercise, Library, Phase
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session

TODAY = dt.date(2026, 3, 15)  # a Sunday


def make_library() -> Library:
    """A small in-memory library: rep work, hold work, loaded and bodyweight exercises.

    Built here rather than loaded from content/, so these tests pin the arithmetic and
    not the current wording or doses a physiotherapist may change.
    """

    def exercise(id_: str, name: str, phase: int, dose: Dose) -> Exercise:
        return Exercise(
            id=id_,
            name=name,
            phase=phase,  # type: ignore[arg-type]
            targets=["quads"],
            purpose="An exercise for the tests.",
            steps=["Start.", "Finish."],
            dose=dose,
            safety=["Stop at sharp pain."],
            illustration=f"{id_}.svg",
            illustration_alt="A drawing used only by tests.",
        )

    return Library(
        exercises=[
            exercise("quad_set", "Quad set", 1, Dose(sets=1, reps_min=10, reps_max=15, hold_s=5)),
            exercise(
                "straight_leg_raise",
                "Straight leg raise",
                1,
                Dose(sets=3, reps_min=10, reps_max=15),
            ),
            exercise("clamshell", "Clamshell", 1, Dose(sets=3, reps_min=10, reps_max=15)),
            exercise("semi_squat", "Semi squat", 2, Dose(sets=3, reps_min=10, reps_max=15)),
            exercise("bridge", "Bridge", 2, Dose(sets=3, reps_min=10, reps_max=15)),
            exercise(
                "single_leg_stance",
                "Single-leg stance",
                2,
                Dose(sets=3, reps_min=1, reps_max=1, hold_s=30),
            ),
            exercise(
                "double_leg_hops", "Double-leg hops", 3, Dose(sets=3, reps_min=10, reps_max=10)
            ),
            exercise("t_stance", "T-stance", 3, Dose(sets=3, reps_min=1, reps_max=1, hold_s=20)),
        ],
        phases=[
            Phase(phase=n, name=f"Phase name {n}", goal="A goal for the tests.", ready_when=["x"])  # type: ignore[arg-type]
            for n in (1, 2, 3)
        ],
        muscles={"quads": "Quadriceps"},
        illustrations_dir=Path("."),
    )


def session(
    date: dt.date,
    during: int = 2,
    before: int = 1,
    after: int | None = None,
    morning: int | None = None,
    exercises: list[dict[str, Any]] | None = None,
    sid: str | None = None,
) -> Session:
    return Session(
        id=sid or f"s-{date.isoformat()}-{during}",
        date=date,
        exercises=exercises  # type: ignore[arg-type]
        or [{"exercise_id": "clamshell", "sets": 3, "reps": [10, 12, 15]}],
        pain_before=before,
        pain_during=during,
        pain_after=during if after is None else after,
        pain_next_morning=morning,
    )


def demo(days: int, per_week: int = 5) -> dict[str, Any]:
    return generate_history(days, sessions_per_week=per_week, end=TODAY, library=make_library())


def demo_frames(days: int, per_week: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    doc = demo(days, per_week)
    sessions = [Session.model_validate(s) for s in doc["sessions"]]
    checks = [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]]
    return (
        an.sessions_frame(sessions),
        an.entries_frame(sessions, make_library()),
        an.selfchecks_frame(checks),
    )


@pytest.fixture(scope="module")
def library() -> Library:  # shadows the real-content fixture on purpose
    return make_library()


# -- sessions and entries -----------------------------------------------------------------


def test_sessions_frame_has_one_row_per_session_sorted_oldest_first() -> None:
    frame = an.sessions_frame([session(TODAY), session(TODAY - dt.timedelta(days=3))])
    assert list(frame.columns) == an.SESSION_COLUMNS
    assert frame["date"].tolist() == [pd.Timestamp("2026-03-12"), pd.Timestamp("2026-03-15")]


def test_sessions_frame_names_the_zone_by_pain_during_and_next_morning() -> None:
    frame = an.sessions_frame(
        [
            session(TODAY - dt.timedelta(days=3), during=2, before=1, morning=1),
            session(TODAY - dt.timedelta(days=2), during=4),
            session(TODAY - dt.timedelta(days=1), during=2, before=1, morning=3),
            session(TODAY, during=6),
        ]
    )
    assert frame["zone"].tolist() == ["green", "amber", "red", "red"]


def test_sessions_frame_counts_volume_as_sets_times_reps_and_hold_seconds_apart() -> None:
    frame = an.sessions_frame(
        [
            session(
                TODAY,
                exercises=[
                    {"exercise_id": "clamshell", "sets": 3, "reps": [10, 12, 15]},
                    {"exercise_id": "quad_set", "sets": 1, "reps": [10], "hold_s": 5.0},
                ],
            )
        ]
    )
    row = frame.iloc[0]
    assert row["volume"] == 10 + 12 + 15 + 10
    assert row["sets"] == 4
    assert row["hold_s"] == 50.0


def test_missing_next_morning_pain_stays_missing_not_zero() -> None:
    frame = an.sessions_frame([session(TODAY, morning=None)])
    assert math.isnan(frame["pain_next_morning"].iloc[0])


def test_an_empty_history_gives_empty_frames_with_the_right_columns() -> None:
    assert list(an.sessions_frame([]).columns) == an.SESSION_COLUMNS
    assert list(an.entries_frame([]).columns) == an.ENTRY_COLUMNS
    assert an.selfchecks_frame([]).empty
    assert an.phases_frame([], TODAY).empty


def test_entries_frame_has_one_row_per_exercise_with_names_and_phases(library: Library) -> None:
    s = session(
        TODAY,
        exercises=[
            {"exercise_id": "semi_squat", "sets": 3, "reps": [12, 12, 10], "load_kg": 1.0},
            {"exercise_id": "single_leg_stance", "sets": 3, "reps": [1, 1, 1], "hold_s": 30.0},
        ],
    )
    frame = an.entries_frame([s], library)
    assert frame["name"].tolist() == ["Semi squat", "Single-leg stance"]
    assert frame["phase"].tolist() == [2, 2]
    assert frame["is_hold"].tolist() == [False, True]
    assert frame["best_reps"].tolist() == [12, 1]
    assert frame["hold_total_s"].tolist() == [0.0, 90.0]
    assert frame["load_kg"].iloc[0] == 1.0 and math.isnan(frame["load_kg"].iloc[1])


def test_entries_frame_without_a_library_falls_back_to_ids_and_hold_times() -> None:
    s = session(
        TODAY, exercises=[{"exercise_id": "quad_set", "sets": 1, "reps": [10], "hold_s": 5.0}]
    )
    frame = an.entries_frame([s])
    assert frame["name"].iloc[0] == "quad_set"
    assert frame["phase"].iloc[0] == 0
    assert bool(frame["is_hold"].iloc[0])


def test_selfchecks_frame_keeps_only_checks_with_a_knee_score() -> None:
    checks = [
        SelfCheckResult(date=TODAY - dt.timedelta(days=9), urgency="none", phase=1, akps=60),
        SelfCheckResult(date=TODAY, urgency="none", phase=1, akps=None),
    ]
    frame = an.selfchecks_frame(checks)
    assert frame["akps"].tolist() == [60]


def test_phases_frame_counts_days_and_marks_the_latest_as_current(library: Library) -> None:
    phases = [
        PhaseStart(phase=1, started=TODAY - dt.timedelta(days=30)),
        PhaseStart(phase=2, started=TODAY - dt.timedelta(days=9)),
    ]
    frame = an.phases_frame(phases, TODAY, library)
    assert frame["days"].tolist() == [21, 10]
    assert frame["current"].tolist() == [False, True]
    assert frame["label"].iloc[1] == "Phase 2: Phase name 2"


def test_two_phase_changes_on_one_day_keep_only_the_last() -> None:
    phases = [
        PhaseStart(phase=1, started=TODAY - dt.timedelta(days=3)),
        PhaseStart(phase=2, started=TODAY - dt.timedelta(days=3)),
    ]
    frame = an.phases_frame(phases, TODAY)
    assert frame["phase"].tolist() == [2]
    assert frame["days"].tolist() == [4]


# -- ranges and resolution ------------------------------------------------------------


def test_presets_cover_four_and_twelve_weeks_ending_today() -> None:
    assert an.preset_range("4w", TODAY, None) == (TODAY - dt.timedelta(days=27), TODAY)
    assert an.preset_range("12w", TODAY, None) == (TODAY - dt.timedelta(days=83), TODAY)
    first = dt.date(2024, 1, 1)
    assert an.preset_range("all", TODAY, first) == (first, TODAY)


def test_short_ranges_chart_each_session_and_long_ones_by_week_then_month() -> None:
    sessions_df, _, _ = demo_frames(FIVE_YEARS_DAYS, 7)
    assert an.resolution(sessions_df, TODAY - dt.timedelta(days=83), TODAY) == "day"
    assert an.resolution(sessions_df, TODAY - dt.timedelta(days=364), TODAY) == "week"
    assert an.resolution(sessions_df, None, None) == "month"


def test_pain_long_has_a_row_per_session_and_measure_for_short_ranges() -> None:
    sessions_df = an.sessions_frame(
        [session(TODAY - dt.timedelta(days=1), morning=1), session(TODAY, morning=None)]
    )
    long, res = an.pain_long(sessions_df)
    assert res == "day"
    # Four measures for the first session, three for the one still waiting for morning.
    assert len(long) == 7
    assert set(long["measure"]) == set(an.PAIN_MEASURES.values())


def test_pain_long_takes_weekly_means_over_long_ranges() -> None:
    monday = dt.date(2026, 1, 5)
    sessions = [
        session(monday + dt.timedelta(weeks=w, days=d), during=during, sid=f"{w}-{d}")
        for w in range(20)
        for d, during in ((0, 2), (2, 4))
    ]
    long, res = an.pain_long(an.sessions_frame(sessions))
    assert res == "week"
    during = long[long["measure"] == "During"]
    assert len(during) == 20
    assert during["pain"].eq(3.0).all()
    assert during["sessions"].eq(2).all()
    assert during["date"].dt.day_of_week.eq(0).all()


def test_five_years_of_daily_pain_stays_far_below_the_row_limit() -> None:
    sessions_df, _, _ = demo_frames(FIVE_YEARS_DAYS, 7)
    assert len(sessions_df) == FIVE_YEARS_DAYS
    long, res = an.pain_long(sessions_df)
    assert res == "month"
    assert len(long) < 5000 / 10


def test_weekly_volume_splits_reps_from_hold_minutes_by_exercise_phase(library: Library) -> None:
    monday = dt.date(2026, 3, 9)
    sessions = [
        session(
            monday + dt.timedelta(days=d),
            exercises=[
                {"exercise_id": "clamshell", "sets": 3, "reps": [10, 10, 10]},
                {"exercise_id": "semi_squat", "sets": 2, "reps": [12, 12]},
                {"exercise_id": "single_leg_stance", "sets": 3, "reps": [1, 1, 1], "hold_s": 30.0},
            ],
            sid=f"d{d}",
        )
        for d in (0, 2)
    ]
    volume = an.weekly_volume(an.entries_frame(sessions, library))
    by_phase = volume.set_index("phase")
    assert by_phase.loc["Phase 1", "reps"] == 60
    assert by_phase.loc["Phase 2", "reps"] == 48
    assert by_phase.loc["Phase 2", "hold_min"] == 3.0
    assert volume["week"].eq(pd.Timestamp(monday)).all()


def test_the_calendar_grid_has_every_day_of_the_weeks_with_zeros_on_rest_days() -> None:
    sessions_df = an.sessions_frame([session(TODAY), session(TODAY - dt.timedelta(days=2))])
    grid = an.daily_counts(sessions_df, TODAY, weeks=12)
    assert len(grid) == 12 * 7
    assert grid["sessions"].sum() == 2
    assert grid["weekday"].iloc[0] == "Mon"
    assert not grid["future"].any()  # TODAY is a Sunday: the last week is complete


def test_the_calendar_leaves_days_after_the_end_blank() -> None:
    wednesday = dt.date(2026, 3, 11)
    grid = an.daily_counts(an.sessions_frame([]), wednesday, weeks=12)
    assert grid["future"].sum() == 4


def test_weekly_sessions_include_weeks_with_no_sessions() -> None:
    sessions = [session(TODAY - dt.timedelta(days=21)), session(TODAY)]
    weeks = an.weekly_sessions(an.sessions_frame(sessions))
    assert weeks["sessions"].tolist() == [1, 0, 0, 1]


def test_weekly_sessions_count_the_first_week_whole_and_flag_a_week_still_going() -> None:
    wednesday = dt.date(2026, 3, 11)
    sessions = [session(wednesday - dt.timedelta(days=d), sid=f"s{d}") for d in (0, 8, 9)]
    weeks = an.weekly_sessions(
        an.sessions_frame(sessions), wednesday - dt.timedelta(days=7), wednesday
    )
    # The range starts on a Wednesday; its week's Monday and Tuesday sessions still count.
    assert weeks["sessions"].tolist() == [2, 1]
    assert weeks["complete"].tolist() == [True, False]


def test_exercise_progress_charts_bodyweight_work_without_a_load_line(library: Library) -> None:
    sessions = [
        session(
            TODAY - dt.timedelta(days=d),
            exercises=[
                {"exercise_id": "bridge", "sets": 3, "reps": [10 + d] * 3},
                {"exercise_id": "semi_squat", "sets": 3, "reps": [10] * 3, "load_kg": 1.0},
                {"exercise_id": "t_stance", "sets": 3, "reps": [1] * 3, "hold_s": 20.0},
            ],
            sid=f"d{d}",
        )
        for d in range(3)
    ]
    entries = an.entries_frame(sessions, library)
    bridge, _ = an.exercise_progress(entries, "bridge")
    assert set(bridge["measure"]) == {"Reps per set"}
    squat, _ = an.exercise_progress(entries, "semi_squat")
    assert set(squat["measure"]) == {"Reps per set", "Load (kg)"}
    stance, _ = an.exercise_progress(entries, "t_stance")
    assert "Hold (s)" in set(stance["measure"])


def test_a_zero_load_is_bodyweight_not_a_point_on_the_load_line(library: Library) -> None:
    s = session(
        TODAY, exercises=[{"exercise_id": "bridge", "sets": 1, "reps": [10], "load_kg": 0.0}]
    )
    progress, _ = an.exercise_progress(an.entries_frame([s], library), "bridge")
    assert "Load (kg)" not in set(progress["measure"])


# -- summary and trend ----------------------------------------------------------------


def test_summary_compares_the_last_seven_days_with_the_seven_before() -> None:
    sessions = [session(TODAY - dt.timedelta(days=d), during=2, sid=f"a{d}") for d in (0, 2, 4)]
    sessions += [session(TODAY - dt.timedelta(days=d), during=4, sid=f"b{d}") for d in (8, 10)]
    checks = an.selfchecks_frame(
        [
            SelfCheckResult(date=TODAY - dt.timedelta(days=20), urgency="none", phase=1, akps=60),
            SelfCheckResult(date=TODAY, urgency="none", phase=2, akps=74),
        ]
    )
    phases = an.phases_frame([PhaseStart(phase=2, started=TODAY - dt.timedelta(days=4))], TODAY)
    summary = an.summarize(an.sessions_frame(sessions), checks, phases, TODAY)
    assert (summary.sessions_7d, summary.sessions_prev_7d, summary.sessions_delta) == (3, 2, 1)
    assert (summary.pain_7d, summary.pain_prev_7d, summary.pain_delta) == (2.0, 4.0, -2.0)
    assert summary.akps_change == 14
    assert (summary.current_phase, summary.days_in_phase) == (2, 4)
    assert not summary.pain_rising


def test_summary_flags_a_rise_of_one_point_in_weekly_pain() -> None:
    sessions = [
        session(TODAY, during=4, sid="now"),
        session(TODAY - dt.timedelta(days=8), during=3),
    ]
    summary = an.summarize(
        an.sessions_frame(sessions), an.selfchecks_frame([]), an.phases_frame([], TODAY), TODAY
    )
    assert summary.pain_rising


def test_summary_with_one_self_check_has_a_score_but_no_change() -> None:
    checks = an.selfchecks_frame([SelfCheckResult(date=TODAY, urgency="none", phase=1, akps=66)])
    summary = an.summarize(an.sessions_frame([]), checks, an.phases_frame([], TODAY), TODAY)
    assert summary.akps_latest == 66
    assert summary.akps_change is None
    assert summary.pain_delta is None
    assert summary.days_in_phase is None


def test_the_demo_history_reads_as_getting_better() -> None:
    sessions_df, _, checks_df = demo_frames(84)
    trend = an.overall_trend(sessions_df, checks_df)
    assert trend.verdict == "better"
    assert trend.pain_early is not None and trend.pain_recent is not None
    assert trend.pain_recent < trend.pain_early


def test_rising_pain_reads_as_worse_even_when_the_knee_score_rose() -> None:
    sessions = [
        session(TODAY - dt.timedelta(days=d), during=2 if d > 20 else 5, sid=f"s{d}")
        for d in range(0, 35, 2)
    ]
    checks = an.selfchecks_frame(
        [
            SelfCheckResult(date=TODAY - dt.timedelta(days=34), urgency="none", phase=1, akps=50),
            SelfCheckResult(date=TODAY, urgency="none", phase=1, akps=70),
        ]
    )
    trend = an.overall_trend(an.sessions_frame(sessions), checks)
    assert trend.verdict == "worse"
    assert "GP" in trend.message


def test_no_change_after_six_weeks_suggests_a_check() -> None:
    sessions = [
        session(TODAY - dt.timedelta(days=d), during=3, sid=f"s{d}") for d in range(0, 50, 2)
    ]
    trend = an.overall_trend(an.sessions_frame(sessions), an.selfchecks_frame([]))
    assert trend.verdict == "same"
    assert "Six weeks" in trend.message


def test_a_few_sessions_are_not_enough_to_call_a_trend() -> None:
    trend = an.overall_trend(an.sessions_frame([session(TODAY)]), an.selfchecks_frame([]))
    assert trend.verdict == "unknown"


def test_the_weekly_rise_compares_exact_averages_not_rounded_ones() -> None:
    # 23/3 -> 26/3 is one whole point: rising, as on Today (kneecore.trends).
    sessions = [
        session(TODAY - dt.timedelta(days=d), during=p, sid=f"a{d}")
        for d, p in ((8, 7), (9, 8), (10, 8), (1, 9), (2, 8), (3, 9))
    ]
    summary = an.summarize(
        an.sessions_frame(sessions), an.selfchecks_frame([]), an.phases_frame([], TODAY), TODAY
    )
    assert summary.pain_rising
    assert summary.pain_warning is not None and "7.7/10 last week" in summary.pain_warning


def test_the_trend_carries_the_rule_outcomes_behind_its_verdict() -> None:
    sessions_df, _, checks_df = demo_frames(84)
    trend = an.overall_trend(sessions_df, checks_df, TODAY)
    assert trend.pain is not None and trend.pain.direction == "better"
    assert trend.knee_score is not None and trend.knee_score.real


def test_the_real_change_threshold_comes_from_the_self_check_content() -> None:
    from kneecore.questionnaire import load_questionnaire

    assert trends.akps_real_change() == load_questionnaire().akps.real_change


# -- which charts a range shows (kneecore.progress_view) ---------------------------------


def frames_of(sessions: list[Session]) -> an.ProgressFrames:
    return an.progress_frames(sessions, [], [], TODAY, make_library())


def test_a_range_with_sessions_plans_pain_volume_and_per_week_charts() -> None:
    doc = demo(84)
    sessions = [Session.model_validate(s) for s in doc["sessions"]]
    checks = [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]]
    frames = an.progress_frames(
        sessions,
        checks,
        [PhaseStart.model_validate(p) for p in doc["phases"]],
        TODAY,
        make_library(),
    )
    plan = pv.plan_range(frames, TODAY - dt.timedelta(days=27), TODAY)
    assert {"calendar", "akps", "phases", "pain", "per_week", "reps"} <= set(plan.charts)
    assert plan.in_range > 0
    assert plan.latest_exercise in plan.exercises


def test_one_session_or_an_empty_range_plans_only_the_calendar() -> None:
    one = frames_of([session(TODAY)])
    assert pv.plan_range(one, TODAY, TODAY).charts == ("calendar",)
    two = frames_of(
        [session(TODAY - dt.timedelta(days=60)), session(TODAY - dt.timedelta(days=59))]
    )
    plan = pv.plan_range(two, TODAY - dt.timedelta(days=6), TODAY)
    assert (plan.in_range, plan.charts, plan.exercises) == (0, ("calendar",), {})


def test_the_hold_chart_is_planned_only_when_time_was_held() -> None:
    reps = [{"exercise_id": "bridge", "sets": 1, "reps": [10]}]
    holds = [{"exercise_id": "single_leg_stance", "sets": 1, "reps": [1], "hold_s": 30}]
    days = (TODAY - dt.timedelta(days=1), TODAY)
    plain = frames_of([session(d, exercises=reps, sid=str(d)) for d in days])
    held = frames_of([session(d, exercises=holds, sid=str(d)) for d in days])
    assert "hold" not in pv.plan_range(plain, days[0], TODAY).charts
    assert "hold" in pv.plan_range(held, days[0], TODAY).charts


@pytest.mark.parametrize(("days", "weeks"), [(0, 12), (83, 12), (120, 18), (400, 26)])
def test_the_calendar_shows_12_to_26_weeks(days: int, weeks: int) -> None:
    assert pv.calendar_weeks(TODAY - dt.timedelta(days=days), TODAY) == weeks


def test_frames_built_again_after_a_change_show_the_change_and_match_a_fresh_build() -> None:
    # Rows of unchanged sessions are remembered between builds (kneecore.analytics); a
    # changed session is a new object and must never show its old row.
    library = make_library()
    first = session(TODAY - dt.timedelta(days=1), during=2)
    second = session(TODAY, during=3)
    an.sessions_frame([first, second])
    an.entries_frame([first, second], library)
    changed = second.model_copy(update={"pain_during": 6})
    sessions = an.sessions_frame([first, changed])
    assert sessions["pain_during"].tolist() == [2, 6]
    rebuilt = an.sessions_frame([first.model_copy(), changed.model_copy()])
    pd.testing.assert_frame_equal(sessions, rebuilt)
    entries = an.entries_frame([first, changed], library)
    pd.testing.assert_frame_equal(entries, an.entries_frame([first.model_copy(), changed], library))
    without_library = an.entries_frame([first, changed])
    assert set(without_library["phase"]) == {0}


def _reference_frame(sessions: list[Session], library: Library | None) -> pd.DataFrame:
    # The plain way: every row afresh, sorted by pandas (what the kept columns must equal).
    an._built.clear()
    frame = an.entries_frame(sessions, library)
    an._built.clear()
    return frame


def test_frames_extended_after_adds_edits_and_deletes_equal_frames_built_afresh() -> None:
    # The columns of the last build are kept and extended (kneecore.analytics): after
    # each kind of change the result must be exactly a fresh build, in (date, id) order.
    library = make_library()
    days = [TODAY - dt.timedelta(days=d) for d in range(10, 0, -1)]
    history = [session(d, during=d.day % 5, sid=f"s{d.day:02d}") for d in days]
    two = [{"exercise_id": "clamshell", "sets": 2, "reps": [8, 9]}] * 2
    changes: list[list[Session]] = [
        history,
        [*history, session(TODAY, sid="z-late")],  # a save today
        [*history, session(TODAY, sid="z-late"), session(TODAY, sid="a-early")],  # same day
        [history[0], session(days[1], during=7, sid="s-edit"), *history[2:]],  # an edit
        history[:4] + history[5:],  # a delete
        [session(days[0], exercises=two, sid="first"), *history],  # back-dated, two entries
        [],
    ]
    for sessions in changes:
        fresh_entries = _reference_frame(sessions, library)
        by_pandas = fresh_entries.sort_values(["date", "session_id"], kind="stable")
        pd.testing.assert_frame_equal(fresh_entries, by_pandas.reset_index(drop=True))
        an.entries_frame(changes[0], library)
        pd.testing.assert_frame_equal(an.entries_frame(sessions, library), fresh_entries)
        an.sessions_frame(changes[0])
        extended = an.sessions_frame(sessions)
        an._built.clear()
        pd.testing.assert_frame_equal(extended, an.sessions_frame(sessions))
        keys = list(zip(extended["date"], extended["id"], strict=True))
        assert keys == sorted(keys)


def test_a_range_of_a_frame_in_date_order_is_the_same_rows_as_of_a_shuffled_frame() -> None:
    # in_range bisects a frame in date order and masks any other: both give the same rows.
    frame = an.sessions_frame([session(TODAY - dt.timedelta(days=d)) for d in range(30)])
    shuffled = frame.sample(frac=1, random_state=1)
    start, end = TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=3)
    picked = an.in_range(frame, start, end)
    assert len(picked) == 7
    pd.testing.assert_frame_equal(picked, an.in_range(shuffled, start, end).sort_index())
    assert an.in_range(frame, None, None).equals(frame)
    assert an.in_range(frame, TODAY + dt.timedelta(days=1), None).empty


def test_numpy_made_range_frames_equal_the_plain_pandas_way_on_five_years() -> None:
    # weekly_volume, weekly_sessions, pain_long and exercise_progress (by day) and
    # daily_counts are made with NumPy for speed: the same rows, types and order as
    # pandas' grouping, melting and mapping.
    library = make_library()
    sessions = [Session.model_validate(s) for s in demo(FIVE_YEARS_DAYS, 7)["sessions"]]
    sessions += [session(TODAY, during=5, sid="a-same-day", morning=3)]
    entries = an.entries_frame(sessions, library)
    frame = an.sessions_frame(sessions)
    for days in (6, 83, 400, FIVE_YEARS_DAYS):
        start = TODAY - dt.timedelta(days=days)
        rows = an.in_range(entries, an.monday_of(start), TODAY)
        work = rows.assign(
            week=an.week_start(rows["date"]),
            phase=rows["phase"].map(an.phase_group),
            reps=rows["total_reps"].where(~rows["is_hold"], 0),
        )
        grouped = work.groupby(["week", "phase"], as_index=False).agg(
            reps=("reps", "sum"), hold_s=("hold_total_s", "sum")
        )
        grouped["hold_min"] = (grouped["hold_s"] / 60).round(1)
        expected = grouped[["week", "phase", "reps", "hold_min"]].astype({"reps": "int64"})
        pd.testing.assert_frame_equal(an.weekly_volume(entries, start, TODAY), expected)
    start = TODAY - dt.timedelta(days=83)
    wide = an.in_range(frame, start, TODAY)[["date", *an.PAIN_MEASURES]].assign(sessions=1)
    long = wide.melt(id_vars=["date", "sessions"], var_name="measure", value_name="pain")
    long["measure"] = long["measure"].map(an.PAIN_MEASURES)
    long = long.dropna(subset=["pain"]).sort_values(["date", "measure"], kind="stable")
    expected = long[["date", "measure", "pain", "sessions"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(an.pain_long(frame, start, TODAY)[0], expected)
    for exercise in ("clamshell", "semi_squat", "single_leg_stance", "not_logged"):
        rows = an.in_range(entries[entries["exercise_id"] == exercise], start, TODAY)
        work = rows[["date", "best_reps", "hold_s", "load_kg"]]
        long = work.melt(id_vars=["date"], var_name="measure", value_name="value").dropna()
        long = long[~((long["measure"] == "load_kg") & (long["value"] <= 0))]
        long["measure"] = long["measure"].map(
            {"best_reps": "Reps per set", "hold_s": "Hold (s)", "load_kg": "Load (kg)"}
        )
        expected = long.sort_values(["measure", "date"], kind="stable").reset_index(drop=True)
        progress, res = an.exercise_progress(entries, exercise, start, TODAY)
        assert res == "day"
        pd.testing.assert_frame_equal(progress, expected, check_index_type=False)
    for first, last in ((start, TODAY), (start, None), (None, TODAY - dt.timedelta(days=3))):
        monday = an.monday_of(first)
        rows = an.in_range(frame, monday, last)
        low = pd.Timestamp(monday) if monday is not None else rows["date"].min()
        high = pd.Timestamp(last) if last is not None else rows["date"].max()
        weeks = pd.date_range(
            low - pd.Timedelta(days=low.weekday()),
            high - pd.Timedelta(days=high.weekday()),
            freq="7D",
        )
        counts = rows.groupby(an.week_start(rows["date"])).size()
        expected = pd.DataFrame({"week": weeks})
        expected["sessions"] = expected["week"].map(counts).fillna(0).astype("int64")
        expected["complete"] = (expected["week"] + pd.Timedelta(days=6) <= high) | (last is None)
        pd.testing.assert_frame_equal(an.weekly_sessions(frame, first, last), expected)
    grid = an.daily_counts(frame, TODAY, 12)
    days = pd.date_range(grid["date"].iloc[0], periods=84, freq="D")
    counts = frame.groupby("date").size()
    assert grid["date"].tolist() == list(days)
    assert grid["sessions"].tolist() == [int(counts.get(d, 0)) for d in days]
    assert grid["weekday"].tolist() == [d.strftime("%a") for d in days]
    assert grid["week"].tolist() == list(an.week_start(pd.Series(days)))
    assert grid["future"].tolist() == [d.date() > TODAY for d in days]
