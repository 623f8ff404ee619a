"""Chart specs: the right fields and encodings, zone bands, tooltips, colours, row limits."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import vl_convert as vlc

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore import trends
from kneecore.demo import FIVE_YEARS_DAYS
from kneecore.models import PhaseStart, SelfCheckResult
from kneecore.pain import AMBER_MAX, GREEN_MAX
from tests.unit.test_analytics import TODAY, demo, make_library, session

OKABE_ITO = {"#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#009E73", "#CC79A7", "#F0E442"}
ROW_LIMIT = 5000


class Frames:
    def __init__(self, days: int, per_week: int) -> None:
        from kneecore.models import Session

        doc = demo(days, per_week)
        library = make_library()
        sessions = [Session.model_validate(s) for s in doc["sessions"]]
        self.sessions = an.sessions_frame(sessions)
        self.entries = an.entries_frame(sessions, library)
        self.checks = an.selfchecks_frame(
            [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]]
        )
        self.phases = an.phases_frame(
            [PhaseStart.model_validate(p) for p in doc["phases"]], TODAY, library
        )

    def all_charts(self, start: dt.date | None = None) -> dict[str, ch.ChartSpec]:
        return {
            "pain": ch.pain_chart(self.sessions, start, TODAY),
            "calendar": ch.adherence_calendar(self.sessions, TODAY),
            "per_week": ch.sessions_per_week_chart(self.sessions, 3, start, TODAY),
            "volume": ch.weekly_volume_chart(self.entries, "reps", start, TODAY),
            "hold": ch.weekly_volume_chart(self.entries, "hold", start, TODAY),
            "squat": ch.exercise_progress_chart(self.entries, "semi_squat", start, TODAY),
            "stance": ch.exercise_progress_chart(self.entries, "single_leg_stance", start, TODAY),
            "akps": ch.akps_chart(self.checks),
            "phases": ch.phase_timeline_chart(self.phases),
        }


@pytest.fixture(scope="module")
def twelve_weeks() -> Frames:
    return Frames(84, 5)


@pytest.fixture(scope="module")
def five_years() -> Frames:
    return Frames(FIVE_YEARS_DAYS, 7)


def units(spec: dict[str, Any], data: str | None = None) -> Iterator[dict[str, Any]]:
    """Every single-view spec (one with a mark) inside a layered or stacked spec.

    Each is yielded with ``_data`` set to the dataset it draws, inherited from the
    nearest parent that names one.
    """
    data = spec.get("data", {}).get("name", data)
    if "mark" in spec:
        yield {**spec, "_data": data}
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            yield from units(child, data)


def views(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The spec and every spec nested in it (layers, stacked panels)."""
    yield spec
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            yield from views(child)


def mark_type(unit: dict[str, Any]) -> str:
    mark = unit["mark"]
    return str(mark["type"] if isinstance(mark, dict) else mark)


def dataset_rows(spec: dict[str, Any]) -> dict[str, int]:
    return {name: len(values) for name, values in spec.get("datasets", {}).items()}


def layer_data(spec: dict[str, Any], unit: dict[str, Any]) -> list[dict[str, Any]]:
    return list(spec["datasets"][unit["_data"]])


# -- every chart ----------------------------------------------------------------------


def test_every_mark_of_every_chart_has_a_tooltip(twelve_weeks: Frames) -> None:
    for name, chart in twelve_weeks.all_charts().items():
        for unit in units(chart.to_dict()):
            assert "tooltip" in unit.get("encoding", {}), f"{name}: {mark_type(unit)} lacks tooltip"


