"""The user's data, as pydantic models: sessions, runs, self-check results, phases, settings.

These are the shapes the store writes and the export carries. They are strict on purpose:
health data that quietly turns ``"5"`` into ``5`` or accepts ``NaN`` is data nobody can
trust later. Dates are the one lax field, because JSON has no date type and the store
reads them back as ISO strings.
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

Urgency = Literal["emergency", "gp_soon", "check_if_no_better", "none"]
Zone = Literal["green", "amber", "red"]
Side = Literal["left", "right", "both"]
Band = Literal["light", "medium", "heavy", "extra_heavy"]

#: The longest id: ours are 32 hex characters, the content's are short words.
ID_MAX = 64
#: The longest stored text: a note, a reason or a piece of advice, a warning sign's
#: words (the longest sentence in ``content/`` is under 500 characters; the log form's
#: note limit, ``kneecore.tracker.NOTES_LIMIT``, is the same 2,000).
TEXT_MAX = 2000
#: The longest answer given as text: answers are choices (short ids), never free text.
ANSWER_TEXT_MAX = 200
#: The most items in a list of reasons, advice, signs or ids of one stored item: far
#: above what the rules produce, so an import cannot carry megabytes in one field.
LIST_MAX = 100
#: A clearance lists the self-checks it covered: years of weekly ones still fit.
SELFCHECK_IDS_MAX = 2000
#: The longest patient name the report prints (Settings.patient_name).
PATIENT_NAME_MAX = 100
#: No date of birth before this day is taken (a typo, not a person).
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

#: Every stored text has a length limit, so no field can grow without bound (an
#: imported 3 MB field once made the PDF report run for 41 s).
ShortId = Annotated[str, Field(min_length=1, max_length=ID_MAX)]
Sentence = Annotated[str, Field(max_length=TEXT_MAX)]
AnswerText = Annotated[str, Field(max_length=ANSWER_TEXT_MAX)]

#: A 0 to 10 numeric pain rating.
Pain = Annotated[int, Field(ge=0, le=10)]
#: A calendar date; lax so that ISO strings read back from JSON validate.
IsoDate = Annotated[dt.date, Field(strict=False)]
IsoDateTime = Annotated[dt.datetime, Field(strict=False)]


def new_id() -> str:
    """A fresh random id: unique across devices, so imports can skip what is present."""
    return uuid.uuid4().hex


def today() -> dt.date:
    return dt.date.today()


def not_in_future(value: dt.date, info: ValidationInfo) -> dt.date:
    """A logged day may not be after today (the field validator of sessions and runs)."""
    # New input is strict. Data read back from the store gets a little slack
    # (``future_slack_days`` in the validation context): after a flight west or a
    # clock change, yesterday's session must not make the whole file unreadable.
    context = info.context or {}
    # A store read works the limit out once (``LATEST_DATE``), not once per session.
    latest = context.get(LATEST_DATE)
    if latest is None:
        latest = today() + dt.timedelta(days=int(context.get("future_slack_days", 0)))
    if value > latest:
        raise ValueError(f"date: {value.isoformat()} is in the future")
    return value


class StrictModel(BaseModel):
    """Base for stored data: unknown fields, NaN/infinity and wrong types are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)

    def _share_fields_set(self) -> None:
        """Point a fully given model at one set of field names shared by its class.

        pydantic keeps, for every instance, the set of fields it was given: a
        728-byte set for a session or an exercise entry, which was more than half of
        a five-year store in memory (issue 12). A model given every field has the
        same set as any other, and a frozen model never changes it in place
        (``model_copy`` copies it first), so one shared set serves them all. Called
        as each model is validated, so the private set is freed at once and its
        memory reused by the next one, instead of raising the peak.
        """
        cls = type(self)
        shared = _ALL_FIELDS.get(cls)
        if shared is None:
            shared = _ALL_FIELDS.setdefault(cls, set(cls.model_fields))
        if len(self.__pydantic_fields_set__) == len(shared):
            _set_attribute(self, "__pydantic_fields_set__", shared)


