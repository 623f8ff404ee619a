"""Log a session: today's plan pre-filled, the pain traffic light, advice, and history.

Thin page: the form rows come from ``kneecore.tracker``, the session is built and
validated there, the zone and advice come from ``kneecore.pain`` and
``kneecore.progression``. ``st.session_state`` only holds UI state: which feedback to
show, the form version (bumped after a save so the form starts fresh), the session
being edited or about to be deleted, and the last deleted session for "Undo delete".

While the plan is paused (``kneecore.safety``) the page opens with the pause, the form
offers no exercises of its own (the person adds what a clinician gave them, so a
session can still be recorded) and the advice after saving is to see a GP. In phase 3
the form offers only the hops reached so far (``progression.hops_reached``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from kneecore.models import Session
from kneecore.pain import load_pain_scale
from kneecore.progression import presentation, session_zone
from kneecore.safety import PlanStatus
from kneecore.store import StoreError
from kneecore.tracker import (
    BAND_WORDS,
    BANDS,
    SIDE_WORDS,
    SIDES,
    EntryDraft,
    EntryInput,
    FormErrors,
    SessionInput,
    Units,
    build_session,
    drafts_from_session,
    example_reps,
    history_rows,
    plan_draft,
    plan_drafts,
)
from kneecore.words import format_day
from pages.common import (
    advice_now,
    get_library,
    get_store,
    hops_now,
    not_a_diagnosis,
    show_store_error,
    zone_badge,
)
from pages.pause import show_pause

FEEDBACK = "log_feedback"
VERSION = "log_form_version"
EDITING = "log_editing"
CONFIRM_DELETE = "log_confirm_delete"
UNDO = "log_undo"
HISTORY_LIMIT = "log_history_limit"
OWN_EXERCISES = "log_own_exercises"
#: Rows of history shown at first; more on request. Years of sessions in one styled
#: table and one drop-down would make every rerun of this page slow.
HISTORY_STEP = 30

scale = load_pain_scale()
library = get_library()
store = get_store()


def show_advice(session: Session | None, action: str) -> None:
    """Zone of the session just saved and the current recommendation; see_gp comes first."""
    # A paused plan always advises seeing a GP, whatever this session's zone; saving a
    # red session never gets "keep going", whatever its date.
    rec = advice_now(logged=session.id if session else None)
    level, icon, body = presentation(rec)
    if rec.kind == "see_gp":
        # Safety first: never below other messages, never in an expander.
        st.error(body, icon=icon)
    if session is not None:
        zone = session_zone(session)
        st.success(
            f"{action} your session of {format_day(session.date)}.", icon=":material/check_circle:"
        )
        st.markdown(f"**This session:** {zone_badge(zone)}")
        st.caption(scale.zone_meaning(zone))
    if rec.kind != "see_gp":
        st.markdown("**What next**")
        getattr(st, level)(body, icon=icon)
    if rec.trend_warning:
        st.warning(rec.trend_warning, icon=":material/trending_up:")


def pain_slider(label: str, key: str, value: int) -> int:
    chosen: int = st.select_slider(
        label, options=list(range(11)), value=value, format_func=scale.label, key=key
    )
    return chosen


def exercise_row(key: str, d: EntryDraft, units: Units, failed: bool) -> EntryInput:
    """One exercise: a 'done' tick, the plan, and its dose fields folded away."""
    done = st.checkbox(f"**{d.name}**", value=d.done, key=f"{key}_done")
    st.caption(f"Plan: {d.dose_text}" if d.dose_text else "Not in your current plan")
    hold_s = load = None
    band = None
    side = d.side
    with st.expander("Sets, reps and more", expanded=failed):
        # Row by row, so that on a phone (where columns stack) the order still reads well.
        left, right = st.columns(2)
        sets = int(
            left.number_input(
                "Sets", min_value=1, max_value=20, value=d.sets, step=1, key=f"{key}_sets"
            )
        )
        reps_text = right.text_input(
            "Reps per set",
            value=d.reps_text,
            key=f"{key}_reps",
            help=f"One number for every set, or one per set, e.g. {example_reps(max(d.sets, 2))}",
        )
        if d.uses_hold or d.uses_load:
            left, right = st.columns(2)
        if d.uses_hold:
            hold_s = float(
                left.number_input(
                    "Hold (seconds)",
                    min_value=0.0,
                    max_value=600.0,
                    value=float(d.hold_s or 0),
                    step=1.0,
                    format="%.0f",
                    key=f"{key}_hold",
                )
            )
        if d.uses_load:
            load = float(
                right.number_input(
                    f"Ankle weight ({units})",
                    min_value=0.0,
                    max_value=100.0 if units == "kg" else 220.0,
                    value=float(d.load or 0),
                    step=0.5,
                    format="%.1f",
                    key=f"{key}_load",
                    help="0 means no weight",
                )
            )
        if d.uses_band or d.per_side:
            left, right = st.columns(2)
        if d.uses_band:
            band = left.selectbox(
                "Band",
                options=[None, *BANDS],
                index=([None, *BANDS]).index(d.band),
                format_func=lambda b: "No band" if b is None else BAND_WORDS[b],
                key=f"{key}_band",
            )
        if d.per_side:
            side = right.selectbox(
                "Side",
                options=list(SIDES),
                index=list(SIDES).index(d.side),
                format_func=SIDE_WORDS.__getitem__,
                key=f"{key}_side",
            )
    return EntryInput(d.exercise_id, done, sets, reps_text, hold_s, load, band, side)


def session_form(
    prefix: str,
    drafts: Sequence[EntryDraft],
    units: Units,
    *,
    session: Session | None,
    submit_label: str,
    failed_rows: set[int],
    key_by_id: bool = False,
    heading: str = "**Exercises** · untick what you skipped",
    empty_note: str = "",
) -> tuple[bool, SessionInput, dict[str, Any]]:
    """The whole form; returns (submitted, what was entered, error placeholders by field).

    Rows are keyed by their place in the form, or by exercise id (``key_by_id``) when the
    person picks the exercises, so adding one does not move what was typed into another.
    """
    today = dt.date.today()
    spots: dict[str, Any] = {}
    with st.form(f"{prefix}_form", border=False):
        date = st.date_input(
            "Date",
            value=session.date if session else today,
            max_value=today,
            key=f"{prefix}_date",
            format="DD/MM/YYYY",
        )
        spots["date"] = st.empty()
        if heading:
            st.markdown(heading)
        spots["exercises"] = st.empty()
        entries = []
        if not drafts and empty_note:
            st.caption(empty_note)
        for i, d in enumerate(drafts):
            key = f"{prefix}_{d.exercise_id}" if key_by_id else f"{prefix}_{i}"
            with st.container(border=True):
                entries.append(exercise_row(key, d, units, i in failed_rows))
                spots[f"exercise.{i}"] = st.empty()
        st.markdown("**Pain** from 0 to 10")
        st.caption(scale.legend())
        before = pain_slider(
            "Pain before you started", f"{prefix}_before", session.pain_before if session else 0
        )
        during = pain_slider(
            "Worst pain during the exercises",
            f"{prefix}_during",
            session.pain_during if session else 0,
        )
        after = pain_slider(
            "Pain just after", f"{prefix}_after", session.pain_after if session else 0
        )
        morning = session.pain_next_morning if session else None
        if session is not None:
            morning = st.select_slider(
                "Pain the next morning",
                options=[None, *range(11)],
                value=session.pain_next_morning,
                format_func=lambda v: "not entered" if v is None else scale.label(v),
                key=f"{prefix}_morning",
            )
        spots["pain"] = st.empty()
        st.markdown("**Did your knee do any of these?**")
        swelling = st.checkbox(
            "New swelling", value=bool(session and session.swelling), key=f"{prefix}_swelling"
        )
        locking = st.checkbox(
            "Locking or getting stuck",
            value=bool(session and session.locking),
            key=f"{prefix}_locking",
        )
        giving_way = st.checkbox(
            "Giving way", value=bool(session and session.giving_way), key=f"{prefix}_giving_way"
        )
        notes = st.text_area(
            "Notes (optional)",
            value=session.notes if session else "",
            max_chars=2000,
            key=f"{prefix}_notes",
            height=80,
        )
        spots["notes"] = st.empty()
        spots["form"] = st.empty()
        submitted = st.form_submit_button(submit_label, type="primary", width="stretch")
    form = SessionInput(
        date=date if isinstance(date, dt.date) else today,
        entries=entries,
        pain_before=before,
        pain_during=during,
        pain_after=after,
        swelling=swelling,
        locking=locking,
        giving_way=giving_way,
        notes=notes or "",
        pain_next_morning=morning,
        units=units,
        session_id=session.id if session else None,
    )
    return submitted, form, spots


def show_errors(errors: FormErrors, spots: dict[str, Any]) -> None:
    for field, message in errors.errors.items():
        spots.get(field, spots["form"]).error(message, icon=":material/edit:")
    count = len(errors.errors)
    spots["form"].error(
        f"Nothing was saved: fix the {'problem' if count == 1 else f'{count} problems'} "
        "marked above.",
        icon=":material/warning:",
    )


def failed_rows(key: str) -> set[int]:
    return set(st.session_state.get(key, set()))


def own_drafts() -> list[EntryDraft]:
    """While paused: only the exercises the person adds (a clinician may prescribe some)."""
    st.markdown("**Exercises** · nothing is filled in while your plan is paused")
    names = {e.id: f"{e.name} (phase {e.phase})" for e in library.exercises}
    chosen = st.multiselect(
        "Add the exercises you did, for example ones your GP or physiotherapist gave you",
        list(names),
        format_func=names.__getitem__,
        placeholder="Choose exercises",
        key=OWN_EXERCISES,
    )
    return [plan_draft(library.exercise(i)) for i in chosen]


def todays_drafts(phase: int) -> list[EntryDraft]:
    """Today's plan, with only the hops reached so far (double-leg, then single-leg...)."""
    return plan_drafts(library, phase, hops=hops_now())


