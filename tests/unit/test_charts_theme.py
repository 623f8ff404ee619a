"""What the charts look like once drawn, in the light and the dark theme and on paper.

Checked on vl-convert's scenegraph (what Vega draws, expressions evaluated), with the
background the theme paints: every chart's axis and legend text at 12 px and 4.5:1, a
pain rating of 0 drawn whole, "During" the boldest and clearest line, the calendar's
key matching its squares, a week still going marked on the volume chart, phases in
tints of blue, and the running chart's two axes on one set of gridlines.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
import vl_convert as vlc

from kneecore import analytics as an
from kneecore import chart_summaries as cs
from kneecore import charts as ch
from kneecore import charts_running as cr
from kneecore import running_trends as rt
from tests.unit.test_analytics import TODAY, session
from tests.unit.test_charts import Frames
from tests.unit.test_running_trends import days, run

#: The app's light background, white (paper), the app's dark one and Streamlit's own dark.
LIGHT, PAPER, DARK, STREAMLIT_DARK = "#FBFAF7", "#FFFFFF", "#111A1C", "#0E1117"
BACKGROUNDS = (LIGHT, PAPER, DARK, STREAMLIT_DARK)
PHONE_PLOT = 390


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def scene(chart: ch.ChartSpec, background: str, width: int = PHONE_PLOT) -> dict[str, Any]:
    spec = ch.export_spec(chart, width=width)
    # What Streamlit's theme does (config.background); vl-convert's default is white.
    spec["background"] = background
    return dict(vlc.vegalite_to_scenegraph(spec)["scenegraph"])


def drawn(node: dict[str, Any], role: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every drawn item: its mark's role, its mark type, the item."""
    for item in node.get("items", []):
        if "marktype" in item:
            yield from drawn(item, str(item.get("role", "")))
            continue
        yield role, str(node.get("marktype", "")), item
        yield from drawn(item, role)


