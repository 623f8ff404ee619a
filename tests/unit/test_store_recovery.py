"""Damaged files are refused untouched; backups, restore, move aside and delete all."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from kneecore import backup
from kneecore.store import Store, StoreError

TODAY = dt.date.today()


def session(exercise_id: str, days_ago: int = 0, notes: str = "") -> dict[str, Any]:
    return {
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        "notes": notes,
    }


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def _valid(store: Store, ex: str) -> dict[str, Any]:
    store.add_session(session(ex))
    doc: dict[str, Any] = json.loads(store.path.read_text())
    return doc


def _variants(doc: dict[str, Any]) -> dict[str, bytes]:
    text = json.dumps(doc)
    entry = doc["sessions"]["1"]

    def with_entry(**changes: Any) -> bytes:
        return json.dumps({**doc, "sessions": {"1": {**entry, **changes}}}).encode()

    return {
        "empty": b"",
        "whitespace": b"  \n",
        "truncated": text[: len(text) // 2].encode(),
        "not json": b"this is not json",
        "binary": bytes(range(256)),
        "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
        "a list": b"[1, 2, 3]",
        "a table that is a list": json.dumps({**doc, "sessions": []}).encode(),
        "an unknown table": json.dumps({**doc, "_default": {}}).encode(),
        "a bad doc id": json.dumps({**doc, "sessions": {"abc": entry}}).encode(),
        "pain out of range": with_entry(pain_during=11),
        "pain as text": with_entry(pain_during="3"),
        "an unknown field": with_entry(mood="ok"),
        "a future date": with_entry(date=(TODAY + dt.timedelta(days=9)).isoformat()),
        "a bare NaN": text.replace('"hold_s": null', '"hold_s": NaN', 1).encode(),
        "an Infinity": text.replace('"pain_after": 1', '"pain_after": Infinity', 1).encode(),
        "a duplicate id": json.dumps({**doc, "sessions": {"1": entry, "2": entry}}).encode(),
        "a bad version": json.dumps({**doc, "_meta": {"1": {"schema_version": "one"}}}).encode(),
        "a newer version": json.dumps({**doc, "_meta": {"1": {"schema_version": 99}}}).encode(),
    }


def test_every_kind_of_bad_file_is_refused_in_plain_words_and_left_as_it_was(store, ex):
    doc = _valid(store, ex)
    for name, content in _variants(doc).items():
        store.path.write_bytes(content)
        fresh = Store(store.path, exercise_ids={ex})
        with pytest.raises(StoreError) as info:
            fresh.sessions()
        message = str(info.value)
        assert "not been changed" in message, (name, message)
        assert "Traceback" not in message and len(message) < 400, name
        assert info.value.path == store.path
        with pytest.raises(StoreError):
            fresh.add_session(session(ex))
        with pytest.raises(StoreError):
            fresh.import_json(json.dumps({"schema_version": 1, "sessions": []}))
        assert store.path.read_bytes() == content, name


def test_the_messages_say_what_is_wrong(store, ex):
    doc = _valid(store, ex)
    variants = _variants(doc)
    expected = {
        "truncated": "cut off",
        "pain out of range": "sessions entry #1, field 'pain_during'",
        "an unknown table": "'_default'",
        "a bare NaN": "NaN",
        "a newer version": "newer version",
    }
    for name, words in expected.items():
        store.path.write_bytes(variants[name])
        with pytest.raises(StoreError, match=words):
            Store(store.path, exercise_ids={ex}).sessions()


def test_a_file_that_cannot_be_read_is_reported_as_unreadable(data_dir):
    path = data_dir / "knee-data.json"
    path.mkdir(parents=True)  # a folder where the file should be: reading it fails
    with pytest.raises(StoreError, match="could not be opened") as info:
        Store(path, exercise_ids=set()).sessions()
    assert info.value.kind == "unreadable"


def test_a_data_folder_that_cannot_be_created_is_reported_as_unreadable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="data folder could not be created") as info:
        Store(blocker / "knee-data.json", exercise_ids=set()).sessions()
    assert info.value.kind == "unreadable"


def test_a_file_locked_by_another_program_too_long_is_busy_and_waiting_helps(store, ex):
    store.add_session(session(ex))
    other = FileLock(str(store.path) + ".lock", thread_local=False)
    other.acquire()
    try:
        waiting = Store(store.path, exercise_ids={ex}, lock_timeout=0.1)
        with pytest.raises(StoreError, match="busy in another window") as info:
            waiting.sessions()
        assert info.value.kind == "busy" and not info.value.recoverable
    finally:
        other.release()
    assert len(waiting.sessions()) == 1


def test_a_broken_file_that_cannot_be_moved_aside_says_why_and_stays(store, monkeypatch):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(b"{broken")

    def refuse(*args: object) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(backup.os, "rename", refuse)
    with pytest.raises(StoreError, match=r"could not be moved aside \(Permission denied\)") as info:
        store.move_aside_and_reset()
    assert info.value.kind == "write_failed"
    assert store.path.read_bytes() == b"{broken"


def test_a_backup_is_kept_before_the_first_write_of_the_day_only(store, ex):
    store.add_session(session(ex))
    assert store.backups() == [], "nothing to back up before the very first write"
    first = store.path.read_bytes()
    store.add_session(session(ex))
    store.add_session(session(ex))
    backups = store.backups()
    assert [b.day for b in backups] == [TODAY]
    assert backups[0].path.read_bytes() == first


def test_only_the_last_seven_daily_backups_are_kept(tmp_path):
    path = tmp_path / "knee-data.json"
    for days_ago in range(12, 0, -1):
        day = TODAY - dt.timedelta(days=days_ago)
        backup.keep_daily_backup(path, f"day {days_ago}".encode(), day)
    kept = backup.list_backups(path)
    assert len(kept) == backup.KEEP_DAILY
    assert kept[0].day == TODAY - dt.timedelta(days=1)
    assert kept[-1].day == TODAY - dt.timedelta(days=7)


def test_a_failing_backup_does_not_stop_the_save(store, ex):
    store.add_session(session(ex))
    (store.folder / "backups").write_text("a file where the backup folder should be")
    sid = store.add_session(session(ex))
    assert store.get_session(sid)
    assert store.backup_warning and "backup could not be written" in store.backup_warning


def test_restore_takes_the_newest_usable_backup_and_keeps_the_current_file(store, ex):
    first = store.add_session(session(ex))
    store.add_session(session(ex))
    current = store.path.read_bytes()
    good = store.backups()[0]
    # A newer but damaged backup is skipped.
    broken = backup.daily_backup_path(store.path, TODAY + dt.timedelta(days=1))
    broken.write_bytes(b"{")
    assert store.restore_backup() == good.path
    assert [s.id for s in store.sessions()] == [first]
    kept = store.aside_files()
    assert [p.read_bytes() for p in kept] == [current]
    assert kept[0].name.startswith("knee-data.replaced-")


def test_restore_repairs_a_damaged_file_and_keeps_the_damaged_one(store, ex):
    store.add_session(session(ex))
    store.add_session(session(ex))
    store.path.write_bytes(b"{broken")
    store.restore_backup()
    assert len(store.sessions()) == 1
    assert [p.read_bytes() for p in store.aside_files()] == [b"{broken"]
    assert store.aside_files()[0].name.startswith("knee-data.broken-")


def test_restore_without_a_usable_backup_says_so_and_changes_nothing(store, ex):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(b"{broken")
    with pytest.raises(StoreError, match="no usable backup"):
        store.restore_backup()
    assert store.path.read_bytes() == b"{broken"


def test_moving_a_broken_file_aside_never_deletes_it(store, ex):
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(b"{broken")
    moved = store.move_aside_and_reset()
    assert moved is not None and moved.read_bytes() == b"{broken"
    assert store.sessions() == []
    store.add_session(session(ex))
    store.path.write_bytes(b"{again")
    second = store.move_aside_and_reset()
    assert second != moved and second is not None and second.read_bytes() == b"{again"
    assert moved.exists()


def test_delete_all_removes_data_backups_and_set_aside_copies(store, ex):
    store.add_session(session(ex))
    store.add_session(session(ex))
    store.restore_backup()
    assert store.backups() and store.aside_files()
    store.delete_all()
    assert not store.path.exists()
    assert store.backups() == [] and store.aside_files() == []
    assert store.sessions() == []
    assert [p.name for p in store.folder.iterdir() if not p.name.endswith(".lock")] == []


def test_temporary_files_left_by_a_killed_writer_are_cleaned_up(store, ex):
    store.add_session(session(ex))
    leftover = store.folder / ".knee-data.json.abc123.tmp"
    leftover.write_bytes(b"half a fi")
    fresh = Store(store.path, exercise_ids={ex})
    fresh.add_session(session(ex))
    assert not leftover.exists()
    assert len(fresh.sessions()) == 2


def test_a_write_never_leaves_a_temporary_file_behind(store, ex):
    for _ in range(3):
        store.add_session(session(ex))
    names = sorted(p.name for p in Path(store.folder).iterdir())
    assert names == ["backups", "knee-data.json", "knee-data.json.lock"]