def log_new(units: Units, status: PlanStatus) -> None:
    version = st.session_state.setdefault(VERSION, 0)
    prefix = f"log{version}"
    drafts = own_drafts() if status.paused else todays_drafts(plan_intro())
    submitted, form, spots = session_form(
        prefix,
        drafts,
        units,
        session=None,
        submit_label="Save session",
        failed_rows=failed_rows(f"{prefix}_failed"),
        key_by_id=status.paused,
        # While paused the exercises are chosen above the form, under their own heading.
        heading="" if status.paused else "**Exercises** · untick what you skipped",
        empty_note="Add at least one exercise above to record a session.",
    )
    session = validated(form, prefix, spots) if submitted else None
    if session is None:
        return
    new_id = store.add_session(session)
    st.session_state[FEEDBACK] = {"id": new_id, "action": "Saved"}
    st.session_state[VERSION] = version + 1
    st.session_state.pop(OWN_EXERCISES, None)
    st.rerun()


def plan_intro() -> int:
    """Say which plan the form holds; returns its phase (1 when there is none yet)."""
    phase_entry = store.current_phase()
    if phase_entry is None:
        st.info(
            "You have no phase yet, so this shows phase 1, the gentlest. "
            "The self-check finds the right phase for you.",
            icon=":material/explore:",
        )
        st.page_link("pages/self_check.py", label="Do the self-check", icon=":material/checklist:")
        return 1
    st.caption(f"Today's plan: phase {phase_entry.phase}, {library.phase(phase_entry.phase).name}.")
    return phase_entry.phase


