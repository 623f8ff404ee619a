"""AppTest fixtures: every test gets a fresh app. What tests import is in ``helpers.py``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> None:
    # The store and derived frames are cached per process; each test gets a fresh app.
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
