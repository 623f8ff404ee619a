"""The log page answers where the person is, and asks before a second identical save.

Issue 12: after Save the answer was at the top of the page while a phone stayed
mid-page on a form that looked unchanged; an identical session could be saved twice;
the "Undo delete" banner outlived later saves; editing opened a second form with a
second Save under the first.
"""

from __future__ import annotations

from typing import Any

from kneecore.store import Store
from tests.app.helpers import add_session, assert_no_exception, joined, open_page

SAVE = "FormSubmitter:{prefix}_form-Save session"
VERSION_KEY = "log_form_version"


def _log(at: Any, prefix: str, during: int = 2) -> Any:
    """Choose the three pains (they start "not entered") and press Save."""
    for name, value in (("before", 1), ("during", during), ("after", 1)):
        at.select_slider(key=f"{prefix}_{name}").set_value(value)
    at.button(key=SAVE.format(prefix=prefix)).click()
    return at.run()


def _order(at: Any) -> list[str]:
    """The main area's elements, in page order, as keys or texts."""
    found: list[str] = []

    def walk(node: Any) -> None:
        key = getattr(node, "key", None)
        value = getattr(node, "value", None)
        found.append(str(key) if key else str(value) if isinstance(value, str) else "")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def _index(order: list[str], text: str) -> int:
    return next(i for i, item in enumerate(order) if text in item)


def _focus_scripts(at: Any, key: str) -> int:
    """How many of the page's scripts move focus to the box ``key``."""
    wanted = f'{{"key": "{key}"}}'
    return sum(wanted in str(h.proto.body) for h in at.html)


def test_the_answer_to_a_save_is_right_under_the_save_button_with_no_toast(
    store: Store,
) -> None:
    store.start_phase(2)
    at = _log(open_page("log"), "log0")
    assert_no_exception(at)
    order = _order(at)
    # The fresh form's Save button, then the answer, then the history: not at the top.
    assert (
        _index(order, SAVE.format(prefix="log1"))
        < _index(order, "Saved your session")
        < _index(order, "History")
    )
    # The answer is focused on screen; a toast covered its first line on a phone.
    assert not at.toast
    assert "This session:" in joined(at.markdown) and "so far" in joined(at.markdown)


def test_focus_moves_to_the_answer_once_and_the_answer_stays_under_the_button(
    store: Store,
) -> None:
    store.start_phase(2)
    at = _log(open_page("log"), "log0")
    assert _focus_scripts(at, "log_result") == 1
    at.run()
    assert _focus_scripts(at, "log_result") == 0, "focus is moved once, not on every rerun"
    assert "Saved your session" in joined(at.success)


def test_saving_the_same_session_again_asks_first_and_dont_saves_nothing(store: Store) -> None:
    store.start_phase(2)
    at = _log(open_page("log"), "log0")
    at = _log(at, "log1")
    assert_no_exception(at)
    assert len(store.sessions()) == 1, "an identical second save waits for an answer"
    assert "already in your log" in joined(at.warning)
    at.button(key="log_duplicate_no").click().run()
    assert len(store.sessions()) == 1
    assert "already in your log" not in joined(at.warning)
    # The form keeps what was entered, so a changed session can still be saved.
    assert at.select_slider(key="log1_during").value == 2


def test_focus_moves_to_the_save_it_again_question_once(store: Store) -> None:
    store.start_phase(2)
    at = _log(_log(open_page("log"), "log0"), "log1")
    assert _focus_scripts(at, "log_again_box") == 1, "focus goes to the question"
    at.run()
    assert "already in your log" in joined(at.warning), "still asked"
    assert _focus_scripts(at, "log_again_box") == 0, "once, as it is asked"


def test_save_it_again_saves_the_second_session(store: Store) -> None:
    store.start_phase(2)
    at = _log(_log(open_page("log"), "log0"), "log1")
    at.button(key="log_duplicate_yes").click().run()
    assert_no_exception(at)
    assert len(store.sessions()) == 2
    assert "Saved your session" in joined(at.success)


def test_a_session_that_differs_is_saved_without_a_question(store: Store) -> None:
    store.start_phase(2)
    at = _log(_log(open_page("log"), "log0"), "log1", during=3)
    assert len(store.sessions()) == 2
    assert "already in your log" not in joined(at.warning)


def test_the_undo_banner_goes_with_the_next_save_and_cannot_restore_afterwards(
    store: Store,
) -> None:
    store.start_phase(2)
    add_session(store, 3, 2)
    at = open_page("log")
    at.button(key="log_delete_button").click().run()
    at.button(key="log_delete_yes").click().run()
    assert at.button(key="log_undo_button")
    at = _log(at, "log0")
    assert_no_exception(at)
    keys = [b.key for b in at.button]
    assert "log_undo_button" not in keys, "the undo belongs to the delete only"
    assert "Deleted your session" not in joined(at.success)
    assert len(store.sessions()) == 1


def test_the_undo_banner_goes_with_a_later_edit(store: Store) -> None:
    store.start_phase(2)
    add_session(store, 3, 2)
    kept = add_session(store, 2, 2)
    at = open_page("log")
    at.button(key="log_delete_button").click().run()  # the newest: 2 days ago
    at.button(key="log_delete_yes").click().run()
    assert len(store.sessions()) == 1 and store.sessions()[0].id != kept
    remaining = store.sessions()[0].id
    at.button(key="log_edit_button").click().run()
    at.select_slider(key=f"edit_{remaining}_during").set_value(4)
    at.button(key=f"FormSubmitter:edit_{remaining}_form-Save changes").click().run()
    assert_no_exception(at)
    assert "log_undo_button" not in [b.key for b in at.button]
    assert "Updated your session" in joined(at.success)


