"""Archives: gzip and zip read with every size bounded, and Strava's ``activities.csv``.

A compressed file can claim anything about its size, so nothing here trusts a header: we
decompress with a limit and stop one byte past it. Limits hold per file, in total, and
as a compression ratio (a bomb packs gigabytes of zeros into kilobytes), and an archive
inside an archive is refused rather than opened again. Strava's bulk export is a zip
with ``activities.csv`` (one row per activity: its type, name, date in UTC, and the file
under ``activities/``, often gzipped); the table says which activities are runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from kneecore.runfiles_base import (
    MAX_ACTIVITIES,
    MAX_TOTAL_BYTES,
    Activity,
    RunFileError,
    steps_a_minute,
)
from kneecore.words import MONTHS, clip

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_ENTRIES",
    "MAX_RATIO",
    "Budget",
    "StravaRow",
    "gunzip",
    "is_archive",
    "open_zip",
    "read_entry",
    "strava_rows",
]

#: A decade of activities with long descriptions stays well under this.
MAX_CSV_BYTES = 64 * 1024 * 1024
#: Entries in an archive: activities and the photos and videos Strava adds to them.
MAX_ENTRIES = 100_000
#: Run files compress about ten times; a bomb, thousands of times. Checked above 1 MB,
#: where a ratio means something.
MAX_RATIO = 200
_RATIO_FROM = 1024 * 1024


def is_archive(data: bytes) -> bool:
    """A zip (``PK``) or gzip (``1f 8b``) header."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06") or data[:2] == b"\x1f\x8b"


class Budget:
    """The bytes an archive may still unpack, across all its entries."""

    def __init__(self, total: int = MAX_TOTAL_BYTES) -> None:
        self.left = total

    def take(self, size: int, file: str) -> None:
        self.left -= size
        if self.left < 0:
            raise RunFileError(
                f"{clip(file)}: the archive unpacks to more than "
                f"{MAX_TOTAL_BYTES // 1024**3} GB, more than run files ever need."
            )


def _bomb(file: str) -> RunFileError:
    return RunFileError(f"{clip(file)}: it unpacks to far more than it holds (a zip bomb?).")


def gunzip(data: bytes, file: str, cap: int) -> bytes:
    """A gzip file's content, refused past ``cap`` bytes or the ratio, or cut short."""
    out = bytearray()
    rest = data
    try:
        while rest:
            unpack = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += unpack.decompress(rest, cap + 1 - len(out))
            if len(out) > cap or unpack.unconsumed_tail:
                raise RunFileError(f"{clip(file)}: unpacked, it is over {cap // 1024**2} MB.")
            if not unpack.eof:
                raise RunFileError(f"{clip(file)}: the gzip file is cut short.")
            # Several gzip members one after another are one file (as gzip reads them).
            rest = unpack.unused_data if unpack.unused_data[:2] == b"\x1f\x8b" else b""
    except zlib.error as exc:
        raise RunFileError(f"{clip(file)}: the gzip file is damaged.") from exc
    if len(out) > _RATIO_FROM and len(out) > MAX_RATIO * len(data):
        raise _bomb(file)
    return bytes(out)


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    """The zip archive in ``data``, once its entries are counted."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise RunFileError(f"{clip(file)}: the zip archive is damaged or cut short.") from exc
    if len(archive.infolist()) > MAX_ENTRIES:
        raise RunFileError(f"{clip(file)}: it holds over {MAX_ENTRIES:,} files.")
    return archive


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: Budget) -> bytes:
    """One entry's bytes: at most ``cap`` of them, checked against its packed size."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise RunFileError(f"{clip(name)}: it is encrypted (password protected).")
    if info.file_size > cap:
        raise RunFileError(f"{clip(name)}: unpacked, it is over {cap // 1024**2} MB.")
    try:
        with archive.open(info) as stream:
            data = stream.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
        raise RunFileError(f"{clip(name)}: it is damaged inside the archive.") from exc
    except RuntimeError as exc:  # zipfile's word for "needs a password"
        raise RunFileError(f"{clip(name)}: it could not be unpacked.") from exc
    if len(data) > cap:
        raise RunFileError(f"{clip(name)}: unpacked, it is over {cap // 1024**2} MB.")
    if len(data) > _RATIO_FROM and len(data) > MAX_RATIO * max(info.compress_size, 1):
        raise _bomb(name)
    budget.take(len(data), name)
    return data


