"""Progression and regression advice after each session (clinical-rules.md section 4).

:func:`recommend` looks at the sessions (and self-checks) and returns one
:class:`Recommendation`. The rules, checked in this order (the first that applies wins):

1. ``see_gp`` — the plan is paused (``pause``: the reasons from
   ``kneecore.safety.plan_status``); or a session reported new swelling, locking or
   giving way, or three sessions were red within 14 days (the first and the third no
   more than 13 days apart, i.e. inside one 14-calendar-day window).
2. ``step_back`` — the latest session is red (or the session just logged is), or two
   of the last three were amber (or worse) because of next-morning pain. "The latest
   session" is the worst of the latest day's (section 3: a day's light is its worst
   session's), so a red session is never hidden by a green one later the same day;
   ``hold`` likewise names an amber one.
3. ``review`` — 6 weeks or more since the programme started (or since the last
   clearance), and either the latest self-check, taken 6 weeks or more after the first,
   shows the knee score up by less than 10 and the worst pain in a week down by less
   than 2; or the average pain during exercise over the last 14 days is 4 or more and
   not at least 1 point below that of the programme's first 14 days. Book a
   physiotherapist's review; no pause.
4. ``progress_phase`` — at least 14 days in the phase, at least 6 sessions in the last
   14 days (today and the 13 days before), all green, none with next-morning pain above
   the pre-session pain; never offered from phase 3 or without a known phase.
5. ``progress_dose`` — the last three sessions are green and, in the latest one, an
   exercise was done at the top of its rep range in every set (all the sets its dose
   asks for; for hold-only work such as balance, the full hold time). The advice is
   each exercise's own "make it harder" lines from ``content/``; a hop moves on to the
   next hop (``progresses_to``), never to an ankle weight.
6. ``hold`` — anything else.

Both progressions also need the next-morning pain of every session they rely on, except
the latest (whose morning may not have come yet): an unknown morning cannot show the
knee had settled, and in doubt the app does not offer harder exercise.

Why this precedence: safety first, so a reason to see a clinician beats everything;
any sign of overload must stop progress, so stepping back beats the rest; a knee that
is not improving needs a review before anyone makes the exercises harder; moving to the
next phase replaces the whole exercise set (and its doses), and needs a longer, stricter
run of green sessions, so it beats adding load within the old phase.

Which sessions count (version 2). ``see_gp`` and ``step_back`` look at the current
phase *and* at every session of the last 14 days, whatever the phase: a red session
logged with a date before the phase started (a fresh self-check this morning, the
session was yesterday) must not be answered with "keep going". Advice to see a
clinician does not quietly expire inside a phase either; the deliberate ways out are a
clearance (sessions dated on or before the examination day no longer count for
``see_gp``; the caller passes it as ``programme_start``) or a fresh self-check, which
starts a new phase. The progress rules look at the current phase only.

Texts a physiotherapist may reword (titles, advice) are in
``content/recommendations.yaml``; reasons are built here from the data because they
name the sessions behind the advice.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import string
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecore import trends
from kneecore.content import (
    CONTENT_DIR,
    Exercise,
    Library,
    load_library,
    load_yaml_model,
)
from kneecore.models import ExerciseEntry, PhaseStart, SelfCheckResult, Session, Zone
from kneecore.pain import explain_zone, morning_zone, worst_of_latest_day, zone
from kneecore.words import format_day, join_words

Kind = Literal["see_gp", "step_back", "review", "progress_dose", "progress_phase", "hold"]
KINDS: tuple[Kind, ...] = (
    "see_gp",
    "step_back",
    "review",
    "progress_phase",
    "progress_dose",
    "hold",
)

#: Three red sessions inside this many calendar days means see a GP.
RED_WINDOW_DAYS = 14
RED_SESSIONS_FOR_GP = 3
#: step_back when this many of the last LAST_N sessions had next-morning pain above before.
MORNING_AMBER_SESSIONS = 2
LAST_N = 3
PHASE_MIN_DAYS = 14
PHASE_WINDOW_DAYS = 14
PHASE_MIN_SESSIONS = 6
LAST_PHASE = 3
#: Week-on-week rise in average pain (points) shown as a trend warning.
TREND_RISE = trends.WEEK_RISE_POINTS
#: review: from this many days after the programme start (or the last clearance).
REVIEW_AFTER_DAYS = 42
#: review (a): a knee score gain below this, with a worst-week drop below the next.
REVIEW_AKPS_GAIN = 10
REVIEW_WORST_DROP = 2
#: review (b): average pain during exercise over REVIEW_WINDOW_DAYS at or above this,
#: and not at least REVIEW_PAIN_DROP below the programme's first REVIEW_WINDOW_DAYS.
REVIEW_PAIN = 4
REVIEW_PAIN_DROP = 1
REVIEW_WINDOW_DAYS = 14
#: Today asks for a self-check when none was saved in this many days (from 6 weeks).
SELFCHECK_EVERY_DAYS = 14
RECOMMENDATIONS_FILE = "recommendations.yaml"


class Recommendation(BaseModel):
    """One piece of advice, with the reason in plain words and the sessions behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    title: str
    reason: str
    session_ids: list[str] = Field(default_factory=list)
    trend_warning: str | None = None
    #: What to do, in plain words (from content/recommendations.yaml).
    advice: str = ""
    #: For progress_dose: the exercises done at the top of their range.
    exercise_ids: list[str] = Field(default_factory=list)


