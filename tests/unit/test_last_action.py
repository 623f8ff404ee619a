"""The log page's last action: its words, where they go, and what can be undone."""

from __future__ import annotations

import datetime as dt

from kneecore.last_action import LastAction
from kneecore.models import Session

DAY = dt.date(2026, 11, 28)


def _session() -> Session:
    return Session(
        id="s1",
        date=DAY,
        exercises=[{"exercise_id": "bridge", "sets": 1, "reps": [10]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=2,
        pain_after=1,
    )


def test_a_saved_session_is_answered_under_the_form_and_cannot_be_undone() -> None:
    action = LastAction.of("saved", _session())
    assert action.place == "form"
    assert not action.can_undo
    # The year is said only when it is not this year's.
    assert action.message().startswith("Saved your session of 28 Nov")


def test_a_delete_keeps_the_session_for_its_undo_and_is_answered_in_the_history() -> None:
    action = LastAction.of("deleted", _session())
    assert action.place == "history"
    assert action.can_undo and action.deleted == _session()
    assert action.message().startswith("Deleted your session of 28 Nov")


def test_changes_and_restores_keep_no_session_and_offer_no_undo() -> None:
    for kind in ("updated", "restored"):
        action = LastAction.of(kind, _session())  # type: ignore[arg-type]
        assert action.deleted is None and not action.can_undo
        assert action.place == "history"


def test_the_answer_is_marked_as_told_without_changing_the_action() -> None:
    action = LastAction.of("saved", _session())
    told = action.told()
    assert not action.announced and told.announced
    assert (told.kind, told.session_id, told.day) == ("saved", "s1", DAY)
