"""The Import runs page in AppTest: empty, a preview, the questions, the import, refusals.

AppTest uploads files through ``at.file_uploader[0].upload(...)``, as a person's browser
sends them; the browser test covers the real drag-and-drop field and the progress bar.
"""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from kneecore.store import Store
from tests.app.helpers import assert_no_exception, joined, open_page
from tests.unit.runfile_fixtures import gpx_bytes

START = dt.datetime(2026, 11, 2, 7, 30, tzinfo=dt.UTC)


def with_runs(*days_before: int) -> AppTest:
    """The page with a GPX file per run, ``days_before`` START, uploaded."""
    at = open_page("import_runs")
    for days in days_before:
        start = START - dt.timedelta(days=days)
        at.file_uploader[0].upload(f"run-{days}.gpx", gpx_bytes(start, 30, 5.0))
    return at.run()


def answer(at: AppTest, before: int | None = 1, during: int | None = 2, problem: str = "No"):
    if before is not None:
        at.select_slider(key="import_runs_before").set_value(before)
    if during is not None:
        at.select_slider(key="import_runs_during").set_value(during)
    at.radio(key="import_runs_knee_problem").set_value(problem)
    return at.run()


def test_with_nothing_uploaded_it_says_where_to_find_files_and_that_it_is_no_diagnosis():
    at = open_page("import_runs")

    assert_no_exception(at)
    assert at.title[0].value == "Import runs"
    assert "No file chosen yet" in joined(at.info)
    assert "Download or delete your account" in joined(at.caption)
    assert "not a diagnosis" in joined(at.caption)
    assert not [b for b in at.button if b.key == "import_runs_go"]
    assert len(at.dataframe) == 0


def test_uploaded_runs_are_previewed_and_nothing_is_saved_before_the_button(store: Store):
    at = with_runs(1, 2)

    assert_no_exception(at)
    assert len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == 2
    assert "2 runs" in joined(at.markdown)
    assert at.button(key="import_runs_go").label == "Import 2 runs"
    assert store.runs() == []


def test_pain_not_entered_stops_the_import_with_a_plain_message(store: Store):
    at = with_runs(1)
    at = answer(at, before=None)
    at.button(key="import_runs_go").click()
    at.run()

    assert "usual pain before these runs" in joined(at.error)
    assert "Nothing was imported" in joined(at.error)
    assert store.runs() == []


def test_swelling_locking_or_giving_way_offers_no_bulk_import_and_points_to_runs(store):
    at = answer(with_runs(1), problem="Yes")

    assert_no_exception(at)
    assert "one by one on the Runs page" in joined(at.warning)
    assert not [b for b in at.button if b.key == "import_runs_go"]
    assert store.runs() == []


def test_importing_saves_free_runs_with_the_pain_and_says_what_it_did(store: Store):
    at = answer(with_runs(1, 2, 3), before=0, during=2)
    at.button(key="import_runs_go").click()
    at.run()

    assert_no_exception(at)
    assert "Imported 3 runs." in joined(at.success)
    runs = store.runs()
    assert len(runs) == 3
    assert {(r.level, r.pain_before, r.pain_during, r.source) for r in runs} == {
        (None, 0, 2, "gpx")
    }
    assert len(at.file_uploader) == 1 and not at.file_uploader[0].value, "list emptied"


def test_runs_already_in_the_log_are_marked_and_not_counted_again(store: Store):
    at = answer(with_runs(1), before=0, during=1)
    at.button(key="import_runs_go").click()
    at.run()
    assert len(store.runs()) == 1

    at = with_runs(1, 2)
    assert "already in your log" in str(at.dataframe[0].value["In your log?"].tolist())
    assert at.button(key="import_runs_go").label == "Import 1 run"
    answer(at).button(key="import_runs_go").click()
    at.run()

    assert "Imported 1 run; 1 was already in your log." in joined(at.success)
    assert len(store.runs()) == 2


def test_only_runs_already_in_the_log_offer_no_import(store: Store):
    at = answer(with_runs(1))
    at.button(key="import_runs_go").click()
    at.run()

    at = with_runs(1)
    assert "nothing new to import" in joined(at.info)
    assert not [b for b in at.button if b.key == "import_runs_go"]


def test_a_file_that_is_not_a_run_file_is_refused_in_words_and_blocks_the_import(store):
    at = open_page("import_runs")
    at.file_uploader[0].upload("watch.fit", bytes(range(256)) * 8)
    at.file_uploader[0].upload("run.gpx", gpx_bytes(START, 30, 5.0))
    at.run()

    assert_no_exception(at)
    assert "watch.fit" in joined(at.error) and "could not be read" in joined(at.error)
    assert "remove it first" in joined(at.warning)
    assert not [b for b in at.button if b.key == "import_runs_go"]
    assert store.runs() == []
