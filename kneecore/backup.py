"""Daily backups of the store file, restoring one, and moving broken files aside.

Before the first write of each day the store keeps a dated copy of the file as it was
(``backups/knee-data-2025-03-01.json``); the newest :data:`KEEP_DAILY` are kept. A copy
taken before a schema migration is kept apart and never pruned. Nothing here deletes the
user's data except :func:`delete_backups`, which only "delete all my data" calls.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kneecore.atomic import (
    PRIVATE_FILE_MODE,
    atomic_write_bytes,
    ensure_private_dir,
    fsync_dir,
    real_path,
    remove_stale_temp_files,
)
from kneecore.storefile import StoreError, parse_store_bytes

KEEP_DAILY = 7
BACKUP_DIRNAME = "backups"


@dataclass(frozen=True)
class Backup:
    """One backup file: the day it was taken and where it is."""

    path: Path
    day: dt.date
    size_bytes: int


def backup_dir(store_path: Path) -> Path:
    return store_path.parent / BACKUP_DIRNAME


def _daily_pattern(store_path: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^{re.escape(store_path.stem)}-(\d{{4}}-\d{{2}}-\d{{2}}){re.escape(store_path.suffix)}$"
    )


def daily_backup_path(store_path: Path, day: dt.date) -> Path:
    return backup_dir(store_path) / f"{store_path.stem}-{day.isoformat()}{store_path.suffix}"


def list_backups(store_path: Path) -> list[Backup]:
    """Daily backups of ``store_path``, newest first."""
    folder = backup_dir(store_path)
    pattern = _daily_pattern(store_path)
    found: list[Backup] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if not match:
            continue
        try:
            day = dt.date.fromisoformat(match.group(1))
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(Path(entry.path), day, size))
    return sorted(found, key=lambda b: b.day, reverse=True)


def keep_daily_backup(store_path: Path, current: bytes, today: dt.date) -> Path | None:
    """Save ``current`` as today's backup unless there already is one; prune old ones.

    Returns the new backup's path, or None if today's backup already existed.
    """
    target = daily_backup_path(store_path, today)
    if target.exists():
        return None
    ensure_private_dir(target.parent)
    atomic_write_bytes(target, current)
    for old in list_backups(store_path)[KEEP_DAILY:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return target


def keep_migration_backup(store_path: Path, current: bytes, version: int) -> Path:
    """Keep the file as it was before migrating it from ``version`` (never pruned)."""
    target = (
        backup_dir(store_path)
        / f"{store_path.stem}-before-migration-from-v{version}{store_path.suffix}"
    )
    if not target.exists():
        ensure_private_dir(target.parent)
        atomic_write_bytes(target, current)
    return target


def aside_path(store_path: Path, reason: str, now: dt.datetime | None = None) -> Path:
    """A free name next to the store for a file moved aside, e.g. ``knee-data.broken-...``."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = f"{store_path.stem}.{reason}-{stamp}"
    candidate = store_path.with_name(f"{base}{store_path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = store_path.with_name(f"{base}-{n}{store_path.suffix}")
    return candidate


def move_aside(store_path: Path, reason: str) -> Path:
    """Move the store file to a dated name next to it (never deletes its content).

    When ``store_path`` is a symlink, the target's content is copied next to the link
    (where :func:`aside_files` finds it) and then the target removed: the link stays, so
    the next save recreates the file where the user keeps it.
    """
    target = aside_path(store_path, reason)
    if store_path.is_symlink():
        real = real_path(store_path)
        # The copy is on disk (fsynced) before the original goes: never lost in between.
        atomic_write_bytes(target, real.read_bytes())
        real.unlink()
        fsync_dir(real.parent)
        return target
    # os.link + unlink would refuse to overwrite; aside_path already picked a free name
    # and we hold the store lock, so a plain rename is safe here.
    os.rename(store_path, target)
    with contextlib.suppress(OSError):
        os.chmod(target, PRIVATE_FILE_MODE)
    fsync_dir(store_path.parent)
    return target


def first_usable(candidates: Iterable[Path], store_path: Path) -> tuple[Path, bytes]:
    """The first candidate that reads as a valid store file, with its bytes.

    Raises :class:`StoreError` when none does (a damaged backup is passed over).
    """
    for candidate in candidates:
        try:
            raw = candidate.read_bytes()
            parse_store_bytes(raw, candidate)
        except (OSError, StoreError):
            continue
        return candidate, raw
    raise StoreError("There is no usable backup to restore.", store_path, kind="corrupt")


def replace_store(store_path: Path, raw: bytes, reason: str) -> None:
    """Write ``raw`` as the store file, first moving the current one aside as ``reason``.

    Call with the store lock held. Raises ``OSError`` with the old file still in place
    (or already moved aside, never lost).
    """
    if store_path.exists():
        move_aside(store_path, reason)
    atomic_write_bytes(real_path(store_path), raw)


def aside_files(store_path: Path) -> list[Path]:
    """Files moved aside earlier (broken or replaced), oldest first."""
    pattern = re.compile(
        rf"^{re.escape(store_path.stem)}\.(broken|replaced)-\d{{8}}-\d{{6}}(-\d+)?{re.escape(store_path.suffix)}$"
    )
    try:
        names = sorted(os.listdir(store_path.parent))
    except OSError:
        return []
    return [store_path.parent / n for n in names if pattern.match(n)]


def delete_backups(store_path: Path) -> tuple[list[Path], list[Path]]:
    """Remove every backup and moved-aside copy (only for "delete all my data").

    Returns what was removed: the files of the backup folder, and the copies moved aside.
    """
    folder = backup_dir(store_path)
    backups = sorted(p for p in folder.rglob("*") if not p.is_dir()) if folder.exists() else []
    if folder.exists():
        shutil.rmtree(folder)
    aside = aside_files(store_path)
    for path in aside:
        path.unlink()
    fsync_dir(store_path.parent)
    return backups, aside


def remove_stale_backup_temp_files(store_path: Path) -> int:
    """Delete the temporary files of backups a killed writer left; returns how many.

    Call with the store's lock held (backups are only written under it).
    """
    return remove_stale_temp_files(backup_dir(store_path), f".{store_path.stem}-")
