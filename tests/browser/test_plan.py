"""The Exercise plan page in a real browser: illustrations load and fit desktop and phone."""

from __future__ import annotations

from typing import Any

import pytest

from kneecore.content import load_library
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
    settle,
    wait_for_images,
)

pytestmark = pytest.mark.browser
LIBRARY = load_library()
IMAGES = '[data-testid="stImage"] img'


def check_illustrations(page: Any, phase: int, viewport_width: int) -> None:
    exercises = LIBRARY.by_phase(phase)
    wait_for_images(page, len(exercises))
    images = page.locator(IMAGES)
    for i, exercise in enumerate(exercises):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible(), exercise.id
        assert image.get_attribute("alt") == exercise.illustration_alt
        box = image.bounding_box()
        assert box is not None
        # Scaled to the card: wide enough to read, never wider than the screen.
        assert 300 <= box["width"] <= viewport_width, (exercise.id, box)
        assert page.get_by_text(f"{i + 1}. {exercise.name}", exact=True).is_visible()


def choose_phase(page: Any, phase: int) -> None:
    page.get_by_role("radio", name=f"Phase {phase}", exact=True).click()
    page.get_by_text(f"Phase {phase}: {LIBRARY.phase(phase).name}").wait_for()
    wait_for_images(page, len(LIBRARY.by_phase(phase)))
    settle(page)


def test_phase_one_illustrations_show_on_desktop(browser: Any, app_server: AppServer) -> None:
    page = new_page(browser, DESKTOP)
    goto(page, app_server, "plan")
    assert_no_app_exception(page)
    check_illustrations(page, 1, DESKTOP["width"])
    assert page.get_by_text("Avoid for now").is_visible()
    screenshot(page, "plan-phase1-desktop")


def test_phase_one_and_three_illustrations_fit_a_phone(browser: Any, app_server: AppServer) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "plan")
    check_illustrations(page, 1, PHONE["width"])
    screenshot(page, "plan-phase1-phone")

    choose_phase(page, 3)
    assert_no_app_exception(page)
    check_illustrations(page, 3, PHONE["width"])
    screenshot(page, "plan-phase3-phone")


def test_the_muscle_filter_works_by_touch_on_a_phone(browser: Any, app_server: AppServer) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "plan")
    muscles = page.get_by_role("combobox", name="Show exercises for these muscles")
    muscles.click()
    # Typing narrows the list; it also opens it if the first tap only focused the field.
    muscles.press_sequentially("maximus")
    page.get_by_role("option", name="Gluteus maximus (buttock)").click()
    page.keyboard.press("Escape")
    wait_for_images(page, 1)
    assert page.get_by_text("5. Prone hip extension", exact=True).is_visible()
    assert page.get_by_text("1. Quad set", exact=True).count() == 0
