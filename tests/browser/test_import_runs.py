"""Import runs in Chromium at phone width: files in, preview, pain, import, and again.

The files are written by the test (``tests/unit/runfile_fixtures.py``): a GPX from a
phone app, and a Strava-like archive with its activities table, a gzipped GPX, a FIT
and a TCX file, as "Download your data" gives them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pages.import_runs_widgets import KNEE_PROBLEM_QUESTION
from tests.browser.helpers import (
    PHONE,
    assert_no_app_exception,
    check_page,
    choose,
    choose_pain,
    goto,
    new_page,
    screenshot,
    settle,
    store_of,
)
from tests.unit.runfile_fixtures import StravaActivity, gpx_bytes, strava_zip

pytestmark = pytest.mark.browser

UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _files(folder: Path) -> list[str]:
    gpx = folder / "Morning_Run.gpx"
    gpx.write_bytes(gpx_bytes(NOW - dt.timedelta(days=1, hours=2), 32, 5.4, cadence_per_foot=84))
    archive = folder / "export_12345.zip"
    archive.write_bytes(
        strava_zip(
            [
                StravaActivity(NOW - dt.timedelta(days=3), 40, 7.0, fmt="gpx", gz=True),
                StravaActivity(NOW - dt.timedelta(days=5), 25, 4.2, fmt="fit", gz=False),
                StravaActivity(NOW - dt.timedelta(days=7), 30, 5.0, fmt="tcx", gz=True),
                StravaActivity(NOW - dt.timedelta(days=4), 60, 22.0, kind="Ride"),
            ]
        )
    )
    return [str(gpx), str(archive)]


def _table_text(page: Any) -> str:
    # The table draws on a canvas; its cells are also in an accessible grid of text.
    return str(page.locator('[data-testid="stDataFrame"]').inner_text())


def test_runs_from_a_gpx_and_a_strava_archive_are_previewed_imported_and_never_twice(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    server = start_app(tmp_path / "knee-data")
    files = _files(tmp_path)
    page = new_page(browser, PHONE)
    goto(page, server, "import_runs")
    assert check_page(page, "import_runs") == []
    screenshot(page, "import_runs_empty_phone")

    page.locator(UPLOAD).set_input_files(files)
    page.get_by_text("1 activity left out, and why").wait_for(timeout=60_000)
    settle(page)
    assert_no_app_exception(page)
    body = page.inner_text("body")
    assert "4 runs found: 4 new" in body
    assert "1 activity left out" in body
    page.locator('[data-testid="stDataFrame"]').scroll_into_view_if_needed()
    screenshot(page, "import_runs_preview_phone", as_seen=True)

    choose_pain(page, "import_runs_before", 1)
    choose_pain(page, "import_runs_during", 2)
    choose(page, KNEE_PROBLEM_QUESTION, "No")
    settle(page)
    assert check_page(page, "import_runs") == []
    page.get_by_role("button", name="Import 4 runs").scroll_into_view_if_needed()
    screenshot(page, "import_runs_answers_phone", as_seen=True)
    page.get_by_role("button", name="Import 4 runs").click()
    page.get_by_text("Imported 4 runs.").wait_for()
    settle(page)
    screenshot(page, "import_runs_done_phone", as_seen=True)
    runs = store_of(server).runs()
    assert len(runs) == 4
    assert {(r.pain_before, r.pain_during, r.level) for r in runs} == {(1, 2, None)}
    assert sorted(r.source for r in runs) == ["fit", "gpx", "gpx", "tcx"]

    # The same files again: every run is marked, nothing is offered, nothing is added.
    page.locator(UPLOAD).set_input_files(files)
    page.get_by_text("nothing new to import").wait_for(timeout=60_000)
    settle(page)
    assert "4 runs found: 0 new, 4 already in your log" in page.inner_text("body")
    assert page.get_by_role("button", name="Import 4 runs").count() == 0
    page.locator('[data-testid="stDataFrame"]').scroll_into_view_if_needed()
    screenshot(page, "import_runs_again_phone", as_seen=True)
    assert len(store_of(server).runs()) == 4


def test_random_bytes_named_fit_get_a_plain_refusal_and_change_nothing(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    hostile = tmp_path / "[prize](mailto:win@evil.example).fit"
    hostile.write_bytes(bytes((i * 7919) % 256 for i in range(20_000)))
    server = start_app(tmp_path / "knee-data")
    page = new_page(browser, PHONE, dark=True)
    goto(page, server, "import_runs")

    page.locator(UPLOAD).set_input_files(str(hostile))
    error = page.locator('[data-testid="stAlertContentError"]').first
    error.wait_for(timeout=60_000)
    settle(page)
    text = error.inner_text()
    assert "could not be read" in text and "not a GPX, TCX or FIT file" in text
    assert "pick a run file" in text
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('a[href*="evil.example"]').count() == 0, "no link from the name"
    assert page.get_by_role("button", name="Import").count() == 0
    error.scroll_into_view_if_needed()
    screenshot(page, "import_runs_refused_phone_dark", as_seen=True)
    assert store_of(server).runs() == []
