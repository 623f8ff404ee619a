"""Today's running card: the entry checklist, the next run, next-morning pain of a run,
no card while paused, and "Programme complete"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.store import Store
from tests.app.helpers import add_session, assert_no_exception, joined, open_page

HOPS = ("double_leg_hops", "single_leg_hops", "diagonal_hops")


def run_doc(days_ago: int, level: int = 1, **extra: Any) -> dict[str, Any]:
    """A green run at ``level`` (its content pattern's minutes), ``days_ago`` days back."""
    minutes = {1: (6, 24), 2: (12, 18), 9: (30, 0)}[level]
    return {
        "date": dt.date.today() - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": minutes[0],
        "walk_min": minutes[1],
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        **extra,
    }


def _start(store: Store, phase: int = 3) -> None:
    store.start_phase(phase, started=dt.date.today() - dt.timedelta(days=30))


def _all_text(at: Any) -> str:
    return " ".join(str(getattr(node, "value", "")) for node in at.main)


def _answer_checklist(at: Any, pain: int, walk: bool, hops: bool) -> Any:
    at.select_slider(key="run_entry_pain").set_value(pain)
    at.radio(key="run_entry_walk").set_value(walk)
    at.radio(key="run_entry_hops").set_value(hops)
    at.button(key="FormSubmitter:run_entry_form-Check my answers").click()
    return at.run()


def test_phase_3_with_no_runs_shows_the_checklist_with_nothing_entered(store: Store) -> None:
    _start(store)
    at = open_page("home")
    assert_no_exception(at)
    assert "Return to running" in joined(at.header)
    text = joined(at.markdown)
    assert "Ready to start running?" in text
    # Pain now, the walk and the hops are not entered yet; the log shows the mornings
    # are settled, and says so.
    assert text.count("Not met yet") == 3
    assert text.count("Met: from your log") == 1
    assert at.select_slider(key="run_entry_pain").value is None
    assert at.radio(key="run_entry_walk").value is None
    assert "Next run" not in text


def test_phase_1_shows_no_running_card(store: Store) -> None:
    _start(store, phase=1)
    at = open_page("home")
    assert_no_exception(at)
    assert "Return to running" not in joined(at.header)


def test_answering_the_checklist_shows_the_next_run(store: Store) -> None:
    _start(store)
    at = _answer_checklist(open_page("home"), pain=1, walk=True, hops=True)
    assert_no_exception(at)
    text = joined(at.markdown)
    assert "Next run: level 1" in text
    assert "6 × (1 min run + 4 min walk)" in text
    assert "30 minutes in all" in text
    assert "No runs yet" in joined(at.info)
    assert any("runs" in str(link.proto.page) for link in at.get("page_link"))


def test_a_no_answer_keeps_the_checklist(store: Store) -> None:
    _start(store)
    at = _answer_checklist(open_page("home"), pain=3, walk=True, hops=True)
    assert_no_exception(at)
    text = joined(at.markdown)
    assert "Next run" not in text
    assert text.count("Not met yet") == 1  # pain 3 is above 2


def test_runs_being_logged_show_the_next_run_without_the_checklist(store: Store) -> None:
    _start(store)
    store.add_run(run_doc(3, pain_next_morning=1))
    store.add_run(run_doc(1, pain_next_morning=1))
    at = open_page("home")
    assert_no_exception(at)
    text = joined(at.markdown)
    assert "Ready to start running?" not in text
    assert "Next run: level 2" in text
    assert "Move up a level" in joined(at.success)


def test_14_days_without_a_run_ask_the_checklist_again(store: Store) -> None:
    _start(store)
    store.add_run(run_doc(14, pain_next_morning=1))
    at = open_page("home")
    assert_no_exception(at)
    assert "Ready to start running?" in joined(at.markdown)
    assert "not run for 14 days" in joined(at.info)


def test_morning_pain_for_yesterdays_run_saves_and_shows_its_zone(store: Store) -> None:
    _start(store)
    run_id = store.add_run(run_doc(1))
    at = open_page("home")
    form = f"run_morning_{run_id}"
    assert "After your run" in _all_text(at)
    at.select_slider(key=f"{form}_pain").set_value(3)
    at.button(key=f"FormSubmitter:{form}-Save morning pain").click()
    at.run()
    assert_no_exception(at)
    assert store.runs()[0].pain_next_morning == 3
    assert "Saved next-morning pain 3/10" in joined(at.success)
    # 3 the next morning against 1 before: two points up is red.
    assert "Red" in joined(at.markdown) or "red" in joined(at.markdown).lower()
    assert "3/10 the next morning" in joined(at.caption)
    assert not [f for f in at.get("form") if str(f.key) == form]


def test_a_change_made_to_the_run_in_another_tab_is_kept(store: Store) -> None:
    # The form reads the run afresh on the click's rerun, so the save is compared with
    # the run as it now is (a conflict is left to a write between that read and the save).
    _start(store)
    run_id = store.add_run(run_doc(1))
    at = open_page("home")
    store.update_run(run_id, {"pain_1h": 2})  # another tab
    form = f"run_morning_{run_id}"
    at.select_slider(key=f"{form}_pain").set_value(1)
    at.button(key=f"FormSubmitter:{form}-Save morning pain").click()
    at.run()
    assert_no_exception(at)
    assert not at.error
    run = store.runs()[0]
    assert (run.pain_1h, run.pain_next_morning) == (2, 1)


def test_a_paused_plan_hides_the_running_card(store: Store) -> None:
    _start(store)
    add_session(store, 2, locking=True)
    at = open_page("home")
    assert_no_exception(at)
    assert "Paused since" in _all_text(at)
    assert "Return to running" not in joined(at.header)
    assert not any("runs" in str(link.proto.page) for link in at.get("page_link"))


def test_maintenance_shows_programme_complete(store: Store) -> None:
    _start(store)
    store.add_run(run_doc(5, level=9, pain_next_morning=1))
    store.add_run(run_doc(3, level=9, pain_next_morning=1))
    for ago, hop in zip((6, 4, 2), HOPS, strict=True):
        exercises = [{"exercise_id": hop, "sets": 2, "reps": [10, 10]}]
        add_session(store, ago, exercises=exercises, pain_next_morning=1)
    at = open_page("home")
    assert_no_exception(at)
    assert "Programme complete" in joined(at.success)
    assert "Keep doing" in joined(at.markdown)
    assert "If the pain comes back" in joined(at.info)  # from maintenance.yaml
    assert "Ready to start running?" not in joined(at.markdown)
    assert "not a diagnosis" in joined(at.caption)
