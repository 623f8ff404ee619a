"""The user's data store: one TinyDB-format JSON file on the user's own machine.

This is the only way to read or write user data. It owns:

* **atomicity** — the file is never written in place: a temporary file in the same
  folder is written, flushed and fsynced, then ``os.replace``-d over the old one, and
  the folder is fsynced too (:mod:`kneecore.atomic`). A crash leaves the old file or the
  new one, never a mix;
* **locking** — a thread lock plus a cross-process file lock (:mod:`kneecore.storelock`)
  around every read and every read-modify-write;
* **validation** — the whole file is validated with the pydantic models in one pass on
  read (:mod:`kneecore.storefile`), and every new item on write
  (:mod:`kneecore.storecheck`); invalid input raises and writes nothing;
* **schema version** — stored in the file, migrated forward on read (the old file is
  kept in ``backups/``); a file from a newer app version is refused, not guessed at;
* **backups** — a dated copy before the first write of each day, the last 7 kept
  (:mod:`kneecore.backup`).

The file itself (locked reads, the unit of work that returns what a change produced,
backups, recovery) is :class:`~kneecore.storebase.StoreBase`; the user's data on top
(sessions, runs, self-checks and the rest, each written once for every kind of store)
is :class:`~kneecore.storerules.StoreRules`, which a clinic's PostgreSQL store shares.
Export and import are in :mod:`kneecore.transfer`; what pages may call is
:class:`~kneecore.userstore.UserStore`.

A corrupt or unreadable file raises :class:`StoreError` and is left byte-for-byte as it
was. Recovery (restore a backup, or move the broken file aside) is explicit.

The file is a TinyDB database (``{"table": {"doc id": {...}}}``), so stock TinyDB can
read it, but stock ``JSONStorage`` (truncates in place, not thread-safe) and
``CachingMiddleware`` (may lose unflushed writes) are deliberately not used to write it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from kneecore.backup import Backup
from kneecore.storebase import DeletedData, RunsAdded, StoreBase
from kneecore.storecheck import NOTE_MAX
from kneecore.storefile import (
    MAX_IMPORT_BYTES,
    SCHEMA_VERSION,
    InvalidImport,
    StoreConflict,
    StoreError,
    StoreErrorKind,
)
from kneecore.storerules import StoreRules
from kneecore.transfer import ImportSummary
from kneecore.userstore import UserStore

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


class Store(StoreRules, StoreBase):
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
        super().__init__(path, lock_timeout=lock_timeout)
        #: None: the content library's exercises are the known ones (loaded when needed).
        self._exercise_ids = frozenset(exercise_ids) if exercise_ids is not None else None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # The file's reads and unit of work, which the rules run on (named here so that
    # it is plain which base supplies them).
    _snap = StoreBase._snap
    _mutate = StoreBase._mutate

    def _data_file(self) -> Path | None:
        return self.path


if TYPE_CHECKING:
    # mypy checks here that Store has every member of the interface pages use.
    def _is_a_user_store(store: Store) -> UserStore:
        return store


__all__ = [
    "MAX_IMPORT_BYTES",
    "NOTE_MAX",
    "SCHEMA_VERSION",
    "STORE_FILENAME",
    "Backup",
    "DeletedData",
    "ImportSummary",
    "InvalidImport",
    "RunsAdded",
    "Store",
    "StoreConflict",
    "StoreError",
    "StoreErrorKind",
    "UserStore",
    "default_data_dir",
    "default_store_path",
]
