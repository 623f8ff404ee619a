"""Widgets of the log page's history: the table of past sessions and the question
asked before one is deleted.

Not a page. These functions only draw and return what was clicked; the history's rows
come from ``kneecore.tracker`` and ``pages/log.py`` keeps the state and the store.
Widget keys start with ``log_`` (the tests select by them; keep them stable).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

__all__ = ["confirm_delete", "history_table"]


def history_table(rows: Sequence[Mapping[str, Any]]) -> None:
    """The history rows (``tracker.history_rows``) as a table fit for a phone."""
    # The zone column carries a coloured icon and a word (never colour alone). A
    # pandas Styler for cell backgrounds cost more than the rest of the page together.
    st.dataframe(
        pd.DataFrame([{k: v for k, v in r.items() if k != "id"} for r in rows]),
        hide_index=True,
        # Fixed narrow widths (pixels), so the date, zone and all four pain scores fit
        # a 390 px phone screen; the exercises column follows on a sideways swipe.
        column_config={
            "Date": st.column_config.DateColumn("Date", format="D MMM YYYY", width=84),
            "Zone": st.column_config.Column(
                "Zone", width=68, help="Green so far: green until next-morning pain is in"
            ),
            **{
                name: st.column_config.Column(name, width=50)
                for name in ("Before", "During", "After")
            },
            "Next morning": st.column_config.Column(
                "Morning", width=50, help="Pain the next morning (— not entered yet)"
            ),
        },
    )


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
