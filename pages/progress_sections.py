"""The Progress page's sections: widgets only, not a page (``app.py`` does not route here).

``pages/progress.py`` reads the controls, picks the range and calls these in order.
What each section shows is decided in the core: the figures and the verdict in
:mod:`kneecore.analytics` (rules from :mod:`kneecore.trends`), which charts exist for a
range in :mod:`kneecore.progress_view`. Chart specs arrive ready (cached by the page).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

import streamlit as st

from kneecore import analytics as an
from kneecore import trends
from kneecore.charts import calendar_first_day
from kneecore.progress_view import RangePlan
from kneecore.words import format_day
from pages.style import zone_badge

VERDICT_ICON = {
    "better": ":material/thumb_up:",
    "same": ":material/trending_flat:",
    "worse": ":material/warning:",
    "unknown": ":material/hourglass_empty:",
}
#: Chart specs of one range by chart name (``kneecore.progress_view.ChartName``).
Specs = dict[str, dict[str, Any]]


class RangeView(TypedDict):
    """The charts of one date range: the core's plan and the cached specs it asked for."""

    plan: RangePlan
    specs: Specs
    #: Chart name -> its one-line summary (``kneecore.chart_summaries``).
    summaries: dict[str, str]
    #: "week" or "month": what one bar of the per-week and volume charts counts.
    period: str
    #: Where the charts' shared date axis starts (the range's start, or the first data).
    start: dt.date
    #: The range's last day (the calendar's last square).
    end: dt.date


class RunningView(TypedDict):
    """The running section: counts, the one-line reading and the cached chart specs."""

    runs: int
    free_runs: int
    reading: str
    load: dict[str, Any]
    #: The walk-run level chart; None when every run was a free run.
    level: dict[str, Any] | None
    load_summary: str
    level_summary: str
    #: "week" or "month": what one bar of the running load chart counts.
    period: str


def chart(spec: dict[str, Any], alt: str, summary: str | None = None) -> None:
    """A chart, and under it its one-line summary in the page's normal text colour
    (a caption's grey would fall short of 4.5:1 contrast)."""
    st.vega_lite_chart(spec=spec, width="stretch", alt=alt)
    if summary:
        st.markdown(summary)


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
        "Kujala knee score",
        akps_value,
        delta=akps_delta,
        help="From your self-checks; higher is better. A change of "
        f"{trends.akps_real_change()} points or more is a real change.",
        border=True,
    )
    bottom[1].metric(
        f"Days in phase {summary.current_phase}" if summary.current_phase else "Current phase",
        summary.days_in_phase if summary.days_in_phase is not None else "No phase yet",
        help="Days since you started your current phase (the self-check suggests one).",
        border=True,
    )
    if summary.pain_warning:
        # The same rule and words as Today and the advice (kneecore.trends).
        st.warning(summary.pain_warning, icon=":material/trending_up:")


def show_one_session(row: dict[str, Any]) -> None:
    st.info(
        "Trends need a few sessions: log three or four and your pain line and weekly "
        "charts appear here. This is your one session so far.",
        icon=":material/info:",
    )
    morning = row.get("pain_next_morning")
    pending = morning is None or morning != morning  # NaN: not entered yet
    badge = zone_badge(row["zone"], so_far=pending and row["zone"] == "green")
    st.markdown(f"**{row['date']:%A %d %B %Y}** · {badge}")
    cols = st.columns(4)
    for col, (column, label) in zip(cols, an.PAIN_MEASURES.items(), strict=True):
        value = row[column]
        shown = "not yet" if value is None or value != value else f"{value:g}/10"
        col.metric(f"Pain {label.lower()}", shown)


def _section(title: str, caption: str, view: RangeView, name: str, label: str) -> None:
    """A chart section: heading, what to look for, the chart with its label and summary."""
    st.header(title)
    st.caption(caption)
    chart(view["specs"][name], label, view["summaries"].get(name))


def show_pain(view: RangeView) -> None:
    _section(
        "Pain during and after exercise",
        "Lower is better: the bold blue 'During' line should stay in the green band, and "
        "next-morning pain should settle back to where it was before the session.",
        view,
        "pain",
        "Pain ratings over time over the green, amber and red zones",
    )


