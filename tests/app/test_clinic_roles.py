"""Clinic mode's roles in the app (issue 16): a patient sees only their own data and
shares it by entering a code; a physiotherapist sees only patients who accepted, opens
them read-only (no log form; the store refuses writes), writes notes, and every view is
in the audit log.

Clinic mode is on when ``KNEE_DATABASE_URL`` is set (a fresh database on the test
session's real PostgreSQL server); signing in is ``AppTest.user``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kneecore.clinic.accounts import Account, Accounts, show_code
from kneecore.clinic.db import audit, engine_for
from kneecore.content import Library
from tests.app.helpers import (
    assert_no_exception,
    clinic_user,
    joined,
    open_clinic,
    session_doc,
    shown_text,
)

ANN = clinic_user("sub-ann", "ann@example.org", "Ann Example")
BOB = clinic_user("sub-bob", "bob@example.org", "Bob Other")
PHIL = clinic_user("sub-phil", "phil@example.org", "Phil Physio")


@pytest.fixture
def clinic(pg_url: str, monkeypatch: pytest.MonkeyPatch, library: Library) -> Accounts:
    monkeypatch.setenv("KNEE_DATABASE_URL", pg_url)
    return Accounts(engine_for(pg_url), exercise_ids=library.exercise_ids)


def sign_in(clinic: Accounts, user: dict[str, str]) -> Account:
    return clinic.sign_in(user["sub"], user["email"], user["name"])


@pytest.fixture
def people(clinic: Accounts) -> dict[str, Account]:
    """Ann and Bob, patients with data of their own; Phil, a physio Ann accepted."""
    clinic.make_physio("phil@example.org")
    ann, bob, phil = sign_in(clinic, ANN), sign_in(clinic, BOB), sign_in(clinic, PHIL)
    for who, name in ((ann, "Ann's own name"), (bob, "Bob's own name")):
        store = clinic.store_for(who, who.id)
        store.update_settings({"patient_name": name})
    clinic.store_for(ann, ann.id).add_session(session_doc(1, during=7))
    clinic.store_for(bob, bob.id).add_session(session_doc(2))
    clinic.accept(ann.id, clinic.new_invitation(phil.id))
    return {"ann": ann, "bob": bob, "phil": phil}


def audit_rows(clinic: Accounts) -> list[tuple[int, int, str]]:
    with clinic.engine.connect() as conn:
        rows = conn.execute(select(audit.c.viewer_id, audit.c.patient_id, audit.c.what))
        return [tuple(r) for r in rows]  # type: ignore[misc]


# -- patients ----------------------------------------------------------------------------


def test_a_patient_sees_only_their_own_data(clinic, people):
    at = open_clinic(ANN, "settings")
    assert_no_exception(at)
    names = [t.value for t in at.text_input]
    assert "Ann's own name" in names
    assert "Bob's own name" not in shown_text(at) and "Bob's own name" not in names
    at = open_clinic(BOB, "settings")
    assert "Bob's own name" in [t.value for t in at.text_input]
    assert "Ann's own name" not in shown_text(at)


def test_a_patient_saves_to_their_own_store_only(clinic, people):
    at = open_clinic(ANN, "settings")
    at.text_input(key="settings_patient_name").input("Ann Renamed")
    for button in at.button:
        if button.label.startswith("Save"):
            button.click()
            break
    assert_no_exception(at.run())
    ann, bob = people["ann"], people["bob"]
    assert clinic.store_for(ann, ann.id).settings().patient_name == "Ann Renamed"
    assert clinic.store_for(bob, bob.id).settings().patient_name == "Bob's own name"


def test_a_patient_shares_their_log_by_entering_a_code(clinic, people):
    bob, phil = people["bob"], people["phil"]
    code = clinic.new_invitation(phil.id)
    at = open_clinic(BOB, "clinic_physio")
    assert "Nobody: your log is yours alone." in joined(at.info)
    at.text_input[0].input(show_code(code).lower())
    at.button[0].click()  # the form's "Share my log"
    assert_no_exception(at.run())
    assert "Phil Physio can now read your log." in joined(at.success)
    assert "Phil Physio" in joined(at.markdown)
    assert clinic.follows(phil.id, bob.id)


def test_a_wrong_code_is_said_plainly_and_shares_nothing(clinic, people):
    at = open_clinic(BOB, "clinic_physio")
    at.text_input[0].input("ZZZZ-ZZZZ")
    at.button[0].click()
    assert_no_exception(at.run())
    assert "no invitation with the code ZZZZ-ZZZZ" in joined(at.error)
    assert clinic.physios_of(people["bob"].id) == []


def test_a_patient_sees_who_follows_them_their_notes_and_views_and_can_stop(clinic, people):
    ann, phil = people["ann"], people["phil"]
    clinic.add_note(phil.id, ann.id, "Slow step-downs this week.")
    at = open_clinic(ANN, "clinic_physio")
    assert_no_exception(at)
    assert "Slow step-downs this week." in [t.value for t in at.text]
    assert "Phil Physio wrote you a note" in joined(at.markdown)
    stop = next(b for b in at.button if b.label.startswith("Stop sharing"))
    stop.click()
    assert_no_exception(at.run())
    assert "no longer read your log" in joined(at.success)
    assert not clinic.follows(phil.id, ann.id)


# -- physiotherapists --------------------------------------------------------------------


def test_a_physio_sees_only_the_patients_who_accepted(clinic, people):
    at = open_clinic(PHIL)
    assert_no_exception(at)
    assert at.title[0].value == "Patients"
    shown = shown_text(at)
    assert "Ann Example" in shown and "Bob Other" not in shown
    # Her red session, in words with an icon (not colour alone).
    assert "1 red session" in joined(at.markdown)
    assert [b.label for b in at.button if b.label == "Open"] == ["Open"]


def test_a_physio_without_patients_is_told_how_they_come(clinic):
    clinic.make_physio("new@example.org")
    at = open_clinic(clinic_user("sub-new", "new@example.org", "New Physio"))
    assert "once they enter your invitation code" in joined(at.info)


def test_a_physio_makes_an_invitation_code(clinic, people):
    at = open_clinic(PHIL)
    next(b for b in at.button if b.label == "Make an invitation code").click()
    assert_no_exception(at.run())
    [code] = [c.value for c in at.code]
    bob = people["bob"]
    assert clinic.accept(bob.id, code).id == people["phil"].id


def test_opening_a_patient_records_the_view_and_shows_her_progress_read_only(clinic, people):
    ann, phil = people["ann"], people["phil"]
    at = open_clinic(PHIL)
    next(b for b in at.button if b.label == "Open").click()
    assert_no_exception(at.run())
    assert at.title[0].value == "Ann Example"
    assert "Read-only" in joined(at.caption)
    assert (phil.id, ann.id, "progress") in audit_rows(clinic)
    # No log form and no way to save a session: only the note form's button.
    labels = [b.label for b in at.button]
    assert not [label for label in labels if "session" in label.lower()]
    assert not at.number_input and not at.slider
    assert len(at.get("download_button")) == 1
    store = clinic.store_for(phil, ann.id)
    assert store.read_only


def test_a_physio_writes_a_note_the_patient_reads(clinic, people):
    ann, phil = people["ann"], people["phil"]
    at = open_clinic(PHIL)
    at.session_state["clinic_viewing"] = ann.id
    at.switch_page("pages/clinic_patient.py").run()
    at.text_area[0].input("Add two sets of bridges.")
    next(b for b in at.button if b.label == "Save note").click()
    assert_no_exception(at.run())
    assert "Note saved." in joined(at.success)
    assert [n.text for n in clinic.notes_of(ann, ann.id)] == ["Add two sets of bridges."]
    assert (phil.id, ann.id, "note") in audit_rows(clinic)


def test_a_physio_cannot_open_a_patient_who_did_not_accept(clinic, people):
    bob = people["bob"]
    at = open_clinic(PHIL)
    at.session_state["clinic_viewing"] = bob.id
    at.switch_page("pages/clinic_patient.py").run()
    assert_no_exception(at)
    assert "You cannot see this patient" in joined(at.error)
    shown = shown_text(at)
    assert "Bob Other" not in shown and "Bob's own name" not in shown
    assert not [r for r in audit_rows(clinic) if r[1] == bob.id]


def test_the_audit_log_lists_who_viewed_what(clinic, people):
    ann, phil = people["ann"], people["phil"]
    clinic.record_view(phil.id, ann.id, "progress")
    clinic.record_view(phil.id, ann.id, "report")
    at = open_clinic(PHIL)
    at.switch_page("pages/clinic_audit.py").run()
    assert_no_exception(at)
    [table] = at.dataframe
    rows = table.value
    assert list(rows["What"]) == ["PDF report", "Progress"]
    assert set(rows["Who"]) == {"Phil Physio"} and set(rows["Whose data"]) == {"Ann Example"}


@pytest.mark.parametrize("page", ["home", "log", "runs", "progress", "plan", "settings"])
def test_every_page_of_a_patient_with_data_opens_on_the_clinic_store(clinic, people, page):
    # Pages keyed their caches on the store's file, which a server store does not have.
    at = open_clinic(ANN, page)
    assert_no_exception(at)
    shown = shown_text(at)
    assert "Bob's own name" not in shown and "bob@example.org" not in shown


def test_the_patient_page_opened_with_no_patient_chosen_says_where_to_choose_one(clinic, people):
    at = open_clinic(PHIL, "clinic_patient")
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Patient"]
    assert "Open a patient on the Patients page first" in shown_text(at)
    assert "Ann's own name" not in shown_text(at)
