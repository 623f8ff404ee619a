"""The user's data, written once: every rule of the store interface, for any store.

:class:`StoreRules` holds every user-data method of
:class:`~kneecore.userstore.UserStore` (sessions, runs, self-checks, clearances,
phases, settings, export and import). Each read looks at a snapshot of the whole
store, and each write is a change of a :class:`~kneecore.storefile.StoreDocument`,
``change(doc) -> (new_doc, result)``, that the store runs as one atomic unit of work.
So the JSON file (:class:`kneecore.store.Store`) and a clinic's PostgreSQL server
(:class:`kneecore.clinic.pgstore.PgStore`) keep exactly the same rules; a subclass
supplies only where the document lives (docs/clinic.md):

* ``_snap()``: the store as it is now, an object with ``.doc``, ``.revision`` and
  ``.sessions_by_date`` (:class:`Snapshot`);
* ``_mutate(change)``: runs ``change`` as one atomic unit of work and returns its
  result; an exception raised in ``change`` writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import ValidationError

from kneecore import storecheck as check
from kneecore.models import Clearance, PhaseStart, Run, SelfCheckResult, Session, Settings
from kneecore.storebase import RunsAdded
from kneecore.storefile import StoreConflict, StoreDocument, next_doc_id, plain_errors
from kneecore.transfer import ImportSummary, export_file, merge, validate_import

_T = TypeVar("_T")


class Snapshot(Protocol):
    """The whole store at one revision, as a read sees it."""

    @property
    def doc(self) -> StoreDocument: ...
    @property
    def revision(self) -> str: ...
    @property
    def sessions_by_date(self) -> tuple[Session, ...]: ...


def _added(doc: StoreDocument, table: str, item: Any) -> StoreDocument:
    """``doc`` with ``item`` appended to ``table`` under a new doc id."""
    items = dict(getattr(doc, table))
    items[next_doc_id(items)] = item
    return doc.model_copy(update={table: items})


def _start_key(start: dt.datetime) -> dt.datetime:
    """A run's start for finding it again: the instant in UTC, or the clock time as
    given when the file had no zone (a naive and an aware start never meet)."""
    return start.astimezone(dt.UTC) if start.tzinfo is not None else start


class StoreRules:
    """Every user-data method of the store interface, on top of ``_snap`` and ``_mutate``.

    Returned models are the cached, frozen instances: they cannot be changed, and their
    nested lists are shared with the cache, so change data only through the methods here.
    """

    #: The exercises a new session may name; None: the content library's (loaded when
    #: needed). Set by the subclass's ``__init__``.
    _exercise_ids: frozenset[str] | None = None

    if TYPE_CHECKING:
        # Supplied by the subclass (declared only for the type checker: a definition
        # here would come before StoreBase's in Store's method order).
        def _snap(self) -> Snapshot: ...

        def _mutate(self, change: Callable[[StoreDocument], tuple[StoreDocument, _T]]) -> _T: ...

    def _data_file(self) -> Path | None:
        """The file a :class:`~kneecore.storefile.StoreError` names; None: no file."""
        return None

    def _check_exercises(self, session: Session, already: frozenset[str] = frozenset()) -> None:
        known = self._exercise_ids
        check.check_exercises(
            session, known if known is not None else check.library_exercise_ids(), already
        )

    # -- sessions ----------------------------------------------------------------------

    def add_session(self, data: Mapping[str, Any] | Session) -> str:
        """Validate and save a new session; returns its id (kept if ``data`` has one)."""
        session = Session.model_validate(
            data.model_dump() if isinstance(data, Session) else check.checked_mapping(data, "date")
        )
        self._check_exercises(session)

        def change(doc: StoreDocument) -> tuple[StoreDocument, str]:
            if any(s.id == session.id for s in doc.sessions.values()):
                raise ValueError(f"id: a session with id {session.id!r} already exists")
            return _added(doc, "sessions", session), session.id

        return self._mutate(change)

    def sessions(self) -> list[Session]:
        """All sessions, oldest first (same-day sessions in the order they were added)."""
        # The models are frozen, so the cached instances are handed out as they are: a
        # caller cannot change them (and so what the next write saves).
        return list(self._snap().sessions_by_date)

    def get_session(self, session_id: str) -> Session:
        """The session with this id; ``KeyError`` if there is none."""
        for session in self._snap().doc.sessions.values():
            if session.id == session_id:
                return session
        raise KeyError(session_id)

    def update_session(
        self,
        session_id: str,
        data: Mapping[str, Any] | Session,
        expected: Session | None = None,
    ) -> Session:
        """Change fields of a session (a full or partial mapping); returns the new session.

        ``expected`` is the session as the editor read it: if the stored one differs
        (changed or deleted in another tab or window since), :class:`StoreConflict` is
        raised and nothing is written, so a stale form never overwrites a newer change.
        """
        fields = (
            data.model_dump() if isinstance(data, Session) else check.checked_mapping(data, "date")
        )

        def change(doc: StoreDocument) -> tuple[StoreDocument, Session]:
            # Compared here, inside the unit of work under the file lock: two processes
            # editing from the same copy cannot both see it unchanged.
            for key, stored in doc.sessions.items():
                if stored.id == session_id:
                    if expected is not None and stored != expected:
                        raise StoreConflict(
                            "This session was changed in another tab or window after you "
                            "opened it, so your changes were not saved. Nothing was changed. "
                            "Look at the newer version and make your change again.",
                            self._data_file(),
                            current=stored,
                        )
                    merged = {**stored.model_dump(), **fields, "id": session_id}
                    session = Session.model_validate(merged)
                    # Exercises no longer in the library may stay on an old session.
                    old_ids = frozenset(e.exercise_id for e in stored.exercises)
                    self._check_exercises(session, already=old_ids)
                    table = {**doc.sessions, key: session}
                    return doc.model_copy(update={"sessions": table}), session
            if expected is not None:
                raise StoreConflict(
                    "This session was deleted in another tab or window after you opened "
                    "it, so your changes were not saved. Nothing was changed.",
                    self._data_file(),
                )
            raise KeyError(session_id)

        return self._mutate(change)

    def delete_session(self, session_id: str) -> Session:
        """Delete a session and return it, so the caller can offer an undo."""

        def change(doc: StoreDocument) -> tuple[StoreDocument, Session]:
            for key, stored in doc.sessions.items():
                if stored.id == session_id:
                    table = {k: s for k, s in doc.sessions.items() if k != key}
                    return doc.model_copy(update={"sessions": table}), stored
            raise KeyError(session_id)

        return self._mutate(change)

    # -- runs (clinical-rules section 7) ------------------------------------------------

    def add_run(self, data: Mapping[str, Any] | Run) -> str:
        """Validate and save a new run; returns its id (kept if ``data`` has one)."""
        run = Run.model_validate(
            data.model_dump() if isinstance(data, Run) else check.checked_mapping(data, "date")
        )

        def change(doc: StoreDocument) -> tuple[StoreDocument, str]:
            if any(r.id == run.id for r in doc.runs.values()):
                raise ValueError(f"id: a run with id {run.id!r} already exists")
            return _added(doc, "runs", run), run.id

        return self._mutate(change)

    def add_runs(self, runs: Sequence[Mapping[str, Any] | Run]) -> RunsAdded:
        """Save several runs in one write (an import): all of them, or none at all.

        Any invalid run raises ``ValueError`` naming it (its place and date) and writes
        nothing. A run whose ``started_at`` is in the log already, or earlier in
        ``runs``, is skipped: importing the same watch files twice adds nothing.
        """
        checked: list[Run] = []
        for number, data in enumerate(runs, start=1):
            try:
                checked.append(
                    Run.model_validate(
                        data.model_dump()
                        if isinstance(data, Run)
                        else check.checked_mapping(data, "date")
                    )
                )
            except ValidationError as exc:
                day = data.date if isinstance(data, Run) else data.get("date", "?")
                raise ValueError(f"run {number} ({day}): {plain_errors(exc)}") from exc
        if not checked:
            return RunsAdded((), 0)

        def change(doc: StoreDocument) -> tuple[StoreDocument, RunsAdded]:
            ids = {r.id for r in doc.runs.values()}
            starts = {_start_key(r.started_at) for r in doc.runs.values() if r.started_at}
            items = dict(doc.runs)
            added: list[str] = []
            skipped = 0
            for run in checked:
                if run.id in ids:
                    raise ValueError(f"id: a run with id {run.id!r} already exists")
                if run.started_at is not None:
                    start = _start_key(run.started_at)
                    if start in starts:
                        skipped += 1
                        continue
                    starts.add(start)
                items[next_doc_id(items)] = run
                ids.add(run.id)
                added.append(run.id)
            return doc.model_copy(update={"runs": items}), RunsAdded(tuple(added), skipped)

        return self._mutate(change)

    def runs(self) -> list[Run]:
        """All runs, oldest first (same-day runs in the order they were added)."""
        table = self._snap().doc.runs
        # Doc ids grow with each addition, so their order is the order of adding.
        ordered = sorted(table.items(), key=lambda item: int(item[0]))
        return sorted((run for _, run in ordered), key=lambda r: r.date)

    def update_run(
        self, run_id: str, data: Mapping[str, Any] | Run, expected: Run | None = None
    ) -> Run:
        """Change fields of a run (a full or partial mapping); returns the new run.

        ``expected`` is the run as the editor read it: if the stored one differs, or has
        gone, :class:`StoreConflict` is raised and nothing is written (as
        :meth:`update_session`).
        """
        fields = data.model_dump() if isinstance(data, Run) else check.checked_mapping(data, "date")

        def change(doc: StoreDocument) -> tuple[StoreDocument, Run]:
            # Compared inside the unit of work, under the file lock.
            for key, stored in doc.runs.items():
                if stored.id == run_id:
                    if expected is not None and stored != expected:
                        raise StoreConflict(
                            "This run was changed in another tab or window after you "
                            "opened it, so your changes were not saved. Nothing was changed. "
                            "Look at the newer version and make your change again.",
                            self._data_file(),
                            current=stored,
                        )
                    run = Run.model_validate({**stored.model_dump(), **fields, "id": run_id})
                    table = {**doc.runs, key: run}
                    return doc.model_copy(update={"runs": table}), run
            if expected is not None:
                raise StoreConflict(
                    "This run was deleted in another tab or window after you opened it, "
                    "so your changes were not saved. Nothing was changed.",
                    self._data_file(),
                )
            raise KeyError(run_id)

        return self._mutate(change)

    def delete_run(self, run_id: str) -> Run:
        """Delete a run and return it, so the caller can offer an undo (``add_run``)."""

        def change(doc: StoreDocument) -> tuple[StoreDocument, Run]:
            for key, stored in doc.runs.items():
                if stored.id == run_id:
                    table = {k: r for k, r in doc.runs.items() if k != key}
                    return doc.model_copy(update={"runs": table}), stored
            raise KeyError(run_id)

        return self._mutate(change)

    # -- self-checks -----------------------------------------------------------------

    def add_selfcheck(
        self, result: Mapping[str, Any] | SelfCheckResult, practice: bool = False
    ) -> str | None:
        """Save a self-check result; returns its id.

        A practice run (``practice=True``, or a result already marked as one) is kept
        only as a warning record: when it found a warning sign it is saved with
        ``practice=True`` and no knee score, else nothing is saved and None returned.
        Adding back a deleted self-check (the page's Undo) with its id replaces the
        warning record kept when it was deleted.
        """
        new = SelfCheckResult.model_validate(
            result.model_dump()
            if isinstance(result, SelfCheckResult)
            else check.checked_mapping(result, "date")
        )
        check.not_future(new.date, "date")
        if practice or new.practice:
            if not check.found_warning(new):
                return None
            new = new.model_copy(update={"practice": True, "akps": None, "phase": None})

        def change(doc: StoreDocument) -> tuple[StoreDocument, str]:
            if any(c.id == new.id for c in doc.selfchecks.values()):
                raise ValueError(f"id: a self-check with id {new.id!r} already exists")
            records = {k: r for k, r in doc.warning_records.items() if r.id != new.id}
            doc = doc.model_copy(update={"warning_records": records})
            return _added(doc, "selfchecks", new), new.id

        return self._mutate(change)

    def selfchecks(self) -> list[SelfCheckResult]:
        """All self-check results, oldest first (practice warning records included)."""
        doc = self._snap().doc
        return sorted(doc.selfchecks.values(), key=lambda c: c.date)

    def delete_selfcheck(self, check_id: str) -> SelfCheckResult:
        """Delete a self-check and return it (for an undo); ``KeyError`` if there is none.

        One that found a warning sign leaves a warning record behind (date, signs,
        urgency, reasons): deleting a self-check never lifts the plan pause.
        """

        def change(doc: StoreDocument) -> tuple[StoreDocument, SelfCheckResult]:
            for key, stored in doc.selfchecks.items():
                if stored.id == check_id:
                    table = {k: c for k, c in doc.selfchecks.items() if k != key}
                    doc = doc.model_copy(update={"selfchecks": table})
                    if check.found_warning(stored):
                        doc = _added(doc, "warning_records", check.warning_record(stored))
                    return doc, stored
            raise KeyError(check_id)

        return self._mutate(change)

    def warning_records(self) -> list[SelfCheckResult]:
        """What is kept of deleted self-checks that found a warning sign, oldest first."""
        doc = self._snap().doc
        return sorted(doc.warning_records.values(), key=lambda c: c.date)

    # -- clearances ------------------------------------------------------------------

    def add_clearance(self, date: dt.date, note: str = "", *, today: dt.date | None = None) -> str:
        """Record that a GP or physiotherapist examined the knee on ``date`` and said
        the user can exercise; returns its id.

        It covers the warning signs pausing the plan now whose date is on or before
        ``date`` (clinical-rules section 6). ``today`` is for tests.
        """
        today = today or dt.date.today()
        check.check_clearance_input(date, note, today)

        def change(doc: StoreDocument) -> tuple[StoreDocument, str]:
            clearance = check.new_clearance(
                date,
                note,
                today,
                selfchecks=list(doc.selfchecks.values()),
                warning_records=list(doc.warning_records.values()),
                clearances=list(doc.clearances.values()),
                sessions=list(doc.sessions.values()),
            )
            return _added(doc, "clearances", clearance), clearance.id

        return self._mutate(change)

    def clearances(self) -> list[Clearance]:
        """Clearances, oldest examination first (same day: in the order recorded)."""
        doc = self._snap().doc
        return sorted(doc.clearances.values(), key=lambda c: (c.examined, c.recorded))

    # -- phases and settings ---------------------------------------------------------

    def start_phase(
        self, phase: int, started: dt.date | None = None, source: str = "manual"
    ) -> PhaseStart:
        """Record that the user starts ``phase`` (today by default); it becomes current."""
        entry = PhaseStart.model_validate(
            check.checked_mapping(
                {"phase": phase, "started": started or dt.date.today(), "source": source},
                "started",
            )
        )
        check.not_future(entry.started, "started")
        return self._mutate(lambda doc: (_added(doc, "phases", entry), entry))

    def phase_history(self) -> list[PhaseStart]:
        """Phase starts, oldest first; the last one is the current phase."""
        doc = self._snap().doc
        # Stable: same-day entries keep the order they were recorded in.
        return sorted(doc.phases.values(), key=lambda p: p.started)

    def current_phase(self) -> PhaseStart | None:
        history = self.phase_history()
        return history[-1] if history else None

    def settings(self) -> Settings:
        found = next(iter(self._snap().doc.settings.values()), None)
        return found if found is not None else Settings()

    def update_settings(self, data: Mapping[str, Any] | Settings) -> Settings:
        fields = data.model_dump() if isinstance(data, Settings) else dict(data)

        def change(doc: StoreDocument) -> tuple[StoreDocument, Settings]:
            current = next(iter(doc.settings.values()), Settings())
            settings = Settings.model_validate({**current.model_dump(), **fields})
            return doc.model_copy(update={"settings": {"1": settings}}), settings

        return self._mutate(change)

    # -- export and import (kneecore.transfer) ---------------------------------------

    def export_data(self) -> dict[str, Any]:
        """The whole store as the export document (plain JSON-ready dict)."""
        return export_file(self._snap().doc).model_dump(mode="json")

    def export_json(self) -> str:
        """The whole store as the export file (JSON text)."""
        return export_file(self._snap().doc).model_dump_json(indent=2)

    def export_csv(self, exercise_names: Mapping[str, str] | None = None) -> str:
        """Sessions as CSV, one row per exercise entry (spreadsheet-safe)."""
        from kneecore.export import sessions_csv

        return sessions_csv(self.sessions(), exercise_names)

    def preview_import(self, text: str | bytes) -> ImportSummary:
        """What :meth:`import_json` would add and skip; validates fully, writes nothing."""
        export = validate_import(text, self._check_exercises)
        return merge(self._snap().doc, export)[1]

    def import_json(self, text: str | bytes) -> ImportSummary:
        """Import an export file, all or nothing. Items already present (by id) are skipped.

        Raises :class:`InvalidImport` (a ``ValueError``) with a plain message, having
        saved nothing, if anything in the file is invalid.
        """
        export = validate_import(text, self._check_exercises)
        return self._mutate(lambda doc: merge(doc, export))

    # -- the whole store ---------------------------------------------------------------

    def revision(self) -> str:
        """A short key of the stored data: changes whenever the data changes.

        Pages can use it as a ``st.cache_data`` key for frames derived from the store.
        """
        return self._snap().revision

    def counts(self) -> dict[str, int]:
        doc = self._snap().doc
        return {
            "sessions": len(doc.sessions),
            "selfchecks": len(doc.selfchecks),
            "clearances": len(doc.clearances),
            "runs": len(doc.runs),
        }


__all__ = ["Snapshot", "StoreRules"]
