"""The self-check decides urgency, phase, Kujala score, reasons and advice by the spec.

Expected values here are copied from clinical-rules.md sections 1 and 2 (version 2, the
spec), not from the content files, so a wrong threshold in content makes these tests
fail.
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
from kneecore.questionnaire import PAIN_LOCATIONS, load_questionnaire
from kneecore.selfcheck import (
    HISTORY_SIGNS,
    akps_change,
    akps_meaning,
    akps_score,
    assess,
    describe_answer_errors,
    hop_not_offered_text,
    hop_offered,
    phase_reasons,
    triage_red_flags,
    warning_signs,
)
from kneecore.store import Store

# A "yes" on the screen alone, for a 30-year-old whose pain began this week (weeks 0).
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
    "injury_onset": "gp_soon",
    "pop_with_swelling": "emergency",
    "hot_swollen": "emergency",
    "kneecap_dislocated": "gp_soon",
    "recent_surgery": "gp_soon",
}
# Screen answers whose "yes" is a warning sign at any age and any time since it began
# (injury_onset is not: from 6 weeks it is a line of advice).
ALWAYS_A_SIGN = [flag for flag in RED_FLAGS if flag != "injury_onset"]
# Screen answers whose "yes" is an emergency before any other answer is known.
EMERGENCY_ON_THE_SCREEN = [
    "injury_cannot_bear_weight",
    "hot_red_fever",
    "calf_swelling",
    "deformity_or_cannot_move",
    "numb_or_cold_foot",
    "hot_swollen",
]
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
#: Every Kujala answer at its best option: a knee score of 100.
AKPS_BEST = dict.fromkeys(AKPS_IDS, 0)
#: Stairs "cannot" (-10) and running "cannot" (-10): a knee score of exactly 80.
AKPS_80 = {**AKPS_BEST, "akps_stairs": 3, "akps_running": 4}
#: As above and squatting one step worse (-1): 79.
AKPS_79 = {**AKPS_80, "akps_squatting": 1}

# Everything a phase 3 result needs, each value right at its boundary, and a knee score
# of 100 (phase 3 needs 80 or more).
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
    **AKPS_BEST,
}
# A phase 2 result at its boundaries (goal daily_life keeps it out of phase 3; the
# balance test done, for any time, is enough).
PHASE_2: dict[str, Any] = {
    "age": 40,
    "weeks_of_symptoms": 0,
    "goal": "daily_life",
    "pain_now": 3,
    "pain_worst_week": 5,
    "semi_squat_pain": 3,
    "step_down_pain": 5,
    "single_leg_stance_s": 0,
}
EXAMINED = dt.date(2025, 5, 3)


def answers(base: dict[str, Any] | None = None, /, **changes: Any) -> dict[str, Any]:
    return {**(base if base is not None else PHASE_3), **changes}


def lowered(result: SelfCheckResult) -> str:
    return "\n".join(result.reasons).lower()


def sign_urgencies(result: SelfCheckResult) -> dict[str, str]:
    return {s.id: s.urgency for s in result.signs}


# -- red flags and urgency -------------------------------------------------------------


@pytest.mark.parametrize(("flag", "urgency"), RED_FLAGS.items())
def test_every_red_flag_alone_sets_its_urgency_and_blocks_the_plan(flag: str, urgency: str) -> None:
    result = assess(answers(**{flag: True}))
    assert result.urgency == urgency
    assert result.phase is None
    assert result.red_flags == [flag]
    assert [(s.id, s.urgency, s.cleared_on) for s in result.signs] == [(flag, urgency, None)]
    assert result.reasons, "the person is told why"
    assert not any("squat" in line.lower() for line in result.advice), "no exercise advice"


def test_without_red_flags_there_is_a_phase_and_no_flags() -> None:
    result = assess(PHASE_3)
    assert result.red_flags == []
    assert result.signs == []
    assert result.urgency == "none"
    assert result.phase == 3
    assert result.akps == 100


@pytest.mark.parametrize(
    ("changes", "flag", "expected"),
    [
        ({"pain_worst_week": 8}, "severe_pain", True),
        ({"pain_worst_week": 10}, "severe_pain", True),
        ({"pain_worst_week": 7}, "severe_pain", False),
        ({"pain_now": 7, "pain_worst_week": 7}, "severe_pain", True),
        ({"pain_now": 6, "pain_worst_week": 6}, "severe_pain", False),
        ({"age": 15, "hip_or_thigh_pain_or_limp": True}, "child_hip", True),
        ({"age": 12, "hip_or_thigh_pain_or_limp": True}, "child_hip", True),
        ({"age": 17, "hip_or_thigh_pain_or_limp": True}, "child_hip", True),
        ({"age": 18, "hip_or_thigh_pain_or_limp": True}, "child_hip", False),
        ({"age": 15, "hip_or_thigh_pain_or_limp": False}, "child_hip", False),
        ({"age": 18, "hip_or_thigh_pain_or_limp": True}, "adult_hip", True),
        ({"age": 17, "hip_or_thigh_pain_or_limp": True}, "adult_hip", False),
        ({"age": 30, "hip_or_thigh_pain_or_limp": False}, "adult_hip", False),
        ({"age": 11}, "young_child", True),
        ({"age": 8}, "young_child", True),
        ({"age": 12}, "young_child", False),
    ],
)
def test_derived_flags_are_gp_soon_exactly_at_their_thresholds(
    changes: dict[str, Any], flag: str, expected: bool
) -> None:
    result = assess(answers(**changes))
    assert (flag in result.red_flags) is expected
    if expected:
        assert result.urgency == "gp_soon"
        assert sign_urgencies(result)[flag] == "gp_soon"
        assert result.phase is None
    else:
        assert flag not in sign_urgencies(result)
        if not result.red_flags:
            assert result.urgency in ("none", "check_if_no_better")
            assert result.phase is not None


def test_a_child_with_hip_pain_and_a_fever_is_an_emergency() -> None:
    result = assess(answers(age=15, hip_or_thigh_pain_or_limp=True, fever_or_unwell=True))
    assert result.urgency == "emergency"
    assert sign_urgencies(result)["child_hip"] == "emergency"
    assert result.phase is None


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["locking", "calf_swelling"], "emergency"),
        (["weight_loss_or_unwell", "hot_red_fever", "giving_way"], "emergency"),
        (["marked_swelling", "rest_or_night_pain"], "gp_soon"),
        (["recent_surgery", "hot_swollen"], "emergency"),
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


# -- version 2: injuries depend on the time since they happened ------------------------


@pytest.mark.parametrize(("weeks", "urgency"), [(0, "emergency"), (1, "gp_soon"), (52, "gp_soon")])
def test_ottawa_signs_are_an_emergency_only_in_the_week_of_the_injury(
    weeks: int, urgency: str
) -> None:
    result = assess(answers(injury_ottawa_other=True, weeks_of_symptoms=weeks))
    assert result.urgency == urgency
    assert result.red_flags == ["injury_ottawa_other"]
    assert result.phase is None


@pytest.mark.parametrize(("weeks", "urgency"), [(0, "emergency"), (1, "gp_soon"), (30, "gp_soon")])
def test_swelling_within_hours_of_an_injury_is_an_emergency_only_that_week(
    weeks: int, urgency: str
) -> None:
    result = assess(answers(pop_with_swelling=True, weeks_of_symptoms=weeks))
    assert result.urgency == urgency
    assert result.red_flags == ["pop_with_swelling"]


@pytest.mark.parametrize(
    ("weeks", "age", "urgency"),
    [
        (0, 55, "emergency"),
        (0, 80, "emergency"),
        (0, 54, "gp_soon"),
        (1, 55, "gp_soon"),
        (5, 30, "gp_soon"),
    ],
)
def test_an_injury_is_an_emergency_from_55_that_week_and_gp_soon_under_6_weeks(
    weeks: int, age: int, urgency: str
) -> None:
    result = assess(answers(injury_onset=True, weeks_of_symptoms=weeks, age=age))
    assert result.urgency == urgency
    assert result.red_flags == ["injury_onset"]
    assert result.phase is None


def test_an_injury_6_weeks_ago_alone_keeps_the_plan_and_suggests_a_physiotherapist() -> None:
    result = assess(answers(injury_onset=True, weeks_of_symptoms=6))
    assert result.red_flags == []
    assert result.signs == []
    assert result.urgency == "check_if_no_better"
    assert result.phase == 3
    injury = [a for a in result.advice if "injury" in a.lower()]
    assert injury and "physiotherapist's assessment alongside this programme" in injury[0]
    assert not any("injury" in a.lower() for a in assess(answers(weeks_of_symptoms=6)).advice)


# -- version 2: fever, pregnancy, age --------------------------------------------------


def test_an_adult_with_a_fever_and_no_other_sign_gets_advice_only() -> None:
    result = assess(answers(age=18, fever_or_unwell=True))
    assert result.red_flags == []
    assert result.phase == 3
    text = " ".join(result.advice).lower()
    assert "do not exercise while you have a fever" in text
    assert "self-check again when you are well" in text
    assert "fever" not in " ".join(assess(PHASE_3).advice).lower()


def test_a_child_with_a_fever_sees_a_gp() -> None:
    result = assess(answers(age=17, fever_or_unwell=True))
    assert result.urgency == "gp_soon"
    assert result.red_flags == ["fever_or_unwell"]


@pytest.mark.parametrize(
    "other",
    [
        {"hot_swollen": True},
        {"marked_swelling": True},
        {"age": 15, "hip_or_thigh_pain_or_limp": True},
    ],
)
def test_a_fever_with_a_swollen_knee_or_a_child_s_limp_is_an_emergency(
    other: dict[str, Any],
) -> None:
    result = assess(answers(fever_or_unwell=True, **other))
    assert result.urgency == "emergency"
    assert sign_urgencies(result)["fever_or_unwell"] == "emergency"


def test_pregnancy_is_advice_only_naming_the_midwife_and_lying_flat() -> None:
    result = assess(answers(pregnant=True))
    assert result.red_flags == [] and result.phase == 3
    text = " ".join(result.advice).lower()
    assert "midwife" in text and "16 weeks" in text and "lying flat" in text
    assert "midwife" not in " ".join(assess(PHASE_3).advice).lower()


@pytest.mark.parametrize(("age", "phase"), [(69, 3), (70, 2), (85, 2)])
def test_from_70_a_runner_stops_at_phase_2_and_is_told_why(age: int, phase: int) -> None:
    result = assess(answers(age=age))
    assert result.phase == phase
    told = any("from 70" in a.lower() and "physiotherapist" in a for a in result.advice)
    assert told is (age >= 70)
    if age >= 70:
        assert f"you are {age}; phase 3 starts under the age of 70" in lowered(result)


def test_a_worst_week_of_7_keeps_phase_1_and_suggests_a_physiotherapist() -> None:
    result = assess(answers(pain_now=6, pain_worst_week=7))
    assert result.red_flags == []
    assert result.urgency == "check_if_no_better"
    assert result.phase == 1
    assert "your worst pain this week was severe (7/10)" in lowered(result)
    assert "physiotherapist's assessment alongside this programme" in lowered(result)
    # A worst week of 6 is moderate: no such line.
    assert "severe" not in lowered(assess(answers(pain_now=2, pain_worst_week=6)))


# -- version 2: where it hurts ---------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "age", "sign"),
    [
        (["around_kneecap"], 30, False),
        (["whole_knee"], 30, False),
        (["around_kneecap", "inner_side", "outer_side"], 30, False),
        (["outer_side"], 30, True),
        (["inner_side"], 30, True),
        (["inner_side", "outer_side"], 30, True),
        (["back_of_knee", "around_kneecap"], 30, True),
        (["back_of_knee", "whole_knee"], 30, True),
        (["below_kneecap", "around_kneecap"], 17, True),
        (["below_kneecap", "around_kneecap"], 18, False),
        (["below_kneecap"], 18, True),
    ],
)
def test_pain_away_from_the_kneecap_sends_to_a_gp(where: list[str], age: int, sign: bool) -> None:
    result = assess(answers(pain_location=where, age=age))
    assert ("pain_location" in result.red_flags) is sign
    if sign:
        assert result.urgency == "gp_soon"
        assert result.phase is None
    else:
        assert result.phase is not None


def test_a_single_pain_area_given_as_a_string_counts_as_a_list_of_one() -> None:
    result = assess(answers(pain_location="outer_side"))
    assert result.answers["pain_location"] == ["outer_side"]
    assert result.red_flags == ["pain_location"]
    kept = assess(answers(pain_location="around_kneecap"))
    assert kept.answers["pain_location"] == ["around_kneecap"]
    assert kept.phase == 3


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([], "at least one"),
        (["around_kneecap", "around_kneecap"], "only once"),
        (["outer_side", "inner_side", "outer_side"], "only once"),
    ],
)
def test_no_pain_area_or_a_repeated_one_is_refused_naming_the_field(
    value: list[str], words: str
) -> None:
    with pytest.raises(ValidationError, match="pain_location") as caught:
        assess(answers(pain_location=value))
    (line,) = describe_answer_errors(caught.value)
    assert "pain_location" in line and words in line


# -- version 2: Kujala answers that describe a warning sign ----------------------------


@pytest.mark.parametrize(
    ("changes", "sign", "urgency"),
    [
        ({"akps_support": 2}, "cannot_bear_weight", "emergency"),
        ({"akps_support": 1}, None, None),
        ({"akps_walking": 3}, "cannot_walk", "emergency"),
        ({"akps_walking": 2}, None, None),
        ({"akps_limp": 1, "age": 17}, "child_hip", "gp_soon"),
        ({"akps_limp": 2, "age": 17}, "child_hip", "gp_soon"),
        ({"akps_limp": 1, "age": 18}, None, None),
        ({"akps_limp": 2, "age": 18}, "adult_hip", "gp_soon"),
        ({"akps_limp": 1, "age": 15, "fever_or_unwell": True}, "child_hip", "emergency"),
        ({"akps_pain": 2}, "rest_or_night_pain", "gp_soon"),
        ({"akps_pain": 4}, "rest_or_night_pain", "gp_soon"),
        ({"akps_pain": 1}, None, None),
        ({"akps_pain": 3}, None, None),
        ({"akps_swelling": 3}, "marked_swelling", "gp_soon"),
        ({"akps_swelling": 4}, "marked_swelling", "gp_soon"),
        ({"akps_swelling": 2, "swelling_visible": True}, "marked_swelling", "gp_soon"),
        ({"akps_swelling": 2, "swelling_visible": False}, None, None),
        ({"akps_swelling": 2}, None, None),
        ({"akps_swelling": 1, "swelling_visible": True}, None, None),
        ({"akps_kneecap": 3}, "kneecap_dislocated", "gp_soon"),
        ({"akps_kneecap": 4}, "kneecap_dislocated", "gp_soon"),
        ({"akps_kneecap": 2}, None, None),
    ],
)
def test_kujala_answers_that_describe_a_warning_sign_count_as_that_sign(
    changes: dict[str, Any], sign: str | None, urgency: str | None
) -> None:
    result = assess(answers(**changes))
    if sign is None:
        assert result.signs == []
        assert result.phase is not None
    else:
        assert sign_urgencies(result)[sign] == urgency
        assert result.urgency == urgency
        assert result.phase is None


def test_a_kujala_answer_that_disagrees_with_the_screen_names_both_answers() -> None:
    result = assess(answers(akps_swelling=3, marked_swelling=False))
    assert result.red_flags == ["marked_swelling"]
    (reason,) = [s.reason for s in result.signs]
    assert 'you answered no to "is the knee visibly swollen?"' in reason.lower()
    assert '"every evening"' in reason.lower()
    agreeing = assess(answers(akps_swelling=3, marked_swelling=True))
    assert "you answered no" not in agreeing.signs[0].reason.lower()


# -- clearances ------------------------------------------------------------------------


def test_a_cleared_gp_soon_sign_is_kept_with_its_date_and_the_phase_is_given() -> None:
    result = assess(answers(locking=True), cleared={"locking": EXAMINED})
    assert [(s.id, s.urgency, s.cleared_on) for s in result.signs] == [
        ("locking", "gp_soon", EXAMINED)
    ]
    assert result.red_flags == []
    assert result.urgency in ("none", "check_if_no_better")
    assert result.phase == 3
    assert "cleared by your gp or physiotherapist on 3 may 2025" in lowered(result)
    assert "cleared" not in " ".join(phase_reasons(result)).lower()


def test_a_clearance_covers_only_the_signs_it_names() -> None:
    result = assess(answers(locking=True, giving_way=True), cleared={"locking": EXAMINED})
    assert result.red_flags == ["giving_way"]
    assert result.urgency == "gp_soon"
    assert result.phase is None
    cleared = {s.id: s.cleared_on for s in result.signs}
    assert cleared == {"locking": EXAMINED, "giving_way": None}


@pytest.mark.parametrize(
    "changes",
    [
        {"calf_swelling": True},
        {"hot_swollen": True},
        {"injury_ottawa_other": True, "weeks_of_symptoms": 0},
        {"akps_support": 2},
    ],
)
def test_an_emergency_sign_is_never_cleared(changes: dict[str, Any]) -> None:
    (found,) = [s.id for s in assess(answers(**changes)).signs]
    result = assess(answers(**changes), cleared={found: EXAMINED})
    assert result.urgency == "emergency"
    assert result.phase is None
    assert result.red_flags == [found]
    assert [s.cleared_on for s in result.signs] == [None]


def test_a_clearance_of_the_gp_soon_case_does_not_clear_the_same_sign_as_an_emergency() -> None:
    cleared = {"injury_ottawa_other": EXAMINED}
    later = assess(answers(injury_ottawa_other=True, weeks_of_symptoms=1), cleared=cleared)
    assert later.phase is not None
    same_week = assess(answers(injury_ottawa_other=True, weeks_of_symptoms=0), cleared=cleared)
    assert same_week.urgency == "emergency"


def test_a_clearance_for_a_sign_not_found_changes_nothing() -> None:
    assert assess(PHASE_3, cleared={"locking": EXAMINED}).signs == []
    assert assess(PHASE_3, cleared={"locking": EXAMINED}).urgency == "none"


def test_history_signs_are_the_ones_that_cannot_change() -> None:
    # clinical-rules.md section 6: history a clearance covers for good.
    spec = {"injury_onset", "kneecap_dislocated", "recent_surgery", "young_child", "pain_location"}
    assert spec == HISTORY_SIGNS
    sign_ids = {s.id for s in load_questionnaire().signs}
    assert sign_ids >= HISTORY_SIGNS


# -- warning signs on partial answers --------------------------------------------------


def test_warning_signs_on_the_screen_alone_judge_what_they_can() -> None:
    assert warning_signs({}) == []
    assert warning_signs({"locking": False}) == []
    (sign,) = warning_signs({"calf_swelling": True})
    assert (sign.id, sign.urgency, sign.cleared_on) == ("calf_swelling", "emergency", None)


def test_a_case_naming_an_answer_not_given_yet_is_not_judged() -> None:
    # Before the time since the injury is known, only the case without it applies.
    (early,) = warning_signs({"injury_ottawa_other": True})
    assert early.urgency == "gp_soon"
    (known,) = warning_signs({"injury_ottawa_other": True, "weeks_of_symptoms": 0})
    assert known.urgency == "emergency"
    # Age not given yet: neither the child's nor the adult's case is judged.
    assert warning_signs({"hip_or_thigh_pain_or_limp": True}) == []
    assert warning_signs({"pain_location": ["below_kneecap", "around_kneecap"]}) == []
    assert warning_signs({"injury_onset": True}) == []
    assert [s.id for s in warning_signs({"age": 11})] == ["young_child"]


def test_warning_signs_on_partial_answers_mark_a_cleared_gp_soon_sign() -> None:
    (sign,) = warning_signs({"locking": True}, cleared={"locking": EXAMINED})
    assert sign.cleared_on == EXAMINED
    (emergency,) = warning_signs({"calf_swelling": True}, cleared={"calf_swelling": EXAMINED})
    assert emergency.cleared_on is None


# -- check if no better ----------------------------------------------------------------


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
    assert "time with knee pain is 1 week (1 week or more)" in lowered(result)
    assert any("stop your usual running" in line.lower() for line in result.advice)
    assert not any("stop your usual running" in line.lower() for line in assess(PHASE_3).advice)


def test_twelve_weeks_of_pain_suggest_a_physiotherapist_and_promise_no_recovery_time() -> None:
    assert not any(
        "physiotherapist's assessment" in a for a in assess(answers(weeks_of_symptoms=11)).advice
    )
    long = assess(answers(weeks_of_symptoms=12))
    (line,) = [a for a in long.advice if "12 weeks" in a]
    assert "physiotherapist's assessment alongside this programme" in line
    everything = " ".join([*long.advice, *long.reasons]).lower()
    for promise in ("recover", "improve within", "better within", "six weeks", "six to twelve"):
        assert promise not in everything, promise


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


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_the_red_flag_screen_alone_returns_an_emergency_at_once(flag: str) -> None:
    result = triage_red_flags({flag: True})
    if flag in EMERGENCY_ON_THE_SCREEN:
        assert result is not None
        assert result.urgency == "emergency"
        assert result.phase is None
        assert result.red_flags == [flag]
    else:
        assert result is None, "gp_soon, or an injury of unknown date, waits for the rest"


def test_an_injury_on_the_screen_becomes_an_emergency_once_its_week_is_known() -> None:
    # The screen alone does not know when it happened; the whole self-check does.
    assert triage_red_flags({"injury_ottawa_other": True}) is None
    assert assess(answers(injury_ottawa_other=True, weeks_of_symptoms=0)).urgency == "emergency"


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
        ({"age": 69}, 3),
        ({"age": 70}, 2),
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
        (AKPS_80, 3),
        (AKPS_79, 2),
    ],
)
def test_phase_3_boundaries(changes: dict[str, Any], phase: int) -> None:
    assert assess(answers(**changes)).phase == phase


def test_phase_3_needs_every_knee_question_answered() -> None:
    for missing in AKPS_IDS:
        data = {k: v for k, v in PHASE_3.items() if k != missing}
        result = assess(data)
        assert result.akps is None
        assert result.phase == 2, missing
        assert "not every knee-score question was answered; phase 3 starts" in lowered(result)


def test_phase_3_reasons_name_the_knee_score_in_plain_words() -> None:
    result = assess(answers(**AKPS_79))
    assert "your knee score is 79 out of 100; phase 3 starts when it is 80 or more" in lowered(
        result
    )


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        ({}, 2),
        ({"pain_now": 4, "pain_worst_week": 5}, 1),
        ({"pain_now": 0}, 2),
        ({"pain_worst_week": 6}, 1),
        ({"pain_now": 0, "pain_worst_week": 0}, 2),
        ({"semi_squat_pain": 4}, 1),
        ({"semi_squat_pain": 0}, 2),
        ({"step_down_pain": 6}, 1),
        ({"step_down_pain": 0}, 2),
        ({"single_leg_stance_s": 0}, 2),
        ({"single_leg_stance_s": 12}, 2),
        ({"single_leg_stance_s": "unable"}, 1),
        ({"single_leg_stance_s": None}, 1),
    ],
)
def test_phase_2_boundaries(changes: dict[str, Any], phase: int) -> None:
    assert assess(answers(PHASE_2, **changes)).phase == phase


@pytest.mark.parametrize(
    ("test_id", "value", "phase"),
    [
        ("semi_squat_pain", None, 1),
        ("semi_squat_pain", "unable", 1),
        ("step_down_pain", None, 1),
        ("step_down_pain", "unable", 1),
        ("single_leg_stance_s", None, 1),
        ("single_leg_stance_s", "unable", 1),
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
    word = "you did not do the" if value is None else "you could not do the"
    assert word in lowered(result)


def test_goal_daily_life_caps_a_perfect_knee_at_phase_2() -> None:
    result = assess(answers(goal="daily_life", pain_now=0, pain_worst_week=0, hop_pain=0))
    assert result.phase == 2
    assert "your goal is daily life; phase 3 starts when your goal is running or a sport" in (
        lowered(result)
    )


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
    assert result.phase == 2
    assert "the hop test was skipped to keep you safe; phase 3 starts" in lowered(result)


def test_reasons_say_what_the_person_felt_and_what_the_phase_needs() -> None:
    result = assess(answers(PHASE_2, semi_squat_pain=5))
    assert result.phase == 1
    assert "Half squats hurt 5 out of 10; phase 2 starts when they hurt 3 or less" in (
        result.reasons
    )


def test_phase_2_reasons_say_what_was_met_and_what_phase_3_missed() -> None:
    result = assess(answers(single_leg_stance_s=12))
    assert result.phase == 2
    text = lowered(result)
    assert "your knee hurts 2 out of 10 now, and phase 2 starts when it hurts 3 or less" in text
    assert (
        "you balanced on the painful leg for 12 seconds; "
        "phase 3 starts when you can balance for 30 seconds"
    ) in text
    # Only the missed condition of phase 3 is listed, not the ones it met.
    assert "small hops" not in text


def test_phase_3_reasons_list_every_condition_met_in_a_patient_s_words() -> None:
    result = assess(PHASE_3)
    assert len(result.reasons) == 9
    assert all(", and phase 3 starts " in r for r in result.reasons)
    # Plain words, never a restated rule.
    text = lowered(result)
    assert "/10" not in text and "as phase" not in text and "or more)" not in text
    assert "your knee score is 100 out of 100" in text


@pytest.mark.parametrize(
    ("base", "phase"),
    [(PHASE_3, 3), (PHASE_2, 2), ({**PHASE_2, "pain_now": 4, "pain_worst_week": 6}, 1)],
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
    assert ("no deep squats, lunges or jumping" in text) is (phase in (1, 2))
    assert ("no running for now, except through the app's walk-run programme" in text) is (
        phase in (1, 2)
    )
    assert ("two legs first, then one leg, then diagonal" in text) is (phase == 3)
    assert ("two strength sessions a week" in text) is (phase == 3)


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
        assert assess({k: v for k, v in PHASE_3.items() if k != missing}).akps is None


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
        ("pregnant", "yes"),
        ("injury_onset", 1),
        ("swelling_visible", "no"),
        ("pain_location", "elbow"),
        ("pain_location", ["around_kneecap", "elbow"]),
        ("pain_location", 3),
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
    assert result.signs == []
    # Where it hurts: around the kneecap unless told otherwise; swelling not asked.
    assert result.answers["pain_location"] == ["around_kneecap"]
    assert result.answers["swelling_visible"] is None
    for answer in ("injury_onset", "pop_with_swelling", "hot_swollen", "fever_or_unwell"):
        assert result.answers[answer] is False
    for answer in ("kneecap_dislocated", "recent_surgery", "pregnant"):
        assert result.answers[answer] is False


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
        "fever_or_unwell": st.booleans(),
        "pregnant": st.booleans(),
        "pain_location": st.lists(
            st.sampled_from(PAIN_LOCATIONS),
            min_size=1,
            max_size=6,
            unique=True,
        ),
        **{flag: st.booleans() for flag in RED_FLAGS},
        **{
            item: st.one_of(st.none(), st.integers(0, count - 1))
            for item, count in zip(AKPS_IDS, AKPS_OPTION_COUNTS, strict=True)
        },
    }
)


def _valid(data: dict[str, Any]) -> dict[str, Any]:
    # The worst pain of the week cannot be below the pain now (refused, tested apart).
    return {**data, "pain_worst_week": max(data["pain_worst_week"], data["pain_now"])}


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_a_red_flag_never_reaches_an_exercise_plan(data: dict[str, Any]) -> None:
    data = _valid(data)
    result = assess(data)
    if any(data[flag] for flag in ALWAYS_A_SIGN):
        assert result.phase is None
        assert result.urgency in ("emergency", "gp_soon")
    if result.red_flags:
        assert result.phase is None
        assert result.urgency == min(
            (s.urgency for s in result.signs), key=("emergency", "gp_soon").index
        )
    else:
        assert result.signs == []
        assert result.phase in (1, 2, 3)
        assert result.reasons
    assert "not a diagnosis" in result.advice[-1]


@settings(max_examples=200, deadline=None)
@given(ANSWERS)
def test_clearing_every_sign_never_clears_an_emergency(data: dict[str, Any]) -> None:
    data = _valid(data)
    found = [s.id for s in assess(data).signs]
    result = assess(data, cleared=dict.fromkeys(found, EXAMINED))
    emergencies = [s.id for s in result.signs if s.urgency == "emergency"]
    assert result.red_flags == emergencies
    assert all(s.cleared_on is None for s in result.signs if s.urgency == "emergency")
    assert all(s.cleared_on == EXAMINED for s in result.signs if s.urgency == "gp_soon")
    assert (result.phase is None) is bool(emergencies)


def test_the_questionnaire_is_loaded_once() -> None:
    assert load_questionnaire() is load_questionnaire()


def test_phase_reasons_are_the_part_of_the_reasons_that_explains_the_phase() -> None:
    result = assess(answers(PHASE_2, weeks_of_symptoms=2, pain_worst_week=3))
    for_phase = phase_reasons(result)
    assert for_phase and all("phase" in r.lower() for r in for_phase)
    rest = [r for r in result.reasons if r not in for_phase]
    assert rest == [
        "Time with knee pain is 2 weeks (1 week or more), "
        "so watch how it goes and get checked if it gets worse"
    ]
    assert phase_reasons(assess(answers(locking=True))) == []


def test_a_result_keeps_its_phase_reasons_apart_as_the_phase_rules_give_them() -> None:
    result = assess(answers(PHASE_2, weeks_of_symptoms=2, pain_worst_week=3))
    assert result.phase_reasons == phase_reasons(result)
    assert result.reasons[-len(result.phase_reasons) :] == result.phase_reasons


def test_a_result_with_a_warning_sign_has_no_phase_reasons() -> None:
    assert assess(answers(locking=True)).phase_reasons == []


def test_a_result_stored_before_phase_reasons_existed_still_loads() -> None:
    stored = assess(answers(PHASE_2)).model_dump(mode="json")
    del stored["phase_reasons"]
    assert SelfCheckResult.model_validate(stored).phase_reasons == []
