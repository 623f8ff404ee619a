"""Audit log (clinic mode, a physiotherapist's page): who viewed whose data, and when.

The rows are :meth:`~kneecore.clinic.accounts.Accounts.audit_log`'s: every view of the
patients who shared their log with this physiotherapist (by anyone), and every view
this physiotherapist made, newest first. The trail is append-only on the server.
"""

from __future__ import annotations

import streamlit as st

from kneecore.clinic.accounts import AUDIT_LIMIT
from pages.clinic_common import clinic_accounts, signed_in_account
from pages.common import not_a_diagnosis

WHAT = {"progress": "Progress", "report": "PDF report", "note": "Note written"}

st.title("Audit log")
me = signed_in_account()
entries = clinic_accounts().audit_log(me)
if not entries:
    st.info("Nothing recorded yet.", icon=":material/history:")
else:
    st.caption(f"The latest {len(entries)} (up to {AUDIT_LIMIT}), newest first.")
    st.dataframe(
        [
            {
                "When": e.at.astimezone().replace(tzinfo=None),
                "Who": e.viewer,
                "Whose data": e.patient,
                "What": WHAT.get(e.what, e.what),
            }
            for e in entries
        ],
        hide_index=True,
        width="stretch",
        column_config={"When": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")},
    )
not_a_diagnosis()
