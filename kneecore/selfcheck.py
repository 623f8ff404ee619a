"""Self-check decisions: red-flag triage, Kujala score, and the starting phase.

Pure functions that apply the rules in ``content/selfcheck/`` (clinical-rules.md
sections 1 and 2). No number that decides anything is written here: thresholds, texts
and the order of phases all come from the content, so a physiotherapist can review them.

Safety invariant: any red flag (asked or derived) gives urgency ``emergency`` or
``gp_soon``, and those never come with a phase, so no exercise plan can follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from kneecore.models import SelfCheckResult, Urgency
from kneecore.questionnaire import (
    UNABLE,
    URGENCY_ORDER,
    Answers,
    Condition,
    Questionnaire,
    RedFlagAnswers,
    load_questionnaire,
)
from kneecore.words import format_date

__all__ = [
    "AkpsChange",
    "Answers",
    "Check",
    "RedFlagAnswers",
    "akps_change",
    "akps_meaning",
    "akps_score",
    "assess",
    "describe_answer_errors",
    "hop_not_offered_text",
    "hop_offered",
    "parse_answers",
    "phase_reasons",
    "triage_red_flags",
]

AnswerValues = Mapping[str, Any]


# -- answers ---------------------------------------------------------------------------


def parse_answers(
    answers: AnswerValues | BaseModel, questionnaire: Questionnaire | None = None
) -> Answers:
    """Validate answers (a mapping or a model); errors name the field."""
    q = questionnaire or load_questionnaire()
    data = answers.model_dump() if isinstance(answers, BaseModel) else dict(answers)
    return Answers.model_validate(data, context={"questionnaire": q})


def describe_answer_errors(
    error: ValidationError, questionnaire: Questionnaire | None = None
) -> list[str]:
    """One plain line per problem, naming the question as the person saw it."""
    q = questionnaire or load_questionnaire()
    lines = []
    for err in error.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        try:
            label = q.long_label(field)
        except KeyError:
            label = field or "answers"
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "missing":
            message = "please answer this question"
        elif err["type"] == "extra_forbidden":
            message = "this is not a question of the self-check"
        lines.append(f"{label} ({field}): {message}" if field else f"{label}: {message}")
    return lines


# -- conditions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One condition applied to the answers, with its plain-words outcome."""

    condition: Condition
    met: bool
    #: e.g. "squat pain 5/10 is above 3/10" or "squat pain: test not done, so not passed".
    text: str


def _number(value: float) -> str:
    return f"{value:g}"


def _show(q: Questionnaire, answer_id: str, value: Any) -> str:
    """A value written for a person: ``5/10``, ``30 s``, ``daily life``, ``yes``."""
    texts = q.rules.texts
    if isinstance(value, bool):
        return texts.yes if value else texts.no
    if isinstance(value, int | float):
        return q.unit(answer_id, value).format(_number(value))
    if isinstance(value, str) and q.answer_kind(answer_id) == "choice":
        for option in q.question(answer_id).options:
            if option.value == value:
                return option.short
    return str(value)


def _limit(q: Questionnaire, cond: Condition) -> str:
    limit = cond.limit
    if isinstance(limit, list):
        return " or ".join(_show(q, cond.answer, v) for v in limit)
    return _show(q, cond.answer, limit)


def requirement(cond: Condition, questionnaire: Questionnaire | None = None) -> str:
    """What a condition asks for, e.g. ``squat pain 2/10 or less``."""
    q = questionnaire or load_questionnaire()
    return q.rules.texts.for_op(cond.op).needs.format(
        label=q.short_label(cond.answer), limit=_limit(q, cond)
    )


def evaluate(
    cond: Condition,
    values: AnswerValues,
    q: Questionnaire,
    *,
    not_asked: frozenset[str] = frozenset(),
) -> Check:
    """Apply one condition. A test not done, not offered or not possible is not met."""
    texts = q.rules.texts
    label = q.short_label(cond.answer)
    value = values.get(cond.answer)
    if cond.answer in not_asked:
        return Check(cond, False, texts.not_asked.format(label=label))
    if value is None:
        return Check(cond, False, texts.not_done.format(label=label))
    if value == UNABLE:
        return Check(cond, False, texts.unable.format(label=label))
    limit = cond.limit
    if cond.op == "at_most":
        met = value <= limit
    elif cond.op == "at_least":
        met = value >= limit
    elif cond.op == "below":
        met = value < limit
    elif cond.op == "above":
        met = value > limit
    elif cond.op == "one_of":
        met = value in limit  # type: ignore[operator]
    else:
        met = value is limit
    template = texts.for_op(cond.op)
    text = (template.met if met else template.unmet).format(
        label=label, value=_show(q, cond.answer, value), limit=_limit(q, cond)
    )
    return Check(cond, bool(met), text)


