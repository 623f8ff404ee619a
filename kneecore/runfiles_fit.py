"""FIT: the binary files of Garmin, Coros, Suunto and Wahoo watches, read with fitdecode.

FIT is a binary protocol with its own definitions, scales, sub-fields and chained files;
fitdecode implements the SDK's profile and checks every CRC, so a damaged file is
refused instead of read as nonsense. A run comes from each ``session`` message (start,
timer time, distance, average cadence); a file without one (a watch that stopped before
writing it) falls back on its ``record`` messages. FIT counts running cadence in strides
a minute (one foot), with a fractional part in a separate field: we add it and double.
The ``activity`` message's local time, when present, says the watch's time zone.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from typing import Any

import fitdecode

from kneecore.runfiles_base import Activity, RunFileError, steps_a_minute
from kneecore.words import clip

__all__ = ["is_fit", "read_fit"]


def is_fit(data: bytes) -> bool:
    """A FIT file's header says ``.FIT`` at byte 8."""
    return len(data) >= 12 and data[8:12] == b".FIT"


class _Records:
    """What the ``record`` messages add up to, for a file without a session."""

    def __init__(self) -> None:
        self.first: dt.datetime | None = None
        self.last: dt.datetime | None = None
        self.metres: float | None = None
        self.cadence_sum = 0.0
        self.cadence_n = 0

    def add(self, frame: Any) -> None:
        when = _value(frame, "timestamp")
        if isinstance(when, dt.datetime):
            self.first = self.first or when
            self.last = when
        metres = _value(frame, "distance")
        if isinstance(metres, int | float):
            self.metres = max(self.metres or 0.0, float(metres))
        cadence = _cadence(frame, "cadence", "fractional_cadence")
        if cadence:
            self.cadence_sum += cadence
            self.cadence_n += 1

    def activity(self) -> Activity | None:
        if self.first is None or self.last is None:
            return None
        per_foot = self.cadence_sum / self.cadence_n if self.cadence_n else None
        return Activity(
            start=self.first,
            seconds=(self.last - self.first).total_seconds(),
            metres=self.metres,
            cadence_spm=steps_a_minute(per_foot),
        )


def _value(frame: Any, name: str) -> Any:
    """A field's value, or None when the message lacks it."""
    return frame.get_value(name, fallback=None)


def _cadence(frame: Any, *names: str) -> float | None:
    """Per-foot cadence: the first of ``names`` that is set, plus the last (fraction)."""
    *whole, fraction = names
    for name in whole:
        value = _value(frame, name)
        if isinstance(value, int | float) and value > 0:
            extra = _value(frame, fraction)
            return float(value) + (float(extra) if isinstance(extra, int | float) else 0.0)
    return None


def _session(frame: Any) -> Activity | None:
    start = _value(frame, "start_time")
    if not isinstance(start, dt.datetime):
        return None
    seconds = _value(frame, "total_timer_time")
    if not isinstance(seconds, int | float) or seconds <= 0:
        seconds = _value(frame, "total_elapsed_time")
    metres = _value(frame, "total_distance")
    sport = _value(frame, "sport")
    per_foot = _cadence(frame, "avg_running_cadence", "avg_cadence", "avg_fractional_cadence")
    return Activity(
        start=start,
        seconds=float(seconds) if isinstance(seconds, int | float) else 0.0,
        metres=float(metres) if isinstance(metres, int | float) else None,
        cadence_spm=steps_a_minute(per_foot),
        sport=str(sport) if sport is not None else None,
    )


def read_fit(data: bytes, file: str) -> list[Activity]:
    """One activity for each session of a FIT file (or one from its records)."""
    sessions: list[Activity] = []
    records = _Records()
    offset: dt.timedelta | None = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "record":
                    records.add(frame)
                elif frame.name == "session" and (found := _session(frame)):
                    sessions.append(found)
                elif frame.name == "activity":
                    offset = _offset(frame)
    except fitdecode.FitEOFError as exc:
        raise RunFileError(f"{clip(file)}: the FIT file is cut short.") from exc
    except fitdecode.FitCRCError as exc:
        raise RunFileError(f"{clip(file)}: the FIT file is damaged (its checksum fails).") from exc
    except Exception as exc:
        # fitdecode raises FitError on a bad header or message, and a hostile file can
        # make it raise others (KeyError, struct.error, ValueError); all mean the same.
        raise RunFileError(f"{clip(file)}: it could not be read as a FIT file.") from exc
    from_records = records.activity()
    runs = sessions or ([from_records] if from_records else [])
    if offset is not None:
        zone = dt.timezone(offset)
        runs = [replace(act, start=act.start.astimezone(zone)) for act in runs]
    return runs


def _offset(frame: Any) -> dt.timedelta | None:
    """The watch's offset from UTC: its local time minus UTC, in whole quarter hours."""
    local, utc = _value(frame, "local_timestamp"), _value(frame, "timestamp")
    if not isinstance(local, dt.datetime) or not isinstance(utc, dt.datetime):
        return None
    quarters = round((local - utc).total_seconds() / 900)
    return dt.timedelta(minutes=15 * quarters) if abs(quarters) <= 14 * 4 else None
