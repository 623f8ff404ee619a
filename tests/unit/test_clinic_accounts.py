"""Accounts, roles, invitations, notes and the audit trail on a real PostgreSQL server
(kneecore.clinic.accounts). Every security statement of issue 16 is a test here:

- a patient cannot get a store of another patient (nor a physio's);
- a physiotherapist gets nothing of a patient who has not accepted their invitation,
  and only a read-only store of one who has;
- a read-only store refuses every write and changes nothing;
- every view and note is written to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from kneecore.clinic.accounts import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Account,
    Accounts,
    InvitationError,
    normalise_code,
    show_code,
)
from kneecore.clinic.db import accounts as accounts_table
from kneecore.clinic.db import audit, care_links, patient_status
from kneecore.clinic.pgstore import PgStore, ReadOnlyStore
from kneecore.content import Library
from kneecore.storefile import StoreError

TODAY = dt.date.today()


@pytest.fixture
def clinic(pg_engine: Engine, library: Library) -> Accounts:
    return Accounts(pg_engine, exercise_ids=library.exercise_ids)


@pytest.fixture
def physio(clinic: Accounts) -> Account:
    clinic.make_physio("physio@example.org")
    return clinic.sign_in("physio-sub", "physio@example.org", "Pat Physio")


def patient(clinic: Accounts, name: str) -> Account:
    return clinic.sign_in(f"sub-{name}", f"{name}@example.org", name.title())


def session(library: Library, days_ago: int = 0, **changes: Any) -> dict[str, Any]:
    return {
        "date": TODAY - dt.timedelta(days=days_ago),
        "exercises": [{"exercise_id": library.exercises[0].id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 2,
        **changes,
    }


def linked(clinic: Accounts, physio: Account, who: Account) -> None:
    clinic.accept(who.id, clinic.new_invitation(physio.id))


# -- signing in --------------------------------------------------------------------------


def test_a_first_sign_in_makes_a_patient_and_the_next_finds_the_same_account(clinic):
    first = clinic.sign_in("sub-1", "ann@example.org", "Ann")
    assert first.role == "patient" and first.display == "Ann"
    again = clinic.sign_in("sub-1", "ann@new.example.org", "Ann B")
    assert again.id == first.id and again.email == "ann@new.example.org"
    assert again.name == "Ann B"


def test_signing_in_never_changes_the_role(clinic, physio):
    assert physio.is_physio
    assert clinic.sign_in("physio-sub", "physio@example.org", "Pat").is_physio


def test_a_physio_made_in_advance_is_taken_over_by_their_first_sign_in(clinic):
    [made] = clinic.make_physio("Lee@Example.org")
    signed = clinic.sign_in("oidc-lee", "lee@example.org", "Lee")
    assert signed.id == made.id and signed.is_physio and signed.subject == "oidc-lee"
    # An unverified e-mail does not take over anything: a new patient.
    clinic.make_physio("kim@example.org")
    other = clinic.sign_in("oidc-kim", "kim@example.org", "Kim", email_verified=False)
    assert other.role == "patient"


def test_make_physio_promotes_an_existing_account_and_refuses_a_non_address(clinic):
    ann = patient(clinic, "ann")
    [promoted] = clinic.make_physio("ANN@example.org")
    assert promoted.id == ann.id and promoted.is_physio
    with pytest.raises(ValueError, match="not an e-mail"):
        clinic.make_physio("not an address")


def test_an_empty_subject_is_refused(clinic):
    with pytest.raises(ValueError):
        clinic.sign_in("  ", "x@example.org")


# -- invitations -------------------------------------------------------------------------


def test_an_invitation_code_is_short_typable_and_new_each_time(clinic, physio):
    codes = {clinic.new_invitation(physio.id) for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01ILO")
        assert normalise_code(show_code(code).lower()) == code


def test_only_a_physio_can_make_a_code(clinic):
    ann = patient(clinic, "ann")
    with pytest.raises(PermissionError):
        clinic.new_invitation(ann.id)


def test_accepting_a_code_links_the_patient_once(clinic, physio):
    ann = patient(clinic, "ann")
    code = clinic.new_invitation(physio.id)
    assert not clinic.follows(physio.id, ann.id)
    assert clinic.accept(ann.id, f" {show_code(code).lower()} ") == physio
    assert clinic.follows(physio.id, ann.id)
    assert [a for a, _ in clinic.physios_of(ann.id)] == [physio]
    bob = patient(clinic, "bob")
    with pytest.raises(InvitationError, match="already been used"):
        clinic.accept(bob.id, code)
    assert not clinic.follows(physio.id, bob.id)


def test_an_unknown_code_is_refused_plainly(clinic, physio):
    ann = patient(clinic, "ann")
    with pytest.raises(InvitationError, match="no invitation with the code ABCD-EFGH"):
        clinic.accept(ann.id, "abcd-efgh")
    with pytest.raises(InvitationError):
        clinic.accept(ann.id, "")
    assert clinic.physios_of(ann.id) == []


def test_a_physio_cannot_accept_a_code_for_themselves(clinic, physio):
    with pytest.raises(PermissionError):
        clinic.accept(physio.id, clinic.new_invitation(physio.id))


def test_stopping_sharing_ends_the_physios_access(clinic, physio):
    ann = patient(clinic, "ann")
    linked(clinic, physio, ann)
    assert clinic.stop_sharing(ann.id, physio.id)
    assert not clinic.follows(physio.id, ann.id)
    with pytest.raises(PermissionError):
        clinic.store_for(physio, ann.id)
    assert clinic.patients_of(physio.id, TODAY) == []


# -- who may see whose data --------------------------------------------------------------


def test_a_patient_gets_their_own_store_to_write(clinic, library):
    ann = patient(clinic, "ann")
    store = clinic.store_for(ann, ann.id)
    assert isinstance(store, PgStore) and not store.read_only
    store.add_session(session(library))
    assert len(clinic.store_for(ann, ann.id).sessions()) == 1


def test_a_patient_cannot_get_another_patients_store(clinic, library, physio):
    ann, bob = patient(clinic, "ann"), patient(clinic, "bob")
    clinic.store_for(bob, bob.id).add_session(session(library))
    with pytest.raises(PermissionError):
        clinic.store_for(ann, bob.id)
    # Nor a physio's (who is no patient), even one who follows them.
    linked(clinic, physio, ann)
    with pytest.raises(PermissionError):
        clinic.store_for(ann, physio.id)
    assert clinic.store_for(ann, ann.id).sessions() == []


def test_a_physio_gets_nothing_of_a_patient_who_has_not_accepted(clinic, physio, library):
    ann = patient(clinic, "ann")
    clinic.new_invitation(physio.id)  # made, never entered
    with pytest.raises(PermissionError):
        clinic.store_for(physio, ann.id)
    with pytest.raises(PermissionError):
        clinic.notes_of(physio, ann.id)
    with pytest.raises(PermissionError):
        clinic.add_note(physio.id, ann.id, "hello")
    assert clinic.patients_of(physio.id, TODAY) == []


def test_a_physio_of_another_patient_still_cannot_see_this_one(clinic, physio):
    ann, bob = patient(clinic, "ann"), patient(clinic, "bob")
    linked(clinic, physio, ann)
    with pytest.raises(PermissionError):
        clinic.store_for(physio, bob.id)
    assert [a.id for a, _ in clinic.patients_of(physio.id, TODAY)] == [ann.id]


def test_a_physio_reads_an_accepted_patient_through_a_store_that_refuses_writes(
    clinic, physio, library
):
    ann = patient(clinic, "ann")
    own = clinic.store_for(ann, ann.id)
    sid = own.add_session(session(library))
    linked(clinic, physio, ann)
    view = clinic.store_for(physio, ann.id)
    assert view.read_only and [s.id for s in view.sessions()] == [sid]
    before = own.revision()
    for write in (
        lambda: view.add_session(session(library, days_ago=1)),
        lambda: view.update_session(sid, {"pain_during": 9}),
        lambda: view.delete_session(sid),
        lambda: view.update_settings({"units": "lb"}),
        lambda: view.add_clearance(TODAY),
        view.delete_all,
    ):
        with pytest.raises(ReadOnlyStore):
            write()
    assert issubclass(ReadOnlyStore, StoreError)
    assert own.revision() == before and own.get_session(sid).pain_during == 2


def test_a_patient_demoted_or_a_link_to_a_non_physio_gives_no_access(clinic, pg_engine):
    ann, bob = patient(clinic, "ann"), patient(clinic, "bob")
    with pg_engine.begin() as conn:  # a link row to a patient account: not a physio
        conn.execute(insert(care_links).values(physio_id=bob.id, patient_id=ann.id))
    with pytest.raises(PermissionError):
        clinic.store_for(bob, ann.id)
    assert not clinic.follows(bob.id, ann.id)


# -- the clinician's list ----------------------------------------------------------------


def test_the_list_comes_from_each_patients_writes_sorted_by_attention(clinic, physio, library):
    calm, red, quiet = patient(clinic, "calm"), patient(clinic, "red"), patient(clinic, "quiet")
    for who in (calm, red, quiet):
        linked(clinic, physio, who)
    clinic.store_for(calm, calm.id).add_session(session(library))
    red_store = clinic.store_for(red, red.id)
    red_store.add_session(session(library, days_ago=1, pain_during=7))
    clinic.store_for(quiet, quiet.id).add_session(session(library, days_ago=10))
    listed = clinic.patients_of(physio.id, TODAY)
    assert [a.id for a, _ in listed] == [red.id, quiet.id, calm.id]
    by_id = {a.id: s for a, s in listed}
    assert by_id[red.id].red_sessions_14d == 1
    assert by_id[quiet.id].stale and by_id[quiet.id].days_since_log == 10
    assert by_id[calm.id].attention == 0


def test_every_write_rewrites_the_status_and_a_refused_write_leaves_it(clinic, physio, library):
    ann = patient(clinic, "ann")
    linked(clinic, physio, ann)
    store = clinic.store_for(ann, ann.id)
    sid = store.add_session(session(library, days_ago=2, pain_during=8))
    assert clinic.status_of(ann.id, TODAY).red_sessions_14d == 1
    store.update_session(sid, {"pain_during": 2})
    assert clinic.status_of(ann.id, TODAY).red_sessions_14d == 0
    with pytest.raises(KeyError):  # raised inside the write's transaction: nothing written
        store.delete_session("no-such-session")
    assert clinic.status_of(ann.id, TODAY).last_log == TODAY - dt.timedelta(days=2)
    store.delete_all()
    assert clinic.status_of(ann.id, TODAY).last_log is None


def test_a_patient_who_never_logged_is_listed_as_no_log_yet(clinic, physio):
    ann = patient(clinic, "ann")
    linked(clinic, physio, ann)
    [(account, status)] = clinic.patients_of(physio.id, TODAY)
    assert account == ann and status.last_log is None and status.stale


def test_the_list_of_1000_patients_takes_one_query_under_300_ms(clinic, physio, pg_engine):
    with pg_engine.begin() as conn:
        ids = (
            conn.execute(
                insert(accounts_table).returning(accounts_table.c.id),
                [{"subject": f"bulk-{i}", "name": f"Patient {i}"} for i in range(1000)],
            )
            .scalars()
            .all()
        )
        conn.execute(insert(care_links), [{"physio_id": physio.id, "patient_id": i} for i in ids])
        conn.execute(
            insert(patient_status),
            [
                {
                    "patient_id": i,
                    "paused": n % 97 == 0,
                    "red_sessions_14d": n % 5,
                    "last_log": TODAY - dt.timedelta(days=n % 20),
                    "improving": None if n % 3 else bool(n % 2),
                    "attention": 0,
                }
                for n, i in enumerate(ids)
            ],
        )
    clinic.patients_of(physio.id, TODAY)  # a warm pool, as on a running server
    queries: list[str] = []

    def count(*args: Any) -> None:
        queries.append(args[2])

    from sqlalchemy import event

    event.listen(pg_engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        listed = clinic.patients_of(physio.id, TODAY)
        took = time.perf_counter() - started
    finally:
        event.remove(pg_engine, "before_cursor_execute", count)
    assert len(listed) == 1000 and len(queries) == 1
    assert took < 0.3, f"{took * 1000:.0f} ms"
    keys = [s.attention for _, s in listed]
    assert keys == sorted(keys, reverse=True) and listed[0][1].paused


# -- notes and audit ---------------------------------------------------------------------


def test_notes_are_written_by_a_linked_physio_and_read_by_the_patient(clinic, physio):
    ann = patient(clinic, "ann")
    linked(clinic, physio, ann)
    note = clinic.add_note(physio.id, ann.id, "  Keep the step-downs slow.  ")
    assert note.text == "Keep the step-downs slow." and note.physio == "Pat Physio"
    assert clinic.notes_of(ann, ann.id) == [note]
    assert clinic.notes_of(physio, ann.id) == [note]
    with pytest.raises(ValueError, match="empty"):
        clinic.add_note(physio.id, ann.id, "   ")
    bob = patient(clinic, "bob")
    with pytest.raises(PermissionError):
        clinic.notes_of(bob, ann.id)


def test_views_and_notes_are_written_to_the_audit_trail(clinic, physio, pg_engine):
    ann, bob = patient(clinic, "ann"), patient(clinic, "bob")
    linked(clinic, physio, ann)
    clinic.record_view(physio.id, ann.id, "progress")
    clinic.add_note(physio.id, ann.id, "Seen.")
    with pg_engine.connect() as conn:
        rows = conn.execute(select(audit.c.viewer_id, audit.c.patient_id, audit.c.what)).all()
    assert sorted(tuple(r) for r in rows) == [
        (physio.id, ann.id, "note"),
        (physio.id, ann.id, "progress"),
    ]
    for reader in (physio, ann):
        log = clinic.audit_log(reader)
        assert [e.what for e in log] == ["note", "progress"]
        assert log[0].viewer == "Pat Physio" and log[0].patient == "Ann"
    assert clinic.audit_log(bob) == []


def test_the_audit_trail_cannot_be_changed(clinic, physio, pg_engine):
    ann = patient(clinic, "ann")
    clinic.record_view(physio.id, ann.id, "progress")
    with pytest.raises(Exception, match="append-only"), pg_engine.begin() as conn:
        conn.execute(text("DELETE FROM audit"))
    with pg_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit)).scalar() == 1


# -- the command ---------------------------------------------------------------------------


def test_the_add_physio_command_makes_a_physio_without_printing_the_password(
    clinic, pg_url, capsys, monkeypatch
):
    from kneecore.clinic.__main__ import main

    monkeypatch.setenv("KNEE_DATABASE_URL", pg_url)
    assert main(["add-physio", "lee@example.org"]) == 0
    said = capsys.readouterr().out
    assert "lee@example.org is a physiotherapist now" in said
    password = make_url(pg_url).password
    assert not password or password not in said
    assert clinic.sign_in("oidc-lee", "lee@example.org", "Lee").is_physio
    assert main(["add-physio", "nonsense"]) == 2
    assert "not an e-mail" in capsys.readouterr().out
    monkeypatch.delenv("KNEE_DATABASE_URL")
    assert main(["add-physio", "lee@example.org"]) == 2
