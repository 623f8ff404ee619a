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
    "CLINIC_AUTH",
    "PAGES",
    "add_session",
    "assert_no_exception",
    "clinic_user",
    "joined",
    "open_clinic",
    "open_page",
    "open_rows",
    "session_doc",
    "shown_text",
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


# -- clinic mode (KNEE_DATABASE_URL set: tests set it with monkeypatch) ---------------------

#: An ``[auth]`` section as a practice's secrets would have it (no real provider: the
#: tests sign in by setting ``AppTest.user``, and never press Sign in).
CLINIC_AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-not-a-real-one",
    "client_id": "kneecare-test",
    "client_secret": "test-client-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def clinic_user(subject: str, email: str, name: str) -> dict[str, Any]:
    """``st.user`` of someone signed in at the provider."""
    return {"is_logged_in": True, "sub": subject, "email": email, "name": name}


def open_clinic(
    user: dict[str, Any] | None = None,
    page: str | None = None,
    *,
    auth: bool = True,
    state: dict[str, Any] | None = None,
    timeout: float = 30,
) -> AppTest:
    """Run the app in clinic mode as ``user`` (None: not signed in), then switch to
    ``pages/<page>.py``; ``state`` seeds session_state first."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.user = user if user is not None else {"is_logged_in": False}
    if auth:
        at.secrets["auth"] = dict(CLINIC_AUTH)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py")
        at.run()
    return at


def shown_text(at: AppTest) -> str:
    """Everything shown, main area and sidebar: values, labels, bodies, table cells."""
    parts: list[str] = []
    for node in (*at.main, *at.sidebar):
        for attr in ("value", "label", "body", "placeholder", "help"):
            try:
                found = getattr(node, attr, None)
            except Exception:  # an element without that field raises
                found = None
            if found is not None:
                parts.append(str(found))
    return " ".join(parts)
