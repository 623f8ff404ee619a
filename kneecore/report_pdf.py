"""The printable progress report: the PDF layout of :mod:`kneecore.report`'s facts.

One to three A4 pages: who made it and when, the not-a-diagnosis notice, the plan
pause when there is one (stated on the first page, in the words the app showed), the
facts, the app's current advice, the dashboard's pain and adherence charts (the same
Altair specs, rendered to PNG by vl-convert, no browser or network), the table of the
last four weeks of sessions, the running section when there are runs (weekly load
against pain, the walk-run level, the newest runs), and how to read it all. What it
says is worked out by :func:`kneecore.report.report_data`; this module only draws it.
Under each chart is the sentence the Progress page shows under it, from
:mod:`kneecore.chart_summaries` given the frame the chart is drawn from: one text for
the page's screen-reader user and the report's reader.

The PDF uses the PDF core font Helvetica with the Windows-1252 character set, so no font
file has to exist on the machine and the report looks the same everywhere. Text outside
that set (rare: our texts are English, the person's notes may not be) is simplified
(accents dropped) or shown as ``?``, never an error.

Pure: models in, bytes out; no store, no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import vl_convert
from fpdf import FPDF, FontFace

from kneecore import (
    analytics,
    chart_summaries,
    charts,
    charts_running,
    running_trends,
    safety,
)
from kneecore.content import Library
from kneecore.models import (
    Clearance,
    PhaseStart,
    Run,
    SelfCheckResult,
    Session,
    Settings,
    Zone,
)
from kneecore.progression import Recommendation
from kneecore.report import (
    ReportData,
    ReportTexts,
    RunningSection,
    load_texts,
    pause_text,
    report_data,
)
from kneecore.words import format_date, plural, short_date

# -- look -------------------------------------------------------------------------------
ACCENT = (27, 94, 122)  # one calm accent colour: a deep teal-blue
ACCENT_TINT = (232, 241, 245)
#: The plan pause box: a warm red bar and tint (the words carry the meaning).
PAUSE = (176, 42, 42)
PAUSE_TINT = (251, 234, 232)
INK = (33, 37, 41)
MUTED = (95, 102, 110)
RULE = (200, 206, 212)
#: Cell tints for zones: the WORD carries the meaning, the tint only helps.
ZONE_TINT: dict[Zone, tuple[int, int, int]] = {
    "green": (223, 240, 226),
    "amber": (253, 236, 204),
    "red": (248, 215, 215),
}
FONT = "Helvetica"
MARGIN = 15.0
PAGE_W = 210.0
PAGE_H = 297.0
BODY_W = PAGE_W - 2 * MARGIN
FOOTER_SPACE = 16.0
MAX_IMAGE_H = 100.0
#: An image may shrink to this share of its size to stay on the current page.
MIN_IMAGE_SHARE = 0.75
#: Height of a section heading with its rule and spacing.
HEADING_H = 9.5
#: Chart images are rendered this many pixels wide at scale 1 (then x2 for print).
CHART_PX = 720
#: The pain chart's plot height on paper (the dashboard's is taller).
PAIN_PRINT_PX = 190
MAX_PAGES = 3
#: The running section's charts and table may take one page more.
RUNNING_PAGES = 1
#: The running charts' plot heights on paper.
RUNNING_LOAD_PX = 170
RUNNING_LEVEL_PX = 110
#: A chart's summary sentence, and the muted caption on how to read the chart (pt).
SUMMARY_SIZE = 9.5
CAPTION_SIZE = 8.5
#: Space between a chart's summary and its caption (mm).
CAPTION_GAP = 0.8
#: The table keeps at least a week of sessions, however long their notes.
MIN_TABLE_ROWS = 7
CORE_ENCODING = "windows-1252"
#: The usable height of a page, from the top margin to the footer.
USABLE_H = PAGE_H - FOOTER_SPACE - MARGIN
#: A last page filled less than this (a share of USABLE_H) is laid out again more
#: tightly, to spare the reader a near-empty page.
LAST_PAGE_MIN = 0.40
#: The document's language, for screen readers and text-to-speech (the PDF's /Lang).
LANGUAGE = "en-GB"
#: multi_cell leaves the cursor at the right of the text by default; blocks stack instead.
NEXT_LINE: dict[str, Any] = {"new_x": "LMARGIN", "new_y": "NEXT"}


#: Letters NFKD cannot take apart (they are letters of their own, not accented ones).
_BASE_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h"}
)


def printable(text: str) -> str:
    """``text`` limited to what the core font can show: Windows-1252, else simplified."""
    try:
        text.encode(CORE_ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(CORE_ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        # Letters with accents the code page lacks keep their base letter (e.g. "ő" -> "o").
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char.translate(_BASE_LETTERS))
            if not unicodedata.combining(c)
        )
        try:
            base.encode(CORE_ENCODING)
            out.append(base or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# -- charts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A chart as PNG and the sentence the Progress page shows under the same chart."""

    png: bytes
    #: From :mod:`kneecore.chart_summaries`, given the frame the chart is drawn from.
    summary: str