def is_grey(colour: str) -> bool:
    """A neutral: its red, green and blue within 16 of one another."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return max(channels) - min(channels) <= 16


def test_every_chart_uses_only_colour_blind_safe_colours(twelve_weeks: Frames) -> None:
    text = json.dumps([c.to_dict() for c in twelve_weeks.all_charts().values()])
    used = {
        text[i : i + 7].upper()
        for i in range(len(text))
        if text[i] == "#" and text[i + 1 : i + 7].isalnum()
    }
    # Beside Okabe-Ito and greys: the phases' tints of one blue (told apart by
    # lightness, which every kind of colour vision sees) and the lighter blue of the dark theme.
    blues = {*ch.PHASE_TINTS, ch.BLUE_ON_DARK}
    assert {c for c in used - OKABE_ITO - blues if not is_grey(c)} == set()


def test_every_chart_stretches_to_the_container_and_has_no_streamlit_theme(
    twelve_weeks: Frames,
) -> None:
    for name, chart in twelve_weeks.all_charts().items():
        spec = chart.to_dict()
        widths = [v["width"] for v in views(spec) if "width" in v]
        assert widths and set(widths) == {"container"}, name
        assert "streamlit" not in json.dumps(spec).lower(), name


@pytest.mark.parametrize("start", [None, TODAY - dt.timedelta(days=364)])
def test_five_years_of_daily_sessions_keep_every_chart_under_the_row_limit(
    five_years: Frames, start: dt.date | None
) -> None:
    # Altair itself raises MaxRowsError above 5000 rows; the aim is to stay far below.
    for name, chart in five_years.all_charts(start).items():
        rows = dataset_rows(chart.to_dict())
        assert rows, name
        assert max(rows.values()) < ROW_LIMIT / 5, (name, rows)


def test_every_chart_renders_to_png_with_vl_convert_at_a_fixed_width(
    twelve_weeks: Frames, tmp_path: Path
) -> None:
    for name, chart in twelve_weeks.all_charts().items():
        spec = ch.export_spec(chart)
        assert "container" not in json.dumps(spec), name
        png = vlc.vegalite_to_png(spec)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", name
        assert len(png) > 3_000, name


# -- pain -------------------------------------------------------------------------------


def test_pain_bands_come_from_the_pain_rules_and_are_labelled_in_words() -> None:
    bands = ch.zone_bands()
    assert bands["label"].tolist() == [
        f"Green 0-{GREEN_MAX}",
        f"Amber {GREEN_MAX + 1}-{AMBER_MAX}",
        f"Red {AMBER_MAX + 1}-10",
    ]
    # Green from the bottom of the drawn scale (half a rating below 0), red to its top.
    assert bands["high"].tolist() == [GREEN_MAX + 0.5, AMBER_MAX + 0.5, 10.5]
    assert bands["low"].iloc[0] == -0.5
    assert bands["low"].iloc[1:].tolist() == bands["high"].iloc[:-1].tolist()


def test_pain_chart_draws_bands_and_four_pain_lines(twelve_weeks: Frames) -> None:
    spec = ch.pain_chart(twelve_weeks.sessions).to_dict()
    marks = [mark_type(u) for u in units(spec)]
    assert marks.count("rect") == 1 and "line" in marks
    rect = next(u for u in units(spec) if mark_type(u) == "rect")
    assert {row["label"] for row in layer_data(spec, rect)} == {
        "Green 0-3",
        "Amber 4-5",
        "Red 6-10",
    }
    # The four lines (the "During" line's background-coloured casing has no colour scale).
    line = next(u for u in units(spec) if mark_type(u) == "line" and "color" in u["encoding"])
    enc = line["encoding"]
    assert enc["y"]["field"] == "pain"
    # Half a rating of room below 0 and above 10, ticks 0 to 10.
    assert enc["y"]["scale"]["domain"] == [-0.5, 10.5]
    assert enc["y"]["axis"]["values"] == [0, 2, 4, 6, 8, 10]
    assert enc["color"]["field"] == "measure"
    assert enc["color"]["scale"]["domain"] == ["Before", "During", "After", "Next morning"]
    # Lines differ by dash too, so colour is not the only cue.
    assert enc["strokeDash"]["field"] == "measure"
    assert len({json.dumps(d) for d in enc["strokeDash"]["scale"]["range"]}) == 4


def scene_items(node: dict[str, Any], x: float = 0.0) -> Iterator[tuple[str, float, Any]]:
    """Every drawn item of a vl-convert scenegraph: its mark's role (or name), its x from
    the chart's left edge, and its text (None for shapes)."""
    for item in node.get("items", []):
        if "marktype" in item:
            yield from scene_items(item, x)
            continue
        role = node.get("name") or node.get("role", "")
        if node.get("marktype") != "group":
            yield str(role), x + float(item.get("x", 0)), item.get("text")
        yield from scene_items(item, x + float(item.get("x", 0)))


