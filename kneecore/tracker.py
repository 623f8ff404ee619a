"""The session tracker's pure side: form drafts, parsing, units, and the history.

The log page shows one row per exercise of today's plan, pre-filled with its default
dose; this module builds those rows (:func:`plan_drafts`, :func:`drafts_from_session`),
turns what the person typed back into a validated :class:`Session`
(:func:`build_session`, which collects every problem per field instead of stopping at
the first, so the page can show each message next to its field). It also says which
sessions the history shows (:func:`history_page`, :func:`history_rows`,
:func:`session_label`), each with its zone from ``progression.session_zone``.

Loads are stored in kilograms; the person may type pounds (``Settings.units``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args

from pydantic import ValidationError

from kneecore.content import Exercise, Library
from kneecore.errors import problems
from kneecore.export import safe_cell
from kneecore.models import Band, ExerciseEntry, SelfCheckResult, Session, Side, Zone
from kneecore.progression import session_zone
from kneecore.words import format_date, format_day, join_words

Units = Literal["kg", "lb"]
KG_PER_LB = 0.45359237
BANDS: tuple[Band, ...] = get_args(Band)
SIDES: tuple[Side, ...] = get_args(Side)
BAND_WORDS: dict[Band, str] = {
    "light": "Light band",
    "medium": "Medium band",
    "heavy": "Heavy band",
    "extra_heavy": "Extra heavy band",
}
SIDE_WORDS: dict[Side, str] = {
    "both": "Both legs",
    "left": "Left leg only",
    "right": "Right leg only",
}


class FormErrors(ValueError):
    """A session form did not validate. ``errors`` maps a field key to a plain message.

    Keys: ``date``, ``pain.before``, ``pain.during``, ``pain.after``, ``exercises``
    (nothing ticked), ``notes``, and ``exercise.<row>`` for the row of that exercise.
    """

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))

    @property
    def rows(self) -> set[int]:
        """The form rows (exercises) that have a problem, so the page can open them."""
        return {int(k.split(".")[1]) for k in self.errors if k.startswith("exercise.")}

    def summary(self, row_names: Sequence[str]) -> str:
        """One plain line for next to the Save button: nothing saved, and what to fix.

        ``row_names``: the exercise of each form row, to name a row with a problem.
        """
        places = [_place(key, row_names) for key in self.errors]
        return f"Nothing was saved. Fix {join_words(places)}: each is marked above."


def _place(key: str, row_names: Sequence[str]) -> str:
    """The words naming the field of a :class:`FormErrors` key, for the summary."""
    if key.startswith("exercise."):
        row = int(key.split(".")[1])
        return row_names[row] if row < len(row_names) else "an exercise"
    fixed = {
        "date": "the date",
        "exercises": "the exercises",
        "notes": "the notes",
        "pain.before": "pain before",
        "pain.during": "pain during",
        "pain.after": "pain after",
    }
    return fixed.get(key, "the form")


# -- units -------------------------------------------------------------------------


def to_kg(value: float | None, units: Units) -> float | None:
    """A load typed in ``units`` as kilograms (2 decimals); 0 or empty means no load."""
    if value is None or value == 0:
        return None
    kg = value * KG_PER_LB if units == "lb" else value
    return round(kg, 2)


def from_kg(kg: float | None, units: Units) -> float | None:
    """A stored load shown in ``units`` (1 decimal, what a scale or weight says)."""
    if kg is None:
        return None
    return round(kg / KG_PER_LB, 1) if units == "lb" else round(kg, 2)


# -- reps ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[,;/\s]+")


def parse_reps(text: str, sets: int) -> list[int]:
    """Reps per set from what was typed: one number for every set, or one per set.

    ``"12"`` with 3 sets is ``[12, 12, 12]``; ``"12, 12, 10"`` is taken as given.
    Raises ValueError with a message fit to show next to the field.
    """
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts:
        raise ValueError("Reps per set: type how many reps you did, for example 12.")
    numbers: list[int] = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(
                f"Reps per set: {part!r} is not a whole number. Type numbers only, "
                "for example 12 or 12, 12, 10."
            )
        number = int(part)
        if number > 200:
            raise ValueError(f"Reps per set: {number} is more than 200 reps in one set.")
        numbers.append(number)
    if len(numbers) == 1:
        return numbers * sets
    if len(numbers) != sets:
        raise ValueError(
            f"Reps per set: you gave {len(numbers)} numbers for {sets} sets. Give one "
            f"number for all sets, or one per set (for example {example_reps(sets)})."
        )
    return numbers


def example_reps(sets: int) -> str:
    return ", ".join(["12"] * max(1, sets - 1) + (["10"] if sets > 1 else []))


def format_reps(reps: Sequence[int]) -> str:
    """The reverse of :func:`parse_reps`: ``"12"`` when all sets match, else a list."""
    if reps and all(r == reps[0] for r in reps):
        return str(reps[0])
    return ", ".join(str(r) for r in reps)


# -- form rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryDraft:
    """One exercise row of the log form: what is pre-filled and which fields it needs."""

    exercise_id: str
    name: str
    dose_text: str
    done: bool = True
    sets: int = 1
    reps_text: str = "10"
    hold_s: float | None = None
    load: float | None = None
    band: Band | None = None
    side: Side = "both"
    #: Which inputs make sense for this exercise (a hop takes no ankle weight).
    uses_hold: bool = False
    uses_load: bool = False
    uses_band: bool = False
    per_side: bool = False


def _text_of(exercise: Exercise) -> str:
    return " ".join([exercise.name, *exercise.steps, *exercise.progressions]).lower()


def uses_load(exercise: Exercise) -> bool:
    """Exercises whose harder version adds an ankle weight (or other weight)."""
    return "weight" in " ".join(exercise.progressions).lower()


def uses_band(exercise: Exercise) -> bool:
    """Exercises done with, or progressed with, a resistance band."""
    return "band" in _text_of(exercise)


def plan_draft(exercise: Exercise, side: Side = "both") -> EntryDraft:
    """A form row pre-filled with the exercise's default dose (the low end of the range).

    ``side``: the leg a one-sided exercise is done with (:func:`default_side`); an
    exercise done with both legs at once is always "both".
    """
    dose = exercise.dose
    return EntryDraft(
        exercise_id=exercise.id,
        name=exercise.name,
        dose_text=dose.describe(),
        sets=dose.sets,
        reps_text=str(dose.reps_min),
        hold_s=float(dose.hold_s) if dose.hold_s else None,
        uses_hold=dose.is_hold,
        uses_load=uses_load(exercise),
        uses_band=uses_band(exercise),
        per_side=dose.per_side,
        side=side if dose.per_side else "both",
    )


def default_side(chosen: Side | None, checks: Iterable[SelfCheckResult] = ()) -> Side:
    """The leg one-sided exercises are logged for at first.

    The person's own setting (``Settings.default_side``) wins; without one, the knee
    the latest self-check named ("Which knee hurts?", practice runs left out); without
    that, both legs.
    """
    if chosen is not None:
        return chosen
    real = [c for c in checks if not c.practice]
    if real:
        # A stable sort keeps the order saved, so of two checks on one day the later wins.
        named = sorted(real, key=lambda c: c.date)[-1].answers.get("side")
        for side in SIDES:
            if named == side:
                return side
    return "both"


def _in_sequence(library: Library) -> frozenset[str]:
    """Exercises that take one another's place (the hops, ``progresses_to``)."""
    ids = {e.id for e in library.exercises if e.progresses_to}
    return frozenset(ids | {e.progresses_to for e in library.exercises if e.progresses_to})


