"""Settings, and the log form honouring them: the leg, kg or lb, the first weekday."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.content import Library
from kneecore.models import SelfCheckResult
from kneecore.store import Store
from kneecore.tracker import plan_drafts
from tests.app.helpers import assert_no_exception, joined, open_page, open_rows


def _one_sided_row(library: Library, phase: int) -> int:
    """The place in today's plan of a one-sided exercise of ``phase``."""
    return next(i for i, d in enumerate(plan_drafts(library, phase)) if d.per_side)


def _save_settings(at: Any, **choices: Any) -> Any:
    for name, value in choices.items():
        widget = {
            "week_starts": at.selectbox,
            "run_days": at.multiselect,
            "patient_name": at.text_input,
            "date_of_birth": at.date_input,
        }.get(name, at.radio)
        widget(key=f"settings_{name}").set_value(value)
    at.button(key="FormSubmitter:settings_form-Save settings").click()
    return at.run()


def test_a_one_sided_exercise_starts_on_the_knee_the_self_check_named(
    store: Store, library: Library
) -> None:
    store.start_phase(2)
    store.add_selfcheck(
        SelfCheckResult(date=dt.date.today(), urgency="none", phase=2, answers={"side": "right"})
    )
    at = open_page("log")
    assert_no_exception(at)
    row = _one_sided_row(library, 2)
    open_rows(at, "log0", row)
    assert at.selectbox(key=f"log0_{row}_side").value == "right"


def test_the_leg_chosen_in_settings_wins_over_the_self_check(
    store: Store, library: Library
) -> None:
    store.start_phase(2)
    store.add_selfcheck(
        SelfCheckResult(date=dt.date.today(), urgency="none", phase=2, answers={"side": "right"})
    )
    at = open_page("settings")
    assert "(now: right leg only)" in " ".join(at.radio(key="settings_side").options)
    _save_settings(at, side="left")
    assert_no_exception(at)
    assert "Settings saved" in joined(at.success)
    assert store.settings().default_side == "left"
    at.switch_page("pages/log.py").run()
    row = _one_sided_row(library, 2)
    open_rows(at, "log0", row)
    assert at.selectbox(key=f"log0_{row}_side").value == "left"


def test_loads_are_typed_in_pounds_and_kept_in_kilograms(store: Store) -> None:
    store.start_phase(1)
    at = _save_settings(open_page("settings"), units="lb")
    assert store.settings().units == "lb"
    at.switch_page("pages/log.py").run()
    open_rows(at, "log0", *range(7))
    loads = [n for n in at.number_input if str(n.key).endswith("_load")]
    assert loads and loads[0].label == "Ankle weight (lb)"
    loads[0].set_value(10.0)
    for name in ("before", "during", "after"):
        at.select_slider(key=f"log0_{name}").set_value(1)
    at.button(key="FormSubmitter:log0_form-Save session").click().run()
    assert_no_exception(at)
    kept = [e.load_kg for e in store.sessions()[0].exercises if e.load_kg]
    assert kept == [4.54], "10 lb, kept in kilograms to the gram that matters"


def test_the_router_hands_the_first_weekday_to_the_date_picker(store: Store) -> None:
    # The router (app.py) adds it before any page runs; the browser test opens the
    # calendar itself.
    assert "-u-fw-mon" in _scripts(open_page("home")), "Monday by default"
    _save_settings(open_page("settings"), week_starts=6)
    assert store.settings().week_starts == 6
    assert "-u-fw-sun" in _scripts(open_page("home"))


def test_a_store_that_cannot_be_read_leaves_settings_unsaved_with_the_stores_message(
    store: Store,
) -> None:
    store.start_phase(1)
    store.path.write_text("{ not json", encoding="utf-8")
    at = open_page("settings")
    assert_no_exception(at)
    assert not _has_form(at), "no settings form over a store that cannot be read"
    assert at.error, "the store's problem is said in words"
    assert store.path.read_text(encoding="utf-8") == "{ not json"


def _scripts(at: Any) -> str:
    return " ".join(str(e.proto.body) for e in at.main if getattr(e, "type", "") == "html")


def _has_form(at: Any) -> bool:
    return any(str(b.key).startswith("FormSubmitter:settings_form") for b in at.button)


def test_planned_run_days_start_empty_and_are_saved(store: Store) -> None:
    at = open_page("settings")
    assert_no_exception(at)
    field = at.multiselect(key="settings_run_days")
    assert field.label == "Planned run days"
    assert field.help and "calendar" in field.help
    assert field.value == []
    at = _save_settings(at, run_days=[5, 1])
    assert_no_exception(at)
    assert store.settings().run_days == [1, 5]
    # The other choices are kept as they were.
    assert store.settings().units == "kg"


def test_saved_run_days_are_shown_and_can_be_cleared(store: Store) -> None:
    store.update_settings({"run_days": [2]})
    at = open_page("settings")
    assert at.multiselect(key="settings_run_days").value == [2]
    _save_settings(at, run_days=[])
    assert store.settings().run_days == []


def test_the_report_section_starts_empty_with_labels_that_say_it_stays_here(
    store: Store,
) -> None:
    at = open_page("settings")
    assert_no_exception(at)
    assert "For your report" in [h.value for h in at.header]
    name = at.text_input(key="settings_patient_name")
    birth = at.date_input(key="settings_date_of_birth")
    assert name.label == "Your name (optional)"
    assert birth.label == "Your date of birth (optional)"
    for widget in (name, birth):
        assert widget.help and "this computer" in widget.help and "PDF" in widget.help
    assert name.value == ""
    assert birth.value is None


def test_a_name_and_date_of_birth_are_saved_and_shown_again(store: Store) -> None:
    at = open_page("settings")
    at = _save_settings(at, patient_name="Ann Smith", date_of_birth=dt.date(1984, 2, 29))
    assert_no_exception(at)
    saved = store.settings()
    assert (saved.patient_name, saved.date_of_birth) == ("Ann Smith", dt.date(1984, 2, 29))
    at = open_page("settings")
    assert at.text_input(key="settings_patient_name").value == "Ann Smith"
    assert at.date_input(key="settings_date_of_birth").value == dt.date(1984, 2, 29)


def test_a_name_and_date_of_birth_can_be_cleared(store: Store) -> None:
    store.update_settings({"patient_name": "Ann Smith", "date_of_birth": dt.date(1984, 2, 29)})
    at = open_page("settings")
    _save_settings(at, patient_name="", date_of_birth=None)
    assert (store.settings().patient_name, store.settings().date_of_birth) == ("", None)


def test_the_introduction_names_everything_the_page_asks_for() -> None:
    at = open_page("settings")
    assert_no_exception(at)
    intro = at.markdown[0].value
    for words in ("log form", "leg", "kg or lb", "first day of the week", "days you plan to run"):
        assert words in intro, words
    assert "name and date of birth" in intro and "report" in intro
