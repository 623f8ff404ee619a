"""The report's running section: there with runs (reading, both charts, the newest runs
in a table) and absent without; checked in the data and in the PDF's own text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecore import chart_summaries as cs
from kneecore import charts_running as cr
from kneecore.content import Library, load_library
from kneecore.models import Run
from kneecore.report import MAX_RUN_ROWS, load_texts, report_data, running_section
from kneecore.report_pdf import build_report, running_images
from tests.unit.test_report import pdf_text

TODAY = dt.date(2026, 11, 30)


def run(days_ago: int, level: int | None = 2, **extra: Any) -> Run:
    doc: dict[str, Any] = {
        "date": TODAY - dt.timedelta(days=days_ago),
        "level": level,
        "run_min": 12.0,
        "walk_min": 18.0,
        "total_min": 30.0,
        "pain_before": 1,
        "pain_during": 2,
        **extra,
    }
    return Run.model_validate(doc)


def some_runs() -> list[Run]:
    return [
        run(20, level=None, walk_min=0.0, total_min=25.0, run_min=25.0, distance_km=5.0),
        run(
            13,
            level=None,
            walk_min=0.0,
            total_min=30.0,
            run_min=30.0,
            distance_km=6.0,
            pain_during=3,
        ),
        run(6, level=3, pain_during=4),
        run(2, level=3, pain_next_morning=1),
    ]


def test_the_running_table_names_level_or_free_minutes_distance_and_zone_word():
    section = running_section(some_runs(), load_texts())
    assert section is not None
    rows = [(r.level, r.minutes, r.distance, r.zone_label) for r in section.rows]
    assert rows == [
        ("Free", "25", "5 km", "Green"),
        ("Free", "30", "6 km", "Amber"),
        ("Level 3", "12 + 18 walk", "-", "Amber"),
        ("Level 3", "12 + 18 walk", "-", "Green"),
    ]
    assert section.reading.startswith("In the week of")  # the spike week, pain rose


def test_the_table_keeps_only_the_newest_runs_and_counts_the_rest():
    runs = [run(2 * d) for d in range(MAX_RUN_ROWS + 3)]
    section = running_section(runs, load_texts())
    assert section is not None
    assert len(section.rows) == MAX_RUN_ROWS and section.omitted == 3
    assert section.rows[-1].date == TODAY


def test_no_runs_means_no_running_section_in_the_data(library: Library):
    assert report_data([], [], [], library, today=TODAY).running is None
    data = report_data([], [], [], library, today=TODAY, runs=some_runs())
    assert data.running is not None and data.has_history


def test_the_pdf_holds_the_running_section_with_its_charts_and_runs(library: Library):
    pdf = build_report([], [], [], library, today=TODAY, runs=some_runs())
    text = " ".join(pdf_text(pdf))
    texts = load_texts()
    assert texts.headings.running in text
    assert "Walk-run level" in text
    assert "with a load spike, pain during runs rose to 3/10" in text
    assert "12 + 18 walk" in text and "Free" in text and "6 km" in text
    assert "No history yet" not in text


def test_the_pdf_without_runs_has_no_running_section(library: Library):
    pdf = build_report([], [], [], library, today=TODAY)
    text = " ".join(pdf_text(pdf))
    assert "Walk-run level" not in text
    assert "12 + 18 walk" not in text


def test_free_runs_only_print_the_load_chart_without_the_level_chart(library: Library):
    runs = [r for r in some_runs() if r.level is None]
    text = " ".join(pdf_text(build_report([], [], [], library, today=TODAY, runs=runs)))
    assert "minutes of running each week" in text
    assert "Walk-run level" not in text


def years_of_runs() -> list[Run]:
    """Free runs every fourth day for two years, the first (25.8 minutes) alone in its
    month: 20 November 2024, so that month holds three runs of the eleven days left."""
    first = dt.date(2024, 11, 20)
    runs = []
    for n in range(0, (TODAY - first).days + 1, 4):
        minutes = 25.8 if n == 0 else 30.0 + n % 7
        runs.append(
            run(
                (TODAY - first).days - n,
                level=None,
                run_min=minutes,
                walk_min=0.0,
                total_min=minutes,
                distance_km=5.0,
            )
        )
    return runs


def test_years_of_runs_are_charted_by_month_with_the_pages_sentence():
    runs = years_of_runs()
    images = running_images(runs, TODAY)
    assert images is not None
    load, _ = images
    # What the page says under the same chart of the runs alone (first run to today).
    first = min(r.date for r in runs)
    page = cr.load_data(runs, first, TODAY)
    assert page.shape[2] == "month"
    said = cs.running_load_summary(page.frames[0], "month", TODAY, first)
    assert load.summary == said
    # A month a bar; the first month, begun on the 20th, is not compared, and minutes
    # are whole.
    assert said.startswith("Running ") and " minutes a month over 2 years;" in said
    assert "25.8" not in said and "." not in said.split(";")[0]
    pdf_words = " ".join(pdf_text(build_report([], [], [], load_library(), today=TODAY, runs=runs)))
    assert said in pdf_words


def test_the_load_caption_fits_a_bar_a_week_and_a_bar_a_month():
    caption = load_texts().captions.running_load
    assert "each week" in caption and "each calendar month" in caption
    assert "week or month" in caption
