"""The self-check page's step machine: which steps a person sees, what each still lacks,
how answers are stored, and how a result is split for showing."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from kneecore import selfcheck_flow as flow
from kneecore.models import SelfCheckResult, WarningSign
from kneecore.questionnaire import ANSWER_IDS, load_questionnaire
from kneecore.selfcheck import assess, warning_signs
from tests.unit.test_selfcheck import answers

Q = load_questionnaire()
BASE: dict[str, Any] = {
    "age": 30,
    "pain_now": 2,
    "pain_worst_week": 3,
    "weeks_of_symptoms": 2,
    "goal": "running",
}
LOCKING = WarningSign(id="locking", urgency="gp_soon", reason="Warning sign: locking.")
EMERGENCY = WarningSign(
    id="injury_cannot_bear_weight", urgency="emergency", reason="Warning sign: weight."
)
CLEARED = LOCKING.model_copy(update={"cleared_on": dt.date(2025, 5, 3)})
ALL_STEPS = ["warning_signs", "about", "where", "akps_1", "akps_2", "tests", "hop"]


def ids(steps: list[flow.Step]) -> list[str]:
    return [s.id for s in steps]


def home_tests(squat: Any = 0, step_down: Any = 0, stance: Any = 30) -> dict[str, Any]:
    return {"semi_squat_pain": squat, "step_down_pain": step_down, "single_leg_stance_s": stance}


# -- which steps -----------------------------------------------------------------------


def test_without_a_warning_sign_every_step_is_shown_in_order() -> None:
    assert ids(flow.steps(BASE, Q, [])) == ALL_STEPS


def test_every_answer_of_the_self_check_is_asked_on_some_step() -> None:
    asked = [a for step in flow.all_steps(Q) for a in step.asks]
    assert sorted(asked) == sorted(ANSWER_IDS), "each answer asked exactly once"


def test_the_new_history_questions_are_asked_on_the_first_step_after_the_v1_red_flags() -> None:
    first = flow.all_steps(Q)[0].asks
    for new in ("injury_onset", "pop_with_swelling", "kneecap_dislocated", "recent_surgery"):
        assert new in first
        assert first.index(new) > first.index("weight_loss_or_unwell")


def test_the_goal_is_asked_before_any_home_test() -> None:
    order = [a for step in flow.all_steps(Q) for a in step.asks]
    assert order.index("goal") < order.index("semi_squat_pain")


def test_a_warning_sign_removes_the_home_tests_and_the_hop_test() -> None:
    assert ids(flow.steps(BASE, Q, [LOCKING])) == ALL_STEPS[:5]
    assert not flow.tests_offered([LOCKING])


def test_a_sign_a_clinician_cleared_still_allows_the_home_tests() -> None:
    assert flow.tests_offered([CLEARED])
    assert ids(flow.steps(BASE, Q, [CLEARED])) == ALL_STEPS


def test_the_hop_test_stays_possible_until_the_home_tests_are_answered() -> None:
    assert "hop" in ids(flow.steps(BASE, Q, []))


@pytest.mark.parametrize(
    ("squat", "step_down", "hop_shown"),
    [(2, 2, True), (3, 2, False), (2, 3, False), ("unable", 0, False), (None, 0, False)],
)
def test_the_hop_test_follows_only_near_pain_free_squats_and_step_downs(
    squat: Any, step_down: Any, hop_shown: bool
) -> None:
    answers = {**BASE, **home_tests(squat, step_down)}
    assert ("hop" in ids(flow.steps(answers, Q, []))) is hop_shown


# -- where Next and Back lead ----------------------------------------------------------


def test_next_goes_through_the_steps_and_then_to_the_result() -> None:
    answers = {**BASE, **home_tests()}
    walked = ["warning_signs"]
    while (following := flow.next_step(walked[-1], answers, Q, [])) is not None:
        walked.append(following)
    assert walked == ALL_STEPS


def test_with_a_warning_sign_the_last_knee_question_step_leads_to_the_result() -> None:
    assert flow.next_step("akps_1", BASE, Q, [LOCKING]) == "akps_2"
    assert flow.next_step("akps_2", BASE, Q, [LOCKING]) is None


def test_a_sign_found_on_the_home_test_step_leads_to_the_result() -> None:
    assert flow.next_step("tests", BASE, Q, [LOCKING]) is None


def test_without_the_hop_test_the_home_tests_lead_to_the_result() -> None:
    assert flow.next_step("tests", {**BASE, **home_tests(squat=5)}, Q, []) is None
    assert flow.next_step("tests", {**BASE, **home_tests()}, Q, []) == "hop"


@pytest.mark.parametrize("step", ALL_STEPS)
def test_an_emergency_sign_ends_the_self_check_at_once_from_any_step(step: str) -> None:
    assert flow.ends_at_once([EMERGENCY])
    assert flow.next_step(step, BASE, Q, [EMERGENCY]) is None


def test_a_gp_soon_sign_does_not_end_the_self_check_at_once() -> None:
    assert not flow.ends_at_once([LOCKING])
    assert flow.next_step("warning_signs", BASE, Q, [LOCKING]) == "about"


def test_back_goes_to_the_step_before_and_not_before_the_first() -> None:
    assert flow.previous_step("warning_signs", BASE, Q, []) is None
    assert flow.previous_step("about", BASE, Q, []) == "warning_signs"
    assert flow.previous_step("hop", {**BASE, **home_tests()}, Q, []) == "tests"


def test_progress_counts_only_the_steps_this_person_sees() -> None:
    assert flow.progress("about", BASE, Q, []) == (2, 7, "You, your knee pain and your goal")
    assert flow.progress("about", BASE, Q, [LOCKING])[:2] == (2, 5)
    assert flow.progress("akps_2", BASE, Q, [LOCKING])[:2] == (5, 5)


# -- what a step lacks -----------------------------------------------------------------


def test_an_unanswered_first_step_names_every_warning_sign_question() -> None:
    assert flow.missing("warning_signs", {}, Q) == [
        Q.red_flag(a).short for a in flow.all_steps(Q)[0].asks
    ]


def test_a_no_is_an_answer_on_the_first_step() -> None:
    answers = {f.id: False for f in Q.red_flags}
    assert flow.missing("warning_signs", answers, Q) == []


def test_the_about_step_names_what_is_still_open_as_the_person_saw_it() -> None:
    answers = {**BASE, "side": "left", "hip_or_thigh_pain_or_limp": False}
    assert flow.missing("about", answers, Q) == []
    del answers["goal"]
    assert flow.missing("about", answers, Q) == [Q.question("goal").short]


def test_the_where_step_needs_at_least_one_area() -> None:
    assert flow.missing("where", {"pain_location": []}, Q) == [Q.question("pain_location").short]
    assert flow.missing("where", {"pain_location": ["back_of_knee"]}, Q) == []


def akps_part_2(swelling: int) -> dict[str, Any]:
    answers = {item.id: 0 for item in Q.akps.items[flow.AKPS_SPLIT :]}
    answers[flow.SWELLING_ID] = swelling
    return answers


def test_swelling_after_everyday_activities_asks_whether_it_can_be_seen() -> None:
    follow_up = Q.question("swelling_visible").short
    assert flow.missing("akps_2", akps_part_2(2), Q) == [follow_up]
    assert flow.missing("akps_2", {**akps_part_2(2), "swelling_visible": False}, Q) == []


@pytest.mark.parametrize("swelling", [0, 1, 3, 4])
def test_other_swelling_answers_ask_no_follow_up(swelling: int) -> None:
    assert not flow.follow_up_asked("swelling_visible", akps_part_2(swelling))
    assert flow.missing("akps_2", akps_part_2(swelling), Q) == []


def test_did_not_try_is_an_answer_but_an_untouched_home_test_is_open() -> None:
    answers = home_tests(squat=None)
    assert flow.missing("tests", answers, Q) == []
    del answers["step_down_pain"]
    (still_open,) = flow.missing("tests", answers, Q)
    assert still_open.startswith(Q.test("step_down_pain").name)


def test_a_worst_week_below_the_pain_now_is_questioned_on_the_about_step() -> None:
    (problem,) = flow.problems("about", {"pain_now": 6, "pain_worst_week": 2})
    assert "cannot be lower than the pain now (6/10)" in problem
    assert problem[0].isupper() and problem.endswith(".")
    assert flow.problems("about", {"pain_now": 6, "pain_worst_week": 6}) == []
    assert flow.problems("where", {"pain_now": 6, "pain_worst_week": 2}) == []


# -- storing answers -------------------------------------------------------------------


def test_a_number_box_float_becomes_a_whole_number() -> None:
    value = flow.whole_number(3.0)
    assert value == 3 and isinstance(value, int)
    assert flow.whole_number(2.5) == 2.5
    assert flow.whole_number(None) is None


@pytest.mark.parametrize(
    ("status", "number", "stored"),
    [
        ("done", 4.0, (True, 4)),
        ("done", None, (False, None)),
        ("unable", 7, (True, "unable")),
        ("skipped", 3, (True, None)),
        (None, 3, (False, None)),
    ],
)
def test_a_home_test_answer_is_stored_as_a_number_unable_or_did_not_try(
    status: str | None, number: Any, stored: tuple[bool, Any]
) -> None:
    assert flow.test_answer(status, number) == stored


@pytest.mark.parametrize(
    ("answers", "status"),
    [({}, None), ({"hop_pain": None}, "skipped"), ({"hop_pain": "unable"}, "unable")],
)
def test_a_stored_home_test_reads_back_as_its_status(
    answers: dict[str, Any], status: str | None
) -> None:
    assert flow.test_status(answers, "hop_pain") == status


def test_a_stored_home_test_number_reads_back_as_done() -> None:
    assert flow.test_status({"hop_pain": 0}, "hop_pain") == "done"


def test_merging_a_step_removes_answers_left_open_but_keeps_did_not_try() -> None:
    answers: dict[str, Any] = {"age": 30, "semi_squat_pain": 2, "step_down_pain": 1}
    flow.merge_answers(answers, {"age": None, "semi_squat_pain": None, "step_down_pain": flow.OPEN})
    assert answers == {"semi_squat_pain": None}


def test_a_follow_up_no_longer_due_is_dropped_before_the_result() -> None:
    answers = {**BASE, "akps_swelling": 1, "swelling_visible": True}
    assert "swelling_visible" not in flow.clean_answers(answers, Q, [])
    answers["akps_swelling"] = 2
    assert flow.clean_answers(answers, Q, [])["swelling_visible"] is True


def test_home_test_answers_are_dropped_once_a_warning_sign_is_answered() -> None:
    answers = {**BASE, **home_tests(), "hop_pain": 0}
    cleaned = flow.clean_answers(answers, Q, [LOCKING])
    assert not set(cleaned) & {*flow.HOME_TEST_IDS, flow.HOP_ID}
    assert flow.clean_answers(answers, Q, [])["hop_pain"] == 0


def test_a_hop_answer_left_over_is_dropped_when_the_hop_test_is_no_longer_offered() -> None:
    answers = {**BASE, **home_tests(squat=4), "hop_pain": 0}
    assert "hop_pain" not in flow.clean_answers(answers, Q, [])


def test_a_full_result_needs_age_pains_weeks_and_goal() -> None:
    assert flow.has_required(BASE)
    assert not flow.has_required({"locking": True})
    assert set(flow.REQUIRED) == set(BASE)


def test_partial_answers_from_the_first_step_show_their_signs() -> None:
    signs = warning_signs({"locking": True}, Q)
    assert [s.id for s in signs] == ["locking"]
    assert not flow.tests_offered(signs)


# -- the result ------------------------------------------------------------------------


def test_an_emergency_result_shows_its_reasons_and_no_phase() -> None:
    result = assess({**BASE, "injury_cannot_bear_weight": True})
    view = flow.result_view(result, Q)
    assert view.urgency == "emergency"
    assert view.title == Q.urgency("emergency").title
    assert any("four steps" in r for r in view.why)
    assert view.phase is None and view.phase_reasons == []
    assert view.not_a_diagnosis not in view.advice
    assert not set(view.actions) & set(view.advice)


def test_a_phase_result_keeps_the_phase_reasons_apart_from_the_urgency_reasons() -> None:
    result = assess(BASE)
    view = flow.result_view(result, Q)
    assert view.phase == result.phase
    assert view.phase_reasons
    assert not set(view.phase_reasons) & set(view.why)
    assert set(view.phase_reasons) | set(view.why) == set(result.reasons)


def test_the_view_shows_the_phase_reasons_the_result_kept_without_re_running_the_rules() -> None:
    kept = assess(BASE).model_copy(update={"phase_reasons": ["A reason kept with it."]})
    assert flow.result_view(kept, Q).phase_reasons == ["A reason kept with it."]


def test_a_result_stored_before_phase_reasons_were_kept_shows_the_same_view() -> None:
    new = assess(BASE)
    stored = SelfCheckResult.model_validate({**new.model_dump(), "phase_reasons": []})
    assert flow.result_view(stored, Q) == flow.result_view(new, Q)


def test_when_the_screen_and_a_kujala_answer_disagree_the_reason_names_both() -> None:
    result = assess({**BASE, "marked_swelling": False, "akps_swelling": 3})
    (reason, *_) = flow.result_view(result, Q).why
    assert 'You answered no to "Is the knee visibly swollen?"' in reason
    assert "Every evening" in reason


def test_a_cleared_sign_is_shown_as_cleared_on_its_date_not_as_a_reason() -> None:
    result = assess({**BASE, "locking": True}, cleared={"locking": dt.date(2025, 5, 3)})
    view = flow.result_view(result, Q)
    (line,) = view.cleared
    assert "cleared" in line and "3 May 2025" in line
    assert line not in view.why and line not in view.phase_reasons


# -- Back and Next ---------------------------------------------------------------------

ABOUT_VALUES: dict[str, Any] = {**BASE, "side": "left", "hip_or_thigh_pain_or_limp": False}


def test_next_on_an_incomplete_step_stays_and_names_what_is_open() -> None:
    move = flow.submit("about", {}, {"age": 30}, Q)
    assert move.kind == "notice" and move.to is None
    assert move.answers == {"age": 30}
    assert move.still_open and not move.wrong


def test_next_with_a_worst_week_below_the_pain_now_stays_and_says_why() -> None:
    move = flow.submit("about", {}, {**ABOUT_VALUES, "pain_now": 5, "pain_worst_week": 2}, Q)
    assert move.kind == "notice" and move.wrong and not move.still_open


def test_next_on_a_complete_step_goes_to_the_next_step_with_the_answers_merged() -> None:
    move = flow.submit("about", {"locking": False}, ABOUT_VALUES, Q)
    assert (move.kind, move.to) == ("step", "where")
    assert move.answers == {"locking": False, **ABOUT_VALUES}


def test_back_goes_to_the_step_before_even_with_questions_open() -> None:
    move = flow.submit("where", {**ABOUT_VALUES}, {"pain_location": None}, Q, back=True)
    assert (move.kind, move.to) == ("step", "about")


def test_an_emergency_on_the_first_step_leads_straight_to_the_result() -> None:
    screen = {f.id: f.id == "injury_cannot_bear_weight" for f in Q.red_flags}
    move = flow.submit("warning_signs", {}, screen, Q)
    assert move.kind == "result" and [s.id for s in move.signs] == ["injury_cannot_bear_weight"]
    result = flow.result_of(move.answers, Q, move.signs)
    assert result.urgency == "emergency" and result.akps is None


def test_a_home_test_answer_is_dropped_once_a_warning_sign_is_answered_on_next() -> None:
    move = flow.submit("warning_signs", home_tests(), {"locking": True}, Q)
    assert not set(flow.HOME_TEST_IDS) & set(move.answers)


def test_the_result_of_full_answers_is_the_assessment_with_the_clearances_given() -> None:
    cleared = {"locking": dt.date(2025, 5, 3)}
    answers = {**BASE, "locking": True}
    signs = warning_signs(answers, Q, cleared)
    result = flow.result_of(answers, Q, signs, cleared)
    assert result.phase is not None and result.signs[0].cleared_on == dt.date(2025, 5, 3)


# -- what was kept ---------------------------------------------------------------------


def test_a_practice_run_says_whether_a_warning_record_was_kept() -> None:
    warning = assess({**BASE, "locking": True})
    assert flow.kept_notice(warning, practice=True, kept=None) == "practice_nothing_kept"
    assert flow.kept_notice(warning, practice=True, kept="id") == "practice_warning_kept"


def test_a_saved_warning_says_the_plan_is_paused_and_a_clean_result_says_nothing() -> None:
    assert flow.kept_notice(assess({**BASE, "locking": True}), practice=False, kept="id") == (
        "plan_paused"
    )
    assert flow.kept_notice(assess(BASE), practice=False, kept="id") is None


# -- knee score and earlier self-checks ------------------------------------------------


def check(day: int, akps: int | None = 70, practice: bool = False, **kw: Any) -> SelfCheckResult:
    return SelfCheckResult(
        urgency="none" if not practice else "gp_soon",
        phase=1 if not practice else None,
        akps=akps if not practice else None,
        date=dt.date(2025, 5, day),
        practice=practice,
        **kw,
    )


def test_the_score_is_compared_with_the_newest_self_check_at_least_7_days_older() -> None:
    older, week, six_days = check(1), check(3), check(4)
    current = check(10, akps=90)
    assert flow.score_baseline([older, week, six_days, current], current) == week


def test_no_comparison_between_self_checks_6_days_apart() -> None:
    earlier, current = check(4), check(10)
    assert flow.score_baseline([earlier, current], current) is None
    assert flow.retake_too_soon([earlier, current], current)


def test_no_comparison_for_a_practice_run_nor_with_practice_records() -> None:
    earlier, record, current = check(1), check(2, practice=True), check(20)
    assert flow.score_baseline([earlier, record, current], current, practice=True) is None
    assert flow.score_baseline([record, current], current) is None
    assert not flow.retake_too_soon([record, current], current)


def test_no_comparison_when_the_earlier_self_check_has_no_score() -> None:
    current = check(20)
    assert flow.score_baseline([check(1, akps=None), current], current) is None


def test_the_score_view_shows_a_real_change_against_the_baseline() -> None:
    view = flow.score_view([check(1, akps=60)], check(20, akps=75), Q)
    assert view.score == "75/100" and view.delta == "+15 points" and view.real
    assert view.change and not view.too_soon


def test_the_score_view_says_a_retake_the_same_week_is_not_compared() -> None:
    view = flow.score_view([check(4)], check(10), Q)
    assert view.delta is None and view.change is None and view.too_soon


def test_without_a_score_the_view_says_why_and_compares_nothing() -> None:
    view = flow.score_view([check(1)], check(20, akps=None), Q)
    assert view.score is None and view.meaning == Q.akps.missing and not view.too_soon


def test_the_result_on_screen_is_not_listed_among_the_earlier_self_checks() -> None:
    earlier, current = check(1), check(20)
    assert flow.earlier_checks([earlier, current], current) == [earlier]
    assert flow.earlier_checks([earlier, current], None) == [earlier, current]


def test_earlier_self_checks_are_listed_newest_first_with_result_and_score() -> None:
    rows = flow.history_rows([check(1), check(9, practice=True), check(5, akps=None)], Q)
    assert [r.date for r in rows] == ["9 May 2025", "5 May 2025", "1 May 2025"]
    assert "practice run" in rows[0].result and rows[0].practice
    assert rows[0].score == "no score" and rows[2].score == "70/100"
    assert rows[2].result == f"{Q.urgency('none').title}; phase 1"


# -- the knee picture ------------------------------------------------------------------


def test_the_knee_picture_marks_every_area_the_question_offers() -> None:
    svg = ET.parse(flow.knee_areas_svg()).getroot()
    marked = {el.attrib.get("id") for el in svg.iter()}
    offered = {o.value for o in Q.question("pain_location").options}
    assert offered <= marked


def test_the_knee_picture_names_its_views_for_screen_readers() -> None:
    svg = ET.parse(flow.knee_areas_svg()).getroot()
    label = svg.attrib["aria-label"].lower()
    assert "front" in label and "side" in label and "back of the knee" in label


def full_answers(**changes: Any) -> dict[str, Any]:
    """Every answer of a phase-3 knee (tests.unit.test_selfcheck), with ``changes``."""
    return answers(**changes)


def test_phase_reasons_split_into_why_this_phase_and_what_the_next_needs() -> None:
    result = assess(full_answers(single_leg_stance_s=12))
    assert result.phase == 2
    why, to_next = flow.split_phase_reasons(2, result.phase_reasons)
    assert why and to_next and set(why) | set(to_next) == set(result.phase_reasons)
    assert all("phase 2 starts" in r for r in why)
    assert to_next == [
        "You balanced on the painful leg for 12 seconds; "
        "phase 3 starts when you can balance for 30 seconds"
    ]


def test_a_test_not_done_says_plainly_what_the_phase_needs_of_it() -> None:
    skipped = assess(full_answers(step_down_pain=3, hop_pain=0))
    _, to_next = flow.split_phase_reasons(2, skipped.phase_reasons)
    assert (
        "The hop test was skipped to keep you safe; phase 3 starts when it is done, "
        "with hop pain 2/10 or less"
    ) in to_next
    balance = assess(full_answers(single_leg_stance_s=None))
    assert balance.phase == 1
    assert "You did not do the one-leg balance test; phase 2 starts when it is done" in (
        balance.phase_reasons
    )
    assert not any("for any time" in r or "they hurt" in r for r in balance.phase_reasons)
