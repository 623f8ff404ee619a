"""The Today page: the welcome for a first visit, the day's status, and next-morning pain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore.store import Store
from tests.app.helpers import add_session, assert_no_exception, joined, open_page


def _links(at: Any) -> list[str]:
    return [str(link.proto.page) for link in at.get("page_link")]


def _morning_forms(at: Any) -> list[str]:
    """The keys of the next-morning pain forms shown."""
    return [str(f.key) for f in at.get("form") if str(f.key).startswith("morning_")]


def test_a_first_visit_leads_to_the_self_check() -> None:
    at = open_page("home")
    assert_no_exception(at)
    assert "Welcome" in joined(at.header)
    links = _links(at)
    assert any("self_check" in link for link in links)
    assert any("plan" in link for link in links)
    assert "not a diagnosis" in joined(at.caption)


def test_the_day_shows_when_the_phase_started_and_sessions_of_the_last_7_days(
    store: Store,
) -> None:
    started = dt.date.today() - dt.timedelta(days=9)
    store.start_phase(2, started=started)
    add_session(store, 0)
    at = open_page("home")
    assert_no_exception(at)
    text = joined(at.markdown)
    assert "Phase 2" in text and "9 days ago" in text
    assert "Today's session: done" in text
    assert at.metric[0].label == "Sessions in the last 7 days"
    assert at.metric[0].value == "1"  # today's session always counts


def test_a_phase_started_today_says_today_not_0_days(store: Store) -> None:
    store.start_phase(2)
    at = open_page("home")
    assert_no_exception(at)
    text = joined(at.markdown)
    assert "Started today" in text
    assert "0 days" not in text


def test_a_phase_started_yesterday_says_yesterday(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=1))
    at = open_page("home")
    assert "Started yesterday" in joined(at.markdown)


def test_sessions_of_the_last_7_days_count_whatever_the_weekday(store: Store) -> None:
    # A calendar week read 0 on a Monday after a weekend of sessions; this count
    # takes the 7 days up to today on every day of the week.
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    for ago in (1, 2, 6):
        add_session(store, ago, pain_next_morning=1)
    add_session(store, 7, pain_next_morning=1)  # 8 days with today: not counted
    at = open_page("home")
    assert_no_exception(at)
    assert at.metric[0].label == "Sessions in the last 7 days"
    assert at.metric[0].value == "3"


def test_today_not_done_offers_the_log_page(store: Store) -> None:
    store.start_phase(1)
    at = open_page("home")
    assert "not done yet" in joined(at.markdown)
    assert any("log" in link for link in _links(at))
    assert "Keep going at this dose" in joined(at.info)


def test_next_morning_pain_is_asked_only_for_yesterdays_sessions(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    owed = add_session(store, 1)
    add_session(store, 2)  # its morning was yesterday: the log takes it
    add_session(store, 1, pain_next_morning=1)  # already entered
    add_session(store, 0)  # its morning has not come yet
    at = open_page("home")
    assert_no_exception(at)
    assert _morning_forms(at) == [f"morning_{owed}"]


def test_older_sessions_without_next_morning_pain_are_left_to_the_log_in_one_line(
    store: Store,
) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    add_session(store, 2)
    add_session(store, 4)
    add_session(store, 10)  # over a week old: not mentioned
    at = open_page("home")
    assert_no_exception(at)
    assert _morning_forms(at) == []
    note = joined(at.caption)
    assert "2 earlier sessions of the last 7 days have no next-morning pain" in note
    assert "log" in _links(at)


def test_no_line_about_the_log_when_every_recent_morning_is_in(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    add_session(store, 3, pain_next_morning=1)
    add_session(store, 10)
    at = open_page("home")
    assert "no next-morning pain" not in joined(at.caption)


def test_entering_next_morning_pain_re_evaluates_zone_and_advice(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    first = add_session(store, 3, pain_next_morning=2)  # +1: amber because of the morning
    sid = add_session(store, 1)
    at = open_page("home")
    at.select_slider(key=f"morning_{sid}_pain").set_value(2)  # +1 again
    at.button(key=f"FormSubmitter:morning_{sid}-Save morning pain").click().run()
    assert_no_exception(at)
    assert store.get_session(sid).pain_next_morning == 2
    assert "Saved next-morning pain 2/10" in joined(at.success)
    assert "Amber" in joined(at.markdown)
    # Two of the last three were sore the next morning: step back, naming both sessions.
    warning = joined(at.warning)
    assert "Step back" in warning
    assert "1 before, 2 next morning" in warning
    first_day = store.get_session(first).date
    assert f"{first_day.day} {first_day:%b}" in warning
    # The form for that session is gone: nothing more is owed.
    assert not any(f.key == f"morning_{sid}" for f in at.get("form"))


def test_next_morning_pain_two_points_up_makes_the_session_red(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    sid = add_session(store, 1)
    at = open_page("home")
    at.select_slider(key=f"morning_{sid}_pain").set_value(3)
    at.button(key=f"FormSubmitter:morning_{sid}-Save morning pain").click().run()
    assert "Red" in joined(at.markdown)
    assert "was red" in joined(at.warning)


def test_a_session_that_locked_pauses_the_plan_first_thing_on_the_page(store: Store) -> None:
    store.start_phase(2, started=dt.date.today() - dt.timedelta(days=20))
    add_session(store, 2, locking=True)
    at = open_page("home")
    assert_no_exception(at)
    texts = [str(getattr(node, "value", "")) for node in at.main]
    pause = next(i for i, t in enumerate(texts) if "Paused since" in t)
    phase = next(i for i, t in enumerate(texts) if "Phase 2" in t)
    assert pause < phase
    assert "locking" in texts[pause]
    assert "(paused)" in texts[phase]
    # Nothing invites exercise: no link to the log or to the plan, not even the one
    # to add next-morning pain of that session (a page link's page is "log", not
    # "log.py", so the names are compared whole).
    assert "no next-morning pain" in joined(at.caption)
    assert not {"log", "plan"} & set(_links(at)), _links(at)


def test_ready_for_the_next_phase_links_to_the_self_check(store: Store) -> None:
    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=15))
    for ago in (13, 11, 9, 6, 3, 1):
        add_session(store, ago, pain_next_morning=1)
    at = open_page("home")
    assert_no_exception(at)
    assert "Ready to try the next phase" in joined(at.success)
    assert any("self_check" in link for link in _links(at))


def test_from_six_weeks_without_a_recent_self_check_today_asks_for_one(store: Store) -> None:
    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=42))
    at = open_page("home")
    assert_no_exception(at)
    assert "Time for a fresh self-check" in joined(at.info)
    assert any("self_check" in link for link in _links(at))


def test_before_six_weeks_today_does_not_ask_for_a_self_check(store: Store) -> None:
    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=41))
    at = open_page("home")
    assert "Time for a fresh self-check" not in joined(at.info)


def test_a_self_check_in_the_last_two_weeks_stops_the_prompt(store: Store) -> None:
    from kneecore.selfcheck import assess

    store.start_phase(1, started=dt.date.today() - dt.timedelta(days=60))
    answers = {"age": 30, "pain_now": 2, "pain_worst_week": 3, "weeks_of_symptoms": 8}
    store.add_selfcheck(
        assess({**answers, "goal": "running"}, on=dt.date.today() - dt.timedelta(days=13))
    )
    at = open_page("home")
    assert_no_exception(at)
    assert "Time for a fresh self-check" not in joined(at.info)


def test_weeks_of_moderate_pain_get_a_physiotherapist_review_on_today(store: Store) -> None:
    start = dt.date.today() - dt.timedelta(days=56)
    store.start_phase(1, started=start)
    for ago in range(56, 0, -3):
        add_session(store, ago, during=5, pain_next_morning=1)
    at = open_page("home")
    assert_no_exception(at)
    assert "What next" in joined(at.header)
    review = joined(at.warning)
    assert "Time for a physiotherapist's review" in review, review
    assert not at.error, "a review is not a pause"


def test_next_morning_pain_starts_not_entered_and_is_never_assumed(store: Store) -> None:
    sid = add_session(store, 1, 2)
    at = open_page("home")
    assert at.select_slider(key=f"morning_{sid}_pain").value is None
    at.button(key=f"FormSubmitter:morning_{sid}-Save morning pain").click().run()
    assert_no_exception(at)
    assert store.get_session(sid).pain_next_morning is None, "nothing saved untouched"
    assert "Choose your pain this morning" in joined(at.error)
