"""Every page, as someone with a sore knee would meet it on a phone: readable and named.

At 390 px wide, with a seeded history, each page must not scroll sideways, every control
must have a name a screen reader can read out, every picture must have alt text, and no
Streamlit exception box may show. In dark mode, body text must keep WCAG AA contrast
(4.5:1) against the app background. Screenshots of every page (light, dark, desktop and
the empty state) land in ``tests/browser/screenshots/`` for a human to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.helpers import (
    DESKTOP,
    PATHS,
    PHONE,
    AppServer,
    assert_no_app_exception,
    check_page,
    contrast,
    goto,
    new_page,
    screenshot,
    seed,
)

EMPTY_PATHS = ["", "log", "progress"]
WCAG_AA = 4.5

# The colour of body text in the main area and the app's background behind it.
COLOURS_JS = """
() => {
  const p = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
  const app = document.querySelector('[data-testid="stApp"]');
  return {text: getComputedStyle(p).color, background: getComputedStyle(app).backgroundColor};
}
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("a11y") / "knee-data"
    seed(folder)
    server = AppServer(folder)
    yield server
    server.stop()


PRIMARY_BUTTON_JS = """
() => {
  const button = document.querySelector('[data-testid="stMain"] button[kind="primaryFormSubmit"]')
    || document.querySelector('[data-testid="stMain"] button[kind="primary"]:not(:disabled)');
  if (!button) return null;
  const style = getComputedStyle(button);
  return {text: style.color, background: style.backgroundColor};
}
"""


def test_contrast_is_computed_the_wcag_way() -> None:
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_page_fits_a_phone_and_names_every_control(
    browser: Any, seeded: AppServer, dark: bool
) -> None:
    page = new_page(browser, PHONE, dark=dark)
    problems: list[str] = []
    for path in PATHS:
        goto(page, seeded, path)
        problems += check_page(page, path)
        screenshot(page, f"a11y-{path or 'home'}-phone-{'dark' if dark else 'light'}")
    assert not problems, "\n".join(problems)


def test_dark_mode_body_text_keeps_aa_contrast_on_every_page(
    browser: Any, seeded: AppServer
) -> None:
    page = new_page(browser, PHONE, dark=True)
    low: list[str] = []
    for path in PATHS:
        goto(page, seeded, path)
        colours = page.evaluate(COLOURS_JS)
        ratio = contrast(colours["text"], colours["background"])
        if ratio < WCAG_AA:
            low.append(f"/{path}: {colours['text']} on {colours['background']} = {ratio:.2f}")
    assert not low, "\n".join(low)


def test_dark_mode_primary_buttons_keep_aa_contrast(browser: Any, seeded: AppServer) -> None:
    page = new_page(browser, PHONE, dark=True)
    goto(page, seeded, "log")
    colours = page.evaluate(PRIMARY_BUTTON_JS)
    assert colours is not None, "the log page has no primary button"
    ratio = contrast(colours["text"], colours["background"])
    assert ratio >= WCAG_AA, f"{colours['text']} on {colours['background']} = {ratio:.2f}"


def test_every_page_reads_well_on_a_desktop(browser: Any, seeded: AppServer) -> None:
    page = new_page(browser, DESKTOP)
    for path in PATHS:
        goto(page, seeded, path)
        assert_no_app_exception(page)
        screenshot(page, f"a11y-{path or 'home'}-desktop")


def test_first_visit_pages_explain_what_to_do_and_fit_a_phone(
    browser: Any, start_app: Callable[..., AppServer]
) -> None:
    server = start_app()
    page = new_page(browser, PHONE)
    problems: list[str] = []
    for path in EMPTY_PATHS:
        goto(page, server, path)
        problems += check_page(page, path)
        assert page.get_by_text("self-check", exact=False).count() >= 1
        screenshot(page, f"a11y-{path or 'home'}-phone-empty")
    assert not problems, "\n".join(problems)
