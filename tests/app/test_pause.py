"""The plan pause on Today, Exercise plan, Log a session and Progress (clinical rules, 6).

A warning sign binds the whole app: after an emergency or a GP-soon self-check result,
or a session with swelling, every one of the four pages opens with the pause, the plan
shows no exercise card, and the log still records a session without offering
exercises of its own. A clinician's clearance, recorded on Today, opens the plan again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kneecore.models import SelfCheckResult
from kneecore.selfcheck import assess
from kneecore.store import Store, default_store_path
from kneecore.words import format_date
from tests.app.helpers import assert_no_exception, open_page, session_doc

TODAY = dt.date.today()
BASE = {"age": 30, "pain_now": 2, "pain_worst_week": 3, "weeks_of_symptoms": 2, "goal": "running"}
#: The answer that makes each kind of warning, and the box Streamlit shows it in.
WARNINGS = {
    "emergency": ({"injury_cannot_bear_weight": True}, "error"),
    "gp_soon": ({"locking": True}, "warning"),
}
PAUSED = "Paused since"
CLEAR_FORM = "FormSubmitter:clearance_home-They said I can exercise: save"
PAGES = ["home", "plan", "log", "progress"]


def user_store() -> Store:
    return Store(default_store_path())


def warn(urgency: str) -> SelfCheckResult:
    """Store a self-check whose result has this urgency, as the Self-check page would."""
    answers, _ = WARNINGS[urgency]
    result = assess({**BASE, **answers})
    assert result.urgency == urgency
    user_store().add_selfcheck(result)
    return result


def boxes(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in getattr(at, kind)]


def pause_texts(at: AppTest, kind: str) -> list[str]:
    return [text for text in boxes(at, kind) if PAUSED in text]


def card_titles(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown if str(m.value).startswith("### ")]


def exercise_ticks(at: AppTest) -> list[str]:
    return [c.key for c in at.checkbox if str(c.key).endswith("_done")]


def save_session(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:log0_form-Save session").click()
    return at.run()


def record_clearance(at: AppTest, examined: dt.date, note: str = "") -> AppTest:
    at.date_input(key="clearance_home_date").set_value(examined)
    if note:
        at.text_area(key="clearance_home_note").set_value(note)
    at.button(key=CLEAR_FORM).click()
    return at.run()


@pytest.mark.parametrize("urgency", list(WARNINGS))
@pytest.mark.parametrize("page", PAGES)
def test_each_page_opens_with_the_pause_in_its_urgency_box(page: str, urgency: str) -> None:
    result = warn(urgency)
    _, kind = WARNINGS[urgency]
    other = "warning" if kind == "error" else "error"
    at = open_page(page)
    assert_no_exception(at)
    (box,) = pause_texts(at, kind)
    assert not pause_texts(at, other)
    assert f"{PAUSED} {format_date(TODAY)}" in box
    # The reason in the same words as the result that caused it, and what to do.
    assert any(reason in box for reason in result.reasons), (box, result.reasons)
    assert "What to do" in box
    # The pause is the first thing under the page title (the router's script for the
    # date picker shows nothing).
    shown = [
        str(node.value)
        for node in at.main
        if getattr(node, "value", None) and getattr(node, "type", "") != "html"
    ]
    assert shown[0] == at.title[0].value
    assert PAUSED in shown[1]
    assert "not a diagnosis" in " ".join(boxes(at, "caption"))


@pytest.mark.parametrize("urgency", list(WARNINGS))
def test_a_paused_plan_shows_no_exercise_card_and_says_why(urgency: str) -> None:
    warn(urgency)
    at = open_page("plan")
    assert_no_exception(at)
    assert card_titles(at) == []
    assert not at.get("image")
    assert "No exercises for now" in [str(s.value) for s in at.header]
    assert not at.segmented_control, "no phase to pick while paused"
    links = [str(link.proto.page) for link in at.get("page_link")]
    assert not any("log" in link for link in links)


@pytest.mark.parametrize("urgency", list(WARNINGS))
def test_a_paused_log_offers_no_exercise_but_still_saves_a_session(urgency: str) -> None:
    warn(urgency)
    at = open_page("log")
    assert_no_exception(at)
    assert exercise_ticks(at) == []
    at.multiselect(key="log_own_exercises").set_value(["bridge"]).run()
    assert exercise_ticks(at) == ["log0_bridge_done"]
    for name in ("before", "during", "after"):
        at.select_slider(key=f"log0_{name}").set_value(1)
    save_session(at)
    assert_no_exception(at)
    (saved,) = user_store().sessions()
    assert [e.exercise_id for e in saved.exercises] == ["bridge"]
    assert "Saved your session" in " ".join(boxes(at, "success"))
    # Even a green session gets the see-a-GP advice while the plan is paused.
    assert any("See a GP" in text for text in boxes(at, "error"))
    # The form starts fresh and empty again, and the history shows the session.
    assert exercise_ticks(at) == []
    assert "History" in [str(s.value) for s in at.header]


def test_a_paused_log_without_an_exercise_saves_nothing_and_says_what_to_add() -> None:
    warn("gp_soon")
    at = open_page("log")
    save_session(at)
    assert user_store().sessions() == []
    assert any("Tick at least one exercise" in text for text in boxes(at, "error"))


def test_paused_progress_keeps_the_history_under_the_pause() -> None:
    warn("gp_soon")
    store = user_store()
    for ago in (5, 3, 1):
        store.add_session(
            {
                "date": TODAY - dt.timedelta(days=ago),
                "exercises": [{"exercise_id": "clamshell", "sets": 3, "reps": [12, 12, 12]}],
                "pain_before": 1,
                "pain_during": 2,
                "pain_after": 1,
            }
        )
    # The self-check came after those sessions (a clean run of them does not clear it).
    at = open_page("progress")
    assert_no_exception(at)
    assert pause_texts(at, "warning")
    assert at.get("vega_lite_chart"), "the charts stay"
    assert "Pain during and after exercise" in [str(s.value) for s in at.header]


@pytest.mark.parametrize("urgency", list(WARNINGS))
def test_paused_today_invites_no_exercise_and_offers_the_clearance_form(urgency: str) -> None:
    warn(urgency)
    user_store().start_phase(1)
    at = open_page("home")
    assert_no_exception(at)
    links = [str(link.proto.page) for link in at.get("page_link")]
    # A page link's target is the page's name ("log"), not its file.
    assert not {"log", "plan"} & set(links), links
    assert "Welcome" not in " ".join(str(s.value) for s in at.header)
    assert "(paused)" in " ".join(str(m.value) for m in at.markdown)
    assert at.date_input(key="clearance_home_date").label == (
        "A GP or physiotherapist examined my knee on"
    )


@pytest.mark.parametrize("urgency", list(WARNINGS))
def test_after_a_clearance_the_plan_shows_its_cards_again(urgency: str) -> None:
    warn(urgency)
    at = open_page("home")
    record_clearance(at, TODAY, note="Seen at the surgery; fine to exercise.")
    assert_no_exception(at)
    assert not pause_texts(at, "error") and not pause_texts(at, "warning")
    assert "plan is open again" in " ".join(boxes(at, "success"))
    (clearance,) = user_store().clearances()
    assert clearance.examined == TODAY
    assert clearance.note == "Seen at the surgery; fine to exercise."
    plan = open_page("plan")
    assert_no_exception(plan)
    assert len(card_titles(plan)) == 7
    assert not pause_texts(plan, "error") and not pause_texts(plan, "warning")


def test_a_clearance_dated_in_the_future_is_refused_and_nothing_is_saved() -> None:
    warn("emergency")
    at = record_clearance(open_page("home"), TODAY + dt.timedelta(days=1))
    assert_no_exception(at)
    assert user_store().clearances() == []
    problems = [t for t in boxes(at, "error") if "Nothing was saved" in t]
    assert problems and "in the future" in problems[0]
    assert pause_texts(at, "error"), "still paused"


def test_a_clearance_dated_before_the_warning_is_refused_and_nothing_is_saved() -> None:
    warn("gp_soon")
    at = record_clearance(open_page("home"), TODAY - dt.timedelta(days=3))
    assert user_store().clearances() == []
    problems = [t for t in boxes(at, "error") if "Nothing was saved" in t]
    assert problems and "before you reported this" in problems[0]
    assert pause_texts(at, "warning")


@pytest.mark.parametrize("page", PAGES)
def test_a_session_with_swelling_pauses_every_page_too(page: str) -> None:
    store = user_store()
    store.start_phase(2, started=TODAY - dt.timedelta(days=20))
    store.add_session(session_doc(1, swelling=True))
    at = open_page(page)
    assert_no_exception(at)
    texts = pause_texts(at, "warning") + pause_texts(at, "error")
    assert len(texts) == 1
    if page == "plan":
        assert card_titles(at) == []


def test_the_clearance_form_is_one_tap_away_on_the_other_pages() -> None:
    warn("gp_soon")
    for page in ("plan", "log", "progress"):
        at = open_page(page)
        (expander,) = [e for e in at.expander if "examined my knee" in str(e.label)]
        assert at.date_input(key=f"clearance_{page}_date") is not None, page
        assert expander is not None


def test_a_clean_store_shows_no_pause_anywhere() -> None:
    for page in PAGES:
        at = open_page(page)
        assert_no_exception(at)
        assert not pause_texts(at, "error") and not pause_texts(at, "warning"), page


def test_an_empty_progress_page_does_not_nudge_to_exercise_while_paused() -> None:
    warn("emergency")
    at = open_page("progress")
    assert_no_exception(at)
    assert pause_texts(at, "error")
    assert "Nothing to show yet" in " ".join(boxes(at, "info"))
    links = [str(link.proto.page) for link in at.get("page_link")]
    assert "log" not in links, links


def test_a_clearance_that_does_not_cover_everything_says_what_still_pauses() -> None:
    store = user_store()
    answers, _ = WARNINGS["gp_soon"]
    three_days_ago = TODAY - dt.timedelta(days=3)
    store.add_selfcheck(assess({**BASE, **answers}, on=three_days_ago))
    store.add_session(session_doc(0, swelling=True))
    at = record_clearance(open_page("home"), TODAY - dt.timedelta(days=2))
    assert_no_exception(at)
    (clearance,) = user_store().clearances()
    assert "locking" in clearance.covers
    # Still paused, now only by the swelling reported after that examination.
    (box,) = pause_texts(at, "warning")
    assert "swelling" in box.lower()
    assert f"{PAUSED} {format_date(TODAY)}" in box
    assert "does not cover everything" in " ".join(boxes(at, "info"))
    assert card_titles(open_page("plan")) == []
