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
from typing import Any, TypedDict

import streamlit as st

from kneecore import analytics as an
from kneecore import charts as ch
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.store import StoreError
from kneecore.words import format_date
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error, zone_badge
from pages.downloads import report_download_button
from pages.pause import show_pause

RANGES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "all": "All", "custom": "Custom"}
DEMO_DAYS = 84
DEMO_PER_WEEK = 5
CALENDAR_MIN_WEEKS = 12
# More weeks than this would squeeze the calendar's squares too small on a phone.
CALENDAR_MAX_WEEKS = 26
VERDICT_ICON = {
    "better": ":material/thumb_up:",
    "same": ":material/trending_flat:",
    "worse": ":material/warning:",
    "unknown": ":material/hourglass_empty:",
}


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
    last = frames.sessions.iloc[-1].to_dict() if not frames.sessions.empty else None
    return Overview(
        sessions=len(frames.sessions),
        checks=len(frames.checks),
        has_phases=not frames.phases.empty,
        first_date=frames.first_date,
        trend=an.overall_trend(frames.sessions, frames.checks),
        summary=an.summarize(frames.sessions, frames.checks, frames.phases, today),
        planned_per_week=frames.planned_per_week,
        last_session=last,
    )


class RangeView(TypedDict):
    """The charts of one date range, as cached specs, and what the page says about them."""

    in_range: int
    calendar_weeks: int
    exercises: dict[str, str]
    #: Shown first in the picker: what the person did most recently is what they care about.
    latest_exercise: str | None
    specs: dict[str, dict[str, Any]]