@dataclass(frozen=True)
class StravaRow:
    """One activity of ``activities.csv``: what Strava says, as written there."""

    line: int
    kind: str
    name: str
    filename: str
    date: str
    seconds: str
    metres: str
    km: str
    cadence: str

    @property
    def label(self) -> str:
        """How a message names the activity: its file, else its line of the table."""
        return self.filename or f"activities.csv, line {self.line}"

    @property
    def is_run(self) -> bool:
        return "run" in self.kind.lower()

    @property
    def complete(self) -> bool:
        """Whether the table gives the run's start and duration (else read its file)."""
        return bool(self.date and self.seconds)

    def activity(self) -> Activity:
        """The run as the table gives it (Strava's summary of its file, if it has one).

        Its date is in UTC; cadence, as in the files, counts one foot.
        """
        seconds = _number(self.seconds, self.label)
        metres = _number(self.metres, self.label) if self.metres else None
        if metres is None and self.km:
            metres = _number(self.km, self.label) * 1000
        per_foot = _number(self.cadence, self.label) if self.cadence else None
        return Activity(
            start=_strava_date(self.date, self.label),
            seconds=seconds,
            metres=metres,
            cadence_spm=steps_a_minute(per_foot),
            name=self.name,
        )


_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")


def _number(text: str, label: str) -> float:
    """``"1234.5"``, ``"1,234.5"``, ``"1,800"`` or ``"1234,5"`` as a float: a comma
    before groups of three digits separates thousands, any other is a decimal comma."""
    cleaned = text.strip()
    if _THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise RunFileError(f"{clip(label)}: {clip(text, 20)!r} is not a number.") from None


_STRAVA_DATE = re.compile(
    r"([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s*([AaPp][Mm])?"
)


def _strava_date(text: str, label: str) -> dt.datetime:
    """Strava's ``Mar 5, 2021, 6:12:34 PM`` (UTC, English month names whatever the
    computer's language, so not ``strptime``'s ``%b``), or an ISO date and time."""
    found = _STRAVA_DATE.fullmatch(text.strip())
    try:
        if found is None:
            when = dt.datetime.fromisoformat(text.strip())
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        month, day, year, hour, minute, second, half = found.groups()
        hour_24 = int(hour) % 12 + (12 if half.lower() == "pm" else 0) if half else int(hour)
        return dt.datetime(
            int(year), MONTHS.index(month.title()) + 1, int(day), hour_24, int(minute),
            int(second), tzinfo=dt.UTC,
        )  # fmt: skip
    except ValueError:
        raise RunFileError(f"{clip(label)}: its date {clip(text, 30)!r} cannot be read.") from None


_COLUMNS = {"kind": "Activity Type", "date": "Activity Date", "filename": "Filename"}


def strava_rows(data: bytes, file: str) -> list[StravaRow]:
    """The activities of Strava's ``activities.csv``.

    Strava names two columns "Distance" (the first in km, the second in metres) and two
    "Elapsed Time" (both seconds); we take the metres where both are there.
    """
    try:
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        header = next(reader, [])
        where = {name: i for i, name in reversed(list(enumerate(header)))}
        missing = [c for c in _COLUMNS.values() if c not in where]
        if missing:
            raise RunFileError(
                f"{clip(file)}: it has no {clip(missing[0], 30)!r} column, so it is not "
                "Strava's activities table."
            )
        distances = [i for i, name in enumerate(header) if name == "Distance"]
        rows: list[StravaRow] = []
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ACTIVITIES:
                raise RunFileError(f"{clip(file)}: it lists over {MAX_ACTIVITIES:,} activities.")

            def cell(column: str, row: list[str] = row) -> str:
                i = where.get(column)
                return row[i].strip() if i is not None and i < len(row) else ""

            def at(i: int | None, row: list[str] = row) -> str:
                return row[i].strip() if i is not None and i < len(row) else ""

            rows.append(
                StravaRow(
                    line=line,
                    kind=cell("Activity Type"),
                    name=cell("Activity Name"),
                    filename=cell("Filename"),
                    date=cell("Activity Date"),
                    seconds=cell("Elapsed Time"),
                    metres=at(distances[-1]) if len(distances) > 1 else "",
                    km=at(distances[0]) if distances else "",
                    cadence=cell("Average Cadence"),
                )
            )
        return rows
    except (UnicodeDecodeError, csv.Error) as exc:
        raise RunFileError(f"{clip(file)}: the table could not be read as CSV text.") from exc
