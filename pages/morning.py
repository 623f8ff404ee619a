"""The small "pain the next morning" form Today shows for a session or a run.

Not a page: ``pages/home.py`` and ``pages/home_running.py`` call it and save the answer.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.log_form import pain_slider

__all__ = ["morning_pain_form"]


def morning_pain_form(key: str, heading: str) -> tuple[int | None, Any]:
    """The small form asking next-morning pain (Today, for a session or a run).

    Returns the pain when Save was pressed with one chosen (else None), and a spot
    under the slider for a message. Starts "not entered": a pain is never assumed.
    """
    with st.form(key, border=True):
        st.markdown(heading)
        pain = pain_slider("Pain the next morning", f"{key}_pain", None)
        problem = st.empty()
        if not st.form_submit_button("Save morning pain", type="primary", width="stretch"):
            return None, problem
        if pain is None:
            problem.error(
                "Choose your pain this morning (0 for no pain). Nothing was saved.",
                icon=":material/edit:",
            )
    return pain, problem
