"""Calendar reminders as an iCalendar (.ics, RFC 5545) file: no account, no cloud.

Two or three recurring events, importable into common calendar apps:

* the exercise sessions, weekly on the days the user chose, at their chosen time, with
  the current phase's plan (exercises and doses) in the description;
* a morning reminder to enter next-morning pain, which the pain rules need, only on
  the mornings after a planned exercise or run day (a weekly rule on the following
  weekdays: Monday, Wednesday and Friday sessions give Tuesday, Thursday and Saturday
  mornings), not every day;
* when the user planned run days (``Settings.run_days``), a weekly walk-run on those
  days at the exercise time, pointing to Today for the level to run.

Times are local wall-clock times in a named IANA time zone, with a VTIMEZONE component,
so an 18:00 session stays at 18:00 across daylight-saving changes. (A UTC time would
drift by an hour twice a year.) Each description says the plan is as of the day the
file was made and how to refresh it (download it again after a phase change). UIDs are
stable, so importing an updated file replaces
the old events in apps that honour UIDs instead of adding duplicates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kneecore.content import CONTENT_DIR, Library, load_yaml_model, not_a_diagnosis
from kneecore.models import Settings
from kneecore.userstore import UserStore
from kneecore.words import format_date

if TYPE_CHECKING:
    from icalendar import Alarm, Event

PRODID = "-//Kneecare//Knee rehab reminders//EN"
CALENDAR_UID = "kneecare-reminders@kneecare"
EXERCISE_UID = "kneecare-exercise-sessions@kneecare"
MORNING_UID = "kneecare-morning-pain-check@kneecare"
RUN_UID = "kneecare-walk-run@kneecare"
#: RFC 5545 weekday codes, index 0 = Monday (as in ``Settings.reminder_days``).
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The VTIMEZONE covers this many years from the start; apps use the TZID beyond it.
TIMEZONE_YEARS = 10
FALLBACK_TZ = "UTC"


class ReminderTexts(BaseModel):
    """``content/reminders.yaml``: the words in the calendar events."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    calendar_name: str = Field(min_length=3)
    exercise_summary: str = Field(min_length=3)
    exercise_summary_no_phase: str = Field(min_length=3)
    exercise_minutes: int = Field(ge=5, le=180)
    exercise_intro: str = Field(min_length=3)
    exercise_no_phase: str = Field(min_length=3)
    exercise_list_heading: str = Field(min_length=3)
    exercise_alarm: str = Field(min_length=3)
    exercise_alarm_minutes_before: int = Field(ge=0, le=120)
    morning_summary: str = Field(min_length=3)
    morning_minutes: int = Field(ge=1, le=60)
    morning_intro: str = Field(min_length=3)
    morning_alarm: str = Field(min_length=3)
    pain_rules: str = Field(min_length=3)
    run_summary: str = Field(min_length=3)
    run_minutes: int = Field(ge=5, le=180)
    run_intro: str = Field(min_length=3)
    run_alarm: str = Field(min_length=3)
    run_pain_rules: str = Field(min_length=3)
    as_of: str = Field(min_length=3)

    @model_validator(mode="after")
    def _run_placeholders(self) -> ReminderTexts:
        # A placeholder the app does not fill would reach the calendar in braces.
        for field, allowed in (("run_intro", {"days"}), ("as_of", {"date"})):
            used = set(re.findall(r"\{(\w*)\}", getattr(self, field)))
            if not used <= allowed:
                raise ValueError(f"{field}: unknown placeholder {sorted(used - allowed)[0]!r}")
        return self


@lru_cache(maxsize=4)
def load_texts(path: Path = CONTENT_DIR / "reminders.yaml") -> ReminderTexts:
    """Load and validate the reminder texts; a broken file names the file and field."""
    return load_yaml_model(path, ReminderTexts)


def timezone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a ValueError in plain words when it is not one."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"time zone: {name!r} is not a known time zone name (for example Europe/London)"
        ) from exc


