"""Try clinic mode on one machine: ``make run-clinic`` (``python -m kneecore.clinic.trial``).

Starts, in ``.knee-clinic/`` under the project (kept between runs, never committed):

1. a PostgreSQL server of our own (:class:`~kneecore.clinic.pgcluster.LocalCluster`, in
   ``.knee-clinic/postgres``, on the loopback address), with a ``kneecare`` database
   migrated to the current tables;
2. a local OIDC provider for signing in (:class:`~kneecore.clinic.oidc.MockProvider`):
   its form lets anyone in with any e-mail address and no password, so it is for a
   trial only. A practice's deployment signs in at its own identity provider instead
   (``.streamlit/secrets.example.toml``);
3. the app, ``streamlit run app.py`` with ``KNEE_DATABASE_URL`` set (clinic mode) and the
   ``[auth]`` secrets in ``.knee-clinic/secrets.toml`` (made anew at each start: a fresh
   cookie secret and the provider's new client id and secret, readable by the owner only).

It prints where to open the app and how to sign in, and stops all three on Ctrl+C (the
database keeps its data). No password or secret is printed.

``python -m kneecore.clinic.trial add-physio EMAIL``, while the trial runs, makes the
person with that e-mail a physiotherapist in the trial's database (it runs
``python -m kneecore.clinic add-physio EMAIL`` against it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url

from kneecore.clinic.db import migrate
from kneecore.clinic.oidc import CALLBACK_PATH, DEMO_USERS, MockProvider, write_secrets
from kneecore.clinic.pgcluster import ClusterError, LocalCluster

__all__ = ["DATABASE", "FOLDER", "cluster_in", "database_url", "main", "streamlit_command"]

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
#: The trial's folder: the database, the secrets and the logs (in .gitignore).
FOLDER = ROOT / ".knee-clinic"
#: The trial's database on its server.
DATABASE = "kneecare"
#: The variable that puts the app in clinic mode (docs/clinic.md).
DATABASE_ENV = "KNEE_DATABASE_URL"
#: PostgreSQL's lock file holds the server's port on its fourth line (pidfile.h).
_PIDFILE_PORT_LINE = 3


def cluster_in(folder: Path) -> LocalCluster:
    """The trial's PostgreSQL server in ``folder``; when it already runs (another
    command of the trial), the port it listens on is read from its lock file."""
    cluster = LocalCluster(folder / "postgres")
    if cluster.initialised() and cluster.running():
        with contextlib.suppress(OSError, IndexError, ValueError):
            lines = (cluster.data / "postmaster.pid").read_text().splitlines()
            cluster.port = int(lines[_PIDFILE_PORT_LINE])
    return cluster


def database_url(cluster: LocalCluster) -> str:
    """The trial database's URL (created on the first run), migrated to today's tables."""
    if DATABASE not in cluster.databases():
        cluster.create_database(DATABASE)
    url = cluster.url(DATABASE)
    migrate(url)
    return url


def streamlit_command(port: int, secrets_file: Path) -> list[str]:
    """``streamlit run app.py`` on ``localhost:port`` with the trial's secrets file."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        "localhost",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--secrets.files",
        str(secrets_file),
    ]


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return True
        time.sleep(0.3)
    return False


def _stop_on_sigterm() -> None:
    """SIGTERM (a service manager, ``kill``) stops everything as Ctrl+C does."""

    def raise_interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, raise_interrupt)


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def how_to_sign_in(app_url: str, provider_url: str) -> str:
    people = ", ".join(user["email"] for user in DEMO_USERS)
    return f"""
Kneecare clinic mode, for a trial on this machine: {app_url}

  Sign in: press "Sign in" on the app's page. The trial's sign-in page
  ({provider_url}) asks for no password: type any e-mail address in its "sub" box
  and press Authorize, or pick one of the example people ({people}).
  Anyone who can open that page gets in, so keep the trial on this machine.

  Everyone who signs in is a patient. To make someone a physiotherapist, while this
  runs, in another terminal:
      .venv/bin/python -m kneecore.clinic.trial add-physio EMAIL
  then they sign in again (or reload the page).

  The data stays in .knee-clinic/ (a PostgreSQL server of its own) between runs.
  A practice's own setup: .streamlit/secrets.example.toml and docs/clinic.md.

Stop with Ctrl+C.
"""


