"""Progression and regression advice after each session (clinical-rules.md section 4).

:func:`recommend` looks at the sessions of the current phase and returns one
:class:`Recommendation`. The rules, checked in this order (the first that applies wins):

1. ``see_gp`` — a session of the current phase reported new swelling, locking or giving
   way, or three sessions of the current phase were red within 14 days (the first and
   the third no more than 13 days apart, i.e. inside one 14-calendar-day window).
2. ``step_back`` — the latest session is red, or two of the last three were amber (or
   worse) because of next-morning pain.
3. ``progress_phase`` — at least 14 days in the phase, at least 6 sessions in the last
   14 days (today and the 13 days before), all green, none with next-morning pain above
   the pre-session pain; never offered from phase 3 or without a known phase.
4. ``progress_dose`` — the last three sessions are green and, in the latest one, an
   exercise was done at the top of its rep range in every set (all the sets its dose
   asks for; for hold-only work such as balance, the full hold time).
5. ``hold`` — anything else.

Both progressions also need the next-morning pain of every session they rely on, except
the latest (whose morning may not have come yet): an unknown morning cannot show the
knee had settled, and in doubt the app does not offer harder exercise.

Why this precedence: safety first, so a reason to see a clinician beats everything;
any sign of overload must stop progress, so stepping back beats both progressions;
moving to the next phase replaces the whole exercise set (and its doses), and needs a
longer, stricter run of green sessions, so it beats adding load within the old phase.

Decision on the safety window (the spec says "a session", without a window): the
see_gp rules look at the whole current phase, not only the last few days. Advice to see
a clinician must not quietly expire because time passed or because a few easier
sessions followed. The way out is deliberate: after being checked, the person redoes the
self-check, which starts a new phase (on a later day) and so a fresh set of sessions.

Texts a physiotherapist may reword (titles, advice) are in
``content/recommendations.yaml``; reasons are built here from the data because they
name the sessions behind the advice.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecore.content import (
    CONTENT_DIR,
    Exercise,
    Library,
    load_library,
    load_yaml_model,
)
from kneecore.models import ExerciseEntry, PhaseStart, Session, Zone
from kneecore.pain import explain_zone, morning_zone, zone
from kneecore.words import format_day, join_words

Kind = Literal["see_gp", "step_back", "progress_dose", "progress_phase", "hold"]
KINDS: tuple[Kind, ...] = ("see_gp", "step_back", "progress_phase", "progress_dose", "hold")

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
TREND_RISE = 1.0
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


def _morning_missing(sessions: Sequence[Session], latest: Session) -> list[Session]:
    """Sessions other than ``latest`` whose next-morning pain was never entered.

    Progress needs every session it relies on to be green *and settled by the next
    morning*; an unknown morning cannot show that, so it blocks progress (safety first:
    in doubt, no harder exercise). The latest session is exempt: its morning may not
    have come yet, and a sore morning entered later turns the advice into a step back.
    """
    return [s for s in sessions if s is not latest and s.pain_next_morning is None]


# -- texts from content/ ---------------------------------------------------------------


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3, max_length=80)
    advice: str = Field(min_length=10, max_length=600)


class _StepBackText(_Text):
    lowest_dose: str = Field(min_length=10, max_length=400)
    lowest_dose_phase_1: str = Field(min_length=10, max_length=400)


class RecommendationTexts(BaseModel):
    """Titles and advice per recommendation, as a physiotherapist wrote them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    see_gp: _Text
    step_back: _StepBackText
    progress_dose: _Text
    progress_phase: _Text
    hold: _Text

    @model_validator(mode="after")
    def _placeholders_known(self) -> RecommendationTexts:
        allowed = {
            "step_back.lowest_dose": {"previous_phase"},
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
    """What every rule needs: the phase's sessions (oldest first), today, texts."""

    def __init__(
        self,
        sessions: list[Session],
        phase_start: PhaseStart | None,
        today: dt.date,
        library: Library,
        texts: RecommendationTexts,
    ) -> None:
        self.sessions = sessions
        #: Sessions the three-reds rule looks at: the phase's plus the last 14 days'.
        self.red_candidates = sessions
        self.phase_start = phase_start
        self.today = today
        self.library = library
        self.texts = texts

    def day(self, session: Session) -> str:
        return format_day(session.date, self.today)

    def days(self, sessions: Sequence[Session]) -> str:
        return join_words([self.day(s) for s in sessions])

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
    flagged = [s for s in ctx.sessions if s.swelling or s.locking or s.giving_way]
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
    reds = [s for s in ctx.red_candidates if session_zone(s) == "red"]
    # Slide over the red sessions: any RED_SESSIONS_FOR_GP of them inside one window.
    for i in range(len(reds) - RED_SESSIONS_FOR_GP + 1):
        group = reds[i : i + RED_SESSIONS_FOR_GP]
        if (group[-1].date - group[0].date).days < RED_WINDOW_DAYS:
            # Name every red session of that window, not just the first three.
            end = group[0].date + dt.timedelta(days=RED_WINDOW_DAYS - 1)
            group = [s for s in reds[i:] if s.date <= end]
            reason = (
                f"Sessions on {ctx.days(group)} were red (too much pain) within "
                f"{RED_WINDOW_DAYS} days."
            )
            return ctx.make("see_gp", reason, group)
    return None


def _dose_at_lowest(session: Session, library: Library) -> bool:
    """No load, no band, and no more reps than the bottom of each exercise's range."""
    for entry in session.exercises:
        if entry.load_kg or entry.band is not None:
            return False
        try:
            dose = library.exercise(entry.exercise_id).dose
        except KeyError:
            return False
        if any(r > dose.reps_min for r in entry.reps):
            return False
    return True


def _step_back(ctx: _Context) -> Recommendation | None:
    if not ctx.sessions:
        return None
    latest = ctx.sessions[-1]
    phase = ctx.phase_start.phase if ctx.phase_start else None
    texts = ctx.texts.step_back
    advice = texts.advice
    if _dose_at_lowest(latest, ctx.library):
        if phase is not None and phase > 1:
            advice = texts.lowest_dose.format(previous_phase=phase - 1)
        else:
            advice = texts.lowest_dose_phase_1
    if session_zone(latest) == "red":
        why = explain_zone(latest.pain_during, latest.pain_before, latest.pain_next_morning)
        reason = f"Your latest session, on {ctx.day(latest)}, was red. {why}"
        return ctx.make("step_back", reason, [latest], advice=advice)
    last = ctx.sessions[-LAST_N:]
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
        return ctx.make("step_back", reason, sore_mornings, advice=advice)
    return None


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


def _progress_dose(ctx: _Context) -> Recommendation | None:
    last = ctx.sessions[-LAST_N:]
    if len(last) < LAST_N or any(session_zone(s) != "green" for s in last):
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
    return ctx.make("progress_dose", reason, last, exercise_ids=[e.id for e in top])


def _hold(ctx: _Context) -> Recommendation:
    if not ctx.sessions:
        return ctx.make("hold", "No sessions logged in this phase yet.", [])
    latest = ctx.sessions[-1]
    latest_zone = session_zone(latest)
    last = ctx.sessions[-LAST_N:]
    if latest_zone == "amber":
        why = explain_zone(latest.pain_during, latest.pain_before, latest.pain_next_morning)
        reason = (
            f"Your latest session, on {ctx.day(latest)}, was amber: hold the dose until "
            f"sessions are green again. {why}"
        )
        return ctx.make("hold", reason, [latest])
    reason = f"Your recent sessions ({ctx.days(last)}) were within the safe range"
    needs = []
    if len(last) < LAST_N or any(session_zone(s) != "green" for s in last):
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
    _progress_phase,
    _progress_dose,
)


