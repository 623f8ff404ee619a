"""The store file's format: its shape, one-pass parsing, plain error messages, migrations.

The file is a TinyDB database (``{"table": {"doc id": {...}}}``) with a ``_meta`` table
holding ``schema_version``. :func:`parse_store_bytes` validates a whole file in one
pass of pydantic-core (JSON parsing and validation together, ``strict=True`` so ISO text
is the only date form); when that fails, a slower path works out *what* is wrong, in
words a user can act on, or migrates a file from an older version. Export files have
their own shape (:class:`ExportFile`) and are parsed the same way by :func:`parse_export`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from tinydb.storages import Storage

from kneecore.atomic import atomic_write_bytes
from kneecore.errors import problems
from kneecore.models import Clearance, PhaseStart, SelfCheckResult, Session, Settings

#: Version 2 added clearances, kept warning records, and the warning signs and practice
#: flag of self-checks. A version-1 file has none of them and opens as it is; the number
#: moved so that an older app meets a version-2 file with "update the app", rather than
#: calling the unknown tables damage and offering to move the file aside.
SCHEMA_VERSION = 2
#: Validation context for data already stored (not for new input). Lets a model allow a
#: date up to a day or two "in the future" when the clock or time zone moved back since
#: it was saved, rather than refusing the whole file; models that ignore it stay strict.
READ_CONTEXT = {"stored_data": True, "future_slack_days": 2}
_MB = 1024 * 1024
#: Largest import accepted. Five years of daily sessions export to about 4 MB.
MAX_IMPORT_BYTES = 20 * _MB

StoreErrorKind = Literal["corrupt", "newer", "unreadable", "busy", "write_failed", "conflict"]


class StoreError(Exception):
    """The store file cannot be used. The message is plain language for the user.

    ``kind`` says what went wrong: ``corrupt`` (damaged or invalid content), ``newer``
    (written by a newer app), ``unreadable`` (permissions, I/O), ``busy`` (locked by
    another program for too long), ``write_failed`` (disk full, permission denied, a
    read-only file; the old file is intact) or ``conflict`` (:class:`StoreConflict`).
    ``recoverable`` says whether restoring a backup or moving the file aside can help.
    """

    def __init__(
        self, message: str, path: Path | None = None, *, kind: StoreErrorKind = "corrupt"
    ) -> None:
        super().__init__(message)
        self.path = path
        self.kind: StoreErrorKind = kind

    @property
    def recoverable(self) -> bool:
        return self.kind in ("corrupt", "newer", "unreadable")


@contextlib.contextmanager
def os_errors_as_store_error(
    message: str, path: Path | None, *, kind: StoreErrorKind
) -> Iterator[None]:
    """Turn an ``OSError`` raised inside into a :class:`StoreError` saying ``message``.

    ``{reason}`` in ``message`` becomes the system's words for the error (e.g.
    "No space left on device"), so the user sees what to fix and where.
    """
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or exc
        raise StoreError(message.format(reason=reason), path, kind=kind) from exc


class StoreConflict(StoreError):
    """An edit was made on a stale copy: the item changed (or went) since it was read.

    Nothing was saved. ``current`` is the item as it is stored now (None: deleted), so
    the page can show the newer version instead of the user's stale form.
    """

    def __init__(self, message: str, path: Path | None = None, *, current: Any = None) -> None:
        super().__init__(message, path, kind="conflict")
        self.current = current


class InvalidImport(ValueError):
    """An import file was refused; the message says why in plain words. Nothing was saved."""


# -- the file's shape --------------------------------------------------------------------

#: TinyDB document ids are positive integers written as strings.
_DocId = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,9}$")]


def next_doc_id(table: Mapping[str, object]) -> str:
    """The doc id for a new item of ``table``: one more than the largest there."""
    return str(max((int(k) for k in table), default=0) + 1)


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    schema_version: int = Field(ge=1)


class StoreDocument(BaseModel):
    """The whole store file: TinyDB tables of doc id -> document, validated in one pass."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_by_name=True)

    meta: dict[_DocId, Meta] = Field(default_factory=dict, alias="_meta", max_length=1)
    sessions: dict[_DocId, Session] = Field(default_factory=dict)
    selfchecks: dict[_DocId, SelfCheckResult] = Field(default_factory=dict)
    phases: dict[_DocId, PhaseStart] = Field(default_factory=dict)
    settings: dict[_DocId, Settings] = Field(default_factory=dict, max_length=1)
    #: A GP or physiotherapist examined the knee and said the user can exercise.
    clearances: dict[_DocId, Clearance] = Field(default_factory=dict)
    #: Deleted self-checks that found a warning sign, without their answers or score:
    #: deleting a self-check must never lift the plan pause (clinical-rules section 6).
    warning_records: dict[_DocId, SelfCheckResult] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ids_unique(self) -> StoreDocument:
        for table in ID_TABLES:
            items: dict[str, Any] = getattr(self, table)
            ids = [item.id for item in items.values()]
            if len(set(ids)) != len(ids):
                raise ValueError(f"{table}: the same id appears twice")
        return self

    @property
    def version(self) -> int:
        # A file without the meta table predates versioning and has version 1's shape.
        first = next(iter(self.meta.values()), None)
        return first.schema_version if first else 1

    def dump(self) -> bytes:
        return self.model_dump_json(by_alias=True).encode("utf-8")


