"""The printable progress report: a PDF that parses, says the right things, and looks right."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from kneecore import progression
from kneecore.content import ContentError, Library
from kneecore.demo import generate_history
from kneecore.models import PhaseStart, SelfCheckResult, Session, WarningSign
from kneecore.report import (
    MAX_TABLE_ROWS,
    MAX_WARNING_DAYS,
    describe_entry,
    load_texts,
    report_data,
)
from kneecore.report_pdf import (
    ACCENT,
    ACCENT_TINT,
    build_report,
    printable,
    report_from_export,
)
from kneecore.store import Store
from kneecore.words import format_date

TODAY = dt.date(2025, 6, 15)


def models(doc: dict[str, Any]) -> tuple[list[Session], list[SelfCheckResult], list[PhaseStart]]:
    return (
        [Session.model_validate(s) for s in doc["sessions"]],
        [SelfCheckResult.model_validate(c) for c in doc["selfchecks"]],
        [PhaseStart.model_validate(p) for p in doc["phases"]],
    )


def report_from_store(store: Store, library: Library, *, today: dt.date) -> bytes:
    """The report as the download button builds it: from the store's reads."""
    return build_report(
        store.sessions(),
        store.selfchecks(),
        store.phase_history(),
        library,
        today=today,
        clearances=store.clearances(),
        warning_records=store.warning_records(),
    )


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so wrapped lines compare as sentences."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def demo_doc(library: Library) -> dict[str, Any]:
    return generate_history(84, sessions_per_week=5, end=TODAY, library=library)


@pytest.fixture(scope="module")
def demo_pdf(demo_doc: dict[str, Any], library: Library) -> bytes:
    return report_from_export(demo_doc, library, today=TODAY)


def test_a_demo_history_gives_a_valid_pdf_of_one_to_three_a4_pages(demo_pdf: bytes) -> None:
    assert demo_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(demo_pdf))
    assert 1 <= len(reader.pages) <= 3
    for page in reader.pages:
        width_mm = float(page.mediabox.width) / 72 * 25.4
        height_mm = float(page.mediabox.height) / 72 * 25.4
        assert (round(width_mm), round(height_mm)) == (210, 297)


