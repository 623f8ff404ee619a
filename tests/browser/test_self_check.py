"""The self-check in a real browser, answered as a person would: click the answers, type
the numbers, tick the areas that hurt, press Next. Screenshots at phone width (390 px)
and desktop width (1280 px), the knee picture also in dark mode."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import SelfCheckResult
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
    page.get_by_text("Step 1 of 7").wait_for()
    for flag in Q.red_flags:
        choose(page, flag.question, "Yes" if flag.id in yes else "No")


def about_step(page: Any, expect: str, worst: int = 2, weeks: int = 0) -> None:
    values = {"age": 34, "weeks_of_symptoms": weeks, "pain_now": 1, "pain_worst_week": worst}
    for qid, value in values.items():
        type_number(page, Q.question(qid).label, value)
    choose(page, Q.question("side").label, "Right knee")
    choose(page, Q.question("hip_or_thigh_pain_or_limp").label, "No")
    choose(page, Q.question("goal").label, "Running")
    press(page, "Next", expect)


def area_label(value: str) -> str:
    return next(o.label for o in Q.question("pain_location").options if o.value == value)


def where_step(page: Any, expect: str, areas: tuple[str, ...] = ("around_kneecap",)) -> None:
    page.locator('[data-testid="stImage"] img').first.wait_for()
    for area in areas:
        page.get_by_text(area_label(area), exact=True).click()
    press(page, "Next", expect)


def akps_steps(page: Any, total: int) -> None:
    # A knee that is mostly fine, with a little pain on stairs and when running.
    worse = {"akps_stairs": 1, "akps_running": 1, "akps_sitting": 1}
    for step, items in ((4, Q.akps.items[:7]), (5, Q.akps.items[7:])):
        for item in items:
            choose(page, item.question, item.options[worse.get(item.id, 0)].text)
        if step == 5 and total == 5:
            press(page, "See my result", "Why")
        else:
            press(page, "Next", f"Step {step + 1} of {total}")


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
    assert "not a diagnosis" in body
    assert page.get_by_role("button", name="Start phase").count() == 0
    assert page.locator("input").count() == 0, "nothing more is asked"
    screenshot(page, "selfcheck-emergency-phone")
    (saved,) = data(app_server).selfchecks()
    assert saved.urgency == "emergency"


def test_a_gp_soon_answer_skips_the_home_tests_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "self_check")
    red_flag_step(page, yes=("locking",))
    press(page, "Next", "Step 2 of 5")
    assert page.get_by_text("no home tests are asked").first.is_visible()
    about_step(page, "Step 3 of 5")
    where_step(page, "Step 4 of 5", ("around_kneecap", "back_of_knee"))
    akps_steps(page, total=5)
    body = page.inner_text("body")
    assert "See a GP or physiotherapist before you start" in body
    assert "No exercise plan is given yet" in body
    assert "Home tests" not in body and "how did it go?" not in body
    assert page.get_by_role("button", name="Start phase").count() == 0
    screenshot(page, "selfcheck-gp-phone")
    (saved,) = data(app_server).selfchecks()
    assert saved.urgency == "gp_soon" and saved.phase is None
    assert saved.answers["pain_location"] == ["around_kneecap", "back_of_knee"]


@pytest.mark.parametrize(
    ("viewport", "dark", "name"),
    [
        (PHONE, False, "selfcheck-where-phone"),
        (PHONE, True, "selfcheck-where-phone-dark"),
        (DESKTOP, False, "selfcheck-where-desktop"),
    ],
)
def test_the_knee_picture_fits_the_screen_with_every_area_named(
    browser: Any, app_server: AppServer, viewport: dict[str, int], dark: bool, name: str
) -> None:
    page = new_page(browser, viewport, dark=dark)
    goto(page, app_server, "self_check")
    red_flag_step(page)
    press(page, "Next", "Step 2 of 7")
    about_step(page, "Step 3 of 7: Where it hurts")
    picture = page.locator('[data-testid="stImage"] img').first
    picture.wait_for()
    box = picture.bounding_box()
    main = page.locator('[data-testid="stMain"]').bounding_box()
    assert box["width"] <= main["width"], "the picture is never wider than the screen"
    assert box["width"] >= min(340, viewport["width"] - 60), "large enough to read"
    for option in Q.question("pain_location").options:
        assert page.get_by_text(option.label, exact=True).is_visible()
    page.get_by_text(area_label("around_kneecap"), exact=True).click()
    page.get_by_text(area_label("below_kneecap"), exact=True).click()
    screenshot(page, name)


def run_to_phase_result(page: Any, server: AppServer, tests_shot: str | None = None) -> None:
    goto(page, server, "self_check")
    red_flag_step(page)
    press(page, "Next", "Step 2 of 7")
    about_step(page, "Step 3 of 7", worst=4, weeks=3)
    where_step(page, "Step 4 of 7", ("around_kneecap", "whole_knee"))
    akps_steps(page, total=7)
    if tests_shot:
        screenshot(page, tests_shot)
    # Squats at 3/10 are not near pain-free, so no hop test follows: Next shows the result.
    home_test(page, "semi_squat_pain", 3)
    home_test(page, "step_down_pain", 1)
    home_test(page, "single_leg_stance_s", 22)
    press(page, "Next", "Why this phase")


def test_a_phase_result_can_be_read_and_started_on_a_phone_and_desktop(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    run_to_phase_result(page, app_server, tests_shot="selfcheck-tests-phone")
    body = page.inner_text("body")
    assert "Start gently" in body or "No warning signs" in body
    assert "/100" in body and "not a diagnosis" in body
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
    # A retake the same day is not compared with the first: too soon to be a change.
    assert "at least 7 days older" in desktop.inner_text("body")
    screenshot(desktop, "selfcheck-phase-desktop")
    assert len(data(app_server).selfchecks()) == 2


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_an_earlier_self_check_is_deleted_after_confirming_and_can_be_undone(
    browser: Any, app_server: AppServer, viewport: dict[str, int], suffix: str
) -> None:
    store = data(app_server)
    today = dt.date.today()
    for days, score in ((30, 62), (16, 71)):
        store.add_selfcheck(
            SelfCheckResult(
                urgency="check_if_no_better",
                phase=1,
                akps=score,
                date=today - dt.timedelta(days=days),
            )
        )
    page = new_page(browser, viewport)
    goto(page, app_server, "self_check")
    page.get_by_text("Your earlier self-checks (2)").click()
    page.get_by_text("71/100", exact=False).first.wait_for()
    page.get_by_role("button", name="Delete").first.click()
    page.get_by_text("Deleting it does not lift a paused plan").wait_for()
    settle(page)
    screenshot(page, f"selfcheck-delete-confirm-{suffix}")
    press(page, "Yes, delete it", "Deleted the self-check of")
    assert len(data(app_server).selfchecks()) == 1
    screenshot(page, f"selfcheck-deleted-undo-{suffix}")
    page.get_by_role("button", name="Undo").click()
    settle(page)
    assert len(data(app_server).selfchecks()) == 2
    assert page.get_by_role("button", name="Undo").count() == 0
