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
