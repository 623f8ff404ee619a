"""Export (JSON, CSV) and import: the contract format, round trips, all-or-nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest

from kneecore.demo import generate_history
from kneecore.export import CSV_COLUMNS, RUN_CSV_COLUMNS, runs_csv, safe_cell, sessions_csv
from kneecore.store import MAX_IMPORT_BYTES, SCHEMA_VERSION, InvalidImport, Store

TODAY = dt.date.today()


@pytest.fixture
def history(library) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return generate_history(60, sessions_per_week=4, library=library)


def _without_time(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def test_the_export_has_the_contract_fields(store, history):
    store.import_json(json.dumps(history))
    doc = json.loads(store.export_json())
    assert doc["schema_version"] == SCHEMA_VERSION
    dt.datetime.fromisoformat(doc["exported_at"])
    assert len(doc["sessions"]) == len(history["sessions"])
    assert len(doc["selfchecks"]) == len(history["selfchecks"])
    assert [p["phase"] for p in doc["phases"]] == [1, 2, 3]
    assert doc["settings"]["units"] == "kg"
    assert store.export_data()["sessions"] == doc["sessions"]


def test_export_then_import_into_an_empty_store_then_export_gives_the_same_data(
    store, history, data_dir, library
):
    store.import_json(json.dumps(history))
    store.update_settings({"units": "lb", "reminder_days": [1, 3]})
    first = store.export_json()
    other = Store(data_dir / "other.json", exercise_ids=library.exercise_ids)
    summary = other.import_json(first)
    assert summary.added["sessions"] == len(history["sessions"])
    assert summary.settings_imported
    assert _without_time(json.loads(other.export_json())) == _without_time(json.loads(first))


def test_importing_twice_skips_what_is_already_there(store, history):
    store.import_json(json.dumps(history))
    again = store.import_json(json.dumps(history))
    assert again.total_added == 0
    assert again.skipped["sessions"] == len(history["sessions"])
    assert "skipped" in again.describe()
    assert len(store.sessions()) == len(history["sessions"])


def test_a_preview_reports_what_an_import_would_do_without_writing(store, history):
    preview = store.preview_import(json.dumps(history))
    assert preview.added["sessions"] == len(history["sessions"])
    assert not store.path.exists()


def _bad(history: dict[str, Any], index: int, **changes: Any) -> str:
    doc = json.loads(json.dumps(history))
    doc["sessions"][index].update(changes)
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"pain_during": 12}, "sessions item 6, field 'pain_during'"),
        ({"date": (TODAY + dt.timedelta(days=3)).isoformat()}, "future"),
        ({"surprise": 1}, "not expected"),
        ({"pain_before": "2"}, "valid integer"),
        ({"exercises": [{"exercise_id": "moonwalk", "sets": 1, "reps": [1]}]}, "moonwalk"),
    ],
)
def test_one_bad_session_means_nothing_is_imported(store, history, changes, words):
    store.add_session(history["sessions"][0])
    before = store.path.read_bytes()
    with pytest.raises(InvalidImport, match=words):
        store.import_json(_bad(history, 5, **changes))
    assert store.path.read_bytes() == before


def test_nan_in_an_import_is_refused_even_as_a_bare_token(store, history):
    text = json.dumps(history).replace('"load_kg": null', '"load_kg": NaN', 1)
    assert "NaN" in text
    with pytest.raises(InvalidImport, match="NaN"):
        store.import_json(text)
    assert not store.path.exists()


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "not complete"),
        ("[]", "not a valid Kneecare export"),
        ('{"schema_version": 1, "extra": []}', "not expected"),
        ('{"schema_version": 99}', "newer version"),
        ('{"schema_version": true}', "not a valid"),
        ('{"sessions": []}', "schema_version"),
    ],
)
def test_files_that_are_not_exports_are_refused_in_plain_words(store, text, words):
    with pytest.raises(InvalidImport, match=words):
        store.import_json(text)
    assert not store.path.exists()


def test_a_file_listing_the_same_session_twice_is_refused(store, history):
    doc = dict(history, sessions=[history["sessions"][0]] * 2)
    with pytest.raises(InvalidImport, match="same session id twice"):
        store.import_json(json.dumps(doc))


def test_an_import_over_the_size_limit_is_refused_before_parsing(store):
    with pytest.raises(InvalidImport, match="too big"):
        store.import_json(b" " * (MAX_IMPORT_BYTES + 1))


def test_csv_has_one_row_per_exercise_with_the_session_fields(store, history, library):
    store.import_json(json.dumps(history))
    names = {e.id: e.name for e in library.exercises}
    rows = list(csv.DictReader(io.StringIO(store.export_csv(names))))
    sessions = store.sessions()
    assert len(rows) == sum(len(s.exercises) for s in sessions)
    assert list(rows[0]) == CSV_COLUMNS
    first = sessions[0]
    assert rows[0]["session_id"] == first.id
    assert rows[0]["date"] == first.date.isoformat()
    assert rows[0]["pain_during"] == str(first.pain_during)
    assert rows[0]["exercise_name"] == names[first.exercises[0].exercise_id]
    assert rows[0]["reps"] == ";".join(str(r) for r in first.exercises[0].reps)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(store, history, start):
    note = f'{start}HYPERLINK("http://example.com","click")'
    session = dict(history["sessions"][0], notes=note)
    store.add_session(session)
    text = sessions_csv(store.sessions())
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["notes"] == "'" + note
    assert safe_cell("fine") == "fine" and safe_cell(3) == "3" and safe_cell(None) == ""


def test_the_import_summary_reads_as_plain_english():
    from kneecore.store import ImportSummary

    summary = ImportSummary(
        added={"sessions": 12, "selfchecks": 0, "phases": 1},
        skipped={"sessions": 1, "selfchecks": 0, "phases": 0},
    )
    assert summary.describe() == (
        "Added 12 sessions and 1 phase change; skipped 1 session already present."
    )
    assert summary.describe(preview=True) == (
        "Importing it will add 12 sessions and 1 phase change and skip 1 session you already have."
    )
    assert ImportSummary().describe() == "Added nothing new."


# -- version 2: clearances and kept warning records ------------------------------------


def _with_clearance(store: Store) -> None:
    deleted = store.add_selfcheck(
        {"urgency": "emergency", "red_flags": ["calf_swelling"], "date": TODAY}
    )
    store.delete_selfcheck(deleted)  # leaves a warning record
    store.add_selfcheck({"urgency": "gp_soon", "red_flags": ["locking"], "date": TODAY})
    store.add_clearance(TODAY, note="GP: fine to exercise")


def test_clearances_and_warning_records_are_exported_and_round_trip(store, data_dir, library):
    _with_clearance(store)
    first = store.export_json()
    doc = json.loads(first)
    (clearance,) = doc["clearances"]
    assert (
        clearance["examined"] == TODAY.isoformat() and clearance["note"] == "GP: fine to exercise"
    )
    assert sorted(clearance["covers"]) == ["calf_swelling", "locking"]
    assert [r["red_flags"] for r in doc["warning_records"]] == [["calf_swelling"]]
    other = Store(data_dir / "other.json", exercise_ids=library.exercise_ids)
    summary = other.import_json(first)
    assert summary.added["clearances"] == 1 and summary.added["warning_records"] == 1
    assert "1 clearance" in summary.describe()
    assert _without_time(json.loads(other.export_json())) == _without_time(doc)


def test_importing_clearances_twice_skips_them(store):
    _with_clearance(store)
    again = store.import_json(store.export_json())
    assert again.total_added == 0
    assert again.skipped["clearances"] == 1
    assert "skipped 1 self-check, 1 clearance and 1 warning record" in again.describe()


def test_a_version_1_export_still_imports(store, history):
    doc = dict(history, schema_version=1)
    for check in doc["selfchecks"]:
        check.pop("signs", None), check.pop("practice", None)
    summary = store.import_json(json.dumps(doc))
    assert summary.added["selfchecks"] == len(history["selfchecks"])


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"examined": (TODAY + dt.timedelta(days=2)).isoformat()}, "after the day it was"),
        ({"recorded": (TODAY + dt.timedelta(days=3)).isoformat()}, "future"),
        ({"note": "x" * 2001}, "clearances item 1, field 'note'"),
        ({"covers": "locking"}, "clearances item 1, field 'covers'"),
    ],
)
def test_a_bad_clearance_means_nothing_is_imported(store, history, changes, words):
    _with_clearance(store)
    doc = json.loads(store.export_json())
    doc["clearances"][0].update(changes, id="another")
    before = store.path.read_bytes()
    with pytest.raises(InvalidImport, match=words):
        store.import_json(json.dumps(doc))
    assert store.path.read_bytes() == before


def test_a_file_listing_the_same_clearance_twice_is_refused(store):
    _with_clearance(store)
    doc = json.loads(store.export_json())
    doc["clearances"] *= 2
    with pytest.raises(InvalidImport, match="same clearance id twice"):
        store.import_json(json.dumps(doc))


# -- version 3: runs -------------------------------------------------------------------


def _run(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY,
        "level": 3,
        "run_min": 18,
        "walk_min": 12,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 2,
    }
    return {**data, **changes}


def test_the_runs_csv_has_one_row_per_run_with_every_field(store):
    store.add_run(_run(date=TODAY - dt.timedelta(days=1), distance_km=4.5, pain_1h=1))
    store.add_run(_run(level=None, surface="trail", downhill=True))
    rows = list(csv.DictReader(io.StringIO(runs_csv(store.runs()))))
    assert list(rows[0]) == RUN_CSV_COLUMNS
    first, free = rows
    assert first["run_id"] == store.runs()[0].id
    assert first["date"] == (TODAY - dt.timedelta(days=1)).isoformat()
    assert (first["level"], first["distance_km"], first["pain_1h"]) == ("3", "4.5", "1")
    # Not entered is empty, never 0; a free run has no level.
    assert first["pain_next_morning"] == "" and free["level"] == ""
    assert (free["surface"], free["downhill"], free["limp"]) == ("trail", "yes", "no")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_runs_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(store, start):
    text = f'{start}HYPERLINK("http://example.com","click")'
    store.add_run(_run(notes=text, shoes=text))
    row = next(csv.DictReader(io.StringIO(runs_csv(store.runs()))))
    assert row["notes"] == row["shoes"] == "'" + text


def test_the_runs_csv_of_no_runs_is_the_header_alone():
    assert runs_csv([]) == ",".join(RUN_CSV_COLUMNS) + "\r\n"