def chart_images(sessions: Sequence[Session], today: dt.date) -> tuple[Figure, Figure] | None:
    """The dashboard's pain and adherence charts with their summaries, or None without
    sessions. The pain chart covers every session up to ``today``; the calendar, the 12
    weeks up to ``today``."""
    if not sessions:
        return None
    frame = analytics.sessions_frame(list(sessions))
    pain = charts.pain_data(frame, end=today)
    calendar = charts.calendar_data(frame, end=today)
    return (
        Figure(
            render_png(pain.chart(), height=PAIN_PRINT_PX),
            chart_summaries.pain_summary(frame, None, today),
        ),
        # The calendar's own grid, as on the page (its days after today left out).
        Figure(render_png(calendar.chart()), chart_summaries.calendar_summary(calendar.frames[0])),
    )


#: The running section's charts: the weekly load chart, and the level chart (None when
#: every run was a free run).
RunningImages = tuple[Figure, Figure | None]


def running_images(runs: Sequence[Run], today: dt.date | None = None) -> RunningImages | None:
    """The Progress page's two running charts with their summaries, or None without runs.

    All the runs, from the first to ``today`` (or the latest run, if later), drawn as the
    page draws runs alone: a bar a week, or a month when that span is over six months
    (so years of runs are not hundreds of thin weekly bars), and the summary the page
    says under the same chart (a latest week or month still going on ``today``, and a
    first one begun partway through, left out of its comparison).
    """
    if not runs:
        return None
    first = min(r.date for r in runs)
    end = max([r.date for r in runs] + ([today] if today is not None else []))
    load = charts_running.load_data(runs, first, end, running_trends.spike_run_ids(runs))
    period = str(load.shape[2])
    load_figure = Figure(
        render_png(load.chart(), height=RUNNING_LOAD_PX),
        chart_summaries.running_load_summary(load.frames[0], period, end, first),
    )
    points = running_trends.level_points(runs)
    if points.empty:
        return load_figure, None
    level = charts_running.level_data(points, first, end)
    level_figure = Figure(
        render_png(level.chart(), height=RUNNING_LEVEL_PX),
        chart_summaries.level_summary(level.frames[0]),
    )
    return load_figure, level_figure


def render_png(chart: Any, height: int | None = None) -> bytes:
    """Render an Altair chart to PNG locally (vl-convert: no browser, no network).

    ``height`` changes only the plot's height, so it fits on the first page.
    """
    spec = charts.export_spec(chart, width=CHART_PX)
    if height is not None and isinstance(spec.get("height"), int | float):
        spec["height"] = height
    # No base URL is allowed: the data are inline, nothing may be fetched.
    png: bytes = vl_convert.vegalite_to_png(spec, scale=2, allowed_base_urls=[])
    return png


# -- the PDF ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """How roomy the layout is: roomy by default, tighter to spare a near-empty page."""

    #: Charts at this share of their natural height.
    image_share: float = 1.0
    #: Space above and below the text of a table cell (mm).
    row_pad: float = 1.0
    #: Space after a block (mm).
    gap: float = 4.0
    #: Blocks (names as in :data:`BLOCKS`) that start on a new page.
    new_page_before: frozenset[str] = frozenset()


