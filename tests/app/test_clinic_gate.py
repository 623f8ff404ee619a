"""Clinic mode's gate (issue 16): nothing is shown before login, at any address; the
clinic's server and its password never appear on a page; one-person mode keeps its
token gate even for a browser that is signed in somewhere.

Clinic mode is on when ``KNEE_DATABASE_URL`` is set (here: a fresh database on the test
session's real PostgreSQL server). Signing in is ``AppTest.user``.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from kneecore.clinic.accounts import Accounts
from kneecore.clinic.db import engine_for
from kneecore.content import Library
from tests.app.helpers import (
    APP,
    assert_no_exception,
    clinic_user,
    joined,
    open_clinic,
    session_doc,
    shown_text,
)

SECRET_NOTE = "private note about my left knee"
#: Pages of either role that show the patient's data: (who opens it, the page).
ADDRESSES = [
    ("patient", "settings"),
    ("patient", "runs"),
    ("patient", "clinic_physio"),
    ("physio", None),
    ("physio", "clinic_patient"),
    ("physio", "clinic_audit"),
]
ANN = clinic_user("sub-ann", "ann@example.org", "Ann Example")
PHIL = clinic_user("sub-phil", "phil@example.org", "Phil Physio")
LOGGED_OUT = {"is_logged_in": False}
RUN_NOTE = "run along the canal, knee fine"
#: What of Ann's data one page or another shows (her name, a note, her physio, a run).
MARKERS = ("Ann Example", "keep going", "Phil Physio", RUN_NOTE, SECRET_NOTE)


@pytest.fixture
def clinic(pg_url: str, monkeypatch: pytest.MonkeyPatch, library: Library) -> Accounts:
    monkeypatch.setenv("KNEE_DATABASE_URL", pg_url)
    return Accounts(engine_for(pg_url), exercise_ids=library.exercise_ids)


@pytest.fixture
def ann(clinic: Accounts) -> int:
    """A patient with a session whose note must never show before login."""
    account = clinic.sign_in("sub-ann", "ann@example.org", "Ann Example")
    clinic.store_for(account, account.id).add_session(session_doc(1, notes=SECRET_NOTE))
    return account.id


def only_the_sign_in(at: AppTest) -> None:
    assert_no_exception(at)
    assert [t.value for t in at.title] == ["Kneecare"]
    assert [b.label for b in at.button] == ["Sign in"]
    shown = shown_text(at)
    assert SECRET_NOTE not in shown and "Ann Example" not in shown
    assert "diagnos" in shown.lower(), "the safety line is there"
    assert not at.text_input and not at.text_area and not at.sidebar.children


def test_before_sign_in_the_app_shows_only_the_sign_in(clinic, ann):
    only_the_sign_in(open_clinic(None))


@pytest.mark.parametrize(("role", "address"), ADDRESSES)
def test_a_page_run_after_signing_out_shows_no_data(clinic, ann, role, address):
    """The router stops a signed-out session before any page. AppTest reruns a page
    without the router once it is open, so this checks the second line: a page reached
    without a sign-in (signed out, cookie expired) shows none of the patient's data."""
    clinic.make_physio("phil@example.org")
    physio = clinic.sign_in("sub-phil", "phil@example.org", "Phil Physio")
    clinic.accept(ann, clinic.new_invitation(physio.id))
    clinic.add_note(physio.id, ann, "Ann's knee: keep going")
    own = clinic.store_for(clinic.get(ann), ann)
    own.update_settings({"patient_name": "Ann Example"})
    own.add_run(
        {
            "date": dt.date.today() - dt.timedelta(days=2),
            "run_min": 12,
            "total_min": 12,
            "pain_before": 1,
            "pain_during": 2,
            "notes": RUN_NOTE,
        }
    )
    at = open_clinic(ANN if role == "patient" else PHIL, address)
    if role == "physio":
        at.session_state["clinic_viewing"] = ann
    assert_no_exception(at.run())
    assert any(m in shown_text(at) for m in MARKERS), "signed in, the page shows her data"
    at.user = dict(LOGGED_OUT)
    shown = shown_text(at.run())
    assert not [m for m in MARKERS if m in shown]
    # Signed in as someone else in the same browser session: nothing of hers either.
    at.user = clinic_user("sub-eve", "eve@example.org", "Eve")
    shown = shown_text(at.run())
    assert not [m for m in MARKERS if m in shown]


def test_without_the_auth_section_the_page_says_signing_in_is_not_set_up(clinic):
    at = open_clinic(None, auth=False)
    assert_no_exception(at)
    assert "not set up" in joined(at.warning)
    assert not at.button


def test_after_sign_in_a_new_person_is_a_patient_on_today(clinic):
    at = open_clinic(clinic_user("sub-new", "new@example.org", "New Person"))
    assert_no_exception(at)
    assert at.title[0].value == "Today"
    assert "New Person (patient)" in joined(at.sidebar.caption)
    assert "Sign out" in [b.label for b in at.sidebar.button]
    made = clinic.sign_in("sub-new", "new@example.org", "New Person")
    assert made.role == "patient"


def test_a_physio_lands_on_patients(clinic):
    clinic.make_physio("phil@example.org")
    at = open_clinic(clinic_user("sub-phil", "phil@example.org", "Phil Physio"))
    assert_no_exception(at)
    assert at.title[0].value == "Patients"
    assert "Phil Physio (physiotherapist)" in joined(at.sidebar.caption)


def test_the_database_password_never_shows(clinic, ann, pg_url):
    password = make_url(pg_url).password
    assert password
    for page in (None, "clinic_physio", "settings", "runs", "about"):
        at = open_clinic(ANN, page)
        assert password not in shown_text(at), page


def test_an_unreachable_server_is_said_plainly_without_its_address_or_password(
    monkeypatch, library, caplog, capfd
):
    url = "postgresql://kneecare:Sup3rSecretPw@127.0.0.1:9/kneecare"
    monkeypatch.setenv("KNEE_DATABASE_URL", url)
    caplog.set_level(logging.DEBUG)
    at = open_clinic(clinic_user("sub-ann", "ann@example.org", "Ann"), timeout=60)
    assert_no_exception(at)
    assert "cannot be reached" in joined(at.error)
    shown = shown_text(at)
    assert "Sup3rSecretPw" not in shown and "127.0.0.1" not in shown
    assert not at.sidebar.children
    # Nor in the server's log or output.
    out, err = capfd.readouterr()
    assert "Sup3rSecretPw" not in caplog.text + out + err


def test_one_person_mode_keeps_its_token_gate_for_a_signed_in_browser(store, monkeypatch):
    monkeypatch.delenv("KNEE_DATABASE_URL", raising=False)
    store.add_session(session_doc(1, notes=SECRET_NOTE))
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = clinic_user("sub-ann", "ann@example.org", "Ann")
    at.run()
    assert "opens only with its link" in joined(at.warning)
    assert SECRET_NOTE not in shown_text(at)


def test_today_is_not_in_the_future_for_the_seeded_session():
    # The seeded session is a day old, so the store accepts it in every time zone.
    assert session_doc(1)["date"] < dt.date.today()
