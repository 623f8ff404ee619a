"""A first-time user's whole journey on a phone, across pages, in a real browser.

Self-check -> start the suggested phase -> its plan -> log a session -> Today shows it
-> Progress has something to say. Each page is reached by the links a person would tap.
"""

from __future__ import annotations

from typing import Any

import pytest

from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    run_to_phase_result,
    screenshot,
    settle,
    wait_for_app,
)

pytestmark = pytest.mark.browser


def test_a_first_time_user_goes_from_self_check_to_a_logged_session(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)

    # Today, first visit: an empty state that leads to the self-check.
    goto(page, app_server, "")
    assert "self-check" in page.inner_text('[data-testid="stMain"]').lower()
    screenshot(page, "journey-1-welcome-phone")

    # The self-check suggests phase 2; the person starts it and opens the plan.
    run_to_phase_result(page, app_server)
    page.get_by_role("button", name="Start phase 2").click()
    page.get_by_text("Phase 2 is now your current phase").wait_for()
    settle(page)
    page.get_by_role("link", name="Open your exercise plan").click()
    wait_for_app(page)
    assert_no_app_exception(page)
    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Phase 2: Load and control").first.wait_for()
    assert main.get_by_text("Semi squat to a chair").count() >= 1
    screenshot(page, "journey-2-plan-phone")

    # Log today's session from the plan, keeping the default dose.
    page.get_by_role("link", name="Log today's exercises").click()
    wait_for_app(page)
    # Every pain starts "not entered" and must be chosen: before 0, during 2, after 0.
    for name, steps in (("before", 1), ("during", 3), ("after", 1)):
        page.locator(f".st-key-log0_{name} input[type='range']").focus()
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved your session").wait_for()
    wait_for_app(page)
    assert_no_app_exception(page)
    assert "Green" in page.inner_text('[data-testid="stMain"]')
    screenshot(page, "journey-3-logged-phone")

    # Today now knows the phase and that today's session is done.
    goto(page, app_server, "")
    assert_no_app_exception(page)
    today = page.inner_text('[data-testid="stMain"]')
    assert "Phase 2" in today
    screenshot(page, "journey-4-today-phone")

    # Progress has one session to talk about, and no broken chart.
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    screenshot(page, "journey-5-progress-phone")

    store = Store(app_server.data_dir / STORE_FILENAME)
    (session,) = store.sessions()
    assert session.pain_during == 2
    assert {e.exercise_id for e in session.exercises} >= {"semi_squat", "bridge"}
    current = store.current_phase()
    assert current is not None and current.phase == 2
