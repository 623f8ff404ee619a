"""Moving data out of the store and into it: the export file, and imports all or nothing.

An export is the store's content as one :class:`~kneecore.storefile.ExportFile`, every
list in a stable order so that exporting twice gives the same file. An import is
validated whole (:func:`validate_import`) before anything is merged (:func:`merge`), and
items the store already holds (by id) are skipped, so importing a file twice adds
nothing. :class:`kneecore.store.Store` runs the merge inside its unit of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from kneecore import storefile
from kneecore.models import Session, Settings
from kneecore.storecheck import not_future
from kneecore.storefile import (
    _MB,
    ID_TABLES,
    MAX_IMPORT_BYTES,
    MESSAGE_MAX,
    ExportFile,
    InvalidImport,
    StoreDocument,
    next_doc_id,
    parse_export,
)
from kneecore.words import RECORD_NOUNS, clip, import_summary

#: What an import adds item by item: every table whose items have an id (settings are
#: taken whole, and only into a store that has none).
IMPORTED = ID_TABLES


def _zero_counts() -> dict[str, int]:
    return dict.fromkeys(IMPORTED, 0)


class ImportSummary(BaseModel):
    """What an import added and skipped (already present by id)."""

    added: dict[str, int] = Field(default_factory=_zero_counts)
    skipped: dict[str, int] = Field(default_factory=_zero_counts)
    settings_imported: bool = False

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    def describe(self, *, preview: bool = False) -> str:
        """Plain words, e.g. "Added 12 sessions and 1 phase change; skipped 6 sessions".

        With ``preview=True`` it says what an import *would* do (wording:
        :func:`kneecore.words.import_summary`).
        """
        return import_summary(
            self.added,
            self.skipped,
            settings_imported=self.settings_imported,
            preview=preview,
        )


def export_file(doc: StoreDocument) -> ExportFile:
    """The export of ``doc``, stamped now, each list in a stable order."""
    return ExportFile(
        schema_version=storefile.SCHEMA_VERSION,
        exported_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        sessions=sorted(doc.sessions.values(), key=lambda s: (s.date, s.id)),
        selfchecks=sorted(doc.selfchecks.values(), key=lambda c: (c.date, c.id)),
        phases=sorted(doc.phases.values(), key=lambda p: p.started),
        settings=next(iter(doc.settings.values()), Settings()),
        clearances=sorted(doc.clearances.values(), key=lambda c: (c.examined, c.recorded, c.id)),
        warning_records=sorted(doc.warning_records.values(), key=lambda c: (c.date, c.id)),
        runs=sorted(doc.runs.values(), key=lambda r: (r.date, r.id)),
    )


def validate_import(text: str | bytes, check_session: Callable[[Session], None]) -> ExportFile:
    """The export in ``text``, fully validated; :class:`InvalidImport` in plain words if not.

    ``check_session`` raises ``ValueError`` for a session the store would refuse (an
    unknown exercise).
    """
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_IMPORT_BYTES:
        raise InvalidImport(
            f"The file is too big ({size / _MB:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES // _MB} MB). Is it really a Kneecare export? Nothing was "
            "imported."
        )
    export = parse_export(text)
    for kind in IMPORTED:
        ids = [item.id for item in getattr(export, kind)]
        if len(set(ids)) != len(ids):
            # A table without a noun yet is named by its own singular ("runs": run).
            noun = RECORD_NOUNS.get(kind, kind.removesuffix("s"))
            raise InvalidImport(f"The file lists the same {noun} id twice. Nothing was imported.")
    try:
        _check_items(export, check_session)
    except ValueError as exc:
        raise InvalidImport(
            f"The file has invalid data ({clip(exc, MESSAGE_MAX)}). Nothing was imported."
        ) from exc
    return export


def _check_items(export: ExportFile, check_session: Callable[[Session], None]) -> None:
    """The checks the models cannot make alone; ``ValueError`` naming the item."""
    for i, session in enumerate(export.sessions):
        try:
            check_session(session)
        except ValueError as exc:
            raise ValueError(f"sessions item {i + 1}, {exc}") from exc
    for i, check in enumerate(export.selfchecks):
        not_future(check.date, f"selfchecks item {i + 1}, date")
    for i, phase in enumerate(export.phases):
        not_future(phase.started, f"phases item {i + 1}, started")
    for i, record in enumerate(export.warning_records):
        not_future(record.date, f"warning_records item {i + 1}, date")
    for i, clearance in enumerate(export.clearances):
        where = f"clearances item {i + 1}"
        not_future(clearance.recorded, f"{where}, recorded")
        if clearance.examined > clearance.recorded:
            raise ValueError(f"{where}, examined: after the day it was recorded")


def merge(doc: StoreDocument, export: ExportFile) -> tuple[StoreDocument, ImportSummary]:
    """``doc`` with what ``export`` adds, and what was added and skipped."""
    summary = ImportSummary()
    update: dict[str, Any] = {}
    # A kept warning record and the self-check it came from share an id: either one
    # already here means the other is not added again.
    checks = {c.id for c in (*doc.selfchecks.values(), *doc.warning_records.values())}
    for name in IMPORTED:
        table: dict[str, Any] = dict(getattr(doc, name))
        present = {item.id for item in table.values()}
        if name in ("selfchecks", "warning_records"):
            present |= checks
        next_key = int(next_doc_id(table))
        for item in getattr(export, name):
            if item.id in present:
                summary.skipped[name] += 1
                continue
            table[str(next_key)] = item
            next_key += 1
            present.add(item.id)
            checks.add(item.id)
            summary.added[name] += 1
        update[name] = table
    if export.settings is not None and not doc.settings:
        update["settings"] = {"1": export.settings}
        summary.settings_imported = True
    return doc.model_copy(update=update), summary


__all__ = ["IMPORTED", "ImportSummary", "export_file", "merge", "validate_import"]