def test_editing_opens_one_form_in_a_dialog_and_its_answer_is_under_the_list(
    store: Store,
) -> None:
    store.start_phase(2)
    sid = add_session(store, 1, 2)
    at = open_page("log")
    at.button(key="log_edit_button").click().run()
    assert_no_exception(at)
    dialogs = [b for b in at._tree.children.values() if _has_dialog(b)]
    assert dialogs, "the edit form is in a dialog, over the page"
    edit_saves = [b for b in at.button if "Save changes" in str(b.key)]
    assert len(edit_saves) == 1
    assert not any(f"edit_{sid}" in key for key in _order(at)), "no second form on the page"
    at.select_slider(key=f"edit_{sid}_during").set_value(6)
    at.button(key=f"FormSubmitter:edit_{sid}_form-Save changes").click().run()
    assert store.get_session(sid).pain_during == 6
    order = _order(at)
    assert _index(order, "log_edit_button") < _index(order, "Updated your session")
    assert not at.toast
    assert _focus_scripts(at, "log_result") == 1, "focus goes to the answer under the list"


def test_cancel_closes_the_edit_and_changes_nothing(store: Store) -> None:
    sid = add_session(store, 1, 2)
    at = open_page("log")
    at.button(key="log_edit_button").click().run()
    at.select_slider(key=f"edit_{sid}_during").set_value(9)
    at.button(key="log_edit_cancel").click().run()
    assert_no_exception(at)
    assert store.get_session(sid).pain_during == 2
    assert not [b for b in at.button if "Save changes" in str(b.key)]


def test_the_history_names_the_four_pains_in_one_column_that_fits_a_phone(
    store: Store,
) -> None:
    add_session(store, 1, 2, pain_next_morning=3)
    at = open_page("log")
    frame = at.dataframe[0].value
    assert list(frame.columns[:3]) == ["Date", "Zone", "Pain"]
    assert frame["Pain"].iloc[0] == "1 · 2 · 1 · 3"
    assert "before · during · after · next morning" in joined(at.caption)


def _has_dialog(node: Any) -> bool:
    if getattr(node, "type", None) == "dialog":
        return True
    return any(_has_dialog(c) for c in getattr(node, "children", {}).values())


def test_a_change_made_meanwhile_in_another_tab_is_not_overwritten(store: Store) -> None:
    sid = add_session(store, 1, 2)
    at = open_page("log")
    at.button(key="log_edit_button").click().run()
    # Another tab changes the same session while this one's dialog is open.
    store.update_session(sid, {"pain_during": 4, "notes": "from the other tab"})
    at.select_slider(key=f"edit_{sid}_during").set_value(7)
    at.button(key=f"FormSubmitter:edit_{sid}_form-Save changes").click().run()
    assert_no_exception(at)
    kept = store.get_session(sid)
    assert (kept.pain_during, kept.notes) == (4, "from the other tab"), "the newer change stays"
    warning = joined(at.warning)
    assert "changed in another tab or window" in warning
    assert "pain 4/10" in warning, "the newer version is shown"
    assert "Updated your session" not in joined(at.success)


def test_deleting_a_session_already_deleted_in_another_tab_says_so(store: Store) -> None:
    sid = add_session(store, 1, 2)
    at = open_page("log")
    at.button(key="log_delete_button").click().run()
    store.delete_session(sid)  # another tab was quicker
    at.button(key="log_delete_yes").click().run()
    assert_no_exception(at)
    assert "deleted in another tab or window" in joined(at.warning)


def test_a_save_sent_again_for_the_same_form_is_stored_once_without_a_question(
    store: Store,
) -> None:
    store.start_phase(2)
    at = open_page("log")
    # The first Save of this form was stored, but its answer never came back (the
    # server stopped mid-way, or the Save was sent twice): the form keeps its id.
    for name, value in (("before", 1), ("during", 2), ("after", 1)):
        at.select_slider(key=f"log0_{name}").set_value(value)
    at.button(key=SAVE.format(prefix="log0")).click().run()
    first = store.sessions()[0]
    at.session_state[VERSION_KEY] = 0
    at.session_state["log0_id"] = first.id
    at = _log(at.run(), "log0")
    assert_no_exception(at)
    assert [s.id for s in store.sessions()] == [first.id]
    assert "already in your log" not in joined(at.warning)
    assert "Saved your session" in joined(at.success)


def test_the_pain_sliders_show_the_scale_and_not_entered_is_not_0(store: Store) -> None:
    at = open_page("log")
    for name in ("before", "during", "after"):
        slider = at.select_slider(key=f"log0_{name}")
        assert slider.value is None, "an untouched pain is not entered, not 0"
        assert "0 = no pain, 10 = worst pain imaginable" in str(slider.help)
        assert "not entered" in str(slider.help) and "is not 0" in str(slider.help)
    assert "from 0 (no pain) to 10 (worst imaginable)" in joined(at.markdown)
    assert "which is not 0" in joined(at.caption)