def _offered(library: Library, phase: int, hops: Collection[str] | None) -> list[Exercise]:
    """The exercises of ``phase``, less the hops not reached yet (when ``hops`` is given).

    A hop is only offered once the advice moved on to it: someone who has not done
    double-leg hops without pain is not invited to log single-leg ones.
    """
    exercises = library.by_phase(phase)
    if hops is None:
        return exercises
    sequenced = _in_sequence(library)
    return [e for e in exercises if e.id not in sequenced or e.id in hops]


def plan_drafts(
    library: Library, phase: int, hops: Collection[str] | None = None, side: Side = "both"
) -> list[EntryDraft]:
    """Today's plan: every exercise of ``phase`` with its default dose, ticked as done.

    ``hops``: the hops reached (``kneecore.progression.hops_reached``); hops not in it
    are left out. None offers every exercise of the phase. ``side``: the leg one-sided
    exercises start on (:func:`default_side`).
    """
    return [plan_draft(e, side) for e in _offered(library, phase, hops)]


def drafts_from_session(
    session: Session,
    library: Library,
    units: Units,
    phase: int | None = None,
    hops: Collection[str] | None = None,
) -> list[EntryDraft]:
    """Form rows to edit ``session``: its exercises as logged, then the rest of the plan.

    The other exercises of ``phase`` (by default the phase of the session's first
    exercise) come unticked, so an exercise forgotten when logging can be added; with
    ``hops`` given, hops not reached yet are not among them (logged ones always are).
    """
    rows: list[EntryDraft] = []
    seen: set[str] = set()
    for entry in session.exercises:
        try:
            base = plan_draft(library.exercise(entry.exercise_id))
        except KeyError:
            base = EntryDraft(entry.exercise_id, entry.exercise_id, "")
        rows.append(
            replace(
                base,
                done=True,
                sets=entry.sets,
                reps_text=format_reps(entry.reps),
                hold_s=entry.hold_s,
                load=from_kg(entry.load_kg, units),
                band=entry.band,
                side=entry.side,
                uses_hold=base.uses_hold or entry.hold_s is not None,
                uses_load=base.uses_load or entry.load_kg is not None,
                uses_band=base.uses_band or entry.band is not None,
                per_side=base.per_side or entry.side != "both",
            )
        )
        seen.add(entry.exercise_id)
    if phase is None:
        phases = [e.phase for e in library.exercises if e.id in seen]
        phase = phases[0] if phases else None
    if phase is not None:
        rows.extend(
            replace(plan_draft(e), done=False)
            for e in _offered(library, phase, hops)
            if e.id not in seen
        )
    return rows


