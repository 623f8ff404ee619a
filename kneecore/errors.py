"""Validation errors in plain words: the one converter every part of the app uses.

Pydantic's messages carry prefixes ("Value error, "), links and its own vocabulary
("Extra inputs are not permitted"). :func:`problems` turns an error into a list of
:class:`Problem` (where, and what is wrong, in words a person can act on); each caller
only decides how to name the place: a content file and field for a physiotherapist, a
question as it was asked for a patient, a table row of a data file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

#: Plain words for pydantic's error types, where its own message is not plain enough.
PLAIN: dict[str, str] = {
    "missing": "this is missing",
    "extra_forbidden": "this field is not expected",
    "finite_number": "must be a real number (not NaN or infinity)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where (pydantic's location) and what, in plain words."""

    loc: tuple[str | int, ...]
    message: str
    #: pydantic's error type, e.g. ``missing`` (for callers that word one differently).
    kind: str

    @property
    def field(self) -> str:
        """The dotted location, e.g. ``exercises.0.reps`` ("" for the whole input)."""
        return ".".join(str(part) for part in self.loc)


def problems(exc: ValidationError, words: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem in ``exc``; ``words`` rewords error types for one audience."""
    plain = {**PLAIN, **(words or {})}
    found = []
    for err in exc.errors(include_url=False):
        message = plain.get(err["type"]) or str(err["msg"]).removeprefix("Value error, ")
        found.append(Problem(tuple(err["loc"]), message, err["type"]))
    return found


__all__ = ["PLAIN", "Problem", "problems"]
