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
import re
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

from kneecore import models
from kneecore.atomic import atomic_write_bytes
from kneecore.errors import problems
from kneecore.models import (
    LATEST_DATE,
    SAME_ENTRIES,
    Clearance,
    PhaseStart,
    Run,
    SelfCheckResult,
    Session,
    Settings,
)
from kneecore.words import clip

#: Version 2 added clearances, kept warning records, and the warning signs and practice
#: flag of self-checks; version 3 added the run log; version 4 a run's start time (for
#: imports from watch files) and the planned run days of the reminders. An older file
#: has none of them and
#: opens as it is; the number moves so that an older app meets a newer file with "update
#: the app", rather than calling the unknown tables damage and offering to move the file
#: aside.
SCHEMA_VERSION = 4
#: Validation context for data already stored (not for new input). Lets a model allow a
#: date up to a day or two "in the future" when the clock or time zone moved back since
#: it was saved, rather than refusing the whole file; models that ignore it stay strict.
READ_CONTEXT = {"stored_data": True, "future_slack_days": 2}
_MB = 1024 * 1024
#: The largest import accepted, stated once: the page and the server's upload limit
#: (``server.maxUploadSize`` in ``.streamlit/config.toml``) use this number. Five years
#: of daily sessions export to 3.3 MB and ten years to 6.6 MB (measured with
#: ``kneecore.demo.generate_history``); 20 MB leaves room for long notes.
MAX_IMPORT_BYTES = 20 * _MB
#: The deepest nesting of brackets a file may have before it is parsed. An export nests
#: 6 deep; a deeper file is refused by a linear scan, never by recursion (100,000
#: levels would exhaust Python's recursion limit in ``json``).
MAX_DEPTH = 64
#: The parts of an export; a file with none of them is not an export at all.
EXPORT_SECTIONS = (
    "sessions",
    "selfchecks",
    "phases",
    "settings",
    "clearances",
    "warning_records",
    "runs",
)

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
    #: The run log (clinical-rules section 7): walk-run levels and free runs.
    runs: dict[_DocId, Run] = Field(default_factory=dict)

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
    runs: list[Run] = Field(default_factory=list)


# Migrations take the raw document of version N and return version N + 1. Each one is a
# pure function on plain dicts, tested with a file of version N.
def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    # Version 2 only adds tables and fields with defaults: a version-1 document is
    # already a valid version-2 one (no clearances, no kept warning records).
    return doc


def _v2_to_v3(doc: dict[str, Any]) -> dict[str, Any]:
    # Version 3 only adds the runs table (and the export's runs list), empty by
    # default: a version-2 document is already a valid version-3 one without runs.
    return doc


def _v3_to_v4(doc: dict[str, Any]) -> dict[str, Any]:
    # Version 4 only adds optional fields (a run's ``started_at``, the settings'
    # ``run_days``) with defaults: a version-3 document is a valid version-4 one.
    return doc


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}
#: The same for export files, whose layout differs from the store file's.
EXPORT_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
}

#: Tables whose items have an ``id`` that must be unique within the table.
ID_TABLES = ("sessions", "selfchecks", "phases", "clearances", "warning_records", "runs")
_TABLES = (
    "sessions",
    "selfchecks",
    "phases",
    "settings",
    "clearances",
    "warning_records",
    "runs",
)


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


class _DuplicateKey(ValueError):
    """One object of the file has the same key twice (JSON parsers keep the last)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


def _load_json(raw: str | bytes) -> Any:
    """``json.loads`` refusing NaN and infinity and any object with a key twice.

    Only call it on text whose nesting :func:`too_deep` has checked (or that a model
    has already accepted): ``json`` recurses once per level.
    """
    return json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)


#: A JSON string (escapes included): brackets inside one are text, not nesting.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")


def too_deep(raw: str | bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether ``raw`` nests brackets more than ``limit`` deep, outside of strings.

    A linear scan without recursion, so a file of 100,000 nested brackets is told apart
    in a few milliseconds instead of exhausting the recursion limit.
    """
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    brackets = _JSON_STRING.sub(b"", data).translate(None, _BRACKETS)
    depth = 0
    for char in brackets:
        if char in b"[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


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


#: The longest validation message repeated (pydantic's own are under 100 characters;
#: ours may name a value from the file).
MESSAGE_MAX = 160


def _clip_part(part: int | str) -> int | str:
    return part if isinstance(part, int) else clip(part)


