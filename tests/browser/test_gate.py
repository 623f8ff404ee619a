"""The access gate in Chromium: a browser without the app's token sees no data.

Issue 13: another user of the computer could open the app on localhost, read a note and
delete everything. Now only the link with the token opens it; and once opened, the
browser keeps it (a cookie), so a reload without the token in the address still works.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kneecore.content import load_library
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import DESKTOP, goto, new_page, screenshot, wait_for_app


def test_a_browser_without_the_token_sees_no_data_and_cannot_delete_it(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "knee-data"
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.add_session(
        {
            "date": dt.date.today() - dt.timedelta(days=1),
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
            "notes": "private note about my knee",
        }
    )
    server = start_app(data_dir)
    # The person's own browser, with the link: the note is there.
    mine = new_page(browser, DESKTOP)
    goto(mine, server, "log")
    assert mine.get_by_role("button", name="Save session").count() == 1
    # Another browser (another user of the computer): no token, a wrong one, any page.
    other = new_page(browser, DESKTOP)
    for address in ("", "my_data", "log", "my_data?token=guess"):
        other.goto(f"{server.url}/{address}")
        wait_for_app(other)
        body = other.inner_text("body")
        assert "opens only with its link" in body, address
        assert "private note" not in body
        assert other.get_by_role("button", name="Delete all my data").count() == 0
        assert other.get_by_label("To confirm, type DELETE").count() == 0
    screenshot(other, "gate-without-token-desktop")
    assert len(store.sessions()) == 1


def test_once_opened_with_the_link_a_reload_without_the_token_stays_open(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    server = start_app(tmp_path / "knee-data")
    page = new_page(browser, DESKTOP)
    goto(page, server, "")
    page.goto(f"{server.url}/about")
    wait_for_app(page)
    assert "opens only with its link" not in page.inner_text("body")
    assert page.get_by_role("heading", name="About and safety").count() >= 1
