"""Calendar reminders: the .ics file parses back with the right rules, times and plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from kneecore.content import Library
from kneecore.models import Settings
from kneecore.reminders import (
    CALENDAR_UID,
    EXERCISE_UID,
    MORNING_UID,
    RUN_UID,
    ReminderTexts,
    build_calendar,
    calendar_from_store,
    load_texts,
    local_timezone_name,
)
from kneecore.store import Store

NOW = dt.datetime(2025, 3, 20, 9, 0, tzinfo=dt.UTC)
LONDON = "Europe/London"


def make(
    library: Library,
    phase: int | None = 2,
    *,
    days: list[int] | None = None,
    run_days: list[int] | None = None,
    time: str = "18:00",
    morning: str = "07:30",
    tz: str = LONDON,
    start: dt.date = dt.date(2025, 3, 20),
) -> Calendar:
    settings = Settings(
        reminder_days=[0, 2, 4] if days is None else days,
        reminder_time=time,
        morning_reminder_time=morning,
        run_days=run_days or [],
    )
    raw = build_calendar(settings, library, phase, tz_name=tz, start=start, now=NOW)
    return Calendar.from_ical(raw)


def event(calendar: Calendar, uid: str) -> Any:
    found = [e for e in calendar.events if str(e["UID"]) == uid]
    assert len(found) == 1, [str(e["UID"]) for e in calendar.events]
    return found[0]


def occurrences(ev: Any, until: dt.datetime) -> list[dt.datetime]:
    """Expand the event's RRULE in local wall-clock time, as a calendar app does."""
    start = ev.start
    rule = rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    return list(rule.between(start.replace(tzinfo=None), until, inc=True))


def vtimezone_offset(calendar: Calendar, tzid: str, local: dt.datetime) -> dt.timedelta:
    """The UTC offset at naive ``local`` time according to the file's own VTIMEZONE.

    Apps without the tz database use these observances, so they must be right by
    themselves (this deliberately does not ask zoneinfo).
    """
    (tz,) = [t for t in calendar.timezones if str(t["TZID"]) == tzid]
    onsets: list[tuple[dt.datetime, dt.timedelta]] = []
    for obs in tz.subcomponents:
        offset = obs["TZOFFSETTO"].td
        starts = [obs.decoded("DTSTART")]
        rdates = obs.get("RDATE", [])
        for rdate in rdates if isinstance(rdates, list) else [rdates]:
            starts.extend(p.dt for p in rdate.dts)
        onsets.extend((s.replace(tzinfo=None), offset) for s in starts)
    before = [o for o in sorted(onsets) if o[0] <= local]
    assert before, f"VTIMEZONE does not cover {local}"
    return before[-1][1]


def test_the_file_is_an_icalendar_2_0_calendar_with_a_product_id(library: Library) -> None:
    cal = make(library)
    assert str(cal["VERSION"]) == "2.0"
    assert "Kneecare" in str(cal["PRODID"])
    assert str(cal["UID"]) == CALENDAR_UID
    assert len(cal.events) == 2


