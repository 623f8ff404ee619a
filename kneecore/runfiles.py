"""Runs from watch and app files: GPX, TCX, FIT, and Strava's bulk-export archive.

:func:`read_runs` takes a file as uploaded (its name and bytes) and returns one
:class:`RunDraft` per run in it, for the import page to preview; the runner adds pain
before saving. What a file is comes from its content (zip, gzip and FIT headers, the XML
root element), never from its name alone, which a renamed or re-saved file gets wrong.

A file is read whole or not at all: anything unreadable, damaged or impossible raises
:class:`RunFileError` (a ``ValueError``) saying which file and why, in plain words.
Activities that are readable but not runs (rides, walks, a ten-second recording) are
left out and listed by :func:`read_run_file`. Every step is bounded (file sizes,
unpacked bytes, compression ratio, entries, no archive inside an archive, no XML
entities), so a hostile file costs a refusal, not the computer's memory.
"""

from __future__ import annotations

import bisect
import datetime as dt
import posixpath
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from kneecore.runfiles_archive import (
    MAX_CSV_BYTES,
    Budget,
    StravaRow,
    gunzip,
    is_archive,
    open_zip,
    read_entry,
    strava_rows,
)
from kneecore.runfiles_base import (
    FORMATS,
    MAX_ACTIVITIES,
    MAX_ARCHIVE_BYTES,
    MAX_FILE_BYTES,
    MAX_FIT_BYTES,
    Activity,
    RunDraft,
    RunFileError,
    Skip,
    Source,
    to_draft,
)
from kneecore.runfiles_fit import is_fit, read_fit
from kneecore.runfiles_xml import read_gpx, read_tcx, xml_format
from kneecore.words import clip

__all__ = [
    "FORMATS",
    "MAX_ARCHIVE_BYTES",
    "MAX_FILE_BYTES",
    "MAX_FIT_BYTES",
    "Progress",
    "RunDraft",
    "RunFile",
    "RunFileError",
    "Skip",
    "dedupe",
    "read_run_file",
    "read_runs",
]

#: Called with (activities done, activities in all) as an archive is read.
Progress = Callable[[int, int], None]

_READERS: dict[str, Callable[[bytes, str], list[Activity]]] = {
    "gpx": read_gpx,
    "tcx": read_tcx,
    "fit": read_fit,
}
#: Names of the files a zip without Strava's table may hold runs in.
_ACTIVITY_NAMES = (".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz", ".xml")
#: What other files people pick by mistake start with, to say what was picked.
_LOOKS_LIKE = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG picture",
    b"\xff\xd8\xff": "a JPEG photo",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"{": "JSON text (a Kneecare export goes in My data's import)",
}


@dataclass(frozen=True)
class RunFile:
    """What a file holds: its runs (by start time) and the activities left out."""

    runs: list[RunDraft]
    skipped: list[Skip]


def read_runs(
    filename: str,
    data: bytes,
    *,
    progress: Progress | None = None,
    zone: dt.tzinfo | None = None,
) -> list[RunDraft]:
    """The runs in a GPX, TCX or FIT file (maybe gzipped) or a Strava export zip.

    ``zone`` is the runner's time zone for files that give times in UTC (default: the
    computer's). Raises :class:`RunFileError` (a ``ValueError``) when the file cannot be
    read or holds no run.
    """
    return read_run_file(filename, data, progress=progress, zone=zone).runs


def read_run_file(
    filename: str,
    data: bytes,
    *,
    progress: Progress | None = None,
    zone: dt.tzinfo | None = None,
) -> RunFile:
    """:func:`read_runs`, with the activities left out and why."""
    name = clip(filename) if filename else "The file"
    try:
        if not isinstance(data, bytes | bytearray):
            raise RunFileError(f"{name}: this is not a file's content.")
        data = bytes(data)
        if not data:
            raise RunFileError(f"{name}: the file is empty.")
        if len(data) > MAX_ARCHIVE_BYTES:
            raise RunFileError(f"{name}: it is over {MAX_ARCHIVE_BYTES // 1024**2} MB.")
        if data[:2] == b"PK":
            found = _read_archive(name, data, zone, progress or _no_progress)
        else:
            found = _read_single(name, data, zone)
            if progress:
                progress(1, 1)
    except RunFileError as exc:
        raise RunFileError(f"{exc} Nothing was imported.") from exc
    return RunFile(sorted(found.runs, key=lambda run: run.start.timestamp()), found.skipped)


def _no_progress(done: int, total: int) -> None:
    """Progress nobody asked for."""


def _read_single(name: str, data: bytes, zone: dt.tzinfo | None) -> RunFile:
    runs, skipped = _split(_file_results(name, data, zone))
    if not runs:
        if skipped:
            raise RunFileError(f"{name}: {skipped[0].reason}; only runs are imported.")
        raise RunFileError(f"{name}: it holds no recorded run (a planned route, without times?).")
    return RunFile(runs, skipped)


def _split(results: Iterable[RunDraft | Skip]) -> tuple[list[RunDraft], list[Skip]]:
    runs: list[RunDraft] = []
    skipped: list[Skip] = []
    for result in results:
        if isinstance(result, RunDraft):
            runs.append(result)
        else:
            skipped.append(result)
    return runs, skipped


