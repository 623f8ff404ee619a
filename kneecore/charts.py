"""Altair chart builders for the progress page and the PDF report.

Pure functions: frames from :mod:`kneecore.analytics` in, Altair charts out. No
Streamlit and no named theme inside the specs, so the same chart renders in the app and
as a PNG through vl-convert. One look is set on every chart (:func:`theme_config`: axis
and legend text at 12 px with 4.5:1 contrast), and the few colours that must differ
between the light and dark themes follow the background Vega is drawn on
(:func:`themed`). Colours are from the Okabe-Ito palette (safe for the common kinds of
colour blindness) with greys and tints of its blue, and colour is never the only cue:
lines also differ by dash, bands are named in words, and every mark has a tooltip.

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

# -- one look for every chart, in the light and the dark theme ----------------------------
#: A Vega expression that is true on a dark background. ``background`` is a signal of
#: every Vega view: the colour Streamlit's light or dark theme paints the chart with (on
#: paper, vl-convert's white). So one spec follows the person's theme, with no page code.
ON_DARK = "luminance(background) < 0.4"
#: Axis and legend text: at least 4.5:1 on the app's light (#FBFAF7) and dark (#111A1C,
#: Streamlit's own #0E1117) backgrounds and on paper. No one grey does both (at best
#: 4.1:1), hence one for each.
INK_ON_LIGHT = "#3F4A4E"
INK_ON_DARK = "#C8D0CE"
#: Axis labels and titles and legend text, in px (Streamlit's theme draws 10 to 12).
TEXT_PX = 12


def themed(light: str | float, dark: str | float) -> dict[str, str]:
    """A colour (or opacity) that follows the theme: ``light`` on a light background,
    ``dark`` on a dark one (a Vega expression on :data:`ON_DARK`)."""
    return {"expr": f"{ON_DARK} ? {json.dumps(dark)} : {json.dumps(light)}"}


def theme_config() -> dict[str, Any]:
    """The text of every chart's axes and legends: :data:`TEXT_PX` in the theme's ink.

    Set on every chart (:meth:`Prepared.chart`): Streamlit merges a chart's own config
    over its theme, whose grey labels fall short of 4.5:1 on the light background.
    """
    ink = themed(INK_ON_LIGHT, INK_ON_DARK)
    text = {
        "labelFontSize": TEXT_PX,
        "titleFontSize": TEXT_PX,
        "labelColor": ink,
        "titleColor": ink,
    }
    return {"axis": dict(text), "legend": dict(text), "text": {"color": ink}}


def _themed_chart(chart: Any) -> Any:
    chart.config = alt.Config.from_dict(theme_config())
    return chart


#: Pain lines: colour AND dash pattern tell them apart. "During" (the zone rule) is
#: boldest and solid, "Next morning" (the 24-hour rule) next, in long dashes; "Before"
#: and "After" are thin, short-dashed and faded: on a phone's width the four lines cross
#: often, and all four stay drawn (hiding two would hide a rating without saying so),
#: but the two the rules judge by stand out. Columns: colour, dash, width, opacity.
PAIN_STYLE: dict[str, tuple[str, list[int], float, float]] = {
    "Before": (SKY, [2, 3], 1.25, 0.6),
    "During": (BLUE, [1, 0], 3.5, 1.0),
    "After": (ORANGE, [4, 3], 1.25, 0.6),
    "Next morning": (PURPLE, [8, 3], 2.0, 0.85),
}
#: The palette's blue on a dark background: a lighter blue (5.6:1 on #111A1C, where
#: BLUE has 3.4:1), so the "During" line, the knee score and the walk-run level (and
#: the score's numbers) are as clear in the dark theme as in the light.
BLUE_ON_DARK = "#3E97DB"


def blue() -> dict[str, str]:
    """BLUE, or :data:`BLUE_ON_DARK` on a dark background."""
    return themed(BLUE, BLUE_ON_DARK)


def pain_colour(measure: str) -> str | dict[str, str]:
    """A pain line's colour (:data:`PAIN_STYLE`), "During" lighter on a dark background."""
    colour = PAIN_STYLE[measure][0]
    return blue() if measure == "During" else colour