def test_exercise_sessions_repeat_weekly_on_the_chosen_days(library: Library) -> None:
    cal = make(library, days=[1, 3, 5])
    ev = event(cal, EXERCISE_UID)
    assert ev["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU,TH,SA"
    dates = occurrences(ev, dt.datetime(2025, 4, 3))
    assert {d.weekday() for d in dates} == {1, 3, 5}
    # 2025-03-20 is a Thursday, a chosen day: the first session is that day.
    assert dates[0] == dt.datetime(2025, 3, 20, 18, 0)


def test_the_first_session_is_the_next_chosen_day_on_or_after_the_start(
    library: Library,
) -> None:
    ev = event(make(library, days=[0]), EXERCISE_UID)
    assert ev.start.date() == dt.date(2025, 3, 24)  # the Monday after Thursday 20 March
    assert ev.start.weekday() == 0


def test_session_times_are_local_with_a_named_time_zone_not_utc(library: Library) -> None:
    raw = build_calendar(
        Settings(reminder_time="06:45"), library, 1, tz_name=LONDON, start=NOW.date(), now=NOW
    ).decode()
    assert "DTSTART;TZID=Europe/London:20250321T064500" in raw
    assert "BEGIN:VTIMEZONE" in raw and "TZID:Europe/London" in raw
    ev = event(Calendar.from_ical(raw), EXERCISE_UID)
    assert (ev.start.hour, ev.start.minute) == (6, 45)
    assert ev.end - ev.start == dt.timedelta(minutes=load_texts().exercise_minutes)


@pytest.mark.parametrize(
    ("tz", "start", "before", "after"),
    [
        # UK clocks go forward on 30 March 2025 and back on 26 October 2025.
        (LONDON, dt.date(2025, 3, 20), dt.timedelta(0), dt.timedelta(hours=1)),
        (LONDON, dt.date(2025, 10, 16), dt.timedelta(hours=1), dt.timedelta(0)),
        # US clocks go forward on 9 March 2025.
        ("America/New_York", dt.date(2025, 3, 1), dt.timedelta(hours=-5), dt.timedelta(hours=-4)),
    ],
)
def test_sessions_stay_at_the_same_wall_clock_time_across_a_daylight_saving_change(
    library: Library, tz: str, start: dt.date, before: dt.timedelta, after: dt.timedelta
) -> None:
    cal = make(library, days=list(range(7)), time="18:00", tz=tz, start=start)
    ev = event(cal, EXERCISE_UID)
    local = occurrences(ev, dt.datetime.combine(start + dt.timedelta(days=20), dt.time(23)))
    assert len(local) == 21
    assert all((d.hour, d.minute) == (18, 0) for d in local)
    offsets = [vtimezone_offset(cal, tz, d) for d in local]
    assert offsets[0] == before and offsets[-1] == after
    # In UTC the session moves by the hour the clocks change, so it stays at 18:00 local.
    utc_hours = {(d - off).hour for d, off in zip(local, offsets, strict=True)}
    assert len(utc_hours) == 2
    # And the file's VTIMEZONE agrees with the tz database at each occurrence.
    parsed_zone = ev.start.tzinfo
    assert all(
        d.replace(tzinfo=parsed_zone).utcoffset() == off
        for d, off in zip(local, offsets, strict=True)
    )


def byday(ev: Any) -> set[str]:
    """The weekday codes of an event's weekly rule, as the parsed file holds them."""
    rule = ev["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    return {str(d) for d in rule["BYDAY"]}


def test_monday_wednesday_friday_sessions_give_tuesday_thursday_saturday_mornings(
    library: Library,
) -> None:
    cal = make(library, days=[0, 2, 4], morning="07:30")
    assert byday(event(cal, EXERCISE_UID)) == {"MO", "WE", "FR"}
    ev = event(cal, MORNING_UID)
    assert byday(ev) == {"TU", "TH", "SA"}
    # 20 March 2025 is a Thursday: the first morning is the next day after a session.
    dates = occurrences(ev, dt.datetime(2025, 4, 5, 23, 59))
    assert dates[0] == dt.datetime(2025, 3, 22, 7, 30)
    assert {d.strftime("%a") for d in dates} == {"Tue", "Thu", "Sat"}
    assert len(dates) == 7  # 22 March to 5 April: not every day
    assert all((d.hour, d.minute) == (7, 30) for d in dates)
    assert "next-morning pain" in str(ev["DESCRIPTION"])


def test_run_days_add_their_next_mornings_and_sunday_wraps_to_monday(
    library: Library,
) -> None:
    cal = make(library, days=[0, 3], run_days=[2, 6])
    assert byday(event(cal, MORNING_UID)) == {"TU", "FR", "TH", "MO"}


def test_a_morning_after_both_a_session_and_a_run_is_one_reminder(library: Library) -> None:
    cal = make(library, days=[0, 2, 4], run_days=[2])
    assert byday(event(cal, MORNING_UID)) == {"TU", "TH", "SA"}


def test_every_description_dates_the_plan_and_says_how_to_refresh_it(
    library: Library,
) -> None:
    cal = make(library, run_days=[5], start=dt.date(2026, 11, 30))
    for uid in (EXERCISE_UID, MORNING_UID, RUN_UID):
        text = " ".join(str(event(cal, uid)["DESCRIPTION"]).split())
        assert "This plan is as of 30 Nov 2026" in text
        assert "When your phase changes" in text
        assert "download the calendar file again from Kneecare" in text


def test_both_events_carry_an_alarm(library: Library) -> None:
    cal = make(library)
    for uid in (EXERCISE_UID, MORNING_UID):
        alarms = [c for c in event(cal, uid).subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
        assert alarms[0]["DESCRIPTION"]
    (exercise_alarm,) = event(cal, EXERCISE_UID).subcomponents
    minutes = load_texts().exercise_alarm_minutes_before
    assert exercise_alarm["TRIGGER"].dt == -dt.timedelta(minutes=minutes)


@pytest.mark.parametrize("phase", [1, 2, 3])
def test_descriptions_list_the_current_phases_exercises_with_their_doses(
    library: Library, phase: int
) -> None:
    cal = make(library, phase=phase)
    for uid in (EXERCISE_UID, MORNING_UID):
        text = str(event(cal, uid)["DESCRIPTION"])
        assert library.phase(phase).name in text
        for exercise in library.by_phase(phase):
            assert f"- {exercise.name}: {exercise.dose.describe()}" in text
        others = [e for e in library.exercises if e.phase != phase]
        assert not any(f"- {e.name}:" in text for e in others)
        assert "not a diagnosis" in text
        assert "swells, locks or gives way" in text
    assert f"phase {phase}" in str(event(cal, EXERCISE_UID)["SUMMARY"])


def test_without_a_phase_the_description_sends_the_user_to_the_self_check(
    library: Library,
) -> None:
    text = str(event(make(library, phase=None), EXERCISE_UID)["DESCRIPTION"])
    assert "self-check" in text
    assert not any(f"- {e.name}:" in text for e in library.exercises)


def test_the_same_settings_give_the_same_file_with_stable_uids(library: Library) -> None:
    settings = Settings(reminder_days=[4, 0, 0])
    first = build_calendar(settings, library, 1, tz_name=LONDON, start=NOW.date(), now=NOW)
    again = build_calendar(settings, library, 1, tz_name=LONDON, start=NOW.date(), now=NOW)
    assert first == again
    # Repeated days are merged and sorted.
    assert b"BYDAY=MO,FR" in first


def test_no_days_chosen_is_refused_in_plain_words(library: Library) -> None:
    with pytest.raises(ValueError, match="reminder_days: choose at least one day"):
        build_calendar(Settings(reminder_days=[]), library, 1, tz_name=LONDON, now=NOW)


def test_an_unknown_time_zone_is_refused_in_plain_words(library: Library) -> None:
    with pytest.raises(ValueError, match="not a known time zone"):
        build_calendar(Settings(), library, 1, tz_name="Mars/Olympus_Mons", now=NOW)


def test_the_machines_time_zone_name_is_a_real_zone() -> None:
    from zoneinfo import ZoneInfo

    assert ZoneInfo(local_timezone_name()) is not None


def test_the_time_zone_name_follows_the_tz_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert local_timezone_name() == "Asia/Tokyo"


def test_the_store_version_uses_saved_settings_and_the_current_phase(
    store: Store, library: Library
) -> None:
    store.update_settings({"reminder_days": [5, 6], "reminder_time": "09:15"})
    store.start_phase(3, started=dt.date(2025, 3, 1))
    raw = calendar_from_store(store, library, tz_name=LONDON, start=dt.date(2025, 3, 20))
    ev = event(Calendar.from_ical(raw), EXERCISE_UID)
    assert ev["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=SA,SU"
    assert (ev.start.hour, ev.start.minute) == (9, 15)
    assert "phase 3" in str(ev["SUMMARY"])


# -- planned run days ---------------------------------------------------------------------


def test_no_run_days_means_no_walk_run_event(library: Library) -> None:
    cal = make(library, run_days=[])
    assert RUN_UID not in {str(e["UID"]) for e in cal.events}


def test_run_days_add_a_weekly_walk_run_at_the_exercise_time(library: Library) -> None:
    cal = make(library, days=[0, 2, 4], run_days=[5, 1], time="17:45")
    assert len(cal.events) == 3
    ev = event(cal, RUN_UID)
    assert ev["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU,SA"
    dates = occurrences(ev, dt.datetime(2025, 4, 3))
    assert {d.weekday() for d in dates} == {1, 5}
    # 2025-03-20 is a Thursday: the first walk-run is Saturday the 22nd.
    assert dates[0] == dt.datetime(2025, 3, 22, 17, 45)
    assert str(ev["DTSTART"].params["TZID"]) == LONDON
    assert ev.end - ev.start == dt.timedelta(minutes=load_texts().run_minutes)
    assert [str(a["ACTION"]) for a in ev.walk("VALARM")] == ["DISPLAY"]


def test_the_walk_run_text_names_the_days_the_pain_limits_and_no_diagnosis(
    library: Library,
) -> None:
    ev = event(make(library, run_days=[1, 5]), RUN_UID)
    assert str(ev["SUMMARY"]) == load_texts().run_summary
    text = str(ev["DESCRIPTION"])
    assert "Tuesday and Saturday" in text
    assert "2 out of 10" in text
    assert "not a diagnosis" in text.lower()
    assert "{" not in text


def test_run_days_keep_the_file_stable(library: Library) -> None:
    assert make(library, run_days=[1]).to_ical() == make(library, run_days=[1]).to_ical()


def test_an_unknown_placeholder_in_the_walk_run_text_is_refused() -> None:
    fields = load_texts().model_dump()
    with pytest.raises(ValueError, match="run_intro"):
        ReminderTexts.model_validate({**fields, "run_intro": "Run on {weekday}."})


def test_the_store_version_carries_saved_run_days(store: Store, library: Library) -> None:
    store.update_settings({"run_days": [6]})
    raw = calendar_from_store(store, library, tz_name=LONDON, start=dt.date(2025, 3, 20))
    ev = event(Calendar.from_ical(raw), RUN_UID)
    assert ev["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=SU"
