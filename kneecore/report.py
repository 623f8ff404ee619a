"""What the progress report says: the facts, the advice and the table rows, as plain data.

:func:`report_data` works out everything the report shows from the models (sessions,
self-checks, phases, clearances, warning records): who made it and when is for the
layout, but the facts (latest self-check, AKPS with its change, warning signs ever
reported by day and sign, clearances, the current phase, sessions and the pain trend),
the app's current advice (the plan pause while paused, ``kneecore.safety``), the rule
outcomes of :mod:`kneecore.trends` and the rows of the sessions table are here, testable
without a PDF. :mod:`kneecore.report_pdf` lays them out on paper.

Every word that is not data comes from ``content/report.yaml`` (:func:`load_texts`).
Pure: models in, a frozen :class:`ReportData` out; no store, no PDF, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from kneecore import progression, running_trends, safety, trends
from kneecore.content import CONTENT_DIR, ContentError, Library, load_yaml_model
from kneecore.models import (
    Clearance,
    ExerciseEntry,
    PhaseStart,
    Run,
    SelfCheckResult,
    Session,
    Zone,
)
from kneecore.pain import during_zone, morning_zone
from kneecore.progression import Recommendation, session_zone
from kneecore.running import zone_of
from kneecore.words import format_date, plural

#: The sessions table and the zone counts cover this many days, today included.
TABLE_DAYS = 28
#: "Warning signs ever reported" names at most this many days (the newest).
MAX_WARNING_DAYS = 8
#: At most this many table rows, newest first: even many sessions a day keep the report
#: within three pages.
MAX_TABLE_ROWS = 40
#: A note in the table is cut to this many characters.
MAX_NOTE_CHARS = 140
#: Every fact, and the advice's reason and steps, is cut to this many characters: the
#: store's text limits allow a self-check 100 reasons of 2,000 characters, which would
#: fill pages (and take the PDF library many seconds to lay out) for no reader.
MAX_FACT_CHARS = 600
#: A session's exercises in the table are cut to this many characters (the longest in
#: five demo years is 172; 40 exercises with long retired ids would make a row taller
#: than a page, which the PDF library refuses to draw).
MAX_EXERCISES_CHARS = 240
#: A warning sign, a goal or a side named from a stored answer or reason is cut to this.
MAX_NAME_CHARS = 80
#: "Warning signs ever reported" names at most this many signs a day.
MAX_SIGNS_A_DAY = 6
#: The clearances fact names at most this many (the newest).
MAX_CLEARANCES = 5
#: The running table shows this many of the newest runs.
MAX_RUN_ROWS = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Headings(_Strict):
    summary: str
    recommendation: str
    pain: str
    adherence: str
    sessions: str
    reading: str
    running: str


class Labels(_Strict):
    latest_check: str
    about: str
    home_tests: str
    function: str
    red_flags: str
    clearances: str
    phase: str
    phase_history: str
    sessions: str
    pain_trend: str
    patient_name: str
    date_of_birth: str


class Captions(_Strict):
    pain: str
    adherence: str
    sessions: str
    running_load: str
    running_level: str
    running_table: str


class ReportTexts(_Strict):
    """``content/report.yaml``: every word of the report that is not data."""

    app_name: str = Field(min_length=2)
    title: str = Field(min_length=3)
    subtitle: str = Field(min_length=3)
    notice_title: str = Field(min_length=3)
    notice: str = Field(min_length=20)
    empty_history: str = Field(min_length=10)
    headings: Headings
    labels: Labels
    urgency: dict[str, str]
    red_flags: dict[str, str]
    session_flags: dict[str, str]
    phase_sources: dict[str, str]
    zones: dict[str, str]
    captions: Captions
    reading: list[str] = Field(min_length=1)


@lru_cache(maxsize=4)
def load_texts(path: Path = CONTENT_DIR / "report.yaml") -> ReportTexts:
    """Load and validate the report texts; a broken file names the file and field."""
    name = f"content/{path.name}"
    texts = load_yaml_model(path, ReportTexts, name)
    for field, needed in (
        ("urgency", {"emergency", "gp_soon", "check_if_no_better", "none"}),
        ("zones", {"green", "amber", "red"}),
        ("session_flags", {"swelling", "locking", "giving_way"}),
    ):
        missing = needed - set(getattr(texts, field))
        if missing:
            raise ContentError(f"{name}: field '{field}': missing {sorted(missing)}")
    return texts


# -- small formatting helpers -------------------------------------------------------------


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "..." when cut."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def zone_text(session: Session, texts: ReportTexts) -> str:
    """The zone as a word, with what set it when it is not green (``Amber: next morning``)."""
    z = session_zone(session)
    word = texts.zones[z]
    if z == "green":
        return word
    causes = []
    if during_zone(session.pain_during) == z:
        causes.append("during")
    if morning_zone(session.pain_before, session.pain_next_morning) == z:
        causes.append("next morning")
    return f"{word}: {' and '.join(causes)}"


def _duration(days: int) -> str:
    if days == 0:
        return "started today"
    if days < 14:
        return plural(days, "day")
    if days < 120:
        return plural(days // 7, "week")
    return plural(round(days / 30.44), "month")


def describe_entry(entry: ExerciseEntry, library: Library) -> str:
    """One exercise as done, e.g. ``Bridge 3x12 +1 kg`` or ``Single-leg stance 3x30 s``."""
    try:
        exercise = library.exercise(entry.exercise_id)
        name, is_hold = exercise.name, exercise.dose.is_hold and exercise.dose.reps_max == 1
    except KeyError:
        name, is_hold = entry.exercise_id.replace("_", " "), False
    if is_hold and entry.hold_s:
        dose = f"{entry.sets}x{entry.hold_s:g} s"
    else:
        reps = (
            str(entry.reps[0])
            if len(set(entry.reps)) == 1
            else "/".join(str(r) for r in entry.reps)
        )
        dose = f"{entry.sets}x{reps}" if len(set(entry.reps)) == 1 else reps
        if entry.hold_s:
            dose += f" ({entry.hold_s:g} s hold)"
    extras = []
    if entry.load_kg:
        extras.append(f"+{entry.load_kg:g} kg")
    if entry.band:
        extras.append(f"{entry.band.replace('_', ' ')} band")
    if entry.side != "both":
        extras.append(entry.side)
    return " ".join([name, dose, *extras])


def session_exercises(session: Session, library: Library) -> str:
    """A session's exercises and doses on one line; repeats merged (``Quad set 1x12 (2 times)``)."""
    counts: dict[str, int] = {}
    for entry in session.exercises:
        text = describe_entry(entry, library)
        counts[text] = counts.get(text, 0) + 1
    text = "; ".join(f"{t} ({n} times)" if n > 1 else t for t, n in counts.items())
    return cut(text, MAX_EXERCISES_CHARS)