def trend_warning(sessions: Sequence[Session], today: dt.date) -> str | None:
    """A week-on-week rise of 1 point or more in average pain during exercise.

    This week is today and the 6 days before; last week the 7 days before that. Both
    need a session. All sessions count, not only the current phase's: pain that climbs
    right after a phase change is exactly what this warning is for.
    """
    this_week = [s.pain_during for s in sessions if 0 <= (today - s.date).days <= 6]
    last_week = [s.pain_during for s in sessions if 7 <= (today - s.date).days <= 13]
    if not this_week or not last_week:
        return None
    now = sum(this_week) / len(this_week)
    before = sum(last_week) / len(last_week)
    if now - before < TREND_RISE:
        return None
    return (
        f"Your average pain during exercise rose from {before:.1f}/10 last week to "
        f"{now:.1f}/10 this week. Watch it: if it keeps rising, ease the dose."
    )


def recommend(
    sessions: Sequence[Session],
    phase_start: PhaseStart | None,
    today: dt.date | None = None,
    library: Library | None = None,
) -> Recommendation:
    """The advice after the latest session; see the module docstring for the rules.

    ``sessions`` is every session (any order); the rules use those of the current phase
    (dated on or after ``phase_start.started``, or all when there is no phase yet) and
    ignore any dated after ``today``.
    """
    today = today or dt.date.today()
    # A stable sort keeps same-day sessions in the order they were logged.
    upto = sorted((s for s in sessions if s.date <= today), key=lambda s: s.date)
    current = [s for s in upto if phase_start is None or s.date >= phase_start.started]
    # Red sessions are counted over the last 14 days whatever the phase: a fresh
    # self-check that starts a new phase must not wipe out two red sessions of last week
    # (safety first; the other rules look at the current phase only, as specified).
    window_start = today - dt.timedelta(days=RED_WINDOW_DAYS - 1)
    if phase_start is not None:
        window_start = min(window_start, phase_start.started)
    recent = [s for s in upto if phase_start is None or s.date >= window_start]
    ctx = _Context(current, phase_start, today, library or _default_library(), load_texts())
    ctx.red_candidates = recent
    result: Recommendation | None = None
    for rule in _RULES:
        result = rule(ctx)
        if result is not None:
            break
    if result is None:
        result = _hold(ctx)
    warning = trend_warning(upto, today)
    return result.model_copy(update={"trend_warning": warning}) if warning else result


# -- how a page shows it ---------------------------------------------------------------

Level = Literal["error", "warning", "success", "info"]
_LEVELS: dict[Kind, tuple[Level, str]] = {
    # Streamlit's bundled Material icons: they render even where no emoji font is installed.
    "see_gp": ("error", ":material/emergency:"),
    "step_back": ("warning", ":material/trending_down:"),
    "progress_phase": ("success", ":material/trending_up:"),
    "progress_dose": ("success", ":material/add_circle:"),
    "hold": ("info", ":material/pause_circle:"),
}


def presentation(rec: Recommendation) -> tuple[Level, str, str]:
    """(box level, icon, markdown body) so every page shows advice the same way."""
    level, icon = _LEVELS[rec.kind]
    body = f"**{rec.title}**\n\n{rec.reason}\n\n{rec.advice}".strip()
    return level, icon, body
