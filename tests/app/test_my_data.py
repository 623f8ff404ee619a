"""The My data page: where the file is, export, import, backups, delete, recovery."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from kneecore.demo import generate_history
from kneecore.store import MAX_IMPORT_BYTES, Store
from tests.app.helpers import assert_no_exception, open_page


def _session(store: Store, library_id: str, days_ago: int = 0) -> str:
    return store.add_session(
        {
            "date": dt.date.today() - dt.timedelta(days=days_ago),
            "exercises": [{"exercise_id": library_id, "sets": 1, "reps": [10]}],
            "pain_before": 1,
            "pain_during": 2,
            "pain_after": 1,
        }
    )


def _run(store: Store, days_ago: int = 0) -> str:
    return store.add_run(
        {
            "date": dt.date.today() - dt.timedelta(days=days_ago),
            "level": 1,
            "run_min": 6,
            "walk_min": 24,
            "total_min": 30,
            "pain_before": 1,
            "pain_during": 2,
            "pain_1h": 1,
        }
    )


def _texts(at) -> str:  # type: ignore[no-untyped-def]
    parts = [m.value for m in at.markdown] + [c.value for c in at.code]
    parts += [e.value for e in (*at.success, *at.error, *at.info, *at.warning, *at.caption)]
    return "\n".join(str(p) for p in parts)


def test_the_page_shows_where_the_file_lives_and_how_much_is_in_it(store, library):
    _session(store, library.exercises[0].id)
    _run(store, days_ago=2)
    _run(store, days_ago=1)
    at = open_page("my_data")
    assert_no_exception(at)
    assert str(store.path) in _texts(at)
    assert [(m.label, m.value) for m in at.metric] == [
        ("Sessions logged", "1"),
        ("Runs logged", "2"),
        ("Self-checks", "0"),
    ]
    assert any("not a diagnosis" in c.value for c in at.caption)


def test_a_valid_export_is_previewed_then_imported_on_request(store, library):
    doc = generate_history(30, sessions_per_week=3, library=library)
    at = open_page("my_data")
    at.file_uploader[0].set_value(("mine.json", json.dumps(doc).encode(), "application/json"))
    at.run()
    assert_no_exception(at)
    assert f"will add {len(doc['sessions'])} sessions" in _texts(at)
    assert store.sessions() == [], "a preview must not write"
    at.button(key="import_go").click().run()
    assert_no_exception(at)
    assert len(store.sessions()) == len(doc["sessions"])
    assert "Import done" in _texts(at)
    assert at.file_uploader[0].value is None, "the uploader is emptied after importing"


def test_importing_the_same_file_again_reports_everything_as_skipped(store, library):
    doc = generate_history(14, sessions_per_week=3, library=library)
    store.import_json(json.dumps(doc))
    at = open_page("my_data")
    at.file_uploader[0].set_value(("again.json", json.dumps(doc).encode(), "application/json"))
    at.run()
    assert "nothing new" in _texts(at)
    assert not [b for b in at.button if b.key == "import_go"]


def test_a_bad_import_is_explained_and_leaves_the_store_untouched(store, library):
    _session(store, library.exercises[0].id)
    before = store.path.read_bytes()
    doc = generate_history(7, sessions_per_week=3, library=library)
    bad = json.dumps(doc).replace('"pain_during": ', '"pain_during": 1', 1)
    bad = bad.replace('"hold_s": null', '"hold_s": NaN', 1)
    at = open_page("my_data")
    at.file_uploader[0].set_value(("bad.json", bad.encode(), "application/json"))
    at.run()
    assert_no_exception(at)
    assert at.error and "Nothing was imported" in at.error[0].value
    assert store.path.read_bytes() == before


def test_a_file_over_the_size_limit_is_refused_in_plain_words(store):
    at = open_page("my_data")
    big = b" " * (MAX_IMPORT_BYTES + 1)
    at.file_uploader[0].set_value(("huge.json", big, "application/json"))
    at.run()
    assert at.error and "too big" in at.error[0].value
    assert not store.path.exists()


def test_delete_all_needs_the_word_delete_and_then_removes_data_and_backups(store, library):
    _session(store, library.exercises[0].id)
    _session(store, library.exercises[0].id, days_ago=1)  # second write makes a backup
    _run(store, days_ago=1)
    assert store.backups()
    at = open_page("my_data")
    # The warning names runs too: they are in the file that goes.
    assert "every session, run, self-check" in _texts(at)
    assert at.button(key="delete_all").disabled
    at.text_input(key="delete_confirm_text").input("delete").run()
    assert at.button(key="delete_all").disabled, "the exact word is needed"
    at.text_input(key="delete_confirm_text").input("DELETE").run()
    at.button(key="delete_all").click().run()
    assert_no_exception(at)
    assert not store.path.exists()
    assert store.backups() == []
    # It says exactly what it removed (issue 13): the file and the backups.
    assert "Deleted your data file" in _texts(at) and "backup" in _texts(at)
    assert store.runs() == []
    assert [m.value for m in at.metric] == ["0", "0", "0"]


def test_a_backup_is_restored_only_after_confirming(store, library):
    first = _session(store, library.exercises[0].id)
    _session(store, library.exercises[0].id)  # the backup holds only the first session
    at = open_page("my_data")
    assert at.button(key="backup_restore").disabled
    at.checkbox(key="backup_confirm").check().run()
    at.button(key="backup_restore").click().run()
    assert_no_exception(at)
    assert [s.id for s in store.sessions()] == [first]
    assert "Restored" in _texts(at)
    assert len(store.aside_files()) == 1, "the replaced file is kept"


def _break(store: Store) -> bytes:
    broken = store.path.read_bytes()[:-5]
    store.path.write_bytes(broken)
    return broken


def test_a_damaged_file_shows_the_message_the_location_and_recovery_choices(store, library):
    _session(store, library.exercises[0].id)
    _session(store, library.exercises[0].id)
    broken = _break(store)
    at = open_page("my_data")
    assert_no_exception(at)
    assert "damaged" in at.error[0].value
    assert str(store.path) in _texts(at)
    labels = [b.label for b in at.button]
    assert any(label.startswith("Restore newest backup") for label in labels)
    assert "Move the broken file aside and start a new store" in labels
    assert store.path.read_bytes() == broken, "showing the error changes nothing"


def test_moving_a_damaged_file_aside_asks_first_and_keeps_the_file(store, library):
    _session(store, library.exercises[0].id)
    broken = _break(store)
    at = open_page("my_data")
    at.button(key="store_recovery_reset").click().run()
    assert store.path.read_bytes() == broken, "nothing happens before confirming"
    at.button(key="store_recovery_confirm").click().run()
    assert_no_exception(at)
    assert not store.path.exists()
    kept = store.aside_files()
    assert len(kept) == 1 and kept[0].read_bytes() == broken
    at.button(key="store_recovery_continue").click().run()
    assert_no_exception(at)
    assert store.runs() == []
    assert [m.value for m in at.metric] == ["0", "0", "0"]


def test_restoring_the_newest_backup_from_the_error_screen(store, library):
    first = _session(store, library.exercises[0].id)
    _session(store, library.exercises[0].id)
    _break(store)
    at = open_page("my_data")
    at.button(key="store_recovery_restore").click().run()
    at.button(key="store_recovery_confirm").click().run()
    assert_no_exception(at)
    assert [s.id for s in store.sessions()] == [first]
    assert any(p.name.startswith("knee-data.broken-") for p in store.aside_files())
    assert isinstance(store.path, Path)


def _two_errors_on_one_page() -> None:
    from kneecore.store import StoreError
    from pages.common import show_store_error

    show_store_error(StoreError("First problem.", None))
    show_store_error(StoreError("Second problem.", None))


def test_two_store_errors_on_one_page_offer_the_recovery_choices_once():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_errors_on_one_page)
    at.run()
    assert_no_exception(at)
    assert [e.value for e in at.error][-1].endswith("Second problem.")
    assert [b.key for b in at.button].count("store_recovery_reset") == 1


def test_a_failed_save_during_import_is_explained_and_the_old_file_kept(
    store, library, monkeypatch
):
    import errno
    import os

    import kneecore.atomic

    _session(store, library.exercises[0].id)
    _session(store, library.exercises[0].id)
    before = store.path.read_bytes()
    doc = generate_history(10, sessions_per_week=3, library=library)
    at = open_page("my_data")
    at.file_uploader[0].set_value(("mine.json", json.dumps(doc).encode(), "application/json"))
    at.run()

    def disk_full(fd: int, payload: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(kneecore.atomic, "_write_all", disk_full)
    at.button(key="import_go").click().run()
    assert_no_exception(at)
    message = _texts(at)
    assert "could not be saved (No space left on device)" in message
    assert "earlier data is safe" in message
    assert "Move the broken file aside" not in message, "a full disk is not a broken file"
    assert store.path.read_bytes() == before


def test_without_phone_mode_the_patient_is_told_what_to_ask_before_any_command():
    at = open_page("my_data")
    assert_no_exception(at)
    texts = [str(m.value) for m in at.markdown]
    asked = next(i for i, t in enumerate(texts) if "phone mode" in t)
    assert "ask them to restart it" in texts[asked] and "make" not in texts[asked]
    # The command comes after, on its own small line for whoever installed the app.
    command = next(i for i, t in enumerate(texts) if "make run-phone" in t)
    assert command > asked and texts[command].startswith(":small[")
