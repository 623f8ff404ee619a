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
    Recommendation,
    at_top_of_range,
    days_in_phase,
    load_texts,
    presentation,
    recommend,
    session_zone,
    trend_warning,
)

TODAY = dt.date(2025, 11, 20)


def _exercise(id_: str, name: str, phase: int, dose: Dose, progressions: list[str]) -> Exercise:
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
    )


def make_library() -> Library:
    """Phase 1: a 3 x 10-15 leg raise (ankle weight) and a 1 x 10 hold exercise.
    Phase 2: a 3 x 10-15 bridge, a banded hip exercise, and a 3 x 30 s balance hold."""
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
            _exercise("hops", "Hops", 3, Dose(sets=3, reps_min=10, reps_max=10), []),
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
    level, icon, body = presentation(run([S(0, swelling=True)]))
    assert level == "error" and icon
    assert "swelling" in body
    assert presentation(run([S(0)]))[0] == "info"


def test_recommendation_texts_load_and_cover_every_kind() -> None:
    texts = load_texts()
    for kind in ("see_gp", "step_back", "progress_dose", "progress_phase", "hold"):
        assert texts.text(kind).title  # type: ignore[arg-type]


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
