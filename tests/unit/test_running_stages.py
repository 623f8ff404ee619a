"""When the walk-run programme opens (the entry checklist) and when it is complete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Run, Session
from kneecore.running import entry_checklist, maintenance

TODAY = dt.date(2026, 6, 20)


def session(days_ago: int, exercise_id: str, **changes: Any) -> Session:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": exercise_id, "sets": 3, "reps": [10, 10, 10]}],
        "pain_before": 1,
        "pain_during": 1,
        "pain_after": 1,
        "pain_next_morning": 1,
    }
    data.update(changes)
    return Session.model_validate(data)


def run(days_ago: int, level: int | None = 9, **changes: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 30,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        "pain_next_morning": 1,
    }
    data.update(changes)
    return Run.model_validate(data)


def met(checklist) -> dict[str, bool]:  # type: ignore[no-untyped-def]
    return {item.id: item.met for item in checklist.items}


@pytest.mark.parametrize(("pain_now", "ok"), [(2, True), (3, False), (None, False)])
def test_pain_now_must_be_2_or_less(pain_now, ok):
    assert met(entry_checklist(pain_now, True, True, today=TODAY))["pain_now"] is ok


def test_every_item_is_needed_and_unanswered_is_not_met():
    assert entry_checklist(0, True, True, today=TODAY).met
    assert not entry_checklist(0, None, True, today=TODAY).met
    assert not entry_checklist(0, True, False, today=TODAY).met


@pytest.mark.parametrize(("days_ago", "ok"), [(13, True), (14, False)])
def test_a_green_single_leg_hop_session_of_the_last_14_days_passes_the_hop_test(days_ago, ok):
    hops = [session(days_ago, "single_leg_hops")]
    assert met(entry_checklist(0, True, None, hops, today=TODAY))["single_leg_hops"] is ok


def test_an_amber_hop_session_does_not_pass_the_hop_test():
    hops = [session(2, "single_leg_hops", pain_during=4)]
    assert not met(entry_checklist(0, True, None, hops, today=TODAY))["single_leg_hops"]


@pytest.mark.parametrize(("days_ago", "ok"), [(6, False), (7, True)])
def test_a_sore_morning_in_the_last_7_days_is_not_settled(days_ago, ok):
    sore = [session(days_ago, "bridge", pain_next_morning=2)]
    assert met(entry_checklist(0, True, True, sore, today=TODAY))["mornings_settled"] is ok


def test_a_sore_morning_after_a_run_counts_too():
    sore = [run(2, level=1, pain_next_morning=3)]
    assert not met(entry_checklist(0, True, True, runs=sore, today=TODAY))["mornings_settled"]


HOPS = ["double_leg_hops", "single_leg_hops", "diagonal_hops"]


def test_a_runner_is_done_with_two_green_level_9_runs_and_each_hop_within_14_days(library):
    sessions = [session(12, h) for h in HOPS]
    done = maintenance([run(10), run(0)], sessions, "running", library, TODAY)
    assert done.complete and done.since == TODAY
    assert done.keep_doing and "self-check" in done.if_pain_returns
    not_yet = maintenance([run(14), run(0)], sessions, "running", library, TODAY)
    assert not not_yet.complete and "14 days" in not_yet.reasons[0]


def test_an_amber_level_9_run_or_a_missing_hop_does_not_complete_it(library):
    sessions = [session(5, h) for h in HOPS]
    amber = maintenance([run(4), run(2, pain_during=3)], sessions, "sport", library, TODAY)
    assert not amber.complete
    assert not maintenance([run(4), run(2)], sessions[:2], "sport", library, TODAY).complete
    assert "physiotherapist" in amber.goal_text


def test_everyday_life_is_done_after_four_weeks_of_green_phase_2_sessions(library):
    weekly = [session(d, "bridge") for d in (27, 20, 13, 6)]
    assert maintenance([], weekly, "daily_life", library, TODAY).complete
    assert not maintenance([], weekly[1:], "daily_life", library, TODAY).complete
    sore = [*weekly, session(3, "bridge", pain_during=5)]
    assert not maintenance([], sore, "daily_life", library, TODAY).complete
