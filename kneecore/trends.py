"""The trend rules, in one place: week-on-week pain, early against late, real knee-score change.

Every page and the report ask these functions, so the Progress page, Today, the advice
and the PDF report give one answer to one question (clinical-rules.md section 4):

- :func:`week_on_week`: average pain during exercise this week (today and the 6 days
  before) against last week (the 7 days before that); a rise of
  :data:`WEEK_RISE_POINTS` or more is a trend warning (:func:`rise_warning`).
- :func:`early_against_late`: the first :data:`WINDOW_DAYS` days of sessions against
  the last :data:`WINDOW_DAYS` days up to the latest session; only once the two windows
  no longer overlap (:data:`EARLY_LATE_MIN_DAYS`), so a stretch is never compared with
  itself. A fall of :data:`EARLY_LATE_POINTS` or more is better, a rise worse.
- :func:`knee_score_change`: the first against the latest Kujala (AKPS) score; a change
  of ``real_change`` points (``content/selfcheck/akps.yaml``, :func:`akps_real_change`)
  or more is a real change.
- :func:`verdict`: the two together; worse wins, because a person should not be
  reassured while one sign points the wrong way.

Averages are exact fractions: a rise from 23/3 to 26/3 is one whole point, which
floats would make 0.999... and miss. Figures are rounded only to be shown.

Pure: (date, pain) pairs and (date, score) pairs in, small frozen results out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from kneecore.models import SelfCheckResult, Session
from kneecore.questionnaire import load_questionnaire

#: A week-on-week rise in average pain during exercise of this many points is a warning.
WEEK_RISE_POINTS = 1
#: Days in "this week" and in "last week".
WEEK_DAYS = 7
#: Days in the early and in the late window of :func:`early_against_late`.
WINDOW_DAYS = 14
#: Days from the first to the latest session before the two windows stop overlapping.
EARLY_LATE_MIN_DAYS = 2 * WINDOW_DAYS - 1
#: A change in average pain between the windows of this many points is a trend.
EARLY_LATE_POINTS = 1

#: A pain rating on a day: (date, pain during exercise, 0 to 10).
PainReading = tuple[dt.date, int]
#: A knee score on a day: (date, AKPS 0 to 100).
ScoreReading = tuple[dt.date, int]
Direction = Literal["better", "same", "worse"]
Verdict = Literal["better", "same", "worse", "unknown"]


def akps_real_change() -> int:
    """Points of AKPS change that count as real (``content/selfcheck/akps.yaml``)."""
    return load_questionnaire().akps.real_change


def pain_readings(sessions: Iterable[Session]) -> list[PainReading]:
    """Each session's (date, pain during exercise), for the rules below."""
    return [(s.date, s.pain_during) for s in sessions]


def score_readings(checks: Iterable[SelfCheckResult]) -> list[ScoreReading]:
    """Each self-check's (date, AKPS), oldest first; checks without a score are left out."""
    scored = [(c.date, c.akps) for c in checks if c.akps is not None]
    return sorted(scored, key=lambda pair: pair[0])


def show(value: Fraction) -> str:
    """An average as shown everywhere: one decimal (``3.7``)."""
    return f"{float(value):.1f}"


def _mean(values: Sequence[int]) -> Fraction:
    return Fraction(sum(values), len(values))


@dataclass(frozen=True)
class WeekOnWeek:
    """Average pain during exercise this week and last week (exact)."""

    this_week: Fraction
    last_week: Fraction

    @property
    def rise(self) -> Fraction:
        return self.this_week - self.last_week

    @property
    def rising(self) -> bool:
        """A rise of :data:`WEEK_RISE_POINTS` or more: shown as a trend warning."""
        return self.rise >= WEEK_RISE_POINTS


def week_on_week(readings: Iterable[PainReading], today: dt.date) -> WeekOnWeek | None:
    """This week (today and the 6 days before) against the 7 days before; None unless
    both weeks have a session. Readings after ``today`` are ignored. All sessions count,
    not only the current phase's: pain that climbs right after a phase change is
    exactly what the warning is for."""
    this_week: list[int] = []
    last_week: list[int] = []
    for day, pain in readings:
        age = (today - day).days
        if 0 <= age < WEEK_DAYS:
            this_week.append(pain)
        elif WEEK_DAYS <= age < 2 * WEEK_DAYS:
            last_week.append(pain)
    if not this_week or not last_week:
        return None
    return WeekOnWeek(this_week=_mean(this_week), last_week=_mean(last_week))


