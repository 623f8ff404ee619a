"""Flags on single runs: no rest day, a fifth run in 7 days, and the load warning."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Run
from kneecore.running import run_flags

TODAY = dt.date(2026, 6, 20)


def run(days_ago: int, level: int | None = None, **changes: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 20,
        "walk_min": 0,
        "total_min": 20,
        "pain_before": 1,
        "pain_during": 1,
    }
    data.update(changes)
    return Run.model_validate(data)


def kinds(runs: list[Run], which: Run) -> list[str]:
    return [f.kind for f in run_flags(runs) if f.run_id == which.id]


def test_a_run_the_day_after_another_is_flagged_with_a_reason():
    first, second = run(5, level=2), run(4, level=2)
    (flag,) = run_flags([first, second])
    assert (flag.run_id, flag.kind) == (second.id, "rest_day")
    assert flag.why and "rest day" in flag.text


def test_a_run_two_days_after_another_is_not_flagged():
    assert run_flags([run(5, level=2), run(3, level=2)]) == []


@pytest.mark.parametrize(("first", "flagged"), [(7, True), (8, False)])
def test_a_fifth_run_within_the_7_days_ending_on_its_day_is_flagged(first, flagged):
    runs = [run(first, level=2), run(5, level=2), run(4, level=2), run(3, level=2)]
    fifth = run(1, level=2)
    assert ("fifth_run" in kinds([*runs, fifth], fifth)) is flagged
    assert all("fifth_run" not in kinds([*runs, fifth], r) for r in runs)


@pytest.mark.parametrize(("distance", "flagged"), [(5.5, False), (5.51, True), (10.0, True)])
def test_a_free_run_more_than_10_percent_longer_than_the_longest_of_30_days_is_flagged(
    distance, flagged
):
    runs = [run(20, distance_km=5.0), run(10, distance_km=4.0), run(3, distance_km=3.0)]
    latest = run(0, distance_km=distance)
    found = [f for f in run_flags([*runs, latest]) if f.kind == "load_spike"]
    assert bool(found) is flagged
    if flagged:
        assert found[0].run_id == latest.id and "5 km" in found[0].text
        assert "Frandsen" in found[0].why and "2025" in found[0].why


def test_the_load_warning_uses_running_minutes_when_there_is_no_distance():
    latest = run(0, run_min=23, total_min=23)
    assert kinds([run(5, run_min=20), latest], latest) == ["load_spike"]
    same = run(0, run_min=22, total_min=22)
    assert kinds([run(5, run_min=20), same], same) == []


def test_a_run_31_days_after_the_longest_is_compared_only_with_the_30_days_before():
    latest = run(0, distance_km=6.0)
    assert kinds([run(31, distance_km=10.0), run(20, distance_km=5.0), latest], latest) == [
        "load_spike"
    ]
    assert kinds([run(30, distance_km=10.0), latest], latest) == []


def test_a_first_run_after_30_days_without_one_is_not_a_spike():
    latest = run(0, distance_km=20.0)
    assert kinds([run(31, distance_km=2.0), latest], latest) == []


def test_programme_levels_are_never_flagged_for_load():
    latest = run(0, level=9, run_min=30, walk_min=0, total_min=30)
    assert kinds([run(10, level=6, run_min=27, walk_min=3, total_min=30), latest], latest) == []