#: The width of the background-coloured edge drawn under the "During" line, so that it
#: stays clear of the zone tints and the other lines in both themes.
CASING_WIDTH = 7.5
HEIGHT = 260
EXPORT_WIDTH = 640
PAIN_MAX = 10
#: The pain scale's drawn domain: half a rating beyond 0 and 10, so a point at 0 or 10
#: is drawn whole rather than cut in half by the plot's edge (ticks stay 0 to 10).
PAIN_DOMAIN = [-0.5, PAIN_MAX + 0.5]
PAIN_TICKS = list(range(0, PAIN_MAX + 1, 2))

#: Exercise phases, in order: tints of one blue, not the traffic-light colours of the
#: pain zones; the latest phase stands out most (darkest on light, lightest on dark).
#: Lightness tells them apart for every kind of colour vision; the phase chart names
#: each bar in words, the volume chart's legend and tooltips name them too.
PHASE_TINTS = ("#A6CEE3", "#4F94C4", "#1F5B8A")
OTHER_PHASE = GREY


def phase_colours() -> list[dict[str, str]]:
    """Phases 1 to 3 (:data:`PHASE_TINTS`), in the order that suits the theme."""
    return [themed(light, dark) for light, dark in zip(PHASE_TINTS, PHASE_TINTS[::-1], strict=True)]


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
        """The Altair chart (built without Altair's per-object checks), in the shared
        look of :func:`theme_config`."""
        with _unchecked():
            return cast(ChartSpec, _themed_chart(self.view(self)))


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


#: The least space between two date labels, in px.
LABEL_GAP_PX = 12
#: A day in tooltips and labels: "Mon 5 Oct 2026", with no leading zero, as the axes write it.
DAY_FORMAT = "%a %-d %b %Y"


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
            # Labels closer than LABEL_GAP_PX are thinned, every other one at a time (the
            # first kept), so a phone's narrow plot shows fewer dates, evenly spaced,
            # rather than "2 Nov9 Nov" run together.
            labelOverlap="parity",
            labelSeparation=LABEL_GAP_PX,
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
        # (green from the bottom of the drawn scale, red to its top: PAIN_DOMAIN)
        ("green", 0, GREEN_MAX, PAIN_DOMAIN[0], GREEN_MAX + 0.5, GREEN),
        ("amber", GREEN_MAX + 1, AMBER_MAX, GREEN_MAX + 0.5, AMBER_MAX + 0.5, ORANGE),
        ("red", AMBER_MAX + 1, PAIN_MAX, AMBER_MAX + 0.5, PAIN_DOMAIN[1], VERMILLION),
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


#: The zone bands' tint on a light and on a dark background.
BAND_OPACITY = 0.16
BAND_OPACITY_DARK = 0.08


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
        labelFontSize=TEXT_PX,
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
        # Fainter on a dark background, where the same tint reads much stronger and the
        # pain lines over it (the blue "During" above all) would sink into it.
        .mark_rect(opacity=themed(BAND_OPACITY, BAND_OPACITY_DARK))
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
    fmt = "%B %Y" if res == "month" else DAY_FORMAT
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


def _pain_line_channels() -> dict[str, Any]:
    """The pain lines' colour, dash, width and opacity (:data:`PAIN_STYLE`), by measure.

    One legend under the plot for the four (the same field, title and legend, so
    Vega-Lite merges them): each entry shows its line's colour, dash, width and opacity.
    Long symbols, so the dashes show; two columns, so "Next morning" is not cut off at a
    phone's width. Ordinal scales give each line its own width and opacity: a nominal
    field's default "point" scale spreads its values evenly between the first and the
    last, which drew "During" thinner than "Next morning".
    """
    order = list(PAIN_STYLE)
    legend = alt.Legend(orient="bottom", columns=2, symbolType="stroke", symbolSize=500)

    def scale(values: list[Any], ordinal: bool = False) -> alt.Scale:
        if ordinal:
            return alt.Scale(type="ordinal", domain=order, range=values)
        return alt.Scale(domain=order, range=values)

    common: dict[str, Any] = {"title": None, "sort": order, "legend": legend}
    return {
        "color": alt.Color("measure:N", scale=scale([pain_colour(m) for m in order]), **common),
        "strokeDash": alt.StrokeDash(
            "measure:N", scale=scale([PAIN_STYLE[m][1] for m in order]), **common
        ),
        "strokeWidth": alt.StrokeWidth(
            "measure:N", scale=scale([PAIN_STYLE[m][2] for m in order], True), **common
        ),
        "opacity": alt.Opacity(
            "measure:N", scale=scale([PAIN_STYLE[m][3] for m in order], True), **common
        ),
    }


