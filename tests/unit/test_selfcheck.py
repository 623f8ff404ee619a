"""The self-check decides urgency, phase, Kujala score, reasons and advice by the spec.

Expected values here are copied from clinical-rules.md sections 1 and 2 (the spec), not
from the content files, so a wrong threshold in content makes these tests fail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kneecore.models import SelfCheckResult
from kneecore.questionnaire import load_questionnaire
from kneecore.selfcheck import (
    akps_change,
    akps_meaning,
    akps_score,
    assess,
    describe_answer_errors,
    hop_not_offered_text,
    hop_offered,
    phase_reasons,
    triage_red_flags,
)
from kneecore.store import Store

RED_FLAGS = {
    "injury_cannot_bear_weight": "emergency",
    "injury_ottawa_other": "emergency",
    "hot_red_fever": "emergency",
    "calf_swelling": "emergency",
    "deformity_or_cannot_move": "emergency",
    "numb_or_cold_foot": "emergency",
    "locking": "gp_soon",
    "giving_way": "gp_soon",
    "marked_swelling": "gp_soon",
    "rest_or_night_pain": "gp_soon",
    "weight_loss_or_unwell": "gp_soon",
}
AKPS_IDS = [
    "akps_limp",
    "akps_support",
    "akps_walking",
    "akps_stairs",
    "akps_squatting",
    "akps_running",
    "akps_jumping",
    "akps_sitting",
    "akps_pain",
    "akps_swelling",
    "akps_kneecap",
    "akps_wasting",
    "akps_bending",
]
AKPS_OPTION_COUNTS = [3, 3, 4, 4, 5, 5, 4, 5, 5, 5, 5, 3, 3]

# Everything a phase 3 result needs, each value right at its boundary.
PHASE_3: dict[str, Any] = {
    "age": 30,
    "side": "right",
    "weeks_of_symptoms": 0,
    "goal": "running",
    "pain_now": 2,
    "pain_worst_week": 3,
    "semi_squat_pain": 1,
    "step_down_pain": 2,
    "single_leg_stance_s": 30,
    "hop_pain": 2,
}
# A phase 2 result at its boundaries (goal daily_life keeps it out of phase 3).
PHASE_2: dict[str, Any] = {
    "age": 40,
    "weeks_of_symptoms": 0,
    "goal": "daily_life",
    "pain_now": 3,
    "pain_worst_week": 5,
    "semi_squat_pain": 3,
}


def answers(base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    return {**(base if base is not None else PHASE_3), **changes}


def lowered(result: SelfCheckResult) -> str:
    return "\n".join(result.reasons).lower()


# -- red flags and urgency -------------------------------------------------------------


@pytest.mark.parametrize(("flag", "urgency"), RED_FLAGS.items())
def test_every_red_flag_alone_sets_its_urgency_and_blocks_the_plan(flag: str, urgency: str) -> None:
    result = assess(answers(**{flag: True}))
    assert result.urgency == urgency
    assert result.phase is None
    assert result.red_flags == [flag]
    assert result.reasons, "the person is told why"
    assert not any("squat" in line.lower() for line in result.advice), "no exercise advice"


def test_without_red_flags_there_is_a_phase_and_no_flags() -> None:
    result = assess(PHASE_3)
    assert result.red_flags == []
    assert result.urgency == "none"
    assert result.phase == 3


@pytest.mark.parametrize(
    ("changes", "flag", "expected"),
    [
        ({"pain_worst_week": 8}, "severe_pain", True),
        ({"pain_worst_week": 10}, "severe_pain", True),
        ({"pain_worst_week": 7}, "severe_pain", False),
        ({"age": 15, "hip_or_thigh_pain_or_limp": True}, "child_hip", True),
        ({"age": 8, "hip_or_thigh_pain_or_limp": True}, "child_hip", True),
        ({"age": 16, "hip_or_thigh_pain_or_limp": True}, "child_hip", False),
        ({"age": 15, "hip_or_thigh_pain_or_limp": False}, "child_hip", False),
    ],
)
def test_derived_flags_are_gp_soon_exactly_at_their_thresholds(
    changes: dict[str, Any], flag: str, expected: bool
) -> None:
    result = assess(answers(**changes))
    assert (flag in result.red_flags) is expected
    if expected:
        assert result.urgency == "gp_soon"
        assert result.phase is None
    else:
        assert result.urgency in ("none", "check_if_no_better")
        assert result.phase is not None


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["locking", "calf_swelling"], "emergency"),
        (["weight_loss_or_unwell", "hot_red_fever", "giving_way"], "emergency"),
        (["marked_swelling", "rest_or_night_pain"], "gp_soon"),
    ],
)
def test_the_most_urgent_flag_wins(flags: list[str], expected: str) -> None:
    result = assess(answers(**dict.fromkeys(flags, True)))
    assert result.urgency == expected
    assert sorted(result.red_flags) == sorted(flags)


def test_a_derived_flag_with_an_emergency_is_still_an_emergency() -> None:
    result = assess(answers(pain_worst_week=9, numb_or_cold_foot=True))
    assert result.urgency == "emergency"
    assert set(result.red_flags) == {"numb_or_cold_foot", "severe_pain"}


def test_a_red_flag_outranks_check_if_no_better() -> None:
    result = assess(answers(weeks_of_symptoms=10, pain_worst_week=6, giving_way=True))
    assert result.urgency == "gp_soon"
    assert result.phase is None


@pytest.mark.parametrize(
    ("weeks", "worst", "expected"),
    [
        (0, 3, "none"),
        (1, 3, "check_if_no_better"),
        (0, 4, "check_if_no_better"),
        (12, 7, "check_if_no_better"),
    ],
)
def test_check_if_no_better_after_a_week_or_with_pain_of_4(
    weeks: int, worst: int, expected: str
) -> None:
    result = assess(answers(PHASE_2, weeks_of_symptoms=weeks, pain_worst_week=worst))
    assert result.urgency == expected
    assert result.phase is not None


def test_check_if_no_better_names_its_reason() -> None:
    result = assess(answers(weeks_of_symptoms=1))
    assert "1 week is 1 week or more" in lowered(result)
    assert any("stop running" in line.lower() for line in result.advice)


def test_six_weeks_of_pain_advises_a_check() -> None:
    assert not any("6 weeks" in a for a in assess(answers(weeks_of_symptoms=5)).advice)
    long = assess(answers(weeks_of_symptoms=6))
    assert any("6 weeks" in a and "four to six weeks" in a for a in long.advice)


def test_emergency_advice_says_what_to_do_now() -> None:
    result = assess(answers(calf_swelling=True))
    text = " ".join(result.advice).lower()
    assert "emergency department today" in text
    assert "chest pain" in text and "emergency number" in text


def test_gp_soon_advice_says_see_a_gp_first_and_why_no_plan() -> None:
    result = assess(answers(locking=True))
    assert "gp or physiotherapist before" in " ".join(result.advice).lower()
    assert "no exercise plan" in lowered(result)
    assert "locks" in lowered(result)


# -- the red-flag screen on its own ----------------------------------------------------


@pytest.mark.parametrize(("flag", "urgency"), RED_FLAGS.items())
def test_the_red_flag_screen_alone_returns_an_emergency_at_once(flag: str, urgency: str) -> None:
    result = triage_red_flags({flag: True})
    if urgency == "emergency":
        assert result is not None
        assert result.urgency == "emergency"
        assert result.phase is None
        assert result.red_flags == [flag]
    else:
        assert result is None, "gp_soon waits for the rest of the answers"


def test_the_red_flag_screen_with_no_yes_returns_nothing() -> None:
    assert triage_red_flags(dict.fromkeys(RED_FLAGS, False)) is None


def test_the_red_flag_screen_refuses_other_answers() -> None:
    with pytest.raises(ValidationError, match="pain_now"):
        triage_red_flags({"pain_now": 3})


# -- phases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({}, 3),
        ({"goal": "sport"}, 3),
        ({"goal": "daily_life"}, 2),
        ({"pain_now": 3}, 2),
        ({"pain_now": 0}, 3),
        ({"pain_worst_week": 4}, 2),
        ({"semi_squat_pain": 0}, 3),
        ({"semi_squat_pain": 2}, 2),
        ({"step_down_pain": 3}, 2),
        ({"single_leg_stance_s": 29}, 2),
        ({"single_leg_stance_s": 29.5}, 2),
        ({"single_leg_stance_s": 31}, 3),
        ({"hop_pain": 3}, 2),
        ({"hop_pain": 0}, 3),
    ],
)
def test_phase_3_boundaries(changes: dict[str, Any], phase: int) -> None:
    assert assess(answers(**changes)).phase == phase


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({}, 2),
        ({"pain_now": 4}, 1),
        ({"pain_now": 0}, 2),
        ({"pain_worst_week": 6}, 1),
        ({"pain_now": 0, "pain_worst_week": 0}, 2),
        ({"semi_squat_pain": 4}, 1),
        ({"semi_squat_pain": 0}, 2),
    ],
)
def test_phase_2_boundaries(changes: dict[str, Any], phase: int) -> None:
    assert assess(answers(PHASE_2, **changes)).phase == phase


@pytest.mark.parametrize(
    ("test_id", "value", "phase"),
    [
        ("semi_squat_pain", None, 1),
        ("semi_squat_pain", "unable", 1),
        ("step_down_pain", None, 2),
        ("step_down_pain", "unable", 2),
        ("single_leg_stance_s", None, 2),
        ("single_leg_stance_s", "unable", 2),
        ("hop_pain", None, 2),
        ("hop_pain", "unable", 2),
    ],
)
def test_a_test_not_done_or_not_possible_counts_as_not_passed(
    test_id: str, value: Any, phase: int
) -> None:
    data = answers(**{test_id: value})
    if value is None:
        del data[test_id]  # a missing answer is "did not try"
    result = assess(data)
    assert result.phase == phase
    word = "not done" if value is None else "could not do"
    assert word in lowered(result)


def test_goal_daily_life_caps_a_perfect_knee_at_phase_2() -> None:
    result = assess(answers(goal="daily_life", pain_now=0, pain_worst_week=0, hop_pain=0))
    assert result.phase == 2
    assert "goal is daily life, not running or sport for phase 3" in lowered(result)


def test_the_hop_test_is_offered_only_when_squats_and_step_downs_hurt_2_or_less() -> None:
    assert hop_offered({"semi_squat_pain": 2, "step_down_pain": 2})
    assert not hop_offered({"semi_squat_pain": 3, "step_down_pain": 0})
    assert not hop_offered({"semi_squat_pain": 0, "step_down_pain": 3})
    assert not hop_offered({"semi_squat_pain": None, "step_down_pain": 0})
    assert not hop_offered({"semi_squat_pain": 0, "step_down_pain": "unable"})
    text = hop_not_offered_text()
    assert "squat pain 2/10 or less" in text and "step-down pain 2/10 or less" in text


def test_a_hop_answer_is_not_counted_when_the_hop_was_not_offered() -> None:
    result = assess(answers(step_down_pain=3, hop_pain=0))
    assert result.answers["hop_pain"] is None
    assert "hop pain: test not offered" in lowered(result)


def test_reasons_name_the_deciding_values() -> None:
    result = assess(answers(PHASE_2, semi_squat_pain=5))
    assert result.phase == 1
    assert "squat pain 5/10 is above 3/10 for phase 2" in lowered(result)


def test_phase_2_reasons_say_what_was_met_and_what_phase_3_missed() -> None:
    result = assess(answers(single_leg_stance_s=12))
    assert result.phase == 2
    text = lowered(result)
    assert "pain now 2/10 is 3/10 or less, as phase 2 needs" in text
    assert "balance on the painful leg 12 s is below 30 s for phase 3" in text


def test_phase_3_reasons_list_every_condition_met() -> None:
    result = assess(PHASE_3)
    assert len(result.reasons) == 7
    assert all("as phase 3 needs" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("base", "phase"),
    [(PHASE_3, 3), (PHASE_2, 2), ({**PHASE_2, "pain_now": 7, "pain_worst_week": 7}, 1)],
)
def test_advice_matches_the_phase_and_ends_with_not_a_diagnosis(
    base: dict[str, Any], phase: int
) -> None:
    result = assess(base)
    assert result.phase == phase
    text = " ".join(result.advice).lower()
    assert "not a diagnosis" in result.advice[-1].lower()
    assert "swells, locks or gives way" in text
    assert "20 minutes" in text
    assert ("no deep squats, lunges, running or jumping" in text) is (phase in (1, 2))
    assert ("two legs first, then one leg, then diagonal" in text) is (phase == 3)


# -- Kujala score ----------------------------------------------------------------------


def test_akps_best_answers_score_100_and_worst_score_0() -> None:
    best = dict.fromkeys(AKPS_IDS, 0)
    worst = {i: n - 1 for i, n in zip(AKPS_IDS, AKPS_OPTION_COUNTS, strict=True)}
    assert akps_score(best) == 100
    assert akps_score(worst) == 0
    assert assess(answers(**best)).akps == 100
    assert assess(answers(**worst)).akps == 0


def test_akps_is_none_with_any_item_unanswered() -> None:
    for missing in AKPS_IDS:
        data = {i: 0 for i in AKPS_IDS if i != missing}
        assert akps_score(data) is None
        assert assess(answers(**data)).akps is None


@pytest.mark.parametrize(("item", "count"), list(zip(AKPS_IDS, AKPS_OPTION_COUNTS, strict=True)))
def test_every_akps_item_accepts_its_options_and_refuses_the_next(item: str, count: int) -> None:
    for option in range(count):
        assess(answers(**{item: option}))
    with pytest.raises(ValidationError, match=item):
        assess(answers(**{item: count}))
    with pytest.raises(ValidationError, match=item):
        assess(answers(**{item: -1}))


def test_akps_scores_the_published_points() -> None:
    # limp "slightly" 3, stairs "pain both ways" 5, others best: 100 - 2 - 5.
    data = {**dict.fromkeys(AKPS_IDS, 0), "akps_limp": 1, "akps_stairs": 2}
    assert akps_score(data) == 93


def test_akps_meaning_says_higher_is_better_and_what_a_real_change_is() -> None:
    text = akps_meaning(78)
    assert "78/100" in text and "higher is better" in text.lower() and "10 points" in text


def _check(score: int | None, day: int) -> SelfCheckResult:
    return SelfCheckResult(urgency="none", phase=1, akps=score, date=dt.date(2025, 3, day))


@pytest.mark.parametrize(
    ("before", "after", "real"), [(60, 70, True), (60, 69, False), (70, 60, True), (70, 61, False)]
)
def test_an_akps_change_of_10_or_more_is_real(before: int, after: int, real: bool) -> None:
    change = akps_change(_check(before, 1), _check(after, 20))
    assert change is not None
    assert change.delta == after - before
    assert change.real is real
    assert "1 Mar 2025" in change.text
    assert ("no real change" in change.text) is not real


def test_an_unchanged_akps_reads_as_no_change() -> None:
    change = akps_change(_check(80, 1), _check(80, 2))
    assert change is not None and change.delta == 0 and not change.real
    assert change.text.startswith("±0 points")


def test_no_akps_change_without_both_scores() -> None:
    assert akps_change(_check(None, 1), _check(80, 2)) is None
    assert akps_change(_check(80, 1), _check(None, 2)) is None


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_now", 11),
        ("pain_now", -1),
        ("pain_worst_week", 11),
        ("age", -3),
        ("age", 7),
        ("age", 101),
        ("weeks_of_symptoms", 521),
        ("weeks_of_symptoms", -1),
        ("goal", "swimming"),
        ("side", "middle"),
        ("semi_squat_pain", 11),
        ("semi_squat_pain", "maybe"),
        ("step_down_pain", -2),
        ("hop_pain", 12),
        ("single_leg_stance_s", -1),
        ("single_leg_stance_s", 601),
        ("single_leg_stance_s", float("nan")),
        ("pain_now", "3"),
        ("pain_now", 3.5),
        ("pain_now", True),
        ("locking", "yes"),
        ("akps_limp", "0"),
        ("favourite_colour", "blue"),
    ],
)
def test_invalid_answers_raise_an_error_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(ValidationError, match=field) as caught:
        assess(answers(**{field: value}))
    lines = describe_answer_errors(caught.value)
    assert lines and all(field in line for line in lines)


@pytest.mark.parametrize(
    "field", ["age", "pain_now", "pain_worst_week", "weeks_of_symptoms", "goal"]
)
def test_required_answers_missing_are_named(field: str) -> None:
    data = answers()
    del data[field]
    with pytest.raises(ValidationError, match=field) as caught:
        assess(data)
    assert "please answer" in describe_answer_errors(caught.value)[0]


def test_balance_times_over_30_seconds_are_capped_at_30() -> None:
    result = assess(answers(single_leg_stance_s=45))
    assert result.answers["single_leg_stance_s"] == 30


def test_optional_answers_take_safe_defaults() -> None:
    result = assess(
        {"age": 30, "pain_now": 0, "pain_worst_week": 0, "weeks_of_symptoms": 0, "goal": "sport"}
    )
    # No tests done: not passed, so the gentlest phase; no red flags assumed.
    assert result.phase == 1
    assert result.urgency == "none"
    assert result.akps is None


# -- saving ----------------------------------------------------------------------------


def test_a_result_is_saved_with_its_date_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "knee-data.json")
    result = assess(answers(weeks_of_symptoms=2), on=dt.date(2025, 4, 2))
    store.add_selfcheck(result)
    (saved,) = store.selfchecks()
    assert saved == result
    assert saved.date == dt.date(2025, 4, 2)


# -- the safety invariant, over many answers -------------------------------------------

PAIN = st.integers(0, 10)
TEST_PAIN = st.one_of(st.none(), st.just("unable"), PAIN)
ANSWERS = st.fixed_dictionaries(
    {
        "age": st.integers(8, 100),
        "pain_now": PAIN,
        "pain_worst_week": PAIN,
        "weeks_of_symptoms": st.integers(0, 520),
        "goal": st.sampled_from(["daily_life", "running", "sport"]),
        "hip_or_thigh_pain_or_limp": st.booleans(),
        "semi_squat_pain": TEST_PAIN,
        "step_down_pain": TEST_PAIN,
        "hop_pain": TEST_PAIN,
        "single_leg_stance_s": st.one_of(st.none(), st.just("unable"), st.integers(0, 600)),
        **{flag: st.booleans() for flag in RED_FLAGS},
    }
)


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_a_red_flag_never_reaches_an_exercise_plan(data: dict[str, Any]) -> None:
    # The worst pain of the week cannot be below the pain now (refused, tested apart).
    data = {**data, "pain_worst_week": max(data["pain_worst_week"], data["pain_now"])}
    result = assess(data)
    if any(data[flag] for flag in RED_FLAGS):
        assert result.phase is None
        assert result.urgency in ("emergency", "gp_soon")
    if result.red_flags:
        assert result.phase is None
    else:
        assert result.phase in (1, 2, 3)
        assert result.reasons
    assert "not a diagnosis" in result.advice[-1]


def test_the_questionnaire_is_loaded_once() -> None:
    assert load_questionnaire() is load_questionnaire()


def test_phase_reasons_are_the_part_of_the_reasons_that_explains_the_phase() -> None:
    result = assess(answers(PHASE_2, weeks_of_symptoms=2, pain_worst_week=3))
    for_phase = phase_reasons(result)
    assert for_phase and all("phase" in r.lower() for r in for_phase)
    rest = [r for r in result.reasons if r not in for_phase]
    assert rest == [
        "Time with knee pain 2 weeks is 1 week or more, "
        "so get checked if it is no better after a week"
    ]
    assert phase_reasons(assess(answers(locking=True))) == []
