"""My data: where the file lives, export (JSON, CSV), import, backups, delete everything.

Every action goes through the store, which validates and writes atomically; this page
only reads widgets, asks for confirmation where data could be lost, and shows results.
"""

from __future__ import annotations

import streamlit as st

from kneecore.store import StoreError
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.data_transfer import export_section, import_section
from pages.downloads import calendar_download_form, report_download_button
from pages.phone import phone_section
from pages.style import plain

state = st.session_state

st.title("My data")
st.write(
    "Everything you enter is kept in one file on this computer. Nothing is sent anywhere. "
    "Here you can take a copy, bring data from another computer, or delete it all."
)

store = get_store()
try:
    counts = store.counts()
except StoreError as err:
    show_store_error(err)
    not_a_diagnosis()
    st.stop()

# A message from the last action (import, restore, delete), shown once after its rerun.
flash = state.pop("my_data_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
if store.backup_warning:
    st.warning(store.backup_warning, icon=":material/warning:")

# -- where the data lives ---------------------------------------------------------------
st.header("Where your data lives")
c1, c2, c3 = st.columns(3)
c1.metric("Sessions logged", counts["sessions"])
c2.metric("Runs logged", counts["runs"])
c3.metric("Self-checks", counts["selfchecks"])
st.caption("Data file")
st.code(str(store.path), language=None, wrap_lines=True)
st.caption(
    "Folder (only your user account can open it). Daily backups are in its `backups` folder."
)
st.code(str(store.folder), language=None, wrap_lines=True)

export_section(store, counts)
import_section(store)

# -- backups ----------------------------------------------------------------------------
st.header("Backups")
backups = store.backups()
if not backups:
    st.write(
        "No backup yet. Before the first save of each day, a copy of your data is kept; "
        "the last 7 are kept."
    )
else:
    st.write(
        "A copy of your data is kept before the first save of each day; the last 7 are "
        "kept. " + ("There is 1 now." if len(backups) == 1 else f"There are {len(backups)} now.")
    )
    labels = {f"{b.day.isoformat()} ({b.size_bytes / 1024:.0f} KB)": b for b in backups}
    picked = st.selectbox("Backup to restore", list(labels), key="backup_pick")
    sure = st.checkbox(
        "I understand my current data will be replaced by this backup "
        "(the current file is kept, renamed, next to it)",
        key="backup_confirm",
    )
    if st.button(
        "Restore this backup",
        disabled=not sure or picked is None,
        icon=":material/restore:",
        key="backup_restore",
    ):
        try:
            store.restore_backup(labels[str(picked)])
        except StoreError as err:
            show_store_error(err)
        else:
            state["my_data_flash"] = f"Restored your data from the backup of {picked}."
            state.pop("backup_confirm", None)
            st.rerun()
aside = store.aside_files()
if aside:
    st.caption("Earlier files set aside by a repair or restore (kept in case you need them):")
    st.code("\n".join(p.name for p in aside), language=None, wrap_lines=True)

# -- reports for a clinician and calendar reminders -------------------------------------
st.header("Reports and reminders")
st.write(
    "A printable progress report to take to your GP or physiotherapist, and a calendar "
    "file that reminds you to exercise and to note next-morning pain. Both are made on "
    "this computer."
)
report_download_button(store, get_library(), "my_data")
calendar_download_form(store, get_library(), "my_data")

phone_section()

# -- delete everything --------------------------------------------------------------------
st.header("Delete all my data")
st.write(
    "This removes every session, run, self-check, phase and setting, **and all "
    "backups** from this computer. It cannot be undone. Download a copy first if you may want it."
)
typed = st.text_input("To confirm, type DELETE", key="delete_confirm_text", max_chars=10)
if st.button(
    "Delete all my data",
    type="primary",
    disabled=typed.strip() != "DELETE",
    icon=":material/delete_forever:",
    key="delete_all",
):
    try:
        removed = store.delete_all()
    except StoreError as err:
        show_store_error(err)
    else:
        # Exactly what was removed: the file (through a link, its target), backups, copies.
        state["my_data_flash"] = plain(removed.describe(), 1000)
        state.pop("delete_confirm_text", None)
        st.rerun()

not_a_diagnosis()
