"""Today: where you are in the programme, what to do next, next-morning pain still owed.

Thin page: the counts and the "since" wording come from ``kneecore.today``, the advice
and the plan pause from ``kneecore.safety`` (the pause shown by ``pages.pause``). A
first-time user (no phase, no sessions) gets a welcome that leads to the self-check.
Next-morning pain is asked for yesterday's sessions and runs only; older sessions of the
last week without it get one line pointing to the log. In phase 2 or 3 a "Return to
running" card follows (``pages.home_running``, decided by ``kneecore.today_running``).
While the plan is paused nothing here invites exercise (no running card either): the
page opens with the pause and the clearance form, and keeps only what is still useful
(next-morning pain of earlier sessions and runs, the self-check after a check-up).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kneecore.models import PhaseStart, Session
from kneecore.pain import load_pain_scale
from kneecore.progression import selfcheck_due, session_zone
from kneecore.safety import programme_start
from kneecore.store import StoreError
from kneecore.today import (
    COUNT_DAYS,
    done_today,
    left_for_the_log_words,
    mornings_left_for_the_log,
    mornings_to_ask,
    phase_since,
    sessions_in_last_days,
)
from kneecore.words import format_day
from pages.common import (
    advice_now,
    get_library,
    get_store,
    not_a_diagnosis,
    show_store_error,
)
from pages.home_running import run_mornings, running_section
from pages.morning import morning_pain_form
from pages.pause import show_pause
from pages.style import advice_box, zone_badge

MORNING_FEEDBACK = "home_morning_feedback"

scale = load_pain_scale()
library = get_library()
store = get_store()


def welcome() -> None:
    st.header("Welcome to Kneecare")
    st.markdown(
        "Start with the **self-check**: a few questions and simple tests that check it is "
        "safe to exercise and find the right phase of the programme for you. "
        "It takes about 10 minutes, and you can stop and go back at any step."
    )
    st.page_link("pages/self_check.py", label="Start the self-check", icon=":material/checklist:")
    st.page_link(
        "pages/plan.py", label="Look at the exercise plan", icon=":material/fitness_center:"
    )


def morning_form(session: Session) -> None:
    """A small form per owed session: pain this morning, compared with before."""
    heading = (
        f"**After your session on {format_day(session.date)}** "
        f"(pain before it: {session.pain_before}/10)"
    )
    pain, _ = morning_pain_form(f"morning_{session.id}", heading)
    if pain is None:
        return
    store.update_session(session.id, {"pain_next_morning": pain})
    st.session_state[MORNING_FEEDBACK] = session.id
    st.rerun()


def show_morning_feedback() -> None:
    session_id = st.session_state.get(MORNING_FEEDBACK)
    if not session_id:
        return
    try:
        session = store.get_session(session_id)
    except KeyError:
        return
    zone = session_zone(session)
    st.success(
        f"Saved next-morning pain {session.pain_next_morning}/10 for {format_day(session.date)}.",
        icon=":material/check_circle:",
    )
    st.markdown(f"**That session is now:** {zone_badge(zone)}")
    st.caption(scale.zone_meaning(zone))


def owed_mornings(sessions: list[Session], today: dt.date, paused: bool = False) -> None:
    """Yesterday's sessions get a form; older ones without it, one line to the log.

    While the plan is paused the line names the log without a link: Today then offers
    no way into the pages of exercise, as the pause asks.
    """
    owed = mornings_to_ask(sessions, today)
    if owed:
        st.header("How is your knee this morning?")
        st.caption(
            "Pain the next morning shows whether a session was too much. "
            "Enter it for each session below."
        )
        for session in owed:
            morning_form(session)
    note = left_for_the_log_words(mornings_left_for_the_log(sessions, today), today)
    if note:
        st.caption(note)
    if note and not paused:
        st.page_link(
            "pages/log.py", label="Add next-morning pain in the log", icon=":material/edit_note:"
        )


def phase_heading(phase: PhaseStart, today: dt.date, paused: bool = False) -> None:
    name = library.phase(phase.phase).name
    st.markdown(
        f"## Phase {phase.phase}: {name}{' (paused)' if paused else ''}\n"
        f"{phase_since(phase.started, today)}"
    )


def paused_view(sessions: list[Session], phase: PhaseStart | None) -> None:
    """Below the pause: no session to start, no plan to open, no run card; only what
    helps now."""
    show_morning_feedback()
    today = dt.date.today()
    if phase is not None:
        phase_heading(phase, today, paused=True)
    owed_mornings(sessions, today, paused=True)
    run_mornings(store, store.runs(), today, heading=not mornings_to_ask(sessions, today))
    st.page_link(
        "pages/self_check.py",
        label="Redo the self-check after your check-up",
        icon=":material/checklist:",
    )


def selfcheck_prompt(start: dt.date | None, today: dt.date) -> None:
    """From six weeks in, with no self-check in the last 14 days: ask for one."""
    if not selfcheck_due(store.selfchecks(), start, today):
        return
    st.info(
        "**Time for a fresh self-check.** You have been doing the programme for six weeks "
        "or more: a self-check now shows whether your knee score and pain are improving.",
        icon=":material/event_repeat:",
    )
    st.page_link("pages/self_check.py", label="Take the self-check", icon=":material/checklist:")


def today_view() -> None:
    status = show_pause("home", store)
    sessions = store.sessions()
    phase = store.current_phase()
    if status.paused:
        paused_view(sessions, phase)
        return
    if phase is None and not sessions:
        welcome()
        return
    today = dt.date.today()
    start = programme_start(store.phase_history(), store.clearances())
    rec = advice_now()
    if rec.kind == "see_gp":
        # Safety first: the first thing on the page, never folded away.
        advice_box(rec)
    show_morning_feedback()

    if phase is None:
        st.info(
            "You have no phase yet. The self-check finds the right one for you.",
            icon=":material/explore:",
        )
        st.page_link("pages/self_check.py", label="Do the self-check", icon=":material/checklist:")
    else:
        phase_heading(phase, today)
    selfcheck_prompt(start, today)
    left, right = st.columns(2)
    with left:
        if done_today(sessions, today):
            st.markdown(":material/check_circle: **Today's session: done**")
        else:
            st.markdown(":material/radio_button_unchecked: **Today's session: not done yet**")
            if rec.kind != "see_gp":
                st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    right.metric(f"Sessions in the last {COUNT_DAYS} days", sessions_in_last_days(sessions, today))

    owed_mornings(sessions, today)
    run_mornings(store, store.runs(), today, heading=not mornings_to_ask(sessions, today))

    if rec.kind != "see_gp":
        st.header("What next")
        advice_box(rec)
    if rec.trend_warning:
        st.warning(rec.trend_warning, icon=":material/trending_up:")
    if rec.kind == "progress_phase":
        st.page_link(
            "pages/self_check.py", label="Redo the self-check", icon=":material/checklist:"
        )
    if rec.kind == "see_gp":
        st.page_link(
            "pages/self_check.py",
            label="Redo the self-check after your check-up",
            icon=":material/checklist:",
        )
    # A GP visit advised for the sessions holds running back too.
    running_section(
        store,
        library,
        store.phase_history(),
        today,
        paused=rec.kind == "see_gp",
        see_gp_from=status.counts_from,
    )


st.title("Today")
try:
    today_view()
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
