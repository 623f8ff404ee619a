"""Acceptance test: clinical-rules.md sections 1 and 2, rule by rule, as the spec words it.

Each test name cites the section it checks. Only the public API is used:
``kneecore.selfcheck.assess`` with the answer ids of section 1, ``kneecore.pain.zone``,
and ``kneecore.progression.recommend`` with ``Session``/``PhaseStart`` models. Where the
spec leaves room, the safer reading is chosen and the comment says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kneecore.selfcheck import assess
from tests.spec import AKPS_POINTS

TODAY = dt.date(2025, 11, 20)

# A person with no warning signs who passes every home test and wants to run.
FIT: dict[str, Any] = {
    "age": 30,
    "pain_now": 0,
    "pain_worst_week": 2,
    "weeks_of_symptoms": 0,
    "goal": "running",
    "side": "left",
    "hip_or_thigh_pain_or_limp": False,
    "semi_squat_pain": 0,
    "step_down_pain": 0,
    "single_leg_stance_s": 30,
    "hop_pain": 0,
}


def check(**changes: Any) -> Any:
    return assess({**FIT, **changes}, on=TODAY)


# -- section 1/2: red flags -------------------------------------------------------------

RED_FLAGS = [
    ("injury_cannot_bear_weight", "emergency"),
    ("injury_ottawa_other", "emergency"),
    ("hot_red_fever", "emergency"),
    ("calf_swelling", "emergency"),
    ("deformity_or_cannot_move", "emergency"),
    ("numb_or_cold_foot", "emergency"),
    ("locking", "gp_soon"),
    ("giving_way", "gp_soon"),
    ("marked_swelling", "gp_soon"),
    ("rest_or_night_pain", "gp_soon"),
    ("weight_loss_or_unwell", "gp_soon"),
]


@pytest.mark.parametrize(("flag", "urgency"), RED_FLAGS)
def test_s1_each_red_flag_alone_gives_its_urgency_and_no_phase(flag: str, urgency: str) -> None:
    result = check(**{flag: True})
    assert result.urgency == urgency
    assert result.phase is None
    assert result.red_flags == [flag]
    assert any("not a diagnosis" in line for line in result.advice)


def test_s1_calf_swelling_advice_says_call_the_emergency_number_with_chest_pain() -> None:
    advice = " ".join(check(calf_swelling=True).advice).lower()
    assert "emergency number" in advice
    assert "chest pain" in advice


@pytest.mark.parametrize(
    ("changes", "flagged"),
    [
        ({"pain_worst_week": 8}, ["severe_pain"]),
        ({"pain_worst_week": 10}, ["severe_pain"]),
        ({"pain_worst_week": 7}, []),
        ({"age": 15, "hip_or_thigh_pain_or_limp": True}, ["child_hip"]),
        ({"age": 8, "hip_or_thigh_pain_or_limp": True}, ["child_hip"]),
        ({"age": 16, "hip_or_thigh_pain_or_limp": True}, []),
        ({"age": 15, "hip_or_thigh_pain_or_limp": False}, []),
    ],
)
def test_s1_derived_flags_severe_pain_and_child_hip_are_gp_soon(
    changes: dict[str, Any], flagged: list[str]
) -> None:
    result = check(**changes)
    assert result.red_flags == flagged
    if flagged:
        assert result.urgency == "gp_soon"
        assert result.phase is None
    else:
        assert result.urgency in ("none", "check_if_no_better")
        assert result.phase is not None


@pytest.mark.parametrize(
    ("changes", "urgency"),
    [
        ({"locking": True, "calf_swelling": True}, "emergency"),
        ({"pain_worst_week": 9, "hot_red_fever": True}, "emergency"),
        ({"giving_way": True, "weeks_of_symptoms": 10}, "gp_soon"),
        ({"pain_worst_week": 8, "weeks_of_symptoms": 3}, "gp_soon"),
        ({"age": 12, "hip_or_thigh_pain_or_limp": True, "weeks_of_symptoms": 2}, "gp_soon"),
    ],
)
def test_s2_urgency_is_the_highest_that_applies(changes: dict[str, Any], urgency: str) -> None:
    result = check(**changes)
    assert result.urgency == urgency
    assert result.phase is None


def test_s2_every_flag_that_applies_is_listed_with_its_reason() -> None:
    result = check(locking=True, calf_swelling=True, pain_worst_week=9)
    assert set(result.red_flags) == {"locking", "calf_swelling", "severe_pain"}
    reasons = " ".join(result.reasons).lower()
    assert "locks" in reasons and "calf" in reasons and "severe" in reasons


@pytest.mark.parametrize(
    ("weeks", "worst", "urgency"),
    [
        (0, 3, "none"),
        (1, 3, "check_if_no_better"),
        (0, 4, "check_if_no_better"),
        (0, 0, "none"),
        (520, 7, "check_if_no_better"),
    ],
)
def test_s2_check_if_no_better_when_weeks_1_or_more_or_worst_pain_4_or_more(
    weeks: int, worst: int, urgency: str
) -> None:
    result = check(weeks_of_symptoms=weeks, pain_worst_week=worst)
    assert result.urgency == urgency
    assert result.phase is not None
    if urgency == "check_if_no_better":
        assert any("stop running" in line.lower() for line in result.advice)


def test_s2_six_weeks_or_more_adds_a_get_checked_line_and_five_weeks_does_not() -> None:
    six = " ".join(check(weeks_of_symptoms=6).advice)
    five = " ".join(check(weeks_of_symptoms=5).advice)
    assert "six weeks" in six and "six weeks" not in five


# -- section 1: Kujala score ------------------------------------------------------------

BEST = dict.fromkeys(AKPS_POINTS, 0)


def test_s1_akps_best_options_score_100_and_worst_score_0() -> None:
    assert sum(points[0] for points in AKPS_POINTS.values()) == 100
    assert check(**BEST).akps == 100
    worst = {item: len(points) - 1 for item, points in AKPS_POINTS.items()}
    assert check(**worst).akps == 0


@pytest.mark.parametrize(
    ("item", "index", "points"),
    [(item, i, p) for item, points in AKPS_POINTS.items() for i, p in enumerate(points)],
)
def test_s1_akps_option_points_are_as_published(item: str, index: int, points: int) -> None:
    maximum = AKPS_POINTS[item][0]
    assert check(**{**BEST, item: index}).akps == 100 - maximum + points


@pytest.mark.parametrize("item", list(AKPS_POINTS))
def test_s1_akps_with_any_item_unanswered_is_none(item: str) -> None:
    answers = {**BEST}
    del answers[item]
    assert check(**answers).akps is None


@pytest.mark.parametrize("item", list(AKPS_POINTS))
def test_s1_akps_option_past_the_last_is_refused_naming_the_item(item: str) -> None:
    with pytest.raises((ValidationError, ValueError), match=item):
        check(**{**BEST, item: len(AKPS_POINTS[item])})


# -- section 2: phase -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({}, 3),
        ({"goal": "sport"}, 3),
        ({"goal": "daily_life"}, 2),
        ({"pain_now": 2}, 3),
        ({"pain_now": 3, "pain_worst_week": 3}, 2),
        ({"pain_worst_week": 3}, 3),
        ({"pain_worst_week": 4}, 2),
        ({"semi_squat_pain": 1}, 3),
        ({"semi_squat_pain": 2}, 2),
        ({"step_down_pain": 2}, 3),
        ({"step_down_pain": 3}, 2),
        ({"single_leg_stance_s": 30}, 3),
        ({"single_leg_stance_s": 45}, 3),  # capped at 30
        ({"single_leg_stance_s": 29.5}, 2),
        ({"hop_pain": 2}, 3),
        ({"hop_pain": 3}, 2),
        # Phase 2 thresholds, both sides.
        ({"goal": "daily_life", "pain_now": 3, "pain_worst_week": 3}, 2),
        ({"goal": "daily_life", "pain_now": 4, "pain_worst_week": 4}, 1),
        ({"goal": "daily_life", "pain_worst_week": 5}, 2),
        ({"goal": "daily_life", "pain_worst_week": 6}, 1),
        ({"goal": "daily_life", "semi_squat_pain": 3, "hop_pain": None}, 2),
        ({"goal": "daily_life", "semi_squat_pain": 4, "hop_pain": None}, 1),
        ({"pain_now": 4, "pain_worst_week": 4}, 1),
        ({"pain_now": 10, "pain_worst_week": 10, "giving_way": False}, None),  # severe
    ],
)
def test_s2_phase_conditions_on_both_sides_of_every_threshold(
    changes: dict[str, Any], phase: int | None
) -> None:
    assert check(**changes).phase == phase


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({"semi_squat_pain": None}, 1),
        ({"semi_squat_pain": "unable"}, 1),
        ({"step_down_pain": None}, 2),
        ({"step_down_pain": "unable"}, 2),
        ({"single_leg_stance_s": None}, 2),
        ({"single_leg_stance_s": "unable"}, 2),
        ({"hop_pain": None}, 2),
        ({"hop_pain": "unable"}, 2),
    ],
)
def test_s2_a_test_not_done_or_not_possible_counts_as_not_passed(
    changes: dict[str, Any], phase: int
) -> None:
    result = check(**changes)
    assert result.phase == phase
    assert any("not passed" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("squat", "step", "asked"),
    [(2, 2, True), (0, 0, True), (3, 0, False), (0, 3, False), (None, 0, False)],
)
def test_s1_hop_only_counts_when_squat_and_step_down_pain_are_2_or_less(
    squat: int | None, step: int, asked: bool
) -> None:
    # A hop answer left over from an earlier screen must not count when it was not asked.
    result = check(goal="daily_life", semi_squat_pain=squat, step_down_pain=step, hop_pain=0)
    assert (result.answers["hop_pain"] == 0) is asked


def test_s2_phase_reasons_say_which_value_missed_which_threshold() -> None:
    reasons = " ".join(check(goal="daily_life", semi_squat_pain=5, hop_pain=None).reasons)
    assert "5/10" in reasons and "3/10" in reasons and "phase 2" in reasons


# -- section 1: invalid answers name the field ------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"pain_worst_week": -1}, "pain_worst_week"),
        ({"age": -3}, "age"),
        ({"age": 7}, "age"),
        ({"age": 101}, "age"),
        ({"weeks_of_symptoms": 521}, "weeks_of_symptoms"),
        ({"semi_squat_pain": 11}, "semi_squat_pain"),
        ({"hop_pain": "maybe"}, "hop_pain"),
        ({"goal": "swimming"}, "goal"),
        ({"side": "middle"}, "side"),
        ({"akps_limp": 3}, "akps_limp"),
        ({"akps_stairs": -1}, "akps_stairs"),
        ({"knee_feels_odd": True}, "knee_feels_odd"),
        ({"locking": "yes"}, "locking"),
    ],
)
def test_s1_invalid_answers_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises((ValidationError, ValueError), match=field):
        check(**changes)


# Gap found: pain now 9 with worst-of-week 2 gave no severe_pain flag and a phase. The
# worst pain of the last week includes today, so such answers are refused, naming the
# field, instead of guessing which number is right (the safer reading).
@pytest.mark.parametrize(("now", "worst"), [(9, 2), (3, 2), (1, 0)])
def test_s1_worst_pain_of_the_week_below_pain_now_is_refused(now: int, worst: int) -> None:
    with pytest.raises(ValidationError, match="pain_worst_week") as err:
        check(pain_now=now, pain_worst_week=worst)
    assert "pain now" in str(err.value)


def test_s1_worst_pain_of_the_week_equal_to_pain_now_is_accepted() -> None:
    assert check(pain_now=9, pain_worst_week=9).red_flags == ["severe_pain"]


@pytest.mark.parametrize("field", ["age", "pain_now", "pain_worst_week", "weeks_of_symptoms"])
def test_s1_missing_required_answers_are_refused_naming_the_field(field: str) -> None:
    answers = {**FIT}
    del answers[field]
    with pytest.raises((ValidationError, ValueError), match=field):
        assess(answers)


# -- section 2: advice ------------------------------------------------------------------


def _advice(result: Any) -> str:
    return " ".join(result.advice).lower()


@pytest.mark.parametrize(
    "phase_changes", [{"pain_now": 5, "pain_worst_week": 5}, {"goal": "daily_life"}, {}]
)
def test_s2_every_phase_result_carries_the_all_phase_safety_points(
    phase_changes: dict[str, Any],
) -> None:
    advice = _advice(check(**phase_changes))
    assert "swells, locks or gives way" in advice and "gp" in advice
    assert "20 minutes" in advice and "ice" in advice
    assert "healthcare provider" in advice
    assert "pain rules" in advice
    assert "not a diagnosis" in advice


@pytest.mark.parametrize(
    ("changes", "phase"), [({"pain_now": 5, "pain_worst_week": 5}, 1), ({"goal": "sport"}, 3)]
)
def test_s2_phases_1_and_2_forbid_deep_squats_lunges_running_and_jumping(
    changes: dict[str, Any], phase: int
) -> None:
    for result in (check(**changes), check(goal="daily_life")):
        advice = _advice(result)
        if result.phase in (1, 2):
            for word in ("deep squats", "lunges", "running", "jumping", "45 degree"):
                assert word in advice
        else:
            assert "deep squats" not in advice


def test_s2_phase_3_advice_progresses_hops_two_legs_one_leg_diagonal() -> None:
    result = check()
    assert result.phase == 3
    advice = _advice(result)
    two, one, diagonal = (advice.find(w) for w in ("two legs", "one leg", "diagonal"))
    assert 0 <= two < one < diagonal
    assert "stop at any pain" in advice


@pytest.mark.parametrize("flag", [f for f, _ in RED_FLAGS])
def test_s2_results_without_a_plan_still_say_not_a_diagnosis_and_why(flag: str) -> None:
    result = check(**{flag: True})
    assert "not a diagnosis" in _advice(result)
    assert any("no exercise plan" in r.lower() for r in result.reasons)


# -- section 2: safety invariant over the whole answer space ----------------------------

PAIN = st.integers(0, 10)
TEST_PAIN = st.one_of(st.none(), st.just("unable"), PAIN)
ANSWERS = st.fixed_dictionaries(
    {
        "age": st.integers(8, 100),
        "pain_now": PAIN,
        # Worst of the week below pain now is refused (see the test below); fixed later.
        "pain_worst_week": PAIN,
        "weeks_of_symptoms": st.integers(0, 520),
        "goal": st.sampled_from(["daily_life", "running", "sport"]),
        "hip_or_thigh_pain_or_limp": st.booleans(),
        "semi_squat_pain": TEST_PAIN,
        "step_down_pain": TEST_PAIN,
        "single_leg_stance_s": st.one_of(st.none(), st.just("unable"), st.integers(0, 60)),
        "hop_pain": TEST_PAIN,
        **{flag: st.booleans() for flag, _ in RED_FLAGS},
    }
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANSWERS)
def test_s2_no_answers_ever_give_a_phase_together_with_a_red_flag(answers: dict[str, Any]) -> None:
    answers["pain_worst_week"] = max(answers["pain_worst_week"], answers["pain_now"])
    result = assess(answers, on=TODAY)
    if result.red_flags or result.urgency in ("emergency", "gp_soon"):
        assert result.phase is None
        assert result.urgency in ("emergency", "gp_soon")
        assert result.red_flags
    else:
        assert result.phase in (1, 2, 3)
    # Never a harder phase than the rules allow: phase 3 needs every phase-3 condition.
    if result.phase == 3:
        assert answers["goal"] in ("running", "sport")
        assert answers["pain_now"] <= 2 and answers["pain_worst_week"] <= 3
        assert answers["semi_squat_pain"] in (0, 1)
        assert answers["step_down_pain"] in (0, 1, 2)
        assert answers["hop_pain"] in (0, 1, 2)
        stance = answers["single_leg_stance_s"]
        assert isinstance(stance, int) and stance >= 30
    if result.phase == 2:
        assert answers["pain_now"] <= 3 and answers["pain_worst_week"] <= 5
        assert answers["semi_squat_pain"] in (0, 1, 2, 3)
    assert "not a diagnosis" in _advice(result)
