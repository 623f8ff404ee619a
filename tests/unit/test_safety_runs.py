"""Runs bind the plan pause as sessions do (clinical rules, sections 6 and 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.models import Clearance, Run, SelfCheckResult
from kneecore.safety import status_of

TODAY = dt.date(2026, 11, 30)


def _run(days_ago: int, **changes: Any) -> Run:
    data: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": 3,
        "run_min": 18,
        "walk_min": 12,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 1,
        "pain_1h": 1,
        "pain_next_morning": 1,
    }
    data.update(changes)
    return Run.model_validate(data)


def _status(runs: list[Run], **lists: Any) -> Any:
    return status_of(
        lists.get("checks", []), [], lists.get("clearances", []), [], runs=runs, today=TODAY
    )


def test_a_run_that_swelled_the_knee_pauses_the_plan_with_its_day_and_what_to_do() -> None:
    status = _status([_run(5), _run(2, swelling=True)])
    assert status.paused and status.urgency == "gp_soon" and status.source == "run"
    assert status.since == TODAY - dt.timedelta(days=2)
    assert "run_swelling" in status.sign_ids
    assert any("your runs showed a reason" in a for a in status.actions)


def test_green_runs_do_not_pause_the_plan() -> None:
    assert not _status([_run(d) for d in (9, 6, 3)]).paused


def test_three_red_runs_in_fourteen_days_pause_the_plan() -> None:
    red = [_run(d, pain_during=6) for d in (12, 7, 2)]
    status = _status(red)
    assert status.paused and "run_red" in status.sign_ids
    assert not _status(red[1:]).paused, "two red runs are not yet the rule"


def test_a_clinicians_clearance_lifts_a_pause_from_runs_before_the_examination() -> None:
    swollen = _run(6, swelling=True)
    clearance = Clearance(
        examined=TODAY - dt.timedelta(days=3), recorded=TODAY - dt.timedelta(days=2)
    )
    assert not _status([swollen], clearances=[clearance]).paused
    # A new warning after the examination pauses it again.
    assert _status([swollen, _run(1, locking=True)], clearances=[clearance]).paused


def test_a_clean_self_check_after_the_run_lifts_its_pause() -> None:
    check = SelfCheckResult(date=TODAY - dt.timedelta(days=1), urgency="none", phase=3)
    assert not _status([_run(4, giving_way=True)], checks=[check]).paused
