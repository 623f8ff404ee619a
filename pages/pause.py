"""The plan pause as every page shows it, and the clinician's clearance form.

Not a page (``app.py`` lists the pages). clinical-rules.md section 6: while a warning
sign stands, Today, Exercise plan, Log a session and Progress each open with the
reason, its date and what to do. The decision is ``kneecore.safety.plan_status``;
this module only shows it, always the same way, so the four pages cannot drift apart:
an emergency is an ``st.error``, a GP visit an ``st.warning``, each with a headline in
words and an icon, so the meaning never rests on colour alone.

The clearance form ("A GP or physiotherapist examined my knee on ... and said I can
exercise") sits open under the box on Today and folded under it on the other pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import streamlit as st

from kneecore.safety import PlanStatus, plan_status
from kneecore.store import NOTE_MAX, UserStore
from kneecore.words import format_date
from pages.common import get_library, get_store, plan_status_now
from pages.style import urgency_box

#: session_state key: the examination date of the clearance just saved (shown once).
CLEARED = "pause_cleared"

Where = Literal["home", "plan", "log", "progress"]


def current_status(store: UserStore | None = None) -> PlanStatus:
    """The plan's status now: fresh after every write (a page never shows a stale pause)."""
    if store is None or store is get_store():
        return plan_status_now()
    return plan_status(store, library=get_library())


def pause_body(status: PlanStatus) -> str:
    """The box's markdown: headline, since when, why, and what to do.

    A fixed order, so a screen reader and a glance on a phone both meet the headline
    first; the reasons are the result's own words, the actions come from the core.
    """
    lines = [f"**{status.headline}**"]
    if status.since is not None:
        lines.append(f"Paused since {format_date(status.since)}.")
    if status.reasons:
        lines.append("**Why**")
        lines.append("\n".join(f"- {reason}" for reason in status.reasons))
    if status.actions:
        lines.append("**What to do**")
        lines.append("\n".join(f"- {action}" for action in status.actions))
    return "\n\n".join(lines)


def pause_box(status: PlanStatus) -> None:
    """The pause, impossible to miss: red box for an emergency, amber for a GP visit."""
    if not status.paused:
        return
    urgency_box(status.urgency or "gp_soon", pause_body(status))


def clearance_problem(
    examined: dt.date | None, since: dt.date | None, today: dt.date
) -> str | None:
    """Why a clearance date cannot be right, in plain words; None when it can be saved.

    A future date has not happened; a date before the warning sign cannot be the
    visit that checked it (that visit would not know about it).
    """
    if examined is None:
        return "Pick the date a GP or physiotherapist examined your knee."
    if examined > today:
        return (
            f"{format_date(examined)} is in the future. Pick the day you were examined, "
            "today or earlier."
        )
    if since is not None and examined < since:
        return (
            f"{format_date(examined)} is before you reported this, on {format_date(since)}. "
            "Only an examination on or after that day can say whether you can exercise. "
            "If you have not been seen since, book a GP or physiotherapist."
        )
    return None


def clearance_form(status: PlanStatus, key: str, store: UserStore | None = None) -> None:
    """'A GP or physiotherapist examined my knee on DATE and said I can exercise'.

    Nothing is saved unless the date is sensible; on success the page reruns, so the
    pause lifts at once (or the box shows what still pauses the plan).
    """
    store = store or get_store()
    today = dt.date.today()
    with st.form(key, border=True):
        st.markdown("**Have you been examined since?**")
        st.caption(
            "Record it here only when a GP or physiotherapist has examined your knee and "
            "said you can exercise."
        )
        examined = st.date_input(
            "A GP or physiotherapist examined my knee on",
            value=today,
            format="DD/MM/YYYY",
            key=f"{key}_date",
        )
        note = st.text_area(
            "Note (optional): what they said or advised",
            max_chars=NOTE_MAX,
            height=80,
            key=f"{key}_note",
        )
        problem_spot = st.empty()
        submitted = st.form_submit_button(
            "They said I can exercise: save",
            type="primary",
            icon=":material/how_to_reg:",
            width="stretch",
        )
    if not submitted:
        return
    day = examined if isinstance(examined, dt.date) else None
    problem = clearance_problem(day, status.since, today)
    if problem is None and day is not None:
        try:
            store.add_clearance(day, note=note or "")
        except ValueError as exc:
            problem = str(exc)
        else:
            st.session_state[CLEARED] = day.isoformat()
            st.rerun()
    problem_spot.error(f"Nothing was saved. {problem}", icon=":material/edit_calendar:")


def clearance_feedback(status: PlanStatus) -> None:
    """After a clearance: the plan is open again, or it says what still pauses it."""
    saved = st.session_state.pop(CLEARED, None)
    if saved is None:
        return
    day = format_date(dt.date.fromisoformat(saved))
    if status.paused:
        st.info(
            f"Your examination on {day} is saved, but it does not cover everything: what "
            "the box above lists still pauses your plan. Have that checked too.",
            icon=":material/info:",
        )
    else:
        st.success(
            f"Your examination on {day} is saved and your exercise plan is open again. "
            "Start gently, keep to the pain rules, and stop if the knee swells, locks or "
            "gives way.",
            icon=":material/check_circle:",
        )


def show_pause(where: Where, store: UserStore | None = None) -> PlanStatus:
    """The pause section at the top of a page; returns the status for the page's choices.

    On Today the clearance form is open under the box; on the other pages it is one tap
    away in a folded section, so nobody has to hunt for it.
    """
    status = current_status(store)
    if status.paused:
        pause_box(status)
    clearance_feedback(status)
    if not status.paused:
        return status
    if where == "home":
        clearance_form(status, f"clearance_{where}", store)
    else:
        with st.expander(
            "A GP or physiotherapist has examined my knee", icon=":material/how_to_reg:"
        ):
            clearance_form(status, f"clearance_{where}", store)
    return status
