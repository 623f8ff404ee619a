"""Shared pieces of the Streamlit shell: cached store and library, notices, badges.

Not a page itself (``app.py`` lists the pages explicitly with ``st.navigation``).
"""

from __future__ import annotations

import streamlit as st

from kneecore.content import Library, load_library
from kneecore.models import Zone
from kneecore.store import Store, StoreError, default_store_path

NOT_A_DIAGNOSIS = (
    "This app is not a diagnosis and does not replace a GP or physiotherapist. "
    "If your knee swells, locks or gives way, stop and get it checked."
)

ZONE_BADGE: dict[Zone, tuple[str, str, str]] = {
    # zone: (icon, word, colour) -- the word and icon carry the meaning, colour only helps.
    "green": ("🟢", "Green: safe", "green"),
    "amber": ("🟠", "Amber: acceptable, do not add load", "orange"),
    "red": ("🔴", "Red: too much, ease off", "red"),
}


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


def get_store() -> Store:
    """The user's store (``KNEE_DATA_DIR`` is read on each call, so tests can point it)."""
    return _store(str(default_store_path()))


def not_a_diagnosis() -> None:
    st.caption(f"ℹ️ {NOT_A_DIAGNOSIS}")


def zone_badge(zone: Zone) -> str:
    """Markdown for a zone: icon and word, with colour as an extra cue only."""
    icon, word, colour = ZONE_BADGE[zone]
    return f"{icon} :{colour}[**{word}**]"


def show_store_error(error: StoreError) -> None:
    """Explain a store problem in plain words, and where the file is."""
    st.error(f"**Your data could not be used.** {error}", icon="⚠️")
    if error.path is not None:
        st.caption(f"Data file: `{error.path}`")
    st.page_link("pages/my_data.py", label="Go to My data to fix this", icon="🛠️")
