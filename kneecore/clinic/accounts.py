"""Who signs in, who may see whom, notes and the audit trail (issue 16, docs/clinic.md).

:class:`Accounts` is every access decision of clinic mode, made here and never in pages:

* :meth:`Accounts.sign_in`: the account of an OIDC subject; a first sign-in creates a
  patient. A physiotherapist is made by :meth:`Accounts.make_physio` (the command
  ``python -m kneecore.clinic add-physio EMAIL``), before or after their first sign-in.
* :meth:`Accounts.new_invitation` / :meth:`Accounts.accept`: a physiotherapist hands a
  patient a short code; a patient who enters it lets that physiotherapist follow them
  (``care_links``). Nothing else links a physiotherapist to a patient.
* :meth:`Accounts.store_for`: the one way to a person's data. A patient gets their own
  store; a physiotherapist gets a read-only store of a patient who accepted them; anyone
  else a :class:`PermissionError`.
* :meth:`Accounts.patients_of`: the clinician's list, one query over ``care_links`` and
  ``patient_status`` (no patient's data is loaded), sorted by what needs attention.
* Notes (:meth:`add_note`, :meth:`notes_of`) and the append-only ``audit`` trail
  (:meth:`record_view`, :meth:`audit_log`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import Engine, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from kneecore.clinic.attention import PatientStatus
from kneecore.clinic.db import accounts, audit, care_links, invitations, notes, patient_status
from kneecore.clinic.pgstore import PgStore

Role = Literal["patient", "physio"]

#: Invitation codes: no 0/O, 1/I/L, so a code read aloud or off paper is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
#: The longest note a physiotherapist may write.
NOTE_MAX = 4000
#: How many people's stores :meth:`Accounts.store_for` keeps for reuse.
STORES_KEPT = 256
#: The most audit rows one call returns.
AUDIT_LIMIT = 500
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class InvitationError(ValueError):
    """An invitation code that cannot be used, said plainly for the person who typed it."""


@dataclass(frozen=True)
class Account:
    """One person who signs in: a patient or a physiotherapist."""

    id: int
    subject: str
    email: str | None
    name: str | None
    role: Role

    @property
    def is_physio(self) -> bool:
        return self.role == "physio"

    @property
    def display(self) -> str:
        """How pages name the person: their name, else their e-mail, else a number."""
        return self.name or self.email or f"Account {self.id}"


@dataclass(frozen=True)
class Note:
    id: int
    patient_id: int
    physio_id: int
    physio: str
    written_at: dt.datetime
    text: str


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    viewer_id: int
    viewer: str
    patient_id: int
    patient: str
    what: str


_ACCOUNT_COLUMNS = (
    accounts.c.id,
    accounts.c.subject,
    accounts.c.email,
    accounts.c.name,
    accounts.c.role,
)


def _account(row: Any) -> Account:
    return Account(
        id=int(row.id),
        subject=row.subject,
        email=row.email,
        name=row.name,
        role=cast(Role, row.role),
    )


def normalise_code(code: str) -> str:
    """A typed code as stored: capitals, without spaces or dashes (``abcd-efgh`` too)."""
    return re.sub(r"[\s\-]", "", code).upper()


def show_code(code: str) -> str:
    """A code as shown and read aloud: two groups of four (``ABCD-EFGH``)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _status(row: Any, today: dt.date) -> PatientStatus:
    """The stored status of a patient, aged to ``today`` (no row: nothing logged yet)."""
    if row.updated_at is None:
        return PatientStatus(today=today)
    stored = PatientStatus(
        today=row.updated_at.astimezone().date(),
        paused=row.paused,
        red_sessions_14d=row.red_sessions_14d,
        morning_rising=row.morning_rising,
        last_log=row.last_log,
        improving=row.improving,
    )
    return stored.as_of(today)


