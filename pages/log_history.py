"""Widgets of the log page's history and answers: the table of past sessions, the list
to choose one from, and the questions asked before a delete or a second identical save.

Not a page. These functions only draw and return what was clicked; the history's rows
come from ``kneecore.tracker``, and ``pages/log.py`` keeps the state and the store.
Widget keys start with ``log_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from kneecore.models import Session
from kneecore.pain import load_pain_scale
from kneecore.tracker import PAIN_ROW_MEANING, Units, history_page, history_rows, session_label
from pages.common import get_library, get_store
from pages.style import plain, table_as_list

__all__ = [
    "AGAIN_BOX",
    "GONE",
    "HistoryView",
    "ask_save_again",
    "choose",
    "confirm_delete",
    "conflict_words",
    "history_table",
    "history_view",
    "offer_undo",
    "on_a_phone",
    "show_older",
]


@dataclass(frozen=True)
class HistoryView:
    """The newest sessions as the history shows them: table, chooser labels, total."""

    #: An Arrow table rather than a pandas frame: ``st.dataframe`` would convert a
    #: frame to Arrow on every rerun, which cost more than the rest of the history.
    frame: pa.Table
    #: Chooser label by session id, newest first.
    labels: dict[str, str]
    total: int


@st.cache_data(show_spinner=False, max_entries=8)
def history_view(path: str, revision: str, limit: int, units: Units, today: dt.date) -> HistoryView:
    """The newest ``limit`` sessions of the store at ``path``, built once per revision.

    Rebuilding the table on every click cost as much as the rest of the history; any
    save changes the revision, so a new or changed session is always shown.
    """
    scale = load_pain_scale()
    page = history_page(get_store().sessions(), limit)
    names = {e.id: e.name for e in get_library().exercises}
    rows = history_rows(page.sessions, names, scale.zone_label, units)
    return HistoryView(
        frame=pa.Table.from_pandas(
            pd.DataFrame([{k: v for k, v in r.items() if k != "id"} for r in rows]),
            preserve_index=False,
        ),
        labels={s.id: session_label(s, scale.zone_label) for s in page.sessions},
        total=page.total,
    )


#: How the history can be shown; a phone starts with the list (:func:`on_a_phone`).
SHOW_AS = ("Table", "List")
#: Tall enough for two lines of text: Streamlit wraps a cell's text only in rows
#: taller than 4rem (64 px), and a long list of exercises was cut off otherwise.
WRAPPED_ROW_PX = 66


def on_a_phone(headers: Mapping[str, str]) -> bool:
    """Whether the browser says it is a phone: "Mobi" in its User-Agent (what phone
    browsers send, as MDN advises to look for), or a Chromium's ``Sec-CH-UA-Mobile``.

    The server cannot see the screen's width; a desktop browser made narrow still
    starts with the table, and the choice above the history is always there.
    """
    said = {k.lower(): v for k, v in headers.items()}
    return "Mobi" in said.get("user-agent", "") or said.get("sec-ch-ua-mobile") == "?1"


def _list_item(row: Mapping[str, Any]) -> str:
    """One session of the list: date, zone and pains first, then what was done."""
    day = row["Date"]
    when = f"{day:%a} {day.day} {day:%b %Y}" if isinstance(day, dt.date) else plain(day)
    lines = [f"**{when}** · {plain(row['Zone'])} · pain {row['Pain']}"]
    lines.append(plain(row["Exercises"], 600) or "No exercises")
    more = []
    load = next((f"{k.lower()}: {v}" for k, v in row.items() if k.startswith("Top load")), "")
    if load and not load.endswith("—"):
        more.append(plain(load))
    if row.get("Knee problems"):
        more.append(f"knee problems: {plain(row['Knee problems'])}")
    if row.get("Notes"):
        # One line: a note's own line breaks or dashes must not start list items.
        more.append(f"notes: {plain(' '.join(str(row['Notes']).split()), 300)}")
    if more:
        said = " · ".join(more)
        lines.append(said[0].upper() + said[1:])
    return "- " + "  \n  ".join(lines)


def history_table(frame: pa.Table) -> None:
    """The history (:func:`history_view`) as a table or, by choice, as a list.

    A phone starts with the list: there a table shows the date, zone and pains and
    hides what was done off the screen's edge.
    """
    st.caption(f"Newest first. {PAIN_ROW_MEANING}.")
    shown = st.segmented_control(
        "Show your history as",
        SHOW_AS,
        default="List" if on_a_phone(st.context.headers) else "Table",
        required=True,
        key="log_history_as",
        help="The list suits a phone: each session with all it holds, nothing cut off.",
    )
    if shown == "List":
        with st.container(key="log_history_as_list"):
            st.markdown("\n".join(_list_item(row) for row in frame.to_pylist()))
        return
    # The zone column carries a coloured icon and a word (never colour alone). A
    # pandas Styler for cell backgrounds cost more than the rest of the page together.
    st.dataframe(
        frame,
        hide_index=True,
        # Every session shown, without a scroll box inside the page's own scroll.
        height="content",
        row_height=WRAPPED_ROW_PX,
        # Date, zone and the four pains fit a 390 px phone screen with their headers
        # whole; the exercises, wrapped, and the rest follow on a sideways swipe.
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM YYYY", width=96),
            "Zone": st.column_config.Column(
                "Zone", width=126, help="Green so far: green until next-morning pain is in"
            ),
            "Pain": st.column_config.Column("Pain", width=88, help=PAIN_ROW_MEANING),
            "Exercises": st.column_config.Column("Exercises", width=380),
            "Notes": st.column_config.Column("Notes", width=300),
        },
    )
    table_as_list(frame, key="log_history_list", label="History as a list")


def show_older(limit: int, total: int) -> bool:
    """How many sessions the table shows, and whether "Show older sessions" was clicked."""
    st.caption(f"Showing your latest {limit} of {total} sessions.")
    return st.button("Show older sessions", icon=":material/history:", key="log_history_more")


def choose(order: Sequence[str], label: Callable[[str], str]) -> tuple[str, bool, bool]:
    """A session to change: (its id, Edit clicked, Delete clicked)."""
    labels = [label(i) for i in order]
    chosen: str = st.selectbox(
        "Choose a session to edit or delete",
        options=order,
        format_func=label,
        # Keyed by what the list says: a new session becomes the default choice, and a
        # changed one is never shown under its old words (the field kept the old text).
        key=f"log_history_choice_{zlib.crc32(chr(31).join(labels).encode())}",
    )
    left, right = st.columns(2)
    edit = left.button("Edit", icon=":material/edit:", key="log_edit_button", width="stretch")
    delete = right.button(
        "Delete", icon=":material/delete:", key="log_delete_button", width="stretch"
    )
    return chosen, edit, delete


def confirm_delete(day: str) -> tuple[bool, bool]:
    """ "Delete the session of ...?" with its answers: (yes, keep) as clicked."""
    st.warning(
        f"Delete the session of {day}? You can undo this straight after.",
        icon=":material/warning:",
    )
    yes, no = st.columns(2)
    clicked_yes = yes.button(
        "Yes, delete it", type="primary", key="log_delete_yes", width="stretch"
    )
    clicked_no = no.button("Keep it", key="log_delete_no", width="stretch")
    return clicked_yes, clicked_no


def offer_undo(message: str) -> bool:
    """The delete just done, with "Undo delete"; returns whether it was clicked."""
    st.success(message, icon=":material/delete:")
    return st.button("Undo delete", icon=":material/undo:", key="log_undo_button")


#: The key of the "Save it again?" question's box, where focus goes when it is asked.
AGAIN_BOX = "log_again_box"


def ask_save_again(day: str) -> tuple[bool, bool]:
    """Asked when the same session is saved twice: (save it again, don't) as clicked."""
    with st.container(key=AGAIN_BOX):
        st.warning(
            f"This session is already in your log: a session of {day} with the same "
            "exercises and pains was saved before. Save it a second time?",
            icon=":material/content_copy:",
        )
        yes, no = st.columns(2)
        again = yes.button("Save it again", key="log_duplicate_yes", width="stretch")
        dont = no.button("Don't save", type="primary", key="log_duplicate_no", width="stretch")
    return again, dont


#: Said when a session to delete or change was deleted in another tab or window.
GONE = (
    "That session was deleted in another tab or window, so nothing was changed. The "
    "history above shows your sessions as they are now."
)


def conflict_words(current: Session | None) -> str:
    """Why a change was not saved: the session changed elsewhere since Edit was clicked."""
    if current is None:
        return GONE
    label = session_label(current, load_pain_scale().zone_label)
    return (
        "Not saved: this session was changed in another tab or window after you opened "
        f"it. It is now: {label}. The history above shows it as it is; choose Edit to "
        "change it again from there."
    )
