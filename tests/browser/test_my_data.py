"""End to end: My data in a real browser (export, import, delete, recovery, screenshots)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import load_library
from kneecore.demo import generate_history
from kneecore.store import Store
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
    wait_for_app,
)

pytestmark = pytest.mark.browser


def _seeded(folder: Path, days: int = 30) -> Store:
    library = load_library()
    store = Store(folder / "knee-data.json", exercise_ids=library.exercise_ids)
    store.import_json(json.dumps(generate_history(days, sessions_per_week=4, library=library)))
    return store


def _download(page: Any, label: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_export_both_formats_then_delete_everything(browser, start_app, tmp_path):
    data_dir = tmp_path / "knee-data"
    store = _seeded(data_dir)
    store.update_settings({"units": "lb"})  # a second write: today's backup now exists
    server = start_app(data_dir)
    page = new_page(browser, DESKTOP)
    goto(page, server, "my_data")
    assert_no_app_exception(page)
    body = page.inner_text("body")
    assert str(store.path) in body
    screenshot(page, "my_data-desktop")

    exported = json.loads(_download(page, "Download all my data (JSON)"))
    assert len(exported["sessions"]) == len(store.sessions())
    rows = list(csv.DictReader(io.StringIO(_download(page, "Download sessions (CSV)").decode())))
    assert len(rows) == sum(len(s.exercises) for s in store.sessions())

    page.get_by_label("To confirm, type DELETE").fill("DELETE")
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Delete all my data").click()
    wait_for_app(page)
    page.get_by_text("Deleted your data file").wait_for()
    assert not store.path.exists() and store.backups() == []
    assert_no_app_exception(page)


def test_recover_a_damaged_file_then_import_an_export_on_a_phone(browser, start_app, tmp_path):
    data_dir = tmp_path / "knee-data"
    store = _seeded(data_dir, days=14)
    store.update_settings({"units": "lb"})
    export = tmp_path / "kneecare-export.json"
    export.write_text(json.dumps(generate_history(40, sessions_per_week=3)))
    store.path.write_bytes(store.path.read_bytes()[:-40])  # cut off, as after a bad copy
    server = start_app(data_dir)
    page = new_page(browser, PHONE)
    goto(page, server, "my_data")
    assert_no_app_exception(page)
    assert "damaged" in page.inner_text("body")
    screenshot(page, "my_data-damaged-phone")

    page.get_by_role("button", name="Restore newest backup").click()
    wait_for_app(page)
    page.get_by_role("button", name="Yes, do it").click()
    wait_for_app(page)
    page.get_by_text("Restored your data").wait_for()
    page.get_by_role("button", name="Continue").click()
    wait_for_app(page)
    assert_no_app_exception(page)
    assert len(store.sessions()) > 0
    assert any(p.name.startswith("knee-data.broken-") for p in store.aside_files())

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(export))
    page.get_by_text("Importing it will add").wait_for()
    screenshot(page, "my_data-import-phone")
    before = len(store.sessions())
    page.get_by_role("button", name="Import", exact=True).click()
    wait_for_app(page)
    page.get_by_text("Import done").wait_for()
    assert len(store.sessions()) > before
    assert_no_app_exception(page)
    screenshot(page, "my_data-phone")