def run(folder: Path, port: int, browser: bool) -> int:
    """Start the database, the provider and the app; wait; stop them (see the module)."""
    if _port_taken(port):
        print(f"Port {port} is taken: choose another, e.g. make run-clinic PORT={port + 1}")
        return 1
    _stop_on_sigterm()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the database's user (postgres, when we are root) passes through
    cluster = cluster_in(folder)
    provider = MockProvider(folder / "provider.log")
    app: subprocess.Popen[bytes] | None = None
    app_url = f"http://localhost:{port}"
    try:
        print("Starting the trial's PostgreSQL server ...", flush=True)
        cluster.start()
        url = database_url(cluster)
        print(f"  database {make_url(url).render_as_string(hide_password=True)}", flush=True)
        print("Starting the trial's sign-in provider ...", flush=True)
        provider.start()
        settings = provider.register(app_url + CALLBACK_PATH)
        secrets_file = write_secrets(folder / "secrets.toml", settings)
        print(f"  provider {provider.base_url}; secrets in {secrets_file}", flush=True)
        env = {
            **os.environ,
            DATABASE_ENV: url,
            # Clinic mode keeps no JSON file; anything local stays in the trial's folder.
            "KNEE_DATA_DIR": str(folder / "data"),
        }
        print("Starting the app ...", flush=True)
        # Its own session: Ctrl+C reaches this process only, which stops it in order.
        app = subprocess.Popen(
            streamlit_command(port, secrets_file), cwd=ROOT, env=env, start_new_session=True
        )
        if not _wait_healthy(app_url, app):
            print("The app did not start: see its output above.")
            return 1
        print(how_to_sign_in(app_url, provider.base_url), flush=True)
        if browser:
            webbrowser.open(app_url)
        return app.wait()
    except KeyboardInterrupt:
        print("\nStopping the trial ...", flush=True)
        return 0
    except ClusterError as exc:
        print(f"The trial's database could not start: {exc}")
        return 1
    finally:
        # Ctrl+C again while stopping would leave a process behind: finish first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _stop(app)
        provider.stop()
        try:
            cluster.stop()
        except ClusterError as exc:
            print(f"The database server did not stop cleanly: {exc}")
        print("Stopped: the app, the sign-in provider and the database server.", flush=True)


def add_physio(folder: Path, email: str) -> int:
    """Make ``email`` a physiotherapist in the running trial's database."""
    cluster = cluster_in(folder)
    if not (cluster.initialised() and cluster.running()) or cluster.port is None:
        print("The trial is not running: start it first (make run-clinic).")
        return 1
    env = {**os.environ, DATABASE_ENV: cluster.url(DATABASE)}
    command = [sys.executable, "-m", "kneecore.clinic", "add-physio", email]
    return subprocess.call(command, cwd=ROOT, env=env)


def main(argv: list[str] | None = None) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(
        prog="python -m kneecore.clinic.trial", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--port", type=int, default=8501, help="the app's port")
    parser.add_argument("--folder", type=Path, default=FOLDER, help=argparse.SUPPRESS)
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    commands = parser.add_subparsers(dest="command")
    physio = commands.add_parser("add-physio", help="make someone a physiotherapist")
    physio.add_argument("email")
    args = parser.parse_args(argv)
    if args.command == "add-physio":
        return add_physio(args.folder, args.email)
    return run(args.folder, args.port, browser=not args.no_browser)


if __name__ == "__main__":
    raise SystemExit(main())