ROOMY = Look()
TIGHT = Look(image_share=0.75, row_pad=0.45, gap=2.5)
#: The blocks after the first page's summary that may start a page of their own, in
#: the order they are drawn.
BLOCKS = ("adherence", "sessions", "running", "running_level", "running_table", "reading")


class _ReportPDF(FPDF):
    """A4 with a footer "Page n of N"; all text goes through :func:`printable`."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.core_fonts_encoding = CORE_ENCODING
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=FOOTER_SPACE)
        self.set_text_color(*INK)
        self.set_lang(LANGUAGE)
        #: How far down each finished page the content reached (mm from the top).
        self.page_ends: dict[int, float] = {}

    def add_page(self, *args: Any, **kwargs: Any) -> None:
        # Every page break, automatic or asked for, passes here with the cursor under
        # the page's last line: that is how full the page was. Keyed by page, last
        # write wins: a table tries a row out (and may break) before drawing it.
        if self.page:
            self.page_ends[self.page] = self.get_y()
        super().add_page(*args, **kwargs)

    def page_fills(self) -> list[float]:
        """How full each page is, as a share of its usable height (0 to 1)."""
        ends = {**self.page_ends, self.page: self.get_y()}
        return [
            round(min(1.0, max(0.0, (ends.get(n, PAGE_H) - MARGIN) / USABLE_H)), 3)
            for n in range(1, self.page + 1)
        ]

    def normalize_text(self, text: str) -> str:
        result: str = super().normalize_text(printable(text))
        return result

    def footer(self) -> None:
        self.set_y(-11)
        self.set_draw_color(*RULE)
        self.line(MARGIN, self.get_y() - 2, PAGE_W - MARGIN, self.get_y() - 2)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(BODY_W * 0.75, 5, self.footer_text)
        # Right-aligned by hand: "{nb}" is replaced after layout, so align="R" would
        # measure the placeholder, not the number.
        page = f"Page {self.page_no()} of {self.page_no()}"
        self.set_x(PAGE_W - MARGIN - self.c_margin - self.get_string_width(page))
        self.cell(h=5, text=f"Page {self.page_no()} of {{nb}}")
        self.set_text_color(*INK)


class _Writer:
    """Lays out the report's blocks on the page, top to bottom."""

    def __init__(self, pdf: _ReportPDF, texts: ReportTexts, look: Look = ROOMY) -> None:
        self.pdf = pdf
        self.texts = texts
        self.look = look

    def start(self, block: str) -> None:
        """Begin ``block`` on a new page when the look says so (to balance the pages)."""
        if block in self.look.new_page_before and self.pdf.get_y() > MARGIN + 1:
            self.pdf.add_page()

    def space_left(self) -> float:
        return float(PAGE_H - FOOTER_SPACE - self.pdf.get_y())

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.space_left() < height:
            self.pdf.add_page()

    def header(self, data: ReportData) -> None:
        pdf, t = self.pdf, self.texts
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, PAGE_W, 4, style="F")
        pdf.set_y(MARGIN - 3)
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(*ACCENT)
        pdf.cell(BODY_W / 2, 5, t.app_name.upper())
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        pdf.cell(BODY_W / 2, 5, f"Report date: {format_date(data.today)}", align="R")
        pdf.ln(6)
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B", 19)
        pdf.cell(BODY_W * 0.62, 9, t.title)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*MUTED)
        period = (
            f"Entries: {format_date(data.first_day)} to {format_date(data.today)}"
            if data.first_day
            else "Entries: none yet"
        )
        pdf.cell(BODY_W * 0.38, 9, period, align="R")
        pdf.ln(9)
        pdf.set_font(FONT, "", 9.5)
        pdf.cell(BODY_W, 5, t.subtitle)
        pdf.ln(7)
        pdf.set_text_color(*INK)
        if data.patient:
            pdf.set_font(FONT, "B", 10)
            pdf.multi_cell(BODY_W, 5, data.patient, **NEXT_LINE)
            pdf.ln(2)

    def notice(self) -> None:
        pdf, t = self.pdf, self.texts
        pdf.set_font(FONT, "", 9.5)
        x, y = pdf.get_x(), pdf.get_y()
        lines = self.line_count(BODY_W - 9, 4.6, f"**{t.notice_title}** {t.notice}", True)
        height = lines * 4.6 + 5
        pdf.set_fill_color(*ACCENT_TINT)
        pdf.rect(x, y, BODY_W, height, style="F")
        pdf.set_fill_color(*ACCENT)
        pdf.rect(x, y, 1.6, height, style="F")
        pdf.set_xy(x + 6, y + 2.5)
        pdf.multi_cell(
            BODY_W - 9, 4.6, f"**{t.notice_title}** {t.notice}", markdown=True, **NEXT_LINE
        )
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x, y + height + 5)

    def pause(self, status: safety.PlanStatus) -> None:
        """The plan pause in a box under the notice: first page, impossible to miss."""
        pdf = self.pdf
        text = pause_text(status)
        pdf.set_font(FONT, "", 9.5)
        x, y = pdf.get_x(), pdf.get_y()
        height = self.line_count(BODY_W - 9, 4.6, text, True) * 4.6 + 5
        pdf.set_fill_color(*PAUSE_TINT)
        pdf.rect(x, y, BODY_W, height, style="F")
        pdf.set_fill_color(*PAUSE)
        pdf.rect(x, y, 1.6, height, style="F")
        pdf.set_xy(x + 6, y + 2.5)
        pdf.multi_cell(BODY_W - 9, 4.6, text, markdown=True, **NEXT_LINE)
        pdf.set_fill_color(255, 255, 255)
        pdf.set_xy(x, y + height + 5)

    def heading(self, text: str, need: float = 30) -> None:
        pdf = self.pdf
        self.keep(need)
        pdf.set_font(FONT, "B", 12.5)
        pdf.set_text_color(*ACCENT)
        pdf.cell(BODY_W, 7, text)
        pdf.ln(7)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.4)
        pdf.line(MARGIN, pdf.get_y(), MARGIN + 18, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.ln(2.5)
        pdf.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9.5, muted: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        if muted:
            pdf.set_text_color(*MUTED)
        pdf.multi_cell(BODY_W, size * 0.48, text, **NEXT_LINE)
        pdf.set_text_color(*INK)

    def facts(self, facts: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", 9.5)
        pdf.set_draw_color(*RULE)
        with pdf.table(
            col_widths=(0.27, 0.73),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
            v_align="TOP",
            line_height=4.6,
            padding=(1.6, 1, 1.6, 0),
        ) as table:
            for label, value in facts:
                row = table.row()
                row.cell(label, style=FontFace(emphasis="BOLD", color=MUTED))
                row.cell(value)
        pdf.ln(self.look.gap)

    def recommendation(self, rec: Recommendation | None, has_history: bool) -> None:
        pdf, t = self.pdf, self.texts
        self.heading(t.headings.recommendation, need=28)
        if rec is None:
            self.paragraph(
                "No advice yet: the app gives advice once a phase is chosen with the self-check."
                if has_history
                else "No advice yet."
            )
            pdf.ln(3)
            return
        pdf.set_font(FONT, "B", 10.5)
        pdf.multi_cell(BODY_W, 5.2, rec.title, **NEXT_LINE)
        self.paragraph(rec.reason.replace("**", ""))
        if rec.advice:
            pdf.ln(1)
            # The app's advice marks exercise names bold in Markdown; paper shows plain text.
            self.paragraph(rec.advice.replace("**", ""))
        if rec.trend_warning:
            pdf.set_font(FONT, "B", 9.5)
            pdf.multi_cell(BODY_W, 4.6, f"Trend: {rec.trend_warning}", **NEXT_LINE)
        pdf.ln(self.look.gap)

    def line_count(self, width: float, height: float, text: str, markdown: bool = False) -> int:
        """How many lines ``text`` takes in the current font (measured, not drawn)."""
        lines = self.pdf.multi_cell(
            width, height, text, markdown=markdown, dry_run=True, output="LINES"
        )
        return len(cast(list[str], lines))

    def text_height(self, text: str, size: float) -> float:
        """The height of :meth:`paragraph` ``text`` at ``size`` (measured, not drawn)."""
        self.pdf.set_font(FONT, "", size)
        return self.line_count(BODY_W, size * 0.48, text) * size * 0.48

    def figure(
        self, heading: str, figure: Figure, caption: str = "", block: str = "", lead: str = ""
    ) -> None:
        """A heading, a chart, its summary and caption, kept together on one page.

        The summary (the Progress page's sentence for the chart) is printed in the body
        text's ink, right under the chart, as the page shows it; ``lead`` (a finding the
        page shows above the chart) follows it, and ``caption`` (how to read the chart)
        comes last, muted.
        """
        pdf = self.pdf
        self.start(block)
        png = figure.png
        px_w, px_h = struct.unpack(">II", png[16:24])  # a PNG's IHDR: width, height
        width = BODY_W
        height = width * px_h / px_w
        if height > MAX_IMAGE_H:
            height, width = MAX_IMAGE_H, MAX_IMAGE_H * px_w / px_h
        height, width = height * self.look.image_share, width * self.look.image_share
        said = " ".join(x for x in (figure.summary, lead) if x)
        extra = 1 + self.text_height(said, SUMMARY_SIZE) + HEADING_H + 4
        if caption:
            extra += CAPTION_GAP + self.text_height(caption, CAPTION_SIZE)
        if self.space_left() < height + extra:
            # Shrink a little rather than leave half a page empty; else start a new page.
            fits = self.space_left() - extra
            if fits >= MIN_IMAGE_SHARE * height:
                width, height = width * fits / height, fits
            else:
                pdf.add_page()
        self.heading(heading, need=0)
        x = MARGIN + (BODY_W - width) / 2
        pdf.image(io.BytesIO(png), x=x, w=width, h=height, alt_text=heading)
        pdf.ln(1)
        self.paragraph(said, size=SUMMARY_SIZE)
        if caption:
            pdf.ln(CAPTION_GAP)
            self.paragraph(caption, size=CAPTION_SIZE, muted=True)
        pdf.ln(self.look.gap)

    def sessions_table(self, data: ReportData) -> None:
        pdf, t = self.pdf, self.texts
        self.start("sessions")
        self.heading(t.headings.sessions, need=40)
        if not data.table:
            self.paragraph("No sessions in the last 4 weeks.")
            pdf.ln(3)
            return
        self.paragraph(t.captions.sessions, size=8.5, muted=True)
        pdf.ln(1.5)
        pdf.set_font(FONT, "", 8)
        pdf.set_draw_color(*RULE)
        heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
        with pdf.table(
            col_widths=(15, 81, 12, 12, 11, 16, 33),
            headings_style=heading_style,
            borders_layout="HORIZONTAL_LINES",
            text_align=("LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "CENTER", "LEFT"),
            v_align="TOP",
            line_height=3.6,
            padding=(self.look.row_pad, 1.2, self.look.row_pad, 1.2),
            repeat_headings=1,
        ) as table:
            table.row(
                ["Date", "Exercises and dose", "Before", "During", "After", "Next morning", "Zone"]
            )
            previous, anchor = "", data.today
            for line in data.table:
                # Daily plans repeat: name the first session with the same plan instead of
                # printing it again (a date still reads right after a page break).
                if line.exercises == previous:
                    # Two sessions of one day: "Same as on 30 Nov" on a 30 Nov row reads oddly.
                    shown = (
                        "Same as the row above"
                        if anchor == line.date
                        else f"Same as on {short_date(anchor)}"
                    )
                else:
                    shown, previous, anchor = line.exercises, line.exercises, line.date
                row = table.row()
                row.cell(short_date(line.date))
                row.cell("\n".join([shown, *line.extra]))
                row.cell(str(line.before))
                row.cell(str(line.during))
                row.cell(str(line.after))
                row.cell(line.morning)
                row.cell(
                    line.zone_label,
                    style=FontFace(emphasis="BOLD", fill_color=ZONE_TINT[line.zone]),
                )
        if data.table_omitted:
            pdf.ln(1)
            self.paragraph(
                f"{plural(data.table_omitted, 'earlier session')} of these 4 weeks not shown.",
                size=8.5,
                muted=True,
            )
        pdf.ln(self.look.gap)

    def running(self, section: RunningSection, images: RunningImages | None) -> None:
        """The running section: the reading, both charts and the newest runs."""
        pdf, t = self.pdf, self.texts
        if images is not None:
            load, level = images
            self.figure(
                t.headings.running, load, t.captions.running_load, "running", section.reading
            )
            if level is not None:
                self.figure("Walk-run level", level, t.captions.running_level, "running_level")
        else:
            self.start("running")
            self.heading(t.headings.running)
            self.paragraph(section.reading)
        self.start("running_table")
        self.keep(30)
        self.paragraph(t.captions.running_table, size=8.5, muted=True)
        pdf.ln(1.5)
        pdf.set_font(FONT, "", 8)
        pdf.set_draw_color(*RULE)
        heading_style = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
        with pdf.table(
            col_widths=(20, 22, 40, 24, 24),
            headings_style=heading_style,
            borders_layout="HORIZONTAL_LINES",
            text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
            line_height=3.6,
            padding=(self.look.row_pad, 1.2, self.look.row_pad, 1.2),
            repeat_headings=1,
        ) as table:
            table.row(["Date", "Level", "Minutes", "Distance", "Zone"])
            for line in section.rows:
                row = table.row()
                row.cell(short_date(line.date))
                row.cell(line.level)
                row.cell(line.minutes)
                row.cell(line.distance)
                row.cell(
                    line.zone_label,
                    style=FontFace(emphasis="BOLD", fill_color=ZONE_TINT[line.zone]),
                )
        if section.omitted:
            pdf.ln(1)
            self.paragraph(
                f"{plural(section.omitted, 'earlier run')} not shown.", size=8.5, muted=True
            )
        pdf.ln(self.look.gap)

    def reading(self) -> None:
        t = self.texts
        self.pdf.set_font(FONT, "", 8.5)
        # Kept on one page: a lone bullet on a last page helps nobody.
        height = sum(self.line_count(BODY_W, 8.5 * 0.48, f"- {x}") * 4.1 + 1 for x in t.reading)
        self.start("reading")
        self.heading(t.headings.reading, need=height + 14)
        for text in t.reading:
            self.paragraph(f"\u2022 {text}", size=8.5)
            self.pdf.ln(1)


def build_report(
    sessions: Sequence[Session],
    selfchecks: Sequence[SelfCheckResult],
    phases: Sequence[PhaseStart],
    library: Library,
    *,
    today: dt.date | None = None,
    texts: ReportTexts | None = None,
    clearances: Sequence[Clearance] = (),
    warning_records: Sequence[SelfCheckResult] = (),
    runs: Sequence[Run] = (),
    patient_name: str = "",
    date_of_birth: dt.date | None = None,
) -> bytes:
    """The progress report as PDF bytes (one to three A4 pages, one more with runs).

    Pass the store's ``clearances`` and ``warning_records`` too (as the download button
    does): without them a lifted pause would show as paused. ``runs`` add the running
    section; ``patient_name`` and ``date_of_birth`` (Settings) head the first page.
    """
    texts = texts or load_texts()
    today = today or dt.date.today()
    data = report_data(
        sessions,
        selfchecks,
        phases,
        library,
        today=today,
        texts=texts,
        clearances=clearances,
        warning_records=warning_records,
        runs=runs,
        patient_name=patient_name,
        date_of_birth=date_of_birth,
    )
    images = chart_images(sorted(sessions, key=lambda s: s.date), today)
    running = running_images(sorted(runs, key=lambda r: r.date), today)
    max_pages = MAX_PAGES + (RUNNING_PAGES if running is not None else 0)
    while True:
        pdf = _arrange(data, images, texts, running)
        if pdf.pages_count <= max_pages or len(data.table) <= MIN_TABLE_ROWS:
            return bytes(pdf.output())
        # Long notes or many sessions a day: drop the oldest rows until it fits, more at
        # once when it is pages over (each layout pass takes a noticeable moment).
        over = pdf.pages_count - max_pages
        keep = max(MIN_TABLE_ROWS, len(data.table) - (4 if over == 1 else 8 * over))
        dropped = len(data.table) - keep
        data = replace(data, table=data.table[-keep:], table_omitted=data.table_omitted + dropped)


def _balanced(fills: Sequence[float]) -> bool:
    """No page, the last included, filled less than LAST_PAGE_MIN (one page may be short)."""
    return len(fills) == 1 or min(fills) >= LAST_PAGE_MIN


def _arrange(
    data: ReportData,
    images: tuple[Figure, Figure] | None,
    texts: ReportTexts,
    running: RunningImages | None,
) -> _ReportPDF:
    """The report laid out without a near-empty page where that can be done.

    Roomy first; else tighter (smaller charts, slimmer table rows), taken when it saves
    a page; else one block moved to the last page so that page has more than a few
    lines and the page before it stays well filled.
    """
    roomy = _layout(data, images, texts, running)
    if _balanced(roomy.page_fills()):
        return roomy
    tight = _layout(data, images, texts, running, TIGHT)
    if tight.pages_count < roomy.pages_count or _balanced(tight.page_fills()):
        return tight
    for look in (ROOMY, TIGHT):
        for block in reversed(BLOCKS):
            moved = replace(look, new_page_before=frozenset({block}))
            trial = _layout(data, images, texts, running, moved)
            if trial.pages_count == roomy.pages_count and _balanced(trial.page_fills()):
                return trial
    return roomy


def _layout(
    data: ReportData,
    images: tuple[Figure, Figure] | None,
    texts: ReportTexts,
    running: RunningImages | None = None,
    look: Look = ROOMY,
) -> _ReportPDF:
    pdf = _ReportPDF(
        f"{texts.app_name} progress report, {format_date(data.today)}. Not a diagnosis."
    )
    pdf.set_title(texts.title)
    pdf.set_author(texts.app_name)
    pdf.set_creator(texts.app_name)
    # A fixed creation date makes the same data give the same file.
    pdf.set_creation_date(dt.datetime.combine(data.today, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    writer = _Writer(pdf, texts, look)
    writer.header(data)
    writer.notice()
    if data.pause is not None:
        writer.pause(data.pause)
    if not data.has_history:
        writer.paragraph(texts.empty_history, size=10.5)
        pdf.ln(4)
    writer.heading(texts.headings.summary)
    writer.facts(data.facts)
    writer.recommendation(data.recommendation, data.has_history)
    if images is not None:
        pain, adherence = images
        writer.figure(texts.headings.pain, pain, texts.captions.pain)
        # No caption: the summary ("You trained on 50 of the last 78 days.") and the
        # chart's legend say what the squares are.
        writer.figure(texts.headings.adherence, adherence, block="adherence")
        writer.sessions_table(data)
    if data.running is not None:
        writer.running(data.running, running)
    if data.has_history:
        writer.reading()
    return pdf


def report_from_export(
    document: Mapping[str, Any], library: Library, *, today: dt.date | None = None
) -> bytes:
    """The progress report for an export document (e.g. :func:`kneecore.demo.generate_history`)."""
    settings = Settings.model_validate(document.get("settings") or {})
    return build_report(
        [Session.model_validate(s) for s in document.get("sessions", [])],
        [SelfCheckResult.model_validate(c) for c in document.get("selfchecks", [])],
        [PhaseStart.model_validate(p) for p in document.get("phases", [])],
        library,
        today=today,
        clearances=[Clearance.model_validate(c) for c in document.get("clearances", [])],
        warning_records=[
            SelfCheckResult.model_validate(c) for c in document.get("warning_records", [])
        ],
        runs=[Run.model_validate(r) for r in document.get("runs", [])],
        patient_name=settings.patient_name,
        date_of_birth=settings.date_of_birth,
    )


__all__ = [
    "ACCENT",
    "ACCENT_TINT",
    "Figure",
    "build_report",
    "chart_images",
    "printable",
    "render_png",
    "report_from_export",
    "running_images",
]
