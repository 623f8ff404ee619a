"""Today's running card on a phone (390 px), in a real browser: the entry checklist
answered to the next run, next-morning pain of yesterday's run, and "Programme
complete". Each step is screenshotted (home_running_*) so a person can look at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import load_library
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    PHONE,
    AppServer,
    check_page,
    choose,
    choose_pain,
    goto,
    new_page,
    press,
    screenshot,
    store_of,
)

pytestmark = pytest.mark.browser
LIBRARY = load_library()
TODAY = dt.date.today()
HOPS = ("double_leg_hops", "single_leg_hops", "diagonal_hops")


def seeded(
    start_app: Callable[..., AppServer], tmp_path: Path, fill: Callable[[Store], None]
) -> AppServer:
    """An app server whose store already holds phase 3 and what ``fill`` adds."""
    folder = tmp_path / "knee-data"
    folder.mkdir()
    store = Store(folder / STORE_FILENAME, exercise_ids=LIBRARY.exercise_ids)
    store.start_phase(3, started=TODAY - dt.timedelta(days=30))
    fill(store)
    return start_app(folder)


def run_doc(days_ago: int, level: int = 1, **extra: Any) -> dict[str, Any]:
    minutes = (30, 0) if level == 9 else (6, 24)
    return {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": minutes[0],
        "walk_min": minutes[1],
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        **extra,
    }


def show(page: Any, text: str) -> None:
    """Scroll so ``text`` is at the top of the screen, as a person reading it would."""
    page.get_by_text(text, exact=False).first.evaluate("el => el.scrollIntoView()")
    # Streamlit's header covers the top of the main area: leave room above the text.
    page.mouse.wheel(0, -120)


def test_the_checklist_answered_shows_the_next_run(
    browser: Any, start_app: Callable[..., AppServer], tmp_path: Path
) -> None:
    server = seeded(start_app, tmp_path, lambda store: None)
    page = new_page(browser, PHONE)
    goto(page, server)
    assert check_page(page, "") == []
    show(page, "Ready to start running?")
    screenshot(page, "home_running_checklist", as_seen=True)
    choose_pain(page, "run_entry_pain", 1)
    choose(page, "Brisk 30-minute walk with pain at 2/10 or less?", "Yes")
    choose(page, "10 single-leg hops on the painful leg with pain at 2/10 or less?", "Yes")
    press(page, "Check my answers", "Next run: level 1")
    show(page, "Next run: level 1")
    assert page.get_by_text("6 × (1 min run + 4 min walk)").count() == 1
    assert page.get_by_role("link", name="Log a run").count() == 1
    screenshot(page, "home_running_next_run", as_seen=True)
    dark = new_page(browser, PHONE, dark=True)
    goto(dark, server)
    show(dark, "Ready to start running?")
    screenshot(dark, "home_running_checklist_dark", as_seen=True)


def test_next_morning_pain_of_yesterdays_run_shows_its_zone(
    browser: Any, start_app: Callable[..., AppServer], tmp_path: Path
) -> None:
    server = seeded(start_app, tmp_path, lambda store: [store.add_run(run_doc(1))])
    (run,) = store_of(server).runs()
    page = new_page(browser, PHONE)
    goto(page, server)
    show(page, "After your run")
    screenshot(page, "home_running_morning_form", as_seen=True)
    choose_pain(page, f"run_morning_{run.id}_pain", 1)
    press(page, "Save morning pain", "That run is now")
    assert store_of(server).runs()[0].pain_next_morning == 1
    show(page, "That run is now")
    screenshot(page, "home_running_morning_saved", as_seen=True)
    assert check_page(page, "") == []


def _finished(store: Store) -> None:
    store.add_run(run_doc(5, level=9, pain_next_morning=1))
    store.add_run(run_doc(3, level=9, pain_next_morning=1))
    for ago, hop in zip((6, 4, 2), HOPS, strict=True):
        store.add_session(
            {
                "date": TODAY - dt.timedelta(days=ago),
                "exercises": [{"exercise_id": hop, "sets": 2, "reps": [10, 10]}],
                "pain_before": 1,
                "pain_during": 1,
                "pain_after": 1,
                "pain_next_morning": 1,
            }
        )


def test_a_finished_programme_says_so_and_what_to_keep_doing(
    browser: Any, start_app: Callable[..., AppServer], tmp_path: Path
) -> None:
    server = seeded(start_app, tmp_path, _finished)
    page = new_page(browser, PHONE)
    goto(page, server)
    show(page, "Programme complete")
    screenshot(page, "home_running_complete", as_seen=True)
    show(page, "Keep doing")
    screenshot(page, "home_running_complete_end", as_seen=True)
    assert check_page(page, "") == []
