"""The progress page in AppTest: empty, sparse and full histories, controls, demo data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
from streamlit.proto.Metric_pb2 import Metric
from streamlit.testing.v1 import AppTest

from kneecore import progression
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.models import SelfCheckResult
from kneecore.store import Store
from tests.app.helpers import assert_no_exception, open_page

TODAY = dt.date.today()


def charts(at: AppTest) -> list[Any]:
    """The protos of every Vega-Lite chart on the page."""
    return [el.proto for el in at.get("vega_lite_chart")]


def chart_rows(proto: Any) -> list[int]:
    return [pa.ipc.open_stream(d.data.data).read_all().num_rows for d in proto.datasets]


def texts(at: AppTest) -> str:
    parts = [
        str(el.value)
        for kind in ("info", "success", "warning", "error", "caption")
        for el in getattr(at, kind)
    ]
    parts += [str(el.value) for el in at.markdown]
    return "\n".join(parts)


def subheaders(at: AppTest) -> list[str]:
    return [str(el.value) for el in at.header]


def metric(at: AppTest, label: str) -> Any:
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def session(day: dt.date, during: int = 2, sid: str | None = None) -> dict[str, Any]:
    return {
        "id": sid or f"s-{day.isoformat()}",
        "date": day.isoformat(),
        "exercises": [{"exercise_id": "clamshell", "sets": 3, "reps": [12, 12, 12]}],
        "pain_before": 1,
        "pain_during": during,
        "pain_after": during,
        "pain_next_morning": None,
    }


def import_demo(store: Store, days: int = 84, per_week: int = 5) -> None:
    store.import_json(json.dumps(generate_history(days, sessions_per_week=per_week)))


def assert_says_not_a_diagnosis(at: AppTest) -> None:
    assert "not a diagnosis" in " ".join(str(c.value) for c in at.caption)


# -- empty and sparse ---------------------------------------------------------------------


def test_an_empty_store_shows_a_helpful_message_and_no_charts() -> None:
    at = open_page("progress")
    assert_no_exception(at)
    assert "Nothing to show yet" in texts(at)
    assert charts(at) == []
    links = [el.proto.page for el in at.get("page_link")]
    assert any("log" in str(link) for link in links)
    assert_says_not_a_diagnosis(at)


def test_the_demo_toggle_fills_the_dashboard_without_touching_the_store(data_dir: Path) -> None:
    at = open_page("progress")
    at.toggle(key="progress_demo").set_value(True).run()
    assert_no_exception(at)
    assert "Demo data" in texts(at)
    assert "getting better" in texts(at)
    assert len(charts(at)) >= 7
    assert not (data_dir / "knee-data.json").exists()


def test_one_session_says_trends_need_more_and_shows_its_ratings(store: Store) -> None:
    store.add_session(session(TODAY, during=4))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Trends need a few sessions" in texts(at)
    assert "Pain during and after exercise" not in subheaders(at)
    assert metric(at, "Pain during").value == "4/10"
    assert metric(at, "Pain next morning").value == "not yet"
    # The calendar still makes sense with one session; a one-point trend line does not.
    assert "How often you trained" in subheaders(at)
    assert len(charts(at)) == 1


def test_a_green_session_without_its_next_morning_reads_green_so_far(store: Store) -> None:
    store.add_session(session(TODAY, during=2))
    at = open_page("progress")
    assert_no_exception(at)
    assert "so far" in " ".join(str(m.value) for m in at.markdown)


def test_one_self_check_shows_the_single_score_with_an_explanation(store: Store) -> None:
    store.add_selfcheck(SelfCheckResult(date=TODAY, urgency="none", phase=1, akps=71))
    at = open_page("progress")
    assert_no_exception(at)
    assert metric(at, "Kujala knee score").value == "71/100"
    assert "Your first score is 71/100" in texts(at)
    assert "Kujala knee score" in subheaders(at)
    assert len(charts(at)) == 1


def test_no_self_check_yet_points_to_the_self_check(store: Store) -> None:
    for d in range(0, 20, 2):
        store.add_session(session(TODAY - dt.timedelta(days=d)))
    at = open_page("progress")
    assert_no_exception(at)
    assert "Do one to start tracking it" in texts(at)
    assert metric(at, "Kujala knee score").value == "–"


# -- a full history ---------------------------------------------------------------------


def test_twelve_weeks_show_every_section_with_metrics_and_a_verdict(store: Store) -> None:
    import_demo(store)
    at = open_page("progress")
    assert_no_exception(at)
    assert subheaders(at) == [
        "Pain during and after exercise",
        "How often you trained",
        "Training volume",
        "Progress per exercise",
        "Kujala knee score",
        "Your phases",
        "Take it to your physio",
    ]
    assert "You are getting better" in " ".join(str(s.value) for s in at.success)
    assert metric(at, "Sessions, last 7 days").delta.endswith("on the week before")
    assert metric(at, "Kujala knee score").delta.endswith("since your first self-check")
    assert metric(at, "Days in phase 3").value == "27"
    assert_says_not_a_diagnosis(at)


def test_less_pain_than_last_week_shows_as_a_green_fall(store: Store) -> None:
    for d, during in ((1, 2), (3, 2), (8, 4), (10, 4)):
        store.add_session(session(TODAY - dt.timedelta(days=d), during=during))
    at = open_page("progress")
    pain = metric(at, "Average pain during exercise")
    assert (pain.value, pain.delta) == ("2/10", "-2 on the week before")
    # delta_color="inverse": a fall in pain is good news, so it is green, not red.
    assert Metric.MetricColor.Name(pain.proto.color) == "GREEN"


def test_a_week_on_week_rise_in_pain_shows_the_trend_warning_today_shows(store: Store) -> None:
    for d, during in ((1, 4), (3, 4), (8, 2), (10, 2)):
        store.add_session(session(TODAY - dt.timedelta(days=d), during=during))
    at = open_page("progress")
    pain = metric(at, "Average pain during exercise")
    assert Metric.MetricColor.Name(pain.proto.color) == "RED"
    # One rule, one text: the warning Today and the advice give (kneecore.trends).
    today_warning = progression.trend_warning(store.sessions(), TODAY)
    assert today_warning is not None and "from 2.0/10 last week to 4.0/10" in today_warning
    assert today_warning in [str(w.value) for w in at.warning]


def test_a_new_session_shows_on_the_next_rerun(store: Store) -> None:
    import_demo(store)
    at = open_page("progress")
    before = int(metric(at, "Sessions, last 7 days").value)
    store.add_session(session(TODAY, sid="brand-new"))
    at.run()
    assert int(metric(at, "Sessions, last 7 days").value) == before + 1


def test_the_range_control_narrows_the_pain_chart(store: Store) -> None:
    import_demo(store)
    at = open_page("progress")
    twelve = sum(chart_rows(charts(at)[0]))
    at.segmented_control(key="progress_range").set_value("4w").run()
    assert_no_exception(at)
    four = sum(chart_rows(charts(at)[0]))
    assert four < twelve


def test_a_custom_range_ending_before_it_starts_is_refused_in_plain_words(store: Store) -> None:
    import_demo(store)
    at = open_page("progress")
    at.segmented_control(key="progress_range").set_value("custom").run()
    at.date_input(key="progress_from").set_value(TODAY - dt.timedelta(days=3)).run()
    at.date_input(key="progress_to").set_value(TODAY - dt.timedelta(days=10)).run()
    assert_no_exception(at)
    assert "start date is after the end date" in texts(at)
    assert charts(at) == []


def test_a_range_without_sessions_says_so(store: Store) -> None:
    for d in (200, 202):
        store.add_session(session(TODAY - dt.timedelta(days=d)))
    at = open_page("progress")
    assert_no_exception(at)
    assert "No sessions between" in texts(at)


def test_the_exercise_picker_switches_the_progression_chart(store: Store) -> None:
    import_demo(store)
    at = open_page("progress")
    picker = at.selectbox(key="progress_exercise")
    assert len(picker.options) >= 2
    first = picker.value
    picker.select(picker.options[-1]).run()
    assert_no_exception(at)
    assert at.selectbox(key="progress_exercise").value != first


def test_five_years_of_daily_sessions_render_with_small_chart_data(store: Store) -> None:
    import_demo(store, FIVE_YEARS_DAYS, 7)
    at = open_page("progress", timeout=120)
    at.segmented_control(key="progress_range").set_value("all").run()
    assert_no_exception(at)
    protos = charts(at)
    assert len(protos) >= 7
    for proto in protos:
        assert max(chart_rows(proto)) < 5000 / 5


def test_a_damaged_store_is_explained_not_crashed_on(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "knee-data.json").write_text("{not json", encoding="utf-8")
    at = open_page("progress")
    assert_no_exception(at)
    assert "could not be used" in " ".join(str(e.value) for e in at.error)
    assert_says_not_a_diagnosis(at)


def _rows_with(proto: Any, column: str) -> list[dict[str, Any]]:
    """The rows of the chart's dataset that has ``column``."""
    for dataset in proto.datasets:
        table = pa.ipc.open_stream(dataset.data.data).read_all()
        if column in table.column_names:
            return list(table.to_pylist())
    raise AssertionError(f"no dataset with {column!r}")


def test_charts_drawn_again_after_a_save_carry_the_new_session(store: Store) -> None:
    # After a save the page reuses each chart's drawn spec and its frames' other rows
    # (kneecore.charts.page_spec, kneecore.analytics): the new session must be in them.
    import_demo(store)
    at = open_page("progress")
    today = f"{TODAY.isoformat()}T00:00:00"
    days_before = {r["date"]: r["sessions"] for r in _rows_with(charts(at)[1], "weekday")}
    store.add_session(session(TODAY, during=9, sid="zz-new"))
    at.run()
    assert_no_exception(at)
    pain = _rows_with(charts(at)[0], "measure")
    assert {"date": today, "measure": "During", "pain": 9.0, "sessions": 1} in pain
    days_after = {r["date"]: r["sessions"] for r in _rows_with(charts(at)[1], "weekday")}
    assert days_after[today] == days_before.get(today, 0) + 1
