"""Self-check page: a calm, step-by-step questionnaire, then the result.

Warning signs come first. Where each step leads, what it lacks, which result the answers
give and how it is shown come from ``kneecore.selfcheck_flow``; the widgets from
``pages/self_check_steps.py`` and ``pages/self_check_result.py``. This page keeps the
answers between steps, saves the result once and shows it, lists earlier self-checks
(drawn only when opened; delete, confirm, undo until the next action), and offers a
practice run that keeps nothing unless it finds a warning sign.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

import streamlit as st
from pydantic import ValidationError

from kneecore import selfcheck_flow as flow
from kneecore.content import ContentError
from kneecore.models import SelfCheckResult
from kneecore.questionnaire import Questionnaire, load_questionnaire
from kneecore.safety import cleared_signs
from kneecore.selfcheck import describe_answer_errors, warning_signs
from kneecore.store import StoreError
from kneecore.words import format_date
from pages import self_check_result as result_ui
from pages import self_check_steps as steps
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.in_browser import focus_later, focus_now

# Session-state keys: all UI state of this page, under one prefix.
STEP = "sc_step"  # the id of the step shown
ANSWERS = "sc_answers"
RESULT = "sc_result"
SAVED = "sc_saved"  # (result id, id the store kept it under or None)
SAVE_ERROR = "sc_save_error"
STARTED = "sc_started_id"
PRACTICE = "sc_practice_run"
NOTICE = "sc_notice"  # (step id, still open, answers that disagree)
DELETING = "sc_deleting"  # the id of the self-check waiting for "Yes, delete it"
UNDO = "sc_undo"  # the self-check just deleted, while Undo is offered
UNDO_SHOWN = "sc_undo_shown"
UNDO_BUTTON = "sc_undo_button"
SHOW_ALL = "sc_history_show_all"
HISTORY_OPEN = "sc_history_open"
HISTORY_SHOWN = 10  # before "Show all": each row draws a delete button on every rerun


def _answers() -> dict[str, Any]:
    return cast(dict[str, Any], st.session_state.setdefault(ANSWERS, {}))


def _practice() -> bool:
    return bool(st.session_state.get(PRACTICE, False))


def _pop(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def _cleared() -> Mapping[str, dt.date]:
    """Signs a clinician's clearance covers for a new self-check (none when unreadable)."""
    try:
        return cleared_signs(get_store())
    except StoreError:
        return {}


# -- the steps -------------------------------------------------------------------------


def run_step(q: Questionnaire, step_id: str) -> None:
    """Show one step; on Back or Next go where the flow says, or work out the result."""
    answers, cleared, practice = _answers(), _cleared(), _practice()
    signs = warning_signs(answers, q, cleared)
    steps.step_header(
        step_id,
        flow.progress(step_id, answers, q, signs),
        practice=practice,
        active_signs=len(flow.active_signs(signs)),
    )
    with st.form(f"sc_form_{step_id}", border=False):
        values = steps.draw_step(step_id, q, answers, practice=practice)
        back, forward = steps.nav(
            step_id,
            first=flow.previous_step(step_id, answers, q, signs) is None,
            last=flow.next_step(step_id, answers, q, signs) is None,
        )
    notice = st.session_state.get(NOTICE)
    if notice and notice[0] == step_id:
        result_ui.notice(notice[1], notice[2])
    if not (back or forward):
        return

    move = flow.submit(step_id, answers, values, q, cleared, back=back)
    answers.clear()
    answers.update(move.answers)
    if step_id == flow.FIRST_STEP:
        st.session_state[PRACTICE] = bool(st.session_state.get(steps.PRACTICE_WIDGET))
    if move.kind == "notice":
        # Rerun, so a follow-up question raised by these answers appears at once.
        st.session_state[NOTICE] = (step_id, list(move.still_open), list(move.wrong))
        focus_later(result_ui.NOTICE_BOX)
        st.rerun()
    if move.kind == "step" and move.to is not None:
        st.session_state[STEP] = move.to
        focus_later(steps.STEP_HEADER)
        _pop(NOTICE)
        st.rerun()
    try:
        result = flow.result_of(move.answers, q, move.signs, cleared)
    except ValidationError as err:
        result_ui.unusable_answers(describe_answer_errors(err, q))
        return
    _finish(result)


def _finish(result: SelfCheckResult) -> None:
    """Keep the result and save it once; reruns only show it again."""
    st.session_state[RESULT] = result
    _pop(SAVE_ERROR)
    saved = st.session_state.get(SAVED)
    if not saved or saved[0] != result.id:
        try:
            kept = get_store().add_selfcheck(result, practice=_practice())
            st.session_state[SAVED] = (result.id, kept)
        except StoreError as err:
            st.session_state[SAVE_ERROR] = err
    focus_later(result_ui.RESULT_BOX)
    st.rerun()


# -- result ----------------------------------------------------------------------------


def _phase_name(phase: int) -> str:
    try:
        return f"Phase {phase}: {get_library().phase(phase).name}"
    except (ContentError, KeyError):
        return f"Phase {phase}"


def _what_was_kept(result: SelfCheckResult) -> None:
    saved = st.session_state.get(SAVED)
    kept = saved[1] if saved and saved[0] == result.id else None
    result_ui.draw_kept(flow.kept_notice(result, practice=_practice(), kept=kept))