def show_adherence(view: RangeView, planned: int) -> None:
    weeks, end = view["plan"].calendar_weeks, view["end"]
    # The grid, this caption and the summary under it count the same 7 x weeks days.
    days = f"{format_day(calendar_first_day(end, weeks), end)} to {format_day(end, end)}"
    _section(
        "How often you trained",
        f"Each square is a day of the last {weeks} weeks ({days}); blue squares are days "
        "you trained.",
        view,
        "calendar",
        "Calendar of training days",
    )
    if "per_week" in view["specs"]:
        monthly = (
            ", a bar per month (the range is long): each bar is that month's average a week. Bars"
            if view["period"] == "month"
            else ": bars"
        )
        st.caption(
            f"Sessions per week{monthly} that reach the dashed line met your plan of "
            f"{planned} a week."
        )
        label = "Sessions per week against the plan"
        chart(view["specs"]["per_week"], label, view["summaries"].get("per_week"))


def show_volume(view: RangeView) -> None:
    per = "month" if view["period"] == "month" else "week"
    long = " (a bar per month: the range is long)" if per == "month" else ""
    _section(
        "Training volume",
        f"Sets x reps per {per}{long}, coloured by the phase the exercises belong to. "
        "Volume should grow gradually, and only while pain stays in the green zone.",
        view,
        "reps",
        f"Repetitions per {per}, stacked by phase",
    )
    if "hold" in view["specs"]:
        st.caption(f"Minutes held per {per} in isometric and balance exercises.")
        chart(
            view["specs"]["hold"],
            f"Minutes held per {per}, stacked by phase",
            view["summaries"].get("hold"),
        )


def show_exercise(
    view: RangeView, specs_for: Callable[[str, str], tuple[list[dict[str, Any]], str]]
) -> None:
    """The exercise picker, the chosen exercise's panels and their summary
    (``specs_for(id, name)``)."""
    st.header("Progress per exercise")
    plan = view["plan"]
    if not plan.exercises:
        st.caption("No exercises logged in this range.")
        return
    st.caption(
        "More reps, longer holds or more load at the same or lower pain means you are "
        "getting stronger. Bodyweight exercises show reps and holds only."
    )
    options = list(plan.exercises)
    latest = plan.latest_exercise
    chosen = st.selectbox(
        "Exercise",
        options,
        index=options.index(latest) if latest in options else 0,
        format_func=plan.exercises.__getitem__,
        key="progress_exercise",
    )
    name = plan.exercises[chosen]
    specs, summary = specs_for(chosen, name)
    for spec in specs:
        chart(spec, f"Progress of {name}")
    st.markdown(summary)


def show_akps(view: RangeView, checks: int, latest: int | None, *, own: bool = True) -> None:
    """The knee score's chart; ``own`` False for a physio (no self-check page to link)."""
    st.header("Kujala knee score")
    if checks and "akps" not in view["specs"]:
        st.markdown("No self-check in this range: pick a longer range to see the scores.")
        return
    if "akps" not in view["specs"]:
        more = " Do one to start tracking it." if own else " No self-check yet."
        st.caption(
            "The self-check scores how the knee copes with daily tasks (0 to 100, "
            "higher is better)." + more
        )
        if own:
            st.page_link(
                "pages/self_check.py", label="Take the self-check", icon=":material/checklist:"
            )
        return
    if checks == 1:
        st.caption(
            f"Your first score is {latest}/100 (higher is better). Repeat "
            f"the self-check every few weeks: a rise of {trends.akps_real_change()} points or "
            "more, above the dashed line, is a real improvement."
        )
    else:
        st.caption(
            "All your self-checks. Higher is better; climbing above the dashed line "
            f"({trends.akps_real_change()} points over your first score) is a real improvement, "
            "not day-to-day noise."
        )
    chart(view["specs"]["akps"], "Kujala knee score over time", view["summaries"].get("akps"))


def show_phases(view: RangeView, has_phases: bool = False) -> None:
    st.header("Your phases")
    if "phases" not in view["specs"]:
        no_phase = "No phase yet: the self-check suggests where to start."
        st.caption("No phase in this range: pick a longer range." if has_phases else no_phase)
        return
    st.caption("When each phase started and how long you spent in it, within the range.")
    chart(view["specs"]["phases"], "Timeline of your rehab phases", view["summaries"].get("phases"))


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
