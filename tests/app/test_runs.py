"""The Runs page, as a runner uses it: log a run, read its zone and the next run's advice,
fix a mistake, edit, delete and undo, and the gate that keeps the form shut until the
walk-run programme opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.models import Run
from kneecore.store import Store
from pages.runs_form import CHECK_ANSWERS
from tests.app.helpers import assert_no_exception, joined, open_page

TODAY = dt.date.today()


def _save(at: Any, prefix: str = "run0") -> Any:
    at.button(key=f"FormSubmitter:{prefix}_form-Save run").click()
    return at.run()


def _pains(at: Any, before: int = 1, during: int = 2, after: int = 1, prefix: str = "run0") -> None:
    """Choose the three pains, which start "not entered"."""
    for name, value in (("before", before), ("during", during), ("1h", after)):
        at.select_slider(key=f"{prefix}_{name}").set_value(value)


def _run(days_ago: int, level: int | None = 1, during: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 6,
        "walk_min": 24,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": during,
        "pain_1h": 1,
        **extra,
    }


def _in_phase_3(store: Store) -> None:
    store.start_phase(3)


def _ready(at: Any) -> Any:
    """The entry checklist answered and met in this tab, as before a first run."""
    at.session_state[CHECK_ANSWERS] = (1, True, True)
    return at.run()


def test_untouched_pains_refuse_to_save_and_say_which_to_choose(store: Store) -> None:
    _in_phase_3(store)
    at = _save(_ready(open_page("runs")))
    assert_no_exception(at)
    assert store.runs() == []
    errors = joined(at.error)
    assert "Nothing was saved" in errors
    assert "pain before" in errors and "worst pain during" in errors
    assert "not entered yet" in errors


def test_the_form_is_prefilled_with_the_suggested_level_and_its_minutes(store: Store) -> None:
    _in_phase_3(store)
    at = _ready(open_page("runs"))
    assert at.selectbox(key="run0_level").value == 1
    assert at.number_input(key="run0_run_min_1").value == 6
    assert at.number_input(key="run0_walk_min_1").value == 24


def test_a_green_run_is_saved_and_shows_its_zone_and_the_next_advice(store: Store) -> None:
    _in_phase_3(store)
    at = _ready(open_page("runs"))
    _pains(at, 1, 2, 1)
    _save(at)
    assert_no_exception(at)
    (run,) = store.runs()
    assert (run.level, run.run_min, run.walk_min, run.total_min) == (1, 6, 24, 30)
    assert (run.pain_before, run.pain_during, run.pain_1h, run.pain_next_morning) == (1, 2, 1, None)
    assert "Saved your run" in joined(at.success)
    assert "Green" in joined(at.markdown) and "so far" in joined(at.markdown)
    assert "next-morning pain not entered yet" in joined(at.caption)
    assert "Next run: Stay at this level" in joined(at.info)
    assert "not a diagnosis" in joined(at.caption)
    # The form starts afresh, its pains not entered.
    assert at.select_slider(key="run1_during").value is None


def test_a_save_moves_focus_to_the_answer_once_with_no_toast(store: Store) -> None:
    _in_phase_3(store)
    at = _ready(open_page("runs"))
    _pains(at, 1, 2, 1)
    _save(at)
    wanted = '{"key": "runs_result"}'
    # The answer is focused on screen; a toast covered it (and the edit dialog's title).
    assert not at.toast
    assert sum(wanted in str(h.proto.body) for h in at.html) == 1
    at.run()
    assert sum(wanted in str(h.proto.body) for h in at.html) == 0, "once, not every rerun"
    assert "Saved your run" in joined(at.success)


def test_a_red_run_steps_back_a_level(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(_run(4, level=3))
    at = open_page("runs")
    assert at.selectbox(key="run0_level").value == 3
    _pains(at, 1, 6, 3)
    _save(at)
    assert_no_exception(at)
    assert "Red" in joined(at.markdown)
    warnings = joined(at.warning)
    assert "Step back a level" in warnings and "run level 2" in warnings


def test_swelling_pauses_the_plan_and_sends_to_a_gp(store: Store) -> None:
    _in_phase_3(store)
    at = _ready(open_page("runs"))
    _pains(at)
    at.checkbox(key="run0_swelling").check()
    _save(at)
    assert_no_exception(at)
    assert store.runs()[0].swelling
    errors = joined(at.error)
    assert "See a GP or physiotherapist before you run again" in errors
    assert "exercise plan is paused" in joined(at.warning)
    # No run form while paused: only the clearance form the pause allows.
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:run")]


def test_a_paused_plan_offers_no_run_form(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(_run(2, giving_way=True))
    at = open_page("runs")
    assert_no_exception(at)
    assert "Running is paused" in joined(at.info)
    assert "FormSubmitter:run0_form-Save run" not in [b.key for b in at.button]


def test_an_edit_from_a_stale_copy_is_refused(store: Store) -> None:
    _in_phase_3(store)
    run_id = store.add_run(_run(3))
    at = open_page("runs")
    at.button(key="runs_edit_button").click().run()
    # Another tab changes the run meanwhile.
    store.update_run(run_id, {"notes": "changed elsewhere"})
    at.button(key=f"FormSubmitter:run_edit_{run_id}_form-Save changes").click().run()
    assert_no_exception(at)
    assert "changed in another tab or window" in joined(at.warning)
    assert store.runs()[0].notes == "changed elsewhere"


def test_an_edit_saves_through_the_dialog(store: Store) -> None:
    _in_phase_3(store)
    run_id = store.add_run(_run(3))
    at = open_page("runs")
    at.button(key="runs_edit_button").click().run()
    at.select_slider(key=f"run_edit_{run_id}_morning").set_value(1)
    at.button(key=f"FormSubmitter:run_edit_{run_id}_form-Save changes").click().run()
    assert_no_exception(at)
    assert store.runs()[0].pain_next_morning == 1
    assert "Updated your run" in joined(at.success)


def test_delete_then_undo_brings_the_run_back(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(_run(3, notes="keep me"))
    at = open_page("runs")
    at.button(key="runs_delete_button").click().run()
    at.button(key="runs_delete_yes").click().run()
    assert store.runs() == []
    assert "Deleted your run" in joined(at.success)
    at.button(key="log_undo_button").click().run()
    assert_no_exception(at)
    assert [r.notes for r in store.runs()] == ["keep me"]
    assert "Restored your run" in joined(at.success)


def test_the_next_morning_pain_is_added_from_the_history(store: Store) -> None:
    _in_phase_3(store)
    run_id = store.add_run(_run(1))
    at = open_page("runs")
    at.select_slider(key=f"runs_morning_{run_id}_pain").set_value(2)
    at.button(key=f"FormSubmitter:runs_morning_{run_id}-Save morning pain").click().run()
    assert_no_exception(at)
    assert store.runs()[0].pain_next_morning == 2
    assert "Updated your run" in joined(at.success)


def test_no_runs_yet_says_how_to_start_and_links_to_the_import(store: Store) -> None:
    _in_phase_3(store)
    at = open_page("runs")
    assert "No runs yet" in joined(at.caption)
    links = [e.proto.page for e in at.get("page_link")]
    assert links == ["import_runs"], "the import page is linked"


def test_phase_1_shows_why_the_form_is_shut_and_the_checklist(store: Store) -> None:
    store.start_phase(1)
    at = open_page("runs")
    assert_no_exception(at)
    assert "opens in phase 2 or 3" in joined(at.info)
    assert "FormSubmitter:run0_form-Save run" not in [b.key for b in at.button]
    assert "Not met yet" in joined(at.markdown)


def test_phase_2_opens_the_form_once_the_checklist_is_met(store: Store) -> None:
    store.start_phase(2)
    at = open_page("runs")
    assert "FormSubmitter:run0_form-Save run" not in [b.key for b in at.button]
    at.session_state["runs_checklist_open"] = True
    at.run()
    at.select_slider(key="runs_check_pain").set_value(1)
    at.radio(key="runs_check_walk").set_value(True)
    at.radio(key="runs_check_hops").set_value(True)
    at.button(key="FormSubmitter:runs_checklist_form-Check my answers").click().run()
    assert_no_exception(at)
    assert "All four points are met" in joined(at.success)
    assert "FormSubmitter:run0_form-Save run" in [b.key for b in at.button]


def test_phase_2_with_a_painful_knee_keeps_the_form_shut(store: Store) -> None:
    store.start_phase(2)
    at = open_page("runs")
    at.session_state["runs_checklist_open"] = True
    at.run()
    at.select_slider(key="runs_check_pain").set_value(4)
    at.radio(key="runs_check_walk").set_value(True)
    at.radio(key="runs_check_hops").set_value(True)
    at.button(key="FormSubmitter:runs_checklist_form-Check my answers").click().run()
    assert "FormSubmitter:run0_form-Save run" not in [b.key for b in at.button]


def test_after_14_days_without_a_run_phase_3_asks_the_checklist_again(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(_run(15))
    at = open_page("runs")
    assert_no_exception(at)
    assert "check the four points again" in joined(at.info)
    assert "FormSubmitter:run0_form-Save run" not in [b.key for b in at.button]


def test_a_stored_run_shows_in_the_history_with_its_zone(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(Run.model_validate(_run(2, level=None, during=5)))
    at = open_page("runs")
    frame = at.dataframe[0].value
    assert list(frame["Run"]) == ["Free run · 30 min"]
    assert "Red" in frame["Zone"].iloc[0]
    # No run has a distance: no empty km column.
    assert list(frame.columns) == ["Date", "Run", "Zone", "Pain"]


def test_the_history_shows_a_km_column_once_a_run_has_a_distance(store: Store) -> None:
    _in_phase_3(store)
    store.add_run(Run.model_validate(_run(4)))
    store.add_run(Run.model_validate(_run(2, distance_km=3.5)))
    at = open_page("runs")
    frame = at.dataframe[0].value
    assert list(frame["Run"]) == ["Level 1 · 30 min", "Level 1 · 30 min"]
    assert list(frame["km"]) == ["3.5", ""]
