"""Generated, plausible rehab histories for demos, tests and benchmarks.

One generator serves three needs: the progress page's "try it with demo data" view,
tests that need a realistic history, and the benchmarks' five years of daily sessions.
The output is an export document (the same shape :meth:`Store.export_data` returns),
so it can be imported into a store in one atomic write or used without any store.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from kneecore.content import Exercise, Library, load_library
from kneecore.models import PhaseStart, SelfCheckResult, Session
from kneecore.store import SCHEMA_VERSION

#: Days after the start at which the demo person moves to phase 2 and phase 3.
PHASE_STARTS = {1: 0, 2: 21, 3: 56}
FIVE_YEARS_DAYS = 1826


def _akps_for(day: int, days: int) -> int:
    # Function improves quickly at first, then levels off near the top of the scale.
    progress = min(1.0, day / max(70, days * 0.3))
    return round(58 + 36 * progress)


def _entries(chosen: list[Exercise], weeks_in: int) -> list[dict[str, Any]]:
    """The exercises of one session: reps creep up and a little load is added over weeks."""
    entries = []
    for exercise in chosen:
        dose = exercise.dose
        reps_top = min(dose.reps_max, dose.reps_min + weeks_in // 2)
        load = round(0.5 * min(6, weeks_in // 3), 1) if not dose.is_hold else None
        entries.append(
            {
                "exercise_id": exercise.id,
                "sets": dose.sets,
                "reps": [reps_top] * dose.sets,
                "hold_s": float(dose.hold_s) if dose.hold_s else None,
                "load_kg": load if load else None,
                "side": "both",
            }
        )
    return entries


def _session(
    date: dt.date, day: int, chosen: list[Exercise], rng: random.Random, *, last: bool
) -> Session:
    """One session: pain falls over the first weeks, with noise and the odd flare-up.

    The random draws keep their order, so a seed always gives the same history.
    """
    base_pain = max(0.0, 5.0 - 4.0 * min(1.0, day / 60)) + rng.uniform(-1, 1)
    flare = rng.random() < 0.04
    during = int(min(10, max(0, round(base_pain + (3 if flare else 0)))))
    before = int(min(10, max(0, round(base_pain - 1))))
    after = int(min(10, max(0, during - rng.choice([0, 1]))))
    morning = int(min(10, max(0, before + rng.choice([-1, 0, 0, 0, 1, 2 if flare else 0]))))
    return Session(
        id=f"demo-{date.isoformat()}",
        date=date,
        exercises=_entries(chosen, day // 7),  # type: ignore[arg-type]
        pain_before=before,
        pain_during=during,
        pain_after=after,
        # The latest session's next morning has not come yet, as in real life.
        pain_next_morning=None if last else morning,
        notes="",
    )


def _selfchecks(start: dt.date, days: int, phases: list[PhaseStart]) -> list[SelfCheckResult]:
    """A self-check every four weeks, the knee score rising and levelling off."""
    checks = []
    for day in range(0, days, 28):
        date = start + dt.timedelta(days=day)
        phase = max(p.phase for p in phases if p.started <= date)
        checks.append(
            SelfCheckResult(
                id=f"demo-check-{date.isoformat()}",
                date=date,
                urgency="none",
                phase=phase,
                akps=_akps_for(day, days),
                reasons=["Demo data: generated, not a real person's answers."],
                advice=[],
            )
        )
    return checks


def generate_history(
    days: int = 84,
    *,
    sessions_per_week: int = 5,
    exercises_per_session: int = 6,
    end: dt.date | None = None,
    seed: int = 7,
    library: Library | None = None,
) -> dict[str, Any]:
    """An export document with ``days`` days of history ending on ``end`` (today).

    ``sessions_per_week=7`` gives a daily history (the benchmark's 5 years is
    ``generate_history(FIVE_YEARS_DAYS, sessions_per_week=7)``). Pain falls over the
    first weeks with realistic noise and the odd amber or red day; the last session
    still lacks its next-morning pain, as it would in real life.
    """
    if days < 1:
        raise ValueError("days: must be 1 or more")
    if not 1 <= sessions_per_week <= 7:
        raise ValueError("sessions_per_week: must be from 1 to 7")
    lib = library or load_library()
    rng = random.Random(seed)
    end = end or dt.date.today()
    start = end - dt.timedelta(days=days - 1)
    training_days = sorted(rng.sample(range(7), sessions_per_week))

    phases = [
        PhaseStart(
            phase=phase,  # type: ignore[arg-type]
            started=start + dt.timedelta(days=offset),
            source="self_check" if phase == 1 else "progression",
            id=f"demo-phase-{phase}",
        )
        for phase, offset in PHASE_STARTS.items()
        if offset < days
    ]

    sessions: list[Session] = []
    for day in range(days):
        date = start + dt.timedelta(days=day)
        if date.weekday() not in training_days:
            continue
        phase = max(p.phase for p in phases if p.started <= date)
        pool = lib.by_phase(phase) or lib.by_phase(1)
        chosen = [pool[i % len(pool)] for i in range(exercises_per_session)]
        sessions.append(_session(date, day, chosen, rng, last=date == end))

    checks = _selfchecks(start, days, phases)

    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sessions": [s.model_dump(mode="json") for s in sessions],
        "selfchecks": [c.model_dump(mode="json") for c in checks],
        "phases": [p.model_dump(mode="json") for p in phases],
        "settings": None,
    }
