"""Walk-run advice (clinical-rules.md section 7): first match wins, reasons name runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import Run
from kneecore.running import advise
from kneecore.words import format_day

TODAY = dt.date(2026, 6, 20)


def run(days_ago: int, level: int | None = 3, **changes: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 18,
        "walk_min": 12,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        "pain_1h": 1,
        "pain_next_morning": 1,
    }
    data.update(changes)
    return Run.model_validate(data)


def day(days_ago: int) -> str:
    return format_day(TODAY - dt.timedelta(days=days_ago), TODAY)


def test_with_no_runs_start_at_level_1_after_the_entry_checklist():
    advice = advise([], TODAY)
    assert (advice.kind, advice.level, advice.checklist) == ("hold", 1, True)


def test_two_green_runs_at_a_level_with_next_mornings_move_up_one_level():
    advice = advise([run(4), run(2)], TODAY)
    assert (advice.kind, advice.level) == ("progress_level", 4)
    assert day(4) in advice.reasons[0] and day(2) in advice.reasons[0]
    assert advice.why and "4" in advice.advice


def test_one_green_run_at_a_level_holds():
    advice = advise([run(4, level=2), run(2)], TODAY)
    assert (advice.kind, advice.level) == ("hold", 3)


def test_a_green_run_without_its_next_morning_pain_holds_and_asks_for_it():
    advice = advise([run(4), run(2, pain_next_morning=None)], TODAY)
    assert (advice.kind, advice.level) == ("hold", 3)
    assert "next-morning pain" in advice.reasons[-1] and day(2) in advice.reasons[-1]


def test_the_order_runs_are_given_in_does_not_matter():
    runs = [run(6, level=2), run(4), run(2)]
    assert advise(runs[::-1], TODAY) == advise(runs, TODAY)


def test_runs_after_today_are_ignored():
    later = run(0).model_copy(update={"date": TODAY + dt.timedelta(days=1), "pain_during": 9})
    assert advise([run(4), run(2), later], TODAY).kind == "progress_level"


# -- step back ---------------------------------------------------------------------------


def test_a_red_latest_run_steps_back_one_level_naming_it():
    advice = advise([run(4), run(2, pain_during=5)], TODAY)
    assert (advice.kind, advice.level) == ("step_back", 2)
    assert day(2) in advice.reasons[0] and "red" in advice.reasons[0]


def test_pain_4_during_is_amber_not_red_so_one_such_run_holds():
    advice = advise([run(4), run(2, pain_during=4)], TODAY)
    assert (advice.kind, advice.level) == ("hold", 3)


def test_two_of_the_last_three_runs_amber_step_back():
    runs = [run(6, pain_during=3), run(4), run(2, pain_during=3)]
    advice = advise(runs, TODAY)
    assert (advice.kind, advice.level) == ("step_back", 2)
    assert day(6) in advice.reasons[0] and day(2) in advice.reasons[0]


def test_two_amber_runs_four_runs_ago_and_older_do_not_step_back():
    runs = [run(10, pain_during=3), run(8, pain_during=3), run(6), run(4), run(2)]
    assert advise(runs, TODAY).kind == "progress_level"


def test_a_step_back_never_goes_below_level_1():
    assert advise([run(2, level=1, pain_during=6)], TODAY).level == 1


def test_a_red_free_run_steps_the_programme_level_back_too():
    advice = advise([run(6), run(4), run(2, level=None, pain_during=7)], TODAY)
    assert (advice.kind, advice.level) == ("step_back", 2)


# -- days without a run ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_off", "level", "dropped"), [(4, 5, 0), (5, 4, 1), (9, 4, 1), (10, 3, 2), (20, 1, 4)]
)
def test_one_level_lower_for_every_5_days_without_a_run(days_off, level, dropped):
    advice = advise(
        [run(days_off + 2, level=5), run(days_off, level=5, pain_next_morning=None)], TODAY
    )
    assert (advice.level, advice.dropped, advice.days_off) == (level, dropped, days_off)
    if dropped:
        assert advice.kind == "hold" and str(days_off) in advice.reasons[0]


def test_drops_stop_at_level_1():
    advice = advise([run(40, level=2)], TODAY)
    assert (advice.level, advice.dropped) == (1, 1)


def test_after_a_break_two_green_runs_do_not_move_up_even_at_level_1():
    advice = advise([run(24, level=1), run(22, level=1)], TODAY)
    assert (advice.kind, advice.level) == ("hold", 1)
    assert "22 days" in advice.reasons[0]


def test_the_drop_is_applied_first_then_the_step_back():
    advice = advise([run(12, level=6), run(10, level=6, pain_during=5)], TODAY)
    assert (advice.kind, advice.level, advice.dropped) == ("step_back", 3, 2)


@pytest.mark.parametrize(("days_off", "again"), [(13, False), (14, True)])
def test_the_entry_checklist_is_asked_again_after_14_days_without_a_run(days_off, again):
    advice = advise([run(days_off, level=2)], TODAY)
    assert advice.checklist is again
    assert any("check the four points" in r for r in advice.reasons) is again


# -- at most two level-ups in 7 days ------------------------------------------------------


def test_a_third_level_up_within_7_days_is_held():
    runs = [run(7, level=1), run(5, level=2), run(3, level=3), run(1, level=3)]
    advice = advise(runs, TODAY)
    assert (advice.kind, advice.level) == ("hold", 3)
    assert "moved up 2 levels" in advice.reasons[-1]


def test_a_level_up_7_days_ago_no_longer_counts():
    runs = [run(9, level=1), run(7, level=2), run(3, level=3), run(1, level=3)]
    assert advise(runs, TODAY).kind == "progress_level"


def test_level_9_is_the_last_level():
    advice = advise([run(4, level=9), run(2, level=9)], TODAY)
    assert (advice.kind, advice.level) == ("hold", 9)


def test_a_streak_at_a_level_starts_again_after_a_different_level():
    runs = [run(12, level=4), run(10, level=2), run(2, level=4)]
    assert advise(runs, TODAY).kind == "hold"


def test_an_amber_free_run_between_two_green_level_runs_holds():
    runs = [run(6), run(4, level=None, pain_during=3), run(2)]
    assert (advise(runs, TODAY).kind, advise(runs, TODAY).level) == ("hold", 3)


# -- see a GP -----------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["swelling", "locking", "giving_way"])
def test_swelling_locking_or_giving_way_after_a_run_means_see_a_gp(flag):
    advice = advise([run(6), run(4, **{flag: True}), run(2)], TODAY)
    assert advice.kind == "see_gp"
    assert day(4) in advice.reasons[0] and flag.replace("_", " ") in advice.reasons[0]


def test_three_red_runs_within_14_days_mean_see_a_gp():
    runs = [run(15, pain_during=6), run(8, pain_during=6), run(2, pain_during=6)]
    assert advise(runs, TODAY).kind == "see_gp"


def test_three_red_runs_spread_over_15_days_step_back_instead():
    runs = [run(16, pain_during=6), run(8, pain_during=6), run(2, pain_during=6)]
    assert advise(runs, TODAY).kind == "step_back"


def test_see_a_gp_wins_over_step_back_and_its_level_is_lowered_too():
    advice = advise([run(4), run(2, pain_during=6, swelling=True)], TODAY)
    assert (advice.kind, advice.level) == ("see_gp", 2)


def test_runs_before_a_clearance_do_not_count_for_see_a_gp():
    runs = [run(10, swelling=True), run(4), run(2)]
    cleared = TODAY - dt.timedelta(days=8)
    assert advise(runs, TODAY, see_gp_from=cleared).kind == "progress_level"


# -- flags on the latest run --------------------------------------------------------------


def test_the_advice_carries_the_latest_runs_flags_and_zone():
    advice = advise(
        [run(3, level=None, distance_km=3.0), run(2, level=None, distance_km=5.0)], TODAY
    )
    assert [f.kind for f in advice.flags] == ["rest_day", "load_spike"]
    assert advice.zone == "green"
