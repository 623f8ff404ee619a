"""Log a walk-run in Chromium at phone width as a runner would, then read the answer.

The answer (zone, next run, flags, not a diagnosis) must be on the screen the person
is looking at right after Save, and the history readable at 390 px. Screenshots go to
tests/browser/screenshots/ (runs_*) for a human to look at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kneecore.content import load_library
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    PHONE,
    assert_no_app_exception,
    choose_pain,
    goto,
    new_page,
    screenshot,
    wait_for_app,
)


def _seed(data_dir: Path) -> Store:
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.start_phase(3, started=dt.date.today() - dt.timedelta(days=20), source="progression")
    # Yesterday's level 2 run, next morning owed: today's run is the day after it.
    store.add_run(
        {
            "date": dt.date.today() - dt.timedelta(days=1),
            "level": 2,
            "run_min": 12,
            "walk_min": 18,
            "total_min": 30,
            "distance_km": 3.4,
            "pain_before": 1,
            "pain_during": 2,
            "pain_1h": 1,
        }
    )
    return store


def _in_view(page: Any, key: str) -> bool:
    """Whether the element ``key`` is at least partly on the phone's screen."""
    box = page.locator(f".st-key-{key}").bounding_box()
    return box is not None and box["y"] < PHONE["height"] and box["y"] + box["height"] > 0


def test_log_a_run_at_phone_width_and_read_the_answer_under_save(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "knee-data"
    store = _seed(data_dir)
    server = start_app(data_dir)
    page = new_page(browser, PHONE)
    goto(page, server, "runs")
    assert_no_app_exception(page)
    page.locator(".st-key-run0_during").wait_for()
    for name, value in (("before", 1), ("during", 2), ("1h", 1)):
        choose_pain(page, f"run0_{name}", value)
    page.get_by_role("button", name="Save run").click()
    page.locator(".st-key-runs_result").wait_for(timeout=20_000)
    wait_for_app(page)
    assert_no_app_exception(page)

    runs = store.runs()
    assert [r.level for r in runs] == [2, 2]
    assert runs[-1].date == dt.date.today() and runs[-1].pain_during == 2
    answer = page.locator(".st-key-runs_result").inner_text()
    assert "Saved your run" in answer
    assert "Green" in answer
    assert "no rest day" in answer  # the rest-day flag of today's run
    assert "not a diagnosis" in answer
    page.wait_for_timeout(800)  # the answer is scrolled into view gently
    assert _in_view(page, "runs_result"), "the answer is on screen right after Save"
    screenshot(page, "runs_answer_phone", as_seen=True)

    page.locator('[data-testid="stDataFrame"]').scroll_into_view_if_needed()
    wait_for_app(page)
    screenshot(page, "runs_history_phone", as_seen=True)
    screenshot(page, "runs_page_phone")


def test_runs_page_in_dark_mode_with_the_checklist(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "knee-data"
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.start_phase(2)
    server = start_app(data_dir)
    page = new_page(browser, PHONE, dark=True)
    goto(page, server, "runs")
    assert_no_app_exception(page)
    body = page.inner_text("body")
    assert "opens in phase 2 or 3" in body and "Not met yet" in body
    assert page.get_by_role("button", name="Save run").count() == 0
    screenshot(page, "runs_checklist_phone_dark")
