"""Shared pieces of the Streamlit shell: cached store and library, notices, badges.

Not a page itself (``app.py`` lists the pages explicitly with ``st.navigation``).
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey
from streamlit.runtime.pages_manager import PagesManager

from kneecore.content import Library, load_library
from kneecore.content import not_a_diagnosis as content_not_a_diagnosis
from kneecore.progression import Recommendation, hops_reached
from kneecore.safety import PlanStatus, advise, plan_status
from kneecore.store import Store, StoreError, UserStore, default_store_path

# Kept importable from here while pages move to pages.style, the home of all styles.
from pages.style import plain
from pages.style import zone_badge as zone_badge

if TYPE_CHECKING:
    # Clinic mode's modules (SQLAlchemy, psycopg) are imported only in clinic mode.
    from kneecore.clinic.pgstore import PgStore

#: The notice every page ends with (written once, in content/notices.yaml).
NOT_A_DIAGNOSIS = content_not_a_diagnosis()


def _route_through_app() -> None:
    """Make sure every page runs inside ``app.py``'s ``st.navigation``.

    Because a ``pages/`` folder exists, Streamlit starts each server process in its old
    multipage mode and only leaves it once ``st.navigation`` has run. If the very first
    request of a process is a page URL (a bookmark to /log after a restart), that page
    would run on its own, without the router, the sidebar or the safety notice, and the
    process would stay in that mode. Every page imports this module, so on that first
    run we switch the mode off and rerun, which goes through ``app.py``.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_app()


@st.cache_resource(show_spinner=False)
def _library() -> Library:
    return load_library()


def get_library() -> Library:
    """The validated exercise library, loaded once per server process."""
    return _library()


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    # One Store object per file, shared by every tab; the Store itself holds the locks.
    return Store(path, exercise_ids=get_library().exercise_ids)


def get_store() -> UserStore:
    """The store this session reads and writes.

    One-person mode: the JSON file (``KNEE_DATA_DIR`` is read on each call, so tests can
    point it). Clinic mode (``KNEE_DATABASE_URL``): the signed-in patient's own store,
    or for a physiotherapist the read-only store of the patient they opened, as
    :meth:`kneecore.clinic.accounts.Accounts.store_for` decides on every call
    (PermissionError when there is none).
    """
    if not clinic_mode():
        return _store(str(default_store_path()))
    from pages.clinic_common import clinic_store

    return clinic_store()


def store_key(store: UserStore) -> str:
    """Whose data ``store`` holds, as a cache key: the file, or the clinic's account."""
    if clinic_mode():
        from kneecore.clinic.pgstore import PgStore

        if isinstance(store, PgStore):
            # A clinic store's own attribute, not the interface's (tests/unit/test_store).
            server: PgStore = store
            return f"clinic:{server.account_id}"
    return str(store.path)


# -- clinic mode (docs/clinic.md) --------------------------------------------------------

#: The variable that puts the app in clinic mode: the clinic database's URL.
DATABASE_ENV = "KNEE_DATABASE_URL"


def clinic_mode() -> bool:
    """Whether the app runs for a clinic: ``KNEE_DATABASE_URL`` is set."""
    return bool(os.environ.get(DATABASE_ENV, "").strip())


# -- what pages derive from the store, once per change of it ------------------------------
# Keyed by whose store it is (store_key) and its revision (which changes with every
# write) and by the day: a rerun that changed nothing (a click, a toggle) reuses the
# answer, and any save gives a fresh one. The rules themselves live in kneecore; these
# only remember results. (``_store`` is not hashed: the key says whose it is.)


@st.cache_data(show_spinner=False, max_entries=16)
def _status(_store: UserStore, key: str, revision: str, today: dt.date) -> PlanStatus:
    return plan_status(_store, today=today, library=get_library())


@st.cache_data(show_spinner=False, max_entries=16)
def _advice(
    _store: UserStore, key: str, revision: str, today: dt.date, logged: str | None
) -> Recommendation:
    status = _status(_store, key, revision, today)
    return advise(_store, status, today=today, library=get_library(), logged=logged)


@st.cache_data(show_spinner=False, max_entries=16)
def _hops(_store: UserStore, key: str, revision: str) -> list[str]:
    return hops_reached(_store.sessions(), get_library())


