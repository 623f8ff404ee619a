"""The stored data models refuse what would make health data untrustworthy."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from pydantic import ValidationError

from kneecore.models import ExerciseEntry, PhaseStart, SelfCheckResult, Session, Settings


def entry(**overrides: Any) -> dict[str, Any]:
    return {"exercise_id": "quad_set", "sets": 2, "reps": [10, 12], **overrides}


def session(**overrides: Any) -> dict[str, Any]:
    return {
        "date": dt.date.today().isoformat(),
        "exercises": [entry()],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        **overrides,
    }


def test_a_valid_session_reads_its_date_from_an_iso_string() -> None:
    s = Session.model_validate(session(date="2026-01-05"))
    assert s.date == dt.date(2026, 1, 5)
    assert s.id and not s.swelling and s.pain_next_morning is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain_during", 11),
        ("pain_before", -1),
        ("pain_after", "3"),
        ("pain_during", 2.5),
        ("pain_during", True),
        ("notes", 5),
        ("unknown_field", 1),
        ("date", (dt.date.today() + dt.timedelta(days=1)).isoformat()),
        ("exercises", []),
    ],
)
def test_a_session_with_a_bad_field_is_refused_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as err:
        Session.model_validate(session(**{field: value}))
    assert field in str(err.value)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_not_a_number_and_infinity_are_refused(bad: float) -> None:
    with pytest.raises(ValidationError):
        ExerciseEntry.model_validate(entry(load_kg=bad))


def test_reps_must_give_one_number_per_set() -> None:
    with pytest.raises(ValidationError, match="reps"):
        ExerciseEntry.model_validate(entry(sets=3, reps=[10, 10]))


def test_an_integer_load_is_accepted_as_kilograms() -> None:
    assert ExerciseEntry.model_validate(entry(load_kg=1)).load_kg == 1


def test_a_self_check_with_a_red_flag_cannot_carry_a_phase() -> None:
    with pytest.raises(ValidationError, match="phase"):
        SelfCheckResult(urgency="gp_soon", phase=1)
    assert SelfCheckResult(urgency="check_if_no_better", phase=2).phase == 2


def test_phase_must_be_one_two_or_three() -> None:
    with pytest.raises(ValidationError):
        PhaseStart.model_validate({"phase": 4})


def test_settings_default_to_kilograms_and_reject_a_bad_time() -> None:
    assert Settings().units == "kg"
    with pytest.raises(ValidationError, match="reminder_time"):
        Settings(reminder_time="25:00")


def test_stored_data_gets_a_little_slack_for_a_clock_that_moved_back() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError, match="future"):
        Session.model_validate(session(date=tomorrow))
    stored = Session.model_validate(session(date=tomorrow), context={"future_slack_days": 2})
    assert stored.date.isoformat() == tomorrow


def test_settings_have_no_name_or_date_of_birth_unless_given() -> None:
    settings = Settings()
    assert settings.patient_name == ""
    assert settings.date_of_birth is None


def test_a_name_and_date_of_birth_are_kept_and_the_name_on_one_line() -> None:
    settings = Settings.model_validate(
        {"patient_name": "  Ann \n  Smith ", "date_of_birth": "1984-02-29"}
    )
    assert settings.patient_name == "Ann Smith"
    assert settings.date_of_birth == dt.date(1984, 2, 29)
    assert Settings.model_validate_json(settings.model_dump_json()) == settings


def test_a_name_of_up_to_100_characters_is_taken_and_a_longer_one_refused() -> None:
    assert len(Settings(patient_name="a" * 100).patient_name) == 100
    with pytest.raises(ValidationError, match="patient_name"):
        Settings(patient_name="a" * 101)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(1899, 12, 31), "before 1900"),
        (dt.date.today() + dt.timedelta(days=1), "in the future"),
    ],
)
def test_a_date_of_birth_before_1900_or_in_the_future_is_refused(day: dt.date, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Settings(date_of_birth=day)


def test_a_date_of_birth_of_1900_or_today_is_taken() -> None:
    assert Settings(date_of_birth=dt.date(1900, 1, 1)).date_of_birth == dt.date(1900, 1, 1)
    assert Settings(date_of_birth=dt.date.today()).date_of_birth == dt.date.today()
