"""AppTest for the download widgets: the report button and the calendar reminder form."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kneecore.content import Library
from kneecore.demo import generate_history
from kneecore.store import Store
from tests.app.helpers import assert_no_exception, open_page


def _downloads_script() -> None:
    # Runs inside AppTest: a page that calls the two widgets, as progress and My data do.
    import streamlit as st

    from pages.common import get_library, get_store
    from pages.downloads import calendar_download_form, report_download_button

    st.title("Downloads")
    report_download_button(get_store(), get_library(), "test")
    calendar_download_form(get_store(), get_library(), "test")


def run() -> AppTest:
    at = AppTest.from_function(_downloads_script, default_timeout=30)
    at.run()
    return at


def buttons(at: AppTest) -> dict[str, object]:
    return {b.proto.label: b.proto for b in at.get("download_button")}


def test_both_download_buttons_show_on_an_empty_store() -> None:
    at = run()
    assert_no_exception(at)
    labels = buttons(at)
    assert "Download progress report (PDF)" in labels
    assert "Download calendar reminders (.ics)" in labels


def test_the_report_is_made_only_when_the_button_is_clicked(store: Store, library: Library) -> None:
    store.import_json(json.dumps(generate_history(84, library=library)))
    at = run()
    assert_no_exception(at)
    report = buttons(at)["Download progress report (PDF)"]
    # Deferred: a file id to run on click, not a PDF built on every rerun of the page.
    assert report.deferred_file_id  # type: ignore[attr-defined]
    assert not report.url  # type: ignore[attr-defined]
    assert report.ignore_rerun  # type: ignore[attr-defined]


def test_the_form_shows_the_saved_days_and_times(store: Store) -> None:
    store.update_settings(
        {"reminder_days": [1, 3], "reminder_time": "07:15", "morning_reminder_time": "06:30"}
    )
    at = run()
    assert at.multiselect(key="test_reminder_days").value == [1, 3]
    assert str(at.time_input(key="test_reminder_time").value) == "07:15:00"
    assert str(at.time_input(key="test_morning_time").value) == "06:30:00"
    captions = " ".join(c.value for c in at.caption)
    assert "on Tuesday and Thursday at 07:15" in captions
    assert "at 06:30 on the morning after each planned day (Wednesday and Friday)" in captions
    assert "download the file again after a phase change" in captions


def test_saving_the_form_stores_the_chosen_days_and_times(store: Store) -> None:
    at = run()
    at.multiselect(key="test_reminder_days").set_value([5, 6])
    at.time_input(key="test_reminder_time").set_value(dt.time(9, 30))
    at.time_input(key="test_morning_time").set_value(dt.time(7, 45))
    at.button[0].click()
    at.run()
    assert_no_exception(at)
    saved = store.settings()
    assert saved.reminder_days == [5, 6]
    assert (saved.reminder_time, saved.morning_reminder_time) == ("09:30", "07:45")
    assert any("saved" in s.value for s in at.success)
    assert "on Saturday and Sunday at 09:30" in " ".join(c.value for c in at.caption)
    assert "Download calendar reminders (.ics)" in buttons(at)


def test_saving_without_any_day_is_refused_and_nothing_is_saved(store: Store) -> None:
    store.update_settings({"reminder_days": [0, 4]})
    at = run()
    at.multiselect(key="test_reminder_days").set_value([])
    at.button[0].click()
    at.run()
    assert_no_exception(at)
    assert any("at least one exercise day" in e.value for e in at.error)
    assert store.settings().reminder_days == [0, 4]


def test_a_damaged_data_file_is_explained_not_a_crash(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "knee-data.json").write_text("{not json", encoding="utf-8")
    at = run()
    assert_no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "The progress report cannot be made right now" in warnings
    assert "The calendar file cannot be made right now" in warnings
    assert not at.get("download_button")


@pytest.mark.parametrize("phase", [1, 3])
def test_the_caption_promises_the_current_phases_exercises(store: Store, phase: int) -> None:
    store.start_phase(phase)
    at = run()
    assert_no_exception(at)
    assert "current phase's exercises" in " ".join(c.value for c in at.caption)


def test_my_data_offers_the_report_and_the_calendar_file() -> None:
    at = open_page("my_data")
    assert_no_exception(at)
    labels = buttons(at)
    assert "Download progress report (PDF)" in labels
    assert "Download calendar reminders (.ics)" in labels


def test_progress_offers_the_report_once_there_is_data(store: Store, library: Library) -> None:
    assert "Download progress report (PDF)" not in buttons(open_page("progress"))
    store.import_json(json.dumps(generate_history(28, library=library)))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Download progress report (PDF)" in buttons(at)


def test_planned_run_days_are_named_under_the_calendar_form(store: Store) -> None:
    store.update_settings({"reminder_days": [0], "reminder_time": "18:00", "run_days": [1, 5]})
    at = run()
    assert_no_exception(at)
    captions = " ".join(c.value for c in at.caption)
    assert "walk-run on Tuesday and Saturday at 18:00" in captions


def test_without_run_days_the_caption_names_no_walk_run(store: Store) -> None:
    store.update_settings({"reminder_days": [0]})
    at = run()
    assert "walk-run" not in " ".join(c.value for c in at.caption)
