"""The self-check in a real browser, answered as a person would: click the answers, type
the numbers, tick the areas that hurt, press Next. Screenshots at phone width (390 px)
and desktop width (1280 px), the knee picture also in dark mode."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import SelfCheckResult
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    Q,
    about_step,
    akps_steps,
    area_label,
    assert_no_app_exception,
    goto,
    new_page,
    press,
    red_flag_step,
    run_to_phase_result,
    screenshot,
    settle,
    store_of,
    where_step,
)

pytestmark = pytest.mark.browser


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
    (saved,) = store_of(app_server).selfchecks()
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
    (saved,) = store_of(app_server).selfchecks()
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


#: The height of each knee-score answer, and the gap from one to the next, in px.
ANSWER_SIZES_JS = """() => {
  const out = [];
  for (const group of document.querySelectorAll('[data-testid=stRadio] [role=radiogroup]')) {
    const labels = [...group.querySelectorAll('[data-testid=stRadioOption]')];
    labels.forEach((label, i) => {
      const box = label.getBoundingClientRect();
      const next = labels[i + 1] ? labels[i + 1].getBoundingClientRect() : null;
      const below = next && next.top > box.top + 1;  // side-by-side answers have no step
      out.push({height: box.height, step: below ? next.top - box.top : null});
    });
  }
  return out;
}"""


def test_knee_score_answers_are_tap_targets_of_24_px_or_more_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "self_check")
    red_flag_step(page)
    press(page, "Next", "Step 2 of 7")
    about_step(page, "Step 3 of 7", worst=4, weeks=3)
    where_step(page, "Step 4 of 7", ("around_kneecap",))
    sizes = page.evaluate(ANSWER_SIZES_JS)
    assert len(sizes) >= 20, sizes
    # WCAG 2.5.8: 24 px targets; here every answer is 32 px high, 8 px apart or more.
    assert min(s["height"] for s in sizes) >= 32, sizes
    steps = [s["step"] for s in sizes if s["step"] is not None]
    assert min(steps) >= 40, sizes
    screenshot(page, "selfcheck-knee-score-answers-phone", as_seen=True)


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
    current = store_of(app_server).current_phase()
    assert current is not None and current.phase == 2 and current.source == "self_check"

    desktop = new_page(browser, DESKTOP)
    run_to_phase_result(desktop, app_server)
    # A retake the same day is not compared with the first: too soon to be a change.
    assert "at least 7 days older" in desktop.inner_text("body")
    screenshot(desktop, "selfcheck-phase-desktop")
    assert len(store_of(app_server).selfchecks()) == 2


@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_an_earlier_self_check_is_deleted_after_confirming_and_can_be_undone(
    browser: Any, app_server: AppServer, viewport: dict[str, int], suffix: str
) -> None:
    store = store_of(app_server)
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
    assert len(store_of(app_server).selfchecks()) == 1
    screenshot(page, f"selfcheck-deleted-undo-{suffix}")
    undo = page.get_by_role("button", name="Undo")
    undo.click()
    # Undo restores the self-check and reruns the page without the offer; wait for that
    # rerun (a real bug, the button staying, still fails after the timeout).
    undo.wait_for(state="detached", timeout=20_000)
    settle(page)
    assert len(store_of(app_server).selfchecks()) == 2
    assert undo.count() == 0
