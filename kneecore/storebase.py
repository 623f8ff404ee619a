"""The store's file on disk: locked reads, the unit of work, backups and recovery.

:class:`StoreBase` knows the file, not what is in it: it reads and validates the whole
file under the store's locks (:mod:`kneecore.storelock`), caches it by its bytes, runs
each change as one read-change-write step (:meth:`StoreBase._mutate`) written
atomically (:mod:`kneecore.atomic`) after the day's backup (:mod:`kneecore.backup`),
and restores a backup or moves a broken file aside when the user asks. A store path that
is a symlink is written through to its target (the link stays); a file the user made
read-only is never replaced; temporary files of killed writers go on the first access.

A page rerun reads the store several times; each read still takes the locks, but when
the file's identity (:class:`FileStamp`) is one already verified byte for byte, it
reuses the parsed snapshot without reading the 1.5 MB file again.
:class:`kneecore.store.Store` adds the user's sessions, self-checks and the rest on top.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kneecore import backup as backups_mod
from kneecore import heap, storefile
from kneecore.atomic import (
    atomic_write_bytes,
    fsync_dir,
    is_read_only,
    real_path,
    remove_stale_temp_files,
    temp_prefix,
)
from kneecore.backup import Backup
from kneecore.models import Session
from kneecore.storefile import (
    StoreDocument,
    StoreError,
    StoreErrorKind,
    os_errors_as_store_error,
)
from kneecore.storelock import StoreLock
from kneecore.words import counted_records, join_words, plural

_T = TypeVar("_T")


def _fingerprint(raw: bytes) -> str:
    # SHA-256 has CPU instructions on most machines: twice as fast here as BLAKE2.
    return hashlib.sha256(raw).hexdigest()[:24]


@dataclass(frozen=True)
class _Snapshot:
    """The file as last read or written: the fingerprint of its bytes and their content.

    Not the bytes themselves: five years of data is 1.6 MB the server would hold for
    nothing but comparing (issue 12's memory target), once the file's stamp can tell
    a change (``StoreBase._recent_bytes``). A backup reads the file again.
    """

    exists: bool  # False: there is no file yet
    revision: str  # the fingerprint of the file's bytes
    doc: StoreDocument
    version: int  # the schema version of the file as read (before migration)

    @functools.cached_property
    def sessions_by_date(self) -> tuple[Session, ...]:
        # Stable sort: same-day sessions stay in the order they were added.
        return tuple(sorted(self.doc.sessions.values(), key=lambda s: s.date))


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


#: A file modified at least this long before it was read in full can be recognised by
#: its stamp alone: any later change gets a later modification time, even on file
#: systems whose clock ticks coarsely (ext4: a few ms; FAT: 2 s).
STAMP_SETTLED_NS = 3_000_000_000


@dataclass(frozen=True)
class FileStamp:
    """What ``stat`` says about the store file: changes whenever the file is replaced.

    Every write replaces the file (a new inode), so a stamp equal to one verified
    earlier means the same bytes, provided the file had settled when it was verified
    (see :data:`STAMP_SETTLED_NS`): a replacement within the same clock tick could
    reuse a freed inode with the same size and time, and is caught by the byte compare.
    """

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def settled(self, checked_at_ns: int) -> bool:
        """Whether the file was already this old when its bytes were read at ``checked_at_ns``."""
        # The modification time, as git's index does: a replacement made after the
        # check gets a later one. (The change time also moves on a rename or chmod.)
        return checked_at_ns - self.mtime_ns >= STAMP_SETTLED_NS


@dataclass(frozen=True)
class RunsAdded:
    """What ``Store.add_runs`` did: the new runs' ids, and how many were there already."""

    added: tuple[str, ...]
    already_there: int


@dataclass(frozen=True)
class DeletedData:
    """What "delete all my data" removed, so the page can say exactly that."""

    #: The file that held the data (a symlink's target), None when there was none.
    data_file: Path | None = None
    #: The symlink the store path was, removed with its target; None when not a link.
    link: Path | None = None
    #: The files of the backup folder (daily and pre-migration backups).
    backups: tuple[Path, ...] = ()
    #: Copies moved aside earlier by recovery.
    aside: tuple[Path, ...] = ()
    #: A clinic's server store (no file): how many items of each table were deleted
    #: there, e.g. ``{"sessions": 3, "runs": 1}``; None for the file store.
    on_server: Mapping[str, int] | None = None

    def describe(self) -> str:
        """Plain words, e.g. "Deleted your data file (/home/a/knee-data.json) and 3 backups." """
        if self.on_server is not None:
            held = [counted_records({k: n}) for k, n in self.on_server.items()]
            if self.on_server.get("settings"):
                held.append("your settings")
            held = [words for words in held if words]
            if not held:
                return "There was no data to delete."
            return f"Deleted {join_words(held)} from the clinic's server."
        parts = []
        if self.data_file is not None:
            parts.append(f"your data file ({self.data_file})")
        if self.link is not None:
            parts.append(f"the link to it ({self.link})")
        if self.backups:
            parts.append(plural(len(self.backups), "backup"))
        if self.aside:
            parts.append(
                "1 copy set aside earlier"
                if len(self.aside) == 1
                else f"{len(self.aside)} copies set aside earlier"
            )
        if not parts:
            return "There was no data to delete."
        return "Deleted " + join_words(parts) + "."


class StoreBase:
    """One store file: safe reads and writes across threads and processes, and recovery."""

    def __init__(self, path: str | Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._lock = StoreLock(self.path, lock_timeout)
        self._snapshot: _Snapshot | None = None
        #: The bytes of ``_snapshot``'s file until its stamp is trusted: while the clock
        #: cannot tell two writes apart, the next read compares them (cheaper than a
        #: fingerprint on every rerun after a save); then they are dropped (memory).
        self._recent_bytes: bytes | None = None
        #: The stamp of the file whose content is ``_snapshot``, once it has settled.
        self._trusted_stamp: FileStamp | None = None
        #: Whether this object has removed the temporary files of killed writers yet.
        self._tidied = False
        #: Set when a daily backup could not be written (the save itself succeeded).
        self.backup_warning: str | None = None

    @property
    def folder(self) -> Path:
        return self.path.parent

    # -- the unit of work ------------------------------------------------------------

    def _failing(
        self, message: str, kind: StoreErrorKind
    ) -> contextlib.AbstractContextManager[None]:
        """An ``OSError`` inside becomes a :class:`StoreError` about this store's file."""
        return os_errors_as_store_error(message, self.path, kind=kind)

    def _tidy(self) -> None:
        """Remove temporary files killed writers left (once per object). Lock held.

        Run on the first locked access, read or write: with the file lock held no live
        writer owns one, so a crash mid-save leaves no partial file around for long.
        """
        if self._tidied:
            return
        self._tidied = True
        real = real_path(self.path)
        remove_stale_temp_files(self.folder, temp_prefix(self.path))
        if real != self.path:
            remove_stale_temp_files(real.parent, temp_prefix(real))
        backups_mod.remove_stale_backup_temp_files(self.path)

    def _writable(self) -> Path:
        """The file a save replaces (a symlink's target); refuses a read-only one. Lock held."""
        real = real_path(self.path)
        if is_read_only(real):
            raise StoreError(
                "Your data file is read-only (it has no write permission). Nothing was "
                "saved; your data is as it was. To save again, give yourself write "
                "permission on the file.",
                self.path,
                kind="write_failed",
            )
        return real

    def _read(self) -> _Snapshot:
        """The current file, validated. Call with the lock held."""
        self._tidy()
        with self._failing(
            "Your data file could not be opened ({reason}). "
            "Check that it exists and that you may read it.",
            "unreadable",
        ):
            # The stamp is taken before the bytes: if the file is replaced in between,
            # the stamp kept is the older one and the next read looks again.
            checked_at = time.time_ns()
            stamp = FileStamp.of(self.path)
            cached = self._snapshot
            if cached is not None and stamp is not None and stamp == self._trusted_stamp:
                return cached
            raw = _read_or_none(self.path)
        if raw is None:
            self._trusted_stamp = None
            return _Snapshot(False, _fingerprint(b""), StoreDocument(), storefile.SCHEMA_VERSION)
        # Comparing the bytes (not only the stamp) makes the cache exact even when
        # another process rewrites the file within one clock tick: byte for byte while
        # they are still held (the file is new), else by their fingerprint.
        if cached is None or not cached.exists or not self._holds(cached, raw):
            self._trusted_stamp = None
            doc, version = storefile.parse_store_bytes(raw, self.path)
            cached = _Snapshot(True, _fingerprint(raw), doc, version)
            self._recent_bytes = raw
            # The parser's working memory is free now; without this the server keeps
            # about half as much again as the parsed store holds (issue 12, bench).
            heap.release_free_memory()
            self._snapshot = cached
        if stamp is not None and stamp.settled(checked_at):
            self._trusted_stamp = stamp
            # From now on the stamp tells a change: the bytes need not be kept.
            self._recent_bytes = None
        return cached

    def _holds(self, cached: _Snapshot, raw: bytes) -> bool:
        """Whether ``raw`` are the bytes ``cached`` was made from."""
        if self._recent_bytes is not None:
            return self._recent_bytes == raw
        return cached.revision == _fingerprint(raw)

    def _snap(self) -> _Snapshot:
        # A settled file whose stamp is unchanged needs neither the file lock nor a read:
        # writers only ever replace the file whole (a new stamp), so what this process
        # parsed is what is there. Anything else goes through the locked read.
        with self._lock.thread_held():
            cached = self._snapshot
            trusted = self._trusted_stamp
            if cached is not None and trusted is not None:
                with self._failing(
                    "Your data file could not be opened ({reason}). "
                    "Check that it exists and that you may read it.",
                    "unreadable",
                ):
                    if FileStamp.of(self.path) == trusted:
                        return cached
        with self._lock.held():
            return self._read()

    def _mutate(self, change: Callable[[StoreDocument], tuple[StoreDocument, _T]]) -> _T:
        """Read-validate-change-write as one step under both locks.

        ``change`` returns the new document and what the caller gets back (the new id,
        the changed or deleted item); raising in it writes nothing.
        """
        with self._lock.held():
            before = self._read()
            after, result = change(before.doc)
            after = after.model_copy(
                update={"meta": {"1": storefile.Meta(schema_version=storefile.SCHEMA_VERSION)}}
            )
            payload = after.dump()
            with self._failing(
                "Your data could not be saved ({reason}). Nothing was "
                "changed; your earlier data is safe.",
                "write_failed",
            ):
                # Checked before the backup too: a read-only store changes nothing at all.
                target = self._writable()
                self._before_write(before)
                atomic_write_bytes(target, payload)
            self._snapshot = _Snapshot(True, _fingerprint(payload), after, storefile.SCHEMA_VERSION)
            self._recent_bytes = payload
            self._trusted_stamp = None
            return result

    def _before_write(self, before: _Snapshot) -> None:
        if not before.exists:
            return
        today = dt.date.today()
        migrating = before.version < storefile.SCHEMA_VERSION
        if not migrating and backups_mod.daily_backup_path(self.path, today).exists():
            self.backup_warning = None  # today's copy is kept: no need to read the file
            return
        try:
            # Read again under the lock: the bytes about to be replaced, exactly.
            current = _read_or_none(self.path)
            if current is None:
                return
            if migrating:
                backups_mod.keep_migration_backup(self.path, current, before.version)
            backups_mod.keep_daily_backup(self.path, current, today)
            self.backup_warning = None
        except OSError as exc:
            # A missing backup must not stop the user saving today's session; the main
            # file is still written atomically. The page shows this warning.
            self.backup_warning = (
                f"Today's backup could not be written ({exc.strerror or exc}). Your data was saved."
            )

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
        with self._lock.held():
            candidates = (
                [backup.path if isinstance(backup, Backup) else Path(backup)]
                if backup is not None
                else [b.path for b in self.backups()]
            )
            chosen, raw = backups_mod.first_usable(candidates, self.path)
            with self._failing("The backup could not be restored ({reason}).", "write_failed"):
                self._writable()
            try:
                self._read()
                reason = "replaced"
            except StoreError:
                reason = "broken"
            with self._failing("The backup could not be restored ({reason}).", "write_failed"):
                backups_mod.replace_store(self.path, raw, reason)
            self._snapshot = None
            self._trusted_stamp = None
            return chosen

    def move_aside_and_reset(self) -> Path | None:
        """Rename the (broken) store file next to itself and start an empty store.

        Returns where the old file now is (None if there was no file). Never deletes.
        """
        with self._lock.held():
            self._snapshot = None
            self._trusted_stamp = None
            if not self.path.exists():
                return None
            with self._failing("The file could not be moved aside ({reason}).", "write_failed"):
                return backups_mod.move_aside(self.path, "broken")

    def delete_all(self) -> DeletedData:
        """Remove the store file, its backups and moved-aside copies. Ask the user first.

        When the store path is a symlink, the file it points to goes as well as the link:
        "delete all my data" deletes what the store really holds. Returns what was removed.
        """
        with self._lock.held():
            self._snapshot = None
            self._trusted_stamp = None
            with self._failing("Your data could not be fully deleted ({reason}).", "write_failed"):
                link = self.path if self.path.is_symlink() else None
                real = real_path(self.path)
                data_file = real if real.exists() else None
                if data_file is not None:
                    data_file.unlink()
                    fsync_dir(data_file.parent)
                if link is not None:
                    link.unlink()
                backups, aside = backups_mod.delete_backups(self.path)
            fsync_dir(self.folder)
            return DeletedData(data_file, link, tuple(backups), tuple(aside))


__all__ = ["STAMP_SETTLED_NS", "DeletedData", "FileStamp", "StoreBase"]
