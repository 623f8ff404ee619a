"""What the Today page says about running (clinical-rules.md sections 7 and 8).

Pure: the store's runs, sessions and self-checks in, one :class:`RunningCard` out, so
each threshold can be checked on both sides without Streamlit.

* :func:`running_card`: which card Today shows, read from
  :func:`kneecore.run_log.run_gate` (the one rule the Runs page shows too). Nothing
  before phase 2 or while the plan is paused; "Programme complete" once
  :func:`kneecore.running.maintenance` says so; the entry checklist while the gate is
  shut; else the next run the gate allows.
* :func:`run_pattern`: a level's run/walk pattern as it is read on a phone.
* :func:`runs_to_ask`: runs whose next-morning pain Today asks for (yesterday's, as
  for sessions: today's run has no next morning yet).
* :func:`goal_of`: the goal the latest self-check named, for the maintenance text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from kneecore.content import Library, RunLevel, load_running
from kneecore.models import PhaseStart, Run, SelfCheckResult, Session
from kneecore.run_log import RUN_PHASES, EntryAnswers, run_gate
from kneecore.running import Checklist, Goal, Maintenance, RunAdvice
from kneecore.today import ASK_DAYS

__all__ = [
    "RUN_PHASES",
    "CardKind",
    "EntryAnswers",
    "NextRun",
    "RunningCard",
    "goal_of",
    "run_pattern",
    "running_card",
    "runs_to_ask",
]

CardKind = Literal["none", "checklist", "next_run", "complete"]
#: A stored answer (any text) to the goal it names, so an odd answer is no goal.
_GOALS: dict[str, Goal] = {g: g for g in get_args(Goal)}


@dataclass(frozen=True)
class NextRun:
    """The run to do next: its level, pattern and length, and the advice behind it."""

    level: int
    pattern: str
    total_min: int
    advice: RunAdvice
    #: How every level is run (easy pace, flat ground), from the content.
    every_level: str


@dataclass(frozen=True)
class RunningCard:
    """What Today's running card shows; only the part of its ``kind`` is set."""

    kind: CardKind
    checklist: Checklist | None = None
    next_run: NextRun | None = None
    maintenance: Maintenance | None = None
    #: Why the checklist is asked again (days without a run), "" before the first run.
    again: str = ""


def _minutes(value: int) -> str:
    return f"{value} min"


def run_pattern(level: RunLevel) -> str:
    """A level's blocks as ``6 × (1 min run + 4 min walk)``; a block without walking
    reads ``30 min run``, and blocks follow each other with ", then "."""
    parts = []
    for block in level.blocks:
        part = f"{_minutes(block.run_min)} run"
        if block.walk_min:
            part += f" + {_minutes(block.walk_min)} walk"
        if block.times > 1:
            part = f"{block.times} × ({part})"
        parts.append(part)
    return ", then ".join(parts)


def runs_to_ask(runs: Iterable[Run], today: dt.date) -> list[Run]:
    """Runs of the last :data:`~kneecore.today.ASK_DAYS` days without next-morning pain,
    newest first; today's are left out (their next morning has not come)."""
    first = today - dt.timedelta(days=ASK_DAYS - 1)
    owed = [r for r in runs if r.pain_next_morning is None and first <= r.date < today]
    return sorted(owed, key=lambda r: r.date, reverse=True)


def goal_of(selfchecks: Sequence[SelfCheckResult]) -> Goal | None:
    """The goal of the latest self-check that named one (None: never named)."""
    for check in reversed(selfchecks):
        value = check.answers.get("goal")
        if isinstance(value, str) and value in _GOALS:
            return _GOALS[value]
    return None


def running_card(
    phases: Sequence[PhaseStart],
    paused: bool,
    runs: Sequence[Run],
    sessions: Sequence[Session],
    answers: EntryAnswers,
    library: Library,
    *,
    goal: Goal | None = None,
    today: dt.date | None = None,
    see_gp_from: dt.date | None = None,
) -> RunningCard:
    """The running card for Today (see the module docstring for the order).

    ``phases`` oldest first, the current one last (``Store.phase_history()``).
    """
    gate = run_gate(
        phases,
        runs,
        sessions,
        answers,
        library,
        paused=paused,
        goal=goal,
        today=today,
        see_gp_from=see_gp_from,
    )
    phase = phases[-1].phase if phases else None
    if paused or phase not in RUN_PHASES:
        return RunningCard("none")
    if gate.maintenance.complete:
        return RunningCard("complete", maintenance=gate.maintenance)
    if not gate.open:
        return RunningCard("checklist", checklist=gate.checklist, again=gate.again)
    levels = load_running().levels
    level = levels.level(gate.advice.level)
    next_run = NextRun(
        level=gate.advice.level,
        pattern=run_pattern(level),
        total_min=level.total_min,
        advice=gate.advice,
        every_level=" ".join(levels.every_level.split()),
    )
    return RunningCard("next_run", next_run=next_run)
