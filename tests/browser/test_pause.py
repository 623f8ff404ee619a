"""The plan pause on a phone, in a real browser: a warning sign binds every page.

The journey of issue 10: an emergency self-check result ("could not take four steps")
-> Today opens with the pause -> the plan shows no exercise -> the log has nothing
filled in -> a clinician's clearance on Today -> the plan shows its exercises again.
Each step is screenshotted at 390 px (and the pause in dark mode) so a person can look.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest

from kneecore.content import load_library
from kneecore.words import format_date
from tests.browser.helpers import (
    PHONE,
    AppServer,
    assert_no_app_exception,
    check_page,
    contrast,
    goto,
    new_page,
    screenshot,
    settle,
    store_of,
    wait_for_app,
    wait_for_images,
)

pytestmark = pytest.mark.browser
LIBRARY = load_library()
MAIN = '[data-testid="stMain"]'
ALERT = '[data-testid="stAlert"]'
PAUSE = f"{ALERT}:has-text('Paused since')"
#: The red-flag question of the first step this journey answers yes to, by its words.
FOUR_STEPS = "four steps"


def wait_for_emergency(server: AppServer, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(c.urgency == "emergency" for c in store_of(server).selfchecks()):
            return
        time.sleep(0.2)
    raise AssertionError("the self-check did not save an emergency result")


def answer_first_step(page: Any) -> None:
    """Yes to 'could not take four steps', No to every other yes/no question.

    The Self-check page is reworked by others, so questions are found by their words
    and their Yes/No answers, not by position or key.
    """
    page.locator('[data-testid="stRadio"]').first.wait_for()
    groups = page.locator('[data-testid="stRadio"]')
    for i in range(groups.count()):
        group = groups.nth(i)
        answer = "Yes" if FOUR_STEPS in group.inner_text() else "No"
        option = group.get_by_text(answer, exact=True)
        if option.count():
            option.first.click()
    page.get_by_role("button", name=re.compile(r"^(Next|See my result)")).first.click()
    settle(page)


#: The pause box's text colour, and its background laid over the app's (alerts are tinted
#: with a translucent colour), as CSS rgb() strings.
BOX_COLOURS_JS = """
box => {
  const text = getComputedStyle(box.querySelector('p')).color;
  const app = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const parse = c => c.slice(c.indexOf('(') + 1, c.indexOf(')')).split(/[ ,/]+/).map(Number);
  let el = box.querySelector('p');
  let tint = null;
  while (el && el !== box.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    const [r, g, b, a = 1] = parse(bg);
    if (a > 0) { tint = [r, g, b, a]; break; }
    el = el.parentElement;
  }
  const [ar, ag, ab] = parse(app);
  const [r, g, b, a] = tint || [ar, ag, ab, 1];
  const mix = (c, base) => Math.round(c * a + base * (1 - a));
  return {text, background: `rgb(${mix(r, ar)}, ${mix(g, ag)}, ${mix(b, ab)})`};
}
"""


def pause_box(page: Any) -> Any:
    box = page.locator(f"{MAIN} {PAUSE}").first
    box.wait_for()
    return box


def check_unmissable(page: Any, box: Any) -> None:
    """On a 390 px phone the pause is on the first screen, full width, with its icon."""
    box.scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop === 0"
    )
    bounds = box.bounding_box()
    assert bounds is not None
    assert bounds["y"] < PHONE["height"] / 2, bounds
    assert bounds["width"] >= PHONE["width"] - 60, bounds
    assert box.locator('[data-testid="stAlertDynamicIcon"], [data-testid="stIconMaterial"]').count()


def test_an_emergency_pauses_every_page_until_a_clearance_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)

    # The self-check: "I could not take four steps after a twist".
    goto(page, app_server, "self_check")
    assert_no_app_exception(page)
    answer_first_step(page)
    wait_for_emergency(app_server)
    assert_no_app_exception(page)
    screenshot(page, "pause-0-selfcheck-result-phone")
    reported = format_date(store_of(app_server).selfchecks()[-1].date)

    # Today opens with the pause, an error box in words, and the clearance form.
    goto(page, app_server, "")
    assert_no_app_exception(page)
    box = pause_box(page)
    text = box.inner_text()
    assert f"Paused since {reported}" in text
    assert "What to do" in text
    check_unmissable(page, box)
    main = page.locator(MAIN)
    assert main.get_by_role("link", name=re.compile("Log a session|exercise plan")).count() == 0
    assert page.get_by_label("A GP or physiotherapist examined my knee on").first.is_visible()
    screenshot(page, "pause-1-today-phone")

    # The plan: no exercise card, and it says why and what to do.
    goto(page, app_server, "plan")
    assert_no_app_exception(page)
    check_unmissable(page, pause_box(page))
    main.get_by_text("No exercises for now").wait_for()
    assert page.locator('[data-testid="stImage"]').count() == 0
    screenshot(page, "pause-2-plan-phone")

    # The log: nothing filled in, but a session can still be recorded.
    goto(page, app_server, "log")
    assert_no_app_exception(page)
    check_unmissable(page, pause_box(page))
    assert page.get_by_role("checkbox", name=re.compile("Quad set")).count() == 0
    main.get_by_text("Add at least one exercise above").wait_for()
    screenshot(page, "pause-3-log-phone")

    # Progress: the pause on top of whatever history there is.
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    check_unmissable(page, pause_box(page))
    screenshot(page, "pause-4-progress-phone")

    # The clearance, recorded on Today: the pause lifts.
    goto(page, app_server, "")
    page.get_by_label("Note (optional): what they said or advised").fill(
        "Seen in the emergency department: no fracture, fine to exercise."
    )
    page.get_by_role("button", name="They said I can exercise: save").click()
    main.get_by_text("plan is open again").wait_for()
    settle(page)
    assert_no_app_exception(page)
    assert page.locator(f"{MAIN} {PAUSE}").count() == 0
    screenshot(page, "pause-5-cleared-phone")
    (clearance,) = store_of(app_server).clearances()
    assert clearance.note.startswith("Seen in the emergency department")

    # The plan shows its exercises again.
    goto(page, app_server, "plan")
    assert_no_app_exception(page)
    wait_for_images(page, len(LIBRARY.by_phase(1)))
    assert page.get_by_text(f"1. {LIBRARY.by_phase(1)[0].name}", exact=True).is_visible()
    screenshot(page, "pause-6-plan-again-phone")


def test_the_pause_is_calm_and_readable_in_dark_mode_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    store = store_of(app_server)
    store.start_phase(1)
    page = new_page(browser, PHONE, dark=True)
    goto(page, app_server, "self_check")
    answer_first_step(page)
    wait_for_emergency(app_server)
    for path, name in (("", "today"), ("plan", "plan"), ("log", "log")):
        goto(page, app_server, path)
        wait_for_app(page)
        assert_no_app_exception(page)
        box = pause_box(page)
        check_unmissable(page, box)
        assert check_page(page, path) == []
        colours = box.evaluate(BOX_COLOURS_JS)
        assert contrast(colours["text"], colours["background"]) >= 4.5, colours
        screenshot(page, f"pause-{name}-phone-dark")


def test_a_gp_visit_pause_is_amber_in_words_and_icon_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    store = store_of(app_server)
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=10))
    store.add_session(
        {
            "date": dt.date.today() - dt.timedelta(days=1),
            "exercises": [{"exercise_id": "bridge", "sets": 3, "reps": [12, 12, 12]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "locking": True,
        }
    )
    for dark in (False, True):
        page = new_page(browser, PHONE, dark=dark)
        goto(page, app_server, "plan")
        assert_no_app_exception(page)
        box = pause_box(page)
        check_unmissable(page, box)
        assert "have your knee checked" in box.inner_text().lower()
        assert page.locator('[data-testid="stImage"]').count() == 0
        screenshot(page, f"pause-gp-plan-phone-{'dark' if dark else 'light'}")


def test_the_plan_marks_exercises_lying_down_when_pregnant_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    from kneecore.selfcheck import assess

    answers = {"age": 30, "pain_now": 2, "pain_worst_week": 3, "weeks_of_symptoms": 2}
    store_of(app_server).add_selfcheck(assess({**answers, "goal": "running", "pregnant": True}))
    page = new_page(browser, PHONE)
    goto(page, app_server, "plan")
    assert_no_app_exception(page)
    wait_for_images(page, len(LIBRARY.by_phase(1)))
    marked = [e for e in LIBRARY.by_phase(1) if e.pregnancy_alternative]
    marks = page.locator(f"{MAIN} {ALERT}:has-text('Pregnant: from 16 weeks')")
    assert marks.count() == len(marked)
    marks.first.scroll_into_view_if_needed()
    assert marks.first.is_visible()
    screenshot(page, "plan-pregnant-phone")
