"""Tidy pandas frames derived from the stored models, for the progress page and the report.

Everything here is pure: models in, frames out, no Streamlit and no store. The frames
are the single source for every chart and summary figure, so the page, the PDF report
and the tests all read the same numbers. Dates are ``datetime64`` at midnight (what
Altair and pandas group by most easily); weeks start on Monday.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from kneecore import trends
from kneecore.content import Exercise, Library
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.progression import REVIEW_AFTER_DAYS, session_zone

#: Ranges longer than this are charted by week, so no chart carries thousands of rows.
DAILY_MAX_DAYS = 120
#: Ranges longer than this are charted by month: weekly points over years are just noise.
WEEKLY_MAX_DAYS = 730
#: Six weeks without change merits a physiotherapist's review (clinical-rules.md section 4).
SLOW_RECOVERY_DAYS = REVIEW_AFTER_DAYS


PAIN_MEASURES: dict[str, str] = {
    # column -> label shown in legends and tooltips, in the order of a day.
    "pain_before": "Before",
    "pain_during": "During",
    "pain_after": "After",
    "pain_next_morning": "Next morning",
}

SESSION_COLUMNS = [
    "date",
    "id",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "zone",
    "exercises",
    "sets",
    "volume",
    "hold_s",
    "swelling",
    "locking",
    "giving_way",
]

ENTRY_COLUMNS = [
    "date",
    "session_id",
    "exercise_id",
    "name",
    "phase",
    "is_hold",
    "sets",
    "total_reps",
    "best_reps",
    "hold_s",
    "hold_total_s",
    "load_kg",
    "band",
    "side",
]


def _day(value: dt.date) -> pd.Timestamp:
    return pd.Timestamp(value.year, value.month, value.day)


#: ``date.toordinal()`` of 1 January 1970, the zero of ``datetime64``.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def week_start(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week (dates as ``datetime64``)."""
    monday: pd.Series = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    return monday


def _hold_seconds(reps: int, hold_s: float | None) -> float:
    # Hold time is the seconds held in every rep of every set (10 x 5 s = 50 s).
    return float(reps) * float(hold_s) if hold_s else 0.0


# -- frames from rows, kept and reused ------------------------------------------------------
# Stored sessions are frozen, and a save through the store keeps every other session as
# the same object. So the columns of the last frame made from a list of sessions are
# kept, with the sessions they came from, and the next list reuses the rows of every
# session it shares with that one: the first Progress view after a save works out the
# rows of one session, not five years of them. The sessions are kept with their rows,
# so their id()s cannot be reused by other objects meanwhile.


def _session_row(s: Session) -> tuple[Any, ...]:
    return (
        s.date.toordinal(),
        s.id,
        s.pain_before,
        s.pain_during,
        s.pain_after,
        np.nan if s.pain_next_morning is None else s.pain_next_morning,
        session_zone(s),
        len(s.exercises),
        sum(e.sets for e in s.exercises),
        sum(e.total_reps for e in s.exercises),
        sum(_hold_seconds(e.total_reps, e.hold_s) for e in s.exercises),
        s.swelling,
        s.locking,
        s.giving_way,
    )


def _entry_rows_of(s: Session, known: dict[str, Exercise]) -> list[tuple[Any, ...]]:
    rows = []
    for e in s.exercises:
        exercise = known.get(e.exercise_id)
        is_hold = exercise.dose.is_hold if exercise is not None else bool(e.hold_s)
        total = e.total_reps
        rows.append(
            (
                s.date.toordinal(),
                s.id,
                e.exercise_id,
                exercise.name if exercise is not None else e.exercise_id,
                exercise.phase if exercise is not None else 0,
                is_hold,
                e.sets,
                total,
                max(e.reps),
                np.nan if e.hold_s is None else e.hold_s,
                _hold_seconds(total, e.hold_s) if is_hold else 0.0,
                np.nan if e.load_kg is None else e.load_kg,
                e.band,
                e.side,
            )
        )
    return rows


#: Kept builds: the sessions and the entries frame (one per library) of the latest list.
_BUILT_MAX = 8


@dataclass(frozen=True)
class _Built:
    sessions: tuple[Session, ...]
    #: What else the rows were made from (the library: names and phases come from it).
    source: object
    #: Rows of each session: ``starts[i]`` up to ``ends[i]``.
    starts: np.ndarray
    ends: np.ndarray
    #: Each session's date (ordinal) and id, what the frame is sorted by.
    dates: np.ndarray
    ids: np.ndarray
    columns: dict[str, np.ndarray]


_built: dict[tuple[str, int], _Built] = {}


