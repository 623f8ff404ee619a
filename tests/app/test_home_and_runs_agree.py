"""Today and Runs on one store say the same thing about running: both read
``kneecore.run_log.run_gate`` (is the walk-run programme open, and what may the next run
be), share the checklist's answers in the tab, and judge a day by its worst session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.store import Store
from kneecore.words import format_day
from tests.app.helpers import add_session, assert_no_exception, joined, open_page

TODAY = dt.date.today()
SAVE_RUN = "FormSubmitter:run0_form-Save run"


def _ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _went_back(store: Store) -> None:
    """Phase 2, then 3, then back to 2 this morning; green level-1 runs every three
    days up to yesterday, and a green single-leg hop session three days ago."""
    for phase, days in ((1, 83), (2, 62), (3, 27)):
        store.start_phase(phase, started=_ago(days), source="progression")
    store.start_phase(2, started=TODAY, source="step_back")
    for days in range(40, 0, -3):
        store.add_run(
            {
                "date": _ago(days),
                "level": 1,
                "run_min": 6,
                "walk_min": 24,
                "total_min": 30,
                "pain_before": 1,
                "pain_during": 1,
                "pain_1h": 1,
                "pain_next_morning": 1,
            }
        )
    hops = [{"exercise_id": "single_leg_hops", "sets": 3, "reps": [10, 10, 10]}]
    add_session(store, 3, exercises=hops, pain_next_morning=1)


def _form_open(at: Any) -> bool:
    return SAVE_RUN in [b.key for b in at.button]


def _answer_on_today(at: Any) -> Any:
    """Pain now and the walk answered; the hops left to the log."""
    at.select_slider(key="run_entry_pain").set_value(1)
    at.radio(key="run_entry_walk").set_value(True)
    at.button(key="FormSubmitter:run_entry_form-Check my answers").click()
    return at.run()


def test_after_going_back_a_phase_both_pages_ask_the_checklist_again(store: Store) -> None:
    _went_back(store)
    today = open_page("home")
    assert_no_exception(today)
    text = joined(today.markdown)
    assert "Ready to start running?" in text
    assert "Next run" not in text
    assert "went back to phase 2" in joined(today.info)
    assert not any("runs" in str(link.proto.page) for link in today.get("page_link"))
    runs = open_page("runs")
    assert_no_exception(runs)
    assert not _form_open(runs)
    assert "went back to phase 2" in joined(runs.info)


def test_a_point_met_from_the_log_says_so_on_both_pages(store: Store) -> None:
    _went_back(store)
    today = joined(open_page("home").markdown)
    runs = joined(open_page("runs").markdown)
    for text in (today, runs):
        # The hops (a green hop session) and the settled mornings: from the log.
        assert text.count("Met: from your log") == 2
        assert "single-leg hops" in text


def test_the_checklist_answered_on_today_opens_the_run_form_with_the_same_next_run(
    store: Store,
) -> None:
    _went_back(store)
    at = _answer_on_today(open_page("home"))
    assert_no_exception(at)
    assert "Next run: level 2" in joined(at.markdown)
    assert "Move up a level" in joined(at.success)
    at.switch_page("pages/runs.py")
    at.run()
    assert_no_exception(at)
    assert _form_open(at)
    assert at.selectbox(key="run0_level").value == 2
    assert "Next time, try level 2." in joined(at.caption)


def test_an_amber_session_today_holds_the_running_level_on_both_pages(store: Store) -> None:
    _went_back(store)
    add_session(store, 0, during=5)
    at = _answer_on_today(open_page("home"))
    assert_no_exception(at)
    assert "Next run: level 1" in joined(at.markdown)
    assert "Move up a level" not in joined(at.success)
    assert "exercise session on" in joined(at.info) and "was amber" in joined(at.info)
    at.switch_page("pages/runs.py")
    at.run()
    assert at.selectbox(key="run0_level").value == 1
    assert "Next time, run level 1 again." in joined(at.caption)


def test_two_sessions_today_are_named_by_their_worst_and_the_day_once(store: Store) -> None:
    store.start_phase(2, started=_ago(30))
    add_session(store, 1, pain_next_morning=1)
    add_session(store, 0, during=5)
    add_session(store, 0, during=2)
    at = open_page("home")
    assert_no_exception(at)
    advice = joined(at.info)
    assert "One of your sessions on" in advice and "was amber" in advice
    assert "safe range" not in advice
    day = format_day(TODAY)
    assert f"{day} and {day}" not in advice
