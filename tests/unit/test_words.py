"""Dates, counts, lists and import summaries are written one way in every text."""

from __future__ import annotations

import datetime as dt

from kneecore.words import (
    counted_records,
    format_date,
    format_day,
    import_summary,
    join_words,
    plural,
    short_date,
)

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


def test_record_counts_name_each_table_leave_out_zeros_and_unknown_tables() -> None:
    counts = {"sessions": 1, "selfchecks": 0, "phases": 2, "clearances": 1, "other": 5}
    assert counted_records(counts) == "1 session, 2 phase changes and 1 clearance"
    assert counted_records({"warning_records": 3}) == "3 warning records"
    assert counted_records({"sessions": 0}) == ""


def test_an_import_summary_says_what_was_added_skipped_and_taken() -> None:
    added, skipped = {"sessions": 12, "phases": 1}, {"selfchecks": 1}
    assert import_summary(added, skipped, settings_imported=True) == (
        "Added 12 sessions and 1 phase change; skipped 1 self-check already present. "
        "Your settings were taken from it."
    )
    assert import_summary(added, {}, preview=True, settings_imported=True) == (
        "Importing it will add 12 sessions and 1 phase change. Your settings will be taken from it."
    )
    assert import_summary({}, {"sessions": 2}, preview=True) == (
        "Importing it will add nothing new and skip 2 sessions you already have."
    )
