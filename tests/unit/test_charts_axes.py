"""Date axes of the Progress charts: one range for all, ticks that never read the same,
padding for a few points, and a bar a month for long ranges (issue 15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session

END = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def frames() -> an.ProgressFrames:
    doc = generate_history(400, sessions_per_week=4, end=END)
    return an.progress_frames(
        [Session.model_validate(s) for s in doc["sessions"]],
        [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]],
        [PhaseStart.model_validate(p) for p in doc["phases"]],
        END,
    )


def x_axes(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every x channel with an axis of the spec, layers included."""
    found = []
    for unit in [spec, *spec.get("layer", [])]:
        for inner in [unit, *unit.get("layer", [])]:
            x = inner.get("encoding", {}).get("x")
            if x and x.get("type") == "temporal":
                found.append(x)
    return found


@pytest.mark.parametrize("days", [1, 3, 7, 8, 14, 28, 42, 60, 84, 91, 120, 183, 300, 731, 1826])
def test_tick_labels_never_read_the_same_and_stay_few(days: int) -> None:
    start = END - dt.timedelta(days=days - 1)
    ticks, fmt = ch.axis_ticks(start, END)
    labels = [d.strftime(fmt) for d in ticks]
    assert len(labels) == len(set(labels)), labels
    assert 1 <= len(labels) <= 8
    # Within the range, or on the Monday of its first week (where its first bar starts).
    assert all(an.monday_of(start) <= d <= END for d in ticks)


def test_week_ticks_are_mondays_labelled_by_day_and_month() -> None:
    ticks, fmt = ch.axis_ticks(END - dt.timedelta(days=27), END)
    assert [d.strftime(fmt) for d in ticks] == ["2 Nov", "9 Nov", "16 Nov", "23 Nov", "30 Nov"]


def test_a_few_points_are_padded_away_from_the_edges() -> None:
    axis = ch.time_axis(END - dt.timedelta(days=3), END)
    assert axis.low < END - dt.timedelta(days=3)
    assert axis.high > END + dt.timedelta(days=0)
    weeks = ch.time_axis(END - dt.timedelta(days=13), END, "week")
    # Whole weeks (the bars) fit inside, with room on both sides.
    assert weeks.low < an.monday_of(END - dt.timedelta(days=13))
    assert weeks.high > END + dt.timedelta(days=6 - END.weekday())


def test_bars_count_weeks_up_to_six_months_and_months_beyond() -> None:
    assert an.bar_period(END - dt.timedelta(days=an.BARS_WEEKLY_MAX_DAYS - 1), END) == "week"
    assert an.bar_period(END - dt.timedelta(days=an.BARS_WEEKLY_MAX_DAYS), END) == "month"


def test_monthly_sessions_are_a_mean_per_week_of_each_month(frames: an.ProgressFrames) -> None:
    start = END - dt.timedelta(days=364)
    months = an.monthly_sessions(frames.sessions, start, END)
    assert len(months) == 12  # 1 December 2025 to 30 November 2026
    assert months["count"].sum() == len(an.in_range(frames.sessions, start, END))
    assert months["complete"].iloc[-1]  # the range reaches 30 November
    assert not an.monthly_sessions(frames.sessions, start, END - dt.timedelta(days=1))[
        "complete"
    ].iloc[-1]
    full = months.iloc[1]
    days_in_month = (full["week"] + pd.offsets.MonthEnd(0)).day
    assert full["sessions"] == round(full["count"] / (days_in_month / 7), 1)


def test_a_long_range_draws_a_bar_a_month_for_sessions_and_volume(
    frames: an.ProgressFrames,
) -> None:
    start = END - dt.timedelta(days=364)
    per_week = ch.sessions_per_week_data(frames.sessions, 3, start, END)
    volume = ch.weekly_volume_data(frames.entries, "reps", start, END)
    assert per_week.frames[0]["week"].dt.day.eq(1).all()
    assert volume.frames[0]["week"].dt.day.eq(1).all()
    spec = per_week.chart().to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Month"
    short = ch.sessions_per_week_data(frames.sessions, 3, END - dt.timedelta(days=83), END)
    assert short.chart().to_dict()["layer"][0]["encoding"]["x"]["title"] == "Week of"


def test_every_chart_of_a_range_shares_its_date_domain(frames: an.ProgressFrames) -> None:
    start = END - dt.timedelta(days=83)
    specs = [
        ch.pain_chart(frames.sessions, start, END),
        ch.akps_chart(frames.checks, start, END),
        ch.phase_timeline_chart(frames.phases, start, END),
        *ch.exercise_progress_panels(frames.entries, "semi_squat", start, END),
    ]
    domains = set()
    for chart in specs:
        for x in x_axes(chart.to_dict()):
            domains.add(str(x["scale"]["domain"]))
    assert len(domains) == 1


def test_knee_score_and_phase_charts_follow_the_range(frames: an.ProgressFrames) -> None:
    start = END - dt.timedelta(days=27)
    akps = ch.akps_data(frames.checks, start, END).frames[0]
    assert (akps["date"] >= pd.Timestamp(start)).all()
    phases = ch.phase_timeline_data(frames.phases, start, END).frames[0]
    assert (phases["shown_start"] >= pd.Timestamp(start)).all()
    assert (phases["shown_end"] <= pd.Timestamp(END) + pd.Timedelta(days=1)).all()


def test_no_reference_line_is_named_by_text_inside_the_plot(frames: an.ProgressFrames) -> None:
    # The plan and real-change lines are named in the legend: a text mark on the line
    # sat over the bars and points it crossed.
    for chart in (
        ch.sessions_per_week_chart(frames.sessions, 3, END - dt.timedelta(days=83), END),
        ch.akps_chart(frames.checks),
    ):
        spec = chart.to_dict()
        layers = spec.get("layer", [])
        rule = next(u for u in layers if u["mark"]["type"] == "rule")
        assert rule["encoding"]["strokeDash"]["legend"]["orient"] in ("top", "bottom")
        texts = [u for u in layers if u["mark"]["type"] == "text"]
        assert all("label" not in u["encoding"].get("text", {}).get("field", "") for u in texts)
