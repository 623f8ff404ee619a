"""The log page's last action: what it says, where it says it, and what can be undone.

The page remembers one action only, the latest one. Each new save, change, restore or
delete replaces it, so "Undo delete" is only offered straight after a delete and can
never bring back a session after later saves. The answer to an action is shown where
the person is: under the Save button they pressed for a new session, in the history
for a change, a delete or a restore, and focus moves to it once. There is no toast:
the answer is on screen and focused already, and on a phone a toast covered it.

Pure: the page keeps a :class:`LastAction` in its UI state and draws what it says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal

from kneecore.models import Session
from kneecore.words import format_day

__all__ = ["ActionKind", "LastAction", "Place"]

ActionKind = Literal["saved", "updated", "restored", "deleted"]
#: Where the answer is shown: under the new-session form, or in the history.
Place = Literal["form", "history"]

_VERBS: dict[ActionKind, str] = {
    "saved": "Saved",
    "updated": "Updated",
    "restored": "Restored",
    "deleted": "Deleted",
}


@dataclass(frozen=True)
class LastAction:
    """The latest change the person made on the log page."""

    kind: ActionKind
    session_id: str
    day: dt.date
    #: The deleted session, kept for "Undo delete" (only for ``kind == "deleted"``).
    deleted: Session | None = None
    #: Whether focus was moved to the answer already: once, not on every rerun.
    announced: bool = False
    #: What was acted on, in the message: "session" here, "run" on the Runs page.
    noun: str = "session"

    @classmethod
    def of(cls, kind: ActionKind, session: Session) -> LastAction:
        """The action ``kind`` done to ``session``."""
        return cls(kind, session.id, session.date, session if kind == "deleted" else None)

    @property
    def place(self) -> Place:
        """A new session's answer goes under its Save button, the others in the history."""
        return "form" if self.kind == "saved" else "history"

    @property
    def can_undo(self) -> bool:
        """Only a delete is undone, and only while it is the latest action."""
        return self.kind == "deleted" and self.deleted is not None

    def message(self) -> str:
        """The confirmation, e.g. "Saved your session of 30 Nov."."""
        return f"{_VERBS[self.kind]} your {self.noun} of {format_day(self.day)}."

    def told(self) -> LastAction:
        """The same action, announced (focus moved to its answer)."""
        return replace(self, announced=True)
