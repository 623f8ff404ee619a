"""Widgets of the self-check questions: each step's questions, its header and its Back
and Next buttons. Why answers did not lead on, and the result, are drawn by
``pages/self_check_result.py``.

Not a page. These functions only draw what they are given and return what was entered;
where steps lead and what is still open are decided in
``kneecore.selfcheck_flow``, and ``pages/self_check.py`` keeps the state and the store.
Widget keys start with ``sc_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from kneecore import selfcheck_flow as flow
from kneecore.content import ContentError
from kneecore.questionnaire import RANGES, FunctionTest, Questionnaire, illustrations_dir
from pages.style import safety_note

__all__ = ["PRACTICE_WIDGET", "STEP_HEADER", "draw_step", "nav", "step_header"]

#: The key of the "How do you want to take it?" choice on the first step.
PRACTICE_WIDGET = "sc_practice"
#: The key of the step's progress bar, where focus goes after Next or Back.
STEP_HEADER = "sc_step_header"
YES_NO = [False, True]
PRACTICE_CHOICES = {
    False: "Save this self-check",
    True: "Practice run: nothing is saved unless it finds a warning sign",
}
TEST_STATUS = {"done": "I did it", "unable": "I could not do it", "skipped": "I did not try"}

#: Drawings fill a phone's column (up to 32rem on a wide screen, so the test's steps stay
#: in view), without Streamlit's fullscreen button: on a phone it covered the heading.
DRAWING_CSS = """<style>.stForm [data-testid=stElementToolbar] { display: none; }
.stForm [data-testid=stImage] img { max-width: min(100%, 32rem) !important; }</style>"""
#: The words of a yes/no answer.
YES_NO_WORDS = {True: "Yes", False: "No"}
Draw = Callable[[Questionnaire, Mapping[str, Any]], dict[str, Any]]


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


# -- answers ---------------------------------------------------------------------------


def _radio_yes_no(label: str, answer_id: str, answers: Mapping[str, Any]) -> bool | None:
    value: bool | None = st.radio(
        label,
        YES_NO,
        index=_index(YES_NO, answers.get(answer_id)),
        format_func=YES_NO_WORDS.__getitem__,
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


def _warning_signs(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "These questions look for signs that need a doctor rather than exercises. "
        "Answer each one; most people answer **No** to all of them."
    )
    values: dict[str, Any] = {}
    for group, heading in flow.RED_FLAG_GROUPS.items():
        flags = [f for f in q.red_flags if f.group == group]
        if not flags:
            continue
        st.header(heading, anchor=False)
        for flag in flags:
            # One card per question, so each "what this means" sits with its question.
            with st.container(border=True):
                values[flag.id] = _radio_yes_no(flag.question, flag.id, answers)
                st.caption(f"What this means: {flag.means}")
    return values


def _about(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
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
    st.header("Your goal", anchor=False)
    values["goal"] = _choice(q, "goal", answers)
    return values


def _where(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    question = q.question(flow.LOCATION_ID)
    st.markdown(f"**{question.label}**")
    if question.help:
        st.caption(question.help)
    # Picture and areas side by side on a wide screen; on a phone the columns stack,
    # the picture first.
    picture, boxes = st.columns([3, 2], vertical_alignment="center")
    try:
        picture.image(str(flow.knee_areas_svg()), width="stretch", alt=flow.KNEE_AREAS_ALT)
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


def _akps(q: Questionnaire, answers: Mapping[str, Any], part: int) -> dict[str, Any]:
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


def _test_block(test: FunctionTest, answers: Mapping[str, Any]) -> Any:
    st.header(test.name, anchor=False)
    if test.illustration and test.illustration_alt:
        path = str(illustrations_dir() / test.illustration)
        st.image(path, width="stretch", alt=test.illustration_alt)
    st.markdown("\n".join(f"{n}. {line}" for n, line in enumerate(test.steps, start=1)))
    safety_note(f"**Safety:** {test.safety}")
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


def _tests(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Three short tests show how much your knee can take today. Each is optional: "
        "if you are unsure, choose **I did not try**. Stop any test that hurts sharply."
    )
    return {t: _test_block(q.test(t), answers) for t in flow.HOME_TEST_IDS}


def _hop(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Your half squats and step-downs were close to pain-free, so one more short test "
        "is offered. It is optional too."
    )
    return {flow.HOP_ID: _test_block(q.test(flow.HOP_ID), answers)}


DRAW: dict[str, Draw] = {
    "about": _about,
    "where": _where,
    "akps_1": lambda q, answers: _akps(q, answers, 1),
    "akps_2": lambda q, answers: _akps(q, answers, 2),
    "tests": _tests,
    "hop": _hop,
}


def draw_step(
    step_id: str, q: Questionnaire, answers: Mapping[str, Any], *, practice: bool
) -> dict[str, Any]:
    """The questions of ``step_id``; returns their values (``flow.OPEN`` for a test left open).

    The first step also asks how to take the self-check (saved or a practice run): its
    value is read from :data:`PRACTICE_WIDGET`.
    """
    if step_id != flow.FIRST_STEP:
        st.html(DRAWING_CSS)
        return DRAW[step_id](q, answers)
    st.radio(
        "How do you want to take it?",
        list(PRACTICE_CHOICES),
        index=int(practice),
        format_func=PRACTICE_CHOICES.__getitem__,
        key=PRACTICE_WIDGET,
    )
    return _warning_signs(q, answers)


# -- around the questions --------------------------------------------------------------


def step_header(
    step_id: str, progress: tuple[int, int, str], *, practice: bool, active_signs: int
) -> None:
    """The progress bar and what to know on this step (practice run, signs found)."""
    number, total, title = progress
    with st.container(key=STEP_HEADER):  # focus comes here after Next or Back
        st.progress(number / total, text=f"Step {number} of {total}: {title}")
    if step_id == flow.FIRST_STEP:
        st.caption(
            "About 10 minutes. Your answers stay on this computer. You can go back at any step."
        )
        return
    if practice:
        st.caption(
            ":material/science: Practice run: nothing is saved unless it finds a warning sign."
        )
    if active_signs:
        st.info(
            f"You answered yes to a warning sign ({active_signs} so far). The result will advise "
            "seeing a GP or physiotherapist first, so no home tests are asked. The questions "
            "that remain give a knee score you can take with you.",
            icon=":material/stethoscope:",
        )


def nav(step_id: str, first: bool, last: bool) -> tuple[bool, bool]:
    """Back and Next submit buttons side by side (also on a phone)."""
    with st.container(horizontal=True, gap="small"):
        back = not first and st.form_submit_button(
            "Back", key=f"sc_back_{step_id}", icon=":material/arrow_back:"
        )
        forward = st.form_submit_button(
            "See my result" if last else "Next",
            key=f"sc_next_{step_id}",
            type="primary",
            icon=":material/arrow_forward:",
        )
    return back, forward
