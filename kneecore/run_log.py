"""The run log's flow (clinical-rules.md sections 7 and 8): what the Runs page decides.

* :func:`run_gate` -- is the walk-run programme open, and what may the next run be: the
  one answer Today's running card (:mod:`kneecore.today_running`) and the Runs page
  both show. Section 7: it opens in phase 2 or 3 once every point of the entry
  checklist is met; never while the plan is paused. The checklist is asked before the
  first programme run, again after 14 days without a run, and again when the phase
  went back since the latest run (the specification is silent there: safety first).
  In between, the runs logged show it was met and the run rules take over.
* :func:`draft_for` -- the form's prefill: the level to run next with its minutes from
  ``content/running/levels.yaml``, or nothing for a free run (the runner says).
* :func:`build_run` -- the run a form describes, or :class:`RunFormErrors` naming each
  field that is wrong: an untouched pain is "not entered", never 0, and is refused.
* :func:`history_rows`, :func:`run_label`, :func:`morning_due` -- the history: rows fit
  for a phone, the words of a run in a chooser, the runs whose next morning is owed.

Pure: no Streamlit. The page keeps the form values and the store; the rules about a
run's zone and the advice are in :mod:`kneecore.running`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from kneecore.content import Library, load_running
from kneecore.models import TEXT_MAX, PhaseStart, Run, Session, Surface, Zone
from kneecore.running import (
    CHECKLIST_AGAIN_DAYS,
    Checklist,
    Goal,
    Maintenance,
    RunAdvice,
    advise,
    entry_checklist,
    maintenance,
    zone_of,
)
from kneecore.tracker import FormErrors
from kneecore.words import format_day, join_words

__all__ = [
    "MORNING_DAYS",
    "RUN_MEANING",
    "RUN_PHASES",
    "SURFACE_WORDS",
    "EntryAnswers",
    "RunDraft",
    "RunFormErrors",
    "RunGate",
    "RunInput",
    "as_mapping",
    "build_run",
    "changed_words",
    "draft_for",
    "history_rows",
    "level_words",
    "morning_due",
    "run_gate",
    "run_label",
]

#: The next-morning pain can be added from the history for runs of the last 7 days
#: (older ones through Edit): a morning is remembered that long, not much longer.
MORNING_DAYS = 7
#: Shoes are a short answer (the model's limit).
SHOES_MAX = 200
#: The walk-run programme opens in these phases, once the entry checklist is met
#: (section 7: "It opens in phase 2 or 3 once its entry checklist is met").
RUN_PHASES = (2, 3)

SURFACE_WORDS: dict[Surface, str] = {
    "road": "Road",
    "path": "Path or pavement",
    "track": "Running track",
    "trail": "Trail",
    "grass": "Grass",
    "treadmill": "Treadmill",
    "other": "Other",
}

_PLACES = {
    "date": "the date",
    "level": "the level",
    "run_min": "minutes running",
    "walk_min": "minutes walking",
    "pain.before": "pain before",
    "pain.during": "worst pain during",
    "pain.1h": "pain an hour after",
    "pain.morning": "pain the next morning",
    "distance": "the distance",
    "shoes": "the shoes",
    "notes": "the notes",
}


class RunFormErrors(FormErrors):
    """A run form did not validate; ``errors`` maps a field key to a plain message.

    Keys: ``date``, ``run_min``, ``walk_min``, ``pain.before``, ``pain.during``,
    ``pain.1h``, ``pain.morning``, ``distance``, ``shoes``, ``notes`` and ``form``
    (a problem with no field of its own).
    """

    def summary(self, row_names: Sequence[str] = ()) -> str:
        """One plain line for next to Save: nothing saved, and what to fix."""
        places = [_PLACES[k] for k in self.errors if k in _PLACES]
        if not places:
            return "Nothing was saved."
        return f"Nothing was saved. Fix {join_words(places)}: each is marked above."


# -- the gate --------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryAnswers:
    """The checklist's three answers given today (None: not answered). Never saved:
    they are true only today; the log holds what the checklist reads from it."""

    pain_now: int | None = None
    brisk_walk: bool | None = None
    single_leg_hops: bool | None = None


@dataclass(frozen=True)
class RunGate:
    """Is the walk-run programme open, and what may the next run be (:func:`run_gate`)."""

    open: bool
    #: Plain words: why the programme is shut, or "" when it is open.
    why: str
    #: The entry checklist is asked now (shown with its answers).
    ask_checklist: bool
    #: The checklist as it stands, from today's answers and the log.
    checklist: Checklist
    #: The next run: its level and the advice behind it.
    advice: RunAdvice
    #: Section 8: whether the programme is complete (for the goal given).
    maintenance: Maintenance
    #: Why the checklist is asked again ("" before the first programme run).
    again: str = ""


def went_back(phases: Sequence[PhaseStart], runs: Sequence[Run]) -> PhaseStart | None:
    """The phase start that went back below the phase of the latest run, on or after
    that run's day (None: it did not). ``phases`` oldest first, as the store keeps them."""
    if not runs or not phases:
        return None
    last_run = max(r.date for r in runs)
    before = [p for p in phases if p.started < last_run]
    if not before:
        return None
    return next((p for p in phases if p.started >= last_run and p.phase < before[-1].phase), None)


