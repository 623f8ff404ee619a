"""Clinic mode in a real browser (issue 16): signing in at an OIDC provider, as a patient
and as a physiotherapist, and what each then sees.

The app runs as ``make run-clinic`` runs it (``tests/browser/clinic_server.py``): a real
PostgreSQL database, a real OIDC provider process (``oidc-provider-mock``) on the loopback
address, Streamlit's own OIDC login with a secrets file. Nothing is mocked; the browser
reaches only this machine.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select, text

from kneecore.clinic.accounts import Accounts
from kneecore.clinic.db import accounts, engine_for
from kneecore.clinic.pgcluster import LocalCluster
from kneecore.clinic.pgstore import PgStore
from kneecore.demo import generate_history
from pages.registry import CLINIC_PATIENT_PAGES, CLINIC_PHYSIO_PAGES, PageEntry
from tests.browser.clinic_server import (
    SIGN_IN_BUTTON,
    SIGN_OUT_BUTTON,
    ClinicApp,
    clinic_app,
    new_clinic_page,
    on_provider,
    sign_in,
    sign_out,
)
from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    choose_pain,
    screenshot,
    settle,
    wait_for_app,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def clinic(
    pg_server: LocalCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ClinicApp]:
    with clinic_app(tmp_path_factory.mktemp("clinic"), pg_server, "clinic_login") as app:
        yield app


#: The app writes an invisible word joiner after the @ of an address it shows (so a
#: phone breaks a long one there, pages.style.plain); a person does not see it.
WORD_JOINER = "\u2060"


def main_text(page: Any) -> str:
    """The main area's text as a person reads it."""
    return str(page.locator('[data-testid="stMain"]').inner_text()).replace(WORD_JOINER, "")