def _columns(
    rows: list[tuple[Any, ...]], names: list[str], types: dict[str, str]
) -> dict[str, Any]:
    """Row tuples as one array per column: typed where ``types`` says, else Python objects.

    Text columns stay Python objects rather than pandas' Arrow strings: their strings
    are the stored models' own, and selecting rows of them costs a fraction.
    """
    values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    columns: dict[str, Any] = {}
    for name, column in zip(names, values, strict=True):
        if name == "date":
            columns[name] = np.array(column, dtype="int64")
        else:
            columns[name] = np.array(column, dtype=types.get(name, object))
    return columns


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The positions ``starts[i]``, ``starts[i] + 1``, ... (``counts[i]`` of them), all i."""
    total = int(counts.sum())
    positions: np.ndarray = (
        np.arange(total, dtype="int64")
        - np.repeat(np.cumsum(counts) - counts, counts)
        + np.repeat(starts, counts)
    )
    return positions


def _session_columns(
    key: tuple[str, int],
    source: object,
    sessions: Sequence[Session],
    rows_of: Callable[[Session], list[tuple[Any, ...]]],
    names: list[str],
    types: dict[str, str],
) -> _Built:
    """The columns of every row of ``sessions``, in their order, reusing the rows of the
    sessions the last build under ``key`` (from the same ``source``) already had."""
    ordered = tuple(sessions)
    before = _built.get(key)
    if before is not None and before.source is not source:
        before = None
    # Per session: where its rows are in the old columns, or -1: it needs new rows.
    if before is None:
        old = np.full(len(ordered), -1, dtype="int64")
    elif len(before.sessions) <= len(ordered) and all(map(operator.is_, before.sessions, ordered)):
        # The usual change, a session added at the end: no lookup needed.
        old = np.full(len(ordered), -1, dtype="int64")
        old[: len(before.sessions)] = np.arange(len(before.sessions))
    else:
        seen = {id(s): i for i, s in enumerate(before.sessions)}
        old = np.array([seen.get(id(s), -1) for s in ordered], dtype="int64")
    fresh = [s for s, i in zip(ordered, old.tolist(), strict=True) if i < 0]
    new_rows = [rows_of(s) for s in fresh]
    added = _columns([row for rows in new_rows for row in rows], names, types)
    counts = np.zeros(len(ordered), dtype="int64")
    first = np.zeros(len(ordered), dtype="int64")
    reused = old >= 0
    if before is not None:
        kept_rows = len(before.columns[names[0]])
        counts[reused] = (before.ends - before.starts)[old[reused]]
        first[reused] = before.starts[old[reused]]
        pool = {n: np.concatenate([before.columns[n], added[n]]) for n in names}
    else:
        kept_rows = 0
        pool = added
    fresh_counts = np.array([len(rows) for rows in new_rows], dtype="int64")
    counts[~reused] = fresh_counts
    first[~reused] = kept_rows + np.cumsum(fresh_counts) - fresh_counts
    rows = _ranges(first, counts)
    ends = np.cumsum(counts)
    in_place = len(rows) == len(pool[names[0]]) and bool((rows == np.arange(len(rows))).all())
    dates = np.array([s.date.toordinal() for s in fresh], dtype="int64")
    ids = np.array([s.id for s in fresh], dtype=object)
    if before is not None:
        # Each session's place among the old sessions and then the fresh ones.
        place = np.where(reused, old, len(before.sessions) + np.cumsum(~reused) - 1)
        dates = np.concatenate([before.dates, dates])[place]
        ids = np.concatenate([before.ids, ids])[place]
    built = _Built(
        sessions=ordered,
        source=source,
        starts=ends - counts,
        ends=ends,
        dates=dates,
        ids=ids,
        # Rows already where they belong (sessions only added at the end) are not copied.
        columns=pool if in_place else {n: pool[n][rows] for n in names},
    )
    if key not in _built and len(_built) >= _BUILT_MAX:
        _built.clear()
    _built[key] = built
    return built


def _frame(built: _Built, names: list[str]) -> pd.DataFrame:
    """The frame of ``built``'s rows, sorted by date then session id, stably.

    Sorted session by session (a session's rows share its date and id and keep their
    order): the store hands sessions out by date already, so only same-day sessions
    are put in order, instead of sorting every row.
    """
    dates, ids = built.dates, built.ids
    order = np.argsort(dates, kind="stable")
    sorted_dates = dates[order]
    ties = np.flatnonzero(sorted_dates[1:] == sorted_dates[:-1])
    for first, last in _runs(ties):
        run = order[first : last + 1]
        # Missing ids last, as pandas sorts them.
        order[first : last + 1] = sorted(run, key=lambda i: (ids[i] is None, ids[i] or ""))
    # Row positions: each session's rows, session after session in the new order.
    rows = _ranges(built.starts[order], (built.ends - built.starts)[order])
    # Rows already in order (the usual case) are handed to pandas as they are: it copies
    # them into the frame anyway.
    in_order = bool((rows == np.arange(len(rows))).all())
    data: dict[str, Any] = {}
    for name in names:
        column = built.columns[name] if in_order else built.columns[name][rows]
        if name == "date":
            data[name] = (column - _EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[ns]")
        elif column.dtype == object:
            # A Series, so that pandas keeps the objects rather than making Arrow strings.
            data[name] = pd.Series(column, dtype=object)
        else:
            data[name] = column
    return pd.DataFrame(data, columns=names)


def _runs(ties: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` positions of each run of equal neighbours, from the positions
    ``i`` where item ``i`` equals item ``i + 1``."""
    runs: list[tuple[int, int]] = []
    for i in ties.tolist():
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