def _again(phases: Sequence[PhaseStart], runs: Sequence[Run], advice: RunAdvice) -> str | None:
    """Why the checklist is asked: "" before the first programme run, the reason when
    it is asked again, None when the runs logged show it was met."""
    if not any(r.level is not None for r in runs):
        return ""  # free runs alone do not show the checklist was met
    if advice.days_off is not None and advice.days_off >= CHECKLIST_AGAIN_DAYS:
        return load_running().entry.again_after_days_off.format(days=advice.days_off)
    back = went_back(phases, runs)
    if back is not None:
        return (
            f"You went back to phase {back.phase} on {format_day(back.started)}, so check "
            "the four points again before your next run."
        )
    return None


def _shut_why(phase: int | None, paused: bool) -> str:
    if paused:
        return (
            "Running is paused with your exercise plan, for the reason in the box above. "
            "Your runs so far stay below."
        )
    where = "You have no phase yet" if phase is None else f"You are in phase {phase}"
    return (
        f"{where}. The walk-run programme opens in phase 2 or 3, once every point of the "
        "entry checklist below is met. Until then your exercises prepare the knee for "
        "running."
    )


def run_gate(
    phases: Sequence[PhaseStart],
    runs: Sequence[Run],
    sessions: Sequence[Session],
    answers: EntryAnswers,
    library: Library,
    *,
    paused: bool = False,
    goal: Goal | None = None,
    today: dt.date | None = None,
    see_gp_from: dt.date | None = None,
) -> RunGate:
    """Is the walk-run programme open today, and what may the next run be (section 7).

    Safety first, in this order: the plan pause shuts it (no checklist); outside phases
    2 and 3 it is shut; the checklist is asked before the first programme run, after
    14 days without a run, and when the phase went back since the latest run, and then
    opens it only when every point is met. ``phases`` oldest first (the current one
    last); ``answers`` today's; ``see_gp_from`` as :func:`kneecore.running.advise`.
    """
    today = today or dt.date.today()
    runs = [r for r in runs if r.date <= today]
    sessions = [s for s in sessions if s.date <= today]
    phase = phases[-1].phase if phases else None
    advice = advise(runs, today, see_gp_from=see_gp_from, sessions=sessions)
    checklist = entry_checklist(
        answers.pain_now, answers.brisk_walk, answers.single_leg_hops, sessions, runs, today
    )
    done = maintenance(runs, sessions, goal, library, today)

    def gate(open_: bool, why: str, ask: bool, again: str = "") -> RunGate:
        return RunGate(open_, " ".join(why.split()), ask, checklist, advice, done, again)

    if paused:
        return gate(False, _shut_why(phase, paused=True), False)
    if phase not in RUN_PHASES:
        return gate(False, _shut_why(phase, paused=False), True)
    again = _again(phases, runs, advice)
    if again is None:
        return gate(True, "", False)
    again = " ".join(again.split())
    if checklist.met:
        return gate(True, "", True, again)
    why = again or (
        "The walk-run programme opens in phase 2 or 3 once every point of the entry "
        "checklist below is met. Answer the three questions to see where you are."
    )
    return gate(False, why, True, again)


