"""Where keyboard focus lands after a click that reruns the page, as a keyboard user meets it.

Streamlit redraws the page after every button and leaves focus on the body, so a
keyboard or screen-reader user would start again from the top of the page.
``pages/in_browser.focus_on`` moves focus to what the click brought: the self-check's
new step (after Next), why Next did not move on, the result, the started phase, and
the answer under Save on Log and Runs. Each case here presses the button from the
keyboard (focus it, Enter) and reads ``document.activeElement`` from the page (the
app is drawn in the main document, not an iframe: that is checked too), then checks
that the focused element

- holds the expected words (not the body, not the old button),
- is on screen and not hidden under Streamlit's fixed toolbar (WCAG 2.4.11),
- shows a focus ring (WCAG 2.4.7),
- is followed by Tab into the next control after it, not the top of the page.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from kneecore import selfcheck_flow as flow
from kneecore.questionnaire import load_questionnaire
from tests.browser.axe_run import seeded_server
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    about_step,
    akps_steps,
    assert_no_app_exception,
    choose_pain,
    goto,
    home_test,
    new_page,
    red_flag_step,
    screenshot,
    settle,
    store_of,
    where_step,
)

pytestmark = pytest.mark.browser

#: What has focus, where it is on the screen, and whether its focus ring shows.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const header = document.querySelector('header[data-testid="stHeader"]');
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const keyed = el.closest('[class*="st-key-"]');
  return {
    tag: el.tagName.toLowerCase(),
    role: el.getAttribute('role') || '',
    name: el.getAttribute('aria-label') || '',
    text: (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 300),
    key: keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '',
    inMain: !!el.closest('[data-testid="stMain"]'),
    inFrame: window !== window.top,
    frames: document.querySelectorAll('iframe').length,
    top: box.top,
    bottom: box.bottom,
    headerBottom: header ? header.getBoundingClientRect().bottom : 0,
    viewport: window.innerHeight,
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
  };
}
"""

#: Whether the focused element is the one keyed ``key``, or lies inside it.
FOCUS_IN_KEY_JS = """
key => {
  const el = document.activeElement;
  return !!(el && el.closest('.st-key-' + key));
}
"""

#: Whether focus now sits after ``key``'s element in the page, inside the main area.
FOCUS_AFTER_KEY_JS = """
key => {
  const el = document.activeElement;
  const from = document.querySelector('.st-key-' + key);
  if (!el || !from || el === document.body) return false;
  const after = from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING;
  return !!after && !from.contains(el) && !!el.closest('[data-testid="stMain"]');
}
"""


def focused(page: Any) -> dict[str, Any]:
    return dict(page.evaluate(FOCUSED_JS))


def press_by_keyboard(page: Any, name: str) -> None:
    """Move focus to the button ``name`` and press Enter, as a keyboard user does."""
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    button.press("Enter")


def assert_focus_on(page: Any, key: str, name: str) -> dict[str, Any]:
    """Focus is on the element keyed ``key``, named by its first words, ``name``.

    Waits for the click's script run and for the page to be still, then checks focus
    is still there (a late redraw must not take it away).
    """
    # On a time-out the assertions below say what has focus instead.
    with contextlib.suppress(Exception):
        page.wait_for_function(FOCUS_IN_KEY_JS, arg=key, timeout=15_000)
    settle(page)
    assert_no_app_exception(page)
    now = focused(page)
    assert not now["inFrame"] and now["frames"] == 0, "the app is drawn in the main document"
    assert now["tag"] != "body" and now["inMain"], f"focus is not in the page: {now}"
    assert now["key"] == key, f"focus is not on {key!r} but on {now}"
    assert name in now["text"], f"{name!r} is not what has focus: {now}"
    # What a screen reader says on landing: a group named by the answer's first words
    # (the box's words follow), or a heading.
    assert now["role"] in ("group", "heading") or now["tag"] in ("h1", "h2", "h3"), now
    # A heading is named by its own words; a group by the label focus_on gave it.
    said = now["text"] if now["tag"] in ("h1", "h2", "h3") else now["name"]
    assert said.startswith(name), f"the focused element is not named {name!r}: {now}"
    return now


def assert_focus_seen(page: Any, now: dict[str, Any]) -> None:
    """The focused element is on screen below the toolbar, with a ring around it."""
    assert now["top"] >= now["headerBottom"] - 1, (
        f"the focused element starts at y={now['top']:.0f}, under the toolbar that ends "
        f"at y={now['headerBottom']:.0f}"
    )
    assert now["top"] < now["viewport"] - 40, f"the focused element is below the screen: {now}"
    assert now["outline"] not in ("none", "") and now["outlineWidth"] >= 2, (
        f"no visible focus ring: outline {now['outline']} {now['outlineWidth']}px"
    )