def wait_for_text(page: Any, words: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while words not in main_text(page):
        if time.monotonic() > deadline:
            raise AssertionError(f"{words!r} not on the page:\n{main_text(page)}")
        page.wait_for_timeout(200)


def heading(page: Any) -> str:
    h1 = page.locator('[data-testid="stMain"] h1').first
    return str(h1.inner_text()).replace(WORD_JOINER, "")


def assert_no_app_error(page: Any, app: ClinicApp) -> None:
    """No exception box on the page; if there is one, the server's traceback says why
    (the page shows none: client.showErrorDetails is off)."""
    if page.locator('[data-testid="stException"]').count():
        log = app.log_text()
        raise AssertionError(f"the app failed: {log[log.find('Traceback') :][-6000:]}")


def assert_no_secrets_in_log(app: ClinicApp) -> None:
    """Neither the app's log nor the provider's has a secret in it."""
    logs = {"the app's log": app.log_text(), "the provider's log": app.provider_log_text()}
    for where, log in logs.items():
        # A log that says nothing would pass the check below and prove nothing.
        assert "oauth2" in log or "Uvicorn" in log, f"{where} is nearly empty:\n{log}"
        for name, value in app.secrets().items():
            assert len(value) >= 16
            assert value not in log, f"the {name} is in {where}"


def at_sign_in_page(page: Any, clinic: ClinicApp) -> None:
    """The page a browser without a sign-in gets: a Sign in button, nothing else."""
    page.get_by_role("button", name=SIGN_IN_BUTTON).wait_for()
    settle(page)
    assert_no_app_error(page, clinic)
    # No page of the app is offered, and nobody's data is shown.
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.get_by_role("button", name=SIGN_OUT_BUTTON).count() == 0
    assert heading(page) == "Kneecare"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_sign_in_round_trip(browser: Any, clinic: ClinicApp, viewport: dict[str, int]) -> None:
    """Sign in at the provider and back: the app's sign-in page, the provider's form, the
    callback, signed in; and signed out again through the provider's end of session."""
    width = viewport["width"]
    page = new_clinic_page(browser, viewport)
    page.goto(clinic.url)
    at_sign_in_page(page, clinic)
    screenshot(page, f"clinic-sign-in-{width}")
    # Any address of the app, a bookmarked page too, gives the same sign-in page.
    for address in ("log", "progress", "clinic_patients", "clinic_audit"):
        page.goto(f"{clinic.url}/{address}")
        at_sign_in_page(page, clinic)

    email = f"round.trip.{width}@example.org"
    sign_in(page, clinic, email, shot=f"clinic-provider-{width}")
    assert not on_provider(page, clinic)
    page.get_by_role("button", name=SIGN_OUT_BUTTON).wait_for()
    settle(page)
    assert_no_app_error(page, clinic)
    assert page.get_by_role("button", name=SIGN_IN_BUTTON).count() == 0
    # Signed in as the person the provider vouched for (the sidebar says so).
    sidebar = page.locator('[data-testid="stSidebar"]').text_content() or ""
    assert f"Signed in as {email} (patient)" in sidebar.replace(WORD_JOINER, "")
    # A reload keeps the sign-in (Streamlit's signed cookie)...
    page.reload()
    page.get_by_role("button", name=SIGN_OUT_BUTTON).wait_for(state="attached")

    sign_out(page, clinic)
    at_sign_in_page(page, clinic)
    # ... and after signing out, a reload does not bring it back.
    page.reload()
    at_sign_in_page(page, clinic)
    page.context.close()
    assert_no_secrets_in_log(clinic)


def test_secrets_file_is_the_owners_only(clinic: ClinicApp) -> None:
    secrets_file = clinic.log.parent / "secrets.toml"
    assert secrets_file.stat().st_mode & 0o077 == 0
    assert clinic.auth.client_secret in secrets_file.read_text()


# -- a patient and their physiotherapist ---------------------------------------------------


def account_id(clinic: ClinicApp, subject: str) -> int:
    engine = engine_for(clinic.database_url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                select(accounts.c.id).where(accounts.c.subject == subject)
            ).scalar_one()
    finally:
        engine.dispose()
    return int(found)


def rows(clinic: ClinicApp, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = engine_for(clinic.database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def open_page(page: Any, clinic: ClinicApp, address: str, title: str) -> None:
    """Open a page of the app by its address, as from a bookmark, signed in."""
    page.goto(f"{clinic.url}/{address}")
    wait_for_app(page)
    assert heading(page) == title
    assert_no_app_error(page, clinic)


def wait_for_charts(page: Any) -> None:
    """Vega draws after the script run ends: wait until every chart has drawn."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.querySelector('canvas, svg.marks'))"""
    )


def log_a_session(page: Any, clinic: ClinicApp) -> None:
    """Log page: today's plan as offered, three pains, Save."""
    page.locator(".st-key-log0_date").wait_for()
    for name, value in (("before", 1), ("during", 2), ("after", 1)):
        choose_pain(page, f"log0_{name}", value)
    page.get_by_role("button", name="Save session").click()
    page.locator(".st-key-log1_date").wait_for()
    settle(page)
    assert_no_app_error(page, clinic)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_patient_and_physiotherapist(
    browser: Any, clinic: ClinicApp, viewport: dict[str, int]
) -> None:
    """A patient signs in and logs; their physiotherapist (made on the server) sees no
    one until the patient enters the physio's invitation code, then opens their progress,
    which is written to the audit trail."""
    width = viewport["width"]
    patient, physio = f"pat.{width}@example.org", f"phil.{width}@example.org"
    # The practice makes the physiotherapist on the server before their first sign-in,
    # as `python -m kneecore.clinic add-physio EMAIL` does.
    engine = engine_for(clinic.database_url)
    try:
        Accounts(engine).make_physio(physio)
    finally:
        engine.dispose()
    page = new_clinic_page(browser, viewport)
    page.goto(clinic.url)
    at_sign_in_page(page, clinic)

    # The patient lands on Today, and logs a session.
    sign_in(page, clinic, patient)
    wait_for_app(page)
    assert heading(page) == "Today"
    assert_no_app_error(page, clinic)
    screenshot(page, f"clinic-patient-today-{width}")
    open_page(page, clinic, "log", "Log a session")
    log_a_session(page, clinic)
    screenshot(page, f"clinic-patient-logged-{width}")
    patient_id = account_id(clinic, patient)
    logged = rows(
        clinic,
        "SELECT count(*) FROM items WHERE account_id = :id AND kind = 'sessions'",
        id=patient_id,
    )
    assert logged == [(1,)]
    sign_out(page, clinic)
    at_sign_in_page(page, clinic)

    # The physiotherapist lands on Patients: nobody yet. They make an invitation code.
    sign_in(page, clinic, physio)
    wait_for_app(page)
    assert heading(page) == "Patients"
    assert patient not in main_text(page)
    page.get_by_text("No patients yet", exact=False).wait_for()
    page.get_by_text("Invite a patient").click()
    page.get_by_role("button", name="Make an invitation code").click()
    code_box = page.locator('[data-testid="stMain"] [data-testid="stCode"]')
    code_box.wait_for()
    settle(page)
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{8,9}", code), code
    screenshot(page, f"clinic-physio-invite-{width}")
    sign_out(page, clinic)

    # The patient enters the code on Your physiotherapist.
    sign_in(page, clinic, patient)
    wait_for_app(page)
    open_page(page, clinic, "clinic_physio", "Your physiotherapist")
    page.get_by_label("Invitation code").fill(code)
    page.get_by_role("button", name=re.compile(r"(^|\s)Share my log$")).click()
    page.get_by_text("can now read your log", exact=False).wait_for()
    settle(page)
    assert physio in main_text(page)
    screenshot(page, f"clinic-patient-shared-{width}")
    sign_out(page, clinic)

    # Now the physiotherapist's list has the patient; Open shows their progress.
    sign_in(page, clinic, physio)
    wait_for_app(page)
    main = page.locator('[data-testid="stMain"]')
    wait_for_text(page, patient)
    assert "No patients yet" not in main_text(page)
    screenshot(page, f"clinic-physio-patients-{width}")
    main.get_by_role("button", name=re.compile(r"(^|\s)Open$")).click()
    page.wait_for_url(f"{clinic.url}/clinic_patient**")
    wait_for_app(page)
    assert heading(page) == patient
    main.get_by_text("Read-only", exact=False).first.wait_for()
    assert_no_app_error(page, clinic)
    wait_for_charts(page)
    screenshot(page, f"clinic-physio-progress-{width}")
    physio_id = account_id(clinic, physio)
    viewed = rows(
        clinic,
        "SELECT what FROM audit WHERE viewer_id = :physio AND patient_id = :patient",
        physio=physio_id,
        patient=patient_id,
    )
    assert ("progress",) in viewed
    sign_out(page, clinic)
    at_sign_in_page(page, clinic)
    page.context.close()
    assert_no_secrets_in_log(clinic)


def test_every_page_of_each_role(browser: Any, clinic: ClinicApp) -> None:
    """Every page a patient has (with twelve weeks of history) and every page a
    physiotherapist has (following that patient) opens without an error."""
    patient, physio = "walk.patient@example.org", "walk.physio@example.org"
    engine = engine_for(clinic.database_url)
    try:
        clinic_accounts = Accounts(engine)
        clinic_accounts.make_physio(physio)
        page = new_clinic_page(browser, DESKTOP)
        page.goto(clinic.url)
        sign_in(page, clinic, patient)
        wait_for_app(page)
        patient_id = account_id(clinic, patient)
        PgStore(engine, patient_id).import_json(json.dumps(generate_history(84)))
        problems = walk(page, clinic, CLINIC_PATIENT_PAGES)
        sign_out(page, clinic)

        sign_in(page, clinic, physio)
        wait_for_app(page)
        physio_id = account_id(clinic, physio)
        clinic_accounts.accept(patient_id, clinic_accounts.new_invitation(physio_id))
        page.reload()
        wait_for_text(page, patient)
        page.locator('[data-testid="stMain"]').get_by_role(
            "button", name=re.compile(r"(^|\s)Open$")
        ).click()
        page.wait_for_url(f"{clinic.url}/clinic_patient**")
        problems += walk(page, clinic, CLINIC_PHYSIO_PAGES)
        sign_out(page, clinic)
        page.context.close()
    finally:
        engine.dispose()
    assert not problems, "\n\n".join(problems)


def walk(page: Any, clinic: ClinicApp, entries: tuple[PageEntry, ...]) -> list[str]:
    """Open each page from the sidebar, as a person does (so the session keeps what it
    holds, such as the patient a physio opened); what went wrong on each, with the
    server's traceback."""
    problems = []
    nav = page.locator('[data-testid="stSidebarNav"]')
    for entry in entries:
        nav.get_by_role("link", name=entry.title, exact=True).click()
        # The first page of a role is its default, at the app's root address.
        page.wait_for_url(f"{clinic.url}/{'' if entry is entries[0] else entry.address}")
        settle(page)
        try:
            assert_no_app_error(page, clinic)
            main_text(page).strip() or pytest.fail("an empty page")
        except (AssertionError, pytest.fail.Exception) as failed:
            problems.append(f"/{entry.address} ({entry.title}): {failed}"[:2500])
    return problems
