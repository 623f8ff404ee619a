"""Log three sessions in Chromium as a person would, then add next-morning pain.

At phone width: pick the date, move the pain sliders with the keyboard, untick a
skipped exercise, change reps, save. Screenshots of the feedback, history and the Today
page's next-morning form go to tests/browser/screenshots/ for a human to look at.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from kneecore.content import load_library
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    assert_no_app_exception,
    choose_pain,
    goto,
    new_page,
    screenshot,
    set_date,
    wait_for_app,
)

#: A person with the defaults needs: date, three sliders, Save. Generous for a slow CI box.
LOG_SECONDS_LIMIT = 60


def _seed(data_dir: Path) -> Store:
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=10), source="self_check")
    return store


def _open_log(page: Any, server: Any) -> None:
    # Straight to /log, as from a bookmark: pages.common routes it through app.py.
    goto(page, server, "log")


def _log(page: Any, version: int, day: dt.date, pains: tuple[int, int, int], **opts: Any) -> float:
    prefix = f"log{version}"
    page.locator(f".st-key-{prefix}_date").wait_for()
    started = time.monotonic()
    if day != dt.date.today():
        set_date(page, f"{prefix}_date", day)
    for name, value in zip(("before", "during", "after"), pains, strict=True):
        choose_pain(page, f"{prefix}_{name}", value)
    if opts.get("skip_first"):
        page.locator(f".st-key-{prefix}_0_done label").click()
    if opts.get("reps"):
        page.get_by_text("Sets, reps and more").nth(2).click()
        reps = page.locator(f".st-key-{prefix}_2_reps input")
        reps.fill(opts["reps"])
    page.get_by_role("button", name="Save session").click()
    page.locator(f".st-key-log{version + 1}_date").wait_for(timeout=20_000)
    wait_for_app(page)
    return time.monotonic() - started


def test_log_three_sessions_and_next_morning_pain_at_phone_width(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "knee-data"
    store = _seed(data_dir)
    server = start_app(data_dir)
    page = new_page(browser, PHONE)
    _open_log(page, server)
    assert_no_app_exception(page)

    today = dt.date.today()
    seconds = [
        _log(page, 0, today - dt.timedelta(days=2), (1, 2, 1), skip_first=True),
        _log(page, 1, today - dt.timedelta(days=1), (1, 3, 2), reps="12, 12, 10"),
        _log(page, 2, today, (2, 4, 3)),
    ]
    assert_no_app_exception(page)
    print(f"seconds to log each session (automated): {[round(s, 1) for s in seconds]}")
    assert max(seconds) < LOG_SECONDS_LIMIT, seconds

    sessions = store.sessions()
    assert [s.date for s in sessions] == [today - dt.timedelta(days=d) for d in (2, 1, 0)]
    assert [s.pain_during for s in sessions] == [2, 3, 4]
    assert "quad_set" not in [e.exercise_id for e in sessions[0].exercises]
    raised = next(e for e in sessions[1].exercises if e.exercise_id == "straight_leg_raise")
    assert raised.reps == [12, 12, 10]

    # The feedback for the third session: amber (pain 4), and the advice to hold.
    body = page.inner_text("body")
    assert "Saved your session" in body
    assert "Amber" in body
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "log-feedback-phone")
    page.get_by_role("heading", name="History").scroll_into_view_if_needed()
    screenshot(page, "log-history-phone")

    # Next morning: Today asks about yesterday's session only (older ones are edited in
    # the log, issue 12 deliverable 4).
    goto(page, server, "")
    assert_no_app_exception(page)
    forms = page.locator('[data-testid="stForm"]')
    assert forms.count() == 1
    screenshot(page, "home-owed-phone")
    # Yesterday's session left the knee one point more sore the next morning (amber):
    # one morning worse than before is not yet two of the last three, so hold the dose.
    for remaining, session in ((0, sessions[1]),):
        choose_pain(page, f"morning_{session.id}_pain", session.pain_before + 1)
        page.locator(f".st-key-morning_{session.id}_pain").locator(
            "xpath=ancestor::*[@data-testid='stForm']"
        ).get_by_role("button", name="Save morning pain").click()
        page.wait_for_function(
            f"() => document.querySelectorAll('[data-testid=\"stForm\"]').length === {remaining}"
        )
        wait_for_app(page)
    assert_no_app_exception(page)
    assert [s.pain_next_morning for s in store.sessions()] == [None, 2, None]
    body = page.inner_text("body")
    assert "Amber" in body
    assert "Keep going at this dose" in body
    assert page.locator('[data-testid="stForm"]').count() == 0
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "home-next-morning-phone")


def test_log_feedback_at_desktop_width(browser: Any, start_app: Any, tmp_path: Path) -> None:
    data_dir = tmp_path / "knee-data"
    store = _seed(data_dir)
    store.add_session(
        {
            "date": dt.date.today() - dt.timedelta(days=1),
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
        }
    )
    server = start_app(data_dir)
    page = new_page(browser, DESKTOP)
    _open_log(page, server)
    _log(page, 0, dt.date.today(), (1, 6, 4))
    assert_no_app_exception(page)
    body = page.inner_text("body")
    assert "Red" in body and "Step back" in body
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "log-feedback-desktop")


def _type_number(page: Any, key: str, value: str) -> None:
    field = page.locator(f".st-key-{key} input")
    field.fill(value)
    field.press("Tab")


def test_a_typed_future_date_and_bad_numbers_are_refused_in_words_and_nothing_is_saved(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "knee-data"
    store = _seed(data_dir)
    server = start_app(data_dir)
    page = new_page(browser, PHONE)
    _open_log(page, server)
    page.locator(".st-key-log0_date").wait_for()
    save = page.get_by_role("button", name="Save session")
    main = page.locator('[data-testid="stMain"]')

    # Untouched pains: refused by name, never saved as 0.
    save.click()
    main.get_by_text("Nothing was saved. Fix pain before, pain during and pain after").wait_for()
    wait_for_app(page)
    assert store.sessions() == []

    # A typed future date reaches the check (it used to be filed under today).
    future = dt.date.today() + dt.timedelta(days=5)
    set_date(page, "log0_date", future)
    for name in ("before", "during", "after"):
        choose_pain(page, f"log0_{name}", 1)
    # Sets 50 and Hold 9999 (quad set, row 0) used to make Save do nothing, silently.
    page.get_by_text("Sets, reps and more").first.click()
    _type_number(page, "log0_0_sets", "50")
    _type_number(page, "log0_0_hold", "9999")
    save.click()
    main.get_by_text("Nothing was saved. Fix the date and Quad set").wait_for()
    wait_for_app(page)
    assert_no_app_exception(page)
    assert store.sessions() == []
    body = main.inner_text()
    assert "is in the future" in body
    assert "Sets: give a number of sets from 1 to 20" in body
    assert "Hold: give the hold time in seconds, from 0 to 600" in body
    page.locator(".st-key-log0_date").scroll_into_view_if_needed()
    screenshot(page, "log-refused-date-phone")
    save.scroll_into_view_if_needed()
    screenshot(page, "log-refused-summary-phone")

    # Fixed, it saves once, under the date given.
    set_date(page, "log0_date", dt.date.today() - dt.timedelta(days=1))
    _type_number(page, "log0_0_sets", "2")
    _type_number(page, "log0_0_hold", "5")
    save.click()
    page.locator(".st-key-log1_date").wait_for(timeout=20_000)
    wait_for_app(page)
    (saved,) = store.sessions()
    assert saved.date == dt.date.today() - dt.timedelta(days=1)
    assert saved.exercises[0].sets == 2 and saved.exercises[0].hold_s == 5.0
    assert "Green: safe so far" in main.inner_text()


PHONE_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148"


def test_the_history_is_a_list_on_a_phone_and_a_whole_table_on_a_desktop(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    import json

    from kneecore.demo import generate_history

    data_dir = tmp_path / "knee-data"
    store = _seed(data_dir)
    store.import_json(json.dumps(generate_history(70, sessions_per_week=7)))
    server = start_app(data_dir)
    context = browser.new_context(viewport=PHONE, user_agent=PHONE_BROWSER)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    _open_log(phone, server)
    assert_no_app_exception(phone)
    history = phone.locator(".st-key-log_history_as_list ul")
    history.scroll_into_view_if_needed()
    # A phone starts with the list: every session of the page, nothing in a grid.
    assert phone.locator('[data-testid="stDataFrame"]').count() == 0
    assert history.locator("li").count() == 30
    first = history.locator("li").first
    box = first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], "no sideways cut"
    screenshot(phone, "log-history-list-phone", as_seen=True)

    desk = new_page(browser, DESKTOP)
    _open_log(desk, server)
    grid = desk.locator('[data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    # Every row of the page at once: no scroll box inside the page (30 rows of 66 px).
    height = grid.bounding_box()["height"]
    assert height >= 30 * 66, height
    screenshot(desk, "log-history-table-desktop", as_seen=True)
