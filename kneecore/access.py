"""The access token: only someone given the app's link can see or change the data.

The app serves on ``localhost``, but every user and process of the computer can reach
``localhost``. As Jupyter does for its local server, the app has a random token, made on
first use and kept owner-only in the data folder (so the same link works after a
restart); the link ``make run`` prints and opens carries it (``?token=...``), and the
router lets a browser session in only when the token it brings matches.

Pure apart from the one small file: no Streamlit here. ``app.py`` asks
:func:`accepts` before any page reads data or acts on a widget.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import re
import secrets
from pathlib import Path

from kneecore.atomic import PRIVATE_FILE_MODE, atomic_write_bytes, ensure_private_dir
from kneecore.store import default_data_dir

__all__ = ["TOKEN_FILENAME", "TOKEN_PARAM", "accepts", "app_link", "token", "token_path"]

TOKEN_FILENAME = "access-token"
#: The query parameter of the link that carries the token.
TOKEN_PARAM = "token"
#: 32 random bytes, URL-safe: 43 characters of letters, digits, "-" and "_".
_TOKEN_BYTES = 32
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{32,128}")


def token_path(folder: Path | None = None) -> Path:
    """Where the token is kept: next to the store, in ``KNEE_DATA_DIR``'s folder."""
    return (folder or default_data_dir()) / TOKEN_FILENAME


def token(folder: Path | None = None) -> str:
    """The app's token, made on first use and kept between runs (owner-only file)."""
    path = token_path(folder)
    found = _read(path)
    if found is not None:
        return found
    ensure_private_dir(path.parent)
    made = secrets.token_urlsafe(_TOKEN_BYTES)
    # Written whole (never half a token) and owner-only from the start: another user
    # of the computer who could read it could open the app.
    atomic_write_bytes(path, made.encode("ascii"))
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_FILE_MODE)
    # Two processes starting at once may both make one; the file holds the one that won.
    return _read(path) or made


def _read(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    # A damaged or emptied file is replaced by a new token rather than trusted.
    return text if _WELL_FORMED.fullmatch(text) else None


def accepts(given: object, folder: Path | None = None) -> bool:
    """Whether ``given`` (from the link) is the app's token.

    Compared in constant time, so the time an answer takes says nothing about how much
    of a guess was right.
    """
    if not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), token(folder).encode("ascii"))


def app_link(host: str, port: int, folder: Path | None = None) -> str:
    """The link that opens the app, its token included."""
    return f"http://{host}:{port}/?{TOKEN_PARAM}={token(folder)}"
