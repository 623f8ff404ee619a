"""End-to-end fixtures: the real app served by ``streamlit run``, driven by headless Chromium.

Playwright cannot download its own browser here, so it drives Debian's Chromium
(``/usr/bin/chromium``, or ``$KNEE_CHROMIUM``). Outside CI a missing browser skips these
tests with a one-line reason; under ``CI=true`` it fails them, so CI can never go green
without having clicked through the app.

What tests import (the server, pages, waiting, checks) is in ``tests/browser/helpers.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import CHROMIUM_ARGS, AppServer, chromium_path

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        _unavailable("Chromium not found at /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:
            _unavailable(f"Chromium would not start: {exc}")
        yield chromium
        chromium.close()


@pytest.fixture
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., AppServer]]:
    """Start app servers; each gets a fresh data folder unless one is given."""
    servers: list[AppServer] = []

    def start(data_dir: Path | None = None, **env: str) -> AppServer:
        folder = data_dir or tmp_path_factory.mktemp("browser") / "knee-data"
        server = AppServer(folder, env or None)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def app_server(start_app: Callable[..., AppServer]) -> AppServer:
    return start_app()
