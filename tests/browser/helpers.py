"""What the browser tests share: the app server, a page in Chromium, waiting for a script
run to finish, the accessibility checks, and answering the self-check as a person would.

Fixtures are in ``tests/browser/conftest.py``; everything a test imports is here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from kneecore.access import TOKEN_PARAM, token
from kneecore.content import load_library
from kneecore.demo import generate_history
from kneecore.models import SelfCheckResult
from kneecore.questionnaire import load_questionnaire
from kneecore.store import STORE_FILENAME, Store
from pages.registry import ADDRESSES

__all__ = [
    "CHROMIUM_ARGS",
    "DESKTOP",
    "PATHS",
    "PHONE",
    "AppServer",
    "Q",
    "about_step",
    "akps_steps",
    "area_label",
    "assert_no_app_exception",
    "check_page",
    "choose",
    "choose_pain",
    "chromium_path",
    "contrast",
    "goto",
    "home_test",
    "link",
    "new_page",
    "press",
    "red_flag_step",
    "run_to_phase_result",
    "screenshot",
    "seed",
    "set_date",
    "settle",
    "store_of",
    "type_number",
    "wait_for_app",
    "wait_for_images",
    "where_step",
]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Every page by its URL path ("" is Today, the router's default), in sidebar order.
PATHS = list(ADDRESSES)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("KNEE_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """``streamlit run app.py`` on a free localhost port with its own data folder."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "KNEE_DATA_DIR": str(data_dir), **(extra_env or {})}
        self.log = data_dir.parent / f"streamlit-{self.port}.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "localhost",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log_file.close()


def seed(data_dir: Path, *, runs: bool = False) -> None:
    """Twelve weeks of history ending in phase 3 (as ``kneecore.demo`` makes it), and
    one self-check done today: a patient who has come through phases 1 and 2.

    ``runs``: also six weeks of walk-run levels, so the Runs page has a history and its
    form open. The phase stays the demo's: starting phase 2 today would be a phase gone
    back since the latest run, and the Runs page would ask the entry checklist again
    (``kneecore.run_log.run_gate``).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    doc = generate_history(84)
    store.import_json(json.dumps(doc))
    last = SelfCheckResult.model_validate(doc["selfchecks"][-1])
    today = dt.date.today()
    store.add_selfcheck(last.model_copy(update={"id": "a11y-check", "date": today}))
    if runs:
        store.add_runs([_run(today - dt.timedelta(days=days)) for days in range(40, 0, -3)])


def _run(day: dt.date) -> dict[str, Any]:
    return {
        "date": day,
        "level": 1,
        "run_min": 6,
        "walk_min": 24,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 2,
        "pain_1h": 1,
        "pain_next_morning": 1,
    }


# -- a page and its script runs ----------------------------------------------------------


def new_page(browser: Any, viewport: dict[str, int], dark: bool = False) -> Any:
    context = browser.new_context(
        viewport=viewport,
        color_scheme="dark" if dark else "light",
        accept_downloads=True,
    )
    context.set_default_timeout(20_000)
    return context.new_page()


STABLE_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const size = main ? main.innerHTML.length : -1;
  const w = window;
  if (running || size !== w.__kneeLastSize) {
    w.__kneeLastSize = size;
    w.__kneeSame = 0;
    return false;
  }
  w.__kneeSame = (w.__kneeSame || 0) + 1;
  return w.__kneeSame >= 3;
}
"""