def sessions_frame(sessions: Sequence[Session]) -> pd.DataFrame:
    """One row per session, oldest first.

    Columns: ``date``, ``id``, the four pain ratings (``pain_next_morning`` may be
    missing), ``zone`` (``"green"``, ``"amber"`` or ``"red"``), ``exercises`` (count),
    ``sets``, ``volume`` (sets x reps of the whole session), ``hold_s`` (seconds held
    in isometric work), and the ``swelling``/``locking``/``giving_way`` flags.
    """
    types = {
        **dict.fromkeys(
            ("pain_before", "pain_during", "pain_after", "exercises", "sets", "volume"), "int64"
        ),
        # Float, so a missing next-morning rating is NaN and means ignore it.
        "pain_next_morning": "float64",
        "hold_s": "float64",
        **dict.fromkeys(("swelling", "locking", "giving_way"), "bool"),
    }
    built = _session_columns(
        ("sessions", 0), None, sessions, lambda s: [_session_row(s)], SESSION_COLUMNS, types
    )
    return _frame(built, SESSION_COLUMNS)


def entries_frame(sessions: Sequence[Session], library: Library | None = None) -> pd.DataFrame:
    """One row per exercise entry of every session, oldest first.

    With a ``library`` the rows carry the exercise's name and phase and whether it is
    hold-based work; without one the id stands in for the name, the phase is unknown
    (0) and any entry with a hold time counts as hold work.
    """
    known = {e.id: e for e in library.exercises} if library is not None else {}
    types = {
        **dict.fromkeys(("phase", "sets", "total_reps", "best_reps"), "int64"),
        "is_hold": "bool",
        **dict.fromkeys(("hold_s", "hold_total_s", "load_kg"), "float64"),
    }
    built = _session_columns(
        ("entries", id(library)),
        library,
        sessions,
        lambda s: _entry_rows_of(s, known),
        ENTRY_COLUMNS,
        types,
    )
    return _frame(built, ENTRY_COLUMNS)


def selfchecks_frame(checks: Sequence[SelfCheckResult]) -> pd.DataFrame:
    """One row per self-check that has an AKPS score: ``date``, ``id``, ``akps``, ``phase``."""
    # In date then id order (missing ids last), as a stable pandas sort would put them.
    scored = sorted(
        (c for c in checks if c.akps is not None),
        key=lambda c: (c.date, c.id is None, c.id or ""),
    )
    # Built column by column with their types: converting a few rows afterwards costs
    # pandas more than building the page's five years of sessions.
    frame = pd.DataFrame(
        {
            "date": _days([c.date for c in scored]),
            "id": pd.array([c.id for c in scored], dtype="str"),
            "akps": np.array([c.akps for c in scored], dtype="int64"),
            "phase": np.array([c.phase or 0 for c in scored], dtype="int64"),
        }
    )
    return frame


def _days(days: list[dt.date]) -> np.ndarray:
    """Dates as ``datetime64`` at midnight, in microseconds (pandas' unit for timestamps)."""
    ordinals = np.array([d.toordinal() for d in days], dtype="int64") - _EPOCH_ORDINAL
    return ordinals.astype("datetime64[D]").astype("datetime64[us]")


