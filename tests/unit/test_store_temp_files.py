"""Temporary files a killed writer left behind are removed when a store is opened.

Both in the data folder (the store's own writes) and in ``backups/`` (a daily backup
being written), and next to a symlinked store's target; under the store's lock, so no
live writer owns them. Other files are never touched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kneecore.store import Store

TODAY = dt.date.today()


def session(exercise_id: str) -> dict[str, Any]:
    return {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
    }


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def _leftovers(store: Store) -> list[Path]:
    backups = store.folder / "backups"
    backups.mkdir(exist_ok=True)
    files = [
        store.folder / ".knee-data.json.k1ll3d.tmp",
        backups / f".knee-data-{TODAY.isoformat()}.json.a8b9c0.tmp",
        backups / ".knee-data-before-migration-from-v1.json.zz.tmp",
    ]
    for path in files:
        path.write_bytes(b"x" * 8_000_000)  # a partial 8 MB file, as the audit found
    return files


def test_opening_a_store_removes_stale_temporary_files_in_the_data_and_backup_folders(store, ex):
    store.add_session(session(ex))
    files = _leftovers(store)
    fresh = Store(store.path, exercise_ids={ex})
    assert len(fresh.sessions()) == 1  # a read, not only a write, opens the store
    assert [p for p in files if p.exists()] == []


def test_files_that_are_not_the_stores_temporary_files_are_left_alone(store, ex):
    store.add_session(session(ex))
    (store.folder / "backups").mkdir(exist_ok=True)
    keep = [
        store.folder / "notes.tmp",
        store.folder / ".other.json.abc.tmp",
        store.folder / "backups" / "my-own-copy.json",
        store.folder / "backups" / "work.tmp",
    ]
    for path in keep:
        path.write_text("mine")
    Store(store.path, exercise_ids={ex}).sessions()
    assert all(p.exists() for p in keep)


def test_stale_temporary_files_next_to_a_symlinks_target_are_removed(tmp_path, data_dir, ex):
    elsewhere = tmp_path / "synced"
    elsewhere.mkdir()
    target = elsewhere / "my-knee.json"
    Store(target, exercise_ids={ex}).add_session(session(ex))
    stale = elsewhere / ".my-knee.json.dead01.tmp"
    stale.write_bytes(b"half")
    data_dir.mkdir(parents=True, exist_ok=True)
    link = data_dir / "knee-data.json"
    link.symlink_to(target)
    assert len(Store(link, exercise_ids={ex}).sessions()) == 1
    assert not stale.exists()
