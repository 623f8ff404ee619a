"""How a zone, an urgency and a piece of advice look: the one place for icons and boxes.

Not a page. The core decides (a zone, an urgency, a recommendation kind); this module
says how each is shown, so every page shows the same thing the same way. The meaning
is always in the words and the icon; colour only helps (a zone or urgency is never
told by colour alone). Material icons ship with Streamlit, so they render even where
no emoji font is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from kneecore.models import Urgency, Zone
from kneecore.pain import load_pain_scale
from kneecore.progression import Kind, Recommendation
from kneecore.tracker import SO_FAR
from pages.in_browser import name_table_scroll

Box = Literal["error", "warning", "success", "info"]

#: zone: (icon, colour). The words come from content/pain_scale.yaml. Plain-text places
#: such as tables use PainScale.zone_label's emoji instead (material icons only render
#: in markdown).
ZONE_STYLE: dict[Zone, tuple[str, str]] = {
    "green": (":material/check_circle:", "green"),
    "amber": (":material/warning:", "orange"),
    "red": (":material/dangerous:", "red"),
}

#: urgency: (box, icon). An emergency is an error box, a GP visit a warning box.
URGENCY_STYLE: dict[Urgency, tuple[Box, str]] = {
    "emergency": ("error", ":material/emergency:"),
    "gp_soon": ("warning", ":material/stethoscope:"),
    "check_if_no_better": ("info", ":material/info:"),
    "none": ("success", ":material/check_circle:"),
}

#: recommendation kind: (box, icon).
ADVICE_STYLE: dict[Kind, tuple[Box, str]] = {
    "see_gp": ("error", ":material/emergency:"),
    "step_back": ("warning", ":material/trending_down:"),
    "review": ("warning", ":material/medical_services:"),
    "progress_phase": ("success", ":material/trending_up:"),
    "progress_dose": ("success", ":material/add_circle:"),
    "hold": ("info", ":material/pause_circle:"),
}


def box(kind: Box) -> Callable[..., Any]:
    """The Streamlit call for a box kind (``st.error``, ``st.warning`` ...)."""
    calls: dict[Box, Callable[..., Any]] = {
        "error": st.error,
        "warning": st.warning,
        "success": st.success,
        "info": st.info,
    }
    return calls[kind]


def zone_badge(zone: Zone, *, so_far: bool = False) -> str:
    """Markdown for a zone: icon and word, with colour as an extra cue only.

    ``so_far``: a green session whose next-morning pain is not in yet (the morning can
    still change it), shown as "... so far" (``tracker.green_so_far``).
    """
    icon, colour = ZONE_STYLE[zone]
    words = load_pain_scale().zone_words(zone) + (f" {SO_FAR}" if so_far else "")
    return f"{icon} :{colour}[**{words}**]"


def urgency_box(urgency: Urgency, body: str) -> None:
    """Show ``body`` in the box and with the icon of ``urgency``."""
    kind, icon = URGENCY_STYLE[urgency]
    box(kind)(body, icon=icon)


def advice_body(rec: Recommendation) -> str:
    """The advice as markdown: title, the reason naming the sessions, what to do."""
    return f"**{rec.title}**\n\n{rec.reason}\n\n{rec.advice}".strip()


def advice_box(rec: Recommendation) -> None:
    """Show a recommendation in its box, with its icon: the same on every page."""
    kind, icon = ADVICE_STYLE[rec.kind]
    box(kind)(advice_body(rec), icon=icon)


#: Characters Markdown and Streamlit's directives give a meaning (links, emphasis,
#: icons, maths, HTML). Escaped in text that came from a person or a file, so it is
#: shown exactly as written: never a link, a heading or formatting. Escaping ":" stops
#: "http:" links and ":icon:" directives; "www." is the other bare link.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~:$&]|(?<=www)\.)", re.IGNORECASE)
#: Longer supplied text is cut: an error box that echoes 100 kB helps nobody.
PLAIN_LIMIT = 200


def plain(text: object, limit: int = PLAIN_LIMIT) -> str:
    """Supplied text (a file name, an id, a value) made safe to show in any box."""
    words = str(text)
    if len(words) > limit:
        words = words[:limit] + "…"
    # Markdown links a bare e-mail address ("win@evil.example"), escaped or not: an
    # invisible word joiner after each "@" breaks the address for it.
    return _MARKDOWN.sub(r"\\\1", words).replace("@", "@\u2060")


#: Readability fixes Streamlit has no option for. Captions are drawn at 60 % of the text
#: colour, 3.9:1 on the grey panels, under WCAG AA's 4.5:1: they keep their small size
#: and a softer tone but reach about 8:1 in both themes. Section headings are real h2
#: (the page title is the h1, and screen readers jump by level), sized as Streamlit's
#: subheader so the page looks as before. A slider's value and a chosen segment are
#: drawn in the accent colour, 3.4:1 in dark mode: they take the text colour instead
#: (a chosen segment keeps its tinted background and turns bold). Dialogs (the edit
#: forms) are drawn outside ``.stApp``, so these rules name them too. Where
#: ``pages.in_browser.focus_on`` puts focus after a click (a step, an answer) shows a
#: ring in the text colour, so a keyboard user sees where they are; so does a wide
#: table's scroll box (``pages.in_browser.name_table_scroll``) when tabbed to.
PAGE_CSS = """<style>
:is(.stApp, [data-testid="stDialog"]) [data-testid="stCaptionContainer"] {
  color: inherit; opacity: 0.82;
}
.stApp [data-testid="stMain"] [data-testid="stHeadingWithActionElements"] h2 {
  font-size: 1.5rem; padding-top: 0.75rem;
}
:is(.stApp, [data-testid="stDialog"]) .kc-safety { font-size: 0.875rem; }
:is(.stApp, [data-testid="stDialog"]) [data-testid="stSliderThumbValue"],
:is(.stApp, [data-testid="stDialog"]) [data-testid="stButtonGroup"]
  button[data-selected="true"],
