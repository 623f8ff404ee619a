"""A local OpenID Connect provider for trying clinic mode, and the app's ``[auth]`` secrets.

Clinic mode signs people in with Streamlit's OIDC support (``st.login``), configured in
the ``[auth]`` section of a secrets file. A practice points that at its own identity
provider (``.streamlit/secrets.example.toml``). To try it on one machine, and in the
tests, :class:`MockProvider` runs the ``oidc-provider-mock`` package (the ``clinic``
extra) in a process of its own on the loopback address: its sign-in form takes any
e-mail address, with no password.

The app is registered with the provider as a real one would be (OAuth dynamic client
registration): the provider makes the client id and secret, and then checks the secret
and the exact ``redirect_uri`` on every sign-in. :func:`write_secrets` writes them, with
a freshly generated ``cookie_secret``, to a file only its owner may read. None of them is
ever printed: the provider's own log (a file) leaves out its requests' details.

``python -m kneecore.clinic.oidc --port N`` runs the provider in the foreground; it is
what :class:`MockProvider` starts.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kneecore.clinic.pgcluster import free_port

__all__ = [
    "DEMO_USERS",
    "AuthSettings",
    "MockProvider",
    "ProviderError",
    "write_secrets",
]

#: People the provider's form offers with one click (any other e-mail may be typed).
#: example.org is reserved for examples: these are nobody's addresses.
DEMO_USERS: tuple[dict[str, str], ...] = (
    {"sub": "patient@example.org", "email": "patient@example.org", "name": "Pat Example"},
    {"sub": "physio@example.org", "email": "physio@example.org", "name": "Phil Example"},
)
#: Where the app's callback lives: Streamlit answers the provider there.
CALLBACK_PATH = "/oauth2callback"


class ProviderError(RuntimeError):
    """The local OIDC provider could not be started or would not register the app."""


@dataclass(frozen=True)
class AuthSettings:
    """The ``[auth]`` section of the app's secrets: what Streamlit's ``st.login`` needs."""

    redirect_uri: str
    # Never in a repr: a failing test or a traceback prints its objects.
    cookie_secret: str = field(repr=False)
    client_id: str
    client_secret: str = field(repr=False)
    server_metadata_url: str

    def toml(self) -> str:
        """The section as TOML (strings written as JSON strings, which TOML reads alike)."""
        lines = [
            "# Written by kneecore.clinic for a trial on this machine; made anew at every",
            "# start. Nobody else may read it (mode 600). Never copy it into the project.",
            "[auth]",
        ]
        for name in (
            "redirect_uri",
            "cookie_secret",
            "client_id",
            "client_secret",
            "server_metadata_url",
        ):
            lines.append(f"{name} = {json.dumps(getattr(self, name))}")
        return "\n".join(lines) + "\n"

    def secret_values(self) -> tuple[str, str]:
        """The two values that must never show in a log: cookie and client secrets."""
        return self.cookie_secret, self.client_secret


def write_secrets(path: Path, settings: AuthSettings) -> Path:
    """Write ``settings`` as a secrets file only its owner can read; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    # Created owner-only, so the secrets are never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(settings.toml())
    return path


def _get_json(url: str, timeout: float = 2) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


class MockProvider:
    """``oidc-provider-mock`` in a process of its own, on ``127.0.0.1`` and a free port.

    ``log`` is a file for the provider's output. :meth:`start` waits until its discovery
    document answers; :meth:`register` registers an app and returns its settings;
    :meth:`stop` ends the process.
    """

    def __init__(self, log: Path, port: int | None = None) -> None:
        self.log = log
        self.port = port
        self._chosen_port = port is None
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise ProviderError("The provider has no port yet: start() it first.")
        return f"http://127.0.0.1:{self.port}"

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document (``server_metadata_url`` in the secrets)."""
        return f"{self.base_url}/.well-known/openid-configuration"

    def start(self, timeout: float = 30) -> MockProvider:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        tries = 3 if self._chosen_port else 1
        for attempt in range(tries):
            if self._chosen_port:
                self.port = free_port()
            try:
                self._start_once(timeout)
                return self
            except ProviderError:
                self.stop()
                # Another program took the free port between our look and the provider's.
                if attempt == tries - 1:
                    raise
        return self

    def _start_once(self, timeout: float) -> None:
        self._log_file = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kneecore.clinic.oidc", "--port", str(self.port)],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ProviderError(
                    f"The OIDC provider stopped at once ({self.process.returncode}):\n"
                    + self._log_tail()
                )
            with contextlib.suppress(OSError, ValueError):
                if _get_json(self.metadata_url).get("issuer"):
                    return
            if time.monotonic() > deadline:
                raise ProviderError(
                    f"The OIDC provider did not answer within {timeout:.0f} s:\n" + self._log_tail()
                )
            time.sleep(0.1)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def register(self, redirect_uri: str) -> AuthSettings:
        """Register an app that signs in at ``redirect_uri``; its ``[auth]`` settings,
        with the provider's new client id and secret and a fresh cookie secret."""
        endpoint = _get_json(self.metadata_url)["registration_endpoint"]
        body = json.dumps(
            {
                "redirect_uris": [redirect_uri],
                "token_endpoint_auth_method": "client_secret_basic",
            }
        ).encode()
        request = urllib.request.Request(
            endpoint, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                client = json.load(response)
        except urllib.error.URLError as exc:
            raise ProviderError(f"The OIDC provider would not register the app: {exc}") from exc
        return AuthSettings(
            redirect_uri=redirect_uri,
            cookie_secret=secrets.token_urlsafe(32),
            client_id=str(client["client_id"]),
            client_secret=str(client["client_secret"]),
            server_metadata_url=self.metadata_url,
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> MockProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(port: int) -> None:
    """Run the provider on ``127.0.0.1:port`` until stopped (the ``clinic`` extra)."""
    try:
        # Its dependencies warn about their own future APIs, nothing a trial can act on;
        # Authlib's module puts its "always" first when imported, so ours goes after it.
        import authlib.deprecate  # type: ignore[import-untyped]  # noqa: F401

        warnings.simplefilter("ignore", DeprecationWarning)
        import oidc_provider_mock  # type: ignore[import-untyped]
        import werkzeug.serving
    except ImportError:
        raise SystemExit(
            "The local sign-in provider needs the clinic extra: pip install -e '.[clinic]' "
            "(make run-clinic installs it)."
        ) from None
    # The provider is plain http on the loopback address; OAuth libraries want https
    # unless told that this is a local test.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    # Warnings only: its info lines describe the registered client, secret included.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    users = [
        oidc_provider_mock.User(
            sub=user["sub"], claims={k: v for k, v in user.items() if k != "sub"}
        )
        for user in DEMO_USERS
    ]
    application = oidc_provider_mock.app(
        require_client_registration=True, require_nonce=True, user_claims=users
    )
    server = werkzeug.serving.make_server("127.0.0.1", port, application, threaded=True)
    print(f"OIDC provider for trying Kneecare's clinic mode on http://127.0.0.1:{port}")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A local OIDC provider for trying Kneecare.")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    import signal

    # Stopped with SIGTERM by MockProvider.stop: leave quietly, as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    serve(args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