def _values(answers: AnswerValues | BaseModel) -> AnswerValues:
    return answers.model_dump() if isinstance(answers, BaseModel) else answers


def hop_offered(
    answers: AnswerValues | BaseModel, questionnaire: Questionnaire | None = None
) -> bool:
    """Whether the hop test may be offered: squats and step-downs were near pain-free.

    Works on partial answers too, so the page can decide before the last step.
    """
    q = questionnaire or load_questionnaire()
    values = _values(answers)
    return all(evaluate(c, values, q).met for c in q.rules.hop_offered_when)


def hop_not_offered_text(questionnaire: Questionnaire | None = None) -> str:
    """Why the hop test is skipped, naming what it needs."""
    q = questionnaire or load_questionnaire()
    needs = " and ".join(requirement(c, q) for c in q.rules.hop_offered_when)
    return q.rules.hop_not_offered.format(conditions=needs)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# -- red flags and urgency -------------------------------------------------------------


@dataclass(frozen=True)
class _Flag:
    id: str
    urgency: Urgency
    reason: str


def _flags(values: AnswerValues, q: Questionnaire) -> list[_Flag]:
    texts = q.rules.texts
    found = [
        _Flag(f.id, f.urgency, texts.red_flag.format(short=f.short, means=f.means))
        for f in q.red_flags
        if values.get(f.id) is True
    ]
    for derived in q.derived_flags:
        if not all(name in values for name in (c.answer for c in derived.when)):
            continue  # only the red-flag screen was answered so far
        checks = [evaluate(c, values, q) for c in derived.when]
        if all(c.met for c in checks):
            reason = texts.derived_flag.format(
                short=derived.short,
                means=derived.means,
                condition=" and ".join(c.text for c in checks),
            )
            found.append(_Flag(derived.id, derived.urgency, reason))
    return found


def _most_urgent(urgencies: list[Urgency]) -> Urgency:
    return min(urgencies, key=URGENCY_ORDER.index)


def _flag_result(
    flags: list[_Flag], values: dict[str, Any], q: Questionnaire, on: dt.date | None
) -> SelfCheckResult:
    urgency = _most_urgent([f.urgency for f in flags])
    info = q.urgency(urgency)
    reasons = [_sentence(f.reason) for f in flags]
    if info.no_plan:
        reasons.append(info.no_plan)
    return SelfCheckResult(
        urgency=urgency,
        phase=None,
        red_flags=[f.id for f in flags],
        akps=akps_score(values, q),
        reasons=reasons,
        advice=[*info.actions, q.rules.not_a_diagnosis],
        answers=values,
        date=on or dt.date.today(),
    )


def triage_red_flags(
    red_flags: AnswerValues | BaseModel,
    *,
    on: dt.date | None = None,
    questionnaire: Questionnaire | None = None,
) -> SelfCheckResult | None:
    """The result straight after the red-flag screen when it is an emergency, else None.

    An emergency must not wait for the rest of the questions.
    """
    q = questionnaire or load_questionnaire()
    data = red_flags.model_dump() if isinstance(red_flags, BaseModel) else dict(red_flags)
    parsed = RedFlagAnswers.model_validate(data).model_dump()
    flags = _flags(parsed, q)
    if not any(f.urgency == "emergency" for f in flags):
        return None
    return _flag_result(flags, parsed, q, on)


# -- phase -----------------------------------------------------------------------------


def _choose_phase(
    values: AnswerValues, q: Questionnaire, not_asked: frozenset[str]
) -> tuple[int, list[str]]:
    """First phase whose conditions all hold, and the reasons naming the deciding values."""
    texts = q.rules.texts
    above: tuple[int, list[Check]] | None = None
    for rule in q.rules.phases:
        checks = [evaluate(c, values, q, not_asked=not_asked) for c in rule.when]
        if all(c.met for c in checks):
            reasons = [texts.phase_met.format(condition=c.text, phase=rule.phase) for c in checks]
            if rule.start_reason:
                reasons.append(rule.start_reason)
            # Why not the phase above: every unmet condition, with its value.
            if above is not None:
                phase_above, missed = above
                reasons += [
                    texts.phase_unmet.format(condition=c.text, phase=phase_above)
                    for c in missed
                    if not c.met
                ]
            return rule.phase, [_sentence(r) for r in reasons]
        above = (rule.phase, checks)
    raise AssertionError("the last phase has no conditions, so one always matches")


