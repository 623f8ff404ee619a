"""axe-core on every page, at desktop and phone width, in light and dark mode.

The vendored axe-core (``tests/browser/vendor/``, version in ``axe_rules.AXE_VERSION``)
runs its default rule set (WCAG 2.x A and AA plus best practices) on each page of a
seeded app, as opened. Any violation fails the test with its rule, page and element,
except an element of Streamlit's own markup listed, with the reason, in
``axe_rules.FRAMEWORK``. Running axe is in ``tests/browser/axe_run.py``; what a click
opens (answers, dialogs, expanders, results) is checked in ``test_axe_states.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.axe_rules import AXE_VERSION, FRAMEWORK
from tests.browser.axe_run import AXE, axe_violations, seeded_server
from tests.browser.helpers import DESKTOP, PATHS, PHONE, AppServer, goto, new_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = seeded_server(tmp_path_factory.mktemp("axe") / "knee-data")
    yield server
    server.stop()


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