def shown_texts(node: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [i for r, _, i in drawn(node) if r == role and i.get("opacity", 1) and "text" in i]


@pytest.fixture(scope="module")
def twelve_weeks() -> Frames:
    return Frames(84, 5)


def every_chart(frames: Frames) -> dict[str, ch.ChartSpec]:
    """One chart of every chart function, of 12 weeks of sessions and a few runs."""
    runs = [
        run(days(0), level=None, distance_km=5.0, pain_during=1),
        run(days(7), level=2, pain_next_morning=1),
        run(days(14), level=None, distance_km=7.0, pain_during=3, pain_next_morning=2),
    ]
    start = TODAY - dt.timedelta(days=83)
    return {
        **frames.all_charts(start),
        "per_week_no_plan": ch.sessions_per_week_chart(frames.sessions, None, start, TODAY),
        "panels": ch.exercise_progress_panels(frames.entries, "semi_squat", start, TODAY)[0],
        "never_done": ch.exercise_progress_chart(an.entries_frame([]), "bridge", name="Bridge"),
        "running_load": cr.weekly_load_chart(runs),
        "running_level": cr.level_chart(runs),
    }


# -- B: text of every chart ---------------------------------------------------------------


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_axis_and_legend_text_is_12px_and_4_5_to_1_on_every_chart(
    twelve_weeks: Frames, background: str
) -> None:
    for name, chart in every_chart(twelve_weeks).items():
        graph = scene(chart, background)
        texts = [
            (role, item)
            for role, _, item in drawn(graph)
            if "text" in item and item.get("opacity", 1)
            if role in ("axis-label", "axis-title", "legend-label", "legend-title", "mark")
        ]
        assert texts, name
        for role, item in texts:
            shown = f"{name} {role} {item['text']!r} on {background}"
            assert item["fontSize"] >= ch.TEXT_PX, shown
            assert contrast(item["fill"], background) >= 4.5, (shown, item["fill"])


def test_the_look_is_set_once_in_every_charts_config(twelve_weeks: Frames) -> None:
    for name, chart in every_chart(twelve_weeks).items():
        config = chart.to_dict()["config"]
        assert {k: config[k] for k in ch.theme_config()} == ch.theme_config(), name
        for part in ("axis", "legend"):
            assert config[part]["labelFontSize"] >= 12 and config[part]["titleFontSize"] >= 12


# -- A: the pain chart ----------------------------------------------------------------------


def pain_chart_with_zeros() -> ch.ChartSpec:
    sessions = [
        session(TODAY - dt.timedelta(days=d), during=p, before=0, after=p, morning=0)
        for d, p in ((20, 3), (14, 0), (7, 2), (0, 0))
    ]
    return ch.pain_chart(an.sessions_frame(sessions), TODAY - dt.timedelta(days=27), TODAY)


@pytest.mark.parametrize("background", [LIGHT, DARK])
def test_a_pain_of_0_is_drawn_whole_above_the_plots_bottom_edge(background: str) -> None:
    graph = scene(pain_chart_with_zeros(), background)
    height = graph["items"][0]["height"]
    points = [i for r, m, i in drawn(graph) if m == "symbol" and r == "mark"]
    assert points
    lowest = max(p["y"] for p in points)
    # A point of size 30 has a radius of about 3 px: all of it inside the plot.
    assert lowest + 3.5 <= height


@pytest.mark.parametrize("background", [LIGHT, DARK])
def test_the_during_line_is_the_boldest_and_clearest_in_both_themes(background: str) -> None:
    graph = scene(pain_chart_with_zeros(), background)
    lines: dict[str, float] = {}
    for role, mark, item in drawn(graph):
        if mark == "line" and role == "mark" and "stroke" in item:
            lines[item["stroke"]] = max(lines.get(item["stroke"], 0), item["strokeWidth"])
    during = ch.BLUE if background == LIGHT else ch.BLUE_ON_DARK
    # All four lines drawn (none hidden), plus the background-coloured casing under During.
    assert {during, ch.SKY, ch.ORANGE, ch.PURPLE, background} <= set(lines)
    casing = lines.pop(background)
    assert casing > lines[during]
    assert lines[during] == max(lines.values())
    assert sorted(lines.values()).count(lines[during]) == 1
    assert contrast(during, background) >= 4.5
    # The zone tints are fainter on a dark background, where they read stronger.
    tints = [i.get("opacity", 1) for r, m, i in drawn(graph) if m == "rect" and r == "mark"]
    expected = ch.BAND_OPACITY if background == LIGHT else ch.BAND_OPACITY_DARK
    assert tints and set(tints) == {expected}
    assert ch.BAND_OPACITY_DARK < ch.BAND_OPACITY


# -- C: the calendar ----------------------------------------------------------------------


def calendar_of_a_busy_fortnight() -> ch.Prepared:
    """Rest days, one-session days and a two-session day, up to Monday 30 November."""
    monday = dt.date(2026, 11, 30)
    sessions = [session(monday - dt.timedelta(days=d), sid=f"s{d}") for d in (1, 3, 5, 60)]
    sessions.append(session(monday - dt.timedelta(days=3), during=1, sid="again"))
    return ch.calendar_data(an.sessions_frame(sessions), monday, 12)


@pytest.mark.parametrize("background", [LIGHT, DARK])
def test_the_calendar_key_matches_its_squares_and_more_sessions_stand_out_more(
    background: str,
) -> None:
    prepared = calendar_of_a_busy_fortnight()
    graph = scene(prepared.chart(), background)
    symbols = [i["fill"] for r, _, i in drawn(graph) if r == "legend-symbol"]
    labels = [i["text"] for i in shown_texts(graph, "legend-label")]
    assert labels == list(ch.DAY_STATUS)
    key = dict(zip(labels, symbols, strict=True))
    cells = {i["fill"] for r, m, i in drawn(graph) if m == "rect" and r == "mark"}
    # Every square's colour is one of the key's, all three drawn, at full opacity.
    assert cells == set(key.values())
    assert all(
        i.get("opacity", 1) == 1 and i.get("fillOpacity", 1) == 1
        for r, m, i in drawn(graph)
        if m == "rect" and r == "mark"
    )
    seen = [contrast(key[status], background) for status in ch.DAY_STATUS]
    assert seen == sorted(seen) and len(set(seen)) == 3, (background, key)


def test_the_calendar_grid_and_its_summary_count_the_same_84_days() -> None:
    prepared = calendar_of_a_busy_fortnight()
    grid = prepared.frames[0]
    monday = dt.date(2026, 11, 30)
    first = monday - dt.timedelta(days=83)
    assert ch.calendar_first_day(monday, 12) == first
    assert len(grid) == 84
    assert grid["date"].min() == pd.Timestamp(first) and grid["date"].max() == pd.Timestamp(monday)
    assert cs.calendar_summary(grid) == "You trained on 4 of the last 84 days."
    # The first column is the week of its first day (a Tuesday: Monday left blank).
    assert first.weekday() == 1 and grid["week"].min() == pd.Timestamp(first - dt.timedelta(1))


def test_calendar_dates_have_no_leading_zero() -> None:
    graph = scene(calendar_of_a_busy_fortnight().chart(), LIGHT, width=640)
    labels = [i["text"] for i in shown_texts(graph, "axis-label")]
    assert "5 Oct" in labels
    assert not [text for text in labels if text.startswith("0")]


# -- D: training volume and phases ------------------------------------------------------------


def test_a_week_still_going_is_faded_and_named_on_the_volume_chart(twelve_weeks: Frames) -> None:
    wednesday = TODAY - dt.timedelta(days=4)
    start = wednesday - dt.timedelta(days=83)
    prepared = ch.weekly_volume_data(twelve_weeks.entries, "reps", start, wednesday)
    data = prepared.frames[0]
    last = data["week"].max()
    assert set(data.loc[data["week"] == last, "status"]) == {"Week not over"}
    assert set(data.loc[data["week"] < last, "status"]) == {"Week over"}
    graph = scene(prepared.chart(), LIGHT)
    assert "Week not over" in [i["text"] for i in shown_texts(graph, "legend-label")]
    faded = [i for r, m, i in drawn(graph) if m == "rect" and r == "mark" and i.get("opacity") != 1]
    assert faded and {i["opacity"] for i in faded} == {ch.NOT_OVER_OPACITY}
    # A range ending on a Sunday has no week going on: nothing faded, no such entry.
    done = ch.weekly_volume_data(twelve_weeks.entries, "reps", None, TODAY)
    assert "opacity" not in done.chart().to_dict()["encoding"]


TRAFFIC_LIGHTS = {ch.GREEN, ch.ORANGE, ch.VERMILLION, ch.YELLOW}


@pytest.mark.parametrize("background", [LIGHT, DARK])
def test_phases_are_tints_of_blue_never_the_pain_zones_colours(
    twelve_weeks: Frames, background: str
) -> None:
    for chart in (
        ch.weekly_volume_chart(twelve_weeks.entries, "reps"),
        ch.phase_timeline_chart(twelve_weeks.phases),
    ):
        fills = {
            i["fill"] for r, m, i in drawn(scene(chart, background)) if m == "rect" and r == "mark"
        }
        assert fills == set(ch.PHASE_TINTS), fills
        assert not fills & TRAFFIC_LIGHTS
    # The latest phase stands out most from the background in both themes.
    ordered = [c["expr"] for c in ch.phase_colours()]
    graph = scene(ch.phase_timeline_chart(twelve_weeks.phases), background)
    bars = [i for r, m, i in drawn(graph) if m == "rect" and r == "mark"]
    by_phase = [b["fill"] for b in sorted(bars, key=lambda b: b["x"])]
    assert len(ordered) == 3 == len(by_phase)
    seen = [contrast(c, background) for c in by_phase]
    assert seen == sorted(seen)


# -- F: the running chart ---------------------------------------------------------------------


def test_the_minutes_axis_has_a_round_tick_above_the_longest_bar() -> None:
    assert [ch_step(m) for m in (18, 20, 51, 131, 300)] == [4, 5, 12, 30, 80]
    runs = [run(days(7 * w), level=None, run_min=18.0, walk_min=0.0) for w in range(4)]
    spec = cr.weekly_load_chart(runs).to_dict()
    bars = next(v for v in spec["layer"] if v["mark"]["type"] == "bar")
    y = bars["encoding"]["y"]
    assert y["axis"]["values"] == [0, 4, 8, 12, 16, 20]
    low, high = y["scale"]["domain"]
    assert low < 0 and high > 20


def ch_step(minutes: float) -> int:
    return cr.minute_step(minutes)


@pytest.mark.parametrize("height", [cr.LOAD_HEIGHT, 170])
def test_the_pain_ticks_sit_on_the_minutes_gridlines(height: int) -> None:
    runs = [
        run(days(7 * w), level=None, run_min=15.0 + w, walk_min=0.0, pain_during=w % 3)
        for w in range(6)
    ]
    spec = ch.export_spec(cr.weekly_load_chart(runs), width=PHONE_PLOT)
    spec["height"] = height  # the report draws it shorter
    graph = vlc.vegalite_to_scenegraph(spec)["scenegraph"]
    labels = shown_texts(graph, "axis-label")
    # Left-axis labels are right-aligned to their ticks, right-axis ones left-aligned.
    left = [(i["text"], round(i["y"], 1)) for i in labels if i["align"] == "right"]
    right = [(i["text"], round(i["y"], 1)) for i in labels if i["align"] == "left"]
    assert [t for t, _ in right] == ["0", "2", "4", "6", "8", "10"]
    assert [y for _, y in left] == [y for _, y in right]
    # One set of gridlines: the pain axis draws none of its own.
    pains = next(v for v in spec["layer"] if "layer" in v)
    assert pains["layer"][0]["encoding"]["y"]["axis"]["grid"] is False


def test_the_bars_are_named_in_the_legend() -> None:
    graph = scene(cr.weekly_load_chart([run(days(0), level=None)]), LIGHT)
    assert cr.BARS_WORD in [i["text"] for i in shown_texts(graph, "legend-label")]


def test_date_labels_thin_out_on_a_phone_rather_than_touch() -> None:
    runs = [run(days(3 * n), level=None) for n in range(20)]
    chart = cr.weekly_load_chart(runs, days(0), days(59))
    for width in (PHONE_PLOT - 60, 640):
        graph = scene(chart, LIGHT, width)
        dates = [i for i in shown_texts(graph, "axis-label") if not i["text"].isdigit()]
        assert len(dates) >= 2
        for one, two in itertools.pairwise(dates):
            # Half of each label's width (about 0.6 em a character) and the gap between.
            room = 0.3 * ch.TEXT_PX * (len(one["text"]) + len(two["text"]))
            assert two["x"] - one["x"] >= room + ch.LABEL_GAP_PX - 2, (width, one, two)


def test_level_1_runs_are_drawn_above_the_axis_floor() -> None:
    runs = [run(days(d), level=1) for d in (0, 3, 7)]
    graph = scene(cr.level_chart(runs), LIGHT)
    height = graph["items"][0]["height"]
    points = [i for r, m, i in drawn(graph) if m == "symbol" and r == "mark"]
    assert points and max(p["y"] for p in points) < height - 5


def test_a_level_chart_of_a_long_range_starts_at_the_first_programme_run() -> None:
    # Free runs for a year, then walk-run levels for three weeks.
    start = days(-400)
    points = rt.level_points([run(days(-30), level=1), run(days(-10), level=2)])
    prepared = cr.level_data(points, start, days(0))
    axis = prepared.shape[0]
    assert days(-40) <= axis.low <= days(-30)