def _hop_not_asked(values: dict[str, Any], q: Questionnaire) -> frozenset[str]:
    """The hop test only counts when it was offered; a value left over is dropped."""
    if hop_offered(values, q):
        return frozenset()
    values["hop_pain"] = None
    return frozenset({"hop_pain"})


def phase_reasons(result: SelfCheckResult, questionnaire: Questionnaire | None = None) -> list[str]:
    """The reasons that explain ``result``'s phase (the rest explain its urgency)."""
    if result.phase is None:
        return []
    q = questionnaire or load_questionnaire()
    values = dict(result.answers)
    _, reasons = _choose_phase(values, q, _hop_not_asked(values, q))
    return [r for r in reasons if r in result.reasons]


# -- the whole self-check --------------------------------------------------------------


def assess(
    answers: AnswerValues | BaseModel,
    *,
    on: dt.date | None = None,
    questionnaire: Questionnaire | None = None,
) -> SelfCheckResult:
    """Decide urgency, phase, red flags, Kujala score, reasons and advice.

    Raises ``pydantic.ValidationError`` naming the field for invalid answers.
    """
    q = questionnaire or load_questionnaire()
    parsed = parse_answers(answers, q)
    values = parsed.model_dump()
    not_asked = _hop_not_asked(values, q)

    flags = _flags(values, q)
    if flags:
        return _flag_result(flags, values, q, on)

    rules = q.rules
    reasons: list[str] = []
    urgency: Urgency = "none"
    met = [c for c in (evaluate(c, values, q) for c in rules.check_if_no_better) if c.met]
    if met:
        urgency = "check_if_no_better"
        because = q.urgency(urgency).because
        if because:
            reasons += [_sentence(because.format(condition=c.text)) for c in met]

    phase, phase_reasons = _choose_phase(values, q, not_asked)
    reasons += phase_reasons

    advice = list(q.urgency(urgency).actions)
    advice += [line.text for line in rules.advice if phase in line.phases]
    long = evaluate(rules.long_symptoms.when, values, q)
    if long.met:
        value = _show(q, rules.long_symptoms.when.answer, values[rules.long_symptoms.when.answer])
        advice.append(rules.long_symptoms.advice.format(value=value))
    advice.append(rules.not_a_diagnosis)

    return SelfCheckResult(
        urgency=urgency,
        phase=phase,  # type: ignore[arg-type]
        red_flags=[],
        akps=akps_score(values, q),
        reasons=reasons,
        advice=advice,
        answers=values,
        date=on or dt.date.today(),
    )


# -- Kujala score ----------------------------------------------------------------------


def akps_score(
    answers: AnswerValues | BaseModel, questionnaire: Questionnaire | None = None
) -> int | None:
    """The Kujala score (0 to 100, higher is better); None when any item is unanswered."""
    q = questionnaire or load_questionnaire()
    values = _values(answers)
    total = 0
    for item in q.akps.items:
        choice = values.get(item.id)
        if choice is None:
            return None
        total += item.options[choice].points
    return total


def akps_meaning(score: int | None, questionnaire: Questionnaire | None = None) -> str:
    """What a Kujala score means, in plain words."""
    q = questionnaire or load_questionnaire()
    if score is None:
        return q.akps.missing
    return q.akps.meaning.format(score=score, real_change=q.akps.real_change)


@dataclass(frozen=True)
class AkpsChange:
    before: int
    after: int
    delta: int
    #: True when the change is at least the minimal important change (10 points).
    real: bool
    text: str


def akps_change(
    previous: SelfCheckResult,
    current: SelfCheckResult,
    questionnaire: Questionnaire | None = None,
) -> AkpsChange | None:
    """The Kujala change from ``previous`` to ``current``; None if either has no score."""
    q = questionnaire or load_questionnaire()
    if previous.akps is None or current.akps is None:
        return None
    delta = current.akps - previous.akps
    real = abs(delta) >= q.akps.real_change
    template = (
        q.akps.change_small if not real else q.akps.change_up if delta > 0 else q.akps.change_down
    )
    text = template.format(
        delta=abs(delta),
        delta_signed=f"{delta:+d}" if delta else "±0",
        date=format_date(previous.date),
        before=previous.akps,
        after=current.akps,
        real_change=q.akps.real_change,
    )
    return AkpsChange(previous.akps, current.akps, delta, real, text)
