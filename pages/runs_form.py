"""Widgets of the Runs page's run form and entry checklist.

Not a page. These functions only draw and return what was entered; the prefill, the
gate and the run built from the form come from ``kneecore.run_log``, and
``pages/runs.py`` keeps the state and the store. Pains start "not entered"
(``pages/log_form.pain_slider``), never 0. Widget keys start with the form's prefix
(``run0``, ``run_edit_<id>``) or ``runs_``; the tests select by them, so keep them stable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from kneecore.models import TEXT_MAX, Run
from kneecore.pain import load_pain_scale
from kneecore.run_log import (
    SHOES_MAX,
    SURFACE_WORDS,
    RunDraft,
    RunFormErrors,
    RunInput,
    build_run,
    level_words,
)
from pages.log_checks import problem_at
from pages.log_form import DATE_BOUNDS, pain_slider

__all__ = [
    "CHECK_ANSWERS",
    "checklist_form",
    "choose_level",
    "run_form",
    "validated",
]

#: The pains of a run: field, label, key suffix, error key.
PAINS = (
    ("pain_before", "Pain before you set off", "before", "pain.before"),
    ("pain_during", "Worst pain during the run", "during", "pain.during"),
    ("pain_1h", "Pain one hour after you started", "1h", "pain.1h"),
)
KNEE_PROBLEMS = {
    "swelling": "New swelling",
    "locking": "Locking or getting stuck",
    "giving_way": "Giving way",
    "limp": "I limped during or after the run",
}
#: session_state key of the checklist answers: (pain now, brisk walk, hops).
CHECK_ANSWERS = "runs_checklist_answers"
_YES_NO: list[bool | None] = [None, True, False]


def _yes_no(answer: bool | None) -> str:
    return "Not answered" if answer is None else "Yes" if answer else "No"


def choose_level(key: str, first: int | None, note: str = "") -> int | None:
    """A level (``first`` at the top, followed by ``note``) or a free run (None)."""
    every: list[int | None] = [*range(1, 10), None]
    options = [first, *(n for n in every if n != first)]
    chosen: int | None = st.selectbox(
        "What did you run?",
        options=options,
        format_func=lambda n: f"{level_words(n)}{note if n == first else ''}",
        key=key,
    )
    return chosen


def _minutes(draft: RunDraft, run: Run | None, prefix: str) -> tuple[Any, Any]:
    # Keyed by the level: choosing another level above the form fills its minutes in.
    suffix = "free" if draft.level is None else str(draft.level)
    run_min = st.number_input(
        "Minutes running",
        value=run.run_min if run else draft.run_min,
        step=1.0,
        format="%g",
        key=f"{prefix}_run_min_{suffix}",
    )
    walk_min = st.number_input(
        "Minutes walking",
        value=run.walk_min if run else draft.walk_min,
        step=1.0,
        format="%g",
        key=f"{prefix}_walk_min_{suffix}",
        help="0 for a run without walking breaks",
    )
    return run_min, walk_min


def _pains(prefix: str, run: Run | None) -> dict[str, Any]:
    st.markdown("**Pain** from 0 to 10 · choose all three")
    st.caption(load_pain_scale().legend())
    pains: dict[str, Any] = {}
    for name, label, key, spot in PAINS:
        pains[name] = pain_slider(label, f"{prefix}_{key}", getattr(run, name) if run else None)
        problem_at(prefix, spot)
    pains["pain_next_morning"] = None
    if run is not None:
        pains["pain_next_morning"] = pain_slider(
            "Pain the next morning", f"{prefix}_morning", run.pain_next_morning
        )
    return pains


def _more(prefix: str, run: Run | None) -> dict[str, Any]:
    """Distance, effort, surface, downhill, shoes and notes, folded away: all optional."""
    with st.expander("Distance, effort, surface and notes (optional)"):
        distance = st.number_input(
            "Distance (km)",
            value=run.distance_km if run else None,
            step=0.5,
            format="%g",
            key=f"{prefix}_distance",
        )
        problem_at(prefix, "distance")
        effort = st.select_slider(
            "How hard did it feel? (0 very easy, 10 flat out)",
            options=[None, *range(11)],
            value=run.effort if run else None,
            format_func=lambda e: "not entered" if e is None else str(e),
            key=f"{prefix}_effort",
        )
        surface = st.selectbox(
            "Surface",
            options=[None, *SURFACE_WORDS],
            index=[None, *SURFACE_WORDS].index(run.surface if run else None),
            format_func=lambda s: "Not entered" if s is None else SURFACE_WORDS[s],
            key=f"{prefix}_surface",
        )
        downhill = st.checkbox(
            "Some of it was downhill", value=bool(run and run.downhill), key=f"{prefix}_downhill"
        )
        shoes = st.text_input(
            "Shoes",
            value=run.shoes if run else "",
            key=f"{prefix}_shoes",
            help=f"Up to {SHOES_MAX} characters.",
        )
        problem_at(prefix, "shoes")
        notes = st.text_area(
            "Notes",
            value=run.notes if run else "",
            help=f"Up to {TEXT_MAX} characters.",
            key=f"{prefix}_notes",
            height=80,
        )
        problem_at(prefix, "notes")
    return {
        "distance_km": distance,
        "effort": effort,
        "surface": surface,
        "downhill": downhill,
        "shoes": shoes or "",
        "notes": notes or "",
    }


def run_form(
    prefix: str, draft: RunDraft, run: Run | None, submit_label: str
) -> tuple[bool, RunInput]:
    """The run form; returns (submitted, what was entered), with the problems found at
    the last Save next to their fields (:func:`pages.log_checks.problem_at`).

    ``run``: the run being edited (its values fill the form, its level is chosen in
    the form), or None for a new one (the level was chosen above the form: ``draft``).
    """
    with st.form(f"{prefix}_form", border=False):
        date = st.date_input(
            "Date",
            value=run.date if run else dt.date.today(),
            min_value=DATE_BOUNDS[0],
            max_value=DATE_BOUNDS[1],
            key=f"{prefix}_date",
            format="DD/MM/YYYY",
        )
        problem_at(prefix, "date")
        level = draft.level
        if run is not None:
            level = choose_level(f"{prefix}_level", run.level)
        elif draft.pattern:
            st.caption(f"Level {draft.level}: {draft.pattern}. Easy pace, flat ground.")
        run_min, walk_min = _minutes(draft, run, prefix)
        problem_at(prefix, "run_min")
        problem_at(prefix, "walk_min")
        pains = _pains(prefix, run)
        st.markdown("**Did your knee do any of these?**")
        problems = {
            name: st.checkbox(label, value=bool(run and getattr(run, name)), key=f"{prefix}_{name}")
            for name, label in KNEE_PROBLEMS.items()
        }
        more = _more(prefix, run)
        problem_at(prefix, "form")
        submitted = st.form_submit_button(submit_label, type="primary", width="stretch")
    form = RunInput(
        date=date if isinstance(date, dt.date) else None,
        level=level,
        run_min=run_min,
        walk_min=walk_min,
        pain_before=pains["pain_before"],
        pain_during=pains["pain_during"],
        pain_1h=pains["pain_1h"],
        pain_next_morning=pains["pain_next_morning"],
        swelling=problems["swelling"],
        locking=problems["locking"],
        giving_way=problems["giving_way"],
        limp=problems["limp"],
        base=run,
        **more,
    )
    return submitted, form


def validated(form: RunInput, prefix: str) -> Run:
    """The run the form describes; or the page again, each problem next to its field
    (``pages.log_checks.problem_at``) and a summary above Save naming them all."""
    try:
        run = build_run(form)
    except RunFormErrors as errors:
        shown = {k: v for k, v in errors.errors.items() if k != "form"}
        extra = errors.errors.get("form", "")
        shown["form"] = f"{errors.summary()} {extra}".strip()
        st.session_state[f"{prefix}_problems"] = shown
        st.rerun()
    st.session_state.pop(f"{prefix}_problems", None)
    return run


# -- the entry checklist ---------------------------------------------------------------


def checklist_form() -> tuple[int | None, bool | None, bool | None]:
    """The three questions of the entry checklist, kept for this visit; "not answered"
    until answered. Returns the answers saved so far."""
    saved: tuple[int | None, bool | None, bool | None] = st.session_state.get(
        CHECK_ANSWERS, (None, None, None)
    )
    with st.form("runs_checklist_form", border=True):
        st.markdown("**Three questions**")
        pain_now = pain_slider("Knee pain right now", "runs_check_pain", saved[0])
        walk = st.radio(
            "Can you walk briskly for 30 minutes with pain no higher than 2/10?",
            options=_YES_NO,
            index=_YES_NO.index(saved[1]),
            format_func=_yes_no,
            horizontal=True,
            key="runs_check_walk",
        )
        hops = st.radio(
            "Can you do 10 single-leg hops on the painful leg with pain no higher than 2/10?",
            options=_YES_NO,
            index=_YES_NO.index(saved[2]),
            format_func=_yes_no,
            horizontal=True,
            key="runs_check_hops",
        )
        if st.form_submit_button("Check my answers", width="stretch"):
            saved = (pain_now, walk, hops)
            st.session_state[CHECK_ANSWERS] = saved
    return saved
