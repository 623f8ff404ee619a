"""The Progress page's cached data: frames, figures and chart specs. Not a page.

Cached under the store file's identity (inode, size and modification time, which every
write changes), so a newly logged session shows on the next rerun, and nothing is
recomputed while the data stays the same. The cached functions live in this module,
imported once, rather than in the page script: Streamlit re-creates a cached function
each time the script that defines it runs, reading its source to key it (about 10 ms
a rerun for four functions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

import streamlit as st

from kneecore import analytics as an
from kneecore import chart_summaries as cs
from kneecore import charts as ch
from kneecore import charts_running as cr
from kneecore import running_trends as rt
from kneecore import trends
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.progress_view import ChartName, plan_range
from pages.common import clinic_mode, get_library, get_store, store_key
from pages.progress_sections import RangeView, RunningView

DEMO_DAYS = 84
DEMO_PER_WEEK = 5


Source = tuple[str, ...]


def store_source(today: dt.date) -> Source:
    """The cache key for the user's data: the file's identity, which every write changes.

    The store replaces the file on every write (write, fsync, rename), so its inode,
    size and modification time change with each new session; a ``stat`` costs
    microseconds where hashing five years of data would cost milliseconds per rerun.
    """
    store = get_store()
    if clinic_mode():
        # A clinic's server store has no file: its revision is the account's write count.
        return ("user", store_key(store), store.revision(), today.isoformat())
    path = store.path
    try:
        info = path.stat()
        stamp = f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"
    except FileNotFoundError:
        stamp = "missing"
    return ("user", str(path), stamp, today.isoformat())


def demo_source(today: dt.date) -> Source:
    return ("demo", today.isoformat())


@st.cache_resource(show_spinner=False, max_entries=2)
def load_frames(source: Source) -> an.ProgressFrames:
    """Every frame of the page, for the user's store or for generated demo data.

    One shared object, never changed by its readers (the frames are only read, and
    pandas copies on write): a resource rather than st.cache_data, which keeps a pickled
    copy per entry and unpickles five years of frames (1.8 MB) on every rerun. Two
    entries: the user's latest data and the demo.
    """
    today = dt.date.fromisoformat(source[-1])
    if source[0] == "demo":
        doc = generate_history(DEMO_DAYS, sessions_per_week=DEMO_PER_WEEK, end=today)
        return an.progress_frames(
            [Session.model_validate(s) for s in doc["sessions"]],
            [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]],
            [PhaseStart.model_validate(p) for p in doc["phases"]],
            today,
            get_library(),
            planned_per_week=DEMO_PER_WEEK,
        )
    store = get_store()
    return an.progress_frames(
        store.sessions(),
        store.selfchecks(),
        store.phase_history(),
        today,
        get_library(),
        planned_per_week=len(store.settings().reminder_days) or None,
    )


class Overview(TypedDict):
    """What the top of the page shows; small, so cheap to copy out of the cache.

    A TypedDict (a plain dict at run time): st.cache_data pickles results, and a plain
    dict pickles without naming a class of this module.
    """

    sessions: int
    checks: int
    has_phases: bool
    first_date: dt.date | None
    trend: an.Trend
    summary: an.Summary
    planned_per_week: int
    last_session: dict[str, Any] | None


@st.cache_data(show_spinner=False, max_entries=8)
def overview(source: Source) -> Overview:
    frames = load_frames(source)
    today = dt.date.fromisoformat(source[-1])
    last = (
        {str(k): v for k, v in frames.sessions.iloc[-1].to_dict().items()}
        if not frames.sessions.empty
        else None
    )
    return Overview(
        sessions=len(frames.sessions),
        checks=len(frames.checks),
        has_phases=not frames.phases.empty,
        first_date=frames.first_date,
        trend=an.overall_trend(frames.sessions, frames.checks, today),
        summary=an.summarize(frames.sessions, frames.checks, frames.phases, today),
        planned_per_week=frames.planned_per_week,
        last_session=last,
    )


def shown_start(first: dt.date | None, start: dt.date, end: dt.date) -> dt.date:
    """Where the charts' shared date axis starts: the range's start, or the first data
    when that comes later (a range of 12 weeks with two weeks of data would squash them
    against the right edge)."""
    return min(end, max(start, first)) if first is not None else start


@st.cache_data(show_spinner=False, max_entries=16)
def range_view(source: Source, start: dt.date, end: dt.date) -> RangeView:
    """The charts the core plans for this range (``kneecore.progress_view``), as specs,
    each with its one-line summary (``kneecore.chart_summaries``)."""
    frames = load_frames(source)
    start = shown_start(frames.first_date, start, end)
    # Each chart filters to the range itself; handing it only the rows of the range's
    # months first spares it (and pandas) the other years of a long history.
    period = an.bar_period(start, end)
    first = an.first_of_month(start) if period == "month" else an.monday_of(start)
    sessions = an.in_range(frames.sessions, first, end)
    entries = an.in_range(frames.entries, first, end)
    # The plan and both volume charts read the same weekly totals: worked out once.
    weekly = an.weekly_volume(entries, start, end)
    plan = plan_range(frames, start, end, weekly)
    if period == "month":
        weekly = an.period_volume(entries, start, end, period)
    builders: dict[ChartName, Callable[[], ch.Prepared]] = {
        "calendar": lambda: ch.calendar_data(
            an.in_range(frames.sessions, end - dt.timedelta(weeks=plan.calendar_weeks), end),
            end,
            plan.calendar_weeks,
        ),
        "akps": lambda: ch.akps_data(frames.checks, start, end),
        "phases": lambda: ch.phase_timeline_data(frames.phases, start, end),
        "pain": lambda: ch.pain_data(sessions, start, end),
        "per_week": lambda: ch.sessions_per_week_data(
            sessions, frames.planned_per_week, start, end
        ),
        "reps": lambda: ch.weekly_volume_data(entries, "reps", start, end, weekly),
        "hold": lambda: ch.weekly_volume_data(entries, "hold", start, end, weekly),
    }
    prepared = {name: builders[name]() for name in plan.charts}
    # page_spec draws each chart's spec once and afterwards only fills in its data.
    return RangeView(
        plan=plan,
        specs={name: ch.page_spec(item) for name, item in prepared.items()},
        summaries=summaries(frames, prepared, start, end),
        period=period,
        start=start,
        end=end,
    )


def summaries(
    frames: an.ProgressFrames, prepared: dict[ChartName, ch.Prepared], start: dt.date, end: dt.date
) -> dict[str, str]:
    """Each drawn chart's sentence, from the frames it draws."""
    said: dict[str, str] = {}
    # The first entry's day: a first week (month) begun partway through is not compared.
    entries = frames.entries["date"]
    first_entry = entries.iloc[0].date() if len(entries) else None
    for name, item in prepared.items():
        data = item.frames[0]
        if name == "calendar":
            said[name] = cs.calendar_summary(data)
        elif name == "akps":
            said[name] = cs.akps_summary(data, trends.akps_real_change())
        elif name == "phases":
            said[name] = cs.phases_summary(data)
        elif name == "pain":
            said[name] = cs.pain_summary(frames.sessions, start, end)
        elif name == "per_week":
            said[name] = cs.sessions_summary(data, frames.planned_per_week, str(item.shape[1]))
        else:
            said[name] = cs.volume_summary(data, name, str(item.shape[2]), end, first_entry)
    return said


