"""axe-core on what a click opens, not only on pages as opened (``test_axe.py``).

The states a person opens and reads: the answer under Save on Log and Runs, the open
"Sets, reps and more" of a Log row and the history as a list, the open expanders of a
Plan card, the edit dialog of a logged session and of a run, the self-check's result
(a phase, and a see-a-GP answer), the pages a warning sign pauses (with the clearance
form open), and the locked page a browser without the app's link sees.

Each state is reached once, on a 390 px phone in dark mode, and checked three ways in
place: 390 px dark, 390 px light, and 1280 px light (the browser's colour scheme and
window width change without a reload; Streamlit follows both). Colours do not depend
on the width, nor layout on the theme, so 1280 px dark would add little but time.
axe does not measure a slider's value (the words float over the slider), so their
contrast is measured here too. Each state is screenshotted at 390 px dark
(``tests/browser/screenshots/axe-state-*``) for a person to look at.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.axe_run import axe_violations, seeded_server, set_theme
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    about_step,
    akps_steps,
    assert_no_app_exception,
    choose_pain,
    contrast,
    goto,
    new_page,
    red_flag_step,
    run_to_phase_result,
    screenshot,
    settle,
    wait_for_app,
    where_step,
)

pytestmark = pytest.mark.browser

#: How each state is looked at, in this order or the reverse (one change at a step):
#: (viewport, dark). A journey starts at the first.
VIEWS = [(PHONE, True), (PHONE, False), (DESKTOP, False)]


#: Each pain slider's value (the words above its thumb): its colour and the solid
#: background it is drawn on (the first opaque one around the slider: a dialog's panel
#: or the page). axe does not measure these words (they float over the slider).
SLIDER_VALUES_JS = """
() => {
  const solid = el => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      const parts = c.slice(c.indexOf('(') + 1, c.indexOf(')')).split(/[ ,/]+/);
      if (parts.length < 4 || Number(parts[3]) === 1) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll('[data-testid="stSliderThumbValue"]')]
    .filter(v => v.innerText.trim() && v.getBoundingClientRect().width > 0)
    .map(v => [v.innerText.trim(), getComputedStyle(v).color,
               solid((v.closest('[data-testid="stSlider"]') || v).parentElement)]);
}
"""


def slider_values_unreadable(page: Any, where: str) -> list[str]:
    """Slider values under WCAG AA's 4.5:1 against what they are drawn on."""
    return [
        f"/{where}: slider value {text!r} is {contrast(fg, bg):.1f}:1 ({fg} on {bg})"
        for text, fg, bg in page.evaluate(SLIDER_VALUES_JS)
        if contrast(fg, bg) < 4.5
    ]


class States:
    """Checks each state in every view, collects what is found, times each state."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.view = VIEWS[0]
        self.forward = True
        self.problems: list[str] = []
        self.seconds: dict[str, float] = {}
        self._since = time.monotonic()

    def _show(self, view: tuple[dict[str, int], bool]) -> None:
        viewport, dark = view
        if viewport != self.view[0]:
            self.page.set_viewport_size(viewport)
            self.page.wait_for_function("w => window.innerWidth === w", arg=viewport["width"])
            self.page.wait_for_timeout(300)
        if dark != self.view[1]:
            set_theme(self.page, dark=dark)
        self.view = view

    def check(self, where: str, *, shot: str = "") -> None:
        """axe and the slider values in every view; a screenshot ``shot`` at 390 px dark."""
        assert_no_app_exception(self.page)
        # From the view the last state ended in, so each step changes one thing.
        for view in VIEWS if self.forward else VIEWS[::-1]:
            self._show(view)
            viewport, dark = view
            named = f"{where} ({viewport['width']} {'dark' if dark else 'light'})"
            self.problems += axe_violations(self.page, named)
            self.problems += slider_values_unreadable(self.page, named)
            if shot and view == VIEWS[0]:
                screenshot(self.page, f"axe-state-{shot}-390-dark", as_seen=True)
        self.forward = not self.forward
        now = time.monotonic()
        self.seconds[where] = round(now - self._since, 1)
        self._since = now

    def assert_clean(self) -> None:
        print(f"seconds per state (reach + every view): {self.seconds}")
        print("\n".join(self.problems))
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems)


def open_expander(page: Any, label: str) -> None:
    """Open the first expander whose label starts with ``label`` (a click on it)."""
    summary = page.locator('[data-testid="stMain"] [data-testid="stExpander"] summary')
    summary.filter(has_text=label).first.click()
    settle(page)


# -- Log, Plan and Runs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def phase3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Twelve weeks of history and runs, in phase 3 (where the run form is open)."""
    server = seeded_server(tmp_path_factory.mktemp("axe-states") / "knee-data", in_demo_phase=True)
    yield server
    server.stop()


