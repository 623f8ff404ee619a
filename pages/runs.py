"""Runs: log a walk-run level or a free run, see its zone and the next run's advice, and
the run history.

Thin page: the gate (is the programme open, and the next run: the one answer Today's
running card shows too), the prefill and the run built from the form come from
``kneecore.run_log``; the zone and the flags from ``kneecore.running``; the
plan pause from ``kneecore.safety`` (shown by ``pages/pause.py``); what the latest
action says and where from ``kneecore.last_action``. The form's widgets are in
``pages/runs_form.py``, the answers' and history's in ``pages/runs_history.py``.
``st.session_state`` only holds UI state: the latest action (one only, so "Undo delete"
never outlives a later change), the form version (bumped after a save so the form starts
fresh), the checklist answers, and the run being edited or about to be deleted.

Safety first: while the plan is paused the page offers no run form, only the pause and
its clearance form, and the history. Outside phases 2 and 3 the form stays shut; in them
it waits for the entry checklist before the first programme run, after 14 days without
a run, and when the phase went back since the latest run. The checklist's answers are
shared with Today's (``pages.home_running``), which also draws its points.
"""

from __future__ import annotations

import streamlit as st

from kneecore.last_action import ActionKind, LastAction
from kneecore.models import Run, new_id
from kneecore.pain import load_pain_scale
from kneecore.run_log import (
    EntryAnswers,
    RunGate,
    RunInput,
    as_mapping,
    changed_words,
    draft_for,
    morning_due,
    run_gate,
)
from kneecore.running import RunAdvice, run_flags
from kneecore.safety import PlanStatus
from kneecore.store import StoreConflict, StoreError
from kneecore.today_running import goal_of
from kneecore.words import format_day
from pages import runs_form, runs_history
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.home_running import saved_answers, show_items
from pages.in_browser import focus_on
from pages.log_history import offer_undo
from pages.pause import show_pause

LAST = "runs_last"
#: The run of the latest delete, for "Undo delete" (the action keeps its id and day).
DELETED = "runs_deleted"
VERSION = "runs_form_version"
EDITING = "runs_editing"
#: The run as it was when Edit was clicked: a save checks nobody changed it since.
EDIT_BASE = "runs_edit_base"
CONFLICT = "runs_conflict"
CONFIRM_DELETE = "runs_confirm_delete"
HISTORY_LIMIT = "runs_history_limit"
HISTORY_STEP = 30
IMPORT_PAGE = "pages/import_runs.py"

store = get_store()
zone_label = load_pain_scale().zone_label


# -- the answer to the latest action ---------------------------------------------------


def remember(action: LastAction, deleted: Run | None = None) -> None:
    """Make ``action`` the latest one: it replaces any earlier answer or undo."""
    st.session_state[LAST] = action
    st.session_state[DELETED] = deleted
    st.session_state.pop(CONFLICT, None)


def act(kind: ActionKind, run: Run) -> LastAction:
    """The action ``kind`` done to ``run``, told as a run."""
    return LastAction(kind, run.id, run.date, noun="run")


def show_result(action: LastAction, status: PlanStatus, advice: RunAdvice) -> None:
    """The confirmation, the run's zone, its flags and the next run's advice (the gate's)."""
    runs = store.runs()
    run = next((r for r in runs if r.id == action.session_id), None)
    if not action.announced:
        # Focus on the answer, once; no toast (on a phone it covered the answer).
        focus_on(key=runs_history.RESULT_KEY)
        st.session_state[LAST] = action.told()
    flags = [f for f in run_flags(runs) if run is not None and f.run_id == run.id]
    runs_history.show_answer(action.message(), run, advice, flags, status.paused)


# -- the gate and a new run ------------------------------------------------------------


def gate_for(status: PlanStatus, runs: list[Run], answers: EntryAnswers) -> RunGate:
    """Is the programme open, and the next run: the rule Today's card reads too."""
    return run_gate(
        store.phase_history(),
        runs,
        store.sessions(),
        answers,
        get_library(),
        paused=status.paused,
        goal=goal_of(store.selfchecks()),
        see_gp_from=status.counts_from,
    )


def gate_now(status: PlanStatus, runs: list[Run]) -> RunGate:
    """The gate, asking the checklist's three questions when it needs them."""
    before = saved_answers()
    first = gate_for(status, runs, before)
    if not first.ask_checklist:
        return first
    # The reason comes first; it is known once the answers below are read.
    why = st.empty()
    title = "The entry checklist for the walk-run programme"
    with st.expander(title, expanded=not first.open, key="runs_checklist_open"):
        answers = EntryAnswers(*runs_form.checklist_form())
        final = first if answers == before else gate_for(status, runs, answers)
        st.markdown(f"**{final.checklist.title}**")
        st.caption(final.checklist.intro)
        show_items(final.checklist, why=False)
        if final.checklist.met:
            st.success(
                "All four points are met: you can start the walk-run programme.",
                icon=":material/directions_run:",
            )
    if final.why:
        why.info(final.why, icon=":material/info:")
    return final


def log_new(status: PlanStatus, runs: list[Run]) -> RunGate:
    st.header("Log a run")
    gate = gate_now(status, runs)
    advice = gate.advice
    if gate.why and not gate.ask_checklist:
        st.info(gate.why, icon=":material/info:")
    if gate.open:
        version = st.session_state.setdefault(VERSION, 0)
        prefix = f"run{version}"
        st.caption(f"Suggested next: {advice.advice}")
        level = runs_form.choose_level(f"{prefix}_level", advice.level, " (suggested)")
        submitted, form = runs_form.run_form(prefix, draft_for(level), None, "Save run")
        if submitted:
            save_new(form, prefix, runs)
    action: LastAction | None = st.session_state.get(LAST)
    if action is not None and action.place == "form":
        show_result(action, status, advice)
    return gate


