"""The store's read fast path: a settled, unchanged file is not read again, and any
change (by this store, another store object or another program) is still seen."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path
from typing import Any

import pytest

import kneecore.storebase as storebase
from kneecore.store import Store, StoreError
from kneecore.storefile import gc_paused

TODAY = dt.date.today()
#: Far enough back that the file counts as settled (storebase.STAMP_SETTLED_NS).
LONG_AGO_NS = 3600 * 1_000_000_000


def session(exercise_id: str, pain: int = 3) -> dict[str, Any]:
    return {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": pain,
        "pain_after": 2,
    }


def age(path: Path, ns: int = LONG_AGO_NS) -> None:
    """Set the file's modification time back, as if it had been written long ago."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - ns))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every whole-file read the store makes."""
    seen: list[Path] = []
    original = storebase._read_or_none

    def counting(path: Path) -> bytes | None:
        seen.append(path)
        return original(path)

    monkeypatch.setattr(storebase, "_read_or_none", counting)
    return seen


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def test_an_unchanged_settled_file_is_read_once_for_many_reads(store, ex, reads):
    store.add_session(session(ex))
    age(store.path)
    store.sessions()
    reads.clear()
    for _ in range(5):
        assert len(store.sessions()) == 1
        store.settings()
    assert reads == []


def test_a_just_written_file_is_compared_byte_for_byte_on_every_read(store, ex, reads):
    store.add_session(session(ex))
    reads.clear()
    store.sessions()
    store.selfchecks()
    assert len(reads) == 2


def test_another_store_objects_write_is_seen_through_a_trusted_stamp(data_dir, library, ex):
    mine = Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
    other = Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
    mine.add_session(session(ex))
    age(mine.path)
    assert len(mine.sessions()) == 1  # the stamp is trusted from here on
    other.add_session(session(ex))
    assert len(mine.sessions()) == 2


def test_an_in_place_change_within_the_same_clock_tick_is_still_seen(store, ex):
    # Same inode, same size and the very same modification time: only the bytes differ.
    # A file this fresh is never trusted by its stamp, so the bytes are compared.
    store.add_session(session(ex, pain=3))
    before = store.path.stat()
    raw = store.path.read_bytes()
    assert b'"pain_during":3' in raw
    store.sessions()
    with open(store.path, "r+b") as f:
        f.write(raw.replace(b'"pain_during":3', b'"pain_during":4'))
    os.utime(store.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert store.sessions()[0].pain_during == 4


def test_a_trusted_file_replaced_by_a_damaged_one_raises_and_is_left_as_it_is(store, ex):
    store.add_session(session(ex))
    age(store.path)
    store.sessions()
    damaged = store.path.read_bytes()[:-40]
    store.path.with_name("damaged.json").write_bytes(damaged)
    os.replace(store.path.with_name("damaged.json"), store.path)
    with pytest.raises(StoreError):
        store.sessions()
    assert store.path.read_bytes() == damaged


def test_a_deleted_file_reads_as_an_empty_store_after_a_trusted_read(store, ex):
    store.add_session(session(ex))
    age(store.path)
    store.sessions()
    store.path.unlink()
    assert store.sessions() == []


def test_a_stamp_settles_only_when_the_file_is_older_than_the_margin():
    stamp = storebase.FileStamp(1, 2, 3, mtime_ns=10, ctime_ns=10 + storebase.STAMP_SETTLED_NS)
    assert not stamp.settled(10 + storebase.STAMP_SETTLED_NS - 1)
    assert stamp.settled(10 + storebase.STAMP_SETTLED_NS)


def test_parsing_leaves_the_collector_as_it_found_it():
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_trusted_read_does_not_wait_for_another_programs_lock(data_dir, library, ex):
    from filelock import FileLock

    store = Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids, lock_timeout=0.2)
    store.add_session(session(ex))
    age(store.path)
    store.sessions()
    with FileLock(str(store.path) + ".lock"):
        # Another program is saving: the file is replaced whole or not at all, so what
        # this process parsed is still what is on disk until the stamp changes.
        assert len(store.sessions()) == 1
        store.path.with_name("other.json").write_bytes(store.path.read_bytes())
        os.replace(store.path.with_name("other.json"), store.path)
        with pytest.raises(StoreError, match="busy"):
            store.sessions()
