"""Importing runs: ``add_runs`` writes all of them or none, and never twice (both stores)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Run
from kneecore.store import RunsAdded

TODAY = dt.date.today()
ZONE = dt.timezone(dt.timedelta(hours=2))


def imported(days_ago: int, hour: int = 7, **changes: Any) -> dict[str, Any]:
    day = TODAY - dt.timedelta(days=days_ago)
    return {
        "date": day,
        "level": None,
        "run_min": 30.0,
        "total_min": 31.5,
        "distance_km": 5.2,
        "pain_before": 0,
        "pain_during": 2,
        "source": "gpx",
        "started_at": dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZONE),
        **changes,
    }


def test_every_run_is_saved_in_one_write_oldest_first(user_store):
    result = user_store.add_runs([imported(1), imported(3), imported(2)])

    assert isinstance(result, RunsAdded) and len(result.added) == 3
    assert result.already_there == 0
    assert [r.date for r in user_store.runs()] == [TODAY - dt.timedelta(days=d) for d in (3, 2, 1)]


def test_one_invalid_run_saves_none_and_says_which(user_store):
    user_store.add_runs([imported(5)])
    bad = imported(2, pain_during=11)

    with pytest.raises(ValueError, match=r"run 2 \(.*\).*pain_during"):
        user_store.add_runs([imported(1), bad, imported(3)])

    assert len(user_store.runs()) == 1


def test_a_run_whose_start_is_in_the_log_is_skipped_the_second_time(user_store):
    user_store.add_runs([imported(1), imported(2)])

    again = user_store.add_runs([imported(1), imported(2), imported(3)])

    assert len(again.added) == 1 and again.already_there == 2
    assert len(user_store.runs()) == 3


def test_the_same_instant_in_another_zone_is_the_same_run(user_store):
    user_store.add_runs([imported(1)])
    start = imported(1)["started_at"].astimezone(dt.UTC)

    again = user_store.add_runs([imported(1, started_at=start)])

    assert again.added == () and again.already_there == 1


def test_two_runs_with_one_start_in_one_import_keep_the_first(user_store):
    result = user_store.add_runs([imported(1, notes="first"), imported(1, notes="copy")])

    assert result.already_there == 1
    assert [r.notes for r in user_store.runs()] == ["first"]


def test_runs_without_a_start_time_are_never_taken_for_each_other(user_store):
    typed = imported(1, started_at=None, source="manual")

    result = user_store.add_runs([typed, typed])

    assert len(result.added) == 2


def test_a_later_run_on_the_same_day_is_a_different_run(user_store):
    user_store.add_runs([imported(1, hour=7)])

    result = user_store.add_runs([imported(1, hour=18)])

    assert len(result.added) == 1


def test_runs_given_as_models_are_saved_as_they_are(user_store):
    model = Run.model_validate(imported(4))

    result = user_store.add_runs([model])

    assert result.added == (model.id,)
    assert user_store.runs()[0].started_at == model.started_at


def test_an_empty_import_writes_nothing(user_store):
    empty = user_store.revision()

    result = user_store.add_runs([])

    assert result == RunsAdded((), 0)
    assert user_store.revision() == empty