def _iso_datetime(value: object) -> object:
    # Pydantic would read a number (even "0" as text) as a Unix time; exports write ISO.
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("must be an ISO date and time, like 2025-03-01T18:00:00Z") from None
    if value is None or isinstance(value, dt.datetime):
        return value
    raise ValueError("must be an ISO date and time, like 2025-03-01T18:00:00Z")


class ExportFile(BaseModel):
    """The export file (the contract format); validated in one strict pass on import."""

    model_config = ConfigDict(extra="forbid", strict=True)

    schema_version: int = Field(ge=1)
    exported_at: Annotated[dt.datetime | None, BeforeValidator(_iso_datetime)] = None
    sessions: list[Session] = Field(default_factory=list)
    selfchecks: list[SelfCheckResult] = Field(default_factory=list)
    phases: list[PhaseStart] = Field(default_factory=list)
    settings: Settings | None = None
    clearances: list[Clearance] = Field(default_factory=list)
    warning_records: list[SelfCheckResult] = Field(default_factory=list)


# Migrations take the raw document of version N and return version N + 1. Each one is a
# pure function on plain dicts, tested with a file of version N.
def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    # Version 2 only adds tables and fields with defaults: a version-1 document is
    # already a valid version-2 one (no clearances, no kept warning records).
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}
#: The same for export files, whose layout differs from the store file's.
EXPORT_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}

#: Tables whose items have an ``id`` that must be unique within the table.
ID_TABLES = ("sessions", "selfchecks", "phases", "clearances", "warning_records")
_TABLES = ("sessions", "selfchecks", "phases", "settings", "clearances", "warning_records")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small models.

    Validating five years of sessions creates ~15,000 objects with no reference cycles;
    the collector would otherwise run dozens of times over them (measured: it tripled
    the read time). Only the thread that turned it off turns it back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The parsed store lives as long as the store's snapshot: hand the new objects
        # straight to the oldest generation (freeze then unfreeze moves every tracked
        # object there without scanning), instead of letting the next young collection
        # walk all ~40,000 of them (measured: a fifth of the read time). They are still
        # collected normally by the next full collection.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


class _NotANumber(ValueError):
    """JSON's non-standard NaN / Infinity: Python's json accepts them, we do not."""


def _reject_constant(name: str) -> Any:
    raise _NotANumber(name)


def _location(loc: tuple[int | str, ...], *, file_tables: bool) -> str:
    if file_tables and len(loc) >= 2 and loc[0] in (*_TABLES, "_meta"):
        where = f"{loc[0]} entry #{loc[1]}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{where}, field '{rest}'" if rest else where
    if len(loc) >= 2 and isinstance(loc[1], int):
        where = f"{loc[0]} item {loc[1] + 1}"
        rest = ".".join(str(p) for p in loc[2:])
        return f"{where}, field '{rest}'" if rest else where
    return "field '" + ".".join(str(p) for p in loc) + "'"


def plain_errors(exc: ValidationError, *, file_tables: bool = False, limit: int = 3) -> str:
    """A validation error as short plain sentences naming where the problem is."""
    found = problems(exc)
    parts = [
        f"{_location(p.loc, file_tables=file_tables)}: {p.message}" if p.loc else p.message
        for p in found[:limit]
    ]
    if len(found) > limit:
        parts.append(f"and {len(found) - limit} more problem(s)")
    return "; ".join(parts)


