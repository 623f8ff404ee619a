"""What the Progress page shows for a date range: which charts exist, and the picker's choices.

The page draws; this module decides. A chart is left out when it would be empty or
misleading: the pain, per-week and volume charts need a session in the range and more
than one session in all; the hold chart needs some time held; the knee-score and phase
charts need a self-check or a phase in the range. Pure: frames in, a small frozen plan out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from kneecore import analytics as an

#: The adherence calendar shows at least this many weeks...
CALENDAR_MIN_WEEKS = 12
#: ...and at most this many: more would squeeze its squares too small on a phone.
CALENDAR_MAX_WEEKS = 26

ChartName = Literal["calendar", "akps", "phases", "pain", "per_week", "reps", "hold"]


@dataclass(frozen=True)
class RangePlan:
    """The charts of one date range and what the page says about them."""

    #: Sessions in the range.
    in_range: int
    calendar_weeks: int
    #: The charts to draw, in the order they are built.
    charts: tuple[ChartName, ...]
    #: Exercise id -> name of the exercises logged in the range (the picker).
    exercises: dict[str, str] = field(default_factory=dict)
    #: Shown first in the picker: the exercise of the current phase done most recently
    #: (what the person is working on now), else the latest done at all.
    latest_exercise: str | None = None


def calendar_weeks(start: dt.date, end: dt.date) -> int:
    """Weeks of the adherence calendar: the range's weeks, kept between the bounds."""
    return max(CALENDAR_MIN_WEEKS, min(CALENDAR_MAX_WEEKS, ((end - start).days + 7) // 7))


def plan_range(
    frames: an.ProgressFrames, start: dt.date, end: dt.date, weekly: pd.DataFrame | None = None
) -> RangePlan:
    """Decide which charts the Progress page shows for ``start``..``end``.

    ``weekly``: the range's :func:`kneecore.analytics.weekly_volume`, when the caller has
    worked it out already (the volume charts need it too).
    """
    in_range = len(an.in_range(frames.sessions, start, end))
    charts: list[ChartName] = ["calendar"]
    # The knee-score and phase charts follow the range like the others.
    if not an.in_range(frames.checks, start, end).empty:
        charts.append("akps")
    phases = frames.phases
    if ((phases["end"] >= pd.Timestamp(start)) & (phases["start"] <= pd.Timestamp(end))).any():
        charts.append("phases")
    if not in_range or len(frames.sessions) <= 1:
        return RangePlan(in_range, calendar_weeks(start, end), tuple(charts))
    charts += ["pain", "per_week", "reps"]
    if weekly is None:
        weekly = an.weekly_volume(frames.entries, start, end)
    if (weekly["hold_min"] > 0).any():
        charts.append("hold")
    entries = an.in_range(frames.entries, start, end)
    seen = set(entries["exercise_id"])
    return RangePlan(
        in_range=in_range,
        calendar_weeks=calendar_weeks(start, end),
        charts=tuple(charts),
        exercises={i: n for i, n in frames.exercise_names.items() if i in seen},
        latest_exercise=first_exercise(entries, current_phase(frames.phases)),
    )


def current_phase(phases: pd.DataFrame) -> int | None:
    """The phase the person is in now (:func:`kneecore.analytics.phases_frame`), if any."""
    current = phases[phases["current"]] if not phases.empty else phases
    return int(current["phase"].iloc[0]) if not current.empty else None


def first_exercise(entries: pd.DataFrame, phase: int | None) -> str | None:
    """The exercise the picker opens on: the latest done of ``phase``'s exercises (the
    current phase: what the person works on now), else the latest done of any."""
    if entries.empty:
        return None
    if phase is not None:
        mine = entries[entries["phase"] == phase]
        if not mine.empty:
            return str(mine["exercise_id"].iloc[-1])
    return str(entries["exercise_id"].iloc[-1])


__all__ = [
    "CALENDAR_MAX_WEEKS",
    "CALENDAR_MIN_WEEKS",
    "ChartName",
    "RangePlan",
    "calendar_weeks",
    "current_phase",
    "first_exercise",
    "plan_range",
]
