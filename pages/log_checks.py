"""The log form's checks on Save: the session it describes, or each problem in words.

Not a page. :func:`validated` asks ``kneecore.tracker.build_session``; when it refuses,
each problem is shown next to its field and one summary right above Save names them
all, and the rows with a problem open up on the next run (:func:`failed_rows`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from kneecore.models import Session
from kneecore.tracker import EntryDraft, FormErrors, SessionInput, build_session

__all__ = ["failed_rows", "show_errors", "validated"]


def show_errors(errors: FormErrors, spots: Mapping[str, Any], row_names: Sequence[str]) -> None:
    """Each problem next to its field, and one summary right above Save naming them all."""
    for field, message in errors.errors.items():
        if field in spots and field != "form":
            spots[field].error(message, icon=":material/edit:")
    # A problem with no field of its own is told in the summary itself.
    extra = errors.errors.get("form", "")
    spots["form"].error(f"{errors.summary(row_names)} {extra}".strip(), icon=":material/warning:")


def failed_rows(prefix: str) -> frozenset[int]:
    """The rows of the form ``prefix`` whose problem was shown: they open up."""
    return frozenset(st.session_state.get(f"{prefix}_failed", set()))


def validated(
    form: SessionInput, prefix: str, spots: dict[str, Any], drafts: Sequence[EntryDraft]
) -> Session | None:
    """The session the form describes; or None, with each problem shown by its field."""
    try:
        return build_session(form)
    except FormErrors as errors:
        # Remembered so the rows with a problem open up on the next run.
        st.session_state[f"{prefix}_failed"] = errors.rows
        show_errors(errors, spots, [d.name for d in drafts])
        return None