@pytest.mark.parametrize("width", [390, ch.EXPORT_WIDTH])
@pytest.mark.parametrize("days", [84, FIVE_YEARS_DAYS])
def test_the_zone_names_are_drawn_right_of_the_plot_where_no_data_mark_can_be(
    twelve_weeks: Frames, five_years: Frames, width: int, days: int
) -> None:
    frames = twelve_weeks if days == 84 else five_years
    chart = ch.pain_chart(frames.sessions, TODAY - dt.timedelta(days=days - 1), TODAY)
    spec = chart.to_dict()
    # No text mark at all: the zones are named by an axis of their own, on the right...
    assert all(mark_type(u) != "text" for u in units(spec))
    rect = next(u for u in units(spec) if mark_type(u) == "rect")
    names = rect["encoding"]["y"]["axis"]
    assert names["orient"] == "right" and names["values"] == [1.5, 4.5, 8.0]
    assert spec["resolve"]["axis"]["y"] == "independent"
    assert all(
        u["encoding"]["y"]["axis"]["orient"] == "left"
        for u in units(spec)
        if mark_type(u) == "line" and "axis" in u["encoding"]["y"]
    )
    # ...and drawn, on a phone and on paper, past the plot's right edge, which every
    # data mark keeps within.
    scene = vlc.vegalite_to_scenegraph(ch.export_spec(chart, width=width))["scenegraph"]
    plot_width = scene["items"][0]["width"]
    items = list(scene_items(scene))
    named = [(x, text) for role, x, text in items if isinstance(text, list)]
    assert [text for _, text in named] == [["Green", "0-3"], ["Amber", "4-5"], ["Red", "6-10"]]
    assert min(x for x, _ in named) > plot_width
    drawn = [x for role, x, _ in items if role.endswith("_marks")]
    assert drawn and max(drawn) <= plot_width


def test_pain_chart_of_twelve_weeks_plots_each_session(twelve_weeks: Frames) -> None:
    spec = ch.pain_chart(twelve_weeks.sessions).to_dict()
    line = next(u for u in units(spec) if mark_type(u) == "line")
    assert line["encoding"]["x"]["title"] == "Date"
    rows = layer_data(spec, line)
    # Four ratings per session, less any next-morning rating still to come.
    waiting = int(twelve_weeks.sessions["pain_next_morning"].isna().sum())
    assert len(rows) == 4 * len(twelve_weeks.sessions) - waiting


def test_pain_chart_of_five_years_shows_monthly_means(five_years: Frames) -> None:
    spec = ch.pain_chart(five_years.sessions).to_dict()
    line = next(u for u in units(spec) if mark_type(u) == "line")
    assert line["encoding"]["x"]["title"] == "Month"
    tips = {t["title"] for t in line["encoding"]["tooltip"]}
    assert {"Monthly mean /10", "Sessions that month"} <= tips
    assert len(layer_data(spec, line)) <= 4 * 62


def test_pain_chart_honours_the_date_range(twelve_weeks: Frames) -> None:
    start = TODAY - dt.timedelta(days=13)
    spec = ch.pain_chart(twelve_weeks.sessions, start, TODAY).to_dict()
    line = next(u for u in units(spec) if mark_type(u) == "line")
    dates = {pd.Timestamp(r["date"]) for r in layer_data(spec, line)}
    assert min(dates) >= pd.Timestamp(start)


# -- adherence ----------------------------------------------------------------------------


def test_adherence_calendar_shows_at_least_twelve_weeks_of_days(twelve_weeks: Frames) -> None:
    spec = ch.adherence_calendar(twelve_weeks.sessions, TODAY).to_dict()
    (unit,) = units(spec)
    assert mark_type(unit) == "rect"
    enc = unit["encoding"]
    assert enc["y"]["field"] == "weekday"
    assert enc["y"]["scale"]["domain"] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert enc["x"]["field"] == "week"
    assert enc["color"]["field"] == "status"
    rows = layer_data(spec, unit)
    assert len(rows) == 12 * 7  # TODAY is a Sunday: no blank days at the end
    assert sum(r["sessions"] for r in rows) == len(twelve_weeks.sessions)


