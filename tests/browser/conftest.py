"""End-to-end fixtures: the real app served by ``streamlit run``, driven by headless Chromium.

Playwright cannot download its own browser here, so it drives Debian's Chromium
(``/usr/bin/chromium``, or ``$KNEE_CHROMIUM``). Outside CI a missing browser skips these
tests with a one-line reason; under ``CI=true`` it fails them, so CI can never go green
without having clicked through the app.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    candidate = os.environ.get("KNEE_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class AppServer:
    """``streamlit run app.py`` on a free localhost port with its own data folder."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "KNEE_DATA_DIR": str(data_dir), **(extra_env or {})}
        self.log = data_dir.parent / f"streamlit-{self.port}.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.address",
                "localhost",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log_file.close()


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


def new_page(browser: Any, viewport: dict[str, int], dark: bool = False) -> Any:
    context = browser.new_context(
        viewport=viewport,
        color_scheme="dark" if dark else "light",
        accept_downloads=True,
    )
    context.set_default_timeout(20_000)
    return context.new_page()


STABLE_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  const size = main ? main.innerHTML.length : -1;
  const w = window;
  if (running || size !== w.__kneeLastSize) {
    w.__kneeLastSize = size;
    w.__kneeSame = 0;
    return false;
  }
  w.__kneeSame = (w.__kneeSame || 0) + 1;
  return w.__kneeSame >= 3;
}
"""


def wait_for_app(page: Any) -> None:
    """Wait until Streamlit has finished running the script and painted the page."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]', state="attached")
    page.wait_for_selector('[data-testid="stMain"] h1', state="visible")
    # The status widget shows while a script run is in progress.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=20_000
    )
    # The status widget only shows after a run has taken a moment, so its absence alone
    # can be read before a slow page (charts) has finished: also wait until the main
    # area has stopped changing for a few polls in a row.
    page.wait_for_function(STABLE_JS, polling=250, timeout=20_000)


def goto(page: Any, server: AppServer, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def assert_no_app_exception(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its own container, so "full page" alone captures only the
    # viewport: grow the viewport to the content's height for the shot, then restore it.
    size = page.viewport_size
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const sidebar = document.querySelector('[data-testid="stSidebar"]');
            const content = document.querySelector('[data-testid="stSidebarContent"]');
            // A collapsed sidebar (phones) still has a tall content box: ignore it then.
            const open = sidebar && sidebar.getAttribute('aria-expanded') === 'true';
            return Math.max(main ? main.scrollHeight : 0,
                            open && content ? content.scrollHeight : 0);
        }"""
    )
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(height, size["height"]), 12_000)}
    )
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
