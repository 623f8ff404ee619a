"""My data's phone section: a QR code in phone mode, how to turn it on otherwise."""

from __future__ import annotations

import pytest

from kneecore.launch import PHONE_LINK_ENV
from tests.app.helpers import assert_no_exception, joined, open_page


def test_without_phone_mode_the_page_says_how_to_turn_it_on() -> None:
    at = open_page("my_data")
    assert_no_exception(at)
    assert "make run-phone" in joined(at.markdown)
    assert not at.get("image")


def test_in_phone_mode_the_link_is_a_qr_code_with_what_it_exposes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PHONE_LINK_ENV, "http://192.168.1.20:8501/?token=abc")
    at = open_page("my_data")
    assert_no_exception(at)
    assert at.get("image"), "the QR code is shown"
    assert "home Wi-Fi" in joined(at.warning)
    assert "holds the app's key" in joined(at.markdown)
