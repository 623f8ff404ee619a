"""Properties of the walk-run advice, over runners who follow it and over any run log."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from kneecore.models import Run
from kneecore.running import LEVEL_UP_WINDOW_DAYS, MAX_LEVEL_UPS, advise, zone_of

START = dt.date(2026, 1, 1)

pains = st.integers(0, 10)
#: Mostly comfortable runs, so the runner gets far enough to meet the limits.
gentle = st.one_of(st.integers(0, 2), st.integers(0, 2), pains)
#: One logged run: days after the one before, free run or not, and its pains.
steps = st.tuples(
    st.integers(0, 8),
    st.booleans(),
    st.integers(0, 3),
    gentle,
    st.one_of(st.none(), gentle),
    st.one_of(st.none(), gentle),
    st.booleans(),
)


def _run(day: dt.date, level: int | None, before: int, during: int, hour, morning, limp) -> Run:  # type: ignore[no-untyped-def]
    return Run(
        date=day,
        level=level,
        run_min=10,
        walk_min=20,
        total_min=30,
        pain_before=before,
        pain_during=during,
        pain_1h=hour,
        pain_next_morning=morning,
        limp=limp and during > 3,
    )


def follow(plan: list[tuple]) -> tuple[list[Run], list[tuple[list[Run], object]]]:  # type: ignore[type-arg]
    """Runs of someone who always runs the advised level; each advice with its runs."""
    runs: list[Run] = []
    seen = []
    day = START
    for gap, free, before, during, hour, morning, limp in plan:
        day += dt.timedelta(days=gap)
        advice = advise(runs, day)
        seen.append((list(runs), advice))
        level = None if free and runs else advice.level
        runs.append(_run(day, level, before, during, hour, morning, limp))
    return runs, seen


def _ups(runs: list[Run]) -> list[dt.date]:
    levels = [(r.date, r.level) for r in runs if r.level is not None]
    return [d for (_, a), (d, b) in itertools.pairwise(levels) if b > a]


@settings(max_examples=150, deadline=None)
@given(st.lists(steps, min_size=1, max_size=40))
def test_a_runner_following_the_advice_never_moves_up_more_than_twice_in_7_days(plan):
    runs, _ = follow(plan)
    ups = _ups(runs)
    for i, first in enumerate(ups):
        window = [d for d in ups[i:] if (d - first).days < LEVEL_UP_WINDOW_DAYS]
        assert len(window) <= MAX_LEVEL_UPS, ups


@settings(max_examples=150, deadline=None)
@given(st.lists(steps, min_size=1, max_size=40))
def test_never_a_level_up_after_an_amber_or_red_run(plan):
    _, seen = follow(plan)
    for before, advice in seen:
        if not before or zone_of(before[-1]) == "green":
            continue
        levels = [r.level for r in before if r.level is not None]
        current = levels[-1] if levels else 1
        assert advice.kind != "progress_level"  # type: ignore[attr-defined]
        assert advice.level <= current  # type: ignore[attr-defined]


any_run = st.builds(
    _run,
    st.integers(0, 60).map(lambda n: START + dt.timedelta(days=n)),
    st.one_of(st.none(), st.integers(1, 9)),
    pains,
    pains,
    st.one_of(st.none(), pains),
    st.one_of(st.none(), pains),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_run, min_size=1, max_size=15), st.integers(0, 30))
def test_a_red_latest_run_always_lowers_or_holds_the_level(runs, wait):
    ordered = sorted(runs, key=lambda r: r.date)
    latest = ordered[-1]
    today = latest.date + dt.timedelta(days=wait)
    advice = advise(runs, today)
    levels = [r.level for r in ordered if r.level is not None]
    current = levels[-1] if levels else 1
    if zone_of(latest) != "green":
        assert advice.kind != "progress_level"
        assert advice.level <= current
    if zone_of(latest) == "red":
        assert advice.kind in ("see_gp", "step_back")
        assert advice.level <= max(1, current - 1)
    assert 1 <= advice.level <= 9
