"""Download widgets for the progress report (PDF) and the calendar reminders (.ics).

Not a page (``app.py`` does not route here): the progress page and "My data" call
:func:`report_download_button` and :func:`calendar_download_form`. Both files are made
on this machine from the user's own store; nothing is sent anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from kneecore.content import Library
from kneecore.models import Settings
from kneecore.reminders import (
    DAY_NAMES,
    calendar_from_store,
    day_names,
    local_timezone_name,
    morning_days,
    timezone,
)
from kneecore.store import StoreError
from kneecore.userstore import UserStore

REPORT_MIME = "application/pdf"
CALENDAR_MIME = "text/calendar"


def _clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def _user_timezone() -> str:
    """The browser's time zone when Streamlit knows it, else this machine's."""
    name = st.context.timezone
    if name:
        try:
            timezone(name)
            return name
        except ValueError:
            pass
    return local_timezone_name()


def _cannot(what: str, error: StoreError) -> None:
    # Short on purpose: the page itself shows the full explanation and the recovery
    # buttons (pages.common.show_store_error) once, above these widgets.
    st.warning(f"{what} cannot be made right now: {error}", icon=":material/warning:")


#: The report button's help for the person whose report it is.
_REPORT_HELP = (
    "A few A4 pages to print or send to your GP or physiotherapist: your "
    "latest self-check, pain and exercise charts, the last 4 weeks of "
    "sessions, your runs if you log any, and the app's current advice."
)


def report_download_button(
    store: UserStore,
    library: Library,
    key_prefix: str,
    *,
    before_build: Callable[[], None] | None = None,
    help_text: str = _REPORT_HELP,
    local: bool = True,
) -> None:
    """A button that downloads the progress report PDF for a GP or physiotherapist.

    ``before_build`` runs when the PDF is made (a clinic writes its audit row then);
    ``local`` says the report is made on this device, which a clinic's server is not.
    """
    try:
        # Read now, so a damaged file is explained here rather than failing the download.
        sessions = store.sessions()
        checks = store.selfchecks()
        phases = store.phase_history()
        # The pause and the warning signs ever reported need these too: without them
        # the report would show a lifted pause as standing and drop deleted warnings.
        clearances = store.clearances()
        records = store.warning_records()
        runs = store.runs()
        settings = store.settings()
    except StoreError as err:
        _cannot("The progress report", err)
        return
    today = dt.date.today()

    def make_pdf() -> bytes:
        if before_build is not None:
            before_build()
        # Deferred: the PDF (with its charts) is only built when the button is clicked,
        # and its libraries (fpdf2, vl-convert: about 27 MB) are only loaded then too.
        from kneecore.report_pdf import build_report

        return build_report(
            sessions,
            checks,
            phases,
            library,
            today=today,
            clearances=clearances,
            warning_records=records,
            runs=runs,
            patient_name=settings.patient_name,
            date_of_birth=settings.date_of_birth,
        )

    st.download_button(
        "Download progress report (PDF)",
        data=make_pdf,
        file_name=f"kneecare-report-{today.isoformat()}.pdf",
        mime=REPORT_MIME,
        key=f"{key_prefix}_report_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help=help_text,
    )
    if local:
        st.caption("Made on this device from your own entries; nothing is sent anywhere.")


def _calendar_words(settings: Settings, tz_name: str) -> str:
    """What the calendar file will remind of, planned run days included."""
    runs = (
        f" It also reminds you of a walk-run on {day_names(settings.run_days)} at "
        f"{settings.reminder_time} (planned run days, changed in Settings)."
        if settings.run_days
        else ""
    )
    return (
        f"The calendar file reminds you to exercise on {day_names(settings.reminder_days)} "
        f"at {settings.reminder_time}, and at {settings.morning_reminder_time} on the morning "
        f"after each planned day ({day_names(morning_days(settings))}) to enter next-morning "
        f"pain (time zone {tz_name}). Each reminder lists your current phase's exercises as "
        f"of today: download the file again after a phase change.{runs}"
    )


def calendar_download_form(store: UserStore, library: Library, key_prefix: str) -> None:
    """Choose exercise days and times, save them, and download calendar reminders."""
    try:
        settings = store.settings()
    except StoreError as err:
        _cannot("The calendar file", err)
        return
    tz_name = _user_timezone()
    with st.form(f"{key_prefix}_reminder_form"):
        days = st.multiselect(
            "Exercise days",
            options=list(range(7)),
            default=sorted(set(settings.reminder_days)),
            format_func=lambda d: DAY_NAMES[d],
            key=f"{key_prefix}_reminder_days",
            placeholder="Choose your exercise days",
        )
        left, right = st.columns(2)
        exercise_time = left.time_input(
            "Exercise time",
            value=_clock(settings.reminder_time),
            step=dt.timedelta(minutes=5),
            key=f"{key_prefix}_reminder_time",
        )
        morning_time = right.time_input(
            "Morning pain check",
            value=_clock(settings.morning_reminder_time),
            step=dt.timedelta(minutes=5),
            key=f"{key_prefix}_morning_time",
            help=(
                "A reminder, the morning after each exercise or run day, to enter how "
                "your knee feels."
            ),
        )
        saved = st.form_submit_button("Save reminder times", icon=":material/save:")
    if saved:
        if not days:
            st.error(
                "Choose at least one exercise day. Nothing was saved.", icon=":material/error:"
            )
        elif exercise_time is None or morning_time is None:
            st.error("Choose both times. Nothing was saved.", icon=":material/error:")
        else:
            try:
                settings = store.update_settings(
                    {
                        "reminder_days": sorted(set(days)),
                        "reminder_time": exercise_time.strftime("%H:%M"),
                        "morning_reminder_time": morning_time.strftime("%H:%M"),
                    }
                )
            except StoreError as err:
                st.error(f"Your reminder times could not be saved: {err}", icon=":material/error:")
                return
            st.success("Reminder times saved.", icon=":material/check_circle:")
    if not settings.reminder_days:
        st.info(
            "Choose your exercise days above to make the calendar file.",
            icon=":material/calendar_month:",
        )
        return
    st.caption(_calendar_words(settings, tz_name))
    try:
        ics = calendar_from_store(store, library, tz_name=tz_name)
    except StoreError as err:
        _cannot("The calendar file", err)
        return
    st.download_button(
        "Download calendar reminders (.ics)",
        data=ics,
        file_name="kneecare-reminders.ics",
        mime=CALENDAR_MIME,
        key=f"{key_prefix}_reminders_ics",
        icon=":material/event:",
        on_click="ignore",
        help="Open the file with your calendar app (Google, Apple, Outlook) to add the reminders.",
    )
