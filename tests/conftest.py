"""Fixtures shared by every test: user data always goes to a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecore.content import Library, load_library
from kneecore.store import Store


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app's data folder at a fresh temporary folder for every test."""
    folder = tmp_path / "knee-data"
    monkeypatch.setenv("KNEE_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def store(data_dir: Path, library: Library) -> Iterator[Store]:
    yield Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
