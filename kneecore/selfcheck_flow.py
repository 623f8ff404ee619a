"""The self-check page's step machine, as pure functions (clinical-rules.md sections 1, 2).

The page (``pages/self_check.py``) shows widgets and calls these; it never decides:

* which steps a person sees (:func:`steps`): once any warning sign is found no home test
  is offered, and the hop test only follows near pain-free squats and step-downs;
* what a step still lacks, named as the person saw it (:func:`missing`), and where Next
  and Back lead (:func:`next_step`, :func:`previous_step`);
* how a number box and a home test's "how did it go?" are stored (:func:`whole_number`,
  :func:`test_status`, :func:`test_answer`);
* what Back or Next does with a step's answers (:func:`submit`) and which result the
  answers give (:func:`result_of`: an emergency on the first step needs nothing more);
* how a result splits into what the page shows (:func:`result_view`), what was kept of
  it (:func:`kept_notice`), how its knee score reads against an earlier one
  (:func:`score_view`, :func:`score_baseline`), and how earlier self-checks are listed
  (:func:`earlier_checks`, :func:`history_rows`).

Decisions about the knee itself stay in :mod:`kneecore.selfcheck`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from kneecore.content import CONTENT_DIR, check_svg
from kneecore.models import SelfCheckResult, Urgency, WarningSign
from kneecore.questionnaire import UNABLE, Questionnaire, worst_pain_problem
from kneecore.questionnaire import Answers as AnswerModel
from kneecore.selfcheck import (
    akps_change,
    akps_meaning,
    assess,
    cleared_lines,
    hop_offered,
    phase_reasons,
    triage_red_flags,
    warning_signs,
)
from kneecore.words import format_date

__all__ = [
    "ABOUT_IDS",
    "AKPS_SPLIT",
    "FIRST_STEP",
    "HOME_TEST_IDS",
    "HOP_ID",
    "KNEE_AREAS_ALT",
    "KNEE_AREAS_SVG",
    "LOCATION_ID",
    "MIN_DAYS_BETWEEN_SCORES",
    "OPEN",
    "RED_FLAG_GROUPS",
    "REQUIRED",
    "SWELLING_ID",
    "SWELLING_VISIBLE_ID",
    "HistoryRow",
    "KeptNotice",
    "Move",
    "ResultView",
    "ScoreView",
    "Step",
    "TestStatus",
    "active_signs",
    "all_steps",
    "clean_answers",
    "earlier_checks",
    "ends_at_once",
    "follow_up_asked",
    "has_required",
    "history_rows",
    "kept_notice",
    "knee_areas_svg",
    "merge_answers",
    "missing",
    "next_step",
    "previous_step",
    "problems",
    "progress",
    "result_of",
    "result_view",
    "retake_too_soon",
    "score_baseline",
    "score_view",
    "split_phase_reasons",
    "steps",
    "submit",
    "test_answer",
    "test_status",
    "tests_offered",
    "whole_number",
]

Answers = Mapping[str, Any]
TestStatus = Literal["done", "unable", "skipped"]


class _Open:
    """A question the person has not answered yet (None is an answer for home tests)."""

    def __repr__(self) -> str:
        return "OPEN"


#: What a step reports for a question left open.
OPEN: Final = _Open()
#: The first step: the warning signs.
FIRST_STEP = "warning_signs"
#: Answers without which no result can be worked out (an emergency on the first step
#: is shown from the red-flag screen alone).
REQUIRED: tuple[str, ...] = tuple(
    name for name, field in AnswerModel.model_fields.items() if field.is_required()
)

#: Step 2: about the person, the pain and the goal. The goal is asked here, before any
#: home test, because the answers need it even when a warning sign skips the tests.
ABOUT_IDS = (
    "age",
    "weeks_of_symptoms",
    "pain_now",
    "pain_worst_week",
    "side",
    "hip_or_thigh_pain_or_limp",
    "goal",
)
LOCATION_ID = "pain_location"
HOME_TEST_IDS = ("semi_squat_pain", "step_down_pain", "single_leg_stance_s")
HOP_ID = "hop_pain"
#: Kujala items on the first of its two steps; the rest (swelling among them) follow.
AKPS_SPLIT = 7
#: The Kujala swelling answer "after everyday activities" (option 2) asks one more
#: question: can you see it? (clinical-rules.md section 1, the Kujala table).
SWELLING_ID = "akps_swelling"
SWELLING_ASKS_AT = 2
SWELLING_VISIBLE_ID = "swelling_visible"
#: Knee scores are compared only between saved self-checks at least this many days apart,
#: so a retake minutes later is never reported as a real change (section 2).
MIN_DAYS_BETWEEN_SCORES = 7

#: How the red-flag screen groups its questions, in the order they are shown.
RED_FLAG_GROUPS: dict[str, str] = {
    "emergency": "Signs that need a doctor today",
    "gp_soon": "Signs to have checked before you start",
    "history": "Injuries, operations and your health",
}

KNEE_AREAS_SVG: Path = CONTENT_DIR / "illustrations" / "knee_areas.svg"
#: What the knee picture shows, for a screen reader.
KNEE_AREAS_ALT = (
    "A knee from the front and from the side, with its areas named: the kneecap, "
    "around and below it, the inner and outer sides, and the back of the knee."
)


def knee_areas_svg(path: Path | None = None) -> Path:
    """The knee picture for ``pain_location``, checked to be a safe SVG (ContentError if not)."""
    svg = path or KNEE_AREAS_SVG
    check_svg(svg, svg.parent.parent)
    return svg


# -- steps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One screen of the self-check: its stable id (used in widget keys) and what it asks."""

    id: str
    title: str
    #: The answer ids the step asks, follow-ups included (they are only asked when due).
    asks: tuple[str, ...]