def plain_errors(exc: ValidationError, *, file_tables: bool = False, limit: int = 3) -> str:
    """A validation error as short plain sentences naming where the problem is.

    Keys and values come from the file: each is cut (:func:`kneecore.words.clip`) so a
    message never repeats kilobytes of it.
    """
    found = problems(exc)
    parts = [
        f"{_location(tuple(_clip_part(x) for x in p.loc), file_tables=file_tables)}: "
        f"{clip(p.message, MESSAGE_MAX)}"
        if p.loc
        else clip(p.message, MESSAGE_MAX)
        for p in found[:limit]
    ]
    if len(found) > limit:
        parts.append(f"and {len(found) - limit} more problem(s)")
    return "; ".join(parts)


def _read_context() -> dict[str, Any]:
    """:data:`READ_CONTEXT` with a fresh pool in which equal exercise entries meet."""
    latest = models.today() + dt.timedelta(days=READ_CONTEXT["future_slack_days"])
    return {**READ_CONTEXT, SAME_ENTRIES: models.EntryPool(), LATEST_DATE: latest}


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
            doc = StoreDocument.model_validate_json(raw, strict=True, context=_read_context())
    except ValidationError:
        pass
    else:
        if doc.version == SCHEMA_VERSION:
            return doc, SCHEMA_VERSION
    return _parse_slow(raw, path)


def _parse_slow(raw: bytes, path: Path | None) -> tuple[StoreDocument, int]:
    """Work out what is wrong with a file, or migrate an older one."""
    if too_deep(raw):
        raise StoreError(
            "Your data file is damaged: it is nested far more deeply than the app ever "
            "writes. It has not been changed.",
            path,
        )
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
                json.dumps(data), strict=True, context=_read_context()
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
    """Validate an export file in one strict pass; raise InvalidImport in plain words.

    Besides the model's checks it refuses a file nested too deeply (before any parsing
    that recurses), any object with a key twice (the fast path would silently keep the
    last one, so every file is also read by :func:`_load_json`), and a file with none
    of an export's sections (``{"schema_version": 1}`` is not an export of nothing).
    """
    first_error: ValidationError | None = None
    try:
        with gc_paused():
            export = ExportFile.model_validate_json(text, strict=True)
    except ValidationError as exc:
        first_error = exc
    else:
        if export.schema_version == SCHEMA_VERSION:
            # The model accepted it, so it nests no deeper than an export does.
            return _with_sections(export, _load_export_json(text))
    # Slow path: find out what is wrong, or migrate an older export.
    if too_deep(text):
        raise InvalidImport(
            f"The file is nested too deeply (more than {MAX_DEPTH} levels of brackets; a "
            "Kneecare export has 6), so it is not an export. Nothing was imported."
        )
    raw = _load_export_json(text)
    version = raw.get("schema_version") if isinstance(raw, dict) else None
    if isinstance(version, int) and not isinstance(version, bool):
        if version > SCHEMA_VERSION:
            raise InvalidImport(
                f"The file was made by a newer version of this app (format "
                f"{clip(version)}; this one reads up to {SCHEMA_VERSION}). Nothing was "
                "imported."
            )
        if 1 <= version < SCHEMA_VERSION:
            original = raw
            while version < SCHEMA_VERSION:
                raw = EXPORT_MIGRATIONS[version](raw)
                version += 1
            raw["schema_version"] = SCHEMA_VERSION
            try:
                export = ExportFile.model_validate_json(json.dumps(raw), strict=True)
            except ValidationError as exc:
                first_error = exc
            else:
                return _with_sections(export, original)
    if first_error is None:
        raise InvalidImport("The file has an unknown format version. Nothing was imported.")
    raise InvalidImport(
        "The file is not a valid Kneecare export (" + plain_errors(first_error) + "). "
        "Nothing was imported."
    ) from first_error


def _load_export_json(text: str | bytes) -> Any:
    """The file's JSON (nesting already checked), or InvalidImport in plain words."""
    try:
        return _load_json(text)
    except _NotANumber as exc:
        raise InvalidImport(
            f"The file contains {exc}, which is not a real number. Nothing was imported."
        ) from exc
    except _DuplicateKey as exc:
        raise InvalidImport(
            f"The file has the key '{clip(exc.key)}' twice in one place. A Kneecare export "
            "never does, so the file may have been edited or damaged. Nothing was imported."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidImport(
            "The file is not complete, valid JSON (it may be cut off or not an export). "
            "Nothing was imported."
        ) from exc


def _with_sections(export: ExportFile, raw: Any) -> ExportFile:
    """``export``, unless the file has none of an export's sections."""
    if not any(name in raw for name in EXPORT_SECTIONS):
        raise InvalidImport(
            "The file has none of the parts of a Kneecare export (sessions, self-checks, "
            "phases, settings, clearances, warning records or runs), so there is nothing "
            "to import. Nothing was imported."
        )
    return export


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
