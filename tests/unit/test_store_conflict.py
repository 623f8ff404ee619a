"""Stale edits: a form filled from an older copy of a session never overwrites a newer one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Session
from kneecore.store import StoreConflict, StoreError

TODAY = dt.date.today()


def session(exercise_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 3,
        "pain_after": 2,
    }
    data.update(changes)
    return data


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def test_an_edit_of_the_session_as_stored_is_saved(user_store, ex):
    sid = user_store.add_session(session(ex))
    read = user_store.get_session(sid)
    updated = user_store.update_session(sid, {"notes": "felt fine"}, expected=read)
    assert updated.notes == "felt fine"
    assert user_store.get_session(sid).notes == "felt fine"


def test_an_edit_of_a_session_changed_in_another_tab_is_refused_and_writes_nothing(
    user_store, ex, saved_state
):
    sid = user_store.add_session(session(ex))
    tab_a = user_store.get_session(sid)
    tab_b = user_store.get_session(sid)
    user_store.update_session(sid, {"notes": "tab A"}, expected=tab_a)
    raw = saved_state(user_store)
    with pytest.raises(StoreConflict) as caught:
        user_store.update_session(sid, {"notes": "tab B"}, expected=tab_b)
    assert saved_state(user_store) == raw
    assert user_store.get_session(sid).notes == "tab A"
    message = str(caught.value)
    assert "another tab or window" in message and "not saved" in message
    # The page shows the newer version rather than the stale form.
    assert caught.value.current == user_store.get_session(sid)


def test_a_conflict_is_a_store_error_that_no_backup_can_fix(user_store, ex):
    sid = user_store.add_session(session(ex))
    stale = user_store.get_session(sid)
    user_store.update_session(sid, {"pain_after": 4})
    with pytest.raises(StoreError) as caught:
        user_store.update_session(sid, {"pain_after": 5}, expected=stale)
    assert caught.value.kind == "conflict"
    assert not caught.value.recoverable


def test_an_edit_of_a_session_deleted_in_another_tab_is_refused_in_plain_words(user_store, ex):
    sid = user_store.add_session(session(ex))
    stale = user_store.get_session(sid)
    user_store.delete_session(sid)
    with pytest.raises(StoreConflict, match="deleted in another tab or window") as caught:
        user_store.update_session(sid, {"notes": "late"}, expected=stale)
    assert caught.value.current is None
    assert user_store.sessions() == []


def test_without_expected_the_last_edit_wins_as_before(user_store, ex):
    sid = user_store.add_session(session(ex))
    user_store.update_session(sid, {"notes": "one"})
    user_store.update_session(sid, {"notes": "two"})
    assert user_store.get_session(sid).notes == "two"


def test_another_process_changing_the_data_between_read_and_save_is_a_conflict(
    user_store, reopen, ex
):
    sid = user_store.add_session(session(ex))
    stale = user_store.get_session(sid)
    # A second store on the same data stands for another app process.
    reopen(user_store, exercise_ids={ex}).update_session(sid, {"pain_during": 6})
    with pytest.raises(StoreConflict):
        user_store.update_session(sid, {"pain_during": 1}, expected=stale)
    assert user_store.get_session(sid).pain_during == 6


def test_expected_compares_every_field_not_only_the_id(user_store, ex):
    sid = user_store.add_session(session(ex, notes="same"))
    stale = user_store.get_session(sid)
    user_store.update_session(sid, {"exercises": [{"exercise_id": ex, "sets": 2, "reps": [9, 9]}]})
    assert isinstance(stale, Session) and stale.notes == user_store.get_session(sid).notes
    with pytest.raises(StoreConflict):
        user_store.update_session(sid, {"notes": "changed"}, expected=stale)
