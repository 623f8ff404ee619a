"""Widgets of the Runs page's answers and history: the answer to a save, the table of
past runs, the next-morning pains owed, and the choice of a run to edit or delete.

Not a page. These functions only draw and return what was clicked; the rows and words
come from ``kneecore.run_log`` and ``kneecore.running``, and ``pages/runs.py`` keeps
the state and the store. Widget keys start with ``runs_`` (the tests select by them).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from kneecore.models import Run
from kneecore.pain import load_pain_scale
from kneecore.run_log import RUN_MEANING, history_rows, run_label
from kneecore.running import Kind, RunAdvice, RunFlag, explain_run_zone, zone_of
from kneecore.words import format_day
from pages.common import not_a_diagnosis
from pages.log_form import pain_slider
from pages.style import Box, box, table_as_list, zone_badge

__all__ = [
    "PAIN_MEANING",
    "choose",
    "confirm_delete",
    "history_table",
    "morning_forms",
    "show_answer",
]

#: What the pain column holds.
PAIN_MEANING = "Pain before · during · 1 hour after · next morning (— not entered yet)"
#: run advice kind: (box, icon); a GP visit is the loudest, never told by colour alone.
RUN_ADVICE_STYLE: dict[Kind, tuple[Box, str]] = {
    "see_gp": ("error", ":material/emergency:"),
    "step_back": ("warning", ":material/trending_down:"),
    "progress_level": ("success", ":material/trending_up:"),
    "hold": ("info", ":material/pause_circle:"),
}
RESULT_KEY = "runs_result"


def _advice(advice: RunAdvice, lead: str = "") -> None:
    kind, icon = RUN_ADVICE_STYLE[advice.kind]
    reasons = "\n".join(f"- {r}" for r in advice.reasons)
    body = f"**{lead}{advice.title}**\n\n{reasons}\n\n{advice.advice}".strip()
    box(kind)(body, icon=icon)
    st.caption(advice.why)


def show_answer(
    message: str, run: Run | None, advice: RunAdvice, flags: Sequence[RunFlag], paused: bool
) -> None:
    """The confirmation, the run's zone and why, the advice for the next run and the
    flags of this run; a GP visit comes first, with the plan pause said plainly."""
    with st.container(border=True, key=RESULT_KEY):
        if advice.kind == "see_gp":
            # Safety first: above everything else, never folded away.
            _advice(advice)
            if paused:
                st.warning(
                    "**Your exercise plan is paused** until a GP or physiotherapist has "
                    "checked your knee. The box at the top of the page says how to restart.",
                    icon=":material/pause_circle:",
                )
        st.success(message, icon=":material/check_circle:")
        if run is not None:
            zone = zone_of(run)
            so_far = zone == "green" and run.pain_next_morning is None
            st.markdown(f"**This run:** {zone_badge(zone, so_far=so_far)}")
            st.caption(f"Why: {explain_run_zone(run)}.")
            # Kept short, so the whole answer fits a phone screen after Save.
            for flag in flags:
                st.warning(flag.text, icon=":material/flag:")
                st.caption(flag.why)
        if advice.kind != "see_gp":
            _advice(advice, lead="Next run: ")
        not_a_diagnosis()


def history_table(runs: Sequence[Run], limit: int) -> None:
    """The newest ``limit`` runs as a table fit for a phone: date, run, zone, pains."""
    rows = history_rows(runs, load_pain_scale().zone_label, limit)
    st.caption(f"Newest first. {PAIN_MEANING}.")
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "id"} for r in rows])
    st.dataframe(
        frame,
        hide_index=True,
        # Every run shown, without a scroll box inside the page's own scroll.
        height="content",
        # Date, run, zone and pains fit 390 px with their headers whole; the distance
        # (only when a run has one) follows on a sideways swipe.
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM", width=56),
            "Run": st.column_config.Column("Run", width=132, help=RUN_MEANING),
            "Zone": st.column_config.Column("Zone", width=80),
            "Pain": st.column_config.Column("Pain", width=84, help=PAIN_MEANING),
            "km": st.column_config.Column("km", width=52, help="Distance in km"),
        },
    )
    table_as_list(frame, key="runs_history_list", label="Your runs as a list")


def morning_forms(due: Sequence[Run]) -> tuple[Run, int] | None:
    """One small form per run whose next morning is owed; (run, pain) when one is saved."""
    if not due:
        return None
    st.markdown("**How was the next morning?**")
    for run in due:
        with st.form(f"runs_morning_{run.id}", border=True):
            label = f"Pain the morning after your run of {format_day(run.date)}"
            pain = pain_slider(label, f"runs_morning_{run.id}_pain", None)
            spot = st.empty()
            if st.form_submit_button("Save morning pain", width="stretch"):
                if pain is None:
                    spot.error(
                        "Choose the pain first: it is not entered yet.", icon=":material/edit:"
                    )
                else:
                    return run, pain
    return None


def choose(runs: Sequence[Run]) -> tuple[str, bool, bool]:
    """A run to change, newest first: (its id, Edit clicked, Delete clicked)."""
    newest = sorted(runs, key=lambda r: r.date, reverse=True)
    labels = {r.id: run_label(r, load_pain_scale().zone_label) for r in newest}
    chosen: str = st.selectbox(
        "Choose a run to edit or delete",
        options=list(labels),
        format_func=labels.__getitem__,
        # Keyed by what the list says, so a changed run is never shown in old words.
        key=f"runs_choice_{zlib.crc32(chr(31).join(labels.values()).encode())}",
    )
    left, right = st.columns(2)
    edit = left.button("Edit", icon=":material/edit:", key="runs_edit_button", width="stretch")
    delete = right.button(
        "Delete", icon=":material/delete:", key="runs_delete_button", width="stretch"
    )
    return chosen, edit, delete


def confirm_delete(day: str) -> tuple[bool, bool]:
    """ "Delete the run of ...?" with its answers: (yes, keep) as clicked."""
    st.warning(
        f"Delete the run of {day}? You can undo this straight after.", icon=":material/warning:"
    )
    yes, no = st.columns(2)
    clicked_yes = yes.button(
        "Yes, delete it", type="primary", key="runs_delete_yes", width="stretch"
    )
    clicked_no = no.button("Keep it", key="runs_delete_no", width="stretch")
    return clicked_yes, clicked_no
