"""Several sessions on one day: Today's advice, Log's advice and the report's first page
judge the day by its worst session (clinical-rules.md section 3), and so agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore import safety
from kneecore.content import Library
from kneecore.models import PhaseStart, Session
from kneecore.report import report_data

TODAY = dt.date(2025, 11, 30)
PHASE = [PhaseStart(phase=2, started=TODAY - dt.timedelta(days=20))]


def session(sid: str, days_ago: int, during: int) -> Session:
    data: dict[str, Any] = {
        "id": sid,
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": "bridge", "sets": 3, "reps": [12, 12, 12]}],
        "pain_before": 1,
        "pain_during": during,
        "pain_after": 1,
    }
    return Session.model_validate(data, context={"today": TODAY})


def advice(sessions: list[Session], library: Library, logged: str | None = None) -> Any:
    """The advice as Today (no session just saved) and Log (``logged``) ask for it."""
    status = safety.PlanStatus(paused=False)
    return safety.advice_of(
        sessions, [], PHASE, [], status, today=TODAY, library=library, logged=logged
    )


def test_a_red_session_then_an_amber_one_the_same_day_is_a_step_back_everywhere(
    library: Library,
) -> None:
    sessions = [session("a", 2, 2), session("red", 0, 6), session("amber", 0, 5)]
    today = advice(sessions, library)
    logged = advice(sessions, library, logged="amber")
    report = report_data(sessions, [], PHASE, library, today=TODAY).recommendation
    assert report is not None
    assert today.kind == logged.kind == report.kind == "step_back"
    assert today.session_ids == report.session_ids == ["red"]
    assert "6/10" in today.reason


def test_an_amber_session_then_a_green_one_the_same_day_is_a_hold_naming_the_amber(
    library: Library,
) -> None:
    sessions = [session("a", 1, 2), session("amber", 0, 5), session("green", 0, 2)]
    today = advice(sessions, library)
    report = report_data(sessions, [], PHASE, library, today=TODAY).recommendation
    assert report is not None
    assert today.kind == report.kind == "hold"
    assert today.session_ids == ["amber"]
    assert "was amber" in today.reason
    assert "30 Nov and 30 Nov" not in today.reason