def phases_frame(
    phases: Sequence[PhaseStart], today: dt.date, library: Library | None = None
) -> pd.DataFrame:
    """One row per stretch of time in a phase: ``phase``, ``label``, ``start``, ``end``, ``days``.

    The latest phase runs to ``today`` (inclusive). Same-day changes keep only the last,
    because only that one was ever in effect for a whole day.
    """
    ordered = sorted(phases, key=lambda p: p.started)
    by_day: dict[dt.date, PhaseStart] = {}
    for p in ordered:
        by_day[p.started] = p
    kept = list(by_day.values())
    ends = [kept[i + 1].started - dt.timedelta(days=1) for i in range(len(kept) - 1)]
    ends += [today] if kept else []
    labels = []
    for p in kept:
        name = ""
        if library is not None:
            try:
                name = library.phase(p.phase).name
            except KeyError:
                name = ""
        labels.append(f"Phase {p.phase}" + (f": {name}" if name else ""))
    return pd.DataFrame(
        {
            "phase": np.array([p.phase for p in kept], dtype="int64"),
            "label": pd.array(labels, dtype="str"),
            "start": _days([p.started for p in kept]),
            "end": _days([max(end, p.started) for p, end in zip(kept, ends, strict=True)]),
            "days": np.array(
                [max(0, (end - p.started).days) + 1 for p, end in zip(kept, ends, strict=True)],
                dtype="int64",
            ),
            "current": np.array([i == len(kept) - 1 for i in range(len(kept))], dtype="bool"),
            "source": pd.array([p.source for p in kept], dtype="str"),
        }
    )


# -- ranges ------------------------------------------------------------------------------

RangePreset = Literal["4w", "12w", "all"]


def preset_range(
    preset: RangePreset, today: dt.date, first: dt.date | None
) -> tuple[dt.date, dt.date]:
    """The dates a range preset covers, ending today. ``all`` starts at the first data."""
    if preset == "4w":
        return today - dt.timedelta(days=27), today
    if preset == "12w":
        return today - dt.timedelta(days=83), today
    return (min(first, today) if first is not None else today), today


def in_range(
    frame: pd.DataFrame, start: dt.date | None, end: dt.date | None, column: str = "date"
) -> pd.DataFrame:
    """Rows of ``frame`` whose ``column`` falls within ``start``..``end`` (inclusive)."""
    dates = frame[column]
    if dates.is_monotonic_increasing:
        # The page's frames are in date order: the range is one slice, found by
        # bisection, where a mask would compare and copy every row of five years.
        low = 0 if start is None else int(dates.searchsorted(_day(start), side="left"))
        high = len(frame) if end is None else int(dates.searchsorted(_day(end), side="right"))
        return frame.iloc[low:high]
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame[column] >= _day(start)
    if end is not None:
        mask &= frame[column] <= _day(end)
    return frame.loc[mask]


