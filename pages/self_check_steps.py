"""Widgets of the self-check page: each question step, its header and buttons, and the
parts of the result (the urgency box, the knee score, the list of earlier self-checks).

Not a page. These functions only draw: each takes what to show and returns what was
entered; where steps lead, what is still open and what a result means are decided in
``kneecore.selfcheck_flow``, and ``pages/self_check.py`` keeps the state and the store.
Widget keys start with ``sc_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from kneecore import selfcheck_flow as flow
from kneecore.content import ContentError
from kneecore.questionnaire import RANGES, FunctionTest, Questionnaire
from pages.style import urgency_box

__all__ = [
    "PAUSE_LIFTS",
    "PRACTICE_WIDGET",
    "bullets",
    "draw_advice",
    "draw_kept",
    "draw_phase",
    "draw_result_box",
    "draw_score",
    "draw_step",
    "history_row",
    "more_rows",
    "nav",
    "notice",
    "start_phase",
    "step_header",
    "undo_offer",
    "unusable_answers",
]

#: The key of the "How do you want to take it?" choice on the first step.
PRACTICE_WIDGET = "sc_practice"
YES_NO = [False, True]
PRACTICE_CHOICES = {
    False: "Save this self-check",
    True: "Practice run: nothing is saved unless it finds a warning sign",
}
TEST_STATUS = {"done": "I did it", "unable": "I could not do it", "skipped": "I did not try"}
PAUSE_LIFTS = (
    "The pause ends with a self-check on a later day that finds no warning signs, or when "
    "you record on **Today** that a GP or physiotherapist examined your knee and said you "
    "can exercise."
)

Draw = Callable[[Questionnaire, Mapping[str, Any]], dict[str, Any]]


def bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _index(options: list[Any], value: Any) -> int | None:
    return options.index(value) if value in options else None


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


# -- answers ---------------------------------------------------------------------------


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
        st.markdown(f"#### {heading}")
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
    st.markdown("#### Your goal")
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


def notice(still_open: Sequence[str], wrong: Sequence[str]) -> None:
    """Why Next did not move on: answers that disagree, then what is still open."""
    for line in wrong:
        st.error(line, icon=":material/error:")
    if still_open:
        st.warning(
            "Please answer every question before going on. Still open: " + "; ".join(still_open),
            icon=":material/pending_actions:",
        )


def unusable_answers(lines: Sequence[str]) -> None:
    """Why the answers gave no result (one line per problem, as the person saw it)."""
    st.error(
        "Some answers could not be used, so nothing was saved:\n\n" + bullets(lines),
        icon=":material/error:",
    )


# -- the result ------------------------------------------------------------------------


def draw_result_box(view: flow.ResultView) -> None:
    """Urgency first, as words, icon and colour, with what to do now and why."""
    body = f"**{view.title}**\n\n" + bullets(view.actions)
    if view.why:
        body += "\n\n**Why:**\n\n" + bullets(view.why)
    urgency_box(view.urgency, body)
    st.caption(f":material/info: {view.not_a_diagnosis}")
    if view.cleared:
        st.markdown(
            "**Cleared by your GP or physiotherapist** (shown, but they do not stop a plan):\n\n"
            + bullets(view.cleared)
        )


def draw_kept(kind: flow.KeptNotice | None) -> None:
    """What was kept of the result: a practice run's outcome, or that the plan is paused."""
    if kind == "practice_nothing_kept":
        st.info(
            "**Practice run: nothing was saved.** To keep a result and start a phase, "
            "take the self-check again and choose *Save this self-check*.",
            icon=":material/science:",
        )
    elif kind == "practice_warning_kept":
        st.warning(
            "**Practice run, but a warning sign came up:** a warning record of it was "
            "kept (without a knee score), and your exercise plan is paused. " + PAUSE_LIFTS,
            icon=":material/science:",
        )
    elif kind == "plan_paused":
        st.caption(
            ":material/pause_circle: This result is saved, and your exercise plan is paused. "
            + PAUSE_LIFTS
        )


def draw_phase(name: str, reasons: Sequence[str], *, practice: bool) -> None:
    """The starting phase and why; a practice run says that it starts no phase."""
    st.subheader(f"Your starting phase: {name}")
    st.markdown("**Why this phase**")
    st.markdown(bullets(reasons))
    if practice:
        st.caption(
            "This was a practice run, so no phase is started. Take a saved self-check to start it."
        )


def start_phase(phase: int, *, started: bool) -> bool:
    """ "Start phase N" (True when clicked); once started, a link to the plan instead."""
    if started:
        st.success(f"Phase {phase} is now your current phase.", icon=":material/check_circle:")
        st.page_link(
            "pages/plan.py", label="Open your exercise plan", icon=":material/fitness_center:"
        )
        return False
    clicked = st.button(
        f"Start phase {phase}",
        key="sc_start_phase",
        type="primary",
        icon=":material/play_arrow:",
        width="stretch",
    )
    if not clicked:
        st.caption("This saves it as your current phase; the plan page then shows its exercises.")
    return clicked


def draw_advice(advice: Sequence[str]) -> None:
    """The rest of the advice: safety lines, pregnancy, long symptoms."""
    if advice:
        st.subheader("Keep yourself safe")
        st.markdown(bullets(advice))


def draw_score(score: flow.ScoreView) -> None:
    """The knee score, its change against an earlier self-check, and what it means."""
    if score.score is None:
        st.write(score.meaning)
        return
    st.metric(
        "Your knee score",
        score.score,
        delta=score.delta,
        delta_color="normal" if score.real else "off",
    )
    st.write(score.meaning)
    if score.change:
        st.write(score.change)
    elif score.too_soon:
        st.caption(
            f"Your knee score is compared only with self-checks at least "
            f"{flow.MIN_DAYS_BETWEEN_SCORES} days older, so a retake the same week is not "
            "counted as a change."
        )


def history_row(row: flow.HistoryRow, *, confirming: bool) -> tuple[bool, bool, bool]:
    """One earlier self-check (drawn inside the caller's card): (delete, yes, keep) clicked.

    While ``confirming``, the row asks "Delete ...?" with its two answers instead of
    offering Delete.
    """
    st.markdown(f"**{row.date}** · {row.result} · knee score {row.score}")
    if not confirming:
        delete = st.button(
            "Delete",
            key=f"sc_delete_{row.id}",
            icon=":material/delete:",
            type="tertiary",
            help=f"Delete the self-check of {row.date}",
        )
        return delete, False, False
    st.warning(
        f"Delete the self-check of {row.date}? Deleting it does not lift a paused plan.",
        icon=":material/help:",
    )
    with st.container(horizontal=True, gap="small"):
        yes = st.button("Yes, delete it", key=f"sc_delete_yes_{row.id}", type="primary")
        keep = st.button("Keep it", key=f"sc_delete_no_{row.id}")
    return False, yes, keep


def more_rows(count: int, shown: int) -> bool:
    """Under a long list: how many are shown, and "Show all" (True when clicked)."""
    if count <= shown:
        return False
    st.caption(f"Showing the newest {shown} of {count}.")
    return st.button(f"Show all {count} self-checks", key="sc_history_all")


def undo_offer(date: str, *, key: str) -> bool:
    """ "Deleted the self-check of ..." with its Undo button; True when Undo was clicked."""
    st.success(f"Deleted the self-check of {date}.", icon=":material/delete:")
    return st.button("Undo", key=key, icon=":material/undo:")
