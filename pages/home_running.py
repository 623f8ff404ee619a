"""Today's running widgets: next-morning pain of yesterday's runs and the running card.

Not a page (``pages/home.py`` calls :func:`run_mornings` and :func:`running_section`).
Which card to show is decided in ``kneecore.today_running`` from the same gate the Runs
page shows (``kneecore.run_log.run_gate``); this module only draws it: the entry
checklist with its three answers, the next run, or "Programme complete".
The checklist answers stay in this browser tab (``st.session_state``, under the key the
Runs page's checklist uses, so an answer given on one page holds on the other) and are
never saved: they are true only today, and the log holds what the checklist reads from
it. :func:`show_items` draws the checklist's points for both pages.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kneecore.content import Library
from kneecore.models import PhaseStart, Run
from kneecore.running import Checklist, Maintenance, RunAdvice, explain_run_zone, zone_of
from kneecore.store import StoreConflict
from kneecore.today_running import EntryAnswers, NextRun, goal_of, running_card, runs_to_ask
from kneecore.userstore import UserStore
from kneecore.words import format_day
from pages.log_form import pain_slider
from pages.morning import morning_pain_form
from pages.runs_form import CHECK_ANSWERS
from pages.style import ADVICE_STYLE, box, zone_badge

#: session_state keys: the checklist answers (shared with the Runs page, as a tuple of
#: pain now, brisk walk, hops), and the run whose morning was just saved.
ANSWERS = CHECK_ANSWERS
RUN_MORNING_FEEDBACK = "home_run_morning_feedback"
YES_NO = {True: "Yes", False: "No"}


# -- next-morning pain of runs -------------------------------------------------------------


def _run_words(run: Run) -> str:
    return f"level {run.level}" if run.level is not None else "free run"


def run_morning_form(store: UserStore, run: Run) -> None:
    """As the session's morning form: pain this morning, compared with before the run."""
    heading = (
        f"**After your run on {format_day(run.date)}** ({_run_words(run)}, "
        f"pain before it: {run.pain_before}/10)"
    )
    pain, problem = morning_pain_form(f"run_morning_{run.id}", heading)
    if pain is None:
        return
    try:
        store.update_run(run.id, {"pain_next_morning": pain}, expected=run)
    except StoreConflict as conflict:
        problem.error(str(conflict), icon=":material/sync_problem:")
        return
    st.session_state[RUN_MORNING_FEEDBACK] = run.id
    st.rerun()


def show_run_morning_feedback(runs: list[Run]) -> None:
    """After a save: the run's zone now, in word, icon and colour, and why."""
    run_id = st.session_state.get(RUN_MORNING_FEEDBACK)
    run = next((r for r in runs if r.id == run_id), None)
    if run is None or run.pain_next_morning is None:
        return
    st.success(
        f"Saved next-morning pain {run.pain_next_morning}/10 for your run on "
        f"{format_day(run.date)}.",
        icon=":material/check_circle:",
    )
    st.markdown(f"**That run is now:** {zone_badge(zone_of(run))}")
    st.caption(f"Because: {explain_run_zone(run)}.")


def run_mornings(store: UserStore, runs: list[Run], today: dt.date, heading: bool) -> None:
    """A form per run of yesterday still lacking next-morning pain.

    ``heading``: no session form above already asked "How is your knee this morning?".
    """
    show_run_morning_feedback(runs)
    owed = runs_to_ask(runs, today)
    if not owed:
        return
    if heading:
        st.header("How is your knee this morning?")
    st.caption(
        "Pain the next morning shows whether a run was too much. Enter it for each run below."
    )
    for run in owed:
        run_morning_form(store, run)


# -- the running card --------------------------------------------------------------------


def saved_answers() -> EntryAnswers:
    """Today's checklist answers in this tab, from either page (none: not answered)."""
    kept = st.session_state.get(ANSWERS)
    if isinstance(kept, tuple) and len(kept) == 3:
        return EntryAnswers(*kept)
    return EntryAnswers()


def show_items(checklist: Checklist, why: bool = True) -> None:
    """Each point with its state in words (``Met: from your log`` when the log, not an
    answer, shows it), an icon, and, with ``why``, its reason: never colour alone."""
    for item in checklist.items:
        icon = ":material/check_circle:" if item.met else ":material/radio_button_unchecked:"
        status = f":green[**{item.status}**]" if item.met else f"**{item.status}**"
        st.markdown(f"{icon} {status} · {item.text}")
        if why:
            st.caption(item.why)


