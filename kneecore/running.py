"""Return to running (clinical-rules.md sections 7 and 8): run zones and walk-run advice.

* :func:`run_zone` -- a run's traffic light, stricter than for exercise: green needs
  pain during the run at 2/10 or less, back to the pre-run level an hour later and by
  the next morning; 3-4 during, or one point up an hour later or next morning, is
  amber; 5 or more, two points up, or a limp is red.
* :func:`advise` -- the level to run next and why, first match wins: ``see_gp``
  (swelling, locking or giving way after a run, or three red runs within 14 days),
  then one level lower for every 5 days without a run, then ``step_back`` one level
  more (the latest run red, or two of the last three amber or worse), then
  ``progress_level`` (the last two runs at this level green with their next mornings
  entered, at most two level-ups in any 7 days), else ``hold``. After 14 days without
  a run the entry checklist is asked again. As for sessions, "the latest run" is the
  worst of the latest day's, and a level-up is held while an exercise session since
  the first of those two runs was amber or red (section 3: amber, do not add load).
* :func:`run_flags` -- a run without a rest day before it, a fifth run within 7 days,
  and (free runs only: programme levels are planned steps) a run more than 10% longer
  than the longest of the 30 days before it.
* :func:`run_warning` -- the ``see_gp`` rule alone, for the plan pause
  (:mod:`kneecore.safety`), with sign ids apart from the session ones.
* :func:`entry_checklist` and :func:`maintenance` -- when the programme opens, and
  what comes after it, per goal.

The thresholds are here because the tests pin them to the specification; the levels and
every word shown are in ``content/running/`` (:func:`kneecore.content.load_running`).
"Days without a run" counts from the last run's day to today: a run on the 1st and
advice on the 6th is 5 days without one. Pure: no Streamlit.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from kneecore.content import RunningContent, load_running
from kneecore.models import Run, Session, Zone
from kneecore.pain import explain_zone, worst, worst_of_latest_day, zone
from kneecore.words import format_day, join_words, plural

if TYPE_CHECKING:
    from kneecore.content import Library
    from kneecore.userstore import UserStore

#: Pain during a run: up to 2 is green, 3 to 4 amber, 5 or more red.
RUN_GREEN_MAX = 2
RUN_AMBER_MAX = 4
#: Points above the pre-run pain, one hour after or next morning: 1 amber, 2 red.
RISE_AMBER = 1
RISE_RED = 2
#: Three red runs within 14 days send the runner to a GP.
RED_RUNS_FOR_GP = 3
RED_WINDOW_DAYS = 14
#: One level lower for every 5 days without a run; the checklist again after 14.
DROP_EVERY_DAYS = 5
CHECKLIST_AGAIN_DAYS = 14
#: At most two level-ups in any 7 days; two green runs at a level to move up.
MAX_LEVEL_UPS = 2
LEVEL_UP_WINDOW_DAYS = 7
GREEN_RUNS_TO_PROGRESS = 2
#: Step back when this many of the last three runs are amber or worse.
AMBER_RUNS_TO_STEP_BACK = 2
LAST_RUNS = 3
#: A rest day between runs, at most 4 runs in any 7 days.
MAX_RUNS_PER_WEEK = 4
WEEK_DAYS = 7
#: The load warning: more than 10% longer than the longest of the previous 30 days.
SPIKE_RATIO = 1.10
SPIKE_LOOKBACK_DAYS = 30
FIRST_LEVEL = 1
TOP_LEVEL = 9
#: The entry checklist: pain now at most 2/10; mornings settled over 7 days; a green
#: single-leg hop session in the last 14 days counts for the hop test.
ENTRY_PAIN_MAX = 2
ENTRY_MORNING_DAYS = 7
ENTRY_HOP_DAYS = 14
SINGLE_LEG_HOPS = "single_leg_hops"
#: Maintenance: two green level-9 runs and a green session of each hop within 14 days;
#: for everyday life, four weeks of green phase 2 sessions.
MAINTENANCE_WINDOW_DAYS = 14
LEVEL_9_GREEN_RUNS = 2
DAILY_LIFE_WEEKS = 4

#: Sign ids of the run rules for the plan pause, apart from the session ones, so a
#: clearance after a session's swelling does not clear a run's.
RUN_SIGNS = {"swelling": "run_swelling", "locking": "run_locking", "giving_way": "run_giving_way"}
RUN_RED = "run_red"

Kind = Literal["see_gp", "step_back", "progress_level", "hold"]
FlagKind = Literal["rest_day", "fifth_run", "load_spike"]
Goal = Literal["daily_life", "running", "sport"]

_FLAG_WORDS = {"swelling": "swelling", "locking": "locking", "giving_way": "giving way"}


# -- a run's zone --------------------------------------------------------------------------


def _check(name: str, value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"{name}: pain must be a whole number from 0 to 10, got {value!r}")


def _rise_zone(before: int | None, after: int | None) -> Zone:
    # No pre-run pain to compare with: safety first, any pain after counts as a rise.
    if after is None:
        return "green"
    rise = after - (before or 0)
    if rise >= RISE_RED:
        return "red"
    return "amber" if rise >= RISE_AMBER else "green"


def run_zone(
    pain_during: int,
    pain_before: int | None = None,
    pain_1h: int | None = None,
    pain_next_morning: int | None = None,
    limp: bool = False,
) -> Zone:
    """A run's zone (section 7); a pain not entered yet does not count against it."""
    for name, value in (
        ("pain_during", pain_during),
        ("pain_before", pain_before),
        ("pain_1h", pain_1h),
        ("pain_next_morning", pain_next_morning),
    ):
        _check(name, value)
    if pain_during is None:
        raise ValueError("pain_during: the worst pain during the run is needed")
    if not isinstance(limp, bool):
        raise ValueError(f"limp: yes or no (True or False), got {limp!r}")
    during: Zone = (
        "green"
        if pain_during <= RUN_GREEN_MAX
        else "amber"
        if pain_during <= RUN_AMBER_MAX
        else "red"
    )
    return worst(
        during,
        _rise_zone(pain_before, pain_1h),
        _rise_zone(pain_before, pain_next_morning),
        "red" if limp else "green",
    )


