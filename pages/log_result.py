"""The log page's answer to a save: the confirmation, the session's zone and the advice.

Not a page: draws what it is given. ``pages/log.py`` decides when and where (under the
Save button for a new session, in the history for a change or a restore); the zone
comes from ``kneecore.progression`` and the advice from ``kneecore.safety``.
"""

from __future__ import annotations

import streamlit as st

from kneecore.models import Session
from kneecore.pain import load_pain_scale
from kneecore.progression import Recommendation, session_zone
from kneecore.tracker import GREEN_SO_FAR_MEANING, SO_FAR, green_so_far
from pages.in_browser import focus_on
from pages.style import advice_box, zone_badge

__all__ = ["RESULT_KEY", "announce", "show_result"]

#: The key of the answer's box, where focus goes after a save.
RESULT_KEY = "log_result"


def announce() -> None:
    """Said once, where the person is: focus (and the view) moved to the answer's box,
    so a screen reader reads it next rather than starting from the top.

    No toast: the box is on screen and focused already, and on a phone a toast covered
    its first line ("This session: ...") while repeating it.
    """
    focus_on(key=RESULT_KEY)


def show_result(message: str, session: Session | None, rec: Recommendation) -> None:
    """The confirmation, the session's zone and ``rec``; a GP visit comes first."""
    scale = load_pain_scale()
    with st.container(border=True, key=RESULT_KEY):
        if rec.kind == "see_gp":
            # Safety first: above every other message, never in an expander. A paused
            # plan always advises seeing a GP, whatever this session's zone.
            advice_box(rec)
        st.success(message, icon=":material/check_circle:")
        if session is not None:
            zone = session_zone(session)
            # Green waits on the next morning: until its pain is in, it is green "so far".
            so_far = green_so_far(session)
            st.markdown(f"**This session:** {zone_badge(zone)}{f' {SO_FAR}' if so_far else ''}")
            st.caption(GREEN_SO_FAR_MEANING if so_far else scale.zone_meaning(zone))
        if rec.kind != "see_gp":
            st.markdown("**What next**")
            advice_box(rec)
        if rec.trend_warning:
            st.warning(rec.trend_warning, icon=":material/trending_up:")
