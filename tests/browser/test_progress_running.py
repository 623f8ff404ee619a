"""The Progress page's running charts in Chromium on a phone (390 px), light and dark:
both charts drawn within the screen, their labels readable, with screenshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
    settle,
    store_of,
)

CHART = '[data-testid="stVegaLiteChart"]'


def seed_runs(server: AppServer) -> None:
    """Eight weeks of runs: walk-run levels going up, then free runs with a load spike."""
    store = store_of(server)
    today = dt.date.today()
    for i, days_ago in enumerate(range(52, 20, -4)):
        store.add_run(
            {
                "date": today - dt.timedelta(days=days_ago),
                "level": 1 + i // 2,
                "run_min": 6.0 + 3 * i,
                "walk_min": 24.0 - 3 * i,
                "total_min": 30.0,
                "pain_before": 1,
                "pain_during": 1 + i % 3,
                "pain_next_morning": 1 + i % 2,
            }
        )
    for days_ago, km in ((16, 4.0), (9, 4.2), (2, 5.5)):
        store.add_run(
            {
                "date": today - dt.timedelta(days=days_ago),
                "run_min": km * 6,
                "total_min": km * 6,
                "distance_km": km,
                "pain_before": 1,
                "pain_during": 2 if km < 5 else 4,
            }
        )


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_running_charts_fit_a_phone_screen_and_show_the_spike(
    browser: Any, app_server: AppServer, dark: bool
) -> None:
    seed_runs(app_server)
    page = new_page(browser, PHONE, dark=dark)
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    heading = page.get_by_role("heading", name="Running", exact=True)
    heading.wait_for()
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            return charts.length >= 2 &&
                [...charts].every(c => c.querySelector('canvas, svg.marks'));
        }}""",
        timeout=30_000,
    )
    settle(page)
    body = page.inner_text('[data-testid="stMain"]')
    assert "with a load spike, pain during runs rose to 4/10" in body
    # The section's heading at the top of the screen: the charts and legend in view.
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
    screenshot(page, f"progress_running_phone_{'dark' if dark else 'light'}", as_seen=True)
    # No chart wider than the screen: a phone must not scroll sideways.
    rights = page.eval_on_selector_all(
        f"{CHART} canvas, {CHART} svg.marks", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= PHONE["width"]


def seed_two_years_of_runs(server: AppServer) -> None:
    """Two years of free runs, one every fifth day, and one longer run (a load spike)."""
    store = store_of(server)
    today = dt.date.today()
    for days_ago in range(730, 0, -5):
        km = 7.0 if days_ago == 300 else 4.0 + (days_ago % 3) * 0.3
        store.add_run(
            {
                "date": today - dt.timedelta(days=days_ago),
                "run_min": km * 6,
                "total_min": km * 6,
                "distance_km": km,
                "pain_before": 1,
                "pain_during": 1 + days_ago % 4,
                "pain_next_morning": 1 + days_ago % 2,
            }
        )


@pytest.mark.parametrize(
    ("viewport", "dark"),
    [(PHONE, False), (PHONE, True), (DESKTOP, False)],
    ids=["phone-light", "phone-dark", "desktop"],
)
def test_two_years_of_runs_get_a_bar_a_month_that_fits_the_screen(
    browser: Any, app_server: AppServer, viewport: dict[str, int], dark: bool
) -> None:
    seed_two_years_of_runs(app_server)
    page = new_page(browser, viewport, dark=dark)
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    heading = page.get_by_role("heading", name="Running", exact=True)
    heading.wait_for()
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            return charts.length >= 1 &&
                [...charts].every(c => c.querySelector('canvas, svg.marks'));
        }}""",
        timeout=30_000,
    )
    settle(page)
    body = page.inner_text('[data-testid="stMain"]')
    assert "month by month" in body and "minutes a month" in body
    heading.evaluate("e => e.scrollIntoView({block: 'start'})")
    name = "phone" if viewport is PHONE else "desktop"
    screenshot(page, f"progress_running_months_{name}_{'dark' if dark else 'light'}", as_seen=True)
    rights = page.eval_on_selector_all(
        f"{CHART} canvas, {CHART} svg.marks", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= viewport["width"]