# -- what the report says ---------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One session as the sessions table shows it: words and numbers, no layout."""

    session_id: str
    date: dt.date
    #: The exercises and doses on one line (``session_exercises``).
    exercises: str
    #: Extra lines under the exercises: warning signs reported, the person's note.
    extra: tuple[str, ...]
    before: int
    during: int
    after: int
    #: Next-morning pain, or ``-`` when not (yet) entered.
    morning: str
    zone: Zone
    #: The zone as a word with what set it (``Amber: next morning``).
    zone_label: str


@dataclass(frozen=True)
class RunRow:
    """One run as the running table shows it."""

    date: dt.date
    #: ``Level 3``, or ``Free`` for a run outside the walk-run programme.
    level: str
    #: Minutes running, with the walking beside it when there was some (``12 + 18 walk``).
    minutes: str
    #: ``5.2 km``, or ``-`` without a distance.
    distance: str
    zone: Zone
    zone_label: str


@dataclass(frozen=True)
class RunningSection:
    """The report's running section: the reading and the newest runs, oldest first."""

    runs: int
    reading: str
    rows: list[RunRow]
    omitted: int


@dataclass(frozen=True)
class Trends:
    """The rule outcomes of :mod:`kneecore.trends` the report is built on."""

    #: This week's against last week's pain during exercise (None: a week has no session).
    week_on_week: trends.WeekOnWeek | None
    #: The first two weeks of sessions against the last two (None: too short a history).
    early_late: trends.EarlyLate | None
    #: The first against the latest knee score (None: fewer than two scores).
    knee_score: trends.ScoreChange | None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, worked out from the models (testable without a PDF)."""

    today: dt.date
    first_day: dt.date | None
    facts: list[tuple[str, str]]
    #: The app's advice now (``kneecore.safety.advice_of``); the pause while paused.
    recommendation: Recommendation | None
    #: The sessions of the last 4 weeks, oldest first, at most MAX_TABLE_ROWS.
    table: list[TableRow]
    table_omitted: int
    has_history: bool
    trends: Trends
    #: The plan pause, when the plan is paused (stated on the first page).
    pause: safety.PlanStatus | None = None
    #: Runs, when there are any.
    running: RunningSection | None = None
    #: Whose report it is (Settings' name and date of birth), or "" when not given.
    patient: str = ""


def _first_day(
    sessions: Sequence[Session], checks: Sequence[SelfCheckResult], phases: Sequence[PhaseStart]
) -> dt.date | None:
    days = [s.date for s in sessions] + [c.date for c in checks] + [p.started for p in phases]
    return min(days) if days else None


def _latest_check_fact(checks: Sequence[SelfCheckResult], texts: ReportTexts) -> str:
    latest = checks[-1]
    parts = [f"{format_date(latest.date)}: {texts.urgency.get(latest.urgency, latest.urgency)}."]
    if latest.practice:
        parts.append("(A practice run; its warning was kept.)")
    if latest.phase is not None:
        parts.append(f"Phase {latest.phase} suggested.")
    else:
        parts.append("No exercise phase offered.")
    return " ".join(parts)


_SIDES = {"left": "Left knee", "right": "Right knee", "both": "Both knees"}
_GOALS = {"daily_life": "everyday activities", "running": "running", "sport": "sport"}


def _answer(check: SelfCheckResult, key: str) -> Any:
    value = check.answers.get(key)
    return None if isinstance(value, bool) else value


def _about_fact(checks: Sequence[SelfCheckResult]) -> str | None:
    """Side, goal, age, how long, pain now: from the self-check answers, when given."""
    first, latest = checks[0], checks[-1]
    parts = []
    side, goal, age = (_answer(latest, k) for k in ("side", "goal", "age"))
    head = [
        _SIDES.get(str(side), "") if side else "",
        f"goal: {cut(_GOALS.get(str(goal), str(goal)), MAX_NAME_CHARS)}" if goal else "",
        f"age {age}" if isinstance(age, int | float) else "",
    ]
    if any(head):
        parts.append("; ".join(h for h in head if h) + ".")
    weeks = _answer(first, "weeks_of_symptoms")
    if isinstance(weeks, int | float):
        parts.append(
            f"Symptoms for {plural(int(weeks), 'week')} at the first self-check "
            f"({format_date(first.date)})."
        )
    now, worst = _answer(latest, "pain_now"), _answer(latest, "pain_worst_week")
    if isinstance(now, int | float) and isinstance(worst, int | float):
        parts.append(f"Pain now {now:g}/10, worst in the past week {worst:g}/10 (latest check).")
    return " ".join(parts) or None


def _home_tests_fact(check: SelfCheckResult) -> str | None:
    """The latest self-check's home function tests, in plain words."""

    def pain(key: str, name: str) -> str | None:
        value = _answer(check, key)
        if value == "unable":
            return f"{name}: could not do it"
        if isinstance(value, int | float):
            return f"{name} pain {value:g}/10"
        return None

    parts = [
        pain("semi_squat_pain", "Semi squat"),
        pain("step_down_pain", "step-down"),
        pain("hop_pain", "hops"),
    ]
    stance = _answer(check, "single_leg_stance_s")
    if isinstance(stance, int | float):
        parts.append(f"single-leg stance {stance:g} s")
    done = [p for p in parts if p]
    return f"{'; '.join(done)} ({format_date(check.date)})." if done else None


