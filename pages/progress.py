"""Progress page: am I getting better? Figures on top, then one chart per question.

The frames come from :mod:`kneecore.analytics` and the charts from
:mod:`kneecore.charts`; this page reads the controls, picks the range and lays the
charts out. While the plan is paused (``kneecore.safety``) the page opens with the
pause; the history and charts stay below it. Frames and chart specs are cached under
the store file's identity (inode, size and modification time, which every write
changes), so a newly logged session shows on the next rerun, and nothing is
recomputed while the data stays the same.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict, cast

import streamlit as st

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.progress_view import ChartName, plan_range
from kneecore.store import StoreError
from kneecore.words import format_date
from pages import progress_sections as sec
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.downloads import report_download_button
from pages.pause import show_pause
from pages.progress_sections import RangeView

RANGES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "all": "All", "custom": "Custom"}
DEMO_DAYS = 84
DEMO_PER_WEEK = 5


Source = tuple[str, ...]


def store_source(today: dt.date) -> Source:
    """The cache key for the user's data: the file's identity, which every write changes.

    The store replaces the file on every write (write, fsync, rename), so its inode,
    size and modification time change with each new session; a ``stat`` costs
    microseconds where hashing five years of data would cost milliseconds per rerun.
    """
    path = get_store().path
    try:
        info = path.stat()
        stamp = f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}"
    except FileNotFoundError:
        stamp = "missing"
    return ("user", str(path), stamp, today.isoformat())


def demo_source(today: dt.date) -> Source:
    return ("demo", today.isoformat())


@st.cache_data(show_spinner=False, max_entries=4)
def load_frames(source: Source) -> an.ProgressFrames:
    """Every frame of the page, for the user's store or for generated demo data."""
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

    A TypedDict (a plain dict at run time) because st.cache_data pickles results, and
    classes defined in a page script cannot be pickled.
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


@st.cache_data(show_spinner=False, max_entries=16)
def range_view(source: Source, start: dt.date, end: dt.date) -> RangeView:
    """The charts the core plans for this range (``kneecore.progress_view``), as specs."""
    frames = load_frames(source)
    plan = plan_range(frames, start, end)
    # Each chart filters to the range itself; handing it only the rows of the range's
    # weeks first spares it (and pandas) the other years of a long history.
    week_one = an.monday_of(start)
    sessions = an.in_range(frames.sessions, week_one, end)
    entries = an.in_range(frames.entries, week_one, end)
    builders: dict[ChartName, Callable[[], Any]] = {
        "calendar": lambda: ch.adherence_calendar(
            an.in_range(frames.sessions, end - dt.timedelta(weeks=plan.calendar_weeks), end),
            end,
            plan.calendar_weeks,
        ),
        "akps": lambda: ch.akps_chart(frames.checks),
        "phases": lambda: ch.phase_timeline_chart(frames.phases),
        "pain": lambda: ch.pain_chart(sessions, start, end),
        "per_week": lambda: ch.sessions_per_week_chart(
            sessions, frames.planned_per_week, start, end
        ),
        "reps": lambda: ch.weekly_volume_chart(entries, "reps", start, end),
        "hold": lambda: ch.weekly_volume_chart(entries, "hold", start, end),
    }
    return RangeView(
        plan=plan, specs={name: ch.arrow_spec(builders[name]()) for name in plan.charts}
    )


@st.cache_data(show_spinner=False, max_entries=32)
def exercise_specs(
    source: Source, start: dt.date, end: dt.date, exercise_id: str, name: str
) -> list[dict[str, Any]]:
    frames = load_frames(source)
    entries = an.in_range(frames.entries, start, end)
    panels = ch.exercise_progress_panels(entries, exercise_id, start, end, name=name)
    return [ch.arrow_spec(panel) for panel in panels]


def choose_range(first: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The date range from the controls, or None (with a message) when it makes no sense."""
    choice = st.segmented_control(
        "Date range",
        list(RANGES),
        default="12w",
        required=True,
        format_func=RANGES.__getitem__,
        key="progress_range",
    )
    if choice != "custom":
        return an.preset_range(cast(an.RangePreset, choice), today, first)
    earliest = min(first or today, today - dt.timedelta(days=27))
    left, right = st.columns(2)
    start = left.date_input(
        "From",
        value=max(earliest, today - dt.timedelta(days=27)),
        min_value=earliest,
        max_value=today,
        key="progress_from",
        format="DD/MM/YYYY",
    )
    end = right.date_input(
        "To",
        value=today,
        min_value=earliest,
        max_value=today,
        key="progress_to",
        format="DD/MM/YYYY",
    )
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        st.error("Pick both a start and an end date.")
        return None
    if start > end:
        st.error("The start date is after the end date: pick a start on or before the end.")
        return None
    return start, end


def show_dashboard(source: Source, info: Overview, today: dt.date) -> None:
    """The verdict and figures, the range control, then one section per question."""
    sec.show_trend(info["trend"])
    sec.show_metrics(info["summary"])
    picked = choose_range(info["first_date"], today)
    if picked is None:
        return
    start, end = picked
    view = range_view(source, start, end)
    if info["sessions"] == 1 and info["last_session"] is not None:
        sec.show_one_session(info["last_session"])
    elif info["sessions"] and not view["plan"].in_range:
        st.info(
            f"No sessions between {format_date(start)} and {format_date(end)}. "
            "Pick a longer range.",
            icon=":material/date_range:",
        )
    elif "pain" in view["specs"]:
        sec.show_pain(view)
    if info["sessions"]:
        sec.show_adherence(view, info["planned_per_week"])
    if "reps" in view["specs"]:
        sec.show_volume(view)
        sec.show_exercise(
            view, lambda exercise_id, name: exercise_specs(source, start, end, exercise_id, name)
        )
    sec.show_akps(view, info["checks"], info["summary"].akps_latest)
    sec.show_phases(view)


st.title("Progress")
today = dt.date.today()
paused = False
# A broken store is explained, with its recovery choices, further down.
with contextlib.suppress(StoreError):
    paused = show_pause("progress").paused
demo = st.toggle(
    "Show demo data",
    key="progress_demo",
    help="See the dashboard filled with a generated 12-week history. Your data is not changed.",
)
if demo:
    st.info(
        "**Demo data.** These charts show a generated 12-week history, not yours. "
        "Your own data is untouched; switch the toggle off to see it.",
        icon=":material/science:",
    )
try:
    source = demo_source(today) if demo else store_source(today)
    info = overview(source)
    if info["sessions"] or info["checks"]:
        show_dashboard(source, info, today)
        if not demo:
            st.subheader("Take it to your physio")
            st.caption(
                "A printable report of your self-checks, pain, exercise days and recent "
                "sessions, made on this computer."
            )
            report_download_button(get_store(), get_library(), "progress")
    else:
        sec.show_empty(paused)
        if info["has_phases"]:
            sec.show_phases(range_view(source, today, today))
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