def zone_of(run: Run) -> Zone:
    """:func:`run_zone` of a stored run."""
    return run_zone(run.pain_during, run.pain_before, run.pain_1h, run.pain_next_morning, run.limp)


def explain_run_zone(run: Run) -> str:
    """Why a run has its zone, in plain words naming every pain behind it."""
    parts = [f"worst pain during the run {run.pain_during}/10"]
    if run.pain_1h is not None:
        parts.append(f"{run.pain_1h}/10 an hour after, against {run.pain_before}/10 before")
    if run.pain_next_morning is None:
        parts.append("next-morning pain not entered yet")
    else:
        parts.append(f"{run.pain_next_morning}/10 the next morning")
    if run.limp:
        parts.append("you limped")
    return f"{join_words(parts)} ({zone_of(run)})"


# -- flags on single runs -------------------------------------------------------------------


@dataclass(frozen=True)
class RunFlag:
    """Something about one run to point out (flagged, never refused)."""

    run_id: str
    date: dt.date
    kind: FlagKind
    text: str
    why: str


def _ordered(runs: Iterable[Run], today: dt.date | None = None) -> list[Run]:
    # Stable: same-day runs keep the order they came in (the store's: as added).
    return sorted((r for r in runs if today is None or r.date <= today), key=lambda r: r.date)


def _spike(run: Run, before: Sequence[Run]) -> tuple[float, str] | None:
    """How much longer ``run`` is than the longest of ``before``, if over the limit."""
    window = [r for r in before if (run.date - r.date).days <= SPIKE_LOOKBACK_DAYS]
    if not window:
        return None  # a first run after 30 days without one is not a spike
    with_distance = [r.distance_km for r in window if r.distance_km is not None]
    if run.distance_km is not None and with_distance:
        value, longest = run.distance_km, max(with_distance)
        shown = f"{longest:g} km"
    else:
        value, longest = run.run_min, max(r.run_min for r in window)
        shown = f"{longest:g} minutes of running"
    if longest <= 0 or value <= longest * SPIKE_RATIO:
        return None
    return (value / longest - 1) * 100, shown


