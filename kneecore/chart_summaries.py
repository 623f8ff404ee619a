"""One plain sentence under each Progress chart, for the page and the PDF report.

A chart needs eyes; its sentence does not: it is what a screen reader reads, what a
physio skims, and what the report prints beside the picture. Pure: the same frames the
charts draw (from :mod:`kneecore.analytics` and :mod:`kneecore.running_trends`) in, one
sentence out. Every function says so plainly when there is too little data for a trend,
rather than read a trend into two points.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kneecore import analytics as an

#: What every summary says when its chart has too little to go on.
TOO_LITTLE = "Too little data in this range for a trend yet."
#: A change smaller than this (on a 0-10 pain scale) reads as "stayed about the same".
PAIN_FLAT = 0.5
#: The days at each end of a range whose sessions are averaged for its first and last pain.
PAIN_ENDS_DAYS = 7


def _number(value: float) -> str:
    # Whole numbers with thousands separators for big figures (3,268 reps), else one decimal.
    return f"{round(value):,}" if abs(value) >= 100 else f"{round(value, 1):g}"


def span_words(days: int) -> str:
    """A span of days in the unit a person would use: days, weeks, months or years."""
    if days < 14:
        return f"{days} day" + ("s" if days != 1 else "")
    if days < 120:
        return f"{round(days / 7)} weeks"
    if days < 730:
        return f"{round(days / 30.4)} months"
    return f"{round(days / 365.25)} years"


def change_sentence(
    subject: str, first: float, last: float, days: int, unit: str = "", flat: float = 0.0
) -> str:
    """ "<subject> rose from 3 to 5 over 6 weeks." (or fell, or stayed about the same)."""
    span = span_words(days)
    if abs(last - first) <= flat:
        return f"{subject} stayed about {_number(first)}{unit} over {span}."
    verb = "rose" if last > first else "fell"
    return f"{subject} {verb} from {_number(first)} to {_number(last)}{unit} over {span}."


def _days_between(dates: pd.Series) -> int:
    return int((dates.max() - dates.min()).days) + 1


def pain_summary(
    sessions_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> str:
    """Pain during exercise at the start and end of the range (each a week's mean).

    ``sessions_df``: :func:`kneecore.analytics.sessions_frame` (any range; it is cut here).
    """
    frame = an.in_range(sessions_df, start, end)
    rated = frame.dropna(subset=["pain_during"])
    if len(rated) < 2 or _days_between(rated["date"]) < PAIN_ENDS_DAYS:
        return TOO_LITTLE
    dates = rated["date"]
    window = pd.Timedelta(days=PAIN_ENDS_DAYS - 1)
    first = rated.loc[dates <= dates.min() + window, "pain_during"].mean()
    last = rated.loc[dates >= dates.max() - window, "pain_during"].mean()
    return change_sentence(
        "Pain during exercise", first, last, _days_between(dates), "/10", PAIN_FLAT
    )


def calendar_summary(grid: pd.DataFrame) -> str:
    """Training days of the calendar grid (:func:`kneecore.analytics.daily_counts`)."""
    shown = grid[~grid["future"]] if "future" in grid else grid
    if shown.empty:
        return TOO_LITTLE
    trained = int((shown["sessions"] > 0).sum())
    return f"You trained on {trained} of the last {len(shown)} days."


def sessions_summary(periods: pd.DataFrame, planned: int | None, period: str = "week") -> str:
    """Sessions a week on average over the finished weeks (or months), and how many of
    them met the plan.

    ``periods``: :func:`kneecore.analytics.weekly_sessions` or, for a month a bar,
    :func:`kneecore.analytics.monthly_sessions` (its ``sessions`` is then a mean a week).
    A week still going is left out of the average (its sessions are not all in yet),
    unless it is the only one.
    """
    if periods.empty:
        return TOO_LITTLE
    done = periods[periods["complete"]]
    # A monthly frame's ``sessions`` is already a mean a week: the mean of those is close
    # enough for one sentence (months differ by three days at most).
    mean = float((done if len(done) else periods)["sessions"].mean())
    sentence = f"You trained {_number(mean)} times a week on average"
    if not planned or done.empty:
        return sentence + "."
    met = int((done["sessions"] >= planned).sum())
    unit = "months" if period == "month" else "weeks"
    return f"{sentence}; {met} of {len(done)} finished {unit} met your plan of {planned} a week."


def _last_day(first: pd.Timestamp, unit: str) -> dt.date:
    """The last day of the week (from its Monday) or month (from its first day)."""
    if unit == "month":
        return (first + pd.offsets.MonthEnd(0)).date()
    return (first + pd.Timedelta(days=6)).date()


def whole_periods(
    firsts: pd.Series, unit: str, end: dt.date | None = None, first: dt.date | None = None
) -> pd.Series:
    """Which periods (by their first days, oldest first) to compare: all but a latest one
    still going on ``end`` (the range's last day), and a first one that started before
    ``first`` (the data's first day: the person began partway through it). Their totals
    are not all there: a month holding its first run, or a week of two days so far,
    would read as a rise or a fall that the finished periods do not show.
    """
    keep = pd.Series(True, index=firsts.index)
    if not len(firsts):
        return keep
    if end is not None and _last_day(firsts.iloc[-1], unit) > end:
        keep.iloc[-1] = False
    if first is not None and firsts.iloc[0].date() < first:
        keep.iloc[0] = False
    return keep


def _first_and_latest(
    totals: pd.Series, unit: str, end: dt.date | None, first: dt.date | None
) -> tuple[float, float, int] | None:
    """The first and latest whole period's totals (``totals`` by the periods' first
    days) and the days from the one's start to the other's end; None with fewer than two."""
    whole = totals[whole_periods(pd.Series(totals.index, index=totals.index), unit, end, first)]
    if len(whole) < 2:
        return None
    days = (_last_day(whole.index[-1], unit) - whole.index[0].date()).days + 1
    return float(whole.iloc[0]), float(whole.iloc[-1]), days


def volume_summary(
    volume: pd.DataFrame,
    measure: str = "reps",
    period: str = "week",
    end: dt.date | None = None,
    first: dt.date | None = None,
) -> str:
    """Training volume of the first whole week (or month) against the latest, the two
    ends of the bars the chart draws.

    ``volume``: :func:`kneecore.analytics.weekly_volume` or
    :func:`kneecore.analytics.period_volume` (one row per period and phase). ``end``
    (the range's last day) and ``first`` (the first entry's day): a latest period still
    going and a first one the person started partway through are left out
    (:func:`whole_periods`).
    """
    field, unit = ("hold_min", " minutes held") if measure == "hold" else ("reps", " reps")
    totals = volume.groupby("week")[field].sum()
    totals = totals[totals > 0]
    ends = _first_and_latest(totals, "month" if period == "month" else "week", end, first)
    if ends is None:
        return TOO_LITTLE
    start_total, latest, days = ends
    subject = "Monthly volume" if period == "month" else "Weekly volume"
    return change_sentence(
        subject, start_total, latest, days, unit, flat=0.05 * max(start_total, latest)
    )


#: The measure an exercise's summary speaks of, first found first: load shows strength
#: best, then holds, then reps.
_EXERCISE_SUBJECTS = {
    "Load (kg)": ("load", " kg"),
    "Hold (s)": ("longest hold", " s"),
    "Reps per set": ("best set", " reps"),
}


def exercise_summary(progress: pd.DataFrame, name: str) -> str:
    """One exercise's progression (:func:`kneecore.analytics.exercise_progress`'s frame)."""
    for measure, (what, unit) in _EXERCISE_SUBJECTS.items():
        part = progress[progress["measure"] == measure]
        if len(part) >= 2:
            days = _days_between(part["date"])
            first, last = float(part["value"].iloc[0]), float(part["value"].iloc[-1])
            return change_sentence(f"{name}: your {what}", first, last, days, unit)
    return TOO_LITTLE


def akps_summary(checks: pd.DataFrame, real_change: int = 10) -> str:
    """The knee score (AKPS) at the range's first and last self-check."""
    if checks.empty:
        return "No self-check in this range."
    first, last = int(checks["akps"].iloc[0]), int(checks["akps"].iloc[-1])
    if len(checks) == 1:
        return f"One self-check in this range: {first}/100."
    sentence = change_sentence(
        "Kujala knee score", first, last, _days_between(checks["date"]), "/100"
    )
    if abs(last - first) >= real_change:
        return sentence[:-1] + f": a real change ({real_change} points or more)."
    return sentence


def phases_summary(phases: pd.DataFrame) -> str:
    """Where the person is in the plan (:func:`kneecore.analytics.phases_frame`'s rows)."""
    if phases.empty:
        return "No phase in this range."
    latest = phases.iloc[-1]
    where = "You are in" if bool(latest["current"]) else "Last in this range:"
    sentence = f"{where} {latest['label']} (day {int(latest['days'])})"
    if len(phases) == 1:
        return sentence + "."
    before = phases.iloc[-2]
    return sentence + f"; before it, {before['label']} lasted {int(before['days'])} days."


def running_load_summary(
    weekly: pd.DataFrame,
    period: str = "week",
    end: dt.date | None = None,
    first: dt.date | None = None,
) -> str:
    """Running minutes a week (or a month), first whole period against the latest, in
    whole minutes, and the worst pain during a run.

    ``weekly``: :func:`kneecore.running_trends.weekly_running` (cut to the range) or, for
    a month a bar, its monthly :func:`~kneecore.running_trends.period_running`.
    ``end``: the range's last day; ``first``: the first run's day. A latest week or month
    still going on ``end``, and a first one begun partway through (before ``first``), are
    left out of the comparison (:func:`whole_periods`: their minutes are not all
    there), though their pain still counts.
    """
    unit = "month" if period == "month" else "week"
    minutes = pd.Series(weekly["run_min"].to_numpy(), index=pd.DatetimeIndex(weekly["week"]))
    ends = _first_and_latest(minutes, unit, end, first)
    if ends is None:
        return TOO_LITTLE
    start_min, latest, days = ends
    sentence = change_sentence(
        "Running", round(start_min), round(latest), days, f" minutes a {unit}"
    )
    worst = int(weekly["pain_during"].max())
    return sentence[:-1] + f"; the worst pain during a run was {worst}/10."


def level_summary(points: pd.DataFrame) -> str:
    """The walk-run level at the range's first and last programme run."""
    if len(points) < 2:
        return TOO_LITTLE
    first, last = int(points["level"].iloc[0]), int(points["level"].iloc[-1])
    return change_sentence("Walk-run level", first, last, _days_between(points["date"]))


__all__ = [
    "PAIN_FLAT",
    "TOO_LITTLE",
    "akps_summary",
    "calendar_summary",
    "change_sentence",
    "exercise_summary",
    "level_summary",
    "pain_summary",
    "phases_summary",
    "running_load_summary",
    "sessions_summary",
    "span_words",
    "volume_summary",
    "whole_periods",
]
