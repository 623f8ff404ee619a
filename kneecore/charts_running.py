"""Charts of running: weekly (or, over long ranges, monthly) load against knee pain, and
the walk-run level over time.

Frames from :mod:`kneecore.running_trends` in, Altair charts out, made in the two steps
of :mod:`kneecore.charts` (a :class:`~kneecore.charts.Prepared` and a view), so the page
draws each once per shape with :func:`kneecore.charts.page_spec` and the report renders
the same chart with vl-convert. Colours, pain line styles and sizing are that module's;
colour is never the only cue: pain lines differ by dash too, and a week (or month)
holding a load-spike run carries a triangle and the words "Load spike" in the legend and
tooltip.
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


def weekly_load_chart(
    runs: Sequence[Run], start: dt.date | None = None, end: dt.date | None = None
) -> ch.ChartSpec:
    """Running minutes as bars, the worst pain as lines on a 0-10 axis: a bar a week, or
    a month over long ranges (:func:`load_data`)."""
    return load_data(runs, start, end).chart()


def load_data(
    runs: Sequence[Run],
    start: dt.date | None = None,
    end: dt.date | None = None,
    spikes: set[str] | None = None,
) -> ch.Prepared:
    """What :func:`weekly_load_chart` draws for ``start``..``end`` (all runs when open).

    A bar a week, or a month when the range is longer than the exercise charts allow
    weekly bars (:func:`kneecore.analytics.bar_period`, their rule; an open range keeps
    weeks, as theirs does). ``spikes``: the load-spike run ids, when the caller has them.
    """
    period = ch._bar_period(start, end)
    return weekly_load_data(rt.period_running(runs, period, spikes), start, end, period)


def weekly_load_data(
    weekly: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    period: an.BarPeriod = "week",
) -> ch.Prepared:
    """What :func:`weekly_load_chart` draws, from :func:`kneecore.running_trends.weekly_running`
    (or, with ``period="month"``, its monthly :func:`~kneecore.running_trends.period_running`):
    the weeks (months) of ``start``..``end`` (all when open), on the page's shared date axis.

    A month holding a load-spike run is marked as a week holding one is: the flag is a
    run's (longer than the longest of the 30 days before it), not a week's total, so it
    says the same of a month; the tooltip counts the month's spike runs.
    """
    weekly = rt.weeks_in_range(weekly, start, end)
    pains = rt.weekly_pain_long(weekly)
    spikes = weekly[weekly["spike"]].assign(marker=rt.SPIKE_WORD)
    axis = ch.axis_of(weekly["week"], start, end, period)
    # Big points for a few weeks, small for years of them.
    return ch.Prepared(_load_view, (weekly, pains, spikes), (len(weekly) < 60, axis, period))


def _week_x(axis: ch.TimeAxis, field: str = "week") -> alt.X:
    return ch._x_axis(axis, field, None)


def _spike_layer(spikes: Any, axis: ch.TimeAxis, head: list[Any], counted: list[Any]) -> alt.Chart:
    """The spike triangles; ``head``: the bars' first tooltip lines (when, runs, minutes),
    ``counted``: the line counting a month's spike runs (none for weeks)."""
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
    # sentence under it say which weeks (months) had one.
    spike: alt.Chart = (
        alt.Chart(spikes)
        .mark_point(filled=True, size=120, color=ch.VERMILLION, opacity=1, aria=False)
        .encode(
            x=_week_x(axis, "mid"),
            y=alt.YDatum(ch.PAIN_MAX, scale=alt.Scale(domain=[0, ch.PAIN_MAX], nice=False)),
            shape=marker,
            tooltip=[*head, alt.Tooltip("marker:N", title="Flag"), *counted],
        )
    )
    return spike


def _period_tip(period: an.BarPeriod) -> alt.Tooltip:
    if period == "month":
        return alt.Tooltip("week:T", title="Month", format="%B %Y")
    return alt.Tooltip("week:T", title="Week of", format="%a %d %b %Y")


def _load_view(prepared: ch.Prepared) -> ch.ChartSpec:
    weekly, pains, spikes = prepared.frames
    few, axis, period = cast(tuple[bool, ch.TimeAxis, an.BarPeriod], prepared.shape)
    head: list[Any] = [
        _period_tip(period),
        alt.Tooltip("runs:Q", title="Runs"),
        alt.Tooltip("run_min:Q", title="Minutes running", format=".0f"),
    ]
    counted: list[Any] = []
    if period == "month":
        counted.append(alt.Tooltip("spike_runs:Q", title="Load-spike runs"))
    tooltip: list[Any] = [
        *head,
        alt.Tooltip("distance_km:Q", title="Distance, km", format=".1f"),
        alt.Tooltip("pain_during:Q", title="Worst pain during /10"),
        alt.Tooltip("pain_morning:Q", title="Worst next morning /10"),
        alt.Tooltip("spike_word:N", title="Flag"),
        *counted,
    ]
    minutes = alt.Y(
        "run_min:Q",
        title=f"Min/{period}",
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
        _period_tip(period),
        alt.Tooltip("measure:N", title="Worst pain"),
        alt.Tooltip("pain:Q", title="Pain /10"),
    ]
    pain_base = alt.Chart(pains).encode(x=_week_x(axis, "mid"), y=pain_y, tooltip=pain_tip)
    lines = pain_base.mark_line(strokeWidth=2.5).encode(color=colour, strokeDash=dash)
    points = pain_base.mark_point(filled=True, size=40 if few else 12).encode(
        color=alt.Color("measure:N", sort=order, legend=None)
    )
    spike = _spike_layer(spikes, axis, head, counted)
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


__all__ = ["level_chart", "level_data", "load_data", "weekly_load_chart", "weekly_load_data"]
