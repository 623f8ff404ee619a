"""Starting the app: the printed links carry the key; the phone QR code is a PNG."""

from __future__ import annotations

import ipaddress

import pytest

from kneecore.access import token
from kneecore.launch import lan_address, main


def test_make_link_prints_the_link_with_its_key_and_starts_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--link", "--port", "8642"]) == 0
    out = capsys.readouterr().out
    assert f"http://localhost:8642/?token={token()}" in out


def test_the_local_network_address_is_a_private_address_or_none() -> None:
    found = lan_address()
    assert found is None or not ipaddress.ip_address(found).is_loopback


def test_the_phone_qr_code_is_a_png() -> None:
    from pages.phone import qr_png

    png = qr_png("http://192.168.1.20:8501/?token=" + "k" * 43)
    assert png.startswith(b"\x89PNG") and len(png) > 300
