"""Strava bulk exports and other zips of run files: which activities become drafts."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile

import pytest

from kneecore.runfiles import RunFileError, read_run_file, read_runs
from tests.unit.runfile_fixtures import (
    STRAVA_COLUMNS,
    StravaActivity,
    fit_bytes,
    gpx_bytes,
    strava_zip,
    zip_of,
)

START = dt.datetime(2025, 3, 1, 17, 5, 9, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return START + dt.timedelta(days=n)


def test_a_strava_export_gives_its_runs_in_order_from_the_table():
    archive = strava_zip(
        [
            StravaActivity(day(2), 45, 8.0, fmt="fit", cadence_per_foot=86, name="Tempo"),
            StravaActivity(day(0), 30, 5.0, fmt="gpx", gz=False),
            StravaActivity(day(1), 35, 6.1, fmt="tcx", kind="Trail Run"),
        ]
    )
    runs = read_runs("export_123.zip", archive, zone=dt.UTC)
    assert [run.start for run in runs] == [day(0), day(1), day(2)]
    assert [run.source for run in runs] == ["gpx", "tcx", "fit"]
    assert [run.total_min for run in runs] == [30.0, 35.0, 45.0]
    assert [run.distance_km for run in runs] == [5.0, 6.1, 8.0]
    assert runs[2].cadence_spm == 172
    assert runs[2].name == "Tempo"
    assert runs[0].file == "activities/1002.gpx"


def test_the_strava_tables_date_is_utc_and_is_dated_in_the_runners_zone():
    archive = strava_zip([StravaActivity(dt.datetime(2025, 3, 2, 3, 0, tzinfo=dt.UTC), 30, 5)])
    pacific = dt.timezone(dt.timedelta(hours=-8))
    assert read_runs("export.zip", archive, zone=pacific)[0].date == dt.date(2025, 3, 1)


def test_rides_walks_and_swims_in_an_export_are_left_out_with_their_type():
    archive = strava_zip(
        [
            StravaActivity(day(0), 30, 5.0),
            StravaActivity(day(1), 90, 40.0, kind="Ride", fmt="fit"),
            StravaActivity(day(2), 50, 4.0, kind="Walk"),
            StravaActivity(day(3), 40, 2.0, kind="Swim", fmt=None),
        ]
    )
    found = read_run_file("export.zip", archive, zone=dt.UTC)
    assert len(found.runs) == 1
    assert [skip.reason for skip in found.skipped] == [
        "not a run (Ride)",
        "not a run (Walk)",
        "not a run (Swim)",
    ]


def test_a_run_entered_by_hand_on_strava_comes_from_the_table():
    archive = strava_zip([StravaActivity(day(0), 32, 5.5, fmt=None, name="Treadmill")])
    run = read_runs("export.zip", archive, zone=dt.UTC)[0]
    assert (run.source, run.start, run.total_min, run.distance_km) == ("manual", day(0), 32, 5.5)


def test_a_row_without_date_or_time_is_read_from_its_file():
    csv_text = (
        ",".join(f'"{c}"' for c in STRAVA_COLUMNS)
        + "\n1,,Morning,Run,,,,,,,,,activities/1.fit.gz"
        + ",,,,,,,,\n"
    )
    data = gzip.compress(fit_bytes(day(0), 28, 4.4, cadence_per_foot=84))
    archive = strava_zip([], csv_text=csv_text, extra={"activities/1.fit.gz": data})
    run = read_runs("export.zip", archive, zone=dt.UTC)[0]
    assert (run.source, run.start, run.total_min, run.cadence_spm) == ("fit", day(0), 28, 168)
    assert run.name == "Morning"


def test_a_damaged_file_the_import_must_read_is_refused_by_its_name():
    csv_text = ",".join(STRAVA_COLUMNS) + "\n1,,Morning,Run,,,,,,,,,activities/1.gpx\n"
    archive = strava_zip([], csv_text=csv_text, extra={"activities/1.gpx": b"<gpx><trk>"})
    with pytest.raises(RunFileError, match=r"activities/1\.gpx: .*Nothing was imported"):
        read_runs("export.zip", archive)


def test_an_export_re_zipped_inside_a_folder_is_read_the_same():
    inner = strava_zip([StravaActivity(day(0), 30, 5.0)])
    with zipfile.ZipFile(io.BytesIO(inner)) as source:
        entries = {f"export_99/{i.filename}": source.read(i) for i in source.infolist()}
    assert len(read_runs("export.zip", zip_of(entries))) == 1


def test_a_zip_of_run_files_without_a_table_reads_each_file():
    archive = zip_of(
        {
            "monday.gpx": gpx_bytes(day(0), 30, 5.0),
            "runs/wednesday.fit.gz": gzip.compress(fit_bytes(day(2), 35, 6.0)),
            "ride.fit": fit_bytes(day(3), 60, 25.0, sport=2),
            "notes.txt": b"not an activity",
        }
    )
    found = read_run_file("runs.zip", archive, zone=dt.UTC)
    assert [run.source for run in found.runs] == ["gpx", "fit"]
    assert [skip.file for skip in found.skipped] == ["ride.fit"]


def test_the_finder_data_a_mac_adds_to_a_zip_is_not_taken_for_run_files():
    archive = zip_of(
        {
            "runs/monday.gpx": gpx_bytes(day(0), 30, 5.0),
            "__MACOSX/runs/._monday.gpx": b"\x00\x05\x16\x07 Mac OS X",
        }
    )
    assert len(read_runs("runs.zip", archive)) == 1


def test_one_unreadable_file_in_a_zip_refuses_the_whole_zip_naming_it():
    archive = zip_of(
        {"good.gpx": gpx_bytes(day(0), 30, 5.0), "bad.fit": fit_bytes(day(1), 30, 5.0)[:-40]}
    )
    with pytest.raises(RunFileError, match=r"^bad\.fit: the FIT file is (cut short|damaged)"):
        read_runs("runs.zip", archive)


def test_an_export_with_no_runs_is_refused_saying_so():
    archive = strava_zip([StravaActivity(day(0), 60, 25.0, kind="Ride")])
    with pytest.raises(
        RunFileError,
        match=r"no runs \(1 other activities; activities/1001\.gpx\.gz: not a run \(Ride\)\)",
    ):
        read_runs("export.zip", archive)


def test_a_zip_with_no_table_and_no_run_files_is_refused():
    with pytest.raises(RunFileError, match=r"no activities\.csv and no GPX, TCX or FIT"):
        read_runs("photos.zip", zip_of({"a.jpg": b"\xff\xd8\xff"}))


def test_a_table_without_stravas_columns_is_refused_naming_the_missing_one():
    archive = zip_of({"activities.csv": b"Name,When\nrun,today\n"})
    with pytest.raises(RunFileError, match="no 'Activity Type' column"):
        read_runs("export.zip", archive)


def test_an_unreadable_date_in_the_table_is_refused_naming_the_row():
    csv_text = ",".join(STRAVA_COLUMNS) + "\n1,31/02/2025 noon,X,Run,,1800,5,,,,,,\n"
    with pytest.raises(RunFileError, match="line 2: its date '31/02/2025 noon' cannot be read"):
        read_runs("export.zip", strava_zip([], csv_text=csv_text))


def test_progress_counts_every_run_of_an_archive_up_to_all():
    archive = strava_zip([StravaActivity(day(n), 30, 5.0, fmt=None) for n in range(4)])
    seen: list[tuple[int, int]] = []
    read_runs("export.zip", archive, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_table_numbers_with_a_decimal_comma_or_thousands_separators_are_read():
    header = ",".join(f'"{c}"' for c in STRAVA_COLUMNS)
    row = '1,"Mar 1, 2025, 5:05:09 PM",X,Run,,"1,800",,,,,,,,,,,,"5012,5"'
    run = read_runs("export.zip", strava_zip([], csv_text=f"{header}\n{row}\n"), zone=dt.UTC)[0]
    assert (run.start, run.total_min, run.distance_km) == (START, 30.0, 5.01)


def test_an_iso_date_in_the_table_is_read_as_utc():
    header = ",".join(f'"{c}"' for c in STRAVA_COLUMNS)
    row = "1,2025-03-01 17:05:09,X,Run,,1800"
    assert read_runs("e.zip", strava_zip([], csv_text=f"{header}\n{row}\n"))[0].start == START


def test_a_table_line_with_no_number_where_one_belongs_is_refused_naming_it():
    header = ",".join(f'"{c}"' for c in STRAVA_COLUMNS)
    row = '1,"Mar 1, 2025, 5:05:09 PM",X,Run,,half an hour'
    with pytest.raises(RunFileError, match="line 2: 'half an hour' is not a number"):
        read_runs("export.zip", strava_zip([], csv_text=f"{header}\n{row}\n"))
