"""The self-check page, driven as a person would: every step, every way it ends, the
practice run, and deleting an earlier self-check with confirm and undo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from kneecore.models import SelfCheckResult
from kneecore.questionnaire import load_questionnaire
from kneecore.safety import plan_status
from kneecore.selfcheck import assess
from kneecore.store import Store
from tests.app.helpers import assert_no_exception, open_page

Q = load_questionnaire()
RED_FLAG_IDS = [f.id for f in Q.red_flags]
AKPS_1 = Q.akps.items[:7]
AKPS_2 = Q.akps.items[7:]
TODAY = dt.date.today()


def data_store(data_dir: Path) -> Store:
    return Store(data_dir / "knee-data.json")


def texts(at: AppTest) -> str:
    parts = [str(m.value) for m in at.markdown]
    for kind in ("error", "warning", "info", "success", "caption", "subheader", "header", "metric"):
        parts += [str(getattr(el, "value", "")) for el in getattr(at, kind)]
    return "\n".join(parts)


def step_text(at: AppTest) -> str:
    """The step's title: the heading in the step's keyed box, where focus goes."""
    return " ".join(str(h.value) for h in at.get_by_key("sc_step_header").header)


def keys(at: AppTest, kind: str = "radio") -> set[str]:
    return {str(w.key) for w in getattr(at, kind)}


def next_(at: AppTest, step: str) -> None:
    at.button(key=f"sc_next_{step}").click().run()
    assert_no_exception(at)


def red_flags(at: AppTest, yes: tuple[str, ...] = (), practice: bool = False) -> None:
    at.radio(key="sc_practice").set_value(practice)
    for flag in RED_FLAG_IDS:
        at.radio(key=f"sc_{flag}").set_value(flag in yes)
    next_(at, "warning_signs")


def about(at: AppTest, **values: Any) -> None:
    data = {
        "age": 30,
        "weeks_of_symptoms": 0,
        "pain_now": 1,
        "pain_worst_week": 2,
        "side": "left",
        "hip_or_thigh_pain_or_limp": False,
        "goal": "running",
        **values,
    }
    for key in ("age", "weeks_of_symptoms", "pain_now", "pain_worst_week"):
        at.number_input(key=f"sc_{key}").set_value(data[key])
    for key in ("side", "hip_or_thigh_pain_or_limp", "goal"):
        at.radio(key=f"sc_{key}").set_value(data[key])
    next_(at, "about")


def where(at: AppTest, areas: tuple[str, ...] = ("around_kneecap",)) -> None:
    for option in Q.question("pain_location").options:
        box = at.checkbox(key=f"sc_area_{option.value}")
        box.check() if option.value in areas else box.uncheck()
    next_(at, "where")


def akps_step(at: AppTest, part: int, choice: int = 0, **chosen: int) -> None:
    for item in AKPS_1 if part == 1 else AKPS_2:
        at.radio(key=f"sc_{item.id}").set_value(chosen.get(item.id, choice))
    next_(at, f"akps_{part}")


def home_test(at: AppTest, test_id: str, value: Any) -> None:
    status = "skipped" if value is None else "unable" if value == "unable" else "done"
    at.radio(key=f"sc_{test_id}_status").set_value(status)
    if status == "done":
        at.number_input(key=f"sc_{test_id}_value").set_value(value)


def home_tests(at: AppTest, squat: Any = 0, step_down: Any = 0, stance: Any = 30) -> None:
    home_test(at, "semi_squat_pain", squat)
    home_test(at, "step_down_pain", step_down)
    home_test(at, "single_leg_stance_s", stance)
    next_(at, "tests")


def full_check(
    at: AppTest,
    *,
    yes: tuple[str, ...] = (),
    practice: bool = False,
    about_values: dict[str, Any] | None = None,
    areas: tuple[str, ...] = ("around_kneecap",),
    squat: Any = 0,
    step_down: Any = 0,
    stance: Any = 30,
    hop: Any = 0,
) -> None:
    red_flags(at, yes, practice)
    about(at, **(about_values or {}))
    where(at, areas)
    akps_step(at, 1)
    akps_step(at, 2)
    if "sc_semi_squat_pain_status" in keys(at):
        home_tests(at, squat, step_down, stance)
    if "sc_hop_pain_status" in keys(at):
        home_test(at, "hop_pain", hop)
        next_(at, "hop")


def start_phase_button(at: AppTest) -> list[Any]:
    return [b for b in at.button if b.key == "sc_start_phase"]


# -- the steps -------------------------------------------------------------------------


def test_the_first_step_asks_every_warning_sign_with_nothing_chosen(data_dir: Path) -> None:
    at = open_page("self_check")
    assert_no_exception(at)
    assert "Step 1 of 7: Warning signs first" in step_text(at)
    for flag in RED_FLAG_IDS:
        assert at.radio(key=f"sc_{flag}").value is None
    assert at.radio(key="sc_practice").value is False, "saving is the default"
    shown = texts(at)
    assert "Signs that need a doctor today" in shown
    assert "Injuries, operations and your health" in shown
    assert "What this means" in shown


def test_each_steps_title_is_the_one_h2_and_its_sections_are_h3(data_dir: Path) -> None:
    at = open_page("self_check")
    # h1 is the page's title; the step's title is h2, in the box focus goes to.
    assert [h.value for h in at.header] == ["Step 1 of 7: Warning signs first"]
    assert "Signs that need a doctor today" in [h.value for h in at.subheader]
    red_flags(at)
    about(at)
    where(at)
    akps_step(at, 1)
    akps_step(at, 2)
    assert [h.value for h in at.header] == ["Step 6 of 7: Home tests"]
    assert {t.name for t in Q.tests if t.id != "hop_pain"} <= {h.value for h in at.subheader}


def test_the_questions_style_gives_radio_answers_room_to_tap(data_dir: Path) -> None:
    at = open_page("self_check")
    style = " ".join(str(h.proto.body) for h in at.html)
    assert "[data-testid=stRadioOption] { min-height: 2rem;" in style


def test_the_practice_choice_says_what_it_keeps(data_dir: Path) -> None:
    at = open_page("self_check")
    options = at.radio(key="sc_practice").options
    assert "Practice run: nothing is saved unless it finds a warning sign" in options


def test_an_unanswered_step_asks_again_and_stays(data_dir: Path) -> None:
    at = open_page("self_check")
    at.radio(key="sc_locking").set_value(False)
    next_(at, "warning_signs")
    assert "Please answer every question" in texts(at)
    assert "Step 1 of 7" in step_text(at)


def test_every_step_in_turn_leads_to_a_phase_that_can_be_started(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    assert "Step 2 of 7: You, your knee pain and your goal" in step_text(at)
    about(at)
    assert "Step 3 of 7: Where it hurts" in step_text(at)
    (picture,) = at.get("image")
    assert picture.proto.imgs[0].url.startswith("data:image/svg+xml"), "the knee picture"
    where(at, ("around_kneecap", "whole_knee"))
    assert "Step 4 of 7" in step_text(at)
    akps_step(at, 1)
    assert "Step 5 of 7" in step_text(at)
    akps_step(at, 2)
    assert "Step 6 of 7: Home tests" in step_text(at)
    home_tests(at)
    assert "Step 7 of 7: Hop test" in step_text(at)
    home_test(at, "hop_pain", 0)
    next_(at, "hop")
    assert "Your starting phase: Phase 3" in texts(at)
    assert "not a diagnosis" in texts(at)
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.phase == 3 and saved.answers["pain_location"] == ["around_kneecap", "whole_knee"]
    at.button(key="sc_start_phase").click().run()
    current = data_store(data_dir).current_phase()
    assert current is not None and current.phase == 3 and current.source == "self_check"
    assert "Phase 3 is now your current phase" in texts(at)


def test_squats_that_hurt_skip_the_hop_test_and_end_at_the_result(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at)
    akps_step(at, 1)
    akps_step(at, 2)
    home_tests(at, squat=3)
    assert "sc_hop_pain_status" not in keys(at)
    saved = data_store(data_dir).selfchecks()[0]
    assert saved.phase == 2 and saved.answers["hop_pain"] is None


def test_pain_now_above_the_weeks_worst_is_questioned_on_the_same_step(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at, pain_now=6, pain_worst_week=2)
    assert "cannot be lower than the pain now (6/10)" in " ".join(str(e.value) for e in at.error)
    assert "Step 2 of 7" in step_text(at)
    about(at, pain_now=6, pain_worst_week=6)
    assert "Step 3 of 7" in step_text(at)


def test_back_keeps_the_answers(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at, age=44)
    at.button(key="sc_back_where").click().run()
    assert "Step 2 of 7" in step_text(at)
    assert at.number_input(key="sc_age").value == 44
    at.button(key="sc_back_about").click().run()
    assert at.radio(key="sc_locking").value is False


# -- warning signs ---------------------------------------------------------------------


def test_an_emergency_on_the_first_step_ends_the_self_check_at_once(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("calf_swelling",))
    body = " ".join(str(e.value) for e in at.error)
    assert "Get medical help today" in body and "emergency department today" in body
    assert "chest pain" in body and "emergency number" in body
    assert not at.number_input, "nothing more is asked"
    assert not start_phase_button(at)
    assert "not a diagnosis" in texts(at)
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.urgency == "emergency" and saved.red_flags == ["calf_swelling"]
    assert data_store(data_dir).current_phase() is None


def test_cannot_put_weight_on_it_on_the_knee_questions_ends_at_once(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at)
    akps_step(at, 1, akps_support=2)
    assert "Get medical help today" in " ".join(str(e.value) for e in at.error)
    assert not at.get("progress"), "the result, not another step"
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.urgency == "emergency"
    assert saved.answers.get("akps_sitting") is None, "nothing after that step was asked"


def test_a_gp_soon_answer_skips_every_home_test(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("locking",))
    assert "Step 2 of 5" in step_text(at), "no home-test steps are counted"
    assert "no home tests are asked" in texts(at)
    about(at)
    where(at)
    akps_step(at, 1)
    assert at.button(key="sc_next_akps_2").label == "See my result"
    akps_step(at, 2)
    assert "sc_semi_squat_pain_status" not in keys(at)
    body = " ".join(str(w.value) for w in at.warning)
    assert "See a GP or physiotherapist before you start" in body
    assert "locks or gets stuck" in body
    assert not start_phase_button(at)
    assert "100/100" in texts(at), "the knee score is still shown, to take along"
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.urgency == "gp_soon" and saved.phase is None
    assert "semi_squat_pain" not in saved.answers or saved.answers["semi_squat_pain"] is None
    assert plan_status(data_store(data_dir)).paused


def test_pain_only_at_the_back_of_the_knee_is_picked_and_sends_to_a_gp(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at, ("back_of_knee",))
    assert "Step 4 of 5" in step_text(at), "a warning sign: no home tests to come"
    akps_step(at, 1)
    akps_step(at, 2)
    (saved,) = data_store(data_dir).selfchecks()
    assert saved.answers["pain_location"] == ["back_of_knee"]
    assert saved.urgency == "gp_soon" and "pain_location" in saved.red_flags


def test_no_area_picked_asks_again(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at, ())
    assert "Step 3 of 7" in step_text(at)
    assert Q.question("pain_location").short in texts(at)


@pytest.mark.parametrize(("visible", "urgency"), [(True, "gp_soon"), (False, "none")])
def test_swelling_after_everyday_activities_asks_whether_it_can_be_seen(
    data_dir: Path, visible: bool, urgency: str
) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at)
    akps_step(at, 1)
    assert "sc_swelling_visible" not in keys(at)
    akps_step(at, 2, akps_swelling=2)
    assert "Step 5 of 7" in step_text(at), "stays on the step for the follow-up"
    at.radio(key="sc_swelling_visible").set_value(visible)
    next_(at, "akps_2")
    if urgency == "gp_soon":
        (saved,) = data_store(data_dir).selfchecks()
        assert saved.urgency == "gp_soon" and "marked_swelling" in saved.red_flags
    else:
        assert "Step 6 of 7: Home tests" in step_text(at)


def test_a_kujala_answer_that_disagrees_with_the_screen_names_both(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at)
    akps_step(at, 1)
    akps_step(at, 2, akps_swelling=3)
    body = " ".join(str(w.value) for w in at.warning)
    assert 'You answered no to "Is the knee visibly swollen?"' in body


def test_a_sign_a_clinician_cleared_is_shown_as_cleared_and_allows_a_plan(
    data_dir: Path,
) -> None:
    store = data_store(data_dir)
    answers = {"age": 30, "pain_now": 2, "pain_worst_week": 3, "weeks_of_symptoms": 2}
    store.add_selfcheck(assess({**answers, "goal": "running", "locking": True}))
    store.add_clearance(TODAY)
    at = open_page("self_check")
    full_check(at, yes=("locking",))
    shown = texts(at)
    assert "cleared by your GP or physiotherapist on" in shown
    assert "Your starting phase" in shown
    assert start_phase_button(at)


# -- practice run ----------------------------------------------------------------------


def test_a_practice_run_without_a_sign_keeps_nothing_and_starts_no_phase(
    data_dir: Path,
) -> None:
    at = open_page("self_check")
    full_check(at, practice=True)
    assert "Practice run: nothing was saved" in texts(at)
    assert "Your starting phase" in texts(at)
    assert not start_phase_button(at)
    assert data_store(data_dir).selfchecks() == []


def test_a_practice_run_with_a_sign_keeps_a_warning_record_and_says_so(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("giving_way",), practice=True)
    assert "Practice run" in texts(at)
    about(at)
    where(at)
    akps_step(at, 1)
    akps_step(at, 2)
    assert "a warning record of it was kept" in texts(at)
    (record,) = data_store(data_dir).selfchecks()
    assert record.practice and record.akps is None
    assert plan_status(data_store(data_dir)).paused


# -- earlier self-checks ---------------------------------------------------------------


def seed_two(data_dir: Path) -> tuple[str, str]:
    store = data_store(data_dir)
    old = store.add_selfcheck(
        SelfCheckResult(urgency="none", phase=2, akps=80, date=TODAY - dt.timedelta(days=20))
    )
    new = store.add_selfcheck(
        SelfCheckResult(urgency="none", phase=2, akps=85, date=TODAY - dt.timedelta(days=10))
    )
    assert old and new
    return old, new


def open_history(at: Any) -> Any:
    """Open "Your earlier self-checks", as a click on it does (it is drawn when open)."""
    at.session_state["sc_history_open"] = True
    return at.run()


def test_the_earlier_self_checks_are_drawn_only_once_their_list_is_opened(
    data_dir: Path,
) -> None:
    seed_two(data_dir)
    at = open_page("self_check")
    assert "Your earlier self-checks (2)" in [e.label for e in at.expander]
    assert "85/100" not in texts(at), "closed: the rows cost every rerun, so none is drawn"
    assert "85/100" in texts(open_history(at))


def test_earlier_self_checks_are_listed_with_date_result_and_score(data_dir: Path) -> None:
    seed_two(data_dir)
    at = open_history(open_page("self_check"))
    shown = texts(at)
    assert "85/100" in shown and "80/100" in shown
    assert "does not lift a paused plan" in shown


def test_delete_asks_first_and_keep_it_changes_nothing(data_dir: Path) -> None:
    old, _ = seed_two(data_dir)
    at = open_history(open_page("self_check"))
    at.button(key=f"sc_delete_{old}").click().run()
    assert "does not lift a paused plan" in " ".join(str(w.value) for w in at.warning)
    assert len(data_store(data_dir).selfchecks()) == 2, "nothing deleted before yes"
    at.button(key=f"sc_delete_no_{old}").click().run()
    assert len(data_store(data_dir).selfchecks()) == 2
    assert f"sc_delete_yes_{old}" not in keys(at, "button")


def test_delete_then_undo_brings_the_self_check_back(data_dir: Path) -> None:
    old, new = seed_two(data_dir)
    at = open_history(open_page("self_check"))
    at.button(key=f"sc_delete_{old}").click().run()
    at.button(key=f"sc_delete_yes_{old}").click().run()
    assert_no_exception(at)
    assert [c.id for c in data_store(data_dir).selfchecks()] == [new]
    assert "Deleted the self-check of" in texts(at)
    at.button(key="sc_undo_button").click().run()
    assert_no_exception(at)
    assert sorted(c.id for c in data_store(data_dir).selfchecks()) == sorted([old, new])
    assert "sc_undo_button" not in keys(at, "button")


def test_undo_is_offered_only_until_the_next_action(data_dir: Path) -> None:
    old, _ = seed_two(data_dir)
    at = open_history(open_page("self_check"))
    at.button(key=f"sc_delete_{old}").click().run()
    at.button(key=f"sc_delete_yes_{old}").click().run()
    assert "sc_undo_button" in keys(at, "button")
    next_(at, "warning_signs")  # another action (here: Next with nothing answered)
    assert "sc_undo_button" not in keys(at, "button")
    assert len(data_store(data_dir).selfchecks()) == 1


# -- knee score ------------------------------------------------------------------------


def test_the_knee_score_change_is_shown_against_a_self_check_a_week_or_more_older(
    data_dir: Path,
) -> None:
    day = TODAY - dt.timedelta(days=10)
    data_store(data_dir).add_selfcheck(SelfCheckResult(urgency="none", phase=1, akps=70, date=day))
    at = open_page("self_check")
    full_check(at)
    assert "Up 30 points since" in texts(at)


def test_a_retake_within_a_week_is_not_reported_as_a_change(data_dir: Path) -> None:
    day = TODAY - dt.timedelta(days=3)
    data_store(data_dir).add_selfcheck(SelfCheckResult(urgency="none", phase=1, akps=70, date=day))
    at = open_page("self_check")
    full_check(at)
    shown = texts(at)
    assert "Up 30 points" not in shown
    assert "at least 7 days older" in shown


# -- saving ----------------------------------------------------------------------------


def test_a_result_is_saved_once_however_often_the_page_reruns(data_dir: Path) -> None:
    at = open_page("self_check")
    full_check(at)
    at.run()
    at.run()
    at.button(key="sc_start_phase").click().run()
    at.run()
    assert len(data_store(data_dir).selfchecks()) == 1
    assert len(data_store(data_dir).phase_history()) == 1


def test_start_again_clears_the_answers(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at, yes=("hot_red_fever",))
    at.button(key="sc_restart").click().run()
    assert "Step 1 of 7" in step_text(at)
    assert at.radio(key="sc_hot_red_fever").value is None
    assert len(data_store(data_dir).selfchecks()) == 1


def test_the_knee_score_has_one_name_explained_once_as_akps(data_dir: Path) -> None:
    at = open_page("self_check")
    red_flags(at)
    about(at)
    where(at)
    shown = texts(at)
    assert "Kujala knee score, also called the Anterior Knee Pain Scale (AKPS)" in shown
    akps_step(at, 1)
    akps_step(at, 2)
    home_tests(at)
    if "sc_hop_pain_status" in keys(at):
        home_test(at, "hop_pain", 0)
        next_(at, "hop")
    shown = texts(at)
    assert "Kujala knee score" in shown
    assert [m.label for m in at.metric] == ["Your Kujala knee score"]
    assert "AKPS" not in shown, "the other name is said once, where the questions start"


def test_the_phase_result_says_why_this_phase_apart_from_what_the_next_needs(
    data_dir: Path,
) -> None:
    at = open_page("self_check")
    full_check(at, stance=12)
    shown = texts(at)
    assert "Your starting phase: Phase 2" in shown
    why, to_next = shown.split("**Why this phase**")[1].split("**To reach phase 3**")
    assert "phase 2 starts" in why and "phase 3" not in why
    assert "phase 3 starts when you can balance for 30 seconds" in to_next
