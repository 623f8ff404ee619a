"""Patient (clinic mode, a physiotherapist's page): one patient's progress, report, notes.

The patient is the one opened on the Patients page. The store is the one
:meth:`~kneecore.clinic.accounts.Accounts.store_for` hands a physiotherapist: read-only,
and only while the patient shares their log (checked on every run). The view is written
to the audit trail before anything of the patient's data is shown (once per patient in
:data:`RECORD_EVERY` of this session, so a click on a chart does not write a row). No
form here can change the patient's data; the one form writes a note.
"""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from kneecore.clinic.accounts import NOTE_MAX, Account
from kneecore.clinic.pgstore import PgStore
from kneecore.store import StoreError
from kneecore.words import format_date
from pages.clinic_common import CLINIC_VIEWING, clinic_accounts, clinic_store, signed_in_account
from pages.clinic_progress import report_button, show_progress
from pages.common import get_library, not_a_diagnosis, plan_status_now, show_store_error
from pages.pause import pause_box
from pages.style import plain

#: A view of the same thing of the same patient is recorded again after this long.
RECORD_EVERY = 600.0
#: session_state: (patient id, what) -> when this session last recorded that view.
RECORDED = "clinic_recorded"


def record(me: Account, patient_id: int, what: str) -> None:
    """Write the view to the audit trail (unless this session just did)."""
    seen: dict[tuple[int, str], float] = st.session_state.setdefault(RECORDED, {})
    now = time.monotonic()
    if now - seen.get((patient_id, what), -RECORD_EVERY) < RECORD_EVERY:
        return
    clinic_accounts().record_view(me.id, patient_id, what)
    seen[(patient_id, what)] = now


def open_store() -> tuple[int, PgStore] | None:
    """The opened patient's read-only store, or None (saying why)."""
    patient_id = st.session_state.get(CLINIC_VIEWING)
    if not isinstance(patient_id, int):
        st.title("Patient")
        st.info("Open a patient on the Patients page first.", icon=":material/groups:")
        st.page_link("pages/clinic_patients.py", label="Patients", icon=":material/groups:")
        return None
    try:
        return patient_id, clinic_store()
    except PermissionError:
        st.session_state.pop(CLINIC_VIEWING, None)
        st.title("Patient")
        st.error(
            "You cannot see this patient: they have not shared their log with you, or "
            "have stopped sharing it.",
            icon=":material/lock:",
        )
        return None


def heading(patient: Account | None, patient_id: int, today: dt.date) -> None:
    name = patient.display if patient else f"Account {patient_id}"
    st.title(plain(name, 80))
    st.caption("Read-only: you see what the patient logged and cannot change it.")
    status = clinic_accounts().status_of(patient_id, today)
    reasons = status.reasons()
    if reasons:
        st.markdown("\n".join(f"- {r.icon} **{r.label}**: {r.words}" for r in reasons))
    else:
        st.markdown(":material/check_circle: Nothing needs attention.")
    pause_box(plan_status_now())


def notes(me: Account, patient_id: int) -> None:
    st.header("Notes")
    st.caption("The patient can read your notes on their Your physiotherapist page.")
    with st.form("clinic_note_form", clear_on_submit=True):
        text = st.text_area("New note", max_chars=NOTE_MAX, height=120)
        if st.form_submit_button("Save note", icon=":material/note_add:"):
            try:
                clinic_accounts().add_note(me.id, patient_id, text)
            except (ValueError, PermissionError) as exc:
                st.error(str(exc), icon=":material/error:")
            else:
                st.success("Note saved.", icon=":material/check_circle:")
    for note in clinic_accounts().notes_of(me, patient_id):
        box = st.container(border=True)
        box.caption(f"{format_date(note.written_at.date())}, {plain(note.physio, 80)}")
        box.text(note.text)


me = signed_in_account()
today = dt.date.today()
opened = open_store()
if opened is not None:
    patient_id, store = opened
    record(me, patient_id, "progress")
    try:
        heading(clinic_accounts().get(patient_id), patient_id, today)
        show_progress(store, today)
        st.header("Report")
        report_button(
            store,
            get_library(),
            lambda: clinic_accounts().record_view(me.id, patient_id, "report"),
        )
    except StoreError as err:
        show_store_error(err)
    notes(me, patient_id)
not_a_diagnosis()
