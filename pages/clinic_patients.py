"""Patients (clinic mode, a physiotherapist's first page): who needs attention first.

The list is :meth:`~kneecore.clinic.accounts.Accounts.patients_of`: only patients who
entered this physiotherapist's invitation code, most in need first (plan paused, red
sessions, next-morning pain rising, no log for 7 days, not improving). Each reason is
shown as an icon and words, never colour alone; "Open" shows that patient. The page
also makes invitation codes.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kneecore.clinic.accounts import Account, show_code
from kneecore.clinic.attention import PatientStatus
from kneecore.words import format_day
from pages.clinic_common import CLINIC_VIEWING, clinic_accounts, signed_in_account
from pages.common import not_a_diagnosis
from pages.style import plain

#: session_state: the invitation code made last, shown until the next one.
NEW_CODE = "clinic_new_code"


def invite(me: Account) -> None:
    with st.expander("Invite a patient", icon=":material/person_add:"):
        st.write(
            "Make a code and give it to the patient. When they enter it on their "
            "Your physiotherapist page, they appear here. Each code works once."
        )
        if st.button("Make an invitation code", key="clinic_make_code"):
            st.session_state[NEW_CODE] = clinic_accounts().new_invitation(me.id)
        code = st.session_state.get(NEW_CODE)
        if code:
            st.code(show_code(code), language=None)


def last_log(status: PatientStatus, today: dt.date) -> str:
    if status.last_log is None:
        return "Nothing logged yet"
    return f"Last log {format_day(status.last_log, today)}"


def patient_row(account: Account, status: PatientStatus, today: dt.date) -> None:
    row = st.container(border=True)
    name, action = row.columns([4, 1], vertical_alignment="center")
    name.markdown(f"**{plain(account.display, 80)}**")
    reasons = status.reasons()
    if reasons:
        name.markdown(" · ".join(f"{r.icon} {r.label}" for r in reasons))
    else:
        name.markdown(":material/check_circle: Nothing needs attention")
    name.caption(last_log(status, today))
    if action.button(
        "Open",
        key=f"clinic_open_{account.id}",
        icon=":material/open_in_new:",
        help=f"Open {account.display}'s progress, report and notes",
    ):
        st.session_state[CLINIC_VIEWING] = account.id
        st.switch_page("pages/clinic_patient.py")


st.title("Patients")
me = signed_in_account()
today = dt.date.today()
invite(me)
patients = clinic_accounts().patients_of(me.id, today)
if not patients:
    st.info(
        "No patients yet: a patient appears here once they enter your invitation code.",
        icon=":material/groups:",
    )
else:
    waiting = sum(1 for _, s in patients if s.attention)
    st.caption(
        f"{len(patients)} patient{'s' if len(patients) != 1 else ''}; "
        f"{waiting} need{'s' if waiting == 1 else ''} attention. Most urgent first."
    )
    for account, status in patients:
        patient_row(account, status, today)
not_a_diagnosis()