def all_steps(q: Questionnaire) -> tuple[Step, ...]:
    """Every step there is, in order; :func:`steps` picks the ones a person sees."""
    items = [item.id for item in q.akps.items]
    return (
        Step("warning_signs", "Warning signs first", tuple(f.id for f in _screen_order(q))),
        Step("about", "You, your knee pain and your goal", ABOUT_IDS),
        Step("where", "Where it hurts", (LOCATION_ID,)),
        Step("akps_1", "What your knee lets you do (part 1)", tuple(items[:AKPS_SPLIT])),
        Step(
            "akps_2",
            "What your knee lets you do (part 2)",
            (*items[AKPS_SPLIT:], SWELLING_VISIBLE_ID),
        ),
        Step("tests", "Home tests", HOME_TEST_IDS),
        Step("hop", "Hop test", (HOP_ID,)),
    )


def _screen_order(q: Questionnaire) -> list[Any]:
    """The red-flag questions grouped as the screen shows them (group order, then file)."""
    order = list(RED_FLAG_GROUPS)
    return sorted(q.red_flags, key=lambda f: order.index(f.group))


def active_signs(signs: Sequence[WarningSign]) -> list[WarningSign]:
    """The signs that count: those a clinician's clearance did not already cover."""
    return [s for s in signs if s.cleared_on is None]


def tests_offered(signs: Sequence[WarningSign]) -> bool:
    """Home tests only without a warning sign: nobody with one is asked to hop, step down
    or stand on the painful leg. A sign a clinician already cleared does not count."""
    return not active_signs(signs)


def ends_at_once(signs: Sequence[WarningSign]) -> bool:
    """An emergency sign ends the self-check at once: what to do now matters more."""
    return any(s.urgency == "emergency" and s.cleared_on is None for s in signs)


def _tests_answered(answers: Answers) -> bool:
    return all(t in answers for t in HOME_TEST_IDS)


def steps(answers: Answers, q: Questionnaire, signs: Sequence[WarningSign]) -> list[Step]:
    """The steps this person sees, given the answers so far and the signs they show."""
    shown = list(all_steps(q))
    if not tests_offered(signs):
        return [s for s in shown if s.id not in ("tests", "hop")]
    # Until the home tests are answered the hop test may still come; after them it
    # stays only when squats and step-downs were near pain-free.
    if _tests_answered(answers) and not hop_offered(answers, q):
        return [s for s in shown if s.id != "hop"]
    return shown


def _index(step_id: str, shown: list[Step]) -> int:
    for i, step in enumerate(shown):
        if step.id == step_id:
            return i
    raise KeyError(step_id)


def next_step(
    step_id: str, answers: Answers, q: Questionnaire, signs: Sequence[WarningSign]
) -> str | None:
    """The step after ``step_id``, or None when the result comes next."""
    if ends_at_once(signs):
        return None
    shown = steps(answers, q, signs)
    try:
        i = _index(step_id, shown)
    except KeyError:
        # The step itself is no longer shown (a sign appeared): the result is next.
        return None
    return shown[i + 1].id if i + 1 < len(shown) else None