# -- the form --------------------------------------------------------------------------


@dataclass(frozen=True)
class RunDraft:
    """What the form starts with: a level and its minutes, or a free run (None)."""

    level: int | None
    run_min: float | None
    walk_min: float | None
    #: The level's pattern in words ("" for a free run).
    pattern: str = ""


def draft_for(level: int | None) -> RunDraft:
    """The form's prefill for ``level`` (None: a free run, minutes left to the runner)."""
    if level is None:
        return RunDraft(None, None, None)
    lv = load_running().levels.level(level)
    return RunDraft(level, float(lv.run_min), float(lv.walk_min), lv.describe())


def level_words(level: int | None) -> str:
    """A level choice in words, e.g. ``Level 3 · run 3 min, walk 2 min, 6 times (30 min)``."""
    if level is None:
        return "Free run (outside the programme)"
    return f"Level {level} · {load_running().levels.level(level).describe()}"


@dataclass
class RunInput:
    """What a run form holds (None: left empty or "not entered")."""

    date: dt.date | None
    level: int | None
    run_min: float | None
    walk_min: float | None
    pain_before: int | None
    pain_during: int | None
    pain_1h: int | None
    pain_next_morning: int | None = None
    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    limp: bool = False
    distance_km: float | None = None
    effort: int | None = None
    surface: Surface | None = None
    downhill: bool = False
    shoes: str = ""
    notes: str = ""
    #: Editing: the run as it was (its id, source, total and watch fields are kept).
    base: Run | None = field(default=None, repr=False)


def _minutes(value: float | None, what: str, errors: dict[str, str], key: str) -> float:
    if value is None:
        errors[key] = f"Enter the {what}, in whole or part minutes (0 if none)."
        return 0.0
    if value < 0:
        errors[key] = f"The {what} cannot be below 0."
    return float(value)


