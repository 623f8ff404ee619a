"""Fixtures shared by every test: user data always goes to a temporary folder.

The clinic's store (docs/clinic.md) is tested against a real PostgreSQL server, started
once per test session in a temporary folder (:class:`LocalCluster`): a machine without
PostgreSQL fails those tests with a message saying what to install, it does not skip
them. The store contract tests take ``user_store`` and run on the JSON file and on
PostgreSQL alike.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import Engine

from kneecore.clinic.db import add_account, engine_for, migrate
from kneecore.clinic.pgcluster import LocalCluster
from kneecore.clinic.pgstore import PgStore
from kneecore.content import Library, load_library
from kneecore.store import Store

#: What the contract tests get: either store, behind the same interface.
AnyStore = Store | PgStore
#: The exercises a store knows: "library" (the content library's, given explicitly), a
#: set, or None (none given: the store loads the library itself).
Ids = frozenset[str] | set[str] | Literal["library"] | None
_TEMPLATE = "kneecare_template"
_numbers = itertools.count(1)


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


# -- PostgreSQL --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[LocalCluster]:
    """A PostgreSQL server for the whole test session, on loopback, in a temporary folder
    (as the postgres user when the tests run as root); stopped and removed at the end,
    whatever happened. fsync is off: a killed server loses nothing, only a crashed
    machine could."""
    with LocalCluster.temporary(fast=True) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def _pg_template(pg_server: LocalCluster) -> str:
    """A database migrated once, that each test's database is copied from (fast)."""
    migrate(pg_server.create_database(_TEMPLATE))
    return _TEMPLATE


@pytest.fixture
def pg_url(pg_server: LocalCluster, _pg_template: str) -> str:
    """The URL of a new database of its own for this test, migrated and empty."""
    if not pg_server.running():  # a test that stopped it failed before starting it again
        pg_server.start()
    return pg_server.create_database(f"test_{next(_numbers)}", template=_pg_template)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = engine_for(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_shared_engine(pg_server: LocalCluster, _pg_template: str) -> Iterator[Engine]:
    """One database the contract tests share, each test with an account of its own:
    that every test sees only its own data is itself a check of the store's scope."""
    engine = engine_for(pg_server.create_database("contract", template=_pg_template))
    yield engine
    engine.dispose()


def new_account(engine: Engine) -> int:
    return add_account(engine, f"test-{uuid.uuid4()}", email="patient@example.org")


@pytest.fixture(params=["file", "postgres"])
def user_store(
    request: pytest.FixtureRequest, data_dir: Path, library: Library
) -> Iterator[AnyStore]:
    """The store interface on the JSON file, then on PostgreSQL (a new, empty account)."""
    if request.param == "file":
        yield Store(data_dir / "knee-data.json", exercise_ids=library.exercise_ids)
        return
    pg_server: LocalCluster = request.getfixturevalue("pg_server")
    if not pg_server.running():
        pg_server.start()
    engine: Engine = request.getfixturevalue("pg_shared_engine")
    yield PgStore(engine, new_account(engine), exercise_ids=library.exercise_ids)


@pytest.fixture
def reopen(library: Library) -> Callable[..., AnyStore]:
    """``reopen(store, exercise_ids="library")``: another store object on the same data,
    as another app process (or a later run) would open it."""

    def again(store: AnyStore, exercise_ids: Ids = "library") -> AnyStore:
        ids = library.exercise_ids if exercise_ids == "library" else exercise_ids
        if isinstance(store, PgStore):
            return PgStore(store.engine, store.account_id, exercise_ids=ids)
        return Store(store.path, exercise_ids=ids)

    return again


@pytest.fixture
def new_store(data_dir: Path, library: Library) -> Callable[..., AnyStore]:
    """``new_store(like, exercise_ids="library")``: another, empty store of the same kind
    as ``like`` (another file; another account on the same server)."""

    def fresh(like: AnyStore, exercise_ids: Ids = "library") -> AnyStore:
        ids = library.exercise_ids if exercise_ids == "library" else exercise_ids
        if isinstance(like, PgStore):
            return PgStore(like.engine, new_account(like.engine), exercise_ids=ids)
        return Store(data_dir / f"other-{next(_numbers)}.json", exercise_ids=ids)

    return fresh


@pytest.fixture
def saved_state() -> Callable[[AnyStore], tuple[str, dict[str, object]]]:
    """``saved_state(store)``: what the store holds, to check a refused change wrote
    nothing: its revision (moved by any write) and its whole export."""

    def state(store: AnyStore) -> tuple[str, dict[str, object]]:
        export = json.loads(store.export_json())
        export.pop("exported_at")
        return store.revision(), export

    return state
