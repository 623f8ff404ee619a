"""The run log's flow (kneecore.run_log): the gate, the prefill, the run a form makes,
and the history's rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Run
from kneecore.run_log import (
    RunFormErrors,
    RunInput,
    build_run,
    draft_for,
    history_rows,
    level_words,
    morning_due,
    run_label,
)

TODAY = dt.date(2026, 11, 30)


def _run(days_ago: int, **extra: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": 2,
        "run_min": 12,
        "walk_min": 18,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 2,
        "pain_1h": 1,
        **extra,
    }
    return Run.model_validate(data)


def _form(**extra: Any) -> RunInput:
    data: dict[str, Any] = {
        "date": TODAY,
        "level": 1,
        "run_min": 6.0,
        "walk_min": 24.0,
        "pain_before": 1,
        "pain_during": 2,
        "pain_1h": 1,
        **extra,
    }
    return RunInput(**data)


# -- the form's draft (the gate itself: test_running_gate.py) ---------------------------


def test_a_level_is_prefilled_with_its_minutes_and_pattern() -> None:
    draft = draft_for(3)
    assert (draft.level, draft.run_min, draft.walk_min) == (3, 18, 12)
    assert "run 3 min, walk 2 min, 6 times" in draft.pattern


def test_a_free_run_is_not_prefilled() -> None:
    draft = draft_for(None)
    assert (draft.level, draft.run_min, draft.walk_min, draft.pattern) == (None, None, None, "")
    assert level_words(None) == "Free run (outside the programme)"
    assert level_words(9).startswith("Level 9 · run 30 min")


# -- building a run --------------------------------------------------------------------


def test_a_complete_form_makes_a_run_lasting_its_running_plus_walking() -> None:
    run = build_run(_form(distance_km=3.2, shoes=" trail shoes "), TODAY)
    assert (run.level, run.run_min, run.walk_min, run.total_min) == (1, 6, 24, 30)
    assert (run.distance_km, run.shoes, run.source) == (3.2, "trail shoes", "manual")


def test_pains_not_entered_are_refused_never_saved_as_0() -> None:
    with pytest.raises(RunFormErrors) as caught:
        build_run(_form(pain_before=None, pain_during=None, pain_1h=None), TODAY)
    errors = caught.value
    assert set(errors.errors) == {"pain.before", "pain.during", "pain.1h"}
    assert errors.summary().startswith("Nothing was saved. Fix pain before, worst pain during")


def test_a_pain_of_0_chosen_is_kept() -> None:
    assert build_run(_form(pain_before=0, pain_during=0, pain_1h=0), TODAY).pain_during == 0


def test_a_future_date_and_no_minutes_are_refused_by_field() -> None:
    with pytest.raises(RunFormErrors) as caught:
        build_run(_form(date=TODAY + dt.timedelta(days=1), run_min=0.0, walk_min=0.0), TODAY)
    assert set(caught.value.errors) == {"date", "run_min"}


def test_empty_minutes_and_a_zero_distance_are_refused() -> None:
    with pytest.raises(RunFormErrors) as caught:
        build_run(_form(run_min=None, distance_km=0.0), TODAY)
    assert set(caught.value.errors) == {"run_min", "distance"}


def test_too_long_notes_say_how_much_is_over() -> None:
    with pytest.raises(RunFormErrors) as caught:
        build_run(_form(notes="x" * 2005), TODAY)
    assert "5 characters over" in caught.value.errors["notes"]


def test_an_edit_keeps_the_id_source_and_a_longer_recorded_total() -> None:
    imported = _run(2, total_min=40, source="gpx", cadence_spm=170)
    edited = build_run(_form(date=imported.date, run_min=12.0, walk_min=18.0, base=imported), TODAY)
    assert (edited.id, edited.source, edited.total_min, edited.cadence_spm) == (
        imported.id,
        "gpx",
        40,
        170,
    )
    longer = build_run(_form(run_min=35.0, walk_min=10.0, base=imported), TODAY)
    assert longer.total_min == 45


# -- the history -----------------------------------------------------------------------


def _label(zone: str) -> str:
    return f"<{zone}>"


def test_history_rows_are_newest_first_with_level_zone_and_pains() -> None:
    rows = history_rows(
        [_run(5), _run(1, level=None, pain_during=5, distance_km=4.5, total_min=42)],
        _label,
        limit=None,
    )
    # The level said whole ("Level 2", never "L2") with the minutes in all.
    assert [r["Run"] for r in rows] == ["Free run · 42 min", "Level 2 · 30 min"]
    assert rows[0]["Zone"] == "<red>" and rows[1]["Zone"] == "<green>"
    assert rows[0]["Pain"] == "1 · 5 · 1 · —"
    assert (rows[0]["km"], rows[1]["km"]) == ("4.5", "")


def test_history_rows_have_no_km_column_when_no_run_shown_has_a_distance() -> None:
    rows = history_rows([_run(1), _run(3)], _label)
    assert all("km" not in r for r in rows)
    assert list(rows[0]) == ["id", "Date", "Run", "Zone", "Pain"]
    # Only the runs shown count: an older run's distance beyond the limit does not.
    older = history_rows([_run(1), _run(9, distance_km=5.0)], _label, limit=1)
    assert "km" not in older[0]


def test_history_rows_stop_at_the_limit() -> None:
    assert len(history_rows([_run(d) for d in range(5)], _label, limit=2)) == 2


def test_a_run_label_names_day_level_minutes_and_zone() -> None:
    label = run_label(_run(0, level=None), _label)
    assert "free run · 30 min · <green>" in label


def test_the_next_morning_is_owed_from_the_day_after_for_a_week() -> None:
    runs = [_run(0), _run(1), _run(7), _run(8), _run(2, pain_next_morning=1)]
    due = morning_due(runs, TODAY)
    assert [(TODAY - r.date).days for r in due] == [1, 7]
