"""Killing the PostgreSQL server mid-transaction loses no acknowledged write and leaves
nothing half-written (issue 16).

Two writer processes of four threads each add sessions to two accounts, printing each
id only after the store call returned. While writers are inside transactions the test
SIGKILLs the server's postmaster and all its processes (``LocalCluster.kill_server``), as
a crash would, lets the writers fail for a moment, starts the server again (it recovers
from its write-ahead log) and lets them write on; twice. Afterwards every acknowledged
session is stored; the only stored sessions never acknowledged are ones whose call
failed (the write in flight when the server died, whose commit may have landed); every
stored session is whole (each field agrees with its id) and reads back through the
store's validation; and each account's revision equals its number of sessions: a commit
either wrote its session and bumped the revision, or did neither.

The server here is one of its own (a dedicated ``LocalCluster``), never the test
session's, which other tests are using.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from kneecore.clinic.db import add_account, engine_for, migrate
from kneecore.clinic.pgcluster import LocalCluster
from kneecore.clinic.pgstore import PgStore
from kneecore.models import Session
from tests.reliability._server_writer import EXERCISE, fields_for
from tests.reliability._stores import WRITER_APP

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("_server_writer.py")
KILLS = 2
#: Acknowledged writes to wait for before each kill, and after each restart.
BEFORE_KILL = 40
AFTER_RESTART = 16
#: How long the server stays dead: writers meet a server that is not there.
DOWN_S = 0.5
WAIT_S = 45


class Writers:
    """The writer processes, their output gathered by threads into one queue."""

    def __init__(self, url: str, accounts: list[int], stop: Path) -> None:
        arg = ",".join(str(a) for a in accounts)
        self.procs = [
            subprocess.Popen(
                [sys.executable, str(WRITER), url, arg, name, str(stop)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=dict(os.environ, PYTHONPATH=str(ROOT)),
                cwd=ROOT,
            )
            for name in ("p1", "p2")
        ]
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self.acked: dict[int, set[str]] = {}
        self.failed: dict[int, set[str]] = {}
        self.failures = 0
        self.pumps = [threading.Thread(target=self._pump, args=(p,)) for p in self.procs]
        self.err_pumps = [threading.Thread(target=self._errs, args=(p,)) for p in self.procs]
        for thread in self.pumps + self.err_pumps:
            thread.start()

    def _pump(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.put(line.strip())

    def _errs(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stderr is not None
        self.errors.append(proc.stderr.read())

    def take(self, timeout: float = 0.1) -> bool:
        """Read what the writers said so far; False when nothing came within ``timeout``."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return False
        verb, *rest = line.split()
        if verb == "ack":
            self.acked.setdefault(int(rest[0]), set()).add(rest[1])
        elif verb == "fail":
            self.failed.setdefault(int(rest[0]), set()).add(rest[1])
            self.failures += 1
        return True

    def total_acked(self) -> int:
        return sum(len(ids) for ids in self.acked.values())

    def wait_for_acks(self, count: int, timeout: float = WAIT_S) -> None:
        target = self.total_acked() + count
        deadline = time.monotonic() + timeout
        while self.total_acked() < target:
            assert time.monotonic() < deadline, f"writers stalled; said: {self.errors}"
            self.take()

    def finish(self, timeout: float = WAIT_S) -> list[int]:
        for proc in self.procs:
            proc.wait(timeout=timeout)
        for thread in self.pumps + self.err_pumps:
            thread.join(timeout=timeout)
        while self.take(timeout=0):
            pass
        return [proc.returncode for proc in self.procs]

    def kill(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def writers_in_transaction(engine: Engine) -> int:
    """Writer sessions inside a transaction right now (running a statement or between
    statements of one)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app "
                    "AND xact_start IS NOT NULL"
                ),
                {"app": WRITER_APP},
            ).scalar_one()
        )


def wait_for_writers_in_transaction(engine: Engine, timeout: float = WAIT_S) -> int:
    deadline = time.monotonic() + timeout
    while (busy := writers_in_transaction(engine)) == 0:
        assert time.monotonic() < deadline, "no writer was ever inside a transaction"
    return busy


def whole(session: Session) -> dict[str, object]:
    """A stored session in the shape of ``fields_for``, to compare it whole."""
    return {
        "id": session.id,
        "date": session.date,
        "exercises": [
            {"exercise_id": e.exercise_id, "sets": e.sets, "reps": list(e.reps)}
            for e in session.exercises
        ],
        "pain_before": session.pain_before,
        "pain_during": session.pain_during,
        "pain_after": session.pain_after,
        "notes": session.notes,
    }


@pytest.mark.slow
def test_killing_the_server_mid_transaction_loses_no_acknowledged_write(tmp_path):
    stop = tmp_path / "stop"
    with LocalCluster.temporary(fast=True) as cluster:
        url = cluster.create_database("server_kill")
        migrate(url)
        # No pool: every check opens its connection to the server as it is now.
        monitor = engine_for(url, poolclass=NullPool)
        accounts = [add_account(monitor, f"writer-{n}") for n in range(2)]
        writers = Writers(url, accounts, stop)
        try:
            busy_at_kill = []
            for _ in range(KILLS):
                writers.wait_for_acks(BEFORE_KILL)
                busy_at_kill.append(wait_for_writers_in_transaction(monitor))
                cluster.kill_server()
                failures_before = writers.failures
                down_until = time.monotonic() + DOWN_S
                while time.monotonic() < down_until:
                    writers.take()
                with pytest.raises(OperationalError):
                    writers_in_transaction(monitor)  # the server is really gone
                cluster.start()
                writers.wait_for_acks(AFTER_RESTART)
                assert writers.failures > failures_before, "no writer noticed the server die"
            stop.touch()
            assert writers.finish() == [0, 0], writers.errors
        finally:
            stop.touch()
            writers.kill()
        assert all("Traceback" not in said for said in writers.errors), writers.errors
        assert all(busy_at_kill), busy_at_kill
        print(
            f"{writers.total_acked()} writes acknowledged, {writers.failures} failed while "
            f"the server was away; writers in a transaction at each kill: {busy_at_kill}"
        )

        try:
            for account in accounts:
                acked = writers.acked.get(account, set())
                failed = writers.failed.get(account, set())
                store = PgStore(monitor, account, exercise_ids={EXERCISE})
                stored = {s.id: s for s in store.sessions()}  # read and validated afresh
                assert acked <= set(stored), f"lost: {sorted(acked - set(stored))[:10]}"
                # Never acknowledged yet stored: only a write whose call failed (in
                # flight when the server died; its commit may have landed).
                assert set(stored) - acked <= failed
                for sid, session in stored.items():
                    assert whole(session) == fields_for(sid), sid
                # One bump of the revision per stored session: no commit half-done.
                assert store.revision() == f"{account}.{len(stored)}"
        finally:
            monitor.dispose()
