"""A patient's progress and PDF report as their physiotherapist sees them. Not a page.

``pages/clinic_patient.py`` calls :func:`show_progress` and :func:`report_button` with
the patient's read-only store. The figures, charts and their one-line summaries are the
Progress page's own (``pages.progress_data`` and ``pages.progress_sections``, cached
under whose data it is and its revision); the report is ``kneecore.report_pdf``'s,
built when the button is clicked and written to the audit trail first. Nothing here
offers a form that writes: the store refuses writes anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

import streamlit as st

from kneecore import analytics as an
from kneecore.clinic.pgstore import PgStore
from kneecore.content import Library
from pages import progress_sections as sec
from pages.common import store_key
from pages.downloads import report_download_button
from pages.progress_data import Source, exercise_specs, overview, range_view, running_view

__all__ = ["report_button", "show_progress", "source_of"]

RANGES = {"4w": "Last 4 weeks", "12w": "Last 12 weeks", "all": "All"}


def source_of(store: PgStore, today: dt.date) -> Source:
    """The Progress page's cache key for this patient's data: whose, and its revision."""
    return ("user", store_key(store), store.revision(), today.isoformat())


def show_progress(store: PgStore, today: dt.date) -> None:
    """The patient's verdict, figures and charts over a range the clinician picks."""
    source = source_of(store, today)
    info = overview(source)
    if not (info["sessions"] or info["checks"]):
        running = running_view(source)
        if running is None:
            st.info("No sessions, self-checks or runs logged yet.", icon=":material/inbox:")
        else:
            show_running(running)
        return
    sec.show_trend(info["trend"])
    sec.show_metrics(info["summary"])
    choice = st.segmented_control(
        "Date range",
        list(RANGES),
        default="12w",
        required=True,
        format_func=RANGES.__getitem__,
        key="clinic_progress_range",
    )
    start, end = an.preset_range(cast(an.RangePreset, choice or "12w"), today, info["first_date"])
    view = range_view(source, start, end)
    if "pain" in view["specs"]:
        sec.show_pain(view)
    if info["sessions"]:
        sec.show_adherence(view, info["planned_per_week"])
    if "reps" in view["specs"]:
        sec.show_volume(view)
        sec.show_exercise(
            view, lambda exercise_id, name: exercise_specs(source, start, end, exercise_id, name)
        )
    sec.show_akps(view, info["checks"], info["summary"].akps_latest, own=False)
    sec.show_phases(view, info["has_phases"])
    running = running_view(source, start, end)
    if running is not None:
        show_running(running)


def show_running(view: sec.RunningView) -> None:
    """Running load against knee pain, and the walk-run level."""
    st.header("Running")
    st.info(view["reading"], icon=":material/directions_run:")
    per = "month" if view["period"] == "month" else "week"
    sec.chart(
        view["load"],
        f"Running minutes per {per} with the worst pain of each {per}",
        view["load_summary"],
    )
    if view["level"] is not None:
        sec.chart(view["level"], "Walk-run level at each programme run", view["level_summary"])


def report_button(store: PgStore, library: Library, record: Callable[[], None]) -> None:
    """The patient's PDF report; ``record`` writes the audit row before it is built."""
    report_download_button(
        store,
        library,
        "clinic",
        before_build=record,
        help_text="The patient's report, as they would download it. Downloading it is recorded.",
        local=False,
    )
