"""The flow of importing runs from watch files: read, preview, ask for pain, build runs.

The import page reads the uploaded files with :func:`read_uploads`, shows
:func:`preview` as a table, asks the runner the questions of :class:`Answers`, and saves
what :func:`build_runs` returns with ``Store.add_runs`` (all or nothing). Everything here
is pure: no Streamlit, no store; the page only shows what these functions decide.

Safety comes first. A file knows nothing about the knee, yet a run in the log needs the
pain before and the worst pain during it (the running rules read them), so one answer of
each is asked for all the runs and nothing is assumed: a pain not chosen stops the
import. A run that ended with swelling, locking or giving way must be logged on its own,
with those answers, so that the pause rules see it: the bulk import then refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from kneecore.models import TEXT_MAX, Run
from kneecore.runfiles import RunDraft, Skip, read_run_file
from kneecore.words import clip, format_date, plural

__all__ = [
    "Answers",
    "ImportRefused",
    "PreviewRow",
    "RunImportPreview",
    "Status",
    "Uploads",
    "build_runs",
    "preview",
    "read_uploads",
    "refusals",
    "start_key",
    "summary",
    "table_rows",
]

Status = Literal["new", "in_log", "repeated"]
#: How the preview names each status.
STATUS_WORDS: dict[Status, str] = {
    "new": "new",
    "in_log": "already in your log",
    "repeated": "repeated in these files",
}
SOURCE_WORDS = {"gpx": "GPX", "tcx": "TCX", "fit": "FIT", "manual": "typed in on Strava"}
#: Called with (file number, files in all, activities done, activities in the file).
FilesProgress = Callable[[int, int, int, int], None]


class ImportRefused(ValueError):
    """The import cannot go ahead as asked; the message says why and what to do."""


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Uploads:
    """What the uploaded files hold: runs, activities left out, files refused (why)."""

    drafts: tuple[RunDraft, ...]
    skipped: tuple[Skip, ...]
    refused: tuple[str, ...]


def read_uploads(
    files: Sequence[tuple[str, bytes]],
    *,
    progress: FilesProgress | None = None,
    zone: dt.tzinfo | None = None,
) -> Uploads:
    """Read every ``(name, bytes)`` file; a file that cannot be read is refused with its
    plain reason (``kneecore.runfiles``), and the others are still read, so the page can
    say everything that is wrong at once."""
    drafts: list[RunDraft] = []
    skipped: list[Skip] = []
    refused: list[str] = []
    for number, (name, data) in enumerate(files, start=1):

        def step(done: int, total: int, number: int = number) -> None:
            if progress is not None:
                progress(number, len(files), done, total)

        step(0, 1)
        try:
            found = read_run_file(name, data, progress=step, zone=zone)
        except ValueError as exc:
            refused.append(str(exc))
            continue
        drafts += found.runs
        skipped += found.skipped
    drafts.sort(key=lambda draft: (draft.date, _clock(draft.start)))
    return Uploads(tuple(drafts), tuple(skipped), tuple(refused))


def _clock(start: dt.datetime) -> dt.time:
    """Where a run goes in the table: by its day, then by the time on its clock."""
    return start.time()


# -- the preview -----------------------------------------------------------------------


def start_key(start: dt.datetime) -> dt.datetime:
    """A start for finding a run again, as the store compares them: the same instant
    for starts with a zone, the same clock time for starts without one (a naive and an
    aware start never match: we cannot know which instant the naive one meant)."""
    return start.astimezone(dt.UTC) if start.tzinfo is not None else start


@dataclass(frozen=True)
class PreviewRow:
    draft: RunDraft
    status: Status


@dataclass(frozen=True)
class RunImportPreview:
    """Every draft with whether it is new, in the log already, or a repeat of another."""

    rows: tuple[PreviewRow, ...]

    def count(self, status: Status) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def new(self) -> int:
        return self.count("new")


def preview(drafts: Iterable[RunDraft], stored: Iterable[Run]) -> RunImportPreview:
    """Mark each draft whose start is a stored run's ``started_at`` ("already in your
    log") or an earlier draft's (the same run in two files): what ``Store.add_runs``
    will skip."""
    seen = {start_key(run.started_at) for run in stored if run.started_at is not None}
    logged = frozenset(seen)
    rows: list[PreviewRow] = []
    for draft in drafts:
        key = start_key(draft.start)
        status: Status = "in_log" if key in logged else "repeated" if key in seen else "new"
        seen.add(key)
        rows.append(PreviewRow(draft, status))
    return RunImportPreview(tuple(rows))


def _number(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table_rows(found: RunImportPreview) -> list[dict[str, str]]:
    """The preview as table rows of text: a missing value is a dash, never 0."""
    return [
        {
            "Date": format_date(row.draft.date),
            "Start": row.draft.start.strftime("%H:%M"),
            # Second, so a phone shows it without scrolling the table sideways.
            "In your log?": STATUS_WORDS[row.status],
            "Minutes": _number(row.draft.total_min, 0),
            "km": _number(row.draft.distance_km, 2),
            "Steps/min": _number(row.draft.cadence_spm, 0),
            "Source": SOURCE_WORDS.get(row.draft.source, row.draft.source),
        }
        for row in found.rows
    ]


# -- the answers and the runs ----------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the runner says about all the imported runs; None while not answered."""

    pain_before: int | None = None
    pain_during: int | None = None
    knee_problem: bool | None = None


