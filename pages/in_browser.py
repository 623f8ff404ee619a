"""The small scripts the app runs in the browser, where Streamlit has no option.

The date picker's first day of the week, from the person's settings: Streamlit's
date field draws its calendar for the browser's language (US English starts weeks on
Sunday, British English on Monday) with no option to choose. The calendar does honour
a Unicode locale extension (``en-GB-u-fw-sun``: "first weekday Sunday"), and it reads
the language on each redraw of the app, so a small script adds that extension to the
language the browser reports. Dates, numbers and the page's language stay as they were.

Not a page: ``app.py`` calls :func:`apply_week_start` before the page runs, so the
script is in place before any date field is drawn.

Focus after a click: Streamlit redraws the page and leaves focus on the body, so
:func:`focus_on` moves it to the new step's heading or to the answer (Next, Save,
Start phase, "Save it again?"), as a screen reader or keyboard user needs, and scrolls
it into view only as far as needed: after a save on a phone the answer is on the screen
the person is looking at, not below the fold.

A table's sideways scroll: ``st.table`` scrolls a table wider than a phone inside a box
that a keyboard cannot reach; :func:`name_table_scroll` makes that box a named region
that takes focus, so arrow keys scroll it (axe: scrollable-region-focusable).
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
    "name_table_scroll",
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


#: session_state key: how many times focus was asked for (see :func:`focus_on`).
_FOCUS_COUNT = "focus_count"

_FOCUS = """<script>
(function () {
  // Move keyboard and screen-reader focus to what a click just brought: the new step's
  // heading or the answer's box. Streamlit paints a moment after this script runs, and
  // an element left from the last run may still be there: wait for a fresh one.
  var tries = 0;
  var wanted = %s;
  function find() {
    if (wanted.key) {
      // A box that starts with a heading (a step's title): the heading itself, which a
      // screen reader announces as one and lists with the page's other headings.
      var box = document.querySelector(".st-key-" + wanted.key);
      var first = box ? box.querySelector("h1, h2, h3, p, [role='progressbar']") : null;
      return first && /^H[1-3]$/.test(first.tagName) ? first : box;
    }
    var main = document.querySelector('[data-testid="stMain"]');
    var heads = main ? main.querySelectorAll("h1, h2, h3") : [];
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].textContent.trim().indexOf(wanted.text) === 0) return heads[i];
    }
    return null;
  }
  function firstWords(box) {
    // The box's first paragraph or heading, as read aloud (icons are aria-hidden).
    var blocks = box.querySelectorAll("p, h1, h2, h3, li");
    for (var i = 0; i < blocks.length; i++) {
      if (blocks[i].closest("[aria-hidden='true']")) continue;
      var words = (blocks[i].innerText || "").trim().replace(/\\s+/g, " ");
      if (words) return words.slice(0, 150);
    }
    return "";
  }
  function focus() {
    var found = find();
    if (!found) {
      if (tries++ < 40) setTimeout(focus, 50);
      return;
    }
    if (!found.hasAttribute("tabindex")) found.setAttribute("tabindex", "-1");
    if (!/^H[1-6]$/.test(found.tagName)) {
      // A box of answers is a group a screen reader names by its first words, so
      // landing on it says what the box says first, not nothing.
      found.setAttribute("role", "group");
      var name = firstWords(found);
      if (name) found.setAttribute("aria-label", name);
    }
    // Marked for the page style's focus ring (pages/style.PAGE_CSS).
    found.setAttribute("data-kc-focus", "");
    // Clear of the toolbar that Streamlit fixes over the top of the page.
    var bar = document.querySelector('header[data-testid="stHeader"]');
    var below = bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
    found.style.scrollMarginTop = (below + 12) + "px";
    found.focus({preventScroll: true});
    found.scrollIntoView({block: "nearest"});
  }
  focus();
})();
// request %s
</script>"""


def focus_on(*, key: str | None = None, heading: str | None = None) -> None:
    """Move focus to the container ``key`` or to the heading starting with ``heading``.

    A container whose first words are a heading gives focus to that heading.

    Without this, focus falls to the page body after every rerun a button starts, and a
    screen reader or keyboard user must find their place again from the top. A box is
    named by its first words (a group), kept clear of Streamlit's toolbar and given a
    focus ring (``pages.style.PAGE_CSS``).
    """
    wanted = {"key": key} if key else {"text": heading or ""}
    # A new number every time: the same script drawn where it was in the last run is
    # not run again by the browser, and two Nexts in a row ask for the same focus.
    count = int(st.session_state.get(_FOCUS_COUNT, 0)) + 1
    st.session_state[_FOCUS_COUNT] = count
    st.html(_FOCUS % (json.dumps(wanted), count), unsafe_allow_javascript=True)


_FOCUS_LATER = "focus_later"


def focus_later(key: str) -> None:
    """Ask the next script run (after ``st.rerun``) to focus the container ``key``."""
    st.session_state[_FOCUS_LATER] = key


def focus_now() -> None:
    """Focus what :func:`focus_later` asked for, once; a page calls this at its end."""
    if key := st.session_state.pop(_FOCUS_LATER, None):
        focus_on(key=str(key))


_TABLE_SCROLL = """<script>
(function () {
  var tries = 0;
  var wanted = %s;
  function name() {
    var table = document.querySelector(".st-key-" + wanted.key + ' [data-testid="stTable"] table');
    var box = table ? table.parentElement : null;
    if (!box) {
      if (tries++ < 40) setTimeout(name, 50);
      return;
    }
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", wanted.label);
    box.setAttribute("tabindex", "0");
  }
  name();
})();
</script>"""


def name_table_scroll(key: str, label: str) -> None:
    """Make the scroll box of the ``st.table`` inside ``key`` a region named ``label``
    that takes keyboard focus, so a table wider than the screen can be scrolled without
    a mouse (Streamlit gives its box no tab stop and no name)."""
    st.html(_TABLE_SCROLL % json.dumps({"key": key, "label": label}), unsafe_allow_javascript=True)
