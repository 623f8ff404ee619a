"""Self-check page: a calm, step-by-step questionnaire, then the result.

Warning signs come first. The steps, what each still lacks, when the home tests are
offered and how a result is split for showing all come from ``kneecore.selfcheck_flow``;
the decisions about the knee from ``kneecore.selfcheck``. This page asks, remembers the
answers between steps (UI state), saves the result once and shows it. It also lists
earlier self-checks, each of which can be deleted (confirm, then undo until the next
action), and offers a practice run that keeps nothing unless it finds a warning sign.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError

from kneecore import selfcheck_flow as flow
from kneecore.content import ContentError
from kneecore.models import SelfCheckResult, WarningSign
from kneecore.questionnaire import RANGES, FunctionTest, Questionnaire, load_questionnaire
from kneecore.safety import cleared_signs
from kneecore.selfcheck import (
    akps_change,
    akps_meaning,
    assess,
    describe_answer_errors,
    triage_red_flags,
    warning_signs,
)
from kneecore.store import StoreError
from kneecore.words import format_date
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error

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

YES_NO = [False, True]
PRACTICE_CHOICES = {
    False: "Save this self-check",
    True: "Practice run: nothing is saved unless it finds a warning sign",
}
TEST_STATUS = {"done": "I did it", "unable": "I could not do it", "skipped": "I did not try"}
#: Earlier self-checks listed before "Show all".
HISTORY_SHOWN = 10
SHOW_ALL = "sc_history_show_all"
BOX = {"emergency": st.error, "gp_soon": st.warning, "check_if_no_better": st.info}
PAUSE_LIFTS = (
    "The pause ends with a self-check on a later day that finds no warning signs, or when "
    "you record on **Today** that a GP or physiotherapist examined your knee and said you "
    "can exercise."
)


def _answers() -> dict[str, Any]:
    answers: dict[str, Any] = st.session_state.setdefault(ANSWERS, {})
    return answers


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _practice() -> bool:
    return bool(st.session_state.get(PRACTICE, False))


def _reset() -> None:
    for key in (STEP, ANSWERS, RESULT, SAVED, SAVE_ERROR, STARTED, PRACTICE, NOTICE):
        st.session_state.pop(key, None)


def _cleared() -> Mapping[str, dt.date]:
    """Signs a clinician's clearance covers for a new self-check (none when unreadable)."""
    try:
        return cleared_signs(get_store())
    except StoreError:
        return {}


def _signs(q: Questionnaire, answers: Mapping[str, Any]) -> list[WarningSign]:
    return warning_signs(answers, q, _cleared())


def _go(step_id: str) -> None:
    st.session_state[STEP] = step_id
    st.session_state.pop(NOTICE, None)
    st.rerun()


# -- the steps -------------------------------------------------------------------------


def _radio_yes_no(label: str, answer_id: str, answers: Mapping[str, Any]) -> bool | None:
    value: bool | None = st.radio(
        label,
        YES_NO,
        index=_index(YES_NO, answers.get(answer_id)),
        format_func=_yes_no,
        horizontal=True,
        key=f"sc_{answer_id}",
    )
    return value


def _choice(q: Questionnaire, answer_id: str, answers: Mapping[str, Any], **kw: Any) -> Any:
    question = q.question(answer_id)
    values = [o.value for o in question.options]
    labels = {o.value: o.label for o in question.options}
    return st.radio(
        question.label,
        values,
        index=_index(values, answers.get(answer_id)),
        format_func=labels.__getitem__,
        key=f"sc_{answer_id}",
        **kw,
    )