#: Validation context keys of a store read: the table in which equal exercise entries
#: meet, and the latest date allowed (today plus the read's slack).
SAME_ENTRIES = "same_entries"
LATEST_DATE = "latest_date"
_set_attribute = object.__setattr__  # the one way past ``frozen``, for the shared set
#: Each model class's full set of field names (see ``StrictModel._share_fields_set``).
_ALL_FIELDS: dict[type[StrictModel], set[str]] = {}


class ExerciseEntry(StrictModel):
    """One exercise as done in a session."""

    exercise_id: ShortId
    sets: int = Field(ge=1, le=20)
    #: Reps of each set, one number per set.
    reps: list[Annotated[int, Field(ge=0, le=200)]] = Field(min_length=1, max_length=20)
    hold_s: float | None = Field(default=None, ge=0, le=600)
    load_kg: float | None = Field(default=None, ge=0, le=100)
    band: Band | None = None
    side: Side = "both"

    @model_validator(mode="after")
    def _reps_match_sets(self) -> ExerciseEntry:
        if len(self.reps) != self.sets:
            raise ValueError(
                f"reps: {len(self.reps)} numbers given for {self.sets} sets; "
                "give the reps of each set"
            )
        return self

    @property
    def total_reps(self) -> int:
        return sum(self.reps)