def _akps_fact(checks: Sequence[SelfCheckResult], change: trends.ScoreChange | None) -> str | None:
    scored = [c for c in checks if c.akps is not None]
    if not scored:
        return None
    latest = scored[-1]
    text = f"{latest.akps}/100 on {format_date(latest.date)}"
    if change is None:
        return text + " (the only score so far)."
    moved = change.change
    direction = "up" if moved > 0 else "down" if moved < 0 else "no change"
    amount = f"{direction} {abs(moved)} points" if moved else direction
    important = f" (clinically important: {change.real_change} or more)" if change.real else ""
    return (
        f"{text}: {amount} since the first score, "
        f"{change.first}/100 on {format_date(change.first_date)}{important}."
    )


def _sign_words(sign: str, reason: str | None, texts: ReportTexts) -> str:
    """A sign in a few words: the report's label, else the result's own first words."""
    if sign in texts.red_flags:
        return texts.red_flags[sign]
    short = safety.short_reason(reason) if reason else None
    return cut(short or sign.replace("_", " "), MAX_NAME_CHARS)


def _red_flag_fact(
    checks: Sequence[SelfCheckResult],
    records: Sequence[SelfCheckResult],
    sessions: Sequence[Session],
    texts: ReportTexts,
) -> str:
    """Day by day, the warning signs reported ("3 May 2026: the knee gives way").

    Each sign once a day however often the self-check was retaken; practice runs and
    self-checks deleted later are marked, since they still paused the plan.
    """
    days: dict[dt.date, dict[str, None]] = {}

    def add(day: dt.date, words: str) -> None:
        days.setdefault(day, {})[words] = None

    for check, mark in [
        *((c, "") for c in checks),
        *((r, " (self-check deleted later)") for r in records),
    ]:
        if check.practice and not mark:
            mark = " (practice run)"
        if check.signs:
            for sign in check.signs:
                add(check.date, _sign_words(sign.id, sign.reason, texts) + mark)
        elif check.urgency in ("emergency", "gp_soon"):
            for flag in check.red_flags or [safety.V1_WARNING]:
                add(check.date, _sign_words(flag, None, texts) + mark)
    for session in sessions:
        for attr, label in texts.session_flags.items():
            if getattr(session, attr):
                add(session.date, label[:1].lower() + label[1:])
    if not days:
        return "None reported."
    newest = sorted(days, reverse=True)[:MAX_WARNING_DAYS]
    lines = [f"{format_date(d)}: {_day_signs(list(days[d]))}." for d in sorted(newest)]
    earlier = len(days) - len(newest)
    if earlier:
        lines.insert(0, f"Also on {plural(earlier, 'earlier day')}; the newest:")
    return "\n".join(lines)