def test_adherence_calendar_of_an_empty_history_is_all_rest_days() -> None:
    spec = ch.adherence_calendar(an.sessions_frame([]), TODAY).to_dict()
    (unit,) = units(spec)
    assert {r["status"] for r in layer_data(spec, unit)} == {"Rest day"}


def test_sessions_per_week_chart_names_the_plan_line_in_its_legend_not_over_the_bars(
    twelve_weeks: Frames,
) -> None:
    spec = ch.sessions_per_week_chart(twelve_weeks.sessions, planned=6).to_dict()
    rule = next(u for u in units(spec) if mark_type(u) == "rule")
    assert layer_data(spec, rule)[0]["planned"] == 6
    bar = next(u for u in units(spec) if mark_type(u) == "bar")
    statuses = {r["status"] for r in layer_data(spec, bar)}
    assert statuses == {"Below the plan"}  # the demo trains five days a week
    # No text mark inside the plot, where it sat on the bars: the legend names the line.
    assert not [u for u in units(spec) if mark_type(u) == "text"]
    dash = rule["encoding"]["strokeDash"]
    assert dash["field"] == "label" and dash["legend"]["orient"] == "top"
    assert layer_data(spec, rule)[0]["label"] == "Plan: 6 a week"


def test_a_week_still_going_is_not_counted_as_below_the_plan(twelve_weeks: Frames) -> None:
    wednesday = TODAY - dt.timedelta(days=4)
    spec = ch.sessions_per_week_chart(twelve_weeks.sessions, 5, None, wednesday).to_dict()
    bar = next(u for u in units(spec) if mark_type(u) == "bar")
    rows = layer_data(spec, bar)
    assert rows[-1]["status"] == "Week not over"
    assert {r["status"] for r in rows[:-1]} == {"Met the plan"}


def test_sessions_per_week_without_a_plan_is_plain_bars(twelve_weeks: Frames) -> None:
    spec = ch.sessions_per_week_chart(twelve_weeks.sessions).to_dict()
    assert [mark_type(u) for u in units(spec)] == ["bar"]


# -- volume and progression ---------------------------------------------------------------


def test_weekly_volume_is_stacked_by_exercise_phase(twelve_weeks: Frames) -> None:
    spec = ch.weekly_volume_chart(twelve_weeks.entries).to_dict()
    (unit,) = units(spec)
    enc = unit["encoding"]
    assert enc["color"]["field"] == "phase"
    assert (enc["y"]["field"], enc["y2"]["field"]) == ("y1", "y0")
    assert "sets x reps" in enc["y"]["title"]
    rows = layer_data(spec, unit)
    weeks = {r["week"] for r in rows}
    assert len(weeks) == 12
    assert {r["phase"] for r in rows} == {
        "Phase 1",
        "Phase 2",
        "Phase 3",
    }


def test_hold_volume_is_charted_in_minutes_separately(twelve_weeks: Frames) -> None:
    spec = ch.weekly_volume_chart(twelve_weeks.entries, "hold").to_dict()
    (unit,) = units(spec)
    assert unit["encoding"]["y"]["title"] == "Minutes held"
    assert all(r["hold_min"] > 0 for r in layer_data(spec, unit))
    with pytest.raises(ValueError, match="measure"):
        ch.weekly_volume_chart(twelve_weeks.entries, "kg")


def panel_titles(chart: ch.ChartSpec) -> list[str]:
    spec = chart.to_dict()
    return [
        u["encoding"]["y"]["title"]
        for u in units(spec)
        if mark_type(u) == "line" and "y" in u.get("encoding", {})
    ]


def test_bodyweight_exercises_get_reps_and_no_empty_load_line() -> None:
    library = make_library()
    sessions = [
        session(
            TODAY - dt.timedelta(days=d),
            exercises=[
                {"exercise_id": "bridge", "sets": 3, "reps": [10 + d] * 3},
                {"exercise_id": "semi_squat", "sets": 3, "reps": [12] * 3, "load_kg": 0.5 * d},
                {"exercise_id": "quad_set", "sets": 1, "reps": [10 + d], "hold_s": 5.0},
                {"exercise_id": "t_stance", "sets": 3, "reps": [1] * 3, "hold_s": 20.0},
            ],
            sid=f"d{d}",
        )
        for d in range(1, 4)
    ]
    entries = an.entries_frame(sessions, library)
    assert panel_titles(ch.exercise_progress_chart(entries, "bridge")) == ["Best set's reps"]
    assert panel_titles(ch.exercise_progress_chart(entries, "semi_squat")) == [
        "Best set's reps",
        "Load, kg",
    ]
    assert panel_titles(ch.exercise_progress_chart(entries, "quad_set")) == [
        "Best set's reps",
        "Hold, seconds",
    ]
    # One hold per set: a flat "1 rep" line says nothing, so only the hold is shown.
    assert panel_titles(ch.exercise_progress_chart(entries, "t_stance")) == ["Hold, seconds"]