def _check_form(form: RunInput, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form.date is None:
        errors["date"] = "Pick the day of the run."
    elif form.date > today:
        errors["date"] = f"{format_day(form.date)} is in the future: pick today or earlier."
    run_min = _minutes(form.run_min, "minutes you ran", errors, "run_min")
    walk_min = _minutes(form.walk_min, "minutes you walked", errors, "walk_min")
    if "run_min" not in errors and "walk_min" not in errors and run_min + walk_min <= 0:
        errors["run_min"] = "A run needs some minutes: how long did you run?"
    pains = {
        "pain.before": (form.pain_before, "pain before you set off"),
        "pain.during": (form.pain_during, "worst pain during the run"),
        "pain.1h": (form.pain_1h, "pain one hour after you started"),
    }
    for key, (value, words) in pains.items():
        if value is None:
            errors[key] = f"Choose the {words} (0 if none): it is not entered yet."
    if form.distance_km is not None and form.distance_km <= 0:
        errors["distance"] = "Leave the distance empty, or enter more than 0 km."
    if len(form.shoes) > SHOES_MAX:
        errors["shoes"] = f"Shorten the shoes to {SHOES_MAX} characters or fewer."
    if len(form.notes) > TEXT_MAX:
        over = len(form.notes) - TEXT_MAX
        errors["notes"] = f"The notes are {over} characters over the {TEXT_MAX} allowed."
    return errors


def _total(form: RunInput, run_min: float, walk_min: float) -> float:
    # A run logged by hand lasts its running plus walking. An imported run may hold
    # pauses as well: its recorded total is kept while the parts still fit in it.
    base = form.base
    if base is not None and run_min + walk_min <= base.total_min:
        return base.total_min
    return run_min + walk_min


def build_run(form: RunInput, today: dt.date | None = None) -> Run:
    """The run ``form`` describes; raises :class:`RunFormErrors` naming each problem."""
    today = today or dt.date.today()
    errors = _check_form(form, today)
    if errors:
        raise RunFormErrors(errors)
    run_min, walk_min = float(form.run_min or 0), float(form.walk_min or 0)
    kept: dict[str, Any] = {}
    if form.base is not None:
        kept = form.base.model_dump(
            include={"id", "source", "started_at", "cadence_spm"}, exclude_none=True
        )
    data = {
        **kept,
        "date": form.date,
        "level": form.level,
        "run_min": run_min,
        "walk_min": walk_min,
        "total_min": _total(form, run_min, walk_min),
        "distance_km": form.distance_km,
        "pain_before": form.pain_before,
        "pain_during": form.pain_during,
        "pain_1h": form.pain_1h,
        "pain_next_morning": form.pain_next_morning,
        "swelling": form.swelling,
        "locking": form.locking,
        "giving_way": form.giving_way,
        "limp": form.limp,
        "effort": form.effort,
        "surface": form.surface,
        "downhill": form.downhill,
        "shoes": form.shoes.strip(),
        "notes": form.notes.strip(),
    }
    try:
        return Run.model_validate(data)
    except ValidationError as err:
        # The checks above cover what a form can send; this is the model's last word.
        words = "; ".join(str(e["msg"]) for e in err.errors())
        raise RunFormErrors({"form": f"The run could not be saved: {words}."}) from err


# -- the history -----------------------------------------------------------------------


def _pain(value: int | None) -> str:
    return "—" if value is None else str(value)


#: What the history's "Run" column holds (its help, and the list's words).
RUN_MEANING = "Level 1 to 9 of the walk-run programme, or a free run, and minutes in all"


def _what(run: Run) -> str:
    """ "Level 2 · 30 min" or "Free run · 42 min": the level said whole, never "L2"."""
    what = "Free run" if run.level is None else f"Level {run.level}"
    return f"{what} · {run.total_min:g} min"


def history_rows(
    runs: Iterable[Run], zone_label: Callable[[Zone], str], limit: int | None = None
) -> list[dict[str, Any]]:
    """The runs newest first, one short row each: fits a 390 px phone screen.

    ``zone_label`` gives the zone's icon and word (never colour alone). The run and its
    minutes share one cell (:data:`RUN_MEANING`): a column of their own would not fit
    a phone. Pains read before · during · 1 hour · next morning, with "—" for not
    entered yet. A "km" column only when a run shown has a distance: an empty column
    says nothing and pushes the others off a phone's screen.
    """
    newest = sorted(runs, key=lambda r: r.date, reverse=True)[:limit]
    with_km = any(run.distance_km is not None for run in newest)
    rows = []
    for run in newest:
        row: dict[str, Any] = {
            "id": run.id,
            "Date": run.date,
            "Run": _what(run),
            "Zone": zone_label(zone_of(run)),
            "Pain": " · ".join(
                _pain(p)
                for p in (run.pain_before, run.pain_during, run.pain_1h, run.pain_next_morning)
            ),
        }
        if with_km:
            row["km"] = "" if run.distance_km is None else f"{run.distance_km:g}"
        rows.append(row)
    return rows


def run_label(run: Run, zone_label: Callable[[Zone], str]) -> str:
    """A run in a chooser: day, level, minutes, zone."""
    what = "free run" if run.level is None else f"level {run.level}"
    return f"{format_day(run.date)} · {what} · {run.total_min:g} min · {zone_label(zone_of(run))}"


def morning_due(runs: Iterable[Run], today: dt.date | None = None) -> list[Run]:
    """Runs of the last :data:`MORNING_DAYS` days whose next morning has come and is
    not entered yet, newest first."""
    today = today or dt.date.today()
    due = [
        r
        for r in runs
        if r.pain_next_morning is None and 1 <= (today - r.date).days <= MORNING_DAYS
    ]
    return sorted(due, key=lambda r: r.date, reverse=True)


def changed_words(current: Run | None, zone_label: Callable[[Zone], str]) -> str:
    """Why a change was not saved: the run changed, or went, in another tab."""
    if current is None:
        return (
            "That run was deleted in another tab or window, so nothing was changed. The "
            "history shows your runs as they are now."
        )
    return (
        "Not saved: this run was changed in another tab or window after you opened it. It "
        f"is now: {run_label(current, zone_label)}. Choose Edit to change it from there."
    )


def as_mapping(run: Run) -> Mapping[str, Any]:
    """The run's fields for ``update_run`` (its id stays the store's)."""
    return run.model_dump(exclude={"id"})