def _day_signs(signs: list[str]) -> str:
    shown = "; ".join(signs[:MAX_SIGNS_A_DAY])
    more = len(signs) - MAX_SIGNS_A_DAY
    return f"{shown}; and {plural(more, 'other sign')}" if more > 0 else shown


def _clearance_fact(clearances: Sequence[Clearance]) -> str:
    """Each clearance: when the knee was examined, when it was recorded, the note."""
    if not clearances:
        return "None recorded."
    lines = []
    ordered = sorted(clearances, key=lambda c: (c.examined, c.recorded))
    if len(ordered) > MAX_CLEARANCES:
        lines.append(f"Also {plural(len(ordered) - MAX_CLEARANCES, 'earlier one')}; the newest:")
        ordered = ordered[-MAX_CLEARANCES:]
    for c in ordered:
        line = (
            f"{format_date(c.examined)}: a GP or physiotherapist examined the knee and said "
            "exercise can go on"
        )
        if c.recorded != c.examined:
            line += f" (recorded {format_date(c.recorded)})"
        note = cut(" ".join(c.note.split()), MAX_NOTE_CHARS)
        lines.append(line + (f". Note: {note}" if note else "."))
    return "\n".join(lines)


def patient_line(name: str, born: dt.date | None, texts: ReportTexts) -> str:
    """``Name: Ann Smith. Date of birth: 3 Feb 1984.``, the parts given, or ""."""
    parts = []
    name = cut(" ".join(name.split()), MAX_NAME_CHARS * 2)
    if name:
        parts.append(f"{texts.labels.patient_name}: {name}.")
    if born is not None:
        parts.append(f"{texts.labels.date_of_birth}: {format_date(born)}.")
    return " ".join(parts)


