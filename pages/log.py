"""Log a session: today's plan pre-filled, the pain traffic light, advice, and history.

Thin page: the form rows come from ``kneecore.tracker``, the session is built and
validated there, the zone and advice come from ``kneecore.progression`` and
``kneecore.safety``, and what the latest action says and where comes from
``kneecore.last_action``; the form's widgets are in ``pages/log_form.py`` and the
history's in ``pages/log_history.py``. ``st.session_state`` only holds UI state: the
latest action (one only, so "Undo delete" never outlives a later save), the form
version (bumped after a save so the form starts fresh), a save waiting for "Save it
again", and the session being edited or about to be deleted.

A save is answered where the person is: under its Save button, focused and scrolled
into view (no toast: on a phone it covered the answer it repeated). A change is made
in a dialog with one Save; its answer, like a delete's undo, appears under the list
the session was chosen from.

While the plan is paused (``kneecore.safety``) the page opens with the pause, the form
offers no exercises of its own (the person adds what a clinician gave them, so a
session can still be recorded) and the advice after saving is to see a GP. In phase 3
the form offers only the hops reached (``progression.hops_reached``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from kneecore.last_action import LastAction
from kneecore.models import Session, Side, new_id
from kneecore.pain import load_pain_scale
from kneecore.safety import PlanStatus
from kneecore.store import StoreConflict, StoreError
from kneecore.tracker import (
    EntryDraft,
    Units,
    default_side,
    drafts_from_session,
    plan_draft,
    plan_drafts,
    submit_outcome,
)
from kneecore.words import format_day
from pages import log_checks, log_form, log_history, log_plan, log_result
from pages.common import (
    advice_now,
    get_library,
    get_store,
    hops_now,
    not_a_diagnosis,
    show_store_error,
    store_key,
)
from pages.in_browser import focus_on
from pages.pause import show_pause

LAST = "log_last"
DUPLICATE = "log_duplicate"
VERSION = "log_form_version"
EDITING = "log_editing"
#: The session as it was when Edit was clicked: a save checks nobody changed it since.
EDIT_BASE = "log_edit_base"
CONFLICT = "log_conflict"
CONFIRM_DELETE = "log_confirm_delete"
HISTORY_LIMIT = "log_history_limit"
OWN_EXERCISES = "log_own_exercises"
#: Rows of history shown at first; more on request. Years of sessions in one table
#: and one drop-down would make every rerun of this page slow.
HISTORY_STEP = 30

scale = load_pain_scale()
library = get_library()
store = get_store()


# -- the answer to the latest action ---------------------------------------------------


def remember(action: LastAction) -> None:
    """Make ``action`` the latest one: it replaces any earlier answer or undo."""
    st.session_state[LAST] = action
    st.session_state.pop(DUPLICATE, None)
    st.session_state.pop(CONFLICT, None)


def show_result(action: LastAction) -> None:
    """The confirmation, the session's zone and the advice; focus moved there once."""
    try:
        session: Session | None = store.get_session(action.session_id)
    except KeyError:
        # Deleted since (in another tab): say what was done, without a zone.
        session = None
    if not action.announced:
        log_result.announce()
        st.session_state[LAST] = action.told()
    # Saving a red session never gets "keep going", whatever its date.
    rec = advice_now(logged=session.id if session else None)
    log_result.show_result(action.message(), session, rec)


# -- a new session ---------------------------------------------------------------------


def own_drafts(side: Side) -> list[EntryDraft]:
    """While paused: only the exercises the person adds (a clinician may prescribe some)."""
    names = {e.id: f"{e.name} (phase {e.phase})" for e in library.exercises}
    chosen = log_plan.own_exercises(names, OWN_EXERCISES)
    return [plan_draft(library.exercise(i), side) for i in chosen]


def log_new(units: Units, status: PlanStatus, side: Side) -> None:
    version = st.session_state.setdefault(VERSION, 0)
    prefix = f"log{version}"
    if status.paused:
        drafts = own_drafts(side)
    else:
        # Today's plan, with only the hops reached so far (double-leg, then single-leg).
        phase = log_plan.plan_intro(store.current_phase(), library)
        drafts = plan_drafts(library, phase, hops=hops_now(), side=side)
    spec = log_form.FormSpec(
        prefix,
        "Save session",
        failed_rows=log_checks.failed_rows(prefix),
        key_by_id=status.paused,
        # While paused the exercises are chosen above the form, under their own heading.
        heading="" if status.paused else log_form.PLAN_HEADING,
        empty_note="Add at least one exercise above to record a session.",
    )
    submitted, form = log_form.session_form(spec, drafts, units, session=None)
    asked = False
    if submitted:
        st.session_state.pop(DUPLICATE, None)
        # One id per form: a Save sent twice finds its own session already stored.
        submission = st.session_state.setdefault(f"{prefix}_id", new_id())
        session = log_checks.validated(replace(form, session_id=submission), prefix, drafts)
        outcome = submit_outcome(session, store.sessions())
        if outcome == "save":
            save_new(session)
        elif outcome == "already_saved":
            remember(LastAction("saved", session.id, session.date))
            st.session_state[VERSION] = version + 1
            st.rerun()
        else:
            # The same day and content is saved already: a second tap, most likely.
            st.session_state[DUPLICATE] = session
            asked = True
    pending: Session | None = st.session_state.get(DUPLICATE)
    action: LastAction | None = st.session_state.get(LAST)
    if pending is not None:
        again, dont = log_history.ask_save_again(format_day(pending.date))
        if asked:  # once, as it is asked: focus on the question, not the page's top
            focus_on(key=log_history.AGAIN_BOX)
        if again:
            save_new(pending.model_copy(update={"id": new_id()}))
        if dont:
            # Nothing saved; the form keeps what was entered.
            st.session_state.pop(DUPLICATE, None)
            st.rerun()
    elif action is not None and action.place == "form":
        show_result(action)


