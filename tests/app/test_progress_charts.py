"""The Progress charts in AppTest (issue 15): a sentence under each, one range for all."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from streamlit.testing.v1 import AppTest

from kneecore.chart_summaries import TOO_LITTLE
from kneecore.demo import generate_history
from kneecore.store import Store
from kneecore.words import format_day
from tests.app.helpers import assert_no_exception, open_page


def import_demo(store: Store, days: int, per_week: int = 5) -> None:
    store.import_json(json.dumps(generate_history(days, sessions_per_week=per_week)))


def chart_domains(at: AppTest) -> list[str]:
    """The x domain of every time axis of every chart on the page."""
    found = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        stack: list[Any] = [spec]
        while stack:
            unit = stack.pop()
            stack += unit.get("layer", [])
            x = unit.get("encoding", {}).get("x", {})
            if x.get("type") == "temporal":
                found.append(json.dumps(x["scale"]["domain"], sort_keys=True))
    return found


def sentences(at: AppTest) -> list[str]:
    return [str(m.value) for m in at.markdown]


def test_every_chart_has_its_sentence_under_it(store: Store) -> None:
    import_demo(store, 84)
    at = open_page("progress")
    assert_no_exception(at)
    said = " ".join(sentences(at))
    for start in (
        "Pain during exercise ",
        "You trained on ",
        "You trained ",
        "Weekly volume ",
        "Kujala knee score ",
        "You are in Phase",
    ):
        assert start in said, start
    # The chosen exercise's sentence names it.
    name = at.selectbox(key="progress_exercise").value
    assert name


def test_all_charts_follow_the_chosen_range(store: Store) -> None:
    import_demo(store, 400)
    at = open_page("progress", timeout=60)
    twelve = set(chart_domains(at))
    at.segmented_control(key="progress_range").set_value("4w").run()
    assert_no_exception(at)
    four = set(chart_domains(at))
    # One domain for every time-axis chart of the range (the calendar has none)...
    assert len(twelve) == 1 and len(four) == 1
    # ...and it moves with the range.
    assert twelve != four


def test_a_long_range_says_its_bars_are_months(store: Store) -> None:
    import_demo(store, 400)
    at = open_page("progress", timeout=60)
    at.segmented_control(key="progress_range").set_value("all").run()
    assert_no_exception(at)
    captions = " ".join(str(c.value) for c in at.caption)
    assert "a bar per month" in captions
    assert "Monthly volume " in " ".join(sentences(at))


def test_two_weeks_of_data_say_so_plainly_or_give_a_trend(store: Store) -> None:
    import_demo(store, 14)
    at = open_page("progress")
    assert_no_exception(at)
    said = " ".join(sentences(at))
    assert "Pain during exercise " in said or TOO_LITTLE in said


def test_the_calendar_caption_and_sentence_count_the_same_days(store: Store) -> None:
    import_demo(store, 84)
    at = open_page("progress")
    assert_no_exception(at)
    captions = " ".join(str(c.value) for c in at.caption)
    weeks = re.search(r"Each square is a day of the last (\d+) weeks \((.+?) to (.+?)\)", captions)
    said = re.search(r"You trained on \d+ of the last (\d+) days\.", " ".join(sentences(at)))
    assert weeks and said, (captions, sentences(at))
    assert int(weeks.group(1)) * 7 == int(said.group(1))
    # The days named are the 12-week range's: today and the 83 days before.
    today = dt.date.today()
    assert weeks.group(2) == format_day(today - dt.timedelta(days=83), today)
    assert weeks.group(3) == format_day(today, today)
    # Dates on the calendar's axis as everywhere else: "5 Oct", no leading zero.
    spec = next(
        json.loads(e.proto.spec) for e in at.get("vega_lite_chart") if '"weekday"' in e.proto.spec
    )
    assert spec["encoding"]["x"]["axis"]["format"] == "%-d %b"
