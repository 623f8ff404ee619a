"""The Streamlit config keeps the app local, private and calm."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_usage_statistics_are_never_sent(config: dict[str, Any]) -> None:
    assert config["browser"]["gatherUsageStats"] is False


def test_the_server_listens_on_this_machine_only(config: dict[str, Any]) -> None:
    assert config["server"]["address"] == "localhost"


def test_xsrf_protection_is_on_and_static_serving_off(config: dict[str, Any]) -> None:
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableStaticServing"] is False


def test_the_server_takes_exactly_the_upload_the_import_page_offers(
    config: dict[str, Any],
) -> None:
    # One limit (kneecore.storefile.MAX_IMPORT_BYTES), large enough for a ten-year
    # export; a smaller server limit answered a 6.9 MB restore with "AxiosError ... 413".
    from kneecore.storefile import MAX_IMPORT_BYTES

    assert config["server"]["maxUploadSize"] == MAX_IMPORT_BYTES // (1024 * 1024)


def test_error_details_are_hidden_from_the_browser(config: dict[str, Any]) -> None:
    assert config["client"]["showErrorDetails"] in ("none", False)


def test_the_toolbar_is_minimal(config: dict[str, Any]) -> None:
    assert config["client"]["toolbarMode"] == "minimal"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_body_text_is_well_above_aa_contrast(config: dict[str, Any], mode: str) -> None:
    theme = config["theme"][mode]
    assert contrast(theme["textColor"], theme["backgroundColor"]) >= 7


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_white_button_text_on_the_primary_colour_meets_aa(
    config: dict[str, Any], mode: str
) -> None:
    theme = config["theme"][mode]
    assert contrast("#FFFFFF", theme["primaryColor"]) >= 4.5
    # Sliders and selected buttons draw the primary colour on the background.
    assert contrast(theme["primaryColor"], theme["backgroundColor"]) >= 3


def test_streamlit_accepts_the_config_file() -> None:
    # A typo in an option name is silently ignored by Streamlit; check every option exists.
    from streamlit import config as st_config

    data = tomllib.loads(CONFIG.read_text(encoding="utf-8"))

    def walk(prefix: str, table: dict[str, Any]) -> list[str]:
        names = []
        for key, value in table.items():
            name = f"{prefix}.{key}" if prefix else key
            names += walk(name, value) if isinstance(value, dict) else [name]
        return names

    known = set(st_config._config_options_template)
    unknown = [name for name in walk("", data) if name not in known]
    assert not unknown, f"unknown Streamlit options: {unknown}"
