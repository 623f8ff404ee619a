"""A store read keeps a lean copy of the data: equal entries shared, one set of fields.

Issue 12: five years of sessions held 15 MB in memory, two thirds of it pydantic's
per-instance bookkeeping and identical exercise entries. These tests pin that the
sharing happens and that it changes nothing a caller can see.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from kneecore.models import ExerciseEntry, Session
from kneecore.store import Store, StoreError

TODAY = dt.date.today()


def entry(exercise_id: str, **changes: Any) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "sets": 2, "reps": [10, 8], "hold_s": 5.0, **changes}


def session(exercise_id: str, days_ago: int, **entry_changes: Any) -> dict[str, Any]:
    return {
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [entry(exercise_id, **entry_changes)],
        "pain_before": 1,
        "pain_during": 3,
        "pain_after": 2,
    }


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


def read_again(store: Store) -> list[Session]:
    return Store(store.path).sessions()  # a new object: a cold read of the file


def test_equal_entries_of_different_sessions_are_one_object_after_a_read(store, ex):
    for days_ago in (1, 2, 3):
        store.add_session(session(ex, days_ago))
    store.add_session(session(ex, 4, reps=[10, 9]))

    sessions = read_again(store)

    first, second, third, other = (s.exercises[0] for s in reversed(sessions))
    assert first is second is third
    assert other is not first
    assert other.reps == [10, 9]


@pytest.mark.parametrize(
    "change",
    [
        {"reps": [8, 10]},
        {"hold_s": 6.0},
        {"hold_s": None},
        {"load_kg": 5.0},
        {"band": "light"},
        {"side": "left"},
        {"sets": 3, "reps": [10, 8, 0]},
        {"sets": 1, "reps": [10]},
    ],
)
def test_entries_that_differ_in_any_field_stay_apart(store, ex, change):
    store.add_session(session(ex, 1))
    store.add_session(session(ex, 2, **change))

    newer, older = (s.exercises[0] for s in reversed(read_again(store)))

    assert newer is not older
    assert older.model_dump() == ExerciseEntry.model_validate(entry(ex, **change)).model_dump()


def test_a_read_gives_back_exactly_what_was_saved(store, ex):
    saved = [store.add_session(session(ex, d)) for d in (1, 2)]

    sessions = read_again(store)

    assert [s.id for s in sessions] == list(reversed(saved))
    assert [s.model_dump() for s in sessions] == [s.model_dump() for s in store.sessions()]


def test_a_copy_with_a_change_leaves_the_shared_entry_and_its_fields_as_they_were(store, ex):
    store.add_session(session(ex, 1))
    store.add_session(session(ex, 2))
    one, two = (s.exercises[0] for s in read_again(store))
    assert one is two

    changed = one.model_copy(update={"hold_s": 9.0})

    assert changed.hold_s == 9.0
    assert one.hold_s == two.hold_s == 5.0
    assert one.model_fields_set == set(ExerciseEntry.model_fields)


def test_models_given_every_field_share_one_set_and_others_keep_their_own(ex):
    given_all = {**entry(ex), "load_kg": None, "band": None, "side": "both"}
    full_one = ExerciseEntry.model_validate(given_all)
    full_two = Session.model_validate({**session(ex, 1), "exercises": [given_all]}).exercises[0]
    partial = ExerciseEntry.model_validate(entry(ex))

    assert full_two.model_fields_set == full_one.model_fields_set
    assert partial.model_fields_set == {"exercise_id", "sets", "reps", "hold_s"}
    # pydantic's own view of what was given is unchanged by the sharing.
    assert full_one.model_fields_set == set(ExerciseEntry.model_fields)
    assert partial.model_dump(exclude_unset=True) == entry(ex)


def test_entries_validated_outside_a_store_read_are_never_merged(ex):
    data = {**session(ex, 1), "exercises": [entry(ex), entry(ex)]}

    parsed = Session.model_validate(data)

    assert parsed.exercises[0] == parsed.exercises[1]
    assert parsed.exercises[0] is not parsed.exercises[1]


def test_a_session_dated_after_the_read_slack_still_makes_the_file_unreadable(store, ex):
    store.add_session(session(ex, 1))
    doc = json.loads(store.path.read_text())
    first = next(iter(doc["sessions"].values()))
    first["date"] = (TODAY + dt.timedelta(days=30)).isoformat()
    store.path.write_text(json.dumps(doc))

    with pytest.raises(StoreError, match="in the future"):
        read_again(store)
