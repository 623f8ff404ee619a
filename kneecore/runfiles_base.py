"""What every run-file reader shares: the run draft, the limits, and the checks of a run.

Each reader (GPX, TCX, FIT, the Strava archive's table) turns its format into
:class:`Activity` facts; :func:`to_draft` checks them once, for every format alike, and
makes the :class:`RunDraft` the import page previews. A value no run can have (a date in
the future, a run of three days) means the file is damaged or not what it says, and is
refused with :class:`RunFileError`; an activity that is readable but not a run we can
use (a ride, ten seconds long) is skipped with a reason instead.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from kneecore.words import clip, format_date

__all__ = [
    "FORMATS",
    "MAX_ACTIVITIES",
    "MAX_ARCHIVE_BYTES",
    "MAX_FILE_BYTES",
    "MAX_FIT_BYTES",
    "MAX_TOTAL_BYTES",
    "Activity",
    "RunDraft",
    "RunFileError",
    "Skip",
    "Source",
    "is_running",
    "steps_a_minute",
    "to_draft",
]

Source = Literal["gpx", "tcx", "fit", "manual"]
FORMATS = ("gpx", "tcx", "fit")

_MB = 1024 * 1024
#: One GPX or TCX file, once unpacked: a 30-hour ultra recorded every second is ~27 MB.
MAX_FILE_BYTES = 32 * _MB
#: A FIT file packs a second of recording in ~40 bytes: 8 MB is over two days of it, and
#: decoding it (pure Python) stays in seconds.
MAX_FIT_BYTES = 8 * _MB
#: An uploaded archive, and what we may unpack from it in all (photos are never read).
MAX_ARCHIVE_BYTES = 1024 * _MB
MAX_TOTAL_BYTES = 2048 * _MB
#: Activities in one archive: ten years of two a day.
MAX_ACTIVITIES = 20_000

#: The checks of a run: outside these a file is damaged (refused) ...
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
MAX_SECONDS = 48 * 3600
MAX_METRES = 500_000.0
#: ... and outside these an activity is not a run on foot we can use (skipped).
MIN_SECONDS = 60
MAX_KMH = 30.0
#: Steps a minute a runner or walker can have; outside, the file's cadence is ignored.
CADENCE_SPM = (60, 260)
#: A watch's clock may run a little ahead of the computer's.
CLOCK_SLACK = dt.timedelta(hours=1)

#: Words in a sport's name that say it is not a run.
_NOT_RUNNING = (
    "ride", "cycl", "bik", "swim", "walk", "hik", "ski", "row", "paddl", "kayak",
    "canoe", "skat", "golf", "yoga", "weight", "strength", "elliptical", "stair",
)  # fmt: skip


class RunFileError(ValueError):
    """A run file or archive that cannot be read, in words a runner can act on."""


@dataclass(frozen=True)
class RunDraft:
    """One run read from a file, before the runner adds pain and saves it.

    ``start`` is timezone-aware in the zone the file gives (a FIT watch's local time),
    else in the computer's zone (the file gives UTC), and naive only when the file's
    times carry no zone at all; ``date`` is the start's day there. ``total_min`` counts
    the recorded time (a watch's timer: pauses left out). ``cadence_spm`` is in steps a
    minute (both feet), None when the file has none, like ``distance_km``. ``source`` is
    the file's format, or ``"manual"`` for a run typed in on Strava (only its table row).
    ``file`` names where it came from (an archive's entry), for the preview.
    """

    start: dt.datetime
    date: dt.date
    total_min: float
    distance_km: float | None
    cadence_spm: int | None
    source: Source
    name: str | None = None
    file: str = ""


@dataclass(frozen=True)
class Skip:
    """An activity left out of an import, and why (plain words)."""

    file: str
    reason: str


@dataclass(frozen=True)
class Activity:
    """The facts one reader found, before the checks: times and distances as recorded."""

    start: dt.datetime
    seconds: float
    metres: float | None
    cadence_spm: float | None
    sport: str | None = None
    name: str | None = None


def is_running(sport: str | None) -> bool:
    """Whether a file's own sport names a run; unknown or generic counts as one."""
    word = (sport or "").strip().lower()
    return "run" in word or not any(w in word for w in _NOT_RUNNING)


def steps_a_minute(per_foot: float | None) -> float | None:
    """Steps a minute from a cadence that counts one foot (FIT, TCX, Garmin's GPX).

    Above 130 it cannot be one foot (that would be 260 steps a minute), so the app that
    wrote it already counted both: kept as it is.
    """
    if not per_foot or per_foot <= 0:
        return None
    return per_foot if per_foot > 130 else per_foot * 2


def _local(start: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """A UTC start in the runner's zone, so its date is the day they ran; a start with
    its own offset (the file said where) and a naive one (it said nothing) stay."""
    offset = start.utcoffset()
    if offset is None or offset:
        return start.replace(tzinfo=dt.timezone(offset)) if offset else start
    return start.astimezone(zone) if zone else start.astimezone()


def _now_for(start: dt.datetime) -> dt.datetime:
    return dt.datetime.now(dt.UTC) if start.tzinfo else dt.datetime.now()


def to_draft(act: Activity, source: Source, file: str, zone: dt.tzinfo | None) -> RunDraft | Skip:
    """Check ``act`` and make its draft; a skip when it is not a run we can use.

    Raises :class:`RunFileError` naming ``file`` when a value is impossible.
    """
    where = clip(file)
    numbers = [act.seconds, act.metres or 0.0, act.cadence_spm or 0.0]
    if not all(math.isfinite(n) for n in numbers):
        raise RunFileError(f"{where}: a time or distance in it is not a number.")
    start = _local(act.start, zone)
    earliest = EARLIEST if start.tzinfo else EARLIEST.replace(tzinfo=None)
    if start < earliest:
        raise RunFileError(f"{where}: its date, {format_date(start.date())}, is impossible.")
    if start > _now_for(start) + CLOCK_SLACK:
        raise RunFileError(f"{where}: its date, {format_date(start.date())}, is in the future.")
    if act.seconds < 0 or act.seconds > MAX_SECONDS:
        raise RunFileError(f"{where}: it says the run lasted {act.seconds / 3600:.0f} hours.")
    if act.metres is not None and not 0 <= act.metres <= MAX_METRES:
        raise RunFileError(f"{where}: it says the run was {act.metres / 1000:.0f} km long.")
    if not is_running(act.sport):
        return Skip(file, f"not a run (the file says {clip(act.sport, 30)})")
    if act.seconds < MIN_SECONDS:
        return Skip(file, "shorter than a minute")
    km = round(act.metres / 1000, 2) if act.metres else None
    if km and km / (act.seconds / 3600) > MAX_KMH:
        return Skip(file, f"faster than a run ({km / (act.seconds / 3600):.0f} km/h)")
    cadence = act.cadence_spm
    low, high = CADENCE_SPM
    return RunDraft(
        start=start,
        date=start.date(),
        total_min=round(act.seconds / 60, 1),
        distance_km=km or None,
        cadence_spm=round(cadence) if cadence and low <= cadence <= high else None,
        source=source,
        name=clip(act.name, 80) if act.name and act.name.strip() else None,
        file=file,
    )
