"""Widgets of the self-check questions: each step's questions, its header and its Back
and Next buttons. The radios, a home test's block and the questions' style are in
``pages/self_check_widgets.py``; why answers did not lead on, and the result, are drawn
by ``pages/self_check_result.py``.

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
from kneecore.questionnaire import RANGES, Questionnaire
from pages import self_check_widgets as w

__all__ = ["PRACTICE_WIDGET", "STEP_HEADER", "draw_step", "nav", "step_header"]

#: The key of the "How do you want to take it?" choice on the first step.
PRACTICE_WIDGET = "sc_practice"
#: The key of the step's title (a heading) and progress bar; focus goes to the heading
#: after Next or Back (``pages.in_browser.focus_on`` prefers a box's first heading).
STEP_HEADER = "sc_step_header"
PRACTICE_CHOICES = {
    False: "Save this self-check",
    True: "Practice run: nothing is saved unless it finds a warning sign",
}
Draw = Callable[[Questionnaire, Mapping[str, Any]], dict[str, Any]]


# -- answers ---------------------------------------------------------------------------


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
        st.subheader(heading, anchor=False)
        for flag in flags:
            # One card per question, so each "what this means" sits with its question.
            with st.container(border=True):
                values[flag.id] = w.radio_yes_no(flag.question, flag.id, answers)
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
    values["side"] = w.choice(q, "side", answers, horizontal=True)
    hip = q.question("hip_or_thigh_pain_or_limp")
    values[hip.id] = w.radio_yes_no(hip.label, hip.id, answers)
    if hip.help:
        st.caption(hip.help)
    st.subheader("Your goal", anchor=False)
    values["goal"] = w.choice(q, "goal", answers)
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
            index=w.index_of(options, answers.get(item.id)),
            format_func=lambda i, item=item: item.options[i].text,
            key=f"sc_{item.id}",
        )
        follow_up = flow.SWELLING_VISIBLE_ID
        if item.id == flow.SWELLING_ID and flow.follow_up_asked(follow_up, answers):
            # Asked right under the answer that raised it.
            question = q.question(follow_up)
            with st.container(border=True):
                values[follow_up] = w.radio_yes_no(question.label, follow_up, answers)
                if question.help:
                    st.caption(question.help)
    return values


def _tests(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Three short tests show how much your knee can take today. Each is optional: "
        "if you are unsure, choose **I did not try**. Stop any test that hurts sharply."
    )
    return {t: w.test_block(q.test(t), answers) for t in flow.HOME_TEST_IDS}


def _hop(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    st.write(
        "Your half squats and step-downs were close to pain-free, so one more short test "
        "is offered. It is optional too."
    )
    return {flow.HOP_ID: w.test_block(q.test(flow.HOP_ID), answers)}


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
    st.html(w.QUESTION_CSS)
    if step_id != flow.FIRST_STEP:
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
    """The step's title as a heading (h2, under the page's h1; the step's sections are
    h3), its progress bar, and what to know on this step (practice run, signs found)."""
    number, total, title = progress
    with st.container(key=STEP_HEADER):  # focus comes to the heading after Next or Back
        st.header(f"Step {number} of {total}: {title}", anchor=False)
        # The heading says the step in words; the bar shows it at a glance.
        st.progress(number / total)
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
