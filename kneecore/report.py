"""The printable progress report: a PDF for a GP or physiotherapist, made on this machine.

One to three A4 pages: who made it and when, the not-a-diagnosis notice, the plan
pause when there is one (``kneecore.safety``: stated on the first page, in the words the
app showed), the latest self-check (urgency, phase, AKPS with its change), warning signs
ever reported (by day and sign), clinicians' clearances, the current phase, the app's
current recommendation (the pause, while paused), the dashboard's pain and adherence
charts (the same Altair specs, rendered to PNG by vl-convert, no browser or network),
a table of the last four weeks of sessions, and how to read it all.

The PDF uses the PDF core font Helvetica with the Windows-1252 character set, so no font
file has to exist on the machine and the report looks the same everywhere. Text outside
that set (rare: our texts are English, the person's notes may not be) is simplified
(accents dropped) or shown as ``?``, never an error.

Pure: models in, bytes out; no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import struct
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import vl_convert
from fpdf import FPDF, FontFace
from pydantic import BaseModel, ConfigDict, Field

from kneecore import analytics, charts, progression, safety
from kneecore.content import CONTENT_DIR, ContentError, Library, load_yaml_model
from kneecore.models import (
    Clearance,
    ExerciseEntry,
    PhaseStart,
    SelfCheckResult,
    Session,
    Zone,
)
from kneecore.pain import during_zone, morning_zone
from kneecore.pain import zone as session_zone
from kneecore.store import Store
from kneecore.words import format_date, plural, short_date

# -- look -------------------------------------------------------------------------------
ACCENT = (27, 94, 122)  # one calm accent colour: a deep teal-blue
ACCENT_TINT = (232, 241, 245)
#: The plan pause box: a warm red bar and tint (the words carry the meaning).
PAUSE = (176, 42, 42)
PAUSE_TINT = (251, 234, 232)
INK = (33, 37, 41)
MUTED = (95, 102, 110)
RULE = (200, 206, 212)
#: Cell tints for zones: the WORD carries the meaning, the tint only helps.
ZONE_TINT: dict[Zone, tuple[int, int, int]] = {
    "green": (223, 240, 226),
    "amber": (253, 236, 204),
    "red": (248, 215, 215),
}
FONT = "Helvetica"
MARGIN = 15.0
PAGE_W = 210.0
PAGE_H = 297.0
BODY_W = PAGE_W - 2 * MARGIN
FOOTER_SPACE = 16.0
MAX_IMAGE_H = 100.0
#: An image may shrink to this share of its size to stay on the current page.
MIN_IMAGE_SHARE = 0.75
#: Height of a section heading with its rule and spacing.
HEADING_H = 9.5
#: Chart images are rendered this many pixels wide at scale 1 (then x2 for print).
CHART_PX = 720
#: The pain chart's plot height on paper (the dashboard's is taller).
PAIN_PRINT_PX = 190
TABLE_DAYS = 28
MAX_PAGES = 3
#: The table keeps at least a week of sessions, however long their notes.
MIN_TABLE_ROWS = 7
#: "Warning signs ever reported" names at most this many days (the newest).
MAX_WARNING_DAYS = 8
#: At most this many table rows, newest first: even many sessions a day keep the report
#: within three pages.
MAX_TABLE_ROWS = 40
CORE_ENCODING = "windows-1252"
#: multi_cell leaves the cursor at the right of the text by default; blocks stack instead.
NEXT_LINE: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Headings(_Strict):
    summary: str
    recommendation: str
    pain: str
    adherence: str
    sessions: str
    reading: str


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


class Captions(_Strict):
    pain: str
    adherence: str
    sessions: str


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


def zone_text(session: Session, texts: ReportTexts) -> str:
    """The zone as a word, with what set it when it is not green (``Amber: next morning``)."""
    z = session_zone(session.pain_during, session.pain_before, session.pain_next_morning)
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
    return "; ".join(f"{t} ({n} times)" if n > 1 else t for t, n in counts.items())


#: Letters NFKD cannot take apart (they are letters of their own, not accented ones).
_BASE_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h"}
)


def printable(text: str) -> str:
    """``text`` limited to what the core font can show: Windows-1252, else simplified."""
    try:
        text.encode(CORE_ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(CORE_ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        # Letters with accents the code page lacks keep their base letter (e.g. "ő" -> "o").
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char.translate(_BASE_LETTERS))
            if not unicodedata.combining(c)
        )
        try:
            base.encode(CORE_ENCODING)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# -- what the report says ---------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    """The app's current advice, as the report shows it."""

    kind: str
    title: str
    reason: str
    advice: str = ""
    trend_warning: str | None = None


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, worked out from the models (testable without a PDF)."""

    today: dt.date
    first_day: dt.date | None
    facts: list[tuple[str, str]]
    recommendation: Recommendation | None
    table: list[Session]
    table_omitted: int
    has_history: bool
    #: The plan pause, when the plan is paused (stated on the first page).
    pause: safety.PlanStatus | None = None


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
        f"goal: {_GOALS.get(str(goal), str(goal))}" if goal else "",
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


def _akps_fact(checks: Sequence[SelfCheckResult]) -> str | None:
    scored = [c for c in checks if c.akps is not None]
    if not scored:
        return None
    first, latest = scored[0], scored[-1]
    text = f"{latest.akps}/100 on {format_date(latest.date)}"
    if first is latest:
        return text + " (the only score so far)."
    assert first.akps is not None and latest.akps is not None
    change = latest.akps - first.akps
    direction = "up" if change > 0 else "down" if change < 0 else "no change"
    amount = f"{direction} {abs(change)} points" if change else direction
    important = " (clinically important: 10 or more)" if abs(change) >= 10 else ""
    return (
        f"{text}: {amount} since the first score, "
        f"{first.akps}/100 on {format_date(first.date)}{important}."
    )


def _sign_words(sign: str, reason: str | None, texts: ReportTexts) -> str:
    """A sign in a few words: the report's label, else the result's own first words."""
    if sign in texts.red_flags:
        return texts.red_flags[sign]
    short = safety.short_reason(reason) if reason else None
    return short or sign.replace("_", " ")


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
    lines = [f"{format_date(d)}: {'; '.join(days[d])}." for d in sorted(newest)]
    earlier = len(days) - len(newest)
    if earlier:
        lines.insert(0, f"Also on {plural(earlier, 'earlier day')}; the newest:")
    return "\n".join(lines)


def _clearance_fact(clearances: Sequence[Clearance]) -> str:
    """Each clearance: when the knee was examined, when it was recorded, the note."""
    if not clearances:
        return "None recorded."
    lines = []
    for c in sorted(clearances, key=lambda c: (c.examined, c.recorded)):
        line = (
            f"{format_date(c.examined)}: a GP or physiotherapist examined the knee and said "
            "exercise can go on"
        )
        if c.recorded != c.examined:
            line += f" (recorded {format_date(c.recorded)})"
        note = " ".join(c.note.split())
        lines.append(line + (f". Note: {note}" if note else "."))
    return "\n".join(lines)


def pause_text(status: safety.PlanStatus) -> str:
    """The pause box's text: headline, since when, and what was reported and what to do
    (the full reasons follow under the advice heading)."""
    parts = [f"**{status.headline}**"]
    if status.since is not None:
        parts.append(f"Since {format_date(status.since)}.")
    return " ".join(parts + list(status.actions[:1]))


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
    sessions: Sequence[Session], texts: ReportTexts, today: dt.date
) -> list[tuple[str, str]]:
    if not sessions:
        return [(texts.labels.sessions, "None yet.")]
    recent = [s for s in sessions if (today - s.date).days < TABLE_DAYS]
    zones = [session_zone(s.pain_during, s.pain_before, s.pain_next_morning) for s in recent]
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
    early = [s.pain_during for s in sessions if (s.date - first).days < 14]
    late = [s.pain_during for s in sessions if (today - s.date).days < 14]
    if late and (sessions[-1].date - first).days >= 14:
        facts.append(
            (
                texts.labels.pain_trend,
                f"average {statistics.fmean(late):.1f}/10 in the last 2 weeks, "
                f"{statistics.fmean(early):.1f}/10 in the first 2 weeks.",
            )
        )
    return facts


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
    rec = safety.advice_of(
        sessions,
        selfchecks,
        phases,
        clearances,
        status or safety.PlanStatus(paused=False),
        today=today,
        library=library,
    )
    return Recommendation(
        kind=rec.kind,
        title=rec.title,
        reason=rec.reason,
        advice=rec.advice,
        trend_warning=rec.trend_warning or None,
    )


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
) -> ReportData:
    """Work out what the report says (facts, advice, table rows) from the stored models.

    ``warning_records`` are what the store keeps of deleted self-checks that found a
    warning sign: they count for the plan pause and the warning signs ever reported.
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
    facts: list[tuple[str, str]] = []
    if checks:
        facts.append((texts.labels.latest_check, _latest_check_fact(checks, texts)))
        about = _about_fact(checks)
        if about:
            facts.append((texts.labels.about, about))
        akps = _akps_fact(checks)
        if akps:
            facts.append((texts.labels.function, akps))
        home = _home_tests_fact(checks[-1])
        if home:
            facts.append((texts.labels.home_tests, home))
    else:
        facts.append((texts.labels.latest_check, "None yet."))
    records = sorted(warning_records, key=lambda c: c.date)
    facts.append((texts.labels.red_flags, _red_flag_fact(checks, records, sessions, texts)))
    if clearances:
        facts.append((texts.labels.clearances, _clearance_fact(clearances)))
    facts.extend(_phase_facts(phases, library, texts, today))
    facts.extend(_session_facts(sessions, texts, today))
    recent = [s for s in sessions if 0 <= (today - s.date).days < TABLE_DAYS]
    return ReportData(
        today=today,
        first_day=_first_day(sessions, checks, phases),
        facts=facts,
        recommendation=(
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
        ),
        table=recent[-MAX_TABLE_ROWS:],
        table_omitted=max(0, len(recent) - MAX_TABLE_ROWS),
        has_history=bool(sessions or checks or records),
        pause=pause,
    )