def save_new(session: Session) -> None:
    new_id = store.add_session(session)
    remember(LastAction("saved", new_id, session.date))
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.session_state.pop(OWN_EXERCISES, None)
    st.rerun()


# -- history ---------------------------------------------------------------------------


def history_answer() -> None:
    """Under the list: the answer to a change or restore, or the undo of a delete."""
    if CONFLICT in st.session_state:
        st.warning(st.session_state[CONFLICT], icon=":material/sync_problem:")
        return
    action: LastAction | None = st.session_state.get(LAST)
    if action is None or action.place != "history":
        return
    if not action.can_undo:
        show_result(action)
        return
    if log_history.offer_undo(action.message()) and action.deleted is not None:
        store.add_session(action.deleted)
        remember(LastAction.of("restored", action.deleted))
        st.rerun()


def history_table(units: Units) -> None:
    """The newest sessions as a table, "Show older sessions", and the Edit/Delete choice."""
    limit = int(st.session_state.get(HISTORY_LIMIT, HISTORY_STEP))
    view = log_history.history_view(
        store_key(store), store.revision(), limit, units, dt.date.today()
    )
    log_history.history_table(view.frame)
    if view.total > limit and log_history.show_older(limit, view.total):
        st.session_state[HISTORY_LIMIT] = limit + HISTORY_STEP
        st.rerun()
    chosen, edit_it, delete_it = log_history.choose(list(view.labels), view.labels.__getitem__)
    if edit_it:
        stop_editing()
        st.session_state[EDITING] = chosen
        st.session_state.pop(CONFIRM_DELETE, None)
    if delete_it:
        st.session_state[CONFIRM_DELETE] = chosen
        stop_editing()


def confirm_delete(target: Session) -> None:
    yes, keep = log_history.confirm_delete(format_day(target.date))
    if yes:
        st.session_state.pop(CONFIRM_DELETE, None)
        try:
            remember(LastAction.of("deleted", store.delete_session(target.id)))
        except KeyError:
            st.session_state[CONFLICT] = log_history.GONE
        st.rerun()
    if keep:
        st.session_state.pop(CONFIRM_DELETE, None)
        st.rerun()


def history(units: Units) -> None:
    st.header("History")
    sessions = store.sessions()
    by_id = {s.id: s for s in sessions}
    if any(st.session_state.get(k) not in (None, *by_id) for k in (CONFIRM_DELETE, EDITING)):
        # The session chosen was deleted in another tab or window meanwhile.
        st.session_state.pop(CONFIRM_DELETE, None)
        stop_editing()
        st.session_state[CONFLICT] = log_history.GONE
    if not sessions:
        st.caption("No sessions yet. Your logged sessions will appear here, newest first.")
        history_answer()
        return
    history_table(units)
    history_answer()
    pending = st.session_state.get(CONFIRM_DELETE)
    if pending in by_id:
        confirm_delete(by_id[pending])
    editing = st.session_state.get(EDITING)
    if editing in by_id:
        # The form shows the session as it was when Edit was clicked, and saves only if
        # nobody changed it since (another tab or window).
        base = st.session_state.setdefault(EDIT_BASE, by_id[editing])
        edit(base if base.id == editing else by_id[editing], units)


def edit(session: Session, units: Units) -> None:
    """The session's form in a dialog: one Save on screen, the history left as it was."""

    def form() -> None:
        prefix = f"edit_{session.id}"
        drafts = drafts_from_session(session, library, units, hops=hops_now())
        spec = log_form.FormSpec(prefix, "Save changes", failed_rows=log_checks.failed_rows(prefix))
        submitted, entered = log_form.session_form(spec, drafts, units, session=session)
        if st.button("Cancel", key="log_edit_cancel", width="stretch"):
            stop_editing()
            st.rerun()
        if not submitted:
            return
        updated = log_checks.validated(entered, prefix, drafts)
        stop_editing()
        try:
            store.update_session(session.id, updated.model_dump(), expected=session)
        except StoreConflict as conflict:
            st.session_state[CONFLICT] = log_history.conflict_words(conflict.current)
        else:
            remember(LastAction.of("updated", updated))
        st.rerun()

    title = f"Edit the session of {format_day(session.date)}"
    st.dialog(title, width="large", on_dismiss=stop_editing)(form)()


def stop_editing() -> None:
    st.session_state.pop(EDITING, None)
    st.session_state.pop(EDIT_BASE, None)


st.title("Log a session")
try:
    status = show_pause("log", store)
    settings = store.settings()
    side = default_side(settings.default_side, store.selfchecks())
    log_new(settings.units, status, side)
    history(settings.units)
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
