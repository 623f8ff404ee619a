"""The report's chart captions are the Progress page's one-line summaries
(kneecore.chart_summaries) for the same data: one sentence for the page and the PDF.

Each expected sentence is worked out here from the models, the way the page works it
out (analytics and running_trends frames into chart_summaries), and looked for in the
PDF's own text, under its chart's heading.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore import analytics as an
from kneecore import chart_summaries as cs
from kneecore import charts as ch
from kneecore import charts_running as cr
from kneecore import running_trends as rt
from kneecore.content import Library
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.models import Run, Session
from kneecore.report import load_texts
from kneecore.report_pdf import build_report, report_from_export
from tests.unit.test_report import pdf_text
from tests.unit.test_report_running import run, some_runs

TODAY = dt.date(2026, 11, 30)
#: The report's adherence calendar shows the 12 weeks up to the report's day.
CALENDAR_WEEKS = 12


def session(library: Library, days_ago: int, during: int) -> Session:
    return Session(
        date=TODAY - dt.timedelta(days=days_ago),
        exercises=[{"exercise_id": library.exercises[0].id, "sets": 2, "reps": [10, 10]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=during,
        pain_after=1,
    )


def weekly_sessions(library: Library) -> list[Session]:
    """A session a week for 8 weeks, pain during falling from 5 to 2."""
    pains = [5, 5, 4, 3, 3, 2, 2, 2, 2]
    return [session(library, 7 * (len(pains) - 1 - i), p) for i, p in enumerate(pains)]


def page_sentences(sessions: list[Session], runs: list[Run]) -> dict[str, str]:
    """What the page's summaries say for the report's charts' ranges: pain over every
    session up to today, the calendar's 12 weeks, and the runs from the first to today
    (as the page shows runs alone: by week, or by month over six months)."""
    frame = an.sessions_frame(sessions)
    said = {
        "pain": cs.pain_summary(frame, None, TODAY),
        "calendar": cs.calendar_summary(ch.calendar_data(frame, TODAY, CALENDAR_WEEKS).frames[0]),
        "load": cs.TOO_LITTLE,
        "level": cs.TOO_LITTLE,
    }
    if runs:
        first = min(r.date for r in runs)
        load = cr.load_data(runs, first, TODAY)
        said["load"] = cs.running_load_summary(load.frames[0], str(load.shape[2]), TODAY, first)
        said["level"] = cs.level_summary(an.in_range(rt.level_points(runs), first, TODAY))
    return said


def in_order(text: str, *parts: str) -> bool:
    """Whether each of ``parts`` is in ``text``, each after the one before it."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def test_each_chart_has_the_pages_summary_under_its_heading(library: Library) -> None:
    sessions = weekly_sessions(library)
    runs = some_runs()
    said = page_sentences(sessions, runs)
    # The data give a trend for every chart: the test is about real sentences.
    assert said["pain"].startswith("Pain during exercise fell from 5 to 2")
    assert cs.TOO_LITTLE not in said.values()
    text = " ".join(pdf_text(build_report(sessions, [], [], library, today=TODAY, runs=runs)))
    headings = load_texts().headings
    assert in_order(
        text,
        headings.pain,
        said["pain"],
        headings.adherence,
        said["calendar"],
        headings.sessions,
    ), (said, text)
    assert in_order(text, headings.running, said["load"], "Walk-run level", said["level"]), (
        said,
        text,
    )
    # The running section's reading stays, after the chart's summary.
    reading = rt.running_reading(rt.weekly_running(runs))
    assert in_order(text, said["load"], reading, "Walk-run level"), text


def test_with_too_little_data_each_trend_summary_says_so(library: Library) -> None:
    # One session and one programme run: no trend in the pain, load or level charts.
    sessions = [session(library, 0, 3)]
    runs = [run(1, level=2)]
    said = page_sentences(sessions, runs)
    assert [said["pain"], said["load"], said["level"]] == [cs.TOO_LITTLE] * 3
    text = " ".join(pdf_text(build_report(sessions, [], [], library, today=TODAY, runs=runs)))
    assert text.count(cs.TOO_LITTLE) == 3, text
    headings = load_texts().headings
    assert in_order(text, headings.pain, cs.TOO_LITTLE, headings.adherence, said["calendar"])
    assert in_order(text, headings.running, cs.TOO_LITTLE, "Walk-run level", cs.TOO_LITTLE)


def test_a_long_history_keeps_each_summary_on_its_charts_page(library: Library) -> None:
    # Five years of daily sessions: the pain chart's sentence spans years, and the
    # report's pages are at their fullest.
    doc: dict[str, Any] = generate_history(
        FIVE_YEARS_DAYS, sessions_per_week=7, end=TODAY, library=library
    )
    sessions = [Session.model_validate(s) for s in doc["sessions"]]
    runs = some_runs()
    said = page_sentences(sessions, runs)
    assert said["pain"].endswith("over 5 years.")
    doc["runs"] = [r.model_dump(mode="json") for r in runs]
    pages = pdf_text(report_from_export(doc, library, today=TODAY))
    headings = load_texts().headings
    for heading, key in (
        (headings.pain, "pain"),
        (headings.adherence, "calendar"),
        (headings.running, "load"),
        ("Walk-run level", "level"),
    ):
        (page,) = [p for p in pages if heading in p]
        assert in_order(page, heading, said[key]), (key, page)


def test_a_free_run_only_report_has_the_load_summary_and_no_level_chart(
    library: Library,
) -> None:
    # Free runs in three weeks: the first (begun on a Tuesday) is not compared, the
    # other two are.
    extra = run(27, level=None, walk_min=0.0, total_min=20.0, run_min=20.0, distance_km=4.0)
    runs = [extra, *(r for r in some_runs() if r.level is None)]
    said = page_sentences([], runs)
    assert said["load"] != cs.TOO_LITTLE
    text = " ".join(pdf_text(build_report([], [], [], library, today=TODAY, runs=runs)))
    assert in_order(text, load_texts().headings.running, said["load"])
    assert "Walk-run level" not in text