def run_flags(runs: Iterable[Run], content: RunningContent | None = None) -> list[RunFlag]:
    """Every flag of every run, oldest run first."""
    texts = (content or load_running()).rules
    ordered = _ordered(runs)
    flags: list[RunFlag] = []
    for i, run in enumerate(ordered):
        before = ordered[:i]
        day = format_day(run.date)
        if before and (run.date - before[-1].date).days <= 1:
            text = texts.rest_day.text.format(date=day)
            flags.append(RunFlag(run.id, run.date, "rest_day", text, texts.rest_day.why))
        week = [r for r in before if (run.date - r.date).days < WEEK_DAYS]
        if len(week) >= MAX_RUNS_PER_WEEK:
            text = texts.fifth_run.text.format(date=day)
            flags.append(RunFlag(run.id, run.date, "fifth_run", text, texts.fifth_run.why))
        spike = _spike(run, before) if run.level is None else None
        if spike is not None:
            percent, longest = spike
            text = texts.load_spike.text.format(date=day, percent=round(percent), longest=longest)
            flags.append(RunFlag(run.id, run.date, "load_spike", text, texts.load_spike.why))
    return flags


# -- the see_gp rule --------------------------------------------------------------------


@dataclass(frozen=True)
class RunWarning:
    """The ``see_gp`` rule of section 7 met: what the plan pause needs.

    ``signs`` maps each sign id (:data:`RUN_SIGNS`, :data:`RUN_RED`) to the latest day
    it was reported; ``since`` is the day the pause starts (the first flagged run, or
    the third red run within 14 days).
    """

    reason: str
    run_ids: list[str]
    signs: dict[str, dt.date]
    since: dt.date


def _flagged(run: Run) -> bool:
    return run.swelling or run.locking or run.giving_way


def run_warning(runs: Iterable[Run], today: dt.date | None = None) -> RunWarning | None:
    """The ``see_gp`` rule on exactly these runs (the caller chooses which count)."""
    ordered = _ordered(runs, today or dt.date.today())
    flagged = [r for r in ordered if _flagged(r)]
    if flagged:
        parts = []
        signs: dict[str, dt.date] = {}
        for run in flagged:
            words = [w for f, w in _FLAG_WORDS.items() if getattr(run, f)]
            parts.append(f"{join_words(words)} after your run on {format_day(run.date)}")
            for flag, sign in RUN_SIGNS.items():
                if getattr(run, flag):
                    signs[sign] = run.date
        reason = (
            f"You reported {join_words(parts)}. Swelling, locking or giving way needs a "
            "professional check before you run again."
        )
        return RunWarning(reason, [r.id for r in flagged], signs, flagged[0].date)
    reds = [r for r in ordered if zone_of(r) == "red"]
    for i in range(len(reds) - RED_RUNS_FOR_GP + 1):
        group = reds[i : i + RED_RUNS_FOR_GP]
        if (group[-1].date - group[0].date).days < RED_WINDOW_DAYS:
            end = group[0].date + dt.timedelta(days=RED_WINDOW_DAYS - 1)
            group = [r for r in reds[i:] if r.date <= end]
            days = join_words([format_day(r.date) for r in group])
            reason = f"Your runs on {days} were red (too much pain) within {RED_WINDOW_DAYS} days."
            return RunWarning(
                reason, [r.id for r in group], {RUN_RED: group[-1].date}, group[2].date
            )
    return None


