"""What is special to the clinic's store on PostgreSQL (the shared rules are tested on
both stores through ``user_store``): each account sees only its own rows, a read-only
store writes nothing, a failed write leaves nothing, writes take turns, and a server
that goes away gives a plain error and loses nothing. Runs on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import DBAPIError

from kneecore.clinic import db
from kneecore.clinic.db import accounts, add_account, engine_for, items, migrate
from kneecore.clinic.pgcluster import ClusterError, LocalCluster, find_bindir
from kneecore.clinic.pgstore import NoDataFile, PgStore, ReadOnlyStore
from kneecore.storefile import StoreDocument, StoreError
from kneecore.userstore import UserStore

TODAY = dt.date.today()


def session(exercise_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "date": TODAY,
        "exercises": [{"exercise_id": exercise_id, "sets": 1, "reps": [10]}],
        "pain_before": 1,
        "pain_during": 2,
        "pain_after": 1,
        **changes,
    }


def run(**changes: Any) -> dict[str, Any]:
    return {
        "date": TODAY,
        "level": 2,
        "run_min": 12,
        "walk_min": 18,
        "total_min": 30,
        "pain_before": 1,
        "pain_during": 2,
        **changes,
    }


WARNING = {"urgency": "gp_soon", "red_flags": ["locking"], "akps": 55}


@pytest.fixture
def ex(library) -> str:  # type: ignore[no-untyped-def]
    return str(library.exercises[0].id)


@pytest.fixture
def make_store(pg_shared_engine: Engine) -> Callable[..., PgStore]:
    """A store for a new account in the database these tests share (each its own)."""

    def make(subject: str = "patient", **options: Any) -> PgStore:
        engine = pg_shared_engine
        return PgStore(engine, add_account(engine, f"{subject}-{uuid.uuid4()}"), **options)

    return make


def fill(store: PgStore, ex: str, label: str) -> None:
    """One of everything, each marked with ``label`` where it has text."""
    store.add_session(session(ex, notes=f"{label} session"))
    store.add_run(run(notes=f"{label} run"))
    store.delete_selfcheck(store.add_selfcheck(WARNING))  # leaves a warning record
    store.add_selfcheck({"urgency": "none", "phase": 1, "akps": 80})
    store.add_clearance(TODAY, note=f"{label} clearance")
    store.start_phase(2, TODAY - dt.timedelta(days=3))
    store.update_settings({"units": "lb" if label == "a" else "kg"})


def rows_of(engine: Engine, account_id: int) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        found = conn.execute(
            select(items.c.kind, items.c.key, items.c.day, items.c.body)
            .where(items.c.account_id == account_id)
            .order_by(items.c.kind, items.c.key)
        )
        return [tuple(row) for row in found]


# -- the tables and their migration ---------------------------------------------------


def test_the_migrations_build_exactly_the_tables_the_app_queries(pg_server: LocalCluster):
    url = pg_server.create_database("fresh_migration")
    migrate(url)
    migrate(url)  # a database already at the newest step is left as it is
    engine = engine_for(url)
    try:
        head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
        assert db.current_revision(engine) == head == "0001"
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            )
            assert compare_metadata(context, db.metadata) == []
            tables = set(sa_inspect(conn).get_table_names())
        expected = {"accounts", "items", "patient_status", "care_links", "invitations"}
        assert tables == expected | {"notes", "audit", "alembic_version"}
        with engine.begin() as conn:
            command.downgrade(db.alembic_config(conn), "base")
        with engine.connect() as conn:
            assert set(sa_inspect(conn).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_the_audit_trail_is_append_only(pg_engine: Engine):
    with pg_engine.begin() as conn:
        conn.execute(insert(db.audit).values(viewer_id=1, patient_id=2, what="progress"))
    for statement in ("UPDATE audit SET what = 'x'", "DELETE FROM audit", "TRUNCATE audit"):
        with pytest.raises(DBAPIError, match="append-only"), pg_engine.begin() as conn:
            conn.execute(text(statement))
    with pg_engine.connect() as conn:
        assert conn.execute(select(db.audit.c.what)).scalars().all() == ["progress"]


def test_items_hold_each_item_as_the_file_does_with_its_day(make_store, ex):
    store = make_store()
    sid = store.add_session(session(ex, date=TODAY - dt.timedelta(days=2)))
    store.update_settings({"units": "lb"})
    rows = {
        (kind, key): (day, body) for kind, key, day, body in rows_of(store.engine, store.account_id)
    }
    day, body = rows[("sessions", "1")]
    assert day == TODAY - dt.timedelta(days=2)
    assert body == json.loads(store.get_session(sid).model_dump_json())
    assert rows[("settings", "1")][0] is None and rows[("settings", "1")][1]["units"] == "lb"


# -- one account, one person's rows ---------------------------------------------------


def test_two_accounts_never_see_or_change_each_others_data(make_store, ex):
    a, b = make_store("a"), make_store("b")
    fill(a, ex, "a")
    a_rows = rows_of(a.engine, a.account_id)
    a_export = json.loads(a.export_json())
    # B starts empty in every way, though A has one of everything.
    assert b.sessions() == [] and b.runs() == [] and b.selfchecks() == []
    assert b.warning_records() == [] and b.clearances() == [] and b.phase_history() == []
    assert b.current_phase() is None and b.settings().units == "kg"
    assert b.counts() == {"sessions": 0, "selfchecks": 0, "clearances": 0, "runs": 0}
    assert "a session" not in b.export_json() and b.export_csv().count("\n") <= 1
    # A's ids mean nothing to B.
    a_session, a_run = a.sessions()[0], a.runs()[0]
    with pytest.raises(KeyError):
        b.get_session(a_session.id)
    for attempt in (
        lambda: b.update_session(a_session.id, {"notes": "b"}),
        lambda: b.delete_session(a_session.id),
        lambda: b.update_run(a_run.id, {"notes": "b"}),
        lambda: b.delete_run(a_run.id),
        lambda: b.delete_selfcheck(a.selfchecks()[0].id),
    ):
        with pytest.raises(KeyError):
            attempt()
    # B takes in A's export: copies with the same ids, in B's rows only.
    summary = b.import_json(a.export_json())
    assert summary.total_added == len(a_export["sessions"]) + 5
    assert [s.id for s in b.sessions()] == [a_session.id]
    b.update_session(a_session.id, {"notes": "changed by b"})
    b.delete_run(a_run.id)
    b.add_session(session(ex, notes="b's own"))
    assert b.delete_all().describe().startswith("Deleted ")
    assert b.counts()["sessions"] == 0
    # A is exactly as it was.
    assert rows_of(a.engine, a.account_id) == a_rows
    again = json.loads(a.export_json())
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in a_export.items() if k != "exported_at"
    }
    assert a.revision() != b.revision()


def test_a_store_of_an_account_that_is_not_there_says_so(pg_engine: Engine, ex):
    ghost = PgStore(pg_engine, 999_999)
    with pytest.raises(StoreError, match=r"account .* is not on the clinic's server"):
        ghost.sessions()
    with pytest.raises(StoreError, match="not on the clinic's server"):
        ghost.add_session(session(ex))
    with pg_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(items)).scalar_one() == 0


# -- read-only, failed writes, revisions ------------------------------------------------


def test_a_read_only_store_reads_everything_and_refuses_every_write(make_store, ex, saved_state):
    own = make_store()
    fill(own, ex, "a")
    view = PgStore(own.engine, own.account_id, read_only=True)
    before = saved_state(own)
    assert view.sessions() == own.sessions() and view.export_json() != ""
    sid, rid, cid = own.sessions()[0].id, own.runs()[0].id, own.selfchecks()[0].id
    export = own.export_json()
    writes: list[Callable[[], object]] = [
        lambda: view.add_session(session(ex)),
        lambda: view.update_session(sid, {"notes": "x"}),
        lambda: view.delete_session(sid),
        lambda: view.add_run(run()),
        lambda: view.add_runs([run()]),
        lambda: view.update_run(rid, {"notes": "x"}),
        lambda: view.delete_run(rid),
        lambda: view.add_selfcheck({"urgency": "none", "phase": 1, "akps": 70}),
        lambda: view.delete_selfcheck(cid),
        lambda: view.add_clearance(TODAY),
        lambda: view.start_phase(1),
        lambda: view.update_settings({"units": "kg"}),
        lambda: view.import_json(export.replace(sid, "0" * 32)),
        lambda: view.delete_all(),
    ]
    for write in writes:
        with pytest.raises(ReadOnlyStore, match="read-only") as caught:
            write()
        assert caught.value.kind == "write_failed" and not caught.value.recoverable
    assert saved_state(own) == before


def test_a_change_that_raises_writes_nothing_in_any_table(make_store, ex, saved_state):
    store = make_store()
    fill(store, ex, "a")
    before, rows = saved_state(store), rows_of(store.engine, store.account_id)

    def half_done(doc: StoreDocument) -> tuple[StoreDocument, None]:
        doc.model_copy(update={"sessions": {}, "runs": {}})
        raise RuntimeError("failed after emptying two tables")

    with pytest.raises(RuntimeError, match="failed after"):
        store._mutate(half_done)
    assert saved_state(store) == before and rows_of(store.engine, store.account_id) == rows


def test_a_failure_after_the_rows_are_written_rolls_all_of_them_back(
    make_store, ex, saved_state, monkeypatch
):
    store = make_store()
    fill(store, ex, "a")
    before, rows = saved_state(store), rows_of(store.engine, store.account_id)

    def broken(conn: Any, doc: StoreDocument) -> None:
        raise RuntimeError("the status could not be worked out")

    monkeypatch.setattr(store, "_after_change", broken)
    with pytest.raises(RuntimeError, match="status"):
        store.import_json(
            json.dumps({"schema_version": 4, "runs": [run(id="x" * 32, date=TODAY.isoformat())]})
        )
    with pytest.raises(RuntimeError, match="status"):
        store.delete_all()
    monkeypatch.undo()
    fresh = PgStore(store.engine, store.account_id)
    assert saved_state(fresh) == before and rows_of(store.engine, store.account_id) == rows


def test_the_revision_moves_on_every_write_and_only_then(make_store, ex):
    store = make_store()
    other = PgStore(store.engine, store.account_id)
    seen = {store.revision()}
    sid = store.add_session(session(ex))
    assert store.revision() not in seen and other.revision() == store.revision()
    seen.add(store.revision())
    store.sessions(), store.export_json(), store.counts()
    assert store.revision() in seen
    other.update_session(sid, {"notes": "from another process"})
    assert store.revision() not in seen, "a write through another store object shows too"
    assert store.get_session(sid).notes == "from another process"
    with pytest.raises(KeyError):
        store.delete_session("nope")
    assert store.revision() == other.revision()


def test_a_read_with_no_write_since_reuses_the_loaded_models(make_store, ex):
    store = make_store()
    store.add_session(session(ex))
    first = store.sessions()
    assert all(x is y for x, y in zip(first, store.sessions(), strict=True))


def test_an_update_rewrites_only_the_row_that_changed(make_store, ex):
    store = make_store()
    ids = [store.add_session(session(ex, notes=str(n))) for n in range(3)]
    store.add_run(run())

    def versions() -> dict[tuple[str, str], str]:
        with store.engine.connect() as conn:
            found = conn.execute(
                text("SELECT kind, key, xmin::text FROM items WHERE account_id = :a"),
                {"a": store.account_id},
            )
            return {(kind, key): xmin for kind, key, xmin in found}

    before = versions()
    store.update_session(ids[1], {"notes": "changed"})
    after = versions()
    assert [key for key in before if before[key] != after[key]] == [("sessions", "2")]


def test_same_day_items_keep_the_order_they_were_added_past_nine(make_store, reopen, ex):
    store = make_store()
    added = [store.add_session(session(ex, notes=str(n))) for n in range(12)]
    assert [s.id for s in reopen(store).sessions()] == added


def test_data_the_app_cannot_read_is_refused_in_plain_words(make_store, ex):
    store = make_store()
    store.add_session(session(ex))
    with store.engine.begin() as conn:
        conn.execute(
            text('UPDATE items SET body = body || \'{"mood": "good"}\' WHERE account_id = :a'),
            {"a": store.account_id},
        )
    with pytest.raises(StoreError, match="not in the form this version of the app reads"):
        PgStore(store.engine, store.account_id).sessions()


# -- writes take turns ------------------------------------------------------------------


def test_writes_from_many_threads_to_one_account_all_land(make_store, ex):
    store = make_store()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        mine = PgStore(store.engine, store.account_id)  # as another process would
        try:
            for i in range(10):
                mine.add_session(session(ex, notes=f"{n}-{i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    notes = sorted(s.notes for s in store.sessions())
    assert notes == sorted(f"{n}-{i}" for n in range(4) for i in range(10))
    assert store.revision() == f"{store.account_id}.40"


def test_a_write_that_waits_too_long_for_another_is_busy_and_writes_nothing(
    pg_url: str, ex, saved_state
):
    engine = engine_for(pg_url, connect_args={"options": "-c lock_timeout=200"})
    try:
        store = PgStore(engine, add_account(engine, "patient"))
        store.add_session(session(ex))
        before = saved_state(store)
        with engine.connect() as holder:
            holder.execute(
                select(accounts.c.revision)
                .where(accounts.c.id == store.account_id)
                .with_for_update()
            )
            with pytest.raises(StoreError, match="saving your data right now") as caught:
                store.add_session(session(ex))
            assert caught.value.kind == "busy"
            holder.rollback()
        assert saved_state(store) == before
        store.add_session(session(ex))
        assert len(store.sessions()) == 2
    finally:
        engine.dispose()


# -- the server going away ---------------------------------------------------------------


@pytest.mark.parametrize("how", ["killed", "stopped"])
def test_a_server_gone_mid_use_is_a_plain_error_and_after_a_restart_nothing_is_lost(
    pg_server: LocalCluster, make_store, ex, how
):
    store = make_store()
    fill(store, ex, "a")
    sid = store.add_session(session(ex, notes="last one before"))
    expected = json.loads(store.export_json())
    try:
        pg_server.kill_server() if how == "killed" else pg_server.stop()
        fresh = PgStore(store.engine, store.account_id)
        with pytest.raises(StoreError, match="could not be reached") as reading:
            fresh.sessions()
        assert reading.value.kind == "busy" and not reading.value.recoverable
        with pytest.raises(StoreError, match=r"could not be saved.*Nothing was changed") as saving:
            store.update_session(sid, {"notes": "while the server was away"})
        assert saving.value.kind == "write_failed"
        with pytest.raises(StoreError, match="could not be reached"):
            store.revision()
    finally:
        pg_server.start()
    back = json.loads(PgStore(store.engine, store.account_id).export_json())
    assert {k: v for k, v in back.items() if k != "exported_at"} == {
        k: v for k, v in expected.items() if k != "exported_at"
    }
    store.update_session(sid, {"notes": "after the restart"})
    assert PgStore(store.engine, store.account_id).get_session(sid).notes == "after the restart"


# -- the members that are about a file ------------------------------------------------


def test_pgstore_has_every_member_of_the_store_interface_with_the_same_signature(make_store):
    store = make_store()
    for name, member in vars(UserStore).items():
        if name.startswith("_") or not (callable(member) or isinstance(member, property)):
            continue
        implemented = inspect.getattr_static(PgStore, name, None)
        if isinstance(member, property):
            assert implemented is not None or name in vars(store), f"PgStore has no {name}"
            continue
        assert callable(implemented), f"PgStore has no method {name}"
        assert inspect.signature(implemented) == inspect.signature(member), name


def test_a_server_store_has_no_file_no_backups_and_says_where_it_is(make_store, pg_server):
    store = make_store()
    with pytest.raises(NoDataFile, match="no data file"):
        _ = store.path
    with pytest.raises(NoDataFile, match="no data folder"):
        _ = store.folder
    assert store.backups() == [] and store.aside_files() == []
    assert store.backup_warning is None
    for recovery in (store.restore_backup, store.move_aside_and_reset):
        with pytest.raises(StoreError, match="practice"):
            recovery()
    where = store.location
    assert f"account {store.account_id}" in where and "127.0.0.1" in where
    assert pg_server.password not in where and pg_server.password not in repr(store)


def test_delete_all_says_how_much_it_deleted_from_the_server(make_store, ex):
    store = make_store()
    fill(store, ex, "a")
    removed = store.delete_all()
    assert removed.describe() == (
        "Deleted 1 session, 1 self-check, 1 phase change, 1 clearance, 1 warning record, "
        "1 run and your settings from the clinic's server."
    )
    assert rows_of(store.engine, store.account_id) == []
    with store.engine.connect() as conn:
        assert conn.execute(select(accounts.c.id).where(accounts.c.id == store.account_id)).one()


# -- the local server -------------------------------------------------------------------


def test_without_postgresql_the_error_names_the_package_to_install(monkeypatch, tmp_path):
    import kneecore.clinic.pgcluster as pgcluster

    monkeypatch.setattr(pgcluster, "DEBIAN_BINDIRS", str(tmp_path / "none" / "*" / "bin"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ClusterError, match=r"apt-get install postgresql"):
        find_bindir()
    with pytest.raises(ClusterError, match="postgresql"):
        LocalCluster(tmp_path / "cluster").start()


def test_the_local_server_listens_on_loopback_only_and_asks_for_a_password(
    pg_server: LocalCluster,
):
    import psycopg

    with psycopg.connect(pg_server.url().replace("+psycopg", "")) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()
        assert listen == ("127.0.0.1",)
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(host="127.0.0.1", port=pg_server.port, user="postgres", password="x")