def previous_step(
    step_id: str, answers: Answers, q: Questionnaire, signs: Sequence[WarningSign]
) -> str | None:
    """The step before ``step_id``, or None on the first step."""
    shown = list(all_steps(q))
    i = _index(step_id, shown)
    visible = {s.id for s in steps(answers, q, signs)}
    for step in reversed(shown[:i]):
        if step.id in visible:
            return step.id
    return None


def progress(
    step_id: str, answers: Answers, q: Questionnaire, signs: Sequence[WarningSign]
) -> tuple[int, int, str]:
    """(step number, steps in all, title) for the progress bar."""
    shown = steps(answers, q, signs)
    try:
        i = _index(step_id, shown)
    except KeyError:
        shown = list(all_steps(q))
        i = _index(step_id, shown)
    return i + 1, len(shown), shown[i].title


# -- answers ---------------------------------------------------------------------------


def follow_up_asked(answer_id: str, answers: Answers) -> bool:
    """Whether a question that is only sometimes asked is due, given the answers."""
    if answer_id == SWELLING_VISIBLE_ID:
        return answers.get(SWELLING_ID) == SWELLING_ASKS_AT
    return True


def _label(q: Questionnaire, answer_id: str) -> str:
    """An answer named as the person saw it."""
    for item in q.akps.items:
        if item.id == answer_id:
            return item.question
    for test in q.tests:
        if test.id == answer_id:
            return f"{test.name} (choose how it went; if you did it, add the number)"
    for question in q.questions:
        if question.id == answer_id:
            return question.short
    return q.short_label(answer_id)


def missing(step_id: str, answers: Answers, q: Questionnaire) -> list[str]:
    """What the step still lacks, named as the person saw it (empty when complete).

    A home test's ``None`` is an answer ("I did not try"); only an absent key is open.
    """
    step = next(s for s in all_steps(q) if s.id == step_id)
    lacking = []
    for answer_id in step.asks:
        if not follow_up_asked(answer_id, answers):
            continue
        if step_id in ("tests", "hop"):
            is_open = answer_id not in answers
        elif answer_id == LOCATION_ID:
            is_open = not answers.get(answer_id)
        else:
            is_open = answers.get(answer_id) is None
        if is_open:
            lacking.append(_label(q, answer_id))
    return lacking


def problems(step_id: str, answers: Answers) -> list[str]:
    """Answers that cannot both be true, found on the step that asks them."""
    if step_id != "about":
        return []
    problem = worst_pain_problem(answers.get("pain_now"), answers.get("pain_worst_week"))
    return [problem[0].upper() + problem[1:] + "."] if problem else []


def whole_number(value: Any) -> Any:
    """A number box gives floats even with a step of 1; the answers want whole numbers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def merge_answers(answers: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Put a step's values into ``answers``: an open question removes any earlier answer.

    For a home test None means "I did not try", an answer; elsewhere None is open.
    """
    for answer_id, value in values.items():
        is_test = answer_id in (*HOME_TEST_IDS, HOP_ID)
        if value is OPEN or (value is None and not is_test):
            answers.pop(answer_id, None)
        else:
            answers[answer_id] = value


def has_required(answers: Answers) -> bool:
    """Whether every answer a full result needs is given."""
    return all(answers.get(answer_id) is not None for answer_id in REQUIRED)


def test_status(answers: Answers, test_id: str) -> TestStatus | None:
    """How a stored home-test answer reads back: done, unable, skipped, or not answered."""
    if test_id not in answers:
        return None
    value = answers[test_id]
    if value is None:
        return "skipped"
    return "unable" if value == UNABLE else "done"


def test_answer(status: str | None, number: Any) -> tuple[bool, Any]:
    """(answered, value) from "how did it go?" and the number box.

    The value is a whole number, ``"unable"`` (could not do it) or None (did not try):
    "could not do it" is an answer of its own, distinct from "did not try".
    """
    if status is None:
        return False, None
    if status == "done":
        return (False, None) if number is None else (True, whole_number(number))
    return True, UNABLE if status == "unable" else None


def clean_answers(
    answers: Answers, q: Questionnaire, signs: Sequence[WarningSign]
) -> dict[str, Any]:
    """The answers as the core should see them: nothing left over from a question that is
    no longer asked (a follow-up no longer due, home tests no longer offered)."""
    kept = {k: v for k, v in answers.items() if follow_up_asked(k, answers)}
    if not tests_offered(signs):
        for test_id in (*HOME_TEST_IDS, HOP_ID):
            kept.pop(test_id, None)
    elif _tests_answered(kept) and not hop_offered(kept, q):
        kept.pop(HOP_ID, None)
    return kept


