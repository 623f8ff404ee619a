"""What the Today page says about the days just past, worded so it is true on every day.

Pure: dates in, counts and sentences out, so each answer can be checked for the day it
goes wrong on (a phase started this morning, a Monday after a weekend of sessions, a
session several days old).

* :func:`phase_since`: when the current phase started, "today" and "yesterday" in words.
* :func:`sessions_in_last_days` / :data:`COUNT_DAYS`: sessions of the last 7 days,
  today included, whatever day of the week it is (a calendar week reads 0 on a Monday).
* :func:`mornings_to_ask` / :data:`ASK_DAYS`: sessions whose next-morning pain Today asks
  for. Only yesterday's: today's morning is the next morning of yesterday's session, and
  today's own session has no next morning yet. Pain of a morning days ago is guessed
  rather than remembered, so older sessions are left to the log's edit form.
* :func:`mornings_left_for_the_log` and :func:`left_for_the_log_words`: those older
  sessions of the last week, so Today can say in one line where to add them.
* :func:`done_today`: whether a session is logged today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kneecore.models import Session
from kneecore.words import format_day, plural

__all__ = [
    "ASK_DAYS",
    "COUNT_DAYS",
    "done_today",
    "left_for_the_log_words",
    "mornings_left_for_the_log",
    "mornings_to_ask",
    "phase_since",
    "sessions_in_last_days",
]

#: Today and the days before it whose sessions count towards "the last 7 days".
COUNT_DAYS = 7
#: The last two days, today included: their sessions are the ones whose next morning
#: is today's (yesterday's) or still to come (today's, so not asked yet).
ASK_DAYS = 2


def phase_since(started: dt.date, today: dt.date) -> str:
    """When a phase started, as a person says it.

    ``Started today``, ``Started yesterday``, ``Started 21 Nov, 9 days ago``; a start
    date still ahead (set by hand) reads ``Starts 3 Dec`` rather than a negative count.
    """
    days = (today - started).days
    if days < 0:
        return f"Starts {format_day(started, today)}"
    if days == 0:
        return "Started today"
    if days == 1:
        return "Started yesterday"
    return f"Started {format_day(started, today)}, {plural(days, 'day')} ago"


def sessions_in_last_days(
    sessions: Iterable[Session], today: dt.date, days: int = COUNT_DAYS
) -> int:
    """Sessions dated from ``days - 1`` days ago up to today, both included."""
    first = today - dt.timedelta(days=days - 1)
    return sum(1 for s in sessions if first <= s.date <= today)


def mornings_to_ask(sessions: Iterable[Session], today: dt.date) -> list[Session]:
    """Sessions of the last :data:`ASK_DAYS` days still lacking next-morning pain, newest first.

    Today's sessions are left out: their next morning has not come yet.
    """
    first = today - dt.timedelta(days=ASK_DAYS - 1)
    owed = [s for s in sessions if s.pain_next_morning is None and first <= s.date < today]
    return sorted(owed, key=lambda s: s.date, reverse=True)


def mornings_left_for_the_log(
    sessions: Iterable[Session], today: dt.date, days: int = COUNT_DAYS
) -> list[Session]:
    """Sessions of the last ``days`` days, older than Today asks about, without
    next-morning pain, newest first.

    Older history is left out: a line about sessions of months ago would stand on the
    page for good and tell nothing new.
    """
    first = today - dt.timedelta(days=days - 1)
    last = today - dt.timedelta(days=ASK_DAYS)
    left = [s for s in sessions if s.pain_next_morning is None and first <= s.date <= last]
    return sorted(left, key=lambda s: s.date, reverse=True)


def left_for_the_log_words(left: list[Session], today: dt.date) -> str:
    """One line saying where next-morning pain of ``left`` can still go ("" for none)."""
    if not left:
        return ""
    if len(left) == 1:
        what = f"Your session of {format_day(left[0].date, today)} has"
    else:
        what = f"{plural(len(left), 'earlier session')} of the last {COUNT_DAYS} days have"
    return f"{what} no next-morning pain. You can still add it from the log."


def done_today(sessions: Iterable[Session], today: dt.date) -> bool:
    """Whether any session is dated today."""
    return any(s.date == today for s in sessions)
