"""Start the app with its link: ``make run`` (this computer) and ``make run-phone``.

The command-line shell around ``streamlit run app.py``, not part of the pure core's
rules: it makes the access token (``kneecore.access``), prints the link that carries
it, opens the browser there once the server answers, and waits for the server.

``--phone`` serves on the local network as well, so a phone on the same Wi-Fi can log
sessions: it prints the network link and says plainly what that exposes. The token
still guards every request; the default stays this computer only.

``--link`` only prints the links (``make link``), for someone who lost them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path

from kneecore.access import app_link

__all__ = ["PHONE_LINK_ENV", "lan_address", "main"]

APP = Path(__file__).resolve().parents[1] / "app.py"
#: Set for the server in phone mode: the My data page shows it as a QR code.
PHONE_LINK_ENV = "KNEE_PHONE_LINK"
#: A documentation-only address (TEST-NET-1): "connecting" a UDP socket to it sends
#: nothing, but makes the system pick the network interface it would use.
_PROBE = ("192.0.2.1", 9)

PHONE_WARNING = """\
Phone mode: the app also answers on your local network at {link_host}.
Anyone on that network can reach the app's address, but without the link's key they
see only a page saying how to open it. Use it on your home Wi-Fi, not on public or work
networks, and stop it (Ctrl+C) when you are done. Traffic on the network is not
encrypted (http), so someone on the same network could read what the phone sends."""


def lan_address() -> str | None:
    """This computer's address on the local network, or None when it has none."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(_PROBE)
        address = str(s.getsockname()[0])
        if not address.startswith("127."):
            return address
    return None


def _when_ready(link: str, port: int, browser: bool, timeout: float = 60.0) -> None:
    """Once the server accepts connections: say the link again, and open the browser."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("localhost", port), 0.5):
            # Streamlit prints its own address without the key; this one comes last.
            print(f"\nOpen Kneecare with its key (without it, a locked page):\n  {link}\n")
            if browser:
                webbrowser.open(link)
            return
        time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    # Line by line, so the links show up in order with Streamlit's own output.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(prog="kneecare", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--phone", action="store_true", help="also serve the home Wi-Fi")
    parser.add_argument("--link", action="store_true", help="only print the links")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)

    local = app_link("localhost", args.port)
    print(f"Kneecare on this computer: {local}", flush=True)
    env = dict(os.environ)
    address = "localhost"
    if args.phone or args.link:
        lan = lan_address()
        if lan is None:
            print("No local network found: phone mode needs this computer on a Wi-Fi.")
            if args.phone:
                return 1
        else:
            phone = app_link(lan, args.port)
            when = "" if args.phone else " (start with make run-phone)"
            print(f"Kneecare for a phone on the same network{when}: {phone}")
            env[PHONE_LINK_ENV] = phone
            if args.phone:
                print(PHONE_WARNING.format(link_host=f"{lan}:{args.port}"))
                address = "0.0.0.0"
    if args.link:
        return 0
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(args.port),
        # The browser is opened here, at the link with its key, not at the bare address.
        "--server.headless",
        "true",
    ]
    ready = threading.Thread(
        target=_when_ready, args=(local, args.port, not args.no_browser), daemon=True
    )
    ready.start()
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
