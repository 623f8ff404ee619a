"""How dates, counts, lists and import summaries are written in every text the app shows.

One place, so the pages, the advice, the self-check and the PDF report write a date the
same way. Month names are our own English abbreviations, not ``%b``: that depends on
the machine's locale and would turn a report made on a French computer half French.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: dt.date) -> str:
    """``3 Jun``: where the year is clear from around it (a table under a dated header)."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def format_date(day: dt.date) -> str:
    """``3 Jun 2025``: unambiguous in every country, for reports and messages."""
    return f"{short_date(day)} {day.year}"


def format_day(day: dt.date, today: dt.date | None = None) -> str:
    """A date as people say it: ``3 Nov``, with the year only when it is not this year."""
    today = today or dt.date.today()
    return short_date(day) if day.year == today.year else format_date(day)


def plural(n: int, word: str) -> str:
    """``1 day``, ``2 days``: a count with its noun (regular plurals only)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


#: The store's tables as a person names one item of them.
RECORD_NOUNS = {
    "sessions": "session",
    "selfchecks": "self-check",
    "phases": "phase change",
    "clearances": "clearance",
    "warning_records": "warning record",
    "runs": "run",
}


def counted_records(counts: Mapping[str, int]) -> str:
    """``{"sessions": 2, "phases": 1}`` -> ``2 sessions and 1 phase change``.

    Zeros and tables without a noun are left out; nothing to count gives ``""``.
    """
    return join_words(
        [plural(n, RECORD_NOUNS[key]) for key, n in counts.items() if n and key in RECORD_NOUNS]
    )


def import_summary(
    added: Mapping[str, int],
    skipped: Mapping[str, int],
    *,
    settings_imported: bool = False,
    preview: bool = False,
) -> str:
    """What an import did, e.g. ``Added 12 sessions; skipped 6 sessions already present.``

    With ``preview=True`` it says what the import *would* do.
    """
    added_text = counted_records(added) or "nothing new"
    skipped_text = counted_records(skipped)
    if preview:
        text = f"Importing it will add {added_text}"
        text += f" and skip {skipped_text} you already have." if skipped_text else "."
    else:
        text = f"Added {added_text}"
        text += f"; skipped {skipped_text} already present." if skipped_text else "."
    if settings_imported:
        text += " Your settings " + ("will be" if preview else "were") + " taken from it."
    return text


#: The most characters of a file's own text (an id, a key, a value) a message repeats.
ECHO_MAX = 60


def clip(text: object, limit: int = ECHO_MAX) -> str:
    """``text`` as one line of at most ``limit`` characters (cut with "..."): a message
    about an imported file names what it found without repeating 100 kB of it."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
