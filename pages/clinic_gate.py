"""Clinic mode's gate: nothing is shown before an OIDC sign-in (docs/clinic.md).

Not a page of the app: ``app.py`` calls :func:`clinic_account` first when
``KNEE_DATABASE_URL`` is set. While it returns None the router offers only
:func:`sign_in_page` (a "Sign in" button calling ``st.login()``, the provider of the
``[auth]`` section of ``.streamlit/secrets.toml``), so no page reads data or acts on a
widget for that session. After the sign-in, the account comes from our own database
(:meth:`kneecore.clinic.accounts.Accounts.sign_in`): roles live there, never in the
provider's claims. The account is read again on every run, so a role changed on the
server applies at once. Nothing here writes the provider's claims or tokens anywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.clinic_common import CLINIC_ACCOUNT, clinic_accounts
from pages.common import NOT_A_DIAGNOSIS

if TYPE_CHECKING:
    from kneecore.clinic.accounts import Account

__all__ = ["clinic_account", "logged_in", "server_problem_page", "sign_in_page", "sign_out"]

#: session_state: (OIDC subject, account id) of this session's sign-in, kept so that a
#: rerun reads the account by id instead of signing in (a write) again.
_SIGNED = "clinic_signed"


def logged_in() -> bool:
    """Whether the browser session has signed in at the provider (``st.user``)."""
    return st.user.get("is_logged_in") is True


def _subject() -> str:
    """The provider's stable id of the person, or their e-mail where it gives none."""
    return str(st.user.get("sub") or st.user.get("email") or "").strip()


def clinic_account() -> Account | None:
    """The signed-in person's account, or None (not signed in: show only the sign-in).

    Raises ``SQLAlchemyError`` when the clinic's server cannot be used.
    """
    if not logged_in():
        st.session_state.pop(CLINIC_ACCOUNT, None)
        return None
    subject = _subject()
    if not subject:
        return None
    accounts = clinic_accounts()
    signed = st.session_state.get(_SIGNED)
    account = None
    if isinstance(signed, tuple) and signed[0] == subject:
        account = accounts.get(signed[1])
    if account is None:
        email = st.user.get("email")
        name = st.user.get("name")
        account = accounts.sign_in(
            subject,
            str(email) if email else None,
            str(name) if name else None,
            # Providers that do not say are taken at their word, as Streamlit does.
            email_verified=st.user.get("email_verified") is not False,
        )
        st.session_state[_SIGNED] = (subject, account.id)
    st.session_state[CLINIC_ACCOUNT] = account
    return account


def _auth_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` has the ``[auth]`` section ``st.login`` needs."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in_page() -> None:
    """What a session sees before signing in: what this is, and a Sign in button."""
    st.title("Kneecare")
    st.write(
        "A home rehab companion for runner's knee, run by your practice. Sign in to see "
        "your exercise plan and log, or, as a physiotherapist, your patients."
    )
    if logged_in() and not _subject():
        st.error(
            "Your sign-in did not say who you are (no subject or e-mail), so the app "
            "cannot open your account. Tell the practice.",
            icon=":material/error:",
        )
    if _auth_configured():
        st.button(
            "Sign in",
            key="clinic_sign_in",
            type="primary",
            icon=":material/login:",
            on_click=st.login,
        )
    else:
        st.warning(
            "Signing in is not set up yet: the practice needs to add the [auth] section "
            "to the app's .streamlit/secrets.toml (see .streamlit/secrets.example.toml).",
            icon=":material/lock:",
        )
    st.caption(
        "Nothing here can be seen or changed without signing in. Your data is kept on "
        "your practice's server."
    )
    st.caption(f":material/info: {NOT_A_DIAGNOSIS}")


def server_problem_page(error: SQLAlchemyError) -> None:
    """The clinic's server could not be used: say so plainly (no address, no password)."""
    st.title("Kneecare")
    st.error(
        "The practice's server cannot be reached just now, so nothing can be shown. "
        f"Try again in a moment; if it keeps happening, tell the practice "
        f"({type(error).__name__}).",
        icon=":material/cloud_off:",
    )
    st.caption(f":material/info: {NOT_A_DIAGNOSIS}")


def sign_out() -> None:
    """The sidebar's Sign out button (``st.logout``)."""
    st.button("Sign out", key="clinic_sign_out", icon=":material/logout:", on_click=st.logout)
