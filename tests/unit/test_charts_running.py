"""Running charts' specs: bars of weekly minutes with distance in the tooltip, worst pains
on a 0-10 axis on the right, spike weeks marked by a symbol and a word, the level as a
step line; valid Vega-Lite, readable on a phone, and fine without runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import vl_convert as vlc

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore import charts_running as cr
from kneecore import running_trends as rt
from kneecore.models import Run
from tests.unit.test_running_trends import days, run


def marks(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every unit view (one with a mark) of a spec, layers and nesting walked."""
    if "mark" in spec:
        yield spec
    for key in ("layer", "vconcat", "hconcat"):
        for child in spec.get(key, []):
            yield from marks(child)


def mark_type(view: dict[str, Any]) -> str:
    mark = view["mark"]
    return str(mark["type"] if isinstance(mark, dict) else mark)


def tooltip_titles(view: dict[str, Any]) -> list[str]:
    return [t.get("title", t["field"]) for t in view["encoding"].get("tooltip", [])]


#: Two years before the runs below end: a range long enough for a bar a month.
TWO_YEARS_BEFORE = days(27) - dt.timedelta(days=729)


@pytest.fixture
def runs_with_a_spike() -> list[Run]:
    return [
        run(days(0), level=None, distance_km=5.0, pain_during=1),
        run(days(7), level=None, distance_km=5.2, pain_during=2, pain_next_morning=1),
        run(days(14), level=None, distance_km=7.0, pain_during=3, pain_next_morning=2),
        run(days(21), level=2),
        run(days(25), level=3),
    ]


def test_the_load_chart_draws_minutes_as_bars_with_distance_in_the_tooltip(runs_with_a_spike):
    spec = cr.weekly_load_chart(runs_with_a_spike).to_dict()
    bars = [v for v in marks(spec) if mark_type(v) == "bar"]
    assert len(bars) == 1
    encoding = bars[0]["encoding"]
    assert encoding["y"]["field"] == "run_min"
    assert encoding["y"]["axis"]["orient"] == "left"
    assert encoding["x2"]["field"] == "week_end"
    assert "Distance, km" in tooltip_titles(bars[0])


def test_the_load_chart_puts_pain_during_and_next_morning_on_a_0_to_10_axis_on_the_right(
    runs_with_a_spike,
):
    spec = cr.weekly_load_chart(runs_with_a_spike).to_dict()
    lines = [v for v in marks(spec) if mark_type(v) == "line"]
    assert len(lines) == 1
    y = lines[0]["encoding"]["y"]
    # The pain chart's scale: 0 to 10 with half a rating of room either side.
    assert y["scale"]["domain"] == [-0.5, 10.5]
    assert y["axis"]["values"] == [0, 2, 4, 6, 8, 10]
    assert y["axis"]["orient"] == "right"
    colour = lines[0]["encoding"]["color"]
    assert colour["scale"]["domain"] == ["During", "Next morning"]
    # Told apart by dash as well as colour, with the legend under the plot.
    assert lines[0]["encoding"]["strokeDash"]["scale"]["domain"] == ["During", "Next morning"]
    assert colour["legend"]["orient"] == "bottom"
    assert spec["resolve"]["scale"]["y"] == "independent"


def test_spike_weeks_carry_a_symbol_and_the_words_load_spike(runs_with_a_spike):
    prepared = cr.weekly_load_data(rt.weekly_running(runs_with_a_spike))
    spikes = prepared.frames[2]
    assert [d.date() for d in spikes["week"]] == [days(14)]
    assert spikes["marker"].tolist() == [rt.SPIKE_WORD]
    spec = prepared.chart().to_dict()
    shaped = [v for v in marks(spec) if "shape" in v.get("encoding", {})]
    assert len(shaped) == 1
    shape = shaped[0]["encoding"]["shape"]
    assert shape["scale"]["domain"] == [rt.SPIKE_WORD]
    assert shape["scale"]["range"] == ["triangle-down"]
    # Named above the plot, over whose top edge the triangles sit.
    assert shape["legend"]["orient"] == "top"
    assert "Flag" in tooltip_titles(shaped[0])


def test_without_a_spike_the_marker_layer_holds_no_rows():
    prepared = cr.weekly_load_data(rt.weekly_running([run(days(0)), run(days(7))]))
    assert prepared.frames[2].empty