class Session(StrictModel):
    """One logged exercise session."""

    id: ShortId = Field(default_factory=new_id)
    date: IsoDate
    exercises: list[ExerciseEntry] = Field(min_length=1, max_length=40)
    pain_before: Pain
    pain_during: Pain
    pain_after: Pain
    pain_next_morning: Pain | None = None
    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    notes: str = Field(default="", max_length=TEXT_MAX)

    @field_validator("date")
    @classmethod
    def _not_in_future(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return not_in_future(value, info)

    @model_validator(mode="after")
    def _share_memory(self, info: ValidationInfo) -> Session:
        # Once per session of a store read (about 1,800 at five years), not per entry:
        # a validator's call costs more than the work it does.
        self._share_fields_set()
        context = info.context
        pool: EntryPool | None = context.get(SAME_ENTRIES) if context else None
        if pool is not None:
            pool.share(self.exercises)
        return self


_ENTRY_KEY = operator.itemgetter("exercise_id", "hold_s", "load_kg", "band", "side")


class EntryPool:
    """The exercise entries of one store read, each distinct one kept as one object.

    A plan's dose repeats for weeks, so a five-year store holds some 11,000 entries of
    a few dozen kinds: shared, they take a fraction of the memory (issue 12). Entries
    are frozen, so sharing one is safe. Put in a store read's validation context
    (``SAME_ENTRIES``), so that it lives for that one read only.
    """

    __slots__ = ("_by_key", "_last")

    def __init__(self) -> None:
        self._by_key: dict[tuple[object, ...], ExerciseEntry] = {}
        #: The entries of the session read last, position by position.
        self._last: list[ExerciseEntry] = []

    def share(self, entries: list[ExerciseEntry]) -> None:
        """Replace each entry of a just-validated session by its kept equal, if any.

        The list is the session's own and no one has seen it yet, so it may still
        be changed here.
        """
        last = self._last
        for index, entry in enumerate(entries):
            fields = entry.__dict__
            # Most sessions repeat the one before: one dict comparison, no key to build.
            if index < len(last) and fields == last[index].__dict__:
                entries[index] = last[index]
                continue
            # The key's length tells how many reps it holds: unambiguous without sets.
            key = (*_ENTRY_KEY(fields), *fields["reps"])
            kept = self._by_key.get(key)
            if kept is None:
                entry._share_fields_set()
                kept = self._by_key[key] = entry
            else:
                entries[index] = kept
            if index < len(last):
                last[index] = kept
            else:
                last.append(kept)


#: How urgent one warning sign is (``check_if_no_better`` and ``none`` are not signs).
SignUrgency = Literal["emergency", "gp_soon"]
#: A stored answer: a number, a choice, yes/no, a list of choices (``pain_location``).
AnswerValue = (
    int | float | AnswerText | bool | Annotated[list[AnswerText], Field(max_length=LIST_MAX)] | None
)


class WarningSign(StrictModel):
    """One warning sign a self-check found, as the result showed it.

    Kept with the result so the plan pause (``kneecore.safety``) can repeat the very
    words the person saw, and knows each sign's urgency without re-running the rules
    (a sign's urgency may depend on other answers, e.g. the time since an injury).
    """

    id: ShortId
    urgency: SignUrgency
    #: The sentence shown in the result ("Warning sign: ...").
    reason: str = Field(min_length=1, max_length=TEXT_MAX)
    #: Set when a clinician's clearance already covered this sign when the self-check
    #: was taken: the sign is shown, but it does not pause the plan.
    cleared_on: IsoDate | None = None


class SelfCheckResult(StrictModel):
    """What a self-check decided. ``answers`` keeps the raw answers for later comparison.

    ``red_flags`` lists the ids of the warning signs that decide the urgency (signs a
    clearance covered are only in ``signs``, with ``cleared_on`` set). A ``practice``
    result is a practice run's warning record: kept because it found a warning sign, but
    never counted as a knee score or a phase.
    """

    id: ShortId = Field(default_factory=new_id)
    date: IsoDate = Field(default_factory=today)
    urgency: Urgency
    phase: Literal[1, 2, 3] | None = None
    red_flags: list[ShortId] = Field(default_factory=list, max_length=LIST_MAX)
    akps: int | None = Field(default=None, ge=0, le=100)
    #: Every reason shown with the result: why this urgency, then why this phase.
    reasons: list[Sentence] = Field(default_factory=list, max_length=LIST_MAX)
    #: The part of ``reasons`` that explains ``phase``, kept apart when the result is
    #: made so a page never re-runs the phase rules to split them. Empty in results
    #: stored before it existed (``selfcheck_flow.result_view`` works it out for those).
    phase_reasons: list[Sentence] = Field(default_factory=list, max_length=LIST_MAX)
    advice: list[Sentence] = Field(default_factory=list, max_length=LIST_MAX)
    answers: dict[ShortId, AnswerValue] = Field(default_factory=dict, max_length=LIST_MAX)
    signs: list[WarningSign] = Field(default_factory=list, max_length=LIST_MAX)
    practice: bool = False

    @model_validator(mode="after")
    def _no_plan_with_red_flags(self) -> SelfCheckResult:
        # Safety invariant: a plan is only ever offered when the triage allows one.
        if self.phase is not None and self.urgency in ("emergency", "gp_soon"):
            raise ValueError(f"phase: no phase may be given with urgency {self.urgency!r}")
        return self


class Clearance(StrictModel):
    """A GP or physiotherapist examined the knee on ``examined`` and said the user can
    exercise (clinical-rules.md section 6). ``covers`` lists the warning-sign ids that
    were active when it was recorded and dated on or before ``examined``."""

    id: ShortId = Field(default_factory=new_id)
    examined: IsoDate
    recorded: IsoDate = Field(default_factory=today)
    note: str = Field(default="", max_length=TEXT_MAX)
    covers: list[ShortId] = Field(default_factory=list, max_length=LIST_MAX)
    #: The self-checks (or kept warning records) whose signs it covered, as they stood
    #: when it was recorded: those stay cleared whatever their urgency, while a later
    #: self-check is judged by the rules for later signs (``kneecore.safety``).
    selfcheck_ids: list[ShortId] = Field(default_factory=list, max_length=SELFCHECK_IDS_MAX)


class PhaseStart(StrictModel):
    """The user moved into ``phase`` on ``started``; the latest entry is the current phase."""

    id: ShortId = Field(default_factory=new_id)
    phase: Literal[1, 2, 3]
    started: IsoDate = Field(default_factory=today)
    source: Literal["self_check", "progression", "step_back", "manual"] = "manual"


#: Where a run was logged from: by hand, or read from a watch file (a Strava archive's
#: runs come from the GPX, TCX or FIT files inside it).
RunSource = Literal["manual", "gpx", "tcx", "fit"]
#: What the ground was like. Every walk-run level asks for flat, even ground.
Surface = Literal["road", "path", "track", "trail", "grass", "treadmill", "other"]
#: The longest minutes one run may hold: a whole day, far above any real run, so a
#: typo in hours is refused rather than charted.
RUN_MINUTES_MAX = 1440
#: Rounding slack between the parts of a run and its total (a watch rounds each part).
RUN_MINUTES_SLACK = 1.0


class Run(StrictModel):
    """One logged run (clinical-rules.md section 7): a walk-run level or a free run.

    ``level`` is the walk-run level run (1 to 9), or None for a free run outside the
    programme. Pains are 0 to 10: before, worst during, one hour after and the next
    morning (entered later, like a session's).
    """

    id: ShortId = Field(default_factory=new_id)
    date: IsoDate
    level: int | None = Field(default=None, ge=1, le=9)
    run_min: float = Field(ge=0, le=RUN_MINUTES_MAX)
    walk_min: float = Field(default=0.0, ge=0, le=RUN_MINUTES_MAX)
    total_min: float = Field(gt=0, le=RUN_MINUTES_MAX)
    distance_km: float | None = Field(default=None, gt=0, le=1000)
    pain_before: Pain
    pain_during: Pain
    pain_1h: Pain | None = None
    pain_next_morning: Pain | None = None
    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    limp: bool = False
    effort: int | None = Field(default=None, ge=0, le=10)
    cadence_spm: float | None = Field(default=None, gt=0, le=300)
    surface: Surface | None = None
    downhill: bool = False
    shoes: str = Field(default="", max_length=ANSWER_TEXT_MAX)
    notes: str = Field(default="", max_length=TEXT_MAX)
    source: RunSource = "manual"
    #: When the run started, as the watch recorded it (imported runs): the import
    #: skips a run whose start is already in the log. None for runs logged by hand.
    started_at: IsoDateTime | None = None

    @field_validator("date")
    @classmethod
    def _not_in_future(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        return not_in_future(value, info)

    @model_validator(mode="after")
    def _parts_fit_the_total(self) -> Run:
        # A run cannot hold more running and walking than its whole length; a minute of
        # slack lets a watch's rounding through.
        if self.run_min + self.walk_min > self.total_min + RUN_MINUTES_SLACK:
            raise ValueError(
                f"total_min: {self.total_min:g} minutes in all is less than "
                f"{self.run_min:g} running plus {self.walk_min:g} walking"
            )
        return self

    @property
    def distance_or_minutes(self) -> float:
        """How long the run was for the load warning: its distance, else its running time."""
        return self.distance_km if self.distance_km is not None else self.run_min


class Settings(StrictModel):
    """User preferences; carried by the export."""

    units: Literal["kg", "lb"] = "kg"
    #: Weekdays for exercise reminders, 0 = Monday.
    reminder_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 2, 4]
    )
    reminder_time: str = Field(default="18:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    morning_reminder_time: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    #: The leg one-sided exercises are logged for; None follows the latest self-check.
    default_side: Side | None = None
    #: The first day of the week in the date picker's calendar, 0 = Monday, 6 = Sunday.
    week_starts: int = Field(default=0, ge=0, le=6)
    #: Weekdays of planned runs (return to running), 0 = Monday; the calendar file
    #: gets a reminder on each. Empty: no run reminders.
    run_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(default_factory=list, max_length=7)
    #: The person's name and date of birth, printed on the report's first page only
    #: when given (for the GP who reads it); both stay in this store and its export.
    patient_name: str = Field(default="", max_length=PATIENT_NAME_MAX)
    date_of_birth: IsoDate | None = None

    @field_validator("patient_name")
    @classmethod
    def _one_line_name(cls, value: str) -> str:
        # A name is one line on the report: newlines and runs of spaces become one space.
        return " ".join(value.split())

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth_date(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if value is None:
            return None
        if value < EARLIEST_BIRTH_DATE:
            raise ValueError(
                f"date_of_birth: {value.isoformat()} is before {EARLIEST_BIRTH_DATE.year}"
            )
        try:
            return not_in_future(value, info)
        except ValueError:
            raise ValueError(f"date_of_birth: {value.isoformat()} is in the future") from None