KNEE_PROBLEM_REFUSAL = (
    "A run that ended with swelling, locking or giving way needs to be logged on its "
    "own: log those runs one by one on the Runs page, with what happened, so the plan's "
    "safety rules can see them."
)


def refusals(answers: Answers) -> dict[str, str]:
    """What stops the import, by question (empty when it may go ahead)."""
    found: dict[str, str] = {}
    for field, words in (
        ("pain_before", "the usual pain before these runs"),
        ("pain_during", "the worst pain during these runs"),
    ):
        value = getattr(answers, field)
        if value is None:
            found[field] = f"Choose {words} (0 for no pain); it is not entered yet."
        elif not 0 <= value <= 10:
            found[field] = f"Choose {words}, a number from 0 to 10."
    if answers.knee_problem is None:
        found["knee_problem"] = (
            "Say whether any of these runs ended with swelling, locking or giving way."
        )
    elif answers.knee_problem:
        found["knee_problem"] = KNEE_PROBLEM_REFUSAL
    return found


def run_doc(draft: RunDraft, answers: Answers) -> dict[str, Any]:
    """One imported run as the store takes it: a free run, all of it running."""
    return {
        "date": draft.date,
        "level": None,
        "run_min": draft.total_min,
        "walk_min": 0.0,
        "total_min": draft.total_min,
        "distance_km": draft.distance_km,
        "cadence_spm": draft.cadence_spm,
        "pain_before": answers.pain_before,
        "pain_during": answers.pain_during,
        "source": draft.source,
        "started_at": draft.start,
        "notes": clip(draft.name, TEXT_MAX) if draft.name else "",
    }


def build_runs(drafts: Sequence[RunDraft], answers: Answers) -> list[dict[str, Any]]:
    """The runs to save, each checked as the store will check it.

    Raises :class:`ImportRefused` with every unanswered question, or naming the first run
    the log cannot hold (its date and file), so the page can say it before writing.
    """
    problems = refusals(answers)
    if problems:
        raise ImportRefused(" ".join(problems.values()) + " Nothing was imported.")
    if not drafts:
        raise ImportRefused("There are no runs to import.")
    docs = [run_doc(draft, answers) for draft in drafts]
    for draft, doc in zip(drafts, docs, strict=True):
        try:
            Run.model_validate(doc)
        except ValidationError as exc:
            raise ImportRefused(_run_problem(draft, exc)) from exc
    return docs


def _run_problem(draft: RunDraft, exc: ValidationError) -> str:
    where = f"The run of {format_date(draft.date)} ({clip(draft.file or 'a file', 60)})"
    fields = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
    if fields & {"total_min", "run_min"}:
        why = "lasted longer than a day, more than the log takes for one run"
    elif "date" in fields:
        why = "has a date in the future"
    else:
        why = "has a value the log cannot take (" + ", ".join(sorted(fields)) + ")"
    return f"{where} {why}. Remove its file and try again. Nothing was imported."


def summary(added: int, already_there: int) -> str:
    """``Imported 12 runs; 3 were already in your log.``"""
    text = f"Imported {plural(added, 'run')}"
    if already_there:
        was = "was" if already_there == 1 else "were"
        text += f"; {already_there} {was} already in your log"
    return text + "."
