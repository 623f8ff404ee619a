"""Hand memory the process has freed back to the operating system.

Reading a five-year store builds its models and frees the parser's working memory, and
a page's rerun builds and drops chart specs and data frames. glibc's allocator keeps
freed blocks in the process for reuse, so the server's resident memory stays at its
high-water mark long after the work is done. ``malloc_trim`` returns the free pages.
Elsewhere (macOS, musl, Windows) there is no such call and this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

__all__ = ["release_free_memory"]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release_free_memory() -> bool:
    """Return freed heap pages to the system; True if the platform allows it."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