def rise_warning(readings: Iterable[PainReading], today: dt.date) -> str | None:
    """The trend warning every page shows for a week-on-week rise, or None."""
    week = week_on_week(readings, today)
    if week is None or not week.rising:
        return None
    return (
        f"Your average pain during exercise rose from {show(week.last_week)}/10 last week to "
        f"{show(week.this_week)}/10 this week. Watch it: if it keeps rising, ease the dose."
    )


def _direction(change: Fraction | int, points: int) -> Direction:
    """``change`` is how much worse it got (pain up, or score down), in points."""
    if change >= points:
        return "worse"
    if change <= -points:
        return "better"
    return "same"


@dataclass(frozen=True)
class EarlyLate:
    """Average pain during exercise in the first and in the last two weeks of sessions."""

    early: Fraction
    late: Fraction
    #: The first day of the early window and the last day of the late one.
    early_from: dt.date
    late_to: dt.date

    @property
    def change(self) -> Fraction:
        return self.late - self.early

    @property
    def direction(self) -> Direction:
        return _direction(self.change, EARLY_LATE_POINTS)


def early_against_late(readings: Iterable[PainReading], today: dt.date) -> EarlyLate | None:
    """The first :data:`WINDOW_DAYS` days of sessions against the last ones, or None.

    The early window starts on the first session, the late one ends on the latest
    session on or before ``today``: a worsening does not vanish from view because the
    person stopped logging. None until the latest session is
    :data:`EARLY_LATE_MIN_DAYS` days after the first (the windows would overlap).
    """
    upto = [(day, pain) for day, pain in readings if day <= today]
    if not upto:
        return None
    first = min(day for day, _ in upto)
    last = max(day for day, _ in upto)
    if (last - first).days < EARLY_LATE_MIN_DAYS:
        return None
    early = [pain for day, pain in upto if (day - first).days < WINDOW_DAYS]
    late = [pain for day, pain in upto if (last - day).days < WINDOW_DAYS]
    return EarlyLate(early=_mean(early), late=_mean(late), early_from=first, late_to=last)


@dataclass(frozen=True)
class ScoreChange:
    """The first and the latest knee score (AKPS), and whether the change is real."""

    first: int
    latest: int
    first_date: dt.date
    latest_date: dt.date
    #: The real-change threshold the result was judged by (from content).
    real_change: int

    @property
    def change(self) -> int:
        return self.latest - self.first

    @property
    def real(self) -> bool:
        return abs(self.change) >= self.real_change

    @property
    def direction(self) -> Direction:
        return _direction(-self.change, self.real_change)


def knee_score_change(scores: Sequence[ScoreReading]) -> ScoreChange | None:
    """First against latest of ``scores`` (oldest first); None with fewer than two."""
    if len(scores) < 2:
        return None
    (first_date, first), (latest_date, latest) = scores[0], scores[-1]
    return ScoreChange(
        first=first,
        latest=latest,
        first_date=first_date,
        latest_date=latest_date,
        real_change=akps_real_change(),
    )


def verdict(pain: EarlyLate | None, score: ScoreChange | None) -> Verdict:
    """Getting better? Worse wins over better, better over the same; unknown with neither."""
    moves = {m.direction for m in (pain, score) if m is not None}
    if not moves:
        return "unknown"
    if "worse" in moves:
        return "worse"
    return "better" if "better" in moves else "same"


__all__ = [
    "EARLY_LATE_MIN_DAYS",
    "EARLY_LATE_POINTS",
    "WEEK_DAYS",
    "WEEK_RISE_POINTS",
    "WINDOW_DAYS",
    "Direction",
    "EarlyLate",
    "PainReading",
    "ScoreChange",
    "ScoreReading",
    "Verdict",
    "WeekOnWeek",
    "akps_real_change",
    "early_against_late",
    "knee_score_change",
    "pain_readings",
    "rise_warning",
    "score_readings",
    "show",
    "verdict",
]