# -- the advice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunAdvice:
    """What to run next, and why (section 7)."""

    kind: Kind
    #: The level to run next, 1 to 9.
    level: int
    #: Plain sentences, naming the runs behind the advice by their dates.
    reasons: list[str]
    title: str = ""
    #: What to do, from ``content/running/rules.yaml``, and the rule's reason.
    advice: str = ""
    why: str = ""
    run_ids: list[str] = field(default_factory=list)
    #: Levels dropped for days without a run (applied before any step back).
    dropped: int = 0
    #: Days since the last run (None: no run yet).
    days_off: int | None = None
    #: The entry checklist must be met (again) before the next run.
    checklist: bool = False
    #: The flags of the latest run (rest day, fifth run in 7 days, load spike).
    flags: list[RunFlag] = field(default_factory=list)
    #: The latest run's zone.
    zone: Zone | None = None


def _level_ups(ordered: Sequence[Run], since: dt.date) -> int:
    """Level-ups (a programme run above the one before it) on ``since`` or later."""
    ups, previous = 0, None
    for run in ordered:
        if run.level is None:
            continue
        if previous is not None and run.level > previous and run.date >= since:
            ups += 1
        previous = run.level
    return ups


def _streak(ordered: Sequence[Run], level: int) -> list[Run]:
    """The latest programme runs at ``level`` in a row (free runs between are skipped)."""
    streak: list[Run] = []
    for run in reversed(ordered):
        if run.level is None:
            continue
        if run.level != level:
            break
        streak.append(run)
    return streak[::-1]


def _progress_blocker(ordered: Sequence[Run], level: int, today: dt.date) -> str | None:
    """Why the runner may not move up yet, or None when they may."""
    if level >= TOP_LEVEL:
        return f"Level {TOP_LEVEL} is the last level: keep running it."
    streak = _streak(ordered, level)[-GREEN_RUNS_TO_PROGRESS:]
    if len(streak) < GREEN_RUNS_TO_PROGRESS:
        done = plural(len(streak), "run")
        return f"You have {done} at level {level} so far; moving up needs two green ones."
    missing = [r for r in streak if r.pain_next_morning is None]
    if missing:
        days = join_words([format_day(r.date) for r in missing])
        return f"Enter the next-morning pain for your run on {days} to know if you can move up."
    since_first = ordered[ordered.index(streak[0]) :]
    not_green = [r for r in since_first if zone_of(r) != "green"]
    if not_green:
        days = join_words([format_day(r.date) for r in not_green])
        return f"Your run on {days} was not green, so stay at level {level}."
    window_start = today - dt.timedelta(days=LEVEL_UP_WINDOW_DAYS - 1)
    if _level_ups(ordered, window_start) >= MAX_LEVEL_UPS:
        return (
            f"You have already moved up {MAX_LEVEL_UPS} levels in the last "
            f"{LEVEL_UP_WINDOW_DAYS} days: give the knee a few days at this level."
        )
    return None


def _step_back_reason(ordered: Sequence[Run]) -> tuple[str, list[Run]] | None:
    # The latest day's worst run: a red run is not hidden by a green one after it.
    latest = worst_of_latest_day(ordered, zone_of) or ordered[-1]
    if zone_of(latest) == "red":
        return f"Your run on {format_day(latest.date)} was red: {explain_run_zone(latest)}.", [
            latest
        ]
    last = ordered[-LAST_RUNS:]
    sore = [r for r in last if zone_of(r) != "green"]
    if len(sore) >= AMBER_RUNS_TO_STEP_BACK:
        days = join_words([format_day(r.date) for r in sore])
        return f"Of your last {len(last)} runs, those on {days} were amber or worse.", sore
    return None


def _session_hold(sessions: Iterable[Session], since: dt.date, today: dt.date) -> str | None:
    """Why an exercise session from ``since`` to ``today`` stops a level-up, or None.

    The specification's level-up rule names runs only; the Pain Monitoring Model
    (section 3) says an amber session adds no load and a red one is too much, so a run
    is not made longer while a session of that time was amber or red (safety first).
    """
    sore = sorted(
        (s for s in sessions if since <= s.date <= today and _session_zone(s) != "green"),
        key=lambda s: s.date,
    )
    if not sore:
        return None
    days = join_words(list(dict.fromkeys(format_day(s.date, today) for s in sore)))
    if len(sore) == 1:
        what = f"Your exercise session on {days} was {_session_zone(sore[0])}"
    else:
        what = f"Your exercise sessions on {days} were amber or red"
    worst_one = max(sore, key=lambda s: (_session_zone(s) == "red", s.pain_during))
    why = explain_zone(worst_one.pain_during, worst_one.pain_before, worst_one.pain_next_morning)
    return f"{what}: add no load until sessions are green again, so do not move up yet. {why}"


