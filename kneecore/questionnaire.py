"""The self-check questionnaire: its answers' shape, and its content loaded from YAML.

Two halves:

* :class:`Answers` is the shape of one person's answers (the stable answer ids of
  clinical-rules.md section 1) with the allowed range of every number, written once in
  :data:`RANGES`.
* :func:`load_questionnaire` reads ``content/selfcheck/*.yaml`` (questions, red flags,
  the Kujala items, home tests, rules and texts), validates it, and cross-checks it
  against :class:`Answers`, so a physiotherapist's typo fails the tests, naming the
  file and the field, instead of silently changing a decision.
"""

from __future__ import annotations

import functools
import itertools
import string
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from kneecore.content import CONTENT_DIR, ContentError, check_svg, read_yaml, validate_content
from kneecore.content import not_a_diagnosis as content_not_a_diagnosis
from kneecore.models import Urgency

SELFCHECK_DIR = CONTENT_DIR / "selfcheck"
URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "gp_soon", "check_if_no_better", "none")
UNABLE = "unable"

# -- answers ---------------------------------------------------------------------------

#: Allowed input range of every numeric answer (inclusive). The page reads these too.
RANGES: dict[str, tuple[int, int]] = {
    "age": (8, 100),
    "pain_now": (0, 10),
    "pain_worst_week": (0, 10),
    "weeks_of_symptoms": (0, 520),
    "semi_squat_pain": (0, 10),
    "step_down_pain": (0, 10),
    "hop_pain": (0, 10),
    # People may balance for longer than the test counts; such times are accepted and
    # capped to the test's cap (content/selfcheck/function_tests.yaml), not rejected.
    "single_leg_stance_s": (0, 600),
}
#: The Kujala items have at most this many options; content may not exceed it.
MAX_AKPS_OPTIONS = 5
#: A value the rules compute from the answers, usable in conditions like an answer:
#: the Kujala score (None while any item is unanswered).
KNEE_SCORE = "knee_score"
PAIN_LOCATIONS = (
    "around_kneecap",
    "below_kneecap",
    "inner_side",
    "outer_side",
    "back_of_knee",
    "whole_knee",
)
PainLocation = Literal[
    "around_kneecap", "below_kneecap", "inner_side", "outer_side", "back_of_knee", "whole_knee"
]

Age = Annotated[int, Field(ge=RANGES["age"][0], le=RANGES["age"][1])]
Pain = Annotated[int, Field(ge=0, le=10)]
Weeks = Annotated[int, Field(ge=RANGES["weeks_of_symptoms"][0], le=RANGES["weeks_of_symptoms"][1])]
Seconds = Annotated[
    float, Field(ge=RANGES["single_leg_stance_s"][0], le=RANGES["single_leg_stance_s"][1])
]
AkpsChoice = Annotated[int, Field(ge=0, le=MAX_AKPS_OPTIONS - 1)]
#: A home test's pain: 0 to 10, "unable" (could not do it) or None (did not try).
TestPain = Pain | Literal["unable"] | None
Goal = Literal["daily_life", "running", "sport"]