@dataclass(frozen=True)
class EntryInput:
    """What the person entered in one exercise row (load in their own units)."""

    exercise_id: str
    done: bool
    sets: int
    reps_text: str
    hold_s: float | None = None
    load: float | None = None
    band: Band | None = None
    side: Side = "both"


@dataclass(frozen=True)
class SessionInput:
    """Everything the log form holds, before validation."""

    #: None when the date field was emptied.
    date: dt.date | None
    entries: Sequence[EntryInput]
    #: None while "not entered": a pain is never assumed to be 0.
    pain_before: int | None
    pain_during: int | None
    pain_after: int | None
    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    notes: str = ""
    pain_next_morning: int | None = None
    units: Units = "kg"
    session_id: str | None = None


def _message(exc: ValidationError) -> str:
    """A pydantic error as one plain sentence without pydantic's URLs and prefixes."""
    texts = []
    for problem in problems(exc):
        where, msg = problem.field, problem.message
        texts.append(msg if not where or msg.startswith(where) else f"{where}: {msg}")
    return "; ".join(texts)


#: The longest note a session keeps (``Session.notes``).
NOTES_LIMIT = 2000
#: The earliest session date the form takes: an earlier year is a typing slip.
EARLIEST_DATE = dt.date(2000, 1, 1)
#: The pains the form asks for: field, words naming it in a message, FormErrors key.
PAIN_FIELDS = (
    ("pain_before", "pain before you started", "pain.before"),
    ("pain_during", "worst pain during the exercises", "pain.during"),
    ("pain_after", "pain just after", "pain.after"),
)


def _date_problem(day: dt.date | None, today: dt.date) -> str | None:
    if day is None:
        return "Date: pick the day of this session."
    if day > today:
        return f"The date {format_date(day)} is in the future. Pick today or an earlier day."
    if day < EARLIEST_DATE:
        return f"The date {format_date(day)} is before 2000. Check the year."
    return None


