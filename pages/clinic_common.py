"""Clinic mode's shared pieces (docs/clinic.md): the accounts, who is signed in, and
the store a session may use. Not a page; imported only in clinic mode (it brings
SQLAlchemy), by ``pages.common.get_store`` and the clinic's pages.
"""

from __future__ import annotations

import os

import streamlit as st

from kneecore.clinic.accounts import Account, Accounts
from kneecore.clinic.db import engine_for, migrate
from kneecore.clinic.pgstore import PgStore
from pages.common import DATABASE_ENV, get_library

__all__ = [
    "CLINIC_ACCOUNT",
    "CLINIC_VIEWING",
    "clinic_accounts",
    "clinic_store",
    "signed_in_account",
]

#: session_state: the signed-in clinic account (an ``Account``), set by the gate each run.
CLINIC_ACCOUNT = "clinic_account"
#: session_state: the id of the patient a physiotherapist opened.
CLINIC_VIEWING = "clinic_viewing"


@st.cache_resource(show_spinner=False)
def _clinic_accounts(url: str) -> Accounts:
    # One engine (and pool) per server process, the database migrated once at start.
    engine = engine_for(url)
    migrate(engine)
    return Accounts(engine, exercise_ids=get_library().exercise_ids)


def clinic_accounts() -> Accounts:
    """The clinic's accounts on ``KNEE_DATABASE_URL`` (engine and migration: once)."""
    return _clinic_accounts(os.environ[DATABASE_ENV].strip())


def signed_in_account() -> Account:
    """The account the gate let in, while this session is still signed in as it.

    PermissionError otherwise. The router stops a signed-out session before any page;
    this checks again wherever data is reached (every store goes through here), so a
    page that ran without the router (or after a sign-out) still shows nothing.
    """
    account = st.session_state.get(CLINIC_ACCOUNT)
    subject = str(st.user.get("sub") or st.user.get("email") or "").strip()
    if (
        not isinstance(account, Account)
        or st.user.get("is_logged_in") is not True
        or not subject
        or account.subject != subject
    ):
        raise PermissionError("Sign in first.")
    return account


def clinic_store() -> PgStore:
    """The signed-in patient's store, or the read-only store of the patient a
    physiotherapist opened; PermissionError otherwise (decided by ``store_for``)."""
    account = signed_in_account()
    if account.is_physio:
        patient = st.session_state.get(CLINIC_VIEWING)
        if not isinstance(patient, int):
            raise PermissionError("Open a patient on the Patients page first.")
        return clinic_accounts().store_for(account, patient)
    return clinic_accounts().store_for(account, account.id)
