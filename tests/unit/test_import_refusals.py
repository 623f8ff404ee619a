"""Imports that are refused in plain words, with the store untouched.

A file with none of an export's sections, duplicate keys anywhere, nesting far deeper
than an export's, or a text field longer than the app ever stores; and every message
cuts what the file supplied (ids, field names, values) to a readable length.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from kneecore.models import ANSWER_TEXT_MAX, ID_MAX, LIST_MAX, TEXT_MAX
from kneecore.store import MAX_IMPORT_BYTES, InvalidImport, Store
from kneecore.storefile import MAX_DEPTH

#: The longest piece of the file's own text an error message may repeat.
ECHO_MAX = 60


@pytest.fixture
def history(library) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from kneecore.demo import generate_history

    return generate_history(30, sessions_per_week=3, library=library)


@pytest.fixture
def filled(store, history) -> Store:
    store.import_json(json.dumps(history))
    return store


def refused(store: Store, text: str | bytes, words: str) -> str:
    """Import ``text``, expect a refusal saying ``words``, check nothing changed."""
    before = store.path.read_bytes() if store.path.exists() else None
    with pytest.raises(InvalidImport, match=words) as caught:
        store.import_json(text)
    with pytest.raises(InvalidImport):
        store.preview_import(text)
    after = store.path.read_bytes() if store.path.exists() else None
    assert after == before, "a refused import must not change the store"
    message = str(caught.value)
    assert "Nothing was imported" in message
    return message


@pytest.mark.parametrize(
    "text",
    [
        '{"schema_version": 1}',
        '{"schema_version": 2}',
        '{"schema_version": 2, "exported_at": null}',
    ],
)
def test_a_file_with_none_of_the_exports_sections_is_refused(filled, text):
    refused(filled, text, "none of the parts of a Kneecare export")


def test_a_file_with_one_empty_section_is_a_valid_export_that_adds_nothing(store):
    summary = store.import_json('{"schema_version": 2, "sessions": []}')
    assert summary.total_added == 0


def test_a_duplicate_key_at_the_top_is_refused(filled, history):
    text = json.dumps(history)
    doubled = text.replace('"sessions": [', '"sessions": [], "sessions": [', 1)
    refused(filled, doubled, "twice")


def test_a_duplicate_key_deep_in_a_session_is_refused(filled, history):
    history["sessions"][0]["notes"] = "first"
    text = json.dumps(history).replace('"notes": "first"', '"notes": "first", "notes": "second"')
    message = refused(filled, text, "'notes' twice")
    assert "edited or damaged" in message


def test_a_duplicate_key_in_an_otherwise_invalid_file_is_refused_as_such(store):
    refused(store, '{"schema_version": 2, "sessions": [{"id": "a", "id": "b"}]}', "twice")


def test_a_duplicate_key_named_at_length_is_cut_in_the_message(store):
    key = "k" * 5000
    message = refused(store, f'{{"schema_version": 2, "{key}": 1, "{key}": 2}}', "twice")
    assert len(message) < 400 and "k" * (ECHO_MAX + 1) not in message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_nesting_too_deep_is_refused_in_plain_words_without_recursion(store, depth):
    for text in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        refused(store, text, "nested too deeply")
        refused(store, '{"schema_version": 2, "sessions": ' + text + "}", "nested too deeply")


def test_nesting_as_deep_as_allowed_is_judged_on_its_content(store):
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    refused(store, text, "not a valid Kneecare export")


def test_brackets_inside_text_do_not_count_as_nesting(store, history):
    history["sessions"][0]["notes"] = '[{"' * 300 + ' \\" ' + "]}" * 300
    summary = store.import_json(json.dumps(history))
    assert summary.added["sessions"] == len(history["sessions"])


def _check(history: dict[str, Any]) -> dict[str, Any]:
    check: dict[str, Any] = history["selfchecks"][0]
    return check


@pytest.mark.parametrize(
    ("where", "value", "words"),
    [
        ("reasons", ["r" * (TEXT_MAX + 1)], "reasons"),
        ("advice", ["a" * 3_000_000], "advice"),
        ("phase_reasons", ["p" * (TEXT_MAX + 1)], "phase_reasons"),
        ("reasons", ["short"] * (LIST_MAX + 1), "reasons"),
        ("red_flags", ["f" * (ID_MAX + 1)], "red_flags"),
        ("answers", {"goal": "g" * (ANSWER_TEXT_MAX + 1)}, "answers"),
        ("answers", {"pain_location": ["x" * (ANSWER_TEXT_MAX + 1)]}, "answers"),
        ("answers", {"k" * (ID_MAX + 1): 1}, "answers"),
        (
            "signs",
            [{"id": "swelling", "urgency": "gp_soon", "reason": "w" * (TEXT_MAX + 1)}],
            "signs",
        ),
        ("id", "i" * (ID_MAX + 1), "id"),
    ],
)
def test_a_self_check_with_an_overlong_field_is_refused(filled, history, where, value, words):
    check = _check(history)
    check[where] = value
    check["id"] = check["id"] if where != "id" else value
    message = refused(filled, json.dumps(history), words)
    assert len(message) < 600


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("sessions", "notes", "n" * (TEXT_MAX + 1)),
        ("sessions", "id", "s" * (ID_MAX + 1)),
        ("clearances", "note", "c" * (TEXT_MAX + 1)),
        ("clearances", "covers", ["c" * (ID_MAX + 1)]),
        ("warning_records", "reasons", ["w" * (TEXT_MAX + 1)]),
    ],
)
def test_every_other_stored_text_has_a_limit_too(filled, history, table, field, value):
    if table == "clearances":
        history["clearances"] = [{"id": "c1", "examined": history["sessions"][0]["date"]}]
    if table == "warning_records":
        history["warning_records"] = [dict(_check(history), id="w1", urgency="gp_soon", phase=None)]
    history[table][0][field] = value
    refused(filled, json.dumps(history), field)


def test_the_longest_allowed_texts_are_kept_whole(store, history):
    history["sessions"][0]["notes"] = "n" * TEXT_MAX
    check = _check(history)
    check["reasons"] = ["r" * TEXT_MAX] * 3
    check["advice"] = ["a" * TEXT_MAX]
    store.import_json(json.dumps(history))
    assert store.get_session(history["sessions"][0]["id"]).notes == "n" * TEXT_MAX


def test_a_refusal_never_repeats_a_long_value_from_the_file(filled, history):
    huge = "<a href='https://example.com'>click</a>" * 3000
    history["sessions"][0]["exercises"][0]["exercise_id"] = huge
    history["sessions"][1]["unexpected_" + "z" * 10_000] = 1
    message = refused(filled, json.dumps(history), "Nothing was imported")
    assert len(message) < 600 and "z" * (ECHO_MAX + 1) not in message


def test_an_unknown_exercise_id_is_named_cut_to_a_readable_length(store, history):
    history["sessions"][0]["exercises"][0]["exercise_id"] = "x" * ID_MAX
    message = refused(store, json.dumps(history), "unknown exercise")
    assert "x" * (ECHO_MAX + 1) not in message


def test_the_upload_limit_holds_a_ten_year_export(library):
    from kneecore.demo import generate_history

    # 10 years of daily sessions of 6 exercises export to about 6.6 MB (measured).
    doc = generate_history(3653, sessions_per_week=7, library=library)
    assert len(json.dumps(doc, indent=2).encode()) * 2 < MAX_IMPORT_BYTES


def test_the_checks_keep_a_five_year_import_quick(store, library):
    from kneecore.demo import FIVE_YEARS_DAYS, generate_history

    text = json.dumps(generate_history(FIVE_YEARS_DAYS, sessions_per_week=7, library=library))
    start = time.perf_counter()
    store.preview_import(text)
    # A generous guard on a shared machine (measured: about 0.15 s).
    assert time.perf_counter() - start < 5