def _entries(form: SessionInput, errors: dict[str, str]) -> list[ExerciseEntry]:
    """The ticked rows as entries; each row's problem goes into ``errors``."""
    entries: list[ExerciseEntry] = []
    for row, item in enumerate(form.entries):
        if not item.done:
            continue
        key = f"exercise.{row}"
        try:
            reps = parse_reps(item.reps_text, max(item.sets, 1))
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if item.load is not None and item.load < 0:
            errors[key] = "Load cannot be negative. Leave it at 0 for no weight."
            continue
        try:
            entries.append(
                ExerciseEntry(
                    exercise_id=item.exercise_id,
                    sets=item.sets,
                    reps=reps,
                    hold_s=float(item.hold_s) if item.hold_s else None,
                    load_kg=to_kg(item.load, form.units),
                    band=item.band,
                    side=item.side,
                )
            )
        except ValidationError as exc:
            errors[key] = _entry_message(exc, form.units)
    return entries


def _pain_problems(form: SessionInput) -> dict[str, str]:
    """A message for each pain not entered (or out of range), keyed by its field."""
    found: dict[str, str] = {}
    for field, words, key in PAIN_FIELDS:
        value = getattr(form, field)
        if value is None:
            found[key] = f"Choose your {words} (0 for no pain); it is not entered yet."
        elif not 0 <= value <= 10:
            found[key] = f"Choose your {words}, a number from 0 to 10."
    return found


def build_session(form: SessionInput, today: dt.date | None = None) -> Session:
    """Validate the form and return the session to save, or raise :class:`FormErrors`.

    Every field is checked, so all problems are reported at once; nothing is saved by
    this function. Nothing is assumed either: an empty date or a pain not entered is a
    problem, never today or 0.
    """
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    date_problem = _date_problem(form.date, today)
    if date_problem:
        errors["date"] = date_problem
    entries = _entries(form, errors)
    if not entries and not any(k.startswith("exercise.") for k in errors):
        errors["exercises"] = "Tick at least one exercise you did in this session."
    errors.update(_pain_problems(form))
    if len(form.notes.strip()) > NOTES_LIMIT:
        over = len(form.notes.strip()) - NOTES_LIMIT
        errors["notes"] = (
            f"Notes: {len(form.notes.strip())} characters, {over} over the limit of "
            f"{NOTES_LIMIT}. Shorten them; everything you typed is still in the box."
        )
    if errors:
        raise FormErrors(errors)
    data: dict[str, Any] = {
        "date": form.date,
        "exercises": entries,
        "pain_before": form.pain_before,
        "pain_during": form.pain_during,
        "pain_after": form.pain_after,
        "pain_next_morning": form.pain_next_morning,
        "swelling": form.swelling,
        "locking": form.locking,
        "giving_way": form.giving_way,
        "notes": form.notes.strip(),
    }
    if form.session_id:
        data["id"] = form.session_id
    try:
        return Session.model_validate(data)
    except ValidationError as exc:
        raise FormErrors({"form": _message(exc)}) from exc


def same_session(session: Session, saved: Iterable[Session]) -> Session | None:
    """A saved session of the same day with the same content as ``session``, if any.

    Saving the same form twice (a double tap, or Save pressed again because the page
    did not seem to change) would count one session twice; the page asks first.
    """
    content = session.model_dump(exclude={"id"})
    for other in saved:
        if other.date == session.date and other.model_dump(exclude={"id"}) == content:
            return other
    return None


SubmitOutcome = Literal["save", "already_saved", "ask"]


def submit_outcome(session: Session, saved: Iterable[Session]) -> SubmitOutcome:
    """What pressing Save does with a valid new ``session``, given the ``saved`` ones.

    "already_saved": this very submission (its id is the form's, made once per form) is
    stored: the Save was sent twice, or again after the server stopped mid-way, and is
    not saved twice. "ask": a session of the same day and content is stored under
    another id (a second tap on a fresh form, or a form refilled after a crash): the
    person is asked first. "save" otherwise.
    """
    saved = list(saved)
    if any(s.id == session.id for s in saved):
        return "already_saved"
    return "ask" if same_session(session, saved) is not None else "save"


def _entry_message(exc: ValidationError, units: Units) -> str:
    """Every out-of-range number of one row (Sets 50 and Hold 9999 both), in words."""
    fields = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
    top = 100 if units == "kg" else round(100 / KG_PER_LB)
    words = {
        "sets": "Sets: give a number of sets from 1 to 20.",
        "hold_s": "Hold: give the hold time in seconds, from 0 to 600.",
        "load_kg": f"Load: give a weight from 0 to {top} {units}.",
    }
    found = [text for field, text in words.items() if field in fields]
    return " ".join(found) if found else _message(exc)