class Accounts:
    """Accounts, roles and links on the clinic's database (``engine``)."""

    def __init__(self, engine: Engine, *, exercise_ids: frozenset[str] | None = None) -> None:
        self._engine = engine
        self._exercise_ids = exercise_ids
        # The stores handed out, reused so each keeps its cached snapshot between calls
        # (a store is scoped to one account and safe to share); most recent last.
        self._stores: OrderedDict[tuple[int, bool], PgStore] = OrderedDict()
        self._stores_lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        return self._engine

    # -- signing in and roles ------------------------------------------------------------

    def get(self, account_id: int) -> Account | None:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(*_ACCOUNT_COLUMNS).where(accounts.c.id == account_id)
            ).one_or_none()
        return None if row is None else _account(row)

    def sign_in(
        self,
        subject: str,
        email: str | None = None,
        name: str | None = None,
        *,
        email_verified: bool = True,
    ) -> Account:
        """The account of the OIDC ``subject``; created as a patient on a first sign-in.

        E-mail and name are refreshed from the provider each time; the role never
        changes here. A first sign-in whose (verified) e-mail was made a physiotherapist
        in advance (:meth:`make_physio`) takes over that account.
        """
        subject = subject.strip()
        if not subject:
            raise ValueError("A sign-in needs the provider's subject (or e-mail).")
        with self._engine.begin() as conn:
            row = conn.execute(
                update(accounts)
                .where(accounts.c.subject == subject)
                .values(email=email, name=name)
                .returning(*_ACCOUNT_COLUMNS)
            ).one_or_none()
            if row is None and email and email_verified:
                # An account made in advance for this e-mail has the e-mail as subject.
                row = conn.execute(
                    update(accounts)
                    .where(func.lower(accounts.c.subject) == email.strip().lower())
                    .values(subject=subject, email=email, name=name)
                    .returning(*_ACCOUNT_COLUMNS)
                ).one_or_none()
            if row is None:
                row = conn.execute(
                    pg_insert(accounts)
                    .values(subject=subject, email=email, name=name, role="patient")
                    .on_conflict_do_update(
                        index_elements=[accounts.c.subject], set_={"email": email, "name": name}
                    )
                    .returning(*_ACCOUNT_COLUMNS)
                ).one()
        return _account(row)

    def make_physio(self, email: str) -> list[Account]:
        """Make every account with this e-mail a physiotherapist; with none yet, make one
        in advance that their first sign-in takes over. Returns the accounts."""
        email = email.strip()
        if not _EMAIL.match(email):
            raise ValueError(f"{email!r} is not an e-mail address.")
        with self._engine.begin() as conn:
            rows = conn.execute(
                update(accounts)
                .where(
                    or_(
                        func.lower(accounts.c.email) == email.lower(),
                        func.lower(accounts.c.subject) == email.lower(),
                    )
                )
                .values(role="physio")
                .returning(*_ACCOUNT_COLUMNS)
            ).all()
            if not rows:
                rows = conn.execute(
                    insert(accounts)
                    .values(subject=email.lower(), email=email, role="physio")
                    .returning(*_ACCOUNT_COLUMNS)
                ).all()
        return sorted((_account(r) for r in rows), key=lambda a: a.id)

    # -- invitations and links -------------------------------------------------------------

    def new_invitation(self, physio_id: int) -> str:
        """A new invitation code of this physiotherapist (8 characters, unguessable)."""
        self._require_physio(physio_id)
        for _ in range(5):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self._engine.begin() as conn:
                    conn.execute(insert(invitations).values(code=code, physio_id=physio_id))
            except IntegrityError:
                continue  # the same code twice: about one chance in 10^12
            return code
        raise RuntimeError("Could not make a new invitation code; try again.")

    def accept(self, patient_id: int, code: str) -> Account:
        """The patient entered ``code``: their physiotherapist may follow them from now.

        Returns that physiotherapist. Raises :class:`InvitationError` for a code that is
        unknown or already used (a code works once), or is the patient's own.
        """
        typed = normalise_code(code)
        with self._engine.begin() as conn:
            who = conn.execute(
                select(accounts.c.role).where(accounts.c.id == patient_id)
            ).scalar_one_or_none()
            if who != "patient":
                raise PermissionError("Only a patient's account can accept an invitation.")
            found = conn.execute(
                select(invitations).where(invitations.c.code == typed).with_for_update()
            ).one_or_none()
            if found is None:
                raise InvitationError(
                    f"There is no invitation with the code {show_code(typed) or '(empty)'}. "
                    f"Check it with your physiotherapist: it has {CODE_LENGTH} letters and "
                    "digits, like ABCD-EFGH."
                )
            if found.used_by is not None:
                raise InvitationError(
                    "That code has already been used; each code works once. Ask your "
                    "physiotherapist for a new one."
                )
            conn.execute(
                update(invitations)
                .where(invitations.c.code == typed)
                .values(used_by=patient_id, used_at=func.now())
            )
            conn.execute(
                pg_insert(care_links)
                .values(physio_id=found.physio_id, patient_id=patient_id)
                .on_conflict_do_nothing()
            )
            physio = conn.execute(
                select(*_ACCOUNT_COLUMNS).where(accounts.c.id == found.physio_id)
            ).one()
        return _account(physio)

    def stop_sharing(self, patient_id: int, physio_id: int) -> bool:
        """The patient ends a physiotherapist's access; True if there was one."""
        with self._engine.begin() as conn:
            gone = conn.execute(
                delete(care_links).where(
                    care_links.c.patient_id == patient_id, care_links.c.physio_id == physio_id
                )
            ).rowcount
        return bool(gone)

    def physios_of(self, patient_id: int) -> list[tuple[Account, dt.datetime]]:
        """The physiotherapists following this patient, with when each was accepted."""
        query = (
            select(*_ACCOUNT_COLUMNS, care_links.c.accepted_at)
            .join(care_links, care_links.c.physio_id == accounts.c.id)
            .where(care_links.c.patient_id == patient_id)
            .order_by(care_links.c.accepted_at)
        )
        with self._engine.connect() as conn:
            return [(_account(r), r.accepted_at) for r in conn.execute(query)]

    def follows(self, physio_id: int, patient_id: int) -> bool:
        """Whether the patient accepted this physiotherapist (a care link exists)."""
        with self._engine.connect() as conn:
            return bool(conn.execute(select(self._linked(physio_id, patient_id))).scalar())

    @staticmethod
    def _linked(physio_id: int, patient_id: int) -> Any:
        return (
            select(care_links.c.physio_id)
            .join(accounts, accounts.c.id == care_links.c.physio_id)
            .where(
                care_links.c.physio_id == physio_id,
                care_links.c.patient_id == patient_id,
                accounts.c.role == "physio",
            )
            .exists()
        )

    def patients_of(self, physio_id: int, today: dt.date) -> list[tuple[Account, PatientStatus]]:
        """This physiotherapist's patients (those who accepted), most in need first.

        One query over ``care_links``, ``accounts`` and ``patient_status``; each stored
        status is aged to ``today`` (:meth:`PatientStatus.as_of`) before sorting by
        attention, then longest without a log, then name.
        """
        query = (
            select(
                *_ACCOUNT_COLUMNS,
                patient_status.c.paused,
                patient_status.c.red_sessions_14d,
                patient_status.c.morning_rising,
                patient_status.c.last_log,
                patient_status.c.improving,
                patient_status.c.updated_at,
            )
            .select_from(care_links)
            .join(accounts, accounts.c.id == care_links.c.patient_id)
            .outerjoin(patient_status, patient_status.c.patient_id == accounts.c.id)
            .where(care_links.c.physio_id == physio_id)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        listed = [(_account(r), _status(r, today)) for r in rows]
        listed.sort(
            key=lambda pair: (
                -pair[1].attention,
                pair[1].last_log or dt.date.min,
                pair[0].display.lower(),
                pair[0].id,
            )
        )
        return listed

    # -- the one way to a person's data ----------------------------------------------------

    def store_for(self, viewer: Account, patient_id: int) -> PgStore:
        """The store a viewer may use for ``patient_id``'s data, or PermissionError.

        Yourself (a patient): your own store, to read and write. A physiotherapist: a
        read-only store of a patient who accepted their invitation. Anyone else: refused.
        """
        if viewer.id == patient_id and viewer.role == "patient":
            return self._store(patient_id, read_only=False)
        if viewer.is_physio and self.follows(viewer.id, patient_id):
            return self._store(patient_id, read_only=True)
        raise PermissionError("You may not see this person's data.")

    def _store(self, account_id: int, *, read_only: bool) -> PgStore:
        key = (account_id, read_only)
        with self._stores_lock:
            store = self._stores.pop(key, None)
            if store is None:
                store = PgStore(
                    self._engine, account_id, exercise_ids=self._exercise_ids, read_only=read_only
                )
            self._stores[key] = store
            while len(self._stores) > STORES_KEPT:
                self._stores.popitem(last=False)
        return store

    def status_of(self, patient_id: int, today: dt.date) -> PatientStatus:
        """One patient's stored status, aged to ``today`` (callers check access first)."""
        query = select(
            patient_status.c.paused,
            patient_status.c.red_sessions_14d,
            patient_status.c.morning_rising,
            patient_status.c.last_log,
            patient_status.c.improving,
            patient_status.c.updated_at,
        ).where(patient_status.c.patient_id == patient_id)
        with self._engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        return PatientStatus(today=today) if row is None else _status(row, today)

    # -- notes ---------------------------------------------------------------------------

    def add_note(self, physio_id: int, patient_id: int, text: str) -> Note:
        """A physiotherapist's note on a patient who accepted them (recorded in audit)."""
        text = text.strip()
        if not text:
            raise ValueError("The note is empty: write something first.")
        if len(text) > NOTE_MAX:
            raise ValueError(f"A note may be up to {NOTE_MAX} characters; this one is {len(text)}.")
        with self._engine.begin() as conn:
            if not conn.execute(select(self._linked(physio_id, patient_id))).scalar():
                raise PermissionError("You may only write notes on your own patients.")
            row = conn.execute(
                insert(notes)
                .values(patient_id=patient_id, physio_id=physio_id, text=text)
                .returning(notes.c.id)
            ).one()
            conn.execute(
                insert(audit).values(viewer_id=physio_id, patient_id=patient_id, what="note")
            )
        return self._notes(notes.c.id == row.id)[0]

    def notes_of(self, viewer: Account, patient_id: int) -> list[Note]:
        """Notes on a patient, newest first: all of them for the patient; a linked
        physiotherapist's own notes for them; PermissionError for anyone else."""
        if viewer.role == "patient" and viewer.id == patient_id:
            return self._notes(notes.c.patient_id == patient_id)
        if viewer.is_physio and self.follows(viewer.id, patient_id):
            return self._notes(
                and_(notes.c.patient_id == patient_id, notes.c.physio_id == viewer.id)
            )
        raise PermissionError("You may not read notes on this person.")

    def _notes(self, where: Any) -> list[Note]:
        query = (
            select(notes, accounts.c.name, accounts.c.email)
            .join(accounts, accounts.c.id == notes.c.physio_id)
            .where(where)
            .order_by(notes.c.written_at.desc(), notes.c.id.desc())
        )
        with self._engine.connect() as conn:
            return [
                Note(
                    id=int(r.id),
                    patient_id=int(r.patient_id),
                    physio_id=int(r.physio_id),
                    physio=r.name or r.email or f"Account {r.physio_id}",
                    written_at=r.written_at,
                    text=r.text,
                )
                for r in conn.execute(query)
            ]

    # -- the audit trail -------------------------------------------------------------------

    def record_view(self, viewer_id: int, patient_id: int, what: str) -> None:
        """Write who saw what of whose data, now (append-only; call before showing)."""
        with self._engine.begin() as conn:
            conn.execute(
                insert(audit).values(viewer_id=viewer_id, patient_id=patient_id, what=what)
            )

    def audit_log(self, viewer: Account, limit: int = AUDIT_LIMIT) -> list[AuditEntry]:
        """The trail a person may read, newest first: for a patient, every view of their
        data; for a physiotherapist, every view of the patients who accepted them."""
        if viewer.is_physio:
            mine = select(care_links.c.patient_id).where(care_links.c.physio_id == viewer.id)
            where = or_(audit.c.patient_id.in_(mine), audit.c.viewer_id == viewer.id)
        else:
            where = audit.c.patient_id == viewer.id
        return self._audit(where, limit)

    def _audit(self, where: Any, limit: int) -> list[AuditEntry]:
        seer = accounts.alias("seer")
        seen = accounts.alias("seen")
        query = (
            select(
                audit,
                func.coalesce(seer.c.name, seer.c.email).label("viewer"),
                func.coalesce(seen.c.name, seen.c.email).label("patient"),
            )
            .outerjoin(seer, seer.c.id == audit.c.viewer_id)
            .outerjoin(seen, seen.c.id == audit.c.patient_id)
            .where(where)
            .order_by(audit.c.at.desc(), audit.c.id.desc())
            .limit(min(limit, AUDIT_LIMIT))
        )
        with self._engine.connect() as conn:
            return [
                AuditEntry(
                    at=r.at,
                    viewer_id=int(r.viewer_id),
                    viewer=r.viewer or f"Account {r.viewer_id}",
                    patient_id=int(r.patient_id),
                    patient=r.patient or f"Account {r.patient_id}",
                    what=r.what,
                )
                for r in conn.execute(query)
            ]

    def _require_physio(self, account_id: int) -> None:
        with self._engine.connect() as conn:
            role = conn.execute(
                select(accounts.c.role).where(accounts.c.id == account_id)
            ).scalar_one_or_none()
        if role != "physio":
            raise PermissionError("Only a physiotherapist can make invitation codes.")


__all__ = [
    "AUDIT_LIMIT",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "NOTE_MAX",
    "Account",
    "Accounts",
    "AuditEntry",
    "InvitationError",
    "Note",
    "normalise_code",
    "show_code",
]