def _checklist(checklist: Checklist, again: str, answers: EntryAnswers) -> None:
    st.markdown(f"**{checklist.title}**")
    if again:
        st.info(again, icon=":material/event_repeat:")
    st.write(checklist.intro)
    show_items(checklist)
    with st.form("run_entry_form", border=True):
        st.markdown("**Your answers today** (kept in this tab only, not saved)")
        pain = pain_slider("Knee pain right now", "run_entry_pain", answers.pain_now)
        walk = _yes_no(
            "Brisk 30-minute walk with pain at 2/10 or less?",
            "run_entry_walk",
            answers.brisk_walk,
            "Walk briskly for half an hour, then answer. Not sure yet: leave it empty.",
        )
        hops = _yes_no(
            "10 single-leg hops on the painful leg with pain at 2/10 or less?",
            "run_entry_hops",
            answers.single_leg_hops,
            "Not tried today? Leave it empty: a green session with single-leg hops in the "
            "last 14 days counts instead. A no today counts, whatever the log says.",
        )
        if st.form_submit_button("Check my answers", type="primary", width="stretch"):
            st.session_state[ANSWERS] = (pain, walk, hops)
            st.rerun()


def _yes_no(label: str, key: str, value: bool | None, help_text: str) -> bool | None:
    options = list(YES_NO)
    chosen: bool | None = st.radio(
        label,
        options,
        index=None if value is None else options.index(value),
        format_func=YES_NO.__getitem__,
        horizontal=True,
        key=key,
        help=help_text,
    )
    return chosen


def _advice_box(advice: RunAdvice) -> None:
    if advice.days_off is None:
        # Before the first run "stay at this level, run it again" would read oddly.
        st.info(" ".join(advice.reasons), icon=":material/flag:")
        return
    # Running's "move up a level" looks like the plan's "add to the dose".
    kind, icon = ADVICE_STYLE["progress_dose" if advice.kind == "progress_level" else advice.kind]
    reasons = "\n".join(f"- {reason}" for reason in advice.reasons)
    box(kind)(f"**{advice.title}**\n\n{advice.advice}\n\n{reasons}".strip(), icon=icon)


def _next_run(next_run: NextRun) -> None:
    st.markdown(
        f"**Next run: level {next_run.level}**\n\n"
        f":material/directions_run: {next_run.pattern}\n\n"
        f":material/timer: {next_run.total_min} minutes in all"
    )
    _advice_box(next_run.advice)
    for flag in next_run.advice.flags:
        st.caption(f":material/flag: {flag.text} {flag.why}")
    st.caption(next_run.every_level)
    if next_run.advice.kind != "see_gp":
        st.page_link("pages/runs.py", label="Log a run", icon=":material/directions_run:")


def _complete(done: Maintenance) -> None:
    st.success(f"**{done.title}**\n\n{done.intro}", icon=":material/emoji_events:")
    st.markdown("**Keep doing**\n\n" + "\n".join(f"- {k}" for k in done.keep_doing))
    st.write(done.goal_text)
    st.info(done.if_pain_returns, icon=":material/healing:")
    st.page_link(
        "pages/self_check.py", label="Take a fresh self-check", icon=":material/checklist:"
    )


def running_section(
    store: UserStore,
    library: Library,
    phases: list[PhaseStart],
    today: dt.date,
    *,
    paused: bool = False,
    see_gp_from: dt.date | None = None,
) -> None:
    """The "Return to running" card, when there is one to show."""
    answers = saved_answers()
    card = running_card(
        phases,
        paused,
        store.runs(),
        store.sessions(),
        answers,
        library,
        goal=goal_of(store.selfchecks()),
        today=today,
        see_gp_from=see_gp_from,
    )
    if card.kind == "none":
        return
    st.header("Return to running")
    with st.container(border=True):
        if card.kind == "complete" and card.maintenance is not None:
            _complete(card.maintenance)
        elif card.kind == "checklist" and card.checklist is not None:
            _checklist(card.checklist, card.again, answers)
        elif card.next_run is not None:
            _next_run(card.next_run)