def parse_store_bytes(raw: bytes, path: Path | None = None) -> tuple[StoreDocument, int]:
    """Validate a whole store file; returns the (migrated) document and its file version.

    Raises :class:`StoreError` with a plain message for anything but a valid file.
    """
    if not raw.strip():
        raise StoreError(
            "Your data file is empty, so it is damaged. It has not been changed.", path
        )
    # Fast path: one pass of pydantic-core over the bytes (parse + validate together).
    try:
        with gc_paused():
            doc = StoreDocument.model_validate_json(raw, strict=True, context=READ_CONTEXT)
    except ValidationError:
        pass
    else:
        if doc.version == SCHEMA_VERSION:
            return doc, SCHEMA_VERSION
    return _parse_slow(raw, path)


def _parse_slow(raw: bytes, path: Path | None) -> tuple[StoreDocument, int]:
    """Work out what is wrong with a file, or migrate an older one."""
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except _NotANumber as exc:
        raise StoreError(
            f"Your data file has invalid content: it contains {exc}, which is not a real "
            "number. It has not been changed.",
            path,
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(
            "Your data file is damaged: it is not complete, valid JSON (it may have been "
            "cut off). It has not been changed.",
            path,
        ) from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise StoreError(
            "Your data file does not have the expected layout. It has not been changed.",
            path,
        )
    version = _raw_schema_version(data, path)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"Your data file was written by a newer version of this app (format "
            f"{version}; this one reads up to {SCHEMA_VERSION}). Update the app to use "
            "it. The file has not been changed.",
            path,
            kind="newer",
        )
    original = version
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    if original < SCHEMA_VERSION:
        data["_meta"] = {"1": {"schema_version": SCHEMA_VERSION}}
    try:
        with gc_paused():
            doc = StoreDocument.model_validate_json(
                json.dumps(data), strict=True, context=READ_CONTEXT
            )
    except ValidationError as exc:
        raise StoreError(
            "Your data file has invalid content ("
            + plain_errors(exc, file_tables=True, limit=1)
            + "). It has not been changed.",
            path,
        ) from exc
    return doc, original


def _raw_schema_version(data: dict[str, Any], path: Path | None) -> int:
    meta = data.get("_meta")
    if not meta:
        return 1
    first = next(iter(meta.values()))
    version = first.get("schema_version") if isinstance(first, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(
            "Your data file has an unreadable format version. It has not been changed.", path
        )
    return version


def parse_export(text: str | bytes) -> ExportFile:
    """Validate an export file in one strict pass; raise InvalidImport in plain words."""
    first_error: ValidationError | None = None
    try:
        with gc_paused():
            export = ExportFile.model_validate_json(text, strict=True)
    except ValidationError as exc:
        first_error = exc
    else:
        if export.schema_version == SCHEMA_VERSION:
            return export
    # Slow path: find out what is wrong, or migrate an older export.
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except _NotANumber as exc:
        raise InvalidImport(
            f"The file contains {exc}, which is not a real number. Nothing was imported."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidImport(
            "The file is not complete, valid JSON (it may be cut off or not an export). "
            "Nothing was imported."
        ) from exc
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and not isinstance(version, bool):
        if version > SCHEMA_VERSION:
            raise InvalidImport(
                f"The file was made by a newer version of this app (format {version}; "
                f"this one reads up to {SCHEMA_VERSION}). Nothing was imported."
            )
        if 1 <= version < SCHEMA_VERSION:
            while version < SCHEMA_VERSION:
                raw = EXPORT_MIGRATIONS[version](raw)
                version += 1
            raw["schema_version"] = SCHEMA_VERSION
            try:
                return ExportFile.model_validate_json(json.dumps(raw), strict=True)
            except ValidationError as exc:
                first_error = exc
    if first_error is None:
        raise InvalidImport("The file has an unknown format version. Nothing was imported.")
    raise InvalidImport(
        "The file is not a valid Kneecare export (" + plain_errors(first_error) + "). "
        "Nothing was imported."
    ) from first_error


class AtomicJSONStorage(Storage):
    """A TinyDB storage for the store's file format that never writes in place.

    For tools that want TinyDB's query API on a copy of the data
    (``TinyDB(path, storage=AtomicJSONStorage)``); the app itself goes through
    :class:`Store`, which adds locking and validation.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        doc, _ = parse_store_bytes(raw, self.path)
        data: dict[str, dict[str, Any]] = json.loads(doc.dump())
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
        atomic_write_bytes(self.path, payload.encode("utf-8"))

    def close(self) -> None:
        pass
