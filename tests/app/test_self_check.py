"""The self-check page, driven as a person would: every result path, saved once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kneecore.models import SelfCheckResult
from kneecore.questionnaire import load_questionnaire
from kneecore.store import Store
from tests.app.conftest import assert_no_exception, open_page

Q = load_questionnaire()
RED_FLAG_IDS = [f.id for f in Q.red_flags]


def data_store(data_dir: Path) -> Store:
    return Store(data_dir / "knee-data.json")


def texts(at: AppTest) -> str:
    parts = [str(m.value) for m in at.markdown]
    for kind in ("error", "warning", "info", "success", "caption", "subheader", "metric"):
        parts += [str(getattr(el, "value", "")) for el in getattr(at, kind)]
    return "\n".join(parts)


def step_text(at: AppTest) -> str:
    return " ".join(str(p.proto.text) for p in at.get("progress"))


def red_flags(at: AppTest, yes: tuple[str, ...] = ()) -> None:
    for flag in RED_FLAG_IDS:
        at.radio(key=f"sc_{flag}").set_value(flag in yes)
    at.button(key="sc_next_1").click().run()
    assert_no_exception(at)


def about(at: AppTest, **values: Any) -> None:
    data = {
        "age": 30,
        "weeks_of_symptoms": 0,
        "pain_now": 1,
        "pain_worst_week": 2,
        "side": "left",
        "hip_or_thigh_pain_or_limp": False,
        **values,
    }
    for key in ("age", "weeks_of_symptoms", "pain_now", "pain_worst_week"):
        at.number_input(key=f"sc_{key}").set_value(data[key])
    at.radio(key="sc_side").set_value(data["side"])
    at.radio(key="sc_hip_or_thigh_pain_or_limp").set_value(data["hip_or_thigh_pain_or_limp"])
    at.button(key="sc_next_2").click().run()
    assert_no_exception(at)


def akps(at: AppTest, choice: int = 0) -> None:
    for step, items in ((3, Q.akps.items[:7]), (4, Q.akps.items[7:])):
        for item in items:
            at.radio(key=f"sc_{item.id}").set_value(min(choice, len(item.options) - 1))
        at.button(key=f"sc_next_{step}").click().run()
        assert_no_exception(at)


def home_test(at: AppTest, test_id: str, value: Any) -> None:
    if value is None:
        at.radio(key=f"sc_{test_id}_status").set_value("skipped")
    elif value == "unable":
        at.radio(key=f"sc_{test_id}_status").set_value("unable")
    else:
        at.radio(key=f"sc_{test_id}_status").set_value("done")
        at.number_input(key=f"sc_{test_id}_value").set_value(value)


def do_home_tests(at: AppTest, squat: Any = 0, step_down: Any = 0, stance: Any = 30) -> None:
    home_test(at, "semi_squat_pain", squat)
    home_test(at, "step_down_pain", step_down)
    home_test(at, "single_leg_stance_s", stance)
    at.button(key="sc_next_5").click().run()
    assert_no_exception(at)


def goal_step(at: AppTest, goal: str = "running", hop: Any = 0) -> None:
    if hop is not None and any(r.key == "sc_hop_pain_status" for r in at.radio):
        home_test(at, "hop_pain", hop)
    at.radio(key="sc_goal").set_value(goal)
    at.button(key="sc_next_6").click().run()
    assert_no_exception(at)


def full_check(
    at: AppTest,
    *,
    yes: tuple[str, ...] = (),
    about_values: dict[str, Any] | None = None,
    squat: Any = 0,
    step_down: Any = 0,
    stance: Any = 30,
    goal: str = "running",
    hop: Any = 0,
    akps_choice: int = 0,
) -> None:
    red_flags(at, yes)
    about(at, **(about_values or {}))
    akps(at, akps_choice)
    do_home_tests(at, squat, step_down, stance)
    goal_step(at, goal, hop)


# -- paths -----------------------------------------------------------------------------


def test_the_first_step_asks_the_red_flags_with_nothing_chosen() -> None:
    at = open_page("self_check")
    assert_no_exception(at)
    assert "Step 1 of 6" in step_text(at)
    for flag in RED_FLAG_IDS:
        assert at.radio(key=f"sc_{flag}").value is None
    assert "What this means" in texts(at)


def test_an_unanswered_step_asks_again_and_stays(data_dir: Path) -> None:
    at = open_page("self_check")
    at.radio(key="sc_locking").set_value(False)
    at.button(key="sc_next_1").click().run()
    assert "Please answer every question" in texts(at)
    assert "Step 1 of 6" in step_text(at)


def test_pain_now_above_the_weeks_worst_is_questioned_on_the_same_step(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at, pain_now=6, pain_worst_week=2)
    assert "cannot be lower than the pain now (6/10)" in " ".join(str(e.value) for e in at.error)
    assert "Step 2 of 6" in step_text(at)
    about(at, pain_now=6, pain_worst_week=6)
    assert "Step 3 of 6" in step_text(at)


def test_an_emergency_answer_shows_what_to_do_at_once_and_no_plan(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("calf_swelling",))
    assert at.error, "an emergency is shown as an error box"
    body = " ".join(str(e.value) for e in at.error)
    assert "emergency department today" in body
    assert "chest pain" in body and "emergency number" in body
    # Nothing more is asked, and no plan is offered.
    assert not at.number_input
    assert not [b for b in at.button if b.key == "sc_start_phase"]
    assert "not a diagnosis" in texts(at)
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.urgency == "emergency"
    assert saved.red_flags == ["calf_swelling"]
    assert data_store(data_dir).current_phase() is None


def test_a_gp_soon_answer_finishes_with_see_a_gp_and_no_plan(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("giving_way",))
    assert "Step 2 of 6" in step_text(at)
    assert "gives way" in " ".join(str(i.value) for i in at.info)
    about(at)
    akps(at)
    do_home_tests(at)
    goal_step(at)
    body = " ".join(str(w.value) for w in at.warning)
    assert "See a GP or physiotherapist before you start" in body
    assert "No exercise plan" in texts(at)
    assert not [b for b in at.button if b.key == "sc_start_phase"]
    assert "100/100" in texts(at), "the knee score is still shown, to take along"
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.urgency == "gp_soon" and saved.phase is None


def test_severe_pain_from_the_answers_is_gp_soon(data_dir: Path) -> None:
    at = open_page("self_check")
    full_check(at, about_values={"pain_worst_week": 8})
    assert "severe pain" in texts(at).lower()
    assert not [b for b in at.button if b.key == "sc_start_phase"]
    assert data_store(data_dir).selfchecks()[0].urgency == "gp_soon"


@pytest.mark.parametrize(
    ("kwargs", "phase"),
    [
        ({}, 3),
        ({"goal": "daily_life"}, 2),
        ({"squat": 5, "about_values": {"weeks_of_symptoms": 3}}, 1),
    ],
)
def test_a_phase_result_shows_reasons_and_starts_the_phase(
    data_dir: Path, kwargs: dict[str, Any], phase: int
) -> None:
    at = open_page("self_check")
    full_check(at, **kwargs)
    assert f"Your starting phase: Phase {phase}" in texts(at)
    assert "Why this phase" in texts(at)
    reasons = texts(at).lower()
    if phase == 1:
        assert "squat pain 5/10 is above 3/10 for phase 2" in reasons
        assert "get checked if it is no better" in reasons
    if phase == 2:
        assert "goal is daily life, not running or sport for phase 3" in reasons
    assert "knee score" in texts(at).lower()
    assert "a change of 10 points or more is a real change" in reasons
    at.button(key="sc_start_phase").click().run()
    assert_no_exception(at)
    current = data_store(data_dir).current_phase()
    assert current is not None
    assert current.phase == phase and current.source == "self_check"
    assert f"Phase {phase} is now your current phase" in texts(at)
    assert at.get("page_link"), "a link to the plan page"


def test_a_result_is_saved_once_however_often_the_page_reruns(data_dir: Path) -> None:
    at = open_page("self_check")
    full_check(at)
    at.run()
    at.run()
    at.button(key="sc_start_phase").click().run()
    at.run()
    assert len(data_store(data_dir).selfchecks()) == 1
    assert len(data_store(data_dir).phase_history()) == 1


def test_the_hop_test_is_not_offered_when_squats_hurt(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    akps(at)
    do_home_tests(at, squat=3)
    assert not [r for r in at.radio if r.key == "sc_hop_pain_status"]
    assert "hop test is skipped" in texts(at)
    goal_step(at, hop=None)
    saved = data_store(data_dir).selfchecks()[0]
    assert saved.phase == 2 and saved.answers["hop_pain"] is None


def test_could_not_do_it_and_did_not_try_are_saved_differently(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    akps(at)
    do_home_tests(at, squat=1, step_down="unable", stance=None)
    saved_answers = at.session_state["sc_answers"]
    assert saved_answers["step_down_pain"] == "unable"
    assert saved_answers["single_leg_stance_s"] is None


def test_back_keeps_the_answers(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at, age=44)
    at.button(key="sc_back_3").click().run()
    assert "Step 2 of 6" in step_text(at)
    assert at.number_input(key="sc_age").value == 44
    at.button(key="sc_back_2").click().run()
    assert at.radio(key="sc_locking").value is False


def test_a_previous_self_check_shows_the_knee_score_change(data_dir: Path) -> None:
    data_store(data_dir).add_selfcheck(
        SelfCheckResult(urgency="none", phase=1, akps=70, date=dt.date(2025, 1, 6))
    )
    at = open_page("self_check")
    full_check(at)
    text = texts(at)
    assert "Up 30 points since 6 Jan 2025 (was 70): a real improvement." in text


def test_start_again_clears_the_answers(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("hot_red_fever",))
    at.button(key="sc_restart").click().run()
    assert "Step 1 of 6" in step_text(at)
    assert at.radio(key="sc_hot_red_fever").value is None
    assert len(data_store(data_dir).selfchecks()) == 1