def _pain_view(prepared: Prepared) -> ChartSpec:
    bands, data = prepared.frames
    res, few, axis, names = cast(
        tuple[an.Resolution, bool, TimeAxis, tuple[BandName, ...]], prepared.shape
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
        scale=alt.Scale(domain=PAIN_DOMAIN, nice=False),
        axis=alt.Axis(orient="left", values=PAIN_TICKS),
    )
    x = _x_axis(axis, "date", _PERIOD_TITLE[res])
    base = alt.Chart(data).encode(x=x, y=y, tooltip=tooltip)
    lines = base.mark_line(
        interpolate="linear" if res == "day" else "monotone", strokeJoin="round"
    ).encode(**_pain_line_channels())
    during = base.transform_filter(alt.datum.measure == "During")
    # Under the "During" line, an edge in the background's own colour (Vega's
    # ``background`` signal: the light or dark theme's, white on paper) parts it from the
    # zone tints and from the other lines where they cross.
    casing = during.mark_line(
        interpolate="linear" if res == "day" else "monotone",
        color=alt.ExprRef(expr="background"),
        strokeWidth=CASING_WIDTH,
        strokeCap="round",
        strokeJoin="round",
    )
    # Points on the "During" line only: it is the one the zones are judged by, and the
    # points give its tooltips a target without cluttering the other three lines.
    points = during.mark_point(
        filled=True, size=30 if few else 12, color=pain_colour("During"), opacity=1
    )
    return cast(
        ChartSpec,
        _sized(
            # One pain scale for the bands and the lines, with an axis each: ratings on
            # the left, the bands' names on the right.
            alt.layer(_band_marks(bands, names), alt.layer(casing, lines, points)),
            HEIGHT,
            resolve=alt.Resolve(
                axis=alt.AxisResolveMap(y="independent"),
                # The bands' colours are literal (no scale): keep them out of the legend.
                # The lines' other channels resolved alike, so their legends still merge.
                scale=alt.ScaleResolveMap(
                    color="independent",
                    strokeDash="independent",
                    strokeWidth="independent",
                    opacity="independent",
                ),
            ),
        ),
    )


#: Calendar cell categories and their colours on a light and on a dark background: the
#: more sessions, the more a square stands out from the page in either theme (a pale grey
#: rest day, light blue, then dark blue on light; a dark grey, blue, then light blue on
#: dark). Drawn at full opacity, so the legend's squares are the grid's own colours.
DAY_STATUS: dict[str, tuple[str, str]] = {
    "Rest day": ("#DCDAD4", "#2C3538"),
    "1 session": (SKY, BLUE),
    "2 or more": (BLUE, SKY),
}


def _day_status(count: int) -> str:
    return "Rest day" if count == 0 else "1 session" if count == 1 else "2 or more"


def adherence_calendar(
    sessions_df: pd.DataFrame, end: dt.date | None = None, weeks: int = 12
) -> ChartSpec:
    """A calendar heat map: one square per day, weeks across, Monday to Sunday down."""
    return calendar_data(sessions_df, end, weeks).chart()


def calendar_first_day(end: dt.date, weeks: int) -> dt.date:
    """The first day of a calendar of ``weeks`` weeks up to ``end``: ``7 * weeks`` days."""
    return end - dt.timedelta(days=7 * weeks - 1)