def advise(
    runs: Iterable[Run],
    today: dt.date | None = None,
    *,
    see_gp_from: dt.date | None = None,
    sessions: Iterable[Session] = (),
) -> RunAdvice:
    """What to run next (section 7); ``runs`` in any order, those after ``today`` ignored.

    ``see_gp_from``: runs before this day do not count for the ``see_gp`` rule (they
    were seen by a clinician: pass ``kneecore.safety.plan_status(...).counts_from``).
    ``sessions``: the exercise sessions; an amber or red one since the first of the two
    green runs behind a level-up holds the level (:func:`_session_hold`).
    """
    today = today or dt.date.today()
    content = load_running()
    ordered = _ordered(runs, today)
    if not ordered:
        first = RunAdvice("hold", FIRST_LEVEL, [], checklist=True)
        return _make(content, first, "hold", FIRST_LEVEL, ["No runs yet: start at level 1."], [])
    latest = ordered[-1]
    programme = [r.level for r in ordered if r.level is not None]
    current = programme[-1] if programme else FIRST_LEVEL
    days_off = (today - latest.date).days
    away = days_off // DROP_EVERY_DAYS
    dropped = min(away, current - FIRST_LEVEL)
    level = current - dropped
    base = RunAdvice(
        "hold",
        level,
        [],
        dropped=dropped,
        days_off=days_off,
        checklist=days_off >= CHECKLIST_AGAIN_DAYS,
        flags=[f for f in run_flags(ordered, content) if f.run_id == latest.id],
        zone=zone_of(worst_of_latest_day(ordered, zone_of) or latest),
    )
    reasons: list[str] = []
    if dropped:
        text = content.rules.days_off.text
        reasons.append(text.format(days=days_off, drops=plural(dropped, "level"), level=level))
    elif away:
        reasons.append(f"You have not run for {days_off} days, so stay at level {level} for now.")
    if base.checklist:
        reasons.append(content.entry.again_after_days_off.format(days=days_off))
    counted = [r for r in ordered if see_gp_from is None or r.date >= see_gp_from]
    warning = run_warning(counted, today)
    step = _step_back_reason(ordered)
    if step is not None:
        level = max(FIRST_LEVEL, level - 1)
    if warning is not None:
        behind = [r for r in ordered if r.id in set(warning.run_ids)]
        return _make(content, base, "see_gp", level, [warning.reason, *reasons], behind)
    if step is not None:
        return _make(content, base, "step_back", level, [step[0], *reasons], step[1])
    # After a break the level is never raised, even when already at level 1.
    blocker = None if away else _progress_blocker(ordered, current, today)
    behind = _streak(ordered, current)[-GREEN_RUNS_TO_PROGRESS:]
    if not away and blocker is None:
        blocker = _session_hold(sessions, behind[0].date, today)
    if not away and blocker is None:
        days = join_words([format_day(r.date) for r in behind])
        why = f"Your runs at level {current} on {days} were green, next mornings included."
        return _make(content, base, "progress_level", current + 1, [why], behind)
    if blocker is not None:
        reasons.append(blocker)
    return _make(content, base, "hold", level, reasons, [latest])


def _make(
    content: RunningContent,
    base: RunAdvice,
    kind: Kind,
    level: int,
    reasons: list[str],
    behind: Sequence[Run],
) -> RunAdvice:
    text = getattr(content.rules, kind)
    advice = text.advice if kind == "see_gp" else text.advice.format(level=level)
    return dataclasses.replace(
        base,
        kind=kind,
        level=level,
        reasons=[" ".join(r.split()) for r in reasons],
        title=text.title,
        advice=" ".join(advice.split()),
        why=" ".join(text.why.split()),
        run_ids=[r.id for r in behind],
    )


