"""Alembic's environment: runs the migrations on the connection ``migrate`` gives.

``kneecore.clinic.db.migrate`` puts an open connection (inside its transaction) in
``config.attributes["connection"]``. Run without one (Alembic's own command line, with
``sqlalchemy.url`` set), it connects to that URL itself; ``--sql`` writes the SQL instead.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kneecore.clinic.db import engine_for, metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("No database: set sqlalchemy.url or use kneecore.clinic.db.migrate.")
    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


run()
