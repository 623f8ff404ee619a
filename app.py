"""Kneecare: the router. Sets up the page, the shared sidebar, and runs the chosen page.

The access gate comes first: a browser session without the app's token (the link
``make run`` prints, ``kneecore.access``) gets only a page saying how to open the app,
so no page reads data or acts on a widget for it. In clinic mode (``KNEE_DATABASE_URL``
set, docs/clinic.md) ``pages.clinic_app`` routes instead, behind the OIDC sign-in.
"""

import contextlib

import streamlit as st

from kneecore.store import StoreError
from pages.common import NOT_A_DIAGNOSIS, clinic_mode, get_store
from pages.gate import locked_page, signed_in
from pages.in_browser import apply_week_start
from pages.registry import ADDRESSES, PAGES, SECTIONS
from pages.style import page_style

st.set_page_config(
    page_title="Kneecare · runner's knee rehab",
    page_icon="🦵",
    layout="centered",
    initial_sidebar_state="auto",
)

# Every page, the locked one included: headings, captions and accent colours at AA
# contrast in both themes (pages.style.PAGE_CSS).
page_style()

if clinic_mode():
    # Clinic mode (KNEE_DATABASE_URL): its own gate, pages and sidebar (pages.clinic_app).
    from pages.clinic_app import run_clinic

    run_clinic()
    st.stop()

if not signed_in():
    # The only page this session can reach, at any address; a widget click lands here.
    gate = [st.Page(locked_page, title="Kneecare", icon=":material/lock:", default=True)]
    # Every other address too, so that a bookmark opened without the token shows the gate
    # rather than Streamlit's "page not found".
    gate += [st.Page(locked_page, title="Kneecare", url_path=path) for path in ADDRESSES if path]
    st.navigation(gate, position="hidden").run()
    st.stop()

NAVIGATION = {
    section: [
        st.Page(p.file, title=p.title, icon=p.icon, default=p.name == "home")
        for p in PAGES
        if p.section == section
    ]
    for section in SECTIONS
}

page = st.navigation(NAVIGATION)

# Before the page runs, so its date fields open on the person's first weekday. A store
# that cannot be read is left to the page, which says what is wrong and what to do.
with contextlib.suppress(StoreError):
    apply_week_start(get_store().settings().week_starts)

with st.sidebar:
    st.markdown("### :material/directions_run: Kneecare")
    st.caption("A home rehab companion for runner's knee. Your data stays on this computer.")
    st.info(NOT_A_DIAGNOSIS, icon=":material/info:")

page.run()
