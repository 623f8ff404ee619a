"""The clinic's tables (SQLAlchemy Core), the engine, and migrating a database to them.

The tables are docs/clinic.md's: ``accounts`` (who signs in, and the revision of their
data), ``items`` (each person's store, one row per item of the JSON file's tables),
``patient_status`` (what the clinician's list reads), ``care_links`` and
``invitations`` (which physiotherapist may see whom), ``notes`` and ``audit``.
Alembic creates and changes them (``kneecore/clinic/migrations``); :func:`migrate`
runs it from code, so an installed app needs no ``alembic.ini``. The definitions here
are what the app queries; a test checks that the migrations build exactly these.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    create_engine,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL, make_url

#: The kinds of ``items``: the tables of :class:`kneecore.storefile.StoreDocument`.
ITEM_KINDS = (
    "sessions",
    "selfchecks",
    "phases",
    "settings",
    "clearances",
    "warning_records",
    "runs",
)
ROLES = ("patient", "physio")
#: How long a write waits for another write of the same person's data (the row lock on
#: ``accounts``) before giving up as "busy": the file store's lock waits as long.
LOCK_TIMEOUT_MS = 10_000
#: How long connecting to the server may take before the page says it is unreachable.
CONNECT_TIMEOUT_S = 10
MIGRATIONS = Path(__file__).with_name("migrations")
#: Held while migrating, so two app processes starting at once migrate one after the other.
_MIGRATION_LOCK = 0x4B4E4545  # "KNEE"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    # The OIDC subject (or the e-mail where a provider gives no stable subject).
    Column("subject", Text, nullable=False, unique=True),
    Column("email", Text),
    Column("name", Text),
    Column("role", Text, nullable=False, server_default="patient"),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Bumped by every write of the person's data: the snapshot key, and (locked with
    # SELECT ... FOR UPDATE) the lock that makes each write one at a time.
    Column("revision", BigInteger, nullable=False, server_default=text("0")),
    CheckConstraint(f"role IN ({_in(ROLES)})", name="role"),
)

items = Table(
    "items",
    metadata,
    Column(
        "account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("kind", Text, nullable=False),
    # The item's doc id within its table, as in the JSON file ("1", "2", ...).
    Column("key", Text, nullable=False),
    # The item's date (a session's, a phase's start, a clearance's examination), for
    # the clinician's queries; None for the settings.
    Column("day", Date),
    Column("body", JSONB, nullable=False),
    PrimaryKeyConstraint("account_id", "kind", "key"),
    CheckConstraint(f"kind IN ({_in(ITEM_KINDS)})", name="kind"),
    Index(None, "account_id", "kind", "day"),
)

patient_status = Table(
    "patient_status",
    metadata,
    Column(
        "patient_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("paused", Boolean, nullable=False, server_default=text("false")),
    Column("red_sessions_14d", Integer, nullable=False, server_default=text("0")),
    Column("morning_rising", Boolean, nullable=False, server_default=text("false")),
    Column("last_log", Date),
    Column("improving", Boolean),
    # The sort key of the clinician's list, higher first.
    Column("attention", Integer, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

care_links = Table(
    "care_links",
    metadata,
    Column("physio_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("patient_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE")),
    Column("accepted_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    PrimaryKeyConstraint("physio_id", "patient_id"),
    Index(None, "patient_id"),
)

invitations = Table(
    "invitations",
    metadata,
    # Short and human-typable; unique (the primary key).
    Column("code", Text, primary_key=True),
    Column(
        "physio_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("used_by", BigInteger, ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("used_at", DateTime(timezone=True)),
)

notes = Table(
    "notes",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column(
        "patient_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column(
        "physio_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("written_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("text", Text, nullable=False),
    Index(None, "patient_id", "written_at"),
)

# Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE), and without foreign keys:
# the record of who saw whose data outlives both accounts.
audit = Table(
    "audit",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("viewer_id", BigInteger, nullable=False),
    Column("patient_id", BigInteger, nullable=False),
    # What was seen or done, e.g. "progress", "report", "note".
    Column("what", Text, nullable=False),
    Index(None, "patient_id", "at"),
)


# -- the engine --------------------------------------------------------------------------


def database_url(url: str | URL) -> URL:
    """``url`` with psycopg 3 as its driver (``postgresql://`` would mean psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def engine_for(url: str | URL, **options: Any) -> Engine:
    """An engine for the clinic's database: pooled, each connection checked before use
    (a server restarted since is reconnected to), a bounded wait to connect and for
    another write of the same person's data. ``options`` go to ``create_engine``."""
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "options": f"-c lock_timeout={LOCK_TIMEOUT_MS}",
    }
    connect_args.update(options.pop("connect_args", {}))
    return create_engine(
        database_url(url), pool_pre_ping=True, connect_args=connect_args, **options
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, made in code: the migrations folder, and the connection
    they run on (``env.py`` reads it from ``config.attributes``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(target: str | URL | Engine, revision: str = "head") -> None:
    """Bring the database at ``target`` (a URL or an engine) to ``revision`` of the
    migrations, in one transaction; a database already there is left as it is."""
    engine = target if isinstance(target, Engine) else engine_for(target)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(alembic_config(conn), revision)
    finally:
        if engine is not target:
            engine.dispose()


def current_revision(target: Engine) -> str | None:
    """The migration the database is at (None: none has run)."""
    from alembic.runtime.migration import MigrationContext

    with target.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def add_account(
    engine: Engine,
    subject: str,
    *,
    email: str | None = None,
    name: str | None = None,
    role: str = "patient",
) -> int:
    """Create an account; returns its id. (Sign-in decides when: docs/clinic.md.)"""
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(accounts)
            .values(subject=subject, email=email, name=name, role=role)
            .returning(accounts.c.id)
        ).scalar_one()
    return int(new_id)


__all__ = [
    "ITEM_KINDS",
    "ROLES",
    "accounts",
    "add_account",
    "alembic_config",
    "audit",
    "care_links",
    "current_revision",
    "database_url",
    "engine_for",
    "invitations",
    "items",
    "metadata",
    "migrate",
    "notes",
    "patient_status",
]
