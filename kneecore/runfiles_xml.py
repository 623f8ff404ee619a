"""GPX and TCX: the two XML run formats, read safely.

An XML file can declare entities that expand a few kilobytes into gigabytes (the
"billion laughs"); no run file needs a DTD, so any ``<!DOCTYPE`` or ``<!ENTITY`` is
refused before a parser sees the text. GPX is read with gpxpy (its time zones, track
segments and lengths are well tested); TCX needs only a few elements, which the standard
library's parser finds. Both count cadence per foot (Garmin's extensions): doubled.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Literal

import gpxpy
import gpxpy.gpx

from kneecore.runfiles_base import Activity, RunFileError, steps_a_minute
from kneecore.words import clip

__all__ = ["read_gpx", "read_tcx", "xml_format", "xml_text"]

#: How far into a file its root element must appear (after the declaration and comments).
_HEAD = 4096
_ROOT = re.compile(r"<(?:[\w.-]+:)?(gpx|TrainingCenterDatabase)[\s>/]")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
#: gpxpy scans the text with regular expressions that run to the end of the file from
#: every "xmlns" or "schemaLocation" not followed by a complete declaration (quadratic
#: work); each must be one, with a value of a sane length, before gpxpy sees the text.
_NAMESPACE = re.compile(r"xmlns|xsi:schemaLocation")
_DECLARATION = re.compile(
    r"""(?:xmlns(?::[\w.-]{1,64})?|xsi:schemaLocation)\s{0,8}=\s{0,8}"""
    r"""(?:"[^"<]{0,2000}"|'[^'<]{0,2000}')"""
)
_LATIN = re.compile(r"""encoding=["'](iso-8859-1|latin-?1|windows-1252|cp1252)["']""", re.I)


def xml_format(data: bytes) -> Literal["gpx", "tcx"] | None:
    """``"gpx"`` or ``"tcx"`` when the file's root element says so, else None."""
    head = data[:_HEAD].decode("utf-8", errors="replace")
    found = _ROOT.search(head)
    if found is None:
        return None
    return "gpx" if found.group(1) == "gpx" else "tcx"


def xml_text(data: bytes, file: str) -> str:
    """The file as text, once it is known to declare no DTD or entity."""
    if _DTD.search(data):
        raise RunFileError(
            f"{clip(file)}: it declares a document type or entities, which run files never "
            "do (a way to make a small file expand without end)."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A few older exporters write Latin-1 and say so in the XML declaration.
        if _LATIN.search(data[:200].decode("ascii", errors="replace")):
            return data.decode("latin-1")
        raise RunFileError(f"{clip(file)}: it is not saved as UTF-8 text.") from None


def _cadence(values: Iterable[float]) -> float | None:
    """The mean of the non-zero per-foot cadences, in steps a minute."""
    total = count = 0.0
    for value in values:
        if value > 0:
            total += value
            count += 1
    return steps_a_minute(total / count) if count else None


def read_gpx(data: bytes, file: str) -> list[Activity]:
    """One activity for each track of a GPX file that has recorded times."""
    text = xml_text(data, file)
    for found in _NAMESPACE.finditer(text):
        if not _DECLARATION.match(text, found.start()):
            raise RunFileError(f"{clip(file)}: an XML namespace in it is not complete.")
    try:
        gpx = gpxpy.parse(text)
        return [act for track in gpx.tracks if (act := _gpx_track(track, gpx.name))]
    except RunFileError:
        raise
    except Exception as exc:
        # gpxpy raises its own errors and, on odd values, ValueError, TypeError and
        # others; whatever it was, the file is not a GPX file we can read.
        raise RunFileError(f"{clip(file)}: it could not be read as a GPX file.") from exc


def _gpx_track(track: gpxpy.gpx.GPXTrack, file_name: str | None) -> Activity | None:
    bounds = track.get_time_bounds()
    if bounds.start_time is None or bounds.end_time is None:
        return None
    cads = (
        float(element.text or 0)
        for segment in track.segments
        for point in segment.points
        for ext in point.extensions
        for element in ext.iter()
        if element.tag == "cad" or element.tag.endswith("}cad")
    )
    return Activity(
        start=bounds.start_time,
        seconds=(bounds.end_time - bounds.start_time).total_seconds(),
        metres=track.length_2d(),
        cadence_spm=_cadence(cads),
        sport=track.type,
        name=track.name or file_name,
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _time(text: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat((text or "").strip())


def read_tcx(data: bytes, file: str) -> list[Activity]:
    """One activity for each ``Activity`` of a TCX file (its laps summed)."""
    text = xml_text(data, file)
    try:
        root = ET.fromstring(text)
        return [_tcx_activity(el) for el in root.iter() if _local(el.tag) == "Activity"]
    except ET.ParseError as exc:
        raise RunFileError(f"{clip(file)}: it is not complete XML (cut short?).") from exc
    except (ValueError, TypeError, OverflowError) as exc:
        # float() and fromisoformat() name the bad value at length: we say it plainly.
        raise RunFileError(f"{clip(file)}: a time or number in it cannot be read.") from exc


def _tcx_activity(activity: ET.Element) -> Activity:
    laps_s = laps_m = 0.0
    lap_cadence = weight = 0.0
    times: list[dt.datetime] = []
    point_metres: list[float] = []
    run_cadence: list[float] = []
    cadence: list[float] = []
    ident = None
    for el in activity.iter():
        tag = _local(el.tag)
        if tag == "Id":
            ident = _time(el.text)
        elif tag == "Lap":
            seconds = float(el.findtext("{*}TotalTimeSeconds") or 0)
            laps_s += seconds
            laps_m += float(el.findtext("{*}DistanceMeters") or 0)
            avg = el.findtext(".//{*}AvgRunCadence")
            if avg:
                lap_cadence += float(avg) * seconds
                weight += seconds
        elif tag == "Trackpoint":
            when = el.findtext("{*}Time")
            if when:
                times.append(_time(when))
            metres = el.findtext("{*}DistanceMeters")
            if metres:
                point_metres.append(float(metres))
            cadence.append(float(el.findtext("{*}Cadence") or 0))
            run_cadence.append(float(el.findtext(".//{*}RunCadence") or 0))
    start = ident or (min(times) if times else None)
    if start is None:
        raise ValueError("no start time")
    span = (max(times) - min(times)).total_seconds() if times else 0.0
    steps = _cadence(run_cadence) or _cadence(cadence)
    return Activity(
        start=start,
        seconds=laps_s or span,
        metres=laps_m or (max(point_metres) if point_metres else None),
        cadence_spm=steps_a_minute(lap_cadence / weight) if weight else steps,
        sport=activity.get("Sport"),
    )