def calendar_data(
    sessions_df: pd.DataFrame, end: dt.date | None = None, weeks: int = 12
) -> Prepared:
    """What :func:`adherence_calendar` draws: the ``7 * weeks`` days up to ``end``, in
    columns of weeks from Monday (days outside them left blank), so the grid, its
    caption ("the last 12 weeks") and its summary ("of the last 84 days") count the same
    days, and a 12-week range's calendar starts on the range's first day."""
    if end is None:
        end = sessions_df["date"].max().date() if not sessions_df.empty else dt.date.today()
    first = calendar_first_day(end, weeks)
    columns = (end - (first - dt.timedelta(days=first.weekday()))).days // 7 + 1
    grid = an.daily_counts(sessions_df, end, columns)
    grid = grid[~grid["future"] & (grid["date"] >= pd.Timestamp(first))].copy()
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
                # "5 Oct", as every other date axis writes it.
                axis=alt.Axis(
                    format="%-d %b",
                    labelAngle=0,
                    labelOverlap="parity",
                    labelSeparation=LABEL_GAP_PX,
                ),
            ),
            y=alt.Y(
                "weekday:N",
                sort=days,
                title=None,
                scale=alt.Scale(domain=days, paddingInner=0.12),
            ),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=list(DAY_STATUS),
                    range=[themed(light, dark) for light, dark in DAY_STATUS.values()],
                ),
                legend=alt.Legend(orient="bottom", symbolType="square"),
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format=DAY_FORMAT),
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


def _phase_palette() -> dict[str, Any]:
    colours: list[Any] = phase_colours()
    palette = {an.phase_group(p): colours[p - 1] for p in (1, 2, 3)}
    palette[an.phase_group(0)] = OTHER_PHASE
    return palette


#: The faded look of a week (month) still going, in the volume charts: its bar is drawn,
#: as the sessions chart draws it, and named "Week not over" in the legend.
NOT_OVER_OPACITY = 0.35


def _not_over(period: an.BarPeriod) -> str:
    return f"{period.capitalize()} not over"


def _period_last_day(firsts: pd.Series, period: an.BarPeriod) -> pd.Series:
    """The last day of each week (from its Monday) or month (from its first day)."""
    if period == "month":
        last: pd.Series = firsts + pd.offsets.MonthEnd(0)
        return last
    return firsts + pd.Timedelta(days=6)


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
    # A week (month) going on past the range's end is not all in yet: it is faded and
    # named, as the sessions chart names it, so a short last bar is not read as a drop.
    over = f"{period.capitalize()} over"
    data["status"] = over
    if end is not None and not data.empty:
        going = _period_last_day(data["week"], period) > pd.Timestamp(end)
        data["status"] = np.where(going, _not_over(period), over)
    open_period = bool((data["status"] != over).any())
    # Running totals within each week, with NumPy (pandas' grouped cumsum costs more).
    values = data[field].to_numpy()
    weeks = data["week"].to_numpy()
    total = np.cumsum(values)
    first_of_week = np.maximum.accumulate(
        np.where(np.r_[True, weeks[1:] != weeks[:-1]], np.arange(len(values)), 0)
    )
    data["y1"] = total - (total - values)[first_of_week]
    data["y0"] = data["y1"] - values
    return Prepared(_volume_view, (data,), (measure, tuple(domain), period, axis, open_period))


def _volume_view(prepared: Prepared) -> ChartSpec:
    (data,) = prepared.frames
    measure, domain, period, axis, open_period = cast(
        tuple[str, tuple[str, ...], an.BarPeriod, TimeAxis, bool], prepared.shape
    )
    field, title = ("reps", "Reps (sets x reps)")
    if measure == "hold":
        field, title = ("hold_min", "Minutes held")
    palette = _phase_palette()
    x, x2 = _week_bar_x(axis, period)
    tooltip: list[Any] = [
        _date_tip(period, "week"),
        alt.Tooltip("phase:N", title="Exercises"),
        alt.Tooltip(f"{field}:Q", title=title, format=",.0f" if field == "reps" else ".1f"),
    ]
    more: dict[str, Any] = {}
    if open_period:
        not_over = _not_over(period)
        more["opacity"] = alt.Opacity(
            "status:N",
            title=None,
            scale=alt.Scale(
                domain=[f"{period.capitalize()} over", not_over], range=[1.0, NOT_OVER_OPACITY]
            ),
            # Only the faded entry is named: the others are the phases' own colours.
            # Above the plot, as the sessions chart's plan line: beside the phases'
            # legend a phone's width cut it off.
            legend=alt.Legend(
                orient="top",
                values=[not_over],
                symbolType="square",
                symbolFillColor=GREY,
                symbolStrokeWidth=0,
            ),
        )
        tooltip.append(alt.Tooltip("status:N", title="Status"))
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
            tooltip=tooltip,
            **more,
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


