"""CSV export of sessions (one row per exercise entry, with the session's fields) and of
runs (one row per run).

Spreadsheets run cells that start with ``=``, ``+``, ``-`` or ``@`` as formulas (CSV
injection), so text cells starting with one of those (or a tab / carriage return) get
a leading apostrophe: the spreadsheet then shows the text as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from kneecore.models import Run, Session

CSV_COLUMNS = [
    "session_id",
    "date",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "swelling",
    "locking",
    "giving_way",
    "notes",
    "exercise_id",
    "exercise_name",
    "sets",
    "reps",
    "total_reps",
    "hold_s",
    "load_kg",
    "band",
    "side",
]

#: The runs CSV: every field of a run, in the order the log form asks them.
RUN_CSV_COLUMNS = [
    "run_id",
    "date",
    "level",
    "run_min",
    "walk_min",
    "total_min",
    "distance_km",
    "pain_before",
    "pain_during",
    "pain_1h",
    "pain_next_morning",
    "swelling",
    "locking",
    "giving_way",
    "limp",
    "effort",
    "cadence_spm",
    "surface",
    "downhill",
    "shoes",
    "notes",
    "source",
    "started_at",
]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell text, neutralised if a spreadsheet could read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def session_rows(
    sessions: Iterable[Session], exercise_names: Mapping[str, str] | None = None
) -> list[dict[str, str]]:
    """One dict per exercise entry, keyed by :data:`CSV_COLUMNS`, all cells safe."""
    names = exercise_names or {}
    rows = []
    for s in sessions:
        for e in s.exercises:
            row: dict[str, object] = {
                "session_id": s.id,
                "date": s.date.isoformat(),
                "pain_before": s.pain_before,
                "pain_during": s.pain_during,
                "pain_after": s.pain_after,
                "pain_next_morning": s.pain_next_morning,
                "swelling": s.swelling,
                "locking": s.locking,
                "giving_way": s.giving_way,
                "notes": s.notes,
                "exercise_id": e.exercise_id,
                "exercise_name": names.get(e.exercise_id, ""),
                "sets": e.sets,
                # One number per set; ";" keeps the cell a single value in any locale.
                "reps": ";".join(str(r) for r in e.reps),
                "total_reps": e.total_reps,
                "hold_s": e.hold_s,
                "load_kg": e.load_kg,
                "band": e.band,
                "side": e.side,
            }
            rows.append({k: safe_cell(v) for k, v in row.items()})
    return rows


def sessions_csv(
    sessions: Iterable[Session], exercise_names: Mapping[str, str] | None = None
) -> str:
    """CSV text with a header row; every field quoted where needed, UTF-8 friendly."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(session_rows(sessions, exercise_names))
    return buffer.getvalue()


def run_rows(runs: Iterable[Run]) -> list[dict[str, str]]:
    """One dict per run, keyed by :data:`RUN_CSV_COLUMNS`, all cells safe.

    A free run has an empty ``level``; pains not entered are empty, never 0.
    """
    rows = []
    for run in runs:
        row = run.model_dump(exclude={"id"})
        row["run_id"] = run.id
        row["date"] = run.date.isoformat()
        row["started_at"] = run.started_at.isoformat() if run.started_at else None
        rows.append({k: safe_cell(row[k]) for k in RUN_CSV_COLUMNS})
    return rows


def runs_csv(runs: Iterable[Run]) -> str:
    """The runs as CSV text with a header row (spreadsheet-safe, like :func:`sessions_csv`)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RUN_CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(run_rows(runs))
    return buffer.getvalue()


__all__ = [
    "CSV_COLUMNS",
    "RUN_CSV_COLUMNS",
    "run_rows",
    "runs_csv",
    "safe_cell",
    "session_rows",
    "sessions_csv",
]
