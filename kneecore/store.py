"""The user's data store: one TinyDB-format JSON file on the user's own machine.

This is the only way to read or write user data. It owns:

* **atomicity** — the file is never written in place: a temporary file in the same
  folder is written, flushed and fsynced, then ``os.replace``-d over the old one, and
  the folder is fsynced too (:mod:`kneecore.atomic`). A crash leaves the old file or the
  new one, never a mix;
* **locking** — a thread lock (Streamlit serves every tab from a thread of one process
  and shares one Store through ``st.cache_resource``) plus a cross-process file lock;
  every read and every read-modify-write happens inside both, so an old script thread
  still running after a fast rerun cannot overwrite a newer write;
* **validation** — the whole file is validated with the pydantic models in one pass on
  read, and every new item on write; invalid input raises and writes nothing;
* **schema version** — stored in the file, migrated forward on read (the old file is
  kept in ``backups/``); a file from a newer app version is refused, not guessed at;
* **backups** — a dated copy before the first write of each day, the last 7 kept
  (:mod:`kneecore.backup`).

A corrupt or unreadable file raises :class:`StoreError` and is left byte-for-byte as it
was. Recovery (restore a backup, or move the broken file aside) is explicit.

The file is a TinyDB database (``{"table": {"doc id": {...}}}``), so stock TinyDB can
read it, but stock ``JSONStorage`` (truncates in place, not thread-safe) and
``CachingMiddleware`` (may lose unflushed writes) are deliberately not used to write it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import platformdirs
from filelock import FileLock, Timeout
from pydantic import BaseModel, Field

from kneecore import backup as backups_mod
from kneecore import storefile
from kneecore.atomic import (
    PRIVATE_FILE_MODE,
    atomic_write_bytes,
    ensure_private_dir,
    fsync_dir,
    remove_stale_temp_files,
)
from kneecore.backup import Backup
from kneecore.models import Clearance, PhaseStart, SelfCheckResult, Session, Settings
from kneecore.storefile import (
    _MB,
    MAX_IMPORT_BYTES,
    SCHEMA_VERSION,
    AtomicJSONStorage,
    ExportFile,
    InvalidImport,
    StoreDocument,
    StoreError,
    StoreErrorKind,
    parse_export,
    parse_store_bytes,
    plain_errors,
)

STORE_FILENAME = "knee-data.json"
ENV_DATA_DIR = "KNEE_DATA_DIR"
APP_DIRNAME = "kneecare"


# -- where the data lives ------------------------------------------------------------


def default_data_dir() -> Path:
    """The folder the app keeps data in: ``$KNEE_DATA_DIR`` or the per-user data folder.

    The Store creates it on first use, owner-only (mode 0700).
    """
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_DIRNAME, appauthor=False))


def default_store_path() -> Path:
    """The store file the app uses."""
    return default_data_dir() / STORE_FILENAME


@dataclass(frozen=True)
class _Snapshot:
    """The file as last read or written: its bytes and their validated content."""

    raw: bytes | None  # None: there is no file yet
    doc: StoreDocument
    version: int  # the schema version of the file as read (before migration)

    @functools.cached_property
    def revision(self) -> str:
        return hashlib.blake2b(self.raw or b"", digest_size=12).hexdigest()

    @functools.cached_property
    def sessions_by_date(self) -> tuple[Session, ...]:
        # Stable sort: same-day sessions stay in the order they were added.
        return tuple(sorted(self.doc.sessions.values(), key=lambda s: s.date))


@functools.cache
def _library_exercise_ids() -> frozenset[str]:
    # Imported here: the content library is only needed when no ids were given.
    from kneecore.content import load_library

    return frozenset(load_library().exercise_ids)


def _next_key(table: Mapping[str, Any]) -> str:
    return str(max((int(k) for k in table), default=0) + 1)


def _checked_mapping(data: Mapping[str, Any], date_field: str) -> dict[str, Any]:
    """``data`` as a dict, refusing a number where a date belongs.

    The models' dates are lax so that ISO text from JSON validates; lax would also turn
    a number into a Unix-time date, which is never what a caller meant. (JSON input is
    validated with ``strict=True``, which takes ISO text and refuses numbers.)
    """
    value = data.get(date_field)
    if isinstance(value, int | float):
        raise ValueError(f"{date_field}: a date is needed, not the number {value!r}")
    return dict(data)


def _not_future(day: dt.date, field: str, today: dt.date | None = None) -> None:
    if day > (today or dt.date.today()):
        raise ValueError(f"{field}: {day.isoformat()} is in the future")


#: What an import adds, table by table (settings are counted apart).
_IMPORTED = ("sessions", "selfchecks", "phases", "clearances", "warning_records")
#: A self-check with this urgency found a warning sign (kept when practised or deleted).
_WARNING_URGENCIES = ("emergency", "gp_soon")
#: The longest clearance note, as the model allows.
NOTE_MAX = 2000


def _zero_counts() -> dict[str, int]:
    return dict.fromkeys(_IMPORTED, 0)


def _found_warning(check: SelfCheckResult) -> bool:
    """Whether a self-check found a warning sign (v1 results have only their urgency)."""
    return check.urgency in _WARNING_URGENCIES or bool(check.signs)


def _warning_record(check: SelfCheckResult) -> SelfCheckResult:
    """What is kept of a deleted self-check that found a warning sign: its date, signs,
    urgency and reasons; the answers, knee score and advice go, as the user asked."""
    return check.model_copy(update={"answers": {}, "akps": None, "advice": [], "phase": None})


class ImportSummary(BaseModel):
    """What an import added and skipped (already present by id)."""

    added: dict[str, int] = Field(default_factory=_zero_counts)
    skipped: dict[str, int] = Field(default_factory=_zero_counts)
    settings_imported: bool = False

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def describe(self, *, preview: bool = False) -> str:
        """Plain words, e.g. "Added 12 sessions and 1 phase change; skipped 6 sessions".

        With ``preview=True`` it says what an import *would* do.
        """
        added = _listing(self.added) or "nothing new"
        skipped = _listing(self.skipped)
        if preview:
            text = f"Importing it will add {added}"
            text += f" and skip {skipped} you already have." if skipped else "."
        else:
            text = f"Added {added}"
            text += f"; skipped {skipped} already present." if skipped else "."
        if self.settings_imported:
            text += " Your settings " + ("will be" if preview else "were") + " taken from it."
        return text


_NOUNS = {
    "sessions": "session",
    "selfchecks": "self-check",
    "phases": "phase change",
    "clearances": "clearance",
    "warning_records": "warning record",
}


def _listing(counts: Mapping[str, int]) -> str:
    """``{"sessions": 2, "phases": 1}`` -> "2 sessions and 1 phase change" (zeros left out)."""
    parts = [
        f"{n} {_NOUNS[key]}{'' if n == 1 else 's'}"
        for key, n in counts.items()
        if n and key in _NOUNS
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


@runtime_checkable
class UserStore(Protocol):
    """What pages may use. A server-backed store (e.g. PostgreSQL) implements the same."""

    def add_session(self, data: Mapping[str, Any] | Session) -> str: ...
    def sessions(self) -> list[Session]: ...
    def get_session(self, session_id: str) -> Session: ...
    def update_session(self, session_id: str, data: Mapping[str, Any] | Session) -> Session: ...
    def delete_session(self, session_id: str) -> Session: ...
    def add_selfcheck(
        self, result: Mapping[str, Any] | SelfCheckResult, practice: bool = False
    ) -> str | None: ...
    def selfchecks(self) -> list[SelfCheckResult]: ...
    def delete_selfcheck(self, check_id: str) -> SelfCheckResult: ...
    def warning_records(self) -> list[SelfCheckResult]: ...
    def add_clearance(
        self, date: dt.date, note: str = "", *, today: dt.date | None = None
    ) -> str: ...
    def clearances(self) -> list[Clearance]: ...
    def start_phase(
        self, phase: int, started: dt.date | None = None, source: str = "manual"
    ) -> PhaseStart: ...
    def phase_history(self) -> list[PhaseStart]: ...
    def current_phase(self) -> PhaseStart | None: ...
    def settings(self) -> Settings: ...
    def update_settings(self, data: Mapping[str, Any] | Settings) -> Settings: ...
    def export_data(self) -> dict[str, Any]: ...
    def export_json(self) -> str: ...
    def preview_import(self, text: str | bytes) -> ImportSummary: ...
    def import_json(self, text: str | bytes) -> ImportSummary: ...
    def delete_all(self) -> None: ...
    def revision(self) -> str: ...


class Store:
    """The one way to read and write user data. Safe across threads and processes.

    Returned models are the cached, frozen instances: they cannot be changed, and their
    nested lists are shared with the cache, so change data only through the methods here.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        exercise_ids: frozenset[str] | set[str] | None = None,
        lock_timeout: float = 10.0,
    ) -> None:
        self.path = Path(path)
        #: None: the content library's exercises are the known ones (loaded when needed).
        self._exercise_ids = frozenset(exercise_ids) if exercise_ids is not None else None
        self._thread_lock = threading.RLock()
        self._lock_timeout = lock_timeout
        self._file_lock: FileLock | None = None
        self._snapshot: _Snapshot | None = None
        self._temp_files_checked = False
        #: Set when a daily backup could not be written (the save itself succeeded).
        self.backup_warning: str | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    @property
    def folder(self) -> Path:
        return self.path.parent

    # -- locking and raw access ------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            try:
                ensure_private_dir(self.folder)
            except OSError as exc:
                raise StoreError(
                    f"The data folder could not be created ({exc.strerror or exc}).",
                    self.path,
                    kind="unreadable",
                ) from exc
            if self._file_lock is None:
                self._file_lock = FileLock(
                    str(self.path) + ".lock", mode=PRIVATE_FILE_MODE, thread_local=False
                )
            try:
                self._file_lock.acquire(timeout=self._lock_timeout)
            except Timeout as exc:
                raise StoreError(
                    "Your data file is busy in another window or program. "
                    "Wait a moment and try again.",
                    self.path,
                    kind="busy",
                ) from exc
            except OSError as exc:
                raise StoreError(
                    f"Your data file could not be locked ({exc.strerror or exc}).",
                    self.path,
                    kind="unreadable",
                ) from exc
            try:
                yield
            finally:
                self._file_lock.release()

    def _read(self) -> _Snapshot:
        """The current file, validated. Call with the lock held."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Snapshot(None, StoreDocument(), storefile.SCHEMA_VERSION)
        except OSError as exc:
            raise StoreError(
                f"Your data file could not be opened ({exc.strerror or exc}). "
                "Check that it exists and that you may read it.",
                self.path,
                kind="unreadable",
            ) from exc
        cached = self._snapshot
        # Comparing the bytes (not the mtime) makes the cache exact even when another
        # process rewrites the file within one clock tick.
        if cached is not None and cached.raw == raw:
            return cached
        doc, version = parse_store_bytes(raw, self.path)
        snapshot = _Snapshot(raw, doc, version)
        self._snapshot = snapshot
        return snapshot

    def _snap(self) -> _Snapshot:
        with self._locked():
            return self._read()

    def _mutate(self, change: Callable[[StoreDocument], StoreDocument]) -> None:
        """Read-validate-change-write as one step under both locks."""
        with self._locked():
            before = self._read()
            after = change(before.doc)
            after = after.model_copy(
                update={"meta": {"1": storefile.Meta(schema_version=storefile.SCHEMA_VERSION)}}
            )
            payload = after.dump()
            self._before_write(before)
            try:
                atomic_write_bytes(self.path, payload)
            except OSError as exc:
                raise StoreError(
                    f"Your data could not be saved ({exc.strerror or exc}). Nothing was "
                    "changed; your earlier data is safe.",
                    self.path,
                    kind="write_failed",
                ) from exc
            self._snapshot = _Snapshot(payload, after, storefile.SCHEMA_VERSION)

    def _before_write(self, before: _Snapshot) -> None:
        if not self._temp_files_checked:
            remove_stale_temp_files(self.path)
            self._temp_files_checked = True
        if before.raw is None:
            return
        try:
            if before.version < storefile.SCHEMA_VERSION:
                backups_mod.keep_migration_backup(self.path, before.raw, before.version)
            backups_mod.keep_daily_backup(self.path, before.raw, dt.date.today())
            self.backup_warning = None
        except OSError as exc:
            # A missing backup must not stop the user saving today's session; the main
            # file is still written atomically. The page shows this warning.
            self.backup_warning = (
                f"Today's backup could not be written ({exc.strerror or exc}). Your data was saved."
            )

    # -- validation --------------------------------------------------------------------

    def _known_exercises(self) -> frozenset[str]:
        return self._exercise_ids if self._exercise_ids is not None else _library_exercise_ids()

    def _check_exercises(self, session: Session, already: frozenset[str] = frozenset()) -> None:
        known = self._known_exercises()
        for i, entry in enumerate(session.exercises):
            if entry.exercise_id not in known and entry.exercise_id not in already:
                raise ValueError(
                    f"exercises.{i}.exercise_id: unknown exercise {entry.exercise_id!r}"
                )

    def _session(self, data: Mapping[str, Any] | Session) -> Session:
        session = Session.model_validate(
            data.model_dump() if isinstance(data, Session) else _checked_mapping(data, "date")
        )
        self._check_exercises(session)
        return session

    # -- sessions ----------------------------------------------------------------------

    def add_session(self, data: Mapping[str, Any] | Session) -> str:
        """Validate and save a new session; returns its id (kept if ``data`` has one)."""
        session = self._session(data)

        def change(doc: StoreDocument) -> StoreDocument:
            if any(s.id == session.id for s in doc.sessions.values()):
                raise ValueError(f"id: a session with id {session.id!r} already exists")
            table = dict(doc.sessions)
            table[_next_key(table)] = session
            return doc.model_copy(update={"sessions": table})

        self._mutate(change)
        return session.id

    def sessions(self) -> list[Session]:
        """All sessions, oldest first (same-day sessions in the order they were added)."""
        # The models are frozen, so the cached instances are handed out as they are: a
        # caller cannot change them (and so what the next write saves).
        return list(self._snap().sessions_by_date)

    def get_session(self, session_id: str) -> Session:
        """The session with this id; ``KeyError`` if there is none."""
        for session in self._snap().doc.sessions.values():
            if session.id == session_id:
                return session
        raise KeyError(session_id)

    def update_session(self, session_id: str, data: Mapping[str, Any] | Session) -> Session:
        """Change fields of a session (a full or partial mapping); returns the new session."""
        fields = data.model_dump() if isinstance(data, Session) else _checked_mapping(data, "date")
        result: list[Session] = []

        def change(doc: StoreDocument) -> StoreDocument:
            for key, stored in doc.sessions.items():
                if stored.id == session_id:
                    merged = {**stored.model_dump(), **fields, "id": session_id}
                    session = Session.model_validate(merged)
                    # Exercises no longer in the library may stay on an old session.
                    old_ids = frozenset(e.exercise_id for e in stored.exercises)
                    self._check_exercises(session, already=old_ids)
                    table = dict(doc.sessions)
                    table[key] = session
                    result.append(session)
                    return doc.model_copy(update={"sessions": table})
            raise KeyError(session_id)

        self._mutate(change)
        return result[0]

    def delete_session(self, session_id: str) -> Session:
        """Delete a session and return it, so the caller can offer an undo."""
        removed: list[Session] = []

        def change(doc: StoreDocument) -> StoreDocument:
            table = dict(doc.sessions)
            for key, stored in table.items():
                if stored.id == session_id:
                    removed.append(stored)
                    del table[key]
                    return doc.model_copy(update={"sessions": table})
            raise KeyError(session_id)

        self._mutate(change)
        return removed[0]

    # -- self-checks -----------------------------------------------------------------

    def add_selfcheck(
        self, result: Mapping[str, Any] | SelfCheckResult, practice: bool = False
    ) -> str | None:
        """Save a self-check result; returns its id.

        A practice run (``practice=True``, or a result already marked as one) is kept
        only as a warning record: when it found a warning sign it is saved with
        ``practice=True`` and no knee score, else nothing is saved and None returned.
        Adding back a deleted self-check (the page's Undo) with its id replaces the
        warning record kept when it was deleted.
        """
        check = SelfCheckResult.model_validate(
            result.model_dump()
            if isinstance(result, SelfCheckResult)
            else _checked_mapping(result, "date")
        )
        _not_future(check.date, "date")
        if practice or check.practice:
            if not _found_warning(check):
                return None
            check = check.model_copy(update={"practice": True, "akps": None, "phase": None})

        def change(doc: StoreDocument) -> StoreDocument:
            if any(c.id == check.id for c in doc.selfchecks.values()):
                raise ValueError(f"id: a self-check with id {check.id!r} already exists")
            table = dict(doc.selfchecks)
            table[_next_key(table)] = check
            records = {k: r for k, r in doc.warning_records.items() if r.id != check.id}
            return doc.model_copy(update={"selfchecks": table, "warning_records": records})

        self._mutate(change)
        return check.id

    def selfchecks(self) -> list[SelfCheckResult]:
        """All self-check results, oldest first (practice warning records included)."""
        doc = self._snap().doc
        return sorted(doc.selfchecks.values(), key=lambda c: c.date)

    def delete_selfcheck(self, check_id: str) -> SelfCheckResult:
        """Delete a self-check and return it (for an undo); ``KeyError`` if there is none.

        One that found a warning sign leaves a warning record behind (date, signs,
        urgency, reasons): deleting a self-check never lifts the plan pause.
        """
        removed: list[SelfCheckResult] = []

        def change(doc: StoreDocument) -> StoreDocument:
            table = dict(doc.selfchecks)
            for key, stored in table.items():
                if stored.id == check_id:
                    removed.append(stored)
                    del table[key]
                    update: dict[str, Any] = {"selfchecks": table}
                    if _found_warning(stored):
                        records = dict(doc.warning_records)
                        records[_next_key(records)] = _warning_record(stored)
                        update["warning_records"] = records
                    return doc.model_copy(update=update)
            raise KeyError(check_id)

        self._mutate(change)
        return removed[0]

    def warning_records(self) -> list[SelfCheckResult]:
        """What is kept of deleted self-checks that found a warning sign, oldest first."""
        doc = self._snap().doc
        return sorted(doc.warning_records.values(), key=lambda c: c.date)

    # -- clearances ------------------------------------------------------------------

    def add_clearance(self, date: dt.date, note: str = "", *, today: dt.date | None = None) -> str:
        """Record that a GP or physiotherapist examined the knee on ``date`` and said
        the user can exercise; returns its id.

        It covers the warning signs pausing the plan now whose date is on or before
        ``date`` (clinical-rules section 6). ``today`` is for tests.
        """
        # Imported here: kneecore.safety reads the store's models (no import cycle).
        from kneecore import safety

        today = today or dt.date.today()
        examined = date
        if not isinstance(examined, dt.date) or isinstance(examined, dt.datetime):
            raise ValueError("date: give the day of the examination as a date")
        _not_future(examined, "date", today)
        if not isinstance(note, str):
            raise ValueError("note: the note must be text")
        if len(note) > NOTE_MAX:
            raise ValueError(f"note: at most {NOTE_MAX} characters, please ({len(note)} given)")
        ids: list[str] = []

        def change(doc: StoreDocument) -> StoreDocument:
            status = safety.status_of(
                list(doc.selfchecks.values()),
                list(doc.warning_records.values()),
                list(doc.clearances.values()),
                list(doc.sessions.values()),
                today=today,
            )
            covered = [c for c in status.causes if c.date <= examined]
            clearance = Clearance(
                examined=examined,
                recorded=today,
                note=note.strip(),
                covers=list(dict.fromkeys(c.sign for c in covered)),
                selfcheck_ids=list(
                    dict.fromkeys(c.selfcheck_id for c in covered if c.selfcheck_id)
                ),
            )
            ids.append(clearance.id)
            table = dict(doc.clearances)
            table[_next_key(table)] = clearance
            return doc.model_copy(update={"clearances": table})

        self._mutate(change)
        return ids[0]

    def clearances(self) -> list[Clearance]:
        """Clearances, oldest examination first (same day: in the order recorded)."""
        doc = self._snap().doc
        return sorted(doc.clearances.values(), key=lambda c: (c.examined, c.recorded))

    # -- phases ----------------------------------------------------------------------

    def start_phase(
        self, phase: int, started: dt.date | None = None, source: str = "manual"
    ) -> PhaseStart:
        """Record that the user starts ``phase`` (today by default); it becomes current."""
        entry = PhaseStart.model_validate(
            _checked_mapping(
                {"phase": phase, "started": started or dt.date.today(), "source": source},
                "started",
            )
        )
        _not_future(entry.started, "started")

        def change(doc: StoreDocument) -> StoreDocument:
            table = dict(doc.phases)
            table[_next_key(table)] = entry
            return doc.model_copy(update={"phases": table})

        self._mutate(change)
        return entry

    def phase_history(self) -> list[PhaseStart]:
        """Phase starts, oldest first; the last one is the current phase."""
        doc = self._snap().doc
        # Stable: same-day entries keep the order they were recorded in.
        return sorted(doc.phases.values(), key=lambda p: p.started)

    def current_phase(self) -> PhaseStart | None:
        history = self.phase_history()
        return history[-1] if history else None

    # -- settings --------------------------------------------------------------------

    def settings(self) -> Settings:
        found = next(iter(self._snap().doc.settings.values()), None)
        return found if found is not None else Settings()

    def update_settings(self, data: Mapping[str, Any] | Settings) -> Settings:
        fields = data.model_dump() if isinstance(data, Settings) else dict(data)
        result: list[Settings] = []

        def change(doc: StoreDocument) -> StoreDocument:
            current = next(iter(doc.settings.values()), Settings())
            settings = Settings.model_validate({**current.model_dump(), **fields})
            result.append(settings)
            return doc.model_copy(update={"settings": {"1": settings}})

        self._mutate(change)
        return result[0]

    # -- export and import -----------------------------------------------------------

    def _export_file(self) -> ExportFile:
        doc = self._snap().doc
        return ExportFile(
            schema_version=storefile.SCHEMA_VERSION,
            exported_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            sessions=sorted(doc.sessions.values(), key=lambda s: (s.date, s.id)),
            selfchecks=sorted(doc.selfchecks.values(), key=lambda c: (c.date, c.id)),
            phases=sorted(doc.phases.values(), key=lambda p: p.started),
            settings=next(iter(doc.settings.values()), Settings()),
            clearances=sorted(
                doc.clearances.values(), key=lambda c: (c.examined, c.recorded, c.id)
            ),
            warning_records=sorted(doc.warning_records.values(), key=lambda c: (c.date, c.id)),
        )

    def export_data(self) -> dict[str, Any]:
        """The whole store as the export document (plain JSON-ready dict)."""
        return self._export_file().model_dump(mode="json")

    def export_json(self) -> str:
        """The whole store as the export file (JSON text)."""
        return self._export_file().model_dump_json(indent=2)

    def export_csv(self, exercise_names: Mapping[str, str] | None = None) -> str:
        """Sessions as CSV, one row per exercise entry (spreadsheet-safe)."""
        from kneecore.export import sessions_csv

        return sessions_csv(self.sessions(), exercise_names)

    def _validate_import(self, text: str | bytes) -> ExportFile:
        size = len(text.encode("utf-8") if isinstance(text, str) else text)
        if size > MAX_IMPORT_BYTES:
            raise InvalidImport(
                f"The file is too big ({size / _MB:.1f} MB; the limit is "
                f"{MAX_IMPORT_BYTES // _MB} MB). Is it really a Kneecare export? Nothing was "
                "imported."
            )
        export = parse_export(text)
        for kind in _IMPORTED:
            ids = [item.id for item in getattr(export, kind)]
            if len(set(ids)) != len(ids):
                raise InvalidImport(
                    f"The file lists the same {_NOUNS[kind]} id twice. Nothing was imported."
                )
        try:
            for i, session in enumerate(export.sessions):
                try:
                    self._check_exercises(session)
                except ValueError as exc:
                    raise ValueError(f"sessions item {i + 1}, {exc}") from exc
            for i, check in enumerate(export.selfchecks):
                _not_future(check.date, f"selfchecks item {i + 1}, date")
            for i, phase in enumerate(export.phases):
                _not_future(phase.started, f"phases item {i + 1}, started")
            for i, record in enumerate(export.warning_records):
                _not_future(record.date, f"warning_records item {i + 1}, date")
            for i, clearance in enumerate(export.clearances):
                where = f"clearances item {i + 1}"
                _not_future(clearance.recorded, f"{where}, recorded")
                if clearance.examined > clearance.recorded:
                    raise ValueError(f"{where}, examined: after the day it was recorded")
        except ValueError as exc:
            raise InvalidImport(
                f"The file has invalid data ({exc}). Nothing was imported."
            ) from exc
        return export

    def _merge(
        self, doc: StoreDocument, export: ExportFile, summary: ImportSummary
    ) -> StoreDocument:
        update: dict[str, Any] = {}
        # A kept warning record and the self-check it came from share an id: either one
        # already here means the other is not added again.
        checks = {c.id for c in (*doc.selfchecks.values(), *doc.warning_records.values())}
        for name in _IMPORTED:
            items = getattr(export, name)
            table: dict[str, Any] = dict(getattr(doc, name))
            present = {item.id for item in table.values()}
            if name in ("selfchecks", "warning_records"):
                present |= checks
            next_key = int(_next_key(table))
            for item in items:
                if item.id in present:
                    summary.skipped[name] += 1
                    continue
                table[str(next_key)] = item
                next_key += 1
                present.add(item.id)
                checks.add(item.id)
                summary.added[name] += 1
            update[name] = table
        if export.settings is not None and not doc.settings:
            update["settings"] = {"1": export.settings}
            summary.settings_imported = True
        return doc.model_copy(update=update)

    def preview_import(self, text: str | bytes) -> ImportSummary:
        """What :meth:`import_json` would add and skip; validates fully, writes nothing."""
        export = self._validate_import(text)
        summary = ImportSummary()
        self._merge(self._snap().doc, export, summary)
        return summary

    def import_json(self, text: str | bytes) -> ImportSummary:
        """Import an export file, all or nothing. Items already present (by id) are skipped.

        Raises :class:`InvalidImport` (a ``ValueError``) with a plain message, having
        saved nothing, if anything in the file is invalid.
        """
        export = self._validate_import(text)
        summary = ImportSummary()
        self._mutate(lambda doc: self._merge(doc, export, summary))
        return summary

    # -- whole-file operations -------------------------------------------------------

    def revision(self) -> str:
        """A short fingerprint of the stored data: changes whenever the data changes.

        Pages can use it as a ``st.cache_data`` key for frames derived from the store.
        """
        return self._snap().revision

    def counts(self) -> dict[str, int]:
        doc = self._snap().doc
        return {
            "sessions": len(doc.sessions),
            "selfchecks": len(doc.selfchecks),
            "clearances": len(doc.clearances),
        }

    def backups(self) -> list[Backup]:
        """Daily backups, newest first."""
        return backups_mod.list_backups(self.path)

    def aside_files(self) -> list[Path]:
        """Files moved aside earlier by recovery (never deleted, except by delete_all)."""
        return backups_mod.aside_files(self.path)

    def restore_backup(self, backup: Backup | Path | None = None) -> Path:
        """Replace the store with a backup (the newest usable one by default).

        The current file is first moved aside (renamed, never deleted). Returns the
        backup's path. Raises :class:`StoreError` if no usable backup exists.
        """
        with self._locked():
            candidates = (
                [backup.path if isinstance(backup, Backup) else Path(backup)]
                if backup is not None
                else [b.path for b in self.backups()]
            )
            chosen: tuple[Path, bytes] | None = None
            for candidate in candidates:
                try:
                    raw = candidate.read_bytes()
                    parse_store_bytes(raw, candidate)
                except (OSError, StoreError):
                    continue
                chosen = (candidate, raw)
                break
            if chosen is None:
                raise StoreError("There is no usable backup to restore.", self.path, kind="corrupt")
            try:
                if self.path.exists():
                    try:
                        self._read()
                        reason = "replaced"
                    except StoreError:
                        reason = "broken"
                    backups_mod.move_aside(self.path, reason)
                atomic_write_bytes(self.path, chosen[1])
            except OSError as exc:
                raise StoreError(
                    f"The backup could not be restored ({exc.strerror or exc}).",
                    self.path,
                    kind="write_failed",
                ) from exc
            self._snapshot = None
            return chosen[0]

    def move_aside_and_reset(self) -> Path | None:
        """Rename the (broken) store file next to itself and start an empty store.

        Returns where the old file now is (None if there was no file). Never deletes.
        """
        with self._locked():
            self._snapshot = None
            if not self.path.exists():
                return None
            try:
                return backups_mod.move_aside(self.path, "broken")
            except OSError as exc:
                raise StoreError(
                    f"The file could not be moved aside ({exc.strerror or exc}).",
                    self.path,
                    kind="write_failed",
                ) from exc

    def delete_all(self) -> None:
        """Remove the store file, its backups and moved-aside copies. Ask the user first."""
        with self._locked():
            self._snapshot = None
            try:
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                backups_mod.delete_backups(self.path)
            except OSError as exc:
                raise StoreError(
                    f"Your data could not be fully deleted ({exc.strerror or exc}).",
                    self.path,
                    kind="write_failed",
                ) from exc
            fsync_dir(self.folder)


__all__ = [
    "MAX_IMPORT_BYTES",
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "Backup",
    "ExportFile",
    "ImportSummary",
    "InvalidImport",
    "Store",
    "StoreError",
    "StoreErrorKind",
    "UserStore",
    "default_data_dir",
    "default_store_path",
    "parse_store_bytes",
    "plain_errors",
]
