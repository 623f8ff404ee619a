"""Generated bad data is refused with a message and changes nothing; a state machine of
add / update / delete / reopen always matches a plain dict."""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from pydantic import ValidationError

from kneecore.store import SCHEMA_VERSION, InvalidImport, Store

EXERCISES = {"quad_set", "bridge"}
TODAY = dt.date.today()
#: Hypothesis runs many examples and function-scoped fixtures do not reset between them,
#: so each example makes its own folder under this one, removed after the module.
_ROOT = tempfile.TemporaryDirectory(prefix="knee-fuzz-")


@pytest.fixture(scope="module", autouse=True)
def _remove_example_folders() -> Iterator[None]:
    yield
    _ROOT.cleanup()


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def good_session(i: int = 0) -> dict[str, Any]:
    return {
        "id": f"good-{i}",
        "date": (TODAY - dt.timedelta(days=i)).isoformat(),
        "exercises": [
            {"exercise_id": "quad_set", "sets": 2, "reps": [10, 10], "hold_s": 5.0},
            {"exercise_id": "bridge", "sets": 1, "reps": [12], "load_kg": 2.5, "side": "left"},
        ],
        "pain_before": 1,
        "pain_during": 3,
        "pain_after": 2,
        "pain_next_morning": None,
        "notes": "ok",
    }


NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
NOT_AN_INT = st.one_of(
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
FUTURE = st.integers(1, 3000).map(lambda d: (TODAY + dt.timedelta(days=d)).isoformat())

#: (where, bad value) pairs: each one makes a valid session invalid.
SESSION_DAMAGE = st.one_of(
    st.tuples(
        st.sampled_from(["pain_before", "pain_during", "pain_after"]),
        st.one_of(st.integers(max_value=-1), st.integers(min_value=11), NOT_AN_INT, st.none()),
    ),
    st.tuples(st.just("pain_next_morning"), st.one_of(st.integers(11), NON_FINITE, st.text())),
    st.tuples(
        st.just("date"),
        st.one_of(FUTURE, st.text(max_size=8), st.integers(), st.none()),
    ),
    st.tuples(st.just("exercises"), st.one_of(st.just([]), st.text(), st.none())),
    st.tuples(st.sampled_from(["swelling", "locking"]), st.one_of(st.integers(), st.text())),
    st.tuples(st.just("notes"), st.one_of(st.text(min_size=2001), st.integers())),
    st.tuples(st.just("id"), st.one_of(st.just(""), st.integers(), st.text(min_size=65))),
    st.tuples(
        st.text(st.characters(exclude_characters="."), min_size=1, max_size=10).filter(
            lambda k: k not in good_session()
        ),
        st.integers(),
    ),
    st.tuples(
        st.sampled_from(["exercises.0.hold_s", "exercises.1.load_kg"]),
        st.one_of(NON_FINITE, st.floats(max_value=-0.001), st.text(max_size=3)),
    ),
    st.tuples(
        st.just("exercises.0.sets"),
        st.one_of(st.integers(max_value=0), st.integers(21), NOT_AN_INT),
    ),
    st.tuples(st.just("exercises.0.reps"), st.one_of(st.just([10]), st.just([10, -1]), st.text())),
    st.tuples(
        st.just("exercises.1.exercise_id"),
        st.text(max_size=20).filter(lambda t: t not in EXERCISES),
    ),
    st.tuples(
        st.just("exercises.1.side"), st.text().filter(lambda t: t not in {"left", "right", "both"})
    ),
    st.tuples(st.just("exercises.0.extra"), st.integers()),
)


def damaged(damage: tuple[str, Any], i: int = 0) -> dict[str, Any]:
    session = json.loads(json.dumps(good_session(i)))
    where, value = damage
    *parents, leaf = where.split(".")
    target: Any = session
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[leaf] = value
    return session


def seeded_store() -> Store:
    folder = Path(tempfile.mkdtemp(dir=_ROOT.name))
    store = Store(folder / "knee-data.json", exercise_ids=EXERCISES)
    store.add_session({**good_session(99), "id": "already-there"})
    return store


@FUZZ
@given(damage=SESSION_DAMAGE)
def test_bad_session_data_is_rejected_with_a_message_and_nothing_written(damage):
    store = seeded_store()
    before = store.path.read_bytes()
    try:
        store.add_session(damaged(damage))
    except (ValidationError, ValueError) as exc:
        assert str(exc)
    else:
        raise AssertionError(f"accepted bad session data: {damage!r}")
    assert store.path.read_bytes() == before


#: Damage to the export file's outer shape.
EXPORT_DAMAGE = st.one_of(
    st.tuples(
        st.just("schema_version"),
        st.one_of(st.integers(max_value=0), st.integers(SCHEMA_VERSION + 1), NOT_AN_INT),
    ),
    st.tuples(
        st.just("sessions"),
        st.one_of(st.text(), st.integers(), st.dictionaries(st.text(), st.integers(), min_size=1)),
    ),
    st.tuples(st.just("selfchecks"), st.just([{"urgency": "maybe"}])),
    st.tuples(st.just("phases"), st.just([{"phase": 4}])),
    st.tuples(st.just("settings"), st.just({"units": "stone"})),
    st.tuples(st.just("exported_at"), st.one_of(st.integers(), st.text(min_size=1, max_size=5))),
    st.tuples(
        st.text(min_size=1, max_size=8).filter(
            lambda k: (
                k
                not in {
                    "schema_version",
                    "exported_at",
                    "sessions",
                    "selfchecks",
                    "phases",
                    "settings",
                    "clearances",
                    "warning_records",
                }
            )
        ),
        st.integers(),
    ),
)


@FUZZ
@given(
    damage=st.one_of(
        st.tuples(st.just("session"), SESSION_DAMAGE, st.integers(0, 4)),
        st.tuples(st.just("top"), EXPORT_DAMAGE, st.just(0)),
    ),
    text_damage=st.sampled_from(["none", "cut", "garbage_tail"]),
)
def test_bad_imports_are_rejected_with_a_message_and_the_store_unchanged(damage, text_damage):
    store = seeded_store()
    before = store.path.read_bytes()
    doc: dict[str, Any] = {
        "schema_version": 1,
        "exported_at": "2025-01-01T00:00:00+00:00",
        "sessions": [good_session(i) for i in range(5)],
        "selfchecks": [],
        "phases": [],
        "settings": None,
    }
    kind, harm, index = damage
    if kind == "session":
        doc["sessions"][index] = damaged(harm, index)
    else:
        doc[harm[0]] = harm[1]
    text = json.dumps(doc)  # allow_nan: NaN/Infinity appear as bare tokens, as TinyDB writes
    if text_damage == "cut":
        text = text[: len(text) // 2]
    elif text_damage == "garbage_tail":
        text += "}"
    try:
        store.import_json(text)
    except InvalidImport as exc:
        assert str(exc).endswith("Nothing was imported."), str(exc)
    else:
        raise AssertionError(f"accepted a bad import: {damage!r}")
    assert store.path.read_bytes() == before


class StoreMachine(RuleBasedStateMachine):
    """Random add / update / delete / reopen; the store always equals a plain dict."""

    @initialize()
    def open_store(self) -> None:
        self.folder = Path(tempfile.mkdtemp(dir=_ROOT.name))
        self.store = Store(self.folder / "knee-data.json", exercise_ids=EXERCISES)
        self.model: dict[str, tuple[str, int, str]] = {}
        self.counter = 0

    @rule(days=st.integers(0, 400), pain=st.integers(0, 10), notes=st.text(max_size=40))
    def add(self, days: int, pain: int, notes: str) -> None:
        self.counter += 1
        data = {**good_session(days), "id": f"s{self.counter}", "pain_during": pain, "notes": notes}
        sid = self.store.add_session(data)
        self.model[sid] = (data["date"], pain, notes)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), pain=st.integers(0, 10), notes=st.text(max_size=40))
    def update(self, data: st.DataObject, pain: int, notes: str) -> None:
        sid = data.draw(st.sampled_from(sorted(self.model)))
        self.store.update_session(sid, {"pain_during": pain, "notes": notes})
        self.model[sid] = (self.model[sid][0], pain, notes)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        sid = data.draw(st.sampled_from(sorted(self.model)))
        removed = self.store.delete_session(sid)
        assert removed.id == sid
        del self.model[sid]

    @rule(pain=st.integers(11, 99))
    def invalid_update_changes_nothing(self, pain: int) -> None:
        if not self.model:
            return
        sid = sorted(self.model)[0]
        try:
            self.store.update_session(sid, {"pain_during": pain})
        except ValidationError:
            return
        raise AssertionError("an invalid update was accepted")

    @rule()
    def reopen(self) -> None:
        self.store = Store(self.store.path, exercise_ids=EXERCISES)

    @invariant()
    def matches_the_model(self) -> None:
        sessions = self.store.sessions()
        got = {s.id: (s.date.isoformat(), s.pain_during, s.notes) for s in sessions}
        assert got == self.model
        dates = [s.date for s in sessions]
        assert dates == sorted(dates)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