def local_timezone_name() -> str:
    """The machine's IANA time zone name, or UTC when it cannot be told.

    Python knows the local offset but not the zone's name, and the name is what keeps
    reminders at the same wall-clock time across daylight-saving changes.
    """
    candidates: list[str] = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            timezone(name)
        except ValueError:
            continue
        return name
    return FALLBACK_TZ


def _clock(value: str, field: str) -> dt.time:
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        return dt.time(hours, minutes)
    except ValueError as exc:
        raise ValueError(f"{field}: {value!r} is not a time like 18:00") from exc


def plan_description(library: Library, phase: int | None, texts: ReminderTexts) -> str:
    """The plan of ``phase`` in plain text: phase goal, exercises with doses, pain rules."""
    if phase is None:
        lines = [texts.exercise_no_phase]
    else:
        info = library.phase(phase)
        lines = [
            texts.exercise_intro.format(phase=phase, phase_name=info.name, goal=info.goal),
            "",
            texts.exercise_list_heading,
            *(f"- {e.name}: {e.dose.describe()}" for e in library.by_phase(phase)),
        ]
    return "\n".join([*lines, "", texts.pain_rules, "", not_a_diagnosis()])


def day_names(days: Iterable[int]) -> str:
    """Weekdays (0 = Monday) in words: ``Tuesday, Thursday and Saturday``."""
    names = [DAY_NAMES[d] for d in sorted(set(days))]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def run_description(days: Iterable[int], texts: ReminderTexts) -> str:
    """The walk-run event's text: what to do on the day, the running pain limits."""
    intro = " ".join(texts.run_intro.format(days=day_names(days)).split())
    return "\n".join([intro, "", " ".join(texts.run_pain_rules.split()), "", not_a_diagnosis()])


def morning_days(settings: Settings) -> list[int]:
    """The weekdays (0 = Monday) after a planned exercise or run day, when next-morning
    pain is due: Monday, Wednesday and Friday sessions give Tuesday, Thursday, Saturday."""
    return sorted({(d + 1) % 7 for d in [*settings.reminder_days, *settings.run_days]})


def as_of(texts: ReminderTexts, made: dt.date) -> str:
    """The line that dates the plan in a description and says how to refresh it."""
    return " ".join(texts.as_of.format(date=format_date(made)).split())


def _first_on_or_after(start: dt.date, weekdays: Iterable[int]) -> dt.date:
    wanted = set(weekdays)
    day = start
    while day.weekday() not in wanted:
        day += dt.timedelta(days=1)
    return day


def _alarm(text: str, minutes_before: int = 0) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -dt.timedelta(minutes=minutes_before))
    return alarm


def _run_event(
    days: Iterable[int], first: dt.datetime, stamp: dt.datetime, texts: ReminderTexts, dated: str
) -> Event:
    """The weekly walk-run on the planned run days, from ``first`` on."""
    from icalendar import Event

    run_days = sorted(set(days))
    run = Event.new(
        uid=RUN_UID,
        stamp=stamp,
        summary=texts.run_summary,
        start=first,
        end=first + dt.timedelta(minutes=texts.run_minutes),
        description=f"{dated}\n\n{run_description(run_days, texts)}",
    )
    run.add("rrule", {"freq": "weekly", "byday": [WEEKDAY_CODES[d] for d in run_days]})
    run.add_component(_alarm(texts.run_alarm, texts.exercise_alarm_minutes_before))
    return run


def _morning_event(
    mornings: list[int], first: dt.datetime, stamp: dt.datetime, texts: ReminderTexts, text: str
) -> Event:
    """The next-morning pain reminder: weekly on the days after planned ones."""
    from icalendar import Event

    morning = Event.new(
        uid=MORNING_UID,
        stamp=stamp,
        summary=texts.morning_summary,
        start=first,
        end=first + dt.timedelta(minutes=texts.morning_minutes),
        description=text,
    )
    morning.add("rrule", {"freq": "weekly", "byday": [WEEKDAY_CODES[d] for d in mornings]})
    morning.add_component(_alarm(texts.morning_alarm))
    return morning