def save_new(form: RunInput, prefix: str, runs: list[Run]) -> None:
    run = runs_form.validated(form, prefix)
    # One id per form: a Save sent twice finds its own run already stored.
    run = run.model_copy(update={"id": st.session_state.setdefault(f"{prefix}_id", new_id())})
    if all(r.id != run.id for r in runs):
        store.add_run(run)
    remember(act("saved", run))
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    st.rerun()


# -- the history -----------------------------------------------------------------------


def history_answer(status: PlanStatus, advice: RunAdvice) -> None:
    """Under the list: the answer to a change or restore, or the undo of a delete."""
    if CONFLICT in st.session_state:
        st.warning(st.session_state[CONFLICT], icon=":material/sync_problem:")
        return
    action: LastAction | None = st.session_state.get(LAST)
    if action is None or action.place != "history":
        return
    deleted: Run | None = st.session_state.get(DELETED)
    if action.kind != "deleted" or deleted is None:
        show_result(action, status, advice)
        return
    if offer_undo(action.message()):
        store.add_run(deleted)
        remember(act("restored", deleted))
        st.rerun()


def morning(runs: list[Run]) -> None:
    """The next-morning pain of recent runs, one tap each."""
    saved = runs_history.morning_forms(morning_due(runs))
    if saved is None:
        return
    run, pain = saved
    try:
        updated = store.update_run(run.id, {"pain_next_morning": pain}, expected=run)
    except StoreConflict as conflict:
        st.session_state[CONFLICT] = changed_words(conflict.current, zone_label)
    else:
        remember(act("updated", updated))
    st.rerun()


def history(runs: list[Run], status: PlanStatus, advice: RunAdvice) -> None:
    st.header("Your runs")
    by_id = {r.id: r for r in runs}
    if any(st.session_state.get(k) not in (None, *by_id) for k in (CONFIRM_DELETE, EDITING)):
        # The run chosen was deleted in another tab or window meanwhile.
        st.session_state.pop(CONFIRM_DELETE, None)
        stop_editing()
        st.session_state[CONFLICT] = changed_words(None, zone_label)
    if not runs:
        st.caption(
            "No runs yet: they will appear here, newest first. Once the programme is "
            "open, log a walk-run above after you run it, or bring in the runs your "
            "watch or phone recorded."
        )
    else:
        morning(runs)
        limit = int(st.session_state.get(HISTORY_LIMIT, HISTORY_STEP))
        runs_history.history_table(runs, limit)
        if len(runs) > limit and st.button("Show older runs", key="runs_history_more"):
            st.session_state[HISTORY_LIMIT] = limit + HISTORY_STEP
            st.rerun()
        chosen, edit_it, delete_it = runs_history.choose(runs)
        if edit_it:
            stop_editing()
            st.session_state[EDITING] = chosen
            st.session_state.pop(CONFIRM_DELETE, None)
        if delete_it:
            st.session_state[CONFIRM_DELETE] = chosen
            stop_editing()
    st.page_link(IMPORT_PAGE, label="Import runs from watch files", icon=":material/upload_file:")
    history_answer(status, advice)
    pending = st.session_state.get(CONFIRM_DELETE)
    if pending in by_id:
        confirm_delete(by_id[pending])
    editing = st.session_state.get(EDITING)
    if editing in by_id:
        base = st.session_state.setdefault(EDIT_BASE, by_id[editing])
        edit(base if base.id == editing else by_id[editing])


def confirm_delete(target: Run) -> None:
    yes, keep = runs_history.confirm_delete(format_day(target.date))
    if yes:
        st.session_state.pop(CONFIRM_DELETE, None)
        try:
            gone = store.delete_run(target.id)
        except KeyError:
            st.session_state[CONFLICT] = changed_words(None, zone_label)
        else:
            remember(act("deleted", gone), deleted=gone)
        st.rerun()
    if keep:
        st.session_state.pop(CONFIRM_DELETE, None)
        st.rerun()


def edit(run: Run) -> None:
    """The run's form in a dialog: one Save on screen; saved only if nobody changed it."""

    def form() -> None:
        prefix = f"run_edit_{run.id}"
        submitted, entered = runs_form.run_form(prefix, draft_for(run.level), run, "Save changes")
        if st.button("Cancel", key="runs_edit_cancel", width="stretch"):
            stop_editing()
            st.rerun()
        if not submitted:
            return
        updated = runs_form.validated(entered, prefix)
        stop_editing()
        try:
            saved = store.update_run(run.id, as_mapping(updated), expected=run)
        except StoreConflict as conflict:
            st.session_state[CONFLICT] = changed_words(conflict.current, zone_label)
        else:
            remember(act("updated", saved))
        st.rerun()

    title = f"Edit the run of {format_day(run.date)}"
    st.dialog(title, width="large", on_dismiss=stop_editing)(form)()


def stop_editing() -> None:
    st.session_state.pop(EDITING, None)
    st.session_state.pop(EDIT_BASE, None)


st.title("Runs")
try:
    status = show_pause("log", store)
    runs = store.runs()
    gate = log_new(status, runs)
    history(runs, status, gate.advice)
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