def test_progress_panels_are_separate_charts_that_each_fit_the_screen() -> None:
    library = make_library()
    sessions = [
        session(
            TODAY - dt.timedelta(days=d),
            exercises=[{"exercise_id": "quad_set", "sets": 1, "reps": [10 + d], "hold_s": 5.0}],
            sid=f"d{d}",
        )
        for d in range(1, 4)
    ]
    panels = ch.exercise_progress_panels(an.entries_frame(sessions, library), "quad_set")
    assert len(panels) == 2
    for panel in panels:
        spec = panel.to_dict()
        assert spec["autosize"]["type"] == "fit-x"
        assert spec["width"] == "container"


def test_an_exercise_never_done_gives_a_message_panel_not_a_broken_chart() -> None:
    chart = ch.exercise_progress_chart(an.entries_frame([]), "bridge", name="Bridge")
    spec = chart.to_dict()
    (unit,) = units(spec)
    assert mark_type(unit) == "text"
    assert "No entries of Bridge" in layer_data(spec, unit)[0]["text"]


# -- AKPS and phases ----------------------------------------------------------------------


def test_akps_chart_draws_the_real_change_line_ten_points_above_the_first_score(
    twelve_weeks: Frames,
) -> None:
    spec = ch.akps_chart(twelve_weeks.checks).to_dict()
    rule = next(u for u in units(spec) if mark_type(u) == "rule")
    first = int(twelve_weeks.checks["akps"].iloc[0])
    assert layer_data(spec, rule)[0]["akps"] == first + trends.akps_real_change()
    line = next(u for u in units(spec) if mark_type(u) == "line")
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_akps_chart_with_one_self_check_shows_the_score_and_the_line() -> None:
    checks = an.selfchecks_frame([SelfCheckResult(date=TODAY, urgency="none", phase=1, akps=95)])
    spec = ch.akps_chart(checks).to_dict()
    point = next(u for u in units(spec) if mark_type(u) == "point")
    assert [r["akps"] for r in layer_data(spec, point)] == [95]
    rule = next(u for u in units(spec) if mark_type(u) == "rule")
    assert layer_data(spec, rule)[0]["akps"] == 100  # capped at the top of the scale


def test_phase_timeline_has_one_labelled_bar_per_phase(twelve_weeks: Frames) -> None:
    spec = ch.phase_timeline_chart(twelve_weeks.phases).to_dict()
    bar = next(u for u in units(spec) if mark_type(u) == "bar")
    x = (bar["encoding"]["x"]["field"], bar["encoding"]["x2"]["field"])
    assert x == ("shown_start", "shown_end")
    rows = layer_data(spec, bar)
    assert [r["phase"] for r in rows] == [1, 2, 3]
    # Each bar is named in words by its axis label, drawn inside the plot above the bar.
    y = bar["encoding"]["y"]
    assert y["field"] == "label" and y["axis"]["labelAlign"] == "left"
    assert y["axis"]["labelPadding"] < 0 and y["axis"]["labelLimit"] == 0
    assert all(r["label"].startswith(f"Phase {r['phase']}") for r in rows)


def test_a_single_phase_still_makes_a_readable_timeline() -> None:
    phases = an.phases_frame([PhaseStart(phase=1, started=TODAY)], TODAY)
    spec = ch.phase_timeline_chart(phases).to_dict()
    bar = next(u for u in units(spec) if mark_type(u) == "bar")
    assert layer_data(spec, bar)[0]["days"] == 1
    assert spec["height"] >= 80


