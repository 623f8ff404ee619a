"""What needs a physiotherapist's attention in one patient's data (issue 16). Pure.

:func:`status_of` reads a patient's whole :class:`~kneecore.storefile.StoreDocument`
and says, in a small :class:`PatientStatus`, what the clinician's list sorts and shows.
The store rewrites it with every write of the patient's data (``patient_status``,
docs/clinic.md), so the list reads one small row per patient. The rules, plainly:

* **Paused**: the plan is paused by a warning sign, decided by the app's own rule
  (:func:`kneecore.safety.status_of`: self-checks, clearances, session and run rules),
  so the clinician sees exactly the pause the patient sees.
* **Red sessions**: sessions in the red zone (:func:`kneecore.progression.session_zone`:
  pain during exercise 6 or more, or next-morning pain 2 or more above the pain before)
  dated today or in the 13 days before (the 14 days of the session rule).
* **Next-morning pain rising**: of the sessions of those same 14 days that have a
  next-morning pain, in date order, either the latest three are strictly rising (e.g.
  1, 2, 4), or there are at least four and each of the latest two is at least
  :data:`MORNING_RISE_POINTS` point above the average of the ones before them.
* **Last log**: the latest day with a session or a run (None: nothing logged yet).
  **No log for 7 days**: nothing logged, or the last log :data:`STALE_DAYS` or more days
  before today.
* **Improving**: average pain during exercise of the last 4 weeks (today and the 27
  days before) against the 4 weeks before those. Needs :data:`MIN_WINDOW_SESSIONS`
  sessions in each window, else None (not enough data, never "not improving"). True
  when the average fell, or is already :data:`SETTLED_PAIN` or less (little pain left
  to lose); False otherwise.

:attr:`PatientStatus.attention` is the list's sort key, higher first: paused before
anything, then more red sessions, then rising next-morning pain, then no log for 7
days, then not improving. :meth:`PatientStatus.as_of` ages a stored status to a later
day without the document (the list runs one query): the log gap grows, and red
sessions and rising mornings lapse once the last log is 14 days old.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from kneecore import safety
from kneecore.models import Run, Session
from kneecore.progression import RED_WINDOW_DAYS, session_zone

if TYPE_CHECKING:
    from kneecore.content import Library
    from kneecore.storefile import StoreDocument

#: No session or run for this many days: the patient may have stopped.
STALE_DAYS = 7
#: Days in each of the two windows the improvement compares (4 weeks).
IMPROVE_WINDOW_DAYS = 28
#: Sessions each window needs before the comparison says anything.
MIN_WINDOW_SESSIONS = 2
#: An average pain during exercise at or below this is settled: counted as improving.
SETTLED_PAIN = 1
#: How far above the earlier average each of the latest two next-morning pains must be.
MORNING_RISE_POINTS = 1
#: The red-session count kept in the sort key (more than this sorts the same).
_RED_CAP = 15


@dataclass(frozen=True)
class Reason:
    """One thing that needs attention: a short label, an icon and a sentence."""

    key: str
    icon: str
    label: str
    words: str


@dataclass(frozen=True)
class PatientStatus:
    """One patient's figures for the clinician's list, on the day ``today``."""

    today: dt.date
    paused: bool = False
    red_sessions_14d: int = 0
    morning_rising: bool = False
    last_log: dt.date | None = None
    #: None: not enough sessions in one of the two 4-week windows.
    improving: bool | None = None

    @property
    def days_since_log(self) -> int | None:
        return None if self.last_log is None else (self.today - self.last_log).days

    @property
    def stale(self) -> bool:
        """Nothing logged yet, or nothing for :data:`STALE_DAYS` days or more."""
        days = self.days_since_log
        return days is None or days >= STALE_DAYS

    @property
    def attention(self) -> int:
        """The sort key, higher first: paused, red sessions, rising, no log, not improving."""
        return (
            (int(self.paused) << 7)
            | (min(self.red_sessions_14d, _RED_CAP) << 3)
            | (int(self.morning_rising) << 2)
            | (int(self.stale) << 1)
            | int(self.improving is False)
        )

    def as_of(self, today: dt.date) -> PatientStatus:
        """This status on a later day, without the data: what time alone changes.

        Red sessions and rising next-morning pain are counted over the 14 days up to
        the day the status was made; once the last log is 14 or more days before
        ``today`` none of those sessions is in today's window any more. (Between the
        two the stored count may still hold a session that has since dropped out of the
        window: the list errs towards showing a patient.) The log gap is counted to
        ``today``.
        """
        if today <= self.today:
            return self
        lapsed = self.last_log is None or (today - self.last_log).days >= RED_WINDOW_DAYS
        return dataclasses.replace(
            self,
            today=today,
            red_sessions_14d=0 if lapsed else self.red_sessions_14d,
            morning_rising=False if lapsed else self.morning_rising,
        )

    def reasons(self) -> list[Reason]:
        """What needs attention, most urgent first, in words (never colour alone)."""
        found: list[Reason] = []
        if self.paused:
            found.append(
                Reason(
                    "paused",
                    ":material/pause_circle:",
                    "Plan paused",
                    "The plan is paused by a warning sign.",
                )
            )
        if self.red_sessions_14d:
            count = self.red_sessions_14d
            found.append(
                Reason(
                    "red",
                    ":material/error:",
                    f"{count} red session{'s' if count != 1 else ''}",
                    f"{count} session{'s were' if count != 1 else ' was'} in the red zone "
                    f"in the last {RED_WINDOW_DAYS} days.",
                )
            )
        if self.morning_rising:
            found.append(
                Reason(
                    "morning",
                    ":material/trending_up:",
                    "Mornings worse",
                    "Next-morning pain is rising.",
                )
            )
        if self.stale:
            days = self.days_since_log
            words = "Nothing logged yet." if days is None else f"No log for {days} days."
            label = "No log yet" if days is None else f"No log for {days} days"
            found.append(Reason("stale", ":material/event_busy:", label, words))
        if self.improving is False:
            found.append(
                Reason(
                    "not_improving",
                    ":material/trending_flat:",
                    "Not improving",
                    "Pain during exercise is no lower than in the 4 weeks before.",
                )
            )
        return found


def _in_days(day: dt.date, today: dt.date, first: int, last: int) -> bool:
    """``day`` is between ``first`` and ``last`` days before ``today`` (both included)."""
    return first <= (today - day).days <= last


def red_sessions(sessions: Iterable[Session], today: dt.date) -> int:
    """Red sessions dated today or in the 13 days before."""
    return sum(
        1
        for s in sessions
        if _in_days(s.date, today, 0, RED_WINDOW_DAYS - 1) and session_zone(s) == "red"
    )


def morning_rising(sessions: Iterable[Session], today: dt.date) -> bool:
    """Next-morning pain rising over the last 14 days (the module's rule)."""
    recent = sorted(
        (
            s
            for s in sessions
            if s.pain_next_morning is not None and _in_days(s.date, today, 0, RED_WINDOW_DAYS - 1)
        ),
        key=lambda s: s.date,
    )
    pains: list[int] = [s.pain_next_morning for s in recent if s.pain_next_morning is not None]
    if len(pains) >= 3 and pains[-3] < pains[-2] < pains[-1]:
        return True
    if len(pains) >= 4:
        earlier = Fraction(sum(pains[:-2]), len(pains) - 2)
        return all(p >= earlier + MORNING_RISE_POINTS for p in pains[-2:])
    return False


def last_log(sessions: Iterable[Session], runs: Iterable[Run]) -> dt.date | None:
    """The latest day with a session or a run."""
    return max([s.date for s in sessions] + [r.date for r in runs], default=None)


def improving(sessions: Sequence[Session], today: dt.date) -> bool | None:
    """The last 4 weeks' average pain during exercise against the 4 weeks before."""
    late = [s.pain_during for s in sessions if _in_days(s.date, today, 0, IMPROVE_WINDOW_DAYS - 1)]
    early = [
        s.pain_during
        for s in sessions
        if _in_days(s.date, today, IMPROVE_WINDOW_DAYS, 2 * IMPROVE_WINDOW_DAYS - 1)
    ]
    if len(late) < MIN_WINDOW_SESSIONS or len(early) < MIN_WINDOW_SESSIONS:
        return None
    late_mean = Fraction(sum(late), len(late))
    early_mean = Fraction(sum(early), len(early))
    return late_mean < early_mean or late_mean <= SETTLED_PAIN


def status_of(
    doc: StoreDocument, today: dt.date, *, library: Library | None = None
) -> PatientStatus:
    """One patient's :class:`PatientStatus` on ``today`` from their whole document.

    ``library``: the exercise library the session rules read (None: the content's).
    """
    sessions = list(doc.sessions.values())
    runs = list(doc.runs.values())
    pause = safety.status_of(
        doc.selfchecks.values(),
        doc.warning_records.values(),
        doc.clearances.values(),
        sessions,
        runs=runs,
        today=today,
        library=library,
    )
    return PatientStatus(
        today=today,
        paused=pause.paused,
        red_sessions_14d=red_sessions(sessions, today),
        morning_rising=morning_rising(sessions, today),
        last_log=last_log(sessions, runs),
        improving=improving(sessions, today),
    )


__all__ = [
    "IMPROVE_WINDOW_DAYS",
    "MIN_WINDOW_SESSIONS",
    "MORNING_RISE_POINTS",
    "STALE_DAYS",
    "PatientStatus",
    "Reason",
    "improving",
    "last_log",
    "morning_rising",
    "red_sessions",
    "status_of",
]
