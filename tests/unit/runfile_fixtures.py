"""Run files made inside the tests: GPX, TCX, FIT and Strava bulk-export archives.

GPX is written with gpxpy (what a phone app or Strava exports), TCX from a template
string (what Garmin Connect exports), and FIT by a small encoder below: the 14-byte
header, definition and data messages, and the CRC, so that fitdecode reads the bytes
as it reads a watch's file. Every builder takes the facts a test checks (start, minutes,
kilometres, cadence per foot) and returns the file's bytes; the benchmark uses them too.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import struct
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import gpxpy
import gpxpy.gpx

__all__ = [
    "FIT_EPOCH",
    "STRAVA_COLUMNS",
    "FitField",
    "StravaActivity",
    "fit_bytes",
    "fit_crc",
    "fit_file",
    "gpx_bytes",
    "strava_zip",
    "tcx_bytes",
    "zip_of",
]

#: Metres per degree of latitude on gpxpy's sphere, so a track's length is what we asked.
METRES_PER_DEGREE = 6378137.0 * 3.141592653589793 / 180
TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def _track_points(
    start: dt.datetime, minutes: float, km: float, every_s: int
) -> list[tuple[dt.datetime, float, float]]:
    """(time, seconds from start, metres from start) for a steady run due north."""
    seconds = round(minutes * 60)
    steps = [*range(0, seconds, every_s), seconds]
    return [(start + dt.timedelta(seconds=s), s, km * 1000 * s / seconds) for s in steps]


def gpx_bytes(
    start: dt.datetime,
    minutes: float,
    km: float,
    *,
    cadence_per_foot: int | None = None,
    every_s: int = 5,
    name: str | None = "Morning Run",
    kind: str | None = "running",
    with_times: bool = True,
    watch_fields: bool = False,
) -> bytes:
    """A GPX track (one segment) as gpxpy writes it, cadence in Garmin's extension;
    ``watch_fields`` adds elevation and heart rate, as a watch's export has."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Kneecare tests"
    gpx.nsmap["gpxtpx"] = TPX_NS
    track = gpxpy.gpx.GPXTrack(name=name)
    track.type = kind
    segment = gpxpy.gpx.GPXTrackSegment()
    for when, _, metres in _track_points(start, minutes, km, every_s):
        point = gpxpy.gpx.GPXTrackPoint(
            51.5 + metres / METRES_PER_DEGREE, -0.12, time=when if with_times else None
        )
        if watch_fields:
            point.elevation = 20.0
        if cadence_per_foot is not None or watch_fields:
            ext = ET.Element(f"{{{TPX_NS}}}TrackPointExtension")
            if watch_fields:
                ET.SubElement(ext, f"{{{TPX_NS}}}hr").text = "150"
            if cadence_per_foot is not None:
                ET.SubElement(ext, f"{{{TPX_NS}}}cad").text = str(cadence_per_foot)
            point.extensions.append(ext)
        segment.points.append(point)
    track.segments.append(segment)
    gpx.tracks.append(track)
    return gpx.to_xml().encode()


TCX_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"
    xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
  <Activities>
    <Activity Sport="{sport}">
      <Id>{start}</Id>
      <Lap StartTime="{start}">
        <TotalTimeSeconds>{seconds}</TotalTimeSeconds>
        <DistanceMeters>{metres}</DistanceMeters>
        <Intensity>Active</Intensity>
        <TriggerMethod>Manual</TriggerMethod>
        <Track>
{points}
        </Track>
        {lap_extensions}
      </Lap>
    </Activity>
  </Activities>
