"""End to end: a real browser downloads the progress report and the calendar file.

Both are offered on the "My data" page (the report also on Progress); the test opens
that page of the real app, on a store with twelve weeks of history, and clicks.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from kneecore.content import load_library
from kneecore.demo import generate_history
from kneecore.reminders import EXERCISE_UID, MORNING_UID
from kneecore.report import load_texts
from kneecore.store import Store
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    AppServer,
    assert_no_app_exception,
    link,
    new_page,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def server(start_app: Callable[..., AppServer], tmp_path: Path) -> str:
    data_dir = tmp_path / "knee-data"
    library = load_library()
    store = Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
    store.import_json(json.dumps(generate_history(84, library=library)))
    store.update_settings({"reminder_days": [1, 3, 5], "reminder_time": "07:15"})
    return link(start_app(data_dir), "my_data")


def open_app(browser: Any, url: str, viewport: dict[str, int], tz: str | None = None) -> Any:
    if tz is None:
        page = new_page(browser, viewport)
    else:
        # The browser's time zone is the one the calendar file should use.
        context = browser.new_context(viewport=viewport, accept_downloads=True, timezone_id=tz)
        context.set_default_timeout(20_000)
        page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    assert_no_app_exception(page)
    return page


def download(page: Any, label: str) -> tuple[str, bytes]:
    button = page.get_by_role("button", name=label)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    file = info.value
    return file.suggested_filename, Path(file.path()).read_bytes()


def test_the_progress_report_downloads_as_a_pdf(browser: Any, server: str) -> None:
    page = open_app(browser, server, DESKTOP)
    name, data = download(page, "Download progress report (PDF)")
    assert name.startswith("kneecare-report-") and name.endswith(".pdf")
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 3
    first = " ".join(reader.pages[0].extract_text().split())
    assert load_texts().title in first
    assert "Not a diagnosis." in first
    assert len([i for p in reader.pages for i in p.images]) == 2
    assert_no_app_exception(page)
    page.context.close()


def test_the_calendar_file_downloads_with_the_saved_days_and_time(
    browser: Any, server: str
) -> None:
    page = open_app(browser, server, DESKTOP, tz="Europe/London")
    name, data = download(page, "Download calendar reminders (.ics)")
    assert name == "kneecare-reminders.ics"
    calendar = Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.events}
    exercise = events[EXERCISE_UID]
    assert exercise["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU,TH,SA"
    assert (exercise.start.hour, exercise.start.minute) == (7, 15)
    assert str(exercise.start.tzinfo) == "Europe/London"
    assert "time zone Europe/London" in page.inner_text("body")
    # Next-morning pain is asked the mornings after the planned days only.
    assert events[MORNING_UID]["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=WE,FR,SU"
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/London"]
    screenshot(page, "downloads-desktop")
    page.context.close()


def test_the_widgets_read_well_on_a_phone(browser: Any, server: str) -> None:
    page = open_app(browser, server, PHONE)
    for label in ("Download progress report (PDF)", "Download calendar reminders (.ics)"):
        box = page.get_by_role("button", name=label).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "downloads-phone")
    page.context.close()