def test_the_level_chart_is_a_step_line_over_levels_1_to_9(runs_with_a_spike):
    spec = cr.level_chart(runs_with_a_spike).to_dict()
    lines = [v for v in marks(spec) if mark_type(v) == "line"]
    assert lines[0]["mark"]["interpolate"] == "step-after"
    y = lines[0]["encoding"]["y"]
    assert y["field"] == "level"
    # Half a level of room below 1 and above 9: level-1 runs are not drawn on the floor.
    assert y["scale"]["domain"] == [0.5, 9.5]
    assert y["axis"]["values"] == [1, 3, 5, 7, 9]
    assert "Walk-run level" in tooltip_titles(lines[0])
    # Free runs are left out: two programme runs, two points.
    assert len(cr.level_data(rt.level_points(runs_with_a_spike)).frames[0]) == 2


def test_both_charts_are_valid_vega_lite_without_runs():
    for chart in (cr.weekly_load_chart([]), cr.level_chart([])):
        chart.to_dict()  # validated against the schema
        vlc.vegalite_to_svg(ch.export_spec(chart, width=390))


def test_both_charts_stretch_to_the_screen_with_few_ticks(runs_with_a_spike):
    for chart in (cr.weekly_load_chart(runs_with_a_spike), cr.level_chart(runs_with_a_spike)):
        spec = chart.to_dict()
        assert spec["width"] == "container"
        for view in marks(spec):
            x = view["encoding"].get("x", {})
            if x.get("axis"):
                assert len(x["axis"]["values"]) <= 7


def test_the_page_spec_of_the_running_charts_is_their_own_spec_for_other_runs(
    runs_with_a_spike,
):
    def table(data: bytes) -> pa.Table:
        return pa.ipc.open_stream(data).read_all()

    long = (TWO_YEARS_BEFORE, days(27))
    for runs in (runs_with_a_spike, runs_with_a_spike[:2], [], runs_with_a_spike):
        for item in (
            cr.weekly_load_data(rt.weekly_running(runs)),
            # A bar a month: a shape of its own, filled with each history's months.
            cr.load_data(runs, *long),
            cr.level_data(rt.level_points(runs)),
        ):
            built = ch.arrow_spec(item.chart())
            page = ch.page_spec(item)
            assert {k: v for k, v in page.items() if k != "datasets"} == {
                k: v for k, v in built.items() if k != "datasets"
            }
            for key, data in built["datasets"].items():
                assert table(page["datasets"][key]).equals(table(data))


def test_the_charts_render_at_a_phone_width_in_light_and_dark(runs_with_a_spike):
    for chart in (cr.weekly_load_chart(runs_with_a_spike), cr.level_chart(runs_with_a_spike)):
        spec = ch.export_spec(chart, width=360)
        for theme in (None, "dark"):
            png = vlc.vegalite_to_png(spec, theme=theme) if theme else vlc.vegalite_to_png(spec)
            assert png[:4] == b"\x89PNG"


def test_a_week_with_runs_but_no_morning_pain_draws_only_the_during_line():
    prepared = cr.weekly_load_data(rt.weekly_running([run(days(0)), run(days(7))]))
    assert set(prepared.frames[1]["measure"]) == {"During"}
    assert dt.date(2026, 9, 10) == prepared.frames[1]["mid"].iloc[0].date()


# -- a bar a month over long ranges (issue 15) -------------------------------------------

#: Two years of free runs, 5 km every fifth day, with one 7 km run (a load spike) on
#: Friday 14 March 2025.
TWO_YEARS_START = dt.date(2024, 9, 2)
TWO_YEARS_END = TWO_YEARS_START + dt.timedelta(days=729)
SPIKE_DAY = dt.date(2025, 3, 14)


@pytest.fixture(scope="module")
def two_years_of_runs() -> list[Run]:
    every_fifth = (TWO_YEARS_START + dt.timedelta(days=n) for n in range(0, 730, 5))
    runs = [
        run(day, level=None, distance_km=5.0, pain_during=day.day % 4)
        for day in every_fifth
        if day != SPIKE_DAY
    ]
    runs.append(run(SPIKE_DAY, level=None, distance_km=7.0, pain_during=2))
    return sorted(runs, key=lambda r: r.date)


def load_spec(runs: list[Run], start: dt.date, end: dt.date) -> dict[str, Any]:
    return cr.weekly_load_chart(runs, start, end).to_dict()


def bar_view(spec: dict[str, Any]) -> dict[str, Any]:
    return next(v for v in marks(spec) if mark_type(v) == "bar")