def pause_text(status: safety.PlanStatus) -> str:
    """The pause box's text: headline, since when, and what was reported and what to do
    (the full reasons follow under the advice heading)."""
    # The headline is bold (Markdown): cut apart from the rest, so "**" stays paired.
    parts = [f"**{cut(status.headline, MAX_NAME_CHARS * 2)}**"]
    if status.since is not None:
        parts.append(f"Since {format_date(status.since)}.")
    return " ".join(parts + [cut(a, MAX_FACT_CHARS) for a in status.actions[:1]])


def _phase_facts(
    phases: Sequence[PhaseStart], library: Library, texts: ReportTexts, today: dt.date
) -> list[tuple[str, str]]:
    if not phases:
        return [(texts.labels.phase, "None chosen yet.")]
    current = phases[-1]
    try:
        name = f"Phase {current.phase}: {library.phase(current.phase).name}"
    except KeyError:
        name = f"Phase {current.phase}"
    since = progression.days_in_phase(current, today)
    source = texts.phase_sources.get(current.source, current.source)
    facts = [
        (
            texts.labels.phase,
            f"{name}, since {format_date(current.started)} ({_duration(since)}; {source}).",
        )
    ]
    if len(phases) > 1:
        history = ", ".join(f"{p.phase} from {format_date(p.started)}" for p in phases[-6:])
        facts.append((texts.labels.phase_history, f"{history}."))
    return facts


def _session_facts(
    sessions: Sequence[Session],
    texts: ReportTexts,
    today: dt.date,
    early_late: trends.EarlyLate | None,
) -> list[tuple[str, str]]:
    if not sessions:
        return [(texts.labels.sessions, "None yet.")]
    recent = [s for s in sessions if (today - s.date).days < TABLE_DAYS]
    zones = [session_zone(s) for s in recent]
    counts = ", ".join(
        f"{zones.count(z)} {texts.zones[z].lower()}" for z in ("green", "amber", "red")
    )
    first = sessions[0].date
    facts = [
        (
            texts.labels.sessions,
            f"{len(sessions)} since {format_date(first)}; {len(recent)} in the last 4 weeks"
            + (f" ({counts})." if recent else "."),
        )
    ]
    if early_late is not None:
        # The late window ends on the latest session: say so when that is not today.
        until = "" if early_late.late_to == today else f" (to {format_date(early_late.late_to)})"
        facts.append(
            (
                texts.labels.pain_trend,
                f"average {trends.show(early_late.late)}/10 in the last 2 weeks{until}, "
                f"{trends.show(early_late.early)}/10 in the first 2 weeks.",
            )
        )
    return facts


