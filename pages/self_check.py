"""Self-check page: a calm, step-by-step questionnaire, then the result.

Red flags come first; an emergency "yes" shows what to do at once and ends the
self-check. Otherwise the person answers about their pain, the 13 Kujala items, the home
tests and their goal, and sees the urgency, the phase with its reasons and the safety
advice. Every result is saved once. The decisions are made in ``kneecore.selfcheck``;
this page only asks, remembers answers between steps (UI state) and shows the result.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import ValidationError

from kneecore.content import ContentError
from kneecore.models import SelfCheckResult
from kneecore.questionnaire import (
    RANGES,
    UNABLE,
    FunctionTest,
    Questionnaire,
    load_questionnaire,
    worst_pain_problem,
)
from kneecore.selfcheck import (
    akps_change,
    akps_meaning,
    assess,
    describe_answer_errors,
    hop_not_offered_text,
    hop_offered,
    phase_reasons,
    triage_red_flags,
)
from kneecore.store import StoreError
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error

# Session-state keys: all UI state of this page, under one prefix.
STEP = "sc_step"
ANSWERS = "sc_answers"
RESULT = "sc_result"
SAVED = "sc_saved_id"
SAVE_ERROR = "sc_save_error"
STARTED = "sc_started_id"

STEPS = [
    "Warning signs first",
    "You and your knee pain",
    "What your knee lets you do (part 1)",
    "What your knee lets you do (part 2)",
    "Home tests",
    "Hop test and your goal",
]
AKPS_SPLIT = 7  # items on the first of the two Kujala steps

YES_NO = [False, True]
RED_FLAG_GROUPS = {
    "emergency": "Signs that need a doctor today",
    "gp_soon": "Signs to have checked before you start",
}
TEST_STATUS = {"done": "I did it", UNABLE: "I could not do it", "skipped": "I did not try"}
BOX = {"emergency": st.error, "gp_soon": st.warning, "check_if_no_better": st.info}


def _answers() -> dict[str, Any]:
    answers: dict[str, Any] = st.session_state.setdefault(ANSWERS, {})
    return answers


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _reset() -> None:
    for key in (STEP, ANSWERS, RESULT, SAVED, SAVE_ERROR, STARTED):
        st.session_state.pop(key, None)


def _go(step: int) -> None:
    st.session_state[STEP] = step
    st.rerun()


def _nav(step: int, last: bool = False) -> tuple[bool, bool]:
    """Back and Next submit buttons side by side (also on a phone)."""
    with st.container(horizontal=True, gap="small"):
        back = (
            st.form_submit_button("Back", key=f"sc_back_{step}", icon=":material/arrow_back:")
            if step > 1
            else False
        )
        label = "See my result" if last else "Next"
        forward = st.form_submit_button(
            label, key=f"sc_next_{step}", type="primary", icon=":material/arrow_forward:"
        )
    return back, forward


def _missing(labels: list[str]) -> None:
    st.warning(
        "Please answer every question before going on. Still open: " + "; ".join(labels),
        icon=":material/pending_actions:",
    )


# -- steps -----------------------------------------------------------------------------


def step_red_flags(q: Questionnaire) -> None:
    answers = _answers()
    st.write(
        "These questions look for signs that need a doctor rather than exercises. "
        "Answer each one; most people answer **No** to all of them."
    )
    with st.form("sc_form_1", border=False):
        for urgency, heading in RED_FLAG_GROUPS.items():
            st.markdown(f"#### {heading}")
            for flag in (f for f in q.red_flags if f.urgency == urgency):
                # One card per question, so each "what this means" sits with its question.
                with st.container(border=True):
                    st.radio(
                        flag.question,
                        YES_NO,
                        index=_index(YES_NO, answers.get(flag.id)),
                        format_func=_yes_no,
                        horizontal=True,
                        key=f"sc_{flag.id}",
                    )
                    st.caption(f"What this means: {flag.means}")
        _, forward = _nav(1)
    if not forward:
        return
    chosen = {f.id: st.session_state.get(f"sc_{f.id}") for f in q.red_flags}
    answers.update({k: v for k, v in chosen.items() if v is not None})
    open_ = [f.short for f in q.red_flags if chosen[f.id] is None]
    if open_:
        _missing(open_)
        return
    flags = {k: bool(v) for k, v in chosen.items()}
    emergency = triage_red_flags(flags, questionnaire=q)
    if emergency is not None:
        # Do not ask anything more: show what to do now.
        _finish(emergency)
    _go(2)


def step_about(q: Questionnaire) -> None:
    answers = _answers()
    flagged = [f.short for f in q.red_flags if answers.get(f.id)]
    if flagged:
        st.info(
            "You answered yes to: " + "; ".join(flagged) + ". The result will advise seeing a "
            "GP or physiotherapist before you start. The next questions give a knee score "
            "you can take with you.",
            icon=":material/stethoscope:",
        )
    with st.form("sc_form_2", border=False):
        for qid in ("age", "weeks_of_symptoms", "pain_now", "pain_worst_week"):
            question = q.question(qid)
            low, high = RANGES[qid]
            st.number_input(
                question.label,
                min_value=low,
                max_value=high,
                value=answers.get(qid),
                step=1,
                placeholder=f"{low} to {high}",
                key=f"sc_{qid}",
            )
            if question.help:
                st.caption(question.help)
        side = q.question("side")
        values = [o.value for o in side.options]
        labels = {o.value: o.label for o in side.options}
        st.radio(
            side.label,
            values,
            index=_index(values, answers.get("side")),
            format_func=labels.__getitem__,
            horizontal=True,
            key="sc_side",
        )
        hip = q.question("hip_or_thigh_pain_or_limp")
        st.radio(
            hip.label,
            YES_NO,
            index=_index(YES_NO, answers.get(hip.id)),
            format_func=_yes_no,
            horizontal=True,
            key=f"sc_{hip.id}",
        )
        if hip.help:
            st.caption(hip.help)
        back, forward = _nav(2)
    ids = ["age", "weeks_of_symptoms", "pain_now", "pain_worst_week", "side", hip.id]
    if back or forward:
        for qid in ids:
            value = st.session_state.get(f"sc_{qid}")
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            answers[qid] = value
    if back:
        _go(1)
    if forward:
        open_ = [q.question(i).short for i in ids if answers.get(i) is None]
        if open_:
            _missing(open_)
            return
        problem = worst_pain_problem(answers["pain_now"], answers["pain_worst_week"])
        if problem:
            st.error(problem[0].upper() + problem[1:] + ".", icon=":material/error:")
            return
        _go(3)


def step_akps(q: Questionnaire, step: int) -> None:
    answers = _answers()
    items = q.akps.items[:AKPS_SPLIT] if step == 3 else q.akps.items[AKPS_SPLIT:]
    if step == 3:
        st.write(q.akps.intro)
    with st.form(f"sc_form_{step}", border=False):
        for item in items:
            options = list(range(len(item.options)))
            st.radio(
                item.question,
                options,
                index=_index(options, answers.get(item.id)),
                format_func=lambda i, item=item: item.options[i].text,
                key=f"sc_{item.id}",
            )
        back, forward = _nav(step)
    if back or forward:
        for item in items:
            answers[item.id] = st.session_state.get(f"sc_{item.id}")
    if back:
        _go(step - 1)
    if forward:
        open_ = [i.question for i in items if answers.get(i.id) is None]
        if open_:
            _missing(open_)
            return
        _go(step + 1)


def _test_block(test: FunctionTest, answers: dict[str, Any]) -> None:
    st.markdown(f"#### {test.name}")
    st.markdown("\n".join(f"{n}. {line}" for n, line in enumerate(test.steps, start=1)))
    st.caption(f":material/warning: **Safety:** {test.safety}")
    current = answers.get(test.id)
    status = (
        None
        if test.id not in answers
        else "skipped"
        if current is None
        else UNABLE
        if current == UNABLE
        else "done"
    )
    statuses = list(TEST_STATUS)
    st.radio(
        f"{test.name}: how did it go?",
        statuses,
        index=_index(statuses, status),
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
    st.number_input(
        label,
        min_value=low,
        max_value=high,
        value=int(current) if isinstance(current, int | float) else None,
        step=1,
        placeholder="Only if you did it",
        key=f"sc_{test.id}_value",
    )


def _read_test(test: FunctionTest) -> tuple[bool, Any]:
    """(answered, value): value is a number, "unable", or None for "did not try"."""
    status = st.session_state.get(f"sc_{test.id}_status")
    value = st.session_state.get(f"sc_{test.id}_value")
    if status is None:
        return False, None
    if status == "done":
        if value is None:
            return False, None
        return True, int(value)
    return True, UNABLE if status == UNABLE else None


def _store_test(test: FunctionTest, answers: dict[str, Any]) -> bool:
    answered, value = _read_test(test)
    if answered:
        answers[test.id] = value
    return answered


def step_tests(q: Questionnaire) -> None:
    answers = _answers()
    tests = [q.test(i) for i in ("semi_squat_pain", "step_down_pain", "single_leg_stance_s")]
    st.write(
        "Three short tests show how much your knee can take today. Each is optional: "
        "if you are unsure, choose **I did not try**. Stop any test that hurts sharply."
    )
    with st.form("sc_form_5", border=False):
        for test in tests:
            _test_block(test, answers)
        back, forward = _nav(5)
    open_ = [t.name for t in tests if not _store_test(t, answers)] if back or forward else []
    if back:
        _go(4)
    if forward:
        if open_:
            _missing(
                [f"{name} (choose how it went; if you did it, add the number)" for name in open_]
            )
            return
        _go(6)


def step_goal(q: Questionnaire) -> None:
    answers = _answers()
    offered = hop_offered(answers, q)
    hop = q.test("hop_pain")
    with st.form("sc_form_6", border=False):
        if offered:
            _test_block(hop, answers)
        else:
            st.markdown(f"#### {hop.name}")
            st.info(hop_not_offered_text(q), icon=":material/shield:")
        goal = q.question("goal")
        values = [o.value for o in goal.options]
        labels = {o.value: o.label for o in goal.options}
        st.markdown("#### Your goal")
        st.radio(
            goal.label,
            values,
            index=_index(values, answers.get("goal")),
            format_func=labels.__getitem__,
            key="sc_goal",
        )
        back, forward = _nav(6, last=True)
    if not (back or forward):
        return
    open_: list[str] = []
    if offered and not _store_test(hop, answers):
        open_.append(f"{hop.name} (choose how it went; if you did it, add the number)")
    if not offered:
        answers.pop(hop.id, None)
    answers["goal"] = st.session_state.get("sc_goal")
    if back:
        _go(5)
    if answers["goal"] is None:
        open_.append(goal.short)
    if open_:
        _missing(open_)
        return
    try:
        result = assess(answers, questionnaire=q)
    except ValidationError as err:
        st.error(
            "Some answers could not be used, so nothing was saved:\n\n"
            + "\n".join(f"- {line}" for line in describe_answer_errors(err, q)),
            icon=":material/error:",
        )
        return
    _finish(result)


# -- result ----------------------------------------------------------------------------


def _finish(result: SelfCheckResult) -> None:
    """Keep the result and save it once; reruns only show it again."""
    st.session_state[RESULT] = result
    st.session_state.pop(SAVE_ERROR, None)
    if st.session_state.get(SAVED) != result.id:
        try:
            get_store().add_selfcheck(result)
            st.session_state[SAVED] = result.id
        except StoreError as err:
            st.session_state[SAVE_ERROR] = err
    st.rerun()


def _phase_name(phase: int) -> str:
    try:
        return f"Phase {phase}: {get_library().phase(phase).name}"
    except (ContentError, KeyError):
        return f"Phase {phase}"


def _bullets(lines: list[str]) -> None:
    st.markdown("\n".join(f"- {line}" for line in lines))


def show_result(q: Questionnaire, result: SelfCheckResult) -> None:
    error = st.session_state.get(SAVE_ERROR)
    if isinstance(error, StoreError):
        st.warning("This result is shown but could not be saved.", icon=":material/save:")
        show_store_error(error)

    # Urgency first, as words, icon and colour, with what to do now and why.
    info = q.urgency(result.urgency)
    for_phase = phase_reasons(result, q)
    why = [r for r in result.reasons if r not in for_phase]
    body = f"**{info.title}**\n\n" + "\n".join(f"- {a}" for a in info.actions)
    if why:
        body += "\n\n**Why:**\n\n" + "\n".join(f"- {r}" for r in why)
    BOX.get(result.urgency, st.success)(body, icon=info.icon)

    if result.phase is not None:
        st.subheader(f"Your starting phase: {_phase_name(result.phase)}")
        st.markdown("**Why this phase**")
        _bullets(for_phase)
        _start_button(result)

    extra = [a for a in result.advice if a not in info.actions and a != q.rules.not_a_diagnosis]
    if extra:
        st.subheader("Keep yourself safe")
        _bullets(extra)

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
    previous = None
    try:
        earlier = [c for c in get_store().selfchecks() if c.id != result.id and c.akps is not None]
        previous = earlier[-1] if earlier else None
    except StoreError as err:
        show_store_error(err)
    change = akps_change(previous, result, q) if previous is not None else None
    st.metric(
        "Your knee score",
        f"{result.akps}/100",
        delta=f"{change.delta:+d} points" if change and change.delta else None,
        delta_color="normal" if change and change.real else "off",
    )
    st.write(akps_meaning(result.akps, q))
    if change:
        st.write(change.text)


# -- page ------------------------------------------------------------------------------

st.title("Self-check")

try:
    questionnaire = load_questionnaire()
except ContentError as exc:
    st.error(f"The self-check questions could not be loaded: {exc}", icon=":material/error:")
    not_a_diagnosis()
    st.stop()

stored_result = st.session_state.get(RESULT)
if isinstance(stored_result, SelfCheckResult):
    show_result(questionnaire, stored_result)
else:
    step = int(st.session_state.get(STEP, 1))
    st.progress(step / len(STEPS), text=f"Step {step} of {len(STEPS)}: {STEPS[step - 1]}")
    if step == 1:
        st.caption(
            "About 10 minutes. Your answers stay on this computer. You can go back at any step."
        )
        step_red_flags(questionnaire)
    elif step == 2:
        step_about(questionnaire)
    elif step in (3, 4):
        step_akps(questionnaire, step)
    elif step == 5:
        step_tests(questionnaire)
    else:
        step_goal(questionnaire)

not_a_diagnosis()