def build_calendar(
    settings: Settings,
    library: Library,
    phase: int | None,
    *,
    tz_name: str | None = None,
    start: dt.date | None = None,
    now: dt.datetime | None = None,
    texts: ReminderTexts | None = None,
) -> bytes:
    """The .ics file for ``settings`` (days and times) and the plan of ``phase``.

    ``start`` is the first day the reminders may fall on (today by default); ``now``
    stamps the events (DTSTAMP). Raises ValueError in plain words for no days chosen,
    a bad time or an unknown time zone.
    """
    # Imported here, when a calendar is asked for: icalendar and its time-zone tables
    # hold about 2 MB, which every page that only offers the download would carry.
    from icalendar import Calendar, Event

    texts = texts or load_texts()
    days = sorted(set(settings.reminder_days))
    if not days:
        raise ValueError("reminder_days: choose at least one day for your exercise sessions")
    zone = timezone(tz_name or local_timezone_name())
    start = start or dt.datetime.now(zone).date()
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    exercise_time = _clock(settings.reminder_time, "reminder_time")
    morning_time = _clock(settings.morning_reminder_time, "morning_reminder_time")
    dated = as_of(texts, start)
    description = plan_description(library, phase, texts)

    calendar = Calendar.new(prodid=PRODID, name=texts.calendar_name, uid=CALENDAR_UID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    first_session = dt.datetime.combine(_first_on_or_after(start, days), exercise_time, tzinfo=zone)
    summary = (
        texts.exercise_summary.format(phase=phase)
        if phase is not None
        else texts.exercise_summary_no_phase
    )
    exercise = Event.new(
        uid=EXERCISE_UID,
        stamp=stamp,
        summary=summary,
        start=first_session,
        end=first_session + dt.timedelta(minutes=texts.exercise_minutes),
        description=f"{dated}\n\n{description}",
    )
    exercise.add("rrule", {"freq": "weekly", "byday": [WEEKDAY_CODES[d] for d in days]})
    exercise.add_component(_alarm(texts.exercise_alarm, texts.exercise_alarm_minutes_before))
    calendar.add_component(exercise)

    mornings = morning_days(settings)
    first_morning = dt.datetime.combine(
        _first_on_or_after(start + dt.timedelta(days=1), mornings), morning_time, tzinfo=zone
    )
    text = "\n".join([" ".join(texts.morning_intro.split()), "", dated, "", description])
    calendar.add_component(_morning_event(mornings, first_morning, stamp, texts, text))

    if settings.run_days:
        first_run = dt.datetime.combine(
            _first_on_or_after(start, settings.run_days), exercise_time, tzinfo=zone
        )
        calendar.add_component(_run_event(settings.run_days, first_run, stamp, texts, dated))

    # Adds a VTIMEZONE for every TZID used (UTC needs none), built from the tz database.
    calendar.add_missing_timezones(
        first_date=start - dt.timedelta(days=1),
        last_date=start.replace(year=start.year + TIMEZONE_YEARS, day=min(start.day, 28)),
    )
    ical: bytes = calendar.to_ical()
    return ical


def calendar_from_store(
    store: UserStore,
    library: Library,
    *,
    tz_name: str | None = None,
    start: dt.date | None = None,
) -> bytes:
    """The .ics file for the user's saved reminder settings and current phase."""
    current = store.current_phase()
    return build_calendar(
        store.settings(),
        library,
        current.phase if current is not None else None,
        tz_name=tz_name,
        start=start,
    )


__all__ = [
    "CALENDAR_UID",
    "EXERCISE_UID",
    "MORNING_UID",
    "RUN_UID",
    "ReminderTexts",
    "as_of",
    "build_calendar",
    "calendar_from_store",
    "day_names",
    "load_texts",
    "local_timezone_name",
    "morning_days",
    "plan_description",
    "run_description",
    "timezone",
]
