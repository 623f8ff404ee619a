"""Moving in (issue 16): a patient imports the export of the one-person app into their
clinic account on the Your data page, and exports it again with nothing lost."""

from __future__ import annotations

import json

import pytest

from kneecore.clinic.accounts import Accounts
from kneecore.clinic.db import engine_for
from kneecore.content import Library
from kneecore.demo import generate_history
from kneecore.store import Store
from tests.app.helpers import assert_no_exception, clinic_user, open_clinic, shown_text

ANN = clinic_user("sub-ann", "ann@example.org", "Ann Example")
BOB = clinic_user("sub-bob", "bob@example.org", "Bob Other")


@pytest.fixture
def clinic(pg_url: str, monkeypatch: pytest.MonkeyPatch, library: Library) -> Accounts:
    monkeypatch.setenv("KNEE_DATABASE_URL", pg_url)
    return Accounts(engine_for(pg_url), exercise_ids=library.exercise_ids)


def local_export(store: Store, library: Library) -> str:
    """What the one-person app's Download all my data gives: sessions, checks, runs..."""
    store.import_json(json.dumps(generate_history(60, sessions_per_week=3, library=library)))
    store.update_settings({"patient_name": "Ann Example", "units": "lb"})
    return store.export_json()


def without_export_date(text: str) -> dict[str, object]:
    data = json.loads(text)
    data.pop("exported_at", None)
    return data


def test_a_local_export_moves_into_the_clinic_account_and_back_out_unchanged(
    clinic, store, library
):
    exported = local_export(store, library)
    at = open_clinic(ANN, "clinic_my_data")
    assert_no_exception(at)
    at.file_uploader[0].set_value(("mine.json", exported.encode(), "application/json"))
    at.run()
    assert "is valid" in shown_text(at)
    at.button(key="import_go").click().run()
    assert_no_exception(at)
    assert "Import done" in shown_text(at)

    ann = clinic.sign_in(ANN["sub"], ANN["email"], ANN["name"])
    server = clinic.store_for(ann, ann.id)
    assert len(server.sessions()) == len(store.sessions()) > 0
    assert without_export_date(server.export_json()) == without_export_date(exported)


def test_what_one_patient_imports_is_not_in_another_patients_data(clinic, store, library):
    exported = local_export(store, library)
    at = open_clinic(ANN, "clinic_my_data")
    at.file_uploader[0].set_value(("mine.json", exported.encode(), "application/json"))
    at.run()
    at.button(key="import_go").click().run()
    at = open_clinic(BOB, "clinic_my_data")
    assert_no_exception(at)
    sessions = [m for m in at.metric if m.label == "Sessions logged"]
    assert sessions and sessions[0].value == "0"


def test_a_bad_file_imports_nothing_into_the_clinic_account(clinic, store, library):
    exported = local_export(store, library).replace('"pain_during": ', '"pain_during": 1', 1)
    at = open_clinic(ANN, "clinic_my_data")
    at.file_uploader[0].set_value(("bad.json", exported.encode(), "application/json"))
    at.run()
    assert_no_exception(at)
    assert at.error and "Nothing was imported" in at.error[0].value
    ann = clinic.sign_in(ANN["sub"], ANN["email"], ANN["name"])
    assert clinic.store_for(ann, ann.id).sessions() == []
