"""Charts of running: weekly load against knee pain, and the walk-run level over time.

Frames from :mod:`kneecore.running_trends` in, Altair charts out, made in the two steps
of :mod:`kneecore.charts` (a :class:`~kneecore.charts.Prepared` and a view), so the page
draws each once per shape with :func:`kneecore.charts.page_spec` and the report renders
the same chart with vl-convert. Colours, pain line styles and sizing are that module's;
colour is never the only cue: pain lines differ by dash too, and a load-spike week
carries a triangle and the words "Load spike" in the legend and tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import altair as alt
import pandas as pd

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore import running_trends as rt
from kneecore.models import Run

#: Plot heights: the load chart carries two axes and a legend, the level chart less.
LOAD_HEIGHT = 220
LEVEL_HEIGHT = 170
#: Bars in a light tint of blue, so the pain lines over them stay the eye's first stop.
BAR_COLOUR = ch.SKY


def weekly_load_chart(runs: Sequence[Run]) -> ch.ChartSpec:
    """Weekly running minutes as bars, the week's worst pain as lines on a 0-10 axis."""
    return weekly_load_data(rt.weekly_running(runs)).chart()


def weekly_load_data(
    weekly: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> ch.Prepared:
    """What :func:`weekly_load_chart` draws, from :func:`kneecore.running_trends.weekly_running`:
    the weeks of ``start``..``end`` (all when open), on the page's shared date axis."""
    weekly = rt.weeks_in_range(weekly, start, end)
    pains = rt.weekly_pain_long(weekly)
    spikes = weekly[weekly["spike"]].assign(marker=rt.SPIKE_WORD)
    axis = ch.axis_of(weekly["week"], start, end, "week")
    # Big points for a few weeks, small for years of them.
    return ch.Prepared(_load_view, (weekly, pains, spikes), (len(weekly) < 60, axis))


def _week_x(axis: ch.TimeAxis, field: str = "week") -> alt.X:
    return ch._x_axis(axis, field, None)


def _spike_layer(spikes: Any, axis: ch.TimeAxis, tooltip: list[Any]) -> alt.Chart:
    # The spike mark sits on the pain axis's top edge, above any bar: a triangle with
    # the word in its legend entry and tooltip, and the vermillion only helping.
    marker = alt.Shape(
        "marker:N",
        title=None,
        scale=alt.Scale(domain=[rt.SPIKE_WORD], range=["triangle-down"]),
        legend=alt.Legend(orient="bottom"),
    )
    # Hidden from screen readers (aria=False): with no spike the empty mark group is
    # an unnamed graphic (axe: svg-img-alt); the chart's alt text, its legend and the
    # sentence under it say which weeks had one.
    spike: alt.Chart = (
        alt.Chart(spikes)
        .mark_point(filled=True, size=120, color=ch.VERMILLION, opacity=1, aria=False)
        .encode(
            x=_week_x(axis, "mid"),
            y=alt.YDatum(ch.PAIN_MAX, scale=alt.Scale(domain=[0, ch.PAIN_MAX], nice=False)),
            shape=marker,
            tooltip=[*tooltip[:3], alt.Tooltip("marker:N", title="Flag")],
        )
    )
    return spike


def _load_view(prepared: ch.Prepared) -> ch.ChartSpec:
    weekly, pains, spikes = prepared.frames
    few, axis = cast(tuple[bool, ch.TimeAxis], prepared.shape)
    tooltip: list[Any] = [
        alt.Tooltip("week:T", title="Week of", format="%a %d %b %Y"),
        alt.Tooltip("runs:Q", title="Runs"),
        alt.Tooltip("run_min:Q", title="Minutes running", format=".0f"),
        alt.Tooltip("distance_km:Q", title="Distance, km", format=".1f"),
        alt.Tooltip("pain_during:Q", title="Worst pain during /10"),
        alt.Tooltip("pain_morning:Q", title="Worst next morning /10"),
        alt.Tooltip("spike_word:N", title="Flag"),
    ]
    minutes = alt.Y(
        "run_min:Q",
        title="Min/week",
        axis=alt.Axis(orient="left", tickCount=4),
    )
    bars = (
        alt.Chart(weekly)
        .mark_bar(color=BAR_COLOUR, opacity=0.6)
        .encode(
            x=_week_x(axis),
            x2=alt.X2("week_end:T"),
            y=minutes,
            y2=alt.Y2Datum(0),
            tooltip=tooltip,
        )
    )
    order = list(rt.WEEKLY_PAIN.values())
    style = {m: ch.PAIN_STYLE[m] for m in order}
    colour = alt.Color(
        "measure:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[style[m][0] for m in order]),
        legend=alt.Legend(orient="bottom", symbolType="stroke", symbolStrokeWidth=3),
    )
    dash = alt.StrokeDash(
        "measure:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[style[m][1] for m in order]),
    )
    pain_y = alt.Y(
        "pain:Q",
        title="Pain /10",
        scale=alt.Scale(domain=[0, ch.PAIN_MAX], nice=False),
        axis=alt.Axis(orient="right", values=list(range(0, ch.PAIN_MAX + 1, 2))),
    )
    pain_tip = [
        alt.Tooltip("week:T", title="Week of", format="%a %d %b %Y"),
        alt.Tooltip("measure:N", title="Worst pain"),
        alt.Tooltip("pain:Q", title="Pain /10"),
    ]
    pain_base = alt.Chart(pains).encode(x=_week_x(axis, "mid"), y=pain_y, tooltip=pain_tip)
    lines = pain_base.mark_line(strokeWidth=2.5).encode(color=colour, strokeDash=dash)
    points = pain_base.mark_point(filled=True, size=40 if few else 12).encode(
        color=alt.Color("measure:N", sort=order, legend=None)
    )
    spike = _spike_layer(spikes, axis, tooltip)
    pain_layer = alt.layer(lines, points, spike)
    chart = alt.layer(bars, pain_layer).resolve_scale(y="independent")
    return cast(ch.ChartSpec, ch._sized(chart, LOAD_HEIGHT))


def level_chart(runs: Sequence[Run]) -> ch.ChartSpec:
    """The walk-run level of each programme run as a step line (free runs left out)."""
    return level_data(rt.level_points(runs)).chart()


def level_data(
    points: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> ch.Prepared:
    """What :func:`level_chart` draws, from :func:`kneecore.running_trends.level_points`:
    the runs of ``start``..``end`` (all when open)."""
    points = an.in_range(points, start, end)
    axis = ch.axis_of(points["date"], start, end)
    return ch.Prepared(_level_view, (points,), (axis, len(points) < 120))


def _level_view(prepared: ch.Prepared) -> ch.ChartSpec:
    (points,) = prepared.frames
    axis, few = cast(tuple[ch.TimeAxis, bool], prepared.shape)
    base = alt.Chart(points).encode(
        x=ch._x_axis(axis, "date", None),
        y=alt.Y(
            "level:Q",
            title="Level",
            scale=alt.Scale(domain=[1, 9], nice=False),
            axis=alt.Axis(values=[1, 3, 5, 7, 9], tickMinStep=1),
        ),
        tooltip=[
            alt.Tooltip("date:T", title="Run", format="%a %d %b %Y"),
            alt.Tooltip("level:Q", title="Walk-run level"),
            alt.Tooltip("run_min:Q", title="Minutes running", format="g"),
            alt.Tooltip("zone:N", title="Zone"),
        ],
    )
    line = base.mark_line(color=ch.BLUE, strokeWidth=2.5, interpolate="step-after")
    dots = base.mark_point(color=ch.BLUE, filled=True, size=40 if few else 10)
    return cast(ch.ChartSpec, ch._sized(alt.layer(line, dots), LEVEL_HEIGHT))


__all__ = ["level_chart", "level_data", "weekly_load_chart", "weekly_load_data"]
