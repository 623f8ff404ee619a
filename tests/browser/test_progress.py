"""The progress dashboard in Chromium with demo data, at desktop and phone widths."""

from __future__ import annotations

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
    wait_for_app,
)

CHART = '[data-testid="stVegaLiteChart"]'
#: Pain, calendar, sessions per week, reps, holds, one exercise, AKPS, phases.
CHARTS_WITH_DEMO_DATA = 8


def show_demo(page: Any) -> None:
    page.get_by_test_id("stWidgetLabel").get_by_text("Show demo data").click()
    wait_for_app(page)
    page.get_by_text("Demo data.", exact=False).first.wait_for()
    # Vega draws after the script run ends: wait until every chart has its canvas.
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            return charts.length >= {CHARTS_WITH_DEMO_DATA} &&
                [...charts].every(c => c.querySelector('canvas, svg.marks'));
        }}""",
        timeout=30_000,
    )
    settle(page)


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_demo_dashboard_renders_every_chart_within_the_screen(
    browser: Any, app_server: AppServer, label: str, viewport: dict[str, int]
) -> None:
    page = new_page(browser, viewport)
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    assert "Nothing to show yet" in page.inner_text('[data-testid="stMain"]')

    show_demo(page)
    assert_no_app_exception(page)
    body = page.inner_text('[data-testid="stMain"]')
    assert "You are getting better" in body
    assert "not a diagnosis" in body
    shot = screenshot(page, f"progress-demo-{label}")
    assert shot.stat().st_size > 50_000
    # No chart may be wider than the screen (a phone must not scroll sideways).
    widths = page.eval_on_selector_all(
        f"{CHART} canvas, {CHART} svg.marks", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= viewport["width"] + 1, widths
    # The demo never writes to the user's store.
    assert not (app_server.data_dir / "knee-data.json").exists()


def test_the_empty_dashboard_points_to_logging_a_session(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE)
    goto(page, app_server, "progress")
    assert_no_app_exception(page)
    page.get_by_role("link", name="Log a session").first.wait_for()
    screenshot(page, "progress-empty-phone")


def test_the_demo_dashboard_stays_readable_in_dark_mode(
    browser: Any, app_server: AppServer
) -> None:
    page = new_page(browser, PHONE, dark=True)
    goto(page, app_server, "progress")
    show_demo(page)
    assert_no_app_exception(page)
    screenshot(page, "progress-demo-phone-dark")
