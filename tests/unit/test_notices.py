"""The "not a diagnosis" notice is written once (content/notices.yaml) and shown as is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kneecore.content import ContentError, load_notices, not_a_diagnosis
from kneecore.safety import status_of
from kneecore.selfcheck import assess

ANSWERS = {
    "age": 30,
    "pain_now": 2,
    "pain_worst_week": 3,
    "weeks_of_symptoms": 2,
    "goal": "running",
}


def test_the_notice_says_not_a_diagnosis_and_names_a_gp_or_physiotherapist() -> None:
    text = not_a_diagnosis()
    assert "not a diagnosis" in text and "GP or physiotherapist" in text


@pytest.mark.parametrize("changes", [{}, {"locking": True}, {"calf_swelling": True}])
def test_every_self_check_result_ends_with_the_notice(changes: dict[str, bool]) -> None:
    assert assess({**ANSWERS, **changes}).advice[-1] == not_a_diagnosis()


def test_the_plan_pause_ends_with_the_notice() -> None:
    result = assess({**ANSWERS, "locking": True}, on=dt.date(2025, 5, 3))
    status = status_of([result], [], [], [], today=dt.date(2025, 5, 4))
    assert status.paused and status.actions[-1] == not_a_diagnosis()


def test_a_notice_file_without_the_words_not_a_diagnosis_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "notices.yaml"
    broken.write_text("not_a_diagnosis: This app gives advice about knees.\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not_a_diagnosis"):
        load_notices(broken)
