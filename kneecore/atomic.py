"""Crash-safe file writes: a file is replaced whole or not at all, never written in place.

Writing over a file in place (what stock TinyDB's ``JSONStorage`` does: truncate, then
write) leaves a half-written file when the process dies or the disk fills up. Here the
new content goes to a temporary file in the *same* folder (so the final rename never
crosses file systems), is flushed and fsynced, then ``os.replace``-d over the target,
and the folder is fsynced so that the rename itself survives a power cut. Callers pass
the :func:`real_path` of a store that may be a symlink, and refuse a file that
:func:`is_read_only` says the user made read-only.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

#: Owner-only: health data must not be readable by other users of the machine.
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """Prefix of the temporary files written for ``path`` (hidden, named after it)."""
    return f".{path.name}."


def fsync_dir(folder: Path) -> None:
    """Make renames and deletions in ``folder`` durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        # Windows cannot open a folder; its rename is durable enough without this.
        return
    try:
        os.fsync(fd)
    except OSError:
        # Some file systems (network shares) refuse fsync on folders; the data is
        # already fsynced, so this only weakens the power-cut guarantee there.
        pass
    finally:
        os.close(fd)


def real_path(path: Path) -> Path:
    """The file a write to ``path`` must replace: a symlink's final target, else ``path``.

    Replacing a link itself would turn it into a regular file, and the file it pointed
    to (e.g. in a synced folder) would silently stop updating.
    """
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload``: after a crash the old or the new file is there.

    Raises ``OSError`` (disk full, permission denied...) with the old file untouched and
    the temporary file removed.
    """
    folder = path.parent
    # mkstemp creates the file with mode 0o600 and a unique name, so two writers (or a
    # leftover from a killed process) never share a temporary file.
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def remove_stale_temp_files(folder: Path, prefix: str) -> int:
    """Delete temporary files a killed writer left in ``folder``; returns how many.

    Only files named like :func:`atomic_write_bytes`'s temporary files (``prefix``, then
    the random part, then :data:`TEMP_SUFFIX`) are touched. Only call this while holding
    the store's write lock: then no live writer can own one of these files.
    """
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            with contextlib.suppress(OSError):
                os.unlink(folder / name)
                removed += 1
    return removed


def is_read_only(path: Path) -> bool:
    """Whether ``path`` is a file the user has made read-only (False when it is missing).

    The write bits are checked as well as ``os.access``: a program running as root may
    write any file, but a file without write permission still means "do not change".
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and parents) if missing; a folder we create is owner-only."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    # mkdir's mode is filtered by the umask; chmod makes "owner only" exact.
    with contextlib.suppress(OSError):
        os.chmod(folder, PRIVATE_DIR_MODE)