def table_rows(sessions: Sequence[Session], library: Library, texts: ReportTexts) -> list[TableRow]:
    """The sessions table's rows: doses in words, the signs reported, the note, the zone."""
    rows = []
    for session in sessions:
        extra = []
        flags = [
            texts.session_flags[f]
            for f in ("swelling", "locking", "giving_way")
            if getattr(session, f)
        ]
        if flags:
            extra.append("Reported: " + ", ".join(f.lower() for f in flags))
        note = " ".join(session.notes.split())
        if note:
            cut = note if len(note) <= MAX_NOTE_CHARS else note[: MAX_NOTE_CHARS - 3] + "..."
            extra.append("Note: " + cut)
        morning = session.pain_next_morning
        rows.append(
            TableRow(
                session_id=session.id,
                date=session.date,
                exercises=session_exercises(session, library),
                extra=tuple(extra),
                before=session.pain_before,
                during=session.pain_during,
                after=session.pain_after,
                morning="-" if morning is None else str(morning),
                zone=session_zone(session),
                zone_label=zone_text(session, texts),
            )
        )
    return rows


def run_rows(runs: Sequence[Run], texts: ReportTexts) -> list[RunRow]:
    """The running table's rows: level or "Free", minutes, distance and the zone word."""
    rows = []
    for run in runs:
        minutes = f"{run.run_min:g}"
        if run.walk_min:
            minutes += f" + {run.walk_min:g} walk"
        zone = zone_of(run)
        rows.append(
            RunRow(
                date=run.date,
                level="Free" if run.level is None else f"Level {run.level}",
                minutes=minutes,
                distance="-" if run.distance_km is None else f"{run.distance_km:g} km",
                zone=zone,
                zone_label=texts.zones[zone],
            )
        )
    return rows


def running_section(runs: Sequence[Run], texts: ReportTexts) -> RunningSection | None:
    """The running section's reading and newest runs; None without runs."""
    if not runs:
        return None
    ordered = sorted(runs, key=lambda r: r.date)
    shown = ordered[-MAX_RUN_ROWS:]
    return RunningSection(
        runs=len(ordered),
        reading=running_trends.running_reading(running_trends.weekly_running(ordered)),
        rows=run_rows(shown, texts),
        omitted=len(ordered) - len(shown),
    )


def current_recommendation(
    sessions: Sequence[Session],
    phases: Sequence[PhaseStart],
    library: Library,
    today: dt.date,
    *,
    selfchecks: Sequence[SelfCheckResult] = (),
    clearances: Sequence[Clearance] = (),
    status: safety.PlanStatus | None = None,
) -> Recommendation | None:
    """The app's advice now, as the app gives it (``kneecore.safety.advice_of``)."""
    if not sessions and not phases:
        return None
    return safety.advice_of(
        sessions,
        selfchecks,
        phases,
        clearances,
        status or safety.PlanStatus(paused=False),
        today=today,
        library=library,
    )


def report_trends(
    sessions: Sequence[Session], checks: Sequence[SelfCheckResult], today: dt.date
) -> Trends:
    """The trend rules on these models, as every page asks them (:mod:`kneecore.trends`)."""
    readings = trends.pain_readings(sessions)
    return Trends(
        week_on_week=trends.week_on_week(readings, today),
        early_late=trends.early_against_late(readings, today),
        knee_score=trends.knee_score_change(trends.score_readings(checks)),
    )


def _check_facts(
    checks: Sequence[SelfCheckResult], texts: ReportTexts, change: trends.ScoreChange | None
) -> list[tuple[str, str]]:
    """The latest self-check, the knee and goal, the knee score and the home tests."""
    if not checks:
        return [(texts.labels.latest_check, "None yet.")]
    facts = [(texts.labels.latest_check, _latest_check_fact(checks, texts))]
    for label, fact in (
        (texts.labels.about, _about_fact(checks)),
        (texts.labels.function, _akps_fact(checks, change)),
        (texts.labels.home_tests, _home_tests_fact(checks[-1])),
    ):
        if fact:
            facts.append((label, fact))
    return facts


