"""The app in clinic mode for browser tests: PostgreSQL, a local OIDC provider, Streamlit.

:func:`clinic_app` starts, all real processes on the loopback address:

* a database of its own, migrated to the clinic's tables, on the test session's
  PostgreSQL server (``pg_server`` in ``tests/conftest.py``);
* the local OIDC provider (:class:`MockProvider`, the ``oidc-provider-mock`` package)
  with the app registered at it, as ``make run-clinic`` does;
* ``streamlit run app.py`` with ``KNEE_DATABASE_URL`` set and the ``[auth]`` secrets in
  a file of its own (``--secrets.files``), its output in a log file.

Everything is stopped at the end, whatever happened. :func:`sign_in` and
:func:`sign_out` go through the provider's pages as a person would.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from kneecore.clinic.db import migrate
from kneecore.clinic.oidc import CALLBACK_PATH, AuthSettings, MockProvider, write_secrets
from kneecore.clinic.pgcluster import LocalCluster, free_port
from kneecore.clinic.trial import DATABASE, DATABASE_ENV, streamlit_command

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ClinicApp:
    """What a clinic-mode browser test talks to."""

    url: str
    # Never in a repr: pytest prints a failing test's fixtures, and this has a password.
    database_url: str = field(repr=False)
    provider: MockProvider
    auth: AuthSettings
    log: Path
    cluster: LocalCluster

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def provider_log_text(self) -> str:
        return self.provider.log.read_text(errors="replace")

    def secrets(self) -> dict[str, str]:
        """What must never show in a log, by name: the cookie and client secrets and
        the database's password."""
        return {
            "cookie_secret": self.auth.cookie_secret,
            "client_secret": self.auth.client_secret,
            "database password": self.cluster.password,
        }


class _Streamlit:
    def __init__(self, port: int, secrets_file: Path, env: dict[str, str], log: Path) -> None:
        self.url = f"http://localhost:{port}"
        self.log = log
        self._log_file: IO[bytes] = log.open("wb")
        self.process = subprocess.Popen(
            [*streamlit_command(port, secrets_file), "--server.fileWatcherType", "none"],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log.read_text()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer,
            ):
                if answer.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"streamlit did not start in {timeout}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()


@contextlib.contextmanager
def clinic_app(
    folder: Path, cluster: LocalCluster, database: str = DATABASE
) -> Iterator[ClinicApp]:
    """The app in clinic mode on a new database ``database`` of the running ``cluster``
    (the tests' ``pg_server``), with its sign-in provider (see the module). ``folder``
    takes the logs, the secrets file and the app's data folder."""
    folder.mkdir(parents=True, exist_ok=True)
    database_url = cluster.create_database(database)
    migrate(database_url)
    with MockProvider(folder / "provider.log") as provider:
        port = free_port()
        app_url = f"http://localhost:{port}"
        auth = provider.register(app_url + CALLBACK_PATH)
        secrets_file = write_secrets(folder / "secrets.toml", auth)
        env = {
            **os.environ,
            DATABASE_ENV: database_url,
            "KNEE_DATA_DIR": str(folder / "knee-data"),
        }
        server = _Streamlit(port, secrets_file, env, folder / "streamlit.log")
        try:
            server.wait_healthy()
            yield ClinicApp(
                url=app_url,
                database_url=database_url,
                provider=provider,
                auth=auth,
                log=server.log,
                cluster=cluster,
            )
        finally:
            server.stop()


# -- a browser that reaches only this machine ---------------------------------------------


def loopback_only(context: Any) -> None:
    """Abort every request to a host other than this machine's (the provider's pages
    link a stylesheet on the internet): the tests never depend on the network."""

    def route(request_route: Any) -> None:
        host = urlparse(request_route.request.url).hostname or ""
        if host in ("localhost", "127.0.0.1") or request_route.request.url.startswith("data:"):
            request_route.continue_()
        else:
            request_route.abort()

    context.route("**/*", route)


def new_clinic_page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, color_scheme="light")
    context.set_default_timeout(20_000)
    loopback_only(context)
    return context.new_page()


# -- signing in and out as a person does ---------------------------------------------------

# A name that ends with the words: a Material icon's name may come first ("login").
#: Narrower than this, Streamlit's sidebar covers the page when open.
PHONE_BELOW = 640
SIGN_IN_BUTTON = re.compile(r"(^|\s)Sign in$")
SIGN_OUT_BUTTON = re.compile(r"(^|\s)Sign out$")


def on_provider(page: Any, app: ClinicApp) -> bool:
    return page.url.startswith(app.provider.base_url)


def sign_in(page: Any, app: ClinicApp, email: str, *, shot: str | None = None) -> None:
    """From the app's sign-in page: press Sign in, type ``email`` on the provider's form,
    authorise, and wait to be back at the app."""
    page.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(f"{app.provider.base_url}/**")
    subject = page.get_by_placeholder("sub")
    subject.wait_for()
    if shot:
        from tests.browser.helpers import screenshot

        screenshot(page, shot, as_seen=True)
    subject.fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app.url}/**")
    page.locator('[data-testid="stMain"] h1').first.wait_for()
    close_sidebar_on_phone(page)


def open_sidebar(page: Any) -> None:
    """Open the sidebar where it starts collapsed (a phone), as a person would."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.wait_for(state="attached")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.locator('[data-testid="stExpandSidebarButton"]').click()
        page.locator('[data-testid="stSidebar"][data-collapsed="false"]').wait_for()


def close_sidebar_on_phone(page: Any) -> None:
    """A phone's sidebar covers the page: close it where it was left open."""
    if page.viewport_size["width"] >= PHONE_BELOW:
        return
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.wait_for(state="attached")
    if sidebar.get_attribute("data-collapsed") == "false":
        sidebar.hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(state="attached")


def sign_out(page: Any, app: ClinicApp) -> None:
    """Press Sign out: Streamlit ends its session and sends the browser to the
    provider's end of session (RP-initiated logout); confirm there; back at the app."""
    open_sidebar(page)
    page.get_by_role("button", name=SIGN_OUT_BUTTON).click()
    page.wait_for_url(f"{app.provider.base_url}/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app.url}/**")


__all__ = [
    "ClinicApp",
    "clinic_app",
    "loopback_only",
    "new_clinic_page",
    "on_provider",
    "open_sidebar",
    "sign_in",
    "sign_out",
]