def advise_store(
    store: UserStore, today: dt.date | None = None, *, see_gp_from: dt.date | None = None
) -> RunAdvice:
    """:func:`advise` on every run in ``store``."""
    return advise(store.runs(), today, see_gp_from=see_gp_from)


# -- the entry checklist and maintenance ---------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    why: str
    met: bool
    #: Where ``met`` comes from: today's answer, or the log (sessions and runs).
    source: Literal["answer", "log"] = "answer"

    @property
    def status(self) -> str:
        """The item's state in words, never colour alone: ``Met: from your answer``,
        ``Met: from your log`` (nothing was answered; the log shows it) or
        ``Not met yet``."""
        if not self.met:
            return "Not met yet"
        return f"Met: from your {self.source}"


@dataclass(frozen=True)
class Checklist:
    """The walk-run entry checklist: every item is needed."""

    title: str
    intro: str
    items: list[ChecklistItem]

    @property
    def met(self) -> bool:
        return all(item.met for item in self.items)


def _session_zone(session: Session) -> Zone:
    return zone(session.pain_during, session.pain_before, session.pain_next_morning)


def entry_checklist(
    pain_now: int | None,
    brisk_walk: bool | None,
    single_leg_hops: bool | None,
    sessions: Iterable[Session] = (),
    runs: Iterable[Run] = (),
    today: dt.date | None = None,
) -> Checklist:
    """The entry checklist (section 7) from the answers (None: not answered) and the log.

    The hop test also counts as met by a green session with single-leg hops in the last
    14 days, unless today's answer is no (safety first: the knee today beats an older
    session); mornings are settled when no session or run of the last 7 days had
    next-morning pain above the pain before it. Each item says where its state comes
    from (:attr:`ChecklistItem.status`).
    """
    _check("pain_now", pain_now)
    today = today or dt.date.today()
    content = load_running().entry
    sessions = [s for s in sessions if s.date <= today]
    hop_from = today - dt.timedelta(days=ENTRY_HOP_DAYS - 1)
    hopped = any(
        s.date >= hop_from
        and _session_zone(s) == "green"
        and any(e.exercise_id == SINGLE_LEG_HOPS for e in s.exercises)
        for s in sessions
    )
    morning_from = today - dt.timedelta(days=ENTRY_MORNING_DAYS - 1)
    logged: list[Session | Run] = [*sessions, *(r for r in runs if r.date <= today)]
    settled = not any(
        x.date >= morning_from
        and x.pain_next_morning is not None
        and x.pain_next_morning > x.pain_before
        for x in logged
    )
    met = {
        "pain_now": pain_now is not None and pain_now <= ENTRY_PAIN_MAX,
        "brisk_walk": brisk_walk is True,
        "single_leg_hops": single_leg_hops is True or (single_leg_hops is None and hopped),
        "mornings_settled": settled,
    }
    from_log = {"mornings_settled", *(() if single_leg_hops is True else ("single_leg_hops",))}
    items = [
        ChecklistItem(
            i.id,
            i.text.strip(),
            i.why.strip(),
            met[i.id],
            "log" if i.id in from_log else "answer",
        )
        for i in content.items
    ]
    return Checklist(content.title, content.intro.strip(), items)


@dataclass(frozen=True)
class Maintenance:
    """Whether the programme is complete (section 8), and what to keep doing."""

    complete: bool
    #: The day it was complete (None: not yet).
    since: dt.date | None
    title: str
    intro: str
    keep_doing: list[str]
    goal_text: str
    if_pain_returns: str
    reasons: list[str]


