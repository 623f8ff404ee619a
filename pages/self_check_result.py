"""Widgets of the self-check result: why the answers did not lead on (still open,
disagreeing or unusable), the urgency box, what was kept, the starting phase and its
button, the safety advice, the knee score, and the list of earlier self-checks with its
Delete, Show all and Undo buttons.

Not a page. These functions only draw what ``kneecore.selfcheck_flow`` worked out and
return which button was clicked; ``pages/self_check.py`` keeps the state and the store.
Widget keys start with ``sc_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from kneecore import selfcheck_flow as flow
from pages.style import urgency_box

__all__ = [
    "NOTICE_BOX",
    "PAUSE_LIFTS",
    "RESULT_BOX",
    "STARTED_BOX",
    "bullets",
    "draw_advice",
    "draw_kept",
    "draw_phase",
    "draw_result_box",
    "draw_score",
    "history_row",
    "more_rows",
    "notice",
    "start_phase",
    "undo_offer",
    "unusable_answers",
]

#: The key of "Phase N is now your current phase", where focus goes after Start phase.
STARTED_BOX = "sc_started_box"
#: The key of why Next did not move on, where focus goes then.
NOTICE_BOX = "sc_notice_box"
#: The key of the result's box, where focus goes when the result is first shown.
RESULT_BOX = "sc_result_box"

PAUSE_LIFTS = (
    "The pause ends with a self-check on a later day that finds no warning signs, or when "
    "you record on **Today** that a GP or physiotherapist examined your knee and said you "
    "can exercise."
)


def bullets(lines: Sequence[str]) -> str:
    """A markdown bullet list, one line per item."""
    return "\n".join(f"- {line}" for line in lines)


def notice(still_open: Sequence[str], wrong: Sequence[str]) -> None:
    """Why Next did not move on: answers that disagree, then what is still open."""
    with st.container(key=NOTICE_BOX):
        _notice_lines(still_open, wrong)


def _notice_lines(still_open: Sequence[str], wrong: Sequence[str]) -> None:
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


def draw_result_box(view: flow.ResultView) -> None:
    """Urgency first, as words, icon and colour, with what to do now and why."""
    body = f"**{view.title}**\n\n" + bullets(view.actions)
    if view.why:
        body += "\n\n**Why:**\n\n" + bullets(view.why)
    with st.container(key=RESULT_BOX):
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


def draw_phase(
    name: str, reasons: Sequence[str], *, practice: bool, phase: int | None = None
) -> None:
    """The starting phase; why (what the answers showed) and what it takes to reach the
    next phase, apart. A practice run says that it starts no phase.

    ``phase`` defaults to the number in ``name`` ("Phase 2: ...").
    """
    st.header(f"Your starting phase: {name}")
    number = phase if phase is not None else int(re.findall(r"\d+", name)[0])
    why, to_next = flow.split_phase_reasons(number, reasons)
    # The phase's number is in the heading just above (tests/browser/helpers.py waits
    # for these words).
    st.markdown("**Why this phase**")
    st.markdown(bullets(why))
    if to_next:
        st.markdown(f"**To reach phase {number + 1}**")
        st.markdown(bullets(to_next))
    if practice:
        st.caption(
            "This was a practice run, so no phase is started. Take a saved self-check to start it."
        )


def start_phase(phase: int, *, started: bool) -> bool:
    """ "Start phase N" (True when clicked); once started, a link to the plan instead."""
    if started:
        with st.container(key=STARTED_BOX):
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
        st.header("Keep yourself safe")
        st.markdown(bullets(advice))


def draw_score(score: flow.ScoreView) -> None:
    """The knee score, its change against an earlier self-check, and what it means."""
    if score.score is None:
        st.write(score.meaning)
        return
    st.metric(
        "Your Kujala knee score",
        score.score,
        delta=score.delta,
        delta_color="normal" if score.real else "off",
    )
    st.write(score.meaning)
    if score.change:
        st.write(score.change)
    elif score.too_soon:
        st.caption(
            f"Your Kujala knee score is compared only with self-checks at least "
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