def span_days(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> int:
    """Days covered by a chart: the given range, or the data's own span when open-ended."""
    if frame.empty and (start is None or end is None):
        return 0
    first = _day(start) if start is not None else frame["date"].min()
    last = _day(end) if end is not None else frame["date"].max()
    return int((last - first).days) + 1


Resolution = Literal["day", "week", "month"]


def resolution(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> Resolution:
    """How finely to chart a range: by session up to 4 months, by week up to 2 years."""
    days = span_days(frame, start, end)
    if days > WEEKLY_MAX_DAYS:
        return "month"
    if days > DAILY_MAX_DAYS:
        return "week"
    return "day"


def period_start(dates: pd.Series, res: Resolution) -> pd.Series:
    """The first day of each date's week (Monday) or month; the date itself for "day"."""
    if res == "week":
        return week_start(dates)
    if res == "month":
        first: pd.Series = dates.dt.to_period("M").dt.start_time
        return first
    return dates


# -- derived frames for the charts -------------------------------------------------------


def pain_long(
    sessions_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[pd.DataFrame, Resolution]:
    """Pain ratings in long form (``date``, ``measure``, ``pain``, ``sessions``).

    Returns the frame and its :func:`resolution`: long ranges are weekly or monthly
    means, which keeps five years to a few hundred rows.
    """
    frame = in_range(sessions_df, start, end)
    res = resolution(frame, start, end)
    columns = list(PAIN_MEASURES)
    if res != "day":
        grouped = frame.assign(date=period_start(frame["date"], res)).groupby(
            "date", as_index=False
        )
        wide = grouped[columns].mean()
        wide[columns] = wide[columns].round(1)
        wide["sessions"] = grouped.size()["size"].to_numpy()
    else:
        return _pain_long_daily(frame), res
    long = wide.melt(
        id_vars=["date", "sessions"], value_vars=columns, var_name="measure", value_name="pain"
    )
    long["measure"] = long["measure"].map(PAIN_MEASURES)
    long = long.dropna(subset=["pain"]).sort_values(["date", "measure"]).reset_index(drop=True)
    return long[["date", "measure", "pain", "sessions"]], res


def _pain_long_daily(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`pain_long`'s frame for a range charted day by day, made with NumPy.

    The same rows, in the same order, as melting and stably sorting by date and measure
    (the pandas way costs about ten times as much, and the page does this after every
    save): one row per rating given, by date, measures in alphabetical order.
    """
    labels = list(PAIN_MEASURES.values())
    values = frame[list(PAIN_MEASURES)].to_numpy(dtype="float64").T.ravel()
    dates = np.tile(frame["date"].to_numpy(dtype="datetime64[ns]"), len(labels))
    rank = np.repeat(np.argsort(np.argsort(labels)), len(frame))
    kept = np.flatnonzero(~np.isnan(values))
    order = kept[np.lexsort((rank[kept], dates[kept]))]
    return pd.DataFrame(
        {
            "date": dates[order],
            "measure": pd.array(np.repeat(labels, len(frame))[order], dtype="str"),
            "pain": values[order],
            "sessions": np.ones(len(order), dtype="int64"),
        }
    )


def monday_of(day: dt.date | None) -> dt.date | None:
    """The Monday of ``day``'s week: weekly charts count whole weeks, not a range's slice."""
    return day - dt.timedelta(days=day.weekday()) if day is not None else None


#: Beyond this many days the per-week bar charts count months instead: five years of
#: weekly bars at a phone's width run together into one solid block.
BARS_WEEKLY_MAX_DAYS = 183

BarPeriod = Literal["week", "month"]


def bar_period(start: dt.date, end: dt.date) -> BarPeriod:
    """Whether the bar charts of ``start``..``end`` count weeks or months."""
    return "month" if (end - start).days + 1 > BARS_WEEKLY_MAX_DAYS else "week"


def first_of_month(day: dt.date | None) -> dt.date | None:
    """The first day of ``day``'s month: monthly charts count whole months."""
    return day.replace(day=1) if day is not None else None


def weekly_volume(
    entries_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Training volume per week and exercise phase.

    Columns: ``week``, ``phase`` (label, e.g. ``"Phase 1"``), ``reps`` (sets x
    reps of rep-based work), ``hold_min`` (minutes held in isometric and balance work).
    The first week is counted whole even when ``start`` falls mid-week.
    """
    return period_volume(entries_df, start, end, "week")


def period_volume(
    entries_df: pd.DataFrame,
    start: dt.date | None = None,
    end: dt.date | None = None,
    period: BarPeriod = "week",
) -> pd.DataFrame:
    """:func:`weekly_volume` per week or per calendar month (its ``week`` column then
    holds each month's first day); the first period is counted whole."""
    first = monday_of(start) if period == "week" else first_of_month(start)
    frame = in_range(entries_df, first, end)
    if frame.empty:
        return pd.DataFrame(
            {
                "week": pd.Series(dtype="datetime64[ns]"),
                "phase": pd.Series(dtype="str"),
                "reps": pd.Series(dtype="int64"),
                "hold_min": pd.Series(dtype="float64"),
            }
        )
    # Summed with NumPy over (week, phase) keys: pandas' grouped aggregation costs about
    # ten times as much on the few hundred rows of a range, and the page does this after
    # every save. Phase numbers sort as their labels do ("Other" is 0, before "Phase 1").
    days = frame["date"].to_numpy().astype("datetime64[D]").astype("int64")
    # 1 January 1970 was a Thursday: day 0 is weekday 3.
    mondays = days - (days + 3) % 7
    if period == "month":
        months = days.astype("datetime64[D]").astype("datetime64[M]")
        mondays = months.astype("datetime64[D]").astype("int64")
    keys, group = np.unique(
        np.stack([mondays, frame["phase"].to_numpy(dtype="int64")], axis=1),
        axis=0,
        return_inverse=True,
    )
    group = group.reshape(-1)
    reps = np.where(frame["is_hold"].to_numpy(dtype=bool), 0, frame["total_reps"].to_numpy())
    holds = frame["hold_total_s"].to_numpy(dtype="float64")
    return pd.DataFrame(
        {
            "week": keys[:, 0].astype("datetime64[D]").astype("datetime64[ns]"),
            "phase": [phase_group(int(p)) for p in keys[:, 1]],
            "reps": np.bincount(group, weights=reps, minlength=len(keys)).round().astype("int64"),
            "hold_min": (np.bincount(group, weights=holds, minlength=len(keys)) / 60).round(1),
        }
    )


def phase_group(phase: int) -> str:
    """Legend label for an exercise phase (0 means not in the library)."""
    return f"Phase {phase}" if phase else "Other"


def daily_counts(sessions_df: pd.DataFrame, end: dt.date, weeks: int = 12) -> pd.DataFrame:
    """A full calendar grid of ``weeks`` weeks ending with ``end``'s week.

    Columns: ``date``, ``week`` (its Monday), ``weekday`` (``"Mon"``..), ``sessions``
    (0 on rest days), ``future`` (days after ``end`` in the last week, left blank).
    """
    # Day numbers (days since 1970) with NumPy: the page makes this grid after every save.
    last = end.toordinal() - _EPOCH_ORDINAL
    first = last - end.weekday() - 7 * (weeks - 1)
    days = np.arange(first, first + 7 * weeks, dtype="int64")
    logged = sessions_df["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    found, per_day = np.unique(logged, return_counts=True)
    sessions = np.zeros(len(days), dtype="int64")
    if len(found):
        at = np.clip(np.searchsorted(found, days), 0, len(found) - 1)
        sessions = np.where(found[at] == days, per_day[at], 0)
    weekday = (days + 3) % 7  # 1 January 1970 was a Thursday
    names = np.array(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    return pd.DataFrame(
        {
            # Microseconds, the unit pandas' own date ranges have.
            "date": days.astype("datetime64[D]").astype("datetime64[us]"),
            "sessions": sessions.astype("int64"),
            "week": (days - weekday).astype("datetime64[D]").astype("datetime64[us]"),
            "weekday": pd.array(names[weekday], dtype="str"),
            "future": days > last,
        }
    )


def weekly_sessions(
    sessions_df: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Sessions per week (``week``, ``sessions``, ``complete``), including empty weeks.

    The first week is counted whole even when ``start`` falls mid-week; the last is
    ``complete`` only when the range reaches its Sunday (otherwise it is still going).
    """
    start = monday_of(start)
    frame = in_range(sessions_df, start, end)
    if frame.empty and (start is None or end is None):
        return pd.DataFrame(
            {
                "week": pd.Series(dtype="datetime64[ns]"),
                "sessions": pd.Series(dtype="int64"),
                "complete": pd.Series(dtype="bool"),
            }
        )
    first = _day(start) if start is not None else frame["date"].min()
    last = _day(end) if end is not None else frame["date"].max()
    # Day numbers (days since 1970, a Thursday) with NumPy: the page does this after
    # every save, and pandas' grouping and mapping cost ten times as much.
    first_day, last_day = (
        int(d.to_datetime64().astype("datetime64[D]").astype("int64")) for d in (first, last)
    )
    first_monday = first_day - (first_day + 3) % 7
    mondays = np.arange(first_monday, last_day - (last_day + 3) % 7 + 1, 7, dtype="int64")
    days = frame["date"].to_numpy(dtype="datetime64[D]").astype("int64")
    counts = np.bincount((days - (days + 3) % 7 - first_monday) // 7, minlength=len(mondays))
    unit = max(first.unit, last.unit, key=["s", "ms", "us", "ns"].index)
    return pd.DataFrame(
        {
            # In the finer unit of the range's ends, as pandas' date range would be.
            "week": mondays.astype("datetime64[D]").astype(f"datetime64[{unit}]"),
            "sessions": counts[: len(mondays)].astype("int64"),
            # Without an end date the data's last day is not "today": every week is done.
            "complete": (mondays + 6 <= last_day) | (end is None),
        }
    )


def monthly_sessions(sessions_df: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Sessions per calendar month of ``start``..``end``, including empty months.

    Columns: ``week`` (the month's first day, named as :func:`weekly_sessions` names its
    periods), ``count`` (sessions), ``sessions`` (their mean per week over the month's
    days inside the range, so a plan of "3 a week" still reads against it) and
    ``complete`` (the range reaches the month's last day).
    """
    frame = in_range(sessions_df, start, end)
    first = np.datetime64(start, "M")
    months = np.arange(first, np.datetime64(end, "M") + 1)
    index = frame["date"].to_numpy(dtype="datetime64[D]").astype("datetime64[M]") - first
    counts = np.bincount(index.astype("int64"), minlength=len(months))[: len(months)]
    month_first = months.astype("datetime64[D]")
    month_last = (months + 1).astype("datetime64[D]") - 1
    shown = np.minimum(month_last, np.datetime64(end, "D")) - np.maximum(
        month_first, np.datetime64(start, "D")
    )
    weeks = (shown.astype("int64") + 1) / 7
    return pd.DataFrame(
        {
            "week": month_first.astype("datetime64[ns]"),
            "count": counts.astype("int64"),
            "sessions": np.round(counts / weeks, 1),
            "complete": month_last <= np.datetime64(end, "D"),
        }
    )


def exercise_progress(
    entries_df: pd.DataFrame,
    exercise_id: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[pd.DataFrame, Resolution]:
    """One exercise's progression in long form (``date``, ``measure``, ``value``, ``unit``).

    Measures: ``"Reps per set"`` (best set), ``"Hold (s)"`` and ``"Load (kg)"``, each
    only when the exercise has it (bodyweight work has no load row at all). Long ranges
    take the best of each week or month. Returns the frame and its :func:`resolution`.
    """
    # Only the four columns it reads: selecting rows of all fourteen costs pandas more.
    mine = (entries_df["exercise_id"] == exercise_id).to_numpy(dtype=bool)
    frame = in_range(entries_df.loc[mine, ["date", *_EXERCISE_MEASURES]], start, end)
    res = resolution(frame, start, end)
    work = frame
    if res != "day" and not work.empty:
        work = (
            work.assign(date=period_start(work["date"], res)).groupby("date", as_index=False).max()
        )
    return _by_measure(work), res


#: exercise_progress's measures: column -> label.
_EXERCISE_MEASURES = {"best_reps": "Reps per set", "hold_s": "Hold (s)", "load_kg": "Load (kg)"}


def _by_measure(work: pd.DataFrame) -> pd.DataFrame:
    """``work``'s measures in long form, made with NumPy: the rows and order of melting,
    dropping missing values and zero loads, and stably sorting by measure and date."""
    labels = list(_EXERCISE_MEASURES.values())
    values = work[list(_EXERCISE_MEASURES)].to_numpy(dtype="float64").T.ravel()
    dates = np.tile(work["date"].to_numpy(), len(labels))
    kind = np.repeat(np.arange(len(labels)), len(work))
    # Zero load is bodyweight: not a data point on a load line.
    kept = np.flatnonzero(~np.isnan(values) & ~((kind == 2) & (values <= 0)))
    rank = np.argsort(np.argsort(labels))[kind]
    order = kept[np.lexsort((dates[kept], rank[kept]))]
    return pd.DataFrame(
        {
            "date": dates[order],
            "measure": pd.array(np.array(labels, dtype=object)[kind[order]], dtype="str"),
            "value": values[order],
        }
    )


# -- summary figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """The figures at the top of the progress page, with what they are compared to."""

    sessions_7d: int
    sessions_prev_7d: int
    pain_7d: float | None
    pain_prev_7d: float | None
    akps_first: int | None
    akps_latest: int | None
    akps_checks: int
    current_phase: int | None
    days_in_phase: int | None
    #: The week-on-week rule of :func:`kneecore.trends.week_on_week` (exact averages).
    pain_rising: bool = False
    #: Its warning, in the words Today and the advice use (None when not rising).
    pain_warning: str | None = None

    @property
    def sessions_delta(self) -> int:
        return self.sessions_7d - self.sessions_prev_7d

    @property
    def pain_delta(self) -> float | None:
        if self.pain_7d is None or self.pain_prev_7d is None:
            return None
        return round(self.pain_7d - self.pain_prev_7d, 1)

    @property
    def akps_change(self) -> int | None:
        if self.akps_first is None or self.akps_latest is None or self.akps_checks < 2:
            return None
        return self.akps_latest - self.akps_first


def _mean(series: pd.Series) -> float | None:
    # Rounded for showing only; the rules in kneecore.trends compare exact averages.
    return round(float(series.mean()), 1) if not series.empty else None


def pain_readings(sessions_df: pd.DataFrame) -> list[trends.PainReading]:
    """The (date, pain during exercise) pairs of a sessions frame, for :mod:`kneecore.trends`."""
    # NumPy days convert to datetime.date in one C pass; Timestamps one by one would not.
    days = sessions_df["date"].to_numpy(dtype="datetime64[D]").tolist()
    return list(zip(days, sessions_df["pain_during"].astype("int64").tolist(), strict=True))


def score_readings(checks_df: pd.DataFrame) -> list[trends.ScoreReading]:
    """The (date, AKPS) pairs of a self-checks frame, oldest first."""
    days = checks_df["date"].to_numpy(dtype="datetime64[D]").tolist()
    return list(zip(days, checks_df["akps"].astype("int64").tolist(), strict=True))


def summarize(
    sessions_df: pd.DataFrame,
    checks_df: pd.DataFrame,
    phases_df: pd.DataFrame,
    today: dt.date,
) -> Summary:
    """The last 7 days against the 7 before, the AKPS change and time in the current phase."""
    end = _day(today)
    # Dates are whole days: the last 7 days are today and the 6 before it.
    recent = in_range(sessions_df, today - dt.timedelta(days=6), today)
    before = in_range(sessions_df, today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    current = phases_df[phases_df["current"]] if not phases_df.empty else phases_df
    readings = pain_readings(pd.concat([before, recent]))
    week = trends.week_on_week(readings, today)
    return Summary(
        sessions_7d=len(recent),
        sessions_prev_7d=len(before),
        pain_7d=_mean(recent["pain_during"]),
        pain_prev_7d=_mean(before["pain_during"]),
        akps_first=int(checks_df["akps"].iloc[0]) if not checks_df.empty else None,
        akps_latest=int(checks_df["akps"].iloc[-1]) if not checks_df.empty else None,
        akps_checks=len(checks_df),
        current_phase=int(current["phase"].iloc[0]) if not current.empty else None,
        # Whole days since the phase started, as the progression rules count them (the
        # "14 days in the phase" rule) and as the Today page shows them.
        days_in_phase=(end - current["start"].iloc[0]).days if not current.empty else None,
        pain_rising=week is not None and week.rising,
        pain_warning=trends.rise_warning(readings, today),
    )


Verdict = trends.Verdict


@dataclass(frozen=True)
class Trend:
    """Whether things are getting better, in one word and one plain sentence."""

    verdict: Verdict
    message: str
    pain_early: float | None = None
    pain_recent: float | None = None
    #: The rule outcomes behind the verdict (kneecore.trends), None when not known yet.
    pain: trends.EarlyLate | None = None
    knee_score: trends.ScoreChange | None = None


_HEADLINES: dict[Verdict, str] = {
    "worse": (
        "Things are heading the wrong way. Ease off to the green zone, and see a GP or "
        "physiotherapist if it does not settle."
    ),
    "better": "You are getting better.",
    "same": "About the same so far: no clear change yet.",
}


def _trend_detail(pain: trends.EarlyLate | None, score: trends.ScoreChange | None) -> str:
    parts = []
    if pain is not None:
        parts.append(
            f"pain during exercise averaged {round(float(pain.early), 1):g}/10 in your first "
            f"two weeks and {round(float(pain.late), 1):g}/10 in the last two"
        )
    if score is not None:
        parts.append(
            f"your Kujala knee score has {'risen' if score.change >= 0 else 'fallen'} "
            f"{abs(score.change)} points since your first self-check"
        )
    detail = (" and ".join(parts) + ".") if parts else ""
    return detail[:1].upper() + detail[1:]


def overall_trend(
    sessions_df: pd.DataFrame, checks_df: pd.DataFrame, today: dt.date | None = None
) -> Trend:
    """Getting better? The early-against-late pain rule and the real knee-score change
    of :mod:`kneecore.trends`, in one word and a plain sentence (worse wins)."""
    readings = pain_readings(sessions_df)
    if today is None:
        today = max((day for day, _ in readings), default=dt.date.today())
    pain = trends.early_against_late(readings, today)
    score = trends.knee_score_change(score_readings(checks_df))
    verdict = trends.verdict(pain, score)
    if verdict == "unknown":
        return Trend(
            "unknown",
            "Not enough history yet to tell a trend: keep logging sessions for four weeks, "
            "or do a second self-check.",
        )
    headline = _HEADLINES[verdict]
    span = 0
    if readings:
        span = (max(d for d, _ in readings) - min(d for d, _ in readings)).days + 1
    if verdict == "same" and span >= SLOW_RECOVERY_DAYS:
        # Six weeks without change: the review rule of section 4 says get it checked.
        headline += (
            " Six weeks or more without improvement is worth a check with a GP or physiotherapist."
        )
    message = f"{headline} {_trend_detail(pain, score)}".strip()
    early = round(float(pain.early), 1) if pain is not None else None
    late = round(float(pain.late), 1) if pain is not None else None
    return Trend(verdict, message, early, late, pain=pain, knee_score=score)


# -- everything the progress page needs, in one picklable bundle ---------------------------

#: Sessions a week assumed when the user has not set reminder days.
DEFAULT_PLANNED_PER_WEEK = 3


@dataclass(frozen=True)
class ProgressFrames:
    """All frames behind the progress page, built once per change of the store."""

    sessions: pd.DataFrame
    entries: pd.DataFrame
    checks: pd.DataFrame
    phases: pd.DataFrame
    planned_per_week: int
    #: Exercise id -> name, in the library's order, for the exercise picker.
    exercise_names: dict[str, str]

    @property
    def first_date(self) -> dt.date | None:
        dates = [f["date"].min() for f in (self.sessions, self.checks) if not f.empty]
        return min(dates).date() if dates else None


def progress_frames(
    sessions: Sequence[Session],
    checks: Sequence[SelfCheckResult],
    phases: Sequence[PhaseStart],
    today: dt.date,
    library: Library | None = None,
    planned_per_week: int | None = None,
) -> ProgressFrames:
    """Build every frame of the progress page from the stored models."""
    names = {e.id: e.name for e in library.exercises} if library is not None else {}
    entries = entries_frame(sessions, library)
    # Exercises never logged are left out of the picker; unknown ids keep their id.
    logged = [str(i) for i in entries["exercise_id"].unique()]
    ordered = [i for i in names if i in logged] + [i for i in logged if i not in names]
    return ProgressFrames(
        sessions=sessions_frame(sessions),
        entries=entries,
        checks=selfchecks_frame(checks),
        phases=phases_frame(phases, today, library),
        planned_per_week=planned_per_week or DEFAULT_PLANNED_PER_WEEK,
        exercise_names={i: names.get(i) or i for i in ordered},
    )
