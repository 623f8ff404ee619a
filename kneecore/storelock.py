"""The store's lock: one thread of this process and one process at a time on the file.

Streamlit serves every tab from a thread of one process and shares one Store through
``st.cache_resource``; a second app, a script or a test may open the same file from
another process. Every read and every read-modify-write holds both locks, so an old
script thread still running after a fast rerun cannot overwrite a newer write.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from kneecore.atomic import PRIVATE_FILE_MODE, ensure_private_dir
from kneecore.storefile import StoreError, os_errors_as_store_error


class StoreLock:
    """A re-entrant thread lock plus a cross-process file lock (``<store>.lock``)."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self._timeout = timeout
        self._thread_lock = threading.RLock()
        # Created on first use: the data folder may not exist before then.
        self._file_lock: FileLock | None = None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold both locks (creating the data folder, owner-only, if it is missing).

        Raises :class:`StoreError`: ``busy`` when another program holds the file longer
        than the timeout, ``unreadable`` when the folder or lock file cannot be made.
        """
        with self._thread_lock:
            with os_errors_as_store_error(
                "The data folder could not be created ({reason}).", self.path, kind="unreadable"
            ):
                ensure_private_dir(self.path.parent)
            file_lock = self._file_lock_for_path()
            with os_errors_as_store_error(
                "Your data file could not be locked ({reason}).", self.path, kind="unreadable"
            ):
                try:
                    file_lock.acquire(timeout=self._timeout)
                except Timeout as exc:
                    # Timeout is an OSError too: said apart, as waiting may be all it needs.
                    raise StoreError(
                        "Your data file is busy in another window or program. "
                        "Wait a moment and try again.",
                        self.path,
                        kind="busy",
                    ) from exc
            try:
                yield
            finally:
                file_lock.release()

    @contextlib.contextmanager
    def thread_held(self) -> Iterator[None]:
        """Hold only the thread lock: for reading what this process already holds."""
        with self._thread_lock:
            yield

    def _file_lock_for_path(self) -> FileLock:
        if self._file_lock is None:
            self._file_lock = FileLock(
                str(self.path) + ".lock", mode=PRIVATE_FILE_MODE, thread_local=False
            )
        return self._file_lock


__all__ = ["StoreLock"]
