"""Dates, counts and lists are written one way in every text the app shows."""

from __future__ import annotations

import datetime as dt

from kneecore.words import format_date, format_day, join_words, plural, short_date

TODAY = dt.date(2025, 11, 20)


def test_dates_read_as_people_say_them() -> None:
    assert format_day(dt.date(2025, 11, 3), TODAY) == "3 Nov"
    assert format_day(dt.date(2024, 12, 30), TODAY) == "30 Dec 2024"


def test_a_full_date_has_no_leading_zero_and_always_its_year() -> None:
    assert format_date(dt.date(2025, 6, 3)) == "3 Jun 2025"
    assert short_date(dt.date(2025, 6, 3)) == "3 Jun"


def test_counts_take_the_plural_only_when_not_one() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(14, "week") == "14 weeks"


def test_lists_join_with_commas_and_a_final_and() -> None:
    assert join_words([]) == ""
    assert join_words(["swelling"]) == "swelling"
    assert join_words(["swelling", "locking"]) == "swelling and locking"
    assert join_words(["a", "b", "c"]) == "a, b and c"