def draw_warning_signs(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.radio(
        "How do you want to take it?",
        list(PRACTICE_CHOICES),
        index=int(_practice()),
        format_func=PRACTICE_CHOICES.__getitem__,
        key="sc_practice",
    )
    st.write(
        "These questions look for signs that need a doctor rather than exercises. "
        "Answer each one; most people answer **No** to all of them."
    )
    values: dict[str, Any] = {}
    for group, heading in flow.RED_FLAG_GROUPS.items():
        flags = [f for f in q.red_flags if f.group == group]
        if not flags:
            continue
        st.markdown(f"#### {heading}")
        for flag in flags:
            # One card per question, so each "what this means" sits with its question.
            with st.container(border=True):
                values[flag.id] = _radio_yes_no(flag.question, flag.id, answers)
                st.caption(f"What this means: {flag.means}")
    return values


def draw_about(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for qid in ("age", "weeks_of_symptoms", "pain_now", "pain_worst_week"):
        question = q.question(qid)
        low, high = RANGES[qid]
        values[qid] = flow.whole_number(
            st.number_input(
                question.label,
                min_value=low,
                max_value=high,
                value=answers.get(qid),
                step=1,
                placeholder=f"{low} to {high}",
                key=f"sc_{qid}",
            )
        )
        if question.help:
            st.caption(question.help)
    values["side"] = _choice(q, "side", answers, horizontal=True)
    hip = q.question("hip_or_thigh_pain_or_limp")
    values[hip.id] = _radio_yes_no(hip.label, hip.id, answers)
    if hip.help:
        st.caption(hip.help)
    st.markdown("#### Your goal")
    values["goal"] = _choice(q, "goal", answers)
    return values


def draw_where(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    question = q.question(flow.LOCATION_ID)
    st.markdown(f"**{question.label}**")
    if question.help:
        st.caption(question.help)
    # Picture and areas side by side on a wide screen; on a phone the columns stack,
    # the picture first.
    picture, boxes = st.columns([3, 2], vertical_alignment="center")
    try:
        picture.image(str(flow.knee_areas_svg()), width="stretch")
    except ContentError:
        # The checkboxes name every area, so the step still works without it.
        picture.caption("The knee picture could not be shown; the areas are named here.")
    chosen = set(answers.get(flow.LOCATION_ID) or [])
    picked = []
    # Plain labels: a checkbox's label is also its name for screen readers, and the
    # picture names each area in the same words.
    for option in question.options:
        if boxes.checkbox(
            option.label,
            value=option.value in chosen,
            key=f"sc_area_{option.value}",
        ):
            picked.append(option.value)
    return {flow.LOCATION_ID: picked or None}


def _draw_akps(q: Questionnaire, answers: Mapping[str, Any], part: int) -> dict[str, Any]:
    items = q.akps.items[: flow.AKPS_SPLIT] if part == 1 else q.akps.items[flow.AKPS_SPLIT :]
    if part == 1:
        st.write(q.akps.intro)
    values: dict[str, Any] = {}
    for item in items:
        options = list(range(len(item.options)))
        values[item.id] = st.radio(
            item.question,
            options,
            index=_index(options, answers.get(item.id)),
            format_func=lambda i, item=item: item.options[i].text,
            key=f"sc_{item.id}",
        )
        follow_up = flow.SWELLING_VISIBLE_ID
        if item.id == flow.SWELLING_ID and flow.follow_up_asked(follow_up, answers):
            # Asked right under the answer that raised it.
            question = q.question(follow_up)
            with st.container(border=True):
                values[follow_up] = _radio_yes_no(question.label, follow_up, answers)
                if question.help:
                    st.caption(question.help)
    return values


def draw_akps_1(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    return _draw_akps(q, answers, 1)


def draw_akps_2(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    return _draw_akps(q, answers, 2)


def _test_block(test: FunctionTest, answers: Mapping[str, Any]) -> Any:
    st.markdown(f"#### {test.name}")
    st.markdown("\n".join(f"{n}. {line}" for n, line in enumerate(test.steps, start=1)))
    st.caption(f":material/warning: **Safety:** {test.safety}")
    statuses = list(TEST_STATUS)
    status = st.radio(
        f"{test.name}: how did it go?",
        statuses,
        index=_index(statuses, flow.test_status(answers, test.id)),
        format_func=TEST_STATUS.__getitem__,
        horizontal=True,
        key=f"sc_{test.id}_status",
    )
    low, high = RANGES[test.id]
    label = (
        "Seconds you could stand on the painful leg"
        if test.kind == "seconds"
        else "Worst knee pain during the test (0 = none, 10 = worst imaginable)"
    )
    current = answers.get(test.id)
    number = st.number_input(
        label,
        min_value=low,
        max_value=high,
        value=int(current) if isinstance(current, int | float) else None,
        step=1,
        placeholder="Only if you did it",
        key=f"sc_{test.id}_value",
    )
    answered, value = flow.test_answer(status, number)
    return value if answered else flow.OPEN


def draw_tests(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Three short tests show how much your knee can take today. Each is optional: "
        "if you are unsure, choose **I did not try**. Stop any test that hurts sharply."
    )
    return {t: _test_block(q.test(t), answers) for t in flow.HOME_TEST_IDS}


def draw_hop(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Your half squats and step-downs were close to pain-free, so one more short test "
        "is offered. It is optional too."
    )
    return {flow.HOP_ID: _test_block(q.test(flow.HOP_ID), answers)}


DRAW = {
    "warning_signs": draw_warning_signs,
    "about": draw_about,
    "where": draw_where,
    "akps_1": draw_akps_1,
    "akps_2": draw_akps_2,
    "tests": draw_tests,
    "hop": draw_hop,
}


def _nav(step_id: str, first: bool, last: bool) -> tuple[bool, bool]:
    """Back and Next submit buttons side by side (also on a phone)."""
    with st.container(horizontal=True, gap="small"):
        back = (
            False
            if first
            else st.form_submit_button(
                "Back", key=f"sc_back_{step_id}", icon=":material/arrow_back:"
            )
        )
        forward = st.form_submit_button(
            "See my result" if last else "Next",
            key=f"sc_next_{step_id}",
            type="primary",
            icon=":material/arrow_forward:",
        )
    return back, forward


def _show_notice(step_id: str) -> None:
    notice = st.session_state.get(NOTICE)
    if not notice or notice[0] != step_id:
        return
    _, still_open, wrong = notice
    for line in wrong:
        st.error(line, icon=":material/error:")
    if still_open:
        st.warning(
            "Please answer every question before going on. Still open: " + "; ".join(still_open),
            icon=":material/pending_actions:",
        )


def run_step(q: Questionnaire, step_id: str) -> None:
    answers = _answers()
    signs = _signs(q, answers)
    number, total, title = flow.progress(step_id, answers, q, signs)
    st.progress(number / total, text=f"Step {number} of {total}: {title}")
    if step_id == "warning_signs":
        st.caption(
            "About 10 minutes. Your answers stay on this computer. You can go back at any step."
        )
    elif _practice():
        st.caption(
            ":material/science: Practice run: nothing is saved unless it finds a warning sign."
        )
    if step_id != "warning_signs" and not flow.tests_offered(signs):
        active = [s for s in signs if s.cleared_on is None]
        st.info(
            f"You answered yes to a warning sign ({len(active)} so far). The result will advise "
            "seeing a GP or physiotherapist first, so no home tests are asked. The questions "
            "that remain give a knee score you can take with you.",
            icon=":material/stethoscope:",
        )

    with st.form(f"sc_form_{step_id}", border=False):
        values = DRAW[step_id](q, answers)
        back, forward = _nav(
            step_id,
            first=flow.previous_step(step_id, answers, q, signs) is None,
            last=flow.next_step(step_id, answers, q, signs) is None,
        )
    _show_notice(step_id)
    if not (back or forward):
        return

    flow.merge_answers(answers, values)
    signs = _signs(q, answers)
    cleaned = flow.clean_answers(answers, q, signs)
    answers.clear()
    answers.update(cleaned)
    if step_id == "warning_signs":
        st.session_state[PRACTICE] = bool(st.session_state.get("sc_practice"))
    if back:
        previous = flow.previous_step(step_id, answers, q, signs)
        if previous is not None:
            _go(previous)
    still_open = flow.missing(step_id, answers, q)
    wrong = flow.problems(step_id, answers)
    if still_open or wrong:
        # Rerun, so a follow-up question raised by these answers appears at once.
        st.session_state[NOTICE] = (step_id, still_open, wrong)
        st.rerun()
    following = flow.next_step(step_id, answers, q, signs)
    if following is not None:
        _go(following)
    result = _result(q, answers, signs)
    if result is not None:
        _finish(result)


def _result(
    q: Questionnaire, answers: dict[str, Any], signs: list[WarningSign]
) -> SelfCheckResult | None:
    """The result of the answers so far; None (with the problem shown) when unusable."""
    if flow.ends_at_once(signs) and not flow.has_required(answers):
        # An emergency on the first step: what to do now, before anything else is asked.
        screen = {f.id: answers[f.id] for f in q.red_flags if f.id in answers}
        early = triage_red_flags(screen, questionnaire=q)
        if early is not None:
            return early
    try:
        return assess(answers, questionnaire=q, cleared=_cleared())
    except ValidationError as err:
        st.error(
            "Some answers could not be used, so nothing was saved:\n\n"
            + "\n".join(f"- {line}" for line in describe_answer_errors(err, q)),
            icon=":material/error:",
        )
        return None


# -- result ----------------------------------------------------------------------------


def _finish(result: SelfCheckResult) -> None:
    """Keep the result and save it once; reruns only show it again."""
    st.session_state[RESULT] = result
    st.session_state.pop(SAVE_ERROR, None)
    saved = st.session_state.get(SAVED)
    if not saved or saved[0] != result.id:
        try:
            kept = get_store().add_selfcheck(result, practice=_practice())
            st.session_state[SAVED] = (result.id, kept)
        except StoreError as err:
            st.session_state[SAVE_ERROR] = err
    st.rerun()


def _phase_name(phase: int) -> str:
    try:
        return f"Phase {phase}: {get_library().phase(phase).name}"
    except (ContentError, KeyError):
        return f"Phase {phase}"


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _what_was_kept(result: SelfCheckResult) -> None:
    saved = st.session_state.get(SAVED)
    kept = saved[1] if saved and saved[0] == result.id else None
    warning = result.urgency in ("emergency", "gp_soon")
    if _practice():
        if kept is None:
            st.info(
                "**Practice run: nothing was saved.** To keep a result and start a phase, "
                "take the self-check again and choose *Save this self-check*.",
                icon=":material/science:",
            )
        else:
            st.warning(
                "**Practice run, but a warning sign came up:** a warning record of it was "
                "kept (without a knee score), and your exercise plan is paused. " + PAUSE_LIFTS,
                icon=":material/science:",
            )
    elif warning and kept is not None:
        st.caption(
            ":material/pause_circle: This result is saved, and your exercise plan is paused. "
            + PAUSE_LIFTS
        )


def show_result(q: Questionnaire, result: SelfCheckResult) -> None:
    error = st.session_state.get(SAVE_ERROR)
    if isinstance(error, StoreError):
        st.warning("This result is shown but could not be saved.", icon=":material/save:")
        show_store_error(error)

    view = flow.result_view(result, q)
    # Urgency first, as words, icon and colour, with what to do now and why.
    body = f"**{view.title}**\n\n" + _bullets(view.actions)
    if view.why:
        body += "\n\n**Why:**\n\n" + _bullets(view.why)
    BOX.get(view.urgency, st.success)(body, icon=view.icon)
    st.caption(f":material/info: {view.not_a_diagnosis}")
    if view.cleared:
        st.markdown(
            "**Cleared by your GP or physiotherapist** (shown, but they do not stop a plan):\n\n"
            + _bullets(view.cleared)
        )
    _what_was_kept(result)

    if view.phase is not None:
        st.subheader(f"Your starting phase: {_phase_name(view.phase)}")
        st.markdown("**Why this phase**")
        st.markdown(_bullets(view.phase_reasons))
        if _practice():
            st.caption(
                "This was a practice run, so no phase is started. Take a saved self-check "
                "to start it."
            )
        else:
            _start_button(result)

    if view.advice:
        st.subheader("Keep yourself safe")
        st.markdown(_bullets(view.advice))

    if result.urgency != "emergency":
        _show_akps(q, result)

    st.divider()
    if st.button("Start the self-check again", key="sc_restart", icon=":material/restart_alt:"):
        _reset()
        st.rerun()


def _start_button(result: SelfCheckResult) -> None:
    assert result.phase is not None
    if st.session_state.get(STARTED) == result.id:
        st.success(
            f"Phase {result.phase} is now your current phase.", icon=":material/check_circle:"
        )
        st.page_link(
            "pages/plan.py", label="Open your exercise plan", icon=":material/fitness_center:"
        )
        return
    if st.button(
        f"Start phase {result.phase}",
        key="sc_start_phase",
        type="primary",
        icon=":material/play_arrow:",
        width="stretch",
    ):
        try:
            get_store().start_phase(result.phase, source="self_check")
        except StoreError as err:
            show_store_error(err)
            return
        st.session_state[STARTED] = result.id
        st.rerun()
    st.caption("This saves it as your current phase; the plan page then shows its exercises.")


def _show_akps(q: Questionnaire, result: SelfCheckResult) -> None:
    st.subheader(q.akps.name)
    if result.akps is None:
        st.write(akps_meaning(None, q))
        return
    saved: list[SelfCheckResult] = []
    try:
        saved = get_store().selfchecks()
    except StoreError as err:
        show_store_error(err)
    baseline = flow.score_baseline(saved, result, practice=_practice())
    change = akps_change(baseline, result, q) if baseline is not None else None
    st.metric(
        "Your knee score",
        f"{result.akps}/100",
        delta=f"{change.delta:+d} points" if change and change.delta else None,
        delta_color="normal" if change and change.real else "off",
    )
    st.write(akps_meaning(result.akps, q))
    if change:
        st.write(change.text)
    elif flow.retake_too_soon(saved, result, practice=_practice()):
        st.caption(
            f"Your knee score is compared only with self-checks at least "
            f"{flow.MIN_DAYS_BETWEEN_SCORES} days older, so a retake the same week is not "
            "counted as a change."
        )


# -- earlier self-checks ---------------------------------------------------------------


def _expire_undo() -> None:
    """Undo is offered until the next action: any run not caused by Undo ends it."""
    if st.session_state.get(UNDO_SHOWN) and not st.session_state.get(UNDO_BUTTON):
        for key in (UNDO, UNDO_SHOWN):
            st.session_state.pop(key, None)


def _offer_undo() -> None:
    deleted = st.session_state.get(UNDO)
    if not isinstance(deleted, SelfCheckResult):
        return
    st.session_state[UNDO_SHOWN] = True
    with st.container(horizontal=True, vertical_alignment="center"):
        st.success(
            f"Deleted the self-check of {format_date(deleted.date)}.",
            icon=":material/delete:",
        )
        if st.button("Undo", key=UNDO_BUTTON, icon=":material/undo:"):
            try:
                get_store().add_selfcheck(deleted, practice=deleted.practice)
            except StoreError as err:
                show_store_error(err)
                return
            for key in (UNDO, UNDO_SHOWN):
                st.session_state.pop(key, None)
            st.rerun()


def earlier_self_checks(q: Questionnaire) -> None:
    """The saved self-checks, newest first, each with Delete -> confirm, then Undo."""
    try:
        saved = get_store().selfchecks()
    except StoreError as err:
        show_store_error(err)
        return
    current = st.session_state.get(RESULT)
    shown = [c for c in saved if not (isinstance(current, SelfCheckResult) and c.id == current.id)]
    pending = st.session_state.get(DELETING)
    if not shown and UNDO not in st.session_state:
        return
    with st.expander(
        f"Your earlier self-checks ({len(shown)})",
        icon=":material/history:",
        expanded=bool(pending) or UNDO in st.session_state,
    ):
        _offer_undo()
        st.caption(
            "Deleting a self-check does not lift a paused plan. " + PAUSE_LIFTS.replace("**", "")
        )
        rows = flow.history_rows(shown, q)
        # A long history would draw a delete button per row on every rerun: show the
        # newest few, and the rest on request.
        if not st.session_state.get(SHOW_ALL) and len(rows) > HISTORY_SHOWN:
            st.caption(f"Showing the newest {HISTORY_SHOWN} of {len(rows)}.")
            if st.button(f"Show all {len(rows)} self-checks", key="sc_history_all"):
                st.session_state[SHOW_ALL] = True
                st.rerun()
            rows = rows[:HISTORY_SHOWN]
        for row in rows:
            with st.container(border=True):
                st.markdown(f"**{row.date}** · {row.result} · knee score {row.score}")
                if pending == row.id:
                    _confirm_delete(row)
                elif st.button(
                    "Delete",
                    key=f"sc_delete_{row.id}",
                    icon=":material/delete:",
                    type="tertiary",
                    help=f"Delete the self-check of {row.date}",
                ):
                    st.session_state[DELETING] = row.id
                    st.rerun()


def _confirm_delete(row: flow.HistoryRow) -> None:
    st.warning(
        f"Delete the self-check of {row.date}? Deleting it does not lift a paused plan.",
        icon=":material/help:",
    )
    with st.container(horizontal=True, gap="small"):
        yes = st.button("Yes, delete it", key=f"sc_delete_yes_{row.id}", type="primary")
        keep = st.button("Keep it", key=f"sc_delete_no_{row.id}")
    if keep:
        st.session_state.pop(DELETING, None)
        st.rerun()
    if yes:
        st.session_state.pop(DELETING, None)
        try:
            deleted = get_store().delete_selfcheck(row.id)
        except (StoreError, KeyError) as err:
            st.error(f"That self-check could not be deleted: {err}", icon=":material/error:")
            return
        st.session_state[UNDO] = deleted
        st.session_state.pop(UNDO_SHOWN, None)
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
    if step not in DRAW:
        step = flow.FIRST_STEP
    run_step(questionnaire, step)
    if step == flow.FIRST_STEP:
        earlier_self_checks(questionnaire)

not_a_diagnosis()
