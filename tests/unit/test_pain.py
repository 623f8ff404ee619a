"""The Pain Monitoring Model's traffic light (clinical-rules.md section 3), boundary by boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from kneecore.content import ContentError
from kneecore.models import Zone
from kneecore.pain import (
    during_zone,
    explain_zone,
    load_pain_scale,
    morning_zone,
    worst,
    worst_of_latest_day,
    zone,
)


@pytest.mark.parametrize(
    ("pain_during", "expected"),
    [(0, "green"), (3, "green"), (4, "amber"), (5, "amber"), (6, "red"), (10, "red")],
)
def test_pain_during_exercise_sets_the_zone_at_3_4_and_5_6(pain_during: int, expected: str) -> None:
    assert during_zone(pain_during) == expected
    assert zone(pain_during) == expected


@pytest.mark.parametrize(
    ("before", "morning", "expected"),
    [
        (2, 0, "green"),  # better than before
        (2, 2, "green"),  # settled back: equal
        (2, 3, "amber"),  # one point above
        (2, 4, "red"),  # two points above
        (0, 10, "red"),
        (5, None, "green"),  # not entered yet
        (None, 5, "green"),  # nothing to compare with
    ],
)
def test_next_morning_pain_is_compared_with_pain_before_the_session(
    before: int | None, morning: int | None, expected: str
) -> None:
    assert morning_zone(before, morning) == expected


@pytest.mark.parametrize(
    ("during", "before", "morning", "expected"),
    [
        (2, 2, 2, "green"),
        (2, 2, 3, "amber"),  # green during, amber morning
        (5, 2, 2, "amber"),  # amber during, green morning
        (5, 2, 4, "red"),  # red morning wins over amber during
        (7, 2, 1, "red"),  # red during wins over a settled morning
        (3, 1, None, "green"),
    ],
)
def test_a_session_takes_the_worse_of_its_during_and_morning_zones(
    during: int, before: int, morning: int | None, expected: str
) -> None:
    assert zone(during, before, morning) == expected


def test_worst_orders_green_amber_red() -> None:
    assert worst("green", "red", "amber") == "red"
    assert worst("green", "amber") == "amber"
    assert worst("green") == "green"


@pytest.mark.parametrize("bad", [-1, 11, 2.5, True, "4"])
def test_pain_outside_0_to_10_or_not_a_whole_number_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="pain_during"):
        during_zone(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="pain_next_morning"):
        morning_zone(2, bad)  # type: ignore[arg-type]


def test_the_explanation_names_the_numbers_and_the_missing_morning() -> None:
    assert "6/10 (red)" in explain_zone(6, 1, None)
    assert "not entered yet" in explain_zone(6, 1, None)
    text = explain_zone(2, 1, 3)
    assert "3/10 against 1/10 before (red)" in text


@pytest.mark.parametrize(
    ("pain", "words"),
    [
        (0, "no pain"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_every_pain_number_has_the_usual_scales_words(pain: int, words: str) -> None:
    scale = load_pain_scale()
    assert scale.words(pain) == words
    assert scale.label(pain) == f"{pain} · {words}"


def test_zone_labels_carry_an_icon_and_a_word_not_colour_alone() -> None:
    scale = load_pain_scale()
    assert scale.zone_label("green") == "🟢 Green"
    assert scale.zone_label("amber") == "🟠 Amber"
    assert scale.zone_label("red") == "🔴 Red"
    assert scale.zone_words("amber") == "Amber: acceptable, do not add load"
    for z in ("green", "amber", "red"):
        assert len(scale.zone_meaning(z)) > 20  # type: ignore[arg-type]
    assert scale.legend().startswith("0 no pain · 1-3 mild")


GOOD_ZONES = """
zones:
  green: {label: Green, short: safe, meaning: Safe to carry on at this dose.}
  amber: {label: Amber, short: acceptable, meaning: 'Acceptable, do not add load.'}
  red: {label: Red, short: too much, meaning: 'Too much, ease off next time.'}
"""


@pytest.mark.parametrize(
    ("anchors", "field"),
    [
        (
            "anchors:\n  - {from: 0, to: 3, words: low}\n  - {from: 5, to: 10, words: high}\n",
            "anchors",
        ),
        ("anchors:\n  - {from: 0, to: 9, words: low}\n", "anchors"),
        ("anchors:\n  - {from: 0, to: 10, words: x}\n", "anchors.0.words"),
    ],
)
def test_a_broken_pain_scale_file_is_refused_naming_file_and_field(
    tmp_path: Path, anchors: str, field: str
) -> None:
    file = tmp_path / "pain_scale.yaml"
    file.write_text(anchors + GOOD_ZONES, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_pain_scale(file)
    assert "pain_scale.yaml" in str(err.value)
    assert field in str(err.value)


def test_a_pain_scale_without_the_red_zone_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "pain_scale.yaml"
    file.write_text(
        "anchors:\n  - {from: 0, to: 10, words: any pain}\nzones:\n"
        "  green: {label: Green, short: safe, meaning: Safe to carry on at this dose.}\n"
        "  amber: {label: Amber, short: acceptable, meaning: 'Acceptable, do not add load.'}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="red"):
        load_pain_scale(file)


@dataclass(frozen=True)
class Logged:
    """A session as the day rule sees it: a day and a pain during."""

    date: dt.date
    pain_during: int


def _zone_of(item: Logged) -> Zone:
    return zone(item.pain_during)


DAY = dt.date(2025, 11, 30)
BEFORE = dt.date(2025, 11, 29)


def test_a_days_light_is_its_worst_session_whatever_the_order_they_were_logged() -> None:
    red_first = [Logged(BEFORE, 1), Logged(DAY, 6), Logged(DAY, 1)]
    red_last = [Logged(BEFORE, 1), Logged(DAY, 1), Logged(DAY, 6)]
    assert worst_of_latest_day(red_first, _zone_of) == Logged(DAY, 6)
    assert worst_of_latest_day(red_last, _zone_of) == Logged(DAY, 6)


def test_only_the_latest_day_counts_and_no_sessions_give_none() -> None:
    older_red = [Logged(BEFORE, 8), Logged(DAY, 4), Logged(DAY, 2)]
    assert worst_of_latest_day(older_red, _zone_of) == Logged(DAY, 4)
    assert worst_of_latest_day([], _zone_of) is None
