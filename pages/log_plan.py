"""Widgets of the log page that say which exercises the form offers: today's plan and
its phase, or, while the plan is paused, the exercises the person adds themselves.

Not a page: these functions draw and return what was chosen; ``pages/log.py`` builds
the form's rows from it (``kneecore.tracker``).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from kneecore.content import Library
from kneecore.models import PhaseStart

__all__ = ["own_exercises", "plan_intro"]


def plan_intro(phase_entry: PhaseStart | None, library: Library) -> int:
    """Say which plan the form holds; returns its phase (1 when there is none yet)."""
    if phase_entry is None:
        st.info(
            "You have no phase yet, so this shows phase 1, the gentlest. "
            "The self-check finds the right phase for you.",
            icon=":material/explore:",
        )
        st.page_link("pages/self_check.py", label="Do the self-check", icon=":material/checklist:")
        return 1
    st.caption(f"Today's plan: phase {phase_entry.phase}, {library.phase(phase_entry.phase).name}.")
    return phase_entry.phase


def own_exercises(names: Mapping[str, str], key: str) -> list[str]:
    """While paused: the exercises the person adds (a clinician may prescribe some)."""
    st.markdown("**Exercises** · nothing is filled in while your plan is paused")
    chosen: list[str] = st.multiselect(
        "Add the exercises you did, for example ones your GP or physiotherapist gave you",
        list(names),
        format_func=names.__getitem__,
        placeholder="Choose exercises",
        key=key,
    )
    return chosen
