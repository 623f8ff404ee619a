"""A store path that is a symlink, and a store file without write permission.

A link is written through to its target (the link stays a link, so the real file keeps
updating); a read-only file is never replaced behind the user's back; and "delete all
my data" deletes what the store really holds and says what it removed.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from kneecore.store import DeletedData, Store, StoreError

TODAY = dt.date.today()


def session(exercise_id: str, notes: str = "") -> dict[str, Any]:
    return {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        "notes": notes,
    }


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


@pytest.fixture
def linked(tmp_path: Path, data_dir: Path, ex: str) -> tuple[Store, Path]:
    """A store whose file is a link to a file in another folder (e.g. a synced one)."""
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    target = elsewhere / "my-knee.json"
    Store(target, exercise_ids={ex}).add_session(session(ex, "first"))
    data_dir.mkdir(parents=True, exist_ok=True)
    link = data_dir / "knee-data.json"
    link.symlink_to(target)
    return Store(link, exercise_ids={ex}), target


def make_read_only(path: Path) -> None:
    os.chmod(path, stat.S_IRUSR)


def test_saving_through_a_symlink_writes_the_target_and_keeps_the_link(linked, ex):
    store, target = linked
    store.add_session(session(ex, "second"))
    assert store.path.is_symlink()
    assert store.path.resolve() == target
    notes = [s.notes for s in Store(target, exercise_ids={ex}).sessions()]
    assert notes == ["first", "second"]


def test_an_edit_and_a_delete_through_a_symlink_reach_the_target(linked, ex):
    store, target = linked
    sid = store.sessions()[0].id
    store.update_session(sid, {"notes": "edited"})
    assert Store(target, exercise_ids={ex}).get_session(sid).notes == "edited"
    store.delete_session(sid)
    assert Store(target, exercise_ids={ex}).sessions() == []
    assert store.path.is_symlink()


def test_the_temporary_file_goes_in_the_targets_folder(linked, ex, monkeypatch):
    store, target = linked
    import kneecore.atomic as atomic

    folders: list[str] = []
    real_mkstemp = atomic.tempfile.mkstemp

    def spy(**kwargs: Any) -> tuple[int, str]:
        folders.append(str(kwargs["dir"]))
        return real_mkstemp(**kwargs)

    monkeypatch.setattr(atomic.tempfile, "mkstemp", spy)
    store.add_session(session(ex))
    assert str(target.parent) in folders


def test_the_backup_of_a_symlinked_store_holds_the_targets_content(linked, ex):
    store, target = linked
    before = target.read_bytes()
    store.add_session(session(ex, "second"))
    assert [b.path.read_bytes() for b in store.backups()] == [before]


def test_a_read_only_store_file_is_not_replaced_and_the_save_is_refused_in_plain_words(store, ex):
    store.add_session(session(ex, "kept"))
    make_read_only(store.path)
    raw, inode = store.path.read_bytes(), store.path.stat().st_ino
    with pytest.raises(StoreError) as caught:
        store.add_session(session(ex, "lost?"))
    assert caught.value.kind == "write_failed"
    message = str(caught.value)
    assert "read-only" in message and "Nothing was saved" in message
    assert store.path.read_bytes() == raw and store.path.stat().st_ino == inode
    assert stat.S_IMODE(store.path.stat().st_mode) == stat.S_IRUSR
    assert [s.notes for s in store.sessions()] == ["kept"]


def test_a_read_only_store_refuses_edits_deletes_and_imports_too(store, ex):
    sid = store.add_session(session(ex))
    export = store.export_json()
    make_read_only(store.path)
    raw = store.path.read_bytes()
    for attempt in (
        lambda: store.update_session(sid, {"notes": "x"}),
        lambda: store.delete_session(sid),
        lambda: store.update_settings({"units": "lb"}),
        lambda: store.import_json(export.replace(sid, "0" * 32)),
    ):
        with pytest.raises(StoreError, match="read-only"):
            attempt()
    assert store.path.read_bytes() == raw


def test_a_read_only_store_writes_no_backup_either(store, ex):
    store.add_session(session(ex))
    for backup in store.backups():
        backup.path.unlink()
    make_read_only(store.path)
    with pytest.raises(StoreError):
        store.add_session(session(ex))
    assert store.backups() == []


def test_a_read_only_target_behind_a_symlink_is_refused(linked, ex):
    store, target = linked
    make_read_only(target)
    raw = target.read_bytes()
    with pytest.raises(StoreError, match="read-only"):
        store.add_session(session(ex))
    assert target.read_bytes() == raw and store.path.is_symlink()


def test_a_store_made_writable_again_saves(store, ex):
    store.add_session(session(ex))
    make_read_only(store.path)
    with pytest.raises(StoreError):
        store.add_session(session(ex))
    os.chmod(store.path, 0o600)
    store.add_session(session(ex))
    assert len(store.sessions()) == 2


def test_restoring_a_backup_over_a_read_only_file_is_refused(store, ex):
    store.add_session(session(ex))
    store.add_session(session(ex))
    make_read_only(store.path)
    raw = store.path.read_bytes()
    with pytest.raises(StoreError, match="read-only"):
        store.restore_backup()
    assert store.path.read_bytes() == raw and store.aside_files() == []


def test_restoring_a_backup_through_a_symlink_writes_the_target(linked, ex):
    store, target = linked
    store.add_session(session(ex, "second"))
    store.restore_backup()
    assert store.path.is_symlink()
    assert [s.notes for s in Store(target, exercise_ids={ex}).sessions()] == ["first"]
    # The replaced content is kept in the data folder, where the page lists it.
    (aside,) = store.aside_files()
    assert "second" in aside.read_text()


def test_moving_a_broken_symlinked_store_aside_keeps_the_link_for_the_next_save(linked, ex):
    store, target = linked
    target.write_bytes(b"{broken")
    moved = store.move_aside_and_reset()
    assert moved is not None and moved.read_bytes() == b"{broken"
    assert moved in store.aside_files()
    store.add_session(session(ex, "fresh"))
    assert store.path.is_symlink()
    assert [s.notes for s in Store(target, exercise_ids={ex}).sessions()] == ["fresh"]


def test_delete_all_says_what_it_removed(store, ex):
    store.add_session(session(ex))
    store.add_session(session(ex))
    store.restore_backup()
    removed = store.delete_all()
    assert isinstance(removed, DeletedData)
    assert removed.data_file == store.path and removed.link is None
    assert len(removed.backups) == 1 and len(removed.aside) == 1
    assert removed.describe() == (
        f"Deleted your data file ({store.path}), 1 backup and 1 copy set aside earlier."
    )
    assert not store.path.exists()


def test_delete_all_of_a_symlinked_store_deletes_the_target_and_the_link(linked, ex):
    store, target = linked
    store.add_session(session(ex))
    removed = store.delete_all()
    assert not target.exists() and not store.path.is_symlink() and not store.path.exists()
    assert removed.data_file == target and removed.link == store.path
    assert f"Deleted your data file ({target}), the link to it ({store.path})" in (
        removed.describe()
    )
    assert store.sessions() == []


def test_delete_all_with_nothing_stored_says_so(store):
    removed = store.delete_all()
    assert removed.data_file is None and removed.backups == () and removed.aside == ()
    assert removed.describe() == "There was no data to delete."
