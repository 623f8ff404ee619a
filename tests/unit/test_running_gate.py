"""Is the walk-run programme open, and what may the next run be (kneecore.run_log.run_gate):
the one rule Today's running card and the Runs page both read (clinical-rules.md section
7: "It opens in phase 2 or 3 once its entry checklist is met")."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.content import Library
from kneecore.models import PhaseStart, Run, Session
from kneecore.run_log import EntryAnswers, RunGate, run_gate, went_back
from kneecore.running import advise, entry_checklist
from kneecore.today_running import running_card

TODAY = dt.date(2026, 11, 30)
NOTHING = EntryAnswers()
READY = EntryAnswers(pain_now=1, brisk_walk=True, single_leg_hops=True)


def run(days_ago: int, level: int | None = 1, during: int = 1, **extra: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 6,
        "walk_min": 24,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": during,
        "pain_1h": 1,
        "pain_next_morning": 1,
        **extra,
    }
    return Run.model_validate(data, context={"today": TODAY})


def session(days_ago: int, during: int = 1, exercise: str = "bridge", **extra: Any) -> Session:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": exercise, "sets": 3, "reps": [10, 10, 10]}],
        "pain_before": 1,
        "pain_during": during,
        "pain_after": 1,
        **extra,
    }
    return Session.model_validate(data, context={"today": TODAY})


def phases(*starts: tuple[int, int]) -> list[PhaseStart]:
    """A phase history from (phase, days ago) pairs, oldest first."""
    return [
        PhaseStart(phase=p, started=TODAY - dt.timedelta(days=ago))  # type: ignore[arg-type]
        for p, ago in starts
    ]


#: The reviewer's store: phase 2, then 3, then back to 2 this morning; green level-1
#: runs every three days up to yesterday.
WENT_BACK = phases((1, 83), (2, 62), (3, 27), (2, 0))
RUNS_UP_TO_YESTERDAY = [run(days) for days in range(40, 0, -3)]


def gate(
    history: list[PhaseStart],
    runs: list[Run],
    sessions: list[Session] | None = None,
    answers: EntryAnswers = NOTHING,
    library: Library | None = None,
    **kw: Any,
) -> RunGate:
    assert library is not None
    return run_gate(history, runs, sessions or [], answers, library, today=TODAY, **kw)


def card(
    history: list[PhaseStart],
    runs: list[Run],
    sessions: list[Session] | None = None,
    answers: EntryAnswers = NOTHING,
    library: Library | None = None,
    paused: bool = False,
) -> Any:
    assert library is not None
    return running_card(history, paused, runs, sessions or [], answers, library, today=TODAY)


# -- going back a phase ------------------------------------------------------------------


def test_going_back_a_phase_after_the_latest_run_asks_the_checklist_again(
    library: Library,
) -> None:
    found = gate(WENT_BACK, RUNS_UP_TO_YESTERDAY, library=library)
    assert not found.open and found.ask_checklist
    assert "went back to phase 2 on 30 Nov" in found.again
    assert found.why == found.again


def test_today_shows_the_checklist_when_the_runs_page_is_shut_on_the_same_store(
    library: Library,
) -> None:
    today = card(WENT_BACK, RUNS_UP_TO_YESTERDAY, library=library)
    assert today.kind == "checklist"
    assert today.next_run is None
    assert "went back to phase 2" in today.again


def test_with_the_checklist_met_again_both_pages_offer_the_same_next_run(
    library: Library,
) -> None:
    found = gate(WENT_BACK, RUNS_UP_TO_YESTERDAY, answers=READY, library=library)
    today = card(WENT_BACK, RUNS_UP_TO_YESTERDAY, answers=READY, library=library)
    assert found.open
    assert today.kind == "next_run"
    assert today.next_run.advice == found.advice
    assert (found.advice.kind, found.advice.level) == ("progress_level", 2)


def test_a_run_after_going_back_shows_the_checklist_was_met_again(library: Library) -> None:
    history = phases((2, 62), (3, 27), (2, 5))
    runs = [run(8), run(6), run(3), run(1)]
    assert gate(history, runs, library=library).open


@pytest.mark.parametrize(
    ("history", "back"),
    [
        (phases((3, 20), (2, 0)), 2),  # down this morning, after yesterday's run
        (phases((3, 20), (2, 1)), 2),  # down on the day of the latest run: in doubt, asked
        (phases((2, 20), (3, 0)), None),  # up a phase is no reason to ask again
        (phases((3, 20), (2, 5)), None),  # down, but a run since
        (phases((2, 20), (2, 0)), None),  # the same phase confirmed
    ],
)
def test_went_back_compares_the_phase_of_the_latest_run_with_the_phases_since(
    history: list[PhaseStart], back: int | None
) -> None:
    found = went_back(history, [run(3), run(1)])
    assert (found.phase if found else None) == back


# -- when the programme opens ------------------------------------------------------------


def test_phase_3_without_runs_asks_the_checklist_too(library: Library) -> None:
    # Section 7 opens the programme "in phase 2 or 3 once its entry checklist is met".
    assert not gate(phases((3, 10)), [], library=library).open
    assert gate(phases((3, 10)), [], answers=READY, library=library).open


def test_phase_1_keeps_it_shut_even_after_the_programme_was_complete(library: Library) -> None:
    tops = [run(5, level=9, run_min=30, walk_min=0), run(3, level=9, run_min=30, walk_min=0)]
    hops = [
        session(6, exercise="double_leg_hops", pain_next_morning=1),
        session(4, exercise="single_leg_hops", pain_next_morning=1),
        session(2, exercise="diagonal_hops", pain_next_morning=1),
    ]
    history = phases((3, 40), (1, 0))
    found = gate(history, tops, hops, READY, library)
    assert found.maintenance.complete
    assert not found.open
    assert "opens in phase 2 or 3" in found.why
    assert card(history, tops, hops, READY, library).kind == "none"


@pytest.mark.parametrize("history", [[], phases((1, 10))], ids=["no phase", "phase 1"])
def test_before_phase_2_it_stays_shut_even_with_the_checklist_met(
    library: Library, history: list[PhaseStart]
) -> None:
    found = gate(history, [], answers=READY, library=library)
    assert not found.open and found.ask_checklist
    assert "opens in phase 2 or 3" in found.why


def test_phase_2_opens_only_once_every_point_is_met(library: Library) -> None:
    assert not gate(phases((2, 10)), [], library=library).open
    almost = EntryAnswers(pain_now=3, brisk_walk=True, single_leg_hops=True)
    assert not gate(phases((2, 10)), [], answers=almost, library=library).open
    assert gate(phases((2, 10)), [], answers=READY, library=library).open


@pytest.mark.parametrize(("days_off", "opened"), [(13, True), (14, False)])
def test_14_days_without_a_run_ask_the_checklist_again(
    library: Library, days_off: int, opened: bool
) -> None:
    found = gate(phases((3, 30)), [run(days_off)], library=library)
    assert found.open is opened
    if not opened:
        assert "check the four points again" in found.why
        assert gate(phases((3, 30)), [run(days_off)], answers=READY, library=library).open


def test_free_runs_alone_do_not_show_the_checklist_was_met(library: Library) -> None:
    free = [run(5, level=None), run(2, level=None)]
    assert not gate(phases((2, 30)), free, library=library).open
    assert gate(phases((2, 30)), [*free, run(1)], library=library).open


def test_a_paused_plan_shuts_it_and_asks_nothing(library: Library) -> None:
    found = gate(phases((3, 30)), [run(3), run(1)], answers=READY, library=library, paused=True)
    assert not found.open and not found.ask_checklist
    assert "paused" in found.why


@pytest.mark.parametrize(
    ("history", "runs", "answers"),
    [
        (phases((2, 30)), [], NOTHING),
        (phases((2, 30)), [], READY),
        (phases((3, 30)), [run(3), run(1)], NOTHING),
        (phases((3, 30)), [run(20)], NOTHING),
        (phases((3, 30)), [run(20)], READY),
        (WENT_BACK, RUNS_UP_TO_YESTERDAY, NOTHING),
        (WENT_BACK, RUNS_UP_TO_YESTERDAY, READY),
    ],
)
def test_today_offers_a_next_run_exactly_when_the_runs_page_is_open(
    library: Library, history: list[PhaseStart], runs: list[Run], answers: EntryAnswers
) -> None:
    found = gate(history, runs, answers=answers, library=library)
    today = card(history, runs, answers=answers, library=library)
    assert (today.kind == "next_run") is found.open


# -- what the next run may be ------------------------------------------------------------


def test_an_amber_exercise_session_today_holds_the_running_level(library: Library) -> None:
    runs = [run(3), run(1)]
    found = gate(phases((3, 30)), runs, [session(0, during=5)], library=library)
    assert (found.advice.kind, found.advice.level) == ("hold", 1)
    assert "exercise session on 30 Nov was amber" in " ".join(found.advice.reasons)
    assert "5/10" in " ".join(found.advice.reasons)


def test_a_red_exercise_session_between_the_two_green_runs_holds_the_level_too() -> None:
    runs = [run(3), run(1)]
    advice = advise(runs, TODAY, sessions=[session(2, during=6)])
    assert (advice.kind, advice.level) == ("hold", 1)
    assert "was red" in " ".join(advice.reasons)


def test_green_sessions_and_older_amber_ones_do_not_hold_a_level_up() -> None:
    runs = [run(3), run(1)]
    calm = [session(4, during=5), session(2), session(0)]
    assert advise(runs, TODAY, sessions=calm).kind == "progress_level"


def test_an_amber_session_by_next_morning_pain_holds_the_level() -> None:
    sore = [session(1, pain_next_morning=2)]
    assert advise([run(3), run(1)], TODAY, sessions=sore).kind == "hold"


def test_a_red_run_earlier_the_same_day_is_not_hidden_by_a_green_one() -> None:
    runs = [run(3, level=2), run(1, level=2, during=5), run(1, level=2)]
    advice = advise(runs, TODAY)
    assert (advice.kind, advice.level, advice.zone) == ("step_back", 1, "red")


# -- where a checklist point comes from --------------------------------------------------


def _items(checklist: Any) -> dict[str, str]:
    return {item.id: item.status for item in checklist.items}


def test_a_hop_point_met_by_a_green_hop_session_says_it_comes_from_the_log() -> None:
    hops = [session(3, exercise="single_leg_hops", pain_next_morning=1)]
    found = _items(entry_checklist(1, True, None, hops, today=TODAY))
    assert found["single_leg_hops"] == "Met: from your log"
    assert found["mornings_settled"] == "Met: from your log"
    assert found["pain_now"] == "Met: from your answer"


def test_a_yes_to_the_hops_says_it_comes_from_the_answer() -> None:
    found = _items(entry_checklist(1, True, True, today=TODAY))
    assert found["single_leg_hops"] == "Met: from your answer"


def test_a_no_to_the_hops_today_counts_over_a_green_hop_session_in_the_log() -> None:
    hops = [session(3, exercise="single_leg_hops", pain_next_morning=1)]
    found = entry_checklist(1, True, False, hops, today=TODAY)
    assert _items(found)["single_leg_hops"] == "Not met yet"
    assert not found.met