class RedFlagAnswers(BaseModel):
    """The red-flag screen alone: asked first, so an emergency can be shown at once."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)

    # Red flags: "no" unless answered "yes".
    injury_cannot_bear_weight: bool = False
    injury_ottawa_other: bool = False
    hot_red_fever: bool = False
    calf_swelling: bool = False
    deformity_or_cannot_move: bool = False
    numb_or_cold_foot: bool = False
    locking: bool = False
    giving_way: bool = False
    marked_swelling: bool = False
    rest_or_night_pain: bool = False
    weight_loss_or_unwell: bool = False
    # Version 2: injuries, history and general health. Their urgency may depend on other
    # answers (the time since the injury, age), which content/selfcheck/red_flags.yaml
    # spells out.
    injury_onset: bool = False
    pop_with_swelling: bool = False
    hot_swollen: bool = False
    fever_or_unwell: bool = False
    kneecap_dislocated: bool = False
    recent_surgery: bool = False
    pregnant: bool = False


def worst_pain_problem(pain_now: object, pain_worst_week: object) -> str | None:
    """Plain words when the week's worst pain is below the pain now, else None.

    Shared by the answers' validation and the self-check page, which asks again on the
    same step instead of at the end.
    """
    if (
        isinstance(pain_now, int)
        and isinstance(pain_worst_week, int)
        and pain_worst_week < pain_now
    ):
        return (
            f"the worst pain in the last week ({pain_worst_week}/10) cannot be lower than "
            f"the pain now ({pain_now}/10); please check both numbers"
        )
    return None


class Answers(RedFlagAnswers):
    """One person's self-check answers. Unknown ids, wrong types and out-of-range values
    are refused with an error naming the field; optional answers have safe defaults."""

    # About the person and the pain: required, a decision cannot be made without them.
    age: Age
    pain_now: Pain
    pain_worst_week: Pain
    weeks_of_symptoms: Weeks
    goal: Goal
    side: Literal["left", "right", "both"] | None = None
    hip_or_thigh_pain_or_limp: bool = False
    #: Every area that hurts. Patellofemoral pain is often felt in several places.
    pain_location: list[PainLocation] = Field(
        default_factory=lambda: list[PainLocation](["around_kneecap"]), min_length=1, max_length=6
    )
    #: Asked only when the Kujala swelling answer is "after everyday activities".
    swelling_visible: bool | None = None

    # Kujala items: the index of the chosen option (0 = best), None if unanswered.
    akps_limp: AkpsChoice | None = None
    akps_support: AkpsChoice | None = None
    akps_walking: AkpsChoice | None = None
    akps_stairs: AkpsChoice | None = None
    akps_squatting: AkpsChoice | None = None
    akps_running: AkpsChoice | None = None
    akps_jumping: AkpsChoice | None = None
    akps_sitting: AkpsChoice | None = None
    akps_pain: AkpsChoice | None = None
    akps_swelling: AkpsChoice | None = None
    akps_kneecap: AkpsChoice | None = None
    akps_wasting: AkpsChoice | None = None
    akps_bending: AkpsChoice | None = None

    # Home tests: None means "did not try", which counts as not passed.
    semi_squat_pain: TestPain = None
    step_down_pain: TestPain = None
    single_leg_stance_s: Seconds | Literal["unable"] | None = None
    hop_pain: TestPain = None

    @field_validator("pain_location", mode="before")
    @classmethod
    def _one_location_is_a_list(cls, value: object) -> object:
        # A single area may be given as a plain string: it is a list of one.
        if isinstance(value, str):
            return [value]
        if isinstance(value, list | tuple) and len(set(value)) != len(value):
            raise ValueError("each area may be picked only once")
        if isinstance(value, tuple):
            return list(value)
        if isinstance(value, list) and not value:
            raise ValueError("pick at least one area that hurts")
        return value

    @field_validator("pain_worst_week")
    @classmethod
    def _worst_not_below_now(cls, value: int, info: ValidationInfo) -> int:
        # Today is part of the last week, so its worst pain is at least the pain now.
        # Answers that say otherwise would hide severe pain (pain now 9, worst 2 gives
        # no severe_pain flag); ask again rather than guess which number is right.
        problem = worst_pain_problem(info.data.get("pain_now"), value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("single_leg_stance_s")
    @classmethod
    def _cap_stance(cls, value: float | str | None, info: ValidationInfo) -> float | str | None:
        if not isinstance(value, float | int):
            return value
        cap = _questionnaire_from(info).test("single_leg_stance_s").cap
        return float(min(value, cap)) if cap is not None else float(value)

    @field_validator(
        "akps_limp",
        "akps_support",
        "akps_walking",
        "akps_stairs",
        "akps_squatting",
        "akps_running",
        "akps_jumping",
        "akps_sitting",
        "akps_pain",
        "akps_swelling",
        "akps_kneecap",
        "akps_wasting",
        "akps_bending",
    )
    @classmethod
    def _akps_option_exists(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None:
            return value
        assert info.field_name is not None
        count = len(_questionnaire_from(info).akps_item(info.field_name).options)
        if value >= count:
            raise ValueError(f"option {value} does not exist; choose 0 to {count - 1}")
        return value


def _questionnaire_from(info: ValidationInfo) -> Questionnaire:
    # Callers may validate against another content folder (tests of broken content).
    context = info.context or {}
    found = context.get("questionnaire")
    return found if isinstance(found, Questionnaire) else load_questionnaire()


ANSWER_IDS: frozenset[str] = frozenset(Answers.model_fields)
#: What a condition may name: an answer, or a value computed from the answers.
CONDITION_IDS: frozenset[str] = ANSWER_IDS | {KNEE_SCORE}

# -- content models --------------------------------------------------------------------


class _Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1, max_length=600)]
AnswerId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Op = Literal["at_most", "at_least", "below", "above", "one_of", "any_of", "none_of", "equals"]
NUMERIC_OPS: frozenset[str] = frozenset({"at_most", "at_least", "below", "above"})


class Condition(_Content):
    """One test on one answer, e.g. ``{answer: pain_now, at_most: 3}``."""

    answer: AnswerId
    at_most: float | None = None
    at_least: float | None = None
    below: float | None = None
    above: float | None = None
    #: A choice's value, or a Kujala item's option index (0 is the best option).
    one_of: list[str | int] | None = Field(default=None, min_length=1)
    #: For a list answer (``pain_location``): at least one of these / none of these.
    any_of: list[str] | None = Field(default=None, min_length=1)
    none_of: list[str] | None = Field(default=None, min_length=1)
    equals: bool | None = None
    #: What a phase asks for, in a patient's words ({limit} is the threshold).
    needs: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _exactly_one_test(self) -> Condition:
        given = [op for op in _OPS if getattr(self, op) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of {', '.join(_OPS)} (found {len(given)})")
        return self

    @property
    def op(self) -> Op:
        return next(op for op in _OPS if getattr(self, op) is not None)

    @property
    def limit(self) -> float | list[str | int] | list[str] | bool:
        value: float | list[str | int] | list[str] | bool = getattr(self, self.op)
        return value


_OPS: tuple[Op, ...] = (
    "at_most",
    "at_least",
    "below",
    "above",
    "one_of",
    "any_of",
    "none_of",
    "equals",
)


class ChoiceOption(_Content):
    value: AnswerId
    label: Text
    short: Text


class Question(_Content):
    id: AnswerId
    kind: Literal["number", "choice", "multi", "yes_no"]
    label: Text
    short: Text
    #: The answer in a patient's words for phase reasons ("{value}" is the value).
    says: str | None = None
    unit: str = "{}"
    #: The unit for exactly 1, when it differs ("{} week" against "{} weeks").
    unit_one: str | None = None
    help: str = ""
    options: list[ChoiceOption] = Field(default_factory=list)

    @model_validator(mode="after")
    def _options_match_kind(self) -> Question:
        if (self.kind in ("choice", "multi")) != bool(self.options):
            raise ValueError(
                "options: a choice or multi question needs options; others must not have them"
            )
        return self


SignUrgency = Literal["emergency", "gp_soon"]


class RedFlag(_Content):
    """One yes/no question of the first step (the red-flag screen)."""

    id: AnswerId
    #: Which card group the page shows it in.
    group: Literal["emergency", "gp_soon", "history"]
    #: When set, a "yes" alone is this warning sign with this urgency.
    urgency: SignUrgency | None = None
    question: Text
    short: Text
    means: Text


class SignCase(_Content):
    """One way a warning sign applies: all conditions hold."""

    urgency: SignUrgency
    when: list[Condition] = Field(min_length=1)
    #: What the sign means in this case, when it differs from the sign's own line.
    means: str | None = Field(default=None, min_length=1, max_length=600)


class SignRule(_Content):
    """A warning sign as written in red_flags.yaml (short/means may come from the screen)."""

    id: AnswerId
    short: str | None = Field(default=None, min_length=1, max_length=600)
    means: str | None = Field(default=None, min_length=1, max_length=600)
    cases: list[SignCase] = Field(min_length=1)


class Sign(_Content):
    """A warning sign with every case that makes it apply, the screen's own included."""

    id: AnswerId
    short: Text
    means: Text
    cases: list[SignCase] = Field(min_length=1)


