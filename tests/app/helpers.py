"""What the AppTest tests share: open the real router and switch to a page, as a user
would, check that no exception was shown, read the text of shown elements, and seed
sessions. The fixtures are in ``conftest.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from kneecore.access import TOKEN_PARAM, token
from kneecore.store import Store
from pages.registry import NAMES

__all__ = [
    "APP",
    "PAGES",
    "add_session",
    "assert_no_exception",
    "joined",
    "open_page",
    "open_rows",
    "session_doc",
]

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = list(NAMES)


def open_page(name: str, timeout: float = 30) -> AppTest:
    """Run the app, switch to ``pages/<name>.py`` and return the rendered AppTest."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    # Through the gate, as the link ``make run`` prints does.
    at.query_params[TOKEN_PARAM] = token()
    at.run()
    if name != "home":
        at.switch_page(f"pages/{name}.py")
        at.run()
    return at


def assert_no_exception(at: AppTest) -> None:
    """Fail with the exceptions' messages when the page showed any."""
    assert not at.exception, [e.value for e in at.exception]


def joined(elements: Any) -> str:
    """The values of shown elements (``at.info``, ``at.success`` ...) as one string."""
    return " ".join(str(e.value) for e in elements)


def session_doc(days_ago: int, during: int = 2, **extra: Any) -> dict[str, Any]:
    """A session of bridges ``days_ago`` days back, pain 1 before and after."""
    return {
        "date": dt.date.today() - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": "bridge", "sets": 3, "reps": [12, 12, 12]}],
        "pain_before": 1,
        "pain_during": during,
        "pain_after": 1,
        **extra,
    }


def add_session(store: Store, days_ago: int, during: int = 2, **extra: Any) -> str:
    """Save :func:`session_doc` in ``store``; returns the new session's id."""
    return store.add_session(session_doc(days_ago, during, **extra))


def open_rows(at: AppTest, prefix: str, *rows: int | str) -> AppTest:
    """Open "Sets, reps and more" of these rows of the log form ``prefix``, as a tap does.

    The dose fields are drawn once their fold is opened (``pages/log_form.py``).
    """
    for row in rows:
        at.session_state[f"{prefix}_{row}_more"] = True
    return at.run()
