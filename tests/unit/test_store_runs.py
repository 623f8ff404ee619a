"""The run log in the store: add, list, change, delete, export and import (version 3)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from pydantic import ValidationError

from kneecore.models import Run
from kneecore.store import SCHEMA_VERSION, InvalidImport, Store, StoreConflict

TODAY = dt.date.today()


def run(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY,
        "level": 2,
        "run_min": 12,
        "walk_min": 18,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 2,
    }
    data.update(changes)
    return data


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_runs_come_back_oldest_first_same_day_runs_in_the_order_added(user_store):
    second = user_store.add_run(run(notes="second"))
    early = user_store.add_run(run(date=days_ago(3)))
    third = user_store.add_run(run(notes="third"))
    assert [r.id for r in user_store.runs()] == [early, second, third]
    assert isinstance(user_store.runs()[0], Run)


def test_a_run_is_kept_and_read_back_by_another_store(user_store, reopen):
    rid = user_store.add_run(run(distance_km=3.2, cadence_spm=168.0, surface="path", source="gpx"))
    fresh = reopen(user_store, exercise_ids=set())
    (back,) = fresh.runs()
    assert back.id == rid and back.distance_km == 3.2 and back.source == "gpx"
    assert back.level == 2 and back.pain_next_morning is None and not back.limp


def test_a_free_run_has_no_level_and_walk_minutes_default_to_none_walked(user_store):
    user_store.add_run({k: v for k, v in run(level=None).items() if k != "walk_min"})
    (back,) = user_store.runs()
    assert back.level is None and back.walk_min == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": 0}, "level"),
        ({"level": 10}, "level"),
        ({"pain_during": 11}, "pain_during"),
        ({"pain_1h": -1}, "pain_1h"),
        ({"effort": 11}, "effort"),
        ({"date": TODAY + dt.timedelta(days=1)}, "future"),
        ({"date": 20250101}, "date"),
        ({"total_min": 0}, "total_min"),
        ({"walk_min": 20}, "total_min"),
        ({"distance_km": 0}, "distance_km"),
        ({"surface": "lava"}, "surface"),
        ({"source": "strava"}, "source"),
        ({"notes": "x" * 2001}, "notes"),
        ({"shoes": "x" * 201}, "shoes"),
        ({"pain_before": "1"}, "pain_before"),
        ({"surprise": True}, "surprise"),
    ],
)
def test_an_invalid_run_is_refused_and_nothing_is_written(user_store, changes, field):
    empty = user_store.revision()
    with pytest.raises((ValidationError, ValueError), match=field):
        user_store.add_run(run(**changes))
    assert user_store.revision() == empty and user_store.runs() == []


def test_a_minute_of_rounding_between_the_parts_and_the_total_is_allowed(user_store):
    user_store.add_run(run(walk_min=19, total_min=30))
    with pytest.raises(ValidationError, match="total_min"):
        user_store.add_run(run(walk_min=19.6, total_min=30.5))


def test_adding_a_run_with_an_id_already_there_is_refused(user_store):
    rid = user_store.add_run(run())
    with pytest.raises(ValueError, match="already exists"):
        user_store.add_run(run(id=rid))


def test_next_morning_pain_is_added_later_with_update_run(user_store):
    rid = user_store.add_run(run())
    changed = user_store.update_run(rid, {"pain_next_morning": 2})
    assert changed.pain_next_morning == 2 and changed.id == rid
    assert user_store.runs() == [changed]


def test_an_update_that_makes_a_run_invalid_writes_nothing(user_store, saved_state):
    rid = user_store.add_run(run())
    before = saved_state(user_store)
    with pytest.raises(ValidationError):
        user_store.update_run(rid, {"pain_during": 12})
    assert saved_state(user_store) == before


def test_updating_or_deleting_a_run_that_is_not_there_is_a_key_error(user_store):
    with pytest.raises(KeyError):
        user_store.update_run("nope", {"pain_during": 1})
    with pytest.raises(KeyError):
        user_store.delete_run("nope")


def test_an_edit_from_a_stale_copy_is_refused_and_shows_the_run_as_it_is_now(user_store):
    rid = user_store.add_run(run())
    (opened,) = user_store.runs()
    newer = user_store.update_run(rid, {"pain_1h": 1})
    with pytest.raises(StoreConflict) as info:
        user_store.update_run(rid, {"notes": "mine"}, expected=opened)
    assert info.value.current == newer
    assert user_store.runs() == [newer]


def test_an_edit_with_the_run_as_stored_goes_through(user_store):
    rid = user_store.add_run(run())
    (opened,) = user_store.runs()
    assert user_store.update_run(rid, {"notes": "easy"}, expected=opened).notes == "easy"


def test_an_edit_of_a_run_deleted_meanwhile_is_a_conflict_not_a_silent_add(user_store):
    rid = user_store.add_run(run())
    (opened,) = user_store.runs()
    user_store.delete_run(rid)
    with pytest.raises(StoreConflict, match="deleted"):
        user_store.update_run(rid, {"notes": "mine"}, expected=opened)
    assert user_store.runs() == []


def test_a_deleted_run_is_returned_so_it_can_be_added_back(user_store):
    rid = user_store.add_run(run())
    gone = user_store.delete_run(rid)
    assert user_store.runs() == []
    assert user_store.add_run(gone) == rid
    assert [r.id for r in user_store.runs()] == [rid]


# -- the export and the import -----------------------------------------------------


def test_runs_are_in_the_export_and_round_trip_into_an_empty_store(user_store, new_store):
    user_store.add_run(run(date=days_ago(2), distance_km=4.0))
    user_store.add_run(run(level=None, notes="=SUM(A1)"))
    first = user_store.export_json()
    doc = json.loads(first)
    assert doc["schema_version"] == SCHEMA_VERSION == 4
    assert [r["date"] for r in doc["runs"]] == [days_ago(2).isoformat(), TODAY.isoformat()]
    other = new_store(user_store, exercise_ids=set())
    summary = other.import_json(first)
    assert summary.added["runs"] == 2
    again = {k: v for k, v in json.loads(other.export_json()).items() if k != "exported_at"}
    assert again == {k: v for k, v in doc.items() if k != "exported_at"}


def test_importing_runs_twice_skips_them_by_id(user_store):
    user_store.add_run(run())
    again = user_store.import_json(user_store.export_json())
    assert again.added["runs"] == 0 and again.skipped["runs"] == 1
    assert len(user_store.runs()) == 1


def test_one_bad_run_means_nothing_is_imported(user_store, saved_state):
    user_store.add_run(run())
    doc = json.loads(user_store.export_json())
    doc["runs"].append(dict(doc["runs"][0], id="other", pain_during=11))
    doc["sessions"] = []
    before = saved_state(user_store)
    with pytest.raises(InvalidImport, match="runs item 2, field 'pain_during'"):
        user_store.import_json(json.dumps(doc))
    assert saved_state(user_store) == before


def test_a_file_listing_the_same_run_twice_is_refused(user_store):
    user_store.add_run(run())
    doc = json.loads(user_store.export_json())
    doc["runs"] *= 2
    with pytest.raises(InvalidImport, match="same run id twice"):
        user_store.import_json(json.dumps(doc))


def test_an_export_with_only_runs_is_an_export(user_store, new_store):
    user_store.add_run(run())
    text = json.dumps(
        {"schema_version": SCHEMA_VERSION, "runs": json.loads(user_store.export_json())["runs"]}
    )
    other = new_store(user_store, exercise_ids=set())
    assert other.import_json(text).added["runs"] == 1


def test_a_version_2_export_without_runs_still_imports(user_store):
    text = json.dumps({"schema_version": 2, "sessions": [], "clearances": []})
    summary = user_store.import_json(text)
    assert summary.total_added == 0 and user_store.runs() == []


def test_a_version_2_store_without_runs_opens_and_is_saved_as_the_current_version(store, ex_id):
    store.add_clearance(TODAY)
    doc = json.loads(store.path.read_text())
    doc["_meta"] = {"1": {"schema_version": 2}}
    doc.pop("runs", None)
    store.path.write_text(json.dumps(doc))
    fresh = Store(store.path, exercise_ids={ex_id})
    assert fresh.runs() == [] and len(fresh.clearances()) == 1
    fresh.add_run(run())
    saved = json.loads(store.path.read_text())
    assert saved["_meta"]["1"]["schema_version"] == SCHEMA_VERSION and len(saved["runs"]) == 1
    kept = store.path.parent / "backups" / "knee-data-before-migration-from-v2.json"
    assert json.loads(kept.read_text())["_meta"]["1"]["schema_version"] == 2


@pytest.fixture
def ex_id(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def test_an_import_of_runs_alone_says_how_many_runs_it_adds(user_store, new_store):
    source = new_store(user_store, exercise_ids=None)
    source.add_run(run())
    target = new_store(user_store, exercise_ids=None)
    summary = target.import_json(source.export_json())
    assert "1 run" in summary.describe(), summary.describe()


def test_a_version_3_store_opens_as_it_is_and_a_run_may_then_carry_its_start(store):
    store.add_run(run())
    doc = json.loads(store.path.read_text())
    doc["_meta"] = {"1": {"schema_version": 3}}
    store.path.write_text(json.dumps(doc))
    fresh = Store(store.path, exercise_ids=set())
    assert fresh.runs()[0].started_at is None
    start = dt.datetime.combine(TODAY, dt.time(7, 5), tzinfo=dt.UTC)
    fresh.add_run(run(started_at=start, source="gpx"))
    saved = json.loads(store.path.read_text())
    assert saved["_meta"]["1"]["schema_version"] == SCHEMA_VERSION == 4
    assert Store(store.path, exercise_ids=set()).runs()[-1].started_at == start
