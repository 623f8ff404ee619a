"""Log a session: today's plan pre-filled, the pain traffic light, advice, and history.

Thin page: the form rows come from ``kneecore.tracker``, the session is built and
validated there, the zone and advice come from ``kneecore.progression`` and
``kneecore.safety``; the form's widgets are in ``pages/log_form.py`` and the history's
in ``pages/log_history.py``. ``st.session_state`` only holds UI state: which feedback to
show, the form version (bumped after a save so the form starts fresh), the session being
edited or about to be deleted, and the last deleted session for "Undo delete".

While the plan is paused (``kneecore.safety``) the page opens with the pause, the form
offers no exercises of its own (the person adds what a clinician gave them, so a
session can still be recorded) and the advice after saving is to see a GP. In phase 3
the form offers only the hops reached so far (``progression.hops_reached``).
"""

from __future__ import annotations

import streamlit as st

from kneecore.models import Session
from kneecore.pain import load_pain_scale
from kneecore.progression import session_zone
from kneecore.safety import PlanStatus
from kneecore.store import StoreError
from kneecore.tracker import (
    GREEN_SO_FAR_MEANING,
    SO_FAR,
    EntryDraft,
    FormErrors,
    SessionInput,
    Units,
    build_session,
    drafts_from_session,
    green_so_far,
    history_page,
    history_rows,
    plan_draft,
    plan_drafts,
    session_label,
)
from kneecore.words import format_day
from pages import log_form, log_history
from pages.common import (
    advice_now,
    get_library,
    get_store,
    hops_now,
    not_a_diagnosis,
    show_store_error,
)
from pages.pause import show_pause
from pages.style import advice_box, zone_badge

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
    if rec.kind == "see_gp":
        # Safety first: never below other messages, never in an expander.
        advice_box(rec)
    if session is not None:
        zone = session_zone(session)
        st.success(
            f"{action} your session of {format_day(session.date)}.", icon=":material/check_circle:"
        )
        # Green waits on the next morning: until its pain is in, it is green "so far".
        so_far = green_so_far(session)
        st.markdown(f"**This session:** {zone_badge(zone)}{f' {SO_FAR}' if so_far else ''}")
        st.caption(GREEN_SO_FAR_MEANING if so_far else scale.zone_meaning(zone))
    if rec.kind != "see_gp":
        st.markdown("**What next**")
        advice_box(rec)
    if rec.trend_warning:
        st.warning(rec.trend_warning, icon=":material/trending_up:")


def failed_rows(key: str) -> frozenset[int]:
    return frozenset(st.session_state.get(key, set()))


def own_drafts() -> list[EntryDraft]:
    """While paused: only the exercises the person adds (a clinician may prescribe some)."""
    names = {e.id: f"{e.name} (phase {e.phase})" for e in library.exercises}
    return [plan_draft(library.exercise(i)) for i in log_form.own_exercises(names, OWN_EXERCISES)]


def todays_drafts(phase: int) -> list[EntryDraft]:
    """Today's plan, with only the hops reached so far (double-leg, then single-leg...)."""
    return plan_drafts(library, phase, hops=hops_now())


def log_new(units: Units, status: PlanStatus) -> None:
    version = st.session_state.setdefault(VERSION, 0)
    prefix = f"log{version}"
    drafts = own_drafts() if status.paused else todays_drafts(plan_intro())
    spec = log_form.FormSpec(
        prefix,
        "Save session",
        failed_rows=failed_rows(f"{prefix}_failed"),
        key_by_id=status.paused,
        # While paused the exercises are chosen above the form, under their own heading.
        heading="" if status.paused else log_form.PLAN_HEADING,
        empty_note="Add at least one exercise above to record a session.",
    )
    submitted, form, spots = log_form.session_form(spec, drafts, units, session=None)
    session = validated(form, prefix, spots, drafts) if submitted else None
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


def validated(
    form: SessionInput, prefix: str, spots: dict[str, object], drafts: list[EntryDraft]
) -> Session | None:
    """The session the form describes; or None, with each problem shown by its field."""
    try:
        return build_session(form)
    except FormErrors as errors:
        # Remembered so the rows with a problem open up on the next run.
        st.session_state[f"{prefix}_failed"] = errors.rows
        log_form.show_errors(errors, spots, [d.name for d in drafts])
        return None


# -- history ---------------------------------------------------------------------------


def _offer_undo() -> None:
    undo: Session | None = st.session_state.get(UNDO)
    if undo is None:
        return
    st.success(f"Deleted the session of {format_day(undo.date)}.", icon=":material/delete:")
    if st.button("Undo delete", icon=":material/undo:", key="log_undo_button"):
        store.add_session(undo)
        del st.session_state[UNDO]
        st.session_state[FEEDBACK] = {"id": undo.id, "action": "Restored"}
        st.rerun()


def _history_table(sessions: list[Session], units: Units) -> list[str]:
    """The newest sessions as a table, with "Show older sessions"; returns their ids."""
    limit = int(st.session_state.get(HISTORY_LIMIT, HISTORY_STEP))
    page = history_page(sessions, limit)
    names = {e.id: e.name for e in library.exercises}
    rows = history_rows(page.sessions, names, scale.zone_label, units)
    log_history.history_table(rows)
    if page.more:
        st.caption(f"Showing your latest {limit} of {page.total} sessions.")
        if st.button("Show older sessions", icon=":material/history:", key="log_history_more"):
            st.session_state[HISTORY_LIMIT] = limit + HISTORY_STEP
            st.rerun()
    return [r["id"] for r in rows]


def _choose(order: list[str], by_id: dict[str, Session]) -> None:
    """Pick a session from the table, then Edit or Delete it."""
    chosen = st.selectbox(
        "Choose a session to edit or delete",
        options=order,
        format_func=lambda i: session_label(by_id[i], scale.zone_label),
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


def _confirm_delete(target: Session) -> None:
    yes, keep = log_history.confirm_delete(format_day(target.date))
    if yes:
        st.session_state[UNDO] = store.delete_session(target.id)
        st.session_state.pop(CONFIRM_DELETE, None)
        if st.session_state.get(FEEDBACK, {}).get("id") == target.id:
            st.session_state.pop(FEEDBACK, None)
        st.rerun()
    if keep:
        st.session_state.pop(CONFIRM_DELETE, None)
        st.rerun()


def history(units: Units) -> None:
    st.subheader("History")
    _offer_undo()
    sessions = store.sessions()
    if not sessions:
        st.caption("No sessions yet. Your logged sessions will appear here, newest first.")
        return
    order = _history_table(sessions, units)
    by_id = {s.id: s for s in sessions}
    _choose(order, by_id)
    pending = st.session_state.get(CONFIRM_DELETE)
    if pending in by_id:
        _confirm_delete(by_id[pending])
    editing = st.session_state.get(EDITING)
    if editing in by_id:
        edit(by_id[editing], units)


def edit(session: Session, units: Units) -> None:
    st.subheader(f"Edit the session of {format_day(session.date)}")
    prefix = f"edit_{session.id}"
    drafts = drafts_from_session(session, library, units, hops=hops_now())
    spec = log_form.FormSpec(prefix, "Save changes", failed_rows=failed_rows(f"{prefix}_failed"))
    submitted, form, spots = log_form.session_form(spec, drafts, units, session=session)
    if st.button("Cancel editing", key="log_edit_cancel"):
        st.session_state.pop(EDITING, None)
        st.rerun()
    updated = validated(form, prefix, spots, drafts) if submitted else None
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