@st.cache_data(show_spinner=False, max_entries=16)
def range_view(source: Source, start: dt.date, end: dt.date) -> RangeView:
    frames = load_frames(source)
    in_range = len(an.in_range(frames.sessions, start, end))
    weeks = max(CALENDAR_MIN_WEEKS, min(CALENDAR_MAX_WEEKS, ((end - start).days + 7) // 7))
    specs = {"calendar": ch.arrow_spec(ch.adherence_calendar(frames.sessions, end, weeks))}
    if not frames.checks.empty:
        specs["akps"] = ch.arrow_spec(ch.akps_chart(frames.checks))
    if not frames.phases.empty:
        specs["phases"] = ch.arrow_spec(ch.phase_timeline_chart(frames.phases))
    logged: dict[str, str] = {}
    latest: str | None = None
    if in_range and len(frames.sessions) > 1:
        specs["pain"] = ch.arrow_spec(ch.pain_chart(frames.sessions, start, end))
        specs["per_week"] = ch.arrow_spec(
            ch.sessions_per_week_chart(frames.sessions, frames.planned_per_week, start, end)
        )
        specs["reps"] = ch.arrow_spec(ch.weekly_volume_chart(frames.entries, "reps", start, end))
        if (an.weekly_volume(frames.entries, start, end)["hold_min"] > 0).any():
            specs["hold"] = ch.arrow_spec(
                ch.weekly_volume_chart(frames.entries, "hold", start, end)
            )
        entries = an.in_range(frames.entries, start, end)
        seen = set(entries["exercise_id"])
        logged = {i: n for i, n in frames.exercise_names.items() if i in seen}
        latest = str(entries["exercise_id"].iloc[-1]) if not entries.empty else None
    return RangeView(
        in_range=in_range,
        calendar_weeks=weeks,
        exercises=logged,
        latest_exercise=latest,
        specs=specs,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def exercise_specs(
    source: Source, start: dt.date, end: dt.date, exercise_id: str, name: str
) -> list[dict[str, Any]]:
    frames = load_frames(source)
    panels = ch.exercise_progress_panels(frames.entries, exercise_id, start, end, name=name)
    return [ch.arrow_spec(panel) for panel in panels]


def chart(spec: dict[str, Any], alt: str) -> None:
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt)


def show_trend(trend: an.Trend) -> None:
    box: Any = {"better": st.success, "worse": st.warning}.get(trend.verdict, st.info)
    box(trend.message, icon=VERDICT_ICON[trend.verdict])


def show_metrics(summary: an.Summary) -> None:
    top = st.columns(2)
    top[0].metric(
        "Sessions, last 7 days",
        summary.sessions_7d,
        delta=(
            f"{summary.sessions_delta:+d} on the week before"
            if summary.sessions_delta
            else "no change on the week before"
        ),
        delta_color="off" if summary.sessions_delta == 0 else "normal",
        # No arrow for "no change": an up arrow on +0 reads as a rise.
        delta_arrow="off" if summary.sessions_delta == 0 else "auto",
        help="Sessions logged in the last 7 days, against the 7 days before.",
        border=True,
    )
    pain_delta = summary.pain_delta
    top[1].metric(
        "Average pain during exercise",
        f"{summary.pain_7d:g}/10" if summary.pain_7d is not None else "–",
        delta=f"{pain_delta:+g} on the week before" if pain_delta is not None else None,
        # Less pain is better, so a fall shows green.
        delta_color="inverse",
        help="Mean of 'pain during' over the last 7 days, against the 7 days before. "
        "Lower is better.",
        border=True,
    )
    bottom = st.columns(2)
    change = summary.akps_change
    if summary.akps_latest is None:
        akps_value, akps_delta = "–", None
    else:
        akps_value = f"{summary.akps_latest}/100"
        akps_delta = f"{change:+d} since your first self-check" if change is not None else None
    bottom[0].metric(
        "Knee score (AKPS)",
        akps_value,
        delta=akps_delta,
        help="From your self-checks; higher is better. A change of "
        f"{an.AKPS_REAL_CHANGE} points or more is a real change.",
        border=True,
    )
    bottom[1].metric(
        f"Days in phase {summary.current_phase}" if summary.current_phase else "Current phase",
        summary.days_in_phase if summary.days_in_phase is not None else "No phase yet",
        help="Days since you started your current phase (the self-check suggests one).",
        border=True,
    )
    if summary.pain_rising and pain_delta is not None:
        st.warning(
            f"Your average pain during exercise is up {pain_delta:g} points on the week "
            "before. Keep to the green zone and do not add load until it settles.",
            icon=":material/trending_up:",
        )


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
        return an.preset_range(choice, today, first)
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


def show_one_session(row: dict[str, Any]) -> None:
    st.info(
        "Trends need a few sessions: log three or four and your pain line and weekly "
        "charts appear here. This is your one session so far.",
        icon=":material/info:",
    )
    st.markdown(f"**{row['date']:%A %d %B %Y}** · {zone_badge(row['zone'])}")
    cols = st.columns(4)
    for col, (column, label) in zip(cols, an.PAIN_MEASURES.items(), strict=True):
        value = row[column]
        shown = "not yet" if value is None or value != value else f"{value:g}/10"
        col.metric(f"Pain {label.lower()}", shown)


def show_pain(view: RangeView) -> None:
    st.subheader("Pain during and after exercise")
    st.caption(
        "Lower is better: the bold blue 'During' line should stay in the green band, and "
        "next-morning pain should settle back to where it was before the session."
    )
    chart(view["specs"]["pain"], "Pain ratings over time over the green, amber and red zones")


def show_adherence(view: RangeView, planned: int) -> None:
    st.subheader("How often you trained")
    st.caption(
        f"Each square is a day of the last {view['calendar_weeks']} weeks; blue days are "
        "days you trained."
    )
    chart(view["specs"]["calendar"], "Calendar of training days")
    if "per_week" in view["specs"]:
        st.caption(
            f"Sessions per week: bars that reach the dashed line met your plan of {planned} a week."
        )
        chart(view["specs"]["per_week"], "Sessions per week against the plan")


def show_volume(view: RangeView) -> None:
    st.subheader("Training volume")
    st.caption(
        "Sets x reps per week, coloured by the phase the exercises belong to. Volume "
        "should grow gradually, and only while pain stays in the green zone."
    )
    chart(view["specs"]["reps"], "Repetitions per week, stacked by phase")
    if "hold" in view["specs"]:
        st.caption("Minutes held per week in isometric and balance exercises.")
        chart(view["specs"]["hold"], "Minutes held per week, stacked by phase")


def show_exercise(source: Source, view: RangeView, start: dt.date, end: dt.date) -> None:
    st.subheader("Progress per exercise")
    if not view["exercises"]:
        st.caption("No exercises logged in this range.")
        return
    st.caption(
        "More reps, longer holds or more load at the same or lower pain means you are "
        "getting stronger. Bodyweight exercises show reps and holds only."
    )
    options = list(view["exercises"])
    latest = view["latest_exercise"]
    chosen = st.selectbox(
        "Exercise",
        options,
        index=options.index(latest) if latest in options else 0,
        format_func=view["exercises"].__getitem__,
        key="progress_exercise",
    )
    name = view["exercises"][chosen]
    for spec in exercise_specs(source, start, end, chosen, name):
        chart(spec, f"Progress of {name}")


def show_akps(view: RangeView, info: Overview) -> None:
    st.subheader("Knee function score (AKPS)")
    if "akps" not in view["specs"]:
        st.caption(
            "The self-check scores how your knee copes with daily tasks (0 to 100, "
            "higher is better). Do one to start tracking it."
        )
        st.page_link(
            "pages/self_check.py", label="Take the self-check", icon=":material/checklist:"
        )
        return
    if info["checks"] == 1:
        st.caption(
            f"Your first score is {info['summary'].akps_latest}/100 (higher is better). Repeat "
            f"the self-check every few weeks: a rise of {an.AKPS_REAL_CHANGE} points or "
            "more, above the dashed line, is a real improvement."
        )
    else:
        st.caption(
            "All your self-checks. Higher is better; climbing above the dashed line "
            f"({an.AKPS_REAL_CHANGE} points over your first score) is a real improvement, "
            "not day-to-day noise."
        )
    chart(view["specs"]["akps"], "Knee function score over time")


def show_phases(view: RangeView) -> None:
    st.subheader("Your phases")
    if "phases" not in view["specs"]:
        st.caption("No phase yet: the self-check suggests where to start.")
        return
    st.caption("When each phase started and how long you spent in it.")
    chart(view["specs"]["phases"], "Timeline of your rehab phases")


def show_empty(paused: bool = False) -> None:
    if paused:
        # No nudge to exercise while a warning sign stands (the box above says why).
        st.info(
            "Nothing to show yet. Sessions you log appear here as charts of your pain and "
            "training. Switch on **Show demo data** above to see what the page will look like.",
            icon=":material/inbox:",
        )
        return
    st.info(
        "Nothing to show yet. Log a session after your exercises and your pain, training "
        "and progress charts appear here. Or switch on **Show demo data** above to see "
        "what the page will look like.",
        icon=":material/inbox:",
    )
    st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    st.page_link("pages/self_check.py", label="Take the self-check", icon=":material/checklist:")


def show_dashboard(source: Source, info: Overview, today: dt.date) -> None:
    show_trend(info["trend"])
    show_metrics(info["summary"])
    picked = choose_range(info["first_date"], today)
    if picked is None:
        return
    start, end = picked
    view = range_view(source, start, end)
    if info["sessions"] == 1 and info["last_session"] is not None:
        show_one_session(info["last_session"])
    elif info["sessions"] and not view["in_range"]:
        st.info(
            f"No sessions between {format_date(start)} and {format_date(end)}. "
            "Pick a longer range.",
            icon=":material/date_range:",
        )
    elif "pain" in view["specs"]:
        show_pain(view)
    if info["sessions"]:
        show_adherence(view, info["planned_per_week"])
    if "reps" in view["specs"]:
        show_volume(view)
        show_exercise(source, view, start, end)
    show_akps(view, info)
    show_phases(view)


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
        show_empty(paused)
        if info["has_phases"]:
            show_phases(range_view(source, today, today))
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