</TrainingCenterDatabase>
"""

TCX_POINT = """          <Trackpoint>
            <Time>{time}</Time>
            <DistanceMeters>{metres:.1f}</DistanceMeters>
            {cadence}
          </Trackpoint>"""


def tcx_bytes(
    start: dt.datetime,
    minutes: float,
    km: float,
    *,
    cadence_per_foot: int | None = None,
    lap_cadence: bool = True,
    sport: str = "Running",
    every_s: int = 5,
) -> bytes:
    """A one-lap TCX activity as Garmin Connect exports it (cadence per foot, RunCadence)."""
    point_cadence = (
        ""
        if cadence_per_foot is None
        else "<Extensions><ns3:TPX><ns3:RunCadence>"
        f"{cadence_per_foot}</ns3:RunCadence></ns3:TPX></Extensions>"
    )
    points = "\n".join(
        TCX_POINT.format(time=when.isoformat(), metres=metres, cadence=point_cadence)
        for when, _, metres in _track_points(start, minutes, km, every_s)
    )
    lap_extensions = (
        f"<Extensions><ns3:LX><ns3:AvgRunCadence>{cadence_per_foot}"
        "</ns3:AvgRunCadence></ns3:LX></Extensions>"
        if cadence_per_foot is not None and lap_cadence
        else ""
    )
    return TCX_TEMPLATE.format(
        sport=sport,
        start=start.isoformat(),
        seconds=round(minutes * 60, 1),
        metres=round(km * 1000, 1),
        points=points,
        lap_extensions=lap_extensions,
    ).encode()


# --- FIT -----------------------------------------------------------------------------

#: FIT times count seconds from 1989-12-31 00:00 UTC.
FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
#: FIT base types we write: (base type byte, struct code).
_BASE = {
    "enum": (0x00, "B"),
    "uint8": (0x02, "B"),
    "uint16": (0x84, "H"),
    "sint32": (0x85, "i"),
    "uint32": (0x86, "I"),
}


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT SDK's CRC-16, four bits at a time."""
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[nibble]
    return crc


@dataclass(frozen=True)
class FitField:
    number: int
    base: str
    value: int


def _fit_time(when: dt.datetime) -> int:
    return int((when - FIT_EPOCH).total_seconds())


def fit_file(
    messages: Iterable[tuple[int, Sequence[FitField]]], *, header_crc: bool = True
) -> bytes:
    """A FIT file of ``(global message number, fields)``: one definition per shape, then data.

    Local message numbers are reused per distinct shape (as watches do), so a file with
    thousands of records holds one record definition.
    """
    body = bytearray()
    shapes: dict[tuple[int, tuple[tuple[int, str], ...]], int] = {}
    for global_num, fields in messages:
        shape = (global_num, tuple((f.number, f.base) for f in fields))
        if shape not in shapes:
            local = shapes[shape] = len(shapes) % 16
            body += struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
            for f in fields:
                base, code = _BASE[f.base]
                body += struct.pack("<BBB", f.number, struct.calcsize(code), base)
        body.append(shapes[shape])
        for f in fields:
            body += struct.pack("<" + _BASE[f.base][1], f.value)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header) if header_crc else 0)
    data = header + bytes(body)
    return data + struct.pack("<H", fit_crc(data))


def fit_bytes(
    start: dt.datetime,
    minutes: float,
    km: float,
    *,
    cadence_per_foot: int | None = None,
    fractional: float = 0.0,
    sport: int = 1,
    local_offset_h: float | None = None,
    pause_min: float = 0.0,
    with_session: bool = True,
    every_s: int = 5,
    watch_fields: bool = False,
) -> bytes:
    """A FIT activity as a watch writes it: file id, records, session, activity.

    ``sport`` 1 is running, 2 cycling. ``local_offset_h`` adds the activity message's
    local time (how a watch says its time zone). ``pause_min`` makes the elapsed time
    longer than the timer time. Cadence is per foot (strides a minute), as FIT counts it,
    with ``fractional`` in 1/128 steps. ``watch_fields`` adds what a watch records every
    second besides (position, altitude, speed, heart rate), for the benchmark.
    """
    ends = start + dt.timedelta(minutes=minutes + pause_min)
    messages: list[tuple[int, list[FitField]]] = [
        (
            0,
            [
                FitField(0, "enum", 4),
                FitField(1, "uint16", 1),
                FitField(4, "uint32", _fit_time(start)),
            ],
        )
    ]
    frac = round(fractional * 128)
    for when, _, metres in _track_points(start, minutes, km, every_s):
        fields = [
            FitField(253, "uint32", _fit_time(when)),
            FitField(5, "uint32", round(metres * 100)),
        ]
        if cadence_per_foot is not None:
            fields += [FitField(4, "uint8", cadence_per_foot), FitField(53, "uint8", frac)]
        if watch_fields:
            semicircles = round((51.5 + metres / METRES_PER_DEGREE) * 2**31 / 180)
            fields += [
                FitField(0, "sint32", semicircles),
                FitField(1, "sint32", round(-0.12 * 2**31 / 180)),
                FitField(2, "uint16", 2600),  # altitude: (x / 5) - 500 m
                FitField(6, "uint16", round(km * 1e6 / (minutes * 60))),  # speed, mm/s
                FitField(3, "uint8", 150),  # heart rate
            ]
        messages.append((20, fields))
    if with_session:
        session = [
            FitField(253, "uint32", _fit_time(ends)),
            FitField(2, "uint32", _fit_time(start)),
            FitField(5, "enum", sport),
            FitField(7, "uint32", round((minutes + pause_min) * 60_000)),
            FitField(8, "uint32", round(minutes * 60_000)),
            FitField(9, "uint32", round(km * 100_000)),
        ]
        if cadence_per_foot is not None:
            session += [FitField(18, "uint8", cadence_per_foot), FitField(92, "uint8", frac)]
        messages.append((18, session))
    activity = [FitField(253, "uint32", _fit_time(ends)), FitField(1, "uint16", 1)]
    if local_offset_h is not None:
        local = _fit_time(ends) + round(local_offset_h * 3600)
        activity.append(FitField(5, "uint32", local))
    messages.append((34, activity))
    return fit_file(messages)


