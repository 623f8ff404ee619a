"""Import runs: runs from a watch's or phone's files, or Strava's archive, into the run log.

The page reads the files (``kneecore.run_import.read_uploads``), previews the runs and
marks those already in the log, asks how the knee was on them, and saves them with
``Store.add_runs``: all of them or, on any error, none. The flow and its rules are in
``kneecore.run_import``; the widgets are in ``pages.import_runs_widgets``.
"""

from __future__ import annotations

import streamlit as st

from kneecore.run_import import ImportRefused, build_runs, preview, refusals, summary
from kneecore.store import MAX_IMPORT_BYTES, StoreError
from pages.common import get_store, not_a_diagnosis, show_store_error
from pages.import_runs_widgets import (
    knee_answers,
    preview_table,
    read_with_progress,
    refused_files,
    skipped_activities,
)
from pages.style import plain

MAX_UPLOAD_MB = MAX_IMPORT_BYTES // (1024 * 1024)
RUNS_PAGE = "pages/runs.py"
state = st.session_state

st.title("Import runs")
st.write(
    "Bring in runs your watch or phone recorded, so you do not type them again. "
    "Each run comes in with its date, time, minutes, distance and cadence; you add "
    "how your knee felt."
)

store = get_store()
try:
    stored = store.runs()
except StoreError as err:
    show_store_error(err)
    not_a_diagnosis()
    st.stop()

# The outcome of the last import, shown once after its rerun.
flash = state.pop("import_runs_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")
    st.page_link(RUNS_PAGE, label="See them on the Runs page", icon=":material/directions_run:")

uploaded = st.file_uploader(
    f"Run files: GPX, TCX, FIT, or a Strava archive (.zip); several at once, up to "
    f"{MAX_UPLOAD_MB} MB each",
    type=["gpx", "tcx", "fit", "zip", "gz"],
    accept_multiple_files=True,
    max_upload_size=MAX_UPLOAD_MB,
    # A new key after an import empties the list, so the same files are not offered again.
    key=f"import_runs_files_{state.get('import_runs_round', 0)}",
)
st.caption(
    "Where to find them: your watch maker's app or website exports each activity "
    "(Garmin Connect, Coros, Suunto and Polar offer GPX, TCX or FIT), and Strava sends "
    'all your activities as one .zip from Settings, My Account, "Download or delete '
    'your account", "Request your archive". If that archive is over '
    f"{MAX_UPLOAD_MB} MB (photos make it big), unzip it and pick the files in its "
    "activities folder instead."
)

if not uploaded:
    if not flash:
        st.info(
            "No file chosen yet. Pick one or more files above to see their runs here "
            "before anything is saved.",
            icon=":material/upload_file:",
        )
    not_a_diagnosis()
    st.stop()

too_big = [f.name for f in uploaded if f.size > MAX_IMPORT_BYTES]
if too_big:
    st.error(
        f"{plain(too_big[0], 80)} is over {MAX_UPLOAD_MB} MB. Nothing was imported.",
        icon=":material/error:",
    )
    not_a_diagnosis()
    st.stop()

uploads = read_with_progress(uploaded)
if uploads.refused:
    refused_files(uploads.refused, len(uploaded))
if not uploads.drafts:
    skipped_activities(uploads.skipped)
    if not uploads.refused:
        st.info("These files hold no runs to import.", icon=":material/info:")
    not_a_diagnosis()
    st.stop()

st.header("Runs found")
found = preview(uploads.drafts, stored)
preview_table(found)
skipped_activities(uploads.skipped)
if found.new == 0:
    st.info(
        "All these runs are already in your log: there is nothing new to import.",
        icon=":material/task_alt:",
    )
    st.page_link(RUNS_PAGE, label="Go to the Runs page", icon=":material/directions_run:")
    not_a_diagnosis()
    st.stop()
if uploads.refused:
    st.warning(
        "Nothing is imported while a file above cannot be read: remove it first.",
        icon=":material/block:",
    )
    not_a_diagnosis()
    st.stop()

answers = knee_answers()
problems = refusals(answers)
if answers.knee_problem:
    st.warning(plain(problems["knee_problem"], 400), icon=":material/medical_services:")
    st.page_link(RUNS_PAGE, label="Log a run on the Runs page", icon=":material/edit_note:")
    not_a_diagnosis()
    st.stop()

# Runs repeated within these files are left out here (the store would skip them too),
# so that "already in your log" in the summary counts only runs logged before.
to_save = [row.draft for row in found.rows if row.status != "repeated"]
label = f"Import {found.new} run" + ("" if found.new == 1 else "s")
if st.button(label, type="primary", icon=":material/upload:", key="import_runs_go"):
    try:
        added = store.add_runs(build_runs(to_save, answers))
    except ImportRefused as exc:
        st.error(plain(exc, 800), icon=":material/error:")
    except StoreError as err:
        show_store_error(err)
    except ValueError as exc:
        st.error(f"{plain(exc, 600)} Nothing was imported.", icon=":material/error:")
    else:
        state["import_runs_flash"] = summary(len(added.added), added.already_there)
        state["import_runs_round"] = state.get("import_runs_round", 0) + 1
        state.pop("import_runs_read", None)
        for key in ("import_runs_before", "import_runs_during", "import_runs_knee_problem"):
            state.pop(key, None)
        st.rerun()
elif problems:
    st.caption("Before importing: " + " ".join(problems.values()))

not_a_diagnosis()
