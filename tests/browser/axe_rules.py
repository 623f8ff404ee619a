"""The one list of axe-core findings that are Streamlit's markup, not the app's.

Each entry: the axe rule id, the CSS selectors of the framework's own elements where
that rule fails (an empty tuple: everywhere, used only when no narrower selector
exists), and why it is the framework's and not ours. ``tests/browser/test_axe.py``
ignores a violation's element only when it lies inside one of those selectors; any
other element failing the same rule still fails the test. Keep this short: an entry
leaves when Streamlit fixes the markup.
"""

from __future__ import annotations

from typing import NamedTuple

#: The axe-core release vendored in tests/browser/vendor/ (MPL-2.0, unmodified).
AXE_VERSION = "4.14.1"


class Framework(NamedTuple):
    selectors: tuple[str, ...]
    why: str


_NAV = ('[data-testid="stSidebarNavItems"]',)
_NAV_WHY = (
    "st.navigation's sidebar puts each section's title (a div) straight inside the ul "
    "of page links, beside the li items; the app only passes the page list"
)

FRAMEWORK: dict[str, Framework] = {
    "list": Framework(_NAV, _NAV_WHY),
    "listitem": Framework(_NAV, _NAV_WHY),
    "presentation-role-conflict": Framework(
        ('[data-testid="stFileUploaderDropzone"]',),
        "st.file_uploader's drop zone is a role=presentation element that also takes "
        "focus; its button inside is named and works by keyboard",
    ),
    "aria-dialog-name": Framework(
        ('[data-testid="stToast"]',),
        "st.toast's box is a role=alertdialog whose aria-labelledby points at an id that "
        "is not in the page, so it has no name; the app only passes the words, and says "
        "them again in the answer it moves focus to (pages/in_browser.focus_on)",
    ),
}
