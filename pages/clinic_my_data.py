"""Your data (clinic mode, a patient's page): what the practice's server holds for you.

Moving in and out (issue 16): the export of the one-person app on your own computer is
imported here, all or nothing, and everything can be exported again in the same format,
so nothing is lost either way. The server's backups are the practice's job, so this
page has no backups or file paths; everything else is the same widgets as My data.
"""

from __future__ import annotations

import streamlit as st

from kneecore.store import StoreError
from pages.common import get_library, get_store, not_a_diagnosis, show_store_error
from pages.data_transfer import FLASH, export_section, import_section
from pages.downloads import report_download_button

st.title("Your data")
st.write(
    "Your entries are kept on your practice's server, under your account only. Your "
    "physiotherapist can read them once you have shared your log with them; nobody else "
    "can. Here you can bring in the data of the Kneecare app on your own computer, or "
    "take a copy of everything."
)

store = get_store()
try:
    counts = store.counts()
except StoreError as err:
    show_store_error(err)
    not_a_diagnosis()
    st.stop()

flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

c1, c2, c3 = st.columns(3)
c1.metric("Sessions logged", counts["sessions"])
c2.metric("Runs logged", counts["runs"])
c3.metric("Self-checks", counts["selfchecks"])

export_section(store, counts)
import_section(store)

st.header("Report for your GP or physiotherapist")
report_download_button(store, get_library(), "clinic_my_data", local=False)
not_a_diagnosis()