def _pause_recommendation(pause: safety.PlanStatus) -> Recommendation:
    """While the plan is paused the app's advice is the pause, whatever the sessions say."""
    return Recommendation(
        kind="paused",
        title=pause.headline,
        reason=" ".join(pause.reasons),
        advice=" ".join(pause.actions),
    )


# -- charts -------------------------------------------------------------------------------


def chart_images(sessions: Sequence[Session], today: dt.date) -> tuple[bytes, bytes] | None:
    """The dashboard's pain and adherence charts as PNG, or None without sessions."""
    if not sessions:
        return None
    frame = analytics.sessions_frame(list(sessions))
    pain = charts.pain_chart(frame, end=today)
    adherence = charts.adherence_calendar(frame, end=today)
    return render_png(pain, height=PAIN_PRINT_PX), render_png(adherence)


def render_png(chart: Any, height: int | None = None) -> bytes:
    """Render an Altair chart to PNG locally (vl-convert: no browser, no network).

    ``height`` changes only the plot's height, so it fits on the first page.
    """
    spec = charts.export_spec(chart, width=CHART_PX)
    if height is not None and isinstance(spec.get("height"), int | float):
        spec["height"] = height
    # No base URL is allowed: the data are inline, nothing may be fetched.
    png: bytes = vl_convert.vegalite_to_png(spec, scale=2, allowed_base_urls=[])
    return png