:is(.stApp, [data-testid="stDialog"]) [data-testid="stButtonGroup"]
  button[data-selected="true"] p { color: inherit !important; }
:is(.stApp, [data-testid="stDialog"]) [data-testid="stButtonGroup"]
  button[data-selected="true"] p { font-weight: 600; }
:is(.stApp, [data-testid="stDialog"]) [class*="_done"] [data-testid="stCheckbox"] p,
:is(.stApp, [data-testid="stDialog"]) [data-testid="stCheckbox"][class*="_done"] p {
  font-weight: 600;
}
.stApp [data-kc-focus]:focus {
  outline: 2px solid currentColor; outline-offset: 4px; border-radius: 0.5rem;
}
.stApp [data-testid="stTable"] [role="region"]:focus-visible {
  outline: 2px solid currentColor; outline-offset: 2px;
}
</style>"""


def page_style() -> None:
    """Apply :data:`PAGE_CSS` to the page being drawn (once per script run)."""
    st.html(PAGE_CSS)


def section(title: str) -> None:
    """A section heading: an h2 under the page's h1 title, never a level skipped."""
    st.header(title, anchor=False)


def safety_note(text: str) -> None:
    """Safety text at full text colour (never a faded caption), with a warning icon.

    ``text`` is the app's own Markdown (content files, not supplied by a person).
    """
    st.markdown(
        f":material/health_and_safety: <span class='kc-safety'>{text}</span>",
        unsafe_allow_html=True,
    )


def table_as_list(frame: Any, *, key: str, label: str) -> None:
    """The rows of a grid again as a real HTML table, folded away under ``label``.

    ``st.dataframe`` draws on a canvas that screen readers cannot read; ``st.table``
    is plain HTML with a header row, and each row is headed by its first column (the
    date). Drawn only while open, so the fold costs nothing on other reruns. Wider
    than a phone, it scrolls sideways in a box a keyboard can reach
    (:func:`pages.in_browser.name_table_scroll`).
    """
    fold = st.expander(label, icon=":material/table_rows:", key=key, on_change="rerun")
    if not fold.open:
        return
    rows = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    if len(rows.columns):
        rows = rows.set_index(rows.columns[0])
    with fold:
        st.table(rows)
        name_table_scroll(key, label)
