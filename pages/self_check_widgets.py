"""Small widgets the self-check's steps share: yes/no and option radios, one function
test's block, and the style of the questions (tap targets, drawings).

Not a page: ``pages/self_check_steps.py`` draws each step with these. Widget keys
start with ``sc_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from kneecore import selfcheck_flow as flow
from kneecore.questionnaire import RANGES, FunctionTest, Questionnaire, illustrations_dir
from pages.style import safety_note

__all__ = [
    "QUESTION_CSS",
    "TEST_STATUS",
    "YES_NO",
    "YES_NO_WORDS",
    "choice",
    "index_of",
    "radio_yes_no",
    "test_block",
]

YES_NO = [False, True]
#: The words of a yes/no answer.
YES_NO_WORDS = {True: "Yes", False: "No"}
TEST_STATUS = {"done": "I did it", "unable": "I could not do it", "skipped": "I did not try"}

#: The questions' style, drawn with every step's form:
#: - each radio answer is a tap target at least 32 px high with 8 px between answers
#:   (WCAG 2.5.8 asks 24 px; the knee-score answers were about 22 px apart on a phone);
#: - drawings fill a phone's column (up to 32rem on a wide screen, so the test's steps
#:   stay in view), without Streamlit's fullscreen button: on a phone it covered the
#:   heading.
QUESTION_CSS = """<style>
.stForm [data-testid=stRadioOption] { min-height: 2rem; display: flex; align-items: center; }
.stForm [data-testid=stRadioGroup][aria-orientation=vertical] > div { margin-bottom: 0.5rem; }
.stForm [data-testid=stElementToolbar] { display: none; }
.stForm [data-testid=stImage] img { max-width: min(100%, 32rem) !important; }
</style>"""


def index_of(options: list[Any], value: Any) -> int | None:
    """The position of ``value`` among ``options``, or None (nothing chosen yet)."""
    return options.index(value) if value in options else None


def radio_yes_no(label: str, answer_id: str, answers: Mapping[str, Any]) -> bool | None:
    """A Yes/No question, side by side, nothing chosen until answered."""
    value: bool | None = st.radio(
        label,
        YES_NO,
        index=index_of(YES_NO, answers.get(answer_id)),
        format_func=YES_NO_WORDS.__getitem__,
        horizontal=True,
        key=f"sc_{answer_id}",
    )
    return value


def choice(q: Questionnaire, answer_id: str, answers: Mapping[str, Any], **kw: Any) -> Any:
    """One of the question's options, in its own words."""
    question = q.question(answer_id)
    values = [o.value for o in question.options]
    labels = {o.value: o.label for o in question.options}
    return st.radio(
        question.label,
        values,
        index=index_of(values, answers.get(answer_id)),
        format_func=labels.__getitem__,
        key=f"sc_{answer_id}",
        **kw,
    )


def test_block(test: FunctionTest, answers: Mapping[str, Any]) -> Any:
    """One home test: its heading (under the step's), drawing, steps, safety, answers."""
    st.subheader(test.name, anchor=False)
    if test.illustration and test.illustration_alt:
        path = str(illustrations_dir() / test.illustration)
        st.image(path, width="stretch", alt=test.illustration_alt)
    st.markdown("\n".join(f"{n}. {line}" for n, line in enumerate(test.steps, start=1)))
    safety_note(f"**Safety:** {test.safety}")
    statuses = list(TEST_STATUS)
    status = st.radio(
        f"{test.name}: how did it go?",
        statuses,
        index=index_of(statuses, flow.test_status(answers, test.id)),
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
