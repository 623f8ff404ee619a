"""What the store checks and builds before it saves a new item.

The pydantic models check each field; these are the rules that need more than one
field, the clock or the content library: no date in the future, no number where a date
belongs, only known exercises, and what a deleted self-check or a clearance leaves in
the file. :class:`kneecore.store.Store` applies them inside its unit of work.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from kneecore.models import Clearance, SelfCheckResult, Session
from kneecore.words import clip

#: A self-check with this urgency found a warning sign (kept when practised or deleted).
WARNING_URGENCIES = ("emergency", "gp_soon")
#: The longest clearance note, as the model allows.
NOTE_MAX = 2000


@functools.cache
def library_exercise_ids() -> frozenset[str]:
    """The exercise ids of the content library (loaded once, on first need)."""
    # Imported here: the content library is only needed when a store was given no ids.
    from kneecore.content import load_library

    return frozenset(load_library().exercise_ids)


def checked_mapping(data: Mapping[str, Any], date_field: str) -> dict[str, Any]:
    """``data`` as a dict, refusing a number where a date belongs.

    The models' dates are lax so that ISO text from JSON validates; lax would also turn
    a number into a Unix-time date, which is never what a caller meant. (JSON input is
    validated with ``strict=True``, which takes ISO text and refuses numbers.)
    """
    value = data.get(date_field)
    if isinstance(value, int | float):
        raise ValueError(f"{date_field}: a date is needed, not the number {value!r}")
    return dict(data)


def not_future(day: dt.date, field: str, today: dt.date | None = None) -> None:
    """Refuse ``day`` when it is after ``today``; the message names ``field``."""
    if day > (today or dt.date.today()):
        raise ValueError(f"{field}: {day.isoformat()} is in the future")


def check_exercises(
    session: Session, known: frozenset[str], already: frozenset[str] = frozenset()
) -> None:
    """Refuse an exercise id that is neither ``known`` nor ``already`` on the session."""
    for i, entry in enumerate(session.exercises):
        if entry.exercise_id not in known and entry.exercise_id not in already:
            raise ValueError(
                f"exercises.{i}.exercise_id: unknown exercise '{clip(entry.exercise_id)}'"
            )


def found_warning(check: SelfCheckResult) -> bool:
    """Whether a self-check found a warning sign (v1 results have only their urgency)."""
    return check.urgency in WARNING_URGENCIES or bool(check.signs)


def warning_record(check: SelfCheckResult) -> SelfCheckResult:
    """What is kept of a deleted self-check that found a warning sign: its date, signs,
    urgency and reasons; the answers, knee score and advice go, as the user asked."""
    return check.model_copy(update={"answers": {}, "akps": None, "advice": [], "phase": None})


def check_clearance_input(examined: object, note: object, today: dt.date) -> None:
    """Refuse a clearance whose day is not a past date or whose note is not short text."""
    if not isinstance(examined, dt.date) or isinstance(examined, dt.datetime):
        raise ValueError("date: give the day of the examination as a date")
    not_future(examined, "date", today)
    if not isinstance(note, str):
        raise ValueError("note: the note must be text")
    if len(note) > NOTE_MAX:
        raise ValueError(f"note: at most {NOTE_MAX} characters, please ({len(note)} given)")


def new_clearance(
    examined: dt.date,
    note: str,
    today: dt.date,
    *,
    selfchecks: Iterable[SelfCheckResult],
    warning_records: Iterable[SelfCheckResult],
    clearances: Iterable[Clearance],
    sessions: Iterable[Session],
) -> Clearance:
    """The clearance to record: it covers the warning signs pausing the plan now whose
    date is on or before ``examined`` (clinical-rules section 6)."""
    # Imported here: kneecore.safety reads the store's models (no import cycle).
    from kneecore import safety

    status = safety.status_of(selfchecks, warning_records, clearances, sessions, today=today)
    covered = [c for c in status.causes if c.date <= examined]
    return Clearance(
        examined=examined,
        recorded=today,
        note=note.strip(),
        covers=list(dict.fromkeys(c.sign for c in covered)),
        selfcheck_ids=list(dict.fromkeys(c.selfcheck_id for c in covered if c.selfcheck_id)),
    )


__all__ = [
    "NOTE_MAX",
    "WARNING_URGENCIES",
    "check_clearance_input",
    "check_exercises",
    "checked_mapping",
    "found_warning",
    "library_exercise_ids",
    "new_clearance",
    "not_future",
    "warning_record",
]
