"""The access gate: without the app's token a session sees how to open it, and nothing else.

Issue 13: another local user's script received the Log page with a session's note over
the app's localhost socket, and deleted everything by "typing" DELETE and "clicking".
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from kneecore.access import TOKEN_PARAM, token
from kneecore.store import Store
from tests.app.helpers import APP, add_session, assert_no_exception, joined, open_page


def _without_token(token_given: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if token_given is not None:
        at.query_params[TOKEN_PARAM] = token_given
    return at.run()


def _everything(at: AppTest) -> str:
    return " ".join(str(getattr(e, "value", "")) for e in (*at.main, *at.sidebar))


def test_without_the_token_the_app_says_how_to_open_it_and_shows_no_data(store: Store) -> None:
    add_session(store, 1, notes="private note about my knee")
    at = _without_token()
    assert_no_exception(at)
    assert "opens only with its link" in joined(at.warning)
    assert "make link" in joined(at.markdown)
    shown = _everything(at)
    assert "private note" not in shown
    assert not at.button and not at.text_input, "nothing to click or type"
    assert not at.sidebar.children, "no navigation to the pages"


def test_a_wrong_or_partial_token_is_refused_like_none(store: Store) -> None:
    right = token()
    for wrong in ("guess", right[:-1], right + "0", " " + right):
        at = _without_token(wrong)
        assert "opens only with its link" in joined(at.warning), wrong


def test_with_the_token_every_page_opens_and_stays_open_across_pages(store: Store) -> None:
    at = open_page("home")
    at.query_params.clear()  # the token came with the first address only
    at.switch_page("pages/log.py").run()
    assert_no_exception(at)
    assert at.title[0].value == "Log a session"