def show_result(q: Questionnaire, result: SelfCheckResult) -> None:
    error = st.session_state.get(SAVE_ERROR)
    if isinstance(error, StoreError):
        st.warning("This result is shown but could not be saved.", icon=":material/save:")
        show_store_error(error)
    view = flow.result_view(result, q)
    result_ui.draw_result_box(view)
    _what_was_kept(result)
    if view.phase is not None:
        result_ui.draw_phase(_phase_name(view.phase), view.phase_reasons, practice=_practice())
        if not _practice():
            _start_button(result)
    result_ui.draw_advice(view.advice)
    if result.urgency != "emergency":
        _show_akps(q, result)
    st.divider()
    if st.button("Start the self-check again", key="sc_restart", icon=":material/restart_alt:"):
        _pop(STEP, ANSWERS, RESULT, SAVED, SAVE_ERROR, STARTED, PRACTICE, NOTICE)
        st.rerun()


def _start_button(result: SelfCheckResult) -> None:
    assert result.phase is not None
    if result_ui.start_phase(result.phase, started=st.session_state.get(STARTED) == result.id):
        try:
            get_store().start_phase(result.phase, source="self_check")
        except StoreError as err:
            show_store_error(err)
            return
        st.session_state[STARTED] = result.id
        focus_later(result_ui.STARTED_BOX)
        st.rerun()


def _show_akps(q: Questionnaire, result: SelfCheckResult) -> None:
    st.header(q.akps.name)
    saved: list[SelfCheckResult] = []
    if result.akps is not None:
        try:
            saved = get_store().selfchecks()
        except StoreError as err:
            show_store_error(err)
    result_ui.draw_score(flow.score_view(saved, result, q, practice=_practice()))


# -- earlier self-checks ---------------------------------------------------------------


def _expire_undo() -> None:
    """Undo is offered until the next action: any run not caused by Undo ends it."""
    if st.session_state.get(UNDO_SHOWN) and not st.session_state.get(UNDO_BUTTON):
        _pop(UNDO, UNDO_SHOWN)


def _offer_undo() -> None:
    deleted = st.session_state.get(UNDO)
    if not isinstance(deleted, SelfCheckResult):
        return
    st.session_state[UNDO_SHOWN] = True
    with st.container(horizontal=True, vertical_alignment="center"):
        if result_ui.undo_offer(format_date(deleted.date), key=UNDO_BUTTON):
            try:
                get_store().add_selfcheck(deleted, practice=deleted.practice)
            except StoreError as err:
                show_store_error(err)
                return
            _pop(UNDO, UNDO_SHOWN)
            st.rerun()


def earlier_self_checks(q: Questionnaire) -> None:
    """The saved self-checks, newest first, each with Delete -> confirm, then Undo."""
    try:
        saved = get_store().selfchecks()
    except StoreError as err:
        show_store_error(err)
        return
    current = st.session_state.get(RESULT)
    shown = flow.earlier_checks(saved, current if isinstance(current, SelfCheckResult) else None)
    pending = st.session_state.get(DELETING)
    if not shown and UNDO not in st.session_state:
        return
    if pending or UNDO in st.session_state:
        st.session_state[HISTORY_OPEN] = True
    label = f"Your earlier self-checks ({len(shown)})"
    history = st.expander(label, icon=":material/history:", key=HISTORY_OPEN, on_change="rerun")
    if not history.open:  # ten rows of buttons cost a quarter of every rerun
        return
    with history:
        _offer_undo()
        st.caption(
            "Deleting a self-check does not lift a paused plan. "
            + result_ui.PAUSE_LIFTS.replace("**", "")
        )
        rows = flow.history_rows(shown, q)
        if not st.session_state.get(SHOW_ALL) and result_ui.more_rows(len(rows), HISTORY_SHOWN):
            st.session_state[SHOW_ALL] = True
            st.rerun()
        for row in rows if st.session_state.get(SHOW_ALL) else rows[:HISTORY_SHOWN]:
            with st.container(border=True):
                _history_row(row, confirming=pending == row.id)


def _history_row(row: flow.HistoryRow, *, confirming: bool) -> None:
    """One row of the list, and what its Delete, Yes or Keep button asks for."""
    delete, yes, keep = result_ui.history_row(row, confirming=confirming)
    if delete:
        st.session_state[DELETING] = row.id
        st.rerun()
    if keep:
        _pop(DELETING)
        st.rerun()
    if yes:
        _pop(DELETING)
        try:
            deleted = get_store().delete_selfcheck(row.id)
        except (StoreError, KeyError) as err:
            st.error(f"That self-check could not be deleted: {err}", icon=":material/error:")
            return
        st.session_state[UNDO] = deleted
        _pop(UNDO_SHOWN)
        st.rerun()


# -- page ------------------------------------------------------------------------------

st.title("Self-check")
_expire_undo()

try:
    questionnaire = load_questionnaire()
except ContentError as exc:
    st.error(f"The self-check questions could not be loaded: {exc}", icon=":material/error:")
    not_a_diagnosis()
    st.stop()

stored_result = st.session_state.get(RESULT)
if isinstance(stored_result, SelfCheckResult):
    show_result(questionnaire, stored_result)
    earlier_self_checks(questionnaire)
else:
    step = str(st.session_state.get(STEP, flow.FIRST_STEP))
    step = step if step in {s.id for s in flow.all_steps(questionnaire)} else flow.FIRST_STEP
    run_step(questionnaire, step)
    if step == flow.FIRST_STEP:
        earlier_self_checks(questionnaire)

not_a_diagnosis()
focus_now()  # after Next, Back, the result or Start phase: on what the click brought