def validated(form: SessionInput, prefix: str, spots: dict[str, Any]) -> Session | None:
    """The session the form describes; or None, with each problem shown by its field."""
    try:
        return build_session(form)
    except FormErrors as errors:
        # Remembered so the rows with a problem open up on the next run.
        st.session_state[f"{prefix}_failed"] = errors.rows
        show_errors(errors, spots)
        return None


def history(units: Units) -> None:
    st.subheader("History")
    undo: Session | None = st.session_state.get(UNDO)
    if undo is not None:
        st.success(f"Deleted the session of {format_day(undo.date)}.", icon=":material/delete:")
        if st.button("Undo delete", icon=":material/undo:", key="log_undo_button"):
            store.add_session(undo)
            del st.session_state[UNDO]
            st.session_state[FEEDBACK] = {"id": undo.id, "action": "Restored"}
            st.rerun()
    sessions = store.sessions()
    if not sessions:
        st.caption("No sessions yet. Your logged sessions will appear here, newest first.")
        return
    names = {e.id: e.name for e in library.exercises}
    newest_first = sorted(sessions, key=lambda s: s.date, reverse=True)
    limit = int(st.session_state.get(HISTORY_LIMIT, HISTORY_STEP))
    shown = newest_first[:limit]
    rows = history_rows(shown, names, scale.zone_label, units)
    # The zone column carries a coloured icon and a word (never colour alone). A
    # pandas Styler for cell backgrounds cost more than the rest of the page together.
    st.dataframe(
        pd.DataFrame([{k: v for k, v in r.items() if k != "id"} for r in rows]),
        hide_index=True,
        # Fixed narrow widths (pixels), so the date, zone and all four pain scores fit
        # a 390 px phone screen; the exercises column follows on a sideways swipe.
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM YYYY", width=84),
            "Zone": st.column_config.Column("Zone", width=68),
            **{
                name: st.column_config.Column(name, width=50)
                for name in ("Before", "During", "After")
            },
            "Next morning": st.column_config.Column(
                "Morning", width=50, help="Pain the next morning (— not entered yet)"
            ),
        },
    )
    if len(newest_first) > limit:
        st.caption(f"Showing your latest {limit} of {len(newest_first)} sessions.")
        if st.button("Show older sessions", icon=":material/history:", key="log_history_more"):
            st.session_state[HISTORY_LIMIT] = limit + HISTORY_STEP
            st.rerun()
    by_id = {s.id: s for s in sessions}
    order = [r["id"] for r in rows]
    chosen = st.selectbox(
        "Choose a session to edit or delete",
        options=order,
        format_func=lambda i: (
            f"{format_day(by_id[i].date)} · {scale.zone_label(session_zone(by_id[i]))} · "
            f"pain {by_id[i].pain_during}/10"
        ),
        # Keyed by the newest session, so a new session becomes the default choice.
        key=f"log_history_choice_{order[0]}",
    )
    left, right = st.columns(2)
    if left.button("Edit", icon=":material/edit:", key="log_edit_button", width="stretch"):
        st.session_state[EDITING] = chosen
        st.session_state.pop(CONFIRM_DELETE, None)
    if right.button("Delete", icon=":material/delete:", key="log_delete_button", width="stretch"):
        st.session_state[CONFIRM_DELETE] = chosen
        st.session_state.pop(EDITING, None)

    pending = st.session_state.get(CONFIRM_DELETE)
    if pending in by_id:
        target = by_id[pending]
        st.warning(
            f"Delete the session of {format_day(target.date)}? You can undo this straight after.",
            icon=":material/warning:",
        )
        yes, no = st.columns(2)
        if yes.button("Yes, delete it", type="primary", key="log_delete_yes", width="stretch"):
            st.session_state[UNDO] = store.delete_session(pending)
            st.session_state.pop(CONFIRM_DELETE, None)
            if st.session_state.get(FEEDBACK, {}).get("id") == pending:
                st.session_state.pop(FEEDBACK, None)
            st.rerun()
        if no.button("Keep it", key="log_delete_no", width="stretch"):
            st.session_state.pop(CONFIRM_DELETE, None)
            st.rerun()

    editing = st.session_state.get(EDITING)
    if editing in by_id:
        edit(by_id[editing], units)


def edit(session: Session, units: Units) -> None:
    st.subheader(f"Edit the session of {format_day(session.date)}")
    prefix = f"edit_{session.id}"
    drafts = drafts_from_session(session, library, units, hops=hops_now())
    submitted, form, spots = session_form(
        prefix,
        drafts,
        units,
        session=session,
        submit_label="Save changes",
        failed_rows=failed_rows(f"{prefix}_failed"),
    )
    if st.button("Cancel editing", key="log_edit_cancel"):
        st.session_state.pop(EDITING, None)
        st.rerun()
    updated = validated(form, prefix, spots) if submitted else None
    if updated is None:
        return
    store.update_session(session.id, updated.model_dump())
    st.session_state.pop(EDITING, None)
    st.session_state[FEEDBACK] = {"id": session.id, "action": "Updated"}
    st.rerun()


st.title("Log a session")
try:
    status = show_pause("log", store)
    units: Units = store.settings().units
    feedback = st.session_state.get(FEEDBACK)
    if feedback:
        try:
            saved: Session | None = store.get_session(feedback["id"])
        except KeyError:
            saved = None
        show_advice(saved, feedback["action"])
        st.divider()
    log_new(units, status)
    history(units)
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
