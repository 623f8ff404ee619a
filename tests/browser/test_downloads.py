"""End to end: a real browser downloads the progress report and the calendar file.

The widgets are not a page of their own, so a tiny Streamlit script that calls them (as
the progress page and "My data" do) is served from a temporary folder.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
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
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    ROOT,
    assert_no_app_exception,
    free_port,
    new_page,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser

SCRIPT = """
import streamlit as st

from pages.common import get_library, get_store
from pages.downloads import calendar_download_form, report_download_button

st.title("Take it to the physio")
report_download_button(get_store(), get_library(), "browser")
st.divider()
calendar_download_form(get_store(), get_library(), "browser")
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("downloads")
    data_dir = folder / "knee-data"
    library = load_library()
    store = Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
    store.import_json(json.dumps(generate_history(84, library=library)))
    store.update_settings({"reminder_days": [1, 3, 5], "reminder_time": "07:15"})
    script = folder / "downloads_app.py"
    script.write_text(SCRIPT, encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "KNEE_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    log = (folder / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "localhost",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError((folder / "streamlit.log").read_text())
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
    assert events[MORNING_UID]["RRULE"].to_ical() == b"FREQ=DAILY"
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