@st.cache_data(show_spinner=False, max_entries=32)
def exercise_specs(
    source: Source, start: dt.date, end: dt.date, exercise_id: str, name: str
) -> tuple[list[dict[str, Any]], str]:
    """One exercise's panels as specs, and the sentence summing them up."""
    frames = load_frames(source)
    start = shown_start(frames.first_date, start, end)
    entries = an.in_range(frames.entries, start, end)
    panels = ch.exercise_panels_data(entries, exercise_id, start, end, name=name)
    # The summary reads the frame the panels draw: from the exercise's first entry on.
    first = ch.exercise_start(entries, exercise_id, start, end)
    progress, _ = an.exercise_progress(entries, exercise_id, first, end)
    return [ch.page_spec(panel) for panel in panels], cs.exercise_summary(progress, name)


@st.cache_data(show_spinner=False, max_entries=4)
def running_view(
    source: Source, start: dt.date | None = None, end: dt.date | None = None
) -> RunningView | None:
    """The running section's reading and chart specs for a range (from the first run to
    today without one), once per store revision; None without runs (the demo history
    has none). Long ranges get a bar a month, by the exercise charts' rule."""
    if source[0] == "demo":
        return None
    runs = get_store().runs()
    if not runs:
        return None
    first = min(r.date for r in runs)
    if start is None or end is None:
        # Runs alone (no range control on the page): all of them, up to today.
        start, end = first, max(dt.date.fromisoformat(source[-1]), max(r.date for r in runs))
    start = shown_start(first, start, end)
    spikes = rt.spike_run_ids(runs)
    points = rt.level_points(runs)
    load = cr.load_data(runs, start, end, spikes)
    period = str(load.shape[2])
    return RunningView(
        runs=len(runs),
        free_runs=sum(r.level is None for r in runs),
        reading=rt.running_reading(rt.weekly_running(runs, spikes)),
        load=ch.page_spec(load),
        level=None if points.empty else ch.page_spec(cr.level_data(points, start, end)),
        load_summary=cs.running_load_summary(load.frames[0], period, end, first),
        level_summary=cs.level_summary(an.in_range(points, start, end)),
        period=period,
    )
