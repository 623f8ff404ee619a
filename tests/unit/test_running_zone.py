"""A run's zone (clinical-rules.md section 7): both sides of every threshold."""

from __future__ import annotations

import pytest

from kneecore.running import run_zone


@pytest.mark.parametrize(
    ("during", "expected"),
    [(0, "green"), (2, "green"), (3, "amber"), (4, "amber"), (5, "red"), (10, "red")],
)
def test_pain_during_the_run_sets_the_zone_at_2_and_4(during, expected):
    assert run_zone(during, pain_before=0, pain_1h=0, pain_next_morning=0) == expected


@pytest.mark.parametrize(("morning", "expected"), [(2, "green"), (3, "amber"), (4, "red")])
def test_next_morning_pain_above_the_pre_run_level_makes_it_amber_then_red(morning, expected):
    assert run_zone(1, pain_before=2, pain_next_morning=morning) == expected


@pytest.mark.parametrize(("one_hour", "expected"), [(1, "green"), (2, "amber"), (3, "red")])
def test_pain_an_hour_after_one_point_up_is_amber_and_two_points_red(one_hour, expected):
    assert run_zone(2, pain_before=1, pain_1h=one_hour) == expected


def test_pain_that_settles_below_the_pre_run_level_is_green():
    assert run_zone(2, pain_before=3, pain_1h=0, pain_next_morning=1) == "green"


def test_a_limp_makes_any_run_red():
    assert run_zone(0, pain_before=0, pain_1h=0, pain_next_morning=0, limp=True) == "red"
    assert run_zone(0, pain_before=0, pain_1h=0, pain_next_morning=0, limp=False) == "green"


def test_the_worst_of_during_one_hour_and_next_morning_counts():
    assert run_zone(3, pain_before=0, pain_1h=2, pain_next_morning=0) == "red"
    assert run_zone(1, pain_before=0, pain_1h=0, pain_next_morning=1) == "amber"


def test_pains_not_entered_yet_do_not_count_against_the_run():
    assert run_zone(2, pain_before=1) == "green"
    assert run_zone(2) == "green"


def test_without_the_pre_run_pain_any_pain_after_counts_as_a_rise():
    # Safety first: nothing to compare with, so 2/10 the next morning is two points up.
    assert run_zone(1, pain_next_morning=2) == "red"
    assert run_zone(1, pain_1h=1) == "amber"
    assert run_zone(1, pain_1h=0, pain_next_morning=0) == "green"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pain_during": 11}, "pain_during"),
        ({"pain_during": -1}, "pain_during"),
        ({"pain_during": 2.5}, "pain_during"),
        ({"pain_during": True}, "pain_during"),
        ({"pain_during": 1, "pain_before": 12}, "pain_before"),
        ({"pain_during": 1, "pain_1h": "3"}, "pain_1h"),
        ({"pain_during": 1, "pain_next_morning": 11}, "pain_next_morning"),
        ({"pain_during": 1, "limp": "no"}, "limp"),
        ({"pain_during": None}, "pain_during"),
    ],
)
def test_a_pain_that_is_not_a_whole_number_from_0_to_10_is_refused(kwargs, field):
    with pytest.raises(ValueError, match=field):
        run_zone(**kwargs)
