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
BAR_OPACITY = 0.6
#: The bars' entry in the legend.
BARS_WORD = "Minutes run"
#: The minutes axis has as many steps as the pain axis (0, 2, ... 10: five), so each
#: minutes tick sits on a pain tick and one set of gridlines serves both axes.
MINUTE_STEPS = len(ch.PAIN_TICKS) - 1
#: The highest bar stays at least this share below the top minutes tick.
HEADROOM = 0.05


def minute_step(most: float) -> int:
    """The minutes between two ticks of the load chart's left axis: the smallest round
    step (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40 ...) whose :data:`MINUTE_STEPS`
    steps reach above ``most`` minutes (the longest bar) with :data:`HEADROOM`."""
    need = max(float(most) if most == most else 0.0, 1.0) * (1 + HEADROOM) / MINUTE_STEPS
    scale = 1
    while True:
        for mantissa in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            step = mantissa * scale
            if step == int(step) and step >= need:
                return int(step)
        scale *= 10


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
    # Each bar says what it is (BARS_WORD), for the legend entry of the bars.
    weekly = rt.weeks_in_range(weekly, start, end).assign(bars=BARS_WORD)
    pains = rt.weekly_pain_long(weekly)
    spikes = weekly[weekly["spike"]].assign(marker=rt.SPIKE_WORD)
    axis = ch.axis_of(weekly["week"], start, end, period)
    step = minute_step(weekly["run_min"].max() if len(weekly) else 0.0)
    # Big points for a few weeks, small for years of them.
    return ch.Prepared(_load_view, (weekly, pains, spikes), (len(weekly) < 60, axis, period, step))


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
        # Above the plot, over whose top edge the triangles sit.
        legend=alt.Legend(orient="top"),
    )
    # Hidden from screen readers (aria=False): with no spike the empty mark group is
    # an unnamed graphic (axe: svg-img-alt); the chart's alt text, its legend and the
    # sentence under it say which weeks (months) had one.
    spike: alt.Chart = (
        alt.Chart(spikes)
        .mark_point(filled=True, size=120, color=ch.VERMILLION, opacity=1, aria=False)
        .encode(
            x=_week_x(axis, "mid"),
            y=alt.YDatum(ch.PAIN_MAX, scale=alt.Scale(domain=ch.PAIN_DOMAIN, nice=False)),
            shape=marker,
            tooltip=[*head, alt.Tooltip("marker:N", title="Flag"), *counted],
        )
    )
    return spike


def _period_tip(period: an.BarPeriod) -> alt.Tooltip:
    if period == "month":
        return alt.Tooltip("week:T", title="Month", format="%B %Y")
    return alt.Tooltip("week:T", title="Week of", format=ch.DAY_FORMAT)


def _bars_layer(
    weekly: pd.DataFrame, axis: ch.TimeAxis, period: an.BarPeriod, step: int, tooltip: list[Any]
) -> alt.Chart:
    """The load chart's bars of minutes, on the left axis, named "Minutes run" in a legend."""
    # The minutes scale is the pain scale stretched: 0 on 0, each round step of minutes
    # on a pain tick (and on its gridline), and the same half step of room below 0 and
    # above the top tick, where the longest bar stays clear of the plot's edge.
    unit = step / (ch.PAIN_TICKS[1] - ch.PAIN_TICKS[0])
    minutes = alt.Y(
        "run_min:Q",
        title=f"Min/{period}",
        scale=alt.Scale(
            domain=[ch.PAIN_DOMAIN[0] * unit, ch.PAIN_DOMAIN[1] * unit], nice=False, zero=False
        ),
        axis=alt.Axis(
            orient="left",
            values=[step * i for i in range(MINUTE_STEPS + 1)],
            tickCount=MINUTE_STEPS + 1,
        ),
    )
    bars: alt.Chart = (
        alt.Chart(weekly)
        .mark_bar(color=BAR_COLOUR, opacity=BAR_OPACITY)
        .encode(
            x=_week_x(axis),
            x2=alt.X2("week_end:T"),
            y=minutes,
            y2=alt.Y2Datum(0),
            # The bars named in the legend, beside the pain lines and the spike mark.
            fill=alt.Fill(
                "bars:N",
                title=None,
                scale=alt.Scale(domain=[BARS_WORD], range=[BAR_COLOUR]),
                # Above the plot with the spike mark's entry: three legends in one row
                # under it ran off a phone's width.
                legend=alt.Legend(orient="top", symbolType="square", symbolOpacity=BAR_OPACITY),
            ),
            tooltip=tooltip,
        )
    )
    return bars


def _load_view(prepared: ch.Prepared) -> ch.ChartSpec:
    weekly, pains, spikes = prepared.frames
    few, axis, period, step = cast(tuple[bool, ch.TimeAxis, an.BarPeriod, int], prepared.shape)
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
    bars = _bars_layer(weekly, axis, period, step, tooltip)
    order = list(rt.WEEKLY_PAIN.values())
    style = {m: ch.PAIN_STYLE[m] for m in order}
    colour = alt.Color(
        "measure:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[ch.pain_colour(m) for m in order]),
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
        scale=alt.Scale(domain=ch.PAIN_DOMAIN, nice=False),
        # No gridlines of its own: its ticks sit on the minutes axis's. Every tick
        # labelled: without a tickCount of its own Vega would keep every other one in a
        # short plot (0, 4, 8 on paper), off the minutes axis's gridlines.
        axis=alt.Axis(
            orient="right", values=ch.PAIN_TICKS, tickCount=len(ch.PAIN_TICKS), grid=False
        ),
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
    the runs of ``start``..``end`` (all when open), on an axis from the first programme
    run in the range (:func:`kneecore.charts.data_start`): years of free runs before a
    few weeks of walk-run levels would squash those into the right edge."""
    start = ch.data_start(points["date"], start, end)
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
            # Half a level of room below 1 and above 9: a run of level-1 runs is a line
            # above the axis, not along it.
            scale=alt.Scale(domain=[0.5, 9.5], nice=False),
            axis=alt.Axis(values=[1, 3, 5, 7, 9], tickMinStep=1),
        ),
        tooltip=[
            alt.Tooltip("date:T", title="Run", format=ch.DAY_FORMAT),
            alt.Tooltip("level:Q", title="Walk-run level"),
            alt.Tooltip("run_min:Q", title="Minutes running", format="g"),
            alt.Tooltip("zone:N", title="Zone"),
        ],
    )
    line = base.mark_line(color=ch.blue(), strokeWidth=2.5, interpolate="step-after")
    dots = base.mark_point(color=ch.blue(), filled=True, size=40 if few else 10)
    return cast(ch.ChartSpec, ch._sized(alt.layer(line, dots), LEVEL_HEIGHT))


__all__ = ["level_chart", "level_data", "load_data", "weekly_load_chart", "weekly_load_data"]