def session_zone(session: Session) -> Zone:
    """The session's Pain Monitoring Model zone (during exercise and next morning)."""
    return zone(session.pain_during, session.pain_before, session.pain_next_morning)


def days_in_phase(start: PhaseStart, today: dt.date) -> int:
    """Whole days since the phase started: 0 on its first day, 14 two weeks later.

    The one count of days in a phase, as the 14-day rule uses it; the Today page and the
    report show this number too (the analytics summary counts the same way).
    """
    return (today - start.started).days


def _morning_worse(session: Session) -> bool:
    return morning_zone(session.pain_before, session.pain_next_morning) != "green"


def _flagged(session: Session) -> bool:
    return session.swelling or session.locking or session.giving_way


def _morning_missing(sessions: Sequence[Session], latest: Session) -> list[Session]:
    """Sessions other than ``latest`` whose next-morning pain was never entered.

    Progress needs every session it relies on to be green *and settled by the next
    morning*; an unknown morning cannot show that, so it blocks progress (safety first:
    in doubt, no harder exercise). The latest session is exempt: its morning may not
    have come yet, and a sore morning entered later turns the advice into a step back.
    """
    return [s for s in sessions if s is not latest and s.pain_next_morning is None]


def pain_words(pain: float) -> str:
    """The usual words for a 0 to 10 pain level: none, mild, moderate or severe."""
    if pain <= 0:
        return "no pain"
    if pain < 4:
        return "mild"
    if pain < 7:
        return "moderate"
    return "severe"


# -- sequences: the hops -----------------------------------------------------------------


def sequences(library: Library) -> list[list[Exercise]]:
    """The chains of exercises that take one another's place (``progresses_to``).

    In the shipped content there is one: double-leg, single-leg, then diagonal hops.
    """
    targets = {e.progresses_to for e in library.exercises if e.progresses_to}
    chains: list[list[Exercise]] = []
    for head in library.exercises:
        if head.progresses_to is None or head.id in targets:
            continue
        chain, seen = [head], {head.id}
        # The loader refuses loops; ``seen`` guards a library built by hand.
        while chain[-1].progresses_to and chain[-1].progresses_to not in seen:
            try:
                chain.append(library.exercise(chain[-1].progresses_to))
            except KeyError:
                break
            seen.add(chain[-1].id)
        chains.append(chain)
    return chains


def previous_step(library: Library, exercise_id: str) -> Exercise | None:
    """The exercise whose ``progresses_to`` is ``exercise_id`` (the easier hop), if any."""
    for exercise in library.exercises:
        if exercise.progresses_to == exercise_id:
            return exercise
    return None


def _entry_at_top(session: Session, exercise: Exercise) -> bool:
    return any(
        e.exercise_id == exercise.id and at_top_of_range(e, exercise) for e in session.exercises
    )