def plan_status_now() -> PlanStatus:
    """The plan pause now (``kneecore.safety.plan_status``), fresh after every write."""
    store = get_store()
    return _status(store, store_key(store), store.revision(), dt.date.today())


def advice_now(logged: str | None = None) -> Recommendation:
    """The app's advice now (``kneecore.safety.advise``); ``logged``: the session just saved."""
    store = get_store()
    return _advice(store, store_key(store), store.revision(), dt.date.today(), logged)


def hops_now() -> list[str]:
    """The hops the log may offer (``kneecore.progression.hops_reached``)."""
    store = get_store()
    return _hops(store, store_key(store), store.revision())


def not_a_diagnosis() -> None:
    """The notice every page ends with."""
    st.caption(f":material/info: {NOT_A_DIAGNOSIS}")


def show_store_error(error: StoreError) -> None:
    """Explain a store problem in plain words, where the file is, and offer recovery.

    For a damaged, unreadable or too-new file the user can restore the newest backup or
    move the file aside and start afresh; both ask for confirmation and neither deletes
    anything (the old file is renamed next to the new one).
    """
    # The message may quote the file (cut by the core): shown as text, never as Markdown.
    st.error(f"**Your data could not be used.** {plain(error, 600)}", icon=":material/error:")
    if error.path is not None:
        st.caption("Data file:")
        st.code(str(error.path), language=None, wrap_lines=True)
    if error.kind == "busy":
        st.info("Another window or program is saving right now. Try again in a moment.")
        return
    if clinic_mode():
        # On the clinic's server: no file, disk or backup here that the person can fix.
        st.info("Try again in a moment. If it keeps happening, tell the practice.")
        return
    if error.kind == "write_failed":
        st.info(
            "Your earlier data is safe. Check there is free disk space and that you may "
            "write to the data folder, then try again."
        )
        return
    if not error.recoverable:
        return

    try:
        # A keyed container exists once per run: if an earlier error on this page already
        # offered the choices, a second call only shows its message.
        box = st.container(key="store_recovery")
    except StreamlitDuplicateElementKey:
        return
    with box:
        _recovery_choices(error)


def _recovery_choices(error: StoreError) -> None:
    """Part of :func:`show_store_error`: restore / move aside, each confirmed first."""
    store = get_store()
    state = st.session_state
    st.header("What you can do")
    if error.kind == "newer":
        st.write(
            "The safest choice is to update the app. If you cannot, you can restore a "
            "backup or start a new store; the newer file is kept, not deleted."
        )
    backups = store.backups()
    choice = state.get("store_recovery_choice")
    if choice is None:
        if backups:
            newest = backups[0].day.isoformat()
            if st.button(
                f"Restore newest backup (from {newest})",
                key="store_recovery_restore",
                type="primary",
                icon=":material/restore:",
            ):
                state["store_recovery_choice"] = "restore"
                st.rerun()
        else:
            st.caption("There is no backup yet (one is made each day you save something).")
        if st.button(
            "Move the broken file aside and start a new store",
            key="store_recovery_reset",
            icon=":material/drive_file_move:",
        ):
            state["store_recovery_choice"] = "reset"
            st.rerun()
        return

    if choice == "restore":
        st.warning(
            "Your data will be put back as it was in the newest backup. Anything saved "
            "after that backup is not in it. The current file is kept (renamed) next to it."
        )
    else:
        st.warning(
            "The current file will be renamed and kept next to the new, empty store. "
            "Nothing is deleted; you can send the old file to someone who can repair it."
        )
    confirm, cancel = st.columns(2)
    if confirm.button("Yes, do it", key="store_recovery_confirm", type="primary"):
        try:
            if choice == "restore":
                restored = store.restore_backup()
                message = f"Restored your data from the backup `{restored.name}`."
            else:
                moved = store.move_aside_and_reset()
                message = "Started a new, empty store."
                if moved is not None:
                    message += f" The old file is kept as `{moved}`."
        except StoreError as exc:
            st.error(f"That did not work: {exc}", icon=":material/error:")
            return
        del state["store_recovery_choice"]
        # No rerun here: once the store works, this function is no longer called, so the
        # outcome is shown now and "Continue" reloads the page with the repaired store.
        st.success(message, icon=":material/check_circle:")
        st.button("Continue with my data", key="store_recovery_continue", type="primary")
        return
    if cancel.button("Cancel", key="store_recovery_cancel"):
        del state["store_recovery_choice"]
        st.rerun()