class RedFlagsFile(_Content):
    screen: list[RedFlag] = Field(min_length=1)
    signs: list[SignRule] = Field(default_factory=list)


class AkpsOption(_Content):
    text: Text
    points: int = Field(ge=0, le=10)


class AkpsItem(_Content):
    id: AnswerId
    question: Text
    options: list[AkpsOption] = Field(min_length=2, max_length=MAX_AKPS_OPTIONS)

    @model_validator(mode="after")
    def _points_fall_to_zero(self) -> AkpsItem:
        points = [o.points for o in self.options]
        if any(a <= b for a, b in itertools.pairwise(points)):
            raise ValueError("options: points must fall from the best option to the worst")
        if points[-1] != 0:
            raise ValueError("options: the last (worst) option must be worth 0 points")
        return self

    @property
    def maximum(self) -> int:
        return self.options[0].points


class Akps(_Content):
    name: Text
    intro: Text
    says: Text
    real_change: int = Field(ge=1, le=100)
    meaning: Text
    missing: Text
    change_up: Text
    change_down: Text
    change_small: Text
    items: list[AkpsItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _scores_out_of_100(self) -> Akps:
        total = sum(item.maximum for item in self.items)
        if total != 100:
            raise ValueError(f"items: the best options add up to {total}, not 100")
        return self


class FunctionTest(_Content):
    id: AnswerId
    kind: Literal["pain", "seconds"]
    name: Text
    short: Text
    unit: str = "{}"
    #: The test as a patient would name it ("the half-squat test").
    noun: Text
    #: The result in a patient's words ("half squats hurt {value} out of 10").
    says: Text
    how: list[Text] = Field(min_length=1, max_length=8)
    safety: Text
    cap: float | None = Field(default=None, gt=0)
    #: Optional drawing of the test (a file in content/illustrations/) and its alt text,
    #: read aloud by screen readers; give both or neither.
    illustration: str | None = Field(default=None, pattern=r"^[a-z0-9_]+\.svg$")
    illustration_alt: str | None = Field(default=None, min_length=10, max_length=300)

    @model_validator(mode="after")
    def _drawing_has_alt_text(self) -> FunctionTest:
        if (self.illustration is None) != (self.illustration_alt is None):
            raise ValueError(
                "illustration_alt: a drawing needs its alt text, and alt text needs a drawing"
            )
        return self

    @model_validator(mode="after")
    def _cap_only_for_seconds(self) -> FunctionTest:
        if (self.kind == "seconds") != (self.cap is not None):
            raise ValueError("cap: a seconds test needs a cap; pain tests must not have one")
        return self

    @property
    def steps(self) -> list[str]:
        """The how-to lines, with ``{cap}`` filled in (so the cap is written once)."""
        cap = f"{self.cap:g}" if self.cap is not None else ""
        return [line.format(cap=cap) for line in self.how]


class FunctionTestsFile(_Content):
    tests: list[FunctionTest] = Field(min_length=1)


class UrgencyText(_Content):
    id: Urgency
    title: Text
    actions: list[Text] = Field(min_length=1)
    no_plan: str | None = None
    because: str | None = None


class Caution(_Content):
    """No warning sign, but a line of advice; it may cap the phase or raise the urgency."""

    id: AnswerId
    when: list[Condition] = Field(min_length=1)
    advice: Text
    max_phase: Literal[1, 2, 3] | None = None
    urgency: Literal["check_if_no_better"] | None = None


class PhaseRule(_Content):
    phase: Literal[1, 2, 3]
    when: list[Condition]
    start_reason: str | None = None


class MetTexts(_Content):
    #: The condition holds / does not hold, naming the value and the threshold.
    met: Text
    unmet: Text
    #: What the condition asks for, without a value ("squat pain 2/10 or less").
    needs: Text


class ReasonTexts(_Content):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    at_most: MetTexts
    at_least: MetTexts
    below: MetTexts
    above: MetTexts
    one_of: MetTexts
    any_of: MetTexts
    none_of: MetTexts
    equals: MetTexts
    not_done: Text
    unable: Text
    not_asked: Text
    phase_met: Text
    phase_unmet: Text
    phase_says_met: Text
    phase_says_unmet: Text
    phase_not_done: Text
    phase_unable: Text
    phase_not_asked: Text
    akps_missing: Text
    both_answers: Text
    cleared: Text
    red_flag: Text
    derived_flag: Text
    yes: Text
    no: Text
    unable_value: Text
    not_done_value: Text

    def for_op(self, op: Op) -> MetTexts:
        texts: MetTexts = getattr(self, op)
        return texts


class AdviceLine(_Content):
    phases: list[Literal[1, 2, 3]] = Field(min_length=1)
    text: Text


class Rules(_Content):
    urgencies: list[UrgencyText]
    check_if_no_better: list[Condition] = Field(min_length=1)
    cautions: list[Caution] = Field(default_factory=list)
    hop_offered_when: list[Condition] = Field(min_length=1)
    hop_not_offered: Text
    phases: list[PhaseRule]
    texts: ReasonTexts
    advice: list[AdviceLine] = Field(min_length=1)

    @property
    def not_a_diagnosis(self) -> str:
        """The app's one notice (content/notices.yaml), last with every result."""
        return content_not_a_diagnosis()

    @model_validator(mode="after")
    def _shape(self) -> Rules:
        ids = tuple(u.id for u in self.urgencies)
        if ids != URGENCY_ORDER:
            raise ValueError(f"urgencies: list them in this order: {', '.join(URGENCY_ORDER)}")
        if sorted(p.phase for p in self.phases) != [1, 2, 3]:
            raise ValueError("phases: give phases 1, 2 and 3, once each")
        if self.phases[-1].when or not self.phases[-1].start_reason:
            raise ValueError(
                "phases: the last phase is the fallback: no conditions, and a start_reason"
            )
        if any(not p.when for p in self.phases[:-1]):
            raise ValueError("phases: every phase but the last needs conditions")
        for i, p in enumerate(self.phases):
            for j, cond in enumerate(p.when):
                if cond.needs is None:
                    raise ValueError(
                        f"phases.{i}.when.{j}: say what the phase needs in `needs`, "
                        "in a patient's words"
                    )
        return self


class QuestionsFile(_Content):
    questions: list[Question] = Field(min_length=1)


class Questionnaire(_Content):
    """The validated self-check content."""

    questions: list[Question]
    #: The red-flag screen's questions, in the order asked.
    red_flags: list[RedFlag]
    #: Every warning sign, with all the cases that make it apply.
    signs: list[Sign]
    akps: Akps
    tests: list[FunctionTest]
    rules: Rules

    def question(self, answer_id: str) -> Question:
        for q in self.questions:
            if q.id == answer_id:
                return q
        raise KeyError(answer_id)

    def red_flag(self, answer_id: str) -> RedFlag:
        for flag in self.red_flags:
            if flag.id == answer_id:
                return flag
        raise KeyError(answer_id)

    def sign(self, sign_id: str) -> Sign:
        for sign in self.signs:
            if sign.id == sign_id:
                return sign
        raise KeyError(sign_id)

    def akps_item(self, answer_id: str) -> AkpsItem:
        for item in self.akps.items:
            if item.id == answer_id:
                return item
        raise KeyError(answer_id)

    def test(self, answer_id: str) -> FunctionTest:
        for t in self.tests:
            if t.id == answer_id:
                return t
        raise KeyError(answer_id)

    def urgency(self, urgency: str) -> UrgencyText:
        for u in self.rules.urgencies:
            if u.id == urgency:
                return u
        raise KeyError(urgency)

    def short_label(self, answer_id: str) -> str:
        """The few words that name an answer in a reason, e.g. ``squat pain``."""
        for q in self.questions:
            if q.id == answer_id:
                return q.short
        for t in self.tests:
            if t.id == answer_id:
                return t.short
        for f in self.red_flags:
            if f.id == answer_id:
                return f.short
        for item in self.akps.items:
            if item.id == answer_id:
                return item.question
        if answer_id == KNEE_SCORE:
            return "knee score"
        raise KeyError(answer_id)

    def long_label(self, answer_id: str) -> str:
        """The question as asked, for error messages."""
        for q in self.questions:
            if q.id == answer_id:
                return q.label
        for t in self.tests:
            if t.id == answer_id:
                return t.name
        for f in self.red_flags:
            if f.id == answer_id:
                return f.question
        return self.short_label(answer_id)

    def unit(self, answer_id: str, value: float | None = None) -> str:
        for q in self.questions:
            if q.id == answer_id:
                return q.unit_one if value == 1 and q.unit_one else q.unit
        for t in self.tests:
            if t.id == answer_id:
                return t.unit
        if answer_id == KNEE_SCORE:
            return "{}/100"
        return "{}"

    def answer_kind(self, answer_id: str) -> str:
        """``number``, ``choice``, ``yes_no`` or ``akps``, for checking conditions."""
        for q in self.questions:
            if q.id == answer_id:
                return q.kind
        if any(t.id == answer_id for t in self.tests):
            return "number"
        if any(f.id == answer_id for f in self.red_flags):
            return "yes_no"
        if any(i.id == answer_id for i in self.akps.items):
            return "akps"
        if answer_id == KNEE_SCORE:
            return "number"
        raise KeyError(answer_id)

    def says(self, answer_id: str) -> str | None:
        """The answer in a patient's words, with ``{value}``; None when not written."""
        for q in self.questions:
            if q.id == answer_id:
                return q.says
        for t in self.tests:
            if t.id == answer_id:
                return t.says
        if answer_id == KNEE_SCORE:
            return self.akps.says
        return None


# -- loading ---------------------------------------------------------------------------

FILES = ("questions.yaml", "red_flags.yaml", "akps.yaml", "function_tests.yaml", "rules.yaml")


def _read(path: Path) -> Any:
    return read_yaml(path, f"selfcheck/{path.name}")


def illustrations_dir(selfcheck_dir: Path = SELFCHECK_DIR) -> Path:
    """Where the home tests' drawings are: ``content/illustrations/``."""
    return selfcheck_dir.parent / "illustrations"


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Load and validate ``content/selfcheck/`` (or ``path``); cached per folder."""
    return _load(str(Path(path) if path is not None else SELFCHECK_DIR))


@functools.lru_cache(maxsize=8)
def _load(folder: str) -> Questionnaire:
    root = Path(folder)
    if not root.is_dir():
        raise ContentError(f"{root.name}: self-check content folder is missing")
    questions: QuestionsFile = validate_content(
        QuestionsFile, _read(root / "questions.yaml"), "selfcheck/questions.yaml"
    )
    flags: RedFlagsFile = validate_content(
        RedFlagsFile, _read(root / "red_flags.yaml"), "selfcheck/red_flags.yaml"
    )
    akps: Akps = validate_content(Akps, _read(root / "akps.yaml"), "selfcheck/akps.yaml")
    tests: FunctionTestsFile = validate_content(
        FunctionTestsFile, _read(root / "function_tests.yaml"), "selfcheck/function_tests.yaml"
    )
    rules: Rules = validate_content(Rules, _read(root / "rules.yaml"), "selfcheck/rules.yaml")
    drawings = illustrations_dir(root)
    for test in tests.tests:
        # Drawings sit with the exercise drawings, next to the selfcheck folder; a copy of
        # the selfcheck folder alone (as tests make) has none to check.
        if test.illustration and drawings.is_dir():
            check_svg(drawings / test.illustration, root.parent)
    questionnaire = Questionnaire(
        questions=questions.questions,
        red_flags=flags.screen,
        signs=_merge_signs(flags),
        akps=akps,
        tests=tests.tests,
        rules=rules,
    )
    _cross_check(questionnaire)
    return questionnaire


def _merge_signs(flags: RedFlagsFile) -> list[Sign]:
    """Every warning sign with all its cases: a screen question's own "yes" case first.

    A sign named after a screen question takes its words from there unless it gives its
    own; a screen question with an urgency and no entry in ``signs`` is a sign by itself.
    """
    screen = {f.id: f for f in flags.screen}
    rules: dict[str, SignRule] = {}
    for entry in flags.signs:
        if entry.id in rules:
            raise ContentError(
                f"selfcheck/red_flags.yaml: field 'signs.id': {entry.id!r} appears twice"
            )
        rules[entry.id] = entry
    merged: list[Sign] = []
    for sign_id in [*(f.id for f in flags.screen), *(r.id for r in flags.signs)]:
        if any(m.id == sign_id for m in merged):
            continue
        question, rule = screen.get(sign_id), rules.get(sign_id)
        cases: list[SignCase] = []
        if question is not None and question.urgency is not None:
            yes = Condition(answer=sign_id, equals=True)
            cases.append(SignCase(urgency=question.urgency, when=[yes]))
        if rule is not None:
            cases += rule.cases
        if not cases:
            continue  # a screen question that is only ever a caution (e.g. pregnancy)
        short = (rule.short if rule else None) or (question.short if question else None)
        means = (rule.means if rule else None) or (question.means if question else None)
        if short is None or means is None:
            raise ContentError(
                f"selfcheck/red_flags.yaml: field 'signs.{sign_id}': give `short` and `means` "
                "(it is not a screen question to take them from)"
            )
        merged.append(Sign(id=sign_id, short=short, means=means, cases=cases))
    return merged


def _cross_check(q: Questionnaire) -> None:
    """Every answer id is asked exactly once, and every rule names a real answer."""
    asked: dict[str, str] = {}
    for file, ids in (
        ("questions.yaml", [x.id for x in q.questions]),
        ("red_flags.yaml", [x.id for x in q.red_flags]),
        ("akps.yaml", [x.id for x in q.akps.items]),
        ("function_tests.yaml", [x.id for x in q.tests]),
    ):
        for answer_id in ids:
            if answer_id not in ANSWER_IDS:
                raise ContentError(f"selfcheck/{file}: field 'id': unknown answer id {answer_id!r}")
            if answer_id in asked:
                raise ContentError(
                    f"selfcheck/{file}: field 'id': {answer_id!r} "
                    f"is also asked in {asked[answer_id]}"
                )
            asked[answer_id] = file
    missing = sorted(ANSWER_IDS - set(asked))
    if missing:
        raise ContentError(f"selfcheck: field 'id': no question asks for {', '.join(missing)}")

    rules = q.rules
    places: list[tuple[str, str, Condition]] = []
    screen_index = {f.id: i for i, f in enumerate(q.red_flags)}
    for sign in q.signs:
        # A screen question with an urgency is the sign's first case: report that case
        # where it is written (the screen), and the others by their place under `signs`.
        own = 1 if sign.id in screen_index and q.red_flag(sign.id).urgency else 0
        for i, case in enumerate(sign.cases):
            where = (
                f"screen.{screen_index[sign.id]}" if i < own else f"signs.{sign.id}.cases.{i - own}"
            )
            places += [("red_flags.yaml", f"{where}.when.{j}", c) for j, c in enumerate(case.when)]
    places += [
        ("rules.yaml", f"check_if_no_better.{j}", c) for j, c in enumerate(rules.check_if_no_better)
    ]
    for caution in rules.cautions:
        places += [
            ("rules.yaml", f"cautions.{caution.id}.when.{j}", c) for j, c in enumerate(caution.when)
        ]
    places += [
        ("rules.yaml", f"hop_offered_when.{j}", c) for j, c in enumerate(rules.hop_offered_when)
    ]
    for i, p in enumerate(rules.phases):
        places += [("rules.yaml", f"phases.{i}.when.{j}", c) for j, c in enumerate(p.when)]
    for file, field, cond in places:
        problem = _condition_problem(q, cond)
        if problem:
            raise ContentError(f"selfcheck/{file}: field '{field}': {problem}")

    _check_placeholders(q)


def _condition_problem(q: Questionnaire, cond: Condition) -> str | None:
    if cond.answer not in CONDITION_IDS:
        return f"unknown answer id {cond.answer!r}"
    kind = q.answer_kind(cond.answer)
    if cond.op in NUMERIC_OPS and kind != "number":
        return f"{cond.op} needs a numeric answer; {cond.answer!r} is {kind}"
    if cond.op == "one_of":
        allowed: set[str | int]
        if kind == "choice":
            allowed = {o.value for o in q.question(cond.answer).options}
        elif kind == "akps":
            allowed = set(range(len(q.akps_item(cond.answer).options)))
        else:
            return f"one_of needs a choice or knee-score answer; {cond.answer!r} is {kind}"
        unknown = [v for v in cond.one_of or [] if v not in allowed]
        if unknown:
            return f"{unknown[0]!r} is not an option of {cond.answer!r}"
    if cond.op in ("any_of", "none_of"):
        if kind != "multi":
            return f"{cond.op} needs a pick-several answer; {cond.answer!r} is {kind}"
        values = {o.value for o in q.question(cond.answer).options}
        listed: list[str] = getattr(cond, cond.op)
        unknown = [v for v in listed if v not in values]
        if unknown:
            return f"{unknown[0]!r} is not an option of {cond.answer!r}"
    if cond.op == "equals" and kind != "yes_no":
        return f"equals needs a yes/no answer; {cond.answer!r} is {kind}"
    if cond.op in NUMERIC_OPS and cond.answer in RANGES:
        low, high = RANGES[cond.answer]
        limit = float(cond.limit)  # type: ignore[arg-type]
        cap = next((t.cap for t in q.tests if t.id == cond.answer and t.cap), None)
        if cap is not None:
            high = min(high, int(cap))
        if not low <= limit <= high:
            return f"{cond.op}: {limit:g} can never be reached (answers go from {low} to {high})"
    return None


def _check_placeholders(q: Questionnaire) -> None:
    """A template with an unknown {name} would crash a result; catch it at load time."""
    rules, texts, akps = q.rules, q.rules.texts, q.akps
    condition = {"label", "value", "limit"}
    checks: list[tuple[str, str, str, set[str]]] = [
        ("akps.yaml", "meaning", akps.meaning, {"score", "real_change"}),
        ("rules.yaml", "hop_not_offered", rules.hop_not_offered, {"conditions"}),
        ("rules.yaml", "texts.not_done", texts.not_done, {"label"}),
        ("rules.yaml", "texts.unable", texts.unable, {"label"}),
        ("rules.yaml", "texts.not_asked", texts.not_asked, {"label"}),
        ("rules.yaml", "texts.phase_met", texts.phase_met, {"condition", "phase"}),
        ("rules.yaml", "texts.phase_unmet", texts.phase_unmet, {"condition", "phase"}),
        ("rules.yaml", "texts.red_flag", texts.red_flag, {"short", "means"}),
        ("rules.yaml", "texts.phase_says_met", texts.phase_says_met, {"says", "phase", "needs"}),
        (
            "rules.yaml",
            "texts.phase_says_unmet",
            texts.phase_says_unmet,
            {"says", "phase", "needs"},
        ),
        ("rules.yaml", "texts.phase_not_done", texts.phase_not_done, {"noun", "phase", "needs"}),
        ("rules.yaml", "texts.phase_unable", texts.phase_unable, {"noun", "phase", "needs"}),
        ("rules.yaml", "texts.phase_not_asked", texts.phase_not_asked, {"noun", "phase", "needs"}),
        ("rules.yaml", "texts.akps_missing", texts.akps_missing, {"phase", "needs"}),
        ("rules.yaml", "texts.both_answers", texts.both_answers, {"question", "option", "item"}),
        ("rules.yaml", "texts.cleared", texts.cleared, {"short", "date"}),
        ("akps.yaml", "says", akps.says, {"value"}),
        ("rules.yaml", "texts.derived_flag", texts.derived_flag, {"short", "means", "condition"}),
    ]
    change = {"delta", "delta_signed", "date", "before", "after", "real_change"}
    for field in ("change_up", "change_down", "change_small"):
        checks.append(("akps.yaml", field, getattr(akps, field), change))
    for op in _OPS:
        for which in ("met", "unmet", "needs"):
            text = getattr(texts.for_op(op), which)
            allowed = condition - {"value"} if which == "needs" else condition
            checks.append(("rules.yaml", f"texts.{op}.{which}", text, allowed))
    for caution in rules.cautions:
        checks.append(
            ("rules.yaml", f"cautions.{caution.id}.advice", caution.advice, set(ANSWER_IDS))
        )
    for i, p in enumerate(rules.phases):
        for j, cond in enumerate(p.when):
            checks.append(("rules.yaml", f"phases.{i}.when.{j}.needs", cond.needs or "", {"limit"}))
            if cond.answer not in {t.id for t in q.tests} and q.says(cond.answer) is None:
                raise ContentError(
                    f"selfcheck/rules.yaml: field 'phases.{i}.when.{j}': {cond.answer!r} has no "
                    "`says` line to name it in a patient's words"
                )
    for u in rules.urgencies:
        if u.because:
            checks.append(("rules.yaml", f"urgencies.{u.id}.because", u.because, {"condition"}))
    unit_owners: list[Question | FunctionTest] = [*q.questions, *q.tests]
    for unit_owner in unit_owners:
        file = "questions.yaml" if isinstance(unit_owner, Question) else "function_tests.yaml"
        checks.append((file, f"{unit_owner.id}.unit", unit_owner.unit, {""}))
        if unit_owner.says:
            checks.append((file, f"{unit_owner.id}.says", unit_owner.says, {"value"}))
        if isinstance(unit_owner, FunctionTest):
            for i, line in enumerate(unit_owner.how):
                checks.append((file, f"{unit_owner.id}.how.{i}", line, {"cap"}))
        if isinstance(unit_owner, Question) and unit_owner.unit_one:
            checks.append((file, f"{unit_owner.id}.unit_one", unit_owner.unit_one, {""}))
    for file, field, text, allowed in checks:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise ContentError(f"selfcheck/{file}: field '{field}': {exc}") from exc
        unknown = sorted(names - allowed)
        if unknown:
            raise ContentError(
                f"selfcheck/{file}: field '{field}': unknown placeholder {{{unknown[0]}}}"
            )
