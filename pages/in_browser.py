"""The two small scripts the app runs in the browser, where Streamlit has no option.

The date picker's first day of the week, from the person's settings: Streamlit's
date field draws its calendar for the browser's language (US English starts weeks on
Sunday, British English on Monday) with no option to choose. The calendar does honour
a Unicode locale extension (``en-GB-u-fw-sun``: "first weekday Sunday"), and it reads
the language on each redraw of the app, so a small script adds that extension to the
language the browser reports. Dates, numbers and the page's language stay as they were.

Scrolling an answer into view: after a save on a phone, the answer must be on the
screen the person is looking at, not below the fold; Streamlit keeps the scroll
position of the page, so the answer's box is scrolled into view once, gently, only as
far as needed.

Not a page: ``app.py`` calls :func:`apply_week_start` before the page runs, so the
script is in place before any date field is drawn; ``pages/log.py`` calls
:func:`scroll_into_view`.

Focus after a click: Streamlit redraws the page and leaves focus on the body, so
:func:`focus_on` moves it to the new step's heading or to the answer (Next, Save,
Start phase), as a screen reader or keyboard user needs.
"""

from __future__ import annotations

import json

import streamlit as st

__all__ = [
    "WEEKDAYS",
    "apply_week_start",
    "focus_later",
    "focus_now",
    "focus_on",
    "scroll_into_view",
]

#: Weekday names, 0 = Monday (as ``datetime.date.weekday`` counts).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The Unicode "fw" (first weekday) values, in the same order.
_FW = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_SCRIPT = """<script>
(function () {
  // Keep the browser's own language; only its first weekday changes.
  var base = (navigator.language || "en-US").split("-u-")[0];
  var wanted = base + "-u-fw-%s";
  if (navigator.language !== wanted) {
    Object.defineProperty(navigator, "language", {
      get: function () { return wanted; },
      configurable: true,
    });
  }
})();
</script>"""


def apply_week_start(first_day: int) -> None:
    """Make date pickers start their weeks on ``first_day`` (0 = Monday ... 6 = Sunday)."""
    st.html(_SCRIPT % _FW[first_day % 7], unsafe_allow_javascript=True)


_SCROLL = """<script>
(function () {
  // The element may be painted a moment after this script runs: look for a while.
  var tries = 0;
  function scroll() {
    var found = document.querySelector(".st-key-%s");
    if (found) {
      found.scrollIntoView({block: "nearest", behavior: "smooth"});
    } else if (tries++ < 40) {
      setTimeout(scroll, 50);
    }
  }
  scroll();
})();
</script>"""


def scroll_into_view(key: str) -> None:
    """Scroll the element with widget or container ``key`` into view, once per call."""
    st.html(_SCROLL % key, unsafe_allow_javascript=True)


_FOCUS = """<script>
(function () {
  // Move keyboard and screen-reader focus to what a click just brought: the new step's
  // heading or the answer's box. Streamlit paints a moment after this script runs, and
  // an element left from the last run may still be there: wait for a fresh one.
  var tries = 0;
  var wanted = %s;
  function find() {
    if (wanted.key) return document.querySelector(".st-key-" + wanted.key);
    var main = document.querySelector('[data-testid="stMain"]');
    var heads = main ? main.querySelectorAll("h1, h2, h3") : [];
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].textContent.trim().indexOf(wanted.text) === 0) return heads[i];
    }
    return null;
  }
  function focus() {
    var found = find();
    if (found) {
      if (!found.hasAttribute("tabindex")) found.setAttribute("tabindex", "-1");
      found.style.outline = found.style.outline || "none";
      found.focus({preventScroll: true});
      found.scrollIntoView({block: "nearest"});
    } else if (tries++ < 40) {
      setTimeout(focus, 50);
    }
  }
  focus();
})();
</script>"""


def focus_on(*, key: str | None = None, heading: str | None = None) -> None:
    """Move focus to the container ``key`` or to the heading starting with ``heading``.

    Without this, focus falls to the page body after every rerun a button starts, and a
    screen reader or keyboard user must find their place again from the top.
    """
    wanted = {"key": key} if key else {"text": heading or ""}
    st.html(_FOCUS % json.dumps(wanted), unsafe_allow_javascript=True)


_FOCUS_LATER = "focus_later"


def focus_later(key: str) -> None:
    """Ask the next script run (after ``st.rerun``) to focus the container ``key``."""
    st.session_state[_FOCUS_LATER] = key


def focus_now() -> None:
    """Focus what :func:`focus_later` asked for, once; a page calls this at its end."""
    if key := st.session_state.pop(_FOCUS_LATER, None):
        focus_on(key=str(key))
