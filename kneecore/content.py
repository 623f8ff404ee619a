"""Load and validate the exercise library and the running programme from ``content/``.

Content is data a physiotherapist edits: one YAML file per exercise, the phases, the
muscle names, an SVG illustration per exercise, and the walk-run programme's levels,
entry checklist, rule texts and maintenance stage (``content/running/``). Everything is
validated on load, and a broken file raises :class:`ContentError` naming the file and
the field, so a typo is caught by the tests instead of by a patient.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kneecore.errors import problems

M = TypeVar("M", bound=BaseModel)

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
# Holds shorter than this are a pause for control, not a timed hold (see Dose.is_hold).
MIN_TIMED_HOLD_S = 3


class ContentError(ValueError):
    """A content file is missing, unreadable or invalid. The message names file and field."""


class _ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dose(_ContentModel):
    """How much of an exercise: ``sets`` x ``reps_min``-``reps_max``, optional hold."""

    sets: int = Field(ge=1, le=10)
    reps_min: int = Field(ge=1, le=50)
    reps_max: int = Field(ge=1, le=50)
    hold_s: int | None = Field(default=None, ge=1, le=120)
    per_side: bool = False
    times_per_day: int = Field(default=1, ge=1, le=4)

    @model_validator(mode="after")
    def _range_in_order(self) -> Dose:
        if self.reps_max < self.reps_min:
            raise ValueError("reps_max must not be below reps_min")
        return self

    @property
    def is_hold(self) -> bool:
        """Hold-based work (isometrics, balance), charted by hold time rather than reps.

        A pause of a second or two at the top of a rep (clamshell, semi squat) is tempo,
        not a timed hold: those exercises are still counted in reps.
        """
        return self.hold_s is not None and self.hold_s >= MIN_TIMED_HOLD_S

    def describe(self) -> str:
        """The dose in plain words, e.g. ``3 sets of 10-15 reps, each leg``."""
        reps = (
            f"{self.reps_min}"
            if self.reps_min == self.reps_max
            else f"{self.reps_min}-{self.reps_max}"
        )
        if self.hold_s and self.reps_max == 1:
            body = f"{self.sets} x {self.hold_s} s hold"
        else:
            body = f"{self.sets} {'set' if self.sets == 1 else 'sets'} of {reps} reps"
            if self.hold_s:
                body += f", {self.hold_s} s hold each"
        if self.per_side:
            body += ", each leg"
        if self.times_per_day > 1:
            body += f", {self.times_per_day} times a day"
        return body


class Exercise(_ContentModel):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    name: str = Field(min_length=2, max_length=80)
    phase: Literal[1, 2, 3]
    targets: list[str] = Field(min_length=1)
    purpose: str = Field(min_length=10, max_length=400)
    steps: list[str] = Field(min_length=2, max_length=12)
    dose: Dose
    progressions: list[str] = Field(default_factory=list)
    safety: list[str] = Field(min_length=1)
    illustration: str = Field(pattern=r"^[a-z0-9_]+\.svg$")
    illustration_alt: str = Field(min_length=10, max_length=300)
    #: The exercise that takes this one's place once it is done at the top of its range
    #: (clinical-rules.md section 4): a hop moves on to the next hop instead of taking
    #: an ankle weight, and a step back returns to the one before. Same phase, no loops;
    #: ``load_library`` checks the chain and that ``progressions`` names the next one.
    progresses_to: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    #: For pregnancy (section 2): a standing or side-lying way to do an exercise that is
    #: done lying flat on the back or the front. The plan shows it with a mark.
    pregnancy_alternative: str | None = Field(default=None, min_length=20, max_length=400)

    @model_validator(mode="after")
    def _not_its_own_next_step(self) -> Exercise:
        if self.progresses_to == self.id:
            raise ValueError("progresses_to: an exercise cannot progress to itself")
        return self


class Phase(_ContentModel):
    phase: Literal[1, 2, 3]
    name: str = Field(min_length=2, max_length=60)
    goal: str = Field(min_length=10)
    avoid: list[str] = Field(default_factory=list)
    ready_when: list[str] = Field(min_length=1)


class Library(_ContentModel):
    """The validated exercise library."""

    exercises: list[Exercise]
    phases: list[Phase]
    muscles: dict[str, str]
    illustrations_dir: Path

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def by_phase(self, phase: int) -> list[Exercise]:
        return [e for e in self.exercises if e.phase == phase]

    def phase(self, phase: int) -> Phase:
        for p in self.phases:
            if p.phase == phase:
                return p
        raise KeyError(phase)

    @property
    def exercise_ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.exercises)

    def illustration_path(self, exercise: Exercise) -> Path:
        return self.illustrations_dir / exercise.illustration

    def illustration_svg(self, exercise: Exercise) -> str:
        return self.illustration_path(exercise).read_text(encoding="utf-8")


def read_yaml(path: Path, name: str) -> Any:
    """Parse one content file; any failure is a ContentError naming the file (``name``)."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{name}: file is missing") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"{name}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{name}: is not valid YAML ({exc})") from exc


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def describe_validation_error(name: str, exc: ValidationError) -> str:
    """One line per problem, each naming the file and the dotted field path."""
    lines = [f"{name}: field '{p.field or '(top level)'}': {p.message}" for p in problems(exc)]
    return "\n".join(lines)


