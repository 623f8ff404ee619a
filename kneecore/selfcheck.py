"""Self-check decisions: red-flag triage, Kujala score, and the starting phase.

Pure functions that apply the rules in ``content/selfcheck/`` (clinical-rules.md
sections 1 and 2). No number that decides anything is written here: thresholds, texts
and the order of phases all come from the content, so a physiotherapist can review them.

Safety invariant: any red flag (asked or derived) gives urgency ``emergency`` or
``gp_soon``, and those never come with a phase, so no exercise plan can follow.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from kneecore.errors import problems
from kneecore.models import SelfCheckResult, Urgency, WarningSign
from kneecore.questionnaire import (
    KNEE_SCORE,
    UNABLE,
    URGENCY_ORDER,
    Answers,
    Caution,
    Condition,
    Questionnaire,
    RedFlagAnswers,
    Sign,
    SignCase,
    load_questionnaire,
)
from kneecore.words import format_date, join_words

__all__ = [
    "HISTORY_SIGNS",
    "AkpsChange",
    "Answers",
    "Check",
    "RedFlagAnswers",
    "akps_change",
    "akps_meaning",
    "akps_score",
    "assess",
    "cleared_lines",
    "describe_answer_errors",
    "hop_not_offered_text",
    "hop_offered",
    "parse_answers",
    "phase_reasons",
    "triage_red_flags",
    "warning_signs",
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


#: How a self-check answer's problems are worded for the person answering.
ANSWER_WORDS = {
    "missing": "please answer this question",
    "extra_forbidden": "this is not a question of the self-check",
}


def describe_answer_errors(
    error: ValidationError, questionnaire: Questionnaire | None = None
) -> list[str]:
    """One plain line per problem, naming the question as the person saw it."""
    q = questionnaire or load_questionnaire()
    lines = []
    for problem in problems(error, ANSWER_WORDS):
        field = str(problem.loc[0]) if problem.loc else ""
        try:
            label = q.long_label(field)
        except KeyError:
            label = field or "answers"
        message = problem.message
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
    kind = q.answer_kind(answer_id)
    if kind == "akps" and isinstance(value, int):
        options = q.akps_item(answer_id).options
        return f'"{options[value].text}"' if 0 <= value < len(options) else str(value)
    if isinstance(value, int | float):
        return q.unit(answer_id, value).format(_number(value))
    if kind in ("choice", "multi"):
        shorts = {o.value: o.short for o in q.question(answer_id).options}
        if isinstance(value, list):
            return join_words([shorts.get(v, str(v)) for v in value])
        return shorts.get(str(value), str(value))
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


def _holds(cond: Condition, value: Any) -> bool:
    limit = cond.limit
    if cond.op == "at_most":
        return bool(value <= limit)
    if cond.op == "at_least":
        return bool(value >= limit)
    if cond.op == "below":
        return bool(value < limit)
    if cond.op == "above":
        return bool(value > limit)
    if cond.op == "one_of":
        return value in limit  # type: ignore[operator]
    if cond.op in ("any_of", "none_of"):
        chosen = set(value if isinstance(value, list) else [value])
        overlap = bool(chosen & set(limit))  # type: ignore[arg-type]
        return overlap if cond.op == "any_of" else not overlap
    return value is limit


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
    met = _holds(cond, value)
    if q.answer_kind(cond.answer) == "akps":
        # A Kujala answer is named as chosen: 'you answered "Every evening" to "..."'.
        text = f'you answered {_show(q, cond.answer, value)} to "{label}"'
        return Check(cond, met, text)
    template = texts.for_op(cond.op)
    text = (template.met if met else template.unmet).format(
        label=label, value=_show(q, cond.answer, value), limit=_limit(q, cond)
    )
    return Check(cond, met, text)


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


# -- warning signs ---------------------------------------------------------------------

#: Signs of history that cannot change: once a clearance covered them, a later
#: self-check does not pause the plan again for them (clinical-rules.md section 6).
HISTORY_SIGNS: frozenset[str] = frozenset(
    {"injury_onset", "kneecap_dislocated", "recent_surgery", "young_child", "pain_location"}
)


def _with_score(values: AnswerValues, q: Questionnaire) -> dict[str, Any]:
    """The answers plus what the rules compute from them (the knee score)."""
    return {**values, KNEE_SCORE: akps_score(values, q)}


def _case_holds(case: SignCase, values: AnswerValues, q: Questionnaire) -> list[Check] | None:
    """The case's checks when every condition holds; None otherwise.

    A case naming an answer not given yet is not judged (partial answers: the red-flag
    step is judged before the rest is asked).
    """
    if not all(c.answer in values for c in case.when):
        return None
    checks = [evaluate(c, values, q) for c in case.when]
    return checks if all(c.met for c in checks) else None


def _sign_reason(
    sign: Sign, case: SignCase, checks: list[Check], values: AnswerValues, q: Questionnaire
) -> str:
    texts = q.rules.texts
    means = case.means or sign.means
    akps = [c for c in checks if q.answer_kind(c.condition.answer) == "akps"]
    # The red-flag screen said no, but a Kujala answer describes the sign: name both
    # answers once, in their own sentence, instead of the condition.
    disagree = bool(akps) and values.get(sign.id) is False and _is_screen(q, sign.id)
    # The sign's own "yes" needs no explaining; the other conditions say why it applies.
    shown = [
        c.text for c in checks if c.condition.answer != sign.id and not (disagree and c in akps)
    ]
    if shown:
        reason = texts.derived_flag.format(
            short=sign.short, means=means, condition=" and ".join(shown)
        )
    else:
        reason = texts.red_flag.format(short=sign.short, means=means)
    if disagree:
        item = q.akps_item(akps[0].condition.answer)
        reason += " " + texts.both_answers.format(
            question=q.red_flag(sign.id).question,
            option=item.options[values[item.id]].text,
            item=item.question,
        )
    return _sentence(reason)


def _is_screen(q: Questionnaire, answer_id: str) -> bool:
    return any(f.id == answer_id for f in q.red_flags)


def warning_signs(
    answers: AnswerValues | BaseModel,
    questionnaire: Questionnaire | None = None,
    cleared: Mapping[str, dt.date] | None = None,
) -> list[WarningSign]:
    """Every warning sign the answers show, most urgent case of each.

    Works on partial answers: a case is judged once all the answers it names are given.
    ``cleared`` maps sign ids to the examination date of a clearance that covers them:
    such a ``gp_soon`` sign is kept with ``cleared_on`` set (an emergency never is).
    """
    q = questionnaire or load_questionnaire()
    values = _with_score(_values(answers), q) if _has_all_akps(answers, q) else _values(answers)
    cleared = cleared or {}
    found: list[WarningSign] = []
    for sign in q.signs:
        best: tuple[SignCase, list[Check]] | None = None
        for case in sign.cases:
            checks = _case_holds(case, values, q)
            if checks is None:
                continue
            if best is None or URGENCY_ORDER.index(case.urgency) < URGENCY_ORDER.index(
                best[0].urgency
            ):
                best = (case, checks)
        if best is None:
            continue
        case, checks = best
        cleared_on = cleared.get(sign.id) if case.urgency == "gp_soon" else None
        reason = _sign_reason(sign, case, checks, values, q)
        found.append(
            WarningSign(id=sign.id, urgency=case.urgency, reason=reason, cleared_on=cleared_on)
        )
    return found


def _has_all_akps(answers: AnswerValues | BaseModel, q: Questionnaire) -> bool:
    values = _values(answers)
    return all(values.get(item.id) is not None for item in q.akps.items)


def _most_urgent(urgencies: list[Urgency]) -> Urgency:
    return min(urgencies, key=URGENCY_ORDER.index)


def cleared_lines(
    signs: Sequence[WarningSign], questionnaire: Questionnaire | None = None
) -> list[str]:
    """The reason lines for signs a clearance covered ("...: cleared by your GP ... on")."""
    q = questionnaire or load_questionnaire()
    lines = []
    for sign in signs:
        if sign.cleared_on is not None:
            short = q.sign(sign.id).short
            lines.append(
                _sentence(
                    q.rules.texts.cleared.format(short=short, date=format_date(sign.cleared_on))
                )
            )
    return lines


def _flag_result(
    signs: list[WarningSign], values: dict[str, Any], q: Questionnaire, on: dt.date | None
) -> SelfCheckResult:
    active = [s for s in signs if s.cleared_on is None]
    urgency = _most_urgent([s.urgency for s in active])
    info = q.urgency(urgency)
    reasons = [s.reason for s in active] + cleared_lines(signs, q)
    if info.no_plan:
        reasons.append(info.no_plan)
    return SelfCheckResult(
        urgency=urgency,
        phase=None,
        red_flags=[s.id for s in active],
        akps=akps_score(values, q),
        reasons=reasons,
        advice=[*info.actions, q.rules.not_a_diagnosis],
        answers=values,
        date=on or dt.date.today(),
        signs=signs,
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
    signs = warning_signs(parsed, q)
    if not any(s.urgency == "emergency" for s in signs):
        return None
    return _flag_result(signs, parsed, q, on)


# -- phase -----------------------------------------------------------------------------


def _phase_check_text(
    check: Check, values: AnswerValues, q: Questionnaire, phase: int, not_asked: frozenset[str]
) -> str:
    """One phase condition in a patient's words ("Squats hurt 5 out of 10; phase 2 ...")."""
    texts = q.rules.texts
    cond = check.condition
    needs = (cond.needs or "").format(limit=_limit_plain(q, cond))
    value = values.get(cond.answer)
    test = next((t for t in q.tests if t.id == cond.answer), None)
    if test is not None and (value is None or value == UNABLE or cond.answer in not_asked):
        # What the phase asks of a test not done, by the rule's own threshold: the
        # condition's words ("when they hurt 2 or less") need the answer said before them.
        trivial = cond.op == "at_least" and cond.limit == 0
        needs = "when it is done" + ("" if trivial else f", with {requirement(cond, q)}")
        if cond.answer in not_asked:
            template = texts.phase_not_asked
        elif value == UNABLE:
            template = texts.phase_unable
        else:
            template = texts.phase_not_done
        return template.format(noun=test.noun, phase=phase, needs=needs)
    if value is None:
        return texts.akps_missing.format(phase=phase, needs=needs)
    says = (q.says(cond.answer) or "{value}").format(value=_plain(q, cond.answer, value))
    template = texts.phase_says_met if check.met else texts.phase_says_unmet
    return template.format(says=says, phase=phase, needs=needs)