def assert_tab_goes_on(page: Any, key: str) -> None:
    """Tab from the focused answer reaches the next control after it, not the top."""
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUS_AFTER_KEY_JS, key), (
        f"Tab from {key!r} went to {focused(page)}, not to a control after it"
    )


# -- the self-check --------------------------------------------------------------------


def test_self_check_focus_follows_next_the_result_and_start_phase_on_a_phone(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE, dark=True)
    goto(page, app_server, "self_check")

    # Next with nothing answered: focus goes to why it did not move on.
    page.get_by_text("Step 1 of 7").wait_for()
    press_by_keyboard(page, "Next")
    now = assert_focus_on(page, "sc_notice_box", "Please answer every question")
    assert_focus_seen(page, now)

    # Next, answered: focus goes to the new step's heading, and Tab to its first field.
    red_flag_step(page)
    press_by_keyboard(page, "Next")
    now = assert_focus_on(page, "sc_step_header", "Step 2 of 7")
    assert now["tag"] == "h2", f"focus is on the step's heading, not its box: {now}"
    assert_focus_seen(page, now)
    screenshot(page, "focus-selfcheck-step2-phone-dark", as_seen=True)
    assert_tab_goes_on(page, "sc_step_header")

    # A second Next in a row (the same script each time) still moves focus.
    about_step(page, "Step 3 of 7", worst=4, weeks=3)
    assert_focus_on(page, "sc_step_header", "Step 3 of 7")
    where_step(page, "Step 4 of 7", ("around_kneecap", "whole_knee"))
    assert_focus_on(page, "sc_step_header", "Step 4 of 7")
    akps_steps(page, total=7)
    assert_focus_on(page, "sc_step_header", "Step 6 of 7")
    home_test(page, "semi_squat_pain", 3)
    home_test(page, "step_down_pain", 1)
    home_test(page, "single_leg_stance_s", 22)

    # The result: focus on its box, which starts with what it means.
    press_by_keyboard(page, "Next")
    page.locator(".st-key-sc_result_box").wait_for()
    settle(page)
    (saved,) = store_of(app_server).selfchecks()
    title = flow.result_view(saved, load_questionnaire()).title
    now = assert_focus_on(page, "sc_result_box", title)
    assert_focus_seen(page, now)
    screenshot(page, "focus-selfcheck-result-phone-dark", as_seen=True)

    # Start phase: focus on the confirmation, then Tab to the plan's link inside it.
    press_by_keyboard(page, "Start phase 2")
    now = assert_focus_on(page, "sc_started_box", "Phase 2 is now your current phase")
    assert_focus_seen(page, now)
    screenshot(page, "focus-selfcheck-started-phone-dark", as_seen=True)
    page.keyboard.press("Tab")
    link = focused(page)
    assert link["tag"] == "a" and "Open your exercise plan" in link["text"], link


# -- Log and Runs: the answer under Save -----------------------------------------------


@pytest.fixture(scope="module")
def phase3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Twelve weeks of history in phase 3, where the run form is open."""
    server = seeded_server(tmp_path_factory.mktemp("focus") / "knee-data", in_demo_phase=True)
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("viewport", "dark", "name", "pains"),
    # Other pains each time: the same session twice is asked about, not saved.
    [(PHONE, True, "phone-dark", (1, 2, 1)), (DESKTOP, False, "desktop", (0, 1, 0))],
)
def test_log_save_moves_focus_to_the_answer_under_save(
    browser: Any,
    phase3: AppServer,
    viewport: dict[str, int],
    dark: bool,
    name: str,
    pains: tuple[int, int, int],
) -> None:
    page = new_page(browser, viewport, dark=dark)
    goto(page, phase3, "log")
    before = len(store_of(phase3).sessions())
    for pain, value in zip(("before", "during", "after"), pains, strict=True):
        choose_pain(page, f"log0_{pain}", value)
    press_by_keyboard(page, "Save session")
    now = assert_focus_on(page, "log_result", "Saved your session")
    assert len(store_of(phase3).sessions()) == before + 1
    assert_focus_seen(page, now)
    screenshot(page, f"focus-log-answer-{name}", as_seen=True)
    assert_tab_goes_on(page, "log_result")


def test_runs_save_moves_focus_to_the_answer_under_save_on_a_phone(
    browser: Any, phase3: AppServer
) -> None:
    page = new_page(browser, PHONE, dark=True)
    goto(page, phase3, "runs")
    before = len(store_of(phase3).runs())
    page.locator(".st-key-run0_during").wait_for()
    for pain, value in (("before", 1), ("during", 2), ("1h", 1)):
        choose_pain(page, f"run0_{pain}", value)
    press_by_keyboard(page, "Save run")
    now = assert_focus_on(page, "runs_result", "Saved your run")
    assert [r.date for r in store_of(phase3).runs()][before:] == [dt.date.today()]
    assert_focus_seen(page, now)
    screenshot(page, "focus-runs-answer-phone-dark", as_seen=True)
    assert_tab_goes_on(page, "runs_result")
