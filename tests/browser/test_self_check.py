"""The self-check in a real browser, answered as a person would: click the answers, type
the numbers, press Next. One run per result kind, each screenshotted at phone width."""

from __future__ import annotations

from typing import Any

import pytest

from kneecore.questionnaire import load_questionnaire
from kneecore.store import STORE_FILENAME, Store
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
)

pytestmark = pytest.mark.browser
Q = load_questionnaire()


def settle(page: Any) -> None:
    """Wait for Streamlit to finish the script run a click started."""
    page.wait_for_timeout(250)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20_000
    )
    page.wait_for_timeout(250)


def choose(page: Any, question: str, answer: str) -> None:
    """Click an answer's label in the radio group asked by ``question``."""
    group = page.locator('[data-testid="stRadio"]').filter(
        has=page.get_by_text(question, exact=True)
    )
    group.get_by_text(answer, exact=True).click()


def type_number(page: Any, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Tab")


def press(page: Any, name: str, expect: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_text(expect).first.wait_for()
    settle(page)
    assert_no_app_exception(page)


def red_flag_step(page: Any, yes: tuple[str, ...] = ()) -> None:
    page.get_by_text("Step 1 of 6").wait_for()
    for flag in Q.red_flags:
        choose(page, flag.question, "Yes" if flag.id in yes else "No")


def about_step(page: Any, worst: int = 2, weeks: int = 0) -> None:
    values = {"age": 34, "weeks_of_symptoms": weeks, "pain_now": 1, "pain_worst_week": worst}
    for qid, value in values.items():
        type_number(page, Q.question(qid).label, value)
    choose(page, Q.question("side").label, "Right knee")
    choose(page, Q.question("hip_or_thigh_pain_or_limp").label, "No")
    press(page, "Next", "Step 3 of 6")


def akps_steps(page: Any) -> None:
    # A knee that is mostly fine, with a little pain on stairs and when running.
    worse = {"akps_stairs": 1, "akps_running": 1, "akps_sitting": 1}
    for step, items in ((3, Q.akps.items[:7]), (4, Q.akps.items[7:])):
        for item in items:
            choose(page, item.question, item.options[worse.get(item.id, 0)].text)
        press(page, "Next", f"Step {step + 1} of 6")


def home_test(page: Any, test_id: str, value: int | None) -> None:
    test = Q.test(test_id)
    question = f"{test.name}: how did it go?"
    if value is None:
        choose(page, question, "I did not try")
        return
    choose(page, question, "I did it")
    label = (
        "Seconds you could stand on the painful leg"
        if test.kind == "seconds"
        else "Worst knee pain during the test (0 = none, 10 = worst imaginable)"
    )
    # Each test has its own number box under its own heading: type into the one that
    # follows this test's radio group.
    group = page.locator('[data-testid="stRadio"]').filter(has=page.get_by_text(question))
    box = group.locator(f"xpath=following::input[@aria-label={_xpath_literal(label)}][1]")
    box.fill(str(value))
    box.press("Tab")


def _xpath_literal(text: str) -> str:
    return f'"{text}"' if '"' not in text else f"'{text}'"


def home_tests_and_goal(page: Any, squat: int, step_down: int, stance: int, goal: str) -> None:
    home_test(page, "semi_squat_pain", squat)
    home_test(page, "step_down_pain", step_down)
    home_test(page, "single_leg_stance_s", stance)
    press(page, "Next", "Step 6 of 6")
    if page.get_by_text(f"{Q.test('hop_pain').name}: how did it go?").count():
        home_test(page, "hop_pain", 0)
    choose(page, Q.question("goal").label, goal)


def data(server: AppServer) -> Store:
    return Store(server.data_dir / STORE_FILENAME)


def test_an_emergency_answer_shows_what_to_do_now_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "self_check")
    assert_no_app_exception(page)
    screenshot(page, "selfcheck-step1-phone")
    red_flag_step(page, yes=("calf_swelling",))
    press(page, "Next", "Get medical help today")
    body = page.inner_text("body")
    assert "emergency department today" in body
    assert "call the emergency number now" in body
    assert page.get_by_role("button", name="Start phase").count() == 0
    assert page.locator("input").count() == 0, "nothing more is asked"
    screenshot(page, "selfcheck-emergency-phone")
    (saved,) = data(app_server).selfchecks()
    assert saved.urgency == "emergency"


def test_a_gp_soon_answer_asks_to_see_a_gp_first_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "self_check")
    red_flag_step(page, yes=("locking",))
    press(page, "Next", "Step 2 of 6")
    assert page.get_by_text("locks or gets stuck").first.is_visible()
    about_step(page)
    akps_steps(page)
    screenshot(page, "selfcheck-tests-phone")
    home_tests_and_goal(page, squat=1, step_down=1, stance=30, goal="Running")
    screenshot(page, "selfcheck-goal-phone")
    press(page, "See my result", "See a GP or physiotherapist before you start")
    assert "No exercise plan is given yet" in page.inner_text("body")
    assert page.get_by_role("button", name="Start phase").count() == 0
    screenshot(page, "selfcheck-gp-phone")
    (saved,) = data(app_server).selfchecks()
    assert saved.urgency == "gp_soon" and saved.phase is None


def run_to_phase_result(page: Any, server: AppServer) -> None:
    goto(page, server, "self_check")
    red_flag_step(page)
    press(page, "Next", "Step 2 of 6")
    about_step(page, worst=4, weeks=3)
    akps_steps(page)
    home_tests_and_goal(page, squat=2, step_down=1, stance=22, goal="Running")
    press(page, "See my result", "Why")


def test_a_phase_result_can_be_read_and_started_on_a_phone_and_desktop(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    run_to_phase_result(page, app_server)
    body = page.inner_text("body")
    assert "Start gently, and get checked if it is no better" in body
    assert "squat pain 2/10 is above 1/10 for phase 3" in body.lower()
    assert "balance on the painful leg 22 s is below 30 s for phase 3" in body.lower()
    assert "/100" in body
    page.get_by_role("button", name="Start phase 2").wait_for()
    screenshot(page, "selfcheck-phase-phone")

    page.get_by_role("button", name="Start phase 2").click()
    page.get_by_text("Phase 2 is now your current phase").wait_for()
    settle(page)
    assert page.get_by_role("link", name="Open your exercise plan").is_visible()
    current = data(app_server).current_phase()
    assert current is not None and current.phase == 2 and current.source == "self_check"

    desktop = new_page(browser, DESKTOP)
    run_to_phase_result(desktop, app_server)
    # The second self-check compares its knee score with the first.
    assert "since" in desktop.inner_text("body")
    screenshot(desktop, "selfcheck-phase-desktop")
    assert len(data(app_server).selfchecks()) == 2