def _plain(q: Questionnaire, answer_id: str, value: Any) -> str:
    """A value without its unit, for a sentence that names the unit itself."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    return _show(q, answer_id, value)


def _limit_plain(q: Questionnaire, cond: Condition) -> str:
    limit = cond.limit
    if isinstance(limit, list):
        return " or ".join(_plain(q, cond.answer, v) for v in limit)
    return _plain(q, cond.answer, limit)


def _cautions(values: AnswerValues, q: Questionnaire) -> list[Caution]:
    return [c for c in q.rules.cautions if all(evaluate(w, values, q).met for w in c.when)]


def _choose_phase(
    values: AnswerValues, q: Questionnaire, not_asked: frozenset[str]
) -> tuple[int, list[str]]:
    """First phase whose conditions all hold, and the reasons naming the deciding values.

    A caution may cap the phase (a severe worst week stays in phase 1): phases above the
    cap are passed over, and the caution's own words say why.
    """
    cautions = _cautions(values, q)
    caps = [c.max_phase for c in cautions if c.max_phase is not None]
    cap = min(caps) if caps else None
    above: tuple[int, list[Check]] | None = None
    for rule in q.rules.phases:
        if cap is not None and rule.phase > cap:
            continue
        checks = [evaluate(c, values, q, not_asked=not_asked) for c in rule.when]
        if all(c.met for c in checks):
            reasons = [_phase_check_text(c, values, q, rule.phase, not_asked) for c in checks]
            if rule.start_reason:
                reasons.append(rule.start_reason)
            # Why not the phase above: every unmet condition, with its value.
            if above is not None:
                phase_above, missed = above
                reasons += [
                    _phase_check_text(c, values, q, phase_above, not_asked)
                    for c in missed
                    if not c.met
                ]
            reasons += [_fill(c.advice, values, q) for c in cautions if c.max_phase is not None]
            return rule.phase, [_sentence(r) for r in reasons]
        above = (rule.phase, checks)
    raise AssertionError("the last phase has no conditions, so one always matches")


def _fill(text: str, values: AnswerValues, q: Questionnaire) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return text.format(**{n: _plain(q, n, values.get(n)) for n in names})


def _without_unasked_hop(
    values: Mapping[str, Any], q: Questionnaire
) -> tuple[dict[str, Any], frozenset[str]]:
    """The answers as they count, and the tests not offered.

    The hop test only counts when it was offered: a value left over from an earlier
    screen is dropped from the returned copy (the caller's answers are not changed).
    """
    if hop_offered(values, q):
        return dict(values), frozenset()
    return {**values, "hop_pain": None}, frozenset({"hop_pain"})


def phase_reasons(result: SelfCheckResult, questionnaire: Questionnaire | None = None) -> list[str]:
    """The reasons that explain ``result``'s phase (the rest explain its urgency)."""
    if result.phase is None:
        return []
    q = questionnaire or load_questionnaire()
    values, not_asked = _without_unasked_hop(result.answers, q)
    _, reasons = _choose_phase(_with_score(values, q), q, not_asked)
    return [r for r in reasons if r in result.reasons]


# -- the whole self-check --------------------------------------------------------------


def assess(
    answers: AnswerValues | BaseModel,
    *,
    on: dt.date | None = None,
    questionnaire: Questionnaire | None = None,
    cleared: Mapping[str, dt.date] | None = None,
) -> SelfCheckResult:
    """Decide urgency, phase, warning signs, Kujala score, reasons and advice.

    ``cleared`` maps warning-sign ids to the examination date of the clinician's
    clearance that covers them (``kneecore.safety.cleared_signs``): such a ``gp_soon``
    sign is listed as cleared and does not stop a phase; an emergency always does.
    Raises ``pydantic.ValidationError`` naming the field for invalid answers.
    """
    q = questionnaire or load_questionnaire()
    parsed = parse_answers(answers, q)
    values, not_asked = _without_unasked_hop(parsed.model_dump(), q)

    signs = warning_signs(values, q, cleared)
    if any(s.cleared_on is None for s in signs):
        # No home test counts with a warning sign: nobody is asked to hop on it.
        return _flag_result(signs, values, q, on)

    rules = q.rules
    facts = _with_score(values, q)
    reasons: list[str] = cleared_lines(signs, q)
    urgency: Urgency = "check_if_no_better" if signs else "none"
    cautions = _cautions(facts, q)
    if any(c.urgency for c in cautions):
        urgency = "check_if_no_better"
    met = [c for c in (evaluate(c, values, q) for c in rules.check_if_no_better) if c.met]
    if met:
        urgency = "check_if_no_better"
        because = q.urgency(urgency).because
        if because:
            reasons += [_sentence(because.format(condition=c.text)) for c in met]

    phase, for_phase = _choose_phase(facts, q, not_asked)
    reasons += for_phase

    advice = list(q.urgency(urgency).actions)
    advice += [line.text for line in rules.advice if phase in line.phases]
    advice += [_fill(c.advice, facts, q) for c in cautions if c.max_phase is None]
    advice.append(rules.not_a_diagnosis)

    return SelfCheckResult(
        urgency=urgency,
        phase=phase,  # type: ignore[arg-type]
        red_flags=[],
        akps=facts[KNEE_SCORE],
        reasons=reasons,
        phase_reasons=for_phase,
        advice=advice,
        answers=values,
        date=on or dt.date.today(),
        signs=signs,
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
