"""axe-core on every page, at desktop and phone width, in light and dark mode.

The vendored axe-core (``tests/browser/vendor/``, version in ``axe_rules.AXE_VERSION``)
runs its default rule set (WCAG 2.x A and AA plus best practices) on each page of a
seeded app. Any violation fails the test with its rule, page and element, except an
element of Streamlit's own markup listed, with the reason, in ``axe_rules.FRAMEWORK``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe_rules import AXE_VERSION, FRAMEWORK
from tests.browser.helpers import (
    DESKTOP,
    PATHS,
    PHONE,
    AppServer,
    goto,
    new_page,
    seed,
)

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"

# Runs axe on the whole document, then drops the nodes inside a framework selector of
# their rule; returns [rule, impact, help, [[target, summary], ...]] per violation left.
RUN_AXE_JS = """
async framework => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const ours = (rule, node) => {
    const skip = framework[rule];
    if (!skip) return true;
    if (skip.length === 0) return false;
    const target = node.target[node.target.length - 1];
    const el = typeof target === 'string' ? document.querySelector(target) : null;
    return !(el && skip.some(s => el.closest(s)));
  };
  // The framework part the element sits in, so a reader can tell ours from Streamlit's.
  const where = node => {
    const target = node.target[node.target.length - 1];
    const el = typeof target === 'string' ? document.querySelector(target) : null;
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


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("axe") / "knee-data"
    seed(folder, runs=True)
    server = AppServer(folder)
    yield server
    server.stop()


def axe_violations(page: Any, path: str) -> list[str]:
    """Every violation axe finds on the open page that is not the framework's."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    framework = {rule: list(entry.selectors) for rule, entry in FRAMEWORK.items()}
    found = page.evaluate(RUN_AXE_JS, framework)
    return [
        f"/{path}: {rule} ({impact}: {help_}) at {target}\n    {summary}"
        for rule, impact, help_, nodes in found
        for target, summary in nodes
    ]


def test_framework_list_says_why_for_every_entry() -> None:
    assert AXE.is_file(), f"axe-core {AXE_VERSION} is not vendored at {AXE}"
    for rule, entry in FRAMEWORK.items():
        assert entry.why.strip(), f"{rule}: no reason given"
    json.dumps({r: list(e.selectors) for r, e in FRAMEWORK.items()})


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_axe_finds_nothing_of_ours_on_any_page(
    browser: Any, seeded: AppServer, viewport: dict[str, int], dark: bool
) -> None:
    page = new_page(browser, viewport, dark=dark)
    problems: list[str] = []
    for path in PATHS:
        goto(page, seeded, path)
        problems += axe_violations(page, path)
    print("\n".join(problems))
    assert not problems, f"{len(problems)} axe violations:\n" + "\n".join(problems)
