"""The tracker's pure helpers: form rows, reps parsing, units, and the home page's counts."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecore.content import Library
from kneecore.models import ExerciseEntry, SelfCheckResult, Session
from kneecore.progression import hops_reached
from kneecore.tracker import (
    EntryInput,
    FormErrors,
    SessionInput,
    build_session,
    drafts_from_session,
    format_reps,
    from_kg,
    parse_reps,
    plan_drafts,
    to_kg,
)
from tests.unit.test_progression import make_library

TODAY = dt.date(2025, 11, 20)  # a Thursday
LIB = make_library()


@pytest.mark.parametrize(
    ("text", "sets", "reps"),
    [
        ("12", 3, [12, 12, 12]),
        ("12, 12, 10", 3, [12, 12, 10]),
        ("12 12 10", 3, [12, 12, 10]),
        ("15/14", 2, [15, 14]),
        (" 8 ", 1, [8]),
        ("0", 2, [0, 0]),
    ],
)
def test_reps_are_one_number_for_all_sets_or_one_per_set(
    text: str, sets: int, reps: list[int]
) -> None:
    assert parse_reps(text, sets) == reps


@pytest.mark.parametrize(
    ("text", "sets", "message"),
    [
        ("", 3, "type how many reps"),
        ("twelve", 3, "not a whole number"),
        ("12.5", 1, "not a whole number"),
        ("-3", 1, "not a whole number"),
        ("12, 12", 3, "2 numbers for 3 sets"),
        ("201", 1, "more than 200"),
    ],
)
def test_bad_reps_get_a_plain_message(text: str, sets: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_reps(text, sets)


@pytest.mark.parametrize(("reps", "text"), [([12, 12, 12], "12"), ([12, 10], "12, 10")])
def test_reps_are_shown_the_short_way_and_read_back_the_same(reps: list[int], text: str) -> None:
    assert format_reps(reps) == text
    assert parse_reps(text, len(reps)) == reps


@pytest.mark.parametrize(
    ("value", "units", "kg"),
    [(2, "lb", 0.91), (3, "lb", 1.36), (1.5, "kg", 1.5), (0, "kg", None), (None, "lb", None)],
)
def test_loads_are_stored_in_kilograms(value: float | None, units: str, kg: float | None) -> None:
    assert to_kg(value, units) == kg  # type: ignore[arg-type]


def test_a_load_typed_in_pounds_reads_back_in_pounds() -> None:
    for pounds in (1.0, 2.0, 2.5, 3.0, 10.0):
        assert from_kg(to_kg(pounds, "lb"), "lb") == pounds
    assert from_kg(1.5, "kg") == 1.5
    assert from_kg(None, "kg") is None


def test_the_plan_rows_offer_only_the_inputs_each_exercise_needs() -> None:
    rows = {r.exercise_id: r for r in plan_drafts(LIB, 2)}
    assert list(rows) == ["bridge", "band_hip", "balance"]
    assert rows["band_hip"].uses_band and rows["band_hip"].per_side
    assert not rows["bridge"].uses_band and not rows["bridge"].uses_load
    assert rows["balance"].uses_hold and rows["balance"].hold_s == 30
    assert all(r.done for r in rows.values())
    phase1 = {r.exercise_id: r for r in plan_drafts(LIB, 1)}
    assert phase1["leg_raise"].uses_load
    assert phase1["leg_raise"].sets == 3 and phase1["leg_raise"].reps_text == "10"


def _form(**changes: object) -> SessionInput:
    base: dict[str, object] = {
        "date": TODAY,
        "entries": [
            EntryInput("leg_raise", True, 3, "12", load=2.0),
            EntryInput("quad_hold", True, 1, "10", hold_s=5),
        ],
        "pain_before": 1,
        "pain_during": 3,
        "pain_after": 2,
        "units": "lb",
    }
    base.update(changes)
    return SessionInput(**base)  # type: ignore[arg-type]


def test_a_valid_form_becomes_a_session_with_loads_in_kg() -> None:
    session = build_session(_form(notes="  felt fine  "), today=TODAY)
    assert session.date == TODAY
    assert [e.exercise_id for e in session.exercises] == ["leg_raise", "quad_hold"]
    assert session.exercises[0].reps == [12, 12, 12]
    assert session.exercises[0].load_kg == 0.91
    assert session.exercises[1].hold_s == 5.0
    assert session.notes == "felt fine"
    assert session.pain_next_morning is None


def test_unticked_exercises_are_left_out() -> None:
    form = _form(
        entries=[EntryInput("leg_raise", False, 3, "oops"), EntryInput("quad_hold", True, 1, "10")]
    )
    session = build_session(form, today=TODAY)
    assert [e.exercise_id for e in session.exercises] == ["quad_hold"]


def test_every_problem_is_reported_next_to_its_field_at_once() -> None:
    form = _form(
        date=TODAY + dt.timedelta(days=1),
        entries=[EntryInput("leg_raise", True, 3, "12, 12"), EntryInput("quad_hold", True, 1, "x")],
    )
    with pytest.raises(FormErrors) as err:
        build_session(form, today=TODAY)
    assert set(err.value.errors) == {"date", "exercise.0", "exercise.1"}
    assert "future" in err.value.errors["date"]
    assert "2 numbers for 3 sets" in err.value.errors["exercise.0"]
    assert err.value.rows == {0, 1}


def test_a_session_needs_at_least_one_exercise_done() -> None:
    form = _form(entries=[EntryInput("leg_raise", False, 3, "12")])
    with pytest.raises(FormErrors) as err:
        build_session(form, today=TODAY)
    assert set(err.value.errors) == {"exercises"}
    assert err.value.rows == set()


def test_a_load_over_the_limit_says_so_in_the_persons_units() -> None:
    form = _form(entries=[EntryInput("leg_raise", True, 3, "12", load=300.0)])
    with pytest.raises(FormErrors) as err:
        build_session(form, today=TODAY)
    assert "lb" in err.value.errors["exercise.0"]


def test_editing_keeps_the_id_and_next_morning_pain() -> None:
    session = build_session(_form(session_id="abc", pain_next_morning=2), today=TODAY)
    assert session.id == "abc" and session.pain_next_morning == 2


def test_a_saved_session_fills_the_edit_form_and_reads_back_the_same() -> None:
    original = build_session(_form(), today=TODAY)
    rows = drafts_from_session(original, LIB, "lb")
    assert [r.exercise_id for r in rows] == ["leg_raise", "quad_hold"]
    assert rows[0].load == 2.0 and rows[0].reps_text == "12"
    again = build_session(
        _form(
            entries=[
                EntryInput(
                    r.exercise_id, r.done, r.sets, r.reps_text, r.hold_s, r.load, r.band, r.side
                )
                for r in rows
            ],
            session_id=original.id,
        ),
        today=TODAY,
    )
    assert again == original


def test_the_edit_form_offers_the_rest_of_the_phase_unticked() -> None:
    session = Session(
        date=TODAY,
        exercises=[{"exercise_id": "bridge", "sets": 3, "reps": [12, 12, 12]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=2,
        pain_after=1,
    )
    rows = drafts_from_session(session, LIB, "kg")
    assert [(r.exercise_id, r.done) for r in rows] == [
        ("bridge", True),
        ("band_hip", False),
        ("balance", False),
    ]


HOP_IDS = ["two_leg_hops", "one_leg_hops", "cross_hops"]


def test_without_the_hops_reached_the_plan_offers_every_exercise_of_the_phase() -> None:
    assert [r.exercise_id for r in plan_drafts(LIB, 3)] == [*HOP_IDS, "reach_balance"]


def test_the_log_form_offers_only_the_hops_reached_and_every_other_exercise() -> None:
    rows = plan_drafts(LIB, 3, hops=["two_leg_hops"])
    assert [r.exercise_id for r in rows] == ["two_leg_hops", "reach_balance"]
    rows = plan_drafts(LIB, 3, hops=HOP_IDS[:2])
    assert [r.exercise_id for r in rows] == [*HOP_IDS[:2], "reach_balance"]
    assert [r.exercise_id for r in plan_drafts(LIB, 2, hops=[])] == [
        "bridge",
        "band_hip",
        "balance",
    ]


def test_the_hops_reached_feed_the_form_straight_from_the_progression_rules() -> None:
    hop = {"exercise_id": "two_leg_hops", "sets": 3, "reps": [10, 10, 10]}
    sessions = [
        Session(
            date=TODAY - dt.timedelta(days=ago),
            exercises=[hop],  # type: ignore[list-item]
            pain_before=1,
            pain_during=1,
            pain_after=1,
            pain_next_morning=1,
        )
        for ago in (5, 3, 1)
    ]
    rows = plan_drafts(LIB, 3, hops=hops_reached(sessions, LIB))
    assert [r.exercise_id for r in rows] == [*HOP_IDS[:2], "reach_balance"]


def test_editing_a_logged_hop_keeps_it_but_offers_no_hop_not_reached() -> None:
    session = Session(
        date=TODAY,
        exercises=[{"exercise_id": "cross_hops", "sets": 3, "reps": [10, 10, 10]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=2,
        pain_after=1,
    )
    rows = drafts_from_session(session, LIB, "kg", hops=["two_leg_hops"])
    assert [(r.exercise_id, r.done) for r in rows] == [
        ("cross_hops", True),
        ("two_leg_hops", False),
        ("reach_balance", False),
    ]


def test_hops_take_no_ankle_weight_in_the_log_form(library: Library) -> None:
    rows = {r.exercise_id: r for r in plan_drafts(library, 3)}
    for hop in ("double_leg_hops", "single_leg_hops", "diagonal_hops"):
        assert not rows[hop].uses_load, hop


def _session(ago: int, morning: int | None = None) -> Session:
    return Session(
        id=f"s{ago}",
        date=TODAY - dt.timedelta(days=ago),
        exercises=[{"exercise_id": "bridge", "sets": 1, "reps": [10]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=2,
        pain_after=1,
        pain_next_morning=morning,
    )


def test_history_rows_are_newest_first_with_zone_words_and_dashes_for_missing() -> None:
    from kneecore.pain import load_pain_scale
    from kneecore.tracker import history_rows

    old = _session(3, morning=4)  # 1 before, 4 next morning: red
    new = _session(1).model_copy(update={"swelling": True, "notes": "stiff"})
    loaded = _session(2).model_copy(
        update={
            "exercises": [ExerciseEntry(exercise_id="leg_raise", sets=1, reps=[10], load_kg=0.91)]
        }
    )
    rows = history_rows(
        [old, new, loaded], {"bridge": "Bridge"}, load_pain_scale().zone_label, "lb"
    )
    assert [r["id"] for r in rows] == ["s1", "s2", "s3"]
    # Green without next-morning pain is only green so far (issue 12).
    assert rows[0]["Zone"] == "🟢 Green so far" and rows[2]["Zone"] == "🔴 Red"
    # The four pains share one column, so its header fits a phone (issue 12).
    assert rows[0]["Pain"] == "1 · 2 · 1 · —" and rows[2]["Pain"] == "1 · 2 · 1 · 4"
    assert rows[0]["Knee problems"] == "swelling"
    assert rows[0]["Exercises"] == "Bridge"
    assert rows[1]["Top load (lb)"] == "2" and rows[0]["Top load (lb)"] == "—"


def test_the_history_table_zone_is_the_session_zone_of_the_advice() -> None:
    from kneecore.pain import load_pain_scale
    from kneecore.progression import session_zone
    from kneecore.tracker import history_rows

    sessions = [_session(a, morning=m) for a, m in ((1, 1), (2, 2), (3, 4))]
    label = load_pain_scale().zone_label
    rows = history_rows(sessions, {}, label)
    assert [r["Zone"] for r in rows] == [label(session_zone(s)) for s in sessions]


def test_the_history_shows_the_newest_sessions_first_and_says_when_older_ones_are_left() -> None:
    from kneecore.tracker import history_page

    sessions = [_session(a) for a in (5, 1, 3, 2)]
    page = history_page(sessions, limit=3)
    assert [s.id for s in page.sessions] == ["s1", "s2", "s3"]
    assert page.total == 4 and page.more
    assert not history_page(sessions, limit=4).more


def test_a_session_is_named_in_the_list_by_day_zone_and_pain_during() -> None:
    from kneecore.pain import load_pain_scale
    from kneecore.tracker import session_label
    from kneecore.words import format_day

    session = _session(3, morning=4)
    label = session_label(session, load_pain_scale().zone_label)
    assert label == f"{format_day(session.date)} · 🔴 Red · pain {session.pain_during}/10"


def test_a_pain_not_entered_is_refused_by_name_and_never_saved_as_0() -> None:
    with pytest.raises(FormErrors) as err:
        build_session(_form(pain_before=None, pain_after=None), today=TODAY)
    assert set(err.value.errors) == {"pain.before", "pain.after"}
    assert "not entered" in err.value.errors["pain.before"]
    assert "pain before and pain after" in err.value.summary([])


def test_an_emptied_future_or_long_past_date_is_refused_never_filed_under_today() -> None:
    for day, words in (
        (None, "pick the day"),
        (dt.date(2026, 12, 5), "future"),
        (dt.date(1925, 12, 5), "before 2000"),
    ):
        with pytest.raises(FormErrors) as err:
            build_session(_form(date=day), today=TODAY)
        assert words in err.value.errors["date"]


def test_out_of_range_sets_and_hold_are_both_named_in_the_row() -> None:
    form = _form(entries=[EntryInput("quad_hold", True, 50, "10", hold_s=9999)])
    with pytest.raises(FormErrors) as err:
        build_session(form, today=TODAY)
    message = err.value.errors["exercise.0"]
    assert "Sets: give a number of sets from 1 to 20" in message
    assert "Hold: give the hold time in seconds, from 0 to 600" in message
    assert err.value.summary(["Quad hold"]) == (
        "Nothing was saved. Fix Quad hold: each is marked above."
    )


def test_a_green_session_is_green_so_far_until_its_next_morning_pain_is_in() -> None:
    from kneecore.pain import load_pain_scale
    from kneecore.tracker import green_so_far, zone_text

    label = load_pain_scale().zone_label
    waiting = _session(1)
    assert green_so_far(waiting) and zone_text(waiting, label) == "🟢 Green so far"
    settled = _session(1, morning=1)
    assert not green_so_far(settled) and zone_text(settled, label) == "🟢 Green"
    red = _session(1, morning=4)
    assert zone_text(red, label) == "🔴 Red"


# -- issue 12: the leg one-sided exercises start on, and the same session twice --------


def _check(side: str | None, on: dt.date, practice: bool = False) -> SelfCheckResult:
    answers = {} if side is None else {"side": side}
    return SelfCheckResult(date=on, urgency="none", phase=1, answers=answers, practice=practice)


def test_one_sided_exercises_start_on_the_knee_the_latest_self_check_named() -> None:
    from kneecore.tracker import default_side

    checks = [_check("left", TODAY - dt.timedelta(days=9)), _check("right", TODAY)]
    assert default_side(None, checks) == "right"
    # A practice run is not the person's answer; a check that named no knee gives both.
    assert default_side(None, [*checks, _check("left", TODAY, practice=True)]) == "right"
    assert default_side(None, [_check(None, TODAY)]) == "both"
    assert default_side(None, []) == "both"


def test_the_persons_own_leg_setting_wins_over_the_self_check() -> None:
    from kneecore.tracker import default_side

    assert default_side("left", [_check("right", TODAY)]) == "left"


def test_of_two_self_checks_on_one_day_the_later_one_names_the_knee() -> None:
    from kneecore.tracker import default_side

    assert default_side(None, [_check("left", TODAY), _check("right", TODAY)]) == "right"


def test_plan_rows_put_only_one_sided_exercises_on_the_chosen_leg(library: Library) -> None:
    from kneecore.tracker import plan_drafts

    rows = plan_drafts(library, 2, side="right")
    assert {r.side for r in rows if r.per_side} == {"right"}
    assert {r.side for r in rows if not r.per_side} == {"both"}


def test_the_same_day_and_content_is_found_whatever_the_id() -> None:
    from kneecore.tracker import same_session

    saved = _session(1)
    again = saved.model_copy(update={"id": "new"})
    assert same_session(again, [_session(2), saved]) == saved
    other_pain = again.model_copy(update={"pain_during": 3})
    other_day = again.model_copy(update={"date": saved.date - dt.timedelta(days=1)})
    assert same_session(other_pain, [saved]) is None
    assert same_session(other_day, [saved]) is None


# -- issue 13: long notes and the history table's own CSV download --------------------


def test_notes_over_the_limit_are_refused_with_how_much_is_over() -> None:
    with pytest.raises(FormErrors) as caught:
        build_session(_form(notes="x" * 2500), today=TODAY)
    assert "500 over the limit of 2000" in caught.value.errors["notes"]
    # Exactly at the limit, once the spaces around it are trimmed, it is kept whole.
    kept = build_session(_form(notes="  " + "y" * 2000 + "  "), today=TODAY)
    assert kept.notes == "y" * 2000


def test_history_cells_a_spreadsheet_would_run_are_neutralised() -> None:
    from kneecore.pain import load_pain_scale
    from kneecore.tracker import history_rows

    sly = _session(1).model_copy(update={"notes": '=HYPERLINK("http://x.invalid","hi")'})
    plain = _session(2).model_copy(update={"notes": "felt fine"})
    rows = history_rows([sly, plain], {"bridge": "Bridge"}, load_pain_scale().zone_label)
    assert rows[0]["Notes"] == '\'=HYPERLINK("http://x.invalid","hi")'
    assert rows[1]["Notes"] == "felt fine"


def test_a_save_sent_twice_is_already_saved_and_a_same_content_one_asks() -> None:
    from kneecore.tracker import submit_outcome

    stored = _session(1)
    assert submit_outcome(stored, [stored]) == "already_saved"
    assert submit_outcome(stored.model_copy(update={"id": "fresh"}), [stored]) == "ask"
    changed = stored.model_copy(update={"id": "fresh", "pain_after": 2})
    assert submit_outcome(changed, [stored]) == "save"
