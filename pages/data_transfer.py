"""Export and import of all a person's data, for My data and a clinic patient's page.

Both go through the store, so the one-person file and a clinic's server export the same
JSON and import it the same way: previewed first, then all or nothing. A person moving
into a clinic account imports the export of their own computer here, and can take it
out again (issue 16).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kneecore.store import MAX_IMPORT_BYTES, InvalidImport, StoreError
from kneecore.userstore import UserStore
from pages.common import get_library, show_store_error
from pages.style import plain

__all__ = ["FLASH", "MAX_UPLOAD_MB", "export_section", "import_section"]

MAX_UPLOAD_MB = MAX_IMPORT_BYTES // (1024 * 1024)
#: session_state: the message of the last import, shown once after its rerun.
FLASH = "my_data_flash"


def export_section(store: UserStore, counts: dict[str, int]) -> None:
    """JSON (everything, importable again) and CSV (sessions, for a spreadsheet)."""
    st.header("Export")
    st.write(
        "**JSON** keeps everything and can be imported again here. **CSV** opens in a "
        "spreadsheet: one row per exercise, with the session's pain scores next to it."
    )
    today = dt.date.today().isoformat()
    names = {ex.id: ex.name for ex in get_library().exercises}
    e1, e2 = st.columns(2)
    e1.download_button(
        "Download all my data (JSON)",
        data=store.export_json,
        file_name=f"kneecare-export-{today}.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
        key="export_json",
    )
    e2.download_button(
        "Download sessions (CSV)",
        data=lambda: store.export_csv(names),
        file_name=f"kneecare-sessions-{today}.csv",
        mime="text/csv",
        icon=":material/table_view:",
        on_click="ignore",
        key="export_csv",
        disabled=counts["sessions"] == 0,
    )


def import_section(store: UserStore) -> None:
    """A Kneecare export file: previewed, then imported all or nothing on request."""
    state = st.session_state
    st.header("Import")
    st.write(
        "Bring in a Kneecare export (a `.json` file from **Download all my data**). "
        "Sessions you already have are skipped. If anything in the file is wrong, nothing "
        "is imported."
    )
    uploaded = st.file_uploader(
        f"Kneecare export file (.json, up to {MAX_UPLOAD_MB} MB)",
        type=["json"],
        max_upload_size=MAX_UPLOAD_MB,
        key=f"import_file_{state.get('import_round', 0)}",
    )
    if uploaded is None:
        return
    if uploaded.size > MAX_IMPORT_BYTES:
        st.error(
            f"This file is too big ({uploaded.size / (1024 * 1024):.1f} MB). The limit is "
            f"{MAX_UPLOAD_MB} MB. Nothing was imported.",
            icon=":material/error:",
        )
        return
    content = uploaded.getvalue()
    try:
        preview = store.preview_import(content)
    except InvalidImport as exc:
        # The message quotes the file; shown as plain text, never as links.
        st.error(plain(exc, 600), icon=":material/error:")
        return
    except StoreError as err:
        show_store_error(err)
        return
    st.info(
        f"**{plain(uploaded.name, 80)}** is valid. {preview.describe(preview=True)}",
        icon=":material/fact_check:",
    )
    if preview.total_added == 0 and not preview.settings_imported:
        st.caption("There is nothing new in this file.")
    elif st.button("Import", type="primary", icon=":material/upload:", key="import_go"):
        _import(store, content)


def _import(store: UserStore, content: bytes) -> None:
    state = st.session_state
    try:
        summary = store.import_json(content)
    except (InvalidImport, ValueError) as exc:
        st.error(plain(exc, 600), icon=":material/error:")
    except StoreError as err:
        show_store_error(err)
    else:
        state[FLASH] = "Import done. " + summary.describe()
        # A new key empties the uploader, so the same file is not offered again.
        state["import_round"] = state.get("import_round", 0) + 1
        st.rerun()
