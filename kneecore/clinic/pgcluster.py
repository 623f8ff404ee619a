"""A PostgreSQL server of our own in a folder: for the tests, and for trying clinic mode.

:class:`LocalCluster` runs PostgreSQL's own programs (``initdb``, ``pg_ctl``,
``postgres``, from Debian's ``postgresql`` package) on a data folder it creates once.
The server listens on the loopback address only, on a free port, with its Unix socket
inside the folder, and asks for a password (random, kept in the folder). PostgreSQL
refuses to run as root: when we are root, the server runs as the ``postgres`` system
user (which Debian's package creates), and the folder is handed to that user.

It is no way to run a clinic's real server: that is the practice's own PostgreSQL, with
its backups, reached through ``KNEE_DATABASE_URL`` (docs/clinic.md).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import psycopg

#: The superuser the cluster is made with (``initdb -U``), whoever runs it.
SUPERUSER = "postgres"
#: The system user the server runs as when we are root.
SYSTEM_USER = "postgres"
#: Where Debian puts each PostgreSQL version's server programs.
DEBIAN_BINDIRS = "/usr/lib/postgresql/*/bin"
#: A Unix socket's path may be at most this long (``sun_path``, less its final NUL).
_SOCKET_PATH_MAX = 107
_DB_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_PROGRAMS = ("initdb", "pg_ctl", "postgres")


class ClusterError(RuntimeError):
    """The local PostgreSQL server could not be set up or started; the message says why."""


def find_bindir() -> Path:
    """The folder of PostgreSQL's server programs: ``pg_config --bindir``, else Debian's
    newest ``/usr/lib/postgresql/*/bin``, else wherever ``pg_ctl`` is on the PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(out.stdout.strip()))
    debian = sorted(
        Path("/").glob(DEBIAN_BINDIRS.lstrip("/")),
        key=lambda p: [int(x) for x in re.findall(r"\d+", p.parent.name)] or [0],
        reverse=True,
    )
    candidates.extend(debian)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in _PROGRAMS):
            return folder
    raise ClusterError(
        "PostgreSQL's server programs (initdb, pg_ctl, postgres) were not found. Install "
        "Debian's postgresql package (apt-get install postgresql), which puts them in "
        "/usr/lib/postgresql/VERSION/bin, or put a folder that has them on the PATH."
    )


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, dead but not yet reaped, does not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    except OSError:
        return True
    return fields[0] != "Z"


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the server's backends and workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class LocalCluster:
    """One PostgreSQL server on a data folder of its own, on the loopback address.

    ``folder`` holds the data (``data/``), the socket (``socket/``), the server's log
    (``server.log``) and the superuser's password (``password``). ``fast=True`` turns off
    fsync (for tests: a killed server loses nothing, a crashed machine could).
    """

    def __init__(self, folder: Path, port: int | None = None, *, fast: bool = False) -> None:
        self.folder = Path(folder).absolute()
        self.port = port
        self._chosen_port = port is None
        self.fast = fast
        self._bindir: Path | None = None

    def __repr__(self) -> str:
        return f"LocalCluster({str(self.folder)!r}, port={self.port})"

    # -- where things are --------------------------------------------------------------

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def password(self) -> str:
        try:
            return (self.folder / "password").read_text().strip()
        except FileNotFoundError:
            raise ClusterError(f"{self.folder} holds no cluster yet: start() it first.") from None

    def url(self, dbname: str = "postgres") -> str:
        """The SQLAlchemy URL of database ``dbname`` on this server (psycopg 3)."""
        if self.port is None:
            raise ClusterError("The server has no port yet: start() it first.")
        return f"postgresql+psycopg://{SUPERUSER}:{self.password}@127.0.0.1:{self.port}/{dbname}"

    # -- running the programs ------------------------------------------------------------

    def _user(self) -> pwd.struct_passwd | None:
        """The system user to run the server as: None for ourselves (we are not root)."""
        if os.geteuid() != 0:
            return None
        try:
            return pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise ClusterError(
                "PostgreSQL refuses to run as root, and there is no 'postgres' system user "
                "to run it as. Install Debian's postgresql package (it creates that user) "
                "or run as a user other than root."
            ) from None

    def _run(self, program: str, *args: str, timeout: float = 120) -> str:
        """Run one of PostgreSQL's programs as the server's user; its output, or raise."""
        if self._bindir is None:
            self._bindir = find_bindir()
        user = self._user()
        command = [str(self._bindir / program), *args]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=self.folder,
                env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
                user=user.pw_uid if user else None,
                group=user.pw_gid if user else None,
                extra_groups=[] if user else None,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ClusterError(f"{program} did not finish within {timeout:.0f} s.") from exc
        if done.returncode != 0:
            output = (done.stderr or done.stdout).strip()
            raise ClusterError(f"{program} failed ({done.returncode}): {output}{self._log_tail()}")
        return done.stdout

    def _log_tail(self, lines: int = 15) -> str:
        try:
            tail = self.log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "\nServer log:\n" + "\n".join(tail) if tail else ""

    def _prepare_folder(self) -> None:
        """The folder, owner-only, owned by the server's user and reachable by it."""
        user = self._user()
        for folder in (self.folder, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
            if user is not None:
                os.chown(folder, user.pw_uid, user.pw_gid)
            folder.chmod(0o700)
        if user is not None:
            self._check_reachable(user)
        socket_path = self.socket_dir / ".s.PGSQL.65535"
        if len(str(socket_path)) > _SOCKET_PATH_MAX:
            raise ClusterError(
                f"The folder {self.folder} is too deep for the server's socket (a socket's "
                f"path has at most {_SOCKET_PATH_MAX} characters): use a shorter one."
            )

    def _check_reachable(self, user: pwd.struct_passwd) -> None:
        """Refuse a folder inside one the server's user may not enter (e.g. /root)."""
        groups = {user.pw_gid} | set(os.getgrouplist(user.pw_name, user.pw_gid))
        for parent in self.folder.parents:
            mode = parent.stat()
            if mode.st_uid == user.pw_uid:
                ok = bool(mode.st_mode & stat.S_IXUSR)
            elif mode.st_gid in groups:
                ok = bool(mode.st_mode & stat.S_IXGRP)
            else:
                ok = bool(mode.st_mode & stat.S_IXOTH)
            if not ok:
                raise ClusterError(
                    f"The server runs as the user '{user.pw_name}', who may not enter "
                    f"{parent}: put the cluster's folder somewhere they can reach, such as "
                    "a new folder in /tmp."
                )

    # -- the server ----------------------------------------------------------------------

    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def _initdb(self) -> None:
        user = self._user()
        password_file = self.folder / "password"
        password_file.write_text(secrets.token_urlsafe(24) + "\n")
        password_file.chmod(0o600)
        if user is not None:
            os.chown(password_file, user.pw_uid, user.pw_gid)
        args = [
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=scram-sha-256",
            f"--pwfile={password_file}",
            "--encoding=UTF8",
            "--locale=C",
        ]
        if self.fast:
            args.append("--no-sync")
        self._run("initdb", *args)

    def running(self) -> bool:
        """Whether the server of this folder runs (its postmaster is alive)."""
        pid = self.postmaster_pid()
        return pid is not None and _alive(pid)

    def postmaster_pid(self) -> int | None:
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0]
            return int(first)
        except (FileNotFoundError, ValueError):
            return None

    def start(self, timeout: float = 60) -> None:
        """Create the cluster if the folder has none, start the server, wait until it
        accepts connections. Starting a running server does nothing."""
        if self.initialised() and self.running():
            return
        self._prepare_folder()
        if not self.initialised():
            self._initdb()
        tries = 3 if self._chosen_port else 1
        for attempt in range(tries):
            if self._chosen_port and (self.port is None or attempt > 0):
                self.port = free_port()
            try:
                self._pg_ctl_start(timeout)
                break
            except ClusterError as exc:
                # Another program took the free port between our look and the server's.
                if "already in use" not in str(exc) or attempt == tries - 1:
                    raise
        self._wait_for_connections(timeout)

    def _pg_ctl_start(self, timeout: float) -> None:
        options = [
            "-c listen_addresses=127.0.0.1",
            f"-p {self.port}",
            f"-k {shlex.quote(str(self.socket_dir))}",
        ]
        if self.fast:
            options += ["-c fsync=off", "-c full_page_writes=off"]
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            str(int(timeout)),
            "-o",
            " ".join(options),
            timeout=timeout + 10,
        )

    def _connect(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=self.password,
            dbname=dbname,
            connect_timeout=5,
            autocommit=True,
        )

    def _wait_for_connections(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self._connect() as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise ClusterError(
                        f"The server did not accept connections within {timeout:.0f} s: "
                        f"{exc}{self._log_tail()}"
                    ) from exc
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (``pg_ctl stop -m fast``: open sessions are ended, data kept).
        Stopping a server that does not run does nothing."""
        if not self.initialised() or not self.running():
            return
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")

    def kill_server(self, timeout: float = 10) -> None:
        """SIGKILL the server and its processes, as a crash would (for reliability tests).
        The next :meth:`start` recovers from the write-ahead log."""
        pid = self.postmaster_pid()
        if pid is None or not _alive(pid):
            return
        doomed = [pid, *_children(pid)]
        for each in doomed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(each, signal.SIGKILL)
        deadline = time.monotonic() + timeout
        while any(_alive(each) for each in doomed):
            if time.monotonic() > deadline:
                raise ClusterError(f"The server's processes {doomed} outlived SIGKILL.")
            time.sleep(0.02)
        # Dead, but a zombie until its parent (the system's init) reaps it: the next
        # postmaster would take the zombie for a server still running on the folder.
        while Path(f"/proc/{pid}").exists():
            if time.monotonic() > deadline:
                # Dead for certain (SIGKILL), so its lock file no longer stands.
                (self.data / "postmaster.pid").unlink(missing_ok=True)
                break
            time.sleep(0.02)

    # -- databases -----------------------------------------------------------------------

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create an empty database (a copy of ``template`` if given); returns its URL."""
        for each in (name, template):
            if each is not None and not _DB_NAME.match(each):
                raise ValueError(f"not a plain database name: {each!r}")
        sql = f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")
        with self._connect() as conn:
            conn.execute(sql.encode())
        return self.url(name)

    def databases(self) -> list[str]:
        with self._connect() as conn:
            rows = conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate")
            return sorted(str(row[0]) for row in rows)

    # -- as a context manager --------------------------------------------------------------

    def __enter__(self) -> LocalCluster:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @classmethod
    @contextlib.contextmanager
    def temporary(cls, *, fast: bool = True) -> Iterator[LocalCluster]:
        """A running server in a new folder under the system's temporary folder (which
        the server's user can reach), stopped and removed afterwards, even on failure."""
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="kneecare-pg-"))
        cluster = cls(folder, fast=fast)
        try:
            cluster.start()
            yield cluster
        finally:
            try:
                if cluster.initialised() and cluster.running():
                    try:
                        cluster.stop()
                    except ClusterError:
                        cluster.kill_server()
            finally:
                shutil.rmtree(folder, ignore_errors=True)


__all__ = ["ClusterError", "LocalCluster", "find_bindir", "free_port"]
