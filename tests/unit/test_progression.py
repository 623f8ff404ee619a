"""Progression and regression advice (clinical-rules.md section 4), rule by rule.

The library here is built in the test, so the rules are checked against known dose
ranges whatever the physiotherapist later changes in ``content/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kneecore.content import ContentError, Dose, Exercise, Library, Phase
from kneecore.models import PhaseStart, Session
from kneecore.progression import (
    KINDS,
    Recommendation,
    at_top_of_range,
    days_in_phase,
    hops_reached,
    load_texts,
    pain_words,
    previous_step,
    recommend,
    selfcheck_due,
    sequences,
    session_zone,
    trend_warning,
)

TODAY = dt.date(2025, 11, 20)


def _exercise(
    id_: str,
    name: str,
    phase: int,
    dose: Dose,
    progressions: list[str],
    progresses_to: str | None = None,
) -> Exercise:
    return Exercise(
        id=id_,
        name=name,
        phase=phase,  # type: ignore[arg-type]
        targets=["quadriceps"],
        purpose="A test exercise with a known dose range.",
        steps=["Start position.", "End position."],
        dose=dose,
        progressions=progressions,
        safety=["Stop at pain."],
        illustration=f"{id_}.svg",
        illustration_alt="A drawing used only in tests.",
        progresses_to=progresses_to,
    )


def make_library() -> Library:
    """Phase 1: a 3 x 10-15 leg raise (ankle weight) and a 1 x 10 hold exercise.
    Phase 2: a 3 x 10-15 bridge, a banded hip exercise, and a 3 x 30 s balance hold.
    Phase 3: three 3 x 10 hops in a sequence (two-leg, one-leg, cross) and a balance."""
    return Library(
        exercises=[
            _exercise(
                "leg_raise",
                "Leg raise",
                1,
                Dose(sets=3, reps_min=10, reps_max=15, per_side=True),
                ["Add an ankle weight of 1 kg."],
            ),
            _exercise(
                "quad_hold",
                "Quad hold",
                1,
                Dose(sets=1, reps_min=10, reps_max=10, hold_s=5, times_per_day=2),
                [],
            ),
            _exercise("bridge", "Bridge", 2, Dose(sets=3, reps_min=10, reps_max=15), []),
            _exercise(
                "band_hip",
                "Band hip",
                2,
                Dose(sets=3, reps_min=10, reps_max=15, per_side=True),
                ["Use the next stronger band."],
            ),
            _exercise(
                "balance",
                "Balance",
                2,
                Dose(sets=3, reps_min=1, reps_max=1, hold_s=30, per_side=True),
                ["Close your eyes."],
            ),
            _exercise(
                "two_leg_hops",
                "Two-leg hops",
                3,
                Dose(sets=3, reps_min=10, reps_max=10),
                ["Move on to one-leg hops."],
                progresses_to="one_leg_hops",
            ),
            _exercise(
                "one_leg_hops",
                "One-leg hops",
                3,
                Dose(sets=3, reps_min=10, reps_max=10, per_side=True),
                ["Move on to cross hops."],
                progresses_to="cross_hops",
            ),
            _exercise(
                "cross_hops",
                "Cross hops",
                3,
                Dose(sets=3, reps_min=10, reps_max=10, per_side=True),
                ["Hop a little further."],
            ),
            _exercise(
                "reach_balance",
                "Reach balance",
                3,
                Dose(sets=3, reps_min=1, reps_max=1, hold_s=20, per_side=True),
                ["Stand on a cushion."],
            ),
        ],
        phases=[
            Phase(phase=p, name=f"Phase {p}", goal="A goal for the tests.", ready_when=["ok"])  # type: ignore[arg-type]
            for p in (1, 2, 3)
        ],
        muscles={"quadriceps": "Quadriceps"},
        illustrations_dir=Path("."),
    )


LIB = make_library()
MID = {"exercise_id": "bridge", "sets": 3, "reps": [12, 12, 12]}
TOP = {"exercise_id": "bridge", "sets": 3, "reps": [15, 15, 15]}
LOWEST = {"exercise_id": "bridge", "sets": 3, "reps": [10, 10, 10]}


@dataclass
class S:
    """A session spec: days before TODAY and its pains; defaults are a calm session."""

    ago: int
    during: int = 2
    before: int = 1
    morning: int | None = 1
    swelling: bool = False
    locking: bool = False
    giving_way: bool = False
    exercises: list[dict[str, Any]] = field(default_factory=lambda: [MID])

    def session(self) -> Session:
        return Session(
            id=f"s{self.ago}",
            date=TODAY - dt.timedelta(days=self.ago),
            exercises=self.exercises,  # type: ignore[arg-type]
            pain_before=self.before,
            pain_during=self.during,
            pain_after=self.during,
            pain_next_morning=self.morning,
            swelling=self.swelling,
            locking=self.locking,
            giving_way=self.giving_way,
        )


def run(specs: list[S], phase: int | None = 2, started_ago: int = 30) -> Recommendation:
    start = (
        None
        if phase is None
        else PhaseStart(phase=phase, started=TODAY - dt.timedelta(days=started_ago))  # type: ignore[arg-type]
    )
    return recommend([s.session() for s in specs], start, today=TODAY, library=LIB)


def green_run(days: list[int], **changes: Any) -> list[S]:
    return [S(ago=d, **changes) for d in days]


SIX_IN_14 = [13, 11, 9, 6, 3, 0]
FIVE_IN_14 = [13, 9, 6, 3, 0]

# (description, sessions, phase, days since phase start, expected kind)
CASES: list[tuple[str, list[S], int | None, int, str]] = [
    # -- see_gp: flags -----------------------------------------------------------------
    ("new swelling", [S(5), S(0, swelling=True)], 2, 30, "see_gp"),
    ("locking", [S(0, locking=True)], 2, 30, "see_gp"),
    ("giving way", [S(0, giving_way=True)], 2, 30, "see_gp"),
    ("swelling 20 days ago, still this phase", [S(20, swelling=True), S(1), S(0)], 2, 30, "see_gp"),
    ("swelling before this phase began", [S(20, swelling=True), S(1), S(0)], 2, 10, "hold"),
    # -- see_gp: three reds within 14 vs 15 days --------------------------------------
    (
        "three reds within 14 days",
        [S(13, during=6), S(6, during=7), S(0, during=6)],
        2,
        30,
        "see_gp",
    ),
    (
        "three reds spread over 15 days",
        [S(14, during=6), S(7, during=7), S(0, during=6)],
        2,
        30,
        "step_back",
    ),
    (
        "three reds within 14 days, two of them before a new phase began",
        [S(10, during=6), S(6, during=7), S(0, during=6)],
        2,
        3,
        "see_gp",
    ),
    (
        "two reds before a new phase more than 14 days ago do not count",
        [S(20, during=6), S(16, during=7), S(0, during=6)],
        2,
        3,
        "step_back",
    ),
    (
        "three reds within 14 days, then calm",
        [S(20, during=6), S(15, during=6), S(8, during=8), S(0)],
        2,
        30,
        "see_gp",
    ),
    (
        "red by next-morning pain counts",
        [S(10, morning=3), S(5, morning=4), S(0, during=6)],
        2,
        30,
        "see_gp",
    ),
    ("two reds only", [S(6, during=7), S(0, during=6)], 2, 30, "step_back"),
    # -- step_back -----------------------------------------------------------------------
    ("latest pain 6", [S(2), S(0, during=6)], 2, 30, "step_back"),
    ("latest pain 5 is amber, not red", [S(2), S(0, during=5)], 2, 30, "hold"),
    ("latest next morning +2", [S(2), S(1, morning=3)], 2, 30, "step_back"),
    ("latest next morning +1", [S(2), S(1, morning=2)], 2, 30, "hold"),
    ("latest next morning equal", [S(3), S(2), S(1, morning=1)], 2, 30, "hold"),
    (
        "two of last three sore next morning",
        [S(4, morning=2), S(2), S(1, morning=2)],
        2,
        30,
        "step_back",
    ),
    (
        "one of last three sore next morning",
        [S(4, morning=1), S(2), S(1, morning=2)],
        2,
        30,
        "hold",
    ),
    (
        "sore mornings older than the last three",
        [S(8, morning=2), S(6, morning=2), S(4), S(2), S(1)],
        2,
        30,
        "hold",
    ),
    (
        "two amber by pain during, not by morning",
        [S(4, during=4), S(2), S(1, during=5)],
        2,
        30,
        "hold",
    ),
    # -- progress_phase: 13 vs 14 days, 5 vs 6 sessions, 3 vs 4 pain --------------------
    ("14 days, 6 green sessions", green_run(SIX_IN_14), 2, 14, "progress_phase"),
    ("13 days in phase", green_run(SIX_IN_14), 2, 13, "hold"),
    ("5 sessions in 14 days", green_run(FIVE_IN_14), 2, 30, "hold"),
    ("6 sessions, one 14 days ago (outside)", green_run([14, 11, 9, 6, 3, 0]), 2, 30, "hold"),
    ("all at pain 3", green_run(SIX_IN_14, during=3), 2, 30, "progress_phase"),
    ("one at pain 4", [*green_run(SIX_IN_14[:-1]), S(11, during=4), S(0)], 2, 30, "hold"),
    ("next morning equal everywhere", green_run(SIX_IN_14, morning=1), 2, 30, "progress_phase"),
    ("one next morning +1", [*green_run(SIX_IN_14[1:]), S(13, morning=2)], 2, 30, "hold"),
    ("never from phase 3", green_run(SIX_IN_14), 3, 30, "hold"),
    ("not without a phase", green_run(SIX_IN_14), None, 30, "hold"),
    ("from phase 1", green_run(SIX_IN_14), 1, 30, "progress_phase"),
    # -- progress_dose ---------------------------------------------------------------------
    ("last three green, top of range", [S(4), S(2), S(0, exercises=[TOP])], 2, 30, "progress_dose"),
    ("only two sessions", [S(2), S(0, exercises=[TOP])], 2, 30, "hold"),
    ("one of last three amber", [S(4, during=4), S(2), S(0, exercises=[TOP])], 2, 30, "hold"),
    (
        "one set short of the top",
        [S(4), S(2), S(0, exercises=[{**TOP, "reps": [15, 15, 14]}])],
        2,
        30,
        "hold",
    ),
    (
        "fewer sets than the dose",
        [S(4), S(2), S(0, exercises=[{**TOP, "sets": 2, "reps": [15, 15]}])],
        2,
        30,
        "hold",
    ),
    ("top only in an older session", [S(4), S(2, exercises=[TOP]), S(0)], 2, 30, "hold"),
    # -- precedence ----------------------------------------------------------------------
    ("see_gp beats step_back", [S(1), S(0, during=8, swelling=True)], 2, 30, "see_gp"),
    (
        "step_back beats progress_phase",
        [*green_run(SIX_IN_14[:-1]), S(0, during=6)],
        2,
        30,
        "step_back",
    ),
    (
        "progress_phase beats progress_dose",
        green_run(SIX_IN_14, exercises=[TOP]),
        2,
        30,
        "progress_phase",
    ),
    # -- hold ----------------------------------------------------------------------------
    ("no sessions", [], 2, 30, "hold"),
]


@pytest.mark.parametrize(
    ("specs", "phase", "started_ago", "expected"),
    [pytest.param(c[1], c[2], c[3], c[4], id=c[0]) for c in CASES],
)
def test_each_rule_and_both_sides_of_its_boundary(
    specs: list[S], phase: int | None, started_ago: int, expected: str
) -> None:
    assert run(specs, phase, started_ago).kind == expected


def test_see_gp_names_the_red_sessions_by_date_and_lists_their_ids() -> None:
    rec = run([S(13, during=6), S(6, during=7), S(0, during=6)])
    assert "7 Nov, 14 Nov and 20 Nov were red" in rec.reason
    assert "within 14 days" in rec.reason
    assert rec.session_ids == ["s13", "s6", "s0"]
    assert rec.title and rec.advice


def test_see_gp_for_a_flag_says_which_flag_on_which_day() -> None:
    rec = run([S(3, giving_way=True), S(0, swelling=True, locking=True)])
    assert "giving way on 17 Nov" in rec.reason
    assert "new swelling and locking on 20 Nov" in rec.reason
    assert rec.session_ids == ["s3", "s0"]


def test_step_back_for_a_red_session_explains_the_pain() -> None:
    rec = run([S(2), S(0, during=7, exercises=[TOP])])
    assert rec.kind == "step_back"
    assert "20 Nov, was red" in rec.reason and "7/10" in rec.reason
    assert "lower the dose one step" in rec.advice
    assert rec.session_ids == ["s0"]


def test_step_back_at_the_lowest_dose_means_going_back_a_phase() -> None:
    rec = run([S(2), S(0, during=7, exercises=[LOWEST])], phase=2)
    assert "phase 1" in rec.advice
    rec1 = run([S(2), S(0, during=7, exercises=[LOWEST])], phase=1)
    assert "GP or physiotherapist" in rec1.advice


def test_step_back_for_sore_mornings_names_both_sessions() -> None:
    rec = run([S(4, morning=2), S(2), S(1, morning=2, before=1)])
    assert rec.kind == "step_back"
    assert "16 Nov (1 before, 2 next morning)" in rec.reason
    assert "19 Nov (1 before, 2 next morning)" in rec.reason
    assert rec.session_ids == ["s4", "s1"]


def test_progress_phase_offers_the_next_phase_and_a_fresh_self_check() -> None:
    rec = run(green_run(SIX_IN_14), phase=1, started_ago=20)
    assert rec.kind == "progress_phase"
    assert "phase 1 for 20 days" in rec.reason
    assert "all 6 sessions" in rec.reason
    assert "phase 2" in rec.advice and "self-check" in rec.advice
    assert rec.session_ids == [f"s{d}" for d in SIX_IN_14]


def test_progress_dose_names_the_exercise_done_at_the_top() -> None:
    rec = run([S(4), S(2), S(0, exercises=[TOP, MID])])
    assert rec.kind == "progress_dose"
    assert "Bridge" in rec.reason
    assert rec.exercise_ids == ["bridge"]
    assert rec.session_ids == ["s4", "s2", "s0"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"exercise_id": "balance", "sets": 3, "reps": [1, 1, 1], "hold_s": 30.0}, True),
        ({"exercise_id": "balance", "sets": 3, "reps": [1, 1, 1], "hold_s": 29.0}, False),
        ({"exercise_id": "balance", "sets": 3, "reps": [1, 1, 1]}, False),
        ({"exercise_id": "quad_hold", "sets": 1, "reps": [10], "hold_s": 5.0}, True),
        ({"exercise_id": "leg_raise", "sets": 3, "reps": [15, 15, 15], "side": "left"}, True),
        ({"exercise_id": "leg_raise", "sets": 4, "reps": [15, 15, 15, 16]}, True),
    ],
)
def test_top_of_range_for_reps_and_for_hold_only_work(
    entry: dict[str, Any], expected: bool
) -> None:
    from kneecore.models import ExerciseEntry

    parsed = ExerciseEntry.model_validate(entry)
    assert at_top_of_range(parsed, LIB.exercise(parsed.exercise_id)) is expected


def test_sessions_after_today_and_before_the_phase_are_ignored() -> None:
    sessions = [S(40, during=8).session(), S(35, during=8).session(), S(2).session()]
    start = PhaseStart(phase=2, started=TODAY - dt.timedelta(days=30))
    assert recommend(sessions, start, today=TODAY, library=LIB).kind == "hold"
    # Seen from an earlier day, a later red session does not count yet.
    earlier = TODAY - dt.timedelta(days=3)
    late_red = [S(5).session(), S(0, during=8).session()]
    assert recommend(late_red, start, today=earlier, library=LIB).kind == "hold"


def test_hold_says_what_is_missing_before_moving_on() -> None:
    rec = run([S(2), S(0)], phase=2, started_ago=5)
    assert rec.kind == "hold"
    assert "14 days in this phase (you have 5)" in rec.reason
    assert "6 green sessions in the last 14 days (you have 2)" in rec.reason


def test_session_zone_uses_during_and_next_morning_pain() -> None:
    assert session_zone(S(0, during=3).session()) == "green"
    assert session_zone(S(0, during=3, before=1, morning=2).session()) == "amber"
    assert session_zone(S(0, during=3, before=1, morning=3).session()) == "red"


@pytest.mark.parametrize(
    ("last_week", "this_week", "warned"),
    [
        ([2, 2], [3, 3], True),  # +1.0
        ([2, 2], [3, 2], False),  # +0.5
        ([2, 3], [3, 3], False),  # +0.5
        ([1], [4], True),
        ([], [6], False),  # nothing to compare with
        ([5], [], False),
    ],
)
def test_a_week_on_week_rise_of_one_point_is_a_trend_warning(
    last_week: list[int], this_week: list[int], warned: bool
) -> None:
    sessions = [S(8 + i, during=p).session() for i, p in enumerate(last_week)]
    sessions += [S(i, during=p).session() for i, p in enumerate(this_week)]
    assert (trend_warning(sessions, TODAY) is not None) is warned
    rec = recommend(sessions, None, today=TODAY, library=LIB)
    assert (rec.trend_warning is not None) is warned


def test_the_week_boundary_is_seven_days() -> None:
    # 7 days ago is last week; 6 days ago is this week.
    sessions = [S(7, during=1).session(), S(6, during=3).session()]
    assert trend_warning(sessions, TODAY) is not None
    sessions = [S(8, during=1).session(), S(7, during=3).session()]
    assert trend_warning(sessions, TODAY) is None


def test_recommendation_is_frozen() -> None:
    rec = run([S(0)])
    with pytest.raises(ValueError):
        rec.kind = "see_gp"  # type: ignore[misc]


def test_see_gp_is_shown_as_an_error_box_with_the_reason() -> None:
    from pages.style import ADVICE_STYLE, advice_body

    rec = run([S(0, swelling=True)])
    level, icon = ADVICE_STYLE[rec.kind]
    assert level == "error" and icon
    assert "swelling" in advice_body(rec)
    assert ADVICE_STYLE[run([S(0)]).kind][0] == "info"


def test_every_kind_of_advice_has_a_box_and_an_icon() -> None:
    from typing import get_args

    from kneecore.progression import Kind
    from pages.style import ADVICE_STYLE

    assert set(ADVICE_STYLE) == set(get_args(Kind))


def test_recommendation_texts_load_and_cover_every_kind() -> None:
    texts = load_texts()
    for kind in KINDS:
        assert texts.text(kind).title
    assert texts.see_gp.paused_advice and texts.progress_dose.no_progression


def test_an_unknown_placeholder_in_the_texts_is_refused_naming_the_field(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[2] / "content" / "recommendations.yaml").read_text()
    broken = tmp_path / "recommendations.yaml"
    broken.write_text(source.replace("{next_phase}", "{phase_name}"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_texts(broken)
    assert "recommendations.yaml" in str(err.value)
    assert "progress_phase.advice" in str(err.value)


def test_a_missing_text_is_refused_naming_the_field(tmp_path: Path) -> None:
    broken = tmp_path / "recommendations.yaml"
    broken.write_text("hold:\n  title: Keep going\n  advice: Stay at this dose for now.\n")
    with pytest.raises(ContentError, match="see_gp"):
        load_texts(broken)


def test_days_in_a_phase_are_whole_days_since_it_started() -> None:
    start = PhaseStart(phase=2, started=TODAY, source="self_check")
    assert days_in_phase(start, TODAY) == 0
    assert days_in_phase(start, TODAY + dt.timedelta(days=14)) == 14


# -- version 2: review (not improving) ---------------------------------------------------


def check(ago: int, akps: int | None, worst: int | None = 5, practice: bool = False) -> Any:
    from kneecore.models import SelfCheckResult

    answers: dict[str, Any] = {} if worst is None else {"pain_worst_week": worst}
    return SelfCheckResult(
        date=TODAY - dt.timedelta(days=ago),
        urgency="none" if not practice else "gp_soon",
        phase=None if practice else 2,
        akps=akps,
        answers=answers,
        practice=practice,
    )


def advise(
    specs: list[S],
    checks: list[Any] = (),  # type: ignore[assignment]
    programme_ago: int | None = 60,
    started_ago: int = 30,
    phase: int = 2,
    **kw: Any,
) -> Recommendation:
    start = PhaseStart(phase=phase, started=TODAY - dt.timedelta(days=started_ago))  # type: ignore[arg-type]
    programme = None if programme_ago is None else TODAY - dt.timedelta(days=programme_ago)
    return recommend(
        [s.session() for s in specs],
        start,
        today=TODAY,
        library=LIB,
        selfchecks=checks,
        programme_start=programme,
        **kw,
    )


@pytest.mark.parametrize(("programme_ago", "kind"), [(42, "review"), (41, "hold")])
def test_review_starts_six_weeks_after_the_programme_start_not_a_day_before(
    programme_ago: int, kind: str
) -> None:
    checks = [check(50, 60), check(0, 60)]
    assert advise([S(2)], checks, programme_ago=programme_ago).kind == kind


def test_review_counts_from_the_phase_start_when_no_programme_start_is_given() -> None:
    checks = [check(50, 60), check(0, 60)]
    assert advise([S(2)], checks, programme_ago=None, started_ago=42).kind == "review"
    assert advise([S(2)], checks, programme_ago=None, started_ago=41).kind == "hold"


@pytest.mark.parametrize(("first_ago", "kind"), [(42, "review"), (41, "hold")])
def test_the_latest_self_check_must_be_six_weeks_after_the_first(first_ago: int, kind: str) -> None:
    assert advise([S(2)], [check(first_ago, 60), check(0, 60)]).kind == kind


@pytest.mark.parametrize(("gain", "kind"), [(9, "review"), (10, "hold")])
def test_a_knee_score_up_by_9_is_too_little_and_up_by_10_is_enough(gain: int, kind: str) -> None:
    assert advise([S(2)], [check(50, 60, worst=5), check(0, 60 + gain, worst=5)]).kind == kind


@pytest.mark.parametrize(("drop", "kind"), [(1, "review"), (2, "hold")])
def test_worst_week_pain_down_by_1_is_too_little_and_down_by_2_is_enough(
    drop: int, kind: str
) -> None:
    assert advise([S(2)], [check(50, 60, worst=6), check(0, 60, worst=6 - drop)]).kind == kind


def test_review_by_self_checks_needs_both_too_little_gain_and_too_little_relief() -> None:
    assert advise([S(2)], [check(50, 60, worst=6), check(0, 70, worst=6)]).kind == "hold"
    assert advise([S(2)], [check(50, 60, worst=6), check(0, 69, worst=4)]).kind == "hold"


def test_the_review_reason_names_the_scores_and_worst_pain_in_plain_words() -> None:
    rec = advise([S(2)], [check(50, 55, worst=6), check(0, 58, worst=5)])
    assert rec.kind == "review"
    assert "from 55 to 58" in rec.reason
    assert "6/10 (moderate) to 5/10 (moderate)" in rec.reason
    assert "Between your self-checks of 1 Oct and 20 Nov" in rec.reason
    assert "physiotherapist" in rec.advice and "pain rules" in rec.advice
    from pages.style import ADVICE_STYLE

    assert ADVICE_STYLE[rec.kind][0] == "warning"


def test_practice_runs_and_results_without_a_knee_score_are_left_out_of_the_review() -> None:
    first = check(50, 60)
    assert advise([S(2)], [first, check(0, 60, practice=True)]).kind == "hold"
    assert advise([S(2)], [first, check(0, None)]).kind == "hold"
    assert advise([S(2)], [first, check(0, 60)]).kind == "review"
    # The first scored self-check is the one compared with, not an unscored older one.
    assert advise([S(2)], [check(60, None), check(41, 60), check(0, 60)]).kind == "hold"


def test_an_unknown_worst_week_pain_leaves_the_knee_score_to_decide() -> None:
    assert advise([S(2)], [check(50, 60, worst=None), check(0, 65, worst=3)]).kind == "review"
    assert advise([S(2)], [check(50, 60, worst=None), check(0, 70, worst=3)]).kind == "hold"


def _pains(first_two_weeks: list[int], last_two_weeks: list[int]) -> list[S]:
    """Sessions with these pains: days 60.. of a programme started 60 days ago, and the
    last 14 days (one a day, counting back from today)."""
    early = [S(60 - i, during=p) for i, p in enumerate(first_two_weeks)]
    late = [S(len(last_two_weeks) - 1 - i, during=p) for i, p in enumerate(last_two_weeks)]
    return early + late


@pytest.mark.parametrize(
    ("recent", "kind"),
    [([4] * 10, "review"), ([4] * 9 + [3], "hold")],
    ids=["average 4.0", "average 3.9"],
)
def test_average_pain_4_over_the_last_two_weeks_gives_a_review_and_3_9_does_not(
    recent: list[int], kind: str
) -> None:
    assert advise(_pains([5, 4] * 2, recent)).kind == kind  # first weeks averaged 4.5


@pytest.mark.parametrize(
    ("early", "recent", "kind"),
    [
        ([5] * 10, [4] * 10, "hold"),  # 1.0 below
        ([5] * 9 + [4], [4] * 10, "review"),  # 0.9 below
        ([9, 9, 8], [9, 9, 5], "hold"),  # 26/3 to 23/3: exactly one point
    ],
    ids=["1 point better", "0.9 better", "exactly one point in thirds"],
)
def test_pain_at_least_one_point_below_the_first_two_weeks_is_no_review(
    early: list[int], recent: list[int], kind: str
) -> None:
    assert advise(_pains(early, recent)).kind == kind


def test_without_sessions_in_the_first_two_weeks_the_pain_level_alone_decides() -> None:
    rec = advise(_pains([], [5, 5, 4]))
    assert rec.kind == "review"
    assert "no sessions from your first two weeks" in rec.reason


def test_the_review_by_pain_names_both_averages() -> None:
    rec = advise(_pains([5, 5], [5, 4]))
    assert rec.kind == "review"
    assert "averaged 4.5/10 (moderate)" in rec.reason and "averaged 5/10" in rec.reason


def test_see_gp_and_step_back_come_before_review() -> None:
    slow = [check(50, 60), check(0, 60)]
    assert advise([S(2), S(0, during=7)], slow).kind == "step_back"
    assert advise([S(2), S(0, swelling=True)], slow).kind == "see_gp"


def test_review_comes_before_progress() -> None:
    slow = [check(50, 60), check(0, 60)]
    assert advise(green_run(SIX_IN_14), slow).kind == "review"
    assert advise([S(4), S(2), S(0, exercises=[TOP])], slow).kind == "review"
    assert advise(green_run(SIX_IN_14)).kind == "progress_phase"


# -- version 2: the plan pause -----------------------------------------------------------


def test_a_paused_plan_is_see_gp_with_the_pauses_own_words_whatever_the_sessions() -> None:
    words = ["On 3 Nov you reported that the knee locks.", "Book a GP appointment."]
    rec = advise(green_run(SIX_IN_14, exercises=[TOP]), pause=words)
    assert rec.kind == "see_gp"
    assert rec.reason == " ".join(words)
    assert rec.advice == load_texts().see_gp.paused_advice
    assert rec.session_ids == []


def test_a_pause_without_reasons_still_pauses_and_none_means_not_paused() -> None:
    rec = advise([S(0)], pause=[])
    assert rec.kind == "see_gp" and "paused" in rec.reason
    assert advise([S(0)], pause=None).kind == "hold"


# -- version 2: sessions dated before the phase started ------------------------------------


def test_a_red_session_dated_the_day_before_the_phase_started_is_a_step_back() -> None:
    rec = advise([S(1, during=7)], started_ago=0)
    assert rec.kind == "step_back"
    assert "19 Nov, was red" in rec.reason


@pytest.mark.parametrize(("ago", "kind"), [(13, "see_gp"), (14, "hold")])
def test_a_knee_problem_before_the_phase_counts_for_14_days(ago: int, kind: str) -> None:
    assert advise([S(ago, swelling=True), S(0)], started_ago=3).kind == kind


@pytest.mark.parametrize(("ago", "kind"), [(6, "hold"), (5, "hold"), (4, "see_gp")])
def test_a_clearance_inside_the_phase_covers_sessions_up_to_the_examination_day(
    ago: int, kind: str
) -> None:
    # Examined 5 days ago; the phase started 30 days ago; the programme 60 days ago.
    rec = advise([S(ago, giving_way=True), S(0)], programme_ago=5, started_ago=30)
    assert rec.kind == kind


def test_a_clearance_does_not_undo_a_step_back_for_a_red_latest_session() -> None:
    assert advise([S(6, during=7)], programme_ago=5, started_ago=30).kind == "step_back"


def test_the_session_just_logged_counts_as_the_latest_whatever_its_date() -> None:
    specs = [S(10, during=7), S(3), S(2), S(1)]
    assert advise(specs).kind == "hold"
    rec = advise(specs, logged="s10")
    assert rec.kind == "step_back"
    assert "The session you just logged, for 10 Nov, was red" in rec.reason
    assert advise(specs, logged="s1").kind == "hold"
    assert advise(specs, logged="no-such-id").kind == "hold"


def test_a_knee_problem_in_the_session_just_logged_is_see_gp_even_from_long_ago() -> None:
    specs = [S(40, locking=True), S(1)]
    assert advise(specs).kind == "hold"
    assert advise(specs, logged="s40").kind == "see_gp"


# -- version 2: each exercise's own next step; the hop sequence ---------------------------

LEG_TOP = {"exercise_id": "leg_raise", "sets": 3, "reps": [15, 15, 15]}


def hop(exercise_id: str, reps: int = 10) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "sets": 3, "reps": [reps] * 3}


def test_progress_dose_advice_names_each_exercise_with_its_own_progressions() -> None:
    rec = advise([S(4), S(2), S(0, exercises=[LEG_TOP, TOP])], programme_ago=20)
    assert rec.kind == "progress_dose"
    assert "- **Leg raise**: Add an ankle weight of 1 kg." in rec.advice
    assert "- **Bridge**: stay at the top of the range" in rec.advice
    assert "0.5 to 1 kg" not in rec.advice


def test_a_hop_at_the_top_moves_on_to_the_next_hop_never_to_an_ankle_weight() -> None:
    specs = [S(a, exercises=[hop("two_leg_hops")]) for a in (4, 2, 0)]
    rec = advise(specs, programme_ago=20, phase=3)
    assert rec.kind == "progress_dose"
    assert "- **Two-leg hops**: Move on to one-leg hops." in rec.advice
    assert "weight" not in rec.advice.lower() and "kg" not in rec.advice


def test_a_red_hop_steps_back_to_the_hop_before_it_not_to_the_phase_before() -> None:
    rec = advise([S(2), S(0, during=7, exercises=[hop("cross_hops")])], phase=3)
    assert rec.kind == "step_back"
    assert "Cross hops: go back to One-leg hops" in rec.advice
    assert "phase 2" not in rec.advice
    first = advise([S(2), S(0, during=7, exercises=[hop("two_leg_hops")])], phase=3)
    assert "go back to phase 2" in first.advice and "go back to Two" not in first.advice


def test_the_sequences_and_the_step_before_come_from_progresses_to() -> None:
    assert [[e.id for e in chain] for chain in sequences(LIB)] == [
        ["two_leg_hops", "one_leg_hops", "cross_hops"]
    ]
    assert previous_step(LIB, "cross_hops") == LIB.exercise("one_leg_hops")
    assert previous_step(LIB, "two_leg_hops") is None


def _sessions(specs: list[S]) -> list[Session]:
    return [s.session() for s in specs]


def greens(exercise_id: str, *days: int) -> list[S]:
    return [S(d, exercises=[hop(exercise_id)]) for d in days]


def test_only_the_first_hop_is_reached_at_the_start() -> None:
    assert hops_reached([], LIB) == ["two_leg_hops"]
    assert hops_reached(_sessions(greens("two_leg_hops", 4, 2)), LIB) == ["two_leg_hops"]


def test_three_green_sessions_with_a_hop_at_the_top_reach_the_next_hop() -> None:
    reached = hops_reached(_sessions(greens("two_leg_hops", 8, 6, 4)), LIB)
    assert reached == ["two_leg_hops", "one_leg_hops"]
    more = greens("two_leg_hops", 8, 6, 4) + greens("one_leg_hops", 3, 2, 1)
    assert hops_reached(_sessions(more), LIB) == ["two_leg_hops", "one_leg_hops", "cross_hops"]


def test_the_next_hop_needs_the_latest_hop_reached_at_the_top() -> None:
    below = [S(d, exercises=[hop("two_leg_hops", 9)]) for d in (8, 6, 4)]
    assert hops_reached(_sessions(below), LIB) == ["two_leg_hops"]
    # Two-leg hops at the top again does not skip past one-leg hops.
    again = greens("two_leg_hops", 8, 6, 4, 3, 2, 1)
    assert hops_reached(_sessions(again), LIB) == ["two_leg_hops", "one_leg_hops"]


@pytest.mark.parametrize(
    "last",
    [
        S(0, during=6, exercises=[hop("one_leg_hops")]),
        S(0, swelling=True, exercises=[hop("one_leg_hops")]),
    ],
    ids=["red session", "swelling"],
)
def test_a_step_back_takes_the_last_hop_reached_away(last: S) -> None:
    specs = [*greens("two_leg_hops", 8, 6, 4), last]
    assert hops_reached(_sessions(specs), LIB) == ["two_leg_hops"]


def test_two_sore_mornings_in_the_last_three_take_the_last_hop_away() -> None:
    specs = [
        *greens("two_leg_hops", 8, 6, 4),
        S(3, morning=2, exercises=[hop("one_leg_hops")]),
        S(1, morning=2, exercises=[hop("one_leg_hops")]),
    ]
    assert hops_reached(_sessions(specs), LIB) == ["two_leg_hops"]


def test_no_next_hop_without_an_earlier_morning_or_after_reds_or_swelling_in_14_days() -> None:
    unknown = greens("two_leg_hops", 8, 6, 4)
    unknown[1] = S(6, morning=None, exercises=[hop("two_leg_hops")])
    assert hops_reached(_sessions(unknown), LIB) == ["two_leg_hops"]
    reds = [S(d, during=7) for d in (13, 12, 11)] + greens("two_leg_hops", 10, 9, 8)
    assert hops_reached(_sessions(reds), LIB) == ["two_leg_hops"]
    later = [S(d, during=7) for d in (16, 15, 14)] + greens("two_leg_hops", 3, 2, 1)
    assert hops_reached(_sessions(later), LIB) == ["two_leg_hops", "one_leg_hops"]
    swollen = [S(11, swelling=True), *greens("two_leg_hops", 3, 2, 1)]
    assert hops_reached(_sessions(swollen), LIB) == ["two_leg_hops"]
    swollen[0] = S(15, swelling=True)  # 15 days before the third green one
    assert hops_reached(_sessions(swollen), LIB) == ["two_leg_hops", "one_leg_hops"]


def test_a_library_without_sequences_has_no_hops_to_reach() -> None:
    plain = LIB.model_copy(update={"exercises": LIB.by_phase(1)})
    assert hops_reached(_sessions(greens("two_leg_hops", 3, 2, 1)), plain) == []


# -- version 2: Today asks for a self-check -------------------------------------------------


@pytest.mark.parametrize(
    ("programme_ago", "checks", "due"),
    [
        (42, [], True),
        (41, [], False),
        (None, [], False),
        (60, [check(13, 60)], False),
        (60, [check(14, 60)], True),
        (60, [check(0, None, practice=True)], True),
        (60, [check(0, None)], False),
    ],
    ids=[
        "6 weeks",
        "a day short of 6 weeks",
        "no programme yet",
        "one 13 days ago",
        "the last 14 days ago",
        "a practice run does not count",
        "a saved one without a score counts",
    ],
)
def test_a_self_check_is_due_from_six_weeks_with_none_saved_in_the_last_14_days(
    programme_ago: int | None, checks: list[Any], due: bool
) -> None:
    start = None if programme_ago is None else TODAY - dt.timedelta(days=programme_ago)
    assert selfcheck_due(checks, start, TODAY) is due


def test_an_unknown_placeholder_in_the_hop_step_back_text_is_refused(tmp_path: Path) -> None:
    source = (Path(__file__).resolve().parents[2] / "content" / "recommendations.yaml").read_text()
    broken = tmp_path / "recommendations.yaml"
    broken.write_text(source.replace("{previous}", "{easier}"), encoding="utf-8")
    with pytest.raises(ContentError, match=r"step_back\.previous_step"):
        load_texts(broken)


@pytest.mark.parametrize(
    ("pain", "words"),
    [
        (0, "no pain"),
        (1, "mild"),
        (3, "mild"),
        (3.9, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (6.5, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_pain_levels_get_the_usual_words(pain: float, words: str) -> None:
    assert pain_words(pain) == words


# -- several sessions on one day: the day's light is its worst session's --------------------


def same_day(*specs: S) -> list[Session]:
    """Sessions in the order they were logged, each with its own id (two on a day share
    ``ago``)."""
    return [s.session().model_copy(update={"id": f"s{s.ago}-{i}"}) for i, s in enumerate(specs)]


def advise_on(sessions: list[Session], **kw: Any) -> Recommendation:
    start = PhaseStart(phase=2, started=TODAY - dt.timedelta(days=30))
    return recommend(sessions, start, today=TODAY, library=LIB, **kw)


def test_a_red_session_earlier_the_same_day_is_not_hidden_by_a_green_one() -> None:
    rec = advise_on(same_day(S(2), S(0, during=6), S(0, during=2)))
    assert rec.kind == "step_back"
    assert rec.reason.startswith("One of your sessions on 20 Nov was red.")
    assert rec.session_ids == ["s0-1"]


def test_a_green_session_after_a_green_one_the_same_day_changes_nothing() -> None:
    # The control: the same day without the red session is no step back.
    assert advise_on(same_day(S(2), S(0, during=2), S(0, during=2))).kind == "hold"


def test_an_amber_session_earlier_the_same_day_holds_the_dose_and_is_named() -> None:
    rec = advise_on(same_day(S(2), S(0, during=5), S(0, during=2)))
    assert rec.kind == "hold"
    assert rec.reason.startswith("One of your sessions on 20 Nov was amber: hold the dose")
    assert "5/10" in rec.reason
    assert "safe range" not in rec.reason


def test_three_green_sessions_after_an_amber_one_the_same_day_add_no_load() -> None:
    top = same_day(S(2), S(0, during=4), S(0), S(0), S(0, exercises=[TOP]))
    rec = advise_on(top)
    assert rec.kind == "hold"
    assert "was amber" in rec.reason
    calm = same_day(S(2), S(0, during=2), S(0), S(0), S(0, exercises=[TOP]))
    assert advise_on(calm).kind == "progress_dose"


def test_the_recent_sessions_sentence_names_each_day_once() -> None:
    rec = advise_on(same_day(S(1), S(0), S(0)))
    assert rec.kind == "hold"
    assert "Your recent sessions, on 19 Nov and 20 Nov, were green" in rec.reason
    assert "20 Nov and 20 Nov" not in rec.reason


def test_a_sentence_about_three_sessions_on_one_day_says_the_day_once() -> None:
    rec = advise_on(same_day(S(0), S(0), S(0)))
    assert "Your recent sessions, on 20 Nov, were green" in rec.reason


def test_three_reds_on_two_days_are_counted_and_each_day_named_once() -> None:
    rec = advise_on(same_day(S(3, during=6), S(0, during=7), S(0, during=6)))
    assert rec.kind == "see_gp"
    assert "3 sessions on 17 Nov and 20 Nov were red" in rec.reason


def test_a_red_session_logged_first_today_is_a_step_back_when_a_green_one_is_logged_after() -> None:
    # Log's advice after saving the green one must not say "keep going".
    sessions = same_day(S(2), S(0, during=7), S(0))
    assert advise_on(sessions, logged=sessions[-1].id).kind == "step_back"