def hops_reached(sessions: Sequence[Session], library: Library) -> list[str]:
    """The ids of the hops (sequence exercises) the log form may offer, easiest first.

    The first of each sequence (double-leg hops) always. The next one once the advice
    after a session would have moved on to it: that session and the two before it green
    (the earlier two with next-morning pain entered), no swelling, locking or giving way
    and fewer than three red sessions in the 14 days up to it, and the latest hop
    reached done at the top of its range in it. A session that calls for a step back
    (red, a knee problem, or two of the last three sore next morning) takes the last
    hop reached away again. The whole history is replayed, so a next-morning pain
    entered later is taken into account.
    """
    chains = sequences(library)
    if not chains:
        return []
    levels = [0] * len(chains)
    ordered = sorted(sessions, key=lambda s: s.date)
    # Each session's zone and morning once: the windows below look at each three times,
    # and a five-year log has thousands of sessions.
    zones = [session_zone(s) for s in ordered]
    sore_mornings = [_morning_worse(s) for s in ordered]
    flag_days: list[dt.date] = []  # swelling, locking or giving way, for the look-back
    red_days: list[dt.date] = []
    for i, session in enumerate(ordered):
        first = max(0, i - LAST_N + 1)
        last = ordered[first : i + 1]
        red = zones[i] == "red"
        if red:
            red_days.append(session.date)
        if _flagged(session):
            flag_days.append(session.date)
        sore = sum(sore_mornings[first : i + 1]) >= MORNING_AMBER_SESSIONS
        if red or _flagged(session) or sore:
            levels = [max(0, level - 1) for level in levels]
            continue
        if len(last) < LAST_N or any(z != "green" for z in zones[first : i + 1]):
            continue
        if _morning_missing(last, session):
            continue
        since = session.date - dt.timedelta(days=RED_WINDOW_DAYS - 1)
        reds = len(red_days) - bisect.bisect_left(red_days, since)
        if reds >= RED_SESSIONS_FOR_GP or (flag_days and flag_days[-1] >= since):
            continue
        for k, chain in enumerate(chains):
            if levels[k] + 1 < len(chain) and _entry_at_top(session, chain[levels[k]]):
                levels[k] += 1
    return [e.id for k, chain in enumerate(chains) for e in chain[: levels[k] + 1]]


# -- texts from content/ ---------------------------------------------------------------


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3, max_length=80)
    advice: str = Field(min_length=10, max_length=600)


class _SeeGpText(_Text):
    #: Shown when the plan is paused (clinical-rules.md section 6).
    paused_advice: str = Field(min_length=10, max_length=600)


class _StepBackText(_Text):
    lowest_dose: str = Field(min_length=10, max_length=400)
    lowest_dose_phase_1: str = Field(min_length=10, max_length=400)
    #: A hop steps back to the hop before it: "{exercise}: go back to {previous} ...".
    previous_step: str = Field(min_length=10, max_length=400)


class _ProgressDoseText(_Text):
    #: Said of an exercise at the top of its range that lists no harder version.
    no_progression: str = Field(min_length=10, max_length=400)


