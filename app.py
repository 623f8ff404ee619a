"""Kneecare: the router. Sets up the page, the shared sidebar, and runs the chosen page."""

import contextlib

import streamlit as st

from kneecore.store import StoreError
from pages.common import NOT_A_DIAGNOSIS, get_store
from pages.in_browser import apply_week_start

st.set_page_config(
    page_title="Kneecare · runner's knee rehab",
    page_icon="🦵",
    layout="centered",
    initial_sidebar_state="auto",
)

PAGES = {
    "Kneecare": [
        st.Page("pages/home.py", title="Today", icon=":material/home:", default=True),
        st.Page("pages/self_check.py", title="Self-check", icon=":material/checklist:"),
        st.Page("pages/plan.py", title="Exercise plan", icon=":material/fitness_center:"),
        st.Page("pages/log.py", title="Log a session", icon=":material/edit_note:"),
        st.Page("pages/progress.py", title="Progress", icon=":material/monitoring:"),
    ],
    "About you and the app": [
        st.Page("pages/settings.py", title="Settings", icon=":material/tune:"),
        st.Page("pages/my_data.py", title="My data", icon=":material/folder_shared:"),
        st.Page("pages/about.py", title="About and safety", icon=":material/info:"),
    ],
}

page = st.navigation(PAGES)

# Before the page runs, so its date fields open on the person's first weekday. A store
# that cannot be read is left to the page, which says what is wrong and what to do.
with contextlib.suppress(StoreError):
    apply_week_start(get_store().settings().week_starts)

with st.sidebar:
    st.markdown("### :material/directions_run: Kneecare")
    st.caption("A home rehab companion for runner's knee. Your data stays on this computer.")
    st.info(NOT_A_DIAGNOSIS, icon=":material/info:")

page.run()
