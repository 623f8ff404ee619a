"""The one-line summaries under the Progress charts (kneecore.chart_summaries)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kneecore import analytics as an
from kneecore import chart_summaries as cs

END = dt.date(2026, 11, 30)


def sessions(pains: list[float], every: int = 7) -> pd.DataFrame:
    """A sessions frame with one session every ``every`` days, ending on END."""
    days = [END - dt.timedelta(days=every * (len(pains) - 1 - i)) for i in range(len(pains))]
    return pd.DataFrame({"date": pd.to_datetime(days), "pain_during": pains})


def test_falling_pain_reads_as_fell_from_to_over_weeks() -> None:
    text = cs.pain_summary(sessions([5, 5, 4, 3, 3, 2, 2, 2, 2]))
    assert text == "Pain during exercise fell from 5 to 2/10 over 8 weeks."


def test_rising_pain_reads_as_rose() -> None:
    assert cs.pain_summary(sessions([1, 2, 3, 4])).startswith("Pain during exercise rose from 1")


def test_flat_pain_reads_as_stayed_about_the_same() -> None:
    text = cs.pain_summary(sessions([3, 3.2, 2.9, 3]))
    assert text == "Pain during exercise stayed about 3/10 over 3 weeks."


def test_too_little_data_says_so_instead_of_a_trend() -> None:
    assert cs.pain_summary(sessions([4])) == cs.TOO_LITTLE
    assert cs.pain_summary(sessions([4, 2], every=2)) == cs.TOO_LITTLE
    assert cs.level_summary(pd.DataFrame({"date": [], "level": []})) == cs.TOO_LITTLE
    empty = pd.DataFrame({"week": pd.to_datetime([]), "phase": [], "reps": [], "hold_min": []})
    assert cs.volume_summary(empty) == cs.TOO_LITTLE


def test_pain_summary_follows_the_date_range() -> None:
    frame = sessions([8, 8, 2, 2, 2])
    assert "fell from 8" in cs.pain_summary(frame)
    last_three = cs.pain_summary(frame, END - dt.timedelta(days=14), END)
    assert last_three == "Pain during exercise stayed about 2/10 over 2 weeks."


def test_spans_are_said_in_days_weeks_months_or_years() -> None:
    assert [cs.span_words(d) for d in (1, 10, 56, 300, 1826)] == [
        "1 day",
        "10 days",
        "8 weeks",
        "10 months",
        "5 years",
    ]


def test_sessions_summary_counts_finished_weeks_that_met_the_plan() -> None:
    weeks = an.weekly_sessions(sessions([1] * 6, every=2), END - dt.timedelta(days=20), END)
    text = cs.sessions_summary(weeks, 3)
    assert text.startswith("You trained ")
    assert "finished weeks met your plan of 3 a week." in text


def test_monthly_sessions_summary_speaks_of_months() -> None:
    frame = sessions([1] * 100, every=3)
    months = an.monthly_sessions(frame, END - dt.timedelta(days=299), END)
    assert "finished months met your plan" in cs.sessions_summary(months, 2, "month")


def test_volume_summary_compares_the_first_and_last_periods() -> None:
    weeks = pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"])
    volume = pd.DataFrame(
        {"week": weeks, "phase": "Phase 1", "reps": [100, 120, 200, 300], "hold_min": 0.0}
    )
    assert cs.volume_summary(volume) == "Weekly volume rose from 100 to 300 reps over 4 weeks."


def test_akps_summary_names_a_real_change() -> None:
    checks = pd.DataFrame({"date": pd.to_datetime(["2026-09-01", "2026-11-24"]), "akps": [55, 72]})
    assert cs.akps_summary(checks) == (
        "Kujala knee score rose from 55 to 72/100 over 12 weeks: a real change (10 points or more)."
    )
    assert cs.akps_summary(checks.iloc[:1]) == "One self-check in this range: 55/100."


def test_phases_summary_says_where_you_are() -> None:
    phases = an.phases_frame([], END)
    assert cs.phases_summary(phases) == "No phase in this range."


def test_exercise_summary_prefers_load_then_holds_then_reps() -> None:
    dates = pd.to_datetime(["2026-11-01", "2026-11-29"])
    progress = pd.DataFrame(
        {
            "date": [*dates, *dates],
            "measure": ["Reps per set", "Reps per set", "Load (kg)", "Load (kg)"],
            "value": [8, 12, 5, 10],
        }
    )
    assert cs.exercise_summary(progress, "Squat") == (
        "Squat: your load rose from 5 to 10 kg over 4 weeks."
    )


def test_running_summary_gives_minutes_and_the_worst_pain() -> None:
    weekly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-11-02", "2026-11-23"]),
            "run_min": [40.0, 90.0],
            "pain_during": [2.0, 3.0],
        }
    )
    assert cs.running_load_summary(weekly) == (
        "Running rose from 40 to 90 minutes a week over 4 weeks; "
        "the worst pain during a run was 3/10."
    )


def test_running_summary_of_months_speaks_of_months() -> None:
    monthly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2025-01-01", "2025-06-01", "2026-10-01"]),
            "run_min": [200.0, 300.0, 420.0],
            "pain_during": [2.0, 5.0, 1.0],
        }
    )
    assert cs.running_load_summary(monthly, "month") == (
        "Running rose from 200 to 420 minutes a month over 22 months; "
        "the worst pain during a run was 5/10."
    )


def test_running_summary_leaves_out_a_latest_month_or_week_still_going() -> None:
    monthly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2026-09-01", "2026-10-01", "2026-11-01"]),
            "run_min": [200.0, 300.0, 40.0],
            "pain_during": [2.0, 2.0, 6.0],
        }
    )
    # On 20 November the month has ten days to go: October is the latest to compare...
    assert cs.running_load_summary(monthly, "month", dt.date(2026, 11, 20)) == (
        "Running rose from 200 to 300 minutes a month over 9 weeks; "
        "the worst pain during a run was 6/10."
    )
    # ...and on its last day November counts.
    assert cs.running_load_summary(monthly, "month", dt.date(2026, 11, 30)).startswith(
        "Running fell from 200 to 40 minutes a month over 13 weeks"
    )
    weekly = monthly.assign(week=pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"]))
    assert cs.running_load_summary(weekly, "week", dt.date(2026, 11, 18)).startswith(
        "Running rose from 200 to 300 minutes a week over 2 weeks"
    )
    # One finished period alone is too little for a trend.
    assert cs.running_load_summary(weekly.iloc[1:], "week", dt.date(2026, 11, 18)) == (
        cs.TOO_LITTLE
    )


def test_volume_summary_says_what_the_finished_bars_show() -> None:
    # Bars of 480, 940 and 760 reps, and a week still going on Wednesday 25 November:
    # the first against the latest finished week, not a mean of quarters ("stayed about").
    weeks = pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"])
    volume = pd.DataFrame(
        {"week": weeks, "phase": "Phase 2", "reps": [480, 940, 760, 150], "hold_min": 0.0}
    )
    assert cs.volume_summary(volume, "reps", "week", dt.date(2026, 11, 25)) == (
        "Weekly volume rose from 480 to 760 reps over 3 weeks."
    )
    # On the week's Sunday it is finished, and counts.
    assert cs.volume_summary(volume, "reps", "week", dt.date(2026, 11, 29)) == (
        "Weekly volume fell from 480 to 150 reps over 4 weeks."
    )


def test_a_first_period_begun_partway_through_is_not_compared() -> None:
    weeks = pd.to_datetime(["2026-11-02", "2026-11-09", "2026-11-16"])
    volume = pd.DataFrame(
        {"week": weeks, "phase": "Phase 1", "reps": [120, 500, 520], "hold_min": 0.0}
    )
    # The first entry on Thursday 5 November: that week holds four days of training.
    assert cs.volume_summary(volume, "reps", "week", END, dt.date(2026, 11, 5)) == (
        "Weekly volume stayed about 500 reps over 2 weeks."
    )
    # Begun on its Monday, the first week is whole.
    assert cs.volume_summary(volume, "reps", "week", END, dt.date(2026, 11, 2)).startswith(
        "Weekly volume rose from 120 to 520 reps"
    )


def test_running_summary_skips_a_first_month_of_one_run_and_says_whole_minutes() -> None:
    monthly = pd.DataFrame(
        {
            "week": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"]),
            "run_min": [25.8, 96.4, 110.0, 131.4],
            "pain_during": [1.0, 2.0, 2.0, 3.0],
        }
    )
    # The first run on 20 January: January is not a whole month of running.
    said = cs.running_load_summary(monthly, "month", dt.date(2025, 4, 30), dt.date(2025, 1, 20))
    assert said == (
        "Running rose from 96 to 131 minutes a month over 13 weeks; "
        "the worst pain during a run was 3/10."
    )


def test_the_weekly_average_leaves_out_a_week_still_going() -> None:
    # Three sessions a week, then one so far on Tuesday of the last week.
    days = [END - dt.timedelta(days=d) for d in (22, 20, 18, 15, 13, 11, 8, 6, 4, 1)]
    frame = pd.DataFrame({"date": pd.to_datetime(sorted(days)), "pain_during": 2})
    tuesday = END + dt.timedelta(days=1)
    weeks = an.weekly_sessions(frame, END - dt.timedelta(days=20), tuesday)
    assert not weeks["complete"].iloc[-1]
    assert cs.sessions_summary(weeks, 3).startswith("You trained 3 times a week on average;")