class RecommendationTexts(BaseModel):
    """Titles and advice per recommendation, as a physiotherapist wrote them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    see_gp: _SeeGpText
    step_back: _StepBackText
    review: _Text
    progress_dose: _ProgressDoseText
    progress_phase: _Text
    hold: _Text

    @model_validator(mode="after")
    def _placeholders_known(self) -> RecommendationTexts:
        allowed = {
            "step_back.lowest_dose": {"previous_phase"},
            "step_back.previous_step": {"exercise", "previous"},
            "progress_phase.advice": {"next_phase"},
        }
        for kind in KINDS:
            text = getattr(self, kind)
            for name, value in text.model_dump().items():
                where = f"{kind}.{name}"
                used = {f for _, f, _, _ in string.Formatter().parse(value) if f is not None}
                unknown = used - allowed.get(where, set())
                if unknown:
                    raise ValueError(
                        f"{where}: unknown placeholder {{{sorted(unknown)[0]}}}; "
                        f"allowed here: {sorted(allowed.get(where, set())) or 'none'}"
                    )
        return self

    def text(self, kind: Kind) -> _Text:
        text: _Text = getattr(self, kind)
        return text


def load_texts(path: str | Path | None = None) -> RecommendationTexts:
    """Load and validate ``content/recommendations.yaml`` (or ``path``)."""
    if path is None:
        return _default_texts()
    return _load_texts(Path(path))


@functools.cache
def _default_texts() -> RecommendationTexts:
    return _load_texts(CONTENT_DIR / RECOMMENDATIONS_FILE)


def _load_texts(file: Path) -> RecommendationTexts:
    return load_yaml_model(file, RecommendationTexts)


@functools.cache
def _default_library() -> Library:
    return load_library()


# -- the rules -------------------------------------------------------------------------


class _Context:
    """What every rule needs: the sessions it may look at (oldest first), today, texts."""

    def __init__(
        self,
        sessions: list[Session],
        phase_start: PhaseStart | None,
        today: dt.date,
        library: Library,
        texts: RecommendationTexts,
    ) -> None:
        #: The current phase's sessions: what the progress rules look at.
        self.sessions = sessions
        #: What see_gp and step_back look at: the phase's plus the last 14 days'.
        self.window = sessions
        #: What the see_gp rules look at: ``window`` less what a clearance covered.
        self.warning_window = sessions
        #: The session just saved, if the caller said which (it counts as the latest).
        self.logged: Session | None = None
        self.phase_start = phase_start
        self.today = today
        self.library = library
        self.texts = texts
        #: For review: everything up to today, the self-checks, the programme start.
        self.all_sessions = sessions
        self.selfchecks: list[SelfCheckResult] = []
        self.programme_start: dt.date | None = None

    def day(self, session: Session) -> str:
        return format_day(session.date, self.today)

    def days(self, sessions: Sequence[Session]) -> str:
        """The days of ``sessions``, each named once (two sessions on 30 Nov: "30 Nov")."""
        return join_words(list(dict.fromkeys(self.day(s) for s in sessions)))

    def which(self, session: Session, among: Sequence[Session]) -> str:
        """``session`` as the start of a sentence: "Your latest session, on 30 Nov," or,
        with other sessions that day, "One of your sessions on 30 Nov"."""
        if sum(s.date == session.date for s in among) > 1:
            return f"One of your sessions on {self.day(session)}"
        return f"Your latest session, on {self.day(session)},"

    def make(
        self, kind: Kind, reason: str, sessions: Sequence[Session], **extra: Any
    ) -> Recommendation:
        text = self.texts.text(kind)
        return Recommendation(
            kind=kind,
            title=text.title,
            reason=reason,
            session_ids=[s.id for s in sessions],
            advice=extra.pop("advice", text.advice),
            **extra,
        )


_FLAG_WORDS = {"swelling": "new swelling", "locking": "locking", "giving_way": "giving way"}


def _see_gp(ctx: _Context) -> Recommendation | None:
    flagged = [s for s in ctx.warning_window if _flagged(s)]
    if flagged:
        parts = []
        for s in flagged:
            words = [w for f, w in _FLAG_WORDS.items() if getattr(s, f)]
            parts.append(f"{join_words(words)} on {ctx.day(s)}")
        reason = (
            f"You reported {join_words(parts)}. Swelling, locking or giving way needs a "
            "professional check."
        )
        return ctx.make("see_gp", reason, flagged)
    reds = [s for s in ctx.warning_window if session_zone(s) == "red"]
    # Slide over the red sessions: any RED_SESSIONS_FOR_GP of them inside one window.
    for i in range(len(reds) - RED_SESSIONS_FOR_GP + 1):
        group = reds[i : i + RED_SESSIONS_FOR_GP]
        if (group[-1].date - group[0].date).days < RED_WINDOW_DAYS:
            # Name every red session of that window, not just the first three.
            end = group[0].date + dt.timedelta(days=RED_WINDOW_DAYS - 1)
            group = [s for s in reds[i:] if s.date <= end]
            # Each day is named once; the count says so when a day had more than one.
            who = f"Sessions on {ctx.days(group)}"
            if len({s.date for s in group}) < len(group):
                who = f"{len(group)} sessions on {ctx.days(group)}"
            reason = f"{who} were red (too much pain) within {RED_WINDOW_DAYS} days."
            return ctx.make("see_gp", reason, group)
    return None


def _dose_at_lowest(session: Session, library: Library) -> bool:
    """No load, no band, and no more reps than the bottom of each exercise's range.

    A hop with an easier hop before it is not at its lowest: it can step back to that one.
    """
    for entry in session.exercises:
        if entry.load_kg or entry.band is not None:
            return False
        try:
            dose = library.exercise(entry.exercise_id).dose
        except KeyError:
            return False
        if any(r > dose.reps_min for r in entry.reps):
            return False
        if previous_step(library, entry.exercise_id) is not None:
            return False
    return True


def _previous_hops(session: Session, ctx: _Context) -> list[str]:
    """Lines sending each hop of ``session`` back to the easier hop before it."""
    lines = []
    for entry in session.exercises:
        before = previous_step(ctx.library, entry.exercise_id)
        if before is None:
            continue
        name = ctx.library.exercise(entry.exercise_id).name
        line = ctx.texts.step_back.previous_step.format(exercise=name, previous=before.name)
        if line not in lines:
            lines.append(line)
    return lines


def _step_back(ctx: _Context) -> Recommendation | None:
    if not ctx.window:
        return None
    # The latest day's worst session: a red one is not hidden by a green one after it.
    latest = worst_of_latest_day(ctx.window, session_zone) or ctx.window[-1]
    if ctx.logged is not None and session_zone(ctx.logged) == "red":
        latest = ctx.logged
    phase = ctx.phase_start.phase if ctx.phase_start else None
    texts = ctx.texts.step_back

    def advice_for(session: Session) -> str:
        advice = texts.advice
        if _dose_at_lowest(session, ctx.library):
            if phase is not None and phase > 1:
                advice = texts.lowest_dose.format(previous_phase=phase - 1)
            else:
                advice = texts.lowest_dose_phase_1
        hops = _previous_hops(session, ctx)
        return "\n\n".join([advice, *hops])

    if session_zone(latest) == "red":
        why = explain_zone(latest.pain_during, latest.pain_before, latest.pain_next_morning)
        if latest is ctx.logged and latest.date < ctx.window[-1].date:
            which = f"The session you just logged, for {ctx.day(latest)},"
        else:
            which = ctx.which(latest, ctx.window)
        reason = f"{which} was red. {why}"
        return ctx.make("step_back", reason, [latest], advice=advice_for(latest))
    last = ctx.window[-LAST_N:]
    sore_mornings = [s for s in last if _morning_worse(s)]
    if len(sore_mornings) >= MORNING_AMBER_SESSIONS:
        detail = join_words(
            [
                f"{ctx.day(s)} ({s.pain_before} before, {s.pain_next_morning} next morning)"
                for s in sore_mornings
            ]
        )
        reason = (
            f"{len(sore_mornings)} of your last {len(last)} sessions left the knee more "
            f"sore the next morning than before: {detail}."
        )
        return ctx.make("step_back", reason, sore_mornings, advice=advice_for(last[-1]))
    return None


def _mean(values: Sequence[int]) -> Fraction:
    # Exact: averages of 26/3 and 23/3 are one whole point apart (floats say 0.999...).
    return Fraction(sum(values), len(values))


def _show(value: Fraction) -> str:
    return f"{float(value):.1f}".removesuffix(".0")


def _worst_week(check: SelfCheckResult) -> int | None:
    value = check.answers.get("pain_worst_week")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _review_by_selfchecks(ctx: _Context) -> str | None:
    """(a) The latest self-check, 6 weeks or more after the first, shows too little change.

    Practice runs and results without a knee score are left out. When either worst-week
    pain is unknown, the knee score alone decides (in doubt, a review).
    """
    scored = [
        (c, c.akps)
        for c in ctx.selfchecks
        if not c.practice and c.akps is not None and c.date <= ctx.today
    ]
    scored.sort(key=lambda pair: pair[0].date)
    if len(scored) < 2:
        return None
    (first, score0), (latest, score1) = scored[0], scored[-1]
    if (latest.date - first.date).days < REVIEW_AFTER_DAYS:
        return None
    if score1 - score0 >= REVIEW_AKPS_GAIN:
        return None
    w0, w1 = _worst_week(first), _worst_week(latest)
    if w0 is not None and w1 is not None and w0 - w1 >= REVIEW_WORST_DROP:
        return None
    when = (
        f"Between your self-checks of {format_day(first.date, ctx.today)} and "
        f"{format_day(latest.date, ctx.today)}, your knee score went from {score0} to "
        f"{score1} out of 100"
    )
    if w0 is None or w1 is None:
        return f"{when}."
    return (
        f"{when}, and your worst pain in a week from {w0}/10 ({pain_words(w0)}) to "
        f"{w1}/10 ({pain_words(w1)})."
    )


def _review_by_sessions(ctx: _Context, start: dt.date) -> str | None:
    """(b) Pain during exercise over the last 14 days averages 4 or more and is not a
    point below the programme's first 14 days. With no session in those first days
    there is nothing to show it got better, so the level alone decides."""
    recent_from = ctx.today - dt.timedelta(days=REVIEW_WINDOW_DAYS - 1)
    recent = [s.pain_during for s in ctx.all_sessions if s.date >= recent_from]
    if not recent or _mean(recent) < REVIEW_PAIN:
        return None
    now = _mean(recent)
    first_until = start + dt.timedelta(days=REVIEW_WINDOW_DAYS - 1)
    early = [s.pain_during for s in ctx.all_sessions if start <= s.date <= first_until]
    sentence = (
        f"Over the last {REVIEW_WINDOW_DAYS} days your pain during exercise averaged "
        f"{_show(now)}/10 ({pain_words(float(now))})"
    )
    if not early:
        return f"{sentence}, and there are no sessions from your first two weeks to compare."
    before = _mean(early)
    if before - now >= REVIEW_PAIN_DROP:
        return None
    return (
        f"{sentence}; in your first two weeks, from {format_day(start, ctx.today)}, it "
        f"averaged {_show(before)}/10."
    )


def _review(ctx: _Context) -> Recommendation | None:
    start = ctx.programme_start
    if start is None and ctx.phase_start is not None:
        start = ctx.phase_start.started
    if start is None or (ctx.today - start).days < REVIEW_AFTER_DAYS:
        return None
    found = [r for r in (_review_by_selfchecks(ctx), _review_by_sessions(ctx, start)) if r]
    if not found:
        return None
    return ctx.make("review", " ".join(found), [])


def _recent(ctx: _Context, days: int) -> list[Session]:
    first = ctx.today - dt.timedelta(days=days - 1)
    return [s for s in ctx.sessions if s.date >= first]


def _progress_phase(ctx: _Context) -> Recommendation | None:
    start = ctx.phase_start
    if start is None or start.phase >= LAST_PHASE:
        return None
    if days_in_phase(start, ctx.today) < PHASE_MIN_DAYS:
        return None
    recent = _recent(ctx, PHASE_WINDOW_DAYS)
    if len(recent) < PHASE_MIN_SESSIONS:
        return None
    if any(session_zone(s) != "green" or _morning_worse(s) for s in recent):
        return None
    if _morning_missing(recent, ctx.sessions[-1]):
        return None
    days_in = days_in_phase(start, ctx.today)
    reason = (
        f"You have been in phase {start.phase} for {days_in} days, and all {len(recent)} "
        f"sessions of the last {PHASE_WINDOW_DAYS} days ({ctx.days(recent)}) were green, "
        "with no more pain the next morning than before."
    )
    advice = ctx.texts.progress_phase.advice.format(next_phase=start.phase + 1)
    return ctx.make("progress_phase", reason, recent, advice=advice)


def at_top_of_range(entry: ExerciseEntry, exercise: Exercise) -> bool:
    """Done at the top of the rep range in all the sets the dose asks for.

    For hold-only work (one rep a set, such as balance) the top is the full hold time.
    """
    dose = exercise.dose
    if entry.sets < dose.sets or any(r < dose.reps_max for r in entry.reps):
        return False
    if dose.hold_s is not None and dose.reps_max == 1:
        return entry.hold_s is not None and entry.hold_s >= dose.hold_s
    return True


def next_steps(exercises: Sequence[Exercise], texts: RecommendationTexts) -> str:
    """Each exercise with its own way to make it harder, from its ``progressions``.

    A hop's progressions name the next hop (the loader checks it), so no hop is ever
    told to take an ankle weight.
    """
    lines = []
    for exercise in exercises:
        step = " ".join(exercise.progressions) or texts.progress_dose.no_progression
        lines.append(f"- **{exercise.name}**: {step}")
    return "\n".join(lines)


def _progress_dose(ctx: _Context) -> Recommendation | None:
    last = ctx.sessions[-LAST_N:]
    if len(last) < LAST_N or any(session_zone(s) != "green" for s in last):
        return None
    # Three green in a row after an amber one the same day: that day is still amber.
    worst_today = worst_of_latest_day(ctx.sessions, session_zone)
    if worst_today is not None and session_zone(worst_today) != "green":
        return None
    latest = last[-1]
    if _morning_missing(last, latest):
        return None
    top: list[Exercise] = []
    for entry in latest.exercises:
        try:
            exercise = ctx.library.exercise(entry.exercise_id)
        except KeyError:
            continue
        if at_top_of_range(entry, exercise) and exercise not in top:
            top.append(exercise)
    if not top:
        return None
    names = join_words([e.name for e in top])
    reason = (
        f"Your last three sessions ({ctx.days(last)}) were green, and on "
        f"{ctx.day(latest)} you did {names} at the top of the range in every set."
    )
    advice = f"{next_steps(top, ctx.texts)}\n\n{ctx.texts.progress_dose.advice}"
    return ctx.make("progress_dose", reason, last, exercise_ids=[e.id for e in top], advice=advice)


def _hold(ctx: _Context) -> Recommendation:
    if not ctx.sessions:
        return ctx.make("hold", "No sessions logged in this phase yet.", [])
    latest = ctx.sessions[-1]
    # The day's light is its worst session's: an amber one is not hidden by a green one.
    worst_today = worst_of_latest_day(ctx.sessions, session_zone) or latest
    latest_zone = session_zone(worst_today)
    last = ctx.sessions[-LAST_N:]
    if latest_zone != "green":
        s = worst_today
        why = explain_zone(s.pain_during, s.pain_before, s.pain_next_morning)
        reason = (
            f"{ctx.which(s, ctx.sessions)} was {latest_zone}: hold the dose until "
            f"sessions are green again. {why}"
        )
        return ctx.make("hold", reason, [s])
    all_green = len(last) == LAST_N and all(session_zone(s) == "green" for s in last)
    if all_green:
        reason = f"Your recent sessions, on {ctx.days(last)}, were green"
    else:
        reason = f"Your sessions on {ctx.day(latest)} were green"
        if sum(s.date == latest.date for s in ctx.sessions) == 1:
            reason = f"Your latest session, on {ctx.day(latest)}, was green"
    needs = []
    if not all_green:
        needs.append("three green sessions in a row")
    start = ctx.phase_start
    relied_on = list(last)
    if start is not None and start.phase < LAST_PHASE:
        relied_on += [s for s in _recent(ctx, PHASE_WINDOW_DAYS) if s not in relied_on]
    missing = sorted(_morning_missing(relied_on, latest), key=lambda s: s.date)
    if missing:
        needs.append(f"next-morning pain entered for {ctx.days(missing)}")
    if start is not None and start.phase < LAST_PHASE:
        days_in = days_in_phase(start, ctx.today)
        recent = _recent(ctx, PHASE_WINDOW_DAYS)
        if days_in < PHASE_MIN_DAYS:
            needs.append(f"{PHASE_MIN_DAYS} days in this phase (you have {days_in})")
        if len(recent) < PHASE_MIN_SESSIONS:
            needs.append(
                f"{PHASE_MIN_SESSIONS} green sessions in the last {PHASE_WINDOW_DAYS} days "
                f"(you have {len(recent)})"
            )
    if needs:
        reason += f". Before moving on you need {join_words(needs)}."
    else:
        reason += "."
    return ctx.make("hold", reason, last)


def session_warning(
    sessions: Sequence[Session],
    today: dt.date | None = None,
    library: Library | None = None,
) -> Recommendation | None:
    """The ``see_gp`` rule on exactly these sessions, or None.

    A session reported swelling, locking or giving way, or three were red within 14
    days. The caller chooses which sessions count (``kneecore.safety`` passes those
    after the latest clearance or clean self-check); sessions after ``today`` are
    ignored.
    """
    today = today or dt.date.today()
    upto = sorted((s for s in sessions if s.date <= today), key=lambda s: s.date)
    ctx = _Context(upto, None, today, library or _default_library(), load_texts())
    return _see_gp(ctx)


_RULES: tuple[Callable[[_Context], Recommendation | None], ...] = (
    _see_gp,
    _step_back,
    _review,
    _progress_phase,
    _progress_dose,
)


def trend_warning(sessions: Sequence[Session], today: dt.date) -> str | None:
    """A week-on-week rise of 1 point or more in average pain during exercise.

    This week is today and the 6 days before; last week the 7 days before that. Both
    need a session. All sessions count, not only the current phase's: pain that climbs
    right after a phase change is exactly what this warning is for.
    """
    # The rule and its words live in kneecore.trends, shared with Progress and the report.
    return trends.rise_warning(trends.pain_readings(sessions), today)


def _paused(reasons: Sequence[str], texts: RecommendationTexts) -> Recommendation:
    """The plan is paused (section 6): see a GP, in the words of the pause itself."""
    reason = " ".join(r for r in reasons if r.strip()) or (
        "Your plan is paused because of a warning sign."
    )
    return Recommendation(
        kind="see_gp",
        title=texts.see_gp.title,
        reason=reason,
        advice=texts.see_gp.paused_advice,
    )


def recommend(
    sessions: Sequence[Session],
    phase_start: PhaseStart | None,
    today: dt.date | None = None,
    library: Library | None = None,
    *,
    selfchecks: Sequence[SelfCheckResult] = (),
    programme_start: dt.date | None = None,
    pause: Sequence[str] | None = None,
    logged: str | None = None,
    see_gp_from: dt.date | None = None,
) -> Recommendation:
    """The advice now; see the module docstring for the rules.

    ``sessions`` is every session (any order); sessions dated after ``today`` are
    ignored. ``selfchecks`` are the saved self-checks (for ``review``).
    ``programme_start`` is the later of the first phase start and the latest
    clearance's examination date (None: the current phase start); the six-week review
    counts from it, and when it falls inside the current phase (a clearance) sessions
    dated on or before it no longer count for ``see_gp``. ``pause``, when not None,
    means the plan is paused (``kneecore.safety.plan_status``) and holds its reasons:
    the advice is then ``see_gp`` with those reasons, even if the list is empty.
    ``logged`` is the id of the session just saved: if it is red, the advice is a step
    back whatever its date, so saving a red session never gets "keep going".
    ``see_gp_from``: sessions dated before this day no longer count for ``see_gp``
    (a clean self-check or a clearance answered them); ``kneecore.safety`` passes the
    same day its pause uses, so the advice and the pause never disagree.
    """
    today = today or dt.date.today()
    library = library or _default_library()
    texts = load_texts()
    # A stable sort keeps same-day sessions in the order they were logged.
    upto = sorted((s for s in sessions if s.date <= today), key=lambda s: s.date)
    if pause is not None:
        result = _paused(pause, texts)
    else:
        result = _advise(
            upto,
            phase_start,
            today,
            library,
            texts,
            selfchecks,
            programme_start,
            logged,
            see_gp_from,
        )
    warning = trend_warning(upto, today)
    return result.model_copy(update={"trend_warning": warning}) if warning else result


def _advise(
    upto: list[Session],
    phase_start: PhaseStart | None,
    today: dt.date,
    library: Library,
    texts: RecommendationTexts,
    selfchecks: Sequence[SelfCheckResult],
    programme_start: dt.date | None,
    logged: str | None,
    see_gp_from: dt.date | None = None,
) -> Recommendation:
    current = [s for s in upto if phase_start is None or s.date >= phase_start.started]
    ctx = _Context(current, phase_start, today, library, texts)
    # see_gp and step_back also look back over the last 14 days whatever the phase: a
    # fresh self-check that starts a new phase must not wipe out last week's red or
    # swollen sessions, nor hide a red session logged with yesterday's date.
    if phase_start is not None:
        window_start = min(today - dt.timedelta(days=RED_WINDOW_DAYS - 1), phase_start.started)
        ctx.window = [s for s in upto if s.date >= window_start]
    else:
        ctx.window = upto
    ctx.logged = next((s for s in upto if s.id == logged), None) if logged else None
    if ctx.logged is not None and ctx.logged not in ctx.window:
        ctx.window = sorted([*ctx.window, ctx.logged], key=lambda s: s.date)
    # A clearance inside the current phase (or with no phase yet) covers what came
    # before it: those sessions were what the clinician examined.
    cleared = programme_start is not None and (
        phase_start is None or programme_start > phase_start.started
    )
    ctx.warning_window = (
        [s for s in ctx.window if programme_start is not None and s.date > programme_start]
        if cleared
        else ctx.window
    )
    if see_gp_from is not None:
        ctx.warning_window = [s for s in ctx.warning_window if s.date >= see_gp_from]
    ctx.all_sessions = upto
    ctx.selfchecks = list(selfchecks)
    ctx.programme_start = programme_start
    for rule in _RULES:
        result = rule(ctx)
        if result is not None:
            return result
    return _hold(ctx)


def selfcheck_due(
    selfchecks: Sequence[SelfCheckResult],
    programme_start: dt.date | None,
    today: dt.date | None = None,
) -> bool:
    """Today asks for a self-check: 6 weeks or more since the programme start (or the
    last clearance) and no saved self-check (practice runs do not count) in the last
    14 days, today included."""
    today = today or dt.date.today()
    if programme_start is None or (today - programme_start).days < REVIEW_AFTER_DAYS:
        return False
    since = today - dt.timedelta(days=SELFCHECK_EVERY_DAYS - 1)
    return not any(not c.practice and since <= c.date <= today for c in selfchecks)
