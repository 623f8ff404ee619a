"""The report's pages: none near-empty, the language set, whose report it is, and the
running section and the plan pause both there when they apply."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from kneecore.content import Library
from kneecore.demo import FIVE_YEARS_DAYS, generate_history
from kneecore.models import SelfCheckResult, Settings
from kneecore.report import load_texts
from kneecore.report_pdf import LAST_PAGE_MIN, ROOMY, build_report
from tests.unit.test_report import pdf_text
from tests.unit.test_report_running import some_runs

TODAY = dt.date(2026, 11, 30)

HISTORIES = {
    "five years daily": (FIVE_YEARS_DAYS, 7),
    "twelve weeks": (84, 5),
    "four weeks": (28, 4),
    "ten days": (10, 3),
    "one day": (1, 1),
}


def fills(doc: dict[str, Any], library: Library, *, runs: bool) -> list[float]:
    """How full each page of the report for ``doc`` is, as the builder measured it."""
    from kneecore import report_pdf

    seen: list[list[float]] = []
    layout = report_pdf._layout

    def spy(*args: Any, **kwargs: Any) -> Any:
        pdf = layout(*args, **kwargs)
        seen.append(pdf.page_fills())
        return pdf

    report_pdf._layout = spy  # type: ignore[assignment]
    try:
        pdf = report_pdf.report_from_export(
            {**doc, "runs": [r.model_dump(mode="json") for r in some_runs()] if runs else []},
            library,
            today=TODAY,
        )
    finally:
        report_pdf._layout = layout  # type: ignore[assignment]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # The layout the file was made from: the last one tried with its page count.
    return next(f for f in reversed(seen) if len(f) == pages)


@pytest.mark.parametrize("runs", [False, True], ids=["without runs", "with runs"])
@pytest.mark.parametrize("history", list(HISTORIES))
def test_no_page_is_near_empty(library: Library, history: str, runs: bool) -> None:
    days, per_week = HISTORIES[history]
    doc = generate_history(days, sessions_per_week=per_week, end=TODAY, library=library)
    found = fills(doc, library, runs=runs)
    if len(found) > 1:
        assert min(found) >= LAST_PAGE_MIN, found


def test_the_last_page_holds_more_than_the_three_reading_bullets(library: Library) -> None:
    doc = generate_history(FIVE_YEARS_DAYS, sessions_per_week=7, end=TODAY, library=library)
    from kneecore.report_pdf import report_from_export

    pages = pdf_text(report_from_export(doc, library, today=TODAY))
    last = pages[-1]
    assert "How to read this report" in " ".join(pages)
    before_reading = last.split("How to read this report")[0]
    # More than a footer: a chart, the table or facts share the page with the reading.
    assert len(before_reading.split()) > 40, last


def test_the_page_fill_is_measured_from_the_last_line_drawn(library: Library) -> None:
    from kneecore.report import report_data
    from kneecore.report_pdf import _layout

    data = report_data([], [], [], library, today=TODAY)
    pdf = _layout(data, None, load_texts(), None, ROOMY)
    (fill,) = pdf.page_fills()
    assert 0.2 < fill < 0.6


def test_the_pdf_says_it_is_in_british_english(library: Library) -> None:
    pdf = build_report([], [], [], library, today=TODAY)
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/Lang"] == "en-GB"


def test_the_name_and_date_of_birth_head_the_first_page_when_given(library: Library) -> None:
    pdf = build_report(
        [],
        [],
        [],
        library,
        today=TODAY,
        patient_name="Ann Smith",
        date_of_birth=dt.date(1984, 2, 29),
    )
    first = pdf_text(pdf)[0]
    assert "Name: Ann Smith. Date of birth: 29 Feb 1984." in first
    assert first.index("Ann Smith") < first.index("Not a diagnosis.")


def test_without_a_name_or_date_of_birth_the_report_names_nobody(library: Library) -> None:
    text = " ".join(pdf_text(build_report([], [], [], library, today=TODAY)))
    assert "Name:" not in text
    assert "Date of birth" not in text


def test_an_export_carries_the_name_into_its_report(library: Library) -> None:
    from kneecore.report_pdf import report_from_export

    doc = generate_history(10, sessions_per_week=3, end=TODAY, library=library)
    doc["settings"] = Settings(patient_name="Jo Bloggs").model_dump(mode="json")
    assert "Name: Jo Bloggs." in pdf_text(report_from_export(doc, library, today=TODAY))[0]


def test_a_paused_plan_with_runs_shows_both_the_pause_and_the_running_section(
    library: Library,
) -> None:
    warning = SelfCheckResult(
        date=TODAY - dt.timedelta(days=3),
        urgency="gp_soon",
        red_flags=["locking"],
        reasons=["The knee locks."],
    )
    pdf = build_report([], [warning], [], library, today=TODAY, runs=some_runs())
    pages = pdf_text(pdf)
    assert "Your exercise plan is paused" in pages[0]
    whole = " ".join(pages)
    assert "Running" in whole
    assert "Level 3" in whole and "Free" in whole
