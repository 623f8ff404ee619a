"""One history, one answer: the Progress page, Today's advice and the report agree.

Each trend rule is stated once here, as the outcome the history must give:

- rising pain: this week's average pain during exercise is 1 point or more above last
  week's (kneecore.trends.week_on_week);
- a real knee-score change: the latest Kujala score is ``real_change`` points
  (content/selfcheck/akps.yaml) or more from the first (kneecore.trends.knee_score_change);
- early against late: the last two weeks of sessions against the first two
  (kneecore.trends.early_against_late).

Then each place that shows a rule is asked: the Progress page's summary and verdict
(kneecore.analytics), the trend warning of Today and the advice
(kneecore.safety.advice_of, kneecore.progression.recommend) and the report's facts
(kneecore.report.report_data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from kneecore import analytics as an
from kneecore import progression, safety, trends
from kneecore.content import Library
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.report import report_data

TODAY = dt.date(2026, 3, 15)


@dataclass(frozen=True)
class History:
    sessions: list[Session]
    checks: list[SelfCheckResult]
    phases: list[PhaseStart]


@dataclass(frozen=True)
class Outcomes:
    """The rule outcomes, as one place of the app shows them."""

    rising: bool
    real_knee_change: bool
    early_late: trends.Direction | None


def _session(days_ago: int, during: int) -> dict[str, Any]:
    return {
        "id": f"s{days_ago}",
        "date": (TODAY - dt.timedelta(days=days_ago)).isoformat(),
        "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10], "hold_s": 5}],
        "pain_before": 1,
        "pain_during": during,
        "pain_after": 1,
        "pain_next_morning": 1,
    }


def rising_history() -> History:
    """Five weeks at pain 2, then a daily week at 4: a clear rise; the knee score up 12."""
    sessions = [_session(d, 2) for d in range(40, 7, -2)] + [
        _session(d, 4) for d in range(6, -1, -1)
    ]
    checks = [
        SelfCheckResult(date=TODAY - dt.timedelta(days=40), urgency="none", phase=1, akps=60),
        SelfCheckResult(date=TODAY - dt.timedelta(days=1), urgency="none", phase=1, akps=72),
    ]
    phases = [PhaseStart(phase=1, started=TODAY - dt.timedelta(days=40))]
    return History([Session.model_validate(s) for s in sessions], checks, phases)


def demo_history(library: Library) -> History:
    doc = generate_history(84, sessions_per_week=5, end=TODAY, library=library)
    return History(
        [Session.model_validate(s) for s in doc["sessions"]],
        [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]],
        [PhaseStart.model_validate(p) for p in doc["phases"]],
    )


def progress_page(h: History) -> Outcomes:
    frames = an.progress_frames(h.sessions, h.checks, h.phases, TODAY)
    summary = an.summarize(frames.sessions, frames.checks, frames.phases, TODAY)
    trend = an.overall_trend(frames.sessions, frames.checks, TODAY)
    return Outcomes(
        rising=summary.pain_rising,
        real_knee_change=trend.knee_score is not None and trend.knee_score.real,
        early_late=trend.pain.direction if trend.pain is not None else None,
    )


def today_warning(h: History, library: Library) -> bool:
    """Today and the log show the advice of kneecore.safety.advice_of."""
    status = safety.status_of(h.checks, [], [], h.sessions, today=TODAY, library=library)
    assert not status.paused, "the history must not pause the plan, or no trend is shown"
    advice = safety.advice_of(
        h.sessions, h.checks, h.phases, [], status, today=TODAY, library=library
    )
    rec = progression.recommend(h.sessions, h.phases[-1], today=TODAY, library=library)
    assert (advice.trend_warning is None) == (rec.trend_warning is None)
    return advice.trend_warning is not None


def report(h: History, library: Library) -> Outcomes:
    data = report_data(h.sessions, h.checks, h.phases, library, today=TODAY)
    found = data.trends
    facts = dict(data.facts)
    # What the report prints says the same as its data.
    knee = found.knee_score is not None and found.knee_score.real
    assert ("clinically important" in facts["Kujala knee score"]) is knee
    assert data.recommendation is not None
    week = found.week_on_week
    assert (data.recommendation.trend_warning is not None) is (week is not None and week.rising)
    return Outcomes(
        rising=week is not None and week.rising,
        real_knee_change=knee,
        early_late=found.early_late.direction if found.early_late is not None else None,
    )


def test_a_rising_history_reads_as_rising_pain_a_real_knee_change_and_worse_everywhere(
    library: Library,
) -> None:
    history = rising_history()
    expected = Outcomes(rising=True, real_knee_change=True, early_late="worse")
    assert progress_page(history) == expected
    assert report(history, library) == expected
    assert today_warning(history, library) is True
    # Worse wins over a better knee score: the page does not reassure.
    frames = an.progress_frames(history.sessions, history.checks, history.phases, TODAY)
    assert an.overall_trend(frames.sessions, frames.checks, TODAY).verdict == "worse"


def test_the_demo_history_gives_the_same_outcomes_on_the_page_today_and_in_the_report(
    library: Library,
) -> None:
    history = demo_history(library)
    page = progress_page(history)
    assert report(history, library) == page
    assert today_warning(history, library) is page.rising
    assert page.early_late == "better"


@pytest.mark.parametrize("rise", [0, 1])
def test_the_week_on_week_rule_is_the_same_on_the_page_today_and_in_the_report(
    library: Library, rise: int
) -> None:
    base = rising_history()
    sessions = [
        s.model_copy(update={"pain_during": 2 + rise}) if (TODAY - s.date).days < 7 else s
        for s in base.sessions
    ]
    history = History(sessions, base.checks, base.phases)
    assert progress_page(history).rising is bool(rise)
    assert today_warning(history, library) is bool(rise)
    assert report(history, library).rising is bool(rise)
