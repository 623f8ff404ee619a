"""kill -9 at random moments never loses an acknowledged write or breaks the file.

A child process adds, edits and deletes sessions (growing and shrinking the file) and
prints each write only after the store call returned. The test kills it with SIGKILL
at a random moment, then opens the store and checks it against every acknowledged
write; the one write in flight may or may not have landed, but nothing else. An edit
changes every field of a session, so each stored session is checked whole: the old or
the new version, never a mix. Opening the store removes the killed writer's temporary
files, in the data folder and in ``backups/``.

It runs on the JSON file and on an account on PostgreSQL (``store_spec``). On the
server a killed writer's transaction is rolled back once the server sees its connection
gone; the test waits until the server has ended the writer's session before reading, so
a COMMIT the writer sent just before it died cannot land after the check.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kneecore.clinic.db import engine_for
from kneecore.clinic.pgstore import PgStore
from kneecore.store import Store
from tests.reliability._stores import WRITER_APP, is_pg, parse_pg
from tests.reliability._writer import EXERCISE, fields_for

#: Kill rounds on the file and on the server (a round on the server costs more: a new
#: connection, and waiting for the server to end the killed writer's session).
KILLS = {"file": 200, "postgres": 80}
WRITER = Path(__file__).with_name("_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def apply(state: dict[str, dict[str, object]], line: str) -> dict[str, dict[str, object]]:
    _, op, sid, size = line.split()
    new = dict(state)
    if op == "del":
        new.pop(sid, None)
    else:
        new[sid] = fields_for(op, int(size))
    return new


def stored_fields(store: Store | PgStore) -> dict[str, dict[str, object]]:
    """Each stored session in the shape of ``fields_for``, to compare whole sessions."""
    return {
        s.id: {
            "exercises": [
                {"exercise_id": e.exercise_id, "sets": e.sets, "reps": list(e.reps)}
                for e in s.exercises
            ],
            "pain_before": s.pain_before,
            "pain_during": s.pain_during,
            "pain_after": s.pain_after,
            "notes": s.notes,
        }
        for s in store.sessions()
    }


def temp_files(folder: Path) -> list[str]:
    """Temporary files in the data folder and its backups folder."""
    found = []
    for where in (folder, folder / "backups"):
        if where.is_dir():
            found += [p.name for p in where.iterdir() if p.name.endswith(".tmp")]
    return found


def writer_sessions(engine: Engine) -> int:
    """How many sessions of writer processes the server still has (killed ones too,
    until it notices their connection is gone and rolls their transaction back)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :app"),
                {"app": WRITER_APP},
            ).scalar_one()
        )


def wait_for_server_to_drop_writers(engine: Engine, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while writer_sessions(engine):
        assert time.monotonic() < deadline, "the server kept a killed writer's session"
        time.sleep(0.005)


class Writer:
    """The fork server process and a thread turning its output into a queue of lines."""

    def __init__(self, spec: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            cwd=ROOT,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.next() == "ready"

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def next(self, timeout: float = 30) -> str:
        return self.lines.get(timeout=timeout)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        self.send("quit")
        self.proc.wait(timeout=30)


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_acknowledged_write(store_spec, tmp_path):
    rng = random.Random(20240607)
    kills = KILLS["postgres" if is_pg(store_spec) else "file"]
    monitor = engine_for(parse_pg(store_spec)[1]) if is_pg(store_spec) else None
    writer = Writer(store_spec)
    expected: dict[str, dict[str, object]] = {}
    in_flight_kills = acked_total = 0
    try:
        for round_no in range(kills):
            writer.send(f"go {round_no}")
            first = writer.next()
            assert first.startswith("pid "), first
            pid = int(first.split()[1])
            begun: str | None = None
            acked_now = 0

            def take(line: str) -> None:
                nonlocal begun, expected, acked_now
                if line.startswith("begin "):
                    begun = line
                elif line.startswith("ack "):
                    assert begun is not None and begun[6:] == line[4:]
                    expected = apply(expected, line)
                    begun = None
                    acked_now += 1

            # Once the child has opened the store and got one write done (on a loaded
            # machine that alone can take longer than the whole window below), let it
            # write for a random while, then kill it wherever it is.
            while not acked_now:
                take(writer.next())
            time.sleep(rng.uniform(0.005, 0.06))
            os.kill(pid, signal.SIGKILL)
            while (line := writer.next()) != f"reaped {pid}":
                take(line)
            acked_total += acked_now
            if monitor is not None:
                wait_for_server_to_drop_writers(monitor)
                # A new store object: the items are loaded and validated afresh.
                actual = stored_fields(PgStore(monitor, parse_pg(store_spec)[0]))
            else:
                actual = stored_fields(Store(store_spec, exercise_ids={EXERCISE}))
            assert temp_files(tmp_path) == [], f"round {round_no}: opening left a temp file"
            if begun is not None:
                in_flight_kills += 1
                if actual != expected:
                    # The write in flight may have completed just before the kill.
                    expected = apply(expected, begun)
            assert actual == expected, f"round {round_no}: stored data differs"
    finally:
        writer.close()
        if monitor is not None:
            monitor.dispose()
    assert acked_total > kills, "the writer should get several writes done per round"
    assert in_flight_kills > kills // 4, "most kills should land during a write"
    assert temp_files(tmp_path) == []