def test_every_page_is_numbered_page_n_of_total(demo_pdf: bytes) -> None:
    pages = pdf_text(demo_pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_the_header_names_the_app_the_report_date_and_the_date_range(
    demo_pdf: bytes, demo_doc: dict[str, Any]
) -> None:
    first = pdf_text(demo_pdf)[0]
    texts = load_texts()
    assert texts.title in first
    assert f"Report date: {format_date(TODAY)}" in first
    start = min(dt.date.fromisoformat(p["started"]) for p in demo_doc["phases"])
    assert f"Entries: {format_date(start)} to {format_date(TODAY)}" in first


def test_the_not_a_diagnosis_notice_is_on_the_first_page_and_every_footer(
    demo_pdf: bytes,
) -> None:
    pages = pdf_text(demo_pdf)
    texts = load_texts()
    assert f"{texts.notice_title} {flat(texts.notice)}" in pages[0]
    assert all("Not a diagnosis." in page for page in pages)


def test_the_latest_self_check_and_the_akps_change_since_the_first_are_shown(
    demo_pdf: bytes, demo_doc: dict[str, Any]
) -> None:
    text = " ".join(pdf_text(demo_pdf))
    _, checks, _ = models(demo_doc)
    first, latest = checks[0], checks[-1]
    assert first.akps is not None and latest.akps is not None
    assert f"{format_date(latest.date)}: {load_texts().urgency[latest.urgency]}." in text
    assert f"Phase {latest.phase} suggested." in text
    assert (
        f"{latest.akps}/100 on {format_date(latest.date)}: up {latest.akps - first.akps} points "
        f"since the first score, {first.akps}/100 on {format_date(first.date)}"
    ) in text


def test_the_current_phase_and_since_when_are_shown(
    demo_pdf: bytes, demo_doc: dict[str, Any], library: Library
) -> None:
    _, _, phases = models(demo_doc)
    current = phases[-1]
    name = library.phase(current.phase).name
    expected = f"Phase {current.phase}: {name}, since {format_date(current.started)}"
    assert expected in " ".join(pdf_text(demo_pdf))


def test_a_phase_started_today_reads_started_today_not_0_days(library: Library) -> None:
    phase = PhaseStart(phase=1, started=TODAY, source="self_check")
    facts = " ".join(value for _, value in report_data([], [], [phase], library, today=TODAY).facts)
    assert "started today" in facts and "0 days" not in facts


def test_the_current_recommendation_and_its_reason_are_the_progression_rules(
    demo_pdf: bytes, demo_doc: dict[str, Any], library: Library
) -> None:
    sessions, _, phases = models(demo_doc)
    rec = progression.recommend(sessions, phases[-1], today=TODAY, library=library)
    text = " ".join(pdf_text(demo_pdf))
    assert flat(rec.title) in text
    assert flat(rec.reason) in text


def test_the_pain_and_adherence_charts_are_embedded_as_images(demo_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(demo_pdf))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2
    for image in images:
        assert image.image is not None
        assert image.image.width >= 1000  # rendered at twice the export width, for print
    text = " ".join(pdf_text(demo_pdf))
    texts = load_texts()
    assert texts.headings.pain in text and texts.headings.adherence in text
    assert flat(texts.captions.pain) in text


def test_the_sessions_table_lists_the_last_four_weeks_with_pain_and_zone_words(
    demo_pdf: bytes, demo_doc: dict[str, Any], library: Library
) -> None:
    sessions, checks, phases = models(demo_doc)
    data = report_data(sessions, checks, phases, library, today=TODAY)
    recent = [s for s in sessions if (TODAY - s.date).days < 28]
    assert [row.session_id for row in data.table] == [s.id for s in recent]
    text = " ".join(pdf_text(demo_pdf))
    assert "Sessions in the last 4 weeks" in text
    assert "Before During After Next morning Zone" in text
    first = recent[0]
    assert describe_entry(first.exercises[0], library) in text
    # Zones are words, not colour alone.
    assert "Green" in text
    for session in recent:
        assert f"{session.date.day} {session.date.strftime('%b')}" in text


def _session(library: Library, day: str, **flags: Any) -> dict[str, Any]:
    return {
        "date": day,
        "exercises": [{"exercise_id": library.exercises[0].id, "sets": 1, "reps": [10]}],
        "pain_before": 2,
        "pain_during": 3,
        "pain_after": 2,
        **flags,
    }


def _warning(day: dt.date, flag: str = "giving_way", **changes: Any) -> SelfCheckResult:
    sign = WarningSign(id=flag, urgency="gp_soon", reason=f"Warning sign: {flag}.")
    return SelfCheckResult(
        date=day, urgency="gp_soon", red_flags=[flag], signs=[sign], akps=60, **changes
    )


def test_warning_signs_ever_reported_name_each_day_and_sign_once(
    store: Store, library: Library
) -> None:
    store.add_selfcheck(_warning(dt.date(2025, 5, 1)))
    store.add_selfcheck(_warning(dt.date(2025, 5, 1)))  # a retake the same day
    store.add_selfcheck(
        SelfCheckResult(date=dt.date(2025, 4, 2), urgency="emergency", red_flags=["calf_swelling"])
    )
    store.add_selfcheck(_warning(dt.date(2025, 5, 20), "locking"), practice=True)
    store.delete_selfcheck(store.add_selfcheck(_warning(dt.date(2025, 5, 25), "marked_swelling")))
    store.add_selfcheck(SelfCheckResult(date=dt.date(2025, 6, 1), urgency="none", phase=1))
    store.add_session(_session(library, "2025-06-10", swelling=True))
    text = " ".join(pdf_text(report_from_store(store, library, today=TODAY)))
    flags = load_texts().red_flags
    assert f"2 Apr 2025: {flags['calf_swelling']}." in text
    assert f"1 May 2025: {flags['giving_way']}." in text
    assert f"20 May 2025: {flags['locking']} (practice run)." in text
    assert f"25 May 2025: {flags['marked_swelling']} (self-check deleted later)." in text
    assert "10 Jun 2025: swelling after a session." in text
    assert "Reported: swelling after a session" in text
    assert "self-checks, first" not in text, "days and signs, not a count of retakes"


def test_a_sign_without_a_label_is_named_by_the_first_words_of_its_reason(
    library: Library,
) -> None:
    sign = WarningSign(
        id="new_sign", urgency="gp_soon", reason="Warning sign: a brand new sign. More words."
    )
    check = SelfCheckResult(
        date=dt.date(2025, 6, 1), urgency="gp_soon", red_flags=["new_sign"], signs=[sign]
    )
    data = report_data([], [check], [], library, today=TODAY)
    assert ("Warning signs ever reported", "1 Jun 2025: a brand new sign.") in data.facts


def test_only_the_newest_days_of_warning_signs_are_listed(library: Library) -> None:
    checks = [_warning(TODAY - dt.timedelta(days=3 * n)) for n in range(12)]
    data = report_data([], checks, [], library, today=TODAY)
    fact = dict(data.facts)["Warning signs ever reported"]
    assert fact.startswith("Also on 4 earlier days; the newest:")
    assert fact.count("the knee gives way") == MAX_WARNING_DAYS


def test_a_paused_plan_is_stated_on_the_first_page_with_its_words_and_date(
    store: Store, library: Library
) -> None:
    store.add_selfcheck(_warning(dt.date(2025, 6, 2), "locking"))
    pages = pdf_text(report_from_store(store, library, today=TODAY))
    texts = load_texts()
    assert (
        "Have your knee checked. Your exercise plan is paused until then. Since 2 Jun 2025. "
        "On 2 Jun you reported: locking; if you have not been seen yet, book"
    ) in pages[0]
    whole = " ".join(pages)
    assert "What the app suggests now Have your knee checked." in whole
    assert "Warning sign: locking." in whole
    assert texts.urgency["gp_soon"] in whole


def test_clearances_are_listed_and_a_lifted_pause_is_not_stated(
    store: Store, library: Library
) -> None:
    store.add_selfcheck(_warning(dt.date(2025, 6, 2), "locking"))
    store.add_clearance(dt.date(2025, 6, 4), note="Physio: meniscus fine, carry on.", today=TODAY)
    pdf = report_from_store(store, library, today=TODAY)
    text = " ".join(pdf_text(pdf))
    assert (
        "Examined and cleared 4 Jun 2025: a GP or physiotherapist examined the knee and said "
        "exercise can go on (recorded 15 Jun 2025). Note: Physio: meniscus fine, carry on."
    ) in text
    assert "paused" not in text
    doc = json.loads(store.export_json())
    assert pdf_text(report_from_export(doc, library, today=TODAY)) == pdf_text(pdf)


def test_no_warning_signs_says_none_reported(demo_pdf: bytes) -> None:
    assert "Warning signs ever reported None reported." in pdf_text(demo_pdf)[0]


def test_an_empty_history_gives_a_short_report_that_says_so(library: Library) -> None:
    pdf = build_report([], [], [], library, today=TODAY)
    pages = pdf_text(pdf)
    assert len(pages) == 1
    assert flat(load_texts().empty_history) in pages[0]
    assert "Not a diagnosis." in pages[0]
    assert "Page 1 of 1" in pages[0]
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images


def test_five_years_of_daily_sessions_still_fit_in_three_pages(library: Library) -> None:
    doc = generate_history(1826, sessions_per_week=7, end=TODAY, library=library)
    pdf = report_from_export(doc, library, today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 3
    sessions, checks, phases = models(doc)
    data = report_data(sessions, checks, phases, library, today=TODAY)
    assert len(data.table) == 28
    assert all((TODAY - row.date).days < 28 for row in data.table)


def test_many_sessions_a_day_are_capped_and_the_rest_counted(
    library: Library,
) -> None:
    entry = {"exercise_id": library.exercises[0].id, "sets": 1, "reps": [12]}
    sessions = [
        Session(
            date=TODAY - dt.timedelta(days=day),
            exercises=[entry],  # type: ignore[list-item]
            pain_before=1,
            pain_during=2,
            pain_after=1,
            notes=f"Session {n} of the day, knee felt stiff going down stairs afterwards.",
        )
        for day in range(28)
        for n in range(3)
    ]
    pdf = build_report(sessions, [], [], library, today=TODAY)
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 3
    found = re.search(
        r"(\d+) earlier sessions of these 4 weeks not shown\.", " ".join(pdf_text(pdf))
    )
    assert found is not None
    # At most MAX_TABLE_ROWS rows; fewer when long notes would need a fourth page.
    assert int(found.group(1)) >= len(sessions) - MAX_TABLE_ROWS


def test_text_outside_the_fonts_character_set_is_simplified_not_an_error(
    library: Library,
) -> None:
    session = Session(
        date=TODAY,
        exercises=[{"exercise_id": library.exercises[0].id, "sets": 1, "reps": [10]}],  # type: ignore[list-item]
        pain_before=1,
        pain_during=2,
        pain_after=1,
        notes="Naïve café – Łódź “stairs” 膝 ✓",
    )
    text = " ".join(pdf_text(build_report([session], [], [], library, today=TODAY)))
    assert "Note: Naïve café – Lódz “stairs” ? ?" in text


def test_printable_keeps_windows_1252_and_drops_only_what_it_must() -> None:
    assert printable("3–5 • “ok” £10 °") == "3–5 • “ok” £10 °"
    assert printable("Łódź ő") == "Lódz o"
    assert printable("膝 🦵") == "? ?"


def test_the_same_data_gives_the_same_file(demo_doc: dict[str, Any], library: Library) -> None:
    first = report_from_export(demo_doc, library, today=TODAY)
    again = report_from_export(demo_doc, library, today=TODAY)
    assert first == again


def test_a_broken_texts_file_is_named_with_its_field(tmp_path: Path) -> None:
    broken = tmp_path / "report.yaml"
    broken.write_text("app_name: Kneecare\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"content/report.yaml: field 'title'"):
        load_texts(broken)


def _pdftoppm() -> str | None:
    return shutil.which("pdftoppm") or (
        "/usr/bin/pdftoppm" if Path("/usr/bin/pdftoppm").exists() else None
    )


def render_first_page(pdf: bytes, folder: Path, name: str) -> Image.Image:
    tool = _pdftoppm()
    if tool is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("pdftoppm is missing (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            tool,
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(folder / name),
        ],
        check=True,
        timeout=60,
    )
    return Image.open(folder / f"{name}.png").convert("RGB")


def close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=False))


