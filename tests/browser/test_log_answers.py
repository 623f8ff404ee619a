"""On a phone, the log page answers where the person is (issue 12), in Chromium.

A save shows its answer under the Save button, inside the screen the person is looking
at and covered by nothing (no toast); an identical second save asks first; an edit happens in a
dialog with one Save; "Undo delete" goes with the next action; the date picker starts
its weeks on the day chosen in Settings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kneecore.content import load_library
from kneecore.store import STORE_FILENAME, Store
from tests.browser.helpers import (
    PHONE,
    assert_no_app_exception,
    choose_pain,
    goto,
    new_page,
    screenshot,
    wait_for_app,
)


def _store(data_dir: Path) -> Store:
    store = Store(data_dir / STORE_FILENAME, exercise_ids=load_library().exercise_ids)
    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=10), source="self_check")
    return store


def _open(browser: Any, start_app: Any, store: Store) -> Any:
    page = new_page(browser, PHONE)
    page.server = start_app(store.path.parent)
    goto(page, page.server, "log")
    page.locator(".st-key-log0_date").wait_for()
    return page


def _save(page: Any, version: int, during: int = 2) -> None:
    for name, value in (("before", 1), ("during", during), ("after", 1)):
        choose_pain(page, f"log{version}_{name}", value)
    page.get_by_role("button", name="Save session").click()
    wait_for_app(page)


def _in_view(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + 40 <= height


#: Whether the element at the middle of ``el``'s first line is ``el`` itself or inside it.
ON_TOP_JS = """el => {
  const box = el.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + 8);
  return !!hit && (el === hit || el.contains(hit));
}"""


def _on_top(page: Any, locator: Any) -> bool:
    return bool(locator.evaluate(ON_TOP_JS))


def test_after_save_the_answer_is_on_the_screen_the_person_is_looking_at(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    page = _open(browser, start_app, store)
    _save(page, 0)
    page.locator(".st-key-log1_date").wait_for()
    assert_no_app_exception(page)
    assert len(store.sessions()) == 1
    # No toast: on a phone it covered the answer's first line.
    assert page.locator('[data-testid="stToast"]').count() == 0
    result = page.locator(".st-key-log_result")
    assert "Saved your session" in result.inner_text()
    assert "Green" in result.inner_text()
    # No scrolling by the test: the page stays where the Save button was pressed.
    assert _in_view(page, result.get_by_text("Saved your session")), "answer off screen"
    zone_line = result.get_by_text("This session:")
    assert _in_view(page, zone_line), "the zone's line is off screen"
    assert _on_top(page, zone_line), "something covers the answer's zone line"
    screenshot(page, "log-saved-where-you-are-phone", as_seen=True)


def test_a_second_identical_save_asks_first_and_dont_save_keeps_one(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    page = _open(browser, start_app, store)
    _save(page, 0)
    page.locator(".st-key-log1_date").wait_for()
    _save(page, 1)
    question = page.get_by_text("already in your log", exact=False)
    question.wait_for()
    assert len(store.sessions()) == 1
    assert _in_view(page, question), "the question is where the person pressed Save"
    # Focus is on the question's box, named by its first words, not on the page body.
    page.wait_for_function(
        "() => !!document.activeElement.closest('.st-key-log_again_box')", timeout=10_000
    )
    name = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
    assert name.startswith("This session is already in your log"), name
    screenshot(page, "log-same-session-again-phone", as_seen=True)
    page.get_by_role("button", name="Don't save").click()
    wait_for_app(page)
    assert page.get_by_text("already in your log", exact=False).count() == 0
    assert len(store.sessions()) == 1


def test_an_edit_happens_in_a_dialog_with_one_save_and_undo_goes_with_the_next_action(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    for days_ago in (3, 2):
        store.add_session(
            {
                "date": dt.date.today() - dt.timedelta(days=days_ago),
                "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
                "pain_before": 1,
                "pain_during": 2,
                "pain_after": 1,
            }
        )
    newest = store.sessions()[-1]
    page = _open(browser, start_app, store)
    page.get_by_role("heading", name="History").scroll_into_view_if_needed()
    screenshot(page, "log-history-headers-phone")

    page.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Edit the session of").wait_for()
    wait_for_app(page)
    assert page.get_by_role("button", name="Save changes").count() == 1
    assert dialog.get_by_role("button", name="Save changes").count() == 1
    screenshot(page, "log-edit-dialog-phone", as_seen=True)
    choose_pain(page, f"edit_{newest.id}_during", 5)
    dialog.get_by_role("button", name="Save changes").click()
    dialog.wait_for(state="detached")
    wait_for_app(page)
    assert store.get_session(newest.id).pain_during == 5
    updated = page.locator(".st-key-log_result").get_by_text("Updated your session")
    assert _in_view(page, updated)
    screenshot(page, "log-edit-saved-phone", as_seen=True)

    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete it").click()
    wait_for_app(page)
    assert page.get_by_role("button", name="Undo delete").count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    _save(page, 0)
    page.locator(".st-key-log1_date").wait_for()
    assert page.get_by_role("button", name="Undo delete").count() == 0
    assert len(store.sessions()) == 2
    assert_no_app_exception(page)


def _first_weekday(page: Any) -> str:
    page.locator('.st-key-log0_date [data-testid="stDateInput"] button').first.click()
    header = page.locator('[role="grid"] th, [role="columnheader"]').first
    header.wait_for()
    text = str(header.get_attribute("aria-label") or header.inner_text())
    page.keyboard.press("Escape")
    return text


def test_the_date_picker_starts_its_weeks_on_the_day_chosen_in_settings(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    page = _open(browser, start_app, store)
    # Chromium here speaks US English, whose weeks start on Sunday; the default is Monday.
    assert page.evaluate("navigator.language").endswith("-u-fw-mon")
    assert _first_weekday(page).lower().startswith("m"), "Monday first by default"
    goto(page, page.server, "settings")
    page.get_by_role("combobox", name="Weeks start on").click()
    page.get_by_role("option", name="Sunday").click()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved").wait_for()
    assert store.settings().week_starts == 6
    screenshot(page, "settings-phone")
    goto(page, page.server, "log")
    page.locator(".st-key-log0_date").wait_for()
    wait_for_app(page)
    assert _first_weekday(page).lower().startswith("s"), "Sunday first once chosen"
    screenshot(page, "log-week-starts-sunday-phone")


def test_a_pasted_note_over_the_limit_is_kept_in_the_box_and_refused_with_the_reason(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    page = _open(browser, start_app, store)
    pasted = "The knee felt stiff on the stairs. " * 80  # 2,800 characters
    box = page.locator(".st-key-log0_notes textarea")
    box.focus()
    # Inserted as one piece, as a paste is (a browser limit would cut or drop it).
    page.keyboard.insert_text(pasted)
    box.press("Tab")
    _save(page, 0)
    page.get_by_text("over the limit of 2000").first.wait_for()
    assert store.sessions() == []
    assert box.input_value() == pasted
    screenshot(page, "log-long-note-phone", as_seen=True)


def test_two_tabs_editing_one_session_cannot_overwrite_each_other(
    browser: Any, start_app: Any, tmp_path: Path
) -> None:
    store = _store(tmp_path / "knee-data")
    sid = store.add_session(
        {
            "date": dt.date.today() - dt.timedelta(days=1),
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
        }
    )
    first = _open(browser, start_app, store)
    second = first.context.new_page()
    goto(second, first.server, "log")
    for tab in (first, second):
        tab.get_by_role("button", name="Edit").click()
        tab.get_by_role("dialog").get_by_text("Edit the session of").wait_for()
        wait_for_app(tab)
    choose_pain(first, f"edit_{sid}_during", 4)
    first.get_by_role("dialog").get_by_role("button", name="Save changes").click()
    first.get_by_role("dialog").wait_for(state="detached")
    choose_pain(second, f"edit_{sid}_during", 7)
    second.get_by_role("dialog").get_by_role("button", name="Save changes").click()
    second.get_by_text("changed in another tab or window").wait_for()
    assert store.get_session(sid).pain_during == 4, "the first tab's change stays"
    assert "pain 4/10" in second.inner_text("body"), "the newer version is shown"
    chooser = second.get_by_role("combobox", name="Choose a session to edit or delete")
    assert "pain 4/10" in chooser.input_value(), "the list names the session as it is now"
    screenshot(second, "log-two-tabs-phone", as_seen=True)
