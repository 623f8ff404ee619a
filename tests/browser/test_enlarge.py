"""The Plan page's "Enlarge drawing" in a real browser: the drawing really is larger than
on the page and fits the window. On a phone (390 x 844) a standing exercise's start and
end panels are shown one above the other, each as wide as the screen; on a desktop
(1280 x 900) the whole drawing is as high as the window allows, feet and captions in view.
Screenshots: tests/browser/screenshots/enlarge-*.png."""

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
BY_ID = {e.id: e for e in LIBRARY.exercises}
# The dialog's pictures: the whole drawing, or the start and end panels on a phone.
WHOLE = '.st-key-kc_big_whole [data-testid="stImage"] img'
PANELS = '.st-key-kc_big_panels [data-testid="stImage"] img'


def open_enlarged(page: Any, server: AppServer, exercise_id: str) -> tuple[Any, dict[str, float]]:
    """Open the plan at the exercise's phase, enlarge its drawing; return the dialog and
    the box of the drawing on the page."""
    exercise = BY_ID[exercise_id]
    goto(page, server, "plan")
    if exercise.phase != 1:
        page.get_by_role("radio", name=f"Phase {exercise.phase}", exact=True).click()
        page.get_by_text(f"Phase {exercise.phase}: {LIBRARY.phase(exercise.phase).name}").wait_for()
        wait_for_images(page, len(LIBRARY.by_phase(exercise.phase)))
        settle(page)
    on_page = page.get_by_alt_text(exercise.illustration_alt, exact=True)
    on_page.scroll_into_view_if_needed()
    box = on_page.bounding_box()
    button = page.get_by_role("button", name=f"Enlarge drawing: {exercise.name}")
    label = button.locator('[data-testid="stMarkdownContainer"]')
    # The whole label shows (it wraps on a phone), never cut with an ellipsis.
    assert label.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), exercise.id
    button.click()
    dialog = page.get_by_role("dialog", name=exercise.name)
    dialog.wait_for()
    settle(page)
    assert_no_app_exception(page)
    assert box is not None
    return dialog, box


def visible_boxes(page: Any, selector: str) -> list[dict[str, float]]:
    images = page.locator(selector)
    if images.count() == 0:  # a drawing without panels has none
        return []
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)",
        arg=selector,
    )
    return [image.bounding_box() for image in images.all() if image.is_visible()]


def assert_no_toolbar(dialog: Any) -> None:
    """Streamlit's image toolbar has no button in a dialog; its empty box was a white dot."""
    toolbars = dialog.locator('[data-testid="stElementToolbar"]')
    assert all(not t.is_visible() for t in toolbars.all())


@pytest.mark.parametrize("exercise_id", ["banded_standing_hip", "t_stance"])
def test_on_a_phone_the_start_and_end_panels_fill_the_screen_one_above_the_other(
    browser: Any, app_server: AppServer, exercise_id: str
) -> None:
    page = new_page(browser, PHONE)
    dialog, on_page = open_enlarged(page, app_server, exercise_id)
    assert visible_boxes(page, WHOLE) == [], "the whole drawing gives way to its panels"
    start, end = visible_boxes(page, PANELS)
    for panel in (start, end):
        # Each panel fits the screen, and is larger than the whole drawing on the page
        # (a narrow panel, the T-stance's start, as high as the screen allows).
        assert panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE["width"]
        assert panel["height"] <= PHONE["height"] - 100
        assert panel["height"] > 1.5 * on_page["height"]
    assert start["y"] + start["height"] <= end["y"], "start above end"
    assert max(start["width"], end["width"]) >= PHONE["width"] - 30
    assert_no_toolbar(dialog)
    screenshot(page, f"enlarge-{exercise_id}-phone", as_seen=True)
    # Each panel is described by its half of the drawing's alt text.
    start_words, end_words = BY_ID[exercise_id].illustration_alt.split(" End: ")
    assert dialog.get_by_alt_text(start_words, exact=True).is_visible()
    assert dialog.get_by_alt_text(f"End: {end_words}", exact=True).is_visible()
    dialog.locator(PANELS).last.scroll_into_view_if_needed()
    screenshot(page, f"enlarge-{exercise_id}-phone-end", as_seen=True)


def test_on_a_phone_a_lying_exercise_is_shown_whole_at_the_full_screen_width(
    browser: Any, app_server: AppServer
) -> None:
    """Lying poses are drawn start above end already: the drawing is shown whole, as
    wide as the phone, wider than on the page."""
    page = new_page(browser, PHONE)
    dialog, on_page = open_enlarged(page, app_server, "bridge")
    (whole,) = visible_boxes(page, WHOLE)
    assert visible_boxes(page, PANELS) == []
    assert whole["width"] >= PHONE["width"] - 30 and whole["width"] > on_page["width"]
    assert whole["y"] + whole["height"] <= PHONE["height"]
    assert_no_toolbar(dialog)
    screenshot(page, "enlarge-bridge-phone", as_seen=True)


@pytest.mark.parametrize("exercise_id", ["quad_set", "semi_squat", "diagonal_hops"])
def test_on_a_desktop_the_whole_drawing_fits_the_window_and_is_much_larger(
    browser: Any, app_server: AppServer, exercise_id: str
) -> None:
    page = new_page(browser, DESKTOP)
    dialog, on_page = open_enlarged(page, app_server, exercise_id)
    (whole,) = visible_boxes(page, WHOLE)
    assert visible_boxes(page, PANELS) == []
    # Feet and captions in view: the drawing ends inside the window.
    assert whole["y"] >= 0 and whole["y"] + whole["height"] <= DESKTOP["height"]
    assert whole["x"] >= 0 and whole["x"] + whole["width"] <= DESKTOP["width"]
    assert whole["width"] >= 1.8 * on_page["width"]
    assert_no_toolbar(dialog)
    screenshot(page, f"enlarge-{exercise_id}-desktop", as_seen=True)
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