# -- moving between steps --------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """What Back or Next on a step leads to, with the answers as they now stand.

    ``kind``: ``"step"`` shows step ``to``; ``"notice"`` shows the same step again with
    what is still open and which answers disagree; ``"result"`` works out the result.
    """

    kind: Literal["step", "notice", "result"]
    answers: dict[str, Any]
    signs: list[WarningSign]
    to: str | None = None
    still_open: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()


def submit(
    step_id: str,
    answers: Answers,
    values: Mapping[str, Any],
    q: Questionnaire,
    cleared: Mapping[str, dt.date] | None = None,
    *,
    back: bool = False,
) -> Move:
    """Take a step's ``values`` into ``answers`` and say where Back or Next leads.

    Back never asks for the step to be complete; Next does, and a step that is complete
    leads to the next step shown, or to the result when none is left. ``cleared``: the
    signs a clinician's clearance covers (``kneecore.safety.cleared_signs``).
    """
    merged = dict(answers)
    merge_answers(merged, values)
    signs = warning_signs(merged, q, cleared)
    kept = clean_answers(merged, q, signs)
    if back:
        previous = previous_step(step_id, kept, q, signs)
        if previous is not None:
            return Move("step", kept, signs, to=previous)
    still_open, wrong = missing(step_id, kept, q), problems(step_id, kept)
    if still_open or wrong:
        return Move("notice", kept, signs, still_open=tuple(still_open), wrong=tuple(wrong))
    following = next_step(step_id, kept, q, signs)
    if following is not None:
        return Move("step", kept, signs, to=following)
    return Move("result", kept, signs)


def result_of(
    answers: Answers,
    q: Questionnaire,
    signs: Sequence[WarningSign],
    cleared: Mapping[str, dt.date] | None = None,
) -> SelfCheckResult:
    """The result of the answers so far.

    An emergency found on the first step is shown from the red-flag screen alone: what
    to do now comes before anything else is asked. Raises ``pydantic.ValidationError``
    (naming the field) when the answers cannot be used.
    """
    if ends_at_once(signs) and not has_required(answers):
        screen = {f.id: answers[f.id] for f in q.red_flags if f.id in answers}
        early = triage_red_flags(screen, questionnaire=q)
        if early is not None:
            return early
    return assess(answers, questionnaire=q, cleared=cleared)


# -- the result ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultView:
    """A result split into what the page shows, in the order it shows it."""

    urgency: Urgency
    title: str
    #: What to do now (from the content's urgency texts).
    actions: list[str]
    #: Why this urgency, as the core wrote it (a sign's reason names both answers when
    #: the red-flag screen and a Kujala answer disagree).
    why: list[str]
    #: Signs a clinician had cleared, as the core wrote them (with the date): shown, but
    #: they do not decide.
    cleared: list[str]
    phase: int | None
    phase_reasons: list[str]
    #: The rest of the advice: safety lines, pregnancy, long symptoms.
    advice: list[str]
    not_a_diagnosis: str


def _phase_reasons(result: SelfCheckResult, q: Questionnaire) -> list[str]:
    """The reasons for the phase as the result keeps them.

    A result saved before results kept them apart has a phase but no phase reasons: only
    then are the phase rules run again on its answers to split them out.
    """
    if result.phase is None or result.phase_reasons:
        return list(result.phase_reasons)
    return phase_reasons(result, q)


def split_phase_reasons(phase: int, reasons: Sequence[str]) -> tuple[list[str], list[str]]:
    """``reasons`` for ``phase`` as (why this phase, what it takes to reach the next).

    The phase rules write a line about the next phase with its number ("...; phase 3
    starts when ..."), and results keep only the lines, so the number is what splits
    them: every other line (what the answers met, a caution's cap) says why.
    """
    mark = re.compile(rf"\bphase {phase + 1}\b", re.IGNORECASE)
    to_next = [r for r in reasons if mark.search(r)]
    return [r for r in reasons if r not in to_next], to_next


def result_view(result: SelfCheckResult, q: Questionnaire) -> ResultView:
    """Split ``result`` into urgency, reasons, cleared signs, phase reasons and advice."""
    info = q.urgency(result.urgency)
    for_phase = _phase_reasons(result, q)
    cleared_set = set(cleared_lines(result.signs, q))
    cleared = [r for r in result.reasons if r in cleared_set]
    why = [r for r in result.reasons if r not in for_phase and r not in cleared_set]
    shown = {*info.actions, q.rules.not_a_diagnosis}
    advice = [a for a in result.advice if a not in shown]
    return ResultView(
        urgency=result.urgency,
        title=info.title,
        actions=list(info.actions),
        why=why,
        cleared=cleared,
        phase=result.phase,
        phase_reasons=for_phase,
        advice=advice,
        not_a_diagnosis=q.rules.not_a_diagnosis,
    )


def score_baseline(
    saved: Sequence[SelfCheckResult], current: SelfCheckResult, *, practice: bool = False
) -> SelfCheckResult | None:
    """The self-check to compare ``current``'s knee score with, or None.

    The newest saved, non-practice self-check with a knee score taken at least
    :data:`MIN_DAYS_BETWEEN_SCORES` days before. A practice run is compared with nothing:
    it is not kept as a score.
    """
    if practice or current.practice or current.akps is None:
        return None
    earlier = [
        c
        for c in saved
        if c.id != current.id
        and not c.practice
        and c.akps is not None
        and (current.date - c.date).days >= MIN_DAYS_BETWEEN_SCORES
    ]
    # Stable sort: of two on one day, the one saved later wins.
    return sorted(earlier, key=lambda c: c.date)[-1] if earlier else None


def retake_too_soon(
    saved: Sequence[SelfCheckResult], current: SelfCheckResult, *, practice: bool = False
) -> bool:
    """True when an earlier saved knee score exists but none is old enough to compare."""
    if score_baseline(saved, current, practice=practice) is not None:
        return False
    if practice or current.practice or current.akps is None:
        return False
    return any(
        c.id != current.id and not c.practice and c.akps is not None and c.date <= current.date
        for c in saved
    )


#: What the page says was kept of a result: a practice run that kept nothing, a
#: practice run that kept a warning record, or a saved warning that pauses the plan.
KeptNotice = Literal["practice_nothing_kept", "practice_warning_kept", "plan_paused"]


def kept_notice(result: SelfCheckResult, *, practice: bool, kept: str | None) -> KeptNotice | None:
    """What to say about saving ``result``; ``kept``: the id the store kept it under."""
    if practice:
        return "practice_nothing_kept" if kept is None else "practice_warning_kept"
    if result.urgency in ("emergency", "gp_soon") and kept is not None:
        return "plan_paused"
    return None


@dataclass(frozen=True)
class ScoreView:
    """A result's knee score as the page shows it."""

    #: "71/100", or None when the score could not be worked out.
    score: str | None
    #: What the score means (or why there is none).
    meaning: str
    #: "+12 points" against the earlier score, None when not compared or unchanged.
    delta: str | None = None
    #: Whether the change is at least the real-change threshold (coloured if so).
    real: bool = False
    #: The change in words, naming the earlier self-check.
    change: str | None = None
    #: An earlier score exists but is too recent to compare with.
    too_soon: bool = False


def score_view(
    saved: Sequence[SelfCheckResult],
    result: SelfCheckResult,
    q: Questionnaire,
    *,
    practice: bool = False,
) -> ScoreView:
    """``result``'s knee score, compared with :func:`score_baseline` where there is one."""
    if result.akps is None:
        return ScoreView(score=None, meaning=akps_meaning(None, q))
    baseline = score_baseline(saved, result, practice=practice)
    change = akps_change(baseline, result, q) if baseline is not None else None
    return ScoreView(
        score=f"{result.akps}/100",
        meaning=akps_meaning(result.akps, q),
        delta=f"{change.delta:+d} points" if change and change.delta else None,
        real=bool(change and change.real),
        change=change.text if change else None,
        too_soon=change is None and retake_too_soon(saved, result, practice=practice),
    )


def earlier_checks(
    saved: Sequence[SelfCheckResult], current: SelfCheckResult | None
) -> list[SelfCheckResult]:
    """The saved self-checks other than the result on screen (listed under it)."""
    return [c for c in saved if current is None or c.id != current.id]


@dataclass(frozen=True)
class HistoryRow:
    """One earlier self-check as the list shows it."""

    id: str
    date: str
    result: str
    score: str
    practice: bool


def history_rows(saved: Sequence[SelfCheckResult], q: Questionnaire) -> list[HistoryRow]:
    """Earlier self-checks, newest first: date, result in words, knee score."""
    rows = []
    for check in reversed(sorted(saved, key=lambda c: c.date)):
        words = q.urgency(check.urgency).title
        if check.phase is not None:
            words += f"; phase {check.phase}"
        if check.practice:
            words += " (practice run, kept as a warning record)"
        score = f"{check.akps}/100" if check.akps is not None else "no score"
        rows.append(HistoryRow(check.id, format_date(check.date), words, score, check.practice))
    return rows