def test_axe_on_the_answers_dialogs_and_expanders_of_log_plan_and_runs(
    browser: Any, phase3: AppServer
) -> None:
    page = new_page(browser, *VIEWS[0])
    states = States(page)
    pains = (1, 2, 1)

    goto(page, phase3, "log")
    open_expander(page, "Sets, reps and more")
    page.locator(".st-key-log0_0_sets").wait_for()
    states.check("log: Sets, reps and more open", shot="log-sets")

    for name, value in zip(("before", "during", "after"), pains, strict=True):
        choose_pain(page, f"log0_{name}", value)
    page.get_by_role("button", name="Save session").click()
    page.locator(".st-key-log_result").wait_for()
    settle(page)
    states.check("log: the answer after Save", shot="log-answer")

    open_expander(page, "History as a list")
    page.locator('.st-key-log_history_list [data-testid="stTable"]').wait_for()
    states.check("log: history as a list")

    page.get_by_role("button", name="Edit", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Edit the session of").wait_for()
    settle(page)
    states.check("log: the edit dialog", shot="log-edit")
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="detached")

    goto(page, phase3, "plan")
    open_expander(page, "How you know you are ready")
    open_expander(page, "How to do it, and take care")
    open_expander(page, "Make it harder")
    states.check("plan: a card's expanders open", shot="plan-open")

    goto(page, phase3, "runs")
    page.locator(".st-key-run0_during").wait_for()
    for name, value in zip(("before", "during", "1h"), pains, strict=True):
        choose_pain(page, f"run0_{name}", value)
    page.get_by_role("button", name="Save run").click()
    page.locator(".st-key-runs_result").wait_for()
    settle(page)
    states.check("runs: the answer after Save", shot="runs-answer")

    page.get_by_role("button", name="Edit", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Edit the run of").wait_for()
    settle(page)
    states.check("runs: the edit dialog", shot="runs-edit")
    states.assert_clean()


# -- the self-check's results, the pause, and the locked page --------------------------


def test_axe_on_self_check_results_the_paused_pages_and_the_locked_page(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, *VIEWS[0])
    states = States(page)

    run_to_phase_result(page, app_server)
    page.get_by_role("button", name="Start phase 2").wait_for()
    states.check("self_check: a phase result", shot="selfcheck-phase")

    # A see-a-GP answer (the knee locks): the result, and the plan paused by it. A new
    # visit is a new session: the self-check starts from its first step.
    goto(page, app_server, "self_check")
    red_flag_step(page, yes=("locking",))
    page.get_by_role("button", name="Next", exact=True).click()
    page.get_by_text("Step 2 of 5").wait_for()
    settle(page)
    about_step(page, "Step 3 of 5")
    where_step(page, "Step 4 of 5")
    akps_steps(page, total=5)
    page.get_by_text("See a GP or physiotherapist").first.wait_for()
    states.check("self_check: a see-a-GP result", shot="selfcheck-gp")

    goto(page, app_server, "")
    page.get_by_text("Paused since").first.wait_for()
    states.check("today: paused, with the clearance form", shot="paused-today")
    goto(page, app_server, "log")
    open_expander(page, "A GP or physiotherapist has examined my knee")
    page.get_by_label("A GP or physiotherapist examined my knee on").first.wait_for()
    states.check("log: paused, with the clearance form open", shot="paused-log")

    # Another browser, without the app's link: the locked page.
    other = new_page(browser, *VIEWS[0])
    other.goto(app_server.url)
    wait_for_app(other)
    other.get_by_text("opens only with its link").wait_for()
    locked = States(other)
    locked.check("locked page", shot="locked")
    states.problems += locked.problems
    states.seconds.update(locked.seconds)
    states.assert_clean()
