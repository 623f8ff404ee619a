"""Altair chart builders for the progress page and the PDF report.

Pure functions: frames from :mod:`kneecore.analytics` in, Altair charts out. No
Streamlit and no theme inside the specs, so the same chart renders in the app and as a
PNG through vl-convert. Colours are from the Okabe-Ito palette (safe for the common
kinds of colour blindness), and colour is never the only cue: lines also differ by dash,
bands are named in words, and every mark has a tooltip.

Charts use ``width="container"`` so the page can stretch them to the screen (phones
included); :func:`export_spec` gives them a fixed width for PNG rendering.

Each chart is made in two steps: a ``*_data`` function works out its frames and the few
facts about them its spec depends on (a :class:`Prepared`), and a view draws it from
those alone. The public builders do both and return the Altair chart; the page asks
:func:`page_spec` instead, which draws each view once per shape and afterwards only
swaps in the frames: after a save the charts' data changes, their specs do not.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast

import altair as alt
import altair.utils.schemapi as altair_schema
import altair.vegalite.data as alt_data
import numpy as np
import pandas as pd
import pyarrow as pa

from kneecore import analytics as an
from kneecore import trends
from kneecore.models import Zone
from kneecore.pain import AMBER_MAX, GREEN_MAX, load_pain_scale

#: What every builder returns: a single view, a layer of views, or panels stacked.
ChartSpec = alt.Chart | alt.LayerChart | alt.VConcatChart

# Okabe-Ito, the colour-blind-safe palette.
BLUE = "#0072B2"
SKY = "#56B4E9"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#7F7F7F"

#: Pain lines: colour AND dash pattern tell them apart; "During" (the zone rule) is boldest.
#: Columns: colour, dash, width, opacity.
PAIN_STYLE: dict[str, tuple[str, list[int], float, float]] = {
    "Before": (SKY, [2, 3], 1.5, 0.7),
    "During": (BLUE, [1, 0], 3.5, 1.0),
    "After": (ORANGE, [7, 3], 1.5, 0.7),
    "Next morning": (PURPLE, [1, 3], 2.5, 0.9),
}
PHASE_COLOURS = [BLUE, ORANGE, GREEN, GREY]
HEIGHT = 260
EXPORT_WIDTH = 640
PAIN_MAX = 10


_P = ParamSpec("_P")
_R = TypeVar("_R")
_unchecked_lock = threading.Lock()
_unchecked_depth = 0
_checked_before = True


@contextmanager
def _unchecked() -> Iterator[None]:
    """Altair's per-object schema checks off while a chart is built.

    With its debug mode on (the default) Altair validates every channel and mark
    against the Vega-Lite schema as it is made, about half of the time it takes to
    build a chart. The finished spec is validated once by the unit tests
    (``chart.to_dict()``), which is what catches a wrong property. A counter, not
    Altair's own ``debug_mode`` context, because page threads build charts at once and
    a nested save-and-restore of one global would leave it wrong.
    """
    global _unchecked_depth, _checked_before
    with _unchecked_lock:
        if _unchecked_depth == 0:
            _checked_before = altair_schema.DEBUG_MODE
            altair_schema.DEBUG_MODE = False
        _unchecked_depth += 1
    try:
        yield
    finally:
        with _unchecked_lock:
            _unchecked_depth -= 1
            if _unchecked_depth == 0:
                altair_schema.DEBUG_MODE = _checked_before


def _builder(build: Callable[_P, _R]) -> Callable[_P, _R]:
    """A public chart builder: built with :func:`_unchecked`."""

    @functools.wraps(build)
    def built(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _unchecked():
            return build(*args, **kwargs)

    return built


@dataclass(frozen=True, eq=False)
class Prepared:
    """A chart's frames and the facts about them that its spec depends on.

    ``view`` draws the chart from ``frames`` and ``shape`` alone and never reads a value
    out of a frame (whatever it needs from the data, such as a date axis's format or a
    legend's entries, is worked out beforehand and put in ``shape``). So two Prepared
    with the same view and shape have the same spec apart from their data, which is
    what lets :func:`page_spec` draw each view once.
    """

    view: Callable[[Prepared], Any]
    frames: tuple[pd.DataFrame, ...]
    shape: tuple[Hashable, ...] = ()

    def chart(self) -> ChartSpec:
        """The Altair chart (built without Altair's per-object checks)."""
        with _unchecked():
            return cast(ChartSpec, self.view(self))


def _sized(chart: Any, height: int, **more: Any) -> Any:
    """Stretch to the container's width and keep ``height`` for the plot itself.

    Streamlit's default autosize ("fit") counts axes and legends in the height, which
    squeezes the plot to a sliver on a phone; "fit-x" fits only the width. ``more``:
    other top-level properties. Set on ``chart`` itself, which every builder has just
    made: Altair's ``properties()`` would deep-copy the whole chart first.
    """
    chart.width = "container"
    chart.height = height
    chart.autosize = alt.AutoSizeParams(type="fit-x", contains="padding")
    for name, value in more.items():
        setattr(chart, name, value)
    return chart


@dataclass(frozen=True)
class TimeAxis:
    """A date axis for one range: its domain and its ticks, whose labels never repeat.

    Every chart of a range is given the same axis (:func:`time_axis`), so they line up
    and all follow the chosen dates. Frozen and made of dates, so it can be part of a
    :class:`Prepared` shape.
    """

    low: dt.date
    high: dt.date
    ticks: tuple[dt.date, ...]
    #: A d3 time format (what Vega-Lite draws with); Python's strftime reads it too.
    fmt: str


def _month_steps(first: dt.date, last: dt.date, months: int) -> tuple[dt.date, ...]:
    """First days of months from ``first``'s month on, every ``months``, up to ``last``."""
    index = first.year * 12 + first.month - 1
    index += -index % months
    days = []
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        if day >= first:
            days.append(day)
        index += months
    return tuple(days)


def axis_ticks(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, ...], str]:
    """Tick dates and their format for ``start``..``end``: a handful, none reading the same.

    Days up to a week, Mondays ("10 Nov": the week that starts then) up to six weeks,
    every other Monday up to three months, first days of months up to six months
    (month names alone cannot repeat within a year), every third month with its year up
    to a year, every sixth to two years, then years.
    """
    days = (end - start).days + 1
    if days <= 7:
        return tuple(start + dt.timedelta(days=i) for i in range(days)), "%-d %b"
    if days <= 91:
        step = 7 if days <= 42 else 14
        # From the Monday of the first week: its bar starts there.
        monday = start - dt.timedelta(days=start.weekday())
        return tuple(
            monday + dt.timedelta(days=i) for i in range(0, (end - monday).days + 1, step)
        ), "%-d %b"
    if days <= 183:
        return _month_steps(start, end, 1), "%b"
    if days <= 731:
        return _month_steps(start, end, 3 if days <= 366 else 6), "%b %Y"
    years = end.year - start.year
    return _month_steps(start, end, 12 * max(1, -(-years // 6))), "%Y"


def time_axis(start: dt.date, end: dt.date, period: an.Resolution = "day") -> TimeAxis:
    """The axis of a chart of ``start``..``end`` whose marks are ``period`` long.

    Bars of a week or month start on its first day, so the domain reaches back to the
    first period's start and on to the last one's end. Padded on both sides (a thirtieth
    of the span, at least a day), so a few points are never squashed against an edge.
    """
    low = start
    high = end + dt.timedelta(days=1)
    if period == "week":
        low = start - dt.timedelta(days=start.weekday())
        high = max(high, end + dt.timedelta(days=7 - end.weekday()))
    elif period == "month":
        low = start.replace(day=1)
        high = (end.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    pad = dt.timedelta(days=max(1, (high - low).days // 30))
    ticks, fmt = axis_ticks(start, end)
    return TimeAxis(low - pad, high + pad, ticks, fmt)


def axis_of(
    dates: pd.Series,
    start: dt.date | None,
    end: dt.date | None,
    period: an.Resolution = "day",
) -> TimeAxis:
    """:func:`time_axis` of a range, its open ends taken from ``dates`` (today when empty).

    A range given whole gets the axis of its bars (whole weeks, or months beyond six),
    whatever ``period`` the chart's own marks have, so every chart of the range shares
    one domain and their dates line up down the page.
    """
    if start is not None and end is not None:
        return time_axis(start, max(start, end), an.bar_period(start, end))
    known = dates.dropna()
    first = known.min().date() if len(known) else dt.date.today()
    last = known.max().date() if len(known) else first
    low = start if start is not None else first
    return time_axis(low, max(low, end if end is not None else last), period)


def _date_time(day: dt.date) -> Any:
    # A DateTime object: Vega-Lite reads it in local time, as it reads the frames' dates.
    return alt.DateTime(year=day.year, month=day.month, date=day.day)


def _x_axis(axis: TimeAxis, field: str = "date", title: str | None = "Date", **more: Any) -> alt.X:
    """An x channel over ``axis``: its padded domain, its ticks and its format."""
    return alt.X(
        f"{field}:T",
        title=title,
        scale=alt.Scale(domain=[_date_time(axis.low), _date_time(axis.high)], nice=False),
        axis=alt.Axis(
            values=[_date_time(d) for d in axis.ticks],
            format=axis.fmt,
            labelAngle=0,
            labelOverlap="greedy",
            grid=True,
            **more,
        ),
    )


def zone_bands() -> pd.DataFrame:
    """The Pain Monitoring Model's bands, from the thresholds in :mod:`kneecore.pain`.

    Labels and phrases come from ``content/pain_scale.yaml``, as on the page's badges.
    """
    # Bands meet half-way between whole-number ratings, so a weekly mean of 3.4 sits in
    # green and 3.6 in amber, as the nearest whole rating would.
    zones = load_pain_scale().zones
    bands: list[tuple[Zone, int, int, float, float, str]] = [
        # zone, first and last rating, band bottom and top, colour
        ("green", 0, GREEN_MAX, 0.0, GREEN_MAX + 0.5, GREEN),
        ("amber", GREEN_MAX + 1, AMBER_MAX, GREEN_MAX + 0.5, AMBER_MAX + 0.5, ORANGE),
        ("red", AMBER_MAX + 1, PAIN_MAX, AMBER_MAX + 0.5, float(PAIN_MAX), VERMILLION),
    ]
    return pd.DataFrame(
        [
            {
                "zone": z,
                "label": f"{zones[z].label} {first}-{last}",
                "name": zones[z].label,
                "ratings": f"{first}-{last}",
                "meaning": zones[z].short,
                "low": low,
                "high": high,
                "colour": colour,
            }
            for z, first, last, low, high, colour in bands
        ]
    )


#: A zone band's name on the pain chart's right-hand axis: the rating at the band's
#: middle (where its name sits), its upper edge, and the name's two lines ("Amber", "4-5").
BandName = tuple[float, float, str, str]


def band_names(bands: pd.DataFrame) -> tuple[BandName, ...]:
    """Where each zone band (:func:`zone_bands`) is named, and with what words."""
    return tuple(
        ((low + high) / 2, high, name, ratings)
        for low, high, name, ratings in bands[["low", "high", "name", "ratings"]].itertuples(
            index=False
        )
    )


def _band_names_expr(names: tuple[BandName, ...]) -> str:
    """A Vega expression naming the band a tick (``datum.value``) lies in, on two lines."""
    expr = json.dumps([names[-1][2], names[-1][3]])
    for _, high, name, ratings in reversed(names[:-1]):
        expr = f"datum.value < {high} ? {json.dumps([name, ratings])} : {expr}"
    return expr


def _band_marks(bands: pd.DataFrame, names: tuple[BandName, ...]) -> alt.Chart:
    """The zone bands' tints (``bands``: :func:`zone_bands`), named in words on an axis of
    their own on the right, to lay under a chart's own marks.

    The names are axis labels, outside the plot: nothing drawn from the data can cover
    them, nor they the data (as text inside the bands did, over lines in their corner).
    Being labels, they take the light or dark theme's text colour, beside the band's own
    tint; two short lines ("Amber" over "4-5") keep the axis narrow on a phone.
    """
    tooltip = [alt.Tooltip("label:N", title="Zone"), alt.Tooltip("meaning:N", title="Means")]
    axis = alt.Axis(
        orient="right",
        title=None,
        values=[mid for mid, _, _, _ in names],
        labelExpr=_band_names_expr(names),
        labelFontSize=12,
        labelFontWeight="bold",
        labelBaseline="middle",
        labelOverlap=False,
        labelPadding=4,
        labelLineHeight=14,
        labelLimit=0,
        ticks=False,
        domain=False,
        grid=False,
    )
    tints: alt.Chart = (
        alt.Chart(bands)
        .mark_rect(opacity=0.16)
        .encode(
            y=alt.Y("low:Q", axis=axis),
            y2=alt.Y2("high:Q"),
            # Each band's own colour (no scale).
            color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=tooltip,
        )
    )
    return tints


_PERIOD_TITLE = {"day": "Date", "week": "Week", "month": "Month"}
_PERIOD_TIP = {"day": "Date", "week": "Week of", "month": "Month"}
_PERIOD_MEAN = {"day": "Rating /10", "week": "Weekly mean /10", "month": "Monthly mean /10"}


_BAR_TITLE = {"week": "Week of", "month": "Month"}


def _with_week_end(data: pd.DataFrame, period: an.BarPeriod = "week") -> pd.DataFrame:
    # Bars span their week (Monday to Saturday night) or month (to its last day but
    # one), so they read as periods, not days, with a gap between neighbours.
    if period == "month":
        ends = (data["week"] + pd.offsets.MonthEnd(0)) - pd.Timedelta(days=1)
        return data.assign(week_end=ends)
    return data.assign(week_end=data["week"] + pd.Timedelta(days=6))


def _week_bar_x(axis: TimeAxis, period: an.BarPeriod = "week") -> tuple[alt.X, alt.X2]:
    return _x_axis(axis, "week", _BAR_TITLE[period]), alt.X2("week_end:T")


def _bar_period(start: dt.date | None, end: dt.date | None) -> an.BarPeriod:
    return an.bar_period(start, end) if start is not None and end is not None else "week"


def _date_tip(res: an.Resolution, field: str = "date") -> alt.Tooltip:
    fmt = "%B %Y" if res == "month" else "%a %d %b %Y"
    return alt.Tooltip(f"{field}:T", title=_PERIOD_TIP[res], format=fmt)


def pain_chart(
    sessions_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> ChartSpec:
    """Pain before, during, after and next morning over the green/amber/red bands.

    Ranges longer than :data:`kneecore.analytics.DAILY_MAX_DAYS` are charted as weekly
    means, and beyond two years as monthly means, so five years of daily sessions come
    to a few hundred rows.
    """
    return pain_data(sessions_df, start, end).chart()


def pain_data(
    sessions_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> Prepared:
    """What :func:`pain_chart` draws."""
    data, res = an.pain_long(sessions_df, start, end)
    axis = axis_of(sessions_df["date"], start, end, res)
    bands = zone_bands()
    # Big points for a few hundred rows at most, small beyond.
    return Prepared(_pain_view, (bands, data), (res, len(data) < 400, axis, band_names(bands)))


def _pain_view(prepared: Prepared) -> ChartSpec:
    bands, data = prepared.frames
    res, few, axis, names = cast(
        tuple[an.Resolution, bool, TimeAxis, tuple[BandName, ...]], prepared.shape
    )
    order = list(PAIN_STYLE)
    colour = alt.Color(
        "measure:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[PAIN_STYLE[m][0] for m in order]),
        # Two columns so "Next morning" is not cut off at a phone's width.
        legend=alt.Legend(orient="bottom", columns=2, symbolType="stroke", symbolStrokeWidth=3),
    )
    # Same field and title as the colour, so Vega-Lite merges them into one legend
    # that shows each line's colour and dash together.
    dash = alt.StrokeDash(
        "measure:N",
        title=None,
        sort=order,
        scale=alt.Scale(domain=order, range=[PAIN_STYLE[m][1] for m in order]),
    )
    width = alt.StrokeWidth(
        "measure:N",
        scale=alt.Scale(domain=order, range=[PAIN_STYLE[m][2] for m in order]),
        legend=None,
    )
    opacity = alt.Opacity(
        "measure:N",
        scale=alt.Scale(domain=order, range=[PAIN_STYLE[m][3] for m in order]),
        legend=None,
    )
    tooltip: list[Any] = [
        _date_tip(res),
        alt.Tooltip("measure:N", title="Pain"),
        alt.Tooltip("pain:Q", title=_PERIOD_MEAN[res], format=".1f"),
    ]
    if res != "day":
        tooltip.append(alt.Tooltip("sessions:Q", title=f"Sessions that {res}"))
    y = alt.Y(
        "pain:Q",
        title="Pain (0-10)",
        scale=alt.Scale(domain=[0, PAIN_MAX], nice=False),
        axis=alt.Axis(orient="left", values=list(range(0, PAIN_MAX + 1, 2))),
    )
    x = _x_axis(axis, "date", _PERIOD_TITLE[res])
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    lines = base.mark_line(interpolate="linear" if res == "day" else "monotone").encode(
        color=colour, strokeDash=dash, strokeWidth=width, opacity=opacity
    )
    # Points on the "During" line only: it is the one the zones are judged by, and the
    # points give its tooltips a target without cluttering the other three lines.
    points = base.transform_filter(alt.datum.measure == "During").mark_point(
        filled=True, size=30 if few else 12, color=BLUE, opacity=1
    )
    return cast(
        ChartSpec,
        _sized(
            # One pain scale for the bands and the lines, with an axis each: ratings on
            # the left, the bands' names on the right.
            alt.layer(_band_marks(bands, names), alt.layer(lines, points)),
            HEIGHT,
            resolve=alt.Resolve(
                axis=alt.AxisResolveMap(y="independent"),
                # The bands' colours are literal (no scale): keep them out of the legend.
                scale=alt.ScaleResolveMap(color="independent"),
            ),
        ),
    )


#: Calendar cell categories and their colours (light grey to dark blue).
DAY_STATUS = {"Rest day": GREY, "1 session": SKY, "2 or more": BLUE}


def _day_status(count: int) -> str:
    return "Rest day" if count == 0 else "1 session" if count == 1 else "2 or more"


def adherence_calendar(
    sessions_df: pd.DataFrame, end: dt.date | None = None, weeks: int = 12
) -> ChartSpec:
    """A calendar heat map: one square per day, weeks across, Monday to Sunday down."""
    return calendar_data(sessions_df, end, weeks).chart()


def calendar_data(
    sessions_df: pd.DataFrame, end: dt.date | None = None, weeks: int = 12
) -> Prepared:
    """What :func:`adherence_calendar` draws."""
    if end is None:
        end = sessions_df["date"].max().date() if not sessions_df.empty else dt.date.today()
    grid = an.daily_counts(sessions_df, end, weeks)
    grid = grid[~grid["future"]].copy()
    grid["status"] = grid["sessions"].map(_day_status)
    return Prepared(_calendar_view, (grid,))


def _calendar_view(prepared: Prepared) -> ChartSpec:
    (grid,) = prepared.frames
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    chart = (
        alt.Chart(grid)
        .mark_rect(cornerRadius=2)
        .encode(
            # Gaps between squares come from band padding, not a white stroke, so the
            # grid looks the same on a light and a dark background.
            x=alt.X(
                "yearmonthdate(week):O",
                title=None,
                scale=alt.Scale(paddingInner=0.12),
                axis=alt.Axis(format="%d %b", labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y(
                "weekday:N",
                sort=days,
                title=None,
                scale=alt.Scale(domain=days, paddingInner=0.12),
            ),
            # Rest days are a faint grey: light on a light page, dark on a dark one.
            opacity=alt.OpacityValue(
                1.0, condition={"test": alt.datum.sessions == 0, "value": 0.3}
            ),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=list(DAY_STATUS), range=list(DAY_STATUS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
                alt.Tooltip("sessions:Q", title="Sessions"),
            ],
        )
    )
    chart = _sized(chart, 7 * 24)
    return cast(ChartSpec, chart)


def sessions_per_week_chart(
    sessions_df: pd.DataFrame,
    planned: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ChartSpec:
    """Bars of sessions per week against the planned number (a labelled dashed line)."""
    return sessions_per_week_data(sessions_df, planned, start, end).chart()


def sessions_per_week_data(
    sessions_df: pd.DataFrame,
    planned: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Prepared:
    """What :func:`sessions_per_week_chart` draws.

    Ranges longer than :data:`kneecore.analytics.BARS_WEEKLY_MAX_DAYS` get one bar a
    month, as high as that month's mean sessions per week (so the plan line still
    applies).
    """
    period = _bar_period(start, end)
    if period == "month" and start is not None and end is not None:
        data = an.monthly_sessions(sessions_df, start, end)
    else:
        data = an.weekly_sessions(sessions_df, start, end)
    axis = axis_of(data["week"], start, end, period)
    data = _with_week_end(data, period)
    if planned:
        # A week still going is not "below the plan" yet: it gets its own grey label.
        not_over = f"{period.capitalize()} not over"
        data["status"] = [
            "Met the plan" if n >= planned else "Below the plan" if done else not_over
            for n, done in zip(data["sessions"], data["complete"], strict=True)
        ]
        plan = pd.DataFrame({"planned": [planned], "label": [f"Plan: {planned} a week"]})
        return Prepared(_per_week_view, (data, plan), (True, period, axis))
    data["status"] = "Sessions"
    return Prepared(_per_week_view, (data,), (False, period, axis))


def _per_week_view(prepared: Prepared) -> ChartSpec:
    data = prepared.frames[0]
    planned, period, axis = cast(tuple[bool, an.BarPeriod, TimeAxis], prepared.shape)
    if planned:
        status_domain = ["Met the plan", "Below the plan", f"{period.capitalize()} not over"]
        status_range = [BLUE, ORANGE, GREY]
    else:
        status_domain, status_range = ["Sessions"], [BLUE]
    x, x2 = _week_bar_x(axis, period)
    tip: list[Any] = [_date_tip(period, "week"), alt.Tooltip("sessions:Q", title="Sessions")]
    if period == "month":
        tip = [
            _date_tip(period, "week"),
            alt.Tooltip("count:Q", title="Sessions"),
            alt.Tooltip("sessions:Q", title="Per week, on average", format=".1f"),
        ]
    title = "Sessions a week" if period == "month" else "Sessions"
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            x2=x2,
            y=alt.Y("sessions:Q", title=title, axis=alt.Axis(tickMinStep=1)),
            y2=alt.Y2Datum(0),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=status_domain, range=status_range),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[*tip, alt.Tooltip("status:N", title="Against plan")],
        )
    )
    if not planned:
        return cast(ChartSpec, _sized(bars, 180))
    plan = prepared.frames[1]
    # The plan is named in a legend above the plot, never as text over the bars (a
    # label on the line sat on top of whichever bars reached it); above, not beside the
    # status legend, where a phone's width cut it off.
    dash = alt.StrokeDash(
        "label:N",
        title=None,
        scale=alt.Scale(range=[[5, 3]]),
        legend=alt.Legend(
            orient="top", symbolType="stroke", symbolStrokeColor=PURPLE, symbolStrokeWidth=2
        ),
    )
    rule = (
        alt.Chart(plan)
        .mark_rule(color=PURPLE, strokeWidth=2)
        .encode(
            y=alt.Y("planned:Q"), strokeDash=dash, tooltip=[alt.Tooltip("label:N", title="Plan")]
        )
    )
    return cast(ChartSpec, _sized(alt.layer(bars, rule), 180))


def weekly_volume_chart(
    entries_df: pd.DataFrame,
    measure: str = "reps",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> ChartSpec:
    """Weekly training volume stacked by the exercises' phase.

    ``measure="reps"``: sets x reps of rep-based work; ``measure="hold"``: minutes held
    in isometric and balance work (holds are not reps, so they get their own chart).
    """
    return weekly_volume_data(entries_df, measure, start, end).chart()


def _phase_palette() -> dict[str, str]:
    palette = {an.phase_group(p): PHASE_COLOURS[p - 1] for p in (1, 2, 3)}
    palette[an.phase_group(0)] = GREY
    return palette


def weekly_volume_data(
    entries_df: pd.DataFrame,
    measure: str = "reps",
    start: dt.date | None = None,
    end: dt.date | None = None,
    weekly: pd.DataFrame | None = None,
) -> Prepared:
    """What :func:`weekly_volume_chart` draws. ``weekly``: the same entries' and range's
    :func:`kneecore.analytics.weekly_volume`, when the caller has worked it out already
    (the reps and hold charts share it)."""
    if measure not in ("reps", "hold"):
        raise ValueError(f"measure: must be 'reps' or 'hold', got {measure!r}")
    period = _bar_period(start, end)
    if weekly is None or period == "month":
        data = an.period_volume(entries_df, start, end, period)
    else:
        data = weekly
    axis = axis_of(entries_df["date"] if data.empty else data["week"], start, end, period)
    field = "hold_min" if measure == "hold" else "reps"
    data = data[data[field] > 0]
    groups = set(data["phase"].unique()) if not data.empty else set()
    palette = _phase_palette()
    domain = [g for g in palette if g in groups] or list(palette)[:1]
    # Stacked by hand: Vega-Lite cannot stack bars that span x..x2, so each phase's
    # bar runs from the total of the phases below it (y0) to that plus its own (y1).
    data = _with_week_end(data, period).sort_values(["week", "phase"])
    # Running totals within each week, with NumPy (pandas' grouped cumsum costs more).
    values = data[field].to_numpy()
    weeks = data["week"].to_numpy()
    total = np.cumsum(values)
    first_of_week = np.maximum.accumulate(
        np.where(np.r_[True, weeks[1:] != weeks[:-1]], np.arange(len(values)), 0)
    )
    data["y1"] = total - (total - values)[first_of_week]
    data["y0"] = data["y1"] - values
    return Prepared(_volume_view, (data,), (measure, tuple(domain), period, axis))


def _volume_view(prepared: Prepared) -> ChartSpec:
    (data,) = prepared.frames
    measure, domain, period, axis = cast(
        tuple[str, tuple[str, ...], an.BarPeriod, TimeAxis], prepared.shape
    )
    field, title = ("reps", "Reps (sets x reps)")
    if measure == "hold":
        field, title = ("hold_min", "Minutes held")
    palette = _phase_palette()
    x, x2 = _week_bar_x(axis, period)
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            x2=x2,
            y=alt.Y("y1:Q", title=title),
            y2=alt.Y2("y0:Q"),
            color=alt.Color(
                "phase:N",
                title=None,
                scale=alt.Scale(domain=list(domain), range=[palette[g] for g in domain]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                _date_tip(period, "week"),
                alt.Tooltip("phase:N", title="Exercises"),
                alt.Tooltip(f"{field}:Q", title=title, format=",.0f" if field == "reps" else ".1f"),
            ],
        )
    )
    return cast(ChartSpec, _sized(chart, 180))


PANEL_HEIGHT = 130


_PANEL_STYLES = {
    # measure -> colour, axis title
    "Reps per set": (BLUE, "Best set's reps"),
    "Hold (s)": (ORANGE, "Hold, seconds"),
    "Load (kg)": (GREEN, "Load, kg"),
}


def exercise_panels_data(
    entries_df: pd.DataFrame,
    exercise_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    name: str | None = None,
) -> list[Prepared]:
    """What :func:`exercise_progress_panels` draws, one per panel."""
    data, res = an.exercise_progress(entries_df, exercise_id, start, end)
    holds = bool((data["measure"] == "Hold (s)").any())
    # The whole range on the x axis, so a gap shows when the exercise was (not) done.
    axis = axis_of(data["date"], start, end, res)
    panels = []
    for measure in _PANEL_STYLES:
        part = data[data["measure"] == measure]
        if part.empty:
            continue
        if measure == "Reps per set" and holds and part["value"].max() <= 1:
            # "3 x 30 s" work is one hold per set: its reps line would be flat at 1.
            continue
        panels.append(Prepared(_panel_view, (part,), (measure, res, len(part) < 200, axis)))
    if not panels:
        # An explicit message panel rather than an empty or broken chart.
        text = pd.DataFrame({"text": [f"No entries of {name or exercise_id} yet"]})
        panels.append(Prepared(_panel_view, (text,), ("message",)))
    return panels


def _panel_layer(prepared: Prepared) -> Any:
    """One panel, unsized: a line with points, or the message of an exercise never done."""
    (part,) = prepared.frames
    if prepared.shape[0] == "message":
        return (
            alt.Chart(part)
            .mark_text(fontSize=13)
            .encode(text=alt.Text("text:N"), tooltip=[alt.Tooltip("text:N")])
        )
    measure, res, few, axis = cast(tuple[str, an.Resolution, bool, TimeAxis], prepared.shape)
    colour, title = _PANEL_STYLES[measure]
    x = _x_axis(axis, "date", _PERIOD_TITLE[res])
    base = alt.Chart(part).encode(
        x=x,
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=True)),
        tooltip=[
            _date_tip(res),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip(
                "value:Q", title="Value" if res == "day" else f"Best that {res}", format="g"
            ),
        ],
    )
    line = base.mark_line(color=colour, strokeWidth=2.5, interpolate="step-after")
    points = base.mark_point(color=colour, filled=True, size=30 if few else 8)
    return alt.layer(line, points)


def _panel_view(prepared: Prepared) -> ChartSpec:
    return cast(ChartSpec, _sized(_panel_layer(prepared), PANEL_HEIGHT))


def exercise_progress_panels(
    entries_df: pd.DataFrame,
    exercise_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    name: str | None = None,
) -> list[ChartSpec]:
    """One exercise's reps per set, hold seconds and load: one small chart per measure.

    Only measures the exercise has get a chart: bodyweight work shows reps (and holds)
    with no empty load line. Long ranges show the best of each week or month. Separate
    charts (rather than one stacked chart) so each can stretch to a phone's width.
    """
    return [p.chart() for p in exercise_panels_data(entries_df, exercise_id, start, end, name)]


@_builder
def exercise_progress_chart(
    entries_df: pd.DataFrame,
    exercise_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    name: str | None = None,
) -> ChartSpec:
    """The panels of :func:`exercise_progress_panels` stacked in one chart (for reports)."""
    panels = [
        _panel_layer(p).properties(width="container", height=PANEL_HEIGHT)
        for p in exercise_panels_data(entries_df, exercise_id, start, end, name)
    ]
    return cast(ChartSpec, alt.vconcat(*panels, spacing=8))


def akps_chart(
    checks_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> ChartSpec:
    """AKPS over time (0-100, higher is better) with the 10-point real-change line.

    The dashed line sits 10 points above the first score: rising past it is a change
    big enough to matter, not noise.
    """
    return akps_data(checks_df, start, end).chart()


def akps_data(
    checks_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> Prepared:
    """What :func:`akps_chart` draws: the self-checks of ``start``..``end``.

    The real-change line stays 10 points above the very first score, in the range or not.
    """
    data = an.in_range(checks_df, start, end).copy()
    axis = axis_of(checks_df["date"] if data.empty else data["date"], start, end)
    # Numbers on the first and latest score only: dozens of labels would overlap.
    data["shown"] = ""
    if checks_df.empty:
        return Prepared(_akps_view, (data,), (axis,))
    if not data.empty:
        shown = data["akps"].iloc[[0, -1]].astype(str).to_numpy()
        data.loc[data.index[[0, -1]], "shown"] = shown
    target = min(100, int(checks_df["akps"].iloc[0]) + trends.akps_real_change())
    ref = pd.DataFrame({"akps": [target], "label": [f"Real change: {target}"]})
    return Prepared(_akps_view, (data, ref), (axis,))


def _akps_view(prepared: Prepared) -> ChartSpec:
    data = prepared.frames[0]
    (axis,) = cast(tuple[TimeAxis], prepared.shape)
    y = alt.Y("akps:Q", title="AKPS (0-100)", scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("date:T", title="Self-check", format="%a %d %b %Y"),
        alt.Tooltip("akps:Q", title="AKPS /100"),
    ]
    base = alt.Chart(data).encode(
        x=_x_axis(axis),
        y=y,
        tooltip=tooltip,
    )
    layers: list[Any] = [
        base.mark_line(color=BLUE, strokeWidth=3),
        base.mark_point(color=BLUE, filled=True, size=80),
        base.mark_text(dy=-14, fontSize=12, fontWeight="bold", color=BLUE).encode(
            text=alt.Text("shown:N")
        ),
    ]
    if len(prepared.frames) > 1:
        # The real-change line and its label.
        # Named in the legend under the plot, not by text on the line, which sat on
        # the scores it crossed.
        ref = prepared.frames[1]
        dash = alt.StrokeDash(
            "label:N",
            title=None,
            scale=alt.Scale(range=[[6, 4]]),
            legend=alt.Legend(
                orient="bottom", symbolType="stroke", symbolStrokeColor=GREEN, symbolStrokeWidth=2
            ),
        )
        layers.append(
            alt.Chart(ref)
            .mark_rule(color=GREEN, strokeWidth=2)
            .encode(
                y=alt.Y("akps:Q"), strokeDash=dash, tooltip=[alt.Tooltip("label:N", title="Line")]
            )
        )
    return cast(ChartSpec, _sized(alt.layer(*layers), 220))


def phase_timeline_chart(
    phases_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> ChartSpec:
    """When each phase started and how long it lasted, one bar per stretch of time."""
    return phase_timeline_data(phases_df, start, end).chart()


def phase_timeline_data(
    phases_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> Prepared:
    """What :func:`phase_timeline_chart` draws: the stretches within ``start``..``end``,
    cut at its edges (the tooltip keeps each stretch's own start and length)."""
    data = phases_df
    if start is not None:
        data = data[data["end"] >= pd.Timestamp(start)]
    if end is not None:
        data = data[data["start"] <= pd.Timestamp(end)]
    data = data.copy()
    data["shown_start"] = data["start"]
    data["shown_end"] = data["end"] + pd.Timedelta(days=1)
    # Cut at the range's edges (``where`` keeps the datetime column's type, as mypy sees it).
    if start is not None:
        first = pd.Timestamp(start)
        data["shown_start"] = data["start"].where(data["start"] >= first, first)
    if end is not None:
        last = pd.Timestamp(end) + pd.Timedelta(days=1)
        data["shown_end"] = data["shown_end"].where(data["shown_end"] <= last, last)
    data["status"] = data["current"].map(lambda c: "current phase" if c else "done")
    axis = axis_of(pd.concat([data["start"], data["end"]]), start, end)
    return Prepared(_phases_view, (data,), (axis, max(80, 48 * len(data))))


def _phases_view(prepared: Prepared) -> ChartSpec:
    (data,) = prepared.frames
    axis, height = cast(tuple[TimeAxis, int], prepared.shape)
    colour = alt.Color(
        "phase:O",
        title="Phase",
        scale=alt.Scale(domain=[1, 2, 3], range=PHASE_COLOURS[:3]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("label:N", title="Phase"),
        alt.Tooltip("start:T", title="Started", format="%a %d %b %Y"),
        alt.Tooltip("days:Q", title="Days"),
        alt.Tooltip("status:N", title="Status"),
    ]
    # The phase is named above its bar: colour is never the only cue. The names are the
    # y axis's labels, moved inside the plot above each bar, so they take the light or
    # dark theme's text colour (a text mark would stay black on a dark background) and
    # start at the left edge, never running off the right of a narrow screen.
    names = alt.Axis(
        title=None,
        domain=False,
        ticks=False,
        grid=False,
        labelAlign="left",
        labelBaseline="bottom",
        labelPadding=-2,
        labelOffset=-12,
        labelFontSize=12,
        labelFontWeight="bold",
        labelLimit=0,
    )
    bars = (
        alt.Chart(data)
        .mark_bar(cornerRadius=3, height=22)
        .encode(
            y=alt.Y("label:N", sort=alt.SortField("start"), axis=names),
            x=_x_axis(axis, "shown_start", None),
            x2=alt.X2("shown_end:T"),
            color=colour,
            tooltip=tooltip,
        )
    )
    return cast(ChartSpec, _sized(bars, height))


class _ArrowData(threading.local):
    """Per thread: the datasets of the spec :func:`arrow_spec` is making, else None."""

    collected: dict[int, tuple[str, bytes]] | None = None


_arrow_data = _ArrowData()


def _arrow_or_values(data: Any) -> Any:
    """Altair's data transformer for this package's charts.

    Inside :func:`arrow_spec` a DataFrame goes straight to Arrow (one C pass over its
    columns) and the spec names it; everywhere else Altair's default (inline values,
    as the PDF report's renderer needs) is used.
    """
    collected = _arrow_data.collected
    if collected is None or not isinstance(data, pd.DataFrame):
        return alt_data.default_data_transformer(data)
    if id(data) not in collected:
        collected[id(data)] = (f"data-{len(collected)}", _frame_arrow(data))
    return {"name": collected[id(data)][0]}


alt.data_transformers.register("kneecare_arrow", _arrow_or_values)
alt.data_transformers.enable("kneecare_arrow")


def arrow_spec(chart: ChartSpec) -> dict[str, Any]:
    """The chart as a Vega-Lite spec whose named datasets are Arrow IPC streams.

    For the page, drawn with ``st.vega_lite_chart``: Arrow is the form in which
    Streamlit sends chart data to the browser. The spec is not validated against the
    Vega-Lite schema here: that takes 30 to 80 ms a chart, every builder's spec is
    validated by the unit tests (``chart.to_dict()``), and the data that varies at run
    time goes into the datasets, which the schema does not check.
    """
    collected: dict[int, tuple[str, bytes]] = {}
    _arrow_data.collected = collected
    try:
        with _unchecked():
            spec: dict[str, Any] = chart.to_dict(validate=False)
    finally:
        _arrow_data.collected = None
    datasets = {name: _arrow(rows) for name, rows in spec.get("datasets", {}).items()}
    datasets.update(collected.values())
    if datasets:
        spec["datasets"] = datasets
    return spec


#: Drawn specs kept by :func:`page_spec`: a handful of views, each in a few shapes.
_SKELETONS_MAX = 64
_Skeleton = tuple[dict[str, Any], tuple[tuple[str, int], ...]]
_skeletons: dict[tuple[Any, ...], _Skeleton] = {}


def page_spec(prepared: Prepared) -> dict[str, Any]:
    """:func:`arrow_spec` of ``prepared.chart()``, drawing the chart only for a new shape.

    The spec of a view depends on its shape and not on its frames' values
    (:class:`Prepared`), so the spec drawn for one shape, without its datasets, is kept
    and reused with the next frames: a new session costs the frames' Arrow encoding,
    not a new Altair chart (building and converting one costs 10 to 40 ms).
    """
    key = (prepared.view, prepared.shape)
    found = _skeletons.get(key)
    if found is None:
        found = _skeleton(prepared)
        if len(_skeletons) >= _SKELETONS_MAX:
            _skeletons.clear()
        _skeletons[key] = found
    template, slots = found
    spec: dict[str, Any] = _json_copy(template)
    if slots:
        datasets = dict(spec.get("datasets", {}))
        datasets.update((name, _frame_arrow(prepared.frames[i])) for name, i in slots)
        spec["datasets"] = datasets
    return spec


def _skeleton(prepared: Prepared) -> _Skeleton:
    """The spec of ``prepared`` without the datasets of its frames, and which frame
    goes in which dataset."""
    collected: dict[int, tuple[str, bytes]] = {}
    _arrow_data.collected = collected
    try:
        spec = prepared.chart().to_dict(validate=False)
    finally:
        _arrow_data.collected = None
    position = {id(frame): i for i, frame in enumerate(prepared.frames)}
    slots = []
    for frame_id, (name, _) in collected.items():
        if frame_id not in position:
            # A frame made inside the view would be kept in the skeleton for good.
            raise ValueError(f"{prepared.view.__name__} drew a frame it was not given")
        slots.append((name, position[frame_id]))
    # Inline data (not frames) is part of the view itself, so it stays.
    constant = {name: _arrow(rows) for name, rows in spec.pop("datasets", {}).items()}
    if constant:
        spec["datasets"] = constant
    return spec, tuple(slots)


def _json_copy(value: Any) -> Any:
    # The page may adjust the spec it is given: each gets its own copy of the skeleton.
    if isinstance(value, dict):
        return {k: _json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_copy(v) for v in value]
    return value


def _frame_arrow(frame: pd.DataFrame) -> bytes:
    """A frame as an Arrow IPC stream, with the values Altair would have sent inline.

    Dates become full ISO text without a zone (as Altair writes them), which Vega-Lite
    reads as local time: a session of 3 March stays on 3 March in every time zone.
    Missing numbers become nulls.
    """
    columns: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            stamps = column.to_numpy(dtype="datetime64[s]")
            text = np.datetime_as_string(stamps, unit="s")
            columns[str(name)] = pa.array(text, type=pa.string(), mask=np.isnat(stamps))
        elif column.dtype.kind in "biuf":
            # Numbers and flags straight from NumPy (NaN becomes null), not one by one.
            columns[str(name)] = pa.array(column.to_numpy(), from_pandas=True)
        else:
            columns[str(name)] = pa.array(column.to_numpy(dtype=object), from_pandas=True)
    return _ipc(pa.table(columns))


def _arrow(rows: list[dict[str, Any]]) -> bytes:
    return _ipc(pa.Table.from_pylist(rows))


def _ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.RecordBatchStreamWriter(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def export_spec(chart: ChartSpec, width: int = EXPORT_WIDTH) -> dict[str, Any]:
    """The chart's Vega-Lite spec with a fixed width instead of the container's.

    vl-convert renders outside any page, so "container" would collapse to nothing:
    ``vl_convert.vegalite_to_png(export_spec(chart))`` gives a PNG for the report.
    """
    spec: dict[str, Any] = chart.to_dict()
    _fix_width(spec, width)
    return spec


def _fix_width(spec: dict[str, Any], width: int) -> None:
    if spec.get("width") == "container":
        spec["width"] = width
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            _fix_width(child, width)
