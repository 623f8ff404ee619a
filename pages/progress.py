"""Progress page: am I getting better? Figures on top, then one chart per question.

The frames come from :mod:`kneecore.analytics` and the charts from
:mod:`kneecore.charts` (running: :mod:`kneecore.running_trends` and
:mod:`kneecore.charts_running`, shown when there are runs); this page reads the
controls, picks the range and lays the charts out. While the plan is paused
(``kneecore.safety``) the page opens with the pause; the history and charts stay
below it. Frames and chart specs come cached from :mod:`pages.progress_data`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import cast

import streamlit as st

from kneecore import analytics as an
from kneecore.store import StoreError
from kneecore.words import format_date
from pages import progress_sections as sec
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.downloads import report_download_button
from pages.pause import show_pause
from pages.progress_data import (
    Overview,
    Source,
    demo_source,
    exercise_specs,
    overview,
    range_view,
    running_view,
    store_source,
)
from pages.progress_sections import RunningView

RANGES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "all": "All", "custom": "Custom"}


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
    sec.show_phases(view, info["has_phases"])
    running = running_view(source, start, end)
    if running is not None:
        show_running(running)


def show_running(view: RunningView) -> None:
    """Running load against knee pain, and the walk-run level (all your runs)."""
    st.header("Running")
    st.info(view["reading"], icon=":material/directions_run:")
    per = "month" if view["period"] == "month" else "week"
    long = " (the range is long)" if per == "month" else ""
    st.caption(
        f"Your runs in the range, {per} by {per}{long}: bars are minutes of running, the "
        f"lines the {per}'s worst pain during a run and the next morning (right axis, 0 to "
        f"10). A triangle marks a {per} with a load spike: a free run over 10% longer than "
        "your longest of the 30 days before."
    )
    sec.chart(
        view["load"],
        f"Running minutes per {per} with the worst pain of each {per}",
        view["load_summary"],
    )
    if view["level"] is None:
        st.caption("All your runs were free runs, so there is no walk-run level to chart.")
        return
    free = view["free_runs"]
    st.caption(
        "Your walk-run level at each programme run; it steps up after green runs."
        + (f" Free runs ({free}) are left out here." if free else "")
    )
    sec.chart(view["level"], "Walk-run level at each programme run", view["level_summary"])


def report_section() -> None:
    st.header("Take it to your physio")
    st.caption(
        "A printable report of your self-checks, pain, exercise days, recent sessions "
        "and runs, made on this computer."
    )
    report_download_button(get_store(), get_library(), "progress")


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
        # The running section follows the dashboard's date range, so it is drawn there.
        show_dashboard(source, info, today)
        if not demo:
            report_section()
    elif (running := running_view(source)) is not None:
        # Runs only (say, imported from a watch): their section is the page.
        show_running(running)
        if not demo:
            report_section()
    else:
        sec.show_empty(paused)
        if info["has_phases"]:
            sec.show_phases(range_view(source, today, today))
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
