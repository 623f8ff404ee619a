"""Running charts' specs: bars of weekly minutes with distance in the tooltip, worst pains
on a 0-10 axis on the right, spike weeks marked by a symbol and a word, the level as a
step line; valid Vega-Lite, readable on a phone, and fine without runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest
import vl_convert as vlc

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
    assert y["scale"]["domain"] == [0, 10]
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
    assert shape["legend"]["orient"] == "bottom"
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
    assert y["scale"]["domain"] == [1, 9]
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

    for runs in (runs_with_a_spike, runs_with_a_spike[:2], [], runs_with_a_spike):
        for item in (
            cr.weekly_load_data(rt.weekly_running(runs)),
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
