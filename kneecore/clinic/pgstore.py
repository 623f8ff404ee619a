"""One person's data in the clinic's PostgreSQL database, behind the store interface.

:class:`PgStore` keeps the rules of :class:`~kneecore.storerules.StoreRules` (the same
code as the JSON file's store) and stores each item of the file's tables as a row of
``items`` (``kneecore.clinic.db``). It is made for one account and every query it
runs names that account: no method can read or write another person's rows.

* A read (``_snap``) asks for the account's ``revision`` (one small query) and reuses
  the document it loaded last while that has not moved; otherwise it loads the
  account's items in one query, as one JSON document validated like the file.
* A write (``_mutate``) is one transaction: lock the account's row
  (``SELECT revision ... FOR UPDATE``: writes of one person's data take turns), load
  the document, apply the change, write the rows that differ (insert, update, delete
  by kind and key), bump the revision, commit. An exception in the change, or a server
  gone mid-way, leaves every row as it was.

It has no file: there are no backups or moved-aside copies to offer (the server's
backups are the practice's job), and ``path``/``folder`` raise :class:`NoDataFile`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from kneecore import storefile
from kneecore.backup import Backup
from kneecore.clinic import attention
from kneecore.clinic.db import ITEM_KINDS, accounts, items, patient_status
from kneecore.models import Session
from kneecore.storebase import DeletedData
from kneecore.storefile import StoreDocument, StoreError, StoreErrorKind
from kneecore.storerules import StoreRules
from kneecore.words import clip

if TYPE_CHECKING:
    from kneecore.userstore import UserStore

_T = TypeVar("_T")

#: The field holding each kind's date (the ``day`` column); settings have none.
_DAY_FIELD = {
    "sessions": "date",
    "runs": "date",
    "selfchecks": "date",
    "warning_records": "date",
    "phases": "started",
    "clearances": "examined",
}
#: PostgreSQL's code for "the lock was not granted in time" (``lock_timeout``).
_LOCK_NOT_AVAILABLE = "55P03"


def _document_query() -> str:
    """One statement: the account's revision and all its items as one JSON document.

    Shaped like the store file (``{"_meta": ..., "sessions": {"1": {...}}, ...}``) so it
    is validated in one pass exactly as the file is; each table in the order of its doc
    ids (the order items were added, which same-day sorting keeps). One statement sees
    one snapshot of the database, so the revision and the items agree.
    """
    tables = ",\n".join(
        f"'{kind}', COALESCE((SELECT json_object_agg(i.key, i.body "
        f"ORDER BY length(i.key), i.key) FROM items i "
        f"WHERE i.account_id = a.id AND i.kind = '{kind}'), '{{}}'::json)"
        for kind in ITEM_KINDS
    )
    return (
        "SELECT a.revision, json_build_object("
        "'_meta', json_build_object('1', json_build_object('schema_version', "
        f"CAST(:version AS integer))),\n{tables})::text AS doc "
        "FROM accounts a WHERE a.id = :account"
    )


_LOAD = text(_document_query())


class NoDataFile(AttributeError):
    """A server store was asked for its data file: it has none.

    Code that shows or keys on ``store.path`` is wired for the file store; a clinic
    store says where it is with :attr:`PgStore.location` and changes with
    :meth:`PgStore.revision`. (An ``AttributeError``: the store has no such attribute.)
    """


class ReadOnlyStore(StoreError):
    """A write on a store opened read-only (a physiotherapist's view of a patient)."""


@dataclass(frozen=True)
class _Snapshot:
    """The account's items at one revision (the number ``accounts.revision`` holds)."""

    account_id: int
    number: int
    doc: StoreDocument

    @property
    def revision(self) -> str:
        # The account in it too: a key unique across people, for pages' caches.
        return f"{self.account_id}.{self.number}"

    @functools.cached_property
    def sessions_by_date(self) -> tuple[Session, ...]:
        # Stable sort: same-day sessions stay in the order they were added.
        return tuple(sorted(self.doc.sessions.values(), key=lambda s: s.date))


def _row(account_id: int, kind: str, key: str, item: Any) -> dict[str, Any]:
    field = _DAY_FIELD.get(kind)
    day = getattr(item, field) if field else None
    return {
        "account_id": account_id,
        "kind": kind,
        "key": key,
        "day": day if isinstance(day, dt.date) else None,
        "body": item.model_dump(mode="json", by_alias=True),
    }


class PgStore(StoreRules):
    """One account's data on the clinic's server; the same rules as the file store.

    Safe to share between threads; every write is one transaction on the server, so
    several app processes may serve the same person at once.
    """

    def __init__(
        self,
        engine: Engine,
        account_id: int,
        *,
        exercise_ids: frozenset[str] | set[str] | None = None,
        read_only: bool = False,
    ) -> None:
        self._engine = engine
        self.account_id = int(account_id)
        self.read_only = read_only
        #: None: the content library's exercises are the known ones (loaded when needed).
        self._exercise_ids = frozenset(exercise_ids) if exercise_ids is not None else None
        self._snapshot: _Snapshot | None = None
        #: The file store's warning about a daily backup; a server store writes none.
        self.backup_warning: str | None = None

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"PgStore(account {self.account_id}{mode})"

    # -- where it is -----------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The engine of the clinic's database this store reads and writes through."""
        return self._engine

    @property
    def location(self) -> str:
        """Where the data is, in words: the account, database and server (no password)."""
        url = self._engine.url
        server = url.host or "the local socket"
        if url.port:
            server += f":{url.port}"
        return f"account {self.account_id} in the database {url.database} on {server}"

    @property
    def path(self) -> Path:
        raise NoDataFile(
            f"A clinic store has no data file ({self.location}); use its location to "
            "show where the data is and its revision() as a cache key."
        )

    @property
    def folder(self) -> Path:
        raise NoDataFile(f"A clinic store has no data folder ({self.location}).")

    # -- reads -------------------------------------------------------------------------

    def _snap(self) -> _Snapshot:
        try:
            with self._engine.connect() as conn:
                number = conn.execute(
                    select(accounts.c.revision).where(accounts.c.id == self.account_id)
                ).scalar_one_or_none()
                if number is None:
                    self._no_account()
                cached = self._snapshot
                if cached is not None and cached.number == number:
                    return cached
                snap = self._load(conn)
        except (DBAPIError, PoolTimeout) as exc:
            raise self._server_error(exc, writing=False) from exc
        self._snapshot = snap
        return snap

    def _load(self, conn: Connection) -> _Snapshot:
        row = conn.execute(
            _LOAD, {"account": self.account_id, "version": storefile.SCHEMA_VERSION}
        ).one_or_none()
        if row is None:
            self._no_account()
        try:
            doc, _ = storefile.parse_store_bytes(row.doc.encode("utf-8"))
        except StoreError as exc:
            raise StoreError(
                "Your data on the clinic's server is not in the form this version of the "
                f"app reads ({clip(exc, 300)}). Nothing was changed. Tell the practice.",
                kind=exc.kind,
            ) from exc
        return _Snapshot(self.account_id, int(row.revision), doc)

    def _no_account(self) -> NoReturn:
        raise StoreError(
            f"Your account (number {self.account_id}) is not on the clinic's server. "
            "Sign out and in again; if that does not help, tell the practice.",
            kind="unreadable",
        )

    # -- writes ------------------------------------------------------------------------

    def _mutate(self, change: Callable[[StoreDocument], tuple[StoreDocument, _T]]) -> _T:
        """Lock, load, change, write what differs, bump the revision: one transaction.

        ``change`` returns the new document and what the caller gets back; raising in
        it (or a server gone mid-way) writes nothing.
        """
        if self.read_only:
            raise ReadOnlyStore(
                "This is a read-only view of someone else's data: nothing can be changed "
                "here, and nothing was.",
                kind="write_failed",
            )
        try:
            conn = self._engine.connect()
        except (DBAPIError, PoolTimeout) as exc:
            raise self._server_error(exc, writing=True) from exc
        with conn:
            try:
                trans = conn.begin()
                number = conn.execute(
                    select(accounts.c.revision)
                    .where(accounts.c.id == self.account_id)
                    .with_for_update()
                ).scalar_one_or_none()
                if number is None:
                    self._no_account()
                cached = self._snapshot
                before = (
                    cached if cached is not None and cached.number == number else self._load(conn)
                )
                after, result = change(before.doc)
                self._write_changes(conn, before.doc, after)
                conn.execute(
                    update(accounts)
                    .where(accounts.c.id == self.account_id)
                    .values(revision=number + 1)
                )
                self._after_change(conn, after)
            except (DBAPIError, PoolTimeout) as exc:
                raise self._server_error(exc, writing=True) from exc
            try:
                trans.commit()
            except DBAPIError as exc:
                raise StoreError(
                    "The connection to the clinic's server was lost while your change was "
                    "being saved, so it may or may not have been saved. Look whether it is "
                    "there before making it again.",
                    kind="write_failed",
                ) from exc
        self._snapshot = _Snapshot(self.account_id, number + 1, after)
        return result

    def _write_changes(self, conn: Connection, before: StoreDocument, after: StoreDocument) -> None:
        """Insert, update and delete the rows of the items that differ, by kind and key."""
        added: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for kind in ITEM_KINDS:
            old: Mapping[str, Any] = getattr(before, kind)
            new: Mapping[str, Any] = getattr(after, kind)
            if old is new:
                continue
            for key, item in new.items():
                was = old.get(key)
                if was is None:
                    added.append(_row(self.account_id, kind, key, item))
                elif was is not item and was != item:
                    changed.append(_row(self.account_id, kind, key, item))
            gone = [key for key in old if key not in new]
            if gone:
                conn.execute(
                    delete(items).where(
                        items.c.account_id == self.account_id,
                        items.c.kind == kind,
                        items.c.key.in_(gone),
                    )
                )
        if added:
            conn.execute(insert(items), added)
        if changed:
            conn.execute(
                update(items)
                .where(
                    and_(
                        items.c.account_id == bindparam("b_account"),
                        items.c.kind == bindparam("b_kind"),
                        items.c.key == bindparam("b_key"),
                    )
                )
                .values(day=bindparam("day"), body=bindparam("body")),
                [
                    {
                        "b_account": row["account_id"],
                        "b_kind": row["kind"],
                        "b_key": row["key"],
                        "day": row["day"],
                        "body": row["body"],
                    }
                    for row in changed
                ],
            )

    def _after_change(self, conn: Connection, doc: StoreDocument) -> None:
        """Called in every write's transaction, after the items: rewrites the patient's
        ``patient_status`` row (``kneecore.clinic.attention.status_of`` on the new
        document, today), so the clinician's list never disagrees with the data."""
        status = attention.status_of(doc, dt.date.today())
        figures = {
            "paused": status.paused,
            "red_sessions_14d": status.red_sessions_14d,
            "morning_rising": status.morning_rising,
            "last_log": status.last_log,
            "improving": status.improving,
            "attention": status.attention,
            "updated_at": func.now(),
        }
        conn.execute(
            pg_insert(patient_status)
            .values(patient_id=self.account_id, **figures)
            .on_conflict_do_update(index_elements=[patient_status.c.patient_id], set_=figures)
        )

    def _server_error(self, exc: Exception, *, writing: bool) -> StoreError:
        """A :class:`StoreError` in plain words for a failure of the server or the link."""
        code = getattr(getattr(exc, "orig", None), "sqlstate", None)
        if code == _LOCK_NOT_AVAILABLE or isinstance(exc, PoolTimeout):
            return StoreError(
                "Another window or device is saving your data right now. Nothing was "
                "changed; try again in a moment.",
                kind="busy",
            )
        kind: StoreErrorKind = "write_failed" if writing else "busy"
        if isinstance(exc, OperationalError | InterfaceError):
            if writing:
                return StoreError(
                    "Your data could not be saved: the clinic's server could not be "
                    "reached. Nothing was changed; your earlier data is safe. Try again in "
                    "a moment.",
                    kind=kind,
                )
            return StoreError(
                "Your data could not be loaded: the clinic's server could not be reached. "
                "Try again in a moment.",
                kind=kind,
            )
        reason = getattr(getattr(getattr(exc, "orig", None), "diag", None), "message_primary", None)
        said = f" ({clip(reason, 200)})" if reason else ""
        if writing:
            return StoreError(
                f"Your data could not be saved: the clinic's server refused it{said}. "
                "Nothing was changed; your earlier data is safe.",
                kind=kind,
            )
        return StoreError(
            f"Your data could not be loaded: the clinic's server refused{said}.", kind=kind
        )

    # -- the whole store ---------------------------------------------------------------

    def delete_all(self) -> DeletedData:
        """Delete every item of this account (not the account itself), in one transaction.

        Returns how many of each kind went, so the page can say so.
        """

        def change(doc: StoreDocument) -> tuple[StoreDocument, dict[str, int]]:
            counts = {kind: len(getattr(doc, kind)) for kind in ITEM_KINDS}
            return StoreDocument(), counts

        return DeletedData(on_server=self._mutate(change))

    def backups(self) -> list[Backup]:
        """None here: the server's backups are made (and restored) by the practice."""
        return []

    def aside_files(self) -> list[Path]:
        """None: nothing on the server is ever moved aside."""
        return []

    def restore_backup(self, backup: Backup | Path | None = None) -> Path:
        raise StoreError(
            "Your data is on the clinic's server, whose backups the practice keeps: ask "
            "them to restore one. Nothing was changed.",
            kind="write_failed",
        )

    def move_aside_and_reset(self) -> Path | None:
        raise StoreError(
            "Your data is on the clinic's server: it cannot be set aside from here. Tell "
            "the practice; nothing was changed.",
            kind="write_failed",
        )


if TYPE_CHECKING:
    # mypy checks here that PgStore has every member of the interface pages use.
    def _is_a_user_store(store: PgStore) -> UserStore:
        return store


__all__ = ["NoDataFile", "PgStore", "ReadOnlyStore"]
