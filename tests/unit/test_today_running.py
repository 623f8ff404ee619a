"""Today's running card, decided without Streamlit: each threshold from both sides."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.content import Library, load_running
from kneecore.models import PhaseStart, Run, SelfCheckResult, Session
from kneecore.running import CHECKLIST_AGAIN_DAYS
from kneecore.today_running import (
    EntryAnswers,
    goal_of,
    run_pattern,
    running_card,
    runs_to_ask,
)

TODAY = dt.date(2026, 11, 30)
NOTHING = EntryAnswers()
READY = EntryAnswers(pain_now=2, brisk_walk=True, single_leg_hops=True)
HOPS = ("double_leg_hops", "single_leg_hops", "diagonal_hops")


def run(days_ago: int, level: int | None = 1, **extra: Any) -> Run:
    fields: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 30 if level == 9 else 6,
        "walk_min": 0 if level == 9 else 24,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        **extra,
    }
    return Run.model_validate(fields, context={"today": TODAY})


def session(days_ago: int, exercise: str = "bridge") -> Session:
    return Session.model_validate(
        {
            "date": TODAY - dt.timedelta(days=days_ago),
            "exercises": [{"exercise_id": exercise, "sets": 2, "reps": [10, 10]}],
            "pain_before": 1,
            "pain_during": 1,
            "pain_after": 1,
            "pain_next_morning": 1,
        },
        context={"today": TODAY},
    )


def card(
    library: Library,
    runs: list[Run] | None = None,
    sessions: list[Session] | None = None,
    answers: EntryAnswers = NOTHING,
    phase: int | None = 3,
    paused: bool = False,
) -> Any:
    return running_card(
        phases_of(phase), paused, runs or [], sessions or [], answers, library, today=TODAY
    )


def phases_of(*phases: int | None, started_ago: int = 60) -> list[PhaseStart]:
    """A phase history, oldest first, one start every 10 days up to ``started_ago``."""
    return [
        PhaseStart(phase=p, started=TODAY - dt.timedelta(days=started_ago - 10 * i))  # type: ignore[arg-type]
        for i, p in enumerate(phases)
        if p is not None
    ]


@pytest.mark.parametrize(
    ("phase", "kind"), [(None, "none"), (1, "none"), (2, "checklist"), (3, "checklist")]
)
def test_the_card_opens_in_phase_2_and_3_only(
    library: Library, phase: int | None, kind: str
) -> None:
    assert card(library, phase=phase).kind == kind


def test_a_paused_plan_shows_no_card_even_when_ready(library: Library) -> None:
    assert card(library, answers=READY, paused=True).kind == "none"
    assert card(library, answers=READY, paused=False).kind == "next_run"


def test_nothing_entered_leaves_three_items_not_met(library: Library) -> None:
    checklist = card(library).checklist
    met = {item.id: item.met for item in checklist.items}
    assert met == {
        "pain_now": False,
        "brisk_walk": False,
        "single_leg_hops": False,
        "mornings_settled": True,
    }


@pytest.mark.parametrize(("pain", "kind"), [(2, "next_run"), (3, "checklist")])
def test_pain_now_at_2_opens_the_programme_and_3_does_not(
    library: Library, pain: int, kind: str
) -> None:
    answers = EntryAnswers(pain_now=pain, brisk_walk=True, single_leg_hops=True)
    assert card(library, answers=answers).kind == kind


def test_a_no_to_the_walk_keeps_the_checklist(library: Library) -> None:
    answers = EntryAnswers(pain_now=0, brisk_walk=False, single_leg_hops=True)
    assert card(library, answers=answers).kind == "checklist"


def test_the_first_run_is_level_1_with_its_pattern(library: Library) -> None:
    next_run = card(library, answers=READY).next_run
    assert next_run.level == 1
    assert next_run.pattern == "6 × (1 min run + 4 min walk)"
    assert next_run.total_min == 30
    assert next_run.advice.reasons == ["No runs yet: start at level 1."]
    assert "flat" in next_run.every_level


@pytest.mark.parametrize(
    ("days_off", "kind"),
    [(CHECKLIST_AGAIN_DAYS - 1, "next_run"), (CHECKLIST_AGAIN_DAYS, "checklist")],
)
def test_the_checklist_comes_back_after_14_days_without_a_run(
    library: Library, days_off: int, kind: str
) -> None:
    found = card(library, runs=[run(days_off, pain_next_morning=1)])
    assert found.kind == kind
    if kind == "checklist":
        assert f"not run for {days_off} days" in found.again
    else:
        assert found.next_run.level == 1


def test_after_14_days_a_met_checklist_gives_the_next_run(library: Library) -> None:
    found = card(library, runs=[run(20, pain_next_morning=1)], answers=READY)
    assert found.kind == "next_run"


def test_two_green_runs_move_up_a_level(library: Library) -> None:
    runs = [run(3, pain_next_morning=1), run(1, pain_next_morning=1)]
    next_run = card(library, runs=runs).next_run
    assert (next_run.level, next_run.advice.kind) == (2, "progress_level")
    assert next_run.pattern == "6 × (2 min run + 3 min walk)"


def _finished(top_runs: int) -> tuple[list[Run], list[Session]]:
    runs = [run(2 * i + 1, level=9, pain_next_morning=1) for i in range(top_runs)]
    sessions = [session(ago, hop) for ago, hop in zip((6, 4, 2), HOPS, strict=True)]
    return runs, sessions


@pytest.mark.parametrize(("top_runs", "kind"), [(1, "next_run"), (2, "complete")])
def test_two_green_level_9_runs_and_the_hops_complete_the_programme(
    library: Library, top_runs: int, kind: str
) -> None:
    runs, sessions = _finished(top_runs)
    found = card(library, runs=runs, sessions=sessions)
    assert found.kind == kind
    if kind == "complete":
        assert found.maintenance.title == "Programme complete"
        assert found.maintenance.keep_doing
        assert "self-check" in found.maintenance.if_pain_returns


def test_the_patterns_of_every_level_read_plainly() -> None:
    levels = load_running().levels
    assert run_pattern(levels.level(8)) == "20 min run + 1 min walk, then 9 min run"
    assert run_pattern(levels.level(9)) == "30 min run"
    for level in levels.levels:
        assert "×" in run_pattern(level) or level.level >= 8


def test_only_yesterdays_runs_without_a_morning_are_asked() -> None:
    runs = [run(0), run(1), run(1, pain_next_morning=2), run(2)]
    assert [r.date for r in runs_to_ask(runs, TODAY)] == [TODAY - dt.timedelta(days=1)]


def test_the_goal_is_the_latest_self_checks() -> None:
    def check(goal: object) -> SelfCheckResult:
        return SelfCheckResult(date=TODAY, urgency="none", phase=2, answers={"goal": goal})

    assert goal_of([]) is None
    assert goal_of([check("sport"), check("daily_life")]) == "daily_life"
    assert goal_of([check("sport"), check("flying")]) == "sport"
