"""Settings: the leg one-sided exercises start on, kg or lb, the first weekday, the
planned run days, and (optional) the name and date of birth the report prints.

The log form honours all three: one-sided exercises start on the chosen leg (or, by
default, the knee the latest self-check named), loads are typed in the chosen unit and
stored in kilograms, and the date picker's weeks start on the chosen day. Planned run
days put a weekly walk-run in the calendar file (``kneecore.reminders``); a name and
date of birth, when given, head the progress report's first page. The choices
are kept in the store with the rest of the person's data and go with its export.
"""

from __future__ import annotations

import datetime as dt
from typing import get_args

import streamlit as st
from pydantic import ValidationError

from kneecore.errors import problems
from kneecore.models import EARLIEST_BIRTH_DATE, PATIENT_NAME_MAX, Side
from kneecore.store import StoreError
from kneecore.tracker import SIDE_WORDS, Units, default_side
from pages.common import get_store, not_a_diagnosis, show_store_error
from pages.in_browser import WEEKDAYS

#: "Follow the self-check" is stored as no side of one's own.
FOLLOW = "follow"
UNITS: dict[Units, str] = {"kg": "Kilograms (kg)", "lb": "Pounds (lb)"}
KEPT_HERE = (
    "Kept on this computer with the rest of your data. It appears only in the PDF "
    "report you download, nowhere else, and is never sent anywhere."
)

store = get_store()
st.title("Settings")
st.write(
    "How the log form fills itself in (the leg, kg or lb, the first day of the week), "
    "the days you plan to run, for your calendar reminders, and, if you like, the name "
    "and date of birth printed on your progress report. Your choices stay on this computer."
)


def _follow_words() -> str:
    found = default_side(None, store.selfchecks())
    if found == "both":
        return "Follow my self-check (no knee named yet: both legs)"
    return f"Follow my self-check (now: {SIDE_WORDS[found].lower()})"


try:
    settings = store.settings()
    sides: list[str] = [FOLLOW, *get_args(Side)]
    with st.form("settings_form"):
        side = st.radio(
            "Leg for one-sided exercises",
            sides,
            index=sides.index(settings.default_side or FOLLOW),
            format_func=lambda s: _follow_words() if s == FOLLOW else SIDE_WORDS[s],
            key="settings_side",
            help="Exercises done on one leg at a time start on this leg in the log form.",
        )
        units = st.radio(
            "Weights in",
            list(UNITS),
            index=list(UNITS).index(settings.units),
            format_func=UNITS.__getitem__,
            horizontal=True,
            key="settings_units",
            help="Loads are kept in kilograms and shown in the unit you choose.",
        )
        week_starts = st.selectbox(
            "Weeks start on",
            range(7),
            index=settings.week_starts,
            format_func=WEEKDAYS.__getitem__,
            key="settings_week_starts",
            help="The first day of the week in the date picker's calendar.",
        )
        run_days = st.multiselect(
            "Planned run days",
            list(range(7)),
            default=sorted(set(settings.run_days)),
            format_func=WEEKDAYS.__getitem__,
            key="settings_run_days",
            placeholder="No runs planned",
            help=(
                "The days you plan a walk-run once you return to running. The calendar "
                "file (on My data and Progress) reminds you on these days. Leave a rest "
                "day between runs."
            ),
        )
        st.header("For your report", divider="gray")
        st.caption(
            "Optional. Printed at the top of the progress report's first page, so your GP "
            "or physiotherapist knows whose it is. Leave them empty to keep the report "
            "anonymous."
        )
        name = st.text_input(
            "Your name (optional)",
            value=settings.patient_name,
            max_chars=PATIENT_NAME_MAX,
            key="settings_patient_name",
            help=KEPT_HERE,
        )
        birth = st.date_input(
            "Your date of birth (optional)",
            value=settings.date_of_birth,
            min_value=EARLIEST_BIRTH_DATE,
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            key="settings_date_of_birth",
            help=KEPT_HERE,
        )
        saved = st.form_submit_button("Save settings", type="primary", icon=":material/save:")
    if saved:
        try:
            store.update_settings(
                {
                    "default_side": None if side == FOLLOW else side,
                    "units": units,
                    "week_starts": week_starts,
                    "run_days": sorted(set(run_days)),
                    "patient_name": name,
                    "date_of_birth": birth if isinstance(birth, dt.date) else None,
                }
            )
        except ValidationError as err:
            # The widgets keep to the limits; this is for a store changed meanwhile.
            words = "; ".join(p.message for p in problems(err))
            st.error(f"Nothing was saved: {words}", icon=":material/error:")
        else:
            st.success(
                "Settings saved. The log form and the report use them from now on.",
                icon=":material/check_circle:",
            )
except StoreError as err:
    show_store_error(err)
not_a_diagnosis()