def _activities(name: str, data: bytes) -> tuple[Source, list[Activity]]:
    """The format of one file (after unpacking a gzip) and its activities."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, name, MAX_FILE_BYTES)
        if is_archive(data):
            raise RunFileError(f"{clip(name)}: it is an archive inside an archive.")
    elif is_archive(data):
        raise RunFileError(f"{clip(name)}: it is an archive inside an archive.")
    fmt: Source | None = "fit" if is_fit(data) else xml_format(data)
    if fmt is None:
        looks = next((what for magic, what in _LOOKS_LIKE.items() if data.startswith(magic)), None)
        seems = f" It looks like {looks}." if looks else ""
        raise RunFileError(f"{clip(name)}: this is not a GPX, TCX or FIT file.{seems}")
    cap = MAX_FIT_BYTES if fmt == "fit" else MAX_FILE_BYTES
    if len(data) > cap:
        raise RunFileError(f"{clip(name)}: it is over {cap // 1024**2} MB, more than a run needs.")
    found = _READERS[fmt](data, name)
    if len(found) > MAX_ACTIVITIES:
        raise RunFileError(f"{clip(name)}: it holds over {MAX_ACTIVITIES:,} activities.")
    return fmt, found


def _file_results(
    name: str, data: bytes, zone: dt.tzinfo | None, row: StravaRow | None = None
) -> list[RunDraft | Skip]:
    """Drafts and skips for one file; with Strava's ``row``, its type and name rule."""
    fmt, found = _activities(name, data)
    if row is not None:
        found = [replace(act, sport=None, name=row.name or act.name) for act in found]
    return [to_draft(act, fmt, name, zone) for act in found]


def _mac_extra(info: zipfile.ZipInfo) -> bool:
    """A zip made on a Mac carries each file's Finder data as ``__MACOSX/._name``:
    not a run file, though it is named like one."""
    name = info.filename
    return name.startswith("__MACOSX/") or posixpath.basename(name).startswith("._")


def _row_source(filename: str) -> Source:
    """An activity the table gives without its file: the file's format, or by hand."""
    stem = filename.lower().removesuffix(".gz")
    for fmt in ("gpx", "tcx", "fit"):
        if stem.endswith("." + fmt):
            return fmt
    return "manual"


def _read_archive(name: str, data: bytes, zone: dt.tzinfo | None, progress: Progress) -> RunFile:
    """A Strava export by its table, or any zip by its activity files.

    Strava's ``activities.csv`` already sums up each activity from its file (start,
    elapsed time, distance, cadence), so a run the table describes whole is taken from
    it and its file is not read again: the file readers are pure Python and take about
    0.3 s for an hour recorded every second, minutes for a few hundred files. A file is
    read when the table leaves its run's date or time out, or when there is no table.
    """
    archive = open_zip(data, name)
    budget = Budget()
    infos = [info for info in archive.infolist() if not info.is_dir() and not _mac_extra(info)]
    skipped: list[Skip] = []
    jobs: list[tuple[zipfile.ZipInfo | None, StravaRow | None]] = []
    tables = [i for i in infos if posixpath.basename(i.filename).lower() == "activities.csv"]
    if tables:
        table = min(tables, key=lambda info: len(info.filename))
        folder = posixpath.dirname(table.filename)
        by_name = {info.filename: info for info in infos}
        for row in strava_rows(read_entry(archive, table, MAX_CSV_BYTES, budget), table.filename):
            if not row.is_run:
                skipped.append(Skip(row.label, f"not a run ({clip(row.kind or 'no type', 30)})"))
                continue
            entry = posixpath.join(folder, row.filename) if row.filename else ""
            jobs.append((by_name.get(entry), row))
    else:
        jobs = [(i, None) for i in infos if i.filename.lower().endswith(_ACTIVITY_NAMES)]
        if not jobs:
            raise RunFileError(f"{name}: it holds no activities.csv and no GPX, TCX or FIT file.")
    if len(jobs) > MAX_ACTIVITIES:
        raise RunFileError(f"{name}: it holds over {MAX_ACTIVITIES:,} activities.")
    runs: list[RunDraft] = []
    progress(0, len(jobs))
    for done, (info, listed) in enumerate(jobs, start=1):
        if listed is not None and listed.complete:
            results: list[RunDraft | Skip] = [
                to_draft(listed.activity(), _row_source(listed.filename), listed.label, zone)
            ]
        elif info is not None:
            entry_data = read_entry(archive, info, MAX_FILE_BYTES, budget)
            results = _file_results(info.filename, entry_data, zone, listed)
        else:  # a row of the table without its date or time, nor a file to read them in
            label = listed.label if listed else "?"
            results = [Skip(label, "the table gives no date or time, and no file")]
        new_runs, new_skips = _split(results)
        runs += new_runs
        skipped += new_skips
        progress(done, len(jobs))
    if not runs:
        first = f"{clip(skipped[0].file)}: {skipped[0].reason}" if skipped else "none"
        raise RunFileError(f"{name}: it holds no runs ({len(skipped)} other activities; {first}).")
    return RunFile(runs, skipped)


def dedupe(
    drafts: Iterable[RunDraft],
    existing_starts: Iterable[dt.datetime],
    *,
    within: dt.timedelta = dt.timedelta(seconds=60),
) -> list[RunDraft]:
    """The drafts whose run is not already present: no start (stored, or earlier in
    ``drafts``) within ``within`` of theirs. Files and Strava's table round a start
    differently (to the second or not), and nobody starts two runs in one minute.

    A naive start is read as the computer's local time, so it matches the same instant
    stored with its zone.
    """
    seen = sorted(start.timestamp() for start in existing_starts)
    gap = within.total_seconds()
    kept: list[RunDraft] = []
    for draft in drafts:
        instant = draft.start.timestamp()
        i = bisect.bisect_left(seen, instant - gap)
        if i < len(seen) and seen[i] <= instant + gap:
            continue
        kept.append(draft)
        bisect.insort(seen, instant)
    return kept
