"""The router in clinic mode (``KNEE_DATABASE_URL`` set; docs/clinic.md). Not a page.

``app.py`` hands over to :func:`run_clinic` before anything is shown. Until the person
has signed in (and while the clinic's server cannot be reached) the only page at any
address is the sign-in (``pages.clinic_gate``), so nothing reads data before login.
After it, a patient gets the app's pages on their own data (``CLINIC_PATIENT_PAGES``,
landing on Today) and a physiotherapist the practice's pages (``CLINIC_PHYSIO_PAGES``,
landing on Patients); the sidebar says who is signed in and offers Sign out.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from kneecore.clinic.accounts import Account
from kneecore.store import StoreError
from pages.clinic_gate import clinic_account, server_problem_page, sign_in_page, sign_out
from pages.common import NOT_A_DIAGNOSIS, get_store
from pages.in_browser import apply_week_start
from pages.registry import (
    ADDRESSES,
    CLINIC_PATIENT_PAGES,
    CLINIC_PHYSIO_PAGES,
    CLINIC_SECTIONS,
    PageEntry,
)
from pages.style import plain

__all__ = ["pages_of", "run_clinic"]

#: Every address any role has, so that a bookmark opened before signing in shows the
#: sign-in rather than "page not found".
_EVERY_ADDRESS = tuple(
    dict.fromkeys([*ADDRESSES, *(p.address for p in CLINIC_PATIENT_PAGES + CLINIC_PHYSIO_PAGES)])
)


def pages_of(account: Account) -> tuple[PageEntry, ...]:
    """The pages a role may open (the first is where they land)."""
    return CLINIC_PHYSIO_PAGES if account.is_physio else CLINIC_PATIENT_PAGES


def _only(page: Callable[[], None]) -> None:
    """Run ``page`` as the one page of this session, whatever address was asked for."""
    pages = [st.Page(page, title="Kneecare", icon=":material/lock:", default=True)]
    pages += [st.Page(page, title="Kneecare", url_path=path) for path in _EVERY_ADDRESS if path]
    st.navigation(pages, position="hidden").run()


def run_clinic() -> None:
    """The gate, then the signed-in role's navigation, sidebar and page."""
    try:
        account = clinic_account()
    except SQLAlchemyError as exc:
        error = exc

        def server_problem() -> None:
            server_problem_page(error)

        _only(server_problem)
        return
    if account is None:
        _only(sign_in_page)
        return
    entries = pages_of(account)
    navigation = {
        section: [
            st.Page(p.file, title=p.title, icon=p.icon, default=p is entries[0])
            for p in entries
            if p.section == section
        ]
        for section in CLINIC_SECTIONS
        if any(p.section == section for p in entries)
    }
    page = st.navigation(navigation)
    if not account.is_physio:
        # As in one-person mode: date fields open on the person's first weekday.
        with contextlib.suppress(StoreError):
            apply_week_start(get_store().settings().week_starts)
    with st.sidebar:
        st.markdown("### :material/directions_run: Kneecare")
        role = "physiotherapist" if account.is_physio else "patient"
        st.caption(f"Signed in as {plain(account.display, 80)} ({role}).")
        sign_out()
        st.info(NOT_A_DIAGNOSIS, icon=":material/info:")
    page.run()