def validate_content(model: type[M], data: Any, name: str) -> M:
    """Validate parsed content; a failure is a ContentError naming ``name`` and the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(describe_validation_error(name, exc)) from exc


def load_yaml_model(path: Path, model: type[M], name: str | None = None) -> M:
    """Read and validate one YAML content file (``name`` defaults to ``content/<file>``)."""
    shown = name or f"content/{path.name}"
    return validate_content(model, read_yaml(path, shown), shown)


def _read_yaml(path: Path, root: Path) -> Any:
    return read_yaml(path, _display(path, root))


def check_svg(path: Path, root: Path) -> None:
    """Raise ContentError unless ``path`` is a well-formed SVG document with a viewBox."""
    name = _display(path, root)
    if not path.is_file():
        raise ContentError(f"{name}: illustration file is missing")
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        raise ContentError(f"{name}: is not valid SVG/XML ({exc})") from exc
    svg = tree.getroot()
    if svg.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        raise ContentError(f"{name}: root element is <{svg.tag}>, not <svg>")
    if "viewBox" not in svg.attrib:
        raise ContentError(f"{name}: field 'viewBox' is missing (needed to scale on phones)")
    for element in svg.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject") or any(a.startswith("on") for a in element.attrib):
            raise ContentError(f"{name}: scripts are not allowed in illustrations")


def _check_sequences(exercises: list[Exercise], files: dict[str, str]) -> None:
    """Each ``progresses_to`` names another exercise of the same phase, which follows
    only this one, without a loop; and the exercise's ``progressions`` say how to move
    on to it, so the advice the app gives comes from the text a physiotherapist wrote."""
    by_id = {e.id: e for e in exercises}
    follows: dict[str, str] = {}
    for exercise in exercises:
        target = exercise.progresses_to
        if target is None:
            continue
        where = f"{files[exercise.id]}: field 'progresses_to'"
        nxt = by_id.get(target)
        if nxt is None:
            raise ContentError(f"{where}: unknown exercise {target!r}")
        if nxt.phase != exercise.phase:
            raise ContentError(
                f"{where}: {target!r} is in phase {nxt.phase}; the next step must be in "
                f"phase {exercise.phase} too"
            )
        if target in follows:
            raise ContentError(f"{where}: {target!r} already follows {follows[target]!r}")
        follows[target] = exercise.id
    for exercise in exercises:
        step, seen = exercise, {exercise.id}
        while step.progresses_to is not None:
            step = by_id[step.progresses_to]
            if step.id in seen:
                raise ContentError(
                    f"{files[exercise.id]}: field 'progresses_to': the sequence loops back "
                    f"to {step.id!r}"
                )
            seen.add(step.id)
    for target, before in follows.items():
        if by_id[target].name.lower() not in " ".join(by_id[before].progressions).lower():
            raise ContentError(
                f"{files[before]}: field 'progressions': say how to move on to "
                f"{by_id[target].name} (name it), the next step in progresses_to"
            )


NOTICES_FILE = "notices.yaml"


class Notices(_ContentModel):
    """Texts shown in many places, written once (``content/notices.yaml``)."""

    not_a_diagnosis: str = Field(min_length=20, max_length=400, pattern=r"(?i)not a diagnosis")


@functools.cache
def _notices(path: str) -> Notices:
    return load_yaml_model(Path(path), Notices)


def load_notices(path: str | Path | None = None) -> Notices:
    """Load and validate ``content/notices.yaml`` (or ``path``); cached."""
    return _notices(str(path if path is not None else CONTENT_DIR / NOTICES_FILE))


def not_a_diagnosis() -> str:
    """The one "not a diagnosis" notice every screen and document shows."""
    return load_notices().not_a_diagnosis


def load_library(path: str | Path | None = None) -> Library:
    """Load ``content/`` (or ``path``), validate every file, and return the library."""
    root = Path(path) if path is not None else CONTENT_DIR
    if not root.is_dir():
        raise ContentError(f"{root}: content folder is missing")

    muscles_data = _read_yaml(root / "muscles.yaml", root)
    if not isinstance(muscles_data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in muscles_data.items()
    ):
        raise ContentError(f"{_display(root / 'muscles.yaml', root)}: must map muscle ids to names")
    muscles: dict[str, str] = muscles_data

    phases_file = root / "phases.yaml"
    phases_data = _read_yaml(phases_file, root)
    if not isinstance(phases_data, list):
        raise ContentError(f"{_display(phases_file, root)}: must be a list of phases")
    phases = [
        validate_content(Phase, item, f"{_display(phases_file, root)}[{i}]")
        for i, item in enumerate(phases_data)
    ]
    if sorted(p.phase for p in phases) != [1, 2, 3]:
        raise ContentError(f"{_display(phases_file, root)}: field 'phase': need phases 1, 2 and 3")

    exercises: list[Exercise] = []
    seen: dict[str, str] = {}
    illustrations = root / "illustrations"
    for file in sorted((root / "exercises").glob("*.yaml")):
        name = _display(file, root)
        exercise: Exercise = validate_content(Exercise, _read_yaml(file, root), name)
        if exercise.id in seen:
            raise ContentError(
                f"{name}: field 'id': {exercise.id!r} is also used by {seen[exercise.id]}"
            )
        seen[exercise.id] = name
        unknown = [t for t in exercise.targets if t not in muscles]
        if unknown:
            raise ContentError(
                f"{name}: field 'targets': unknown muscle {unknown[0]!r} (add it to muscles.yaml)"
            )
        check_svg(illustrations / exercise.illustration, root)
        exercises.append(exercise)
    if not exercises:
        raise ContentError(f"{_display(root / 'exercises', root)}: no exercises found")
    _check_sequences(exercises, seen)

    # Files are named NN_<id>.yaml so a physio controls the order of the plan.
    exercises.sort(key=lambda e: (e.phase, Path(seen[e.id]).name))
    return Library(
        exercises=exercises,
        phases=sorted(phases, key=lambda p: p.phase),
        muscles=muscles,
        illustrations_dir=illustrations,
    )


# -- the running programme (clinical-rules.md sections 7 and 8) --------------------------

RUNNING_DIR = "running"
RUNNING_FILES = ("levels.yaml", "entry.yaml", "rules.yaml", "maintenance.yaml")
#: The levels of the walk-run programme, and how long each may last (about 30 minutes).
RUN_LEVELS = tuple(range(1, 10))
LEVEL_MINUTES = (25, 35)
#: A sentence or two with a reason: shown on phones, so kept short.
_Why = Field(min_length=20, max_length=500)


class Block(_ContentModel):
    """Run ``run_min`` minutes, then walk ``walk_min`` minutes, ``times`` times over."""

    run_min: int = Field(ge=1, le=60)
    walk_min: int = Field(ge=0, le=10)
    times: int = Field(ge=1, le=10)


class RunLevel(_ContentModel):
    """One walk-run level: its blocks in order."""

    level: int = Field(ge=1, le=9)
    blocks: list[Block] = Field(min_length=1, max_length=4)

    @property
    def run_min(self) -> int:
        return sum(b.run_min * b.times for b in self.blocks)

    @property
    def walk_min(self) -> int:
        return sum(b.walk_min * b.times for b in self.blocks)

    @property
    def total_min(self) -> int:
        return self.run_min + self.walk_min

    def describe(self) -> str:
        """The pattern in plain words, e.g. ``run 1 min, walk 4 min, 6 times (30 min)``."""
        parts = []
        for block in self.blocks:
            part = f"run {block.run_min} min"
            if block.walk_min:
                part += f", walk {block.walk_min} min"
            if block.times > 1:
                part += f", {block.times} times"
            parts.append(part)
        return "; then ".join(parts) + f" ({self.total_min} min in all)"


class RunLevels(_ContentModel):
    """``content/running/levels.yaml``: levels 1 to 9, each about 30 minutes."""

    every_level: str = Field(min_length=20, max_length=400)
    why_easy: str = _Why
    levels: list[RunLevel]

    @model_validator(mode="after")
    def _nine_levels_growing(self) -> RunLevels:
        if tuple(lv.level for lv in self.levels) != RUN_LEVELS:
            raise ValueError("levels: need levels 1 to 9, in order, once each")
        low, high = LEVEL_MINUTES
        for lv in self.levels:
            if not low <= lv.total_min <= high:
                raise ValueError(
                    f"levels: level {lv.level} lasts {lv.total_min} minutes; each level "
                    f"should last {low} to {high}"
                )
        for before, after in zip(self.levels, self.levels[1:], strict=False):
            if after.run_min < before.run_min:
                raise ValueError(f"levels: level {after.level} runs less than level {before.level}")
        return self

    def level(self, number: int) -> RunLevel:
        return self.levels[number - 1]


class EntryItem(_ContentModel):
    id: Literal["pain_now", "brisk_walk", "single_leg_hops", "mornings_settled"]
    text: str = Field(min_length=10, max_length=200)
    why: str = _Why


class EntryChecklist(_ContentModel):
    """``content/running/entry.yaml``: the four items, all needed, in the order shown."""

    title: str = Field(min_length=5, max_length=80)
    intro: str = Field(min_length=20, max_length=400)
    items: list[EntryItem] = Field(min_length=4, max_length=4)
    again_after_days_off: str = Field(min_length=20, max_length=300, pattern=r"\{days\}")

    @model_validator(mode="after")
    def _each_item_once(self) -> EntryChecklist:
        if len({item.id for item in self.items}) != len(self.items):
            raise ValueError("items: each of the four items is needed once")
        return self


class RuleText(_ContentModel):
    text: str = Field(min_length=10, max_length=300)
    why: str = _Why


class AdviceText(_ContentModel):
    title: str = Field(min_length=5, max_length=80)
    advice: str = Field(min_length=10, max_length=400)
    why: str = _Why


class ZonesText(_ContentModel):
    why: str = _Why


class RunRuleTexts(_ContentModel):
    """``content/running/rules.yaml``: the words of every running rule and its reason."""

    zones: ZonesText
    see_gp: AdviceText
    step_back: AdviceText
    progress_level: AdviceText
    hold: AdviceText
    days_off: RuleText
    rest_day: RuleText
    fifth_run: RuleText
    load_spike: RuleText

    @model_validator(mode="after")
    def _placeholders(self) -> RunRuleTexts:
        # A placeholder the app does not fill would be shown in braces to a patient.
        allowed = {
            "step_back.advice": {"level"},
            "progress_level.advice": {"level"},
            "hold.advice": {"level"},
            "days_off.text": {"days", "drops", "level"},
            "rest_day.text": {"date"},
            "fifth_run.text": {"date"},
            "load_spike.text": {"date", "percent", "longest"},
        }
        for where, names in allowed.items():
            section, field = where.split(".")
            text = getattr(getattr(self, section), field)
            used = set(_PLACEHOLDER.findall(text))
            if not used <= names:
                raise ValueError(f"{where}: unknown placeholder {sorted(used - names)[0]!r}")
        if "Frandsen" not in self.load_spike.why:
            raise ValueError("load_spike.why: name the study behind it (Frandsen and colleagues)")
        return self


class KeepDoing(_ContentModel):
    text: str = Field(min_length=10, max_length=200)
    why: str = _Why


class MaintenanceContent(_ContentModel):
    """``content/running/maintenance.yaml``: what comes after the programme, per goal."""

    hop_exercises: list[str] = Field(min_length=1, max_length=5)
    title: str = Field(min_length=5, max_length=80)
    intro: str = Field(min_length=20, max_length=400)
    keep_doing: list[KeepDoing] = Field(min_length=1, max_length=8)
    if_pain_returns: str = Field(min_length=20, max_length=400)
    goals: dict[Literal["daily_life", "running", "sport"], str]

    @model_validator(mode="after")
    def _every_goal(self) -> MaintenanceContent:
        missing = {"daily_life", "running", "sport"} - set(self.goals)
        if missing:
            raise ValueError(f"goals: missing {', '.join(sorted(missing))}")
        return self


class RunningContent(_ContentModel):
    """The whole running programme, validated."""

    levels: RunLevels
    entry: EntryChecklist
    rules: RunRuleTexts
    maintenance: MaintenanceContent


_PLACEHOLDER = re.compile(r"\{(\w*)\}")


@functools.cache
def _running(root: str) -> RunningContent:
    folder = Path(root) / RUNNING_DIR
    names = [f"content/{RUNNING_DIR}/{f}" for f in RUNNING_FILES]
    files = [folder / f for f in RUNNING_FILES]
    levels = load_yaml_model(files[0], RunLevels, names[0])
    entry = load_yaml_model(files[1], EntryChecklist, names[1])
    rules = load_yaml_model(files[2], RunRuleTexts, names[2])
    maintenance = load_yaml_model(files[3], MaintenanceContent, names[3])
    known = load_library(root).exercise_ids
    for hop in maintenance.hop_exercises:
        if hop not in known:
            raise ContentError(f"{names[3]}: field 'hop_exercises': unknown exercise {hop!r}")
    return RunningContent(levels=levels, entry=entry, rules=rules, maintenance=maintenance)


def load_running(path: str | Path | None = None) -> RunningContent:
    """Load and validate ``content/running/`` (of ``path``, a content folder); cached."""
    return _running(str(Path(path) if path is not None else CONTENT_DIR))
