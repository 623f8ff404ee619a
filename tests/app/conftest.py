"""AppTest helpers: open the real router and switch to a page, as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["home", "self_check", "plan", "log", "progress", "my_data", "about"]


def open_page(name: str, timeout: float = 30) -> AppTest:
    """Run the app, switch to ``pages/<name>.py`` and return the rendered AppTest."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if name != "home":
        at.switch_page(f"pages/{name}.py")
        at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> None:
    # The store and derived frames are cached per process; each test gets a fresh app.
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