def test_two_years_of_runs_get_a_bar_a_month_with_month_labels(two_years_of_runs):
    prepared = cr.load_data(two_years_of_runs, TWO_YEARS_START, TWO_YEARS_END)
    bars = prepared.frames[0]
    # One bar for each calendar month with runs, from its first day to its last.
    months = sorted({r.date.replace(day=1) for r in two_years_of_runs})
    assert len(months) == 24 and [d.date() for d in bars["week"]] == months
    assert all((e + pd.Timedelta(days=1)).day == 1 for e in bars["week_end"])
    assert bars["run_min"].sum() == pytest.approx(15.0 * len(two_years_of_runs))
    spec = prepared.chart().to_dict()
    bar = bar_view(spec)
    assert bar["encoding"]["y"]["title"] == "Min/month"
    assert tooltip_titles(bar)[0] == "Month"
    assert bar["encoding"]["tooltip"][0]["format"] == "%B %Y"
    # The date axis names months (with their year), a tick on a month's first day.
    axis = bar["encoding"]["x"]["axis"]
    assert axis["format"] == "%b %Y"
    assert {tick["date"] for tick in axis["values"]} == {1}
    lines = [v for v in marks(spec) if mark_type(v) == "line"]
    assert tooltip_titles(lines[0])[0] == "Month"


def test_six_weeks_of_runs_keep_a_bar_a_week(two_years_of_runs):
    start = TWO_YEARS_START + dt.timedelta(weeks=90)
    prepared = cr.load_data(two_years_of_runs, start, start + dt.timedelta(days=41))
    bars = prepared.frames[0]
    assert len(bars) == 6
    assert all(d.weekday() == 0 for d in bars["week"])
    bar = bar_view(prepared.chart().to_dict())
    assert bar["encoding"]["y"]["title"] == "Min/week"
    assert tooltip_titles(bar)[0] == "Week of"
    assert "Load-spike runs" not in tooltip_titles(bar)


def test_the_switch_to_months_is_the_exercise_charts_rule(two_years_of_runs):
    # The longest range with weekly exercise bars keeps weekly runs too, a day more is
    # monthly for both, and an open range stays weekly (as the report draws all runs).
    end = TWO_YEARS_END
    no_sessions = pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")})
    for days_long, period in ((an.BARS_WEEKLY_MAX_DAYS, "week"), (184, "month")):
        start = end - dt.timedelta(days=days_long - 1)
        bar = bar_view(load_spec(two_years_of_runs, start, end))
        assert bar["encoding"]["y"]["title"] == f"Min/{period}"
        assert ch.sessions_per_week_data(no_sessions, None, start, end).shape[1] == period
    assert (
        bar_view(cr.weekly_load_chart(two_years_of_runs).to_dict())["encoding"]["y"]["title"]
        == "Min/week"
    )


def test_a_month_holding_a_load_spike_run_is_marked_and_counts_it(two_years_of_runs):
    prepared = cr.load_data(two_years_of_runs, TWO_YEARS_START, TWO_YEARS_END)
    spikes = prepared.frames[2]
    # The flag is a run's (against the 30 days before it), so its month carries it.
    assert [d.date() for d in spikes["week"]] == [dt.date(2025, 3, 1)]
    assert spikes["spike_runs"].tolist() == [1]
    assert spikes["marker"].tolist() == [rt.SPIKE_WORD]
    # The triangle sits over the middle of its month's bar.
    assert spikes["mid"].iloc[0] == pd.Timestamp("2025-03-16")
    spec = prepared.chart().to_dict()
    shaped = next(v for v in marks(spec) if "shape" in v.get("encoding", {}))
    assert tooltip_titles(shaped)[0] == "Month"
    assert {"Flag", "Load-spike runs"} <= set(tooltip_titles(shaped))
    # The same run in a six-week range marks its week.
    week = cr.load_data(two_years_of_runs, SPIKE_DAY - dt.timedelta(days=20), SPIKE_DAY)
    assert [d.date() for d in week.frames[2]["week"]] == [dt.date(2025, 3, 10)]


def test_the_monthly_chart_renders_at_a_phone_width_and_on_paper(two_years_of_runs):
    chart = cr.weekly_load_chart(two_years_of_runs, TWO_YEARS_START, TWO_YEARS_END)
    for width in (390, 720):
        png = vlc.vegalite_to_png(ch.export_spec(chart, width=width), scale=2)
        assert png[:4] == b"\x89PNG"
