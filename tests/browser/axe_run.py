"""Running the vendored axe-core on the page now open, and a seeded app to run it on.

Shared by ``tests/browser/test_axe.py`` (every page as opened) and
``tests/browser/test_axe_states.py`` (what a click opens: an answer, a dialog, an
expander, a result). axe-core (``tests/browser/vendor/``, version in
``axe_rules.AXE_VERSION``) runs its default rule set (WCAG 2.x A and AA plus best
practices); a violation counts unless its element lies inside Streamlit's own markup
listed, with the reason, in ``axe_rules.FRAMEWORK``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kneecore.content import load_library
from kneecore.demo import generate_history
from kneecore.models import SelfCheckResult
from kneecore.store import STORE_FILENAME, Store
from tests.browser.axe_rules import AXE_VERSION, FRAMEWORK
from tests.browser.helpers import AppServer, seed

__all__ = ["AXE", "axe_violations", "seeded_server", "set_theme"]

AXE = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"

# Runs axe on the whole document, then drops the nodes inside a framework selector of
# their rule; returns [rule, impact, help, [[target, summary], ...]] per violation left.
RUN_AXE_JS = """
async framework => {
  // elementRef: each node keeps its element, so an element gone since (a toast that
  // closed while axe ran) is still placed inside or outside the framework's markup.
  const result = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
  const elementOf = node => {
    if (node.element) return node.element;
    const target = node.target[node.target.length - 1];
    return typeof target === 'string' ? document.querySelector(target) : null;
  };
  const ours = (rule, node) => {
    const skip = framework[rule];
    if (!skip) return true;
    if (skip.length === 0) return false;
    const el = elementOf(node);
    return !(el && skip.some(s => el.closest(s)));
  };
  // The framework part the element sits in, so a reader can tell ours from Streamlit's.
  const where = node => {
    const el = elementOf(node);
    const part = el && el.closest('[data-testid]:not([data-testid^="stMarkdown"])');
    return part ? ` in ${part.getAttribute('data-testid')}` : '';
  };
  return result.violations
    .map(v => [v.id, v.impact, v.help,
               v.nodes.filter(n => ours(v.id, n))
                 .map(n => [JSON.stringify(n.target) + where(n),
                            (n.failureSummary || '').slice(0, 300)])])
    .filter(v => v[3].length > 0);
}
"""


def axe_violations(page: Any, where: str) -> list[str]:
    """Every violation axe finds on the open page that is not the framework's.

    ``where`` names the page or state in the messages (a path, or "log: after Save").
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    framework = {rule: list(entry.selectors) for rule, entry in FRAMEWORK.items()}
    found = page.evaluate(RUN_AXE_JS, framework)
    return [
        f"/{where}: {rule} ({impact}: {help_}) at {target}\n    {summary}"
        for rule, impact, help_, nodes in found
        for target, summary in nodes
    ]


def seeded_server(folder: Path, *, runs: bool = True, in_demo_phase: bool = False) -> AppServer:
    """The app on twelve weeks of history and a self-check today (``helpers.seed``).

    ``in_demo_phase``: stay in the phase the demo history ends in (phase 3) instead of
    starting phase 2 today: a phase started below the latest run's since that run asks
    the run checklist again, and the Runs form would wait for it.
    """
    if not in_demo_phase:
        seed(folder, runs=runs)
        return AppServer(folder)
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(folder / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    doc = generate_history(84)
    store.import_json(json.dumps(doc))
    today = dt.date.today()
    last = SelfCheckResult.model_validate(doc["selfchecks"][-1])
    store.add_selfcheck(last.model_copy(update={"id": "a11y-check", "date": today}))
    if runs:
        store.add_runs([_level_1(today - dt.timedelta(days=d)) for d in range(40, 0, -3)])
    return AppServer(folder)


def _level_1(day: dt.date) -> dict[str, Any]:
    """A green level-1 walk-run on ``day``, every pain entered."""
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


# The app's background is light or dark as the browser's colour scheme says, and
# Streamlit follows a change of it without a reload.
_BACKGROUND_DARK_JS = """
dark => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const c = getComputedStyle(app).backgroundColor;
  const [r, g, b] = c.slice(c.indexOf('(') + 1, c.indexOf(')')).split(/[ ,]+/).map(Number);
  return ((r + g + b) / 3 < 128) === dark;
}
"""


def set_theme(page: Any, *, dark: bool) -> None:
    """Switch the open page to the dark or light theme, as a change of the system's would."""
    page.emulate_media(color_scheme="dark" if dark else "light")
    page.wait_for_function(_BACKGROUND_DARK_JS, arg=dark)
    # Colours change with a short transition on some elements: let it finish.
    page.wait_for_timeout(400)