def test_the_rendered_first_page_has_the_accent_header_notice_box_and_pain_chart(
    demo_pdf: bytes, tmp_path: Path
) -> None:
    page = render_first_page(demo_pdf, tmp_path, "report-page-1")
    width, height = page.size
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    # The accent bar across the top.
    assert all(close(page.getpixel((x, 2)), ACCENT) for x in range(0, width, width // 10))
    # The tinted not-a-diagnosis box in the upper quarter, behind the notice text.
    upper = page.crop((0, 0, width, height // 4))
    tint = sum(1 for p in upper.get_flattened_data() if close(p, ACCENT_TINT, 4))
    assert tint > 0.03 * upper.width * upper.height
    # The pain chart in the lower half: its green, amber and red bands.
    lower = page.crop((0, height // 2, width, height))
    colours = lower.quantize(64).convert("RGB").getcolors(4096) or []
    strong = [c for n, c in colours if n > 200 and max(c) - min(c) > 25]
    assert len(strong) >= 3, colours
    # Not crammed: white space remains at the side margins.
    margin = page.crop((0, height // 10, int(width * 0.05), height - height // 10))
    assert all(close(p, (255, 255, 255), 3) for p in margin.get_flattened_data())


def test_the_knee_and_the_home_tests_come_from_the_self_check_answers(
    library: Library,
) -> None:
    answers = {
        "side": "right",
        "goal": "running",
        "age": 34,
        "weeks_of_symptoms": 6,
        "pain_now": 1,
        "pain_worst_week": 2,
        "semi_squat_pain": 0,
        "step_down_pain": "unable",
        "single_leg_stance_s": 30,
    }
    check = SelfCheckResult(
        date=dt.date(2025, 6, 1), urgency="none", phase=2, akps=80, answers=answers
    )
    text = " ".join(pdf_text(build_report([], [check], [], library, today=TODAY)))
    assert "Right knee; goal: running; age 34." in text
    assert "Symptoms for 6 weeks at the first self-check (1 Jun 2025)." in text
    assert "Pain now 1/10, worst in the past week 2/10" in text
    assert "Semi squat pain 0/10; step-down: could not do it; single-leg stance 30 s" in text
    assert "80/100 on 1 Jun 2025 (the only score so far)." in text


def test_table_rows_carry_the_dose_the_signs_the_note_and_the_zone_word(library: Library) -> None:
    session = Session.model_validate(
        {
            "id": "row",
            "date": TODAY.isoformat(),
            "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [12], "hold_s": 5}],
            "pain_before": 1,
            "pain_during": 7,
            "pain_after": 3,
            "swelling": True,
            "notes": "x" * 200,
        }
    )
    data = report_data([session], [], [], library, today=TODAY)
    (row,) = data.table
    assert (row.session_id, row.during, row.morning, row.zone) == ("row", 7, "-", "red")
    assert row.zone_label.startswith("Red")
    assert row.extra[0].startswith("Reported: swelling")
    assert row.extra[1].endswith("...") and len(row.extra[1]) == len("Note: ") + 140


def test_the_pain_trend_names_the_last_day_when_logging_stopped(library: Library) -> None:
    sessions = [
        Session.model_validate(
            {
                "id": f"s{d}",
                "date": (TODAY - dt.timedelta(days=d)).isoformat(),
                "exercises": [{"exercise_id": "quad_set", "sets": 1, "reps": [10]}],
                "pain_before": 1,
                "pain_during": 2 if d > 40 else 5,
                "pain_after": 1,
            }
        )
        for d in range(60, 19, -2)
    ]
    data = report_data(sessions, [], [], library, today=TODAY)
    assert data.trends.early_late is not None and data.trends.early_late.direction == "worse"
    last = format_date(TODAY - dt.timedelta(days=20))
    assert (
        f"average 5.0/10 in the last 2 weeks (to {last}), 2.0/10"
        in dict(data.facts)["Pain during exercise"]
    )


def test_the_report_libraries_are_loaded_only_when_a_report_is_made() -> None:
    # fpdf2 and vl-convert cost the server about 27 MB; the pages that offer the
    # download (and the charts) must not load them until the button is clicked.
    code = (
        "import sys, pages.downloads, kneecore.charts, kneecore.report; "
        "print(sorted(m for m in ('fpdf', 'vl_convert') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout.strip()
    assert loaded == "[]"
