"""Running load against pain as frames: weekly totals, worst pains, spike weeks, levels,
and the one-line reading."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from kneecore import running_trends as rt
from kneecore.models import Run

MONDAY = dt.date(2026, 9, 7)


def run(day: dt.date, level: int | None = 3, **changes: Any) -> Run:
    """A run on ``day``: 15 minutes running and 5 walking, pain 1 before and 2 during."""
    doc: dict[str, Any] = {
        "date": day,
        "level": level,
        "run_min": 15.0,
        "walk_min": 5.0,
        "pain_before": 1,
        "pain_during": 2,
        **changes,
    }
    doc.setdefault("total_min", doc["run_min"] + doc["walk_min"])
    return Run.model_validate(doc)


def days(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def test_runs_of_one_monday_to_sunday_week_add_up_in_one_row():
    runs = [
        run(days(0), distance_km=3.0),
        run(days(6), distance_km=2.5, run_min=20.0),
        run(days(7)),
    ]
    weekly = rt.weekly_running(runs)
    assert [d.date() for d in weekly["week"]] == [days(0), days(7)]
    assert [d.date() for d in weekly["week_end"]] == [days(6), days(13)]
    assert weekly["runs"].tolist() == [2, 1]
    assert weekly["run_min"].tolist() == [35.0, 15.0]
    assert weekly["distance_km"].iloc[0] == 5.5


def test_a_week_without_any_distance_has_no_distance_rather_than_zero():
    weekly = rt.weekly_running([run(days(0))])
    assert math.isnan(weekly["distance_km"].iloc[0])


def test_a_week_keeps_its_worst_pain_during_and_worst_next_morning():
    runs = [
        run(days(0), pain_during=4, pain_next_morning=1),
        run(days(2), pain_during=1, pain_next_morning=3),
        run(days(4), pain_during=2),
    ]
    row = rt.weekly_running(runs).iloc[0]
    assert (row["pain_during"], row["pain_morning"]) == (4.0, 3.0)


def test_a_week_with_no_next_morning_pain_leaves_that_line_out():
    weekly = rt.weekly_running([run(days(0)), run(days(7), pain_next_morning=2)])
    assert math.isnan(weekly["pain_morning"].iloc[0])
    long = rt.weekly_pain_long(weekly)
    mornings = long[long["measure"] == "Next morning"]
    assert [d.date() for d in mornings["week"]] == [days(7)]
    assert len(long[long["measure"] == "During"]) == 2


def test_a_week_holding_a_free_run_flagged_for_a_load_spike_is_marked_in_words():
    runs = [
        run(days(0), level=None, distance_km=5.0),
        run(days(7), level=None, distance_km=5.4),  # under 10% longer: no spike
        run(days(14), level=None, distance_km=6.0),  # 11% longer than 5.4: a spike
    ]
    weekly = rt.weekly_running(runs)
    assert weekly["spike"].tolist() == [False, False, True]
    assert weekly["spike_word"].tolist() == ["", "", rt.SPIKE_WORD]


def test_programme_runs_never_make_a_spike_week():
    runs = [run(days(0), distance_km=2.0), run(days(7), level=4, distance_km=6.0)]
    assert not rt.weekly_running(runs)["spike"].any()


def test_no_runs_give_empty_frames_with_their_columns():
    weekly = rt.weekly_running([])
    assert weekly.empty and "run_min" in weekly and "spike" in weekly
    assert rt.weekly_pain_long(weekly).empty
    assert rt.level_points([]).empty
    assert rt.running_reading(weekly) == ""


def test_the_level_line_has_one_point_per_programme_run_and_leaves_free_runs_apart():
    runs = [run(days(4), level=2), run(days(0), level=1), run(days(2), level=None)]
    points = rt.level_points(runs)
    assert [d.date() for d in points["date"]] == [days(0), days(4)]
    assert points["level"].tolist() == [1, 2]
    assert points["zone"].tolist() == ["green", "green"]


def test_the_reading_says_pain_stayed_low_in_the_weeks_run_most():
    runs = [run(days(7 * w), run_min=10.0 + w, pain_during=1) for w in range(6)]
    assert rt.running_reading(rt.weekly_running(runs)) == (
        "In the weeks you ran most, pain during runs stayed at 2 or below."
    )


def test_the_reading_names_the_pain_reached_in_the_weeks_run_most():
    runs = [run(days(7 * w), run_min=10.0 + w, pain_during=1) for w in range(5)]
    runs.append(run(days(35), run_min=30.0, pain_during=4))
    reading = rt.running_reading(rt.weekly_running(runs))
    assert reading.startswith("In the weeks you ran most, pain during runs reached 4/10")


def test_the_reading_calls_pain_of_5_in_the_busiest_weeks_too_much():
    runs = [run(days(0), pain_during=1), run(days(7), run_min=19.0, pain_during=5)]
    assert "reached 5/10, a red run" in rt.running_reading(rt.weekly_running(runs))


def test_the_reading_points_at_a_spike_week_in_which_pain_rose():
    runs = [
        run(days(0), level=None, distance_km=5.0, pain_during=1),
        run(days(7), level=None, distance_km=7.0, pain_during=3),
    ]
    assert rt.running_reading(rt.weekly_running(runs)) == (
        "In the week of 14 Sep 2026, with a load spike, pain during runs rose to 3/10, "
        "from 1/10 in the week you ran before."
    )


def test_a_spike_week_without_more_pain_reads_as_any_other_week():
    runs = [
        run(days(0), level=None, distance_km=5.0, pain_during=2),
        run(days(7), level=None, distance_km=7.0, pain_during=2),
    ]
    assert "load spike" not in rt.running_reading(rt.weekly_running(runs))


def test_a_spike_week_with_worse_next_morning_pain_is_named_too():
    runs = [
        run(days(0), level=None, distance_km=5.0, pain_next_morning=1),
        run(days(7), level=None, distance_km=7.0, pain_next_morning=3),
    ]
    assert "pain the next morning rose to 3/10" in rt.running_reading(rt.weekly_running(runs))


def test_one_week_of_running_says_so():
    reading = rt.running_reading(rt.weekly_running([run(days(0), pain_during=3)]))
    assert reading == "One week of running so far: pain during runs reached at most 3/10."
