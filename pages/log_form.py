"""Widgets of the log page's session form: its exercise rows, pains and knee problems (its
checks on Save are in ``pages/log_checks.py``, the history in ``pages/log_history.py``).

Not a page. These functions only draw and return what was entered; the rows to offer
and the session built from the form come from ``kneecore.tracker``, and
``pages/log.py`` keeps the state and the store. Widget keys start with the form's
prefix (``log0``, ``edit_<id>``) or ``log_``; the tests select by them, so keep them
stable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kneecore.models import Session
from kneecore.pain import load_pain_scale
from kneecore.tracker import (
    BAND_WORDS,
    BANDS,
    NOTES_LIMIT,
    SIDE_WORDS,
    SIDES,
    EntryDraft,
    EntryInput,
    SessionInput,
    Units,
    example_reps,
)
from pages.log_checks import problem_at

__all__ = [
    "FormSpec",
    "exercise_row",
    "pain_slider",
    "session_form",
]

#: The heading above the exercise rows of a form that offers today's plan.
PLAN_HEADING = "**Exercises** · untick what you skipped"


@dataclass(frozen=True)
class FormSpec:
    """How one session form is drawn.

    Rows are keyed by their place in the form, or by exercise id (``key_by_id``) when
    the person picks the exercises, so adding one does not move what was typed into
    another.
    """

    prefix: str
    submit_label: str
    failed_rows: frozenset[int] = frozenset()
    key_by_id: bool = False
    heading: str = PLAN_HEADING
    empty_note: str = ""


#: The widest dates the date field takes. Streamlit's date field keeps its old value
#: without a word when a typed date is outside its bounds (a future date was filed
#: under today), so it takes any date and ``tracker.build_session`` refuses with words.
DATE_BOUNDS = (dt.date(1900, 1, 1), dt.date(2999, 12, 31))
#: The words of a pain not chosen yet.
NOT_ENTERED = "not entered"
#: Said with every pain (its "?"): the slider's left end is "not entered", not 0.
PAIN_HELP = f"0 = no pain, 10 = worst pain imaginable. The far left, *{NOT_ENTERED}*, is not 0."


def pain_slider(label: str, key: str, value: int | None) -> int | None:
    """A 0 to 10 pain with a "not entered" start: an untouched pain is never saved as 0."""
    chosen: int | None = st.select_slider(
        label, [None, *range(11)], value=value, format_func=_pain_words, key=key, help=PAIN_HELP
    )
    return chosen


def _pain_words(pain: int | None) -> str:
    return NOT_ENTERED if pain is None else load_pain_scale().label(pain)


# -- one exercise row ------------------------------------------------------------------


# The dose fields are stacked, one per line, with no columns: columns stack on a phone
# anyway, and each set of columns cost more than its fields on every rerun of the page.


def _sets_and_reps(key: str, d: EntryDraft) -> tuple[int, str]:
    sets = int(
        # No min or max on these numbers: Streamlit's number field blocks the form's Save
        # without a word while a typed number is out of its range (Sets 50), so the
        # typed number goes through and tracker.build_session says what is wrong.
        st.number_input("Sets", value=d.sets, step=1, key=f"{key}_sets")
    )
    reps_text = st.text_input(
        "Reps per set",
        value=d.reps_text,
        key=f"{key}_reps",
        help=f"One number for every set, or one per set, e.g. {example_reps(max(d.sets, 2))}",
    )
    return sets, reps_text


def _hold_and_load(key: str, d: EntryDraft, units: Units) -> tuple[float | None, float | None]:
    hold_s = load = None
    if d.uses_hold:
        hold_s = float(
            st.number_input(
                "Hold (seconds)",
                value=float(d.hold_s or 0),
                step=1.0,
                format="%.0f",
                key=f"{key}_hold",
            )
        )
    if d.uses_load:
        load = float(
            st.number_input(
                f"Ankle weight ({units})",
                value=float(d.load or 0),
                step=0.5,
                format="%.1f",
                key=f"{key}_load",
                help="0 means no weight",
            )
        )
    return hold_s, load


def _band_and_side(key: str, d: EntryDraft) -> tuple[Any, Any]:
    band, side = None, d.side
    if d.uses_band:
        band = st.selectbox(
            "Band",
            options=[None, *BANDS],
            index=([None, *BANDS]).index(d.band),
            format_func=lambda b: "No band" if b is None else BAND_WORDS[b],
            key=f"{key}_band",
        )
    if d.per_side:
        side = st.selectbox(
            "Side",
            options=list(SIDES),
            index=list(SIDES).index(d.side),
            format_func=SIDE_WORDS.__getitem__,
            key=f"{key}_side",
        )
    return band, side


def exercise_row(key: str, d: EntryDraft, units: Units, failed: bool) -> EntryInput:
    """One exercise: a 'done' tick, the plan, and its dose fields folded away.

    The dose fields are drawn once the fold is first opened (a row with a problem opens
    by itself), and kept drawn after, so closing it never drops a typed value. Until
    then the row holds the plan's dose: unopened rows cost nothing on each rerun.
    """
    # Plain labels: Streamlit reads a label's Markdown out as written ("star star
    # Bridge"); the name is set in bold by pages.style.PAGE_CSS instead.
    done = st.checkbox(d.name, value=d.done, key=f"{key}_done")
    st.caption(f"Plan: {d.dose_text}" if d.dose_text else "Not in your current plan")
    if failed:
        st.session_state[f"{key}_more"] = True
    # Named after its exercise: a list of controls all called "Sets, reps and more"
    # tells a screen reader user nothing.
    fold = st.expander(f"Sets, reps and more: {d.name}", key=f"{key}_more", on_change="rerun")
    if not (fold.open or st.session_state.get(f"{key}_drawn")):
        return EntryInput(
            d.exercise_id,
            done,
            d.sets,
            d.reps_text,
            float(d.hold_s or 0) if d.uses_hold else None,
            float(d.load or 0) if d.uses_load else None,
            d.band if d.uses_band else None,
            d.side,
        )
    st.session_state[f"{key}_drawn"] = True
    with fold:
        sets, reps_text = _sets_and_reps(key, d)
        hold_s, load = _hold_and_load(key, d, units)
        band, side = _band_and_side(key, d)
    return EntryInput(d.exercise_id, done, sets, reps_text, hold_s, load, band, side)


# -- the whole form --------------------------------------------------------------------


def _exercise_rows(spec: FormSpec, drafts: Sequence[EntryDraft], units: Units) -> list[EntryInput]:
    if spec.heading:
        st.markdown(spec.heading)
    problem_at(spec.prefix, "exercises")
    if not drafts and spec.empty_note:
        st.caption(spec.empty_note)
    entries = []
    for i, d in enumerate(drafts):
        key = f"{spec.prefix}_{d.exercise_id}" if spec.key_by_id else f"{spec.prefix}_{i}"
        with st.container(border=True):
            entries.append(exercise_row(key, d, units, i in spec.failed_rows))
            problem_at(spec.prefix, f"exercise.{i}")
    return entries


#: The pain sliders: field, label, key suffix.
PAINS = (
    ("pain_before", "Pain before you started", "before"),
    ("pain_during", "Worst pain during the exercises", "during"),
    ("pain_after", "Pain just after", "after"),
)
#: The knee problems asked after the pains: field, label (the field is the key suffix).
KNEE_PROBLEMS = {
    "swelling": "New swelling",
    "locking": "Locking or getting stuck",
    "giving_way": "Giving way",
}


def _pains(prefix: str, session: Session | None) -> dict[str, Any]:
    """Pains before, during, after (new: "not entered" at first) and, editing, next morning."""
    scale = load_pain_scale()
    st.markdown("**Pain** from 0 (no pain) to 10 (worst imaginable) · choose all three")
    st.caption(f"{scale.legend()} · each starts at *{NOT_ENTERED}*, which is not 0")
    pains: dict[str, Any] = {}
    for field, label, key in PAINS:
        pains[field] = pain_slider(
            label, f"{prefix}_{key}", getattr(session, field) if session else None
        )
        problem_at(prefix, f"pain.{key}")
    pains["pain_next_morning"] = None
    if session is not None:
        morning = session.pain_next_morning
        pains["pain_next_morning"] = pain_slider(
            "Pain the next morning", f"{prefix}_morning", morning
        )
    return pains


def _knee_problems(prefix: str, session: Session | None) -> dict[str, bool]:
    st.markdown("**Did your knee do any of these?**")
    return {
        field: st.checkbox(
            label, value=bool(session and getattr(session, field)), key=f"{prefix}_{field}"
        )
        for field, label in KNEE_PROBLEMS.items()
    }


def session_form(
    spec: FormSpec, drafts: Sequence[EntryDraft], units: Units, session: Session | None
) -> tuple[bool, SessionInput]:
    """The whole form; returns (submitted, what was entered), with the problems found at
    the last Save next to their fields (:func:`pages.log_checks.problem_at`).

    ``session``: the session being edited (its values fill the form), or None for a new one.
    """
    today = dt.date.today()
    prefix = spec.prefix
    with st.form(f"{prefix}_form", border=False):
        date = st.date_input(
            "Date",
            value=session.date if session else today,
            min_value=DATE_BOUNDS[0],
            max_value=DATE_BOUNDS[1],
            key=f"{prefix}_date",
            format="DD/MM/YYYY",
        )
        problem_at(prefix, "date")
        entries = _exercise_rows(spec, drafts, units)
        pains = _pains(prefix, session)
        problems = _knee_problems(prefix, session)
        notes = st.text_area(
            "Notes (optional)",
            value=session.notes if session else "",
            # No max_chars: the browser then dropped a longer paste whole, silently.
            # The whole text stays in the field and tracker.build_session says how
            # much is over, so nothing typed is lost.
            help=f"Up to {NOTES_LIMIT} characters.",
            key=f"{prefix}_notes",
            height=80,
        )
        problem_at(prefix, "notes")
        problem_at(prefix, "form")
        submitted = st.form_submit_button(spec.submit_label, type="primary", width="stretch")
    form = SessionInput(
        # An emptied date field stays empty: build_session asks for a date.
        date=date if isinstance(date, dt.date) else None,
        entries=entries,
        **pains,
        **problems,
        notes=notes or "",
        units=units,
        session_id=session.id if session else None,
    )
    return submitted, form