VALID_ENTRY = st.builds(
    lambda ex, reps, hold, load, side: {
        "exercise_id": ex,
        "sets": len(reps),
        "reps": reps,
        "hold_s": hold,
        "load_kg": load,
        "side": side,
    },
    st.sampled_from(sorted(EXERCISES)),
    st.lists(st.integers(0, 200), min_size=1, max_size=5),
    st.one_of(st.none(), st.floats(0, 600, allow_nan=False)),
    st.one_of(st.none(), st.floats(0, 100, allow_nan=False)),
    st.sampled_from(["left", "right", "both"]),
)
VALID_SESSION = st.builds(
    lambda i, days, entries, pains, morning, notes: {
        "id": f"gen-{i}",
        "date": (TODAY - dt.timedelta(days=days)).isoformat(),
        "exercises": entries,
        "pain_before": pains[0],
        "pain_during": pains[1],
        "pain_after": pains[2],
        "pain_next_morning": morning,
        "notes": notes,
    },
    st.integers(0, 10**6),
    st.integers(0, 2000),
    st.lists(VALID_ENTRY, min_size=1, max_size=4),
    st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)),
    st.one_of(st.none(), st.integers(0, 10)),
    st.text(max_size=60),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sessions=st.lists(VALID_SESSION, max_size=8, unique_by=lambda s: s["id"]))
def test_export_import_into_an_empty_store_export_gives_the_same_data(sessions):
    first = seeded_store()
    for session in sessions:
        first.add_session(json.loads(json.dumps(session)))
    exported = first.export_json()
    empty = Store(Path(tempfile.mkdtemp(dir=_ROOT.name)) / "knee-data.json", exercise_ids=EXERCISES)
    empty.import_json(exported)
    again = json.loads(empty.export_json())
    original = json.loads(exported)
    again.pop("exported_at")
    original.pop("exported_at")
    assert again == original
