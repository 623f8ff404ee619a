"""Hostile and broken run files: refused in plain words, with bounded work.

XML entity bombs, zip and gzip bombs, archives inside archives, too many entries, files
cut short, the wrong type of data, random bytes and damaged copies of real files: every
one ends in a list of drafts or a ``ValueError``, never another exception, and no
message repeats more than 60 characters of what the file supplied.
"""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecore import runfiles, runfiles_archive
from kneecore.runfiles import RunFileError, read_runs
from kneecore.runfiles_archive import Budget
from tests.unit.runfile_fixtures import (
    StravaActivity,
    fit_bytes,
    gpx_bytes,
    strava_zip,
    tcx_bytes,
    zip_of,
)

START = dt.datetime(2025, 3, 1, 7, 0, tzinfo=dt.UTC)
ECHO_MAX = 60
MB = 1024 * 1024

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<{root}><name>&lol9;</name></{root}>
"""


def refused(name: str, data: object, words: str) -> str:
    with pytest.raises(RunFileError, match=words) as caught:
        read_runs(name, data)  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.endswith("Nothing was imported.")
    return message


@pytest.mark.parametrize("root", ["gpx", "TrainingCenterDatabase"])
def test_an_xml_entity_bomb_is_refused_before_it_expands(root):
    refused("lol.gpx", BILLION_LAUGHS.format(root=root).encode(), "document type or entities")


def test_an_xml_file_pointing_at_an_outside_entity_is_refused():
    text = '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    refused(
        "xxe.tcx",
        (text + "<TrainingCenterDatabase>&x;</TrainingCenterDatabase>").encode(),
        "entities",
    )


def test_a_gpx_with_an_unfinished_namespace_cannot_make_the_reader_crawl():
    text = "<gpx " + " xmlns:a" * 50_000 + ">"
    refused("slow.gpx", text.encode(), "namespace in it is not complete")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("run.gpx", gpx_bytes(START, 30, 5.0)),
        ("run.tcx", tcx_bytes(START, 30, 5.0)),
        ("run.fit", fit_bytes(START, 30, 5.0)),
        ("run.fit.gz", gzip.compress(fit_bytes(START, 30, 5.0))),
        ("export.zip", strava_zip([StravaActivity(START, 30, 5.0)])),
    ],
)
@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_file_cut_short_is_refused(name, data, keep):
    with pytest.raises(ValueError, match="Nothing was imported"):
        read_runs(name, data[: int(len(data) * keep)])


def test_a_fit_file_with_a_wrong_checksum_is_refused_as_damaged():
    data = bytearray(fit_bytes(START, 30, 5.0))
    data[-1] ^= 0xFF
    refused("run.fit", bytes(data), r"damaged \(its checksum fails\)")


def test_a_zip_bomb_entry_is_refused_by_its_ratio():
    bomb = zip_of({"activities/1.gpx": b"\0" * (4 * MB)})
    refused("bomb.zip", bomb, r"1\.gpx: it unpacks to far more than it holds")


def test_a_gzip_bomb_is_refused_by_its_ratio():
    refused("bomb.gpx.gz", gzip.compress(b" " * (4 * MB)), "unpacks to far more than it holds")


def test_a_gzip_bigger_than_a_run_file_is_refused_without_unpacking_it_all(monkeypatch):
    monkeypatch.setattr(runfiles, "MAX_FILE_BYTES", 1000)
    refused("big.gpx.gz", gzip.compress(gpx_bytes(START, 30, 5.0)), "over 0 MB")


def test_an_entry_bigger_than_a_run_file_is_refused_whatever_its_header_says(monkeypatch):
    monkeypatch.setattr(runfiles, "MAX_FILE_BYTES", 1000)
    refused(
        "big.zip", zip_of({"a.gpx": gpx_bytes(START, 30, 5.0)}), r"a\.gpx: unpacked, it is over"
    )


def test_an_archive_that_unpacks_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(runfiles, "Budget", lambda: Budget(total=50_000))
    files = {f"{n}.gpx": gpx_bytes(START + dt.timedelta(days=n), 30, 5.0) for n in range(5)}
    refused("many.zip", zip_of(files), "unpacks to more than")


def test_a_file_with_more_tracks_than_an_archive_has_activities_is_refused(monkeypatch):
    monkeypatch.setattr(runfiles, "MAX_ACTIVITIES", 2)
    one = gpx_bytes(START, 30, 5.0).decode()
    track = one[one.index("<trk>") : one.index("</trk>") + len("</trk>")]
    three = one.replace(track, track * 3)
    refused("merged.gpx", three.encode(), "over 2 activities")


def test_an_archive_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(runfiles_archive, "MAX_ENTRIES", 3)
    refused("many.zip", zip_of({f"{n}.gpx": b"" for n in range(4)}), "over 3 files")


@pytest.mark.parametrize(
    "inner",
    [zip_of({"run.gpx": gpx_bytes(START, 30, 5.0)}), gzip.compress(gpx_bytes(START, 30, 5.0))],
)
def test_an_archive_inside_an_archive_is_refused(inner):
    refused("nested.zip", zip_of({"activities/1.fit.gz": gzip.compress(inner)}), "archive inside")
    refused("nested.gz", gzip.compress(inner), "archive inside an archive")


def test_a_password_protected_entry_is_refused():
    # zipfile cannot write encrypted entries: set the "encrypted" flag by hand, in the
    # entry's local header (byte 6) and in the central directory (byte 8 of its record).
    data = bytearray(zip_of({"activities.csv": b"Activity Type\n"}, compression=zipfile.ZIP_STORED))
    data[6] |= 0x1
    data[data.index(b"PK\x01\x02") + 8] |= 0x1
    refused("locked.zip", bytes(data), r"activities\.csv: it is encrypted")


def test_a_file_over_the_upload_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(runfiles, "MAX_ARCHIVE_BYTES", 100)
    refused("huge.fit", fit_bytes(START, 30, 5.0), "over 0 MB")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7 report", "not a GPX, TCX or FIT file. It looks like a PDF document"),
        (b"\x89PNG\r\n", "looks like a PNG picture"),
        (b'{"schema_version": 2}', "Kneecare export goes in My data"),
        (b"hello", r"not a GPX, TCX or FIT file\. Nothing"),
        (b"", "the file is empty"),
    ],
)
def test_a_file_of_another_kind_is_refused_saying_what_it_seems_to_be(data, words):
    refused("upload.gpx", data, words)


@pytest.mark.parametrize("data", ["<gpx/>", None, 42, ["a"]])
def test_data_that_is_not_bytes_is_refused(data):
    refused("run.gpx", data, "not a file's content")


def test_a_long_hostile_name_is_cut_in_every_message():
    message = refused("x" * 500 + ".gpx", b"junk", "not a GPX")
    assert "x" * ECHO_MAX not in message


def test_a_long_activity_type_in_the_table_is_cut_in_the_skip_reason():
    archive = strava_zip(
        [StravaActivity(START, 30, 5.0), StravaActivity(START, 30, 5.0, kind="Z" * 300)]
    )
    skipped = runfiles.read_run_file("export.zip", archive).skipped
    assert len(skipped) == 1
    assert len(skipped[0].reason) < 50


MAGIC = [b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"\x0e\x10\x54\x08\x00\x00\x00\x00.FIT", b"<gpx ", b""]
MAGIC.append(b"<TrainingCenterDatabase>")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def list_or_value_error(data: bytes) -> None:
    try:
        result = read_runs("fuzz", data)
    except ValueError:
        return
    assert isinstance(result, list)


@FUZZ
@given(prefix=st.sampled_from(MAGIC), body=st.binary(max_size=2000))
def test_random_bytes_give_a_list_or_a_value_error(prefix, body):
    list_or_value_error(prefix + body)


SAMPLES = [
    fit_bytes(START, 10, 2.0, cadence_per_foot=85, every_s=30),
    gpx_bytes(START, 10, 2.0, cadence_per_foot=85, every_s=60),
    tcx_bytes(START, 10, 2.0, cadence_per_foot=85, every_s=60),
    strava_zip([StravaActivity(START, 10, 2.0, every_s=60, gz=False)]),
]


@FUZZ
@given(
    sample=st.sampled_from(SAMPLES),
    changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=4),
    keep=st.floats(0.0, 1.0),
)
def test_damaged_copies_of_real_files_give_a_list_or_a_value_error(sample, changes, keep):
    data = bytearray(sample)
    for where, value in changes:
        data[int(where * len(data))] = value
    list_or_value_error(bytes(data[: max(1, int(len(data) * keep))]))
