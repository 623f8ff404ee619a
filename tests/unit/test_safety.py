"""The plan pause (clinical-rules.md section 6): both sides of every rule, and a property.

Dates are days in the past (a store refuses future ones) counted from ``START``; the
self-checks come from the real ``assess`` so the signs and reasons are the app's own.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kneecore.content import Library, load_library
from kneecore.models import SelfCheckResult, WarningSign
from kneecore.safety import CLEARED_DAYS, advise, cleared_signs, plan_status, status_of
from kneecore.selfcheck import HISTORY_SIGNS, assess
from kneecore.store import Store
from kneecore.words import format_day

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=1500)
BASE: dict[str, Any] = {
    "age": 30,
    "pain_now": 2,
    "pain_worst_week": 3,
    "weeks_of_symptoms": 2,
    "goal": "running",
}
#: Answers giving each kind of self-check.
KINDS: dict[str, dict[str, Any]] = {
    "clean": {},
    "emergency": {"injury_cannot_bear_weight": True},
    "locking": {"locking": True},
    "giving_way": {"giving_way": True},
    "history": {"injury_onset": True},
    "dislocated": {"kneecap_dislocated": True},
}


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def check(kind: str, n: int, store: Store | None = None) -> SelfCheckResult:
    """A self-check of this kind on day ``n``, with the clearances the page would pass."""
    cleared = cleared_signs(store, today=day(n)) if store is not None else None
    return assess({**BASE, **KINDS[kind]}, on=day(n), cleared=cleared)


def session(ex: str, n: int, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": day(n),
        "exercises": [{"exercise_id": ex, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
    }
    return {**data, **changes}


def red(ex: str, n: int) -> dict[str, Any]:
    return session(ex, n, pain_during=7)


@pytest.fixture
def ex(library: Library) -> str:
    return str(library.exercises[0].id)


def status(store: Store, n: int = 399) -> Any:
    return plan_status(store, today=day(n))


# -- what the status says ----------------------------------------------------------------


def test_an_empty_store_and_a_clean_self_check_leave_the_plan_open(store):
    assert not status(store).paused
    store.add_selfcheck(check("clean", 1))
    open_ = status(store)
    assert not open_.paused and open_.urgency is None and open_.reasons == []


def test_an_emergency_pauses_with_the_results_own_words_its_date_and_urgent_care(store):
    result = check("emergency", 3)
    store.add_selfcheck(result)
    paused = status(store, 3)
    assert paused.paused and paused.urgency == "emergency" and paused.source == "selfcheck"
    assert paused.reasons == [result.signs[0].reason]
    assert paused.since == day(3)
    assert "medical help today" in paused.headline
    first = paused.actions[0]
    assert first.startswith(f"On {format_day(day(3), day(3))} you reported: ")
    assert "could not take four steps after an injury" in first
    assert "if you have not been seen yet" in first and "emergency department today" in first
    assert any("not a diagnosis" in a for a in paused.actions)


def test_a_gp_soon_sign_pauses_and_says_book_a_gp_or_physiotherapist(store):
    store.add_selfcheck(check("locking", 3))
    paused = status(store, 4)
    assert paused.paused and paused.urgency == "gp_soon"
    assert "the knee locks or gets stuck" in paused.actions[0]
    assert "book an appointment with a GP or physiotherapist" in paused.actions[0]
    assert paused.sign_ids == ["locking"]


def test_a_clean_self_check_the_next_day_ends_the_pause_but_not_the_same_day(store):
    store.add_selfcheck(check("emergency", 3))
    store.add_selfcheck(check("clean", 3))
    assert status(store, 3).urgency == "emergency", "same day: the warning still stands"
    store.add_selfcheck(check("clean", 4))
    assert not status(store, 4).paused


def test_only_the_latest_self_check_day_counts(store):
    store.add_selfcheck(check("emergency", 3))
    store.add_selfcheck(check("locking", 5))
    assert status(store).urgency == "gp_soon"


# -- clearances --------------------------------------------------------------------------


def test_a_clearance_examined_the_same_day_covers_the_sign_and_lifts_the_pause(store):
    store.add_selfcheck(check("emergency", 3))
    store.add_clearance(day(3), today=day(3))
    assert not status(store, 3).paused
    (clearance,) = store.clearances()
    assert clearance.covers == ["injury_cannot_bear_weight"]
    assert clearance.recorded == day(3)


def test_an_examination_the_day_before_the_sign_covers_nothing(store):
    store.add_selfcheck(check("locking", 3))
    store.add_clearance(day(2), today=day(3))
    assert store.clearances()[0].covers == []
    assert status(store, 3).paused


@pytest.mark.parametrize("kind", ["history", "dislocated"])
def test_a_covered_history_sign_never_pauses_again(store, kind):
    first = check(kind, 3)
    assert {s.id for s in first.signs} <= HISTORY_SIGNS
    store.add_selfcheck(first)
    store.add_clearance(day(4), today=day(4))
    later = 4 + CLEARED_DAYS + 200
    store.add_selfcheck(check(kind, later, store))
    assert not status(store, later).paused


@pytest.mark.parametrize("through_page", [True, False])
@pytest.mark.parametrize(("after", "paused"), [(CLEARED_DAYS, False), (CLEARED_DAYS + 1, True)])
def test_another_covered_gp_soon_sign_stays_cleared_for_84_days_not_85(
    store, after, paused, through_page
):
    store.add_selfcheck(check("locking", 3))
    store.add_clearance(day(10), today=day(10))
    later = check("locking", 10 + after, store if through_page else None)
    store.add_selfcheck(later)
    assert status(store, 10 + after).paused is paused
    if through_page:
        assert (later.signs[0].cleared_on is not None) is not paused


def test_an_emergency_after_a_clearance_pauses_again_even_if_the_same_sign_was_covered(store):
    store.add_selfcheck(check("emergency", 3))
    store.add_clearance(day(3), today=day(3))
    store.add_selfcheck(check("emergency", 5, store))
    assert status(store, 5).urgency == "emergency"


def test_a_sign_the_clearance_did_not_cover_pauses(store):
    store.add_selfcheck(check("locking", 3))
    store.add_clearance(day(4), today=day(4))
    store.add_selfcheck(check("giving_way", 6, store))
    paused = status(store, 6)
    assert paused.paused and paused.sign_ids == ["giving_way"]


def test_the_rules_are_applied_to_results_without_cleared_on_and_cleared_on_alone_is_not_trusted(
    store,
):
    store.add_selfcheck(check("history", 3))
    store.add_clearance(day(4), today=day(4))
    store.add_selfcheck(check("history", 50))  # added through the API: no cleared_on
    assert not status(store, 50).paused
    stamped = assess({**BASE, **KINDS["giving_way"]}, on=day(51), cleared={"giving_way": day(4)})
    assert stamped.signs[0].cleared_on == day(4)
    store.add_selfcheck(stamped)
    assert status(store, 51).sign_ids == ["giving_way"], "no clearance covered it"


def test_cleared_signs_gives_history_always_and_others_for_84_days(store, ex):
    store.add_selfcheck(assess({**BASE, "injury_onset": True, "locking": True}, on=day(3)))
    store.add_session(session(ex, 3, swelling=True))
    store.add_clearance(day(4), today=day(4))
    assert set(store.clearances()[0].covers) == {"injury_onset", "locking", "session_swelling"}
    assert cleared_signs(store, today=day(4 + CLEARED_DAYS)) == {
        "injury_onset": day(4),
        "locking": day(4),
    }
    assert cleared_signs(store, today=day(5 + CLEARED_DAYS)) == {"injury_onset": day(4)}


# -- sessions ----------------------------------------------------------------------------


def test_swelling_in_a_session_pauses_and_a_clearance_examined_that_day_lifts_it(store, ex):
    store.add_session(session(ex, 5, swelling=True))
    paused = status(store, 5)
    assert paused.paused and paused.source == "session" and paused.since == day(5)
    assert "swelling" in paused.reasons[0]
    store.add_clearance(day(5), today=day(6))
    assert not status(store, 6).paused


def test_swelling_in_a_session_the_day_after_the_examination_still_pauses(store, ex):
    store.add_session(session(ex, 6, swelling=True))
    store.add_clearance(day(5), today=day(6))
    assert status(store, 6).sign_ids == ["session_swelling"]


def test_three_red_sessions_spanning_the_clearance_date_do_not_pause(store, ex):
    for n in (4, 5, 6):
        store.add_session(red(ex, n))
    assert status(store, 6).paused
    store.add_clearance(day(5), today=day(6))
    assert not status(store, 6).paused, "the red count starts again after the examination"
    store.add_session(red(ex, 7))
    assert not status(store, 7).paused
    store.add_session(red(ex, 8))
    paused = status(store, 8)
    assert paused.paused and paused.sign_ids == ["session_red"] and paused.since == day(8)


def test_a_session_on_the_day_of_a_clean_self_check_still_counts_the_day_before_does_not(store, ex):
    store.add_session(session(ex, 4, locking=True))
    store.add_selfcheck(check("clean", 5))
    assert not status(store, 5).paused
    store.add_session(session(ex, 5, giving_way=True))
    assert status(store, 5).sign_ids == ["session_giving_way"]


def test_after_a_clean_self_check_the_next_day_an_earlier_swollen_session_gives_no_see_gp(
    store, ex
):
    store.add_session(session(ex, 10, swelling=True))
    assert advise(store, today=day(10)).kind == "see_gp"
    store.add_selfcheck(check("clean", 11))
    store.start_phase(1, started=day(11), source="self_check")
    assert not status(store, 12).paused
    assert advise(store, today=day(12)).kind != "see_gp"


def test_the_advice_while_paused_is_see_gp_with_the_pauses_own_reasons(store):
    store.add_selfcheck(check("locking", 3))
    rec = advise(store, today=day(4))
    assert rec.kind == "see_gp"
    assert status(store, 4).reasons[0] in rec.reason


def test_a_self_check_emergency_and_a_session_sign_are_both_named(store, ex):
    store.add_session(session(ex, 4, swelling=True))
    store.add_selfcheck(check("emergency", 5))
    both = status(store, 5)
    assert both.urgency == "emergency" and both.source == "selfcheck"
    assert len(both.reasons) == 2 and "swelling" in both.reasons[1]


# -- practice runs, deletions, version-1 results -------------------------------------------


def test_a_practice_run_with_a_warning_pauses_and_without_one_saves_nothing(store):
    assert store.add_selfcheck(check("clean", 3), practice=True) is None
    assert not store.path.exists()
    kept = store.add_selfcheck(check("locking", 3), practice=True)
    (record,) = store.selfchecks()
    assert record.id == kept and record.practice and record.akps is None
    assert status(store, 3).paused


def test_a_practice_run_does_not_end_a_pause_but_a_saved_clean_self_check_does(store):
    store.add_selfcheck(check("locking", 3))
    store.add_selfcheck(check("clean", 4), practice=True)
    assert status(store, 4).paused
    store.add_selfcheck(check("clean", 4))
    assert not status(store, 4).paused


def test_deleting_the_self_check_behind_a_pause_does_not_lift_it_and_undo_restores_it(store):
    result = check("emergency", 3)
    store.add_selfcheck(result)
    removed = store.delete_selfcheck(result.id)
    assert removed == result and store.selfchecks() == []
    paused = status(store, 3)
    assert paused.urgency == "emergency" and paused.reasons == [result.signs[0].reason]
    (record,) = store.warning_records()
    assert record.answers == {} and record.akps is None
    assert store.add_selfcheck(removed) == result.id
    assert store.selfchecks() == [result] and store.warning_records() == []


def test_deleting_a_clean_self_check_brings_back_the_pause_it_had_ended(store):
    store.add_selfcheck(check("locking", 3))
    clean = check("clean", 4)
    store.add_selfcheck(clean)
    assert not status(store, 4).paused
    store.delete_selfcheck(clean.id)
    assert status(store, 4).paused and store.warning_records() == []


def test_a_clearance_covers_a_deleted_self_checks_warning_record(store):
    result = check("emergency", 3)
    store.add_selfcheck(result)
    store.delete_selfcheck(result.id)
    store.add_clearance(day(3), today=day(3))
    assert store.clearances()[0].selfcheck_ids == [result.id]
    assert not status(store, 3).paused


def test_a_version_1_result_without_signs_pauses_with_its_own_reasons(store):
    old = SelfCheckResult(
        date=day(3),
        urgency="gp_soon",
        red_flags=["giving_way"],
        reasons=["The knee gives way: see a GP."],
    )
    store.add_selfcheck(old)
    paused = status(store, 3)
    assert paused.paused and paused.urgency == "gp_soon"
    assert paused.reasons == ["The knee gives way: see a GP."]
    assert "a warning sign" in paused.actions[0]
    store.add_clearance(day(3), today=day(3))
    assert store.clearances()[0].covers == ["giving_way"]
    assert not status(store, 3).paused


def test_a_version_1_emergency_naming_no_flag_still_pauses(store):
    store.add_selfcheck(SelfCheckResult(date=day(3), urgency="emergency"))
    paused = status(store, 3)
    assert paused.urgency == "emergency" and paused.reasons


def test_status_of_takes_plain_lists_in_any_order():
    sign = WarningSign(id="locking", urgency="gp_soon", reason="Warning sign: it locks.")
    warning = SelfCheckResult(date=day(3), urgency="gp_soon", red_flags=["locking"], signs=[sign])
    clean = SelfCheckResult(date=day(5), urgency="none", phase=1)
    assert not status_of([clean, warning], [], [], [], today=day(6)).paused
    assert status_of([warning], [], [], [], today=day(6)).actions[0].endswith("until then.")


# -- the property ------------------------------------------------------------------------

# A step: (kind, day increment). Kinds: a self-check of KINDS, a practice run of one,
# delete the i-th self-check, a clearance examined k days ago, a session (clean, red,
# swelling).
#: Days between steps: mostly a few, sometimes around the 12-week limit.
GAP = st.one_of(st.integers(0, 3), st.sampled_from([40, 83, 84, 85]))
STEP = st.one_of(
    st.tuples(st.just("check"), st.sampled_from(sorted(KINDS)), GAP),
    st.tuples(st.just("practice"), st.sampled_from(sorted(KINDS)), GAP),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just(0)),
    st.tuples(st.just("clearance"), st.integers(0, 3), st.integers(0, 40)),
    st.tuples(st.just("session"), st.sampled_from(["fine", "red", "swelling"]), GAP),
)


class Oracle:
    """Section 6 written out once more, simply and on its own: which signs stand."""

    def __init__(self) -> None:
        #: (id, day, practice or deleted, {sign: urgency}) of every self-check ever
        #: saved; deleted ones that found a sign stay (deleting never lifts a pause).
        self.checks: list[tuple[str, dt.date, bool, dict[str, str]]] = []
        #: (examined, covered signs, covered check ids)
        self.clearances: list[tuple[dt.date, set[str], set[str]]] = []
        self.sessions: list[tuple[dt.date, str]] = []

    def cleared(self, check_id: str, when: dt.date, sign: str, urgency: str) -> bool:
        for examined, signs, ids in self.clearances:
            if sign not in signs:
                continue
            if check_id in ids:
                return True
            if urgency == "gp_soon" and (sign in HISTORY_SIGNS or (when - examined).days <= 7 * 12):
                return True
        return False

    def standing(self) -> list[tuple[str, dt.date, str]]:
        """(check id, day, sign) of the uncovered signs of the latest self-check day."""
        uncovered = {
            c[0]: [s for s, u in c[3].items() if not self.cleared(c[0], c[1], s, u)]
            for c in self.checks
        }
        days = [c[1] for c in self.checks if uncovered[c[0]] or not c[2]]
        if not days:
            return []
        latest = max(days)
        return [(c[0], c[1], s) for c in self.checks if c[1] == latest for s in uncovered[c[0]]]

    def session_sign(self) -> bool:
        clean = [c[1] for c in self.checks if not c[2] and not self.standing_of(c)]
        start = max(clean, default=None)
        examined = max((k[0] for k in self.clearances), default=None)
        counted = [
            (d, kind)
            for d, kind in self.sessions
            if (examined is None or d > examined) and (start is None or d >= start)
        ]
        if any(kind == "swelling" for _, kind in counted):
            return True
        reds = sorted(d for d, kind in counted if kind == "red")
        return any((reds[i + 2] - reds[i]).days < 14 for i in range(len(reds) - 2))

    def standing_of(self, c: tuple[str, dt.date, bool, dict[str, str]]) -> bool:
        return any(not self.cleared(c[0], c[1], s, u) for s, u in c[3].items())


def _run(steps: list[tuple[Any, Any, Any]], folder: Path, library: Library) -> None:
    store = Store(folder / "knee-data.json", exercise_ids=library.exercise_ids)
    ex = library.exercises[0].id
    oracle = Oracle()
    n, saved = 0, []
    for kind, what, step in steps:
        if kind == "delete":
            if saved:
                gone = store.delete_selfcheck(saved.pop(what % len(saved)))
                # A deleted self-check is no longer a clean one; its signs stay.
                oracle.checks = [
                    (c[0], c[1], True, c[3]) if c[0] == gone.id else c
                    for c in oracle.checks
                    if c[0] != gone.id or c[3]
                ]
            continue
        n += step if kind != "clearance" else 0
        if kind in ("check", "practice"):
            result = check(what, n, store)
            kept = store.add_selfcheck(result, practice=kind == "practice")
            if kept is not None:
                saved.append(kept)
                signs = {s.id: s.urgency for s in result.signs}
                oracle.checks.append((kept, day(n), kind == "practice", signs))
        elif kind == "clearance":
            examined = max(START, day(n) - dt.timedelta(days=step))
            covered = [s for s in oracle.standing() if s[1] <= examined]
            store.add_clearance(examined, today=day(n))
            oracle.clearances.append(
                (examined, {s for _, _, s in covered}, {i for i, _, _ in covered})
            )
        else:
            changes = {"red": {"pain_during": 7}, "swelling": {"swelling": True}}.get(what, {})
            store.add_session(session(ex, n, **changes))
            oracle.sessions.append((day(n), what))
        now = plan_status(store, today=day(n), library=library)
        must = oracle.standing()
        if must or oracle.session_sign():
            assert now.paused, (steps, must)
        for _, _, sign in must:
            assert sign in now.sign_ids, (steps, must, now)
        # One answer to one question: the advice says see a GP exactly when the plan is
        # paused (the session rule looks at the same sessions in both).
        advice = advise(store, now, today=day(n), library=library)
        assert (advice.kind == "see_gp") == now.paused, (steps, now, advice)


@functools.cache
def _library() -> Library:
    return load_library()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(STEP, min_size=1, max_size=14))
@example(steps=[("check", "locking", 0), ("clearance", 0, 0), ("check", "locking", 85)])
@example(steps=[("check", "emergency", 0), ("clearance", 0, 0), ("check", "emergency", 9)])
@example(steps=[("check", "locking", 0), ("check", "clean", 0), ("delete", 0, 0)])
def test_no_sequence_ends_unpaused_while_an_uncovered_warning_sign_stands(steps):
    library = _library()
    with tempfile.TemporaryDirectory() as folder:
        _run(steps, Path(folder), library)


def test_a_warning_dated_tomorrow_after_a_clock_change_still_pauses():
    sign = WarningSign(id="locking", urgency="gp_soon", reason="Warning sign: it locks.")
    tomorrow = SelfCheckResult(date=day(4), urgency="gp_soon", red_flags=["locking"], signs=[sign])
    assert status_of([tomorrow], [], [], [], today=day(3)).paused
