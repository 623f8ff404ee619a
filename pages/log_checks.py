"""The log form's checks on Save: the session it describes, or each problem in words.

Not a page. :func:`validated` asks ``kneecore.tracker.build_session``; when it refuses,
the page runs again with each problem next to its field (:func:`problem_at`) and one
summary right above Save naming them all, and the rows with a problem open up
(:func:`failed_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from kneecore.models import Session
from kneecore.tracker import EntryDraft, FormErrors, SessionInput, build_session

__all__ = ["failed_rows", "problem_at", "validated"]


def _problems(prefix: str) -> dict[str, str]:
    shown: dict[str, str] = st.session_state.get(f"{prefix}_problems", {})
    return shown


def problem_at(prefix: str, field: str) -> None:
    """The problem found with ``field`` at the last Save, drawn where the call is.

    The form is drawn with the problems already known (the failed Save reruns the
    page), so a form without any draws no placeholders at all: a dozen fewer elements
    on every rerun of the log page.
    """
    message = _problems(prefix).get(field)
    if message is None:
        return
    # The summary above Save has its own icon; each field's message says "change this".
    icon = ":material/warning:" if field == "form" else ":material/edit:"
    st.error(message, icon=icon)


def failed_rows(prefix: str) -> frozenset[int]:
    """The rows of the form ``prefix`` whose problem was shown: they open up."""
    return frozenset(st.session_state.get(f"{prefix}_failed", set()))


def validated(form: SessionInput, prefix: str, drafts: Sequence[EntryDraft]) -> Session:
    """The session the form describes; or, if there is a problem, the page again with
    each problem next to its field and a summary above Save naming them all."""
    try:
        session = build_session(form)
    except FormErrors as errors:
        shown = {k: v for k, v in errors.errors.items() if k != "form"}
        # A problem with no field of its own is told in the summary itself.
        extra = errors.errors.get("form", "")
        shown["form"] = f"{errors.summary([d.name for d in drafts])} {extra}".strip()
        st.session_state[f"{prefix}_problems"] = shown
        # Remembered so the rows with a problem open up.
        st.session_state[f"{prefix}_failed"] = errors.rows
        st.rerun()
    st.session_state.pop(f"{prefix}_problems", None)
    return session
