"""The run import's flow: files read into drafts, the preview, the answers, the runs saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kneecore.models import TEXT_MAX, Run
from kneecore.run_import import (
    Answers,
    ImportRefused,
    build_runs,
    preview,
    read_uploads,
    refusals,
    start_key,
    summary,
    table_rows,
)
from kneecore.runfiles import RunDraft
from tests.unit.runfile_fixtures import StravaActivity, fit_bytes, gpx_bytes, strava_zip

ZONE = dt.timezone(dt.timedelta(hours=2))
START = dt.datetime(2026, 11, 2, 7, 30, tzinfo=ZONE)
OK = Answers(pain_before=1, pain_during=2, knee_problem=False)


def draft(start: dt.datetime = START, **changes: Any) -> RunDraft:
    fields: dict[str, Any] = {
        "start": start,
        "date": start.date(),
        "total_min": 32.5,
        "distance_km": 5.1,
        "cadence_spm": 168,
        "source": "gpx",
        "name": "Morning Run",
        "file": "run.gpx",
    }
    return RunDraft(**(fields | changes))


def stored(started_at: dt.datetime | None) -> Run:
    day = (started_at or START).date()
    return Run(
        date=day,
        run_min=30,
        total_min=30,
        pain_before=0,
        pain_during=1,
        started_at=started_at,
        source="gpx",
    )


# -- reading ---------------------------------------------------------------------------


def test_several_files_are_read_into_drafts_in_date_order_with_progress_per_file():
    seen: list[tuple[int, int, int, int]] = []
    earlier = START - dt.timedelta(days=3)
    files = [
        ("late.gpx", gpx_bytes(START, 30, 5.0)),
        ("early.fit", fit_bytes(earlier, 20, 3.0, cadence_per_foot=84)),
    ]

    found = read_uploads(files, progress=lambda *step: seen.append(step), zone=ZONE)

    assert [d.date for d in found.drafts] == [earlier.date(), START.date()]
    assert found.refused == () and found.skipped == ()
    assert (1, 2, 1, 1) in seen and (2, 2, 1, 1) in seen, "each file reports it is done"


def test_an_archive_reports_progress_per_activity_and_lists_what_it_left_out():
    seen: list[tuple[int, int, int, int]] = []
    archive = strava_zip(
        [StravaActivity(START - dt.timedelta(days=d), 30, 5.0) for d in range(1, 4)]
        + [StravaActivity(START, 60, 25.0, kind="Ride")]
    )

    found = read_uploads([("export.zip", archive)], progress=lambda *s: seen.append(s))

    assert len(found.drafts) == 3
    assert [s.reason for s in found.skipped] == ["not a run (Ride)"]
    assert seen[-1] == (1, 1, 3, 3)


def test_a_file_that_cannot_be_read_is_refused_in_words_and_the_others_still_read():
    found = read_uploads(
        [("watch.fit", b"\x00\xff random bytes " * 20), ("run.gpx", gpx_bytes(START, 30, 5.0))]
    )

    assert len(found.drafts) == 1
    assert len(found.refused) == 1
    assert found.refused[0].startswith("watch.fit: ")
    assert "Nothing was imported" in found.refused[0]


# -- the preview -----------------------------------------------------------------------


def test_an_aware_start_is_in_the_log_when_it_is_the_same_instant_in_another_zone():
    same_instant = START.astimezone(dt.UTC)

    found = preview([draft()], [stored(same_instant)])

    assert [row.status for row in found.rows] == ["in_log"]
    assert found.new == 0


def test_a_naive_start_matches_the_same_clock_time_only():
    naive = dt.datetime(2026, 11, 2, 7, 30)
    found = preview(
        [draft(naive), draft(naive + dt.timedelta(minutes=1))],
        [stored(naive), stored(START)],
    )

    assert [row.status for row in found.rows] == ["in_log", "new"]


def test_a_naive_and_an_aware_start_never_match_as_the_store_never_does():
    naive = START.replace(tzinfo=None)

    assert start_key(naive) != start_key(START)
    assert preview([draft(naive)], [stored(START)]).rows[0].status == "new"


def test_runs_logged_by_hand_without_a_start_never_match_an_import():
    assert preview([draft()], [stored(None)]).new == 1


def test_the_same_run_in_two_files_is_new_once_then_repeated():
    found = preview([draft(), draft(file="export.zip")], [])

    assert [row.status for row in found.rows] == ["new", "repeated"]
    assert found.new == 1 and found.count("repeated") == 1


def test_the_preview_table_shows_a_missing_value_as_a_dash_never_zero():
    rows = table_rows(preview([draft(distance_km=None, cadence_spm=None)], [stored(START)]))

    assert rows == [
        {
            "Date": "2 Nov 2026",
            "Start": "07:30",
            "In your log?": "already in your log",
            "Minutes": "32",
            "km": "—",
            "Steps/min": "—",
            "Source": "GPX",
        }
    ]
    assert list(rows[0])[:3] == ["Date", "Start", "In your log?"], "seen on a phone"


# -- the answers and the runs ----------------------------------------------------------


def test_a_draft_becomes_a_free_run_all_running_with_the_answers_pain():
    (doc,) = build_runs([draft()], OK)
    run = Run.model_validate(doc)

    assert run.level is None
    assert run.run_min == run.total_min == 32.5 and run.walk_min == 0
    assert (run.pain_before, run.pain_during) == (1, 2)
    assert run.pain_1h is None and run.pain_next_morning is None, "nothing assumed"
    assert (run.distance_km, run.cadence_spm, run.source) == (5.1, 168, "gpx")
    assert run.started_at == START and run.date == START.date()
    assert run.notes == "Morning Run"


def test_a_run_without_a_name_has_no_notes_and_a_long_name_is_clipped_to_the_limit():
    unnamed, long = build_runs([draft(name=None), draft(name="x" * (TEXT_MAX + 50))], OK)

    assert unnamed["notes"] == ""
    assert len(long["notes"]) == TEXT_MAX


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (Answers(pain_during=2, knee_problem=False), "pain_before"),
        (Answers(pain_before=1, knee_problem=False), "pain_during"),
        (Answers(pain_before=1, pain_during=2), "knee_problem"),
        (Answers(pain_before=11, pain_during=2, knee_problem=False), "pain_before"),
    ],
)
def test_a_pain_or_answer_not_given_stops_the_import_in_plain_words(answers, field):
    assert list(refusals(answers)) == [field]
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        build_runs([draft()], answers)


def test_a_pain_of_zero_is_an_answer_not_a_missing_one():
    assert refusals(Answers(pain_before=0, pain_during=0, knee_problem=False)) == {}


def test_swelling_locking_or_giving_way_sends_the_runs_to_be_logged_one_by_one():
    answers = Answers(pain_before=1, pain_during=2, knee_problem=True)

    with pytest.raises(ImportRefused, match="one by one on the Runs page"):
        build_runs([draft()], answers)


def test_a_run_longer_than_the_log_takes_is_refused_naming_its_date_and_file():
    with pytest.raises(ImportRefused) as caught:
        build_runs([draft(), draft(total_min=30 * 60, file="ultra.fit")], OK)

    assert "2 Nov 2026 (ultra.fit)" in str(caught.value)
    assert "Nothing was imported" in str(caught.value)


def test_nothing_to_import_is_refused():
    with pytest.raises(ImportRefused, match="no runs"):
        build_runs([], OK)


def test_what_build_runs_gives_the_store_saves_and_a_second_import_adds_nothing(store):
    docs = build_runs([draft(), draft(START + dt.timedelta(days=1))], OK)

    first = store.add_runs(docs)
    again = store.add_runs(build_runs([draft()], OK))

    assert (len(first.added), first.already_there) == (2, 0)
    assert (again.added, again.already_there) == ((), 1)
    assert preview([draft()], store.runs()).rows[0].status == "in_log"


def test_the_summary_counts_what_was_imported_and_what_was_there():
    assert summary(12, 3) == "Imported 12 runs; 3 were already in your log."
    assert summary(1, 1) == "Imported 1 run; 1 was already in your log."
    assert summary(2, 0) == "Imported 2 runs."