NOT_RUNNING_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def wait_for_app(page: Any) -> None:
    """Wait until Streamlit has finished running the script and painted the page."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', state="attached")
    page.wait_for_selector('[data-testid="stMain"] h1', state="visible")
    _wait_for_quiet(page)


def _wait_for_quiet(page: Any) -> None:
    # The status widget shows while a script run is in progress.
    page.wait_for_function(NOT_RUNNING_JS, timeout=20_000)
    # The status widget only shows after a run has taken a moment, so its absence alone
    # can be read before a slow page (charts) has finished: also wait until the main
    # area has stopped changing for a few polls in a row.
    page.wait_for_function(STABLE_JS, polling=250, timeout=20_000)


def settle(page: Any) -> None:
    """Wait until the script run a click started has finished and the page is still.

    No fixed pause: the count of unchanged polls starts again from here, so the page
    must stay the same for a few polls after the click before this returns.
    """
    page.evaluate("() => { window.__kneeSame = 0; window.__kneeLastSize = -2; }")
    _wait_for_quiet(page)


def wait_for_images(page: Any, count: int) -> None:
    """Wait until the page shows exactly ``count`` pictures, each loaded."""
    page.wait_for_function(
        """n => {
            const imgs = [...document.querySelectorAll('[data-testid="stImage"] img')];
            return imgs.length === n && imgs.every(i => i.complete && i.naturalWidth > 0);
        }""",
        arg=count,
    )


def link(server: AppServer, path: str = "") -> str:
    """The address of ``path`` with the app's token, as the link ``make run`` prints."""
    return f"{server.url}/{path}?{TOKEN_PARAM}={token(server.data_dir)}"


def goto(page: Any, server: AppServer, path: str = "") -> None:
    page.goto(link(server, path))
    wait_for_app(page)


def assert_no_app_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")


def store_of(server: AppServer) -> Store:
    """The store the app server writes to, read from the test's side."""
    return Store(server.data_dir / STORE_FILENAME)


def screenshot(page: Any, name: str, *, as_seen: bool = False) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/ and return its path.

    ``as_seen``: only the screen the person is looking at, where the page is scrolled.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if as_seen:
        page.wait_for_timeout(300)
        page.screenshot(path=str(path))
        return path
    # Streamlit scrolls inside its own container, so "full page" alone captures only the
    # viewport: grow the viewport to the content's height for the shot, then restore it.
    size = page.viewport_size
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const sidebar = document.querySelector('[data-testid="stSidebar"]');
            const content = document.querySelector('[data-testid="stSidebarContent"]');
            // A collapsed sidebar (phones) still has a tall content box: ignore it then.
            const open = sidebar && sidebar.getAttribute('aria-expanded') === 'true';
            return Math.max(main ? main.scrollHeight : 0,
                            open && content ? content.scrollHeight : 0);
        }"""
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 12_000)}
    )
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


# -- accessibility ----------------------------------------------------------------------

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


# -- the self-check, answered as a person would -----------------------------------------

Q = load_questionnaire()


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
    # A name that ends with the words (an icon may come first), case-sensitive: a
    # drawing's Fullscreen button is named by its alt text ("... next to a worktop").
    page.get_by_role("button", name=re.compile(rf"(^|\s){re.escape(name)}$")).click()
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


def run_to_phase_result(page: Any, server: AppServer, tests_shot: str | None = None) -> None:
    """A saved self-check with no warning sign, answered up to its phase 2 result."""
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


def set_date(page: Any, key: str, day: dt.date) -> None:
    """Type ``day`` into the date field ``key`` (format DD/MM/YYYY), then leave it."""
    # The date field has one spin button per part (day, month, year, as DD/MM/YYYY);
    # typing a complete part moves the focus on to the next, as it does for a person.
    page.locator(f'.st-key-{key} [role="spinbutton"][data-type="day"]').focus()
    page.keyboard.type(day.strftime("%d%m%Y"), delay=30)
    page.keyboard.press("Tab")


def choose_pain(page: Any, key: str, value: int) -> None:
    """Move the pain slider ``key`` to ``value`` with the keyboard, as a person could."""
    thumb = page.locator(f'.st-key-{key} input[type="range"]')
    thumb.focus()
    thumb.press("Home")
    # The pains start at "not entered", one step left of 0.
    if thumb.get_attribute("aria-valuetext") == "not entered":
        thumb.press("ArrowRight")
    for _ in range(value):
        thumb.press("ArrowRight")
    assert thumb.get_attribute("aria-valuetext", timeout=5_000).startswith(f"{value} ·")
