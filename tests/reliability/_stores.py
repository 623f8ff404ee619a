"""Either store from one string, for the reliability tests' writer processes.

A writer process gets a *store spec* on its command line: a file path (the JSON file
store) or ``pg:<account id>:<database URL>`` (that account's :class:`PgStore`), and
opens it with :func:`open_store`, so the same writer code runs against both stores.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import Engine

from kneecore.clinic.db import engine_for
from kneecore.clinic.pgstore import PgStore
from kneecore.store import Store

PG_PREFIX = "pg:"
#: The application name writer processes connect with, so the test can wait until the
#: server has ended a killed writer's session (``pg_stat_activity``).
WRITER_APP = "knee-reliability-writer"


def pg_spec(url: str, account_id: int) -> str:
    return f"{PG_PREFIX}{account_id}:{url}"


def is_pg(spec: str) -> bool:
    return spec.startswith(PG_PREFIX)


def parse_pg(spec: str) -> tuple[int, str]:
    """``(account id, URL)`` of a ``pg:`` spec."""
    account, url = spec[len(PG_PREFIX) :].split(":", 1)
    return int(account), url


def writer_engine(url: str, **options: Any) -> Engine:
    """An engine as the app makes it, its connections named for the test to find."""
    return engine_for(url, connect_args={"application_name": WRITER_APP}, **options)


def open_store(
    spec: str, exercise_ids: Collection[str], *, lock_timeout: float = 10.0
) -> Store | PgStore:
    """The store ``spec`` names (a path, or ``pg:<account>:<url>``). ``lock_timeout``
    is the file store's; the server's is the engine's (``db.LOCK_TIMEOUT_MS``)."""
    ids = set(exercise_ids)
    if is_pg(spec):
        account, url = parse_pg(spec)
        return PgStore(writer_engine(url), account, exercise_ids=ids)
    return Store(spec, exercise_ids=ids, lock_timeout=lock_timeout)


@contextlib.contextmanager
def opened(spec: str, exercise_ids: Collection[str]) -> Iterator[Store | PgStore]:
    """:func:`open_store` for the test process, its connections closed afterwards."""
    store = open_store(spec, exercise_ids)
    try:
        yield store
    finally:
        if isinstance(store, PgStore):
            store.engine.dispose()
