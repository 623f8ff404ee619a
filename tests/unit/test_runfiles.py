"""Run files read into run drafts: GPX, TCX and FIT, what each says, and dedupe."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip

import pytest

from kneecore.runfiles import RunDraft, RunFileError, dedupe, read_run_file, read_runs
from tests.unit.runfile_fixtures import fit_bytes, gpx_bytes, tcx_bytes

START = dt.datetime(2025, 3, 1, 7, 0, tzinfo=dt.UTC)
WRITERS = {"gpx": gpx_bytes, "tcx": tcx_bytes, "fit": fit_bytes}


def one_run(name: str, data: bytes, **kwargs) -> RunDraft:  # type: ignore[no-untyped-def]
    runs = read_runs(name, data, zone=dt.UTC, **kwargs)
    assert len(runs) == 1
    return runs[0]


@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_each_format_gives_the_runs_date_minutes_distance_and_cadence(fmt):
    run = one_run(f"run.{fmt}", WRITERS[fmt](START, 40, 7.5, cadence_per_foot=85))
    assert run.source == fmt
    assert run.start == START
    assert run.date == START.date()
    assert run.total_min == 40.0
    assert run.distance_km == pytest.approx(7.5, abs=0.01)
    assert run.cadence_spm == 170, "one foot's 85 strides a minute are 170 steps"


@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_a_file_without_cadence_gives_none_not_zero(fmt):
    assert one_run(f"run.{fmt}", WRITERS[fmt](START, 30, 5.0)).cadence_spm is None


@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_a_file_is_recognised_by_its_content_whatever_its_name(fmt):
    assert one_run("upload.bin", WRITERS[fmt](START, 30, 5.0)).source == fmt


@pytest.mark.parametrize("fmt", ["gpx", "tcx", "fit"])
def test_a_gzipped_file_reads_like_the_file(fmt):
    data = WRITERS[fmt](START, 30, 5.0, cadence_per_foot=80)
    assert one_run(f"run.{fmt}.gz", gzip.compress(data)) == one_run(f"run.{fmt}.gz", data)


def test_fit_fractional_cadence_is_added_before_doubling():
    run = one_run("run.fit", fit_bytes(START, 30, 5.0, cadence_per_foot=85, fractional=0.5))
    assert run.cadence_spm == 171


def test_a_cadence_already_in_steps_is_not_doubled_again():
    assert one_run("run.gpx", gpx_bytes(START, 30, 5.0, cadence_per_foot=168)).cadence_spm == 168


def test_tcx_cadence_comes_from_the_trackpoints_when_laps_have_none():
    data = tcx_bytes(START, 30, 5.0, cadence_per_foot=88, lap_cadence=False)
    assert one_run("run.tcx", data).cadence_spm == 176


def test_fit_minutes_are_the_watchs_timer_leaving_pauses_out():
    run = one_run("run.fit", fit_bytes(START, 30, 5.0, pause_min=10))
    assert run.total_min == 30.0


def test_a_fit_file_without_a_session_is_read_from_its_records():
    run = one_run("run.fit", fit_bytes(START, 25, 4.2, cadence_per_foot=82, with_session=False))
    assert (run.start, run.total_min, run.distance_km, run.cadence_spm) == (START, 25, 4.2, 164)


def test_a_fit_watchs_local_time_sets_the_runs_zone_and_day():
    late = dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)
    run = one_run("run.fit", fit_bytes(late, 30, 5.0, local_offset_h=2))
    assert run.start.utcoffset() == dt.timedelta(hours=2)
    assert run.start == late
    assert run.date == dt.date(2025, 3, 2), "half past one in the morning there"


def test_a_utc_time_is_dated_in_the_runners_zone():
    evening = dt.datetime(2025, 3, 2, 2, 0, tzinfo=dt.UTC)
    new_york = dt.timezone(dt.timedelta(hours=-5))
    run = read_runs("run.gpx", gpx_bytes(evening, 30, 5.0), zone=new_york)[0]
    assert run.date == dt.date(2025, 3, 1)
    assert run.start == evening


def test_a_gpx_time_with_its_own_offset_keeps_it():
    tokyo = dt.timezone(dt.timedelta(hours=9))
    start = dt.datetime(2025, 3, 1, 6, 0, tzinfo=tokyo)
    run = read_runs("run.gpx", gpx_bytes(start, 30, 5.0), zone=dt.UTC)[0]
    assert run.start.utcoffset() == dt.timedelta(hours=9)
    assert run.date == dt.date(2025, 3, 1), "the day it was in Tokyo, not in UTC"


def test_a_gpx_time_without_any_zone_stays_naive():
    text = gpx_bytes(START, 30, 5.0).decode().replace("Z</time>", "</time>")
    run = read_runs("run.gpx", text.encode())[0]
    assert run.start == START.replace(tzinfo=None)


def test_the_gpx_tracks_name_is_the_drafts_name():
    assert one_run("run.gpx", gpx_bytes(START, 30, 5.0, name="Park loop")).name == "Park loop"


def test_a_single_file_of_a_ride_is_refused_saying_so():
    with pytest.raises(RunFileError, match=r"not a run.*cycling.*only runs"):
        read_runs("ride.fit", fit_bytes(START, 60, 25.0, sport=2))
    with pytest.raises(RunFileError, match="Biking"):
        read_runs("ride.tcx", tcx_bytes(START, 60, 25.0, sport="Biking"))


def test_a_gpx_route_without_times_is_refused_as_holding_no_run():
    with pytest.raises(ValueError, match="no recorded run"):
        read_runs("route.gpx", gpx_bytes(START, 30, 5.0, with_times=False))


def test_a_recording_under_a_minute_is_left_out_with_its_reason():
    with pytest.raises(RunFileError, match="shorter than a minute"):
        read_runs("oops.fit", fit_bytes(START, 0.5, 0.05))


def test_a_run_faster_than_anyone_runs_is_left_out():
    with pytest.raises(RunFileError, match="faster than a run"):
        read_runs("car.gpx", gpx_bytes(START, 30, 40.0))


def test_a_run_in_the_future_is_refused_with_its_date():
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    with pytest.raises(RunFileError, match=r"in the future\. Nothing was imported"):
        read_runs("run.gpx", gpx_bytes(soon, 30, 5.0))


def test_a_run_just_finished_on_a_watch_a_little_ahead_is_taken():
    just_now = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=20)
    assert one_run("run.fit", fit_bytes(just_now, 15, 2.5)).start == just_now


@pytest.mark.parametrize(
    ("minutes", "km", "words"),
    [(60 * 49, 300.0, "lasted 49 hours"), (60 * 40, 600.0, "600 km long")],
)
def test_impossible_durations_and_distances_are_refused(minutes, km, words):
    with pytest.raises(RunFileError, match=words):
        read_runs("odd.fit", fit_bytes(START, minutes, km, every_s=600))


def test_read_run_file_lists_what_it_left_out():
    found = read_run_file("run.gpx", gpx_bytes(START, 30, 5.0))
    assert [run.total_min for run in found.runs] == [30.0]
    assert found.skipped == []


def test_a_single_file_reports_its_progress_once_done():
    seen: list[tuple[int, int]] = []
    read_runs("run.fit", fit_bytes(START, 30, 5.0), progress=lambda *p: seen.append(p))
    assert seen == [(1, 1)]


def test_a_draft_is_frozen():
    run = one_run("run.fit", fit_bytes(START, 30, 5.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        run.total_min = 10  # type: ignore[misc]


# --- dedupe --------------------------------------------------------------------------


def draft(start: dt.datetime) -> RunDraft:
    return RunDraft(start, start.date(), 30.0, 5.0, None, "gpx")


def test_dedupe_skips_a_run_whose_start_is_already_stored():
    stored, new = draft(START), draft(START + dt.timedelta(days=1))
    assert dedupe([stored, new], [START]) == [new]


def test_dedupe_matches_the_same_instant_in_another_zone_and_a_second_apart():
    paris = dt.timezone(dt.timedelta(hours=1))
    assert dedupe([draft(START.astimezone(paris) + dt.timedelta(seconds=1))], [START]) == []


def test_dedupe_keeps_two_runs_started_minutes_apart():
    later = draft(START + dt.timedelta(minutes=2))
    assert dedupe([later], [START]) == [later]


def test_dedupe_keeps_only_the_first_of_one_run_found_twice_in_an_import():
    first, again = draft(START), draft(START + dt.timedelta(seconds=30))
    assert dedupe([first, again], []) == [first]


def test_a_tcx_saved_as_latin_1_and_saying_so_is_read():
    text = tcx_bytes(START, 30, 5.0).decode().replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    text = text.replace("<Intensity>", "<Notes>Café</Notes><Intensity>", 1)
    assert one_run("run.tcx", text.encode("latin-1")).total_min == 30.0


def test_an_xml_file_not_in_utf_8_is_refused_in_plain_words():
    with pytest.raises(RunFileError, match="not saved as UTF-8 text"):
        read_runs("run.gpx", "<gpx>é</gpx>".encode("latin-1"))


def test_a_gzip_of_several_members_reads_as_their_joined_content():
    data = gpx_bytes(START, 30, 5.0)
    half = len(data) // 2
    joined = gzip.compress(data[:half]) + gzip.compress(data[half:])
    assert one_run("run.gpx.gz", joined).total_min == 30.0