def test_kneecore_chart_modules_never_import_streamlit() -> None:
    for module in (an, ch):
        assert "streamlit" not in Path(str(module.__file__)).read_text(encoding="utf-8")


def test_the_pages_unvalidated_arrow_spec_is_the_validated_spec_with_the_same_rows(
    twelve_weeks: Frames,
) -> None:
    # The page skips Altair's schema check at run time (kneecore.charts.arrow_spec):
    # this is the check, for every chart: the same spec as to_dict() validates, and each
    # dataset, sent as Arrow, holds the same rows (dates as zone-less ISO text).
    import pyarrow as pa

    for name, chart in twelve_weeks.all_charts().items():
        plain = chart.to_dict()
        arrow = ch.arrow_spec(chart)
        names = dict(zip(plain["datasets"], arrow["datasets"], strict=True))
        for plain_name, arrow_name in names.items():
            table = pa.ipc.open_stream(arrow["datasets"][arrow_name]).read_all()
            assert table.to_pylist() == plain["datasets"][plain_name], name
        text = json.dumps({k: v for k, v in plain.items() if k != "datasets"})
        for plain_name, arrow_name in names.items():
            text = text.replace(plain_name, arrow_name)
        assert json.loads(text) == {k: v for k, v in arrow.items() if k != "datasets"}, name


def test_charts_are_built_without_altairs_per_object_checks_and_leave_them_as_found() -> None:
    import altair.utils.schemapi as schemapi

    assert schemapi.DEBUG_MODE
    seen: list[bool] = []

    @ch._builder
    def probe() -> None:
        seen.append(schemapi.DEBUG_MODE)

    probe()
    assert seen == [False]
    assert schemapi.DEBUG_MODE


def test_the_page_spec_drawn_once_per_shape_is_the_charts_spec_for_every_history_and_range(
    twelve_weeks: Frames, five_years: Frames
) -> None:
    # page_spec keeps the spec drawn for a view's shape and swaps in the next frames:
    # for other data and ranges it must still be exactly the chart's own spec and rows.
    import pyarrow as pa

    def table(data: bytes) -> pa.Table:
        return pa.ipc.open_stream(data).read_all()

    ch._skeletons.clear()
    for frames in (twelve_weeks, five_years, twelve_weeks):
        for days in (None, 27, 83, 400):
            start = TODAY - dt.timedelta(days=days) if days is not None else None
            prepared = [
                ch.pain_data(frames.sessions, start, TODAY),
                ch.calendar_data(frames.sessions, TODAY, 12),
                ch.sessions_per_week_data(frames.sessions, 3, start, TODAY),
                ch.sessions_per_week_data(frames.sessions, None, start, TODAY),
                ch.weekly_volume_data(frames.entries, "reps", start, TODAY),
                ch.weekly_volume_data(frames.entries, "hold", start, TODAY),
                ch.akps_data(frames.checks),
                ch.phase_timeline_data(frames.phases),
                *ch.exercise_panels_data(frames.entries, "semi_squat", start, TODAY, "Squat"),
                *ch.exercise_panels_data(frames.entries, "single_leg_stance", start, TODAY),
                *ch.exercise_panels_data(frames.entries, "never_done", start, TODAY, "None"),
            ]
            for item in prepared:
                name = item.view.__name__
                built = ch.arrow_spec(item.chart())
                page = ch.page_spec(item)
                assert {k: v for k, v in page.items() if k != "datasets"} == {
                    k: v for k, v in built.items() if k != "datasets"
                }, name
                assert page["datasets"].keys() == built["datasets"].keys(), name
                for key, data in built["datasets"].items():
                    assert table(page["datasets"][key]).equals(table(data)), (name, key)
    # Drawn once per shape (a range's date axis is part of it): fewer specs than charts.
    assert 0 < len(ch._skeletons) < 60


def test_a_view_that_makes_its_own_frame_is_refused_by_the_page_spec() -> None:
    # A frame made inside a view would be kept in the drawn spec for good, stale.
    import altair as alt

    def view(prepared: ch.Prepared) -> ch.ChartSpec:
        return alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")

    with pytest.raises(ValueError, match="drew a frame it was not given"):
        ch.page_spec(ch.Prepared(view, (pd.DataFrame({"x": [2]}),)))