# -- the PDF ------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    """A4 with a footer "Page n of N"; all text goes through :func:`printable`."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.core_fonts_encoding = CORE_ENCODING
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=FOOTER_SPACE)
        self.set_text_color(*INK)

    def normalize_text(self, text: str) -> str:
        result: str = super().normalize_text(printable(text))
        return result

    def footer(self) -> None:
        self.set_y(-11)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 2, PAGE_W - MARGIN, self.get_y() - 2)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(BODY_W * 0.75, 5, self.footer_text)
        # Right-aligned by hand: "{nb}" is replaced after layout, so align="R" would
        # measure the placeholder, not the number.
        page = f"Page {self.page_no()} of {self.page_no()}"
        self.set_x(PAGE_W - MARGIN - self.c_margin - self.get_string_width(page))
        self.cell(h=5, text=f"Page {self.page_no()} of {{nb}}")
        self.set_text_color(*INK)


class _Writer:
    """Lays out the report's blocks on the page, top to bottom."""

    def __init__(self, pdf: _ReportPDF, texts: ReportTexts) -> None:
        self.pdf = pdf
        self.texts = texts

    def space_left(self) -> float:
        return float(PAGE_H - FOOTER_SPACE - self.pdf.get_y())

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.space_left() < height:
            self.pdf.add_page()

    def header(self, data: ReportData) -> None:
        pdf, t = self.pdf, self.texts
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, PAGE_W, 4, style="F")
        pdf.set_y(MARGIN - 3)
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*ACCENT)
        pdf.cell(BODY_W / 2, 5, t.app_name.upper())
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(BODY_W / 2, 5, f"Report date: {format_date(data.today)}", align="R")
        pdf.ln(6)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B", 19)
        pdf.cell(BODY_W * 0.62, 9, t.title)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        period = (
            f"Entries: {format_date(data.first_day)} to {format_date(data.today)}"
            if data.first_day
            else "Entries: none yet"
        )
        pdf.cell(BODY_W * 0.38, 9, period, align="R")
        pdf.ln(9)
        pdf.set_font(FONT, "", 9.5)
        pdf.cell(BODY_W, 5, t.subtitle)
        pdf.ln(7)
        pdf.set_text_color(*INK)

    def notice(self) -> None:
        pdf, t = self.pdf, self.texts
        pdf.set_font(FONT, "", 9.5)
        x, y = pdf.get_x(), pdf.get_y()
        lines = self.line_count(BODY_W - 9, 4.6, f"**{t.notice_title}** {t.notice}", True)
        height = lines * 4.6 + 5
        pdf.set_fill_color(*ACCENT_TINT)
        pdf.rect(x, y, BODY_W, height, style="F")
        pdf.set_fill_color(*ACCENT)
        pdf.rect(x, y, 1.6, height, style="F")
        pdf.set_xy(x + 6, y + 2.5)
        pdf.multi_cell(
            BODY_W - 9, 4.6, f"**{t.notice_title}** {t.notice}", markdown=True, **NEXT_LINE
        )
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x, y + height + 5)

    def pause(self, status: safety.PlanStatus) -> None:
        """The plan pause in a box under the notice: first page, impossible to miss."""
        pdf = self.pdf
        text = pause_text(status)
        pdf.set_font(FONT, "", 9.5)
        x, y = pdf.get_x(), pdf.get_y()
        height = self.line_count(BODY_W - 9, 4.6, text, True) * 4.6 + 5
        pdf.set_fill_color(*PAUSE_TINT)
        pdf.rect(x, y, BODY_W, height, style="F")
        pdf.set_fill_color(*PAUSE)
        pdf.rect(x, y, 1.6, height, style="F")
        pdf.set_xy(x + 6, y + 2.5)
        pdf.multi_cell(BODY_W - 9, 4.6, text, markdown=True, **NEXT_LINE)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x, y + height + 5)

    def heading(self, text: str, need: float = 30) -> None:
        pdf = self.pdf
        self.keep(need)
        pdf.set_font(FONT, "B", 12.5)
        pdf.set_text_color(*ACCENT)
        pdf.cell(BODY_W, 7, text)
        pdf.ln(7)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.4)
        pdf.line(MARGIN, pdf.get_y(), MARGIN + 18, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.ln(2.5)
        pdf.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9.5, muted: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        if muted:
            pdf.set_text_color(*MUTED)
        pdf.multi_cell(BODY_W, size * 0.48, text, **NEXT_LINE)
        pdf.set_text_color(*INK)

    def facts(self, facts: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", 9.5)
        pdf.set_draw_color(*RULE)
        with pdf.table(
            col_widths=(0.27, 0.73),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            v_align="TOP",
            line_height=4.6,
            padding=(1.6, 1, 1.6, 0),
        ) as table:
            for label, value in facts:
                row = table.row()
                row.cell(label, style=FontFace(emphasis="BOLD", color=MUTED))
                row.cell(value)
        pdf.ln(4)

    def recommendation(self, rec: Recommendation | None, has_history: bool) -> None:
        pdf, t = self.pdf, self.texts
        self.heading(t.headings.recommendation, need=28)
        if rec is None:
            self.paragraph(
                "No advice yet: the app gives advice once a phase is chosen with the self-check."
                if has_history
                else "No advice yet."
            )
            pdf.ln(3)
            return
        pdf.set_font(FONT, "B", 10.5)
        pdf.multi_cell(BODY_W, 5.2, rec.title, **NEXT_LINE)
        self.paragraph(rec.reason)
        if rec.advice:
            pdf.ln(1)
            self.paragraph(rec.advice)
        if rec.trend_warning:
            pdf.set_font(FONT, "B", 9.5)
            pdf.multi_cell(BODY_W, 4.6, f"Trend: {rec.trend_warning}", **NEXT_LINE)
        pdf.ln(4)

    def line_count(self, width: float, height: float, text: str, markdown: bool = False) -> int:
        """How many lines ``text`` takes in the current font (measured, not drawn)."""
        lines = self.pdf.multi_cell(
            width, height, text, markdown=markdown, dry_run=True, output="LINES"
        )
        return len(cast(list[str], lines))

    def figure(self, heading: str, png: bytes, caption: str) -> None:
        """A heading, a chart and its caption, kept together on one page."""
        pdf = self.pdf
        px_w, px_h = struct.unpack(">II", png[16:24])  # a PNG's IHDR: width, height
        width = BODY_W
        height = width * px_h / px_w
        if height > MAX_IMAGE_H:
            height, width = MAX_IMAGE_H, MAX_IMAGE_H * px_w / px_h
        pdf.set_font(FONT, "", 8.5)
        extra = self.line_count(BODY_W, 4, caption) * 4 + 5 + HEADING_H
        if self.space_left() < height + extra:
            # Shrink a little rather than leave half a page empty; else start a new page.
            fits = self.space_left() - extra
            if fits >= MIN_IMAGE_SHARE * height:
                width, height = width * fits / height, fits
            else:
                pdf.add_page()
        self.heading(heading, need=0)
        x = MARGIN + (BODY_W - width) / 2
        pdf.image(io.BytesIO(png), x=x, w=width, h=height, alt_text=heading)
        pdf.ln(1)
        self.paragraph(caption, size=8.5, muted=True)
        pdf.ln(4)

    def sessions_table(self, data: ReportData, library: Library) -> None:
        pdf, t = self.pdf, self.texts
        self.heading(t.headings.sessions, need=40)
        if not data.table:
            self.paragraph("No sessions in the last 4 weeks.")
            pdf.ln(3)
            return
        self.paragraph(t.captions.sessions, size=8.5, muted=True)
        pdf.ln(1.5)
        pdf.set_font(FONT, "", 8)
        pdf.set_draw_color(*RULE)
        heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
        with pdf.table(
            col_widths=(15, 81, 12, 12, 11, 16, 33),
            headings_style=heading_style,
            borders_layout="HORIZONTAL_LINES",
            text_align=("LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "LEFT"),
            v_align="TOP",
            line_height=3.6,
            padding=(1.0, 1.2, 1.0, 1.2),
            repeat_headings=1,
        ) as table:
            table.row(
                ["Date", "Exercises and dose", "Before", "During", "After", "Next morning", "Zone"]
            )
            previous, anchor = "", data.today
            for session in data.table:
                z = session_zone(
                    session.pain_during, session.pain_before, session.pain_next_morning
                )
                done = session_exercises(session, library)
                # Daily plans repeat: name the first session with the same plan instead of
                # printing it again (a date still reads right after a page break).
                if done == previous:
                    shown = f"Same as on {short_date(anchor)}"
                else:
                    shown, previous, anchor = done, done, session.date
                flags = [
                    t.session_flags[f]
                    for f in ("swelling", "locking", "giving_way")
                    if getattr(session, f)
                ]
                if flags:
                    shown += "\nReported: " + ", ".join(f.lower() for f in flags)
                if session.notes.strip():
                    note = " ".join(session.notes.split())
                    shown += "\nNote: " + (note if len(note) <= 140 else note[:137] + "...")
                morning = (
                    "-" if session.pain_next_morning is None else str(session.pain_next_morning)
                )
                row = table.row()
                row.cell(short_date(session.date))
                row.cell(shown)
                row.cell(str(session.pain_before))
                row.cell(str(session.pain_during))
                row.cell(str(session.pain_after))
                row.cell(morning)
                row.cell(
                    zone_text(session, t),
                    style=FontFace(emphasis="BOLD", fill_color=ZONE_TINT[z]),
                )
        if data.table_omitted:
            pdf.ln(1)
            self.paragraph(
                f"{plural(data.table_omitted, 'earlier session')} of these 4 weeks not shown.",
                size=8.5,
                muted=True,
            )
        pdf.ln(4)

    def reading(self) -> None:
        t = self.texts
        self.pdf.set_font(FONT, "", 8.5)
        # Kept on one page: a lone bullet on a last page helps nobody.
        height = sum(self.line_count(BODY_W, 8.5 * 0.48, f"- {x}") * 4.1 + 1 for x in t.reading)
        self.heading(t.headings.reading, need=height + 14)
        for text in t.reading:
            self.paragraph(f"\u2022 {text}", size=8.5)
            self.pdf.ln(1)


def build_report(
    sessions: Sequence[Session],
    selfchecks: Sequence[SelfCheckResult],
    phases: Sequence[PhaseStart],
    library: Library,
    *,
    today: dt.date | None = None,
    texts: ReportTexts | None = None,
    clearances: Sequence[Clearance] = (),
    warning_records: Sequence[SelfCheckResult] = (),
) -> bytes:
    """The progress report as PDF bytes (one to three A4 pages).

    Pass the store's ``clearances`` and ``warning_records`` too (as
    :func:`report_from_store` does): without them a lifted pause would show as paused.
    """
    texts = texts or load_texts()
    today = today or dt.date.today()
    data = report_data(
        sessions,
        selfchecks,
        phases,
        library,
        today=today,
        texts=texts,
        clearances=clearances,
        warning_records=warning_records,
    )
    images = chart_images(sorted(sessions, key=lambda s: s.date), today)
    while True:
        pdf = _layout(data, images, library, texts)
        if pdf.pages_count <= MAX_PAGES or len(data.table) <= MIN_TABLE_ROWS:
            return bytes(pdf.output())
        # Long notes or many sessions a day: drop the oldest rows until it fits.
        keep = max(MIN_TABLE_ROWS, len(data.table) - 4)
        dropped = len(data.table) - keep
        data = replace(data, table=data.table[-keep:], table_omitted=data.table_omitted + dropped)


def _layout(
    data: ReportData,
    images: tuple[bytes, bytes] | None,
    library: Library,
    texts: ReportTexts,
) -> _ReportPDF:
    pdf = _ReportPDF(
        f"{texts.app_name} progress report, {format_date(data.today)}. Not a diagnosis."
    )
    pdf.set_title(texts.title)
    pdf.set_author(texts.app_name)
    pdf.set_creator(texts.app_name)
    # A fixed creation date makes the same data give the same file.
    pdf.set_creation_date(dt.datetime.combine(data.today, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    writer = _Writer(pdf, texts)
    writer.header(data)
    writer.notice()
    if data.pause is not None:
        writer.pause(data.pause)
    if not data.has_history:
        writer.paragraph(texts.empty_history, size=10.5)
        pdf.ln(4)
    writer.heading(texts.headings.summary)
    writer.facts(data.facts)
    writer.recommendation(data.recommendation, data.has_history)
    if images is not None:
        pain_png, adherence_png = images
        writer.figure(texts.headings.pain, pain_png, texts.captions.pain)
        writer.figure(texts.headings.adherence, adherence_png, texts.captions.adherence)
        writer.sessions_table(data, library)
    if data.has_history:
        writer.reading()
    return pdf


def report_from_store(store: Store, library: Library, *, today: dt.date | None = None) -> bytes:
    """The progress report for everything in ``store``."""
    return build_report(
        store.sessions(),
        store.selfchecks(),
        store.phase_history(),
        library,
        today=today,
        clearances=store.clearances(),
        warning_records=store.warning_records(),
    )


def report_from_export(
    document: Mapping[str, Any], library: Library, *, today: dt.date | None = None
) -> bytes:
    """The progress report for an export document (e.g. :func:`kneecore.demo.generate_history`)."""
    return build_report(
        [Session.model_validate(s) for s in document.get("sessions", [])],
        [SelfCheckResult.model_validate(c) for c in document.get("selfchecks", [])],
        [PhaseStart.model_validate(p) for p in document.get("phases", [])],
        library,
        today=today,
        clearances=[Clearance.model_validate(c) for c in document.get("clearances", [])],
        warning_records=[
            SelfCheckResult.model_validate(c) for c in document.get("warning_records", [])
        ],
    )


__all__ = [
    "Recommendation",
    "ReportData",
    "ReportTexts",
    "build_report",
    "chart_images",
    "describe_entry",
    "load_texts",
    "pause_text",
    "printable",
    "report_data",
    "report_from_export",
    "report_from_store",
]