#: A chart clipped to its data (:func:`data_start`) still spans at least this many days
#: (when the range has them), so a first entry or two are not stretched across the width.
MIN_SPAN_DAYS = 14


def data_start(dates: pd.Series, start: dt.date | None, end: dt.date | None) -> dt.date | None:
    """Where a chart of ``start``..``end`` that has data only from some day on starts:
    the range's start, or the first of ``dates`` in the range when that is later, yet at
    least :data:`MIN_SPAN_DAYS` before ``end``. Open ranges keep ``start`` (their axis
    follows the data anyway).
    """
    if start is None or end is None:
        return start
    shown = dates[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]
    if shown.empty:
        return start
    first: dt.date = shown.min().date()
    return max(start, min(first, end - dt.timedelta(days=MIN_SPAN_DAYS - 1)))


def exercise_start(
    entries_df: pd.DataFrame, exercise_id: str, start: dt.date | None, end: dt.date | None
) -> dt.date | None:
    """Where one exercise's panels start: :func:`data_start` of its entries.

    An exercise of the current phase, done for four weeks of a twelve-week range, would
    otherwise sit squashed in the right third of an axis fixed at twelve weeks.
    """
    return data_start(entries_df.loc[entries_df["exercise_id"] == exercise_id, "date"], start, end)


def exercise_panels_data(
    entries_df: pd.DataFrame,
    exercise_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    name: str | None = None,
) -> list[Prepared]:
    """What :func:`exercise_progress_panels` draws, one per panel: the range from the
    exercise's first entry in it (:func:`exercise_start`) on."""
    start = exercise_start(entries_df, exercise_id, start, end)
    data, res = an.exercise_progress(entries_df, exercise_id, start, end)
    holds = bool((data["measure"] == "Hold (s)").any())
    # To the range's end, so a gap shows when the exercise was last done a while ago.
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
        # A few pixels of room above the highest and below the lowest value, so a flat
        # line at its best (or at 0) is not drawn along the plot's edge.
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=True, nice=False, padding=8)),
        tooltip=[
            _date_tip(res),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip(
                "value:Q", title="Value" if res == "day" else f"Best that {res}", format="g"
            ),
        ],
    )
    ink: Any = blue() if colour == BLUE else colour
    line = base.mark_line(color=ink, strokeWidth=2.5, interpolate="step-after")
    points = base.mark_point(color=ink, filled=True, size=30 if few else 8)
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
    return cast(ChartSpec, _themed_chart(alt.vconcat(*panels, spacing=8)))


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
    y = alt.Y("akps:Q", title="Kujala knee score (0-100)", scale=alt.Scale(domain=[0, 100]))
    tooltip = [
        alt.Tooltip("date:T", title="Self-check", format=DAY_FORMAT),
        alt.Tooltip("akps:Q", title="Kujala knee score /100"),
    ]
    base = alt.Chart(data).encode(
        x=_x_axis(axis),
        y=y,
        tooltip=tooltip,
    )
    layers: list[Any] = [
        base.mark_line(color=blue(), strokeWidth=3),
        base.mark_point(color=blue(), filled=True, size=80),
        base.mark_text(dy=-14, fontSize=TEXT_PX, fontWeight="bold", color=blue()).encode(
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
        scale=alt.Scale(domain=[1, 2, 3], range=cast(list[Any], phase_colours())),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("label:N", title="Phase"),
        alt.Tooltip("start:T", title="Started", format=DAY_FORMAT),
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
