"""Every page, as someone with a sore knee would meet it on a phone: readable and named.

At 390 px wide, with a seeded history, each page must not scroll sideways, every control
must have a name a screen reader can read out, every picture must have alt text, and no
Streamlit exception box may show. In dark mode, body text must keep WCAG AA contrast
(4.5:1) against the app background. Screenshots of every page (light, dark, desktop and
the empty state) land in ``tests/browser/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import load_library
from kneecore.demo import generate_history
from kneecore.models import SelfCheckResult
from kneecore.store import Store
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
)

PATHS = ["", "self_check", "plan", "log", "progress", "my_data", "about"]
EMPTY_PATHS = ["", "log", "progress"]
WCAG_AA = 4.5

# Controls a person can operate, and how a screen reader would name each one.
UNNAMED_CONTROLS_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const controls = main.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button, [role=slider], [role=combobox],' +
    ' [role=radio], [role=checkbox], [role=switch], [role=tab]');
  const visible = el => {
    // Hidden from assistive technology on purpose (e.g. the date picker's autofill twin).
    if (el.closest('[aria-hidden="true"]')) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' &&
      (box.width > 0 || box.height > 0 || el.type === 'checkbox' || el.type === 'radio');
  };
  const text = el => (el ? (el.innerText || el.textContent || '').trim() : '');
  const nameOf = el => {
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return label.trim();
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const named = by.split(/\\s+/).map(id => text(document.getElementById(id))).join(' ');
      if (named.trim()) return named.trim();
    }
    if (el.id) {
      const forLabel = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (text(forLabel)) return text(forLabel);
    }
    const wrapping = el.closest('label');
    if (text(wrapping)) return text(wrapping);
    if (['BUTTON'].includes(el.tagName) || el.getAttribute('role')) {
      if (text(el)) return text(el);
    }
    const title = el.getAttribute('title');
    if (title && title.trim()) return title.trim();
    return '';
  };
  return [...controls].filter(visible).filter(el => !nameOf(el)).map(el =>
    `${el.tagName.toLowerCase()}[${el.getAttribute('role') || el.type || ''}] in ` +
    `${(el.closest('[data-testid]') || el).getAttribute('data-testid')}: ` +
    el.outerHTML.slice(0, 160));
}
"""

IMAGES_WITHOUT_ALT_JS = """
() => [...document.querySelectorAll('[data-testid="stMain"] img')]
  .filter(img => !(img.getAttribute('alt') || '').trim())
  .map(img => (img.getAttribute('src') || '').slice(0, 80))
"""

WIDTHS_JS = """
() => ({
  document: document.documentElement.scrollWidth,
  main: document.querySelector('[data-testid="stMainBlockContainer"]').scrollWidth,
  mainClient: document.querySelector('[data-testid="stMainBlockContainer"]').clientWidth,
})
"""

# The colour of body text in the main area and the app's background behind it.
COLOURS_JS = """
() => {
  const p = document.querySelector('[data-testid="stMain"] [data-testid="stMarkdownContainer"] p');
  const app = document.querySelector('[data-testid="stApp"]');
  return {text: getComputedStyle(p).color, background: getComputedStyle(app).backgroundColor};
}
"""


def _rgb(css: str) -> tuple[float, float, float]:
    inside = css[css.index("(") + 1 : css.index(")")].replace("/", " ").replace(",", " ")
    parts = [float(p) for p in inside.split()][:3]
    return parts[0], parts[1], parts[2]


def _luminance(css: str) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(css))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two CSS ``rgb(...)`` colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def seed(data_dir: Path) -> None:
    """Twelve weeks of history, phase 2 today, and one self-check done today."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "knee-data.json", exercise_ids=load_library().exercise_ids)
    doc = generate_history(84)
    store.import_json(json.dumps(doc))
    store.start_phase(2)
    last = SelfCheckResult.model_validate(doc["selfchecks"][-1])
    store.add_selfcheck(last.model_copy(update={"id": "a11y-check", "date": dt.date.today()}))


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


def check_page(page: Any, path: str) -> list[str]:
    """Everything wrong with the page now open, in plain words (empty when all is well)."""
    problems: list[str] = []
    assert_no_app_exception(page)
    # Every page gives or frames advice, so every page says it is not a diagnosis.
    main = page.locator('[data-testid="stMain"]')
    if main.get_by_text("not a diagnosis", exact=False).count() == 0:
        problems.append(f"/{path}: no not-a-diagnosis notice in the main area")
    widths = page.evaluate(WIDTHS_JS)
    if widths["document"] > PHONE["width"] + 1:
        problems.append(f"/{path}: page scrolls sideways ({widths['document']} px wide)")
    if widths["main"] > widths["mainClient"] + 1:
        problems.append(
            f"/{path}: main block is {widths['main']} px wide in {widths['mainClient']} px"
        )
    problems += [
        f"/{path}: control without a name: {c}" for c in page.evaluate(UNNAMED_CONTROLS_JS)
    ]
    problems += [
        f"/{path}: image without alt text: {s}" for s in page.evaluate(IMAGES_WITHOUT_ALT_JS)
    ]
    return problems


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