# --- Strava bulk export --------------------------------------------------------------

STRAVA_COLUMNS = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed",
    "Average Cadence",
]  # fmt: skip


@dataclass(frozen=True)
class StravaActivity:
    """One row of ``activities.csv`` and, unless ``fmt`` is None, its file."""

    start: dt.datetime
    minutes: float
    km: float
    kind: str = "Run"
    fmt: str | None = "gpx"
    gz: bool = True
    cadence_per_foot: int | None = 85
    name: str = "Lunch Run"
    every_s: int = 5
    watch_fields: bool = False

    def file_bytes(self) -> bytes:
        extra = {"watch_fields": self.watch_fields} if self.fmt in ("gpx", "fit") else {}
        build = {"gpx": gpx_bytes, "tcx": tcx_bytes, "fit": fit_bytes}[self.fmt or "gpx"]
        data = build(
            self.start,
            self.minutes,
            self.km,
            cadence_per_foot=self.cadence_per_foot,
            every_s=self.every_s,
            **extra,
        )
        return gzip.compress(data, compresslevel=6) if self.gz else data


def strava_zip(
    activities: Sequence[StravaActivity],
    *,
    extra: dict[str, bytes] | None = None,
    csv_text: str | None = None,
    build: Callable[[StravaActivity], bytes] | None = None,
) -> bytes:
    """A Strava bulk export: ``activities.csv`` (its real columns, the date in Strava's
    English format, UTC) and each activity's file under ``activities/``; ``extra`` adds
    or replaces entries (media, broken files); ``build`` makes each file instead of
    :meth:`StravaActivity.file_bytes` (the benchmark reuses files)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(STRAVA_COLUMNS)
    files: dict[str, bytes] = {}
    for number, act in enumerate(activities, start=1001):
        filename = ""
        if act.fmt is not None:
            filename = f"activities/{number}.{act.fmt}" + (".gz" if act.gz else "")
            files[filename] = build(act) if build else act.file_bytes()
        when = act.start.astimezone(dt.UTC)
        date = f"{when:%b} {when.day}, {when.year}, {when:%I:%M:%S %p}".replace(" 0", " ")
        seconds = round(act.minutes * 60)
        cadence = "" if act.cadence_per_foot is None else str(act.cadence_per_foot)
        writer.writerow(
            [number, date, act.name, act.kind, "", seconds, f"{act.km:.2f}", "", "", "false",
             "", "", filename, "", "", seconds, seconds, f"{act.km * 1000:.1f}", "", "",
             cadence]
        )  # fmt: skip
    entries = {"activities.csv": (csv_text if csv_text is not None else out.getvalue()).encode()}
    entries.update(files)
    entries.update(extra or {})
    return zip_of(entries)


def zip_of(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``entries`` (name to bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
