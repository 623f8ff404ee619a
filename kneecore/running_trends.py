"""Running load against knee pain, as frames: for the Progress page's charts and the report.

Pure: runs (:class:`kneecore.models.Run`) in, pandas frames and one plain sentence out.
Weeks start on Monday, as every weekly frame of :mod:`kneecore.analytics` does, so the
running bars line up with the exercise charts above them; long ranges count calendar
months instead, as those charts do. Which runs are load spikes is
the rule of :func:`kneecore.running.run_flags` (clinical-rules.md section 7), never
worked out again here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from kneecore.analytics import BarPeriod
from kneecore.models import Run
from kneecore.running import RUN_AMBER_MAX, RUN_GREEN_MAX, run_flags, zone_of
from kneecore.words import format_date

#: The pain lines of the weekly chart: column -> label (the labels of the pain chart).
WEEKLY_PAIN = {"pain_during": "During", "pain_morning": "Next morning"}
#: The word that marks a week holding a load spike, in legends and tooltips.
SPIKE_WORD = "Load spike"
#: "The weeks you ran most": this share of the weeks with runs (at least one week).
TOP_SHARE = 1 / 3

WEEKLY_COLUMNS = [
    "week",
    "week_end",
    "mid",
    "runs",
    "run_min",
    "distance_km",
    "pain_during",
    "pain_morning",
    "spike",
    "spike_word",
    "spike_runs",
]


def spike_run_ids(runs: Iterable[Run]) -> set[str]:
    """The ids of runs flagged for a load spike (:func:`kneecore.running.run_flags`)."""
    return {f.run_id for f in run_flags(runs) if f.kind == "load_spike"}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _empty_weekly() -> pd.DataFrame:
    dates = pd.Series(dtype="datetime64[ns]")
    numbers = pd.Series(dtype="float64")
    return pd.DataFrame(
        {
            "week": dates,
            "week_end": dates,
            "mid": dates,
            "runs": pd.Series(dtype="int64"),
            "run_min": numbers,
            "distance_km": numbers,
            "pain_during": numbers,
            "pain_morning": numbers,
            "spike": pd.Series(dtype="bool"),
            "spike_word": pd.Series(dtype="object"),
            "spike_runs": pd.Series(dtype="int64"),
        }
    )


def weekly_running(runs: Sequence[Run], spikes: set[str] | None = None) -> pd.DataFrame:
    """One row per week with a run, oldest first.

    Columns: ``week`` (its Monday), ``week_end`` (its Sunday) and ``mid`` (its
    Thursday, where the week's pain points sit, over the middle of its bar), ``runs``, ``run_min``
    (minutes of running, walks left out), ``distance_km`` (NaN when no run of the week
    has a distance), ``pain_during`` and ``pain_morning`` (the week's worst; NaN when no
    next-morning pain is entered), ``spike`` and ``spike_word`` (:data:`SPIKE_WORD` or
    ``""``), and ``spike_runs`` (how many of its runs were load spikes). ``spikes``: the
    load-spike run ids, when the caller has them already.
    """
    return period_running(runs, "week", spikes)


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


def period_running(
    runs: Sequence[Run], period: BarPeriod = "week", spikes: set[str] | None = None
) -> pd.DataFrame:
    """:func:`weekly_running`, or with ``period="month"`` one row per calendar month with
    a run: the same columns, ``week`` then being the month's first day, ``week_end`` its
    last and ``mid`` its middle; the pains are the month's worst. A month holds a load
    spike when one of its runs is one (the flag is a run's, against the 30 days before
    it, so it means the same in a month as in a week).
    """
    if not runs:
        return _empty_weekly()
    spikes = spike_run_ids(runs) if spikes is None else spikes
    first_day = _monday if period == "week" else _first_of_month
    groups: dict[dt.date, list[Run]] = {}
    for run in runs:
        groups.setdefault(first_day(run.date), []).append(run)
    rows = []
    for first in sorted(groups):
        group = groups[first]
        last = first + dt.timedelta(days=6) if period == "week" else _month_end(first)
        distances = [r.distance_km for r in group if r.distance_km is not None]
        mornings = [r.pain_next_morning for r in group if r.pain_next_morning is not None]
        spike_runs = sum(r.id in spikes for r in group)
        rows.append(
            (
                first,
                last,
                # The middle of the bar, which runs from the first day to the last.
                pd.Timestamp(first) + (pd.Timestamp(last) - pd.Timestamp(first)) / 2,
                len(group),
                round(sum(r.run_min for r in group), 1),
                round(sum(distances), 2) if distances else np.nan,
                float(max(r.pain_during for r in group)),
                float(max(mornings)) if mornings else np.nan,
                spike_runs > 0,
                SPIKE_WORD if spike_runs else "",
                spike_runs,
            )
        )
    frame = pd.DataFrame(rows, columns=WEEKLY_COLUMNS)
    for column in ("week", "week_end", "mid"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def weeks_in_range(
    weekly: pd.DataFrame, start: dt.date | None, end: dt.date | None
) -> pd.DataFrame:
    """The rows of :func:`weekly_running` (or :func:`period_running`) whose week (or
    month) overlaps ``start``..``end``: each counted whole, as the exercise charts count
    their first week or month."""
    keep = pd.Series(True, index=weekly.index)
    if start is not None:
        keep &= weekly["week_end"] >= pd.Timestamp(start)
    if end is not None:
        keep &= weekly["week"] <= pd.Timestamp(end)
    return weekly.loc[keep]


def weekly_pain_long(weekly: pd.DataFrame) -> pd.DataFrame:
    """The weekly worst pains in long form (``week``, ``mid``, ``measure``, ``pain``).

    Weeks without a next-morning pain leave that line out, rather than draw it at 0.
    """
    long = weekly.melt(
        id_vars=["week", "mid"],
        value_vars=list(WEEKLY_PAIN),
        var_name="measure",
        value_name="pain",
    )
    long["measure"] = long["measure"].map(WEEKLY_PAIN).astype(object)
    long = long.dropna(subset=["pain"]).sort_values(["measure", "week"], kind="stable")
    return long.reset_index(drop=True)


def level_points(runs: Sequence[Run]) -> pd.DataFrame:
    """One row per walk-run programme run, oldest first; free runs are left out.

    Columns: ``date``, ``level`` (1 to 9), ``run_min``, ``total_min``, ``zone``.
    """
    rows = [
        (r.date, r.level, r.run_min, r.total_min, zone_of(r))
        for r in sorted(runs, key=lambda r: r.date)
        if r.level is not None
    ]
    frame = pd.DataFrame(rows, columns=["date", "level", "run_min", "total_min", "zone"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["level"] = frame["level"].astype("int64")
    frame["zone"] = frame["zone"].astype(object)
    return frame


def _worst(values: pd.Series) -> int:
    return int(values.max())


def running_reading(weekly: pd.DataFrame) -> str:
    """One plain sentence on running load against pain, from :func:`weekly_running`.

    A load-spike week in which pain during or the next morning rose above the week
    before is named first (the latest such week); otherwise the sentence says how high
    pain during runs went in the weeks with the most running (the top third).
    """
    if weekly.empty:
        return ""
    risen = _spike_with_more_pain(weekly)
    if risen is not None:
        return risen
    if len(weekly) == 1:
        return (
            "One week of running so far: pain during runs reached at most "
            f"{_worst(weekly['pain_during'])}/10."
        )
    top = max(1, round(len(weekly) * TOP_SHARE))
    most = weekly.nlargest(top, "run_min", keep="first")
    worst = _worst(most["pain_during"])
    if worst <= RUN_GREEN_MAX:
        return f"In the weeks you ran most, pain during runs stayed at {RUN_GREEN_MAX} or below."
    if worst <= RUN_AMBER_MAX:
        return (
            f"In the weeks you ran most, pain during runs reached {worst}/10: more than the "
            f"{RUN_GREEN_MAX} or below that lets a walk-run level go up."
        )
    return (
        f"In the weeks you ran most, pain during runs reached {worst}/10, a red run: "
        "that much running was too much for the knee then."
    )


def _spike_with_more_pain(weekly: pd.DataFrame) -> str | None:
    """The sentence for the latest spike week whose worst pain rose on the week before."""
    found = None
    for i in range(1, len(weekly)):
        row, before = weekly.iloc[i], weekly.iloc[i - 1]
        if not row["spike"]:
            continue
        for column, words in (("pain_during", "during runs"), ("pain_morning", "the next morning")):
            now, then = row[column], before[column]
            if now == now and then == then and now > then:
                found = (row["week"], words, int(now), int(then))
                break
    if found is None:
        return None
    week, words, now, then = found
    return (
        f"In the week of {format_date(week.date())}, with a load spike, pain {words} rose "
        f"to {now}/10, from {then}/10 in the week you ran before."
    )


__all__ = [
    "SPIKE_WORD",
    "WEEKLY_PAIN",
    "level_points",
    "period_running",
    "running_reading",
    "spike_run_ids",
    "weekly_pain_long",
    "weekly_running",
]
