"""The reliability tests' store under test: the JSON file, then an account on PostgreSQL.

``store_spec`` is the string a writer process opens with ``_stores.open_store`` (a file
path, or ``pg:<account>:<url>`` on a new migrated database of the test session's real
server), so each reliability test runs its writer processes against both stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kneecore.clinic.db import add_account, engine_for
from tests.reliability._stores import pg_spec


@pytest.fixture(params=["file", "postgres"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "file":
        yield str(tmp_path / "knee-data.json")
        return
    url: str = request.getfixturevalue("pg_url")
    engine = engine_for(url)
    try:
        account = add_account(engine, "reliability-patient", email="patient@example.org")
    finally:
        engine.dispose()
    yield pg_spec(url, account)