def _runner_done(
    runs: Sequence[Run], sessions: Sequence[Session], hops: Sequence[str]
) -> dt.date | None:
    """The first day when, within 14 days, two green level-9 runs (next mornings in)
    and a green session of each hop had all been logged. ``sessions`` in date order."""
    tops = sorted(
        r.date
        for r in runs
        if r.level == TOP_LEVEL and r.pain_next_morning is not None and zone_of(r) == "green"
    )
    # Today's page asks this on every rerun, with years of sessions: without two top
    # runs there is nothing to look for, and only windows holding two are searched.
    if len(tops) < LEVEL_9_GREEN_RUNS:
        return None
    greens = [s for s in sessions if _session_zone(s) == "green"]
    green_days = [s.date for s in greens]
    width = dt.timedelta(days=MAINTENANCE_WINDOW_DAYS - 1)
    for end in sorted({*tops, *green_days}):
        start = end - width
        if bisect.bisect_right(tops, end) - bisect.bisect_left(tops, start) < LEVEL_9_GREEN_RUNS:
            continue
        window = greens[
            bisect.bisect_left(green_days, start) : bisect.bisect_right(green_days, end)
        ]
        if set(hops) <= {e.exercise_id for s in window for e in s.exercises}:
            return end
    return None


def _daily_life_done(
    sessions: Sequence[Session], phase_2: frozenset[str], today: dt.date
) -> dt.date | None:
    """Today, when each of the last four weeks had a green phase 2 session and none of
    the sessions in those weeks was amber or red."""
    start = today - dt.timedelta(days=DAILY_LIFE_WEEKS * WEEK_DAYS - 1)
    recent = [s for s in sessions if start <= s.date <= today]
    if any(_session_zone(s) != "green" for s in recent):
        return None
    for week in range(DAILY_LIFE_WEEKS):
        first = start + dt.timedelta(days=week * WEEK_DAYS)
        last = first + dt.timedelta(days=WEEK_DAYS - 1)
        if not any(
            first <= s.date <= last and any(e.exercise_id in phase_2 for e in s.exercises)
            for s in recent
        ):
            return None
    return today


def maintenance(
    runs: Iterable[Run],
    sessions: Iterable[Session],
    goal: Goal | None,
    library: Library,
    today: dt.date | None = None,
) -> Maintenance:
    """Section 8: for everyday life, four weeks of green phase 2 sessions complete the
    programme; for running and sport (and no goal given), two green level-9 runs and a
    green session of each hop within 14 days."""
    today = today or dt.date.today()
    content = load_running().maintenance
    ordered = _ordered(runs, today)
    done_sessions = sorted((s for s in sessions if s.date <= today), key=lambda s: s.date)
    if goal == "daily_life":
        phase_2 = frozenset(e.id for e in library.by_phase(2))
        since = _daily_life_done(done_sessions, phase_2, today)
        need = "Four weeks in a row of green sessions with phase 2 exercises complete it."
    else:
        since = _runner_done(ordered, done_sessions, content.hop_exercises)
        names = join_words([library.exercise(h).name.lower() for h in content.hop_exercises])
        need = (
            "Two green level 9 runs and a green session of each hop "
            f"({names}) within {MAINTENANCE_WINDOW_DAYS} days complete it."
        )
    reasons = [f"Complete since {format_day(since, today)}."] if since else [need]
    return Maintenance(
        complete=since is not None,
        since=since,
        title=content.title,
        intro=content.intro.strip(),
        keep_doing=[k.text.strip() for k in content.keep_doing],
        goal_text=content.goals[goal or "running"].strip(),
        if_pain_returns=content.if_pain_returns.strip(),
        reasons=reasons,
    )


__all__ = [
    "CHECKLIST_AGAIN_DAYS",
    "DROP_EVERY_DAYS",
    "MAX_LEVEL_UPS",
    "RED_RUNS_FOR_GP",
    "RUN_RED",
    "RUN_SIGNS",
    "SPIKE_RATIO",
    "Checklist",
    "ChecklistItem",
    "Maintenance",
    "RunAdvice",
    "RunFlag",
    "RunWarning",
    "advise",
    "advise_store",
    "entry_checklist",
    "explain_run_zone",
    "maintenance",
    "run_flags",
    "run_warning",
    "run_zone",
    "zone_of",
]
