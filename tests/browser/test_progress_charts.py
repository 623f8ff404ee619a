"""The Progress charts at a phone's width (390 px), light and dark, with five years of
data and with two weeks of it (issue 15): screenshots progress_charts_*."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import load_library
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    PHONE,
    AppServer,
    assert_no_app_exception,
    goto,
    new_page,
    screenshot,
    settle,
)

CHART = '[data-testid="stVegaLiteChart"]'


def seeded(start_app: Callable[..., AppServer], folder: Path, days: int) -> AppServer:
    folder.mkdir(parents=True, exist_ok=True)
    store = Store(folder / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.import_json(json.dumps(generate_history(days, sessions_per_week=5)))
    return start_app(folder)


def wait_for_charts(page: Any, count: int) -> None:
    page.wait_for_function(
        f"""() => {{
            const charts = document.querySelectorAll('{CHART}');
            return charts.length >= {count} &&
                [...charts].every(c => c.querySelector('canvas, svg.marks'));
        }}""",
        timeout=60_000,
    )
    settle(page)


@pytest.mark.parametrize(("history", "days"), [("5y", FIVE_YEARS_DAYS), ("2w", 14)])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_progress_charts_read_at_a_phones_width(
    browser: Any,
    start_app: Callable[..., AppServer],
    tmp_path: Path,
    history: str,
    days: int,
    theme: str,
) -> None:
    server = seeded(start_app, tmp_path / "knee-data", days)
    page = new_page(browser, PHONE, dark=theme == "dark")
    goto(page, server, "progress")
    if history == "5y":
        page.get_by_role("radio", name="All").or_(page.get_by_text("All", exact=True)).first.click()
    wait_for_charts(page, 6)
    assert_no_app_exception(page)
    body = page.inner_text('[data-testid="stMain"]')
    assert "Pain during exercise" in body
    if history == "5y":
        assert "a bar per month" in body and "Monthly volume" in body
    shot = screenshot(page, f"progress_charts_{history}_{theme}")
    assert shot.stat().st_size > 30_000
    widths = page.eval_on_selector_all(
        f"{CHART} canvas, {CHART} svg.marks", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= PHONE["width"] + 1, widths
