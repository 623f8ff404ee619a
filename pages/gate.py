"""The access gate: a browser session sees the app only with the app's token.

Not a page of the app: ``app.py`` calls :func:`signed_in` before anything else, and
when it says no, the router offers only :func:`locked_page`, so no page reads data or
acts on a widget for that session (a click sent over the socket reruns the router,
which stops at the gate).

The token comes with the link (``?token=...``, ``kneecore.access``). Once accepted, the
session stays in across pages, and the browser keeps it in a cookie for this app only,
so a reload or a bookmark without the token still opens the app, as Jupyter's does.
"""

from __future__ import annotations

import json

import streamlit as st

from kneecore.access import TOKEN_PARAM, accepts, token

__all__ = ["COOKIE", "locked_page", "signed_in"]

#: UI state: this browser session brought the right token.
SIGNED_IN = "access_signed_in"
#: The cookie that keeps the token in this browser (strict same-site, this app only).
COOKIE = "kneecare_token"
#: A year: the token itself only changes when its file is deleted.
_COOKIE_SECONDS = 365 * 24 * 3600


def signed_in() -> bool:
    """Whether this browser session may use the app; checks the token it brings."""
    if st.session_state.get(SIGNED_IN):
        return True
    from_link = st.query_params.get(TOKEN_PARAM)
    if accepts(from_link) or accepts(st.context.cookies.get(COOKIE)):
        st.session_state[SIGNED_IN] = True
        if from_link:
            _keep_in_browser()
        return True
    return False


def _keep_in_browser() -> None:
    """Store the token in a cookie so a reload without it in the link still works."""
    cookie = f"{COOKIE}={token()}; path=/; max-age={_COOKIE_SECONDS}; SameSite=Strict"
    st.html(
        f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True
    )


def locked_page() -> None:
    """What a session without the token sees: how to open the app, and nothing else."""
    st.title("Kneecare")
    st.warning(
        "This app opens only with its link, which includes a key. Nothing here can be "
        "seen or changed without it.",
        icon=":material/lock:",
    )
    st.markdown(
        "- On the computer that runs the app, use the link `make run` printed "
        "(it ends in `?token=` and a long key).\n"
        "- Lost it? Run `make link` in the app's folder to print it again.\n"
        "- On a phone, scan the code on the **My data** page of the computer's app."
    )