# -- zone words ------------------------------------------------------------------------

#: Said of a green session until its next-morning pain is in: the morning can still
#: turn it amber or red, so "green" alone would claim more than is known.
SO_FAR = "so far"
#: What a provisional green means, instead of the zone meaning's "had settled by the
#: next morning", which is not known yet.
GREEN_SO_FAR_MEANING = (
    "Safe so far: pain stayed at 3/10 or less. Whether it settles by the next morning "
    "decides the zone, so add your next-morning pain tomorrow."
)


def green_so_far(session: Session) -> bool:
    """Whether the session is green only until its next-morning pain is entered."""
    return session.pain_next_morning is None and session_zone(session) == "green"


def zone_text(session: Session, zone_label: Callable[[Zone], str]) -> str:
    """The session's zone label (``PainScale.zone_label``), "so far" when provisional."""
    label = zone_label(session_zone(session))
    return f"{label} {SO_FAR}" if green_so_far(session) else label


# -- history table ---------------------------------------------------------------------

_FLAGS = (("swelling", "swelling"), ("locking", "locking"), ("giving_way", "giving way"))


def knee_problems(session: Session) -> str:
    """The knee problems a session reported, in words (empty when none)."""
    return join_words([words for name, words in _FLAGS if getattr(session, name)])


#: What the history's "Pain" column holds, in order.
PAIN_ROW_MEANING = "Pain before · during · after · next morning (— not entered yet)"


def pain_row(session: Session) -> str:
    """The four pains in one short cell, e.g. ``1 · 3 · 2 · —`` (see PAIN_ROW_MEANING)."""
    morning = session.pain_next_morning
    pains = (session.pain_before, session.pain_during, session.pain_after, morning)
    return " · ".join("—" if p is None else str(p) for p in pains)


def history_rows(
    sessions: Iterable[Session],
    names: Mapping[str, str],
    zone_label: Callable[[Zone], str],
    units: Units = "kg",
) -> list[dict[str, Any]]:
    """One row per session for the history table, newest first, ready to show.

    Missing values are a dash rather than ``None``, which a table would print as a word.

    ``names`` maps exercise ids to names; ``zone_label`` gives the zone's icon and word
    (``PainScale.zone_label``) so the table never relies on colour alone.
    """
    rows = []
    ordered = sorted(sessions, key=lambda s: s.date, reverse=True)
    for s in ordered:
        loads = [e.load_kg for e in s.exercises if e.load_kg]
        rows.append(
            {
                "Date": s.date,
                "Zone": zone_text(s, zone_label),
                # One column for the four pains: four narrow columns cut their headers
                # ("Mornin") on a phone. The table's help and caption name them.
                "Pain": pain_row(s),
                # The table's own "Download as CSV" writes cells as they are: text a
                # spreadsheet would run as a formula is neutralised as in our export.
                "Exercises": safe_cell(
                    ", ".join(names.get(e.exercise_id, e.exercise_id) for e in s.exercises)
                ),
                f"Top load ({units})": f"{from_kg(max(loads), units):g}" if loads else "—",
                "Knee problems": knee_problems(s),
                "Notes": safe_cell(s.notes),
                "id": s.id,
            }
        )
    return rows


@dataclass(frozen=True)
class HistoryPage:
    """The sessions the history shows: the newest ``limit``, of ``total`` in all."""

    sessions: list[Session]
    total: int

    @property
    def more(self) -> bool:
        """Whether older sessions are left to show."""
        return self.total > len(self.sessions)


def history_page(sessions: Iterable[Session], limit: int) -> HistoryPage:
    """The newest ``limit`` sessions, newest first, and how many there are in all.

    Years of sessions in one table would make every rerun of the page slow, so the
    history shows a page of them and more on request.
    """
    newest_first = sorted(sessions, key=lambda s: s.date, reverse=True)
    return HistoryPage(newest_first[:limit], len(newest_first))


def session_label(session: Session, zone_label: Callable[[Zone], str]) -> str:
    """A session as the "choose a session" list names it: day, zone, pain during."""
    return (
        f"{format_day(session.date)} · {zone_text(session, zone_label)} · "
        f"pain {session.pain_during}/10"
    )
