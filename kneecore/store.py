"""The user's data store: one TinyDB JSON file on the user's own machine.

This is the only way to read or write user data. It owns:

* **atomicity** — the file is never written in place: a temporary file in the same
  folder is written, flushed and fsynced, then ``os.replace``-d over the old one, and
  the folder is fsynced so the rename itself survives a power cut;
* **locking** — a thread lock (Streamlit serves every tab from a thread of one process)
  plus a cross-process file lock; every read-modify-write happens inside both;
* **validation** — every document is validated with the pydantic models on read and on
  write; invalid input raises and writes nothing;
* **schema version** — stored in the file, migrated forward on read; a file from a
  newer app version is refused rather than guessed at.

A corrupt or unreadable file raises :class:`StoreError` and is never overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError
from tinydb.storages import Storage

from kneecore.models import PhaseStart, SelfCheckResult, Session, Settings

SCHEMA_VERSION = 1
STORE_FILENAME = "knee-data.json"
ENV_DATA_DIR = "KNEE_DATA_DIR"

_SESSIONS = "sessions"
_SELFCHECKS = "selfchecks"
_PHASES = "phases"
_SETTINGS = "settings"
_META = "_meta"

M = TypeVar("M", bound=BaseModel)


class StoreError(Exception):
    """The store file cannot be used. The message is plain language for the user."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def default_data_dir() -> Path:
    """The folder the app keeps data in: ``$KNEE_DATA_DIR`` or the per-user data folder."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("kneecare", appauthor=False))


def default_store_path() -> Path:
    """The store file the app uses."""
    return default_data_dir() / STORE_FILENAME


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable. Not every platform can open a folder (Windows cannot).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(folder)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never writes in place and refuses what it cannot parse.

    Stock ``JSONStorage`` truncates the file and writes over it, so a crash mid-write
    loses everything; this one goes through :func:`atomic_write_bytes`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(
                f"Your data file could not be opened ({exc.strerror or exc}). "
                "Check that it exists and that you may read it.",
                self.path,
            ) from exc
        try:
            data = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreError(
                "Your data file is damaged: it is not complete, valid JSON. "
                "It has not been changed.",
                self.path,
            ) from exc
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise StoreError(
                "Your data file does not have the expected layout. It has not been changed.",
                self.path,
            )
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write_bytes(self.path, payload.encode("utf-8"))
        except OSError as exc:
            raise StoreError(
                f"Your data could not be saved ({exc.strerror or exc}). "
                "Nothing was changed; your earlier data is safe.",
                self.path,
            ) from exc

    def close(self) -> None:
        pass


# Migrations take the raw document of version N and return version N + 1.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Store:
    """The one way to read and write user data. Safe across threads and processes."""

    def __init__(
        self,
        path: str | Path,
        *,
        exercise_ids: frozenset[str] | set[str] | None = None,
        lock_timeout: float = 10.0,
    ) -> None:
        self.path = Path(path)
        self._exercise_ids = frozenset(exercise_ids) if exercise_ids is not None else None
        self._thread_lock = threading.RLock()
        self._lock_timeout = lock_timeout
        self._file_lock: FileLock | None = None
        # The file is a TinyDB database (tables of doc-id -> document); all access goes
        # through this storage so that every operation is locked, validated and atomic.
        self._storage = AtomicJSONStorage(self.path)

    # -- locking and raw access ------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if self._file_lock is None:
                self._ensure_folder()
                self._file_lock = FileLock(str(self.path) + ".lock")
            try:
                with self._file_lock.acquire(timeout=self._lock_timeout):
                    yield
            except Timeout as exc:
                raise StoreError(
                    "Your data file is busy in another window or program. "
                    "Close it there and try again.",
                    self.path,
                ) from exc

    def _ensure_folder(self) -> None:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(
                f"The data folder {folder} could not be created ({exc.strerror or exc}).",
                self.path,
            ) from exc

    def _load(self) -> dict[str, dict[str, Any]]:
        """Read, migrate and validate the whole file. Call with the lock held."""
        data = self._storage.read()
        if data is None:
            return {}
        version = _schema_version(data, self.path)
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"Your data file was written by a newer version of this app "
                f"(format {version}; this one reads up to {SCHEMA_VERSION}). "
                "Update the app; the file has not been changed.",
                self.path,
            )
        while version < SCHEMA_VERSION:
            data = MIGRATIONS[version](data)
            version += 1
        for table, model in _TABLE_MODELS.items():
            for doc_id, doc in data.get(table, {}).items():
                try:
                    model.model_validate(doc)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    field = ".".join(str(p) for p in first["loc"])
                    raise StoreError(
                        f"Your data file has an invalid entry ({table} #{doc_id}, "
                        f"field '{field}': {first['msg']}). It has not been changed.",
                        self.path,
                    ) from exc
        return data

    def _models(self, table: str, model: type[M]) -> list[M]:
        with self._locked():
            data = self._load()
        return [model.model_validate(doc) for doc in data.get(table, {}).values()]

    def _mutate(self, change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
        """Read-validate-change-write as one step under the lock."""
        with self._locked():
            data = self._load()
            data.setdefault(_META, {})["1"] = {"schema_version": SCHEMA_VERSION}
            change(data)
            self._storage.write(data)

    # -- validation --------------------------------------------------------------------

    def _check_exercises(self, session: Session) -> None:
        if self._exercise_ids is None:
            return
        for i, entry in enumerate(session.exercises):
            if entry.exercise_id not in self._exercise_ids:
                raise ValueError(
                    f"exercises.{i}.exercise_id: unknown exercise {entry.exercise_id!r}"
                )

    def _session(self, data: Mapping[str, Any] | Session) -> Session:
        session = (
            Session.model_validate(data.model_dump())
            if isinstance(data, Session)
            else Session.model_validate(dict(data))
        )
        self._check_exercises(session)
        return session

    # -- sessions ----------------------------------------------------------------------

    def add_session(self, data: Mapping[str, Any] | Session) -> str:
        """Validate and save a new session; returns its id."""
        session = self._session(data)

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.setdefault(_SESSIONS, {})
            if any(d.get("id") == session.id for d in table.values()):
                raise ValueError(f"id: a session with id {session.id!r} already exists")
            table[_next_key(table)] = _dump(session)

        self._mutate(change)
        return session.id

    def sessions(self) -> list[Session]:
        """All sessions, oldest first."""
        return sorted(self._models(_SESSIONS, Session), key=lambda s: s.date)

    def get_session(self, session_id: str) -> Session:
        for session in self.sessions():
            if session.id == session_id:
                return session
        raise KeyError(session_id)

    def update_session(self, session_id: str, data: Mapping[str, Any] | Session) -> Session:
        """Change fields of a session (a full or partial mapping); returns the new session."""
        fields = data.model_dump() if isinstance(data, Session) else dict(data)
        result: list[Session] = []

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.get(_SESSIONS, {})
            for key, stored in table.items():
                if stored.get("id") == session_id:
                    merged = {**stored, **fields, "id": session_id}
                    session = self._session(merged)
                    table[key] = _dump(session)
                    result.append(session)
                    return
            raise KeyError(session_id)

        self._mutate(change)
        return result[0]

    def delete_session(self, session_id: str) -> Session:
        """Delete a session and return it, so the caller can offer an undo."""
        removed: list[Session] = []

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.get(_SESSIONS, {})
            for key, stored in list(table.items()):
                if stored.get("id") == session_id:
                    removed.append(Session.model_validate(stored))
                    del table[key]
                    return
            raise KeyError(session_id)

        self._mutate(change)
        return removed[0]

    # -- self-checks -----------------------------------------------------------------

    def add_selfcheck(self, result: Mapping[str, Any] | SelfCheckResult) -> str:
        check = (
            result
            if isinstance(result, SelfCheckResult)
            else SelfCheckResult.model_validate(dict(result))
        )
        check = SelfCheckResult.model_validate(check.model_dump())

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.setdefault(_SELFCHECKS, {})
            if any(d.get("id") == check.id for d in table.values()):
                raise ValueError(f"id: a self-check with id {check.id!r} already exists")
            table[_next_key(table)] = _dump(check)

        self._mutate(change)
        return check.id

    def selfchecks(self) -> list[SelfCheckResult]:
        """All self-check results, oldest first."""
        return sorted(self._models(_SELFCHECKS, SelfCheckResult), key=lambda c: c.date)

    # -- phases ----------------------------------------------------------------------

    def start_phase(
        self, phase: int, started: dt.date | None = None, source: str = "manual"
    ) -> PhaseStart:
        """Record that the user starts ``phase`` (today by default); it becomes current."""
        entry = PhaseStart.model_validate(
            {"phase": phase, "started": started or dt.date.today(), "source": source}
        )
        if entry.started > dt.date.today():
            raise ValueError("started: the phase cannot start in the future")

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.setdefault(_PHASES, {})
            table[_next_key(table)] = _dump(entry)

        self._mutate(change)
        return entry

    def phase_history(self) -> list[PhaseStart]:
        """Phase starts, oldest first; the last one is the current phase."""
        entries = self._models(_PHASES, PhaseStart)
        # Stable: same-day entries keep the order they were recorded in.
        return sorted(entries, key=lambda p: p.started)

    def current_phase(self) -> PhaseStart | None:
        history = self.phase_history()
        return history[-1] if history else None

    # -- settings --------------------------------------------------------------------

    def settings(self) -> Settings:
        found = self._models(_SETTINGS, Settings)
        return found[0] if found else Settings()

    def update_settings(self, data: Mapping[str, Any] | Settings) -> Settings:
        fields = data.model_dump() if isinstance(data, Settings) else dict(data)
        result: list[Settings] = []

        def change(doc: dict[str, dict[str, Any]]) -> None:
            table = doc.setdefault(_SETTINGS, {})
            current: dict[str, Any] = next(iter(table.values()), {})
            settings = Settings.model_validate({**current, **fields})
            doc[_SETTINGS] = {"1": _dump(settings)}
            result.append(settings)

        self._mutate(change)
        return result[0]

    # -- export and import -----------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        with self._locked():
            data = self._load()

        def models(table: str, model: type[BaseModel]) -> list[BaseModel]:
            return [model.model_validate(d) for d in data.get(table, {}).values()]

        sessions = sorted(models(_SESSIONS, Session), key=lambda s: (s.date, s.id))  # type: ignore[attr-defined]
        checks = sorted(models(_SELFCHECKS, SelfCheckResult), key=lambda c: (c.date, c.id))  # type: ignore[attr-defined]
        phases = models(_PHASES, PhaseStart)
        settings = models(_SETTINGS, Settings)
        return {
            "schema_version": SCHEMA_VERSION,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sessions": [_dump(s) for s in sessions],
            "selfchecks": [_dump(c) for c in checks],
            "phases": [_dump(p) for p in sorted(phases, key=lambda p: p.started)],  # type: ignore[attr-defined]
            "settings": _dump(settings[0] if settings else Settings()),
        }

    def export_json(self) -> str:
        """The whole store as the export file (JSON text)."""
        return json.dumps(self.export_data(), indent=2, ensure_ascii=False, allow_nan=False)

    def import_json(self, text: str | bytes) -> ImportSummary:
        """Import an export file, all or nothing. Items already present (by id) are skipped."""
        try:
            raw = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"The file is not valid JSON ({exc}).") from exc
        export = ExportFile.model_validate(raw)
        if export.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version: the file was made by a newer version of this app "
                f"({export.schema_version}); this one reads up to {SCHEMA_VERSION}"
            )
        sessions = [self._session(s) for s in export.sessions]
        checks = [SelfCheckResult.model_validate(c) for c in export.selfchecks]
        phases = [PhaseStart.model_validate(p) for p in export.phases]
        summary = ImportSummary()

        def change(doc: dict[str, dict[str, Any]]) -> None:
            for table_name, items, counter in (
                (_SESSIONS, sessions, "sessions"),
                (_SELFCHECKS, checks, "selfchecks"),
                (_PHASES, phases, "phases"),
            ):
                table = doc.setdefault(table_name, {})
                present = {d.get("id") for d in table.values()}
                for item in items:
                    if item.id in present:
                        summary.skipped[counter] += 1
                        continue
                    table[_next_key(table)] = _dump(item)
                    present.add(item.id)
                    summary.added[counter] += 1
            if export.settings is not None and not doc.get(_SETTINGS):
                doc[_SETTINGS] = {"1": _dump(Settings.model_validate(export.settings))}

        self._mutate(change)
        return summary

    def delete_all(self) -> None:
        """Remove the store file. The caller asks for confirmation first."""
        with self._locked(), contextlib.suppress(FileNotFoundError):
            self.path.unlink()
            _fsync_dir(self.path.parent)


class ImportSummary(BaseModel):
    added: dict[str, int] = {"sessions": 0, "selfchecks": 0, "phases": 0}
    skipped: dict[str, int] = {"sessions": 0, "selfchecks": 0, "phases": 0}

    def describe(self) -> str:
        return (
            f"Added {self.added['sessions']} sessions, {self.added['selfchecks']} self-checks "
            f"and {self.added['phases']} phase changes; skipped {self.skipped['sessions']} "
            f"sessions and {self.skipped['selfchecks']} self-checks already present."
        )


class ExportFile(BaseModel):
    """The export file's outer shape; items are validated with their own models."""

    model_config = {"extra": "forbid"}

    schema_version: int
    exported_at: str | None = None
    sessions: list[dict[str, Any]] = []
    selfchecks: list[dict[str, Any]] = []
    phases: list[dict[str, Any]] = []
    settings: dict[str, Any] | None = None


_TABLE_MODELS: dict[str, type[BaseModel]] = {
    _SESSIONS: Session,
    _SELFCHECKS: SelfCheckResult,
    _PHASES: PhaseStart,
    _SETTINGS: Settings,
}


def _schema_version(data: dict[str, dict[str, Any]], path: Path) -> int:
    meta = data.get(_META)
    if not meta:
        # A file with data but no version predates versioning: that is version 1's shape.
        return SCHEMA_VERSION
    first: dict[str, Any] = next(iter(meta.values()), {})
    version = first.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(
            "Your data file has an unreadable format version. It has not been changed.", path
        )
    return version


def _next_key(table: dict[str, Any]) -> str:
    return str(max((int(k) for k in table if k.isdigit()), default=0) + 1)


def _dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json")


__all__ = [
    "SCHEMA_VERSION",
    "AtomicJSONStorage",
    "ImportSummary",
    "Store",
    "StoreError",
    "default_data_dir",
    "default_store_path",
]
