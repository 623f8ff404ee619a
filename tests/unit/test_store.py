"""The store's API: sessions, self-checks, phases, settings, validation, paths."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from tinydb import TinyDB

import kneecore.storefile as store_mod
from kneecore.models import Session
from kneecore.store import (
    SCHEMA_VERSION,
    Store,
    StoreError,
    UserStore,
    default_data_dir,
    default_store_path,
)

TODAY = dt.date.today()


def session(exercise_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 2, "reps": [10, 8], "hold_s": 5.0}],
        "pain_before": 1,
        "pain_during": 3,
        "pain_after": 2,
    }
    data.update(changes)
    return data


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def test_a_new_store_is_empty_with_default_settings(user_store):
    assert user_store.sessions() == [] and user_store.runs() == []
    assert user_store.selfchecks() == [] and user_store.clearances() == []
    assert user_store.current_phase() is None
    assert user_store.settings().units == "kg"
    assert user_store.counts() == {"sessions": 0, "selfchecks": 0, "clearances": 0, "runs": 0}


def test_a_missing_file_is_an_empty_store_and_reading_creates_no_file(store):
    assert store.sessions() == []
    assert store.current_phase() is None
    assert not store.path.exists()
    assert isinstance(store.path, Path)


def test_sessions_come_back_oldest_first_with_their_ids(user_store, ex):
    late = user_store.add_session(session(ex))
    early = user_store.add_session(session(ex, date=TODAY - dt.timedelta(days=3)))
    assert [s.id for s in user_store.sessions()] == [early, late]
    assert user_store.get_session(late).pain_during == 3


def test_a_deleted_session_can_be_added_back_with_the_same_id(user_store, ex):
    sid = user_store.add_session(session(ex))
    removed = user_store.delete_session(sid)
    assert user_store.sessions() == []
    assert user_store.add_session(removed) == sid
    assert user_store.get_session(sid) == removed


def test_adding_a_session_whose_id_exists_is_refused(user_store, ex):
    sid = user_store.add_session(session(ex))
    with pytest.raises(ValueError, match="already exists"):
        user_store.add_session(session(ex, id=sid))


def test_update_merges_a_partial_mapping_and_keeps_the_id(user_store, ex):
    sid = user_store.add_session(session(ex))
    updated = user_store.update_session(sid, {"pain_next_morning": 4, "id": "ignored"})
    assert updated.id == sid and updated.pain_next_morning == 4
    assert user_store.get_session(sid).pain_during == 3


def test_update_accepts_a_whole_session_model(user_store, ex):
    sid = user_store.add_session(session(ex))
    changed = user_store.get_session(sid).model_copy(update={"notes": "felt fine"})
    assert user_store.update_session(sid, changed).notes == "felt fine"


def test_unknown_ids_raise_key_error(user_store):
    with pytest.raises(KeyError):
        user_store.get_session("nope")
    with pytest.raises(KeyError):
        user_store.update_session("nope", {"notes": "x"})
    with pytest.raises(KeyError):
        user_store.delete_session("nope")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"date": TODAY + dt.timedelta(days=1)}, "future"),
        ({"pain_during": 11}, "less than or equal to 10"),
        ({"pain_during": "5"}, "valid integer"),
        ({"pain_during": 5.0}, "valid integer"),
        ({"mood": "good"}, "Extra inputs"),
        ({"exercises": []}, "at least 1"),
    ],
)
def test_invalid_sessions_raise_and_write_nothing(user_store, ex, change, words, saved_state):
    user_store.add_session(session(ex))
    before = saved_state(user_store)
    with pytest.raises((ValidationError, ValueError), match=words):
        user_store.add_session(session(ex, **change))
    assert saved_state(user_store) == before


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_in_exercise_numbers(user_store, ex, bad):
    empty = user_store.revision()
    entry = {"exercise_id": ex, "sets": 1, "reps": [5], "load_kg": bad}
    with pytest.raises(ValidationError, match="finite"):
        user_store.add_session(session(ex, exercises=[entry]))
    assert user_store.revision() == empty


def test_an_unknown_exercise_id_is_refused(user_store):
    with pytest.raises(ValueError, match="unknown exercise 'moonwalk'"):
        user_store.add_session(session("moonwalk"))


def test_a_store_without_explicit_ids_checks_against_the_content_library(user_store, new_store, ex):
    plain = new_store(user_store, exercise_ids=None)
    plain.add_session(session(ex))
    with pytest.raises(ValueError, match="unknown exercise"):
        plain.add_session(session("moonwalk"))


def test_an_old_session_with_a_retired_exercise_can_still_be_updated(
    user_store, new_store, reopen, ex
):
    old = new_store(user_store, exercise_ids={ex, "retired_move"})
    sid = old.add_session(session("retired_move"))
    new = reopen(old, exercise_ids={ex})
    assert new.update_session(sid, {"pain_next_morning": 2}).pain_next_morning == 2
    with pytest.raises(ValueError, match="unknown exercise 'other'"):
        new.update_session(sid, {"exercises": [{"exercise_id": "other", "sets": 1, "reps": [1]}]})


def test_returned_sessions_cannot_be_changed_so_no_caller_can_change_the_data(
    user_store, reopen, ex
):
    sid = user_store.add_session(session(ex))
    shown = user_store.sessions()[0]
    with pytest.raises(ValidationError, match="frozen"):
        shown.notes = "not saved"
    assert user_store.get_session(sid).notes == ""
    user_store.add_session(session(ex))
    assert reopen(user_store).get_session(sid).notes == ""


def test_selfchecks_are_saved_and_future_ones_refused(user_store):
    cid = user_store.add_selfcheck({"urgency": "none", "phase": 1, "akps": 70})
    assert [c.id for c in user_store.selfchecks()] == [cid]
    with pytest.raises(ValueError, match="future"):
        user_store.add_selfcheck({"urgency": "none", "date": TODAY + dt.timedelta(days=2)})
    with pytest.raises(ValidationError):
        user_store.add_selfcheck({"urgency": "gp_soon", "phase": 2})


def test_the_latest_phase_start_is_the_current_phase(user_store):
    user_store.start_phase(1, TODAY - dt.timedelta(days=30), source="self_check")
    user_store.start_phase(2, TODAY - dt.timedelta(days=2), source="progression")
    user_store.start_phase(1, TODAY - dt.timedelta(days=2), source="step_back")
    current = user_store.current_phase()
    assert current is not None and (current.phase, current.source) == (1, "step_back")
    assert [p.phase for p in user_store.phase_history()] == [1, 2, 1]
    with pytest.raises(ValueError, match="future"):
        user_store.start_phase(3, TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        user_store.start_phase(4)


def test_settings_update_partially_and_refuse_bad_values(user_store):
    assert user_store.update_settings({"units": "lb"}).units == "lb"
    assert user_store.update_settings({"reminder_time": "07:30"}).units == "lb"
    with pytest.raises(ValidationError):
        user_store.update_settings({"reminder_time": "25:00"})
    assert user_store.settings().reminder_time == "07:30"


def test_the_file_records_its_schema_version_and_is_a_tinydb_database(store, ex, tmp_path):
    sid = store.add_session(session(ex))
    raw = json.loads(store.path.read_text())
    assert raw["_meta"] == {"1": {"schema_version": SCHEMA_VERSION}}
    copy = tmp_path / "copy.json"
    copy.write_bytes(store.path.read_bytes())
    with TinyDB(copy, access_mode="r") as db:
        assert [d["id"] for d in db.table("sessions").all()] == [sid]


def test_two_store_objects_on_the_same_data_see_each_others_writes(user_store, reopen, ex):
    other = reopen(user_store, exercise_ids={ex})
    assert other.sessions() == []
    sid = user_store.add_session(session(ex))
    assert [s.id for s in other.sessions()] == [sid]
    other.update_session(sid, {"notes": "from the other tab"})
    assert user_store.get_session(sid).notes == "from the other tab"


def test_revision_changes_exactly_when_the_data_changes(user_store, ex):
    empty = user_store.revision()
    sid = user_store.add_session(session(ex))
    first = user_store.revision()
    assert first != empty and user_store.revision() == first
    user_store.update_session(sid, {"notes": "x"})
    assert user_store.revision() != first


def test_store_satisfies_the_user_store_protocol(store):
    assert isinstance(store, UserStore)


ROOT = Path(__file__).resolve().parents[2]
#: ``store.x`` or ``get_store().x``, but not ``kneecore.store.x`` or ``self.store``.
_STORE_MEMBER = re.compile(r"(?<![\w.])(?:store|get_store\(\))\.([a-z_]\w*)")
#: The store's own modules: what they call on a store is the implementation, not a use.
_STORE_MODULES = {
    "atomic",
    "backup",
    "store",
    "storebase",
    "storecheck",
    "storefile",
    "storelock",
    "storerules",
    "transfer",
    "userstore",
}


def _protocol_members() -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(UserStore).items()
        if not name.startswith("_") and (callable(member) or isinstance(member, property))
    }


def _members_used_on_a_store() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    files = [*ROOT.glob("pages/*.py"), *ROOT.glob("kneecore/*.py"), ROOT / "app.py"]
    for path in files:
        if path.parent.name == "kneecore" and path.stem in _STORE_MODULES:
            continue
        for name in _STORE_MEMBER.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, set()).add(path.relative_to(ROOT).as_posix())
    return used


def test_the_store_interface_lists_exactly_what_pages_and_the_core_use_of_a_store():
    members = set(_protocol_members())
    used = _members_used_on_a_store()
    missing = {name: sorted(used[name]) for name in set(used) - members}
    assert not missing, f"used on a store but not in UserStore: {missing}"
    unused = sorted(members - set(used))
    assert not unused, f"in UserStore but no page or core module uses it: {unused}"


def test_every_member_of_the_store_interface_exists_on_store_with_the_same_signature(store):
    for name, member in _protocol_members().items():
        implemented = inspect.getattr_static(Store, name, None)
        if isinstance(member, property):
            # A property, or an attribute set in __init__ (an instance has it).
            assert implemented is not None or name in vars(store), f"Store has no {name}"
            continue
        assert callable(implemented), f"Store has no method {name}"
        assert inspect.signature(implemented) == inspect.signature(member), name


def test_data_dir_comes_from_knee_data_dir(data_dir):
    assert default_data_dir() == data_dir
    assert default_store_path() == data_dir / "knee-data.json"


def test_without_knee_data_dir_a_per_user_folder_is_used(monkeypatch, tmp_path):
    monkeypatch.delenv("KNEE_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "kneecare"


def test_the_folder_and_files_are_owner_only(data_dir, ex):
    s = Store(data_dir / "deep" / "knee-data.json", exercise_ids={ex})
    s.add_session(session(ex))
    s.add_session(session(ex))
    for path in (s.folder, s.path, *[b.path for b in s.backups()], s.folder / "backups"):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_an_older_schema_is_migrated_on_read_and_the_old_file_kept(store, ex, monkeypatch):
    sid = store.add_session(session(ex))
    old = store.path.read_bytes()
    current = SCHEMA_VERSION

    def to_next(doc: dict[str, Any]) -> dict[str, Any]:
        for s in doc["sessions"].values():
            s["notes"] = (s["notes"] + " (migrated)").strip()
        return doc

    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(store_mod.MIGRATIONS, current, to_next)
    fresh = Store(store.path, exercise_ids={ex})
    assert fresh.get_session(sid).notes == "(migrated)"
    assert store.path.read_bytes() == old, "reading never rewrites the file"
    fresh.update_session(sid, {"pain_next_morning": 1})
    assert json.loads(store.path.read_text())["_meta"]["1"]["schema_version"] == current + 1
    kept = store.path.parent / "backups" / f"knee-data-before-migration-from-v{current}.json"
    assert kept.read_bytes() == old


def test_a_version_1_file_opens_and_is_saved_as_the_current_version(store, ex):
    store.add_session(session(ex))
    cid = store.add_selfcheck({"urgency": "gp_soon", "red_flags": ["locking"]})
    doc = json.loads(store.path.read_text())
    doc["_meta"] = {"1": {"schema_version": 1}}
    for table in ("clearances", "warning_records"):
        doc.pop(table, None)
    for check in doc["selfchecks"].values():
        check.pop("signs"), check.pop("practice")
    store.path.write_text(json.dumps(doc))
    fresh = Store(store.path, exercise_ids={ex})
    assert [c.id for c in fresh.selfchecks()] == [cid]
    assert fresh.clearances() == [] and fresh.warning_records() == []
    fresh.add_clearance(TODAY)
    assert json.loads(store.path.read_text())["_meta"]["1"]["schema_version"] == SCHEMA_VERSION
    kept = store.path.parent / "backups" / "knee-data-before-migration-from-v1.json"
    assert json.loads(kept.read_text())["_meta"]["1"]["schema_version"] == 1


def test_a_file_from_a_newer_app_is_refused_untouched(store, ex):
    store.add_session(session(ex))
    doc = json.loads(store.path.read_text())
    doc["_meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    store.path.write_text(json.dumps(doc))
    before = store.path.read_bytes()
    fresh = Store(store.path, exercise_ids={ex})
    with pytest.raises(StoreError, match="newer version") as info:
        fresh.sessions()
    assert info.value.kind == "newer" and info.value.recoverable
    with pytest.raises(StoreError):
        fresh.add_session(session(ex))
    assert store.path.read_bytes() == before


def test_session_model_is_what_the_store_returns(user_store, ex):
    user_store.add_session(session(ex))
    assert all(isinstance(s, Session) for s in user_store.sessions())


def test_a_session_stored_just_before_the_clock_moved_back_stays_readable(store, ex):
    sid = store.add_session(session(ex))
    raw = json.loads(store.path.read_text())
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    for doc in raw["sessions"].values():
        doc["date"] = tomorrow
    store.path.write_text(json.dumps(raw))
    assert [s.date.isoformat() for s in Store(store.path, exercise_ids={ex}).sessions()] == [
        tomorrow
    ]
    with pytest.raises(ValidationError, match="future"):
        store.add_session(session(ex, date=TODAY + dt.timedelta(days=1)))
    assert store.get_session(sid).date.isoformat() == tomorrow


# -- version 2: practice runs, deleting self-checks, clearances --------------------------

WARNING = {"urgency": "gp_soon", "red_flags": ["locking"], "akps": 55, "answers": {"age": 30}}


def test_a_practice_run_is_kept_only_as_a_warning_record_without_a_knee_score(user_store):
    empty = user_store.revision()
    assert (
        user_store.add_selfcheck({"urgency": "none", "phase": 1, "akps": 80}, practice=True) is None
    )
    assert user_store.revision() == empty
    cid = user_store.add_selfcheck(WARNING, practice=True)
    (kept,) = user_store.selfchecks()
    assert kept.id == cid and kept.practice and kept.akps is None and kept.urgency == "gp_soon"


def test_deleting_a_self_check_returns_it_and_adding_it_back_undoes_the_delete(user_store):
    cid = user_store.add_selfcheck(WARNING)
    removed = user_store.delete_selfcheck(cid)
    assert removed.id == cid and user_store.selfchecks() == []
    (record,) = user_store.warning_records()
    assert (record.id, record.urgency, record.red_flags) == (cid, "gp_soon", ["locking"])
    assert record.answers == {} and record.akps is None, "the rest goes, as the user asked"
    assert user_store.add_selfcheck(removed) == cid
    assert user_store.selfchecks() == [removed] and user_store.warning_records() == []
    with pytest.raises(KeyError):
        user_store.delete_selfcheck("nope")


def test_deleting_a_clean_self_check_keeps_nothing(user_store):
    cid = user_store.add_selfcheck({"urgency": "none", "phase": 1, "akps": 80})
    user_store.delete_selfcheck(cid)
    assert user_store.selfchecks() == [] and user_store.warning_records() == []


def test_clearances_are_kept_oldest_first_and_counted(user_store):
    user_store.add_selfcheck(WARNING)
    later = user_store.add_clearance(TODAY, note="  Physio: fine to exercise.  ")
    earlier = user_store.add_clearance(TODAY - dt.timedelta(days=3))
    assert [c.id for c in user_store.clearances()] == [earlier, later]
    newest = user_store.clearances()[-1]
    assert newest.note == "Physio: fine to exercise." and newest.recorded == TODAY
    assert newest.covers == ["locking"]
    assert user_store.counts() == {"sessions": 0, "selfchecks": 1, "clearances": 2, "runs": 0}


@pytest.mark.parametrize(
    ("date", "note", "words"),
    [
        (TODAY + dt.timedelta(days=1), "", "date: .* is in the future"),
        ("2025-01-01", "", "date: give the day"),
        (dt.datetime.now(), "", "date: give the day"),
        (TODAY, "x" * 2001, "note: at most 2000 characters"),
        (TODAY, 5, "note: the note must be text"),
    ],
)
def test_a_bad_clearance_is_refused_in_plain_words_and_writes_nothing(
    user_store, date, note, words, saved_state
):
    user_store.add_selfcheck(WARNING)
    before = saved_state(user_store)
    with pytest.raises(ValueError, match=words):
        user_store.add_clearance(date, note=note)
    assert saved_state(user_store) == before


def test_a_note_of_exactly_2000_characters_is_kept(user_store):
    user_store.add_clearance(TODAY, note="x" * 2000)
    assert len(user_store.clearances()[0].note) == 2000


def test_delete_all_removes_clearances_and_warning_records_too(user_store):
    user_store.delete_selfcheck(user_store.add_selfcheck(WARNING))
    user_store.add_clearance(TODAY)
    user_store.delete_all()
    assert user_store.clearances() == [] and user_store.warning_records() == []


def test_delete_all_removes_everything_and_says_what_it_removed(user_store, reopen, ex):
    assert user_store.delete_all().describe() == "There was no data to delete."
    user_store.add_session(session(ex))
    user_store.add_run(
        {"date": TODAY, "level": 2, "run_min": 12, "walk_min": 18, "total_min": 30}
        | {"pain_before": 1, "pain_during": 2}
    )
    user_store.start_phase(1)
    user_store.update_settings({"units": "lb"})
    before = user_store.revision()
    removed = user_store.delete_all()
    assert removed.describe().startswith("Deleted ")
    assert user_store.revision() != before
    for fresh in (user_store, reopen(user_store)):
        assert fresh.counts() == {"sessions": 0, "selfchecks": 0, "clearances": 0, "runs": 0}
        assert fresh.phase_history() == [] and fresh.settings().units == "kg"
    user_store.add_session(session(ex))
    assert len(reopen(user_store).sessions()) == 1, "a store emptied is still a store"
