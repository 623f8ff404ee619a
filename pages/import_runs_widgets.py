"""The pieces of the Import runs page: reading the uploads with progress, the preview
table, the activities left out, and the questions about the knee.

Not a page. The decisions are in ``kneecore.run_import``; these only draw them. Names
and reasons come from files, so they are shown through ``style.plain`` (never as
Markdown) or in a table, which shows text as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from kneecore.run_import import Answers, RunImportPreview, Uploads, read_uploads, table_rows
from kneecore.runfiles import Skip
from kneecore.words import plural
from pages.log_form import pain_slider
from pages.style import plain

#: Where the last reading is kept: the files' fingerprint and what they held. A click
#: reruns the page; reading a big archive again each time would take seconds.
_READ = "import_runs_read"
#: The most activities left out listed one by one (an archive may hold thousands).
SKIPS_SHOWN = 50
KNEE_PROBLEM_QUESTION = "Did any of these runs end with swelling, locking or giving way?"


def read_with_progress(files: Sequence[UploadedFile]) -> Uploads:
    """What ``files`` hold, read once per set of files, with a progress bar meanwhile."""
    fingerprint = tuple((f.file_id, f.name, f.size) for f in files)
    kept = st.session_state.get(_READ)
    if kept is not None and kept[0] == fingerprint:
        found: Uploads = kept[1]
        return found
    bar = st.progress(0.0, text="Reading your files…")

    def report(number: int, total: int, done: int, activities: int) -> None:
        text = f"Reading file {number} of {total}"
        if activities > 1:
            text += f": activity {done} of {activities}"
        share = (number - 1 + done / max(activities, 1)) / total
        bar.progress(min(share, 1.0), text=text)

    found = read_uploads([(f.name, f.getvalue()) for f in files], progress=report)
    bar.empty()
    st.session_state[_READ] = (fingerprint, found)
    return found


def refused_files(refused: Sequence[str], files: int) -> None:
    """Each file that could not be read (of ``files``), with its reason, in one box."""
    lines = "\n".join(f"- {plain(reason, 400)}" for reason in refused)
    then = "to import the others" if files > len(refused) else "and pick a run file"
    st.error(
        f"**{plural(len(refused), 'file')} could not be read.**\n\n{lines}\n\n"
        f"Remove it from the list above (its ✕ button) {then}.",
        icon=":material/error:",
    )


def skipped_activities(skipped: Sequence[Skip]) -> None:
    """The activities left out (rides, walks, very short ones), folded away."""
    if not skipped:
        return
    with st.expander(f"{plural(len(skipped), 'activity')} left out, and why"):
        for skip in skipped[:SKIPS_SHOWN]:
            st.markdown(f"- {plain(skip.file, 120)}: {plain(skip.reason, 200)}")
        if len(skipped) > SKIPS_SHOWN:
            st.caption(f"and {len(skipped) - SKIPS_SHOWN:,} more.")


def preview_table(found: RunImportPreview) -> None:
    """The runs found, one row each, with whether each is already in the log."""
    new, in_log, repeated = found.new, found.count("in_log"), found.count("repeated")
    parts = [f"**{plural(len(found.rows), 'run')}** found: {new} new"]
    if in_log:
        parts.append(f"{in_log} already in your log")
    if repeated:
        parts.append(f"{repeated} repeated in these files")
    st.markdown(", ".join(parts) + ".")
    st.dataframe(table_rows(found), hide_index=True, key="import_runs_table")


def knee_answers() -> Answers:
    """The usual pain around these runs and the knee question, nothing chosen at first."""
    st.header("Your knee on these runs")
    st.write(
        "Files record time and distance, not how your knee felt, and the running advice "
        "needs both. Give your usual pain for these runs; one answer counts for all of "
        "them. If some runs felt different, log them one by one on the Runs page instead."
    )
    before = pain_slider("Usual pain before these runs", "import_runs_before", None)
    during = pain_slider("Worst pain during these runs", "import_runs_during", None)
    problem = st.radio(
        KNEE_PROBLEM_QUESTION,
        ["No", "Yes"],
        index=None,
        horizontal=True,
        key="import_runs_knee_problem",
    )
    return Answers(
        pain_before=before,
        pain_during=during,
        knee_problem=None if problem is None else problem == "Yes",
    )
