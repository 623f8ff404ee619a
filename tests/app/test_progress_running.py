"""The Progress page's running section in AppTest: shown with runs, absent without, and
no exception for one run, free runs only, or runs without next-morning pain."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from streamlit.testing.v1 import AppTest

from kneecore.store import Store
from tests.app.helpers import add_session, assert_no_exception, open_page

TODAY = dt.date.today()


def run_doc(days_ago: int, level: int | None = 2, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 12.0,
        "walk_min": 18.0,
        "total_min": 30.0,
        "pain_before": 1,
        "pain_during": 2,
        **extra,
    }
    return doc


def subheaders(at: AppTest) -> list[str]:
    return [str(el.value) for el in at.header]


def chart_labels(at: AppTest) -> list[str]:
    # The alt text each chart is drawn with: it names the chart.
    return [str(el.proto.alt) for el in at.get("vega_lite_chart")]


def infos(at: AppTest) -> str:
    return " ".join(str(el.value) for el in at.info)


def test_runs_beside_sessions_add_a_running_section_with_both_charts_and_a_reading(
    store: Store,
) -> None:
    for d in range(0, 21, 3):
        add_session(store, d)
    for d in range(1, 29, 3):
        store.add_run(run_doc(d, pain_next_morning=1))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Running" in subheaders(at)
    labels = chart_labels(at)
    assert "Running minutes per week with the worst pain of each week" in labels
    assert "Walk-run level at each programme run" in labels
    assert "pain during runs stayed at 2 or below" in infos(at)


def test_no_runs_means_no_running_section(store: Store) -> None:
    for d in range(0, 21, 3):
        add_session(store, d)
    at = open_page("progress")
    assert_no_exception(at)
    assert "Running" not in subheaders(at)
    assert not any("Running minutes" in label for label in chart_labels(at))


def test_one_run_alone_shows_its_section_instead_of_the_empty_page(store: Store) -> None:
    store.add_run(run_doc(0))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Running" in subheaders(at)
    assert "Nothing to show yet" not in infos(at)
    assert "One week of running so far" in infos(at)
    assert len(chart_labels(at)) == 2


def test_free_runs_only_show_the_load_chart_and_say_there_is_no_level(store: Store) -> None:
    for d, km in ((20, 5.0), (13, 5.0), (6, 7.0)):
        store.add_run(run_doc(d, level=None, distance_km=km, pain_during=d % 4))
    at = open_page("progress")
    assert_no_exception(at)
    assert chart_labels(at) == ["Running minutes per week with the worst pain of each week"]
    captions = " ".join(str(c.value) for c in at.caption)
    assert "All your runs were free runs" in captions
    assert "with a load spike" in infos(at)


def test_runs_without_next_morning_pain_draw_without_an_exception(store: Store) -> None:
    for d in (9, 5, 1):
        store.add_run(run_doc(d, level=3))
    add_session(store, 2)
    at = open_page("progress")
    assert_no_exception(at)
    assert "Running" in subheaders(at)


def download_labels(at: AppTest) -> list[str]:
    return [str(el.proto.label) for el in at.get("download_button")]


def test_runs_alone_still_offer_the_report_for_a_physio(store: Store) -> None:
    for d in (1, 4, 7):
        store.add_run(run_doc(d, level=None))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Running" in subheaders(at)
    assert "Download progress report (PDF)" in download_labels(at)


def captions(at: AppTest) -> str:
    return " ".join(str(c.value) for c in at.caption)


def test_runs_alone_over_a_long_time_get_a_bar_a_month(store: Store) -> None:
    for d in range(400, 0, -10):
        store.add_run(run_doc(d, level=None, distance_km=4.0))
    at = open_page("progress")
    assert_no_exception(at)
    assert chart_labels(at) == ["Running minutes per month with the worst pain of each month"]
    assert "month by month (the range is long)" in captions(at)
    assert "A triangle marks a month with a load spike" in captions(at)
    said = " ".join(str(m.value) for m in at.markdown)
    assert re.search(r"minutes a month over \d+ months", said), said


def test_the_running_chart_follows_the_range_from_weeks_to_months(store: Store) -> None:
    for d in range(0, 400, 3):
        add_session(store, d)
    for d in range(400, 0, -10):
        store.add_run(run_doc(d, pain_next_morning=1))
    at = open_page("progress", timeout=60)
    assert_no_exception(at)
    assert "Running minutes per week with the worst pain of each week" in chart_labels(at)
    at.segmented_control(key="progress_range").set_value("all").run(timeout=60)
    assert_no_exception(at)
    assert "Running minutes per month with the worst pain of each month" in chart_labels(at)
    assert "minutes a month over " in " ".join(str(m.value) for m in at.markdown)