def report_data(
    sessions: Sequence[Session],
    selfchecks: Sequence[SelfCheckResult],
    phases: Sequence[PhaseStart],
    library: Library,
    *,
    today: dt.date | None = None,
    texts: ReportTexts | None = None,
    clearances: Sequence[Clearance] = (),
    warning_records: Sequence[SelfCheckResult] = (),
    runs: Sequence[Run] = (),
    patient_name: str = "",
    date_of_birth: dt.date | None = None,
) -> ReportData:
    """Work out what the report says (facts, advice, table rows) from the stored models.

    ``warning_records`` are what the store keeps of deleted self-checks that found a
    warning sign: they count for the plan pause and the warning signs ever reported.
    ``runs`` fill the running section (none without them). ``patient_name`` and
    ``date_of_birth`` (Settings) head the first page when given.
    """
    texts = texts or load_texts()
    today = today or dt.date.today()
    status = safety.status_of(
        selfchecks, warning_records, clearances, sessions, today=today, library=library
    )
    pause = status if status.paused else None
    sessions = sorted(sessions, key=lambda s: s.date)
    checks = sorted(selfchecks, key=lambda c: c.date)
    phases = sorted(phases, key=lambda p: p.started)
    found = report_trends(sessions, checks, today)
    facts = _check_facts(checks, texts, found.knee_score)
    records = sorted(warning_records, key=lambda c: c.date)
    facts.append((texts.labels.red_flags, _red_flag_fact(checks, records, sessions, texts)))
    if clearances:
        facts.append((texts.labels.clearances, _clearance_fact(clearances)))
    facts.extend(_phase_facts(phases, library, texts, today))
    facts.extend(_session_facts(sessions, texts, today, found.early_late))
    recent = [s for s in sessions if 0 <= (today - s.date).days < TABLE_DAYS][-MAX_TABLE_ROWS:]
    recommendation = (
        _pause_recommendation(pause)
        if pause is not None
        else current_recommendation(
            sessions,
            phases,
            library,
            today,
            selfchecks=checks,
            clearances=clearances,
            status=status,
        )
    )
    return ReportData(
        today=today,
        first_day=_first_day(sessions, checks, phases),
        facts=[(label, cut(text, MAX_FACT_CHARS)) for label, text in facts],
        recommendation=_cut_recommendation(recommendation),
        table=table_rows(recent, library, texts),
        table_omitted=sum(0 <= (today - s.date).days < TABLE_DAYS for s in sessions) - len(recent),
        has_history=bool(sessions or checks or records or runs),
        trends=found,
        pause=pause,
        running=running_section(runs, texts),
        patient=patient_line(patient_name, date_of_birth, texts),
    )


def _cut_recommendation(rec: Recommendation | None) -> Recommendation | None:
    """The advice with its reason and steps cut to what the page can hold."""
    if rec is None:
        return None
    return rec.model_copy(
        update={
            "title": cut(rec.title, MAX_NAME_CHARS * 2),
            "reason": cut(rec.reason, MAX_FACT_CHARS),
            "advice": cut(rec.advice, MAX_FACT_CHARS),
        }
    )


def _pause_recommendation(pause: safety.PlanStatus) -> Recommendation:
    """While the plan is paused the app's advice is the pause, whatever the sessions say:
    see a GP (``progression``'s ``see_gp``), in the pause's own words."""
    return Recommendation(
        kind="see_gp",
        title=pause.headline,
        reason=" ".join(pause.reasons),
        advice=" ".join(pause.actions),
    )


__all__ = [
    "MAX_FACT_CHARS",
    "MAX_TABLE_ROWS",
    "MAX_WARNING_DAYS",
    "TABLE_DAYS",
    "ReportData",
    "ReportTexts",
    "RunRow",
    "RunningSection",
    "TableRow",
    "Trends",
    "current_recommendation",
    "cut",
    "describe_entry",
    "load_texts",
    "patient_line",
    "pause_text",
    "report_data",
    "report_trends",
    "run_rows",
    "running_section",
    "session_exercises",
    "table_rows",
    "zone_text",
]
