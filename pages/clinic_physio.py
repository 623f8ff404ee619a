"""Your physiotherapist (clinic mode, a patient's page): share your log, see who can.

The patient enters the code their physiotherapist gave them
(:meth:`~kneecore.clinic.accounts.Accounts.accept`); from then on that physiotherapist
can read (never change) their log and write notes. The page lists who follows them,
with a way to stop sharing, the notes written for them, and who looked at their data
when (the audit trail). Every decision is the core's; this page reads and shows.
"""

from __future__ import annotations

import streamlit as st

from kneecore.clinic.accounts import Account, InvitationError
from kneecore.words import format_date
from pages.clinic_common import clinic_accounts, signed_in_account
from pages.common import not_a_diagnosis
from pages.style import plain

#: session_state: what the last action did, shown once after its rerun.
FLASH = "clinic_physio_flash"
#: How many audit rows the page shows.
SHOWN_VIEWS = 20
WHAT = {
    "progress": "opened your progress",
    "report": "downloaded your PDF report",
    "note": "wrote you a note",
}


def enter_code(me: Account) -> None:
    st.header("Share your log with your physiotherapist")
    st.write(
        "Your physiotherapist gives you a code of 8 letters and digits. Once you enter "
        "it, they can **read** your sessions, runs, self-checks and progress and write "
        "you notes. They cannot change or delete anything."
    )
    with st.form("clinic_code_form", clear_on_submit=True, enter_to_submit=True):
        code = st.text_input("Invitation code", max_chars=20, placeholder="ABCD-EFGH")
        if st.form_submit_button("Share my log", type="primary", icon=":material/share:"):
            try:
                physio = clinic_accounts().accept(me.id, code)
            except InvitationError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            st.session_state[FLASH] = f"{physio.display} can now read your log."
            st.rerun()


def followers(me: Account) -> None:
    st.header("Who can read your log")
    linked = clinic_accounts().physios_of(me.id)
    if not linked:
        st.info("Nobody: your log is yours alone.", icon=":material/lock:")
        return
    for physio, since in linked:
        row = st.container(border=True)
        row.markdown(f"**{plain(physio.display, 80)}**")
        row.caption(
            f"Can read your log since {format_date(since.date())}; writes notes, changes nothing."
        )
        if row.button(
            f"Stop sharing with {physio.display}",
            key=f"clinic_stop_{physio.id}",
            icon=":material/block:",
        ):
            clinic_accounts().stop_sharing(me.id, physio.id)
            st.session_state[FLASH] = f"{physio.display} can no longer read your log."
            st.rerun()


def notes_for(me: Account) -> None:
    notes = clinic_accounts().notes_of(me, me.id)
    if not notes:
        return
    st.header("Notes from your physiotherapist")
    for note in notes:
        box = st.container(border=True)
        box.caption(f"{plain(note.physio, 80)}, {format_date(note.written_at.date())}")
        box.text(note.text)


def views_of(me: Account) -> None:
    st.header("Who looked at your data")
    views = clinic_accounts().audit_log(me, limit=SHOWN_VIEWS)
    if not views:
        st.caption("Nobody else has opened your data.")
        return
    st.caption(f"The latest {min(len(views), SHOWN_VIEWS)}, newest first.")
    st.markdown(
        "\n".join(
            f"- {format_date(v.at.date())} {v.at.astimezone():%H:%M}: "
            f"{plain(v.viewer, 80)} {WHAT.get(v.what, 'looked at ' + plain(v.what, 40))}"
            for v in views
        )
    )


st.title("Your physiotherapist")
me = signed_in_account()
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(plain(flash, 200), icon=":material/check_circle:")
enter_code(me)
followers(me)
notes_for(me)
views_of(me)
not_a_diagnosis()
