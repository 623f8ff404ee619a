"""Open every page in a real browser at desktop and phone widths and screenshot it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import (
    DESKTOP,
    PATHS,
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
)


@pytest.mark.parametrize(("label", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_renders_in_chromium(
    browser: Any, app_server: AppServer, label: str, viewport: dict[str, int]
) -> None:
    page = new_page(browser, viewport)
    for path in PATHS:
        goto(page, app_server, path)
        assert_no_app_exception(page)
        shot = screenshot(page, f"page-{path or 'home'}-{label}")
        assert shot.stat().st_size > 5_000


def test_dark_mode_keeps_text_readable(browser: Any, app_server: AppServer) -> None:
    page = new_page(browser, PHONE, dark=True)
    goto(page, app_server, "about")
    assert_no_app_exception(page)
    screenshot(page, "page-about-phone-dark")


def test_a_bookmarked_page_opened_first_still_goes_through_the_router(
    browser: Any, app_server: AppServer
) -> None:
    # The very first request of a fresh server is a page URL, as after a restart with a
    # bookmark: the page must still show the app's navigation and the safety notice.
    page = new_page(browser, DESKTOP)
    goto(page, app_server, "about")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Log a session").wait_for()
    assert sidebar.get_by_text("not a diagnosis", exact=False).count() >= 1
    assert sidebar.get_by_text("common", exact=True).count() == 0
    screenshot(page, "page-about-first-request-desktop")
